import Foundation
import RetailModel

/// The merchant's request budget: a token bucket refilled at the budget's rate, paused whenever the POS says to
/// wait (`Retry-After`, a full call-limit bucket). Callers queue for tokens, but never past their deadline.
actor TokenBucket {
    private let ratePerSecond: Double
    private let capacity: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant
    /// No request goes before this (the POS asked us to back off).
    private var pausedUntil: ContinuousClock.Instant
    private let clock: any MonotonicClock
    /// Callers waiting for a token now: the queue depth the metrics report.
    private(set) var waiting = 0
    /// Tokens handed out: the requests sent against the budget.
    private(set) var granted = 0

    init(requestsPerMinute: Double, burst: Double, clock: any MonotonicClock) {
        self.clock = clock
        ratePerSecond = max(requestsPerMinute, 0.001) / 60
        capacity = max(1, burst)
        tokens = max(1, burst)
        updated = clock.now
        pausedUntil = clock.now
    }

    private func refill() {
        let now = clock.now
        tokens = min(capacity, tokens + (now - updated).inSeconds * ratePerSecond)
        updated = now
    }

    /// Takes a token, waiting in line for one if it will come before `deadline`.
    ///
    /// Each caller in line has already taken its token (the count may go below zero), so its turn is known the
    /// moment it asks: a caller whose turn would come after its deadline is told at once, not after waiting.
    ///
    /// - Parameter reserve: tokens this request must leave in the bucket. Reads leave a few for checkout writes,
    ///   which then pass ahead of a queue of reads; since every read left them, a write taking one never makes a
    ///   read already in line go over the budget.
    /// - Returns: false (and takes nothing) when no token would come in time: the caller hears we're busy instead.
    func acquire(before deadline: ContinuousClock.Instant, leaving reserve: Double = 0) async -> Bool {
        refill()
        let now = clock.now
        let needed = 1 + min(max(0, reserve), capacity - 1)
        let readyAt = max(pausedUntil, now) + .seconds(max(0, needed - tokens) / ratePerSecond)
        guard readyAt <= deadline else { return false }
        tokens -= 1
        granted += 1
        if readyAt > now {
            waiting += 1
            try? await clock.sleep(until: readyAt)
            waiting -= 1
            // A caller that gave up while in line gives its token back: nothing goes before its slot.
            if Task.isCancelled {
                tokens += 1
                granted -= 1
                return false
            }
        }
        return true
    }

    /// The POS said to wait: no token is handed out for that long.
    func pause(for seconds: Double) {
        let until = clock.now + .seconds(max(0, seconds))
        if until > pausedUntil { pausedUntil = until }
    }
}
