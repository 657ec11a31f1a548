import Foundation

/// How the gateway protects a POS and the callers waiting on it.
public struct GatewayPolicy: Sendable, Hashable {
    /// Requests a minute the merchant's POS allows us (the token bucket's refill rate).
    public var requestsPerMinute: Double
    /// Requests that may go at once after a quiet spell (the bucket's size).
    public var burst: Double
    /// Tokens reads leave in the bucket for checkout writes (an order, its charge, its confirmation), so a caller
    /// who said yes is not queued behind other callers' stock questions. At most `burst - 1`.
    public var writeReserve: Double
    /// The longest a caller waits in silence for one POS answer, waits and retries included.
    public var deadline: Duration
    /// The longest a write (an order, a charge) is given. Longer than a read's and not cut short by the caller's
    /// turn: a write abandoned mid-flight may still land, unseen, so it is waited for (then read back).
    public var writeDeadline: Duration
    /// Attempts after the first for reads and for writes that are safe to repeat.
    public var retries: Int
    /// First retry's backoff; doubled each time, with full jitter, never past `maxBackoff`.
    public var backoff: Duration
    public var maxBackoff: Duration
    /// Failures in a row that open a flow's circuit, and how long it stays open before one probe may pass.
    public var breakerThreshold: Int
    public var breakerCooldown: Duration
    /// How long a catalog, location list or stock count is served without asking the POS again.
    public var catalogTTL: Duration
    public var stockTTL: Duration
    /// How long a caller's customer record (name, home store, card on file) is kept.
    public var customerTTL: Duration
    /// The oldest last-known stock count still said (with its age) when the POS cannot be read.
    public var lastKnownStockLimit: Duration

    public init(
        requestsPerMinute: Double = 600, burst: Double = 20, writeReserve: Double = 2, deadline: Duration = .seconds(2),
        writeDeadline: Duration = .seconds(6),
        retries: Int = 2,
        backoff: Duration = .milliseconds(100), maxBackoff: Duration = .milliseconds(800), breakerThreshold: Int = 5,
        breakerCooldown: Duration = .seconds(10), catalogTTL: Duration = .seconds(3600), stockTTL: Duration = .seconds(15),
        customerTTL: Duration = .seconds(300),
        lastKnownStockLimit: Duration = .seconds(4 * 3600)
    ) {
        self.requestsPerMinute = requestsPerMinute
        self.burst = burst
        self.writeReserve = writeReserve
        self.deadline = deadline
        self.writeDeadline = writeDeadline
        self.retries = retries
        self.backoff = backoff
        self.maxBackoff = maxBackoff
        self.breakerThreshold = breakerThreshold
        self.breakerCooldown = breakerCooldown
        self.catalogTTL = catalogTTL
        self.stockTTL = stockTTL
        self.customerTTL = customerTTL
        self.lastKnownStockLimit = lastKnownStockLimit
    }
}
