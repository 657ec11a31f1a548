/// Identifier of a sellable variant: the unified SKU (Shopify `variant_id`, Square `item_variation_id`).
public typealias SKU = String

/// The broad department a product belongs to.
public enum ProductCategory: String, Sendable, Codable, CaseIterable {
    case footwear, apparel, accessories
}

/// A product as callers name it, with every variant the store sells.
public struct Product: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var brand: String
    /// The name without the brand, e.g. "Air Max 90".
    public var name: String
    public var category: ProductCategory
    /// The plural noun callers use for it: "shoes", "boots", "jeans", "hoodies".
    public var kind: String
    /// The counting unit when there is one ("pair"), used for "3 pairs".
    public var unit: String?
    /// Other spoken names ("air max", "airmax").
    public var aliases: [String]
    /// Variant option names in the order a caller should be asked: size first, then color.
    public var optionNames: [String]
    public var variants: [Variant]

    public init(
        id: String, brand: String, name: String, category: ProductCategory, kind: String, unit: String? = nil,
        aliases: [String] = [], optionNames: [String], variants: [Variant]
    ) {
        self.id = id
        self.brand = brand
        self.name = name
        self.category = category
        self.kind = kind
        self.unit = unit
        self.aliases = aliases
        self.optionNames = optionNames
        self.variants = variants
    }

    /// Brand and name, as said to a caller: "Nike Air Max 90".
    public var displayName: String { "\(brand) \(name)" }

    /// The distinct values of one option across the given variants, in catalog order.
    public func values(of option: String, among variants: [Variant]? = nil) -> [String] {
        var seen = Set<String>()
        return (variants ?? self.variants).compactMap { variant in
            guard let value = variant.options[option], seen.insert(value).inserted else { return nil }
            return value
        }
    }

    /// The variants whose options agree with every chosen value.
    public func variants(matching chosen: [String: String]) -> [Variant] {
        variants.filter { variant in chosen.allSatisfy { variant.options[$0.key] == $0.value } }
    }
}

/// One sellable combination of option values, e.g. size 10 in black.
public struct Variant: Sendable, Hashable, Codable {
    public var sku: SKU
    /// Option name → value, e.g. ["size": "10", "color": "black"].
    public var options: [String: String]
    public var price: Money

    public init(sku: SKU, options: [String: String], price: Money) {
        self.sku = sku
        self.options = options
        self.price = price
    }
}

extension Product {
    /// The one value of an option that what a caller said means: the value itself, or the only value holding every
    /// word said ("brown" → "hamilton brown", "white" → "white/glacier") or the same numbers ("8" → "UK 8",
    /// "32x34" → "W32 L34"). Nil when no value, or more than one, fits.
    public func value(of option: String, said: String) -> String? {
        let offered = values(of: option)
        if let exact = offered.first(where: { $0.caseInsensitiveCompare(said) == .orderedSame }) { return exact }
        let saidWords = Self.words(said)
        guard !saidWords.isEmpty else { return nil }
        let saidNumbers = Self.numbers(said)
        let fits = offered.filter { value in
            if saidWords.allSatisfy({ $0.first?.isNumber == true }) {
                return Self.numbers(value) == saidNumbers
            }
            return Set(saidWords).isSubset(of: Self.words(value))
        }
        if fits.count == 1 { return fits[0] }
        // "UK 8" for a boot sized "8": the same numbers, when only one value has them.
        guard fits.isEmpty, !saidNumbers.isEmpty else { return nil }
        let sameNumbers = offered.filter { Self.numbers($0) == saidNumbers }
        return sameNumbers.count == 1 ? sameNumbers[0] : nil
    }

    /// Lower-case words, split at anything but letters, digits and a decimal point between digits.
    private static func words(_ text: String) -> [String] {
        var words: [String] = []
        var word = ""
        let characters = Array(text.lowercased())
        for (index, character) in characters.enumerated() {
            let between = index > 0 && index + 1 < characters.count && characters[index - 1].isNumber && characters[index + 1].isNumber
            if character.isLetter || character.isNumber || (character == "." && between) {
                word.append(character)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    /// The numbers written in a text, in order: "W32 L34" → [32, 34].
    private static func numbers(_ text: String) -> [Double] {
        var numbers: [Double] = []
        var digits = ""
        for character in text + " " {
            if character.isNumber || (character == "." && !digits.isEmpty) {
                digits.append(character)
            } else if !digits.isEmpty {
                if let number = Double(digits) { numbers.append(number) }
                digits = ""
            }
        }
        return numbers
    }
}

extension Array where Element == Product {
    /// The same products, with equal sets of option values sharing one copy in memory: a catalog repeats a few dozen
    /// size-and-colour pairs over hundreds of thousands of variants (at 50,000 products, about 50 MB saved).
    public func sharingOptionValues() -> [Product] {
        var pool = Set<[String: String]>()
        return map { product in
            var product = product
            for index in product.variants.indices {
                product.variants[index].options = pool.insert(product.variants[index].options).memberAfterInsert
            }
            return product
        }
    }
}
