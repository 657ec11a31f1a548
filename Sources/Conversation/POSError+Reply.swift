import RetailModel

extension POSError {
    /// The error in words a caller is glad to hear, with what they can do next.
    var spoken: String {
        switch self {
        case .notFound:
            return "I couldn't find that in our system."
        case .outOfStock(_, let available):
            return available > 0
                ? "We only have \(available) of those left there."
                : "That just sold out there."
        case .paymentDeclined(let reason):
            switch reason {
            case .insufficientFunds: return "Sorry, that card was declined — the bank reported insufficient funds."
            case .expiredCard: return "Sorry, that card was declined because it has expired."
            case .incorrectSecurityCode: return "Sorry, that card was declined — the security code didn't match."
            case .generic: return "Sorry, that card was declined by the bank."
            }
        case .rateLimited, .unavailable, .timeout:
            return "I'm having trouble reaching our store system right now."
        case .invalidRequest:
            return "Our store system couldn't accept that request."
        }
    }

    /// Whether trying the same thing again later may work.
    public var isTransient: Bool {
        switch self {
        case .rateLimited, .unavailable, .timeout: true
        default: false
        }
    }
}
