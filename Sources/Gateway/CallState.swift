import Foundation
import RetailModel

/// Resumes a continuation with whichever answer comes first; later ones are dropped.
final class FirstAnswer<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = continuation }

    /// - Returns: whether this answer was the first.
    @discardableResult
    func resume(with result: Result<T, any Error>) -> Bool {
        lock.lock()
        let waiting = continuation
        continuation = nil
        lock.unlock()
        waiting?.resume(with: result)
        return waiting != nil
    }
}

/// Whether an operation was handed to the POS's connector (as opposed to refused here for budget or an open
/// circuit); it may have failed before sending anything, which only costs a needless read-back.
final class SentFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var sent = false

    func mark() {
        lock.lock()
        sent = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return sent
    }
}

/// One POS call's request allowance: the first request was paid for when the call took its token; each further
/// request the connector sends for it takes one of its own from the same bucket, by the same deadline.
final class CallAllowance: RequestAllowance, @unchecked Sendable {
    private let bucket: TokenBucket
    private let deadline: ContinuousClock.Instant
    private let reserve: Double
    private let lock = NSLock()
    private var prepaid = true
    private var wasRefused = false

    /// The budget refused one of the call's requests (so the call failed here, not at the POS).
    var refused: Bool { lock.withLock { wasRefused } }

    init(bucket: TokenBucket, deadline: ContinuousClock.Instant, reserve: Double) {
        self.bucket = bucket
        self.deadline = deadline
        self.reserve = reserve
    }

    func spend() async throws {
        // An attempt abandoned at its deadline sends nothing more.
        if Task.isCancelled { throw POSError.timeout }
        if takePrepaid() { return }
        guard await bucket.acquire(before: deadline, leaving: reserve) else {
            lock.withLock { wasRefused = true }
            throw POSError.rateLimited(retryAfterSeconds: nil)
        }
    }

    private func takePrepaid() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let paid = prepaid
        prepaid = false
        return paid
    }
}
