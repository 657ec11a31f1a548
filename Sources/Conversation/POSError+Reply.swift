import RetailModel

extension POSError {
    /// Whether trying the same thing again later may work.
    public var isTransient: Bool {
        switch self {
        case .rateLimited, .unavailable, .timeout: true
        default: false
        }
    }
}
