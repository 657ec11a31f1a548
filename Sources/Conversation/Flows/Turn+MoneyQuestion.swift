import Commerce
import Foundation
import RetailModel
import Understanding

/// The answer to "Shall I place the order?" or "Shall I charge …?": money moves only on a plain yes.
extension Turn {
    /// Takes the answer to a money question as `MoneyAnswer` reads it.
    ///
    /// - Returns: false when the usual routing is to handle it (a correction, a new request, a repair); the
    ///   answer is then never taken as a yes.
    mutating func answerMoneyQuestion(_ pending: PendingQuestion, expecting: ExpectedSlot?) throws -> Bool {
        var answer = MoneyAnswer(interpretation.acts, restatesDraft: restatesDraft(pending))
        // "Yeah, one thirty is fine" to $130 plus tax, $141.54: a yes to a figure that is not what will be charged.
        let agreesToPart = answer == .proceed && namesPartOfTotal
        if agreesToPart { answer = .hesitate }
        plainYesToMoney = answer == .proceed
        switch answer {
        case .proceed:
            if interpretation.acts.contains(where: { $0.topic == .receipt }) { say(Self.receiptAnswer) }
            interpretation.intent = .affirm
            try accept(pending)
        case .decline:
            interpretation.intent = .deny
            try decline(pending)
        case .wait:
            keepOpen(pending, expecting: expecting)
            say("Sure, take your time — \(nothingMoved(pending)). Just say yes when you're ready, or tell me what to change.")
        case .question(let topic):
            answerQuestion(topic, about: pending, expecting: expecting)
        case .hesitate:
            keepOpen(pending, expecting: expecting)
            // "Yes if it's under sixty": the figure the condition is about, so the caller can decide.
            let namesFigure = interpretation.acts.contains { $0.kind == .condition && $0.words.contains { $0.first?.isNumber == true } }
            let quoted: Quote? = if case .order(let draft) = state.flow { quote(for: draft)?.quote } else { nil }
            // Words the transcript marks as unclear ("[inaudible] yes") are no answer to be sure of.
            let heardBadly =
                interpretation.acts.contains { $0.kind == .unclear } && !interpretation.acts.contains { [.hedge, .condition].contains($0.kind) }
            if agreesToPart, let quoted {
                say(
                    "Just so you know, that's \(quoted.subtotal) before tax — \(quoted.total) in total. \(nothingMoved(pending).capitalizedFirst) yet."
                )
            } else if heardBadly {
                say("Sorry, I didn't catch that clearly — \(nothingMoved(pending)).")
            } else {
                if namesFigure, let quoted { say("It comes to \(quoted.total) in total.") }
                say("No problem — \(nothingMoved(pending)), and I won't until you say yes.")
            }
            if let question = state.lastQuestion { say(Self.lastSentence(of: question)) }
        case .other:
            // "Yes, the 95s" with nothing there to change to: no yes to what was read back, and nothing else to do.
            let entities = interpretation.entities
            // "Ok, back to my order": where we were, asked again.
            let goesBack = interpretation.acts.contains { $0.kind == .request && $0.entities.isEmpty && $0.topic == nil }
            let saysNothingElse = interpretation.acts.allSatisfy {
                [.affirm, .inform, .thanks, .unclear].contains($0.kind) || ($0.kind == .request && $0.entities.isEmpty && $0.topic == nil)
            }
            if saysNothingElse, entities.isEmpty, entities.unknownProductPhrase == nil, entities.unmatchedModel == nil,
                interpretation.acts.contains(where: { $0.kind != .request }) || goesBack
            {
                keepOpen(pending, expecting: expecting)
                say(goesBack ? "Sure." : "Sorry — just to be sure, I need a clear yes or no.")
                if let question = state.lastQuestion { say(question) }
                return true
            }
            // Never a yes: "yes, but the white ones" is the correction, "yes, cancel it" the cancellation.
            if interpretation.intent == .affirm { interpretation.intent = .inform }
            interpretation.cues.remove(.affirm)
            // "No, I said medium, not large": a no with a value is the value.
            if let correction = interpretation.acts.last(where: { $0.kind == .correction }), !correction.entities.options.isEmpty {
                if interpretation.intent == .deny { interpretation.intent = .inform }
                interpretation.cues.remove(.deny)
                interpretation.entities.options = correction.entities.options
            }
            return false
        }
        return true
    }

    private mutating func keepOpen(_ pending: PendingQuestion, expecting: ExpectedSlot?) {
        state.pending = pending
        state.expecting = expecting ?? .confirmation
        hints = ["yes", "no"]
    }

    private func nothingMoved(_ pending: PendingQuestion) -> String {
        if case .charge = pending { return "nothing's been charged" }
        return "I haven't placed anything"
    }

    /// What this line can do about a receipt: never promise an email or a text it cannot send.
    static let receiptAnswer = "I can't send emails or texts from this line, but I'll read you the confirmation number once it's placed."

    /// Answers a question about the order on the table, then asks the money question again.
    private mutating func answerQuestion(_ topic: DialogueAct.Topic, about pending: PendingQuestion, expecting: ExpectedSlot?) {
        guard case .order(let draft) = state.flow, let priced = quote(for: draft), let product = draft.product else {
            keepOpen(pending, expecting: expecting)
            if let question = state.lastQuestion { say(question) }
            return
        }
        let store = Speech.store(priced.location)
        switch topic {
        case .payment:
            if case .charge(let card) = pending {
                say("It's the \(card.brand) ending in \(card.last4) — I only keep the last four digits.")
            } else if answerStoreQuestion(pending: pending, expecting: .confirmation) {
                return
            } else if let card = draft.card ?? state.customer?.cardOnFile, pos.capabilities.takesCardPayments {
                say("I'll ask before charging anything: your \(card.brand) ending in \(card.last4), or another card if you prefer.")
            } else {
                say("I'll ask how you'd like to pay next — nothing is charged until you say yes.")
            }
        case .stock:
            let it = Speech.pronoun(product, quantity: draft.quantity)
            let subject = it == "them" ? "they're" : "it's"
            let what = Speech.describe(product, options: draft.options)
            if draft.fulfillment == .shipping {
                say("Yes — \(subject) in stock: \(what). I've set \(it) aside for you while we finish.")
            } else {
                say("Yes — \(subject) in stock at \(store): \(what). I've set \(it) aside for you while we finish.")
            }
        case .readiness:
            if draft.fulfillment == .shipping {
                say("It ships once the order is placed, and you'll get a tracking number when it leaves.")
            } else if draft.sourceLocationID != nil {
                say("It will be ready for pickup at \(store) in \(Speech.aboutDays(priced.location.transferDays)), once it arrives.")
            } else {
                let hours = priced.location.pickupReadyHours
                let when = hours <= 0 ? "right away" : hours == 1 ? "about an hour" : "about \(hours) hours"
                say("It will be ready for pickup at \(store) \(hours <= 0 ? when : "\(when) after you order").")
            }
        case .place:
            let address = priced.location.address
            say(address.isEmpty ? "It's \(store)." : "\(store.capitalizedFirst) is at \(address).")
        case .price:
            say("It's \(Speech.cost(priced.quote)).")
        case .receipt:
            say(Self.receiptAnswer)
        case .other:
            if answerStoreQuestion(pending: pending, expecting: .confirmation) { return }
            say("I'm not sure about that one, I'm afraid.")
        }
        keepOpen(pending, expecting: expecting)
        if let question = state.lastQuestion { say(Self.lastSentence(of: question)) }
    }

    /// Whether a figure said is the price before tax, or the tax, and not the total, with no word of the rest.
    private var namesPartOfTotal: Bool {
        guard case .order(let draft) = state.flow, let quote = quote(for: draft)?.quote else { return false }
        let words = interpretation.redactedText.split(separator: " ").map(String.init)
        if words.contains(where: { ["tax", "plus", "total", "all"].contains($0) }) { return false }
        let parts = [quote.subtotal, quote.tax].filter { $0 != quote.total }.map(\.minorUnits)
        // "One thirty" is heard as "1 30": a price said in two parts.
        let joined = zip(words, words.dropFirst()).filter { Int($0) != nil && Int($1) != nil && $1.count == 2 }.map { $0 + $1 }
        return (words + joined).contains { word in
            guard let value = Double(word) else { return false }
            return parts.contains(Int((value * 100).rounded())) && Int((value * 100).rounded()) != quote.total.minorUnits
        }
    }

    /// Words that end what a verb says and start the next clause ("the one I always use, so go ahead").
    private static let clauseLinks: Set<String> = ["so", "and", "but", "then", "anyway", "now", "please", "too", "as", "because"]

    /// Whether the values said beside a yes ("yes, size ten, the black ones", "yes, the visa") are what is on the table.
    private func restatesDraft(_ pending: PendingQuestion) -> Bool {
        guard case .order(let draft) = state.flow else { return true }
        // The figures just read back: the total, subtotal and tax for the order; only the total for the charge.
        let atCharge = if case .charge = pending { true } else { false }
        let quoted = quote(for: draft).map { atCharge ? [$0.quote.total] : [$0.quote.total, $0.quote.subtotal, $0.quote.tax] } ?? []
        let figures = quoted.map { String(describing: $0).filter(\.isNumber) }
        let card: CardToken? = if case .charge(let card) = pending { card } else { draft.card ?? state.customer?.cardOnFile }
        let chosen = [draft.options] + draft.cart.map(\.options)
        // "The Air Max 90s": numbers in the names of what is ordered.
        let ordered = [draft.product].compactMap { $0 } + draft.cart.map(\.product)
        let modelNumbers = Set(ordered.flatMap { "\($0.brand) \($0.name)".lowercased().split(separator: " ").map(String.init) })
        /// A number said with a yes: the size, the quantity, the total, the card's last four or part of a product's name.
        func known(_ number: String) -> Bool {
            number == card?.last4 || figures.contains { $0.contains(number.filter(\.isNumber)) } || number == String(draft.quantity)
                || draft.cart.contains { String($0.quantity) == number }
                || chosen.contains { $0.values.contains(number) } || modelNumbers.contains(number)
        }
        // "Yes, two cream mugs and a sand bowl": each item named must be a line of the order as it stands.
        let items = interpretation.entities.items
        if items.count >= 2 {
            var lines = draft.cart.map { ($0.product, $0.options, $0.quantity) }
            if let product = draft.product { lines.append((product, draft.options, draft.quantity)) }
            let restated = items.allSatisfy { item in
                lines.contains { product, options, quantity in
                    names(item, product) && item.options.allSatisfy { options[$0.key] == $0.value } && (item.quantity ?? 1) == quantity
                }
            }
            if !restated { return false }
        }
        for said in interpretation.acts.filter({ [.inform, .question].contains($0.kind) }).map(\.entities) where items.count < 2 {
            for (name, value) in said.options where !chosen.contains(where: { $0[name] == value }) { return false }
            if let quantity = said.quantity, quantity != draft.quantity { return false }
            if let fulfillment = said.fulfillment, fulfillment != (draft.fulfillment ?? .pickup) { return false }
            if let id = said.locationID, id != draft.locationID { return false }
            if !said.productIDs.isEmpty, let product = draft.product,
                !said.productIDs.contains(product.id), !draft.cart.contains(where: { said.productIDs.contains($0.product.id) })
            {
                return false
            }
            if let number = said.bareNumber ?? said.orderNumber, !known(number) { return false }
            if said.refersToOther { return false }
        }
        // "Yes, the Amex" when the card is a Visa, "yes, ending 4343": not the card on the table.
        let brands = ["visa", "mastercard", "amex", "american", "discover", "debit"]
        // Every word said, chatter included: "yes, for 114.54" names a figure that is not on the table.
        let words = interpretation.redactedText.split(separator: " ").map(String.init)
        // "Yes, charge the hundred and thirty", "yes, the air max 95s": a number said with a yes must be one on the table.
        let numbers = words.map { $0.hasSuffix("s") ? String($0.dropLast()) : $0 }.filter { $0.contains(where: \.isNumber) && Double($0) != nil }
        if numbers.contains(where: { !known($0) }) { return false }
        if let card {
            if words.contains(where: { brands.contains($0) && !card.brand.lowercased().hasPrefix($0) }) { return false }
            // "Charge it to my paypal", "put it on my account": what it is to be paid with must be the card on the table.
            let pointers: Set<String> = ["to", "on", "with", "use", "using"]
            let determiners: Set<String> = ["my", "the", "that", "this", "your", "a", "same", "usual"]
            let fine: Set<String> = ["card", "file", "it", "that", "one", "me", "there", "this", "same", "usual"]
            let payVerbs: Set<String> = ["charge", "put", "pay", "bill", "use", "using", "run"]
            // The pointer belongs to the verb: "charge it to …", "put it on …", "pay with …", "use …".
            for (index, word) in words.enumerated()
            where pointers.contains(word) && words[max(0, index - 2)...index].contains(where: payVerbs.contains) {
                guard let object = words.dropFirst(index + 1).first(where: { !determiners.contains($0) }),
                    !Self.clauseLinks.contains(object)
                else { continue }
                if object.count == 4, object.allSatisfy(\.isNumber) { continue }
                if !fine.contains(object), !brands.contains(object), !card.brand.lowercased().hasPrefix(object), !pointers.contains(object) {
                    return false
                }
            }
            // "My husband's card", "the work card": a card qualified as another one.
            let plain: Set<String> = [
                "my", "the", "that", "this", "same", "your", "a", "on", "file", "saved", "usual", "credit", "it", "to", "charge", "put",
                "use", "with", "and", "yes", "yeah", "ok", "okay", "sure", "please", "go", "ahead", "one", "is", "fine", "card", "right",
                "correct", "normal", "regular", "default",
            ]
            for (index, word) in words.enumerated() where word == "card" && index > 0 {
                let before = words[index - 1]
                if !plain.contains(before), !brands.contains(before), !card.brand.lowercased().hasPrefix(before), before != card.last4 {
                    return false
                }
            }
            if words.contains(where: { $0.count == 4 && $0.allSatisfy(\.isNumber) && !known($0) }) { return false }
        }
        return true
    }
}
