import Foundation
import Replay
import Testing

struct DialogueParserTests {
    private func parse(_ yaml: String) throws -> Dialogue {
        try DialogueParser().parse(yaml, file: "suite/bad.yaml", directory: Fixtures.root)
    }

    @Test func anUnknownFieldNamesFileLineAndField() {
        let yaml = """
            caller: C-1001
            turns:
              - user: hello
                reply_contain: [hi]
            """
        #expect {
            try parse(yaml)
        } throws: { error in
            guard let error = error as? DialogueFileError else { return false }
            return error.file == "suite/bad.yaml" && error.line == 4 && error.field == "turns[0].reply_contain"
                && error.description.contains("^")
        }
    }

    @Test func anUnknownIntentOrCallIsRefused() {
        #expect(throws: DialogueFileError.self) { try parse("turns:\n  - user: hi\n    intent: say_hello\n") }
        #expect(throws: DialogueFileError.self) { try parse("turns:\n  - user: hi\n    calls: [get_stock]\n") }
        #expect(throws: DialogueFileError.self) { try parse("turns:\n  - user: hi\n    action: hang_up\n") }
    }

    @Test func aTurnNeedsWhatTheCallerSays() {
        #expect {
            try parse("turns:\n  - reply: hi\n")
        } throws: { error in
            (error as? DialogueFileError)?.field == "turns[0].user" && (error as? DialogueFileError)?.line == 2
        }
    }

    @Test func brokenYAMLPointsAtTheLine() {
        #expect {
            try parse("turns:\n  - user: [unclosed\n")
        } throws: { error in
            ((error as? DialogueFileError)?.line ?? 0) >= 2
        }
    }

    @Test func readsFaultsStoreAndExpectations() throws {
        let dialogue = try parse(
            """
            caller: none
            clock: 2026-01-05T10:00:00Z
            faults:
              - {flow: take_payment, error: payment_declined, reason: expired_card, times: 1}
            turns:
              - user: hi
                slots: {size: "10"}
            after:
              new_orders: 0
              payments:
                - {order: "7829", amount: 14154}
            """)
        #expect(dialogue.caller == nil)
        #expect(dialogue.faults.first?.kind == .fail(.paymentDeclined(.expiredCard)))
        #expect(dialogue.turns[0].slots == ["size": "10"])
        #expect(dialogue.after.newOrders == 0)
        #expect(dialogue.after.payments.first?.fields["amount"] == "14154")
    }
}

struct DialogueRunnerTests {
    @Test func aFailedAssertionReportsExpectedActualAndLine() async throws {
        let dialogue = try DialogueParser().parse(
            """
            turns:
              - user: Do you have the Nike Air Max in size 10?
                reply_contains: [12 pairs]
                intent: order_status
            after:
              new_orders: 1
            """, file: "x.yaml", directory: Fixtures.root)
        let result = await DialogueRunner(intents: try Fixtures.intents()).run(dialogue)
        #expect(!result.passed)
        #expect(result.failures.count == 3)
        #expect(result.failures[0].line == 2)
        #expect(result.failures[0].expected == "reply to contain \"12 pairs\"")
        #expect(result.failures[0].actual.contains("3 pairs"))
        #expect(result.failures[1].actual.hasPrefix("check_availability"))
        #expect(ReplayReport.summary([result]) == "0 passed, 1 failed")
        #expect(ReplayReport.junit([result], relativeTo: "/").contains("<failure"))
    }
}

struct CardScanTests {
    @Test func spokenAndTypedCardNumbersAreFoundForTheLeakScan() {
        let lines = [
            "my card is four two four two four two four two four two four two four two four two",
            "use 5555 5555 5555 4444 please",
            "order 7829 and size 10",
            "1234 5678 9012 3456",
        ]
        #expect(DialogueRunner.cardNumbers(in: lines) == ["4242424242424242", "5555555555554444"])
    }
}
