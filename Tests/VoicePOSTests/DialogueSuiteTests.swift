import Foundation
import Replay
import Testing

/// Every file in `Dialogues/` is a test case of its own.
struct DialogueSuiteTests {
    /// One runner for every file, so understanding of the demo catalog is built once.
    private static let runner = Result { DialogueRunner(intents: try Fixtures.intents()) }

    @Test(arguments: Fixtures.dialogueFiles())
    func dialoguePasses(file: String) async throws {
        let runner = try Self.runner.get()
        let result = await runner.run(file: Fixtures.root.appendingPathComponent("Dialogues").appendingPathComponent(file))
        #expect(result.error == nil, "\(result.error ?? "")")
        for failure in result.failures { Issue.record("\(file):\(failure.line) \(failure)") }
    }

    @Test func thereAreAtLeastThirtyDialogues() {
        #expect(Fixtures.dialogueFiles().count >= 30)
    }
}
