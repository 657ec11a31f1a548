import Foundation
import RetailModel
import Understanding

/// "Do you have the Nike Air Max in size 10?": search products → stock.
extension Turn {
    mutating func startAvailability() async {
        state.flow = .availability(AvailabilityDraft())
        await continueAvailability()
    }

    mutating func continueAvailability() async {
        guard case .availability(var draft) = state.flow else { return }
        if interpretation.entities.items.count >= 2, draft.product == nil {
            // Several things in one breath: answer them one after another.
            var items = interpretation.entities.items
            var first = items.removeFirst()
            first.locationID = first.locationID ?? interpretation.entities.locationID
            first.allLocations = first.allLocations || interpretation.entities.allLocations
            draft.queued = items
            draft.itemRequest = first
            interpretation.entities = first
        }
        let entities = interpretation.entities
        if let id = entities.locationID { draft.locationID = id }
        if entities.allLocations { draft.locationID = nil }

        guard let product = await chooseProduct(current: draft.product, candidates: &draft.candidates, useFocus: false, verb: "are you interested in")
        else {
            // Values said while the product is still being settled ("large") are kept for it.
            if !entities.options.isEmpty {
                var request = draft.itemRequest ?? Entities()
                request.options.merge(entities.options) { $1 }
                draft.itemRequest = request
            }
            state.flow = .availability(draft)
            return
        }
        if draft.product?.id != product.id {
            draft.options = state.focus?.product.id == product.id ? state.focus!.options : [:]
        }
        draft.product = product
        draft.candidates = []
        var said = entities.options
        recall(draft.itemRequest, into: &said)
        draft.itemRequest = nil
        if let number = entities.bareNumber, said["size"] == nil, product.values(of: "size").contains(number) {
            said["size"] = number
        }
        let accepted = applyOptions(said, to: &draft.options, of: product)
        state.focus = ProductFocus(product: product, options: draft.options, locationID: draft.locationID)
        state.flow = .availability(draft)
        guard accepted else { return }

        // "What colors does it come in?": the values on offer, and which are in stock.
        if let asked = entities.namedOptions.first(where: { product.optionNames.contains($0) && $0 != "size" }),
            entities.options[asked] == nil
        {
            var open = draft.options
            open[asked] = nil
            let values = product.values(of: asked, among: product.variants(matching: open))
            if values.count > 1 {
                let sizeClause = open["size"].map { " in size \($0)" } ?? ""
                ask(
                    "We have \(product.theName)\(sizeClause) in \(Speech.choices(values, option: asked, conjunction: "and")). Which \(asked) would you like?",
                    expecting: ExpectedSlot(option: asked) ?? .choice, hints: values)
                return
            }
        }
        if product.optionNames.contains("size"), draft.options["size"] == nil {
            let sizes = product.values(of: "size")
            if sizes.count > 1 {
                ask(
                    "We carry \(product.theName) in \(Speech.choices(sizes, option: "size")). What size are you looking for?",
                    expecting: .size, hints: Speech.sorted(sizes, option: "size"))
                return
            }
        }

        // One stock read covers the size asked for and its neighbours, for an alternative if it is sold out.
        var others = draft.options
        others["size"] = nil
        let levels: [StockLevel]
        do {
            levels = try await sellableStock(skus: product.variants(matching: others).map(\.sku))
        } catch {
            apologize(for: error)
            return
        }
        let wantedSKUs = Set(product.variants(matching: draft.options).map(\.sku))
        var byLocation: [String: Int] = [:]
        var countedAt: [String: Date] = [:]
        var lastKnown: Set<String> = []
        for level in levels where wantedSKUs.contains(level.sku) {
            byLocation[level.locationID, default: 0] += level.available
            if let date = level.countedAt { countedAt[level.locationID] = min(countedAt[level.locationID] ?? date, date) }
            if level.lastKnown == true { lastKnown.insert(level.locationID) }
        }
        let preferred = draft.locationID ?? state.customer?.homeLocationID
        let inStock = locations.filter { (byLocation[$0.id] ?? 0) > 0 }.nearestFirst(from: location(preferred), units: byLocation)
        let what = Speech.describe(product, options: draft.options)

        guard !inStock.isEmpty else {
            say("Sorry, \(what) is sold out at all our stores.")
            offerNearbySizes(product, wanted: draft.options["size"], levels: levels, wantedSKUs: wantedSKUs)
            return
        }
        finishedSlots = currentSlots
        state.flow = nil
        let clause = Speech.variantClause(product, options: draft.options)
        // A store the caller named that has it is the answer ("what about the mall?"); otherwise the nearest few.
        let named = draft.locationID.flatMap { id in entities.allLocations ? nil : inStock.first { $0.id == id } }
        let listed = named.map { [$0] } ?? Array(inStock.prefix(draft.locationID == nil && entities.allLocations ? 5 : 3))
        let counts = listed.enumerated().map { index, location in
            let count = byLocation[location.id] ?? 0
            return index == 0
                ? "\(Speech.count(count, of: product))\(clause) at \(Speech.store(location))"
                : "\(count) at \(Speech.store(location))"
        }
        if let wanted = preferred, (byLocation[wanted] ?? 0) == 0, let asked = location(wanted) {
            // The caller's store (named, or their home store) is out: the nearest that has it, and shipping.
            let it = Speech.pronoun(product, quantity: 1)
            let canSend = asked.acceptsTransfers && inStock.contains(where: \.acceptsTransfers)
            let transfer = canSend ? ", or have \(it) sent to \(Speech.store(asked)) for pickup in about \(asked.transferDays) days" : ""
            say(
                "\(Speech.store(asked).capitalizedFirst) is out of \(what), but we have \(Speech.list(counts)). We can also ship \(it) to you\(transfer)."
            )
        } else {
            say("Yes, we have \(product.theName) in stock: \(Speech.list(counts)).")
        }
        // "Check all locations": the stores that are out are said too.
        if entities.allLocations {
            let out = locations.filter { (byLocation[$0.id] ?? 0) == 0 && $0.id != preferred }.map { Speech.store($0) }
            if !out.isEmpty {
                let also = (byLocation[preferred ?? ""] ?? 1) == 0 ? " too" : ""
                say("\(Speech.list(out).capitalizedFirst) \(out.count == 1 ? "is" : "are") out of \(Speech.pronoun(product, quantity: 2))\(also).")
            }
        }
        // Honest about the last few and about old counts, at every store said: stock can be off until an order takes it.
        let low = listed.filter { (byLocation[$0.id] ?? 0) <= configuration.lowStockAt }
        if !low.isEmpty {
            let parts = low.enumerated().map { index, store in
                "\(byLocation[store.id] ?? 0)\(index == 0 ? " left" : "") at \(Speech.store(store))"
            }
            let units = low.reduce(0) { $0 + (byLocation[$1.id] ?? 0) }
            say("We show just \(Speech.list(parts)), so \(units == 1 ? "it isn't" : "they aren't") guaranteed until you order.")
        }
        let now = configuration.clock.now
        if listed.contains(where: { lastKnown.contains($0.id) }), let oldest = listed.compactMap({ countedAt[$0.id] }).min() {
            // The POS could not be read: these are the last counts we had, and we say so.
            let age = now.timeIntervalSince(oldest) < 60 ? "a moment ago" : "\(Speech.age(now.timeIntervalSince(oldest))) ago"
            say("I can't reach our live stock count right now: that's what we had as of \(age), so availability isn't guaranteed until you order.")
        } else {
            for store in listed {
                guard let counted = countedAt[store.id], now.timeIntervalSince(counted) >= configuration.staleStockAfter else { continue }
                say(
                    "That count at \(Speech.store(store)) is from \(Speech.age(now.timeIntervalSince(counted))) ago, so availability isn't guaranteed until you order."
                )
            }
        }
        if !draft.queued.isEmpty {
            let next = draft.queued.removeFirst()
            state.flow = .availability(AvailabilityDraft(queued: draft.queued, itemRequest: next))
            interpretation.entities = next
            await continueAvailability()
            return
        }
        if !state.setAside.isEmpty {
            // Asked in the middle of an order: the order set aside comes first.
            state.flow = nil
            offerMoreHelp()
            return
        }
        let one = product.unit.map { "a \($0)" } ?? "one"
        confirm("Would you like to order \(one)?", .offerOrder)
    }

    /// Sold out everywhere: offers the closest sizes that are in stock somewhere.
    private mutating func offerNearbySizes(_ product: Product, wanted size: String?, levels: [StockLevel], wantedSKUs: Set<SKU>) {
        var stockedSizes = Set<String>()
        for level in levels where level.available > 0 && !wantedSKUs.contains(level.sku) {
            if let value = product.variants.first(where: { $0.sku == level.sku })?.options["size"] { stockedSizes.insert(value) }
        }
        guard let size, let wanted = Double(size), !stockedSizes.isEmpty else {
            state.flow = nil
            say("Is there another product I can check for you?")
            state.pending = .anythingElse
            return
        }
        let closest = stockedSizes.compactMap { value in Double(value).map { (value, abs($0 - wanted)) } }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(2).map(\.0)
        if case .availability(var draft) = state.flow {
            draft.options["size"] = nil
            state.flow = .availability(draft)
        }
        state.focus?.options["size"] = nil
        let sizes = Speech.sorted(closest, option: "size")
        ask(
            "We do have size \(Speech.list(sizes)) in stock. Would one of those work?", expecting: .size, hints: sizes)
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
