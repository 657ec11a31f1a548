import RetailModel
import Understanding

/// Which product the caller means, found through the POS search.
enum ProductResolution {
    case product(Product)
    case ambiguous([Product])
    /// The caller named a model we don't carry ("yeezy boost 350"); what we have that is close.
    case notCarried(String, suggestions: [Product])
    /// Nothing in the catalog matched; the words the caller used, when there were some.
    case unknown(String?)
    case unnamed
}

extension Turn {
    /// Works out the product from what was just said, the choices offered, or the product in focus.
    private mutating func resolveProduct(current: Product?, candidates: [Product], useFocus: Bool) throws -> ProductResolution {
        let entities = interpretation.entities
        if !candidates.isEmpty {
            if let picked = entities.ordinal?.pick(from: candidates) { return .product(picked) }
            let named = candidates.filter { candidate in
                entities.productIDs.contains(candidate.id)
                    || (entities.productIDs.isEmpty
                        && (entities.brand.map { candidate.brand == $0 } ?? true)
                        && (entities.kind.map { matches(kind: $0, candidate) } ?? true)
                        && (entities.brand != nil || entities.kind != nil))
            }
            if named.count == 1 { return .product(named[0]) }
            // Nothing named at all ("white", "pickup please"): the choice is still open.
            if entities.productIDs.isEmpty, entities.brand == nil, entities.kind == nil, entities.unmatchedModel == nil,
                entities.unknownProductPhrase == nil, current == nil, !entities.refersToFocus
            {
                return .ambiguous(candidates)
            }
        }
        if let model = entities.unmatchedModel {
            let query = entities.productIDs.compactMap { products[$0]?.displayName }.first ?? entities.brand ?? model
            var found = try pos.searchProducts(matching: query)
            if let size = entities.options["size"], Double(size) != nil {
                let footwear = found.filter { $0.category == .footwear }
                if !footwear.isEmpty { found = footwear }
            }
            return .notCarried(model, suggestions: found)
        }
        if let phrase = entities.unknownProductPhrase {
            let found = try pos.searchProducts(matching: phrase)
            switch found.count {
            case 0: return .unknown(phrase)
            case 1: return .product(found[0])
            default: return .ambiguous(found)
            }
        }
        if !entities.productIDs.isEmpty {
            let known = entities.productIDs.compactMap { products[$0] }
            let query = known.count == 1 ? known[0].displayName : entities.productText ?? known.first?.displayName ?? ""
            let found = try pos.searchProducts(matching: query)
            let wanted = found.filter { entities.productIDs.contains($0.id) }
            let results = wanted.isEmpty ? found : wanted
            switch results.count {
            case 0: return .unknown(entities.productText)
            case 1: return .product(results[0])
            default: return .ambiguous(results)
            }
        }
        if entities.brand != nil || entities.kind != nil {
            let query = [entities.brand, entities.kind].compactMap { $0 }.joined(separator: " ")
            let found = try pos.searchProducts(matching: query)
            // "the New Balance" while talking about the 990v6 means the 990v6.
            if let current, found.contains(where: { $0.id == current.id }) { return .product(current) }
            switch found.count {
            case 0: return .unknown(query)
            case 1: return .product(found[0])
            default: return .ambiguous(found)
            }
        }
        if let current { return .product(current) }
        if let focus = state.focus,
            useFocus || entities.refersToFocus || !entities.options.isEmpty || entities.allLocations || entities.locationID != nil
                || entities.bareNumber != nil || !entities.namedOptions.isEmpty
        {
            return .product(focus.product)
        }
        // "Can you ship it?" while a choice is open: the choice still stands.
        if !candidates.isEmpty { return .ambiguous(candidates) }
        return .unnamed
    }

    /// What the store sells, from the live catalog: "We carry shoes and clothing from brands like Nike, Adidas and Levi's."
    var catalogPitch: String {
        let all = products.values.sorted { $0.id < $1.id }
        let categories = ProductCategory.allCases.filter { category in all.contains { $0.category == category } }
            .map { ["footwear": "shoes", "apparel": "clothing", "accessories": "accessories"][$0.rawValue]! }
        return "We carry \(Speech.list(categories)) from brands like \(Speech.list(Array(brandHints.prefix(4))))."
    }

    /// The catalog's brands, most products first: recognizer hints when the next answer is a product.
    var brandHints: [String] {
        var counts: [String: Int] = [:]
        for product in products.values { counts[product.brand, default: 0] += 1 }
        return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(10).map(\.key)
    }

    func matches(kind: String, _ product: Product) -> Bool {
        let wanted = kind.lowercased()
        if product.kind.lowercased() == wanted { return true }
        switch wanted {
        case "shoes": return product.category == .footwear
        case "clothes": return product.category == .apparel
        case "accessories": return product.category == .accessories
        // "Bags" are also "shoulder bags" and "handbags", "bottles" "water bottles".
        default:
            let kind = product.kind.lowercased()
            return kind.hasPrefix(String(wanted.dropLast())) || kind.split(separator: " ").last.map { $0.hasSuffix(wanted) } == true
        }
    }

    /// Finds the product the caller means, or says what happens next (a choice, a question, an apology).
    ///
    /// - Parameter candidates: the choices offered; replaced when new choices are offered.
    /// - Returns: the product, or nil when the reply already asks or apologizes.
    mutating func chooseProduct(current: Product?, candidates: inout [Product], useFocus: Bool, verb: String) throws -> Product? {
        let resolution: ProductResolution
        do {
            resolution = try resolveProduct(current: current, candidates: candidates, useFocus: useFocus)
        } catch let error as POSError {
            apologize(for: error)
            return nil
        }
        switch resolution {
        case .ambiguous(let found), .notCarried(_, let found): candidates = found
        case .product: candidates = []
        default: break
        }
        return settle(resolution, verb: verb)
    }

    /// Says what to do when no single product was found; returns the product when there is one.
    private mutating func settle(_ resolution: ProductResolution, verb: String) -> Product? {
        switch resolution {
        case .product(let product):
            return product
        case .ambiguous(let found):
            let names = found.prefix(3).map(\.theName)
            let entities = interpretation.entities
            if asked == .product, found.count <= 3, !entities.options.isEmpty || entities.locationID != nil || entities.fulfillment != nil {
                // A size or a store said while the choice is open: kept, and only the choice asked again.
                ask("Got it. And which one — \(Speech.list(names, conjunction: "or"))?", expecting: .product, hints: found.map(\.name))
                return nil
            }
            let lead = found.count > 3 ? "We have \(found.count) of those, including" : "We have"
            ask(
                "\(lead) \(Speech.list(names)). Which one \(verb)?", expecting: .product,
                hints: found.prefix(8).map(\.name))
            return nil
        case .notCarried(let model, let suggestions):
            let named = "\"\(model)\""
            guard !suggestions.isEmpty else {
                notUnderstood("Sorry, we don't carry \(named). \(catalogPitch) What are you looking for?", expecting: .product, hints: brandHints)
                return nil
            }
            let names = suggestions.prefix(3).map(\.theName)
            if suggestions.count == 1 {
                confirm(
                    "Sorry, we don't carry \(named). We do have \(names[0]) — would you like that instead?", .tryInstead(productID: suggestions[0].id)
                )
            } else {
                ask(
                    "Sorry, we don't carry \(named). We do have \(Speech.list(names)). Would one of those work?", expecting: .product,
                    hints: suggestions.prefix(3).map(\.name))
            }
            return nil
        case .unknown(let words?):
            // Understood, just not carried: a helpful question, not a misunderstanding. A brand we carry ("a Carhartt
            // hoodie") is answered with what we do have from it.
            let fromBrand =
                interpretation.entities.brand.map { brand in
                    products.values.filter { $0.brand.caseInsensitiveCompare(brand) == .orderedSame }.sorted { $0.name < $1.name }
                } ?? []
            if let brand = fromBrand.first?.brand {
                let names = fromBrand.prefix(3).map(\.theName)
                ask(
                    "Sorry, we don't carry \"\(words)\". From \(brand) we have \(Speech.list(names)). Would one of those work?",
                    expecting: .product, hints: fromBrand.prefix(8).map(\.name))
                return nil
            }
            ask(
                "Sorry, I couldn't find \"\(words)\" in our catalog. \(catalogPitch) What are you looking for?", expecting: .product,
                hints: brandHints)
            return nil
        case .unknown(nil):
            let named = "that"
            notUnderstood(
                "Sorry, I couldn't find \(named) in our catalog. \(catalogPitch) What are you looking for?", expecting: .product, hints: brandHints)
            return nil
        case .unnamed:
            ask("Sure — which product \(verb)?", expecting: .product, hints: brandHints)
            return nil
        }
    }

    /// Adds what was said about an item before its product was settled ("a black hoodie in medium", then
    /// "the Champion one") to the values heard this turn, which win.
    mutating func recall(_ request: Entities?, into said: inout [String: String]) {
        guard let request else { return }
        for (name, value) in request.options where said[name] == nil { said[name] = value }
        for (name, value) in request.alternativeOptions where interpretation.entities.alternativeOptions[name] == nil {
            interpretation.entities.alternativeOptions[name] = value
        }
    }

    /// Takes the option values said this turn that the product has; says so when one does not exist.
    ///
    /// - Returns: false when a value was refused (and the caller was told).
    mutating func applyOptions(_ heard: [String: String], to options: inout [String: String], of product: Product) -> Bool {
        // Second readings ("medium" as a size, not a width) fill in where this product has no place for the first.
        var said = heard
        for (name, value) in interpretation.entities.alternativeOptions where product.values(of: name).contains(value) {
            // The first reading of the same word ("medium" as a gauge, a width): does this product have a place for it?
            let firstReadingFits = said.contains {
                $0.key != name && Entities.letterSize($0.value) == value && product.values(of: $0.key).contains($0.value)
            }
            if said[name] == nil, !firstReadingFits { said[name] = value }
        }
        // "In a 10 wide" for a boot made in one width: said, not silently dropped.
        for name in ["width", "fit"] where !product.optionNames.contains(name) {
            guard let value = said[name], !["regular", "standard", "medium", "normal"].contains(value.lowercased()),
                !interpretation.entities.alternativeOptions.keys.contains(where: { product.optionNames.contains($0) })
            else { continue }
            say("Just so you know, \(product.theName) only comes in one \(name), not \(value).")
        }
        for name in Speech.orderedOptions(product) {
            guard let value = said[name] else { continue }
            let offered = product.values(of: name)
            // The value said, or the only one it can mean: "L" a pack sized "L/XL", "brown" the "hamilton brown", "8" a "UK 8".
            if let match = product.value(of: name, said: value) {
                options[name] = match
                // A new choice may rule out an earlier one ("actually red" when red has no 10.5): say so.
                if product.variants(matching: options).isEmpty {
                    // Drop earlier choices until the new one fits: first those that clash with it outright, then
                    // those not said this turn, then the rest.
                    var dropped: [String: String] = [:]
                    let others = options.keys.filter { $0 != name }
                    let clashing = others.filter { product.variants(matching: [name: match, $0: options[$0]!]).isEmpty }.sorted()
                    let older = others.filter { !clashing.contains($0) && said[$0] == nil }.sorted()
                    let newer = others.filter { !clashing.contains($0) && said[$0] != nil }.sorted()
                    for key in clashing + older + newer where product.variants(matching: options).isEmpty {
                        dropped[key] = options[key]
                        options[key] = nil
                    }
                    let spokenNew = name == "size" ? "size \(match)" : match
                    let spokenOld = Speech.list(dropped.sorted { $0.key < $1.key }.map { $0.key == "size" ? "size \($0.value)" : $0.value })
                    say("\(product.theName.capitalizedFirst) in \(spokenNew) doesn't come in \(spokenOld).")
                }
            } else {
                options[name] = nil
                let spokenValue = name == "size" ? "size \(value)" : value
                ask(
                    "Sorry, we don't carry \(product.theName) in \(spokenValue) — we have \(Speech.choices(offered, option: name, conjunction: "and")). Which would you like?",
                    expecting: ExpectedSlot(option: name) ?? .choice, hints: Speech.sorted(offered, option: name))
                return false
            }
        }
        return true
    }

    /// The next option still open for the chosen values (more than one value left), in asking order.
    func nextOpenOption(of product: Product, options: inout [String: String]) -> (name: String, values: [String])? {
        for name in Speech.orderedOptions(product) where options[name] == nil {
            let values = product.values(of: name, among: product.variants(matching: options))
            if values.count == 1 {
                options[name] = values[0]
                continue
            }
            if values.isEmpty { continue }
            return (name, values)
        }
        return nil
    }
}

extension Int {
    /// The item an ordinal names in a list said aloud: 1 is "the first", -1 is "the last".
    func pick<Item>(from items: [Item]) -> Item? {
        let index = self < 0 ? items.count + self : self - 1
        return items.indices.contains(index) ? items[index] : nil
    }
}
