import RetailModel

/// Price, tax and total of a prospective order at one location.
public struct Quote: Sendable, Hashable {
    public var subtotal: Money
    public var tax: Money
    public var total: Money { subtotal + tax }

    /// Prices the lines with the location's sales tax, the way the POS will.
    public init(lines: [(price: Money, quantity: Int)], at location: Location, currency: String) {
        subtotal = lines.reduce(Money.zero(currency)) { $0 + $1.price * $1.quantity }
        tax = subtotal.applying(ratePerMillion: location.taxRatePerMillion)
    }
}
