extension Product {
    /// Whether every word of `text` is a word of the product's brand, name, kind, category or aliases (case and
    /// plurals folded: "sambas" finds the Samba). The simulator's search, and the gateway's when a POS's is down.
    public func matches(search text: String) -> Bool {
        let words = Self.searchWords(text)
        guard !words.isEmpty else { return false }
        let haystack = Self.searchWords(([brand, name, kind, category.rawValue] + aliases).joined(separator: " "))
        return words.allSatisfy(haystack.contains)
    }

    /// Lower-cased words without punctuation, plurals folded ("sambas" → "samba", "shoes" → "shoe").
    static func searchWords(_ text: String) -> Set<String> {
        let cleaned = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }
        return Set(String(cleaned).split(separator: " ").map { singular(String($0)) })
    }

    private static func singular(_ word: String) -> String {
        guard word.count > 3, word.last == "s", !word.hasSuffix("ss") else { return word }
        if word.hasSuffix("xes") || word.hasSuffix("ches") || word.hasSuffix("shes") { return String(word.dropLast(2)) }
        return String(word.dropLast())
    }
}
