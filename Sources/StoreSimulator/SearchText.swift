/// The word-level view of a search query used to match catalog text.
enum SearchText {
    /// Lower-cased words without punctuation, plurals folded ("sambas" → "samba", "shoes" → "shoe").
    static func words(_ text: String) -> Set<String> {
        let cleaned = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }
        return Set(String(cleaned).split(separator: " ").map { singular(String($0)) })
    }

    static func singular(_ word: String) -> String {
        guard word.count > 3, word.last == "s", !word.hasSuffix("ss") else { return word }
        if word.hasSuffix("xes") || word.hasSuffix("ches") || word.hasSuffix("shes") { return String(word.dropLast(2)) }
        return String(word.dropLast())
    }
}
