/// The merchant's request budget as one POS call sees it. The gateway pays for a call's first request; a
/// connector that needs more HTTP requests for the same call (pages, a stock read per item, a token refresh)
/// spends from this before each one, so the budget counts what the POS receives, not calls.
public protocol RequestAllowance: Sendable {
    /// Waits for leave to send one more request.
    ///
    /// - Throws: `POSError.rateLimited` when no leave comes before the call's deadline.
    func spend() async throws
}

/// The allowance of the POS call under way, set by the gateway around each attempt.
public enum RequestBudget {
    @TaskLocal public static var current: (any RequestAllowance)?
}
