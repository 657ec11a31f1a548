import Foundation
import Gateway
import Replay
import RetailModel
import StoreSimulator
import Understanding

/// Shared set-up: the package's intents and demo store, at a fixed time.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let now = ISO8601DateFormatter().date(from: "2026-11-27T15:00:00Z")!
    static let clock = StoreClock.fixed(now)

    static func intents() throws -> [IntentDefinition] {
        try IntentDefinition.loadAll(from: root.appendingPathComponent("Intents"))
    }

    static func store() throws -> StoreSimulator {
        try StoreSimulator(fixture: StoreFixture.demo(), clock: clock)
    }

    /// Deadlines no busy CI machine reaches (a 2-second turn starved by the parallel suite would hear "let me get
    /// you a person"): these tests are about what is said, not how fast; the gateway's timing has its own tests.
    static let patient = GatewayPolicy(deadline: .seconds(60), writeDeadline: .seconds(60))

    static func bench() async throws -> StoreBench {
        try await StoreBench.start(fixture: StoreFixture.demo(), clock: clock, intents: intents(), policy: patient, turnDeadline: .seconds(60))
    }

    static func understanding() async throws -> LanguageUnderstanding {
        let store = try store()
        return LanguageUnderstanding(intents: try intents(), catalog: try await store.catalog(), locations: try await store.locations())
    }

    static func dialogueFiles() -> [String] {
        let folder = root.appendingPathComponent("Dialogues")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted()
    }
}
