import ArgumentParser
import Connectors
import Conversation
import Foundation
import Gateway
import Logging
import Replay
import RetailModel
import StoreSimulator
import Understanding

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

/// Which POS a conversation talks to: the simulator (default), a platform's loopback front, or a real store.
struct POSOptions: ParsableArguments {
    @Option(
        help:
            "Talk to this POS platform (shopify, square, lightspeed, clover) instead of the simulator; credentials from VOICEPOS_<PLATFORM>_* variables or --pos-config."
    )
    var pos: Platform?

    @Option(help: "JSON file of the platform's settings and credentials (environment variables win).")
    var posConfig: String?

    @Option(help: "JSON store profile: what the POS does not hold (store name, location policies, product words, home stores).")
    var profile: String?

    @Flag(help: "With --pos: serve the store fixture through that platform's loopback front on 127.0.0.1 instead of a real store.")
    var loopback = false

    @Option(
        help:
            "With the simulator: keep the store's orders, payments, returns and stock in this JSON file, written after every change and read back at start, so a restart loses none of them (calls under way are still lost)."
    )
    var stateFile: String?

    @Option(help: "Log to standard error from this level: debug (a line per POS call and HTTP request), trace (redacted bodies too).")
    var logLevel: Logger.Level = .info

    @Option(
        name: .customLong("faults"), help: "With the simulator: make this share of POS calls misbehave at random (0 to 1), to hear how calls degrade."
    )
    var faultRate: Double?

    @Option(
        name: .customLong("fault"),
        help: "With the simulator: one flow fails, FLOW:ERROR[:TIMES] (e.g. stock:timeout, take_payment:unavailable:1, all:unavailable); repeatable.")
    var faultSpecs: [String] = []

    /// `--fault` specs as simulator faults.
    func faults() throws -> [StoreSimulator.Fault] {
        try faultSpecs.map { spec in
            let parts = spec.split(separator: ":").map(String.init)
            let errors: [String: POSError] = [
                "unavailable": .unavailable, "timeout": .timeout, "rate_limited": .rateLimited(retryAfterSeconds: 1),
                "not_found": .notFound("injected"), "invalid_request": .invalidRequest("injected"), "payment_declined": .paymentDeclined(.generic),
            ]
            guard parts.count >= 2, parts[0] == "all" || POSFlow(rawValue: parts[0]) != nil,
                parts[1] == "malformed" || errors[parts[1]] != nil, parts.count < 3 || Int(parts[2]).map({ $0 > 0 }) == true
            else {
                throw ValidationError(
                    "--fault \(spec): expected FLOW:ERROR[:TIMES], FLOW one of all, \(POSFlow.allCases.map(\.rawValue).joined(separator: ", ")); ERROR one of \((errors.keys.sorted() + ["malformed"]).joined(separator: ", "))"
                )
            }
            let kind: StoreSimulator.Fault.Kind = parts[1] == "malformed" ? .malformed : .fail(errors[parts[1]]!)
            return StoreSimulator.Fault(flow: POSFlow(rawValue: parts[0]), kind: kind, times: parts.count > 2 ? Int(parts[2]) : nil)
        }
    }

    func validate() throws {
        if loopback && pos == nil { throw ValidationError("--loopback needs --pos NAME: the platform whose front to serve the store through") }
        if pos == nil, posConfig != nil || profile != nil { throw ValidationError("--pos-config and --profile need --pos NAME") }
        if faultRate != nil || !faultSpecs.isEmpty, pos != nil, !loopback {
            throw ValidationError("--faults and --fault inject into the simulator: not with a real store")
        }
        _ = try faults()
        if let rate = faultRate, !(0...1).contains(rate) { throw ValidationError("--faults is a share of calls, 0 to 1") }
    }

    /// The engine these options describe: the simulator, a loopback front, or a real store's connector.
    ///
    /// - Returns: the engine, the store's name, and the bench to keep alive while it runs (its loopback server
    ///   stops when the bench goes).
    func engine(
        store: StoreOptions, intents: [IntentDefinition]
    ) async throws
        -> (engine: DialogueEngine, storeName: String, gateway: ResilientPointOfSale, bench: StoreBench?)
    {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            // The loopback fronts' own server chatter is not the POS traffic a developer is looking for.
            handler.logLevel = label.hasPrefix("voicepos.loopback") ? .critical : level
            return handler
        }
        guard let pos, !loopback else {
            let bench = try await StoreBench.start(fixture: try store.fixture(), clock: try store.storeClock(), intents: intents, via: pos)
            if let stateFile {
                let finished = try await bench.store.keepRecords(in: URL(fileURLWithPath: stateFile))
                if !finished.confirmed.isEmpty || !finished.cancelled.isEmpty {
                    FileHandle.standardError.write(
                        Data(
                            "checkouts cut short by the last stop: confirmed (paid) \(finished.confirmed.joined(separator: ", ")); cancelled (unpaid) \(finished.cancelled.joined(separator: ", "))\n"
                                .utf8))
                }
            }
            if let rate = faultRate { await bench.store.injectRandomFaults(rate: rate) }
            for fault in try faults() { await bench.store.inject(fault) }
            return (bench.engine, bench.store.storeName, bench.gateway, bench)
        }
        let settings = try ConnectorSettings.load(platform: pos, file: posConfig.map { URL(fileURLWithPath: $0) })
        let profile = try self.profile.map { try StoreProfile.load(from: URL(fileURLWithPath: $0)) } ?? StoreProfile()
        let connector = try settings.connector(profile: profile)
        if self.profile == nil {
            FileHandle.standardError.write(
                Data(
                    "note: no --profile: stores quote no tax, keep no safety stock and offer no transfers until a store profile says so\n".utf8))
        }
        do {
            let (engine, gateway) = try await StoreBench.engine(
                pointOfSale: connector, tokenizer: NoCardCapture(), profile: profile, clock: try store.storeClock(), intents: intents)
            return (engine, profile.storeName ?? "\(pos.rawValue) store", gateway, nil)
        } catch let error as POSError {
            let variable = "VOICEPOS_\(pos.rawValue.uppercased())_"
            throw ConnectorSetupError(
                """
                could not read the store's locations and catalog from \(pos.rawValue): \(error). A wrong or expired credential and \
                an unreachable address look alike from here; check the \(variable)* settings (or --pos-config).
                """)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
