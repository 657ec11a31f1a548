/// Monotonic time — turn deadlines, the gateway's budgets, breaker cool-downs and cache ages. The system's
/// continuous clock in production; a test's clock that moves only when told, so timing is asserted, not waited for.
/// (Wall-clock time, for dates a caller hears, is `StoreClock`.)
public protocol MonotonicClock: Sendable {
    var now: ContinuousClock.Instant { get }
    /// Returns at `deadline` (at once if it has passed); throws when the task is cancelled first.
    func sleep(until deadline: ContinuousClock.Instant) async throws
}

extension MonotonicClock where Self == SystemMonotonicClock {
    /// The system's continuous clock.
    public static var system: SystemMonotonicClock { SystemMonotonicClock() }
}

/// The system's continuous clock.
public struct SystemMonotonicClock: MonotonicClock {
    public init() {}

    public var now: ContinuousClock.Instant { ContinuousClock.now }

    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await Task.sleep(until: deadline, clock: .continuous)
    }
}
