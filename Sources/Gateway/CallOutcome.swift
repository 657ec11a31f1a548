import Foundation

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

/// Whether an operation was actually handed to the POS (as opposed to refused here for budget or an open circuit).
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
