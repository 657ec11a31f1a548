import Foundation
import RetailModel

/// When each request reached the POS, to check the budget was never exceeded.
actor RequestMeter {
    private var times: [ContinuousClock.Instant] = []
    private var startedAt = ContinuousClock().now

    func start() { startedAt = ContinuousClock().now; times = [] }

    func note() { times.append(ContinuousClock().now) }

    var count: Int { times.count }

    /// Requests beyond `burst + rate × elapsed` at the moment each went.
    func overBudget(perMinute: Double, burst: Double) -> Int {
        var over = 0
        for (index, time) in times.sorted().enumerated() where Double(index + 1) > burst + (time - startedAt).inSeconds * perMinute / 60 + 0.001 {
            over += 1
        }
        return over
    }
}

/// A POS whose every call is one request, counted on a meter (the in-memory store: one call, one request).
struct MeteredPointOfSale: PointOfSale {
    private let upstream: any PointOfSale
    private let meter: RequestMeter
    let capabilities: POSCapabilities

    init(_ upstream: any PointOfSale, meter: RequestMeter) {
        self.upstream = upstream
        self.meter = meter
        capabilities = upstream.capabilities
    }

    private func note() async { await meter.note() }

    func catalog() async throws -> [Product] { await note(); return try await upstream.catalog() }
    func searchProducts(matching text: String) async throws -> [Product] { await note(); return try await upstream.searchProducts(matching: text) }
    func stock(skus: [SKU]) async throws -> [StockLevel] { await note(); return try await upstream.stock(skus: skus) }
    func locations() async throws -> [Location] { await note(); return try await upstream.locations() }
    func customer(id: String) async throws -> Customer { await note(); return try await upstream.customer(id: id) }
    func customer(phone: String) async throws -> Customer { await note(); return try await upstream.customer(phone: phone) }
    func createOrder(_ request: OrderRequest) async throws -> Order { await note(); return try await upstream.createOrder(request) }
    func takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) async throws -> Payment {
        await note()
        return try await upstream.takePayment(orderNumber: orderNumber, card: card, amount: amount, idempotencyKey: idempotencyKey)
    }
    func confirmOrder(number: String) async throws -> Order { await note(); return try await upstream.confirmOrder(number: number) }
    func cancelOrder(number: String) async throws -> Order { await note(); return try await upstream.cancelOrder(number: number) }
    func recentOrders(customerID: String, limit: Int) async throws -> [Order] {
        await note()
        return try await upstream.recentOrders(customerID: customerID, limit: limit)
    }
    func orderStatus(number: String) async throws -> OrderStatusReport { await note(); return try await upstream.orderStatus(number: number) }
    func order(number: String) async throws -> Order { await note(); return try await upstream.order(number: number) }
    func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt { await note(); return try await upstream.createReturn(request) }
}
