import Commerce
import Connectors
import Conversation
import Foundation
import Gateway
import PlatformFronts
import RetailModel
import StoreSimulator
import Understanding

/// Many scripted calls at once through the gateway against the demo store with a tight request budget and random
/// faults, then an audit of what the store holds: `voicepos load`.
public enum LoadRun {
    public struct Options: Sendable {
        public var conversations: Int
        /// Requests a minute the POS allows.
        public var budgetPerMinute: Double
        /// Share of POS calls that misbehave.
        public var faultRate: Double
        /// No new turn starts after this long.
        public var seconds: Double
        /// Calls arrive evenly over this many seconds (0: all at once).
        public var ramp: Double
        public var seed: UInt64
        /// Speak this platform's API to the store over HTTP on 127.0.0.1 (nil: the store in memory). The budget
        /// then counts HTTP requests, pages and token refreshes included.
        public var platform: Platform?
        /// The longest a caller waits for one answer (production: 2 s); a test on a loaded machine gives more.
        public var turnDeadline: Duration

        public init(
            conversations: Int, budgetPerMinute: Double, faultRate: Double, seconds: Double, ramp: Double = 0, seed: UInt64 = 1,
            platform: Platform? = nil, turnDeadline: Duration = .seconds(2)
        ) {
            self.turnDeadline = turnDeadline
            self.conversations = conversations
            self.budgetPerMinute = budgetPerMinute
            self.faultRate = faultRate
            self.seconds = seconds
            self.ramp = ramp
            self.seed = seed
            self.platform = platform
        }
    }

    /// What the run did and what the audit found.
    public struct Report: Sendable, Codable {
        public var conversations: Int
        public var conversationsFinished: Int
        public var turns: Int
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        public var maxMilliseconds: Double
        public var posRequests: Int
        public var budget: Double
        /// Requests sent beyond what the budget allowed at that moment (burst plus the rate since the start).
        public var overBudget: Int
        public var cacheHitRate: Double
        public var transfers: Int
        public var confirmedOrders: Int
        /// Orders a caller was told are confirmed that the store does not hold as confirmed, paid, for them.
        public var lostOrders: Int
        /// Callers with more than one order placed for them in this run.
        public var duplicateOrders: Int
        /// Orders paid more than once.
        public var duplicateCharges: Int
        /// Holds on stock still in force after every call ended.
        public var leakedReservations: Int
        /// Orders created in the run still pending when every call had ended (only calls handed to a person should
        /// leave one: the engine cancels an unpaid order when its caller hangs up).
        public var pendingOrdersLeft: Int
        /// Orders charged but not confirmed (the confirm failed; the caller was offered a person).
        public var paidUnconfirmed: Int
        public var seconds: Double
        /// Calls whose script places an order.
        public var orderingCalls: Int
        /// Orders the run must confirm for the audit to pass: half of what the budget could carry over the run at
        /// `requestsPerOrder` requests each (fewer with faults), and never more than half the ordering calls.
        public var ordersExpected: Int
        /// Why calls went to a person: the reason, and what the assistant had said before it, with how many calls.
        public var transferReasons: [String: Int]
        /// The platform spoken over loopback HTTP, nil in memory.
        public var platform: String?
        public var gateway: GatewayStats.Snapshot

        enum CodingKeys: String, CodingKey {
            case conversations, turns, budget, transfers, seconds, gateway, platform
            case conversationsFinished = "conversations_finished"
            case p50Milliseconds = "p50_ms", p99Milliseconds = "p99_ms", maxMilliseconds = "max_ms"
            case posRequests = "pos_requests", overBudget = "over_budget", cacheHitRate = "cache_hit_rate"
            case confirmedOrders = "confirmed_orders", lostOrders = "lost_orders", duplicateOrders = "duplicate_orders"
            case duplicateCharges = "duplicate_charges", leakedReservations = "leaked_reservations"
            case pendingOrdersLeft = "pending_orders_left", paidUnconfirmed = "paid_unconfirmed"
            case orderingCalls = "ordering_calls", ordersExpected = "orders_expected", transferReasons = "transfer_reasons"
        }

        /// What the audit found wrong, each in a sentence; empty when the run passed.
        public var failures: [String] {
            var found: [String] = []
            if overBudget > 0 { found.append("\(overBudget) POS requests went over the budget") }
            if lostOrders > 0 { found.append("\(lostOrders) orders a caller heard confirmed are not confirmed and paid in the store") }
            if duplicateOrders > 0 { found.append("\(duplicateOrders) callers have more than one order") }
            if duplicateCharges > 0 { found.append("\(duplicateCharges) orders were charged more than once") }
            if leakedReservations > 0 { found.append("\(leakedReservations) holds on stock outlived their calls") }
            if confirmedOrders < ordersExpected {
                found.append("only \(confirmedOrders) orders confirmed where the budget allows at least \(ordersExpected)")
            }
            return found
        }
    }

    /// POS requests one ordering call makes, for planning what a budget can carry: the caller's record, stock, a hold
    /// check, create, charge, confirm.
    public static let requestsPerOrder = 6.0

    /// One scripted call: what the caller says, turn by turn.
    static let scripts: [[String]] = [
        ["do you have the air max 90 in size 10", "thanks, bye"],
        ["I'd like the white sambas in size 9 for pickup at the westside store", "yes", "yes", "no thanks"],
        ["where is my order 7790", "thanks"],
        ["do you have the 501s in 32 by 30", "what about the mall", "bye"],
        ["I'd like the black Air Max 90 in size 11 for pickup at the mall", "yes", "yes", "no"],
        ["can I get the club fleece hoodie in grey, size large, shipped to me", "yes", "yes", "no thanks"],
    ]

    /// Runs the load and audits the store.
    public static func run(_ options: Options, intents: [IntentDefinition]) async throws -> Report {
        var fixture = try StoreFixture.demo()
        // One caller per conversation, each with a card on file, so every order and charge can be traced to its call.
        for index in 0..<options.conversations {
            fixture.customers.append(
                StoreFixture.CustomerEntry(
                    id: Self.customer(index), name: "Load Caller \(index)", phone: String(format: "555%07d", 2_000_000 + index),
                    homeLocation: "downtown", cardOnFile: CardToken(token: "tok_demo_visa_4242", brand: "Visa", last4: "4242")))
        }
        // Enough of everything for every call: what runs out is the budget, not the shelf.
        fixture.stockEveryVariant(atLeast: options.conversations + 5)
        let store = try StoreSimulator(fixture: fixture, clock: .system)
        await store.injectRandomFaults(rate: options.faultRate, seed: options.seed)
        let before = Set(await store.snapshot().orders.map(\.number))
        // What the POS receives is counted where it arrives: each HTTP request to the front, or each call in memory.
        let meter = RequestMeter()
        var loopback: Loopback?
        if let platform = options.platform {
            loopback = try await Loopback.start(
                platform, store: store, profile: try await StoreProfile.of(store), observe: { _ in await meter.note() })
        }
        await meter.start()
        var policy = GatewayPolicy(requestsPerMinute: options.budgetPerMinute, burst: max(1, (options.budgetPerMinute / 60).rounded(.up)))
        policy.deadline = max(policy.deadline, options.turnDeadline)
        policy.writeDeadline = max(policy.writeDeadline, options.turnDeadline)
        let gateway = ResilientPointOfSale(
            wrapping: loopback?.pointOfSale ?? MeteredPointOfSale(store, meter: meter), policy: policy, clock: .system)
        let reservations = InMemoryReservations()
        // Catalog and locations are synced before calls come in, as in production, through the gateway's cache.
        let understanding = LanguageUnderstanding(intents: intents, catalog: try await gateway.catalog(), locations: try await gateway.locations())
        let engine = DialogueEngine(
            pointOfSale: gateway, tokenizer: store, understanding: understanding, locations: try await gateway.locations(),
            configuration: DialogueConfiguration(
                storeName: store.storeName, returnPolicy: ReturnPolicy(windowDays: store.returnWindowDays), clock: .system,
                reservations: reservations, turnDeadline: options.turnDeadline))

        let clock = ContinuousClock()
        let started = clock.now
        let stopAt = started + .seconds(options.seconds)
        var outcomes: [Outcome] = []
        await withTaskGroup(of: Outcome.self) { group in
            for index in 0..<options.conversations {
                let arrival = started + .seconds(options.ramp * Double(index) / Double(options.conversations))
                group.addTask {
                    try? await Task.sleep(until: arrival, clock: clock)
                    return await call(index, script: scripts[index % scripts.count], engine: engine, stopAt: stopAt)
                }
            }
            for await outcome in group { outcomes.append(outcome) }
        }
        let elapsed = (clock.now - started).inSeconds

        // The audit: every confirmation a caller heard is a confirmed, paid order of theirs; nothing twice.
        let after = await store.snapshot()
        let created = after.orders.filter { !before.contains($0.number) }
        let byNumber = Dictionary(uniqueKeysWithValues: after.orders.map { ($0.number, $0) })
        let paymentsPerOrder = Dictionary(grouping: after.payments, by: \.orderNumber)
        var lost = 0
        for outcome in outcomes {
            for number in outcome.confirmed {
                guard let order = byNumber[number], order.customerID == Self.customer(outcome.index), order.status == .confirmed,
                    paymentsPerOrder[number]?.isEmpty == false
                else { lost += 1; continue }
            }
        }
        let ordersPerCustomer = Dictionary(grouping: created.filter { $0.status != .cancelled }, by: \.customerID)
        let latencies = outcomes.flatMap(\.latencies).sorted()
        let health = await gateway.health()
        let orderingCalls = (0..<options.conversations).filter { scripts[$0 % scripts.count].contains("yes") }.count
        // What the budget carries over the run (its burst, then the rate over the time calls were talking), at the
        // requests an order takes, each of which a fault may spoil.
        let carried = (policy.burst + options.budgetPerMinute * elapsed / 60) / Self.requestsPerOrder
        let unspoiled = pow(1 - options.faultRate, Self.requestsPerOrder)
        let expected = Int((0.5 * min(Double(orderingCalls), carried * unspoiled)).rounded())
        return Report(
            conversations: options.conversations, conversationsFinished: outcomes.filter(\.finished).count,
            turns: latencies.count, p50Milliseconds: GatewayStats.percentile(latencies, 0.5),
            p99Milliseconds: GatewayStats.percentile(latencies, 0.99), maxMilliseconds: latencies.last ?? 0,
            posRequests: await meter.count, budget: options.budgetPerMinute,
            overBudget: await meter.overBudget(perMinute: options.budgetPerMinute, burst: policy.burst),
            cacheHitRate: health.cacheHitRate, transfers: outcomes.reduce(0) { $0 + $1.transfers },
            confirmedOrders: created.filter { $0.status == .confirmed }.count, lostOrders: lost,
            duplicateOrders: ordersPerCustomer.values.filter { $0.count > 1 }.count,
            duplicateCharges: paymentsPerOrder.values.filter { $0.count > 1 }.count,
            leakedReservations: await reservations.activeHolds(now: Date()),
            pendingOrdersLeft: created.filter { $0.status == .pending }.count,
            paidUnconfirmed: created.filter { $0.status == .pending && paymentsPerOrder[$0.number]?.isEmpty == false }.count, seconds: elapsed,
            orderingCalls: orderingCalls, ordersExpected: expected,
            transferReasons: outcomes.compactMap(\.transferReason).reduce(into: [:]) { $0[$1, default: 0] += 1 },
            platform: options.platform?.rawValue, gateway: await gateway.stats.snapshot())
    }

    static func customer(_ index: Int) -> String { "L-\(index)" }

    private struct Outcome: Sendable {
        var index: Int
        var latencies: [Double] = []
        var transfers = 0
        /// Why the call went to a person, and what the assistant had said just before.
        var transferReason: String?
        var finished = false
        /// Order numbers the caller was told are confirmed.
        var confirmed: [String] = []
    }

    private static func call(_ index: Int, script: [String], engine: DialogueEngine, stopAt: ContinuousClock.Instant) async -> Outcome {
        let clock = ContinuousClock()
        var outcome = Outcome(index: index)
        let session = "load-\(index)"
        let caller = Caller(customerID: customer(index))
        var said = ""
        for text in script {
            guard clock.now < stopAt else { break }
            let started = clock.now
            let reply = await engine.respond(to: Utterance(sessionID: session, text: text, caller: caller))
            outcome.latencies.append((clock.now - started).inSeconds * 1000)
            if let match = reply.text.firstMatch(of: /Confirmation #(\d+)/) { outcome.confirmed.append(String(match.1)) }
            if reply.action == .transfer {
                outcome.transfers += 1
                let reason = reply.handoff?.split(separator: ".").first.map(String.init) ?? "no reason given"
                let before = said.split(separator: ".").first.map(String.init) ?? ""
                outcome.transferReason = "\(reason), after \"\(before)\" (caller: \"\(text)\")"
            }
            said = reply.text
            if reply.action != .continue {
                outcome.finished = true
                break
            }
        }
        if !outcome.finished { outcome.finished = outcome.latencies.count == script.count }
        await engine.endSession(session)
        return outcome
    }
}
