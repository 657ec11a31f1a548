/// Mends typed-chat slips against the words understanding knows: "recieve" → "receive", "apprecaite" →
/// "appreciate", "oder" → "order", "thisorder" → "this order".
///
/// A word is only mended when understanding does not know it, it is not a number, and a known word is one
/// edit away (a letter dropped, added, changed, or two letters swapped); the most common such word wins.
/// Built once from the intent examples and keywords with a deletion index, so a lookup is a few hashes.
struct SpellingCorrector: Sendable {
    /// Known words and how many examples use each.
    private var frequency: [String: Int] = [:]
    /// Each known word under every string one deletion away from it (and under itself).
    private var deletions: [String: [String]] = [:]

    /// Words shorter than this are left alone: too many short words are one edit apart.
    static let shortestMended = 6
    /// Words longer than this are left alone: no word anyone says is, and mending costs the square of the length.
    static let longestMended = 30

    init(words: [String]) {
        for word in words where !word.hasPrefix("<") && !word.contains(where: \.isNumber) { frequency[word, default: 0] += 1 }
        for word in frequency.keys where word.count >= Self.shortestMended - 1 {
            for variant in Set([word] + Self.oneDeleted(word)) { deletions[variant, default: []].append(word) }
        }
    }

    /// Whether the word is known as written.
    func knows(_ word: String) -> Bool { frequency[word] != nil }

    /// The known word or words an unknown word most likely stands for, or nil when it is known, too short,
    /// a number, or nothing known is close.
    func mend(_ word: String) -> [String]? {
        guard frequency[word] == nil, (Self.shortestMended...Self.longestMended).contains(word.count), !word.contains(where: \.isNumber),
            !word.hasPrefix("<")
        else { return nil }
        var candidates = Set<String>()
        // A letter added ("orderr"), dropped ("oder"), changed ("adress") or two swapped ("recieve").
        for variant in [word] + Self.oneDeleted(word) {
            for known in deletions[variant] ?? [] where Self.oneEditApart(word, known) { candidates.insert(known) }
        }
        if let best = candidates.max(by: { (frequency[$0]!, $1) < (frequency[$1]!, $0) }) { return [best] }
        // Two words run together ("thisorder"), each known and at least two letters.
        let letters = Array(word)
        for cut in 2...(letters.count - 2) {
            let head = String(letters[..<cut])
            let tail = String(letters[cut...])
            if frequency[head] != nil, frequency[tail] != nil { return [head, tail] }
        }
        return nil
    }

    /// The words with every unknown one mended.
    func mendAll(_ words: [String]) -> [String] {
        words.flatMap { mend($0) ?? [$0] }
    }

    private static func oneDeleted(_ word: String) -> [String] {
        let letters = Array(word)
        return letters.indices.map { index in
            var copy = letters
            copy.remove(at: index)
            return String(copy)
        }
    }

    /// Damerau distance exactly one (insertion, deletion, substitution or adjacent swap).
    private static func oneEditApart(_ a: String, _ b: String) -> Bool {
        let x = Array(a)
        let y = Array(b)
        if x.count == y.count {
            let differences = x.indices.filter { x[$0] != y[$0] }
            if differences.count == 1 { return true }
            return differences.count == 2 && differences[1] == differences[0] + 1
                && x[differences[0]] == y[differences[1]] && x[differences[1]] == y[differences[0]]
        }
        let (long, short) = x.count > y.count ? (x, y) : (y, x)
        guard long.count == short.count + 1 else { return false }
        var skipped = false
        var i = 0
        var j = 0
        while i < long.count, j < short.count {
            if long[i] == short[j] {
                i += 1
                j += 1
            } else if skipped {
                return false
            } else {
                skipped = true
                i += 1
            }
        }
        return true
    }
}
