import RetailModel

/// What an utterance names, matched against the live catalog and the store's vocabulary.
///
/// Card numbers are carried only long enough to be tokenized; `redactedText` is what may be kept.
public struct Entities: Sendable, Hashable {
    /// Catalog products the caller named, best match first (several when the name is ambiguous).
    public var productIDs: [String] = []
    /// The words that named the product, e.g. "air maxes".
    public var productText: String?
    /// The one product of the kind or brand named ("the skillet", "a Nalgene"), when the catalog has only one: what a
    /// search for them finds. Values said are read against it.
    public var impliedProductID: String?
    /// A brand named without a specific product ("anything from Nike").
    public var brand: String?
    /// A kind of item named without a product ("the shoes", "a hoodie"), as the catalog spells it.
    public var kind: String?
    /// The caller's own words for that kind ("the jacket"), to echo back.
    public var kindWords: String?
    /// Unknown words right beside a catalog name ("yeezy … 350", "dunk low"): a model we may not carry.
    public var unmatchedModel: String?
    /// A whole number said with no unit or "size" ("make it 2"); the conversation decides what it counts.
    public var bareNumber: String?
    /// Second readings of ambiguous words, used when the product has no place for the first:
    /// "medium" is a width for some boots and a size for a hoodie.
    public var alternativeOptions: [String: String] = [:]
    /// The caller talks about a payment card ("a different card", "read the card back").
    public var mentionsCard = false
    /// Option or order details named without a value ("the color", "the size", "the store").
    public var namedOptions: [String] = []
    /// Words that seem to name a product the catalog does not know ("the zorblax 3000"), for a search.
    public var unknownProductPhrase: String?
    /// Variant options: "size" → "10.5", "color" → "black", "width" → "wide".
    public var options: [String: String] = [:]
    public var quantity: Int?
    public var fulfillment: Fulfillment?
    public var locationID: String?
    /// "all stores", "any location", "other stores".
    public var allLocations = false
    /// "Send one over to Riverside", "have it sent to the Pier store": picked up at a store the units are sent to.
    public var sentToStore = false
    public var orderNumber: String?
    /// An e-mail address said aloud ("ana dot garcia at gmail dot com") or typed, written out: "ana.garcia@gmail.com".
    public var email: String?
    /// A zip code or postcode said after "zip", "zip code", "postcode" or "postal code": "60614", "YO1 7HH".
    public var postalCode: String?
    public var returnReason: String?
    public var refundMethod: RefundMethod?
    /// A spoken card number (13–19 digits). Tokenize it at once; never store it.
    public var cardNumber: String?
    /// Digits read while a card number was asked for, too few to be one ("four two four two"): the
    /// conversation pieces them together across turns and tokenizes the whole. Never stored.
    public var cardDigits: String?
    /// "that", "it", "those", "the same": the product in focus.
    public var refersToFocus = false
    /// "my other order", "the previous one": not the one just discussed.
    public var refersToOther = false
    /// "the first one", "the second", "the last one".
    public var ordinal: Int?
    /// Several things named in one breath ("two Air Max in 10 and a black hoodie in medium"): what each
    /// part names, in order. Empty when the utterance names one thing or none.
    public var items: [Entities] = []

    public init() {}

    /// The letter size a word names ("medium" → "M"), for reading a value a second way.
    public static func letterSize(_ word: String) -> String? { EntityExtractor.letterSizes[word.lowercased()] }

    /// Whether the utterance named anything at all.
    public var isEmpty: Bool {
        productIDs.isEmpty && brand == nil && kind == nil && options.isEmpty && quantity == nil && bareNumber == nil
            && fulfillment == nil
            && locationID == nil && !allLocations && orderNumber == nil && returnReason == nil && refundMethod == nil
            && cardNumber == nil && ordinal == nil
    }

    /// The entities as flat name → value pairs, for debug views and dialogue assertions (never the card number).
    /// Drops every value read from a digit run redaction replaced ("order 41111111", a model "4111111111"), so no reply
    /// can read it back; the card number itself is kept for tokenizing and the digits of a card being read for piecing
    /// it together, and neither is ever shown.
    mutating func dropValues(readFrom runs: [String]) {
        guard !runs.isEmpty else { return }
        func masked(_ value: String?) -> Bool {
            guard let digits = value?.filter(\.isNumber), digits.count > 2 else { return false }
            return runs.contains { $0.contains(digits) }
        }
        if masked(orderNumber) { orderNumber = nil }
        if masked(bareNumber) { bareNumber = nil }
        if masked(unmatchedModel) { unmatchedModel = nil }
        if masked(unknownProductPhrase) { unknownProductPhrase = nil }
        if let quantity, masked(String(quantity)) { self.quantity = nil }
        for (name, value) in options where masked(value) { options[name] = nil }
        for index in items.indices { items[index].dropValues(readFrom: runs) }
    }

    public var summary: [String: String] {
        var result: [String: String] = [:]
        if !productIDs.isEmpty { result["product"] = productIDs.joined(separator: "|") }
        if let brand { result["brand"] = brand }
        if let kind { result["kind"] = kind }
        for (name, value) in options { result[name] = value }
        if let quantity { result["quantity"] = String(quantity) }
        if let fulfillment { result["fulfillment"] = fulfillment.rawValue }
        if let locationID { result["location"] = locationID }
        if allLocations { result["all_locations"] = "true" }
        // A long number said as an order's is looked up, never shown: it may be a card misheard.
        if let orderNumber { result["order_number"] = orderNumber.count > CardRedaction.longestKept ? CardRedaction.mark : orderNumber }
        if let returnReason { result["reason"] = returnReason }
        if let refundMethod { result["refund_method"] = refundMethod.rawValue }
        if let cardNumber { result["card"] = "ending \(cardNumber.suffix(4))" }
        if refersToOther { result["reference"] = "other" } else if refersToFocus { result["reference"] = "focus" }
        if let ordinal { result["ordinal"] = String(ordinal) }
        if let unmatchedModel { result["unmatched_model"] = unmatchedModel }
        if let unknownProductPhrase { result["unknown_product"] = unknownProductPhrase }
        if let bareNumber { result["number"] = bareNumber }
        if mentionsCard { result["mentions_card"] = "true" }
        if !items.isEmpty { result["items"] = String(items.count) }
        return result
    }
}

/// The understanding of one utterance: intent, how sure we are, and what it names.
public struct Interpretation: Sendable, Hashable {
    public var intent: Intent
    /// 0…1; below about 0.35 the conversation asks rather than guesses.
    public var confidence: Double
    /// The runner-up intent, for a clarifying question.
    public var alternative: Intent?
    public var entities: Entities
    /// The normalized transcript with card-like digit runs replaced (`CardRedaction`): the only form of what the caller
    /// said that is kept, traced, logged or repeated.
    public var redactedText: String
    /// Digits in the digit run the utterance ends on: a card read over several turns goes on from there.
    public var trailingDigits = 0
    /// The utterance's first digits continued the last turn's into a card-like run, so that turn's line is masked too.
    public var continuesEarlierRun = false
    /// Intents whose keywords the utterance contains ("yes" → affirm, "bye" → goodbye), whatever won.
    public var cues: Set<Intent>
    /// What each clause does, in the order spoken: "yes, no wait" is an affirm taken back by a hold-on.
    public var acts: [DialogueAct]

    public init(
        intent: Intent, confidence: Double, alternative: Intent? = nil, entities: Entities, redactedText: String,
        cues: Set<Intent> = [], acts: [DialogueAct] = []
    ) {
        self.intent = intent
        self.confidence = confidence
        self.alternative = alternative
        self.entities = entities
        self.redactedText = redactedText
        self.cues = cues
        self.acts = acts
    }
}

/// The slot the conversation asked for, which steers how a bare answer is read ("ten" → a size).
public enum ExpectedSlot: String, Sendable, Hashable, Codable, CaseIterable {
    case product, size, color, width, fit, quantity, fulfillment, location
    case orderNumber = "order_number"
    case reason
    case refundMethod = "refund_method"
    case cardNumber = "card_number"
    case confirmation
    case choice

    /// The slot for a variant option name, when it has one.
    public init?(option: String) {
        self.init(rawValue: option)
    }
}
