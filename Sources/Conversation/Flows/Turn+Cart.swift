import RetailModel
import Understanding

/// Several items in one order: named in one breath ("two Air Max in 10 and a black hoodie in medium") or
/// added later ("and a pair of socks"), removed ("drop the socks") or changed ("make the hoodie a large").
/// Each item is chosen in turn with its own options; the whole cart is then placed at one store, held,
/// and read back with the total before confirmation.
extension Turn {
    private static let addWords = [
        " add ", " also ", " as well ", " too ", " plus ", " another ", " and a ", " and an ", " and the ", " and some ", " and one ",
    ]
    private static let removeWords = [
        " drop ", " remove ", " take off ", " take out ", " without the ", " no more ", " delete ", " do not want the ",
        " scrap the ", " lose the ", " get rid of ", " forget the ", " cancel the ", " do not need the ", " no longer want the ",
    ]

    /// The current item as a cart line, when every option is chosen.
    func finishedItem(_ draft: OrderDraft) -> CartItem? {
        guard let product = draft.product else { return nil }
        var options = draft.options
        guard nextOpenOption(of: product, options: &options) == nil, !product.variants(matching: options).isEmpty else { return nil }
        return CartItem(product: product, options: options, quantity: draft.quantity)
    }

    /// Moves the finished current item into the cart, leaving the current slot (and the focus) free.
    private mutating func shelve(_ item: CartItem, in draft: inout OrderDraft) {
        state.focus = nil
        draft.sourceLocationID = nil
        // The same variant again adds to its line: one line per SKU.
        if let index = draft.cart.firstIndex(where: { $0.product.id == item.product.id && $0.options == item.options }) {
            draft.cart[index].quantity += item.quantity
        } else {
            draft.cart.append(item)
        }
        draft.product = nil
        draft.options = [:]
        draft.quantity = 1
        draft.stock = [:]
        draft.candidates = []
        draft.agreedTotal = nil
    }

    /// "2 pairs of the Nike Air Max 90 in black, size 10", "the Carhartt hoodie in black, size M".
    static func amount(_ product: Product, options: [String: String], quantity: Int) -> String {
        let what = Speech.describe(product, options: options)
        return product.unit.map { "\(quantity) \($0)\(quantity == 1 ? "" : "s") of \(what)" }
            ?? (quantity == 1 ? what : "\(quantity) of \(what)")
    }

    /// Whether what was said names this product: by name, else by kind ("the mugs"), else by brand alone.
    func names(_ entities: Entities, _ product: Product) -> Bool {
        if entities.productIDs.contains(product.id) { return true }
        guard entities.productIDs.isEmpty else { return false }
        if let kind = entities.kind, matches(kind: kind, product) { return true }
        return entities.kind == nil && entities.brand == product.brand
    }

    /// Which lines the caller names: cart indices, and whether the current item is one of them.
    private func namedLines(_ entities: Entities, _ draft: OrderDraft) -> (cart: [Int], current: Bool) {
        (draft.cart.indices.filter { names(entities, draft.cart[$0].product) }, draft.product.map { names(entities, $0) } ?? false)
    }

    /// Whether the utterance removes or changes a line of the order ("drop the socks", "make the hoodie a large").
    func editsCart(_ draft: OrderDraft) -> Bool {
        // "Do you have the mugs in slate?" asks; it changes nothing until the caller says so.
        if asksAboutStock { return false }
        let entities = interpretation.entities
        let named = namedLines(entities, draft)
        let text = " \(interpretation.redactedText) "
        if Self.removeWords.contains(where: text.contains), !named.cart.isEmpty || named.current { return true }
        return !named.cart.isEmpty && !named.current && (!entities.options.isEmpty || entities.quantity != nil)
    }

    /// A question about stock ("do you have the mugs in slate?"), with nothing in it that asks for a change.
    var asksAboutStock: Bool {
        let acts = interpretation.acts
        return acts.contains { $0.kind == .request && $0.topic == .stock } && !acts.contains { $0.kind == .correction }
    }

    /// Cart edits that come before the usual order handling: several items in one breath, removing an item,
    /// changing an item already in the cart, adding one more.
    ///
    /// - Returns: true when the turn is answered; false to carry on with `interpretation.entities` (which may
    ///   now be the first of several items).
    mutating func editCart(_ draft: inout OrderDraft) throws -> Bool {
        let entities = interpretation.entities
        let text = " \(interpretation.redactedText) "
        let adding = Self.addWords.contains(where: text.contains)

        if entities.items.count >= 2 {
            var items = entities.items
            // "Yes, two cream mugs and a sand bowl" at the read-back names lines the order has: each sets its line's
            // quantity; only items the order doesn't have are added.
            func isLine(_ item: Entities, _ product: Product, _ options: [String: String]) -> Bool {
                names(item, product) && item.options.allSatisfy { options[$0.key] == $0.value }
            }
            let before = items.count
            items.removeAll { item in
                if let index = draft.cart.firstIndex(where: { isLine(item, $0.product, $0.options) }) {
                    if let quantity = item.quantity { draft.cart[index].quantity = quantity }
                    return true
                }
                if let product = draft.product, isLine(item, product, draft.options) {
                    if let quantity = item.quantity { draft.quantity = quantity }
                    return true
                }
                return false
            }
            if items.count < before {
                draft.agreedTotal = nil
                draft.queued += items
                state.flow = .order(draft)
                try advanceOrder(draft)
                return true
            }
            if let current = finishedItem(draft) {
                shelve(current, in: &draft)
            } else if draft.product != nil {
                // Finish the item under way first; the new ones follow.
                draft.queued += items
                state.flow = .order(draft)
                try advanceOrder(draft)
                return true
            }
            var first = items.removeFirst()
            draft.queued += items
            // What applies to the whole order ("for pickup downtown") travels with the first item.
            first.fulfillment = first.fulfillment ?? entities.fulfillment
            first.locationID = first.locationID ?? entities.locationID
            interpretation.entities = first
            draft.itemRequest = first
            state.flow = .order(draft)
            return false
        }
        guard !draft.cart.isEmpty || draft.product != nil else { return false }
        let named = namedLines(entities, draft)

        if Self.removeWords.contains(where: text.contains), !named.cart.isEmpty || named.current {
            let removed: String
            if let index = named.cart.last {
                let item = draft.cart.remove(at: index)
                removed = Speech.describe(item.product, options: item.options)
            } else {
                removed = draft.product.map { Speech.describe($0, options: draft.options) } ?? "that"
                draft.product = nil
                draft.options = [:]
                draft.quantity = 1
                draft.stock = [:]
            }
            if draft.product == nil, draft.candidates.isEmpty, let last = draft.cart.popLast() {
                draft.product = last.product
                draft.options = last.options
                draft.quantity = last.quantity
            }
            draft.agreedTotal = nil
            draft.sourceLocationID = nil
            guard draft.product != nil || !draft.candidates.isEmpty else {
                try releaseUnpaidOrder()
                state.flow = nil
                say("Okay, I've taken \(removed) off, so there's nothing left on the order.")
                offerMoreHelp()
                return true
            }
            say("Okay, I've taken \(removed) off your order.")
            state.flow = .order(draft)
            if draft.product == nil {
                // Still choosing the next item: ask that again.
                let names = draft.candidates.prefix(3).map(\.theName)
                ask(
                    "Which one would you like to order: \(Speech.list(names, conjunction: "or"))?", expecting: .product,
                    hints: draft.candidates.prefix(8).map(\.name))
                return true
            }
            try advanceOrder(draft)
            return true
        }

        if let index = named.cart.last, !adding, !named.current, !entities.options.isEmpty || entities.quantity != nil {
            // "Make the hoodie a large": a line already in the cart.
            var item = draft.cart[index]
            var options = item.options
            for (name, value) in entities.options where item.product.optionNames.contains(name) { options[name] = value }
            guard !item.product.variants(matching: options).isEmpty else {
                let values = entities.options.keys.sorted().compactMap { name -> String? in
                    item.product.optionNames.contains(name) ? Speech.choices(item.product.values(of: name), option: name, conjunction: "and") : nil
                }
                say("Sorry, \(item.product.theName) comes in \(Speech.list(values)).")
                state.flow = .order(draft)
                try advanceOrder(draft)
                return true
            }
            item.options = options
            if let quantity = entities.quantity { item.quantity = quantity }
            draft.cart[index] = item
            draft.agreedTotal = nil
            say("Sure — \(Self.amount(item.product, options: item.options, quantity: item.quantity)).")
            state.flow = .order(draft)
            try advanceOrder(draft)
            return true
        }

        // "Also add a pair in a nine" with the size-10 boots chosen: another line of the product in hand, in
        // the values said — not a change to the one chosen.
        let namesNoOtherProduct = named.current || (entities.productIDs.isEmpty && entities.kind == nil)
        if adding, namesNoOtherProduct, let current = finishedItem(draft), !entities.options.isEmpty,
            entities.options.contains(where: { current.options[$0.key] != $0.value })
        {
            shelve(current, in: &draft)
            var next = entities
            next.productIDs = [current.product.id]
            interpretation.entities = next
            draft.itemRequest = next
            addingItem = true
            state.flow = .order(draft)
            return false
        }
        // "Also another pair of the Air Max" adds a line even when the cart has one; only the item being chosen
        // itself is not new.
        let namesSomethingNew = (!entities.productIDs.isEmpty || entities.kind != nil) && !named.current
        if adding, namesSomethingNew {
            if let current = finishedItem(draft) {
                shelve(current, in: &draft)
                addingItem = true
                state.flow = .order(draft)
                return false
            }
            if draft.product != nil {
                draft.queued.append(entities)
                say("Sure, I'll add that next.")
                state.flow = .order(draft)
                try advanceOrder(draft)
                return true
            }
        }
        return false
    }

    /// When the current item is chosen and more were named with it: shelve it and start the next.
    ///
    /// - Returns: true when the next item took over the turn.
    mutating func startNextQueuedItem(_ draft: inout OrderDraft) throws -> Bool {
        guard !draft.queued.isEmpty, let current = finishedItem(draft) else { return false }
        shelve(current, in: &draft)
        let next = draft.queued.removeFirst()
        interpretation.entities = next
        draft.itemRequest = next
        state.flow = .order(draft)
        try continueOrder()
        return true
    }

    /// Every line of the order with its variant, before a store is chosen.
    func allLines(_ draft: OrderDraft) -> [(variant: Variant, quantity: Int)]? {
        guard let product = draft.product, let variant = product.variants(matching: draft.options).first else { return nil }
        return Self.oneLinePerSKU(
            draft.cart.compactMap { item in item.product.variants(matching: item.options).first.map { ($0, item.quantity) } }
                + [(variant, draft.quantity)])
    }

    func productOf(_ variant: Variant, _ draft: OrderDraft) -> Product? {
        ([draft.product].compactMap { $0 } + draft.cart.map(\.product)).first { $0.variants.contains { $0.sku == variant.sku } }
    }
}
