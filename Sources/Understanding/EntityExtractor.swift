import RetailModel

/// Finds products, sizes, colors, quantities, stores, order numbers and the rest in normalized words.
///
/// It also returns the words with every entity replaced by a placeholder ("<item>", "<num>",
/// "<color>", "<loc>"), so the intent classifier learns phrasing, not product names.
struct EntityExtractor: Sendable {
    let lexicon: CatalogLexicon

    static let letterSizes: [String: String] = [
        "xs": "XS", "s": "S", "m": "M", "l": "L", "xl": "XL", "xxl": "XXL", "2xl": "XXL", "small": "S", "medium": "M",
        "med": "M", "large": "L", "smalls": "S", "mediums": "M", "larges": "L",
    ]
    private static let referenceWords: Set<String> = ["that", "it", "those", "them", "these", "this", "same", "ones"]
    private static let ordinals: [String: Int] = ["first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1, "latest": 1, "recent": 1]
    private static let quantityNouns: Set<String> = ["pair", "pairs", "of", "more", "units", "items", "pieces"]

    /// The most words in any phrase `extract` looks for ("not what i ordered").
    private static let longestPhrase = 5

    private static let reasons: [(phrase: [String], reason: String)] = [
        (["too", "small"], "too small"), (["too", "tight"], "too small"), (["too", "short"], "too small"),
        (["too", "narrow"], "too narrow"), (["too", "wide"], "too wide"), (["shrank"], "shrank"), (["shrunk"], "shrank"),
        (["too", "big"], "too big"), (["too", "large"], "too big"), (["too", "loose"], "too big"),
        (["too", "long"], "too big"), (["runs", "big"], "too big"), (["runs", "large"], "too big"),
        (["runs", "small"], "too small"), (["does", "not", "fit"], "does not fit"), (["did", "not", "fit"], "does not fit"),
        (["do", "not", "fit"], "does not fit"), (["doesnt", "fit"], "does not fit"), (["wrong", "size"], "wrong size"),
        (["wrong", "color"], "wrong item"), (["wrong", "item"], "wrong item"), (["wrong", "one"], "wrong item"),
        (["not", "what", "i", "ordered"], "wrong item"), (["damaged"], "damaged"), (["broken"], "damaged"),
        (["ripped"], "damaged"), (["torn"], "damaged"), (["stain"], "damaged"), (["stained"], "damaged"),
        (["defective"], "defective"), (["faulty"], "defective"), (["fell", "apart"], "defective"),
        (["wore", "out"], "worn out"), (["worn", "out"], "worn out"), (["has", "a", "hole"], "damaged"), (["have", "a", "hole"], "damaged"),
        (["holes"], "damaged"),
        (["changed", "my", "mind"], "changed mind"), (["do", "not", "need"], "changed mind"),
        (["do", "not", "want"], "changed mind"), (["do", "not", "like"], "did not like"),
        (["did", "not", "like"], "did not like"), (["not", "my", "style"], "did not like"), (["not", "for", "me"], "did not like"),
        (["does", "not", "suit"], "did not like"), (["did", "not", "suit"], "did not like"), (["do", "not", "suit"], "did not like"),
        (["not", "comfortable"], "uncomfortable"),
        (["uncomfortable"], "uncomfortable"), (["hurt"], "uncomfortable"), (["hurts"], "uncomfortable"),
        (["not", "as", "described"], "not as described"), (["looks", "different"], "not as described"),
        (["arrived", "late"], "arrived late"), (["gift"], "unwanted gift"),
    ]

    private static let productTriggers: Set<String> = [
        "have", "got", "carry", "sell", "stock", "order", "buy", "find", "get", "want", "need", "about",
    ]
    private static let articles: Set<String> = ["the", "a", "an", "any", "some", "those", "these", "more", "new", "that", "your", "you", "guys"]
    private static let phraseEnd: Set<String> = [
        "in", "size", "for", "at", "please", "today", "available", "now", "with", "and", "or", "to", "from", "right",
        "still", "left", "there", "here", "on", "is", "are", "by", "if", "because", "so", "it", "them", "this",
        "one", "ones", "pair", "pairs", "store", "stock", "back", "anymore", "too", "again", "my", "order", "help",
    ]

    /// The noun phrase after "do you have…", "I want to order…" when no catalog name matched.
    private static func unknownProductPhrase(_ words: [String], consumed: [Bool]) -> String? {
        guard let trigger = words.lastIndex(where: productTriggers.contains) else { return nil }
        var index = trigger + 1
        while index < words.count, articles.contains(words[index]) || words[index] == "to" { index += 1 }
        var phrase: [String] = []
        while index < words.count, !consumed[index], !phraseEnd.contains(words[index]), phrase.count < 4 {
            phrase.append(words[index])
            index += 1
        }
        let meaningless: Set<String> = [
            "something", "anything", "stuff", "things", "it", "like", "check", "know", "return", "place", "talk", "speak",
            "a", "make", "other", "same", "different", "cheaper", "bigger", "smaller", "help", "refund", "money", "card",
            "person", "someone", "somebody", "human", "agent", "representative", "update", "status", "tracking", "rid",
            "shipped", "delivered", "sent", "mailed", "posted", "picked", "pickup", "back", "refund", "exchange",
        ]
        guard let first = phrase.first, !meaningless.contains(first) else { return nil }
        return phrase.joined(separator: " ")
    }

    /// Everyday words that never start or end a sound-alike product name.
    private static let plainWords: Set<String> = [
        "the", "a", "an", "in", "of", "and", "to", "do", "you", "have", "is", "it", "i", "my", "for", "at", "on", "size",
        "any", "some", "got", "get", "want", "need", "order", "return", "please", "that", "this", "those", "these", "what",
        "where", "can", "would", "like", "with", "are", "was", "your", "me", "we", "or", "if", "so", "but", "not", "no",
        "yes", "stock", "store", "pair", "pairs", "there", "their", "they", "them", "one", "ones", "just", "about",
        "oh", "ok", "okay", "um", "so", "well", "actually", "really", "yeah", "hey", "hi", "hello", "thanks", "please",
    ]

    /// Product and brand names heard a little wrong by a recognizer, where no exact name matched.
    private func soundAlikeSpans(
        _ words: [String], besides exact: [(range: Range<Int>, meanings: [CatalogLexicon.Meaning])]
    )
        -> [(range: Range<Int>, meanings: [CatalogLexicon.Meaning])]
    {
        var covered = Array(repeating: false, count: words.count)
        for span in exact { for position in span.range { covered[position] = true } }
        func usable(_ position: Int) -> Bool {
            !covered[position] && !Self.plainWords.contains(words[position]) && !NumberWords.isNumeric(words[position])
        }
        var found: [(range: Range<Int>, meanings: [CatalogLexicon.Meaning])] = []
        // Words misheard just before a name that did match ("nigh key" + "air max"): the whole run may sound like one name.
        for span in exact where span.meanings.contains(where: { if case .products = $0 { true } else if case .brand = $0 { true } else { false } }) {
            for extra in [2, 1] where span.range.lowerBound - extra >= 0 {
                let range = (span.range.lowerBound - extra)..<span.range.upperBound
                guard (range.lowerBound..<span.range.lowerBound).allSatisfy(usable) else { continue }
                let meanings = lexicon.soundAlikeMeanings(of: words[range])
                if !meanings.isEmpty {
                    found.append((range, meanings))
                    for position in range { covered[position] = true }
                    break
                }
            }
        }
        var index = 0
        while index < words.count {
            guard usable(index) else {
                index += 1
                continue
            }
            var matched = false
            for length in stride(from: min(4, words.count - index), through: 1, by: -1) {
                let range = index..<(index + length)
                // Inner words may be numbers ("air max 90"); every other word must be a possible name word.
                guard range.allSatisfy({ usable($0) || (!covered[$0] && NumberWords.isNumeric(words[$0])) }),
                    usable(range.upperBound - 1)
                else { continue }
                if length == 1 && words[index].count < 4 { continue }
                let meanings = lexicon.soundAlikeMeanings(of: words[range])
                if !meanings.isEmpty {
                    found.append((range, meanings))
                    index += length
                    matched = true
                    break
                }
            }
            if !matched { index += 1 }
        }
        return found
    }

    /// Words after which a name is what the caller wants, has or asks about ("do you have any vans", "from Guess").
    private static let shoppingWords: Set<String> = [
        "have", "got", "carry", "sell", "stock", "order", "ordered", "buy", "bought", "find", "get", "want", "need", "about",
        "from", "take", "try", "see", "return", "returning", "exchange", "check", "price", "prices", "cost", "show",
        "recommend", "add", "drop", "remove", "delete", "swap", "change", "keep", "make", "put", "include", "instead",
    ]
    private static let determiners: Set<String> = [
        "the", "a", "an", "any", "some", "those", "these", "that", "this", "your", "more", "new", "pair", "pairs", "of", "my",
    ]
    /// Words after a name that ask about it as an item: "is the kanken available", "do the sambas come in black".
    private static let askedOfAnItem: Set<String> = ["available", "still", "cost", "costs", "come", "comes"]
    /// Words after "my <name>" that say it is a thing the caller has or ordered ("my vans haven't come", "my Ons order").
    private static let afterOwned: Set<String> = [
        "order", "orders", "arrived", "have", "has", "are", "is", "were", "was", "came", "come", "yet", "ready", "shipped",
        "delivered", "did", "that", "i", "from", "still", "it", "they", "them", "and", "which", "please",
    ]

    /// Whether words the catalog knows as a name but that are also everyday English stand as a name here: beside
    /// another catalog word (a product, a kind, a size, a colour), as the object of a shopping word, as something the
    /// caller owns or ordered, or as the whole answer.
    private static func standsAsName(
        _ range: Range<Int>, in words: [String], spans: [(range: Range<Int>, meanings: [CatalogLexicon.Meaning])]
    ) -> Bool {
        let fillers: Set<String> = ["the", "a", "an", "please", "um", "uh", "yes", "yeah", "no", "just", "oh", "ok", "okay", "one", "ones"]
        if words.indices.allSatisfy({ range.contains($0) || fillers.contains(words[$0]) }) { return true }
        // Beside another catalog word: "Coach bag", "Brooks Ghost", "Gap hoodie", "a cream mug".
        for other in spans where other.range != range {
            guard other.range.lowerBound == range.upperBound || other.range.upperBound == range.lowerBound else { continue }
            if other.meanings.contains(where: {
                switch $0 {
                case .products, .kind: true
                case .brand: other.range.upperBound == range.lowerBound
                case .option: true
                case .location: false
                }
            }) {
                return true
            }
        }
        // A model number after it: "Ghost 15s", "yeezy boost 350".
        if range.upperBound < words.count, let digits = Optional(words[range.upperBound].filter(\.isNumber)), digits.count >= 2,
            words[range.upperBound].first?.isNumber == true, !["in", "size"].contains(range.lowerBound > 0 ? words[range.lowerBound - 1] : "")
        {
            return true
        }
        // A size or colour after it: "the Ons in a 10", "vans size nine", "Guess in black".
        var next = range.upperBound
        if next < words.count, ["in", "size"].contains(words[next]) {
            next += 1
            while next < words.count, ["a", "an", "size", "the"].contains(words[next]) { next += 1 }
            if next < words.count,
                NumberWords.isNumeric(words[next]) || letterSizes[words[next]] != nil || commonColors.contains(words[next])
                    || ["stock", "store"].contains(words[next])
                    || spans.contains(where: { $0.range.lowerBound == next })
            {
                return true
            }
        }
        var before = range.lowerBound - 1
        var askedForAny = false
        while before >= 0, determiners.contains(words[before]) {
            askedForAny = askedForAny || ["any", "some"].contains(words[before])
            before -= 1
        }
        // "From" names a maker, not a part of a name: "something from Guess", never "back from Arizona".
        let isBrand = spans.contains { $0.range == range && $0.meanings.contains { if case .brand = $0 { true } else { false } } }
        if askedForAny || (before >= 0 && shoppingWords.contains(words[before]) && (words[before] != "from" || isBrand)) { return true }
        // Asked about as an item: "how much are the sambas", "is the kanken still available".
        if words[max(0, range.lowerBound - 4)..<range.lowerBound].contains("much")
            || (range.upperBound < words.count && Self.askedOfAnItem.contains(words[range.upperBound]))
        {
            return true
        }
        if range.lowerBound > 0, words[range.lowerBound - 1] == "my" {
            return range.upperBound == words.count || afterOwned.contains(words[range.upperBound])
        }
        return false
    }

    /// "can I get that shipped", "I want it delivered", "have them sent": a delivery choice, not a status question.
    /// "Send one over to Riverside", "have them sent to the Pier store", "transfer it": the units go to a store.
    private static func sendsToStore(_ words: [String], storeNamed: Bool) -> Bool {
        if words.contains("transfer") || words.contains("transferred") { return true }
        guard let send = words.firstIndex(where: { ["send", "sent", "bring", "move"].contains($0) }) else { return false }
        let after = words.dropFirst(send + 1)
        return after.contains("over")
            || (storeNamed && after.contains("to") && !after.contains(where: { ["house", "home", "address", "me"].contains($0) }))
    }

    /// "Can I get the karma candle shipped": the item named, or a word for it, between the verb and "shipped".
    private static func getsItSent(_ words: [String], consumed: [Bool]) -> Bool {
        for (index, word) in words.enumerated() where ["shipped", "delivered", "sent", "mailed", "posted"].contains(word) {
            let before = words[max(0, index - 4)..<index]
            if before.contains(where: { ["get", "have", "want", "like", "need"].contains($0) })
                && (before.contains(where: { ["it", "them", "that", "those", "these", "one", "ones", "pair"].contains($0) })
                    || (max(0, index - 3)..<index).contains { consumed[$0] })
            {
                return true
            }
        }
        return false
    }

    /// Color words callers use, whether or not the catalog sells them.
    static let commonColors: Set<String> = [
        "black", "white", "grey", "gray", "red", "blue", "green", "yellow", "orange", "purple", "pink", "brown", "beige",
        "tan", "navy", "cream", "ivory", "khaki", "olive", "maroon", "burgundy", "teal", "turquoise", "lavender", "lilac",
        "charcoal", "chestnut", "camel", "coral", "mustard", "silver", "gold", "bronze", "chocolate", "sand", "stone",
    ]

    /// The other ways a letter size is written: "S" is "Small", "Medium" is "M".
    static func letterSizeReadings(_ value: String) -> [String] {
        let lower = value.lowercased()
        if let letter = letterSizes[lower] { return [letter] }
        let spelled: [String: String] = ["S": "Small", "M": "Medium", "L": "Large", "XL": "Extra Large", "XS": "Extra Small"]
        return spelled[value.uppercased()].map { [$0] } ?? []
    }

    private static let topLevelDomains: Set<String> = [
        "com", "net", "org", "edu", "gov", "io", "co", "uk", "us", "ca", "de", "fr", "au", "me", "info", "biz",
    ]
    private static let addressSymbols: [String: String] = ["dot": ".", "underscore": "_", "dash": "-", "hyphen": "-", "period": "."]

    /// "ana dot garcia at gmail dot com" → "ana.garcia@gmail.com", and where it was said.
    static func email(in words: [String]) -> (text: String, range: Range<Int>)? {
        for at in words.indices where words[at] == "at" && at > 0 {
            // The domain: words joined by "dot", ending in a known top-level domain.
            var domain: [String] = []
            var end = at + 1
            while end < words.count, addressSymbols[words[end]] == nil {
                domain.append(words[end])
                end += 1
                guard end + 1 < words.count, ["dot", "period"].contains(words[end]) else { break }
                end += 1
            }
            guard domain.count >= 2, let last = domain.last, topLevelDomains.contains(last) else { continue }
            // The name before "at": words, letters and digits, joined by "dot", "underscore" or "dash".
            let markers: Set<String> = ["is", "email", "mail", "address", "my", "its", "it", "me", "to", "use", "try"]
            var start = at
            while start > 0, !markers.contains(words[start - 1]) || addressSymbols[words[start - 1]] != nil, at - start < 12 { start -= 1 }
            guard start < at else { continue }
            let name = words[start..<at].map { addressSymbols[$0] ?? $0 }.joined()
            guard let first = name.first, first.isLetter || first.isNumber else { continue }
            return ("\(name)@\(domain.joined(separator: "."))", start..<end)
        }
        return nil
    }

    /// A zip code or postcode said after "zip (code)", "postcode" or "postal code" (and "is"): five digits, or a UK
    /// postcode in its two halves ("yo1 7hh").
    static func postalCode(in words: [String]) -> (text: String, range: Range<Int>)? {
        for (index, word) in words.enumerated() where ["zip", "zipcode", "postcode", "postal"].contains(word) {
            var start = index + 1
            while start < words.count, ["code", "is", "it", "its", "was"].contains(words[start]) { start += 1 }
            guard start < words.count else { return nil }
            let first = words[start]
            if first.count == 5, NumberWords.isDigits(first) { return (first, start..<(start + 1)) }
            // "YO1 7HH": letters then a digit, then a digit and two letters.
            if (2...4).contains(first.count), first.first!.isLetter, first.contains(where: \.isNumber), start + 1 < words.count {
                let second = words[start + 1]
                if second.count == 3, second.first!.isNumber, second.dropFirst().allSatisfy(\.isLetter) {
                    return ("\(first) \(second)".uppercased(), start..<(start + 2))
                }
            }
        }
        return nil
    }

    /// Words said before a size: "size 9", "EU 42", "UK eight", "euro 44".
    private static let sizeWords: Set<String> = ["size", "eu", "euro", "european", "uk", "us", "usa"]
    /// Words that say which number of a pair is which: waist and length, or a child's age ("5 to 6 years").
    private static let pairWords: Set<String> = [
        "waist", "length", "leg", "inseam", "long", "w", "l", "to", "age", "ages", "year", "years", "yrs", "old", "months",
    ]

    /// A waist-and-length size starting at `position`, and how many words it takes: the catalog's value when it sells
    /// one with those two numbers, else the pair as "32x34" (said with "by" or "x", a size the store may not carry).
    private func sizePair(_ words: [String], at position: Int) -> (size: String, length: Int)? {
        let word = words[position]
        func known(_ a: String, _ b: String) -> String? {
            let key = "\(a)x\(b)"
            return lexicon.sizesByPair[key] ?? (lexicon.sizes.contains(key) ? key : nil)
        }
        // "32x34", "w32", "3234".
        let sides = word.split(separator: "x")
        if sides.count == 2, sides.allSatisfy({ Int($0) != nil }) { return (known(String(sides[0]), String(sides[1])) ?? word.uppercased(), 1) }
        if word.count == 4, NumberWords.isDigits(word), let size = known(String(word.prefix(2)), String(word.suffix(2))),
            position == 0 || !["order", "number"].contains(words[position - 1])
        {
            return (size, 1)
        }
        guard NumberWords.isDigits(word) else { return nil }
        // "32 by 34", "32 x 34": a pair, known or not.
        if position + 2 < words.count, ["by", "x"].contains(words[position + 1]), NumberWords.isDigits(words[position + 2]) {
            return (known(word, words[position + 2]) ?? "\(word)x\(words[position + 2])", 3)
        }
        // "32 34", "32 waist 34 leg": a pair only when the catalog sells it.
        var next = position + 1
        while next < words.count, Self.pairWords.contains(words[next]) { next += 1 }
        guard next < words.count, NumberWords.isDigits(words[next]), let size = known(word, words[next]) else { return nil }
        var end = next + 1
        while end < words.count, Self.pairWords.contains(words[end]) { end += 1 }
        return (size, end - position)
    }

    struct Result {
        var entities: Entities
        var masked: [String]
        /// Where the utterance named a product or a brand, and which words no entity used.
        var nameSpans: [(range: Range<Int>, brandOnly: Bool)] = []
        /// Where each thing named begins: a product, a kind ("a hoodie"), or a brand not followed by either.
        var itemStarts: [Int] = []
        var consumed: [Bool] = []
        /// Where a kind of item was named ("jacket"), if one was.
        var kindRange: Range<Int>?
    }

    /// - Parameter orderNumberDigits: how long the store's order numbers are: one of that length said as an order's is
    ///   an order number, even as long as a card's.
    func extract(_ words: [String], expecting: ExpectedSlot?, orderNumberDigits: ClosedRange<Int>? = nil) -> Result {
        var entities = Entities()
        var masked: [String] = []
        var consumed = Array(repeating: false, count: words.count)
        var index = 0

        // Catalog phrases, longest first at each position.
        var spans: [(range: Range<Int>, meanings: [CatalogLexicon.Meaning])] = []
        while index < words.count {
            var matched = false
            for length in stride(from: min(6, words.count - index), through: 1, by: -1) {
                let slice = words[index..<(index + length)]
                if length == 1, ["a", "the", "i", "in", "it", "s", "m", "l", "one"].contains(slice.first!) { continue }
                let meanings = lexicon.meanings(of: slice)
                if !meanings.isEmpty {
                    spans.append((index..<(index + length), meanings))
                    index += length
                    matched = true
                    break
                }
            }
            if !matched { index += 1 }
        }
        // "My coach said", "put it on my card", "I guess so": a name that is everyday English counts only where it stands
        // as a name. What was read as one is not heard again as a sound-alike.
        let everyday = spans.filter { lexicon.isEverydayName(words[$0.range]) }
        let found = spans
        spans = spans.compactMap { span in
            guard everyday.contains(where: { $0.range == span.range }),
                !Self.standsAsName(span.range, in: words, spans: found)
            else { return span }
            // Only the name is dropped: "hoodie" may still be a kind of item. Part of a value ("hunter" of "Hunter Green")
            // is dropped too, unless it is chosen as one ("in hunter", "the orange one").
            let kindPart = lexicon.isKindPart(words[span.range])
            let valuePart = lexicon.isValuePart(words[span.range])
            let chosenAsValue =
                (span.range.lowerBound > 0 && words[span.range.lowerBound - 1] == "in")
                || (span.range.upperBound < words.count && ["one", "ones"].contains(words[span.range.upperBound]))
            let rest = span.meanings.filter {
                switch $0 {
                case .products, .brand: false
                case .kind: !kindPart
                case .option: !valuePart || chosenAsValue
                default: true
                }
            }
            return rest.isEmpty ? nil : (span.range, rest)
        }
        // "Too big", "too long": how something fits, never a value chosen ("Really Big", "Long").
        spans.removeAll { span in
            span.range.lowerBound > 0 && words[span.range.lowerBound - 1] == "too"
                && span.meanings.allSatisfy { if case .option = $0 { true } else { false } }
        }
        // A sound-alike with an everyday word in it ("I will wait" for "Willow Tote") must stand as a name too.
        let heard = soundAlikeSpans(words, besides: spans + everyday).filter { span in
            span.range.allSatisfy { !CatalogLexicon.isEveryday(words[$0...$0]) }
                || Self.standsAsName(span.range, in: words, spans: found + [span])
        }
        // A sound-alike run that swallowed an exact name replaces it.
        spans.removeAll { span in heard.contains { $0.range.overlaps(span.range) } }
        spans += heard
        spans.sort { $0.range.lowerBound < $1.range.lowerBound }
        var productSpanStarts = Set<Int>()
        var kindRange: Range<Int>?
        for span in spans {
            for meaning in span.meanings {
                switch meaning {
                case .products(let ids):
                    if entities.productIDs.isEmpty || span.range.count > (entities.productText?.split(separator: " ").count ?? 0) {
                        entities.productIDs = ids
                        entities.productText = words[span.range].joined(separator: " ")
                    }
                    productSpanStarts.insert(span.range.lowerBound)
                case .brand(let brand):
                    entities.brand = brand
                    productSpanStarts.insert(span.range.lowerBound)
                case .kind(let kind):
                    entities.kind = kind
                    kindRange = span.range
                    entities.kindWords = words[span.range].joined(separator: " ")
                    productSpanStarts.insert(span.range.lowerBound)
                case .option(let name, let value):
                    entities.options[name] = value
                    if span.range.count == 1, let size = Self.letterSizes[words[span.range.lowerBound]], words[span.range.lowerBound].count > 2 {
                        entities.alternativeOptions["size"] = size
                    }
                case .location(let id):
                    entities.locationID = id
                }
            }
            for position in span.range { consumed[position] = true }
        }
        var placeholderAt: [Int: String] = [:]
        for span in spans {
            let placeholder: String
            switch span.meanings.first! {
            case .products, .brand, .kind: placeholder = "<item>"
            case .option: placeholder = "<color>"
            case .location: placeholder = "<loc>"
            }
            placeholderAt[span.range.lowerBound] = placeholder
        }

        // A color the catalog does not sell ("chestnut") is still a color: the conversation says we don't have it.
        if entities.options["color"] == nil,
            let position = words.indices.first(where: { !consumed[$0] && Self.commonColors.contains(words[$0]) })
        {
            entities.options["color"] = words[position]
            consumed[position] = true
            placeholderAt[position] = "<color>"
        }

        // Spoken identifiers first, so their digits are no order number or size.
        if let address = Self.email(in: words) {
            entities.email = address.text
            for position in address.range { consumed[position] = true }
        }
        if let code = Self.postalCode(in: words) {
            entities.postalCode = code.text
            for position in code.range { consumed[position] = true }
        }

        // Numbers: sizes, quantities, order and card numbers.
        var bareNumberAt: Int?
        for (position, word) in words.enumerated() where !consumed[position] {
            let previous = position > 0 ? words[position - 1] : ""
            let next = position + 1 < words.count ? words[position + 1] : ""
            // A long number is a card only when it checks out as one (or a card was asked for); otherwise it
            // is most likely an order number from a platform with long ids.
            let saidAsOrder =
                expecting == .orderNumber || CardRedaction.orderWords.contains(previous)
                || (previous == "number" && position >= 2 && CardRedaction.orderWords.contains(words[position - 2]))
            let anOrdersLength = saidAsOrder && expecting != .cardNumber && orderNumberDigits?.contains(word.count) == true
            if NumberWords.isDigits(word), (13...19).contains(word.count), word.passesLuhnCheck || expecting == .cardNumber, !anOrdersLength {
                entities.cardNumber = word
                consumed[position] = true
                placeholderAt[position] = "<card>"
                continue
            }
            // Waist and length: "32 by 34", "32x34", "32 34", "thirty two waist thirty four leg", "3234" heard as one number.
            if let pair = sizePair(words, at: position) {
                entities.options["size"] = pair.size
                for covered in position..<(position + pair.length) { consumed[covered] = true }
                placeholderAt[position] = "<num>"
                continue
            }
            if let letter = Self.letterSizes[word] {
                let spelledOut = word.count > 3 || ["xl", "xxl", "xs", "2xl"].contains(word)
                let abbreviationInContext =
                    previous == "size" || expecting == .size
                    || (word.count >= 2 && ["a", "an", "in"].contains(previous)) || previous == "in"
                if (spelledOut || abbreviationInContext) && previous != "too" && entities.options["size"] == nil {
                    entities.options["size"] = letter
                    consumed[position] = true
                    placeholderAt[position] = "<num>"
                    continue
                }
            }
            if word == "extra", let letter = Self.letterSizes[next], ["S", "L"].contains(letter) {
                entities.options["size"] = "X" + letter
                consumed[position] = true
                consumed[position + 1] = true
                placeholderAt[position] = "<num>"
                continue
            }
            guard NumberWords.isNumeric(word), let value = Double(word) else { continue }
            // "A 64 ounce Hydro Flask" when the catalog has no 64 oz: a size with a unit all the same, which the
            // conversation says it doesn't carry.
            if entities.options["size"] == nil, next.count >= 2, next != "in",
                let unit = CatalogLexicon.unitWords.first(where: { $0.contains(next) })
            {
                entities.options["size"] = "\(NumberWords.format(value)) \(unit[0])"
                consumed[position] = true
                consumed[position + 1] = true
                placeholderAt[position] = "<num>"
                continue
            }
            // "27.5" when asked which wheel, "the 750s": a number that is one option value with a unit. "Seven fifty" is
            // heard as "7 50".
            let joined = NumberWords.isDigits(word) && NumberWords.isDigits(next) && next.count == 2 ? word + next : nil
            if let number = joined.flatMap({ lexicon.optionsByNumber[$0] == nil ? nil : $0 }) ?? Optional(NumberWords.format(value)),
                let option = lexicon.optionsByNumber[number], lexicon.sizes.contains(number) == false, !Self.quantityNouns.contains(next),
                expecting == .choice || (expecting != nil && expecting == ExpectedSlot(option: option.name))
                    || ["a", "an", "in", "the"].contains(previous)
            {
                entities.options[option.name] = option.value
                consumed[position] = true
                if number != NumberWords.format(value) { consumed[position + 1] = true }
                placeholderAt[position] = "<num>"
                continue
            }
            let isWhole = value == value.rounded()
            // "In a 54" when the catalog's only 54 is "54 cm"; "8" when it is "UK 8".
            let unitSize = lexicon.sizes.contains(NumberWords.format(value)) ? nil : lexicon.sizesByNumber[NumberWords.format(value)]
            // Any size the catalog sells, or a whole or half size between its smallest and largest ("in a 15").
            let sizeLike =
                lexicon.sizes.contains(NumberWords.format(value)) || unitSize != nil
                || (lexicon.numericSizes?.contains(value) == true && (isWhole || value - value.rounded(.down) == 0.5))
            let countsItems =
                Self.quantityNouns.contains(next) || productSpanStarts.contains(position + 1)
                || (next == "of" && position + 2 < words.count)
            if ["order", "number", "numbers", "confirmation", "#", "purchase", "locate", "track"].contains(previous) && word.count >= 3
                && NumberWords.isDigits(word) || NumberWords.isDigits(word) && word.count > 8
                || (NumberWords.isDigits(word) && word.count >= 4 && word.count <= 8
                    && (position == 0 || ["is", "was", "for", "about", "with", "on", "its", "it", "and", "return", "track"].contains(previous)))
                || expecting == .orderNumber && NumberWords.isDigits(word) && word.count >= 3
            {
                entities.orderNumber = word
            } else if Self.sizeWords.contains(previous) || expecting == .size && sizeLike {
                entities.options["size"] = unitSize ?? NumberWords.format(value)
            } else if isWhole, value >= 1, value <= 20 && (expecting == .quantity || previous == "quantity") || value <= 9999 && countsItems {
                // "50 pairs", "a hundred of the mugs": counted items, however many; the conversation checks the stock.
                entities.quantity = Int(value)
            } else if sizeLike && (previous == "a" || previous == "in" || previous == "an") {
                entities.options["size"] = unitSize ?? NumberWords.format(value)
            } else if sizeLike && (lexicon.sizes.contains(NumberWords.format(value)) || (unitSize != nil && !isWhole)) {
                // "the air max 10", "make it 11": a size or a count; the conversation knows the product.
                entities.bareNumber = unitSize ?? NumberWords.format(value)
                bareNumberAt = position
            } else if isWhole, value >= 1, value <= 10, !productSpanStarts.isEmpty {
                entities.quantity = Int(value)
            } else if isWhole, value >= 1, value <= 20 {
                entities.bareNumber = NumberWords.format(value)
                bareNumberAt = position
            } else {
                continue
            }
            consumed[position] = true
            placeholderAt[position] = "<num>"
        }
        if entities.quantity == nil {
            if expecting == .quantity, entities.bareNumber == nil, words.contains("one"),
                !words.contains("every"), !words.contains("all")
            {
                entities.quantity = 1
            } else if let position = words.firstIndex(of: "couple"), position > 0, words[position - 1] == "a" {
                entities.quantity = 2
            } else if words.contains("both") {
                entities.quantity = 2
            }
        }

        if entities.cardNumber != nil {
            // Digits said with a card number are its expiry or code: never a size, quantity or order number.
            entities.orderNumber = nil
            entities.quantity = nil
            entities.bareNumber = nil
            entities.options["size"] = nil
        }

        // Words and phrases.
        // Every run of up to five words, looked up in a set: Foundation's substring search on the joined text was most of
        // the cost of building the intent classifier, which reads every example through here.
        var said = Set<String>()
        for start in words.indices {
            var phrase = ""
            for end in start..<min(start + Self.longestPhrase, words.count) {
                phrase += end == start ? words[end] : " " + words[end]
                said.insert(phrase)
            }
        }
        func has(_ phrase: String) -> Bool { said.contains(phrase) }
        if Self.sendsToStore(words, storeNamed: entities.locationID != nil) {
            entities.fulfillment = .pickup
            entities.sentToStore = true
        } else if ["pick up", "pickup", "pick it up", "pick them up", "collect", "in store", "at the store", "click and collect"]
            .contains(where: has)
        {
            entities.fulfillment = .pickup
        } else if [
            "ship", "ship it", "shipped to", "shipping", "deliver", "delivered to", "delivery", "mail", "send it", "send them", "to my house",
            "to my home",
            "have it shipped", "have them shipped", "get it shipped", "get them shipped", "shipped instead", "shipped please", "shipped to me",
            "mail it", "mailed", "post it", "posted",
        ]
        .contains(where: has)
            || (words.last == "shipped" && words.count >= 2
                && (placeholderAt[words.count - 2] != nil || NumberWords.isNumeric(words[words.count - 2])))
            || Self.getsItSent(words, consumed: consumed)
        {
            entities.fulfillment = .shipping
        }
        let optionWords: [(String, String)] = [
            ("size", "size"), ("sizes", "size"), ("color", "color"), ("colors", "color"), ("colour", "color"),
            ("colours", "color"), ("width", "width"), ("widths", "width"), ("fit", "fit"), ("fits", "fit"),
            ("quantity", "quantity"), ("how many", "quantity"), ("store", "location"), ("location", "location"),
        ]
        entities.namedOptions = optionWords.filter { has($0.0) }.map(\.1)
        entities.mentionsCard = ["card", "visa", "mastercard", "amex", "discover", "debit"].contains(where: has)
        for phrase in [
            "all locations", "all stores", "all your stores", "all of your stores", "any store", "any location", "other stores", "other locations",
            "another store", "another location", "every store", "anywhere else", "anywhere",
        ]
        where has(phrase) {
            entities.allLocations = true
            let length = phrase.split(separator: " ").count
            for start in 0...(words.count - length) where words[start..<(start + length)].joined(separator: " ") == phrase {
                for position in start..<(start + length) { consumed[position] = true }
                placeholderAt[start] = "<loc>"
            }
            break
        }
        // "Put it on my card" pays for an order; a card is where a refund goes only when a refund is spoken of.
        let aboutRefund = ["refund", "refunded", "back", "return", "returned", "returning", "credited"].contains(where: has)
        if ["original payment", "original card", "same card", "money back", "original method", "card i used", "back to my account"]
            .contains(where: has)
            || aboutRefund
                && ["my card", "the card", "credit card", "debit card", "my visa", "my mastercard", "my amex"].contains(where: has)
        {
            entities.refundMethod = .originalPayment
        } else if ["store credit", "credit", "gift card", "voucher"].contains(where: has) {
            entities.refundMethod = .storeCredit
        }
        for (phrase, reason) in Self.reasons where has(phrase.joined(separator: " ")) {
            entities.returnReason = reason
            break
        }
        // "It's way too heavy for me": any "too" and what it is too much of, in the caller's words.
        if entities.returnReason == nil, let too = words.firstIndex(of: "too"), too + 1 < words.count, too > 0,
            ["is", "are", "was", "were", "way", "much", "bit", "little", "far", "just", "so", "really", "a"].contains(words[too - 1]),
            words[too + 1].count >= 3, words[too + 1].allSatisfy(\.isLetter)
        {
            entities.returnReason = "too \(words[too + 1])"
        }
        for (position, word) in words.enumerated() where !consumed[position] {
            if let ordinal = Self.ordinals[word], position + 1 < words.count || position > 0 {
                if word == "recent" || word == "latest", !(position > 0 && ["most", "the", "my"].contains(words[position - 1])) { continue }
                // "last week", "first thing": times, not positions in a list.
                if position + 1 < words.count,
                    [
                        "week", "month", "year", "time", "night", "weekend", "thing", "monday", "tuesday", "wednesday", "thursday", "friday",
                        "saturday", "sunday",
                    ].contains(words[position + 1])
                {
                    continue
                }
                entities.ordinal = ordinal
            }
            if Self.referenceWords.contains(word) { entities.refersToFocus = true }
            if ["other", "another", "previous", "earlier", "older"].contains(word) { entities.refersToOther = true }
        }
        if entities.productIDs.count > 1, let brand = entities.brand {
            let narrowed = entities.productIDs.filter { lexicon.products[$0]?.brand == brand }
            if !narrowed.isEmpty { entities.productIDs = narrowed }
        }
        // Several products named, or a kind or brand of several, and values said that only one of them has ("a 40 ounce
        // tumbler in rose quartz"): that one.
        if entities.productIDs.count != 1, !entities.options.isEmpty {
            let named = entities.productIDs.isEmpty ? lexicon.products(brand: entities.brand, kind: entities.kind) : entities.productIDs
            let fitting = named.filter { id in
                guard let product = lexicon.products[id] else { return false }
                var chosen: [String: String] = [:]
                for (name, value) in entities.options {
                    guard let meant = product.value(of: name, said: value) else { return false }
                    chosen[name] = meant
                }
                return !product.variants(matching: chosen).isEmpty
            }
            // "Do the shoes come in red?" is about the shoes being talked about, not a search of the catalog.
            var before = (kindRange?.lowerBound ?? 0) - 1
            while before >= 0, consumed[before] || NumberWords.isNumeric(words[before]) { before -= 1 }
            let definite = kindRange != nil && before >= 0 && ["the", "those", "these", "that", "this", "my", "your"].contains(words[before])
            if fitting.count == 1, named.count > 1 {
                if entities.productIDs.isEmpty && definite { entities.impliedProductID = fitting[0] } else { entities.productIDs = fitting }
            }
        }
        // A kind or a brand the catalog has one product of ("the skillet", "a Nalgene") names that product; a kind and
        // a brand together ("a Hydro Flask bottle") the one product that is both.
        if entities.productIDs.isEmpty, entities.impliedProductID == nil, entities.kind != nil || entities.brand != nil {
            entities.impliedProductID = lexicon.onlyProduct(brand: entities.brand, kind: entities.kind)
        }
        // Read against the one product named: "brown" is its "hamilton brown", "8" its "UK 8", "khaki" its "kaki", and a
        // number said after its name one of its sizes ("the Targhees in black olive, ten").
        if let id = entities.productIDs.count == 1 ? entities.productIDs[0] : entities.impliedProductID, let product = lexicon.products[id] {
            for (name, value) in entities.options {
                let readings = [value] + Self.letterSizeReadings(value)
                if let meant = readings.lazy.compactMap({ product.value(of: name, said: $0) }).first
                    ?? lexicon.soundsLike(value, among: product.values(of: name))
                {
                    entities.options[name] = meant
                }
            }
            if entities.options["size"] == nil, let number = entities.bareNumber, let position = bareNumberAt,
                productSpanStarts.contains(where: { $0 < position }), let size = product.value(of: "size", said: number)
            {
                entities.options["size"] = size
                entities.bareNumber = nil
            }
        }

        if entities.productIDs.isEmpty, entities.brand == nil, entities.kind == nil {
            entities.unknownProductPhrase = Self.unknownProductPhrase(words, consumed: consumed)
        }

        for (position, word) in words.enumerated() {
            if let placeholder = placeholderAt[position] {
                if masked.last != placeholder { masked.append(placeholder) }
            } else if !consumed[position] {
                masked.append(word)
            }
        }
        let nameSpans = spans.compactMap { span -> (Range<Int>, Bool)? in
            switch span.meanings.first! {
            case .products: (span.range, false)
            case .brand: (span.range, true)
            default: nil
            }
        }
        // A brand right before a product or kind ("nike air max") names one thing, not two.
        var itemStarts: [Int] = []
        var lastEnd = -1
        for span in spans {
            guard let meaning = span.meanings.first else { continue }
            switch meaning {
            case .products, .brand, .kind:
                if span.range.lowerBound > lastEnd { itemStarts.append(span.range.lowerBound) }
                lastEnd = span.range.upperBound
            default: continue
            }
        }
        return Result(
            entities: entities, masked: masked, nameSpans: nameSpans, itemStarts: itemStarts, consumed: consumed, kindRange: kindRange)
    }
}
