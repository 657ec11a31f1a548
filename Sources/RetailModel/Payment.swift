import Foundation

/// A captured card payment.
public struct Payment: Sendable, Hashable, Codable {
    public var id: String
    public var orderNumber: String
    public var amount: Money
    public var cardBrand: String
    public var cardLast4: String
    public var capturedAt: Date

    public init(id: String, orderNumber: String, amount: Money, cardBrand: String, cardLast4: String, capturedAt: Date) {
        self.id = id
        self.orderNumber = orderNumber
        self.amount = amount
        self.cardBrand = cardBrand
        self.cardLast4 = cardLast4
        self.capturedAt = capturedAt
    }
}

/// Why a card issuer declined a payment.
public enum DeclineReason: String, Sendable, Hashable, Codable, CaseIterable {
    case insufficientFunds = "insufficient_funds"
    case expiredCard = "expired_card"
    case incorrectSecurityCode = "incorrect_cvc"
    case generic
}

/// Turns a card number into a token at once, so the number is never kept.
public protocol CardTokenizer: Sendable {
    /// Tokenizes a Luhn-valid card number.
    ///
    /// - Throws: `POSError.invalidRequest` when the processor refuses the number.
    func tokenize(cardNumber: String) async throws -> CardToken
}

extension String {
    /// Whether the digits pass the Luhn checksum that every card number carries.
    public var passesLuhnCheck: Bool {
        let digits = compactMap(\.wholeNumberValue)
        guard digits.count == count, (13...19).contains(digits.count) else { return false }
        let sum = digits.reversed().enumerated().reduce(0) { sum, pair in
            let (index, digit) = pair
            guard index % 2 == 1 else { return sum + digit }
            let doubled = digit * 2
            return sum + (doubled > 9 ? doubled - 9 : doubled)
        }
        return sum % 10 == 0
    }

    /// How many digits a card number starting with these digits has: 15 for American Express (34, 37), 14 for
    /// Diners Club (36, 38, 300–305), 16 for the rest.
    public var expectedCardLength: Int {
        if hasPrefix("34") || hasPrefix("37") { return 15 }
        if hasPrefix("36") || hasPrefix("38") || ("300"..."305").contains(String(prefix(3))) { return 14 }
        return 16
    }
}
