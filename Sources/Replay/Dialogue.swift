import Foundation
import RetailModel
import StoreSimulator

/// A scripted conversation and what must hold after each turn and at the end.
///
/// The format is documented in `Dialogues/README.md`.
public struct Dialogue: Sendable {
    /// Where the dialogue's store comes from.
    public enum StoreSource: Sendable {
        case demo
        case fixture(StoreFixture)
    }

    public var file: String
    public var name: String
    public var store: StoreSource
    /// The caller's customer id; nil for an unknown caller.
    public var caller: String?
    /// The caller's phone number as caller ID would give it, looked up when there is no customer id.
    public var phone: String?
    public var clock: Date
    public var faults: [StoreSimulator.Fault]
    /// What the store's POS must be able to do for this conversation to go as written.
    public var needs: Set<Need> = []
    /// How long a caller's turn may wait on the POS (default 30 s: a replay checks behaviour, not speed).
    public var deadline: Duration = .seconds(30)
    public var turns: [Turn]
    public var after: StoreExpectations

    /// A POS capability a dialogue depends on; replayed through a connector without it, the dialogue is skipped.
    public enum Need: String, Sendable, Hashable, CaseIterable {
        case cardPayments = "card_payments"
        case storeCredit = "store_credit"

        /// Whether a POS with these capabilities can do it.
        public func isMet(by capabilities: POSCapabilities) -> Bool {
            switch self {
            case .cardPayments: capabilities.takesCardPayments
            case .storeCredit: capabilities.refundsToStoreCredit
            }
        }
    }

    /// One thing the caller says and what must hold after it.
    public struct Turn: Sendable {
        public var line: Int
        public var user: String
        public var reply: String?
        public var replyContains: [String] = []
        public var replyExcludes: [String] = []
        /// Pieces the SSML rendering must contain, exactly (e.g. `<say-as interpret-as="digits">7829</say-as>`).
        public var ssmlContains: [String] = []
        /// Another call this turn belongs to (default: the dialogue's own call), to replay callers racing.
        public var session: String?
        /// The caller of that other call.
        public var caller: String?
        /// Phrases the reply's recognizer hints must include.
        public var hints: [String] = []
        /// Pieces the hand-off summary for a person must contain (case-insensitive).
        public var handoffContains: [String] = []
        /// Pieces the call-back request (its phone number and summary) must contain; the turn must make one.
        public var callbackContains: [String] = []
        public var replyMatches: String?
        public var intent: String?
        public var slots: [String: String]?
        public var calls: [String]?
        public var action: String?
        /// The slot asked for next; "none" when nothing is asked.
        public var expecting: String?
        /// Faults injected just before this turn (the POS starts failing partway through the call).
        public var faults: [StoreSimulator.Fault] = []
    }
}

/// What the store must hold when the conversation is over.
public struct StoreExpectations: Sendable {
    /// One thing that must exist (an order, a return, a payment, a stock level), by its fields.
    public struct Expectation: Sendable {
        public var line: Int
        public var fields: [String: String]
    }

    public var orders: [Expectation] = []
    public var returns: [Expectation] = []
    public var payments: [Expectation] = []
    public var stock: [Expectation] = []
    public var newOrders: Int?
    public var newReturns: Int?
    public var newPayments: Int?
    public var line = 0
}
