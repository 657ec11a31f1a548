import Commerce
import RetailModel
import Understanding

/// One thing a caller said, as the speech front end hands it over.
public struct Utterance: Sendable, Hashable, Codable {
    /// A recognizer alternative with its confidence (0…1).
    public struct Alternative: Sendable, Hashable, Codable {
        public var text: String
        public var confidence: Double
        public init(text: String, confidence: Double) {
            self.text = text
            self.confidence = confidence
        }
    }

    public var sessionID: String
    public var text: String
    /// The recognizer's n-best list, best first; `text` is used when empty.
    public var alternatives: [Alternative]
    /// Who is calling, when the front end knows (caller ID, logged-in account).
    public var caller: Caller?

    public init(sessionID: String, text: String, alternatives: [Alternative] = [], caller: Caller? = nil) {
        self.sessionID = sessionID
        self.text = text
        self.alternatives = alternatives
        self.caller = caller
    }
}

/// What the front end knows about the caller.
public struct Caller: Sendable, Hashable, Codable {
    /// The POS customer id, when the front end has identified the caller (caller ID, a logged-in app).
    public var customerID: String?
    /// The caller's phone number (caller ID), looked up in the POS when there is no customer id.
    public var phone: String?

    public init(customerID: String? = nil, phone: String? = nil) {
        self.customerID = customerID
        self.phone = phone
    }

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id"
        case phone
    }
}

/// A call-back the caller asked for, for the store's team (the call ends after the reply).
public struct CallbackRequest: Sendable, Hashable, Codable {
    /// The number to call: the customer's on file, else the caller ID's.
    public var phone: String
    public var customerID: String?
    /// What the caller wanted and how far it got, as a hand-off summary says it.
    public var summary: String

    public init(phone: String, customerID: String?, summary: String) {
        self.phone = phone
        self.customerID = customerID
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey {
        case phone, summary
        case customerID = "customer_id"
    }
}

/// What the front end should do after speaking the reply.
public enum ReplyAction: String, Sendable, Hashable, Codable {
    /// Keep listening.
    case `continue`
    /// Hand the call to a person; `Reply.handoff` says why and what was done.
    case transfer
    /// Hang up after speaking.
    case end
}

/// The assistant's answer to one utterance.
public struct Reply: Sendable, Hashable, Codable {
    public var sessionID: String
    /// What to say: short, friendly, no codes.
    public var text: String
    /// The same reply as SSML for a text-to-speech engine: digits read one by one, prices as currency,
    /// short pauses between list items.
    public var ssml: String
    public var action: ReplyAction
    /// The intent understood this turn.
    public var intent: Intent
    public var confidence: Double
    /// The current (or just finished) flow's slots: product, size, color, quantity, fulfillment, location…
    public var slots: [String: String]
    /// The slot the assistant just asked for, if any.
    public var expecting: ExpectedSlot?
    /// Phrases the caller is likely to say next (sizes on offer, colors), to bias a recognizer.
    public var hints: [String]
    /// For a transfer: a summary for the person who takes the call.
    public var handoff: String?
    /// The caller accepted a call-back (the POS could not take their order): who to call, and what for.
    public var callback: CallbackRequest?
    /// What to say while the next answer is worked out, if it takes more than a moment: the "yes" just asked for
    /// places an order, takes a payment or starts a return, and the POS is given several seconds for those
    /// rather than abandoned mid-write. Nil when the next turn makes no write.
    public var progress: String?
    /// What happened inside the turn: entities and every POS call.
    public var trace: TurnTrace

    enum CodingKeys: String, CodingKey {
        case sessionID = "session"
        case text, ssml, action, intent, confidence, slots, expecting, hints, handoff, callback, progress, trace
    }

    /// Writes `expecting` as null rather than leaving it out, so a front end always finds the key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sessionID, forKey: .sessionID)
        try container.encode(text, forKey: .text)
        try container.encode(ssml, forKey: .ssml)
        try container.encode(action, forKey: .action)
        try container.encode(intent, forKey: .intent)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(slots, forKey: .slots)
        try container.encode(expecting, forKey: .expecting)
        try container.encode(hints, forKey: .hints)
        try container.encodeIfPresent(handoff, forKey: .handoff)
        try container.encodeIfPresent(callback, forKey: .callback)
        try container.encodeIfPresent(progress, forKey: .progress)
        try container.encode(trace, forKey: .trace)
    }
}

/// The inside of one turn, for `/debug`, logs and dialogue assertions.
public struct TurnTrace: Sendable, Hashable, Codable {
    /// The transcript as understood, with any card number replaced.
    public var normalized: String
    public var entities: [String: String]
    public var calls: [POSCall]
    /// The dialogue acts read, in the order spoken ("affirm", "hold_on").
    public var acts: [String] = []
    /// Set on the turn that identified the caller: who they are, as looked up in the POS.
    public var caller: String?
}

/// One line of a session's transcript (card numbers already redacted).
public struct TranscriptLine: Sendable, Hashable, Codable {
    public enum Speaker: String, Sendable, Hashable, Codable { case caller, assistant }
    public var speaker: Speaker
    public var text: String
}
