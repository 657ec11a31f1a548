/// Everything a point of sale can answer instead of a result, in platform-neutral terms.
///
/// Connectors map their platform's error shapes to these cases; the conversation turns each
/// into words for the caller with an alternative where one exists.
public enum POSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The named object does not exist, e.g. `.notFound("order 1234")`.
    case notFound(String)
    /// Fewer units are available than were asked for.
    case outOfStock(sku: SKU, available: Int)
    case paymentDeclined(DeclineReason)
    /// The POS throttled us; try again after the given seconds when known.
    case rateLimited(retryAfterSeconds: Double?)
    case unavailable
    case timeout
    /// The request was malformed or broke a rule of the POS.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .notFound(let what): "not found: \(what)"
        case .outOfStock(let sku, let available): "out of stock: \(sku) (\(available) available)"
        case .paymentDeclined(let reason): "payment declined: \(reason.rawValue)"
        case .rateLimited(let after): "rate limited" + (after.map { ", retry after \($0)s" } ?? "")
        case .unavailable: "unavailable"
        case .timeout: "timeout"
        case .invalidRequest(let why): "invalid request: \(why)"
        }
    }
}

extension POSError {
    /// The POS is in trouble (throttled, unreachable, slow) — trying again later may work — as opposed to an answer
    /// about the request itself.
    public var isTransient: Bool {
        switch self {
        case .rateLimited, .unavailable, .timeout: true
        case .notFound, .outOfStock, .paymentDeclined, .invalidRequest: false
        }
    }
}
