import RetailModel

/// The store's vocabulary, built from the live catalog: product names and aliases, brands, kinds of item,
/// option values (colors, widths, fits) and location names.
///
/// Phrases are keyed by their words run together, with the last word made singular, so "air max",
/// "airmax" and "air maxes" are one key.
public struct CatalogLexicon: Sendable {
    /// What a phrase in an utterance names.
    public enum Meaning: Sendable, Hashable {
        case products([String])
        case brand(String)
        case kind(String)
        case option(name: String, value: String)
        case location(String)
    }

    private var meanings: [String: [Meaning]] = [:]
    /// The catalog by product id.
    public let products: [String: Product]
    public let locations: [Location]
    /// Every size the catalog sells, for reading a bare number as a size.
    public private(set) var sizes: Set<String> = []
    /// Sizes with a unit by their number alone ("54" → "54 cm"), where only one size has that number.
    public private(set) var sizesByNumber: [String: String] = [:]
    /// Other options' values with a unit by their number alone ("27.5" → wheel "27.5 inch", "750" → "750 ml"), where
    /// only one value of any option has that number.
    public private(set) var optionsByNumber: [String: (name: String, value: String)] = [:]

    private static let normalizer = TranscriptNormalizer()

    private struct OptionValue: Hashable {
        var name: String
        var value: String
    }

    /// Name words too common to name a product on their own ("classic", "premium").
    private static let genericWords: Set<String> = [
        "classic", "original", "premium", "better", "active", "essential", "little", "super", "everyday", "retro",
        "light", "reverse", "cushioned", "adjustable", "leather", "knit", "cuffed", "trucker", "beefy", "pocket",
        "mesh", "jogger", "pants", "work", "crew", "socks", "pack", "backpack", "duffel", "belt", "spray", "protect",
        "hoodie", "fleece", "jacket", "sweater", "inch", "short", "slim", "club", "star", "five", "tech", "walk",
        "the", "all", "old", "high", "low", "white", "black", "boot", "shoe", "sneaker", "tee", "shirt",
    ]

    /// Words for a whole category, mapped to the kind word the conversation matches on.
    private static let categoryWords: [String: String] = [
        "shoe": "shoes", "trainer": "shoes", "sneaker": "shoes", "footwear": "shoes", "kick": "shoes",
        "clothe": "clothes", "clothing": "clothes", "apparel": "clothes", "accessory": "accessories",
        "pant": "pants", "trouser": "pants", "tshirt": "t-shirts", "tee": "t-shirts", "shirt": "shirts",
        "jumper": "sweaters", "sweatshirt": "hoodies", "coat": "jackets", "hat": "hats", "bag": "bags",
    ]

    private static let colorSynonyms: [String: [String]] = [
        "grey": ["gray"], "navy": ["navy blue"], "tan": ["beige"], "cream": ["off white"], "olive": ["olive green"],
    ]

    /// Indexes every product name, alias, brand, kind, option value and location name.
    public init(products: [Product], locations: [Location]) {
        self.products = Dictionary(products.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.locations = locations
        var sizes = Set<String>()
        var optionValues = Set<OptionValue>()
        var brandWords: [String: [String]] = [:]
        var kinds = Set<String>()

        for product in products {
            let brand = brandWords[product.brand] ?? Self.normalizer.normalize(product.brand)
            brandWords[product.brand] = brand
            // Each phrase is normalized once; "brand + name" and "brand + alias" reuse the words.
            let nameWords = Self.normalizer.normalize(product.name)
            let aliasWords = product.aliases.map { Self.normalizer.normalize($0) }
            var keys = Set([Self.key((brand + nameWords)[...]), Self.key(nameWords[...])])
            for words in aliasWords {
                keys.insert(Self.key(words[...]))
                keys.insert(Self.key((brand + words)[...]))
            }
            for length in 1..<max(1, nameWords.count) {
                let prefix = nameWords[0..<length]
                if length == 1 {
                    // A lone word names the product only when it is distinctive: "samba", "501", never "6" or "air".
                    let word = prefix[prefix.startIndex]
                    let distinctive = word.allSatisfy(\.isNumber) ? word.count >= 3 : word.count >= 5
                    guard distinctive, !Self.genericWords.contains(Self.singular(word)) else { continue }
                }
                guard !prefix.allSatisfy({ Self.genericWords.contains(Self.singular($0)) }) else { continue }
                keys.insert(Self.key(prefix))
                keys.insert(Self.key((brand + prefix)[...]))
            }
            for key in keys where !key.isEmpty { add(key, .products([product.id])) }
            add(Self.key(brand[...]), .brand(product.brand))
            if product.brand.lowercased().hasPrefix("the ") {
                add(Self.key(Self.normalizer.normalize(String(product.brand.dropFirst(4)))[...]), .brand(product.brand))
            }
            kinds.insert(product.kind)
            for variant in product.variants {
                for (name, value) in variant.options {
                    if name == "size" { sizes.insert(value) }
                    // A size with a unit ("2 gallon", "54 cm") is a phrase of its own, so its number is never a quantity.
                    if name != "size" || Self.unitPhrases(value).count > 1 { optionValues.insert(OptionValue(name: name, value: value)) }
                }
            }
        }
        for kind in kinds.sorted() { add(Self.key(Self.normalizer.normalize(kind)[...]), .kind(kind)) }
        // Option values repeat across thousands of variants: each is indexed once.
        for option in optionValues.sorted(by: { ($0.name, $0.value) < ($1.name, $1.value) }) {
            for phrase in Self.unitPhrases(option.value) + (Self.colorSynonyms[option.value] ?? []) {
                add(Self.key(Self.normalizer.normalize(phrase)[...]), .option(name: option.name, value: option.value))
            }
        }
        for (word, kind) in Self.categoryWords where meanings[word] == nil { add(word, .kind(kind)) }
        for location in locations {
            for phrase in [location.name, location.id] {
                add(Self.key(Self.normalizer.normalize(phrase)[...]), .location(location.id))
            }
        }
        self.sizes = sizes
        var byNumber: [String: Set<String>] = [:]
        for size in sizes where Self.unitPhrases(size).count > 1 {
            byNumber[String(size.split(separator: " ")[0]), default: []].insert(size)
        }
        sizesByNumber = byNumber.compactMapValues { $0.count == 1 ? $0.first : nil }
        var others: [String: [OptionValue]] = [:]
        for option in optionValues where option.name != "size" && Self.unitPhrases(option.value).count > 1 {
            others[String(option.value.split(separator: " ")[0]), default: []].append(option)
        }
        optionsByNumber = others.compactMapValues { $0.count == 1 ? ($0[0].name, $0[0].value) : nil }
    }

    /// Units as callers say them, each with the other ways of writing it.
    private static let unitWords: [[String]] = [
        ["cm", "centimeter", "centimeters", "centimetre", "centimetres"], ["mm", "millimeter", "millimeters", "millimetre", "millimetres"],
        ["m", "meter", "meters", "metre", "metres"], ["in", "inch", "inches"], ["ft", "foot", "feet"],
        ["oz", "ounce", "ounces"], ["lb", "lbs", "pound", "pounds"], ["kg", "kilo", "kilos", "kilogram", "kilograms"],
        ["g", "gram", "grams"], ["l", "liter", "liters", "litre", "litres"], ["ml", "milliliter", "milliliters", "millilitre"],
        ["qt", "quart", "quarts"], ["gal", "gallon", "gallons"], ["pt", "pint", "pints"],
    ]

    /// An option value and the same value with its unit written the other ways ("32 oz", "32 ounce", "32 ounces").
    static func unitPhrases(_ value: String) -> [String] {
        // Dimensions: "5x8" is said "5 by 8".
        let sides = value.lowercased().split(whereSeparator: { $0 == "x" || $0 == "×" }).map { $0.trimmingCharacters(in: .whitespaces) }
        if sides.count == 2, sides.allSatisfy({ Double($0) != nil }) {
            return [value, "\(sides[0]) by \(sides[1])", "\(sides[0]) x \(sides[1])"]
        }
        let parts = value.lowercased().split(separator: " ").map(String.init)
        guard parts.count == 2, Double(parts[0]) != nil, let unit = unitWords.first(where: { $0.contains(parts[1]) }) else { return [value] }
        return [value] + unit.filter { $0 != parts[1] }.map { "\(parts[0]) \($0)" }
    }

    /// Product and brand names by how they sound, for recognizer slips ("nigh key air max", "ultra bost").
    private var soundAlikes: [String: [Meaning]] = [:]

    private mutating func add(_ key: String, _ meaning: Meaning) {
        guard !key.isEmpty else { return }
        switch meaning {
        case .products, .brand:
            let sound = Self.soundKey(key)
            if sound.count >= 3, soundAlikes[sound]?.contains(meaning) != true {
                if case .products(let ids) = meaning,
                    let index = soundAlikes[sound]?.firstIndex(where: {
                        if case .products = $0 { true } else { false }
                    }), case .products(let existing) = soundAlikes[sound]![index]
                {
                    if !existing.contains(ids[0]) { soundAlikes[sound]![index] = .products(existing + ids) }
                } else {
                    soundAlikes[sound, default: []].append(meaning)
                }
            }
        default:
            break
        }
        if case .products(let ids) = meaning,
            let index = meanings[key]?.firstIndex(where: {
                if case .products = $0 { true } else { false }
            }), case .products(let existing) = meanings[key]![index]
        {
            if !existing.contains(ids[0]) { meanings[key]![index] = .products(existing + ids) }
            return
        }
        if meanings[key]?.contains(meaning) == true { return }
        meanings[key, default: []].append(meaning)
    }

    /// The meanings of a run of normalized words, if it is a known phrase.
    public func meanings(of words: ArraySlice<String>) -> [Meaning] {
        meanings[Self.key(words)] ?? []
    }

    /// Product or brand names that sound like the words, when no name matched them exactly.
    public func soundAlikeMeanings(of words: ArraySlice<String>) -> [Meaning] {
        let sound = Self.soundKey(Self.key(words))
        // Short skeletons match too much on their own: "smb" counts only when it took several words to say.
        guard sound.count >= 4 || (sound.count == 3 && words.count >= 2) else { return [] }
        return soundAlikes[sound] ?? []
    }

    /// A consonant skeleton of how a word sounds: "nighkeyairmax" and "nikeairmax" both give "nkrmk".
    ///
    /// One pass over the letters (it runs for every catalog name at start-up): common spellings of one
    /// sound are folded together ("igh" → "i", "ph" → "f", "ck"/"c"/"q" → "k", "x" → "ks", "z" → "s"),
    /// vowels and h, w, y after the first letter dropped, repeats collapsed, a trailing s removed.
    static func soundKey(_ text: String) -> String {
        let letters = Array(text.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
        var sounds: [Unicode.Scalar] = []
        sounds.reserveCapacity(letters.count + 2)
        func at(_ index: Int) -> Unicode.Scalar? { index < letters.count ? letters[index] : nil }
        var index = 0
        while index < letters.count {
            let letter = letters[index]
            let next = at(index + 1)
            switch (letter, next) {
            case ("i", "g") where at(index + 2) == "h": sounds.append("i"); index += 3; continue
            case ("g", "h") where index > 0: index += 2; continue
            case ("p", "h"): sounds.append("f"); index += 2; continue
            case ("c", "k"), ("q", "u"): sounds.append("k"); index += 2; continue
            case ("q", _): sounds.append("k")
            case ("w", "h"): sounds.append("w"); index += 2; continue
            case ("w", "r"): sounds.append("r"); index += 2; continue
            case ("k", "n"): sounds.append("n"); index += 2; continue
            case ("d", "g"): sounds.append("j"); index += 2; continue
            case ("c", "e"), ("c", "i"), ("c", "y"): sounds.append("s"); index += 1; continue
            case ("c", _): sounds.append("k")
            case ("x", _): sounds.append("k"); sounds.append("s")
            case ("z", _): sounds.append("s")
            default: sounds.append(letter)
            }
            index += 1
        }
        var skeleton = String.UnicodeScalarView()
        for (position, sound) in sounds.enumerated() {
            if position > 0 && "aeiouyhw".unicodeScalars.contains(sound) { continue }
            if skeleton.last == sound { continue }
            skeleton.append(sound)
        }
        while skeleton.count > 1, skeleton.last == "s" { skeleton.removeLast() }
        return String(skeleton)
    }

    /// Words run together with the last one made singular: ["air", "maxes"] → "airmax".
    static func key(_ words: ArraySlice<String>) -> String {
        guard let last = words.last else { return "" }
        return (words.dropLast() + [singular(last)]).joined()
    }

    /// "maxes" → "max", "sambas" → "samba", "90s" → "90", "3s" → "3", "shoes" → "shoe"; "dress" stays.
    static func singular(_ word: String) -> String {
        let stem = word.dropLast()
        if word.hasSuffix("s"), stem.last?.isNumber == true { return String(stem) }
        guard word.count > 2, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us") else { return word }
        guard word.count > 3 else { return word }
        if word.hasSuffix("xes") || word.hasSuffix("ches") || word.hasSuffix("shes") { return String(word.dropLast(2)) }
        return String(stem)
    }
}
