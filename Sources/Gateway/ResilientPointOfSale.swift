import Foundation
import Logging
import Metrics
import RetailModel

/// The resilience gateway: a `PointOfSale` that wraps any other (the simulator, a connector) and keeps callers
/// served honestly when the POS throttles, slows down or fails.
///
/// - Every request spends a token from the merchant's budget (`TokenBucket`): the call's first, and each further
///   HTTP request a connector sends for it (`RequestBudget`). A `Retry-After` pauses the bucket. A caller waits
///   for a token only while its deadline allows, then hears we're busy — never a long silence. Reads leave a few
///   tokens for checkout writes, so a caller who said yes goes ahead of the queue.
/// - Reads, and writes that are safe to repeat (a charge under its idempotency key, confirm, cancel), are retried
///   with exponential backoff and full jitter within the deadline. An order create is never retried blind: after a
///   timeout it is read back from the customer's recent orders, so an order the POS accepted is found, not doubled.
/// - Each flow has a circuit breaker; an open circuit fails at once.
/// - The catalog and locations are cached (about an hour), stock briefly; identical reads in flight are coalesced;
///   writes invalidate the stock they touch. When stock cannot be read, the last known count is answered with
///   its age (`StockLevel.lastKnown`), so the caller hears "as of 20 minutes ago…".
public final class ResilientPointOfSale: PointOfSale {
    public let policy: GatewayPolicy
    private let upstream: any PointOfSale
    private let storeClock: StoreClock
    private let bucket: TokenBucket
    private let breakers: CircuitBreakers
    private let catalogCache: ReadCache<[Product]>
    private let locationCache: ReadCache<[Location]>
    private let searchCache: ReadCache<[Product]>
    private let stockCache: ReadCache<[StockLevel]>
    private let customerCache: ReadCache<Customer>
    public let stats = GatewayStats()
    private let clock: any MonotonicClock
    /// One line per POS call at debug level: flow, attempt, outcome and time — never its arguments, so no card
    /// token, customer detail or credential is ever logged.
    private let logger: Logger

    public var capabilities: POSCapabilities { upstream.capabilities }

    /// - Parameters:
    ///   - clock: the store's clock, for the age of a last-known count.
    ///   - monotonicClock: budgets, deadlines, cool-downs and cache ages.
    public init(
        wrapping upstream: any PointOfSale, policy: GatewayPolicy = GatewayPolicy(), clock: StoreClock = .system,
        monotonicClock: any MonotonicClock = .system, logger: Logger = Logger(label: "voicepos.gateway")
    ) {
        self.upstream = upstream
        self.logger = logger
        self.policy = policy
        storeClock = clock
        self.clock = monotonicClock
        bucket = TokenBucket(requestsPerMinute: policy.requestsPerMinute, burst: policy.burst, clock: monotonicClock)
        breakers = CircuitBreakers(threshold: policy.breakerThreshold, cooldown: policy.breakerCooldown, clock: monotonicClock)
        catalogCache = ReadCache(clock: monotonicClock)
        locationCache = ReadCache(clock: monotonicClock)
        searchCache = ReadCache(clock: monotonicClock)
        stockCache = ReadCache(clock: monotonicClock)
        customerCache = ReadCache(clock: monotonicClock)
    }

    // MARK: Reads

    public func catalog() async throws -> [Product] {
        try await catalogCache.value("catalog", ttl: policy.catalogTTL, now: storeClock.now) { [self] in
            try await call(.catalog, retry: true) { try await self.upstream.catalog() }
        }
    }

    /// When the POS's search is down, the catalog synced earlier is searched here instead: the same products a
    /// caller asks about every day, rather than no answer.
    public func searchProducts(matching text: String) async throws -> [Product] {
        do {
            return try await searchCache.value(text.lowercased(), ttl: policy.catalogTTL, now: storeClock.now) { [self] in
                try await call(.searchProducts, retry: true) { try await self.upstream.searchProducts(matching: text) }
            }
        } catch let error as POSError where error.isTransient {
            // Nothing found there is not "we don't carry it": the caller hears the POS is having trouble instead.
            guard let found = await catalogCache.lastKnown("catalog")?.value.filter({ $0.matches(search: text) }), !found.isEmpty
            else { throw error }
            await stats.searchedCachedCatalog()
            return found
        }
    }

    public func locations() async throws -> [Location] {
        try await locationCache.value("locations", ttl: policy.catalogTTL, now: storeClock.now) { [self] in
            try await call(.locations, retry: true) { try await self.upstream.locations() }
        }
    }

    /// Stock per SKU: fresh counts from the cache, the rest in one request (shared with anyone asking the same
    /// now); when the POS cannot be read, each SKU's last count, marked `lastKnown` and dated when it was read.
    public func stock(skus: [SKU]) async throws -> [StockLevel] {
        var levels: [StockLevel] = []
        var missing: [SKU] = []
        for sku in Set(skus).sorted() {
            if let fresh = await stockCache.fresh(sku, ttl: policy.stockTTL) { levels += fresh } else { missing.append(sku) }
        }
        guard !missing.isEmpty else { return levels }
        let wanted = missing
        let before = await stockCache.generations(wanted)
        do {
            let key = wanted.joined(separator: ",")
            let read = try await stockCache.joined(key, generation: before.values.reduce(0, &+)) { [self] in
                try await call(.stock, retry: true) { try await self.upstream.stock(skus: wanted) }
            }
            await stockCache.store(Dictionary(grouping: read, by: \.sku), readOn: storeClock.now, unchangedSince: before)
            return levels + read
        } catch let error as POSError where error.isTransient {
            // The POS can't be read: the last count we had, said with its age, beats no answer.
            var known: [StockLevel] = []
            for sku in missing {
                guard let entry = await stockCache.lastKnown(sku), clock.now - entry.readAt <= policy.lastKnownStockLimit else { throw error }
                known += entry.value.map { level in
                    var level = level
                    level.countedAt = min(level.countedAt ?? entry.readOn, entry.readOn)
                    level.lastKnown = true
                    return level
                }
            }
            await stats.servedLastKnownStock()
            return levels + known
        }
    }

    /// Kept a few minutes: a caller is identified once per call, not once per turn.
    public func customer(id: String) async throws -> Customer {
        try await customerCache.value(id, ttl: policy.customerTTL, now: storeClock.now) { [self] in
            try await call(.customer, retry: true) { try await self.upstream.customer(id: id) }
        }
    }

    public func customer(phone: String) async throws -> Customer {
        try await call(.customer, retry: true) { try await self.upstream.customer(phone: phone) }
    }

    public func recentOrders(customerID: String, limit: Int) async throws -> [Order] {
        try await call(.recentOrders, retry: true) { try await self.upstream.recentOrders(customerID: customerID, limit: limit) }
    }

    public func orderStatus(number: String) async throws -> OrderStatusReport {
        try await call(.orderStatus, retry: true) { try await self.upstream.orderStatus(number: number) }
    }

    public func order(number: String) async throws -> Order {
        try await call(.getOrder, retry: true) { try await self.upstream.order(number: number) }
    }

    // MARK: Writes

    /// Never retried blind: a create that failed after it was sent may have been accepted, so it is looked for —
    /// by the reference it carried (one is given to a request without), or by its content where the POS keeps none.
    public func createOrder(_ request: OrderRequest) async throws -> Order {
        var referenced = request
        if referenced.reference == nil { referenced.reference = "vp-" + UUID().uuidString.lowercased() }
        let request = referenced
        let started = storeClock.now
        let sent = SentFlag()
        do {
            let order = try await call(.createOrder, retry: false, write: true) {
                sent.mark()
                return try await self.upstream.createOrder(request)
            }
            await invalidateStock(request.lines.map(\.sku))
            return order
        } catch let error as POSError where error.isTransient && sent.isSet {
            await invalidateStock(request.lines.map(\.sku))
            // The read-back gets its own time: the caller's turn may be spent, the question is not.
            let accepted = await TurnDeadline.$current.withValue(nil) { try? await self.readBack(request, placedSince: started) }
            if let accepted {
                await stats.recoveredByReadBack()
                return accepted
            }
            throw error
        }
    }

    /// The order the POS accepted for this request before its answer was lost: the customer's order carrying the
    /// request's reference; where the POS kept no reference, their newest pending order with exactly these lines at
    /// this store, placed since the request went out.
    private func readBack(_ request: OrderRequest, placedSince started: Date) async throws -> Order? {
        // Part of the write: it goes in the checkout lane, with the write's time.
        let recent = try await call(.recentOrders, retry: true, write: true) {
            try await self.upstream.recentOrders(customerID: request.customerID, limit: 5)
        }
        let wanted = Dictionary(request.lines.map { ($0.sku, $0.quantity) }, uniquingKeysWith: +)
        return recent.first { order in
            if let reference = order.reference { return reference == request.reference }
            return order.status == .pending && order.locationID == request.locationID && order.placedAt >= started.addingTimeInterval(-1)
                && Dictionary(order.lines.map { ($0.sku, $0.quantity) }, uniquingKeysWith: +) == wanted
        }
    }

    /// Retried under the same idempotency key: the POS charges once however many times it is asked.
    public func takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) async throws -> Payment {
        try await call(.takePayment, retry: true, write: true) {
            try await self.upstream.takePayment(orderNumber: orderNumber, card: card, amount: amount, idempotencyKey: idempotencyKey)
        }
    }

    public func confirmOrder(number: String) async throws -> Order {
        try await call(.confirmOrder, retry: true, write: true) { try await self.upstream.confirmOrder(number: number) }
    }

    public func cancelOrder(number: String) async throws -> Order {
        let order = try await call(.cancelOrder, retry: true, write: true) { try await self.upstream.cancelOrder(number: number) }
        await invalidateStock(order.lines.map(\.sku))
        return order
    }

    /// Not retried: a return made twice would refund twice.
    public func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt {
        try await call(.createReturn, retry: false, write: true) { try await self.upstream.createReturn(request) }
    }

    // MARK: Cache invalidation

    /// Forgets cached stock of these SKUs (an order, a cancel, or a webhook changed it); the last known count is
    /// kept for when the POS can't be read.
    public func invalidateStock(_ skus: [SKU]) async {
        await stockCache.expire(Set(skus))
    }

    /// Lays what a verified webhook says changed over the caches: stock is read again, the catalog re-synced.
    public func apply(_ changes: [StoreChange]) async {
        for change in await upstream.resolve(changes) {
            switch change {
            case .stock(let sku?, _): await invalidateStock([sku])
            // Stock of everything at a store, or of an item the POS could not place: all of it is read again.
            case .stock(nil, _): await stockCache.expireAll()
            case .catalog: await invalidateCatalog()
            case .location: await locationCache.invalidateAll()
            case .customer(let id): await customerCache.expire([id])
            case .order, .payment: break  // never cached
            }
        }
    }

    public func resolve(_ changes: [StoreChange]) async -> [StoreChange] { await upstream.resolve(changes) }

    /// Forgets the cached catalog, searches and locations (a catalog webhook): read again next time. The catalog
    /// is kept as the last known, for searching while the POS's search is down.
    public func invalidateCatalog() async {
        await catalogCache.expireAll()
        await searchCache.invalidateAll()
        await locationCache.invalidateAll()
    }

    // MARK: The call

    /// One flow through the breaker, the budget and the retries, within the deadline.
    ///
    /// - Parameter write: the call changes the store: it gets the write deadline, whatever is left of the turn.
    private func call<T: Sendable>(
        _ flow: POSFlow, retry: Bool, write: Bool = false, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let started = clock.now
        // Waiting and retrying stop at the call's deadline, or the caller's turn's when that comes first. A write has
        // its own, longer deadline whatever is left of the turn (the caller hears the reply's hold phrase): abandoned
        // mid-flight, it might still land unseen.
        let turnDeadline = min(started + policy.deadline, TurnDeadline.current ?? started + policy.deadline)
        let deadline = write ? max(turnDeadline, started + policy.writeDeadline) : turnDeadline
        var attempt = 0
        while true {
            guard await breakers.allow(flow) else {
                await stats.record(flow, outcome: .circuitOpen, after: clock.now - started)
                throw POSError.unavailable
            }
            let reserve = write ? 0 : policy.writeReserve
            guard await bucket.acquire(before: deadline, leaving: reserve) else {
                await breakers.probeNotSent(flow)
                await stats.record(flow, outcome: .overBudget, after: clock.now - started)
                throw POSError.rateLimited(retryAfterSeconds: nil)
            }
            await stats.sent(flow)
            let allowance = CallAllowance(bucket: bucket, deadline: deadline, reserve: reserve)
            do {
                let value = try await RequestBudget.$current.withValue(allowance) { try await within(deadline, operation) }
                log(flow, attempt: attempt, outcome: "ok", since: started)
                await breakers.succeeded(flow)
                await stats.record(flow, outcome: .ok, after: clock.now - started)
                return value
            } catch  where allowance.refused {
                // Our own budget stopped a further request of the call: not the POS failing, and no time to retry.
                log(flow, attempt: attempt, outcome: GatewayStats.Outcome.overBudget.rawValue, since: started)
                await breakers.probeNotSent(flow)
                await stats.record(flow, outcome: .overBudget, after: clock.now - started)
                throw POSError.rateLimited(retryAfterSeconds: nil)
            } catch {
                // Anything but a POS answer (an unreadable response) is the POS failing.
                let error = error as? POSError ?? .unavailable
                log(flow, attempt: attempt, outcome: error.kindName, since: started)
                if error.isTransient { await breakers.failed(flow) } else { await breakers.succeeded(flow) }
                if case .rateLimited(let after?) = error { await bucket.pause(for: after) }
                attempt += 1
                let wait = backoff(attempt: attempt, error: error)
                guard retry, error.isTransient, attempt <= policy.retries, clock.now + wait < deadline else {
                    await stats.record(flow, outcome: error.isTransient ? .failed : .answered, after: clock.now - started)
                    throw error
                }
                await stats.retried(flow)
                try? await clock.sleep(until: clock.now + wait)
            }
        }
    }

    /// One debug line per attempt: flow, attempt, outcome and time, never the call's arguments.
    private func log(_ flow: POSFlow, attempt: Int, outcome: String, since started: ContinuousClock.Instant) {
        logger.debug(
            "pos call",
            metadata: [
                "flow": "\(flow.rawValue)", "attempt": "\(attempt + 1)", "outcome": "\(outcome)",
                "ms": "\(Int((clock.now - started).inSeconds * 1000))",
            ])
    }

    /// Exponential backoff with full jitter, or the POS's own `Retry-After` when it gave one.
    private func backoff(attempt: Int, error: POSError) -> Duration {
        if case .rateLimited(let after?) = error { return .seconds(after) }
        let ceiling = min(policy.maxBackoff.inSeconds, policy.backoff.inSeconds * pow(2, Double(attempt - 1)))
        return .seconds(Double.random(in: 0...ceiling))
    }

    /// The operation's answer, or a timeout when the deadline comes first (the operation is then abandoned, not
    /// awaited: a POS that hangs must not hold the caller).
    private func within<T: Sendable>(_ deadline: ContinuousClock.Instant, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let answer = FirstAnswer(continuation)
            let timer = Task { [clock] in
                // Only a deadline that really passed is a timeout (a timer cancelled by the answer is not).
                guard (try? await clock.sleep(until: deadline)) != nil || clock.now >= deadline else { return false }
                return answer.resume(with: .failure(POSError.timeout))
            }
            let work = Task {
                do { answer.resume(with: .success(try await operation())) } catch { answer.resume(with: .failure(error)) }
                timer.cancel()
            }
            // The deadline won: the operation is abandoned (told to cancel, never awaited).
            Task { if await timer.value { work.cancel() } }
        }
    }

    // MARK: Health

    /// Budget, queue and breakers as they stand, for the debug view and a metrics endpoint.
    public func health() async -> GatewayHealth {
        let breakers = await breakers.states()
        for (flow, state) in breakers {
            Gauge(label: "voicepos_breaker_open", dimensions: [("flow", flow.rawValue)]).record(state == .closed ? 0 : 1)
        }
        Gauge(label: "voicepos_budget_queue_depth").record(await bucket.waiting)
        return GatewayHealth(
            requestsSent: await bucket.granted, queueDepth: await bucket.waiting,
            breakers: breakers.mapValues(\.rawValue),
            cacheHits: await catalogCache.hits + locationCache.hits + searchCache.hits + stockCache.hits,
            cacheMisses: await catalogCache.misses + locationCache.misses + searchCache.misses + stockCache.misses)
    }
}

extension POSError {
    /// The kind of answer, without its details (which may name an order or SKU): what logs and metrics carry.
    var kindName: String {
        switch self {
        case .notFound: "not_found"
        case .outOfStock: "out_of_stock"
        case .paymentDeclined: "payment_declined"
        case .rateLimited: "rate_limited"
        case .unavailable: "unavailable"
        case .timeout: "timeout"
        case .invalidRequest: "invalid_request"
        }
    }
}
