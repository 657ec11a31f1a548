import Foundation
import RetailModel

/// Counts the requests that reach the POS, with when they went, to check the budget was never exceeded.
actor MeteredPointOfSale: PointOfSale {
    private let upstream: any PointOfSale
    private var times: [ContinuousClock.Instant] = []
    private var startedAt = ContinuousClock().now
    nonisolated let capabilities: POSCapabilities

    init(_ upstream: any PointOfSale) {
        self.upstream = upstream
        capabilities = upstream.capabilities
    }

    func start() { startedAt = ContinuousClock().now; times = [] }

    var count: Int { times.count }

    /// Requests beyond `burst + rate × elapsed` at the moment each went.
    func overBudget(perMinute: Double, burst: Double) -> Int {
        var over = 0
        for (index, time) in times.sorted().enumerated() where Double(index + 1) > burst + (time - startedAt).inSeconds * perMinute / 60 + 0.001 {
            over += 1
        }
        return over
    }

    private func note() { times.append(ContinuousClock().now) }

    func catalog() async throws -> [Product] { note(); return try await upstream.catalog() }
    func searchProducts(matching text: String) async throws -> [Product] { note(); return try await upstream.searchProducts(matching: text) }
    func stock(skus: [SKU]) async throws -> [StockLevel] { note(); return try await upstream.stock(skus: skus) }
    func locations() async throws -> [Location] { note(); return try await upstream.locations() }
    func customer(id: String) async throws -> Customer { note(); return try await upstream.customer(id: id) }
    func customer(phone: String) async throws -> Customer { note(); return try await upstream.customer(phone: phone) }
    func createOrder(_ request: OrderRequest) async throws -> Order { note(); return try await upstream.createOrder(request) }
    func takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) async throws -> Payment {
        note()
        return try await upstream.takePayment(orderNumber: orderNumber, card: card, amount: amount, idempotencyKey: idempotencyKey)
    }
    func confirmOrder(number: String) async throws -> Order { note(); return try await upstream.confirmOrder(number: number) }
    func cancelOrder(number: String) async throws -> Order { note(); return try await upstream.cancelOrder(number: number) }
    func recentOrders(customerID: String, limit: Int) async throws -> [Order] {
        note()
        return try await upstream.recentOrders(customerID: customerID, limit: limit)
    }
    func orderStatus(number: String) async throws -> OrderStatusReport { note(); return try await upstream.orderStatus(number: number) }
    func order(number: String) async throws -> Order { note(); return try await upstream.order(number: number) }
    func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt { note(); return try await upstream.createReturn(request) }
}
