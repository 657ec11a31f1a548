import Connectors
import Conversation
import Foundation
import Gateway
import RetailModel
import StoreSimulator
import Understanding

/// The outcome of one dialogue.
public struct DialogueResult: Sendable {
    /// One thing that did not hold, with where it is asserted.
    public struct Failure: Sendable, CustomStringConvertible {
        public var line: Int
        /// "turn 2 «where's my order»", or "after the conversation".
        public var context: String
        public var expected: String
        public var actual: String

        public var description: String { "\(context)\n      expected \(expected)\n      actual   \(actual)" }
    }

    public var file: String
    public var name: String
    public var turns: Int
    public var failures: [Failure]
    /// Set when the file could not be read or the store could not start.
    public var error: String?
    /// Why the dialogue was not replayed: the POS it goes through lacks something it needs.
    public var skipped: String?
    public var seconds: Double

    public var passed: Bool { failures.isEmpty && error == nil && skipped == nil }
    public var failed: Bool { !failures.isEmpty || error != nil }
}

/// Replays dialogues against a fresh store each, checking every assertion.
public struct DialogueRunner: Sendable {
    static let intentNames = Set(Intent.allCases.map(\.rawValue))

    private let intents: [IntentDefinition]
    private let understandings = UnderstandingCache()
    /// The platform whose loopback front and connector every dialogue goes through; nil: straight to the simulator.
    private let platform: Platform?
    /// Whether the connector's requests reach the front in process rather than over a socket.
    private let inProcess: Bool

    /// The gateway in a replay: every turn reads live stock (a replay runs in milliseconds, so a cached count would
    /// hide what the turn's store holds); the cache answers only when the POS cannot. Deadlines are generous, so a
    /// busy CI machine doesn't fail a call; a dialogue about deadlines sets its own (`deadline_ms`).
    static func policy(deadline: Duration) -> GatewayPolicy { GatewayPolicy(deadline: deadline, stockTTL: .zero) }

    /// A runner that understands callers with the given intent examples.
    ///
    /// - Parameter platform: replay through that platform's connector against its loopback front.
    /// - Parameter inProcess: hand the connector's HTTP requests to the front directly, with no socket (tests).
    public init(intents: [IntentDefinition], via platform: Platform? = nil, inProcess: Bool = false) {
        self.intents = intents
        self.platform = platform
        self.inProcess = inProcess
    }

    /// Understanding built once per catalog and store list, shared by every dialogue on the same store (the demo, or a
    /// fixture many dialogues use): building it reads every intent example, which is most of a short dialogue's cost.
    private actor UnderstandingCache {
        private struct Key: Hashable {
            let catalog: [Product]
            let locations: [Location]
        }
        private var built: [Key: LanguageUnderstanding] = [:]

        func get(intents: [IntentDefinition], catalog: [Product], locations: [Location]) -> LanguageUnderstanding {
            let key = Key(catalog: catalog, locations: locations)
            if let understanding = built[key] { return understanding }
            let understanding = LanguageUnderstanding(intents: intents, catalog: catalog, locations: locations)
            built[key] = understanding
            return understanding
        }
    }

    /// Reads and replays one dialogue file; a malformed file is a failed result naming file, line and field.
    public func run(file url: URL) async -> DialogueResult {
        let started = Date()
        do {
            let dialogue = try DialogueParser().parse(contentsOf: url)
            return await run(dialogue)
        } catch {
            return DialogueResult(
                file: url.path, name: url.lastPathComponent, turns: 0, failures: [], error: "\(error)",
                seconds: Date().timeIntervalSince(started))
        }
    }

    /// Replays a parsed dialogue against a fresh store and checks every assertion.
    public func run(_ dialogue: Dialogue) async -> DialogueResult {
        let started = Date()
        var result = DialogueResult(file: dialogue.file, name: dialogue.name, turns: dialogue.turns.count, failures: [], seconds: 0)
        let bench: StoreBench
        do {
            let clock = StoreClock.fixed(dialogue.clock)
            let store =
                switch dialogue.store {
                case .demo: try StoreSimulator(fixture: try StoreFixture.demo(), clock: clock)
                case .fixture(let fixture): try StoreSimulator(fixture: fixture, clock: clock)
                }
            let understanding = await understandings.get(
                intents: intents, catalog: try await store.catalog(), locations: try await store.locations())
            bench = try await StoreBench.start(
                store: store, understanding: understanding, clock: clock, via: platform, inProcess: inProcess,
                policy: Self.policy(deadline: dialogue.deadline), turnDeadline: dialogue.deadline)
        } catch {
            result.error = "the store could not start: \(error)"
            result.seconds = Date().timeIntervalSince(started)
            return result
        }
        if let connector = bench.loopback?.pointOfSale,
            let need = dialogue.needs.sorted(by: { $0.rawValue < $1.rawValue }).first(where: { !$0.isMet(by: connector.capabilities) })
        {
            result.skipped =
                "needs \(need.rawValue.replacingOccurrences(of: "_", with: " ")), which the \(platform?.rawValue ?? "") connector does not offer"
            result.seconds = Date().timeIntervalSince(started)
            return result
        }
        for fault in dialogue.faults { await bench.store.inject(fault) }
        let before = await bench.store.snapshot()
        let caller = dialogue.caller != nil || dialogue.phone != nil ? Caller(customerID: dialogue.caller, phone: dialogue.phone) : nil

        var replies: [Reply] = []
        for (index, turn) in dialogue.turns.enumerated() {
            // A turn may speak for a second, simultaneous call (another session, maybe another caller).
            let session = turn.session ?? "replay"
            let speaker = turn.caller.map { Caller(customerID: $0) } ?? (turn.session == nil ? caller : nil)
            // The POS may start failing partway through a call.
            for fault in turn.faults { await bench.store.inject(fault) }
            let reply = await bench.engine.respond(to: Utterance(sessionID: session, text: turn.user, caller: speaker))
            replies.append(reply)
            // The report quotes what was understood (card numbers redacted), never the raw utterance.
            let context = "turn \(index + 1) «\(reply.trace.normalized)»"
            result.failures += Self.check(turn, reply).map {
                DialogueResult.Failure(line: turn.line, context: context, expected: $0.expected, actual: $0.actual)
            }
        }
        let after = await bench.store.snapshot()
        result.failures += Self.check(dialogue.after, before: before, after: after).map {
            DialogueResult.Failure(line: $0.line, context: "after the conversation", expected: $0.expected, actual: $0.actual)
        }
        // Every dialogue: no card number a caller read out may appear in anything the call produced.
        let sessions = Set(dialogue.turns.map { $0.session ?? "replay" })
        var transcripts: [TranscriptLine] = []
        for session in sessions.sorted() { transcripts += await bench.engine.transcript(of: session) }
        let produced = [
            String(decoding: (try? JSONEncoder().encode(replies)) ?? Data(), as: UTF8.self),
            String(decoding: (try? JSONEncoder().encode(transcripts)) ?? Data(), as: UTF8.self),
            "\(after)",
        ].joined(separator: "\n").replacing(/<[^>]+>|\s/, with: "")
        for number in Self.cardNumbers(in: dialogue.turns.map(\.user)) where produced.contains(String(number.prefix(12))) {
            result.failures.append(
                DialogueResult.Failure(
                    line: 0, context: "after the conversation", expected: "no card number in replies, transcript, trace or store",
                    actual: "the card ending \(number.suffix(4)) appears in full"))
        }
        result.seconds = Date().timeIntervalSince(started)
        return result
    }

    /// Card numbers read out in the caller's lines, as understanding reads them (digits, Luhn-valid).
    public static func cardNumbers(in lines: [String]) -> [String] {
        let normalizer = TranscriptNormalizer()
        return lines.flatMap { line in
            normalizer.normalize(line).filter { (13...19).contains($0.count) && $0.allSatisfy(\.isNumber) && $0.passesLuhnCheck }
        }
    }

    static func check(_ turn: Dialogue.Turn, _ reply: Reply) -> [(expected: String, actual: String)] {
        var problems: [(String, String)] = []
        let text = reply.text
        if let exact = turn.reply, exact != text { problems.append(("reply \"\(exact)\"", "\"\(text)\"")) }
        for piece in turn.replyContains where !text.localizedCaseInsensitiveContains(piece) {
            problems.append(("reply to contain \"\(piece)\"", "\"\(text)\""))
        }
        for piece in turn.replyExcludes where text.localizedCaseInsensitiveContains(piece) {
            problems.append(("reply not to contain \"\(piece)\"", "\"\(text)\""))
        }
        if !turn.hints.isEmpty, !Set(turn.hints).isSubset(of: reply.hints) {
            problems.append(("hints to include \(turn.hints)", "\(reply.hints)"))
        }
        for piece in turn.handoffContains where !(reply.handoff ?? "").localizedCaseInsensitiveContains(piece) {
            problems.append(("hand-off summary to contain \"\(piece)\"", "\"\(reply.handoff ?? "")\""))
        }
        let callback = reply.callback.map { "\($0.phone) \($0.summary)" }
        for piece in turn.callbackContains where !(callback ?? "").localizedCaseInsensitiveContains(piece) {
            problems.append(("a call-back request containing \"\(piece)\"", callback.map { "\"\($0)\"" } ?? "none"))
        }
        for piece in turn.ssmlContains where !reply.ssml.contains(piece) {
            problems.append(("SSML to contain \"\(piece)\"", "\"\(reply.ssml)\""))
        }
        if let pattern = turn.replyMatches, text.range(of: pattern, options: [.regularExpression, .caseInsensitive]) == nil {
            problems.append(("reply to match /\(pattern)/", "\"\(text)\""))
        }
        if let intent = turn.intent, intent != reply.intent.rawValue {
            problems.append(("intent \(intent)", "\(reply.intent.rawValue) (confidence \(reply.confidence))"))
        }
        if let slots = turn.slots {
            for (name, value) in slots.sorted(by: { $0.key < $1.key }) where reply.slots[name] != value {
                problems.append(
                    ("slot \(name) = \(value)", reply.slots[name].map { "\(name) = \($0)" } ?? "no \(name) (slots: \(format(reply.slots)))"))
            }
        }
        if let calls = turn.calls {
            let made = reply.trace.calls.map(\.flow.rawValue)
            if made != calls { problems.append(("POS calls [\(calls.joined(separator: ", "))]", "[\(made.joined(separator: ", "))]")) }
        }
        if let action = turn.action, action != reply.action.rawValue {
            problems.append(("action \(action)", reply.action.rawValue))
        }
        if let expecting = turn.expecting {
            let actual = reply.expecting?.rawValue ?? "none"
            if expecting != actual { problems.append(("expecting \(expecting)", actual)) }
        }
        return problems
    }

    private static func format(_ slots: [String: String]) -> String {
        slots.isEmpty ? "none" : slots.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    static func check(
        _ expected: StoreExpectations, before: StoreSimulator.Snapshot, after: StoreSimulator.Snapshot
    ) -> [(line: Int, expected: String, actual: String)] {
        var problems: [(Int, String, String)] = []
        let oldNumbers = Set(before.orders.map(\.number))
        let newOrders = after.orders.filter { !oldNumbers.contains($0.number) }
        let newReturns = after.returns.dropFirst(before.returns.count)
        let newPayments = after.payments.dropFirst(before.payments.count)
        func describe(_ fields: [String: String]) -> String {
            fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        }

        for item in expected.orders {
            let found = after.orders.contains { order in
                item.fields.allSatisfy { key, value in
                    switch key {
                    case "number": order.number == value
                    case "customer": order.customerID == value
                    case "fulfillment": order.fulfillment.rawValue == value
                    case "location": order.locationID == value
                    case "status": order.status.rawValue == value
                    case "sku": order.lines.contains { $0.sku == value }
                    case "quantity":
                        order.lines.contains { line in
                            String(line.quantity) == value && (item.fields["sku"].map { line.sku == $0 } ?? true)
                        }
                    default: false
                    }
                }
            }
            if !found {
                let actual =
                    newOrders.isEmpty
                    ? "no new orders"
                    : newOrders.map { order in
                        "order \(order.number) \(order.status.rawValue) \(order.fulfillment.rawValue) \(order.locationID) "
                            + order.lines.map { "\($0.quantity)×\($0.sku)" }.joined(separator: ", ")
                    }.joined(separator: "; ")
                problems.append((item.line, "an order with \(describe(item.fields))", actual))
            }
        }
        for item in expected.returns {
            let found = after.returns.contains { receipt in
                item.fields.allSatisfy { key, value in
                    switch key {
                    case "order": receipt.request.orderNumber == value
                    case "sku": receipt.request.lines.contains { $0.sku == value }
                    case "quantity": receipt.request.lines.contains { String($0.quantity) == value }
                    case "reason": receipt.request.reason == value
                    case "refund_method": receipt.request.refundMethod.rawValue == value
                    default: false
                    }
                }
            }
            if !found {
                let actual =
                    newReturns.isEmpty
                    ? "no returns"
                    : newReturns.map {
                        "return of order \($0.request.orderNumber) (\($0.request.lines.map(\.sku).joined(separator: ", "))), \($0.request.refundMethod.rawValue), reason \($0.request.reason)"
                    }.joined(separator: "; ")
                problems.append((item.line, "a return with \(describe(item.fields))", actual))
            }
        }
        for item in expected.payments {
            let found = after.payments.contains { payment in
                item.fields.allSatisfy { key, value in
                    switch key {
                    case "order": payment.orderNumber == value
                    case "amount": String(payment.amount.minorUnits) == value
                    case "last4": payment.cardLast4 == value
                    default: false
                    }
                }
            }
            if !found {
                let actual =
                    newPayments.isEmpty
                    ? "no payments"
                    : newPayments.map {
                        "order \($0.orderNumber) \($0.amount.minorUnits) card ending \($0.cardLast4)"
                    }.joined(separator: "; ")
                problems.append((item.line, "a payment with \(describe(item.fields))", actual))
            }
        }
        for item in expected.stock {
            guard let sku = item.fields["sku"], let location = item.fields["location"], let wanted = item.fields["available"] else {
                problems.append((item.line, "stock with sku, location and available", describe(item.fields)))
                continue
            }
            let actual = after.stock[sku]?[location] ?? 0
            if String(actual) != wanted { problems.append((item.line, "\(sku) at \(location): \(wanted) available", "\(actual)")) }
        }
        if let count = expected.newOrders, count != newOrders.count {
            problems.append((expected.line, "\(count) new orders", "\(newOrders.count)"))
        }
        if let count = expected.newReturns, count != newReturns.count {
            problems.append((expected.line, "\(count) new returns", "\(newReturns.count)"))
        }
        if let count = expected.newPayments, count != newPayments.count {
            problems.append((expected.line, "\(count) new payments", "\(newPayments.count)"))
        }
        return problems
    }
}
