/// Monotonic time as the gateway reads it — budgets, deadlines, breaker cool-downs, cache ages. The system's
/// continuous clock in production; a test's clock that moves only when told, so timing is asserted, not waited for.
public protocol GatewayClock: Sendable {
    var now: ContinuousClock.Instant { get }
    /// Returns at `deadline` (at once if it has passed); throws when the task is cancelled first.
    func sleep(until deadline: ContinuousClock.Instant) async throws
}

extension GatewayClock where Self == SystemGatewayClock {
    /// The system's continuous clock.
    public static var system: SystemGatewayClock { SystemGatewayClock() }
}

/// The system's continuous clock.
public struct SystemGatewayClock: GatewayClock {
    public init() {}

    public var now: ContinuousClock.Instant { ContinuousClock.now }

    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await Task.sleep(until: deadline, clock: .continuous)
    }
}
