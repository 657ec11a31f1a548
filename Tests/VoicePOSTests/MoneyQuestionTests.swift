import Foundation
import Replay
import Testing
import Understanding
import Yams

@testable import Conversation

/// At "Shall I place the order?" and "Shall I charge …?" only a plain yes moves money: measured on seven sets of
/// replies written by people who had not seen the code (`MoneyReplies/`; each was measured before it was tuned on), each
/// replayed as a call on the demo store.
struct MoneyQuestionTests {
    private struct Reply: Decodable {
        var text: String
        var expect: String
        var kind: String
    }

    private struct ReplySet: Decodable {
        var place_order: [Reply]
        var charge: [Reply]
    }

    /// Replies still read wrongly, kept in their sets and checked only for moving no money: two plain yeses with a
    /// digression about another product or card, and "No, that's fine" (a yes in some dialects, a "no thanks" in others),
    /// are asked again; a sarcastic yes to "Shall I place the order?" reaches "Shall I charge…?", which still needs its own
    /// yes. `knownMissesAreStillMissed` fails once one is read right, so it leaves this list.
    private static let knownMisses: Set<String> = [
        "um yeah so i was gonna say i have like three cards but yeah the visa is the one i use go ahead and charge it",
        "okay so i almost got the ninety fives but my buddy said the nineties fit better so yeah place it",
        "oh sure and ill throw in my kidney too",
        "No, that's fine.",
    ]

    private static let runner = Result { DialogueRunner(intents: try Fixtures.intents()) }
    private static let order = "I'd like to order the Nike Air Max 90 in black, size 10, for pickup at the Downtown store"

    private static func replies(_ file: String) throws -> ReplySet {
        let url = Fixtures.root.appendingPathComponent("Tests/VoicePOSTests/MoneyReplies").appendingPathComponent(file)
        return try YAMLDecoder().decode(ReplySet.self, from: String(contentsOf: url, encoding: .utf8))
    }

    /// The reply as a call: the order read back, (for the charge) a yes to it, then the reply; the store after the
    /// call must show the order and payment made exactly when the reply is a plain yes.
    ///
    /// A known miss is held to the one thing that must never break: it moves no money.
    private static func call(answering reply: Reply, atCharge: Bool, onlyMoney: Bool = false) -> String {
        let quoted = { (text: String) in "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
        let proceeds = reply.expect == "proceed" && !onlyMoney
        var yaml = """
            name: \(quoted(reply.text))
            turns:
              - user: \(quoted(order))
                reply_contains: [Shall I place the order]

            """
        if atCharge {
            let moved = proceeds ? 1 : 0
            yaml += """
                  - user: 'yes'
                    reply_contains: [Shall I charge]
                  - user: \(quoted(reply.text))
                after: {new_orders: \(moved), new_payments: \(moved)}

                """
        } else {
            yaml += """
                  - user: \(quoted(reply.text))
                    \(proceeds ? "reply_contains" : "reply_excludes"): [\(onlyMoney ? "confirmed" : "Shall I charge")]
                after: {new_orders: 0, new_payments: 0}

                """
        }
        return yaml
    }

    @Test(
        arguments: [
            "first-set.yaml", "second-set.yaml", "third-set.yaml", "fourth-set.yaml", "fifth-set.yaml", "sixth-set.yaml", "seventh-set.yaml",
        ], [false, true])
    func onlyAPlainYesMovesMoney(set file: String, atCharge: Bool) async throws {
        let runner = try Self.runner.get()
        let set = try Self.replies(file)
        let replies = atCharge ? set.charge : set.place_order
        #expect(replies.filter { $0.expect == "hold" }.count >= 60)
        #expect(replies.filter { $0.expect == "proceed" }.count >= 30)
        for reply in replies {
            let yaml = Self.call(answering: reply, atCharge: atCharge, onlyMoney: Self.knownMisses.contains(reply.text))
            let dialogue = try DialogueParser().parse(yaml, file: file, directory: Fixtures.root)
            let result = await runner.run(dialogue)
            #expect(result.error == nil && result.failures.isEmpty, "\(reply.expect) (\(reply.kind)): \"\(reply.text)\" — \(result.failures)")
        }
    }

    @Test func knownMissesAreStillMissed() async throws {
        let runner = try Self.runner.get()
        let sets = try ["fourth-set.yaml", "fifth-set.yaml"].map(Self.replies)
        let replies = sets.flatMap { $0.place_order.map { ($0, false) } + $0.charge.map { ($0, true) } }.filter {
            Self.knownMisses.contains($0.0.text)
        }
        #expect(replies.count == Self.knownMisses.count)
        for (reply, atCharge) in replies {
            let result = await runner.run(
                try DialogueParser().parse(Self.call(answering: reply, atCharge: atCharge), file: "known", directory: Fixtures.root))
            #expect(!result.failures.isEmpty, "\"\(reply.text)\" is read right now: take it off knownMisses")
        }
    }

    @Test(arguments: [
        ([DialogueAct.Kind.affirm], MoneyAnswer.proceed),
        ([.affirm, .thanks], .proceed),
        ([.affirm, .holdOn], .wait),
        ([.holdOn, .question], .question(.other)),
        ([.affirm, .condition], .hesitate),
        ([.affirm, .deny], .decline),
        ([.hedge], .hesitate),
        ([.affirm, .question], .question(.other)),
        ([.affirm, .correction], .other),
        ([.unclear], .hesitate),
        ([.affirm, .unclear], .hesitate),
        ([.goodbye], .other),
        ([.repeatRequest], .other),
    ])
    func answerIsReadFromItsActs(kinds: [DialogueAct.Kind], expected: MoneyAnswer) {
        let acts = kinds.map { DialogueAct($0, topic: $0 == .question ? .other : nil) }
        #expect(MoneyAnswer(acts, restatesDraft: true) == expected)
    }

    @Test func aYesThatNamesSomethingElseIsNotAPlainYes() {
        #expect(MoneyAnswer([DialogueAct(.affirm), DialogueAct(.inform)], restatesDraft: false) == .other)
        #expect(MoneyAnswer([DialogueAct(.affirm), DialogueAct(.inform)], restatesDraft: true) == .proceed)
    }

    @Test func aCardNumberIsWholeAtTheLengthItsFirstDigitsSay() {
        var visa = CardEntry()
        visa.append("42424242")
        #expect(!visa.isWhole && !visa.isTooLong)
        visa.append("42424242")
        #expect(visa.isWhole)
        var amex = CardEntry()
        amex.append("378282246310005")
        #expect(amex.isWhole)
        var tooLong = CardEntry()
        tooLong.append("42424242424242421")
        #expect(tooLong.isTooLong && !tooLong.isWhole)
        #expect(!"\(visa)".contains("4242"))
    }
}
