import Foundation
import RetailModel
import Understanding

/// "Do you have the Nike Air Max in size 10?": search products → stock.
extension Turn {
    mutating func startAvailability() throws {
        state.flow = .availability(AvailabilityDraft())
        try continueAvailability()
    }

    mutating func continueAvailability() throws {
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

        guard let product = try chooseProduct(current: draft.product, candidates: &draft.candidates, useFocus: false, verb: "are you interested in")
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
                let sizeClause = open["size"].map { " in size \(Speech.sayable($0))" } ?? ""
                ask(
                    "We have \(product.theName)\(sizeClause) in \(Speech.choices(values, option: asked, conjunction: "and")). Which \(asked) would you like?",
                    expecting: ExpectedSlot(option: asked) ?? .choice, hints: values)
                return
            }
        }
        if product.optionNames.contains("size"), draft.options["size"] == nil {
            let sizes = product.values(of: "size")
            if (2...3).contains(sizes.count) {
                try answerBySize(product, sizes: sizes, draft: draft)
                return
            }
            if sizes.count > 1 {
                ask(
                    "We carry \(product.theName) in \(Speech.choices(sizes, option: "size")). What size are you looking for?",
                    expecting: .size, hints: Speech.sorted(sizes, option: "size"))
                return
            }
        }

        // One stock read covers every variant, for an alternative if the one asked for is sold out.
        let levels: [StockLevel]
        do {
            levels = try sellableStock(skus: product.variants.map(\.sku))
        } catch let error as POSError {
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
            offerOtherValues(product, chosen: draft.options, levels: levels)
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
            let transfer = canSend ? ", or have \(it) sent to \(Speech.store(asked)) for pickup in \(Speech.aboutDays(asked.transferDays))" : ""
            if !listed.contains(where: \.acceptsPickup) {
                // Only a warehouse has it: shipping is the way to get it, not a store to visit.
                say(
                    "\(Speech.store(asked).capitalizedFirst) is out of \(what), but we can ship \(it) to you: we have \(Speech.list(counts))\(transfer)."
                )
            } else {
                say(
                    "\(Speech.store(asked).capitalizedFirst) is out of \(what), but we have \(Speech.list(counts)). We can also ship \(it) to you\(transfer)."
                )
            }
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
            try continueAvailability()
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

    /// A product in a few sizes asked about with none said ("is the fig leaf candle in stock at Elm?"): each size's stock
    /// at the caller's store, then which size they want.
    private mutating func answerBySize(_ product: Product, sizes: [String], draft: AvailabilityDraft) throws {
        let variants = product.variants(matching: draft.options)
        let levels: [StockLevel]
        do {
            levels = try sellableStock(skus: variants.map(\.sku))
        } catch let error as POSError {
            apologize(for: error)
            return
        }
        let store = location(draft.locationID ?? state.customer?.homeLocationID)
        func count(_ size: String, at id: String?) -> Int {
            let skus = Set(variants.filter { $0.options["size"] == size }.map(\.sku))
            return levels.filter { skus.contains($0.sku) && (id == nil || $0.locationID == id) }.reduce(0) { $0 + $1.available }
        }
        let ordered = Speech.sorted(sizes, option: "size")
        let here = ordered.filter { count($0, at: store?.id) > 0 }
        let elsewhere = ordered.filter { !here.contains($0) && count($0, at: nil) > 0 }
        let gone = ordered.filter { count($0, at: nil) == 0 }
        var sentences: [String] = []
        if here.isEmpty {
            sentences.append(
                "\(store.map { Speech.store($0).capitalizedFirst } ?? "We") \(store == nil ? "don't have" : "doesn't have") \(product.theName) in any size right now."
            )
        } else {
            let counts = here.map { "\(count($0, at: store?.id)) in size \(Speech.sayable($0))" }
            sentences.append("\(store.map { "At \(Speech.store($0)) we" } ?? "We") have \(product.theName): \(Speech.list(counts)).")
        }
        if !elsewhere.isEmpty, store != nil {
            sentences.append(
                "Size \(Speech.list(elsewhere, conjunction: "and")) \(elsewhere.count == 1 ? "is" : "are") in stock at our other stores.")
        }
        if !gone.isEmpty { sentences.append("Size \(Speech.list(gone, conjunction: "and")) \(gone.count == 1 ? "is" : "are") sold out.") }
        for sentence in sentences { say(sentence) }
        let offered = here + elsewhere
        // Asked in the middle of something else: that comes first.
        guard !offered.isEmpty, state.setAside.isEmpty else {
            if !state.setAside.isEmpty {
                state.flow = nil
                offerMoreHelp()
                return
            }
            state.flow = nil
            say("Is there another product I can check for you?")
            state.pending = .anythingElse
            return
        }
        ask("Which size would you like?", expecting: .size, hints: offered)
    }

    /// Sold out everywhere: offers what is in stock with one choice changed — the size first (the closest ones), then
    /// the other options ("no black lamp; we do have it in brass").
    private mutating func offerOtherValues(_ product: Product, chosen: [String: String], levels: [StockLevel]) {
        let stocked = Set(levels.filter { $0.available > 0 }.map(\.sku))
        func number(_ value: String) -> Double? { value.split(separator: " ").first.flatMap { Double($0) } }
        // The latest choice first, as an order reopens it: the size that fits is kept, another colour offered.
        for name in Speech.orderedOptions(product).reversed() {
            guard let wanted = chosen[name] else { continue }
            var rest = chosen
            rest[name] = nil
            let values = Set(product.variants(matching: rest).filter { stocked.contains($0.sku) }.compactMap { $0.options[name] })
                .subtracting([wanted])
            guard !values.isEmpty else { continue }
            let offered: [String]
            if let target = number(wanted), values.allSatisfy({ number($0) != nil }) {
                offered = values.sorted { (abs(number($0)! - target), number($0)!) < (abs(number($1)! - target), number($1)!) }
                    .prefix(2).map { $0 }
            } else {
                offered = Array(Speech.sorted(Array(values), option: name).prefix(3))
            }
            if case .availability(var draft) = state.flow {
                draft.options[name] = nil
                state.flow = .availability(draft)
            }
            state.focus?.options[name] = nil
            let them = Speech.pronoun(product, quantity: 1)
            ask(
                "We do have \(them) in \(Speech.choices(offered, option: name, conjunction: "or")). Would \(offered.count == 1 ? "that" : "one of those") work?",
                expecting: ExpectedSlot(option: name) ?? .choice, hints: Speech.sorted(offered, option: name))
            return
        }
        state.flow = nil
        say("Is there another product I can check for you?")
        state.pending = .anythingElse
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
