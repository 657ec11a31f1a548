/// A known caller.
public struct Customer: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var phone: String
    public var email: String
    /// The store the customer usually shops at; it comes first in stock answers.
    public var homeLocationID: String?
    public var cardOnFile: CardToken?

    public init(
        id: String, name: String, phone: String, email: String, homeLocationID: String?, cardOnFile: CardToken?
    ) {
        self.id = id
        self.name = name
        self.phone = phone
        self.email = email
        self.homeLocationID = homeLocationID
        self.cardOnFile = cardOnFile
    }

    /// The first name, for a friendly greeting.
    public var firstName: String { String(name.split(separator: " ").first ?? Substring(name)) }
}

/// A payment card as VoicePOS may hold it: a processor token and the last four digits, never the number.
public struct CardToken: Sendable, Hashable, Codable {
    /// The processor's token: all a charge needs.
    public var token: String
    /// "Visa", "Mastercard"…
    public var brand: String
    /// The last four digits, the only part of the number ever said or kept.
    public var last4: String

    public init(token: String, brand: String, last4: String) {
        self.token = token
        self.brand = brand
        self.last4 = last4
    }
}
