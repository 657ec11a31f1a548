import Foundation
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
    /// Sizes written with a word by their number alone ("54" → "54 cm", "8" → "UK 8"), where only one size has that
    /// number.
    public private(set) var sizesByNumber: [String: String] = [:]
    /// Sizes of two numbers by "waist x length" ("32x34" → "W32 L34").
    public private(set) var sizesByPair: [String: String] = [:]
    /// From the smallest to the largest size sold as a plain number: "in a 15" is a size, one the store may not carry.
    public private(set) var numericSizes: ClosedRange<Double>?
    /// Other options' values with a unit by their number alone ("27.5" → wheel "27.5 inch", "750" → "750 ml"), where
    /// only one value of any option has that number.
    public private(set) var optionsByNumber: [String: (name: String, value: String)] = [:]

    private static let normalizer = TranscriptNormalizer()

    private struct OptionValue: Hashable {
        var name: String
        var value: String
    }

    /// Words that only join or point ("the", "of", "for"): never a name's distinctive part.
    private static let joiningWords: Set<String> = [
        "the", "a", "an", "and", "of", "for", "with", "by", "in", "on", "to", "at", "or", "my", "your", "de", "la", "le", "du",
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

    /// Keys that name something only where the words around them support it (`EntityExtractor` decides): everyday
    /// English ("on", "coach", "guess") and one word taken from a longer name, which may be a place or a person
    /// ("Arizona", "Jackson").
    private var everydayKeys: Set<String> = []
    private struct ProductGroup: Hashable {
        var brand: String?
        var kind: String?
    }

    /// The first products (at most 50) of each group by brand, kind and both, for narrowing by the values said.
    private var groups: [ProductGroup: [String]] = [:]

    /// Everyday words of option values, which name the value only where it is chosen.
    private var valueParts: Set<String> = []
    /// Names and brands of one word ("YETI", "Samba"), which everyday words run together may spell.
    private var oneWordNames: Set<String> = []
    /// Keys that are the last word of a kind ("bottle" of "water bottles"); they need support like everyday names.
    private var kindParts: Set<String> = []

    /// Indexes every product name, its distinctive parts, aliases, brand, kind, option value and location.
    ///
    /// A part of a name ("better sweater" of "Better Sweater Fleece Jacket", "kanken" of "Kånken Classic") names the
    /// product when it is distinctive in this catalog: not only joining words, kinds of item, colours or words
    /// many products' names share. A part shared by a few products names them all, and the conversation asks which.
    public init(products: [Product], locations: [Location]) {
        self.products = Dictionary(products.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.locations = locations
        var sizes = Set<String>()
        var optionValues = Set<OptionValue>()
        var brandWords: [String: [String]] = [:]
        var kinds = Set<String>()
        let names = products.map { Self.normalizer.normalize($0.name) }
        // Sizes said in more than one word ("UK 8", "one size", "54 cm") are phrases of their own.
        var sizePhrases: [String: Bool] = [:]

        // What makes a word generic here: many names share it, or it names a kind of item or a colour.
        var sharing: [String: Int] = [:]
        for words in names { for word in Set(words.map(Self.singular)) { sharing[word, default: 0] += 1 } }
        let manyNames = max(3, products.count / 50)
        var plainWords = Self.joiningWords.union(Self.categoryWords.keys).union(EntityExtractor.commonColors)
        for kind in Set(products.map(\.kind)) {
            for word in Self.normalizer.normalize(kind) { plainWords.insert(Self.singular(word)) }
        }
        // Option values ("medium", "slim", "wide") and letter sizes are what a caller chooses, not a name.
        var valueWords = Set(EntityExtractor.letterSizes.keys)
        for product in products {
            for name in product.optionNames {
                for value in product.values(of: name) { valueWords.formUnion(Self.normalizer.normalize(value)) }
            }
        }
        plainWords.formUnion(valueWords)
        func generic(_ word: String) -> Bool {
            if word.allSatisfy(\.isNumber) { return word.count < 3 }
            let base = Self.singular(word)
            return plainWords.contains(base) || plainWords.contains(word) || (sharing[base] ?? 0) > manyNames
        }

        // One word of a longer name ("arizona", "jackson", "canada") is also a place or a person: it needs support too,
        // unless it is a whole name or alias of its own.
        var oneWordParts = Set<String>()
        var wholeNames = Set<String>()
        for (product, nameWords) in zip(products, names) {
            let brand = brandWords[product.brand] ?? Self.normalizer.normalize(product.brand)
            brandWords[product.brand] = brand
            // Each phrase is normalized once; "brand + name" and "brand + alias" reuse the words.
            let aliasWords = product.aliases.map { Self.normalizer.normalize($0) }
            var keys = Set([Self.key((brand + nameWords)[...]), Self.key(nameWords[...])])
            for words in aliasWords {
                keys.insert(Self.key(words[...]))
                keys.insert(Self.key((brand + words)[...]))
            }
            // Distinctive parts of the name, up to three words. "Brand + part" is read as the brand, then the part.
            for start in nameWords.indices {
                for end in (start + 1)...min(nameWords.count, start + 3) where end - start < nameWords.count {
                    let part = nameWords[start..<end]
                    guard !part.allSatisfy(generic), !Self.joiningWords.contains(part[start]),
                        !Self.joiningWords.contains(part[end - 1])
                    else { continue }
                    // A lone word is distinctive only when long enough to be a name: "samba", "501", never "6" or "air".
                    if part.count == 1, part[start].allSatisfy(\.isNumber) ? part[start].count < 3 : part[start].count < 4 { continue }
                    keys.insert(Self.key(part))
                    if part.count == 1 { oneWordParts.insert(Self.key(part)) }
                }
            }
            for key in keys where !key.isEmpty { add(key, .products([product.id])) }
            wholeNames.insert(Self.key(nameWords[...]))
            for words in aliasWords where !Self.isEveryday(words[...]) { wholeNames.insert(Self.key(words[...])) }
            for words in [nameWords] + aliasWords where Self.isEveryday(words[...]) { everydayKeys.insert(Self.key(words[...])) }
            add(Self.key(brand[...]), .brand(product.brand))
            if Self.isEveryday(brand[...]) { everydayKeys.insert(Self.key(brand[...])) }
            for words in [brand, nameWords] + aliasWords where words.count == 1 { oneWordNames.insert(Self.key(words[...])) }
            // "The Ons", "my Keens": a one-word brand said as the brand's shoes.
            if brand.count == 1, brand[0].count >= 2, !brand[0].hasSuffix("s") { add(brand[0] + "s", .brand(product.brand)) }
            // "Carhartt" for "Carhartt WIP", "North Face" for "The North Face": a brand without its extra words.
            // "Le Coq" for "Le Coq Sportif", "Martens" for "Dr. Martens", "Doc Martens" too.
            let core = brand.first == "the" ? Array(brand.dropFirst()) : brand
            var parts = (2..<max(2, brand.count)).map { Array(core.prefix($0)) }
            parts += core.filter { $0.count >= 4 && !generic($0) }.map { [$0] }
            parts.append(core)
            if let doctor = core.firstIndex(of: "dr") {
                for spoken in ["doc", "doctor"] {
                    var said = core
                    said[doctor] = spoken
                    parts.append(said)
                }
            }
            for part in parts where part != brand {
                guard !part.isEmpty, !(part.count == 1 && Self.joiningWords.contains(part[0])) else { continue }
                add(Self.key(part[...]), .brand(product.brand))
                if Self.isEveryday(part[...]) { everydayKeys.insert(Self.key(part[...])) }
            }
            kinds.insert(product.kind)
            for group in [
                ProductGroup(brand: product.brand, kind: nil), ProductGroup(brand: nil, kind: product.kind),
                ProductGroup(brand: product.brand, kind: product.kind),
            ] {
                if groups[group, default: []].count < 50 { groups[group, default: []].append(product.id) }
            }
            for variant in product.variants {
                for (name, value) in variant.options {
                    if name == "size" { sizes.insert(value) }
                    // A size with a unit ("2 gallon", "54 cm") is a phrase of its own, so its number is never a quantity.
                    if name != "size" {
                        optionValues.insert(OptionValue(name: name, value: value))
                    } else {
                        // Sizes in words ("UK 8", "One Size", "Small") are phrases; letters ("M") and numbers are read as such.
                        let phrase =
                            sizePhrases[value]
                            ?? (Self.normalizer.normalize(value).count > 1 || Self.unitPhrases(value).count > 1
                                || (value.count > 3 && value.allSatisfy(\.isLetter)))
                        sizePhrases[value] = phrase
                        if phrase { optionValues.insert(OptionValue(name: name, value: value)) }
                    }
                }
            }
        }
        everydayKeys.formUnion(oneWordParts.subtracting(wholeNames))
        var lastWords: [String: [String]] = [:]
        for kind in kinds.sorted() {
            let words = Self.normalizer.normalize(kind)
            add(Self.key(words[...]), .kind(kind))
            if words.count > 1, let last = words.last, last.count >= 3 { lastWords[Self.key([last][...]), default: []].append(kind) }
        }
        // "Water bottles" is also "a bottle", "camera lenses" "the lens", where no other kind or name is said that way.
        // Such a word is everyday English, so it counts only where it stands as a name ("can I" is no watering can).
        for (key, kinds) in lastWords.sorted(by: { $0.key < $1.key }) where kinds.count == 1 && meanings[key] == nil {
            add(key, .kind(kinds[0]))
            kindParts.insert(key)
        }
        // Option values repeat across thousands of variants: each is indexed once.
        for option in optionValues.sorted(by: { ($0.name, $0.value) < ($1.name, $1.value) }) {
            // "Black/white" is said "black and white".
            let both = option.value.contains("/") ? [option.value.replacingOccurrences(of: "/", with: " and ")] : []
            for phrase in Self.unitPhrases(option.value) + (Self.colorSynonyms[option.value] ?? []) + both {
                let words = Self.normalizer.normalize(phrase)
                // `12"` reads as a bare "12": a number alone is read as one, not as this value.
                guard !(words.count == 1 && NumberWords.isNumeric(words[0])) else { continue }
                add(Self.key(words[...]), .option(name: option.name, value: option.value))
            }
        }
        // Part of a value ("glacier" of "white/glacier", "brown" of "hamilton brown"): the value when only one has that
        // word, else the word itself, which the conversation matches against the chosen product's values.
        var partial: [OptionValue: Set<String>] = [:]
        for option in optionValues {
            let words = Self.normalizer.normalize(option.value)
            guard words.count > 1 else { continue }
            for word in words where word.count >= 3 && !Self.joiningWords.contains(word) && !word.allSatisfy(\.isNumber) {
                partial[OptionValue(name: option.name, value: word), default: []].insert(option.value)
            }
        }
        for (part, values) in partial.sorted(by: { ($0.key.name, $0.key.value) < ($1.key.name, $1.key.value) }) {
            let key = Self.key([part.value][...])
            guard meanings[key]?.contains(where: { if case .option = $0 { true } else { false } }) != true else { continue }
            add(key, .option(name: part.name, value: values.count == 1 ? values.first! : part.value))
            // An everyday word of a value ("hunter", "big") names it only where it is chosen as one.
            if Self.everydayWords.contains(part.value), !EntityExtractor.commonColors.contains(part.value) { valueParts.insert(key) }
        }
        for (word, kind) in Self.categoryWords where meanings[word] == nil { add(word, .kind(kind)) }
        for location in locations {
            // "140 Brooks Street" is also "the Brooks Street store".
            let street = Self.normalizer.normalize(location.address).drop { $0.contains(where: \.isNumber) }
            for words in [Self.normalizer.normalize(location.name)[...], Self.normalizer.normalize(location.id)[...]]
                + (street.count >= 2 ? [street] : [])
            {
                add(Self.key(words), .location(location.id))
            }
        }
        self.sizes = sizes
        var byNumber: [String: Set<String>] = [:]
        var byPair: [String: Set<String>] = [:]
        var numeric: [Double] = []
        for size in sizes {
            if let number = Double(size) {
                numeric.append(number)
                continue
            }
            let numbers = Self.normalizer.normalize(size).filter(NumberWords.isNumeric)
            if numbers.count == 1 { byNumber[numbers[0], default: []].insert(size) }
            let pair = size.lowercased().split(whereSeparator: { !$0.isNumber && $0 != "." }).compactMap { Double($0) }
            if pair.count == 2 { byPair[pair.map(NumberWords.format).joined(separator: "x"), default: []].insert(size) }
        }
        sizesByNumber = byNumber.compactMapValues { $0.count == 1 ? $0.first : nil }
        sizesByPair = byPair.compactMapValues { $0.count == 1 ? $0.first : nil }
        if let low = numeric.min(), let high = numeric.max() { numericSizes = low...high }
        var others: [String: [OptionValue]] = [:]
        for option in optionValues where option.name != "size" && Self.unitPhrases(option.value).count > 1 {
            others[String(option.value.split(separator: " ")[0]), default: []].append(option)
        }
        optionsByNumber = others.compactMapValues { $0.count == 1 ? ($0[0].name, $0[0].value) : nil }
    }

    /// Everyday English words (`Resources/everyday-english.txt`): a catalog name made of them needs support.
    static let everydayWords: Set<String> = {
        guard let url = Bundle.module.url(forResource: "everyday-english", withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return Set(text.split(whereSeparator: \.isNewline).map(String.init))
    }()

    /// Whether a name is one everyday English word ("on", "coach", "guess"). Names of several words ("New Balance",
    /// "Camp Lantern") are rarely said by chance.
    static func isEveryday(_ words: ArraySlice<String>) -> Bool {
        words.count == 1 && words.allSatisfy { everydayWords.contains($0) || everydayWords.contains(singular($0)) }
    }

    /// Units as callers say them, each with the other ways of writing it.
    static let unitWords: [[String]] = [
        ["cm", "centimeter", "centimeters", "centimetre", "centimetres"],
        ["mm", "millimeter", "millimeters", "millimetre", "millimetres", "mil", "mils"],
        ["m", "meter", "meters", "metre", "metres"], ["in", "inch", "inches"], ["ft", "foot", "feet"],
        ["oz", "ounce", "ounces"], ["lb", "lbs", "pound", "pounds"], ["kg", "kilo", "kilos", "kilogram", "kilograms"],
        ["g", "gram", "grams"], ["l", "liter", "liters", "litre", "litres"],
        ["ml", "milliliter", "milliliters", "millilitre", "millilitres", "mil", "mils"],
        ["qt", "quart", "quarts"], ["gal", "gallon", "gallons"], ["pt", "pint", "pints"],
    ]

    /// An option value and the same value with its unit written the other ways ("32 oz", "32 ounce", "32 ounces").
    static func unitPhrases(_ value: String) -> [String] {
        // Dimensions: "5x8" is said "5 by 8".
        let sides = value.lowercased().split(whereSeparator: { $0 == "x" || $0 == "×" }).map { $0.trimmingCharacters(in: .whitespaces) }
        if sides.count == 2, sides.allSatisfy({ Double($0) != nil }) {
            return [value, "\(sides[0]) by \(sides[1])", "\(sides[0]) x \(sides[1])"]
        }
        // "32 oz", "20oz", "10\"", "1.5 L": a number, then a unit, with or without a space.
        let text = value.lowercased().trimmingCharacters(in: .whitespaces)
        let number = String(text.prefix { $0.isNumber || $0 == "." })
        var unitWord = text.dropFirst(number.count).trimmingCharacters(in: .whitespaces)
        if unitWord == "\"" || unitWord == "''" { unitWord = "in" }
        if unitWord == "'" { unitWord = "ft" }
        guard Double(number) != nil, let unit = unitWords.first(where: { $0.contains(unitWord) }) else { return [value] }
        return [value] + unit.filter { "\(number) \($0)" != text }.map { "\(number) \($0)" }
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

    /// Whether the words name a product or brand only as everyday English would ("on", "coach", "guess").
    public func isEverydayName(_ words: ArraySlice<String>) -> Bool {
        let key = Self.key(words)
        if kindParts.contains(key) || valueParts.contains(key) { return true }
        // "Yet I" run together is "YETI": a one-word name heard as everyday words needs support too.
        if words.count > 1, oneWordNames.contains(key), words.allSatisfy({ Self.everydayWords.contains($0) }) { return true }
        return everydayKeys.contains(key)
            && (meanings[key] ?? []).contains {
                if case .products = $0 { true } else if case .brand = $0 { true } else { false }
            }
    }

    /// The products of a brand, a kind, or both (none when neither is given; at most 50, as a caller would be offered).
    public func products(brand: String?, kind: String?) -> [String] {
        guard brand != nil || kind != nil else { return [] }
        return groups[ProductGroup(brand: brand, kind: kind)] ?? []
    }

    /// The one product of a brand, a kind, or both, when the catalog has exactly one.
    public func onlyProduct(brand: String?, kind: String?) -> String? {
        let group = groups[ProductGroup(brand: brand, kind: kind)] ?? []
        return group.count == 1 ? group[0] : nil
    }

    /// Whether the words are only an everyday word of an option value ("hunter" of "Hunter Green").
    public func isValuePart(_ words: ArraySlice<String>) -> Bool { valueParts.contains(Self.key(words)) }

    /// Whether the words are only part of a kind's name ("bottle" of "water bottles").
    public func isKindPart(_ words: ArraySlice<String>) -> Bool { kindParts.contains(Self.key(words)) }

    /// The one value that sounds like what was said ("khaki" for "kaki", "cream" for "crème"), if only one does.
    public func soundsLike(_ said: String, among values: [String]) -> String? {
        let sound = Self.soundKey(said)
        guard sound.count >= 2 || said.count >= 4 else { return nil }
        let alike = values.filter { Self.soundKey($0) == sound }
        return alike.count == 1 ? alike[0] : nil
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
        if word == "lens" || word == "lenses" { return "lens" }
        let stem = word.dropLast()
        if word.hasSuffix("s"), stem.last?.isNumber == true { return String(stem) }
        guard word.count > 2, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us") else { return word }
        guard word.count > 3 else { return word }
        if word.hasSuffix("xes") || word.hasSuffix("ches") || word.hasSuffix("shes") { return String(word.dropLast(2)) }
        return String(stem)
    }
}
