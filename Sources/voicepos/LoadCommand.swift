import ArgumentParser
import Connectors
import Foundation
import Replay
import Understanding

/// `voicepos load`: many concurrent scripted calls through the gateway under a tight budget and random faults.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Drive N concurrent scripted calls through the gateway against the demo store; print latency, budget and an audit.",
        discussion: """
            Exits 1 when the budget was exceeded, the audit finds a lost or doubled order, a double charge or a leaked hold, \
            or fewer orders were confirmed than the budget allows (half of what it carries at 6 requests an order, less \
            what faults spoil). The default run spreads 100 calls over 45 seconds, which a 600 a minute budget carries.
            """
    )

    @Option(help: "Calls in the run.")
    var conversations = 100

    @Option(help: "Requests a minute the POS allows.")
    var budget: Double = 600

    @Option(help: "Share of POS calls that misbehave (0 to 1): throttled, failing, timing out, slow, unreadable, or accepted with the answer lost.")
    var faults: Double = 0.05

    @Option(help: "No new turn starts after this many seconds.")
    var seconds: Double = 60

    @Option(help: "Calls arrive evenly over this many seconds (0: all at once).")
    var ramp: Double = 45

    @Option(help: "Speak this platform's API to the store over HTTP on 127.0.0.1 (square, clover…); the budget then counts HTTP requests.")
    var pos: Platform?

    @Option(help: "Seed of the random faults.")
    var seed: UInt64 = 1

    @Option(help: "Folder of intent YAML files (default: ./Intents or the package's).")
    var intents: String?

    @Flag(help: "Print one JSON document.")
    var json = false

    func validate() throws {
        guard conversations > 0, budget > 0, seconds > 0, ramp >= 0 else {
            throw ValidationError("--conversations, --budget and --seconds must be positive, --ramp 0 or more")
        }
        guard (0...1).contains(faults) else { throw ValidationError("--faults is a share of calls, 0 to 1") }
    }

    func run() async throws {
        let definitions = try IntentDefinition.loadAll(from: StoreBench.intentsDirectory(intents))
        let report = try await LoadRun.run(
            LoadRun.Options(
                conversations: conversations, budgetPerMinute: budget, faultRate: faults, seconds: seconds, ramp: ramp, seed: seed,
                platform: pos),
            intents: definitions)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(
                """
                \(report.conversations) calls\(report.platform.map { " over the \($0) API on loopback" } ?? "") (\(report.conversationsFinished) finished) in \(String(format: "%.1f", report.seconds)) s, \(report.turns) turns
                turn latency: p50 \(String(format: "%.0f", report.p50Milliseconds)) ms, p99 \(String(format: "%.0f", report.p99Milliseconds)) ms, max \(String(format: "%.0f", report.maxMilliseconds)) ms
                POS requests: \(report.posRequests) (budget \(Int(report.budget))/min; over budget: \(report.overBudget)); cache hit rate \(String(format: "%.1f%%", report.cacheHitRate * 100))
                transfers to a person: \(report.transfers)\(report.transferReasons.sorted { $0.value > $1.value }.map { "\n  \($0.value) × \($0.key)" }.joined())
                audit: \(report.confirmedOrders) confirmed orders of \(report.orderingCalls) ordering calls (at least \(report.ordersExpected) expected); lost \(report.lostOrders), duplicate orders \(report.duplicateOrders), duplicate charges \(report.duplicateCharges), leaked holds \(report.leakedReservations)
                left for staff: \(report.pendingOrdersLeft) pending orders (\(report.paidUnconfirmed) of them paid, not confirmed)
                """)
        }
        if !report.failures.isEmpty {
            if !json { print("audit failed: " + report.failures.joined(separator: "; ")) }
            throw ExitCode(1)
        }
        if !json { print("audit passed") }
    }
}
