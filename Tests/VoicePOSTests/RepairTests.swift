import Testing
import Understanding

@testable import Conversation

/// The repair table: each rule on its own, and the order they are tried in.
struct RepairTests {
    private static func interpretation(_ kinds: [DialogueAct.Kind], text: String = "", entities: Entities = Entities()) -> Interpretation {
        Interpretation(intent: .inform, confidence: 0.9, entities: entities, redactedText: text, acts: kinds.map { DialogueAct($0) })
    }

    @Test func frustrationHandsOverExceptAsAReturnReason() {
        let said = Self.interpretation([.unclear], text: "this is ridiculous")
        #expect(Repair.frustration.applies(to: said, expecting: .size))
        #expect(!Repair.frustration.applies(to: said, expecting: .reason))
        #expect(!Repair.frustration.applies(to: Self.interpretation([.affirm], text: "yes"), expecting: nil))
    }

    @Test func startOverIsAnActWhereverItStands() {
        #expect(Repair.startOver.applies(to: Self.interpretation([.startOver, .request]), expecting: nil))
        #expect(!Repair.startOver.applies(to: Self.interpretation([.cancel]), expecting: nil))
    }

    @Test func repeatOnlyWhenNothingElseIsAsked() {
        #expect(Repair.repeatLast.applies(to: Self.interpretation([.repeatRequest]), expecting: .confirmation))
        #expect(Repair.repeatLast.applies(to: Self.interpretation([.repeatRequest, .thanks]), expecting: nil))
        // "Sorry, what's the total?" is the question.
        #expect(!Repair.repeatLast.applies(to: Self.interpretation([.repeatRequest, .question]), expecting: .confirmation))
    }

    @Test func holdOnOnlyWhenItIsAllThatWasSaid() {
        #expect(Repair.holdOn.applies(to: Self.interpretation([.holdOn]), expecting: .cardNumber))
        // "Wait, where's my order?" and "one sec, the black ones" carry something to act on.
        #expect(!Repair.holdOn.applies(to: Self.interpretation([.holdOn, .request]), expecting: nil))
        var black = Entities()
        black.options["color"] = "black"
        #expect(!Repair.holdOn.applies(to: Self.interpretation([.holdOn, .inform], entities: black), expecting: .color))
    }

    @Test func theTableIsTriedInOrder() {
        #expect(Repair.allCases == [.frustration, .startOver, .repeatLast, .holdOn])
        let both = Self.interpretation([.startOver, .holdOn], text: "this is ridiculous start over")
        #expect(Repair.asked(by: both, expecting: nil) == .frustration)
        #expect(Repair.asked(by: Self.interpretation([.affirm], text: "yes"), expecting: .confirmation) == nil)
    }

    @Test(arguments: [
        ("sorry?", Repair.repeatLast), ("say that again please", .repeatLast), ("hold on", .holdOn),
        ("one sec let me get my card", .holdOn), ("let's start over", .startOver), ("you are useless", .frustration),
    ])
    func spokenRepairs(text: String, repair: Repair) async throws {
        let understanding = try await Fixtures.understanding()
        #expect(Repair.asked(by: understanding.interpret(text, expecting: .size), expecting: .size) == repair, "\(text)")
    }

    @Test(arguments: ["wait where is my order", "one second, the black ones", "sorry what is the total"])
    func notARepair(text: String) async throws {
        let understanding = try await Fixtures.understanding()
        let said = understanding.interpret(text, expecting: .color)
        #expect(Repair.asked(by: said, expecting: .color) == nil, "\(text): \(said.acts.kinds)")
    }
}
