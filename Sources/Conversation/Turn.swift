import Commerce
import Foundation
import RetailModel
import Understanding

/// One utterance worked through: understood, routed to a flow, answered.
///
/// A value over the session state, and synchronous: what it needs from the POS it asks `pos`, which answers from
/// the outcomes of earlier runs of this turn or stops the run (`Effect`). The engine runs it until it replies and stores
/// `state` back.
struct Turn {
    var state: SessionState
    /// The POS, stock holds and card tokenizer, as this run of the turn sees them.
    let pos: EffectReplay
    let understanding: LanguageUnderstanding
    let locations: [Location]
    let configuration: DialogueConfiguration

    var interpretation = Interpretation(intent: .outOfScope, confidence: 0, entities: Entities(), redactedText: "")
    /// The utterance as read before any flow worked on it: what the next run of this turn starts from.
    private(set) var understood: Interpretation?
    private(set) var sentences: [String] = []
    private var action = ReplyAction.continue
    var hints: [String] = []
    private var handoff: String?
    private var callback: CallbackRequest?
    /// The slots of a flow that finished this turn, reported with the reply.
    var finishedSlots: [String: String]?
    private var misunderstood = false
    /// The slot the previous reply asked for.
    private(set) var asked: ExpectedSlot?
    /// Where the conversation stood before this turn: the question asked and the yes/no pending.
    private(set) var before: ResumePoint?
    /// This turn adds another item to the order ("and add a cleaning kit"): said when its product is settled.
    var addingItem = false
    /// Units other callers hold, by SKU and location, as of this turn's stock reads.
    var reservedByOthers: [SKU: [String: Int]] = [:]
    /// This turn answered a money question with a plain yes (`MoneyAnswer.proceed`); nothing else lets `accept` move money.
    var plainYesToMoney = false

    init(
        state: SessionState, pos: EffectReplay, understanding: LanguageUnderstanding, locations: [Location],
        configuration: DialogueConfiguration, now: Date
    ) {
        self.state = state
        self.pos = pos
        self.now = now
        self.understanding = understanding
        self.locations = locations
        self.configuration = configuration
    }

    /// The turn's "now": read once, so every run of the turn decides on the same time.
    let now: Date
    var calendar: Calendar { configuration.clock.calendar }
    var products: [String: Product] { understanding.products }

    func location(_ id: String?) -> Location? { locations.first { $0.id == id } }

    /// Stock the assistant may promise this caller; what other callers hold is noted in `reservedByOthers`.
    mutating func sellableStock(skus: [SKU]) throws -> [StockLevel] {
        let reading: StockKeeper.Reading = try pos.perform(.sellableStock(skus))
        reservedByOthers.merge(reading.heldByOthers) { old, new in old.merging(new) { $1 } }
        return reading.levels
    }

    /// Holds the units being ordered for this call, every line at one store.
    ///
    /// - Parameter available: by SKU, the units this caller may have there.
    /// - Returns: false, holding nothing, when another caller took some of them first.
    func hold(_ lines: [(sku: SKU, quantity: Int)], at locationID: String, available: [SKU: Int]) throws -> Bool {
        try pos.perform(
            .hold(lines.map { .init(sku: $0.sku, quantity: $0.quantity) }, at: locationID, sellable: available, heldByOthers: reservedByOthers))
    }

    /// Lets go of every hold this call has on stock.
    func releaseHolds() throws {
        let _: Bool = try pos.perform(.releaseHolds)
    }

    // MARK: Output

    mutating func say(_ text: String) { sentences.append(text) }

    mutating func ask(_ text: String, expecting slot: ExpectedSlot, hints: [String] = []) {
        sentences.append(text)
        state.expecting = slot
        state.lastQuestion = Self.lastSentence(of: text)
        state.lastHints = hints
        self.hints = hints
    }

    mutating func confirm(_ text: String, _ question: PendingQuestion) {
        sentences.append(text)
        state.pending = question
        state.expecting = .confirmation
        // A money question asked again is asked whole — what is ordered, the total, the card — so a yes to it is a yes
        // to what was read back, never to something the caller thinks was changed.
        state.lastQuestion = question.movesMoney ? Self.withoutOpener(text) : Self.lastSentence(of: text)
        hints = ["yes", "no"]
        state.lastHints = hints
    }

    /// Offers a person; "no" goes back to the question that was open before this turn.
    mutating func offerPerson(_ text: String) {
        confirm(text, .transfer(resume: state.flow == nil ? nil : before))
    }

    /// "Great. Shall I charge …?" said again is "Shall I charge …?".
    static func withoutOpener(_ text: String) -> String {
        for opener in ["Great. ", "Thanks. ", "Got it. ", "Okay — ", "Okay. ", "Sure — ", "Or "] where text.hasPrefix(opener) {
            return String(text.dropFirst(opener.count)).capitalizedFirst
        }
        return text
    }

    /// The question in a reply, to repeat it when an answer is not understood.
    static func lastSentence(of text: String) -> String {
        var sentences: [String] = []
        var current = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            current.append(character)
            // A sentence ends at punctuation followed by a space or the end ("$108.88" does not end one).
            let atBoundary = index + 1 == characters.count || characters[index + 1] == " "
            if ".?!".contains(character), atBoundary {
                sentences.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { sentences.append(current.trimmingCharacters(in: .whitespaces)) }
        let question = sentences.last { $0.hasSuffix("?") } ?? sentences.last ?? text
        // "Sure — which product…?" is asked again as "which product…?".
        return withoutOpener(question)
    }

    mutating func transfer(_ text: String, reason: String) {
        sentences.append(text)
        action = .transfer
        handoff = handoffSummary(reason: reason)
        handOver()
    }

    /// A team member is to call the caller back (`Reply.callback`) and takes over the order under way.
    ///
    /// - Returns: the number's last four digits, for the reply to say.
    mutating func arrangeCallback(to phone: String, reason: String) -> String {
        callback = CallbackRequest(phone: phone, customerID: state.customer?.id, summary: handoffSummary(reason: reason))
        handOver()
        return String(phone.filter(\.isNumber).suffix(4))
    }

    /// A person takes over the call's business: whatever order is under way is theirs to finish, not cancelled.
    private mutating func handOver() {
        state.handedOff = true
        state.flow = nil
        state.pending = nil
        state.expecting = nil
    }

    /// What the person taking over needs: why, who, what they wanted, how far it got, and the last few turns.
    private func handoffSummary(reason: String) -> String {
        var summary = [reason]
        if let customer = state.customer { summary.append("Caller: \(customer.name) (\(customer.id)).") }
        let topic: Intent? =
            switch state.flow {
            case .order: .placeOrder
            case .availability: .checkAvailability
            case .status: .orderStatus
            case .returns: .returnItem
            case nil: state.lastTopic
            }
        if let topic { summary.append("Wanted to \(topic.task).") }
        let slots = currentSlots
        if !slots.isEmpty {
            summary.append("Slots: " + slots.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ".")
        }
        if let focus = state.focus { summary.append("Discussing \(Speech.describe(focus.product, options: focus.options)).") }
        if let number = state.focusOrderNumber { summary.append("Order in focus: \(number).") }
        if case .order(let draft) = state.flow, let number = draft.orderNumber {
            if draft.paymentUncertain {
                summary.append("Order \(number): the charge timed out; check whether it was paid before charging again.")
            } else if draft.paid {
                summary.append("Order \(number) is paid but the POS did not confirm it.")
            } else {
                summary.append("Order \(number) was created but is not paid.")
            }
        } else if case .order(let draft) = state.flow, let reference = draft.reference {
            summary.append("An order was sent to the POS under reference \(reference) with no answer; look for it before placing it again.")
        }
        let recent = state.transcript.suffix(6).map { "\($0.speaker == .caller ? "Caller" : "Assistant"): \($0.text)" }
        if !recent.isEmpty { summary.append("Last turns — " + recent.joined(separator: " | ")) }
        return VoiceMarkup.plain(summary.joined(separator: " "))
    }

    /// Counts a misunderstanding; the second in a row offers a person.
    mutating func notUnderstood(_ reprompt: String, expecting slot: ExpectedSlot? = nil, hints: [String]? = nil) {
        misunderstood = true
        state.misunderstandings += 1
        if state.misunderstandings >= 2 {
            // The second miss: the shortest rephrasing of a slot question, and a person offered beside it.
            state.misunderstandings = 0
            if let slot, let shortest = Reprompts.rephrase(slot, miss: 2, hints: hints ?? state.lastHints) {
                offerPerson("Sorry, I still didn't catch that. \(shortest) Or would you like me to connect you with a team member?")
            } else {
                offerPerson("I'm sorry, I'm having trouble understanding. Would you like me to connect you with a team member?")
            }
        } else {
            say(reprompt)
            if let slot { state.expecting = slot }
            if let hints { state.lastHints = hints }
        }
    }

    /// The open question was not understood: asked again shorter (the reprompt ladder; the second miss
    /// also offers a person).
    mutating func askAgain(_ question: String, expecting slot: ExpectedSlot?) {
        let rephrased = slot.flatMap { Reprompts.rephrase($0, miss: 1, hints: state.lastHints) }
        notUnderstood("Sorry, I didn't catch that. \(rephrased ?? question)", expecting: slot)
    }

    /// Says the POS could not do what was asked, as the error-reply table words it, and offers a person who can.
    mutating func apologize(for error: any Error) {
        handle(error as? POSError ?? .unavailable, alternative: nil, failures: 1)
    }

    /// Tells the caller about a POS failure as the error-reply table says: its words, then the alternative
    /// (`alternative`, asked as `offer`) or a person once the table's hand-off point is reached.
    ///
    /// - Parameter failures: how many failures of this kind the call has had, this one included.
    mutating func handle(_ error: POSError, alternative: PendingQuestion?, failures: Int) {
        let table = configuration.errorReplies
        let entry = table.entry(for: error)
        let said = table.say(error)
        let personQuestion = entry.person ?? "Would you like me to connect you with a team member who can help?"
        switch entry.handoff {
        case .offer:
            offerPerson("\(said) \(entry.offer)")
        case .after(let limit) where failures >= limit:
            confirm("\(said) \(personQuestion)", .transfer(resume: nil))
        case .never, .after:
            if let alternative {
                confirm("\(said) \(entry.offer)", alternative)
            } else {
                offerPerson("\(said) \(personQuestion)")
            }
        }
    }

    // MARK: The turn

    /// Runs the turn as far as the outcomes so far allow: to the reply, or to the next effect it needs.
    ///
    /// - Parameter understood: the utterance as the first run read it; later runs reuse it.
    mutating func run(_ utterance: Utterance, understood: Interpretation?) -> TurnStep {
        interpretation = understood ?? interpret(utterance)
        self.understood = interpretation
        if interpretation.continuesEarlierRun {
            var remaining = state.digitRun.lines
            for index in state.transcript.indices.reversed() where remaining > 0 && state.transcript[index].speaker == .caller {
                state.transcript[index].text = CardRedaction.maskingDigits(in: state.transcript[index].text)
                remaining -= 1
            }
        }
        state.digitRun =
            interpretation.trailingDigits == 0
            ? (0, 0) : (interpretation.trailingDigits, interpretation.trailingDigits > state.digitRun.digits ? state.digitRun.lines + 1 : 1)
        state.transcript.append(TranscriptLine(speaker: .caller, text: interpretation.redactedText))
        let pending = state.pending
        let expecting = state.expecting
        state.pending = nil
        state.expecting = nil
        asked = expecting
        before = state.lastQuestion.map { ResumePoint(pending: pending, expecting: expecting, question: $0) }

        do {
            try route(pending: pending, expecting: expecting)
        } catch is EffectReplay.Stopped {
            // Flows catch `POSError`s; what ends a run early is a stop for an effect.
        } catch {
            apologize(for: error)
        }
        // Asked for even if some flow caught the stop: the turn cannot be answered without it.
        if let effect = pos.awaiting { return .perform(effect) }

        if sentences.isEmpty { say("How else can I help you today?") }
        // Card digits pieced together over turns are kept through a "hold on" or a question, and dropped as soon as the
        // call stops asking for the card.
        if state.expecting != .cardNumber { state.cardEntry = CardEntry() }
        if state.pending == nil && state.expecting == nil { state.lastQuestion = nil }
        // A question asked again ("Sorry, I didn't catch that…") keeps the hints it was asked with.
        if hints.isEmpty, state.expecting != nil { hints = state.lastHints }
        if !misunderstood { state.misunderstandings = 0 }
        // Something was said ("make it two") and the same question comes back word for word: it was heard.
        let previous = state.transcript.last { $0.speaker == .assistant }?.text
        if !misunderstood, !interpretation.entities.isEmpty, VoiceMarkup.plain(sentences.joined(separator: " ")) == previous {
            sentences.insert("Got it.", at: 0)
        }
        let marked = sentences.joined(separator: " ")
        let text = VoiceMarkup.plain(marked)
        state.transcript.append(TranscriptLine(speaker: .assistant, text: text))
        return .reply(
            Reply(
                sessionID: state.id, text: text, ssml: VoiceMarkup.ssml(marked), action: action, intent: interpretation.intent,
                confidence: (interpretation.confidence * 100).rounded() / 100, slots: finishedSlots ?? currentSlots,
                expecting: state.expecting, hints: hints, handoff: handoff, callback: callback, progress: progress,
                trace: TurnTrace(
                    normalized: interpretation.redactedText, entities: interpretation.entities.summary, calls: [],
                    acts: interpretation.acts.map(\.kind.rawValue), caller: nil)))
    }

    /// The hold phrase for a question whose "yes" writes to the POS.
    private var progress: String? {
        var draft: OrderDraft?
        if case .order(let order) = state.flow { draft = order }
        return switch state.pending {
        // With card payments, "yes" to the order asks for the card; the order is placed with the charge.
        case .placeOrder?: pos.capabilities.takesCardPayments ? nil : "One moment while I place your order."
        case .charge? where draft?.paymentUncertain == true: "One moment while I check the payment."
        case .charge? where draft?.orderNumber != nil: "One moment while I take the payment."
        case .charge?: "One moment while I place your order and take the payment."
        case .startReturn?: "One moment while I start your return."
        default: nil
        }
    }

    /// Picks the recognizer alternative that reads best in this conversation.
    private func interpret(_ utterance: Utterance) -> Interpretation {
        let candidates =
            utterance.alternatives.isEmpty
            ? [Utterance.Alternative(text: utterance.text, confidence: 1)] : utterance.alternatives
        var best: (score: Double, interpretation: Interpretation)?
        for candidate in candidates {
            let reading = understanding.interpret(
                candidate.text, expecting: state.expecting, carriedDigits: state.digitRun.digits,
                orderNumberDigits: pos.capabilities.orderNumberDigits)
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
    private static let whenWords = [
        " today ", " yesterday ", " monday ", " tuesday ", " wednesday ", " thursday ", " friday ", " saturday ", " sunday ",
        " older ", " oldest ", " newer ", " newest ", " latest ", " earlier ", " recent ", " last week ", " first one ",
        " new one ", " just placed ", " just ordered ", " just made ", " todays ",
    ]
    /// Words that, alone, say yes to a yes/no question.
    static let shortYes: Set<String> = [
        "ok", "okay", "k", "kk", "ya", "yea", "yah", "yeah", "yes", "yep", "sure", "cool", "alright", "fine", "great", "perfect",
        "please", "sounds", "good", "go", "ahead", "right", "correct", "definitely",
    ]
    /// A core intent at least this sure changes the topic even mid-flow.
    private static let decisive = 0.6
    /// Below this, a cancel, goodbye, greeting or out-of-scope reading is only a guess.
    private static let weak = 0.5
    /// Below this, out of scope means "didn't catch it" rather than "can't help with that".
    private static let guess = 0.3

    /// The intent in the light of the conversation: a value answering the question beats small talk, a
    /// plain "alright" at a yes/no question is a yes, "bye" ends the call.
    private func intentInContext(pending: PendingQuestion?, expecting: ExpectedSlot?) -> Intent {
        var intent = interpretation.intent
        let cues = interpretation.cues
        // A value that answers the question just asked outweighs a stray "sorry" or "that's all".
        if [.goodbye, .cancel, .thanks, .greet].contains(intent), let expecting, fills(expecting, interpretation.entities),
            expecting != .reason || interpretation.entities.returnReason != nil
        {
            intent = .inform
        }
        // "okay", "ya", "ok cool", "k" at a yes/no question: yes.
        let words = interpretation.redactedText.split(separator: " ").map(String.init)
        if let pending, pending != .anythingElse, !words.isEmpty, words.count <= 3,
            words.allSatisfy({ Self.shortYes.contains($0) })
        {
            return .affirm
        }
        // At a yes/no question, a plain "alright" or "let's do it" is a yes, and "nah" a no, whatever else scored.
        if let pending, pending != .anythingElse, [.affirm, .deny, .cancel, .greet, .thanks, .outOfScope, .goodbye].contains(intent) {
            if cues.contains(.affirm) && !cues.contains(.deny) && !cues.contains(.cancel) {
                intent = .affirm
            } else if cues.contains(.deny) && !cues.contains(.affirm) && !cues.contains(.goodbye) {
                intent = .deny
            }
        }
        // "Send one over to Riverside": a yes read from the acts when the classifier had nothing better. A card named
        // ("put it on my card") is a yes only to an offer to order, where no money moves yet; at the charge or the
        // placing, the conversation checks the card against the one on the table.
        if let pending, pending != .anythingElse, [.outOfScope, .inform].contains(intent), interpretation.confidence < Self.decisive,
            !interpretation.entities.mentionsCard || pending == .offerOrder, interpretation.acts.contains(where: { $0.kind == .affirm }),
            !interpretation.acts.contains(where: { [.deny, .cancel, .question, .hedge, .condition, .correction].contains($0.kind) })
        {
            intent = .affirm
        }
        // "Yes, let me try another one": a yes that opens the answer to a yes/no question is the answer,
        // unless it brings values of its own ("yes, for pickup at East Gate" stays an order).
        let entities = interpretation.entities
        if let pending, pending != .anythingElse, Self.coreIntents.contains(intent),
            let first = interpretation.redactedText.split(separator: " ").first,
            ["yes", "yeah", "yep", "sure", "ok", "okay"].contains(String(first)),
            entities.isEmpty
        {
            intent = .affirm
        }
        // A cancel or goodbye needs words that say it: "actually ship it" changes the order, "ok one then" says yes.
        let kinds = Set(interpretation.acts.map(\.kind))
        if intent == .cancel, kinds.isDisjoint(with: [.cancel, .deny, .startOver]), !entities.isEmpty {
            intent = .inform
        } else if intent == .goodbye, !kinds.contains(.goodbye), !cues.contains(.goodbye) {
            if let pending, pending != .anythingElse, kinds.contains(.affirm), !kinds.contains(.deny) {
                intent = .affirm
            } else if !entities.isEmpty {
                intent = .inform
            }
        }
        // "Bye" ends the call even behind a "no" or a "thanks".
        if cues.contains(.goodbye), [.deny, .thanks, .outOfScope, .affirm, .cancel].contains(intent), !cues.contains(.humanAgent) {
            intent = .goodbye
        }
        // "Grip flat size 42 in black, pickup at Millbrook": a product and how to get it, asked nothing — an order.
        if state.flow == nil, pending == nil || pending == .anythingElse, [.checkAvailability, .inform, .outOfScope].contains(intent),
            interpretation.confidence < Self.decisive, entities.fulfillment != nil, !entities.productIDs.isEmpty,
            !interpretation.acts.contains(where: { [.question, .request, .deny, .hedge, .condition].contains($0.kind) })
        {
            intent = .placeOrder
        }
        return intent
    }

    private mutating func route(pending: PendingQuestion?, expecting: ExpectedSlot?, restarted: Bool = false) throws {
        // A card number (or part of one, when one was asked for) read while an order is being paid for is the answer,
        // whatever else was said with it.
        if case .order = state.flow, interpretation.entities.cardNumber != nil || interpretation.entities.cardDigits != nil {
            interpretation.intent = .inform
            try continueOrder()
            return
        }
        // "Drop the socks", "make the hoodie a large": an edit of the order under way, never a cancellation.
        if case .order(let draft) = state.flow, !draft.cart.isEmpty || draft.product != nil, editsCart(draft) {
            interpretation.intent = .placeOrder
            try continueOrder()
            return
        }
        // "This is ridiculous": a person takes over, whatever question was open.
        if Repair.asked(by: interpretation, expecting: expecting) == .frustration {
            transfer(
                "I'm sorry this has been frustrating. Let me connect you with a team member right away.",
                reason: "The caller is frustrated (\"\(interpretation.redactedText)\").")
            return
        }
        // "Shall I place the order?", "Shall I charge …?": read as dialogue acts; only a plain yes proceeds.
        if let pending, pending.movesMoney, case .order = state.flow, try answerMoneyQuestion(pending, expecting: expecting) {
            return
        }
        // "Do you have the donut cat bed?" in the middle of an order is a question of its own: the order is set aside
        // (and offered back after the answer); it never swaps the product being ordered. So is "do you have the mugs in
        // slate?" about a line of the order in another colour: asked, not changed.
        if case .order(let draft) = state.flow, draft.orderNumber == nil, asksAboutSomethingElse(than: draft) {
            state.setAside(.order(draft))
            state.lastTopic = .checkAvailability
            try startAvailability()
            return
        }
        if interpretation.entities.cardNumber != nil, state.flow == nil {
            // Never kept: it is already redacted. Say when a card is needed.
            state.pending = pending
            state.expecting = expecting
            say("Thanks — I don't need a card right now; I'll ask for one when you place an order.")
            if let question = state.lastQuestion, pending != nil { say(question) }
            return
        }
        var intent = intentInContext(pending: pending, expecting: expecting)
        let entities = interpretation.entities
        let flow = state.flow
        let cues = interpretation.cues
        let text = " \(interpretation.redactedText) "
        switch Repair.asked(by: interpretation, expecting: expecting) {
        case .startOver where !restarted:
            if keepPaidOrder() { return }
            try releaseUnpaidOrder()
            state.flow = nil
            state.focus = nil
            state.setAside = []
            // "Start over — I want the sambas": begin again with what was just said.
            guard Self.coreIntents.contains(intent), !entities.isEmpty else {
                say("Sure, let's start over. What can I help you with?")
                return
            }
            return try route(pending: nil, expecting: nil, restarted: true)
        case .repeatLast:
            if let last = state.transcript.dropLast().last(where: { $0.speaker == .assistant }) {
                state.pending = pending
                state.expecting = expecting
                say(last.text)
                return
            }
        case .holdOn:
            state.pending = pending
            state.expecting = expecting
            say("Sure, take your time.")
            return
        case .frustration, .startOver, nil:
            break
        }

        // "Actually use my Mastercard" while paying: about the card, not a cancellation.
        if case .order = flow, entities.mentionsCard, intent == .cancel || intent == .deny {
            try discussCard(pending: pending)
            return
        }

        // A weak guess never cancels, hangs up or restarts a conversation under way: ask again instead.
        if flow != nil || pending != nil, [.cancel, .goodbye, .greet].contains(intent),
            interpretation.confidence < Self.weak, !cues.contains(intent), let question = state.lastQuestion
        {
            state.pending = pending
            askAgain(question, expecting: expecting)
            return
        }
        interpretation.intent = intent

        // Prices, opening hours and addresses come straight from the catalog and the store list.
        if !Self.coreIntents.contains(intent) || interpretation.confidence < Self.decisive || intent == .checkAvailability,
            answerStoreQuestion(pending: pending, expecting: expecting)
        {
            return
        }
        // "No, never mind the candles" to "Shall we get back to your order of candles?", "no, I can't get out to
        // Riverside" to "pick it up at Riverside instead?": a no that names only what was offered is a no.
        if let pending, !pending.movesMoney, pending != .anythingElse, declinesOffer(pending) {
            interpretation.intent = .deny
            try decline(pending)
            return
        }
        switch intent {
        case .humanAgent:
            transfer("Of course — I'm connecting you with a team member now.", reason: "Caller asked for a person.")
            return
        case .goodbye:
            try releaseUnpaidOrder()
            endCall()
            return
        case .cancel where flow == nil && (text.contains(" order") || state.focusOrderNumber != nil):
            // "Can you cancel that order", "oh no, cancel that" right after one was placed: not something this line can do,
            // and never pretend it did.
            let placed = state.focusOrderNumber.map { "Order #\($0) is already placed, and " } ?? ""
            offerPerson(
                "\(placed)I can't cancel an order myself, but a team member can do it for you right away. Would you like me to connect you?")
            return
        case .cancel:
            if keepPaidOrder() { return }
            let hadFlow = state.flow != nil
            try releaseUnpaidOrder()
            state.flow = nil
            say(hadFlow ? "Okay, I've cancelled that." : "Okay.")
            offerMoreHelp()
            return
        default:
            break
        }

        // A plain "no" to an open question ("which product?", "which color?"): the caller doesn't want to go on. A
        // stock check or status question is left; an order not yet with the POS is dropped.
        if pending == nil, let flow, expecting != nil, expecting != .confirmation, expecting != .cardNumber, intent == .deny,
            entities.options.isEmpty, entities.productIDs.isEmpty, entities.quantity == nil, entities.locationID == nil,
            interpretation.acts.contains(where: { $0.kind == .deny }),
            interpretation.acts.allSatisfy({ [.deny, .thanks, .unclear].contains($0.kind) })
        {
            switch flow {
            case .availability, .status:
                state.flow = nil
                say("Okay.")
                offerMoreHelp()
                return
            case .order(let draft) where draft.orderNumber == nil && !draft.declinedAsIs:
                try dropOrder()
                return
            default:
                break
            }
        }

        // "No" (or "leave it") to what to change, after a no to the order as read back: the order is dropped.
        if case .order(let draft) = flow, draft.declinedAsIs, expecting == .choice, entities.isEmpty,
            intent == .deny || " \(interpretation.redactedText) ".contains(" leave it ")
        {
            interpretation.intent = .deny
            try dropOrder()
            return
        }

        // Talk about the card while an order is being paid for: "a different card", "read it back".
        if case .order = flow, entities.mentionsCard, entities.cardNumber == nil, !(intent == .affirm && pending != nil) {
            try discussCard(pending: pending)
            return
        }

        // "When can I pick it up?" right after an order was placed or its status told: that order's readiness — never
        // a second order of the same thing.
        // ("Where do I pick it up?" is about that order too.)
        let asksAboutIt = interpretation.acts.contains { [.question, .request].contains($0.kind) && [.readiness, .place].contains($0.topic) }
        if flow == nil, pending == nil || pending == .anythingElse, let number = state.focusOrderNumber, asksWhenReady || asksAboutIt,
            entities.productIDs.isEmpty, entities.options.isEmpty, entities.brand == nil, entities.kind == nil
        {
            interpretation.intent = .orderStatus
            interpretation.entities.orderNumber = number
            try startStatus()
            return
        }

        // "The one from Tuesday", "and the other one?" right after an order's status: another of the caller's orders
        // (never a "no" to "anything else?", which would hang up on them).
        if flow == nil, pending == nil || pending == .anythingElse, state.lastTopic == .orderStatus, picksOrderByWhen,
            !Self.coreIntents.contains(intent) || intent == .orderStatus
        {
            interpretation.intent = .orderStatus
            try startStatus()
            return
        }

        let bringsValues =
            !entities.isEmpty || (flow?.isOrder == true && !entities.namedOptions.isEmpty)
            || (expecting == .product && (entities.unknownProductPhrase != nil || entities.unmatchedModel != nil))
        // "Fine, 9 then" to "Would you like 9 instead?": the number offered is the count, whatever else a 9 could be.
        if case .takeAvailable(_, let offered, _)? = pending, entities.bareNumber == String(offered) || entities.quantity == offered,
            entities.options.isEmpty, entities.productIDs.isEmpty, entities.locationID == nil,
            !interpretation.acts.contains(where: { [.deny, .hedge, .condition, .question, .correction].contains($0.kind) })
        {
            interpretation.intent = .affirm
            interpretation.entities.bareNumber = nil
            interpretation.entities.quantity = nil
            try accept(pending!)
            return
        }
        // "Yes please, back on my card" to a return read back as refunded to the card: a yes that restates it.
        if pending == .startReturn, case .returns(let draft) = flow, interpretation.acts.isPlainYes, restates(draft) {
            interpretation.intent = .affirm
            try accept(.startReturn)
            return
        }
        if let pending {
            let plainYes = intent == .affirm && (!bringsValues || pending == .offerOrder || state.flow == nil || entities.mentionsCard)
            // "That one" accepts an offered product, never a charge or an order.
            let acceptsOffer =
                intent == .inform && entities.refersToFocus && !bringsValues
                && (pending == .offerOrder || pending.isTryInstead)
            if plainYes || (acceptsOffer && intent != .deny) {
                try accept(pending)
                return
            }
            let ordersDetails =
                entities.fulfillment != nil || entities.quantity != nil
                || (entities.locationID != nil && cues.contains(.placeOrder))
            if pending == .offerOrder, intent == .placeOrder || cues.contains(.placeOrder) || (ordersDetails && intent != .checkAvailability) {
                // "Ten then, I want to order them", "pick up at Pearl Street": yes, with details.
                try startOrder()
                return
            }
            // "Actually I don't want to order it" at "Shall I place the order?": a no, whatever else it names.
            let wantsNone = [" do not want ", " no longer want ", " not anymore ", " changed my mind "].contains {
                " \(interpretation.redactedText) ".contains($0)
            }
            if [.placeOrder, .offerOrder].contains(pending), wantsNone, entities.options.isEmpty {
                interpretation.intent = .deny
                if pending == .placeOrder {
                    try dropOrder()
                } else {
                    try decline(pending)
                }
                return
            }
            // "No, that's wrong", "wait, no" after an order: something to fix, never a goodbye.
            if pending == .anythingElse, let number = state.focusOrderNumber, state.placedOrders.values.contains(number), entities.isEmpty,
                entities.brand == nil, entities.kind == nil, interpretation.acts.contains(where: { $0.kind == .deny }),
                interpretation.acts.contains(where: { [.holdOn, .correction].contains($0.kind) })
            {
                offerPerson(
                    "Sorry about that. Order #\(number) is placed; I can't change it myself, but a team member can fix it for you right away. Would you like me to connect you?"
                )
                return
            }
            if intent == .deny && !bringsValues {
                if pending == .anythingElse, interpretation.confidence < Self.weak, !cues.contains(.deny) {
                    state.pending = pending
                    notUnderstood("Sorry, I didn't catch that. Is there anything else I can help with?")
                    return
                }
                try decline(pending)
                return
            }
        }

        // "A ten then, I want to order them" while checking stock: the stock question becomes an order.
        if case .availability = flow,
            intent == .placeOrder || (cues.contains(.placeOrder) && intent != .checkAvailability) || entities.fulfillment != nil
        {
            state.lastTopic = .placeOrder
            try startOrder()
            return
        }

        // "Yes" to "Which color? … Black is in stock at the Downtown store": that one.
        if let flow, case .order = flow, intent == .affirm, let suggested = state.suggestedOption, expecting == ExpectedSlot(option: suggested.name) {
            try continueFlow(flow)
            return
        }

        // An answer to the question just asked, or a correction inside the flow under way.
        // Free-form answers: a return reason, or which of the orders offered ("the one from Tuesday").
        // A choice between orders is answered with something to pick by: a name, a number, a day, "the other one".
        let picksSomething =
            !entities.isEmpty || entities.refersToOther
            || Self.whenWords.contains { " \(interpretation.redactedText) ".contains($0) }
        // A question ("do you have it in sage?") is never the reason for a return.
        let asksSomething = interpretation.acts.contains { [.question, .request].contains($0.kind) }
        let freeForm =
            (expecting == .reason && !asksSomething)
            || (expecting == .choice && [.orderStatus, .returnItem].contains(flow?.intent) && picksSomething)
            || (expecting == .quantity && flow?.intent == .returnItem)
        let answersReason =
            freeForm
            && (!(Self.coreIntents.contains(intent) && intent != flow?.intent && interpretation.confidence > Self.decisive)
                || (expecting == .choice && entities.isEmpty && picksSomething))
        if let flow, bringsValues || answersReason {
            var relevant = isRelevant(entities, to: flow)
            if case .status(let draft) = flow, cues.contains(.placeOrder) || cues.contains(.checkAvailability),
                !entities.productIDs.isEmpty, named(draft.recent, entities).isEmpty
            {
                // "Can I order some Docs?" while choosing an order: a new request, not a choice.
                relevant = false
                if Self.coreIntents.contains(intent) == false || intent == .orderStatus {
                    intent = cues.contains(.placeOrder) ? .placeOrder : .checkAvailability
                    interpretation.intent = intent
                }
            }
            let switchesTopic =
                Self.coreIntents.contains(intent) && intent != flow.intent
                && (interpretation.confidence > Self.decisive || cues.contains(intent)) && !relevant
                && !(expecting == .choice && entities.isEmpty && picksSomething)
            let sameTopic = intent == flow.intent
            // A clear out-of-scope request ("cancel my order 7790") is answered as such, not read as a slot value.
            let soft =
                [.inform, .affirm, .deny].contains(intent) || interpretation.confidence < configuration.clarifyBelow
                || (intent == .outOfScope && interpretation.confidence < Self.weak)
            if !switchesTopic && (answersReason || relevant || sameTopic || soft) {
                // Reported as what it was: an answer within the conversation under way.
                if !Self.coreIntents.contains(intent) { interpretation.intent = .inform }
                try continueFlow(flow)
                return
            }
        }

        // A follow-up with just a value: "and order 7781?", "no, the Patagonia one", "back to the Ultraboost".
        if flow == nil, bringsValues, !Self.coreIntents.contains(intent) || interpretation.confidence < Self.decisive,
            intent != .outOfScope || interpretation.confidence < Self.weak || pending == .resume
        {
            // "Back to the Ultraboost": the order set aside for it.
            if let index = state.setAside.lastIndex(where: { flow in
                guard case .order(let suspended) = flow, let product = suspended.product else { return false }
                return entities.productIDs.contains(product.id) || (entities.productIDs.isEmpty && !entities.options.isEmpty)
                    || (entities.productIDs.isEmpty && (entities.brand == product.brand || entities.kind.map { matches(kind: $0, product) } == true))
            }) {
                try resume(state.setAside.remove(at: index))
                return
            }
            // "10 then", "the black ones", "what colors" right after a stock answer: about the same product.
            let aboutFocus =
                !entities.options.isEmpty || entities.bareNumber != nil || !entities.namedOptions.isEmpty
                || entities.locationID != nil || entities.allLocations
            if state.lastTopic == .checkAvailability, state.focus != nil, aboutFocus, entities.productIDs.isEmpty {
                try startAvailability()
                return
            }
            let namesOrder =
                entities.orderNumber != nil || entities.ordinal != nil
                || !entities.productIDs.isEmpty || entities.brand != nil || entities.kind != nil
            if state.lastTopic == .orderStatus, namesOrder, !cues.contains(.placeOrder), !cues.contains(.checkAvailability) {
                try startStatus()
                return
            }
            if state.lastTopic == .returnItem, namesOrder {
                try startReturn()
                return
            }
        }

        // Not understood while a question is open: ask it again and keep the conversation where it was.
        let unclear =
            (intent == .outOfScope && interpretation.confidence < Self.guess)
            || (!Self.coreIntents.contains(intent) && interpretation.confidence < configuration.clarifyBelow)
            || (flow != nil && [.affirm, .deny].contains(intent))
            // A weak guess at another task with no keyword for it ("gibberish words here") is not a topic change.
            || (flow != nil && Self.coreIntents.contains(intent) && intent != flow?.intent && interpretation.confidence < Self.weak
                && cues.isEmpty && entities.isEmpty)
            // A word or two that is no answer ("banana") at a slot question is a miss, not a request.
            || (intent == .outOfScope && expecting != nil && expecting != .confirmation && !cues.contains(.outOfScope)
                && interpretation.redactedText.split(separator: " ").count <= 2)
        if unclear, flow != nil || pending != nil, let question = state.lastQuestion {
            state.pending = pending
            askAgain(question, expecting: expecting)
            return
        }

        if Self.coreIntents.contains(intent), interpretation.confidence < configuration.clarifyBelow,
            let alternative = interpretation.alternative, Self.coreIntents.contains(alternative), alternative != intent
        {
            if entities.orderNumber != nil {
                intent = [intent, alternative].contains(.returnItem) ? .returnItem : .orderStatus
            } else {
                misunderstood = true
                ask("Sorry — did you want to \(intent.task) or \(alternative.task)?", expecting: .choice)
                return
            }
        }

        let dropsIt = [" forget ", " never mind ", " nevermind ", " scratch that ", " cancel that ", " drop it "]
            .contains { " \(interpretation.redactedText) ".contains($0) }
        // A conversation half done is set aside to answer the new request, and offered again afterwards.
        if Self.coreIntents.contains(intent), let flow, flow.intent != intent, !dropsIt {
            switch flow {
            case .order(let draft) where draft.product != nil && draft.orderNumber == nil: state.setAside(flow)
            case .returns(let draft) where draft.line != nil: state.setAside(flow)
            default: break
            }
        }

        if Self.coreIntents.contains(intent) { state.lastTopic = intent }
        switch intent {
        case .checkAvailability: try startAvailability()
        case .placeOrder: try startOrder()
        case .orderStatus: try startStatus()
        case .returnItem: try startReturn()
        case .greet where flow != nil || (pending != nil && pending != .anythingElse):
            // A "hi" in the middle of a conversation: greet back and carry on where we were.
            state.pending = pending
            state.expecting = expecting
            say("Hi again!")
            if let question = state.lastQuestion { say(question) }
        case .greet:
            let name = state.customer.map { ", \($0.firstName)" } ?? ""
            say(
                "Hi\(name)! Thanks for calling \(configuration.storeName). I can check stock, place an order, track an order or start a return. How can I help?"
            )
        case .thanks:
            say("You're welcome!")
            offerMoreHelp()
        case .affirm, .deny:
            if intent == .affirm {
                say("Great. What can I help you with?")
            } else {
                say("Okay.")
                offerMoreHelp()
            }
        case .inform:
            let aboutFocus =
                state.focus != nil
                && (!entities.options.isEmpty || entities.locationID != nil || entities.allLocations || entities.refersToFocus
                    || entities.bareNumber != nil)
            if !entities.productIDs.isEmpty || entities.brand != nil || entities.kind != nil || aboutFocus
                || entities.unknownProductPhrase != nil
            {
                try startAvailability()
            } else if entities.orderNumber != nil {
                try startStatus()
            } else {
                notUnderstood("Sorry, I didn't catch what you're looking for. I can check stock, place an order, track an order or start a return.")
            }
        case .outOfScope
        where (!entities.productIDs.isEmpty || entities.kind != nil || entities.brand != nil) && interpretation.confidence < Self.decisive
            && !cues.contains(.outOfScope):
            // "I need some hiking pants, the Prana Zions", "what kind of helmets do you have": naming what we sell is asking
            // about it.
            interpretation.intent = .checkAvailability
            try startAvailability()
        case .outOfScope where text.contains(" cancel") && text.contains(" order"):
            offerPerson("I can't cancel or change an order myself, but a team member can do it for you right away. Would you like me to connect you?")
        case .outOfScope where asksReturnPolicy:
            sayReturnPolicy()
        case .outOfScope where flow != nil && state.lastQuestion != nil:
            // A passing question in the middle of a conversation: say so, then carry on where we were.
            state.pending = pending
            state.expecting = expecting
            say("I'm sorry, I can't help with that here.")
            say(state.lastQuestion!)
        case .outOfScope:
            if interpretation.redactedText.isEmpty {
                notUnderstood("Sorry, I didn't catch that. Could you say it again?", expecting: expecting)
            } else {
                offerPerson(
                    "I'm sorry, I can't help with that here. I can check stock, place an order, track an order or start a return — or I can connect you with a team member. Would you like that?"
                )
            }
        case .humanAgent, .goodbye, .cancel:
            break
        }
    }

    /// Whether the answer to a yes/no question is a no that names nothing but what was offered: the order set aside, the
    /// store offered.
    /// Whether every value said is what the return as read back already has.
    private func restates(_ draft: ReturnDraft) -> Bool {
        let said = interpretation.entities
        return (said.refundMethod.map { $0 == draft.refundMethod } ?? true)
            && said.productIDs.allSatisfy { $0 == draft.line?.productID } && said.options.isEmpty
            && (said.quantity.map { $0 == (draft.quantity ?? draft.line?.quantity) } ?? true)
            && (said.orderNumber.map { $0 == draft.order?.number } ?? true) && said.locationID == nil && said.fulfillment == nil
    }

    /// A stock question about a product the order doesn't have, or about a line of it with other options.
    private func asksAboutSomethingElse(than draft: OrderDraft) -> Bool {
        guard let ordering = draft.product, interpretation.acts.contains(where: { $0.kind == .request }),
            let named = interpretation.entities.productIDs.first
        else { return false }
        let lines = [(ordering.id, draft.options)] + draft.cart.map { ($0.product.id, $0.options) }
        let onOrder = lines.filter { $0.0 == named }.map(\.1)
        if onOrder.isEmpty { return interpretation.intent == .checkAvailability }
        let options = interpretation.entities.options
        return asksAboutStock && !options.isEmpty && onOrder.allSatisfy { line in options.contains { line[$0.key] != $0.value } }
    }

    private func declinesOffer(_ pending: PendingQuestion) -> Bool {
        let acts = interpretation.acts
        guard acts.contains(where: { [.deny, .cancel].contains($0.kind) }), !acts.contains(where: { [.affirm, .question].contains($0.kind) })
        else { return false }
        let entities = interpretation.entities
        let namesNoValue = entities.options.isEmpty && entities.quantity == nil && entities.fulfillment == nil
        switch pending {
        case .resume: return namesNoValue
        case .pickupElsewhere(let offered): return namesNoValue && entities.productIDs.isEmpty && [nil, offered].contains(entities.locationID)
        default: return false
        }
    }

    /// Whether the entities say something the flow under way uses.
    private func isRelevant(_ entities: Entities, to flow: Flow) -> Bool {
        switch flow {
        case .order:
            !entities.options.isEmpty || entities.quantity != nil || entities.bareNumber != nil || entities.fulfillment != nil
                || entities.locationID != nil || entities.cardNumber != nil || !entities.namedOptions.isEmpty
                || (asked == .product && namesProduct(entities))
        case .availability:
            !entities.options.isEmpty || entities.locationID != nil || entities.allLocations || entities.bareNumber != nil
                || (asked == .product && namesProduct(entities))
        case .status:
            entities.orderNumber != nil || entities.ordinal != nil || !entities.productIDs.isEmpty || entities.brand != nil
                || entities.kind != nil
        case .returns(let draft):
            entities.orderNumber != nil || (entities.ordinal != nil && draft.line == nil) || entities.returnReason != nil
                || entities.refundMethod != nil || namesReturnItem(entities, draft)
                || entities.quantity != nil || entities.bareNumber != nil
        }
    }

    /// Whether a product named during a return is about it: any item while the item is still being chosen, the
    /// chosen item's own product afterwards ("do you have the hoodie in medium?" mid-return is another question).
    private func namesReturnItem(_ entities: Entities, _ draft: ReturnDraft) -> Bool {
        guard let line = draft.line else { return !entities.productIDs.isEmpty || entities.kind != nil }
        guard let product = products[line.productID] else { return false }
        return entities.productIDs.contains(product.id) || (entities.productIDs.isEmpty && entities.kind.map { matches(kind: $0, product) } == true)
    }

    /// Whether the utterance names something to buy, known to the catalog or not (an answer to "which product?").
    private func namesProduct(_ entities: Entities) -> Bool {
        !entities.productIDs.isEmpty || entities.brand != nil || entities.kind != nil
            || entities.unknownProductPhrase != nil || entities.unmatchedModel != nil
    }

    private mutating func continueFlow(_ flow: Flow) throws {
        switch flow {
        case .availability: try continueAvailability()
        case .order: try continueOrder()
        case .status: try continueStatus()
        case .returns: try continueReturn()
        }
    }

    /// Closes a finished conversation: offers the order set aside, or asks whether there is anything else.
    mutating func offerMoreHelp() {
        if state.flow == nil, let latest = state.setAside.last {
            switch latest {
            case .order(let draft):
                // A cart by its products ("the Adidas Samba OG and the Carhartt Knit Cuffed Beanie"); one item as chosen so far.
                let what =
                    draft.cart.isEmpty
                    ? draft.product.map { Speech.describe($0, options: draft.options) } ?? "items"
                    : Speech.list((draft.cart.map(\.product) + [draft.product].compactMap { $0 }).map(\.theName))
                confirm("Shall we get back to your order of \(what)?", .resume)
            case .returns(let draft):
                let what = draft.line.flatMap { products[$0.productID] }.map { " of \($0.theName)" } ?? ""
                confirm("Shall we get back to your return\(what)?", .resume)
            case .availability, .status:
                confirm("Shall we get back to what we were doing?", .resume)
            }
        } else {
            // An open question rather than a yes/no one: "no" ends the call, anything else starts a new topic.
            let question = "Is there anything else I can help with?"
            say(question)
            hints = ["no thanks", "check stock", "place an order", "where's my order", "start a return"]
            state.pending = .anythingElse
            state.lastQuestion = question
        }
    }

    /// Cancels the POS order of the order under way (or set aside) if it was created but never paid.
    mutating func releaseUnpaidOrder() throws {
        _ = try cancelUnpaidOrderUnderWay()
        for suspended in state.ordersSetAside { _ = try cancelIfUnpaid(suspended) }
    }

    /// The caller doesn't want the order after all: nothing placed (an unpaid one cancelled), nothing held.
    mutating func dropOrder() throws {
        try releaseUnpaidOrder()
        state.flow = nil
        say("Okay, I won't place the order.")
        offerMoreHelp()
    }

    /// Cancels the order under way when the POS holds it and nothing has (or may have) paid for it.
    ///
    /// - Returns: whether one was cancelled.
    mutating func cancelUnpaidOrderUnderWay() throws -> Bool {
        try releaseHolds()
        guard case .order(let draft) = state.flow else { return false }
        return try cancelIfUnpaid(draft)
    }

    /// Cancels the draft's POS order unless a charge went through (or may have): a person settles those. One the
    /// POS cannot cancel now is remembered, and tried again when the call ends.
    private mutating func cancelIfUnpaid(_ draft: OrderDraft) throws -> Bool {
        guard let number = draft.orderNumber, !draft.paid, !draft.paymentUncertain else { return false }
        do {
            _ = try pos.cancelOrder(number: number)
            return true
        } catch is POSError {}
        state.ordersToCancel.append(number)
        return false
    }

    /// Whether the order under way has a charge that went through, or may have.
    var moneyInFlight: Bool {
        if case .order(let draft) = state.flow, draft.paid || draft.paymentUncertain { return true }
        return false
    }

    /// Dropping an order with money in flight is for a person: offers one and keeps the order.
    mutating func keepPaidOrder() -> Bool {
        guard moneyInFlight else { return false }
        offerPerson(
            "Your payment for this order has gone through, or may have, so I can't drop it here. Would you like me to connect you with a team member who can sort it out?"
        )
        return true
    }

    mutating func endCall() {
        action = .end
        state.flow = nil
        say("Thanks for calling \(configuration.storeName). Goodbye!")
    }

    /// Takes up a conversation that was set aside where it stood.
    private mutating func resume(_ flow: Flow) throws {
        state.flow = flow
        try continueFlow(flow)
    }

    mutating func accept(_ pending: PendingQuestion) throws {
        // The one place a yes is acted on: an order is placed or a card charged only on a plain yes.
        guard !pending.movesMoney || plainYesToMoney else {
            state.pending = pending
            state.expecting = .confirmation
            say("Sorry — just to be sure, I need a clear yes or no.")
            if let question = state.lastQuestion { say(question) }
            return
        }
        switch pending {
        case .placeOrder: try askForPayment()
        case .charge(let card): try charge(card)
        case .tryAnotherCard: ask("Okay — please read me the card number.", expecting: .cardNumber)
        case .pickupElsewhere(let locationID):
            if case .order(var draft) = state.flow {
                draft.locationID = locationID
                draft.sourceLocationID = nil
                state.flow = .order(draft)
            }
            try continueOrder()
        case .sendFrom(let locationID):
            if case .order(var draft) = state.flow {
                draft.sourceLocationID = locationID
                state.flow = .order(draft)
            }
            try continueOrder()
        case .shipInstead:
            if case .order(var draft) = state.flow {
                draft.fulfillment = .shipping
                state.flow = .order(draft)
            }
            try continueOrder()
        case .takeAvailable(let sku, let quantity, let locationID):
            takeAvailable(sku: sku, quantity: quantity, at: locationID)
            try continueOrder()
        case .offerOrder:
            try startOrder()
        case .tryInstead(let productID):
            guard let product = products[productID] else { return }
            switch state.flow {
            case .order(var draft):
                draft.product = product
                draft.candidates = []
                state.flow = .order(draft)
                try continueOrder()
            default:
                var draft = AvailabilityDraft()
                draft.product = product
                state.flow = .availability(draft)
                try continueAvailability()
            }
        case .startReturn: try submitReturn()
        case .transfer:
            transfer("Okay — I'm connecting you with a team member now.", reason: "Assistant offered a person and the caller accepted.")
        case .callback:
            guard let phone = callbackNumber else { break }
            let ending = arrangeCallback(
                to: phone, reason: "The POS could not take the order; the caller asked to be called back to finish it.")
            say(
                "Okay — a team member will call you back at the number ending in \(ending) to finish your order. Thanks for calling \(configuration.storeName)!"
            )
            action = .end
        case .anythingElse:
            say("Sure — what can I help you with?")
        case .resume:
            guard let latest = state.setAside.popLast() else { return offerMoreHelp() }
            try resume(latest)
        }
    }

    mutating func decline(_ pending: PendingQuestion) throws {
        switch pending {
        case .placeOrder:
            if case .order(var draft) = state.flow {
                draft.declinedAsIs = true
                state.flow = .order(draft)
            }
            let parts = changeableOptions.map { "the \($0)" } + ["how you get it"]
            ask("No problem. What would you like to change — \(Speech.list(parts, conjunction: "or"))? Or I can leave it there.", expecting: .choice)
        case .charge:
            ask("Okay. Which card would you like to use instead? Please read me the card number.", expecting: .cardNumber)
        case .tryAnotherCard:
            try releaseUnpaidOrder()
            state.flow = nil
            say("Okay, I haven't charged anything, and I've cancelled the order.")
            offerMoreHelp()
        case .pickupElsewhere(let other):
            offerTransfer(instead: other)
        case .takeAvailable, .sendFrom:
            ask("No problem. Would you like it shipped to you instead\(otherChoice(lead: ", or "))?", expecting: .choice)
        case .shipInstead:
            guard !changeableOptions.isEmpty else {
                try dropOrder()
                return
            }
            ask("No problem. Would you like\(otherChoice(lead: " ")) instead?", expecting: .choice)
        case .transfer(let resume?):
            // Declining a person mid-flow goes back to where the conversation was.
            say("Okay. \(resume.question)")
            state.pending = resume.pending
            state.expecting = resume.expecting
            state.lastQuestion = resume.question
        case .callback:
            confirm("No problem. Would you like me to connect you with a team member now instead?", .transfer(resume: nil))
        case .transfer where moneyInFlight:
            // Money went through (or may have) on an order nobody has confirmed: the store settles it, not silence.
            guard case .order(let draft) = state.flow, let number = draft.orderNumber, let phone = callbackNumber else { fallthrough }
            let ending = arrangeCallback(to: phone, reason: "The caller declined a person; the store must settle order \(number).")
            say(
                "Okay. A team member will check order \(number) and call you at the number ending in \(ending) if anything's needed — you won't be charged twice."
            )
            offerMoreHelp()
        case .offerOrder, .transfer, .tryInstead:
            // An order the POS already holds, unpaid, is not left behind when the caller moves on.
            let cancelled = try cancelUnpaidOrderUnderWay()
            state.flow = nil
            say(cancelled ? "Okay. I haven't charged anything, and I've cancelled that order." : "Okay.")
            offerMoreHelp()
        case .startReturn:
            state.flow = nil
            say("Okay, I won't start the return.")
            offerMoreHelp()
        case .anythingElse:
            endCall()
        case .resume:
            switch state.setAside.popLast() {
            case .order(let draft)?:
                _ = try cancelIfUnpaid(draft)
                say("Okay, I've dropped that order.")
            default:
                say("Okay, I won't start that return.")
            }
            offerMoreHelp()
        }
    }

    /// The options the caller could change on the order under way, in asking order: only those with more than one value
    /// ("size", "color"; nothing for a mug that comes one way).
    var changeableOptions: [String] {
        guard case .order(let draft) = state.flow else { return [] }
        var names: [String] = []
        for product in draft.cart.map(\.product) + [draft.product].compactMap({ $0 }) {
            for name in Speech.orderedOptions(product) where product.values(of: name).count > 1 && !names.contains(name) {
                names.append(name)
            }
        }
        return names
    }

    /// "a different size or color", led by `lead`; nothing when the order has no choice to change.
    func otherChoice(lead: String) -> String {
        changeableOptions.isEmpty ? "" : "\(lead)a different \(changeableOptions.joined(separator: " or "))"
    }

    /// The slots of the flow under way, for the reply.
    var currentSlots: [String: String] {
        var slots: [String: String] = [:]
        switch state.flow {
        case .availability(let draft):
            if let product = draft.product { slots["product"] = product.id }
            // While the product is being chosen, what was said about it ("the Ons in a 10") is kept for it.
            slots.merge(draft.itemRequest?.options ?? [:]) { $1 }
            slots.merge(draft.options) { $1 }
            if let id = draft.locationID { slots["location"] = id }
        case .order(let draft):
            if let product = draft.product { slots["product"] = product.id }
            slots.merge(draft.itemRequest?.options ?? [:]) { $1 }
            slots.merge(draft.options) { $1 }
            if let product = draft.product, let variant = product.variants.first(where: { $0.options == draft.options }) {
                slots["sku"] = variant.sku
            }
            slots["quantity"] = String(draft.quantity)
            if let fulfillment = draft.fulfillment { slots["fulfillment"] = fulfillment.rawValue }
            if let id = draft.locationID { slots["location"] = id }
            if let number = draft.orderNumber { slots["order_number"] = number }
        case .returns(let draft):
            if let order = draft.order { slots["order_number"] = order.number }
            if let line = draft.line { slots["sku"] = line.sku; slots["product"] = line.productID }
            if let reason = draft.reason { slots["reason"] = reason }
            if let quantity = draft.quantity { slots["quantity"] = String(quantity) }
            slots["refund_method"] = draft.refundMethod.rawValue
        case .status, nil:
            break
        }
        return slots
    }
}

extension PendingQuestion {
    var isTryInstead: Bool {
        if case .tryInstead = self { true } else { false }
    }
}

extension Flow {
    var isOrder: Bool {
        if case .order = self { true } else { false }
    }

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
