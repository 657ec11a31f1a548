import Foundation
import RetailModel
import StoreSimulator
import Understanding
import Yams

/// Reads dialogue YAML strictly: unknown fields, wrong types and unknown names are errors with a line number.
public struct DialogueParser: Sendable {
    /// The clock a dialogue gets when it names none.
    public static let defaultClock = ISO8601DateFormatter().date(from: "2026-11-27T15:00:00Z")!

    /// A parser; it holds no state.
    public init() {}

    /// Reads a dialogue file.
    ///
    /// - Throws: `DialogueFileError` naming the file, line, column and field of the first problem.
    public func parse(contentsOf url: URL) throws -> Dialogue {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw DialogueFileError(file: url.path, line: 0, column: 0, field: "", message: "cannot read the file", snippet: "")
        }
        return try parse(text, file: url.path, directory: url.deletingLastPathComponent())
    }

    /// Reads dialogue YAML; `file` names it in errors and `directory` resolves a relative `store:` path.
    ///
    /// - Throws: `DialogueFileError` naming the file, line, column and field of the first problem.
    public func parse(_ yaml: String, file: String, directory: URL) throws -> Dialogue {
        let reader = NodeReader(file: file, yaml: yaml)
        let root: Node
        do {
            guard let node = try BoundedYAML.compose(yaml, source: file) else {
                throw reader.error(nil, "", "the file is empty")
            }
            root = node
        } catch let error as YamlError {
            throw reader.yamlError(error)
        } catch let error as YAMLBoundsError {
            throw reader.error(nil, "", error.message)
        }
        let fields = try reader.mapping(
            root, "", allowed: ["name", "store", "caller", "phone", "clock", "faults", "needs", "deadline_ms", "turns", "after"])

        var store = Dialogue.StoreSource.demo
        if let node = fields["store"] {
            if node.mapping != nil {
                let inline = try Yams.serialize(node: node)
                do {
                    store = .fixture(try StoreFixture.parse(inline, source: "\(file) (inline store)"))
                } catch let error as StoreFixtureError {
                    throw reader.error(node, "store", error.message)
                }
            } else {
                let path = try reader.string(node, "store")
                if path != "demo" {
                    let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
                    do {
                        store = .fixture(try StoreFixture.load(contentsOf: url))
                    } catch let error as StoreFixtureError {
                        throw reader.error(node, "store", error.description)
                    }
                }
            }
        }
        let phone = try fields["phone"].map { try reader.string($0, "phone") }
        // A caller known only by caller ID is no demo customer unless named too.
        var caller: String? = phone == nil ? "C-1001" : nil
        if let node = fields["caller"] {
            let value = try reader.string(node, "caller")
            caller = ["none", "unknown", ""].contains(value) ? nil : value
        }
        var clock = Self.defaultClock
        if let node = fields["clock"] {
            let text = try reader.string(node, "clock")
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw reader.error(node, "clock", "'\(text)' is not an ISO-8601 time such as 2026-11-27T15:00:00Z")
            }
            clock = date
        }
        let faults = try fields["faults"].map { try reader.sequence($0, "faults").enumerated().map { try fault($1, "faults[\($0)]", reader) } } ?? []
        guard let turnsNode = fields["turns"] else { throw reader.error(root, "turns", "missing: a dialogue needs at least one turn") }
        let turns = try reader.sequence(turnsNode, "turns").enumerated().map { try turn($1, "turns[\($0)]", reader) }
        guard !turns.isEmpty else { throw reader.error(turnsNode, "turns", "a dialogue needs at least one turn") }
        let after = try fields["after"].map { try expectations($0, reader) } ?? StoreExpectations()
        let name = try fields["name"].map { try reader.string($0, "name") } ?? URL(fileURLWithPath: file).lastPathComponent
        var dialogue = Dialogue(
            file: file, name: name, store: store, caller: caller, phone: phone, clock: clock, faults: faults, turns: turns, after: after)
        if let node = fields["deadline_ms"] {
            let milliseconds = try reader.int(node, "deadline_ms")
            guard milliseconds > 0 else { throw reader.error(node, "deadline_ms", "must be more than 0") }
            dialogue.deadline = .milliseconds(milliseconds)
        }
        if let node = fields["needs"] {
            for (index, item) in try reader.sequence(node, "needs").enumerated() {
                let text = try reader.string(item, "needs[\(index)]")
                guard let need = Dialogue.Need(rawValue: text) else {
                    throw reader.error(
                        item, "needs[\(index)]", "unknown need '\(text)'; one of \(Dialogue.Need.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                dialogue.needs.insert(need)
            }
        }
        return dialogue
    }

    private static let turnFields: Set<String> = [
        "user", "reply", "reply_contains", "reply_excludes", "reply_matches", "ssml_contains", "handoff_contains", "hints", "session", "caller",
        "callback_contains", "intent", "slots", "calls", "action", "faults",
        "expecting",
    ]

    private func turn(_ node: Node, _ path: String, _ reader: NodeReader) throws -> Dialogue.Turn {
        let fields = try reader.mapping(node, path, allowed: Self.turnFields)
        guard let user = fields["user"] else { throw reader.error(node, "\(path).user", "missing: what the caller says") }
        var turn = Dialogue.Turn(line: node.mark?.line ?? 0, user: try reader.string(user, "\(path).user"))
        turn.reply = try fields["reply"].map { try reader.string($0, "\(path).reply") }
        turn.replyContains = try fields["reply_contains"].map { try reader.strings($0, "\(path).reply_contains") } ?? []
        turn.replyExcludes = try fields["reply_excludes"].map { try reader.strings($0, "\(path).reply_excludes") } ?? []
        turn.session = try fields["session"].map { try reader.string($0, "\(path).session") }
        turn.caller = try fields["caller"].map { try reader.string($0, "\(path).caller") }
        turn.hints = try fields["hints"].map { try reader.strings($0, "\(path).hints") } ?? []
        turn.handoffContains = try fields["handoff_contains"].map { try reader.strings($0, "\(path).handoff_contains") } ?? []
        turn.callbackContains = try fields["callback_contains"].map { try reader.strings($0, "\(path).callback_contains") } ?? []
        turn.ssmlContains = try fields["ssml_contains"].map { try reader.strings($0, "\(path).ssml_contains") } ?? []
        if let node = fields["reply_matches"] {
            let pattern = try reader.string(node, "\(path).reply_matches")
            guard (try? NSRegularExpression(pattern: pattern)) != nil else {
                throw reader.error(node, "\(path).reply_matches", "not a valid regular expression")
            }
            turn.replyMatches = pattern
        }
        if let node = fields["intent"] {
            let intent = try reader.string(node, "\(path).intent")
            let known = DialogueRunner.intentNames
            guard known.contains(intent) else {
                throw reader.error(node, "\(path).intent", "unknown intent '\(intent)'; one of \(known.sorted().joined(separator: ", "))")
            }
            turn.intent = intent
        }
        if let node = fields["slots"] {
            let map = try reader.mapping(node, "\(path).slots", allowed: Self.slotNames)
            turn.slots = try map.mapValues { try reader.string($0, "\(path).slots") }
        }
        if let node = fields["calls"] {
            let calls = try reader.strings(node, "\(path).calls")
            for call in calls where POSFlow(rawValue: call) == nil {
                throw reader.error(
                    node, "\(path).calls", "unknown POS call '\(call)'; one of \(POSFlow.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            turn.calls = calls
        }
        if let node = fields["action"] {
            let action = try reader.string(node, "\(path).action")
            guard ["continue", "transfer", "end"].contains(action) else {
                throw reader.error(node, "\(path).action", "'\(action)' is not continue, transfer or end")
            }
            turn.action = action
        }
        if let node = fields["expecting"] {
            let slot = try reader.string(node, "\(path).expecting")
            let known = Set(ExpectedSlot.allCases.map(\.rawValue)).union(["none"])
            guard known.contains(slot) else {
                throw reader.error(node, "\(path).expecting", "unknown slot '\(slot)'; one of \(known.sorted().joined(separator: ", "))")
            }
            turn.expecting = slot
        }
        if let node = fields["faults"] {
            turn.faults = try reader.sequence(node, "\(path).faults").enumerated().map { try fault($1, "\(path).faults[\($0)]", reader) }
        }
        return turn
    }

    /// The slots a reply can report.
    static let slotNames: Set<String> = [
        "product", "size", "color", "width", "fit", "quantity", "fulfillment", "location", "order_number", "status", "sku",
        "reason", "refund_method",
    ]

    /// Values a store expectation may take, where only some are possible.
    private static let allowedValues: [String: Set<String>] = [
        "status": Set(OrderStatus.allCases.map(\.rawValue)),
        "fulfillment": ["pickup", "shipping"],
        "refund_method": ["original_payment", "store_credit"],
    ]

    private func fault(_ node: Node, _ path: String, _ reader: NodeReader) throws -> StoreSimulator.Fault {
        let fields = try reader.mapping(node, path, allowed: ["flow", "error", "reason", "times", "retry_after", "latency_ms", "after_accepting"])
        guard let flowNode = fields["flow"], fields["error"] != nil || fields["latency_ms"] != nil else {
            throw reader.error(node, path, "a fault needs a flow and an error or a latency_ms")
        }
        let flowName = try reader.string(flowNode, "\(path).flow")
        let flow = POSFlow(rawValue: flowName)
        guard flow != nil || flowName == "all" else {
            throw reader.error(
                flowNode, "\(path).flow", "unknown POS flow '\(flowName)'; all, or one of \(POSFlow.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let latency = try fields["latency_ms"].map { Duration.milliseconds(try reader.int($0, "\(path).latency_ms")) } ?? .zero
        let times = try fields["times"].map { try reader.int($0, "\(path).times") }
        if let times, times < 1 { throw reader.error(fields["times"], "\(path).times", "must be 1 or more (leave it out for every time)") }
        guard let errorNode = fields["error"] else { return StoreSimulator.Fault(flow: flow, kind: .slow, latency: latency, times: times) }
        let errorName = try reader.string(errorNode, "\(path).error")
        if errorName == "malformed" { return StoreSimulator.Fault(flow: flow, kind: .malformed, latency: latency, times: times) }
        let error: POSError
        switch errorName {
        case "not_found": error = .notFound("injected")
        case "out_of_stock": error = .outOfStock(sku: "injected", available: 0)
        case "payment_declined":
            let reasonName = try fields["reason"].map { try reader.string($0, "\(path).reason") } ?? "generic"
            guard let reason = DeclineReason(rawValue: reasonName) else {
                throw reader.error(
                    fields["reason"], "\(path).reason",
                    "unknown decline reason '\(reasonName)'; one of insufficient_funds, expired_card, incorrect_cvc, generic")
            }
            error = .paymentDeclined(reason)
        case "rate_limited":
            error = .rateLimited(
                retryAfterSeconds: try fields["retry_after"].map { node in
                    guard let seconds = Double(try reader.string(node, "\(path).retry_after")), seconds >= 0 else {
                        throw reader.error(node, "\(path).retry_after", "expected seconds, such as 1 or 0.5")
                    }
                    return seconds
                })
        case "unavailable": error = .unavailable
        case "timeout": error = .timeout
        case "invalid_request": error = .invalidRequest("injected")
        default:
            throw reader.error(
                errorNode, "\(path).error",
                "unknown error '\(errorName)'; one of not_found, out_of_stock, payment_declined, rate_limited, unavailable, timeout, invalid_request, malformed"
            )
        }
        let accepted = try fields["after_accepting"].map { try reader.bool($0, "\(path).after_accepting") } ?? false
        return StoreSimulator.Fault(flow: flow, kind: accepted ? .acceptThenFail(error) : .fail(error), latency: latency, times: times)
    }

    private static let expectationFields: [String: Set<String>] = [
        "orders": ["number", "customer", "sku", "quantity", "fulfillment", "location", "status"],
        "returns": ["order", "sku", "quantity", "reason", "refund_method"],
        "payments": ["order", "amount", "last4"],
        "stock": ["sku", "location", "available"],
    ]

    private func expectations(_ node: Node, _ reader: NodeReader) throws -> StoreExpectations {
        let fields = try reader.mapping(
            node, "after", allowed: Set(Self.expectationFields.keys).union(["new_orders", "new_returns", "new_payments"]))
        var result = StoreExpectations()
        result.line = node.mark?.line ?? 0
        func list(_ key: String) throws -> [StoreExpectations.Expectation] {
            guard let node = fields[key] else { return [] }
            return try reader.sequence(node, "after.\(key)").enumerated().map { index, item in
                let field = "after.\(key)[\(index)]"
                let map = try reader.mapping(item, field, allowed: Self.expectationFields[key])
                var values: [String: String] = [:]
                for (name, node) in map {
                    let value = try reader.string(node, "\(field).\(name)")
                    if let allowed = Self.allowedValues[name], !allowed.contains(value) {
                        throw reader.error(node, "\(field).\(name)", "'\(value)' is not one of \(allowed.sorted().joined(separator: ", "))")
                    }
                    if ["quantity", "amount", "available"].contains(name), Int(value) == nil {
                        throw reader.error(node, "\(field).\(name)", "expected a whole number")
                    }
                    values[name] = value
                }
                return StoreExpectations.Expectation(line: item.mark?.line ?? 0, fields: values)
            }
        }
        result.orders = try list("orders")
        result.returns = try list("returns")
        result.payments = try list("payments")
        result.stock = try list("stock")
        result.newOrders = try fields["new_orders"].map { try reader.int($0, "after.new_orders") }
        result.newReturns = try fields["new_returns"].map { try reader.int($0, "after.new_returns") }
        result.newPayments = try fields["new_payments"].map { try reader.int($0, "after.new_payments") }
        return result
    }
}

/// Typed access to a YAML node tree that reports the file, line and field of anything unexpected.
struct NodeReader {
    let file: String
    let yaml: String

    func error(_ node: Node?, _ field: String, _ message: String) -> DialogueFileError {
        let mark = node?.mark
        return DialogueFileError(
            file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, field: field, message: message,
            snippet: mark.map { $0.snippet(from: yaml).trimmingCharacters(in: .newlines) } ?? "")
    }

    func yamlError(_ error: YamlError) -> DialogueFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return DialogueFileError(
                file: file, line: mark.line, column: mark.column, field: "", message: "YAML syntax: \(problem)",
                snippet: mark.snippet(from: yaml).trimmingCharacters(in: .newlines))
        default:
            return DialogueFileError(file: file, line: 0, column: 0, field: "", message: "YAML: \(error)", snippet: "")
        }
    }

    func mapping(_ node: Node, _ field: String, allowed: Set<String>?) throws -> [String: Node] {
        guard let mapping = node.mapping else { throw error(node, field, "expected a mapping of field: value") }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw error(key, field, "expected a field name") }
            if let allowed, !allowed.contains(name) {
                throw error(
                    key, field.isEmpty ? name : "\(field).\(name)", "unknown field; expected one of \(allowed.sorted().joined(separator: ", "))")
            }
            result[name] = value
        }
        return result
    }

    func sequence(_ node: Node, _ field: String) throws -> [Node] {
        guard let sequence = node.sequence else { throw error(node, field, "expected a list") }
        return Array(sequence)
    }

    func string(_ node: Node, _ field: String) throws -> String {
        guard let scalar = node.scalar else { throw error(node, field, "expected a single value") }
        return scalar.string
    }

    func strings(_ node: Node, _ field: String) throws -> [String] {
        if node.scalar != nil { return [try string(node, field)] }
        return try sequence(node, field).map { try string($0, field) }
    }

    func int(_ node: Node, _ field: String) throws -> Int {
        guard let value = Int(try string(node, field)) else { throw error(node, field, "expected a whole number") }
        return value
    }

    func bool(_ node: Node, _ field: String) throws -> Bool {
        switch try string(node, field) {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw error(node, field, "expected true or false")
        }
    }
}
