import Commerce
import Foundation
import RetailModel
import Understanding

/// "I'd like to order that in size 10 for store pickup": (product in focus or search) → guided variant
/// choice → fulfillment and store → stock → quote and confirm → card → create order → take payment → confirm.
extension Turn {
    mutating func startOrder() throws {
        guard state.customer != nil else {
            // Said up front, before the caller spends time choosing sizes and colors.
            offerPerson("\(accountMissing) Would you like me to connect you with a team member who can take your order?")
            return
        }
        var draft = OrderDraft()
        if case .availability(let asking)? = state.flow, asking.product == nil, !asking.candidates.isEmpty {
            // "Can you ship it to me?" while choosing between products: the choice, and what was said, carry over.
            draft.candidates = asking.candidates
            draft.itemRequest = asking.itemRequest
            draft.locationID = asking.locationID
        }
        if " \(interpretation.redactedText) ".contains(" there "), let store = state.focus?.locationID {
            // "Can I pick them up there?" — the store just talked about.
            draft.locationID = store
        }
        state.flow = .order(draft)
        try continueOrder()
    }

    mutating func continueOrder() throws {
        guard case .order(var draft) = state.flow else { return }
        var entities = interpretation.entities

        if let digits = entities.cardNumber ?? entities.cardDigits {
            try readCard(digits, draft: draft)
            return
        }
        if try editCart(&draft) { return }
        entities = interpretation.entities
        do {
            guard
                let product = try chooseProduct(
                    current: draft.product, candidates: &draft.candidates, useFocus: draft.cart.isEmpty, verb: "would you like to order")
            else {
                // Values said while the product is still being settled ("white") are kept for it.
                if !entities.options.isEmpty || entities.fulfillment != nil || entities.locationID != nil {
                    var request = draft.itemRequest ?? Entities()
                    request.options.merge(entities.options) { $1 }
                    draft.itemRequest = request
                    if let fulfillment = entities.fulfillment { draft.fulfillment = fulfillment }
                    if let id = entities.locationID {
                        draft.locationID = id
                        if draft.fulfillment == nil { draft.fulfillment = .pickup }
                    }
                }
                state.flow = .order(draft)
                return
            }
            if draft.product?.id != product.id {
                draft.options = state.focus?.product.id == product.id ? state.focus!.options : [:]
                draft.stock = [:]
                draft.sourceLocationID = nil
            }
            if addingItem, draft.product == nil { say("Sure, I'll add \(product.theName).") }
            draft.product = product
            draft.candidates = []
            var said = entities.options
            if interpretation.cues.contains(.affirm), !interpretation.cues.contains(.deny), said.isEmpty, let suggested = state.suggestedOption,
                asked == ExpectedSlot(option: suggested.name)
            {
                said[suggested.name] = suggested.value
            }
            if let request = draft.itemRequest {
                recall(request, into: &said)
                if entities.quantity == nil, let quantity = request.quantity { draft.quantity = quantity }
                draft.itemRequest = nil
            }
            if let number = entities.bareNumber {
                // A bare number: a size while sizes are being chosen or when it is one, otherwise how many.
                let sizes = product.values(of: "size")
                // A size written with words ("43 1/3") is no count.
                let value = Double(number)
                if asked == .quantity && value != nil || !sizes.contains(number) || (value.map { $0 < 5 } == true && draft.options["size"] != nil) {
                    if let value, value == value.rounded(), value >= 1 { draft.quantity = Int(value) }
                } else {
                    said["size"] = number
                }
            }
            // "Ship them both" with two lines on the order means the lines, not two of the last one.
            let bothLines = draft.cart.count == 1 && interpretation.redactedText.split(separator: " ").contains("both")
            if let quantity = entities.quantity, !(bothLines && quantity == 2) { draft.quantity = quantity }
            // "The color" names what to change; "which store is that?" asks, and changes nothing.
            let asks = interpretation.acts.contains { $0.kind == .question }
            if said.isEmpty, entities.fulfillment == nil, entities.locationID == nil, !entities.namedOptions.isEmpty, !asks {
                // "What would you like to change?" — "the color": ask that again.
                for name in entities.namedOptions {
                    switch name {
                    case "location": draft.locationID = nil
                    case "quantity": break
                    default: draft.options[name] = nil
                    }
                }
                if entities.namedOptions == ["quantity"] {
                    state.flow = .order(draft)
                    ask("How many would you like?", expecting: .quantity)
                    return
                }
                if entities.namedOptions.contains("location"), draft.fulfillment == .pickup {
                    state.flow = .order(draft)
                    let stores = locations.filter(\.acceptsPickup).map(\.name)
                    ask(
                        "Which store would you like to pick \(Speech.pronoun(product, quantity: draft.quantity)) up from: \(Speech.list(Array(stores.prefix(3)), conjunction: "or"))?",
                        expecting: .location, hints: stores)
                    return
                }
            }
            if let fulfillment = entities.fulfillment { draft.fulfillment = fulfillment }
            if entities.sentToStore { draft.wantsTransfer = true }
            if let id = entities.locationID {
                if id != draft.locationID { draft.sourceLocationID = nil }
                draft.locationID = id
                if draft.fulfillment == nil { draft.fulfillment = .pickup }
            }
            let accepted = applyOptions(said, to: &draft.options, of: product)
            state.focus = ProductFocus(product: product, options: draft.options, locationID: state.focus?.locationID)
            state.flow = .order(draft)
            guard accepted else { return }
        }
        try advanceOrder(draft)
    }

    /// Asks for whatever the order still needs, or quotes it for confirmation.
    mutating func advanceOrder(_ start: OrderDraft, retried: Bool = false) throws {
        var draft = start
        guard let product = draft.product else {
            ask("Which product would you like to order?", expecting: .product)
            return
        }
        defer { if case .order = state.flow { state.flow = .order(draft) } }
        if let number = draft.orderNumber, draft.orderedAs != draft.choice {
            // The caller changed an order that was created but not paid: cancel it, a new one is made on payment.
            do {
                _ = try pos.cancelOrder(number: number)
            } catch let error as POSError {
                apologize(for: error)
                return
            }
            draft.orderNumber = nil
            draft.orderedAs = nil
            draft.agreedTotal = nil
            draft.stock = [:]
        }
        draft.agreedTotal = nil

        if let open = nextOpenOption(of: product, options: &draft.options) {
            if draft.stock.count < product.variants.count {
                do {
                    for level in try sellableStock(skus: product.variants.map(\.sku)) {
                        draft.stock[level.sku, default: [:]][level.locationID] = level.available
                    }
                } catch let error as POSError {
                    apologize(for: error)
                    return
                }
            }
            state.focus?.options = draft.options
            askOption(open.name, values: open.values, product: product, draft: draft)
            return
        }
        state.focus?.options = draft.options
        guard !product.variants(matching: draft.options).isEmpty else { return }
        // More items were named with this one: choose the next.
        if try startNextQueuedItem(&draft) {
            if case .order(let latest) = state.flow { draft = latest }
            return
        }
        state.flow = .order(draft)
        try fulfil(draft, retried: retried)
        if case .order(let latest) = state.flow { draft = latest }
    }

    /// Remembers an order placed in this call, and forgets a copy of it set aside earlier: it is never offered again.
    mutating func placed(_ draft: OrderDraft, as number: String) {
        state.placedOrders[draft.choice] = number
        state.setAside.removeAll { flow in
            guard case .order(let suspended) = flow else { return false }
            return suspended.choice == draft.choice || suspended.product?.id == draft.product?.id
        }
    }

    /// "You already ordered this as order #7829 — this would be a second one. ": said before a read-back of the same
    /// order again, so a second order is never placed by a caller who thinks they are hearing the first.
    func alreadyPlaced(_ draft: OrderDraft) -> String {
        guard let number = state.placedOrders[draft.choice] else { return "" }
        return "You already ordered this on this call, as order #\(number) — this would be a second order. "
    }

    /// Whether the caller's account is known; if not, offers a person who can finish the order.
    mutating func knowsCustomer() -> Bool {
        guard state.customer == nil else { return true }
        confirm("\(accountMissing) Would you like me to connect you with a team member who can finish the order?", .transfer(resume: nil))
        return false
    }

    /// Why an order can't go ahead without the caller's account: the line doesn't know them, or the POS is out of reach.
    private var accountMissing: String {
        state.accountUnreachable
            ? "To place an order I need your customer account, and I can't reach our store system to find it right now."
            : "To place an order I need your customer account, and I can't look it up on this line."
    }

    /// Asks pickup or shipping when not yet said, and offers shipping when no store takes pickups.
    ///
    /// - Parameter it: how the items are called ("it", "them").
    /// - Returns: false when a question was asked.
    mutating func settleFulfillment(_ draft: inout OrderDraft, it: String) -> Bool {
        if draft.fulfillment == nil {
            ask(
                "Would you like to pick \(it) up at one of our stores, or have \(it) shipped to you?", expecting: .fulfillment,
                hints: ["pick up", "ship it"])
            return false
        }
        if draft.fulfillment == .pickup && !locations.contains(where: \.acceptsPickup) {
            draft.fulfillment = nil
            draft.locationID = nil
            ask(
                "Sorry, none of our stores offer pickup. I can ship \(it) to you instead — would that work?", expecting: .fulfillment,
                hints: ["ship it"])
            return false
        }
        return true
    }

    /// Asks for one option, saying which values are in stock where the caller will get it.
    private mutating func askOption(_ name: String, values: [String], product: Product, draft: OrderDraft) {
        let sorted = Speech.sorted(values, option: name)
        let store = location(draft.fulfillment == .shipping ? nil : draft.locationID ?? state.customer?.homeLocationID)
        let compatible = product.variants(matching: draft.options)
        func inStock(_ value: String) -> Bool {
            compatible.contains { variant in
                guard variant.options[name] == value, let levels = draft.stock[variant.sku] else { return false }
                return store.map { (levels[$0.id] ?? 0) > 0 } ?? levels.values.contains { $0 > 0 }
            }
        }
        let stocked = sorted.filter(inStock)
        let place = store.map { " at \(Speech.store($0))" } ?? ""
        let question = name == "size" ? "What size would you like?" : "Which \(name) would you like?"
        var text = "\(question) We have \(product.theName) in \(Speech.choices(sorted, option: name))."
        if stocked.isEmpty {
            text += " None are in stock\(place) right now, but I can check our other stores."
        } else if stocked.count == sorted.count {
            text += sorted.count == 2 ? " Both are in stock\(place)." : " All are in stock\(place)."
        } else if stocked.count <= 3 {
            let values =
                name == "size"
                ? (stocked.count == 1 ? "Size " : "Sizes ") + Speech.list(stocked) : Speech.list(stocked).capitalizedFirst
            text += " \(values) \(stocked.count == 1 ? "is" : "are") in stock\(place)."
        } else if sorted.count - stocked.count <= 3 {
            let missing = sorted.filter { !stocked.contains($0) }
            text += " Everything but \(Speech.list(missing, conjunction: "and")) is in stock\(place)."
        }
        ask(text, expecting: ExpectedSlot(option: name) ?? .choice, hints: sorted)
        state.suggestedOption = stocked.count == 1 && sorted.count > 1 ? (name, stocked[0]) : nil
    }

    /// The chosen variant is sold out everywhere it could come from: say so and reopen the last choice.
    mutating func soldOut(_ what: String, product: Product, draft: inout OrderDraft) throws {
        let heldElsewhere = product.variants(matching: draft.options).contains { variant in
            (reservedByOthers[variant.sku]?.values.reduce(0, +) ?? 0) > 0
        }
        say(heldElsewhere ? "Sorry, the last of \(what) was just reserved by another caller." : "Sorry, \(what) is sold out.")
        // The other values are offered with their stock, so read it for the whole product.
        if draft.stock.count < product.variants.count {
            do {
                for level in try sellableStock(skus: product.variants.map(\.sku)) {
                    draft.stock[level.sku, default: [:]][level.locationID] = level.available
                }
            } catch is POSError {}
        }
        // Reopen the latest choice that has another value in stock somewhere (white size 9 gone: another size,
        // not "which color?" with only white on offer).
        let chosen = Speech.orderedOptions(product).filter { draft.options[$0] != nil && product.values(of: $0).count > 1 }
        for name in chosen.reversed() {
            var open = draft.options
            open[name] = nil
            let values = product.values(of: name, among: product.variants(matching: open))
            let stocked = values.contains { value in
                product.variants(matching: open.merging([name: value]) { $1 }).contains { variant in
                    (draft.stock[variant.sku]?.values.contains { $0 >= draft.quantity }) ?? false
                }
            }
            guard stocked else { continue }
            draft.options = open
            askOption(name, values: values, product: product, draft: draft)
            return
        }
        state.flow = nil
        say("Is there another product I can help you with?")
        state.pending = .anythingElse
    }

    /// The quote for the whole order as it stands — cart lines and the current item — with the current item's
    /// variant, every line's variant, and the store it is for.
    func quote(for draft: OrderDraft) -> (variant: Variant, location: Location, quote: Quote, lines: [(variant: Variant, quantity: Int)])? {
        // Only a variant chosen in full is priced: "size 9" of a shoe that also comes in three colours is not yet an item.
        guard let product = draft.product, case let matching = product.variants(matching: draft.options), matching.count == 1,
            let variant = matching.first, let location = location(draft.locationID)
        else { return nil }
        let lines = Self.oneLinePerSKU(
            draft.cart.compactMap { item in item.product.variants(matching: item.options).first.map { ($0, item.quantity) } }
                + [(variant, draft.quantity)])
        let quote = Quote(lines: lines.map { ($0.variant.price, $0.quantity) }, at: location, currency: variant.price.currency)
        return (variant, location, quote, lines)
    }

    /// The same variant twice is one line with both quantities, so stock, holds and the POS see the total.
    static func oneLinePerSKU(_ lines: [(Variant, Int)]) -> [(variant: Variant, quantity: Int)] {
        var merged: [(variant: Variant, quantity: Int)] = []
        for (variant, quantity) in lines {
            if let index = merged.firstIndex(where: { $0.variant.sku == variant.sku }) {
                merged[index].quantity += quantity
            } else {
                merged.append((variant, quantity))
            }
        }
        return merged
    }

    /// Remembers the total the caller is being asked to agree to.
    private mutating func agree(to total: Money) {
        guard case .order(var draft) = state.flow else { return }
        draft.agreedTotal = total
        state.flow = .order(draft)
    }

    /// After "yes, place the order": the card on file, or ask for one.
    mutating func askForPayment() throws {
        guard case .order(var draft) = state.flow, let priced = quote(for: draft) else { return }
        draft.agreedChoice = draft.choice
        state.flow = .order(draft)
        if !pos.capabilities.takesCardPayments {
            // This POS takes payment only in its own checkout: place the order, pay at pickup or by a link.
            guard let customer = state.customer, let product = draft.product else { return }
            let what = Speech.describe(product, options: draft.options)
            guard let order = try placeInPOS(&draft, priced: priced, customer: customer, what: what, product: product) else { return }
            finishedSlots = currentSlots
            state.flow = nil
            state.focusOrderNumber = order.number
            placed(draft, as: order.number)
            if order.fulfillment == .pickup {
                say(
                    "Your order is placed: order #\(order.number), \(order.total), ready for pickup at \(Speech.store(priced.location)) \(Self.pickupWhen(order, at: priced.location)). You'll pay when you pick it up."
                )
            } else {
                // This POS takes payment only in its own checkout, which VoicePOS cannot send: say who will, not "we'll send a link".
                say(
                    "Your order is placed: order #\(order.number), \(order.total). It ships as soon as it's paid; the store will contact you with a secure way to pay."
                )
            }
            offerMoreHelp()
            return
        }
        if let card = draft.card ?? state.customer?.cardOnFile {
            let whose = draft.card == nil ? "your \(card.brand) on file" : "the \(card.brand)"
            agree(to: priced.quote.total)
            confirm("Great. Shall I charge \(priced.quote.total) to \(whose) ending in \(card.last4)?", .charge(card))
        } else {
            ask("Great. How would you like to pay? Please read me the card number.", expecting: .cardNumber)
        }
    }

    /// A store that takes payment at pickup or by link needs no card: say so and carry on where we were.
    private mutating func noCardNeeded(_ draft: OrderDraft, pending: PendingQuestion?) throws {
        say("No need for a card — you pay when you pick your order up, or, for a shipped order, the store contacts you with a secure way to pay.")
        if let pending, let question = state.lastQuestion {
            state.pending = pending
            state.expecting = .confirmation
            say(question)
        } else {
            try advanceOrder(draft)
        }
    }

    /// The caller talks about the card: reads back the last four, goes back to the saved card, or takes another.
    mutating func discussCard(pending: PendingQuestion?) throws {
        guard case .order(var draft) = state.flow else { return }
        guard pos.capabilities.takesCardPayments else {
            try noCardNeeded(draft, pending: pending)
            return
        }
        let words = " \(interpretation.redactedText) "
        let saved = state.customer?.cardOnFile
        let current = draft.card ?? saved
        // "Which card is that?", "is that the amex?": a question about the card is answered, never taken as a new card.
        let asksAboutIt = interpretation.acts.contains { $0.kind == .question } && !interpretation.acts.contains { $0.kind == .correction }
        if let current, asksAboutIt || [" read ", " repeat ", " which card ", " what card "].contains(where: words.contains) {
            say("It's the \(current.brand) ending in \(current.last4) — I only keep the last four digits.")
            if let pending, let question = state.lastQuestion {
                state.pending = pending
                state.expecting = .confirmation
                say(question)
            }
            return
        }
        let namesSavedCard = saved.map { words.contains(" \($0.brand.lowercased()) ") || words.contains(" \($0.last4) ") } ?? false
        let wantsSaved =
            ([" on file ", " saved ", " same card ", " usual "].contains(where: words.contains) || namesSavedCard)
            && !words.contains(" not ") && !words.contains(" different ") && !words.contains(" another ")
        if wantsSaved, let saved {
            draft.card = nil
            state.flow = .order(draft)
            if quote(for: draft) != nil, pending != nil || asked == .cardNumber {
                try askForPayment()
            } else {
                say("Sure, I'll use your \(saved.brand) ending in \(saved.last4).")
                try advanceOrder(draft)
            }
            return
        }
        draft.card = nil
        state.flow = .order(draft)
        ask("Sure — please read me the card number you'd like to use.", expecting: .cardNumber)
    }

    /// Digits of a card number, read whole or in groups over several turns: once the number is whole it is taken;
    /// a number with more digits than a card has is asked for again from the start. Nothing is cut or mended.
    private mutating func readCard(_ digits: String, draft: OrderDraft) throws {
        // "No wait, that last group was 4242": a correction inside a card number is never pieced into it.
        let repairs: Set<DialogueAct.Kind> = [.deny, .holdOn, .correction, .startOver, .hedge]
        if !state.cardEntry.isEmpty || digits.count < 13, interpretation.acts.contains(where: { repairs.contains($0.kind) }) {
            state.cardEntry = CardEntry()
            ask("No problem — let's start the card number again. Please read me the whole number from the beginning.", expecting: .cardNumber)
            return
        }
        // A whole number read in one go starts afresh, whatever was read before.
        if digits.count >= 13 { state.cardEntry = CardEntry() }
        state.cardEntry.append(digits)
        let entry = state.cardEntry
        if entry.isWhole || entry.isTooLong { state.cardEntry = CardEntry() }
        if entry.isWhole {
            try takeCard(entry.digits, draft: draft)
        } else if entry.isTooLong {
            notUnderstood(
                "That's more digits than a card number has. Could you read it to me again from the start, digit by digit?", expecting: .cardNumber)
        } else {
            ask("Got it, that's \(entry.digits.count) digits so far — go on.", expecting: .cardNumber)
        }
    }

    /// A spoken card number: checked and tokenized at once; only the token and last four are kept.
    private mutating func takeCard(_ number: String, draft start: OrderDraft) throws {
        var draft = start
        guard pos.capabilities.takesCardPayments else {
            // Never tokenized nor kept.
            try noCardNeeded(draft, pending: before?.pending)
            return
        }
        guard number.passesLuhnCheck else {
            notUnderstood("That card number doesn't seem right. Could you read it to me again, digit by digit?", expecting: .cardNumber)
            return
        }
        do {
            draft.card = try pos.tokenize(cardNumber: number)
        } catch is POSError {
            ask("I couldn't use that card number. Could you read it to me again?", expecting: .cardNumber)
            return
        }
        state.flow = .order(draft)
        // The order read back and agreed to first: a card given before then (at a colour question, say) waits for it.
        guard let card = draft.card, let priced = quote(for: draft), draft.agreedChoice == draft.choice else {
            if let card = draft.card { say("Thanks — I have the \(card.brand) ending in \(card.last4).") }
            try advanceOrder(draft)
            return
        }
        agree(to: priced.quote.total)
        confirm("Thanks. Shall I charge \(priced.quote.total) to the \(card.brand) ending in \(card.last4)?", .charge(card))
    }

    /// The POS order for the draft: the one already created, or a new one once every line is still held
    /// (a hold that ran out is taken again if the units are free).
    ///
    /// - Returns: the order, or nil when the turn was answered (sold out, hold lost, POS failure).
    private mutating func placeInPOS(
        _ draft: inout OrderDraft, priced: (variant: Variant, location: Location, quote: Quote, lines: [(variant: Variant, quantity: Int)]),
        customer: Customer, what: String, product: Product
    ) throws -> Order? {
        let order: Order
        do {
            if let number = draft.orderNumber {
                order = try pos.order(number: number)
            } else {
                // Still held for this call? A hold that ran out is taken again if the units are still free.
                let wanted = priced.lines.map { (sku: $0.variant.sku, quantity: $0.quantity) }
                let stockFrom = draft.sourceLocationID ?? priced.location.id
                let held: Bool = try pos.perform(.stillHeld(wanted.map { .init(sku: $0.sku, quantity: $0.quantity) }, at: stockFrom))
                if !held {
                    var free: [SKU: Int] = [:]
                    for level in try sellableStock(skus: wanted.map(\.sku)) where level.locationID == stockFrom {
                        free[level.sku, default: 0] += level.available
                    }
                    guard try hold(wanted, at: stockFrom, available: free) else {
                        let gone = draft.cart.isEmpty ? what : "part of your order"
                        say("I'm sorry — the hold on \(gone) at \(Speech.store(priced.location)) ran out, and another caller has just reserved it.")
                        draft.stock = [:]
                        draft.agreedTotal = nil
                        if draft.fulfillment == .pickup { draft.locationID = nil }
                        state.flow = .order(draft)
                        try advanceOrder(draft, retried: true)
                        return nil
                    }
                }
                if draft.reference == nil || draft.referencedAs != draft.choice {
                    draft.reference = try pos.perform(.newReference, as: String.self)
                    draft.referencedAs = draft.choice
                }
                // Kept before the create goes out: if its answer is lost, asking again sends the same reference.
                state.flow = .order(draft)
                order = try pos.createOrder(
                    OrderRequest(
                        customerID: customer.id, lines: priced.lines.map { .init(sku: $0.variant.sku, quantity: $0.quantity) },
                        fulfillment: draft.fulfillment ?? .pickup, locationID: priced.location.id,
                        sourceLocationID: draft.sourceLocationID, reference: draft.reference))
                draft.orderNumber = order.number
                draft.orderedAs = draft.choice
                state.flow = .order(draft)
                // The POS order now takes the stock; the hold has done its job.
                try releaseHolds()
            }
        } catch POSError.outOfStock {
            say("I'm sorry — \(what) just sold out at \(Speech.store(priced.location)).")
            draft.stock = [:]
            try soldOut(what, product: product, draft: &draft)
            if case .order = state.flow { state.flow = .order(draft) }
            return nil
        } catch let error as POSError {
            cannotPlaceOrder(error)
            return nil
        }
        return order

    }

    /// The number a team member would call back: the customer's on file, else the caller ID's.
    var callbackNumber: String? {
        [state.customer?.phone, state.resolvedCaller?.phone].compactMap { $0 }.first { $0.contains(where: \.isNumber) }
    }

    /// The POS could not take the order. Never pretend: when it is the POS failing (not the order), offer a call-back
    /// to finish it, or a person now; otherwise say what went wrong as the error table does.
    private mutating func cannotPlaceOrder(_ error: any Error) {
        let error = error as? POSError ?? .unavailable
        guard error.isTransient, let phone = callbackNumber else { return apologize(for: error) }
        let ending = String(phone.filter(\.isNumber).suffix(4))
        confirm(
            "\(configuration.errorReplies.say(error)) That means I can't place your order at the moment. Would you like a team member to call you back at the number ending in \(ending) to finish it?",
            .callback)
    }

    /// When a pickup order will be ready: "in 2 hours", "right away", "in about 2 days, once it arrives" (a transfer).
    static func pickupWhen(_ order: Order, at location: Location) -> String {
        let hours = location.pickupReadyHours
        if order.sourceLocationID != nil { return "in \(Speech.aboutDays(location.transferDays)), once it arrives" }
        return hours <= 0 ? "right away" : hours == 1 ? "in 1 hour" : "in \(hours) hours"
    }

    /// Creates the order (once), charges the card, and confirms the order.
    mutating func charge(_ card: CardToken) throws {
        guard case .order(var draft) = state.flow, let product = draft.product, let priced = quote(for: draft),
            let customer = state.customer
        else { return }
        let what = Speech.describe(product, options: draft.options)

        guard let order = try placeInPOS(&draft, priced: priced, customer: customer, what: what, product: product) else { return }

        // The POS prices the order; never charge a total the caller has not agreed to.
        let agreed = draft.agreedTotal ?? priced.quote.total
        guard order.total == agreed else {
            draft.agreedTotal = order.total
            state.flow = .order(draft)
            confirm(
                "Our system priced this at \(order.total) rather than \(agreed). Shall I charge \(order.total) to the \(card.brand) ending in \(card.last4)?",
                .charge(card))
            return
        }

        do {
            // One key per order, card and attempt after a decline: a retry after a timeout can never charge twice.
            _ = try pos.takePayment(
                orderNumber: order.number, card: card, amount: order.total,
                idempotencyKey: "\(order.number)-\(card.token)-\(draft.declines)")
        } catch POSError.paymentDeclined(let reason) {
            draft.declines += 1
            draft.card = nil
            state.flow = .order(draft)
            handle(.paymentDeclined(reason), alternative: .tryAnotherCard, failures: draft.declines)
            return
        } catch let error as POSError where error.isTransient {
            // The charge may or may not have gone through (a timeout, a dropped connection, a retry refused): the
            // same idempotency key makes one retry safe; after that a person checks.
            state.flow = .order(draft)
            if draft.paymentUncertain {
                confirm(
                    "I'm sorry, I still can't confirm whether the payment for order \(order.number) went through. Would you like me to connect you with a team member who can check it?",
                    .transfer(resume: nil))
            } else {
                draft.paymentUncertain = true
                state.flow = .order(draft)
                confirm(
                    "I'm sorry, I couldn't confirm whether the payment for order \(order.number) went through. Shall I check again? You won't be charged twice.",
                    .charge(card))
            }
            return
        } catch let error as POSError {
            state.flow = .order(draft)
            cannotPlaceOrder(error)
            return
        }

        let confirmed: Order
        do {
            confirmed = try pos.confirmOrder(number: order.number)
        } catch is POSError {
            draft.paid = true
            state.flow = .order(draft)
            confirm(
                "Your payment went through, but I couldn't confirm order \(order.number) just now. Would you like me to connect you with a team member to make sure it's finished?",
                .transfer(resume: nil))
            return
        }
        state.flow = .order(draft)
        finishedSlots = currentSlots
        state.flow = nil
        state.focusOrderNumber = confirmed.number
        placed(draft, as: confirmed.number)
        if confirmed.fulfillment == .pickup {
            let when = Self.pickupWhen(confirmed, at: priced.location)
            say("Your order is confirmed! Pickup at \(Speech.store(priced.location)) \(when). Confirmation #\(confirmed.number).")
        } else {
            say(
                "Your order is confirmed! It ships from \(Speech.store(priced.location)) and we'll email you the tracking number. Confirmation #\(confirmed.number)."
            )
        }
        offerMoreHelp()
    }
}
