import Foundation
import Gateway
import Replay
import RetailModel
import StoreSimulator
import Testing

/// The resilience gateway over the demo store: budget, retries, breakers, caching, and nothing lost or doubled.
struct GatewayTests {
    /// Counts what reaches the store.
    actor Counter {
        var calls: [POSFlow: Int] = [:]
        func add(_ flow: POSFlow) { calls[flow, default: 0] += 1 }
    }

    /// The demo store behind a counting layer, behind the gateway.
    struct Rig {
        let store: StoreSimulator
        let counter: Counter
        let gateway: ResilientPointOfSale
    }

    /// Tests are about behaviour, not the clock: deadlines no busy CI machine reaches, unless a test sets its own.
    ///
    /// - Parameter requestsPerCall: HTTP requests each call stands for, spent from the call's budget as a connector does.
    /// - Parameter clock: the gateway's monotonic clock (a `ManualClock` when a test moves time itself).
    /// - Parameter afterCreate: runs after each order the store accepts, before its answer goes back.
    static func rig(
        _ policy: GatewayPolicy = GatewayPolicy(), requestsPerCall: Int = 1, clock: any MonotonicClock = .system,
        afterCreate: (@Sendable (StoreSimulator) async throws -> Void)? = nil, beforeStock: (@Sendable () async -> Void)? = nil
    ) throws -> Rig {
        var policy = policy
        if policy.deadline == GatewayPolicy().deadline { policy.deadline = .seconds(600) }
        policy.writeDeadline = .seconds(600)
        let store = try Fixtures.store()
        let counter = Counter()
        return Rig(
            store: store, counter: counter,
            gateway: ResilientPointOfSale(
                wrapping: Counted(store, counter, requestsPerCall: requestsPerCall, afterCreate: afterCreate, beforeStock: beforeStock),
                policy: policy, clock: Fixtures.clock,
                monotonicClock: clock))
    }

    static let order = OrderRequest(
        customerID: "C-1001", lines: [LineItem(sku: "NK-AM90-BLK-10", quantity: 1)], fulfillment: .pickup, locationID: "downtown")

    @Test func anOrderTheStoreAcceptedBeforeItsAnswerWasLostIsFoundNotMadeTwice() async throws {
        let rig = try Self.rig()
        await rig.store.inject(StoreSimulator.Fault(flow: .createOrder, kind: .acceptThenFail(.timeout), times: 1))
        let before = await rig.store.snapshot().orders.count
        let order = try await rig.gateway.createOrder(Self.order)
        let after = await rig.store.snapshot().orders
        #expect(after.count == before + 1)
        #expect(after.contains { $0.number == order.number && $0.status == .pending })
        #expect(await rig.counter.calls[.createOrder] == 1)
    }

    @Test func theReadBackFindsTheOrderByItsReferenceNotALookAlike() async throws {
        // The answer is lost, and meanwhile the same caller's other line places an identical order (newer).
        let rig = try Self.rig { store in
            _ = try await store.createOrder(
                OrderRequest(
                    customerID: "C-1001", lines: Self.order.lines, fulfillment: .pickup, locationID: "downtown", reference: "vp-other-call"))
            throw POSError.timeout
        }
        let order = try await rig.gateway.createOrder(Self.order)
        let stored = await rig.store.snapshot().orders.filter { $0.customerID == "C-1001" && $0.status == .pending }
        #expect(stored.count == 2)
        #expect(order.reference?.hasPrefix("vp-") == true)
        #expect(order.reference != "vp-other-call")
        #expect(await rig.store.storedOrder(number: order.number)?.reference == order.reference)
        #expect(await rig.gateway.stats.snapshot().ordersRecoveredByReadBack == 1)
    }

    @Test func whenThePOSSearchIsDownTheSyncedCatalogIsSearchedInstead() async throws {
        let rig = try Self.rig(GatewayPolicy(retries: 0))
        let expected = try await rig.store.searchProducts(matching: "adidas sambas").map(\.id)
        #expect(!expected.isEmpty)
        await rig.store.inject(StoreSimulator.Fault(flow: .searchProducts, error: .unavailable, times: 2))
        // No catalog synced yet: nothing to fall back on, and the caller's turn hears the failure.
        await #expect(throws: POSError.unavailable) { try await rig.gateway.searchProducts(matching: "adidas sambas") }
        _ = try await rig.gateway.catalog()
        // A catalog webhook makes it read again next time, but it is still the last known.
        await rig.gateway.apply([.catalog(id: nil)])
        await rig.store.inject(StoreSimulator.Fault(flow: .searchProducts, error: .unavailable))
        #expect(try await rig.gateway.searchProducts(matching: "adidas sambas").map(\.id) == expected)
        #expect(await rig.gateway.stats.snapshot().searchesFromCachedCatalog == 1)
        // Nothing there is not "we don't carry it": the POS's failure is what the caller hears about.
        await #expect(throws: POSError.unavailable) { try await rig.gateway.searchProducts(matching: "yeezy boost") }
    }

    @Test func aChargeWhoseAnswerWasLostIsRetriedUnderItsKeyAndTakenOnce() async throws {
        let rig = try Self.rig()
        let order = try await rig.gateway.createOrder(Self.order)
        await rig.store.inject(StoreSimulator.Fault(flow: .takePayment, kind: .acceptThenFail(.timeout), times: 1))
        let card = CardToken(token: "tok_demo_visa_4242", brand: "Visa", last4: "4242")
        let payment = try await rig.gateway.takePayment(orderNumber: order.number, card: card, amount: order.total, idempotencyKey: "call-1-charge")
        #expect(payment.amount == order.total)
        #expect(await rig.store.payments(forOrder: order.number).count == 1)
        #expect(await rig.counter.calls[.takePayment] == 2)
    }

    @Test func aReturnIsNeverRetriedBlind() async throws {
        let rig = try Self.rig()
        await rig.store.inject(StoreSimulator.Fault(flow: .createReturn, error: .unavailable, times: 1))
        let request = ReturnRequest(
            orderNumber: "7781", lines: [LineItem(sku: "AD-SAMBA-WHT-9", quantity: 1)], reason: "too small", refundMethod: .originalPayment)
        await #expect(throws: POSError.unavailable) { try await rig.gateway.createReturn(request) }
        #expect(await rig.counter.calls[.createReturn] == 1)
    }

    @Test func aReadThatFailsOnceIsRetried() async throws {
        let rig = try Self.rig()
        await rig.store.inject(StoreSimulator.Fault(flow: .orderStatus, error: .timeout, times: 1))
        let status = try await rig.gateway.orderStatus(number: "7790")
        #expect(status.status == .shipped)
        #expect(await rig.counter.calls[.orderStatus] == 2)
    }

    @Test func repeatedFailuresOpenTheCircuitAndItFailsFastUntilAProbeSucceeds() async throws {
        let clock = ManualClock()
        let rig = try Self.rig(GatewayPolicy(retries: 0, breakerThreshold: 3, breakerCooldown: .seconds(10)), clock: clock)
        await rig.store.inject(StoreSimulator.Fault(flow: .orderStatus, error: .unavailable, times: 3))
        for _ in 0..<3 { _ = try? await rig.gateway.orderStatus(number: "7790") }
        #expect(await rig.gateway.health().breakers[.orderStatus] == "open")
        // Open: the store is not asked.
        await #expect(throws: POSError.unavailable) { try await rig.gateway.orderStatus(number: "7790") }
        #expect(await rig.counter.calls[.orderStatus] == 3)
        clock.advance(by: .seconds(9))
        await #expect(throws: POSError.unavailable) { try await rig.gateway.orderStatus(number: "7790") }
        #expect(await rig.counter.calls[.orderStatus] == 3)
        clock.advance(by: .seconds(1))
        // Half open: one probe goes, succeeds, and closes the circuit.
        #expect(try await rig.gateway.orderStatus(number: "7790").status == .shipped)
        #expect(await rig.gateway.health().breakers[.orderStatus] == "closed")
    }

    @Test func aConnectorsFurtherRequestsForOneCallSpendFromTheSameBudget() async throws {
        // 6 a minute, a burst of 2: a call that needs three HTTP requests gets two; the third is 10 s away.
        // One failure would open the circuit, retries are allowed: neither happens, since the POS did not fail.
        let rig = try Self.rig(
            GatewayPolicy(requestsPerMinute: 6, burst: 2, writeReserve: 0, deadline: .seconds(1), retries: 2, breakerThreshold: 1),
            requestsPerCall: 3, clock: ManualClock())
        await #expect(throws: POSError.rateLimited(retryAfterSeconds: nil)) { try await rig.gateway.orderStatus(number: "7790") }
        #expect(await rig.gateway.health().requestsSent == 2)
        #expect(await rig.gateway.health().breakers[.orderStatus] == "closed")
        let flow = await rig.gateway.stats.snapshot().flows["order_status"]
        #expect(flow?.outcomes == ["over_budget": 1])
        #expect(flow?.retries == 0)
    }

    @Test func checkoutWritesPassAheadOfReadsThatWouldSpendTheReserve() async throws {
        // 6 a minute, a burst of 3, 2 kept for writes: one read goes, the next must wait 10 s; an order goes at once.
        let rig = try Self.rig(
            GatewayPolicy(requestsPerMinute: 6, burst: 3, writeReserve: 2, deadline: .seconds(1), retries: 0), clock: ManualClock())
        #expect(try await rig.gateway.orderStatus(number: "7790").status == .shipped)
        await #expect(throws: POSError.rateLimited(retryAfterSeconds: nil)) { try await rig.gateway.orderStatus(number: "7781") }
        let order = try await rig.gateway.createOrder(Self.order)
        #expect(order.status == .pending)
        let card = CardToken(token: "tok_demo_visa_4242", brand: "Visa", last4: "4242")
        _ = try await rig.gateway.takePayment(orderNumber: order.number, card: card, amount: order.total, idempotencyKey: "priority-1")
        #expect(await rig.counter.calls[.orderStatus] == 1)
        #expect(await rig.gateway.health().requestsSent == 3)
    }

    @Test func aWriteIsNotRefusedBecauseTheCallersTurnRanOut() async throws {
        let clock = ManualClock()
        let rig = try Self.rig(clock: clock)
        let order = try await TurnDeadline.$current.withValue(clock.now - .seconds(1)) { () async throws -> Order in
            await #expect(throws: POSError.rateLimited(retryAfterSeconds: nil)) { try await rig.gateway.orderStatus(number: "7790") }
            return try await rig.gateway.createOrder(Self.order)
        }
        #expect(order.status == .pending)
    }

    @Test func theBudgetIsNeverExceededAndCallersBeyondTheirDeadlineAreToldAtOnce() async throws {
        // 6 a minute, a burst of 2: within a 5-second deadline only the burst can go (the next token is 10 s away).
        let rig = try Self.rig(
            GatewayPolicy(requestsPerMinute: 6, burst: 2, writeReserve: 0, deadline: .seconds(5), retries: 0), clock: ManualClock())
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<6 {
                group.addTask { (try? await rig.gateway.orderStatus(number: index.isMultiple(of: 2) ? "7790" : "7781")) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 2)
        #expect(await rig.counter.calls[.orderStatus] == 2)
        #expect(await rig.gateway.stats.snapshot().flows["order_status"]?.outcomes["over_budget"] == 4)
    }

    /// Holds every stock read at the store until opened: the test, not the machine's speed, decides when it answers.
    actor Gate {
        private var isOpen = false
        private var waiting: [CheckedContinuation<Void, Never>] = []
        func pass() async {
            if isOpen { return }
            await withCheckedContinuation { waiting.append($0) }
        }
        func open() {
            isOpen = true
            for continuation in waiting { continuation.resume() }
            waiting = []
        }
    }

    @Test func identicalReadsAtOnceAreOneRequestAndStockIsCachedBriefly() async throws {
        let gate = Gate()
        let rig = try Self.rig(GatewayPolicy(stockTTL: .seconds(60)), beforeStock: { await gate.pass() })
        let hitsBefore = await rig.gateway.health().cacheHits
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { _ = try? await rig.gateway.stock(skus: ["NK-AM90-BLK-10", "NK-AM90-BLK-11"]) } }
            // The store answers only once the other 19 have joined the read in flight (each counts as a cache hit).
            for _ in 0..<60_000 where await rig.gateway.health().cacheHits - hitsBefore < 19 { try? await Task.sleep(for: .milliseconds(1)) }
            await gate.open()
        }
        _ = try await rig.gateway.stock(skus: ["NK-AM90-BLK-10"])
        #expect(await rig.counter.calls[.stock] == 1)
        // An order changes the stock it takes: the next read asks the store again.
        _ = try await rig.gateway.createOrder(Self.order)
        let levels = try await rig.gateway.stock(skus: ["NK-AM90-BLK-10"])
        #expect(await rig.counter.calls[.stock] == 2)
        #expect(levels.first { $0.locationID == "downtown" }?.available == 2)
    }

    @Test func whenStockCannotBeReadTheLastCountIsGivenWithItsAge() async throws {
        let rig = try Self.rig(GatewayPolicy(retries: 0, stockTTL: .zero))
        let live = try await rig.gateway.stock(skus: ["NK-AM90-BLK-10"])
        #expect(live.allSatisfy { $0.lastKnown == nil })
        await rig.store.inject(StoreSimulator.Fault(flow: .stock, error: .unavailable))
        let known = try await rig.gateway.stock(skus: ["NK-AM90-BLK-10"])
        #expect(known.map(\.available) == live.map(\.available))
        #expect(known.allSatisfy { $0.lastKnown == true && $0.countedAt == Fixtures.now })
        // A SKU never read has no last count: the failure is the answer.
        await #expect(throws: POSError.unavailable) { try await rig.gateway.stock(skus: ["NK-AM90-WHT-9"]) }
    }
}

extension GatewayTests {
    @Test func aStockWebhookMakesTheNextReadAskTheStore() async throws {
        let rig = try Self.rig(GatewayPolicy(stockTTL: .seconds(60)))
        _ = try await rig.gateway.stock(skus: ["NK-AM90-BLK-10"])
        _ = try await rig.gateway.stock(skus: ["NK-AM90-BLK-10"])
        #expect(await rig.counter.calls[.stock] == 1)
        await rig.gateway.apply([.stock(sku: "NK-AM90-BLK-10", locationID: "downtown")])
        _ = try await rig.gateway.stock(skus: ["NK-AM90-BLK-10"])
        #expect(await rig.counter.calls[.stock] == 2)
    }

    /// A small `voicepos load`: many calls, random faults, then the audit — nothing lost, doubled or leaked. Deadlines a
    /// loaded machine does not reach: this is about what is kept, not how fast (`voicepos load` measures that).
    @Test func underFaultsNoOrderIsLostOrDoubledAndTheBudgetHolds() async throws {
        let report = try await LoadRun.run(
            LoadRun.Options(conversations: 60, budgetPerMinute: 3000, faultRate: 0.2, seconds: 600, seed: 7, turnDeadline: .seconds(60)),
            intents: try Fixtures.intents())
        #expect(report.turns > 60)
        #expect(report.overBudget == 0)
        #expect(report.posRequests > 0)
        #expect(report.lostOrders == 0)
        #expect(report.duplicateOrders == 0)
        #expect(report.duplicateCharges == 0)
        #expect(report.leakedReservations == 0)
    }
}

/// Passes every call to the store, counting it.
private struct Counted: PointOfSale {
    let store: StoreSimulator
    let counter: GatewayTests.Counter
    let requestsPerCall: Int
    let afterCreate: (@Sendable (StoreSimulator) async throws -> Void)?
    let beforeStock: (@Sendable () async -> Void)?
    var capabilities: POSCapabilities { store.capabilities }

    init(
        _ store: StoreSimulator, _ counter: GatewayTests.Counter, requestsPerCall: Int,
        afterCreate: (@Sendable (StoreSimulator) async throws -> Void)?, beforeStock: (@Sendable () async -> Void)? = nil
    ) {
        self.store = store
        self.counter = counter
        self.requestsPerCall = requestsPerCall
        self.afterCreate = afterCreate
        self.beforeStock = beforeStock
    }

    /// Counts the call and spends from its budget once per HTTP request it stands for, as a connector does.
    private func sent(_ flow: POSFlow) async throws {
        await counter.add(flow)
        for _ in 0..<requestsPerCall { try await RequestBudget.current?.spend() }
    }

    func catalog() async throws -> [Product] { try await sent(.catalog); return try await store.catalog() }
    func searchProducts(matching text: String) async throws -> [Product] {
        try await sent(.searchProducts); return try await store.searchProducts(matching: text)
    }
    func stock(skus: [SKU]) async throws -> [StockLevel] {
        try await sent(.stock)
        await beforeStock?()
        return try await store.stock(skus: skus)
    }
    func locations() async throws -> [Location] { try await sent(.locations); return try await store.locations() }
    func customer(id: String) async throws -> Customer { try await sent(.customer); return try await store.customer(id: id) }
    func customer(phone: String) async throws -> Customer { try await sent(.customer); return try await store.customer(phone: phone) }
    func createOrder(_ request: OrderRequest) async throws -> Order {
        try await sent(.createOrder)
        let order = try await store.createOrder(request)
        try await afterCreate?(store)
        return order
    }
    func takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) async throws -> Payment {
        try await sent(.takePayment)
        return try await store.takePayment(orderNumber: orderNumber, card: card, amount: amount, idempotencyKey: idempotencyKey)
    }
    func confirmOrder(number: String) async throws -> Order { try await sent(.confirmOrder); return try await store.confirmOrder(number: number) }
    func cancelOrder(number: String) async throws -> Order { try await sent(.cancelOrder); return try await store.cancelOrder(number: number) }
    func recentOrders(customerID: String, limit: Int) async throws -> [Order] {
        try await sent(.recentOrders)
        return try await store.recentOrders(customerID: customerID, limit: limit)
    }
    func orderStatus(number: String) async throws -> OrderStatusReport {
        try await sent(.orderStatus); return try await store.orderStatus(number: number)
    }
    func order(number: String) async throws -> Order { try await sent(.getOrder); return try await store.order(number: number) }
    func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt {
        try await sent(.createReturn); return try await store.createReturn(request)
    }
}
