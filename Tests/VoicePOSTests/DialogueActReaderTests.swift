import Foundation
import Testing
import Understanding

/// Utterances read as dialogue acts: structure (negation, hedges, conditions, questions, take-backs), not keywords.
struct DialogueActReaderTests {

    @Test(arguments: [
        ("yes", [DialogueAct.Kind.affirm]),
        ("that's fine", [.affirm]),
        ("yes please, thank you so much", [.affirm, .thanks]),
        ("I didn't say yes", [.deny]),
        ("I never agreed to that", [.deny]),
        ("no problem go ahead", [.affirm]),
        ("I'm not sure", [.hedge]),
        ("yes I think so", [.hedge]),
        ("yes if it's under thirty dollars", [.affirm, .condition]),
        ("charge it tomorrow", [.condition]),
        ("yes, no wait", [.affirm, .holdOn]),
        ("yeah actually no", [.affirm, .deny]),
        ("is that right?", [.question]),
        ("are you sure it's in stock", [.question]),
        ("yes how long will it take", [.affirm, .question]),
        ("can you go ahead and charge it", [.affirm]),
        ("can I get 3 instead", [.correction]),
        ("oh wait, black actually", [.holdOn, .correction]),
        ("can I use a different card", [.correction]),
        ("say that again", [.repeatRequest]),
        ("let me talk to a real person", [.human]),
        ("let's start over", [.startOver]),
        ("never mind", [.cancel]),
        ("asdf qwerty", [.unclear]),
        ("(child in background) yes yes buy them", [.unclear, .affirm]),
        ("[inaudible]", [.unclear]),
        ("ok ok yes, do the order", [.affirm, .affirm]),
        ("do the shoes come in red", [.question]),
        ("go on so charge it", [.affirm]),
        ("sure, provided you email me a receipt first", [.affirm, .condition]),
    ])
    func readsActs(text: String, kinds: [DialogueAct.Kind]) async throws {
        let understanding = try await Fixtures.understanding()
        #expect(understanding.interpret(text, expecting: .confirmation).acts.kinds == kinds, "\(text)")
    }

    @Test func aQuestionSaysWhatItIsAbout() async throws {
        let understanding = try await Fixtures.understanding()
        #expect(understanding.interpret("is that with tax", expecting: .confirmation).acts.first?.topic == .price)
        #expect(understanding.interpret("which card is that", expecting: .confirmation).acts.first?.topic == .payment)
        #expect(understanding.interpret("when will it be ready", expecting: .confirmation).acts.first?.topic == .readiness)
    }

    @Test func cardDigitsNeverReachAnAct() async throws {
        let understanding = try await Fixtures.understanding()
        let acts = understanding.interpret("four two four two four two four two", expecting: .cardNumber).acts
        #expect(acts.kinds == [.inform])
        #expect(!acts.flatMap(\.words).joined().contains("4242"))
    }

    /// The floor on the labelled set in `Intents/acts/` (measured 85% exact when this was written).
    @Test func labelledActsAreReadAtLeastAsWellAsMeasured() async throws {
        let file = Fixtures.root.appendingPathComponent("Intents/acts/labelled-acts.yaml")
        let items = try LabelledActs.load(yaml: String(contentsOf: file, encoding: .utf8), source: file.path)
        let evaluation = ActEvaluation(items, understanding: try await Fixtures.understanding())
        #expect(items.count >= 150)
        #expect(evaluation.exact >= 0.82, "\(evaluation.errors.map { "\($0.text): \($0.expected) → \($0.predicted)" })")
    }
}
