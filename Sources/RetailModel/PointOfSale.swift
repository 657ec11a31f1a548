/// The point-of-sale flows a voice agent needs, in the unified retail schema.
///
/// Conformers: the embedded store simulator, one connector per platform, and decorators such as the
/// resilience gateway. Every method throws `POSError` only.
public protocol PointOfSale: Sendable {
    /// The whole sellable catalog, for the understanding lexicon (synced, not read per turn).
    func catalog() async throws -> [Product]
    /// Products whose brand, name, aliases or kind match the text.
    func searchProducts(matching text: String) async throws -> [Product]
    /// Stock of the given variants at every location (one request for several variants).
    func stock(skus: [SKU]) async throws -> [StockLevel]
    func locations() async throws -> [Location]
    func customer(id: String) async throws -> Customer
    /// Creates a pending order priced by the POS, tax included.
    func createOrder(_ request: OrderRequest) async throws -> Order
    /// Charges a tokenized card for an order.
    ///
    /// - Parameter idempotencyKey: the same key never charges twice.
    func takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) async throws
        -> Payment
    func confirmOrder(number: String) async throws -> Order
    /// The customer's orders, newest first.
    func recentOrders(customerID: String, limit: Int) async throws -> [Order]
    func orderStatus(number: String) async throws -> OrderStatusReport
    func order(number: String) async throws -> Order
    func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt
}
