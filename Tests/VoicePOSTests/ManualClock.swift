import Foundation
import RetailModel

/// A monotonic clock that moves only when a test advances it; a sleeper wakes when the clock passes its deadline,
/// or is cancelled. Budgets, cool-downs and cache ages are then asserted exactly, however busy the machine.
final class ManualClock: MonotonicClock, @unchecked Sendable {
    private struct Sleeper {
        let id: UUID
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let lock = NSLock()
    private var current = ContinuousClock.now
    private var sleepers: [Sleeper] = []

    var now: ContinuousClock.Instant { lock.withLock { current } }

    /// Moves the clock on and wakes everyone whose deadline it reached.
    func advance(by duration: Duration) {
        let woken = lock.withLock {
            current += duration
            let due = sleepers.filter { $0.deadline <= current }
            sleepers.removeAll { $0.deadline <= current }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                if Task.isCancelled {
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                } else if deadline <= current {
                    lock.unlock()
                    continuation.resume()
                } else {
                    sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    lock.unlock()
                }
            }
        } onCancel: {
            let cancelled = lock.withLock {
                let found = sleepers.first { $0.id == id }
                sleepers.removeAll { $0.id == id }
                return found
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }
}
