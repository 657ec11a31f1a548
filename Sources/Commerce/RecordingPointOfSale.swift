import Foundation
import RetailModel

/// A `PointOfSale` that passes every request to another and writes each one to a call log.
///
/// The conversation wraps the store in one of these per turn, so every POS call is visible.
public struct RecordingPointOfSale: PointOfSale {
    private let base: any PointOfSale
    public let log: POSCallLog

    public init(_ base: any PointOfSale, log: POSCallLog = POSCallLog()) {
        self.base = base
        self.log = log
    }

    private func record<T: Sendable>(
        _ flow: POSFlow, _ request: String, _ describe: (T) -> String, _ body: () async throws -> T
    ) async throws -> T {
        do {
            let value = try await body()
            log.append(POSCall(flow: flow, request: POSError.scrub(request), outcome: POSError.scrub(describe(value)), failed: false))
            return value
        } catch {
            log.append(POSCall(flow: flow, request: POSError.scrub(request), outcome: "\(error)", failed: true))
            throw error
        }
    }

    public func catalog() async throws -> [Product] {
        try await record(.catalog, "", { "\($0.count) products" }) { try await base.catalog() }
    }

    public func searchProducts(matching text: String) async throws -> [Product] {
        try await record(.searchProducts, text, { $0.isEmpty ? "none" : $0.map(\.id).joined(separator: ", ") }) {
            try await base.searchProducts(matching: text)
        }
    }

    public func stock(skus: [SKU]) async throws -> [StockLevel] {
        let request = skus.count <= 3 ? skus.joined(separator: ", ") : "\(skus[0]) and \(skus.count - 1) more SKUs"
        return try await record(
            .stock, request,
            { levels in
                var byLocation: [(String, Int)] = []
                for level in levels {
                    if let index = byLocation.firstIndex(where: { $0.0 == level.locationID }) {
                        byLocation[index].1 += level.available
                    } else {
                        byLocation.append((level.locationID, level.available))
                    }
                }
                return byLocation.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            }
        ) { try await base.stock(skus: skus) }
    }

    public func locations() async throws -> [Location] {
        try await record(.locations, "", { $0.map(\.id).joined(separator: ", ") }) { try await base.locations() }
    }

    public var capabilities: POSCapabilities { base.capabilities }

    public func customer(id: String) async throws -> Customer {
        try await record(.customer, id, { $0.name }) { try await base.customer(id: id) }
    }

    public func customer(phone: String) async throws -> Customer {
        try await record(.customer, "phone ending \(phone.filter(\.isNumber).suffix(4))", { $0.name }) { try await base.customer(phone: phone) }
    }

    public func createOrder(_ request: OrderRequest) async throws -> Order {
        let summary =
            request.lines.map { "\($0.quantity)×\($0.sku)" }.joined(separator: ", ")
            + " \(request.fulfillment.rawValue) \(request.locationID)" + (request.sourceLocationID.map { " from \($0)" } ?? "")
        return try await record(.createOrder, summary, { "order \($0.number) \($0.total)" }) {
            try await base.createOrder(request)
        }
    }

    public func takePayment(
        orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String
    ) async throws
        -> Payment
    {
        try await record(.takePayment, "order \(orderNumber) \(amount) card ending \(card.last4)", { $0.id }) {
            try await base.takePayment(orderNumber: orderNumber, card: card, amount: amount, idempotencyKey: idempotencyKey)
        }
    }

    public func confirmOrder(number: String) async throws -> Order {
        try await record(.confirmOrder, number, { $0.status.rawValue }) { try await base.confirmOrder(number: number) }
    }

    public func cancelOrder(number: String) async throws -> Order {
        try await record(.cancelOrder, number, { $0.status.rawValue }) { try await base.cancelOrder(number: number) }
    }

    public func recentOrders(customerID: String, limit: Int) async throws -> [Order] {
        try await record(.recentOrders, customerID, { $0.map(\.number).joined(separator: ", ") }) {
            try await base.recentOrders(customerID: customerID, limit: limit)
        }
    }

    public func orderStatus(number: String) async throws -> OrderStatusReport {
        try await record(.orderStatus, number, { $0.status.rawValue }) { try await base.orderStatus(number: number) }
    }

    public func order(number: String) async throws -> Order {
        try await record(.getOrder, number, { $0.status.rawValue }) { try await base.order(number: number) }
    }

    public func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt {
        try await record(.createReturn, "order \(request.orderNumber)", { "\($0.id) refund \($0.refundAmount)" }) {
            try await base.createReturn(request)
        }
    }
}

/// The calls a `RecordingPointOfSale` made, in order.
public final class POSCallLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [POSCall] = []

    public init() {}

    public var calls: [POSCall] { lock.withLock { storage } }

    func append(_ call: POSCall) { lock.withLock { storage.append(call) } }
}
