import Foundation
import Metrics
import RetailModel

/// What the gateway did, per flow and outcome: counters and latencies for the debug view, the load report and a
/// metrics endpoint.
public actor GatewayStats {
    /// How one call through the gateway ended.
    public enum Outcome: String, Sendable, CaseIterable {
        /// The POS answered with a result.
        case ok
        /// The POS answered about the request itself (not found, declined, out of stock).
        case answered
        /// The POS failed (unavailable, timeout, throttled) after every retry allowed.
        case failed
        /// No token came before the deadline: the request was not sent.
        case overBudget = "over_budget"
        /// The flow's circuit was open: the request was not sent.
        case circuitOpen = "circuit_open"
    }

    private var outcomes: [POSFlow: [Outcome: Int]] = [:]
    private var latencies: [POSFlow: [Double]] = [:]
    private var requests: [POSFlow: Int] = [:]
    private var retries: [POSFlow: Int] = [:]
    private(set) var lastKnownStockAnswers = 0
    private(set) var readBacks = 0
    private(set) var cachedCatalogSearches = 0

    /// Latency samples kept per flow.
    static let samples = 10_000

    public init() {}

    func record(_ flow: POSFlow, outcome: Outcome, after elapsed: Duration) {
        outcomes[flow, default: [:]][outcome, default: 0] += 1
        // The latest samples only, so a long-running process keeps a bounded window for its percentiles.
        latencies[flow, default: []].append(elapsed.inSeconds * 1000)
        if latencies[flow]!.count > Self.samples { latencies[flow]!.removeFirst(latencies[flow]!.count - Self.samples / 2) }
        // The same, to whatever metrics backend the process bootstrapped (swift-metrics; none: a no-op).
        let dimensions = [("flow", flow.rawValue), ("outcome", outcome.rawValue)]
        Counter(label: "voicepos_pos_calls_total", dimensions: dimensions).increment()
        Metrics.Timer(label: "voicepos_pos_call_duration_seconds", dimensions: dimensions).recordNanoseconds(Int64(elapsed.inSeconds * 1e9))
    }

    func sent(_ flow: POSFlow) {
        requests[flow, default: 0] += 1
        Counter(label: "voicepos_pos_requests_total", dimensions: [("flow", flow.rawValue)]).increment()
    }

    func retried(_ flow: POSFlow) {
        retries[flow, default: 0] += 1
        Counter(label: "voicepos_pos_retries_total", dimensions: [("flow", flow.rawValue)]).increment()
    }
    func servedLastKnownStock() { lastKnownStockAnswers += 1 }
    func recoveredByReadBack() { readBacks += 1 }
    func searchedCachedCatalog() { cachedCatalogSearches += 1 }

    /// Everything counted so far.
    public func snapshot() -> Snapshot {
        Snapshot(
            flows: Dictionary(
                uniqueKeysWithValues: Set(outcomes.keys).union(requests.keys).map { flow in
                    let times = (latencies[flow] ?? []).sorted()
                    return (
                        flow.rawValue,
                        FlowStats(
                            requests: requests[flow] ?? 0, retries: retries[flow] ?? 0,
                            outcomes: Dictionary(uniqueKeysWithValues: (outcomes[flow] ?? [:]).map { ($0.key.rawValue, $0.value) }),
                            p50Milliseconds: Self.percentile(times, 0.5), p99Milliseconds: Self.percentile(times, 0.99))
                    )
                }),
            lastKnownStockAnswers: lastKnownStockAnswers, ordersRecoveredByReadBack: readBacks,
            searchesFromCachedCatalog: cachedCatalogSearches)
    }

    /// The value at `fraction` (0.5, 0.99) of an ascending list; 0 for none.
    public static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
    }

    /// One flow's counts and latency (milliseconds, waits and retries included).
    public struct FlowStats: Sendable, Codable {
        public var requests: Int
        public var retries: Int
        public var outcomes: [String: Int]
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
    }

    public struct Snapshot: Sendable, Codable {
        public var flows: [String: FlowStats]
        public var lastKnownStockAnswers: Int
        public var ordersRecoveredByReadBack: Int
        /// Searches answered from the synced catalog while the POS's search was down.
        public var searchesFromCachedCatalog: Int
    }
}

/// The gateway's state: requests sent against the budget, callers waiting for a token, each flow's circuit.
public struct GatewayHealth: Sendable, Codable {
    public var requestsSent: Int
    public var queueDepth: Int
    /// Flow → closed, open or half_open (flows never failed are left out: closed).
    public var breakers: [POSFlow: String]
    public var cacheHits: Int
    public var cacheMisses: Int

    public var cacheHitRate: Double { cacheHits + cacheMisses == 0 ? 0 : Double(cacheHits) / Double(cacheHits + cacheMisses) }
}
