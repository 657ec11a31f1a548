import Foundation

/// An amount of money in integer minor units (cents) of one currency.
///
/// Never a floating-point value: totals, tax and refunds add up exactly.
public struct Money: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The amount in minor units, e.g. 13000 for $130.00.
    public var minorUnits: Int
    /// ISO 4217 currency code, e.g. "USD".
    public var currency: String

    /// An amount in minor units: `Money(minorUnits: 14_154, currency: "USD")` is $141.54.
    public init(minorUnits: Int, currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Nothing, in the given currency: the start of a sum.
    public static func zero(_ currency: String) -> Money { Money(minorUnits: 0, currency: currency) }

    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "adding \(lhs.currency) to \(rhs.currency)")
        return Money(minorUnits: lhs.minorUnits + rhs.minorUnits, currency: lhs.currency)
    }

    public static func * (lhs: Money, rhs: Int) -> Money {
        Money(minorUnits: lhs.minorUnits * rhs, currency: lhs.currency)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }

    /// Applies a rate given in millionths (88_750 is 8.875%), rounding half up.
    public func applying(ratePerMillion: Int) -> Money {
        Money(minorUnits: (minorUnits * ratePerMillion + 500_000) / 1_000_000, currency: currency)
    }

    /// The amount as a caller hears it: "$130", "$141.54", "€12.50".
    public var description: String {
        let symbol = ["USD": "$", "CAD": "$", "AUD": "$", "EUR": "€", "GBP": "£"][currency]
        let whole = abs(minorUnits) / 100
        let cents = abs(minorUnits) % 100
        let sign = minorUnits < 0 ? "-" : ""
        // "$1,249", as written and read out.
        var grouped = String(whole)
        for index in stride(from: grouped.count - 3, to: 0, by: -3) {
            grouped.insert(",", at: grouped.index(grouped.startIndex, offsetBy: index))
        }
        let number = cents == 0 ? grouped : "\(grouped).\(cents < 10 ? "0" : "")\(cents)"
        if let symbol { return "\(sign)\(symbol)\(number)" }
        return "\(sign)\(number) \(currency)"
    }
}
