import ArgumentParser
import Conversation
import Foundation
import Gateway
import Replay
import Server
import Understanding

#if canImport(Glibc)
import Glibc
#endif

/// `voicepos chat`: talk to the assistant, by hand or through a pipe, in text or in the JSON turn protocol.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Talk to the assistant on the demo store (a REPL; also reads piped lines).",
        discussion: """
            Commands: /debug (toggle intent, entities, slots and POS calls), /reset, /help, /quit.
            With --json, each input line is {"session": "...", "text": "...", "caller": {"customer_id": "..."}} \
            and each output line is the reply as JSON.
            """
    )

    @OptionGroup var options: StoreOptions

    @OptionGroup var posOptions: POSOptions

    @Option(
        help:
            "The caller's customer id (REPL default: C-1001, a demo customer with orders; \"\" for an unknown caller). With --json, the caller of turns that name none."
    )
    var customer: String?

    @Option(help: "The caller's phone number, as caller ID gives it; looked up in the store when no --customer is given.")
    var phone: String?

    @Flag(help: "Speak the speech front end's JSON protocol: one JSON turn per line in, one reply per line out.")
    var json = false

    @Flag(help: "Start with the debug view on.")
    var debug = false

    func run() async throws {
        let intents = try IntentDefinition.loadAll(from: StoreBench.intentsDirectory(options.intents))
        let (engine, storeName, gateway, bench) = try await posOptions.engine(store: options, intents: intents)
        if json {
            try await runJSON(engine)
        } else {
            await runREPL(engine, storeName: storeName, gateway: gateway)
        }
        withExtendedLifetime(bench) {}
    }

    private func runREPL(_ engine: DialogueEngine, storeName: String, gateway: ResilientPointOfSale) async {
        let interactive = isatty(STDIN_FILENO) != 0
        var debug = self.debug
        var session = "chat-1"
        var sessionCount = 1
        let customer = self.customer ?? (phone == nil ? "C-1001" : "")
        let caller = Caller(customerID: customer.isEmpty ? nil : customer, phone: phone)
        if interactive {
            let who = !customer.isEmpty ? "customer \(customer)" : phone.map { "phone \($0)" } ?? "an unknown caller"
            print("VoicePOS on \(storeName), calling as \(who). Type /help for commands.\n")
        }
        while true {
            if interactive { print("you › ", terminator: "") }
            fflush(nil)
            guard let line = readLine() else { break }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            switch text {
            case "/quit", "/exit":
                return
            case "/help":
                print(
                    "Say anything a caller would. /debug toggles the inside view, /gateway shows the POS gateway, /reset starts a new call, /quit leaves."
                )
                continue
            case "/gateway":
                print(await Self.gatewayView(gateway))
                continue
            case "/debug":
                debug.toggle()
                print("(debug \(debug ? "on" : "off"))")
                continue
            case "/reset":
                await engine.endSession(session)
                sessionCount += 1
                session = "chat-\(sessionCount)"
                print("(new call)")
                continue
            default:
                break
            }
            let reply = await engine.respond(to: Utterance(sessionID: session, text: text, caller: caller))
            if !interactive { print("you: \(reply.trace.normalized)") }
            print("agent: \(reply.text)")
            if debug { print(Self.debugView(reply)) }
            switch reply.action {
            case .transfer: print("(transferred to a team member: \(reply.handoff ?? ""))")
            case .end: print("(call ended)")
            case .continue: break
            }
            if !interactive { print("") }
            if reply.action != .continue {
                await engine.endSession(session)
                sessionCount += 1
                session = "chat-\(sessionCount)"
            }
        }
    }

    /// Budget, queue, circuits, cache and each flow's counts and latency.
    static func gatewayView(_ gateway: ResilientPointOfSale) async -> String {
        let health = await gateway.health()
        let stats = await gateway.stats.snapshot()
        var lines = [
            "  ┌ POS gateway: \(health.requestsSent) requests sent (budget \(Int(gateway.policy.requestsPerMinute))/min), \(health.queueDepth) waiting",
            "  │ cache hit rate \(String(format: "%.0f%%", health.cacheHitRate * 100)); last-known stock answers \(stats.lastKnownStockAnswers); "
                + "searches from the synced catalog \(stats.searchesFromCachedCatalog); orders found by read-back \(stats.ordersRecoveredByReadBack)",
        ]
        let open = health.breakers.filter { $0.value != "closed" }.map { "\($0.key.rawValue) \($0.value)" }.sorted()
        lines.append("  │ circuits: " + (open.isEmpty ? "all closed" : open.joined(separator: ", ")))
        for (flow, flowStats) in stats.flows.sorted(by: { $0.key < $1.key }) {
            let outcomes = flowStats.outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append(
                "  │ \(flow): \(outcomes); p50 \(String(format: "%.1f", flowStats.p50Milliseconds)) ms, p99 \(String(format: "%.1f", flowStats.p99Milliseconds)) ms, retries \(flowStats.retries)"
            )
        }
        lines.append("  └")
        return lines.joined(separator: "\n")
    }

    static func debugView(_ reply: Reply) -> String {
        var lines = ["  ┌ intent \(reply.intent.rawValue) (confidence \(String(format: "%.2f", reply.confidence)))"]
        lines.append("  │ heard: \(reply.trace.normalized)")
        if let caller = reply.trace.caller { lines.append("  │ caller: \(caller)") }
        if !reply.trace.acts.isEmpty { lines.append("  │ acts: " + reply.trace.acts.joined(separator: " ")) }
        if !reply.trace.entities.isEmpty {
            lines.append("  │ entities: " + reply.trace.entities.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        if !reply.slots.isEmpty {
            lines.append("  │ slots: " + reply.slots.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        if let expecting = reply.expecting { lines.append("  │ expecting: \(expecting.rawValue)") }
        for call in reply.trace.calls { lines.append("  │ POS \(call.failed ? "✗" : "✓") \(call)") }
        lines.append("  └ action \(reply.action.rawValue)")
        return lines.joined(separator: "\n")
    }

    /// One JSON turn per input line, one JSON reply per output line; sessions may interleave.
    private func runJSON(_ engine: DialogueEngine) async throws {
        struct Failure: Encodable {
            var error: String
            var line: Int
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let defaultCaller =
            customer?.isEmpty == false || phone != nil
            ? Caller(customerID: customer?.isEmpty == false ? customer : nil, phone: phone) : nil
        var number = 0
        while let line = readLine() {
            number += 1
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let output: Data
            do {
                let turn = try TurnRequest.decode(Data(line.utf8))
                let reply = await engine.respond(to: turn.utterance(defaultCaller: defaultCaller))
                // A transferred or finished call is over: its session is forgotten.
                if reply.action != .continue { await engine.endSession(turn.session) }
                output = try encoder.encode(reply)
            } catch let error as TurnRequestError {
                output = try encoder.encode(Failure(error: error.description, line: number))
            }
            print(String(decoding: output, as: UTF8.self))
            fflush(nil)
        }
    }
}
