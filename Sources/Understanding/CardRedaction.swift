/// What of an utterance may be kept once card-like digit runs are taken out: the one pass every transcript line,
/// trace, log line, hand-off summary and echoed value goes through.
///
/// A run is digit groups with at most a few joining words between them ("4532, uh, 0151 and 1283"), in whatever
/// grouping the caller read it. A run of 7 digits or more is replaced: as "card ending 1234" when it is the card number
/// understood, else as "[digits]". Seven is the first length that says more than a card's first six digits, which a
/// card network lets anyone show; shorter numbers (sizes, quantities, order numbers, zip codes) are kept. A longer
/// order number said as one ("order 450789469") is masked in what is kept but stays in the understood values, so the
/// order can be looked up; no reply reads a long number back unless the POS knows it as an order. A run that
/// ends one turn and is continued at the start of the next counts as one run, so a card read four digits at a time is
/// caught on the second group and the first group's line is masked too. While a card is being read, or when the
/// utterance holds one, every digit in it is replaced (an expiry date, a security code).
public struct CardRedaction: Sendable, Hashable {
    /// The utterance as it may be kept, traced, logged or repeated.
    public var text: String
    /// Digits in the run the utterance ends on (nothing but joining words after it), counting what it continued: what the
    /// next turn's first run adds to.
    public var trailingDigits: Int
    /// The first run continued the previous turn's into a card-like length: earlier lines of that run must be masked too.
    public var continuesEarlierRun: Bool
    /// The digits of every run that was replaced, for dropping values read from them ("order 41111111").
    public var maskedRuns: [String]

    /// The most digits a run may have and be kept.
    public static let longestKept = 6
    /// What a masked run reads as in what is kept.
    public static let mark = "[digits]"

    /// Words a caller says between digit groups of one number.
    static let joiners: Set<String> = [
        "and", "then", "dash", "dashes", "hyphen", "space", "no", "sorry", "wait", "actually", "ok", "okay", "so", "is",
        "it", "that", "next", "last", "are", "again", "right", "yeah", "yes", "got", "sec", "second", "hold", "on", "o",
        "oh", "double", "triple", "ends", "ending", "with", "in", "dot", "point", "period", "slash", "comma",
    ]

    /// At most this many joining words in a row keep a run going.
    static let longestGap = 3

    /// Redacts the normalized words of one utterance.
    ///
    /// - Parameter carried: digits in the run the previous turn ended on (its `trailingDigits`).
    /// - Parameter card: the card number understood in this utterance, if any.
    /// - Parameter readingCard: the conversation asked for a card number, or one is in the utterance: no digit is kept.
    /// - Parameter orderNumberDigits: how long the store's order numbers are; a number of that length said as an order's
    ///   is the order's, even as long as a card's.
    public static func redact(
        _ words: [String], carried: Int = 0, card: String? = nil, readingCard: Bool = false, orderNumberDigits: ClosedRange<Int>? = nil
    ) -> CardRedaction {
        let runs = Self.runs(in: words)
        var masked = Array(repeating: false, count: words.count)
        var maskedRuns: [String] = []
        var continues = false
        var trailing = 0
        for (number, run) in runs.enumerated() {
            let digits = run.positions.map { words[$0].filter(\.isNumber) }.joined()
            // Only a run the turn opens with continues the last turn's ("and 0151"): anything said before it starts afresh.
            let opensTurn = number == 0 && !words[..<run.range.lowerBound].contains { !Self.joiners.contains($0) }
            // An order's number is whole in itself: it neither continues the last turn's run nor is continued. Long, it is
            // masked in what is kept like any other run (it may be a card misheard), but its value stays for the lookup.
            let namesAnOrder = Self.namesAnOrder(words, run: run.range, digits: digits, orderNumberDigits: orderNumberDigits)
            let total = namesAnOrder ? 0 : digits.count + (opensTurn ? carried : 0)
            if readingCard || card != nil || total > longestKept || digits.count > longestKept {
                for position in run.range { masked[position] = true }
                if !namesAnOrder || readingCard || card != nil { maskedRuns.append(digits) }
                if opensTurn, carried > 0, digits.count <= longestKept, !readingCard, card == nil { continues = true }
            }
            if run.range.upperBound == words.count || !words[run.range.upperBound...].contains(where: { !Self.joiners.contains($0) }) {
                trailing = total
            }
        }
        // Digits outside any run (a lone "3") are masked too while a card is read or held.
        if readingCard || card != nil {
            for (position, word) in words.enumerated() where word.contains(where: \.isNumber) { masked[position] = true }
        }
        var kept: [String] = []
        for (position, word) in words.enumerated() {
            guard masked[position] else {
                kept.append(word)
                continue
            }
            // One mark for each stretch of masked words.
            if position > 0, masked[position - 1] { continue }
            var end = position
            while end < words.count, masked[end] { end += 1 }
            let spoken = words[position..<end].map { $0.filter(\.isNumber) }.joined()
            if let card, spoken.contains(card) || card.contains(spoken), spoken.count >= 4 {
                kept.append("card ending \(card.suffix(4))")
            } else {
                kept.append(Self.mark)
            }
        }
        return CardRedaction(text: kept.joined(separator: " "), trailingDigits: trailing, continuesEarlierRun: continues, maskedRuns: maskedRuns)
    }

    /// Words after which a number is said as an order's.
    static let orderWords: Set<String> = ["order", "confirmation", "purchase", "#"]

    /// "Order number 450789469": a number said as an order's, in one group, and shorter than any card or as long as the
    /// store's order numbers, is the order's. Grouped ("601 140 388 542 143") or of a card's length in a store whose
    /// order numbers are shorter, it is read as a card misheard, whatever came before it.
    static func namesAnOrder(_ words: [String], run: Range<Int>, digits: String, orderNumberDigits: ClosedRange<Int>? = nil) -> Bool {
        guard digits.count < 13 || orderNumberDigits?.contains(digits.count) == true, run.count == 1 else { return false }
        let before = words[..<run.lowerBound].suffix(2)
        if let last = before.last, orderWords.contains(last) { return true }
        return before.last == "number" && before.count == 2 && ["order", "confirmation"].contains(before.first!)
    }

    /// The text of an earlier transcript line with every digit-bearing word replaced, for a run this turn continued.
    public static func maskingDigits(in line: String) -> String {
        var kept: [Substring] = []
        for word in line.split(separator: " ") {
            if word.contains(where: \.isNumber) {
                if kept.last != Substring(Self.mark) { kept.append(Substring(Self.mark)) }
            } else {
                kept.append(word)
            }
        }
        return kept.joined(separator: " ")
    }

    /// Runs of words holding digits, in order: where each starts and ends, and the positions holding digits. A word counts
    /// with every digit in it, whatever is around them ("4111.1111", "card4111", "4111x"): a card's digits glued to
    /// something else are still a card's.
    static func runs(in words: [String]) -> [(range: Range<Int>, positions: [Int])] {
        var runs: [(range: Range<Int>, positions: [Int])] = []
        var current: [Int] = []
        var gap = 0
        for (position, word) in words.enumerated() {
            if word.contains(where: \.isNumber) {
                current.append(position)
                gap = 0
            } else if !current.isEmpty, Self.joiners.contains(word), gap < longestGap {
                gap += 1
            } else if !current.isEmpty {
                runs.append((current.first!..<(current.last! + 1), current))
                current = []
                gap = 0
            }
        }
        if !current.isEmpty { runs.append((current.first!..<(current.last! + 1), current)) }
        return runs
    }
}
