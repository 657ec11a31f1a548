/// Turns a transcript, typed or recognized, into the plain word list the rest of understanding reads.
///
/// Lower-cases; expands contractions; drops punctuation, an opening wake word ("olly", "alexa"), fillers ("um", "uh", filler "like") and
/// self-repaired numbers ("nine, no, ten" → "10"); writes numbers as digits ("ten and a half" → "10.5",
/// "seven eight two nine" → "7829", "thirty two by thirty" → "32 by 30").
public struct TranscriptNormalizer: Sendable {
    /// A normalizer; it holds no state.
    public init() {}

    /// The transcript as lower-case words with numbers in digits.
    public func normalize(_ text: String) -> [String] {
        var tokens = tokenize(text)
        tokens = dropWakeWord(tokens)
        tokens = dropFillers(tokens)
        tokens = spelledLetters(tokens)
        tokens = fixMisheardNumbers(tokens)
        tokens = NumberWords.convert(tokens)
        tokens = dropRepairedNumbers(tokens)
        return tokens
    }

    private static let contractions: [String: String] = [
        "i'm": "i am", "i'd": "i would", "i've": "i have", "i'll": "i will", "you're": "you are",
        "you've": "you have", "you'd": "you would", "you'll": "you will", "we're": "we are", "we've": "we have",
        "we'd": "we would", "they're": "they are", "they've": "they have", "it's": "it is", "that's": "that is",
        "what's": "what is", "where's": "where is", "when's": "when is", "how's": "how is", "who's": "who is",
        "there's": "there is", "here's": "here is", "let's": "let us", "don't": "do not", "doesn't": "does not",
        "didn't": "did not", "can't": "can not", "cannot": "can not", "won't": "will not", "isn't": "is not",
        "aren't": "are not", "wasn't": "was not", "weren't": "were not", "haven't": "have not",
        "hasn't": "has not", "hadn't": "had not", "wouldn't": "would not", "couldn't": "could not",
        "shouldn't": "should not", "ain't": "is not", "y'all": "you all", "gonna": "going to",
        "wanna": "want to", "gotta": "got to", "lemme": "let me", "gimme": "give me", "dunno": "do not know",
        "hasnt": "has not", "havent": "have not", "doesnt": "does not", "dont": "do not", "didnt": "did not",
        "isnt": "is not", "wasnt": "was not", "cant": "can not", "wont": "will not", "im": "i am", "ive": "i have",
        "whats": "what is", "wheres": "where is", "lets": "let us", "thats": "that is", "theyre": "they are", "youre": "you are",
        "u": "you", "pls": "please", "plz": "please", "thx": "thanks", "ty": "thank you",
    ]

    /// Emoji typed in chat that say a word: 👍 yes, 👎 no, 👌 okay.
    private static let emojiWords: [UInt32: String] = [0x1F44D: "yes", 0x1F44E: "no", 0x1F44C: "okay"]

    /// Text a transcriber or chat client marks as not the caller's words — "[inaudible]", "(TV in background)",
    /// "*static*" — in the order written.
    public static func annotations(in text: String) -> [String] { split(text).notes }

    /// The text without its annotations.
    static func withoutAnnotations(_ text: String) -> String { split(text).spoken }

    private static let closing: [Character: Character] = ["[": "]", "(": ")", "*": "*"]

    private static func split(_ text: String) -> (notes: [String], spoken: String) {
        var notes: [String] = []
        var spoken = ""
        var rest = Substring(text)
        while let start = rest.firstIndex(where: { closing[$0] != nil }) {
            let after = rest[rest.index(after: start)...]
            guard let end = after.firstIndex(of: closing[rest[start]]!) else {
                spoken += rest[...start]
                rest = after
                continue
            }
            spoken += rest[..<start] + " "
            notes.append(after[..<end].trimmingCharacters(in: .whitespaces))
            rest = after[after.index(after: end)...]
        }
        return (notes, spoken + rest)
    }

    /// Letters that do not decompose into a base letter and a mark, written as callers and recognizers spell them.
    private static let unaccented: [Character: String] = [
        "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    ]

    /// "Fjällräven Kånken" → "fjallraven kanken", "Samsøe" → "samsoe": callers and recognizers drop the marks, so
    /// the catalog and the utterance are both read without them.
    static func folded(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII }) else { return text }
        let folded = text.folding(options: .diacriticInsensitive, locale: nil)
        guard folded.contains(where: { unaccented[$0] != nil }) else { return folded }
        return folded.reduce(into: "") { result, character in
            if let plain = unaccented[character] { result += plain } else { result.append(character) }
        }
    }

    private func tokenize(_ text: String) -> [String] {
        var cleaned = ""
        let characters = Array(Self.folded(Self.withoutAnnotations(text).lowercased().replacingOccurrences(of: "’", with: "'")))
        let typedAddress = characters.contains("@")
        for (index, character) in characters.enumerated() {
            let previous = index > 0 ? characters[index - 1] : " "
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            switch character {
            case _ where Self.emojiWords[character.unicodeScalars.first?.value ?? 0] != nil:
                // A thumbs-up in typed chat is a yes, whatever skin tone it carries.
                cleaned += " \(Self.emojiWords[character.unicodeScalars.first!.value]!) "
            case _ where character.isLetter || character.isNumber:
                cleaned.append(character)
            case "'":
                cleaned.append(previous.isLetter && next.isLetter ? "'" : " ")
            case ".", "/":
                // Keep decimals and fractions ("10.5", "1/2"); in a typed e-mail address a dot is said "dot"; anything
                // else ends a word.
                if previous.isNumber && next.isNumber {
                    cleaned.append(character)
                } else {
                    let inAddress = character == "." && typedAddress && (previous.isLetter || previous.isNumber) && next.isLetter
                    cleaned += inAddress ? " dot " : " "
                }
            case "@":
                cleaned += " at "
            case "½":
                cleaned.append(" .5 ")
            case "&":
                cleaned.append(" and ")
            default:
                cleaned.append(" ")
            }
        }
        var tokens: [String] = []
        for word in cleaned.split(separator: " ") {
            let word = String(word)
            if let expanded = Self.contractions[word] {
                tokens += expanded.split(separator: " ").map(String.init)
            } else if word.hasSuffix("'ll") {
                // "that'll do" → "that will do".
                tokens += [String(word.dropLast(3)), "will"]
            } else if word.hasSuffix("'s") || word.hasSuffix("'re") || word.hasSuffix("'d") {
                // Possessives and leftover contractions: "levi's" → "levis", "store'll" → "store".
                tokens.append(word.hasSuffix("'s") ? word.replacingOccurrences(of: "'", with: "") : String(word.prefix { $0 != "'" }))
            } else {
                tokens.append(word.replacingOccurrences(of: "'", with: ""))
            }
        }
        return tokens
    }

    /// "B as in boy": the letter, spelled the way callers make one clear.
    private func spelledLetters(_ tokens: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < tokens.count {
            result.append(tokens[index])
            if tokens[index].count == 1, tokens[index].first!.isLetter, index + 3 < tokens.count, tokens[index + 1] == "as",
                tokens[index + 2] == "in", tokens[index + 3].first == tokens[index].first
            {
                index += 4
            } else {
                index += 1
            }
        }
        return result
    }

    /// Assistant names a caller may open with ("olly, stop", "alexa, order more socks").
    private static let wakeWords: [[String]] = [
        ["hey", "google"], ["ok", "google"], ["okay", "google"], ["hey", "siri"], ["alexa"], ["siri"], ["olly"],
    ]

    private func dropWakeWord(_ tokens: [String]) -> [String] {
        guard let wake = Self.wakeWords.first(where: { tokens.starts(with: $0) }) else { return tokens }
        return Array(tokens.dropFirst(wake.count))
    }

    private static let fillers: Set<String> = ["um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "hm", "ah", "eh", "mmm"]
    /// Words after which "like" is a verb ("I would like", "do you like"), not a filler.
    private static let likeIsVerbAfter: Set<String> = [
        "would", "i", "you", "we", "they", "do", "does", "did", "not", "really", "also", "she", "he", "might",
        "just", "to", "dont", "look", "looks", "feel", "feels", "something", "anything", "d",
    ]

    private func dropFillers(_ tokens: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if Self.fillers.contains(token) {
                index += 1
                continue
            }
            if token == "like", result.last.map({ !Self.likeIsVerbAfter.contains($0) }) ?? true {
                index += 1
                continue
            }
            if token == "you", index + 1 < tokens.count, tokens[index + 1] == "know",
                index + 2 == tokens.count || ["the", "a", "um", "uh", "like", "i", "do"].contains(tokens[index + 2]),
                result.last != "do", result.last != "did"
            {
                index += 2
                continue
            }
            result.append(token)
            index += 1
        }
        return result
    }

    /// Words a recognizer writes for a number where only a number makes sense: after "size" or "a",
    /// "mine" is nine and "tenth" is ten; before "pairs", "to" is two.
    private static let soundsLikeNumber: [String: String] = [
        "mine": "nine", "tin": "ten", "won": "one",
        "sex": "six", "sick": "six", "ate": "eight", "tree": "three", "free": "three", "fife": "five", "heaven": "seven",
        "tenth": "ten", "ninth": "nine", "eighth": "eight", "seventh": "seven", "sixth": "six", "fifth": "five",
        "eleventh": "eleven", "twelfth": "twelve",
    ]

    private func fixMisheardNumbers(_ tokens: [String]) -> [String] {
        var result: [String] = []
        // Letter sizes spelled out by a recognizer: "double x l" → "xxl", "x l" → "xl".
        var index = 0
        while index < tokens.count {
            let rest = tokens[index...]
            if rest.starts(with: ["double", "x", "l"]) || rest.starts(with: ["double", "xl"]) || rest.starts(with: ["2", "x", "l"]) {
                result.append("xxl")
                index += rest.starts(with: ["double", "xl"]) ? 2 : 3
            } else if rest.starts(with: ["x", "l"]) || rest.starts(with: ["x", "s"]) {
                result.append("x" + tokens[index + 1])
                index += 2
            } else {
                result.append(tokens[index])
                index += 1
            }
        }
        for index in result.indices {
            let previous = index > 0 ? result[index - 1] : ""
            let next = index + 1 < result.count ? result[index + 1] : ""
            if previous == "size", let number = Self.soundsLikeNumber[result[index]] {
                result[index] = number
            } else if previous == "a", ["tenth", "ninth", "eighth", "seventh", "eleventh", "twelfth"].contains(result[index]),
                let number = Self.soundsLikeNumber[result[index]]
            {
                result[index] = number
            } else if ["to", "too"].contains(result[index]), ["pairs", "pair"].contains(next) {
                result[index] = "two"
            }
        }
        return result
    }

    private static let repairWords: Set<String> = ["no", "sorry", "actually", "wait", "rather", "or"]

    /// "9 no 10" → "10", "9 i mean 10" → "10", "9 sorry make that 10" → "10".
    private func dropRepairedNumbers(_ tokens: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < tokens.count {
            if NumberWords.isNumeric(tokens[index]) {
                var next = index + 1
                var sawRepair = false
                while next < tokens.count {
                    let word = tokens[next]
                    if Self.repairWords.contains(word) { sawRepair = true; next += 1; continue }
                    if word == "i", next + 1 < tokens.count, tokens[next + 1] == "mean" { sawRepair = true; next += 2; continue }
                    if word == "make", next + 1 < tokens.count, ["that", "it"].contains(tokens[next + 1]) {
                        sawRepair = true; next += 2; continue
                    }
                    break
                }
                if sawRepair, next < tokens.count, NumberWords.isNumeric(tokens[next]), tokens[index] != tokens[next],
                    !(tokens[next - 1] == "or")
                {
                    index = next
                    continue
                }
            }
            result.append(tokens[index])
            index += 1
        }
        return result
    }
}
