import Commerce
import Conversation
import Foundation
import Replay
import RetailModel
import StoreSimulator
import Testing

struct ErrorRepliesTests {
    @Test func theBundledTableCoversEveryFailureKind() {
        let table = ErrorReplies.standard
        for key in ErrorReplies.allKeys { #expect(table.entries[key] != nil, "no entry for \(key)") }
        #expect(table.say(.outOfStock(sku: "X", available: 2)) == "We only have 2 of those left there.")
        #expect(table.entry(for: .paymentDeclined(.expiredCard)).handoff == .after(2))
    }

    @Test func aTableMissingAKindIsRejectedByName() {
        let yaml = "not_found: {say: a, offer: b, handoff: offer}\n"
        #expect(throws: ErrorRepliesError.self) { try ErrorReplies(yaml: yaml) }
        #expect((try? ErrorReplies(yaml: yaml)) == nil)
        do {
            _ = try ErrorReplies(yaml: yaml)
        } catch {
            #expect("\(error)".contains("payment_declined.generic"))
        }
    }

    @Test func aBadHandoffIsAnError() throws {
        var yaml = try String(contentsOf: Fixtures.root.appendingPathComponent("Sources/Conversation/Resources/error-replies.yaml"), encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "handoff: after 2", with: "handoff: sometimes")
        #expect(throws: (any Error).self) { try ErrorReplies(yaml: yaml) }
    }

    @Test func theTableDecidesWhatACallerHearsAndWhenAPersonTakesOver() async throws {
        var yaml = try String(contentsOf: Fixtures.root.appendingPathComponent("Sources/Conversation/Resources/error-replies.yaml"), encoding: .utf8)
        yaml = yaml.replacingOccurrences(
            of: "Sorry, that card was declined — the bank reported insufficient funds. Nothing was charged.",
            with: "Your bank said no to that one; nothing was charged.")
        yaml = yaml.replacingOccurrences(of: "handoff: after 2", with: "handoff: after 1")
        let store = try Fixtures.store()
        await store.inject(.init(flow: .takePayment, error: .paymentDeclined(.insufficientFunds), times: 1))
        let understanding = try await Fixtures.understanding()
        let engine = DialogueEngine(
            pointOfSale: store, tokenizer: store, understanding: understanding, locations: try await store.locations(),
            configuration: DialogueConfiguration(
                storeName: "Stride & Thread", returnPolicy: ReturnPolicy(windowDays: 30), clock: Fixtures.clock,
                errorReplies: try ErrorReplies(yaml: yaml)))
        var last: Reply?
        for line in ["I'd like the black Air Max 90 in size 10 for pickup downtown", "yes", "yes"] {
            last = await engine.respond(to: Utterance(sessionID: "s", text: line, caller: Caller(customerID: "C-1001")))
        }
        #expect(last?.text.hasPrefix("Your bank said no to that one; nothing was charged.") == true)
        #expect(last?.text.contains("team member") == true)
        #expect(await store.snapshot().payments.isEmpty)
    }
}
