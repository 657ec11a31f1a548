/// One thing a caller does with part of an utterance: agrees, refuses, hedges, asks, corrects, requests…
///
/// An utterance is read as a sequence of acts, one per clause, in the order spoken: "yes, no wait" is an
/// affirm followed by a hold-on, which takes the yes back; "yes if it's under thirty" is an affirm with a
/// condition. The conversation decides what the sequence means for the question it has open.
public struct DialogueAct: Sendable, Hashable {
    /// What the clause does.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case affirm, deny, hedge, condition, question, correction, request, inform, cancel
        case startOver = "start_over"
        case repeatRequest = "repeat"
        case holdOn = "hold_on"
        case human, goodbye, thanks, greet, unclear
    }

    /// What a question is about, when the words say.
    public enum Topic: String, Sendable, Hashable, Codable {
        /// Price, tax or the total.
        case price
        /// How to pay: which card, its number or brand, paying at pickup.
        case payment
        /// Whether it is in stock, held or available.
        case stock
        /// When it will be ready, arrive or ship.
        case readiness
        /// Where the store is.
        case place
        /// A receipt or the confirmation sent or read out ("can you email me the receipt?"): asks nothing of the order.
        case receipt
        /// Anything else.
        case other
    }

    public var kind: Kind
    /// The clause's normalized words (card digits never reach here: see `LanguageUnderstanding`).
    public var words: [String]
    /// What the clause names: values a correction or an inform carries.
    public var entities: Entities
    /// For a question, what it is about.
    public var topic: Topic?

    public init(_ kind: Kind, words: [String] = [], entities: Entities = Entities(), topic: Topic? = nil) {
        self.kind = kind
        self.words = words
        self.entities = entities
        self.topic = topic
    }
}

extension Array where Element == DialogueAct {
    /// The kinds, in the order spoken.
    public var kinds: [DialogueAct.Kind] { map(\.kind) }

    /// Whether these acts, taken together, are a plain, unhedged, unconditional yes.
    ///
    /// A yes may come with thanks, a greeting, a goodbye or values that only restate what is on the table
    /// (the caller of `isPlainYes` checks those); anything else — a question, a hedge, a condition, a no, a
    /// take-back, a correction, a new request or words not understood — means it is not a plain yes.
    public var isPlainYes: Bool {
        contains { $0.kind == .affirm }
            && allSatisfy { [.affirm, .thanks, .greet, .goodbye, .inform].contains($0.kind) }
    }

    /// The values named alongside a yes ("yes, the black ones"), to compare with what is on the table.
    public var informed: [Entities] { filter { $0.kind == .inform }.map(\.entities) }
}
