import ArgumentParser
import Foundation
import RetailModel
import StoreSimulator

/// Options every command that runs a store shares.
struct StoreOptions: ParsableArguments {
    @Option(help: "Store fixture YAML (default: the embedded demo store).")
    var store: String?

    @Option(help: "Folder of intent YAML files (default: ./Intents or the package's).")
    var intents: String?

    @Option(help: "Fix the clock, ISO-8601 (e.g. 2026-11-27T15:00:00Z); default: now.")
    var clock: String?

    func fixture() throws -> StoreFixture {
        guard let store else { return try StoreFixture.demo() }
        return try StoreFixture.load(contentsOf: URL(fileURLWithPath: store))
    }

    func storeClock() throws -> StoreClock {
        guard let clock else { return .system }
        guard let date = ISO8601DateFormatter().date(from: clock) else {
            throw ValidationError("--clock '\(clock)' is not an ISO-8601 date such as 2026-11-27T15:00:00Z")
        }
        return .fixed(date)
    }
}
