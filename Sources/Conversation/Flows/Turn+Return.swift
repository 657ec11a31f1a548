import Commerce
import Foundation
import RetailModel
import Understanding

/// "I need to return the shoes": the order and line → the store's policy → reason → confirm → create return.
extension Turn {
    mutating func startReturn() throws {
        if try answeredRefundQuestion() { return }
        // "What's your return policy?" asks about the policy, not to return the order last talked about.
        let entities = interpretation.entities
        if asksReturnPolicy, entities.productIDs.isEmpty, entities.orderNumber == nil, entities.kind == nil {
            sayReturnPolicy()
            return
        }
        guard pos.capabilities.takesReturns else {
            offerPerson("I can't start returns on this line, but a team member can. Would you like me to connect you?")
            return
        }
        state.flow = .returns(ReturnDraft())
        try continueReturn()
    }

    /// "Did I get my refund?": where the caller's last return stands, rather than a new return.
    private mutating func answeredRefundQuestion() throws -> Bool {
        let text = " \(interpretation.redactedText) "
        let asks = [" my refund", " been refunded", " refund yet", " refund status", " refund back"].contains(where: text.contains)
        guard asks, interpretation.entities.returnReason == nil, let customer = state.customer else { return false }
        let orders: [Order]
        do {
            orders = try pos.recentOrders(customerID: customer.id, limit: 10)
        } catch let error as POSError {
            apologize(for: error)
            return true
        }
        guard let returned = orders.first(where: { $0.status == .returned }) else {
            say("I don't see a return on your account yet.")
            offerMoreHelp()
            return true
        }
        say(
            "The return for \(Speech.orderName(returned, products: products)) is in progress; the refund goes out as soon as the items are back with us."
        )
        state.focusOrderNumber = returned.number
        offerMoreHelp()
        return true
    }

    var asksReturnPolicy: Bool {
        let text = " \(interpretation.redactedText) "
        return text.contains(" return policy") || text.contains(" returns policy")
    }

    mutating func sayReturnPolicy() {
        let refund = pos.capabilities.refundsToStoreCredit ? "your original payment method or store credit" : "your original payment method"
        say(
            "You can return items within \(configuration.returnPolicy.windowDays) days of delivery, for a refund to \(refund). Just tell me what you'd like to return."
        )
    }

    mutating func continueReturn() throws {
        guard case .returns(var draft) = state.flow else { return }
        let entities = interpretation.entities
        if let method = entities.refundMethod {
            if method == .storeCredit && !pos.capabilities.refundsToStoreCredit {
                say("Our store system can only refund to your original payment method, not as store credit.")
                draft.refundMethod = .originalPayment
            } else {
                draft.refundMethod = method
            }
        }

        do {
            // "The Air Max from Tuesday" when asked why: the caller is saying which item, not why — choose again.
            if asked == .reason, draft.reason == nil, let line = draft.line, !interpretation.entities.productIDs.isEmpty,
                !interpretation.entities.productIDs.contains(line.productID)
            {
                draft = ReturnDraft(refundMethod: draft.refundMethod)
                state.flow = .returns(draft)
            }
            if draft.line == nil {
                guard try chooseReturnLine(&draft) else { return }
            }
            if draft.reason == nil {
                if let reason = entities.returnReason {
                    draft.reason = reason
                } else if asked == .reason {
                    if [.deny, .cancel].contains(interpretation.intent) {
                        state.flow = nil
                        say("Okay, no return then.")
                        offerMoreHelp()
                        return
                    }
                    // The answer to "what's the reason?" in the caller's own words — if it says anything.
                    let words = interpretation.redactedText.split(separator: " ")
                    // "Yes" or "okay" is no reason: the question stays open.
                    let onlyYes = words.allSatisfy { Self.shortYes.contains(String($0)) }
                    if !onlyYes, words.count >= 2 || interpretation.intent == .inform {
                        draft.reason = String(interpretation.redactedText.prefix(120))
                    }
                }
            }
        } catch let error as POSError {
            apologize(for: error)
            return
        }
        state.flow = .returns(draft)
        guard let order = draft.order, let line = draft.line, let product = products[line.productID] else { return }
        if let kind = entities.kind, matches(kind: kind, product) {
            draft.noun = "the \(entities.kindWords ?? kind)"
        }
        if line.quantity > 1, draft.quantity == nil {
            let said = entities.quantity ?? entities.bareNumber.flatMap { Int($0) }
            if let said, said >= 1 {
                draft.quantity = min(said, line.quantity)
            } else if " \(interpretation.redactedText) ".contains(" all ") {
                draft.quantity = line.quantity
            }
        }
        state.flow = .returns(draft)
        if line.quantity > 1, draft.quantity == nil {
            ask(
                "Order \(order.number) has \(returning(line, quantity: nil)). How many would you like to return?",
                expecting: .quantity, hints: (1...line.quantity).map(String.init))
            return
        }
        guard draft.reason != nil else {
            ask(
                "I can help with that. What's the reason for returning \(draft.noun ?? Speech.itemNoun(product, quantity: line.quantity))?",
                expecting: .reason, hints: ["too small", "too big", "damaged", "changed my mind"])
            return
        }
        let refund = draft.refundMethod == .storeCredit ? "as store credit" : "to your original payment method"
        confirm(
            "I'll start a return for \(returning(line, quantity: draft.quantity)) from order \(order.number), refunded \(refund). Shall I go ahead?",
            .startReturn)
        hints = pos.capabilities.refundsToStoreCredit ? ["yes", "no", "store credit"] : ["yes", "no"]
    }

    /// Finds the order line to return; says why when it can't be returned.
    ///
    /// - Returns: true when a returnable line is chosen.
    private mutating func chooseReturnLine(_ draft: inout ReturnDraft) throws -> Bool {
        let entities = interpretation.entities
        var orders: [Order]
        if let number = entities.orderNumber {
            orders = [try pos.order(number: number)]
            if let customer = state.customer, orders[0].customerID != customer.id {
                ask(
                    "I can't find \(Speech.mayRepeat(orderNumber: number) ? "order \(number)" : "that order number") on your account. Could you check the number?",
                    expecting: .orderNumber)
                return false
            }
        } else if !draft.candidates.isEmpty {
            orders = []
        } else if let customer = state.customer {
            orders = try pos.recentOrders(customerID: customer.id, limit: 10)
        } else {
            ask("Sure — what's the order number?", expecting: .orderNumber)
            return false
        }

        var lines = draft.candidates.isEmpty ? orders.flatMap { order in order.lines.map { (order, $0) } } : draft.candidates
        let namesItem = !entities.productIDs.isEmpty || entities.brand != nil || entities.kind != nil
        if !namesItem, draft.candidates.isEmpty, entities.orderNumber == nil, let focused = state.focusOrderNumber,
            lines.contains(where: { $0.0.number == focused })
        {
            // "They're too big", right after talking about an order: that order, not another one.
            lines = lines.filter { $0.0.number == focused }
        }
        var named = namesItem || !entities.options.isEmpty ? lines.filter { matches(line: $0.1, entities) } : lines
        // "The pink bunny" when it is "blush": the item named, whatever its colour is called, when no line has the value.
        if named.isEmpty, namesItem { named = lines.filter { matches(line: $0.1, entities, byValues: false) } }
        if !draft.candidates.isEmpty, let picked = entities.ordinal?.pick(from: lines) {
            lines = [picked]
        } else if !named.isEmpty {
            lines = named
        } else if let what = entities.kindWords ?? entities.brand ?? entities.productIDs.first.flatMap({ products[$0]?.displayName }) {
            // Never take back something other than what the caller named.
            ask(
                "I don't see \(what.hasPrefix("the ") ? what : "the \(what)") on your recent orders. Which item would you like to return? You can also read me the order number.",
                expecting: .choice)
            return false
        } else if entities.orderNumber == nil, let focused = state.focusOrderNumber,
            lines.contains(where: { $0.0.number == focused })
        {
            lines = lines.filter { $0.0.number == focused }
        }
        if lines.isEmpty {
            state.flow = nil
            say("I don't see anything on your account that can be returned. If you have an order number, I can look it up.")
            return false
        }

        let policy = configuration.returnPolicy
        let eligible = lines.filter {
            if case .eligible = policy.eligibility(of: $0.0, now: now, calendar: calendar) { true } else { false }
        }
        // Asked which item, and told something that names none ("changed my mind"): the item is asked for again, never
        // chosen for the caller, even when only one can go back.
        let namesNothing = !namesItem && entities.options.isEmpty && entities.ordinal == nil && entities.orderNumber == nil
        if eligible.count > 1 || (eligible.count == 1 && asked == .choice && namesNothing && interpretation.intent != .affirm) {
            draft.candidates = eligible
            state.flow = .returns(draft)
            let names = eligible.prefix(3).map { products[$0.1.productID]?.theName ?? $0.1.title }
            ask("Which item would you like to return: \(Speech.list(names, conjunction: "or"))?", expecting: .choice, hints: names)
            return false
        }
        guard let chosen = eligible.first else {
            explainNotReturnable(lines.sorted { $0.0.placedAt > $1.0.placedAt }[0])
            return false
        }
        // A fresh read of the order before taking anything back.
        let order = try pos.order(number: chosen.0.number)
        guard case .eligible = policy.eligibility(of: order, now: now, calendar: calendar) else {
            explainNotReturnable((order, chosen.1))
            return false
        }
        draft.order = order
        draft.line = chosen.1
        // "Do you have them in black?" mid-return is about the item being returned.
        if let product = products[chosen.1.productID] { state.focus = ProductFocus(product: product, options: [:]) }
        draft.candidates = []
        return true
    }

    /// "the Adidas Samba OG in white, size 9", or "2 of the …" when part of a line goes back.
    private func returning(_ line: OrderLine, quantity: Int?) -> String {
        let item = Speech.describe(line, products: products)
        let count = quantity ?? line.quantity
        guard count > 1 || line.quantity > 1 else { return item }
        if let unit = products[line.productID]?.unit { return "\(count) \(unit)\(count == 1 ? "" : "s") of \(item)" }
        return "\(count) of \(item)"
    }

    private mutating func explainNotReturnable(_ item: (Order, OrderLine)) {
        let (order, line) = item
        // What the caller says next ("they just don't fit") is about this order, not another one.
        state.focusOrderNumber = order.number
        let name = products[line.productID]?.displayName ?? line.title
        let window = configuration.returnPolicy.windowDays
        state.flow = nil
        // Reported with the reply, so a front end (or the person the call may go to) sees which order it was.
        finishedSlots = ["order_number": order.number, "product": line.productID, "sku": line.sku]
        switch configuration.returnPolicy.eligibility(of: order, now: now, calendar: calendar) {
        case .outsideWindow(let days):
            confirm(
                "Your order \(order.number) with \(products[line.productID]?.theName ?? line.title) was delivered \(days) days ago, which is past our \(window)-day return window, so I can't start a return here. Would you like me to connect you with a team member who can take a look?",
                .transfer(resume: nil))
        case .notDelivered(let status):
            switch status {
            case .shipped:
                let eta = order.shipment?.estimatedDelivery.map { " It's due \(Speech.day($0, now: now, calendar: calendar))." } ?? ""
                say(
                    "Your \(name) order is still on its way, so it can't be returned yet.\(eta) Once it arrives you'll have \(window) days to return it."
                )
            case .cancelled:
                say("Your \(name) order was cancelled, so there's nothing to return and nothing was charged.")
            default:
                say(
                    "Your \(name) order hasn't been delivered yet, so it can't be returned. Once you have it, you'll have \(window) days to return it."
                )
            }
            offerMoreHelp()
        case .alreadyReturned:
            say("Your \(name) order has already been returned.")
            offerMoreHelp()
        case .eligible:
            break
        }
    }

    /// After "yes, go ahead": creates the return.
    mutating func submitReturn() throws {
        guard case .returns(let draft) = state.flow, let order = draft.order, let line = draft.line,
            let reason = draft.reason, let product = products[line.productID]
        else { return }
        do {
            _ = try pos.createReturn(
                ReturnRequest(
                    orderNumber: order.number, lines: [.init(sku: line.sku, quantity: draft.quantity ?? line.quantity)], reason: reason,
                    refundMethod: draft.refundMethod))
        } catch let error as POSError {
            apologize(for: error)
            return
        }
        finishedSlots = currentSlots
        state.flow = nil
        // The same return set aside earlier is this one: never offered again.
        state.setAside.removeAll { flow in
            guard case .returns(let other) = flow else { return false }
            return other.order?.number == order.number && other.line?.sku == line.sku
        }
        let refund = draft.refundMethod == .storeCredit ? "store credit" : "a full refund to your original payment method"
        let noun = draft.noun ?? Speech.itemNoun(product, quantity: draft.quantity ?? line.quantity)
        // A return started inside the window stays open for the window's length (the store's policy, as in
        // the reference reply), so the caller is never rushed by the days already gone.
        say("Return started. Bring \(noun) to any store within \(configuration.returnPolicy.windowDays) days for \(refund).")
        let clock = configuration.clock
        if let last = clock.calendar.date(byAdding: .day, value: configuration.returnPolicy.windowDays, to: clock.now) {
            let formatter = DateFormatter()
            formatter.calendar = clock.calendar
            formatter.timeZone = clock.calendar.timeZone
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "MMMM d"
            say("The last day is \(formatter.string(from: last)).")
        }
        offerMoreHelp()
    }
}
