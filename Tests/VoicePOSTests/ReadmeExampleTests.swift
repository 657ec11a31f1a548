import Conversation
import Foundation
import Replay
import StoreSimulator
import Testing
import Understanding

/// The README's library example, as written there, so it cannot rot — but for its deadlines, which are raised so a
/// CI run starved by the parallel suite hears the answer, not "I'm having trouble reaching our store system".
struct ReadmeExampleTests {
    @Test func theLibraryExampleAnswersACall() async throws {
        let intents = try IntentDefinition.loadAll(from: Fixtures.root.appendingPathComponent("Intents"))
        let bench = try await StoreBench.start(
            fixture: try StoreFixture.demo(), clock: .system, intents: intents, policy: Fixtures.patient, turnDeadline: .seconds(60))
        let reply = await bench.engine.respond(
            to: Utterance(sessionID: "call-17", text: "where's my order", caller: Caller(customerID: "C-1001")))
        #expect(reply.text.contains("FedEx"))
        #expect(reply.action == .continue)
    }
}
