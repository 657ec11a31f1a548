import Commerce
import Foundation
import RetailModel

/// Where a chosen order comes from — one path for one item or a cart: a fresh stock read, the fulfillment planner's
/// decision worded for the caller, then holds and the read-back with the total.
extension Turn {
    var planner: FulfillmentPlanner { FulfillmentPlanner(locations: locations) }

    /// Plans the order as it stands and, when every line can be had, holds it and reads it back for confirmation.
    mutating func fulfil(_ start: OrderDraft, retried: Bool) throws {
        var draft = start
        defer { if case .order = state.flow { state.flow = .order(draft) } }
        guard let product = draft.product, let lines = allLines(draft) else { return }
        let single = lines.count == 1
        let it = single ? Speech.pronoun(product, quantity: lines[0].quantity) : "them"
        // A fresh stock read for the exact variants before choosing a store and quoting it; while how the caller gets
        // it is still open, what was read for this order already will do.
        var units: [SKU: [String: Int]] = [:]
        if draft.fulfillment == nil, lines.allSatisfy({ draft.stock[$0.variant.sku] != nil }) {
            for line in lines { units[line.variant.sku] = draft.stock[line.variant.sku] }
        } else {
            do {
                for level in try sellableStock(skus: lines.map(\.variant.sku)) {
                    units[level.sku, default: [:]][level.locationID, default: 0] += level.available
                }
            } catch let error as POSError {
                apologize(for: error)
                return
            }
        }
        for (sku, byStore) in units { draft.stock[sku, default: [:]].merge(byStore) { $1 } }
        func describe(_ line: FulfillmentPlanner.Line) -> String {
            guard let variant = lines.first(where: { $0.variant.sku == line.sku })?.variant else { return "" }
            return Speech.describe(productOf(variant, draft) ?? product, options: variant.options)
        }
        let wanted = lines.map { FulfillmentPlanner.Line(sku: $0.variant.sku, quantity: $0.quantity) }
        func plan(_ fulfillment: Fulfillment) -> FulfillmentPlanner.Plan {
            planner.plan(
                .init(
                    lines: wanted, fulfillment: fulfillment, store: draft.locationID, home: state.customer?.homeLocationID,
                    source: draft.sourceLocationID, units: units))
        }
        // Sold out however it would come: said before asking how the caller wants to get it.
        var soldOutEverywhere = false
        if case .unavailable = plan(.shipping) { soldOutEverywhere = true }
        guard soldOutEverywhere || settleFulfillment(&draft, it: it) else { return }
        var plan = plan(soldOutEverywhere ? .shipping : draft.fulfillment ?? .pickup)
        // Asked to have it sent over: the store short of it gets it from the one that has it, where both allow it.
        if case .elsewhere(let store, _, let other) = plan, draft.wantsTransfer,
            let source = planner.transferSource(for: wanted, to: store, preferring: other.id, units: units)
        {
            plan = .ready(store: store, source: source)
        }

        switch plan {
        case .shipInstead:
            draft.locationID = nil
            if single {
                let what = describe(wanted[0])
                let amount = wanted[0].quantity > 1 ? "\(wanted[0].quantity) of \(what)" : what
                confirm(
                    "None of our pickup stores has \(amount) right now, but we can ship \(it) to you. Would you like \(it) shipped?", .shipInstead)
            } else {
                confirm(
                    "None of our pickup stores has everything on your order right now, but we can ship it all to you. Would you like it shipped?",
                    .shipInstead)
            }
        case .partly(let short, let store):
            let place = draft.fulfillment == .shipping ? "in stock" : "at \(Speech.store(store))"
            confirm(
                "We only have \(short.have) of \(describe(short.line)) \(place). Would you like \(short.have) instead?",
                .takeAvailable(sku: short.line.sku, quantity: short.have, locationID: store.id))
        case .unavailable(let line) where line.sku == product.variants(matching: draft.options).first?.sku:
            try soldOut(describe(line), product: product, draft: &draft)
        case .unavailable(let line):
            say(
                "I'm sorry — \(describe(line)) is sold out. You can say \"drop\" and the item to take it off, or I can connect you with a team member."
            )
        case .noSingleStore(let line):
            say(
                "I'm sorry — no single store has \(describe(line)) for this order right now. You can say \"drop\" and the item to take it off, or I can connect you with a team member."
            )
        case .chooseStore(let stocked):
            ask(
                "Which store would you like to pick \(it) up from: \(Speech.list(stocked.prefix(3).map(\.name), conjunction: "or"))?",
                expecting: .location, hints: stocked.map(\.name))
        case .noPickup(let store, let stocked):
            draft.locationID = nil
            ask(
                "\(Speech.store(store).capitalizedFirst) doesn't do pickups. Which store would you like instead: \(Speech.list(stocked.prefix(3).map(\.name), conjunction: "or"))?",
                expecting: .location, hints: stocked.map(\.name))
        case .elsewhere(let store, let short, let other):
            draft.locationID = store.id
            draft.sourceLocationID = nil
            if single {
                let what = describe(wanted[0])
                let justHeld = (reservedByOthers[wanted[0].sku]?[store.id] ?? 0) > 0
                let shortfall =
                    short[0].have == 0
                    ? (justHeld ? "had \(what) until another caller just reserved it" : "doesn't have \(what) right now")
                    : "only has \(short[0].have) of \(what)"
                confirm(
                    "\(Speech.store(store).capitalizedFirst) \(shortfall), but \(Speech.store(other)) has \(units[wanted[0].sku]?[other.id] ?? 0). Would you like to pick \(it) up there instead?",
                    .pickupElsewhere(locationID: other.id))
            } else {
                // Some on hand, not enough: say how many are wanted.
                let missing = short.map { $0.have > 0 ? "\($0.line.quantity) of \(describe($0.line))" : describe($0.line) }
                confirm(
                    "\(Speech.store(store).capitalizedFirst) doesn't have \(Speech.list(missing)), but \(Speech.store(other)) has everything on your order. Would you like to pick it all up there instead?",
                    .pickupElsewhere(locationID: other.id))
            }
        case .ready(let store, let source):
            draft.locationID = store.id
            draft.sourceLocationID = source?.id
            guard knowsCustomer() else { return }
            guard let priced = quote(for: draft) else { return }
            // Held for this call from now until the order is placed, cancelled or the hold runs out.
            let stockFrom = source ?? store
            let free = Dictionary(wanted.map { ($0.sku, units[$0.sku]?[stockFrom.id] ?? 0) }, uniquingKeysWith: { first, _ in first })
            guard try hold(wanted.map { ($0.sku, $0.quantity) }, at: stockFrom.id, available: free) else {
                let what = single ? describe(wanted[0]) : "part of your order"
                say("I'm sorry — \(what) at \(Speech.store(store)) was just reserved by another caller.")
                if !retried {
                    draft.stock = [:]
                    if draft.fulfillment == .pickup { draft.locationID = nil }
                    state.flow = .order(draft)
                    try advanceOrder(draft, retried: true)
                    if case .order(let latest) = state.flow { draft = latest }
                }
                return
            }
            let read = priced.lines.map { line in
                Self.amount(productOf(line.variant, draft) ?? product, options: line.variant.options, quantity: line.quantity)
            }
            var delivery = draft.fulfillment == .pickup ? "for pickup at \(Speech.store(store))" : "shipped to your address on file"
            if let source {
                delivery += " in \(Speech.aboutDays(store.transferDays)), sent over from \(Speech.store(source))"
            }
            confirm(
                "\(alreadyPlaced(draft))That's \(Speech.list(read)), \(delivery). It's \(Speech.cost(priced.quote)). Shall I place the order?",
                .placeOrder)
        }
    }

    /// The caller won't pick up where the order is: where both stores allow it, everything can be sent to the store
    /// they chose instead.
    mutating func offerTransfer(instead other: String) {
        guard case .order(let draft) = state.flow, let wanted = location(draft.locationID), let product = draft.product,
            let lines = allLines(draft),
            let from = planner.transferSource(
                for: lines.map { .init(sku: $0.variant.sku, quantity: $0.quantity) }, to: wanted, preferring: other, units: draft.stock)
        else {
            // No transfer: shipping, where a store that ships has everything, is the one other way to get it.
            if case .order(let draft) = state.flow, let lines = allLines(draft),
                case .ready = planner.plan(
                    .init(
                        lines: lines.map { .init(sku: $0.variant.sku, quantity: $0.quantity) }, fulfillment: .shipping, store: nil,
                        home: state.customer?.homeLocationID, source: nil, units: draft.stock))
            {
                let it = lines.count == 1 ? draft.product.map { Speech.pronoun($0, quantity: lines[0].quantity) } ?? "it" : "everything"
                confirm("No problem. Would you like \(it) shipped to you instead?", .shipInstead)
                return
            }
            ask("No problem. Would you like it shipped to you instead\(otherChoice(lead: ", or "))?", expecting: .choice)
            return
        }
        let it = lines.count == 1 ? Speech.pronoun(product, quantity: lines[0].quantity) : "everything"
        confirm(
            "No problem. I can have \(it) sent from \(Speech.store(from)) to \(Speech.store(wanted)) for pickup in \(Speech.aboutDays(wanted.transferDays)). Would you like that?",
            .sendFrom(locationID: from.id))
    }

    /// Takes the units there are of one line ("we only have 2 — would you like 2 instead?").
    mutating func takeAvailable(sku: SKU, quantity: Int, at locationID: String) {
        guard case .order(var draft) = state.flow else { return }
        draft.locationID = locationID
        if draft.product?.variants(matching: draft.options).first?.sku == sku {
            // The current item: whatever the cart already has of it counts too.
            let inCart = draft.cart.filter { $0.product.variants(matching: $0.options).first?.sku == sku }.reduce(0) { $0 + $1.quantity }
            draft.quantity = max(1, quantity - inCart)
        } else if let index = draft.cart.firstIndex(where: { $0.product.variants(matching: $0.options).first?.sku == sku }) {
            draft.cart[index].quantity = quantity
        }
        state.flow = .order(draft)
    }
}
