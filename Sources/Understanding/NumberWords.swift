import RetailModel

/// Spoken numbers to digits: "ten and a half" → "10.5", "seven eight two nine" → "7829",
/// "nine point five" → "9.5", "10 1/2" → "10.5", "thirty two" → "32", "seventy eight twenty nine" → "7829".
enum NumberWords {
    static let units: [String: Int] = [
        "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "dozen": 12,
    ]
    static let tens: [String: Int] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    ]

    static func isNumeric(_ token: String) -> Bool {
        guard let first = token.first, first.isNumber || first == "." else { return false }
        return Double(token) != nil
    }

    static func isDigits(_ token: String) -> Bool { !token.isEmpty && token.allSatisfy(\.isNumber) }

    /// Formats a size or amount: 10.0 → "10", 10.5 → "10.5".
    /// Thirds are kept to two places ("42 2/3" → "42.67"), so a size is never a long run of digits.
    static func format(_ value: Double) -> String {
        guard abs(value) < 1e12 else { return String(value) }
        if value == value.rounded() { return String(Int(value)) }
        let hundredths = (value * 100).rounded() / 100
        return hundredths == value ? String(value) : String(hundredths)
    }

    /// One spoken number read from `tokens` at `start`: its value, how many tokens it used, and
    /// whether it was a lone digit word (for digit-by-digit strings).
    private static func readNumber(_ tokens: [String], _ start: Int) -> (value: Int, length: Int, isDigit: Bool)? {
        // "A hundred and fifty", "eight thousand one hundred and forty".
        if tokens[start] == "a", start + 1 < tokens.count, ["hundred", "thousand"].contains(tokens[start + 1]) {
            var spoken = tokens
            spoken[start] = "one"
            return readNumber(spoken, start)
        }
        guard let below = readBelowThousand(tokens, start) else { return nil }
        let after = start + below.length
        guard after < tokens.count, tokens[after] == "thousand", !below.isDigit || below.value > 0 else { return below }
        var value = below.value * 1000
        var index = after + 1
        if index + 1 < tokens.count, tokens[index] == "and", units[tokens[index + 1]] != nil || tens[tokens[index + 1]] != nil { index += 1 }
        if index < tokens.count, let rest = readBelowThousand(tokens, index), !rest.isDigit || rest.value > 0 {
            value += rest.value
            index += rest.length
        }
        return (value, index - start, false)
    }

    private static func readBelowThousand(_ tokens: [String], _ start: Int) -> (value: Int, length: Int, isDigit: Bool)? {
        var index = start
        var current = 0
        var matched = false
        var isDigit = false
        while index < tokens.count {
            let token = tokens[index]
            if let ten = tens[token] {
                current += ten
                matched = true
                index += 1
                if index < tokens.count, let unit = units[tokens[index]], unit > 0, unit < 10 {
                    current += unit
                    index += 1
                }
                break
            } else if let unit = units[token] {
                if token == "oh" || token == "one" {
                    // "oh" and "one" count only inside a number ("five oh one", "twenty one", "one pair").
                    let next = index + 1 < tokens.count ? tokens[index + 1] : ""
                    let previousIsNumber = start > 0 && (units[tokens[start - 1]] != nil || isDigits(tokens[start - 1]))
                    let nextIsNumber = units[next] != nil || tens[next] != nil || next == "hundred" || next == "thousand"
                    let countsSomething = ["pair", "pairs", "of", "more", "size", "pack", "packs"].contains(next)
                    let afterSize = start > 0 && tokens[start - 1] == "size"
                    // "One and a half inch": a number with a half.
                    let withHalf = Array(tokens.dropFirst(index + 1).prefix(3)) == ["and", "a", "half"]
                    guard previousIsNumber || nextIsNumber || (token == "one" && (countsSomething || afterSize || withHalf)) else {
                        return nil
                    }
                }
                current = unit
                matched = true
                isDigit = unit < 10
                index += 1
                if index < tokens.count, tokens[index] == "hundred" {
                    current *= 100
                    index += 1
                    isDigit = false
                    if index < tokens.count, tokens[index] == "and", index + 1 < tokens.count,
                        units[tokens[index + 1]] != nil || tens[tokens[index + 1]] != nil
                    {
                        index += 1
                    }
                    if let rest = readBelowThousand(tokens, index), rest.value < 100, !rest.isDigit || rest.value > 0 {
                        current += rest.value
                        index += rest.length
                    }
                }
                break
            } else {
                break
            }
        }
        return matched ? (current, index - start, isDigit) : nil
    }

    /// Rewrites number words and digit strings in a token list.
    static func convert(_ tokens: [String]) -> [String] {
        // Pass 1: number words to digit tokens, with halves and decimals.
        var converted: [(text: String, fromDigitWord: Bool, spokenPair: Bool)] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if let plural = pluralValue(token) {
                // "The ninety fives", "the nineties", "size tens": a model or size said in the plural keeps its "s".
                if plural < 10, let last = converted.last, last.spokenPair, let tens = Int(last.text), tens % 10 == 0 {
                    converted[converted.count - 1] = ("\(tens + plural)s", false, false)
                } else {
                    converted.append(("\(plural)s", false, false))
                }
                index += 1
            } else if let number = readNumber(tokens, index) {
                converted.append((String(number.value), number.isDigit, !number.isDigit && number.value >= 10 && number.value < 100))
                index += number.length
            } else if token.contains("/"), let fraction = fractionValue(token) {
                // "10 1/2" → "10.5"
                if let last = converted.last, let whole = Double(last.text) {
                    converted[converted.count - 1] = (format(whole + fraction), false, false)
                } else {
                    converted.append((format(fraction), false, false))
                }
                index += 1
            } else if token == "half", index >= 2, tokens[index - 1] == "a", converted.count >= 3,
                converted[converted.count - 2].text == "and", let whole = Double(converted[converted.count - 3].text)
            {
                // "10 and a half"
                converted.removeLast(2)
                converted[converted.count - 1] = (format(whole + 0.5), false, false)
                index += 1
            } else if ["third", "thirds", "quarter", "quarters"].contains(token), converted.count >= 3,
                converted[converted.count - 2].text == "and", let whole = Double(converted[converted.count - 3].text),
                let count = converted.last.flatMap({ $0.text == "a" ? 1 : Int($0.text) }), (1...3).contains(count)
            {
                // "42 and 2 thirds", "9 and a quarter": as "42 2/3" is read.
                converted.removeLast(2)
                let part = Double(count) / (token.hasPrefix("third") ? 3 : 4)
                converted[converted.count - 1] = (format(whole + part), false, false)
                index += 1
            } else if token == "point", let last = converted.last, isDigits(last.text), index + 1 < tokens.count,
                let decimal = units[tokens[index + 1]] ?? Int(tokens[index + 1]), decimal < 10
            {
                converted[converted.count - 1] = (last.text + "." + String(decimal), false, false)
                index += 2
            } else {
                converted.append((token, isDigits(token) && token.count == 1, false))
                index += 1
            }
        }

        // Pass 2: join digit strings spoken one by one ("7 8 2 9"), in pairs ("78 29"), or grouped
        // like a card number ("4242 4242 4242 4242").
        var result: [String] = []
        index = 0
        while index < converted.count {
            var end = index
            while end < converted.count, isDigits(converted[end].text) { end += 1 }
            let run = converted[index..<end]
            if run.count >= 2 {
                let digits = run.map(\.text).joined()
                let allSingle = run.allSatisfy { $0.text.count == 1 }
                let allPairs = run.allSatisfy(\.spokenPair)
                if let card = cardPrefix(run.map(\.text)), card.tokens < run.count || !allSingle {
                    // A card number followed by more digits (an expiry, a code): the card is its own token.
                    result.append(card.digits)
                    index += card.tokens
                    continue
                }
                if (allSingle && run.count >= 3) || allPairs {
                    result.append(digits)
                    index = end
                    continue
                }
            }
            if run.isEmpty {
                result.append(converted[index].text)
                index += 1
            } else {
                result += run.map(\.text)
                index = end
            }
        }
        return result
    }

    /// The run of leading groups that reads as a card number: the one as long as its first digits say a card is
    /// (16 digits, 15 for American Express…), else the longest up to 19. Never chosen by the checksum: a number
    /// that fails it is asked for again, not cut to a shorter one that happens to pass.
    private static func cardPrefix(_ groups: [String]) -> (digits: String, tokens: Int)? {
        var candidates: [(digits: String, tokens: Int)] = []
        var digits = ""
        for (count, group) in groups.enumerated() {
            guard group.count <= 6 else { break }
            digits += group
            if (13...19).contains(digits.count) { candidates.append((digits, count + 1)) }
            if digits.count > 19 { break }
        }
        return candidates.first { $0.digits.count == $0.digits.expectedCardLength } ?? candidates.last
    }

    /// "fives" → 5, "tens" → 10, "nineties" → 90; never "ones", which stands for things ("the black ones").
    private static func pluralValue(_ token: String) -> Int? {
        guard token.hasSuffix("s"), token != "ones" else { return nil }
        let singular =
            token.hasSuffix("ies") ? String(token.dropLast(3)) + "y" : token.hasSuffix("xes") ? String(token.dropLast(2)) : String(token.dropLast())
        guard singular != "oh" else { return nil }
        return units[singular] ?? tens[singular]
    }

    /// "1/2", "3/4", "5/8": a fraction of a size, never a date ("11/30") or a ratio.
    private static func fractionValue(_ token: String) -> Double? {
        let parts = token.split(separator: "/")
        guard parts.count == 2, let top = Int(parts[0]), let bottom = Int(parts[1]), [2, 3, 4, 8, 16].contains(bottom), top > 0, top < bottom
        else { return nil }
        return Double(top) / Double(bottom)
    }
}
