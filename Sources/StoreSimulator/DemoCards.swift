import RetailModel

/// The processor test cards the simulator honours, as payment sandboxes document them.
enum DemoCards {
    /// Numbers whose charges are declined, and why.
    static let declineForNumber: [String: DeclineReason] = [
        "4000000000000002": .generic,
        "4000000000009995": .insufficientFunds,
        "4000000000000069": .expiredCard,
        "4000000000000127": .incorrectSecurityCode,
    ]

    /// Cards on file (fixture tokens) that decline, for rehearsing a declined saved card.
    static let declineForToken: [String: DeclineReason] = [
        "tok_demo_declined": .insufficientFunds,
        "tok_demo_expired": .expiredCard,
    ]

    static func brand(of number: String) -> String {
        if number.hasPrefix("4") { return "Visa" }
        if number.hasPrefix("34") || number.hasPrefix("37") { return "American Express" }
        if let two = Int(number.prefix(2)), (51...55).contains(two) { return "Mastercard" }
        if let four = Int(number.prefix(4)), (2221...2720).contains(four) { return "Mastercard" }
        if number.hasPrefix("6") { return "Discover" }
        return "card"
    }
}
