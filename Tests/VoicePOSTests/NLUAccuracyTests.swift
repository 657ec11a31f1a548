import Foundation
import Testing
import Understanding

/// Accuracy floors on the held-out set (written apart from `Intents/`) and its recognizer-noisy copy.
///
/// The floors sit a little under today's figures, so a change that makes understanding worse fails here.
struct NLUAccuracyTests {
    private func evaluate(_ file: String) async throws -> NLUEvaluation {
        let url = Fixtures.root.appendingPathComponent("Tests/NLU").appendingPathComponent(file)
        let items = try LabelledUtterance.load(jsonLines: try String(contentsOf: url, encoding: .utf8), source: file)
        return NLUEvaluation(items, understanding: try await Fixtures.understanding())
    }

    @Test func heldOutAccuracyStaysAboveItsFloor() async throws {
        let evaluation = try await evaluate("heldout.jsonl")
        #expect(evaluation.count >= 400)
        #expect(evaluation.accuracy >= 0.90, "held-out intent accuracy \(evaluation.accuracy)")
        #expect((evaluation.perIntent["out_of_scope"]?.recall ?? 0) >= 0.78)
    }

    /// A second set, written last by someone who never saw `Intents/` or the first set, and not tuned on.
    @Test func aFreshSetStaysAboveItsFloor() async throws {
        let evaluation = try await evaluate("heldout-fresh.jsonl")
        #expect(evaluation.count >= 400)
        #expect(evaluation.accuracy >= 0.90, "fresh held-out intent accuracy \(evaluation.accuracy)")
    }

    @Test func recognizerNoiseDegradesGracefully() async throws {
        let evaluation = try await evaluate("heldout-asr.jsonl")
        #expect(evaluation.accuracy >= 0.82, "noisy held-out intent accuracy \(evaluation.accuracy)")
    }

    @Test func anUnknownLabelNamesTheLine() {
        #expect {
            try LabelledUtterance.load(jsonLines: "{\"text\": \"hi\", \"intent\": \"greet\"}\n{\"text\": \"x\", \"intent\": \"smalltalk\"}", source: "set.jsonl")
        } throws: { error in
            "\(error)".contains("set.jsonl:2") && "\(error)".contains("smalltalk")
        }
    }
}
