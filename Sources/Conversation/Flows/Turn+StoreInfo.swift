import Commerce
import RetailModel
import Understanding

/// Questions the catalog and the store list answer directly: prices, opening hours, addresses.
extension Turn {
    private static let priceWords = [" how much ", " price ", " prices ", " cost ", " costs ", " pricey "]
    private static let hoursWords = [" open ", " close ", " closing ", " hours ", " what time "]
    private static let addressWords = [" where is the ", " where is your ", " address ", " located ", " where are you "]
    private static let paymentWords = [
        " how do i pay ", " how can i pay ", " how would i pay ", " how do i pay for ", " ways to pay ", " payment options ",
    ]

    /// Answers a price, opening-hours or address question, keeping any open question open.
    ///
    /// - Returns: false when the utterance is not such a question.
    mutating func answerStoreQuestion(pending: PendingQuestion?, expecting: ExpectedSlot?) -> Bool {
        let text = " \(interpretation.redactedText) "
        let entities = interpretation.entities
        // "Which store is that again?" in the middle of an order: the store it is for.
        if case .order(let draft) = state.flow, let chosen = location(draft.locationID), entities.locationID == nil,
            interpretation.acts.contains(where: { $0.kind == .question && $0.topic == .place })
        {
            say(chosen.address.isEmpty ? "That's \(Speech.store(chosen))." : "That's \(Speech.store(chosen)), at \(chosen.address).")
            carryOn(pending: pending, expecting: expecting)
            return true
        }
        let asksPrice = interpretation.acts.contains { $0.kind == .question && $0.topic == .price }
        if asksPrice || Self.priceWords.contains(where: text.contains) {
            return answerPrice(pending: pending, expecting: expecting)
        }
        if Self.paymentWords.contains(where: text.contains) {
            if pos.capabilities.takesCardPayments {
                say("When you order by phone, I can charge your card on file or a card you read to me; it's charged only once you say yes.")
            } else {
                say(
                    "You pay when you pick your order up, or, for a shipped order, the store contacts you with a secure way to pay — no card is taken over the phone."
                )
            }
            carryOn(pending: pending, expecting: expecting)
            return true
        }
        let asksHours = Self.hoursWords.contains(where: text.contains)
        let asksAddress = Self.addressWords.contains(where: text.contains)
        guard asksHours || asksAddress else { return false }
        let named = location(entities.locationID)
        guard named != nil || text.contains(" store") || text.contains(" you ") else { return false }
        let stores = named.map { [$0] } ?? Array(locations.filter { !$0.hours.isEmpty || !$0.address.isEmpty }.prefix(3))
        guard !stores.isEmpty else { return false }
        for store in stores {
            var facts: [String] = []
            if asksHours, !store.hours.isEmpty { facts.append("is open \(store.hours)") }
            if asksAddress, !store.address.isEmpty { facts.append("is at \(store.address)") }
            if !facts.isEmpty { say("\(Speech.store(store).capitalizedFirst) \(Speech.list(facts)).") }
        }
        carryOn(pending: pending, expecting: expecting)
        return true
    }

    private mutating func answerPrice(pending: PendingQuestion?, expecting: ExpectedSlot?) -> Bool {
        let entities = interpretation.entities
        // In an order being quoted, the price question is about the quote.
        if case .order(let draft) = state.flow, let product = draft.product, let variant = product.variants(matching: draft.options).first,
            let store = location(draft.locationID), entities.productIDs.isEmpty
        {
            let quote = Quote(lines: [(variant.price, draft.quantity)], at: store, currency: variant.price.currency)
            say("It's \(Speech.cost(quote)).")
            carryOn(pending: pending, expecting: expecting)
            return true
        }
        let named = entities.productIDs.count == 1 ? products[entities.productIDs[0]] : nil
        guard let product = named ?? state.focus?.product else { return false }
        // "How much are the red Air Max?": the options said now narrow the price, and are kept for an order.
        var options = state.focus?.product.id == product.id ? state.focus!.options : [:]
        for (name, value) in entities.options where product.values(of: name).contains(value) { options[name] = value }
        state.focus = ProductFocus(product: product, options: options, locationID: state.focus?.locationID)
        let chosen = product.variants(matching: options)
        let prices = Set((chosen.isEmpty ? product.variants : chosen).map(\.price))
        guard let low = prices.min(), let high = prices.max() else { return false }
        let price = low == high ? "\(low)" : "from \(low) to \(high), depending on the color and size"
        // "Before tax" only where tax is added to prices (not where they include VAT).
        let taxed = locations.contains { $0.taxRatePerMillion > 0 }
        say("\(product.theName.capitalizedFirst) is \(price)\(taxed ? ", before tax" : "").")
        if state.flow == nil { finishedSlots = ["product": product.id].merging(options) { $1 } }
        if state.flow == nil, pending == nil || pending == .offerOrder || pending == .anythingElse {
            let one = product.unit.map { "a \($0)" } ?? "one"
            confirm("Would you like to order \(one)?", .offerOrder)
        } else {
            carryOn(pending: pending, expecting: expecting)
        }
        return true
    }

    /// Keeps the question that was open before an aside, and asks it again.
    mutating func carryOn(pending: PendingQuestion?, expecting: ExpectedSlot?) {
        guard pending != nil || expecting != nil, let question = state.lastQuestion else {
            if state.flow == nil { offerMoreHelp() }
            return
        }
        state.pending = pending
        state.expecting = expecting
        // After talking about another product, say which one the open question is about.
        if case .order(let draft) = state.flow, let product = draft.product, !sentences.isEmpty,
            !sentences.joined().contains(product.name), !question.contains(product.name)
        {
            say("Back to \(product.theName): \(question.prefix(1).lowercased() + question.dropFirst())")
        } else {
            say(question)
        }
    }
}
