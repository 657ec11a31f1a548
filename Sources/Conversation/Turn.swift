import Commerce
import Foundation
import RetailModel
import Understanding

/// One utterance worked through: understood, routed to a flow, answered.
///
/// A value over the session state; the engine stores `state` back when the turn is done.
struct Turn {
    var state: SessionState
    let pos: RecordingPointOfSale
    let tokenizer: any CardTokenizer
    let understanding: LanguageUnderstanding
    let locations: [Location]
    let configuration: DialogueConfiguration

    private(set) var interpretation = Interpretation(intent: .outOfScope, confidence: 0, entities: Entities(), redactedText: "")
    private var sentences: [String] = []
    private var action = ReplyAction.continue
    var hints: [String] = []
    private var handoff: String?
    /// The slots of a flow that finished this turn, reported with the reply.
    var finishedSlots: [String: String]?
    private var misunderstood = false
    /// The slot the previous reply asked for.
    private(set) var asked: ExpectedSlot?

    init(
        state: SessionState, pos: RecordingPointOfSale, tokenizer: any CardTokenizer,
        understanding: LanguageUnderstanding, locations: [Location], configuration: DialogueConfiguration
    ) {
        self.state = state
        self.pos = pos
        self.tokenizer = tokenizer
        self.understanding = understanding
        self.locations = locations
        self.configuration = configuration
    }

    var now: Date { configuration.clock.now }
    var calendar: Calendar { configuration.clock.calendar }
    var products: [String: Product] { understanding.products }

    func location(_ id: String?) -> Location? { locations.first { $0.id == id } }

    // MARK: Output

    mutating func say(_ text: String) { sentences.append(text) }

    mutating func ask(_ text: String, expecting slot: ExpectedSlot, hints: [String] = []) {
        sentences.append(text)
        state.expecting = slot
        self.hints = hints
    }

    mutating func confirm(_ text: String, _ question: PendingQuestion) {
        sentences.append(text)
        state.pending = question
        state.expecting = .confirmation
        hints = ["yes", "no"]
    }

    mutating func transfer(_ text: String, reason: String) {
        sentences.append(text)
        action = .transfer
        var summary = [reason]
        if let customer = state.customer { summary.append("Caller: \(customer.name) (\(customer.id)).") }
        if let focus = state.focus { summary.append("Discussing \(Speech.describe(focus.product, options: focus.options)).") }
        if case .order(let draft) = state.flow, let number = draft.orderNumber {
            summary.append("Order \(number) was created but is not paid.")
        }
        handoff = summary.joined(separator: " ")
        state.flow = nil
        state.pending = nil
        state.expecting = nil
    }

    /// Counts a misunderstanding; the second in a row offers a person.
    mutating func notUnderstood(_ reprompt: String, expecting slot: ExpectedSlot? = nil) {
        misunderstood = true
        state.misunderstandings += 1
        if state.misunderstandings >= 2 {
            state.misunderstandings = 0
            confirm("I'm sorry, I'm having trouble understanding. Would you like me to connect you with a team member?", .transfer)
        } else {
            say(reprompt)
            if let slot { state.expecting = slot }
        }
    }

    /// Says the POS could not do what was asked, with the way forward.
    mutating func apologize(for error: any Error, offer: String? = nil) {
        let posError = error as? POSError ?? .unavailable
        if posError.isTransient {
            confirm(
                posError.spoken + " Would you like me to connect you with a team member who can help?", .transfer)
        } else {
            say(posError.spoken)
            if let offer { say(offer) }
        }
    }

    // MARK: The turn

    mutating func run(_ utterance: Utterance) async -> Reply {
        interpretation = interpret(utterance)
        state.transcript.append(TranscriptLine(speaker: .caller, text: interpretation.redactedText))
        let pending = state.pending
        let expecting = state.expecting
        state.pending = nil
        state.expecting = nil
        asked = expecting

        await route(pending: pending, expecting: expecting)

        if sentences.isEmpty { say("How else can I help you today?") }
        if !misunderstood { state.misunderstandings = 0 }
        let text = sentences.joined(separator: " ")
        state.transcript.append(TranscriptLine(speaker: .assistant, text: text))
        return Reply(
            sessionID: state.id, text: text, action: action, intent: interpretation.intent,
            confidence: (interpretation.confidence * 100).rounded() / 100, slots: finishedSlots ?? currentSlots,
            expecting: state.expecting, hints: hints, handoff: handoff,
            trace: TurnTrace(normalized: interpretation.redactedText, entities: interpretation.entities.summary, calls: pos.log.calls, caller: nil))
    }

    /// Picks the recognizer alternative that reads best in this conversation.
    private func interpret(_ utterance: Utterance) -> Interpretation {
        let candidates = utterance.alternatives.isEmpty
            ? [Utterance.Alternative(text: utterance.text, confidence: 1)] : utterance.alternatives
        var best: (score: Double, interpretation: Interpretation)?
        for candidate in candidates {
            let reading = understanding.interpret(candidate.text, expecting: state.expecting)
            var score = 0.5 * candidate.confidence + 0.5 * reading.confidence
            if let expecting = state.expecting, fills(expecting, reading.entities) { score += 0.2 }
            if !reading.entities.productIDs.isEmpty { score += 0.1 }
            if best == nil || score > best!.score { best = (score, reading) }
        }
        return best!.interpretation
    }

    /// Whether the entities answer the slot that was asked for.
    func fills(_ slot: ExpectedSlot, _ entities: Entities) -> Bool {
        switch slot {
        case .product, .choice:
            !entities.productIDs.isEmpty || entities.brand != nil || entities.kind != nil || entities.ordinal != nil
                || entities.orderNumber != nil
        case .size: entities.options["size"] != nil
        case .color: entities.options["color"] != nil
        case .width: entities.options["width"] != nil
        case .fit: entities.options["fit"] != nil
        case .quantity: entities.quantity != nil
        case .fulfillment: entities.fulfillment != nil || entities.locationID != nil
        case .location: entities.locationID != nil
        case .orderNumber: entities.orderNumber != nil
        case .reason: true
        case .refundMethod: entities.refundMethod != nil
        case .cardNumber: entities.cardNumber != nil
        case .confirmation: false
        }
    }

    private static let coreIntents: Set<Intent> = [.checkAvailability, .placeOrder, .orderStatus, .returnItem]

    private mutating func route(pending: PendingQuestion?, expecting: ExpectedSlot?) async {
        var intent = interpretation.intent
        let entities = interpretation.entities
        // A value that answers the question just asked outweighs a stray "sorry" or "that's all".
        if [.goodbye, .cancel, .thanks, .greet].contains(intent), let expecting, fills(expecting, entities), expecting != .reason {
            intent = .inform
            interpretation.intent = .inform
        }

        switch intent {
        case .humanAgent:
            transfer("Of course — I'm connecting you with a team member now.", reason: "Caller asked for a person.")
            return
        case .goodbye:
            action = .end
            state.flow = nil
            say("Thanks for calling \(configuration.storeName). Goodbye!")
            return
        case .cancel:
            let hadFlow = state.flow != nil
            state.flow = nil
            say(hadFlow ? "Okay, I've cancelled that. Is there anything else I can help with?" : "Okay. Is there anything else I can help with?")
            return
        default:
            break
        }

        let bringsValues = !entities.isEmpty
        if let pending {
            let plainYes = intent == .affirm && (!bringsValues || pending == .offerOrder || state.flow == nil)
            if plainYes || (intent == .inform && entities.refersToFocus && !bringsValues) {
                await accept(pending)
                return
            }
            if intent == .deny && !bringsValues {
                await decline(pending)
                return
            }
        }

        // An answer to the question just asked, or a correction inside the flow under way.
        let answersReason = expecting == .reason && !(Self.coreIntents.contains(intent) && interpretation.confidence > 0.6)
        if let flow = state.flow, bringsValues || answersReason {
            let answersQuestion = expecting.map { fills($0, entities) } ?? false
            let sameTopic = Self.coreIntents.contains(intent) && intent == flow.intent
            let soft = [.inform, .affirm, .deny].contains(intent) || interpretation.confidence < configuration.clarifyBelow
            if answersReason || answersQuestion && !(Self.coreIntents.contains(intent) && intent != flow.intent && interpretation.confidence > 0.6)
                || sameTopic || soft
            {
                await continueFlow(flow)
                return
            }
        }

        if Self.coreIntents.contains(intent), interpretation.confidence < configuration.clarifyBelow,
            let alternative = interpretation.alternative, Self.coreIntents.contains(alternative), alternative != intent
        {
            misunderstood = true
            ask("Sorry — did you want to \(intent.task) or \(alternative.task)?", expecting: .choice)
            return
        }

        switch intent {
        case .checkAvailability: await startAvailability()
        case .placeOrder: await startOrder()
        case .orderStatus: await startStatus()
        case .returnItem: await startReturn()
        case .greet:
            let name = state.customer.map { ", \($0.firstName)" } ?? ""
            say("Hi\(name)! Thanks for calling \(configuration.storeName). I can check stock, place an order, track an order or start a return. How can I help?")
        case .thanks:
            say("You're welcome! Is there anything else I can help with?")
        case .affirm, .deny:
            if let flow = state.flow, let expecting {
                notUnderstood("Sorry, I still need the \(expecting.spokenName) to \(flow.intent.task).", expecting: expecting)
            } else {
                say(intent == .affirm ? "Great. What can I help you with?" : "Okay. Is there anything else I can help with?")
            }
        case .inform:
            let aboutFocus = state.focus != nil
                && (!entities.options.isEmpty || entities.locationID != nil || entities.allLocations || entities.refersToFocus)
            if !entities.productIDs.isEmpty || entities.brand != nil || entities.kind != nil || aboutFocus {
                await startAvailability()
            } else if entities.orderNumber != nil {
                await startStatus()
            } else if let flow = state.flow {
                await continueFlow(flow)
            } else {
                notUnderstood("Sorry, I didn't catch what you're looking for. I can check stock, place an order, track an order or start a return.")
            }
        case .outOfScope:
            if interpretation.redactedText.isEmpty {
                notUnderstood("Sorry, I didn't catch that. Could you say it again?", expecting: expecting)
            } else {
                confirm(
                    "I'm sorry, I can't help with that here. I can check stock, place an order, track an order or start a return — or I can connect you with a team member. Would you like that?",
                    .transfer)
            }
        case .humanAgent, .goodbye, .cancel:
            break
        }
    }

    private mutating func continueFlow(_ flow: Flow) async {
        switch flow {
        case .availability: await continueAvailability()
        case .order: await continueOrder()
        case .status: await continueStatus()
        case .returns: await continueReturn()
        }
    }

    private mutating func accept(_ pending: PendingQuestion) async {
        switch pending {
        case .placeOrder: await askForPayment()
        case .charge(let card): await charge(card)
        case .tryAnotherCard: ask("Okay — please read me the card number.", expecting: .cardNumber)
        case .pickupElsewhere(let locationID):
            if case .order(var draft) = state.flow {
                draft.locationID = locationID
                state.flow = .order(draft)
            }
            await continueOrder()
        case .offerOrder:
            await startOrder()
        case .startReturn: await submitReturn()
        case .transfer:
            transfer("Okay — I'm connecting you with a team member now.", reason: "Assistant offered a person and the caller accepted.")
        }
    }

    private mutating func decline(_ pending: PendingQuestion) async {
        switch pending {
        case .placeOrder:
            ask("No problem. What would you like to change — the size, the color, or how you get it?", expecting: .choice)
        case .charge:
            ask("Okay. Which card would you like to use instead? Please read me the card number.", expecting: .cardNumber)
        case .tryAnotherCard:
            state.flow = nil
            say("Okay, I haven't charged anything. Is there anything else I can help with?")
        case .pickupElsewhere:
            ask("No problem. Would you like it shipped to you instead, or a different size or color?", expecting: .fulfillment)
        case .offerOrder, .transfer:
            state.flow = nil
            say("Okay. Is there anything else I can help with?")
        case .startReturn:
            state.flow = nil
            say("Okay, I won't start the return. Is there anything else I can help with?")
        }
    }

    /// The slots of the flow under way, for the reply.
    var currentSlots: [String: String] {
        var slots: [String: String] = [:]
        switch state.flow {
        case .availability(let draft):
            if let product = draft.product { slots["product"] = product.id }
            slots.merge(draft.options) { $1 }
            if let id = draft.locationID { slots["location"] = id }
        case .order(let draft):
            if let product = draft.product { slots["product"] = product.id }
            slots.merge(draft.options) { $1 }
            slots["quantity"] = String(draft.quantity)
            if let fulfillment = draft.fulfillment { slots["fulfillment"] = fulfillment.rawValue }
            if let id = draft.locationID { slots["location"] = id }
            if let number = draft.orderNumber { slots["order_number"] = number }
        case .returns(let draft):
            if let order = draft.order { slots["order_number"] = order.number }
            if let line = draft.line { slots["sku"] = line.sku; slots["product"] = line.productID }
            if let reason = draft.reason { slots["reason"] = reason }
            slots["refund_method"] = draft.refundMethod.rawValue
        case .status, nil:
            break
        }
        return slots
    }
}

extension Flow {
    var intent: Intent {
        switch self {
        case .availability: .checkAvailability
        case .order: .placeOrder
        case .status: .orderStatus
        case .returns: .returnItem
        }
    }
}

extension Intent {
    /// The task as said in a question: "check stock", "place an order".
    var task: String {
        switch self {
        case .checkAvailability: "check stock"
        case .placeOrder: "place an order"
        case .orderStatus: "check on an order"
        case .returnItem: "start a return"
        default: "get help"
        }
    }
}

extension ExpectedSlot {
    var spokenName: String {
        switch self {
        case .orderNumber: "order number"
        case .refundMethod: "refund method"
        case .cardNumber: "card number"
        case .choice: "choice"
        default: rawValue
        }
    }
}
