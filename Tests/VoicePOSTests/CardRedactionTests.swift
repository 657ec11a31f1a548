import Conversation
import Foundation
import Replay
import RetailModel
import Testing
import Understanding

/// No card number survives a turn: every field a reply carries, and the session's transcript, are scanned for any seven
/// digits in a row of the card the caller read, however it was read and over however many turns.
struct CardRedactionTests {
    /// A conversation that reads a card, or keeps numbers that are not one.
    struct Case: Decodable {
        var kind: String
        var card: String?
        var turns: [String]
        var keep: [String]?
    }

    /// Every field a front end, a log or a person taking the call sees, with markup taken out.
    static func outputs(of reply: Reply) -> [String] {
        var fields = [reply.text, reply.ssml, reply.trace.normalized, reply.handoff ?? "", reply.callback?.summary ?? "", reply.progress ?? ""]
        fields += reply.slots.values + reply.hints + reply.trace.entities.values
        fields += reply.trace.calls.map { "\($0)" }
        return fields.map { $0.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression) }
    }

    /// Digit strings in a text, groups written together joined: "4532 0151-1283." → "453201511283".
    static func digitRuns(_ text: String) -> [String] {
        var runs: [String] = []
        var current = ""
        var pendingSeparator = false
        for character in text {
            if character.isNumber {
                current.append(character)
                pendingSeparator = false
            } else if " ,-.?/…".contains(character), !current.isEmpty, !pendingSeparator || character == " " {
                pendingSeparator = true
            } else {
                if !current.isEmpty { runs.append(current) }
                current = ""
                pendingSeparator = false
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// Whether a text holds seven digits in a row of the card: more than the first six, which may be shown.
    static func leaks(_ card: String, in text: String) -> Bool {
        let digits = Array(card)
        let windows = Set((0...(digits.count - 7)).map { String(digits[$0..<($0 + 7)]) })
        return digitRuns(text).contains { run in
            let run = Array(run)
            return run.count >= 7 && (0...(run.count - 7)).contains { windows.contains(String(run[$0..<($0 + 7)])) }
        }
    }

    /// Plays one case as a call of its own and returns what leaked, or what of the numbers to keep was lost.
    static func play(_ testCase: Case, engine: DialogueEngine, session: String, opening: [String] = []) async -> [String] {
        var problems: [String] = []
        var normalized: [String] = []
        for text in opening { _ = await engine.respond(to: Utterance(sessionID: session, text: text, caller: Caller(customerID: "C-1001"))) }
        for text in testCase.turns {
            let reply = await engine.respond(to: Utterance(sessionID: session, text: text, caller: Caller(customerID: "C-1001")))
            normalized.append(reply.trace.normalized)
            if let card = testCase.card {
                for field in outputs(of: reply) where leaks(card, in: field) { problems.append("«\(text)» → \(field)") }
            }
        }
        let transcript = await engine.transcript(of: session).filter { $0.speaker == .caller }.map(\.text).joined(separator: " ")
        if let card = testCase.card, leaks(card, in: transcript) { problems.append("transcript: \(transcript)") }
        // Numbers that are not a card stay as understanding wrote them (how it writes them is its own tests' business).
        if testCase.keep != nil, let masked = normalized.first(where: { $0.contains("[digits]") || $0.contains("card ending") }) {
            problems.append("masked: \(masked)")
        }
        await engine.endSession(session)
        return problems
    }

    /// A number said as an order's: short, it is kept; long, it is looked up but never kept or shown; of a card's length
    /// or in groups, it is a card misheard whatever came before it (a second blind probe got six such through).
    @Test func anOrderNumberIsLookedUpButALongOneIsNeverShown() async throws {
        let understanding = try await Fixtures.understanding()
        let short = understanding.interpret("where is order 7829")
        #expect(short.redactedText == "where is order 7829" && short.entities.orderNumber == "7829")
        let long = understanding.interpret("where is order 450789469")
        #expect(long.redactedText == "where is order [digits]")
        #expect(long.entities.orderNumber == "450789469" && long.entities.summary["order_number"] == "[digits]")
        for text in ["where is order 601140388521438", "where is order 601 140 388 542 143", "order number 60114 03885"] {
            let reading = understanding.interpret(text)
            #expect(reading.redactedText.hasSuffix("[digits]"), "\(text) → \(reading.redactedText)")
            #expect(reading.entities.orderNumber == nil, "\(text)")
        }
    }

    /// The set a helper wrote without seeing the code: 252 cards read as callers read them, and 98 utterances whose
    /// numbers (sizes, zip codes, order numbers, prices) must survive.
    @Test func theBlindSetLeaksNoCardAndKeepsOtherNumbers() async throws {
        let bench = try await Fixtures.bench()
        let lines = try String(contentsOf: Fixtures.root.appendingPathComponent("Tests/Redaction/cards-blind.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        var failures: [String] = []
        for (number, line) in lines.enumerated() {
            let testCase = try JSONDecoder().decode(Case.self, from: Data(line.utf8))
            let problems = await Self.play(testCase, engine: bench.engine, session: "blind-\(number)")
            if !problems.isEmpty { failures.append("line \(number + 1) \(testCase.turns): \(problems.joined(separator: " | "))") }
        }
        let cards = lines.filter { $0.contains("\"card\"") }.count
        print("blind card set: \(lines.count - failures.count)/\(lines.count) clean (\(cards) card cases)")
        for failure in failures { Issue.record(Comment(rawValue: failure)) }
    }

    /// Cards made up as the test goes (seeded, so a failure can be replayed), read in every grouping and wording a caller
    /// uses, in a sentence or alone, in one turn or several, at the start of a call or when the card is asked for.
    @Test func thousandsOfGeneratedCardReadingsLeakNothing() async throws {
        let bench = try await Fixtures.bench()
        var generator = CardReadings(seed: 0x5eed_c0de)
        var failures: [String] = []
        var utterances = 0
        for number in 0..<1_500 {
            let reading = generator.next()
            utterances += reading.turns.count
            // A quarter of the calls get to the card question first: "use a different card" at the charge.
            let opening =
                number % 4 == 0
                ? ["I'd like to order the Nike Air Max 90 in black size 10 for pickup at the Downtown store", "yes", "no, use a different card"] : []
            let problems = await Self.play(
                Case(kind: "card", card: reading.card, turns: reading.turns), engine: bench.engine, session: "fuzz-\(number)", opening: opening)
            if !problems.isEmpty { failures.append("\(reading.card) \(reading.turns): \(problems.joined(separator: " | "))") }
        }
        #expect(utterances >= 3_000)
        for failure in failures.prefix(20) { Issue.record(Comment(rawValue: failure)) }
        #expect(failures.isEmpty, "\(failures.count) of 1500 generated calls leaked")
    }
}

/// Luhn-valid card numbers and the ways a caller reads them out.
struct CardReadings {
    private var random: SplitMix

    init(seed: UInt64) { random = SplitMix(state: seed) }

    private static let units = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    private static let teens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    private static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

    /// A new card (Visa, Mastercard, Amex, Discover; 13 to 19 digits) and the turns a caller reads it in.
    mutating func next() -> (card: String, turns: [String]) {
        let card = makeCard()
        let groups = group(card)
        let spoken = groups.map { say($0) }
        let joiners = [" ", ", ", " - ", " uh ", " and ", "... ", " um, ", ".", "/", " dot "]
        let templates = [
            "%@", "my card number is %@", "it's %@", "charge it to %@ please", "use my visa %@ expiring oh eight twenty seven",
            "can you put the two pairs on %@ and ship them", "card %@ code one two three", "yeah the number is %@, got that?", "sure %@",
            "card%@", "do you have the abc%@ in size 9", "%@x", "where is order %@", "I want to return order number %@",
        ]
        // One turn, or the groups spread over up to four.
        let turnCount = random.below(3) == 0 ? 1 : min(spoken.count, 2 + random.below(3))
        var turns: [[String]] = Array(repeating: [], count: turnCount)
        for (index, group) in spoken.enumerated() { turns[min(turnCount - 1, index * turnCount / spoken.count)].append(group) }
        return (
            card,
            turns.enumerated().map { index, groups in
                let joiner = joiners[random.below(joiners.count)]
                let text = groups.joined(separator: joiner)
                if index == 0 { return templates[random.below(templates.count)].replacingOccurrences(of: "%@", with: text) }
                return ["", "and ", "then ", "next is ", "ok "][random.below(5)] + text
            }
        )
    }

    private mutating func makeCard() -> String {
        let (prefix, length): (String, Int) =
            switch random.below(8) {
            case 0: ("4", 13)
            case 1: ("4", 19)
            case 2: ("5\(1 + random.below(5))", 16)
            case 3: ("2\(221 + random.below(500))", 16)
            case 4: (random.below(2) == 0 ? "34" : "37", 15)
            case 5: ("6011", 16)
            default: ("4", 16)
            }
        var digits = prefix.compactMap(\.wholeNumberValue)
        while digits.count < length - 1 { digits.append(random.below(10)) }
        // The check digit that makes the Luhn sum a multiple of ten.
        let sum = digits.reversed().enumerated().reduce(0) { total, item in
            let doubled = item.offset.isMultiple(of: 2) ? item.element * 2 : item.element
            return total + (doubled > 9 ? doubled - 9 : doubled)
        }
        digits.append((10 - sum % 10) % 10)
        return digits.map(String.init).joined()
    }

    /// Groups of four (Amex 4-6-5), or of any size from one to six, or none.
    private mutating func group(_ card: String) -> [String] {
        let digits = Array(card)
        var sizes: [Int]
        switch random.below(4) {
        case 0: sizes = card.count == 15 ? [4, 6, 5] : Array(repeating: 4, count: card.count / 4) + (card.count % 4 > 0 ? [card.count % 4] : [])
        case 1: sizes = [card.count]
        default:
            sizes = []
            while sizes.reduce(0, +) < card.count { sizes.append(min(1 + random.below(6), card.count - sizes.reduce(0, +))) }
        }
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return String(digits[start..<(start + size)])
        }
    }

    /// A group as digits, digit words ("oh" or "zero" for 0, "double seven"), pairs ("forty five"), or a mix.
    private mutating func say(_ group: String) -> String {
        let digits = group.compactMap(\.wholeNumberValue)
        switch random.below(5) {
        case 0, 1: return group
        case 2:
            var words: [String] = []
            var index = 0
            while index < digits.count {
                let digit = digits[index]
                let zero = ["zero", "oh", "o"][random.below(3)]
                let word = digit == 0 ? zero : Self.units[digit]
                if index + 1 < digits.count, digits[index + 1] == digit, random.below(2) == 0 {
                    words.append("double \(word)")
                    index += 2
                } else {
                    words.append(word)
                    index += 1
                }
            }
            return words.joined(separator: " ")
        case 3 where digits.count.isMultiple(of: 2):
            return stride(from: 0, to: digits.count, by: 2).map { index in
                let (first, second) = (digits[index], digits[index + 1])
                switch first {
                case 0: return "oh \(Self.units[second])"
                case 1: return Self.teens[second]
                default: return second == 0 ? Self.tens[first] : "\(Self.tens[first]) \(Self.units[second])"
                }
            }.joined(separator: " ")
        default:
            // Digits, then words for the rest of the group.
            let cut = digits.count / 2
            return String(group.prefix(cut)) + " " + digits.dropFirst(cut).map { Self.units[$0] }.joined(separator: " ")
        }
    }
}

/// A small seeded generator, so a failing case is the same on every run.
struct SplitMix {
    var state: UInt64

    mutating func below(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        value ^= value >> 31
        return Int(value % UInt64(bound))
    }
}
