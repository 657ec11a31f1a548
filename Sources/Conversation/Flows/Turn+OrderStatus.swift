import RetailModel
import Understanding

/// "Where's my order?": the customer's recent orders → the status of the one they mean.
extension Turn {
    mutating func startStatus() throws {
        state.flow = .status(StatusDraft())
        try continueStatus()
    }

    mutating func continueStatus() throws {
        guard case .status(var draft) = state.flow else { return }
        let entities = interpretation.entities

        do {
            if let number = entities.orderNumber {
                try reportStatus(number: number, known: draft.candidates.first { $0.number == number })
                return
            }
            // A number said that redaction took as a possible card ("order 601 140 388 542 143"): not answered with
            // some other order as if it had been heard.
            if interpretation.redactedText.split(separator: " ").contains(Substring(CardRedaction.mark)), entities.productIDs.isEmpty {
                state.flow = .status(draft)
                ask(
                    "That number is too long for one of our order numbers, so I haven't used it. Could you read me the order number again, or tell me what you ordered?",
                    expecting: .orderNumber)
                return
            }
            if draft.candidates.isEmpty {
                guard let customer = state.customer else {
                    ask("Sure — what's your order number?", expecting: .orderNumber)
                    return
                }
                var orders = try pos.recentOrders(customerID: customer.id, limit: 10)
                if entities.refersToOther, let discussed = state.focusOrderNumber, orders.count > 1 {
                    orders.removeAll { $0.number == discussed }
                }
                guard !orders.isEmpty else {
                    ask("I don't see any orders on your account. If you have an order number, I can look it up.", expecting: .orderNumber)
                    return
                }
                draft.recent = orders
                let named = narrowedByCount(named(orders, entities), entities)
                let when = picksOrderByWhen ? pickByWhen(orders) : []
                let open: Set<OrderStatus> = [.pending, .confirmed, .readyForPickup, .shipped]
                let namesSomething = !entities.productIDs.isEmpty || entities.brand != nil || entities.kind != nil
                if when.count == 1 {
                    draft.candidates = when
                } else if !named.isEmpty {
                    draft.candidates = named
                } else if namesSomething {
                    // Never answer for another order than the one the caller named.
                    let what = entities.productIDs.first.flatMap { products[$0]?.displayName } ?? entities.brand ?? entities.kindWords ?? "that"
                    let others = Speech.orderNames(Array(orders.prefix(3)), products: products, now: now, calendar: calendar)
                    draft.candidates = Array(orders.prefix(3))
                    state.flow = .status(draft)
                    ask(
                        "I don't see a \(what) order on your account. Your recent orders are \(Speech.list(others)). Is it one of those, or do you have an order number?",
                        expecting: .choice, hints: draft.candidates.map(\.number))
                    return
                } else {
                    let active = orders.filter { open.contains($0.status) }
                    draft.candidates = active.isEmpty ? [orders[0]] : active
                }
            } else {
                // The caller is choosing between the orders offered.
                var chosen = narrowedByCount(named(draft.candidates, entities), entities)
                if let picked = entities.ordinal?.pick(from: draft.candidates) { chosen = [picked] }
                if chosen.count != 1 { chosen = pickByWhen(draft.candidates) }
                if chosen.isEmpty {
                    // Not one of those offered: any recent order that matches what was named.
                    chosen = named(draft.recent, entities)
                    if chosen.count != 1 { chosen = pickByWhen(draft.recent).count == 1 && !entities.isEmpty ? pickByWhen(draft.recent) : chosen }
                }
                guard chosen.count == 1 else {
                    state.flow = .status(draft)
                    let names = Speech.orderNames(Array(draft.candidates.prefix(3)), products: products, now: now, calendar: calendar)
                    notUnderstood(
                        "Sorry, which order do you mean: \(Speech.list(names, conjunction: "or"))? You can also read me the order number.",
                        expecting: .choice)
                    return
                }
                draft.candidates = chosen
            }
            if draft.candidates.count == 1 {
                try reportStatus(number: draft.candidates[0].number, known: draft.candidates[0])
                return
            }
            state.flow = .status(draft)
            let names = Speech.orderNames(Array(draft.candidates.prefix(3)), products: products, now: now, calendar: calendar)
            ask(
                "I see \(draft.candidates.count) recent orders: \(Speech.list(names)). Which one would you like to check?",
                expecting: .choice, hints: draft.candidates.map(\.number))
        } catch let error as POSError {
            apologize(for: error)
        }
    }

    /// Whether the caller asks when an order can be picked up ("when can I pick it up?", "will it be ready soon?").
    var asksWhenReady: Bool {
        let text = " \(interpretation.redactedText) "
        return [" when ", " ready ", " how long ", " how soon "].contains(where: text.contains)
            && [" pick ", " ready ", " collect ", " get it ", " get them "].contains(where: text.contains)
    }

    /// Whether the caller picks an order by when it was placed ("the one from Tuesday", "the older one", "the
    /// other one") rather than by what is in it.
    var picksOrderByWhen: Bool {
        let text = " \(interpretation.redactedText) "
        let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today", "last week"]
        return interpretation.entities.refersToOther || days.contains { text.contains(" \($0) ") }
            || [" older ", " oldest ", " earlier ", " first one "].contains(where: text.contains)
    }

    /// Picks an order by when it was placed, as the choice was offered: "the one from Tuesday",
    /// "the older one", "the other one" (not the one just discussed).
    private func pickByWhen(_ candidates: [Order]) -> [Order] {
        let text = " \(interpretation.redactedText) "
        let byDay = candidates.filter { order in
            let day = Speech.day(order.placedAt, now: now, calendar: calendar).replacingOccurrences(of: "on ", with: "").lowercased()
            return text.contains(" \(day) ")
        }
        if byDay.count == 1 { return byDay }
        if text.contains(" last week ") {
            let lastWeek = candidates.filter { (7...13).contains(Speech.daysBetween($0.placedAt, now, calendar: calendar)) }
            if lastWeek.count == 1 { return lastWeek }
        }
        let oldestFirst = candidates.sorted { $0.placedAt < $1.placedAt }
        if [" older ", " oldest ", " earlier ", " first one "].contains(where: text.contains), let oldest = oldestFirst.first { return [oldest] }
        if [" newer ", " newest ", " latest ", " new one ", " recent ", " just placed ", " just ordered ", " just made ", " todays "]
            .contains(where: text.contains), let newest = oldestFirst.last
        {
            return [newest]
        }
        if interpretation.entities.refersToOther, let discussed = state.focusOrderNumber {
            let others = candidates.filter { $0.number != discussed }
            if others.count == 1 { return others }
        }
        return []
    }

    /// The orders that hold what the caller named; the values said ("the pink one") count only when some order has
    /// them, since a caller may call "blush" pink.
    func named(_ orders: [Order], _ entities: Entities) -> [Order] {
        let exact = orders.filter { $0.lines.contains { matches(line: $0, entities) } }
        return exact.isEmpty ? orders.filter { $0.lines.contains { matches(line: $0, entities, byValues: false) } } : exact
    }

    /// Of several orders that hold what the caller named, those with as many as they said ("my two headlamps").
    func narrowedByCount(_ orders: [Order], _ entities: Entities) -> [Order] {
        guard orders.count > 1, let count = entities.quantity else { return orders }
        let counted = orders.filter { $0.lines.contains { matches(line: $0, entities, byValues: false) && $0.quantity == count } }
        return counted.isEmpty ? orders : counted
    }

    /// Whether an order line is what the caller named: the product, else the brand and kind ("my Carhartt jacket"),
    /// and, where said, its values ("the blue one", "the 32 ounce").
    func matches(line: OrderLine, _ entities: Entities, byValues: Bool = true) -> Bool {
        guard let product = products[line.productID] else { return false }
        let namesItem = !entities.productIDs.isEmpty || entities.brand != nil || entities.kind != nil
        guard namesItem || !entities.options.isEmpty else { return false }
        if !entities.productIDs.isEmpty {
            guard entities.productIDs.contains(product.id) else { return false }
        } else if !((entities.brand.map { product.brand == $0 } ?? true) && (entities.kind.map { matches(kind: $0, product) } ?? true)) {
            return false
        }
        guard byValues, let variant = product.variants.first(where: { $0.sku == line.sku }) else { return true }
        return entities.options.allSatisfy { name, value in
            variant.options[name].map { product.value(of: name, said: value) == $0 } ?? true
        }
    }

    private mutating func reportStatus(number: String, known: Order?) throws {
        var order = known
        if order == nil {
            do {
                order = try pos.order(number: number)
            } catch POSError.notFound {
                state.flow = .status(StatusDraft())
                notUnderstood(
                    "I couldn't find an order with \(Speech.mayRepeat(orderNumber: number) ? "the number \(number)" : "that number"). Could you check the number and read it to me again?",
                    expecting: .orderNumber
                )
                return
            }
        }
        guard let order else { return }
        if let customer = state.customer, order.customerID != customer.id {
            state.flow = .status(StatusDraft())
            ask(
                "I can't find \(Speech.mayRepeat(orderNumber: number) ? "order \(number)" : "that order number") on your account. Could you check the number?",
                expecting: .orderNumber)
            return
        }
        let report = try pos.orderStatus(number: number)
        finishedSlots = ["order_number": number, "status": report.status.rawValue]
        state.flow = nil
        state.focusOrderNumber = number
        let name = Speech.orderName(order, products: products).capitalizedFirst
        let store = location(order.locationID).map(Speech.store) ?? "the store"
        switch report.status {
        case .pending where !pos.capabilities.takesCardPayments:
            // This store takes payment at pickup or by the store's own link: a placed, unpaid order is as it should be.
            if order.fulfillment == .pickup {
                // The POS may hold no ready time for an unpaid order: the store's usual preparation time says it.
                let hours = location(order.locationID)?.pickupReadyHours ?? 0
                let readyAt = report.readyAt ?? order.placedAt.addingTimeInterval(Double(hours) * 3600)
                let ready = readyAt > now ? " It should be ready \(Speech.day(readyAt, now: now, calendar: calendar))." : " It's ready now."
                say("\(name) is placed for pickup at \(store).\(ready) You'll pay when you pick it up.")
            } else {
                say("\(name) is placed. It ships as soon as it's paid; the store will contact you with a secure way to pay.")
            }
        case .pending:
            confirm(
                "\(name) is placed but not confirmed yet — we're still waiting on payment. Would you like me to connect you with a team member to sort that out?",
                .transfer(resume: nil))
            return
        case .confirmed:
            if order.fulfillment == .pickup {
                let ready = report.readyAt.map { $0 > now ? " It should be ready \(Speech.day($0, now: now, calendar: calendar))." : "" } ?? ""
                say("\(name) is confirmed and being prepared for pickup at \(store).\(ready) We'll text you when it's ready.")
            } else {
                say("\(name) is confirmed and being packed. We'll email you the tracking number as soon as it ships.")
            }
        case .readyForPickup:
            let hours = location(order.locationID).flatMap { $0.hours.isEmpty ? nil : " They're open \($0.hours)." } ?? ""
            say("Good news — \(name.lowercasedFirst) is ready for pickup at \(store).\(hours)")
        case .shipped:
            var text = "\(name) shipped"
            if let shipped = report.shippedAt { text += " \(Speech.day(shipped, now: now, calendar: calendar))" }
            if let carrier = report.carrier { text += " via \(carrier)" }
            if let tracking = report.trackingNumber { text += ", tracking number \(Speech.digits(tracking))" }
            if let eta = report.estimatedDelivery {
                text +=
                    eta >= calendar.startOfDay(for: now)
                    ? ", arriving \(Speech.day(eta, now: now, calendar: calendar))"
                    : ", and it was due \(Speech.day(eta, now: now, calendar: calendar))"
            }
            say(text + ".")
        case .delivered:
            let when = report.deliveredAt.map { " " + Speech.day($0, now: now, calendar: calendar) } ?? ""
            let how = order.fulfillment == .pickup ? "was picked up" : "was delivered"
            say("\(name) \(how)\(when).")
        case .cancelled:
            confirm(
                "\(name) was cancelled, so nothing will be charged or shipped. If that's unexpected, would you like me to connect you with a team member?",
                .transfer(resume: nil))
            return
        case .returned:
            say("\(name) has a return in progress; the refund is issued once the items are back with us.")
        }
        offerMoreHelp()
    }
}

extension String {
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
