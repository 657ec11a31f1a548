import Foundation
import RetailModel
import Understanding

/// Everything the assistant remembers about one call.
struct SessionState: Sendable {
    var id: String
    var customer: Customer?
    /// The caller's ids as last resolved, so a customer is looked up once.
    var resolvedCaller: Caller?
    /// The caller was named but the POS could not be reached to look them up (tried again next turn).
    var accountUnreachable = false
    /// The product the caller is talking about: "that", "it", "the same" refer to it.
    var focus: ProductFocus?
    /// The order last discussed, for "return it" after a status check.
    var focusOrderNumber: String?
    var flow: Flow?
    var pending: PendingQuestion?
    var expecting: ExpectedSlot?
    /// Misunderstandings in a row; two offer a person.
    var misunderstandings = 0
    /// The last question asked, to repeat when an answer is not understood.
    var lastQuestion: String?
    /// The recognizer hints given with the last question, given again when it is asked again.
    var lastHints: [String] = []
    /// The one value an option question said is in stock ("Black is in stock at the Downtown store"): a plain
    /// "yes" to that question chooses it.
    var suggestedOption: (name: String, value: String)?
    /// The topic of the last finished conversation, for follow-ups such as "and order 7781?".
    var lastTopic: Intent?
    /// Conversations set aside when the caller asked something else halfway through them, the latest last. When
    /// the question is answered the latest is offered back ("Shall we get back to your order?").
    var setAside: [Flow] = []
    /// The call went to a person, who takes over whatever order is under way.
    var handedOff = false
    /// Unpaid orders the POS could not cancel when the caller dropped them; tried again when the call ends.
    var ordersToCancel: [String] = []
    var transcript: [TranscriptLine] = []
    /// Orders placed on this call, by what they were for.
    var placedOrders: [OrderChoice: String] = [:]
    /// A card number being read out in groups over several turns; emptied once whole or when the call moves on.
    var cardEntry = CardEntry()
    /// The digit run the caller's last turns ended on, as a count (never the digits), and how many caller lines of the
    /// transcript it spans: a card read a group per turn is masked in all of them once it is long enough.
    var digitRun = (digits: 0, lines: 0)
    /// When the caller last spoke (by the engine's clock): a call silent too long is ended.
    var lastHeard = Date.distantPast

    init(id: String) {
        self.id = id
    }
}

/// The product in focus and the options already said for it.
struct ProductFocus: Sendable, Hashable {
    var product: Product
    var options: [String: String]
    /// The store the caller asked about, for "can I pick them up there?".
    var locationID: String?
}

/// The conversation under way.
enum Flow: Sendable {
    case availability(AvailabilityDraft)
    case order(OrderDraft)
    case status(StatusDraft)
    case returns(ReturnDraft)
}

extension SessionState {
    /// Sets a conversation aside; one set aside earlier for the same task gives way to it.
    mutating func setAside(_ flow: Flow) {
        setAside.removeAll { $0.intent == flow.intent }
        setAside.append(flow)
    }

    /// The orders set aside, for cancelling what the POS holds of them.
    var ordersSetAside: [OrderDraft] {
        setAside.compactMap { if case .order(let draft) = $0 { draft } else { nil } }
    }
}

/// Where the conversation was before the assistant offered a person, to go back to on "no".
struct ResumePoint: Sendable, Hashable {
    var pending: PendingQuestion?
    var expecting: ExpectedSlot?
    var question: String
}

/// A yes/no question waiting for an answer.
indirect enum PendingQuestion: Sendable, Hashable {
    case placeOrder
    case charge(CardToken)
    case tryAnotherCard
    case pickupElsewhere(locationID: String)
    /// No pickup store has it, but it can be shipped.
    case shipInstead
    case offerOrder
    /// "We don't carry that; we do have this — would you like it instead?"
    case tryInstead(productID: String)
    case startReturn
    /// "Would you like a team member to call you back to finish your order?" (the POS can't take it now).
    case callback
    /// "Would you like me to connect you with a team member?"; "no" goes back to `resume`.
    case transfer(resume: ResumePoint?)
    /// "Is there anything else I can help with?" — "no" ends the call.
    case anythingElse
    /// "Shall we get back to your order of …?"
    /// "Shall we get back to your order?": the latest conversation set aside.
    case resume
    /// "We only have 5 there — would you like 5?"
    case takeAvailable(sku: SKU, quantity: Int, locationID: String)
    /// "I can have it sent from the Old Town store to the Pier store for pickup — would you like that?"
    case sendFrom(locationID: String)
}

struct AvailabilityDraft: Sendable {
    /// Further things asked about in the same breath ("… and a black hoodie?"), answered after this one.
    var queued: [Entities] = []
    /// What was said about the item being looked up, kept until its product is settled ("which hoodie?").
    var itemRequest: Entities?
    var product: Product?
    /// Products the caller must choose between.
    var candidates: [Product] = []
    var options: [String: String] = [:]
    var locationID: String?
}

/// One finished line of the cart: a product with every option chosen.
struct CartItem: Sendable {
    var product: Product
    var options: [String: String]
    var quantity: Int
}

/// The order under way: finished cart lines, the item being chosen now (product, options, quantity), items
/// named in the same breath still to choose, and what applies to the whole order.
struct OrderDraft: Sendable {
    /// Items already chosen in full.
    var cart: [CartItem] = []
    /// Items named together with the current one ("… and a black hoodie"), chosen after it.
    var queued: [Entities] = []
    /// What was said about the item being chosen now, kept until its product is settled ("which hoodie?").
    var itemRequest: Entities?
    var product: Product?
    var candidates: [Product] = []
    var options: [String: String] = [:]
    var quantity = 1
    var fulfillment: Fulfillment?
    var locationID: String?
    /// The store that sends the units to the pickup store, when they come by transfer.
    var sourceLocationID: String?
    /// The caller asked for the units to be sent to their pickup store ("send one over to Riverside").
    var wantsTransfer = false
    /// Stock of every variant of the product, read once when choices are offered.
    var stock: [SKU: [String: Int]] = [:]
    var card: CardToken?
    /// Set once the POS has the order; a retry charges this order, never a new one.
    var orderNumber: String?
    /// What the POS order was created for; a change afterwards cancels it and starts a new one.
    var orderedAs: OrderChoice?
    /// The reference sent with the create (`OrderRequest.reference`), kept while the choice stays the same: a create
    /// asked for again after a lost answer is then the same order to the POS, never a second one.
    var reference: String?
    var referencedAs: OrderChoice?
    /// The total the caller agreed to be charged.
    var agreedTotal: Money?
    /// What the caller said yes to when the order was read back: a card read later is charged only for that, and an
    /// order changed since is read back again first.
    var agreedChoice: OrderChoice?
    var declines = 0
    /// The caller said no to the order as read back; a plain "no" to what to change drops it.
    var declinedAsIs = false
    /// The charge timed out: it may or may not have gone through.
    var paymentUncertain = false
    /// Paid, but the POS did not confirm the order.
    var paid = false

    /// What the caller has chosen, as one comparable value.
    var choice: OrderChoice {
        OrderChoice(
            productID: product?.id, options: options, quantity: quantity, fulfillment: fulfillment,
            locationID: [locationID, sourceLocationID].compactMap { $0 }.joined(separator: "←"),
            cart: cart.map { "\($0.product.id) \($0.options.sorted { $0.key < $1.key }) ×\($0.quantity)" })
    }
}

struct OrderChoice: Sendable, Hashable {
    var productID: String?
    var options: [String: String]
    var quantity: Int
    var fulfillment: Fulfillment?
    var locationID: String?
    /// The cart lines before the current item, as comparable text.
    var cart: [String]
}

struct StatusDraft: Sendable {
    /// The orders offered for the caller to choose from.
    var candidates: [Order] = []
    /// Every recent order, for a choice that names one not offered ("the jacket I got last week").
    var recent: [Order] = []
}

struct ReturnDraft: Sendable {
    var order: Order?
    var line: OrderLine?
    var candidates: [(order: Order, line: OrderLine)] = []
    var reason: String?
    var refundMethod: RefundMethod = .originalPayment
    /// How many of the line to take back, when it holds more than one.
    var quantity: Int?
    /// The caller's own word for the item ("the shoes"), echoed back.
    var noun: String?
}

/// The digits of a card number read so far, over several turns ("4242 4242" … "4242 4242").
///
/// Held only until the number is whole — then tokenized at once and emptied — and never printed: its
/// description says only how many digits it has.
struct CardEntry: Sendable, CustomStringConvertible {
    private(set) var digits = ""

    mutating func append(_ more: String) { digits += more }

    /// As many digits as a card starting with these has (16; 15 for American Express…).
    var isWhole: Bool { digits.count >= 13 && digits.count == digits.expectedCardLength }
    /// More digits than a card starting with these has.
    var isTooLong: Bool { digits.count > max(digits.expectedCardLength, 13) }
    var isEmpty: Bool { digits.isEmpty }

    var description: String { "CardEntry(\(digits.count) digits)" }
}
