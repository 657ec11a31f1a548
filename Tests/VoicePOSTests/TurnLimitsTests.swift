import Conversation
import Foundation
import Replay
import Testing

/// A turn's work is bounded by what it reads: at most `longestUtterance` characters (1,000) and five recognizer
/// alternatives, with no step worse than linear in the words (spelling is mended only for words of up to 30 letters).
/// `voicepos bench` prints what the worst such turn costs.
struct TurnLimitsTests {
    @Test func aMegabyteTurnIsNotReadAndTheQuestionStillStands() async throws {
        let bench = try await Fixtures.bench()
        let caller = Caller(customerID: "C-1001")
        let asked = await bench.engine.respond(to: Utterance(sessionID: "s", text: "I'd like to order the Nike Air Max 90", caller: caller))
        #expect(asked.expecting == .size)
        let huge = String(repeating: "size ten please ", count: 65_536)
        #expect(huge.utf8.count >= 1 << 20)
        let reply = await bench.engine.respond(to: Utterance(sessionID: "s", text: huge, caller: caller))
        #expect(reply.text.contains("sentence or two"))
        #expect(reply.expecting == .size)
        #expect(reply.trace.normalized.isEmpty && reply.trace.calls.isEmpty)
        #expect(await bench.engine.transcript(of: "s").allSatisfy { $0.text.count < 200 })
        // Nothing was lost: the call goes on from the question.
        let next = await bench.engine.respond(to: Utterance(sessionID: "s", text: "ten", caller: caller))
        #expect(next.slots["size"] == "10")
    }

    @Test func aLongWordAndManyAlternativesAreAnsweredNormally() async throws {
        let bench = try await Fixtures.bench()
        let word = String(repeating: "abcdefghij", count: 99)
        let reply = await bench.engine.respond(to: Utterance(sessionID: "w", text: word))
        #expect(!reply.text.contains("sentence or two"))
        #expect(reply.action == .continue)
        let alternatives = (0..<1_000).map { Utterance.Alternative(text: "where is my order number \($0)", confidence: 0.5) }
        let many = await bench.engine.respond(to: Utterance(sessionID: "n", text: "where is my order", alternatives: alternatives))
        #expect(many.intent == .orderStatus)
    }

    @Test func theTranscriptKeepsOnlyItsLatestLines() async throws {
        let bench = try await Fixtures.bench()
        for _ in 0..<150 { _ = await bench.engine.respond(to: Utterance(sessionID: "t", text: "hello")) }
        let transcript = await bench.engine.transcript(of: "t")
        #expect(transcript.count == 200)
    }
}
