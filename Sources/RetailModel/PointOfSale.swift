/// The point-of-sale flows a voice agent needs, in the unified retail schema.
///
/// Conformers: the embedded store simulator, one connector per platform, and decorators such as the
/// resilience gateway. Every method throws `POSError` only.
public protocol PointOfSale: Sendable {
    /// What this POS can do; the conversation offers only what it can. Every conformer declares it.
    var capabilities: POSCapabilities { get }
    /// The whole sellable catalog, for the understanding lexicon (synced, not read per turn).
    func catalog() async throws -> [Product]
    /// Products whose brand, name, aliases or kind match the text.
    func searchProducts(matching text: String) async throws -> [Product]
    /// Stock of the given variants at every location (one request for several variants).
    func stock(skus: [SKU]) async throws -> [StockLevel]
    /// Every store and kiosk, with tax rate and whether it takes pickups.
    func locations() async throws -> [Location]
    /// A known customer: name, home store, card on file.
    func customer(id: String) async throws -> Customer
    /// The customer whose phone number this is (caller ID), compared by digits only.
    ///
    /// - Throws: `POSError.notFound` when no customer has it.
    func customer(phone: String) async throws -> Customer
    /// Creates a pending order priced by the POS, tax included; its units are held for it.
    func createOrder(_ request: OrderRequest) async throws -> Order
    /// Charges a tokenized card for an order.
    ///
    /// - Parameter idempotencyKey: the same key never charges twice.
    func takePayment(
        orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String
    ) async throws
        -> Payment
    /// Confirms a paid order; pickup orders get a ready time.
    func confirmOrder(number: String) async throws -> Order
    /// Cancels an order nobody has paid for yet and releases its units.
    ///
    /// - Throws: `POSError.invalidRequest` once the order is paid.
    func cancelOrder(number: String) async throws -> Order
    /// The customer's orders, newest first.
    func recentOrders(customerID: String, limit: Int) async throws -> [Order]
    /// Status, carrier, tracking and dates of one order.
    func orderStatus(number: String) async throws -> OrderStatusReport
    /// One order with its lines.
    func order(number: String) async throws -> Order
    /// Starts a return of lines of a delivered order.
    func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt
    /// A webhook's changes keyed as this POS keys its records (a platform whose webhooks name stock by something
    /// else maps it here), so a cache drops the right entries. Unchanged by default.
    func resolve(_ changes: [StoreChange]) async -> [StoreChange]
}

extension PointOfSale {
    public func resolve(_ changes: [StoreChange]) async -> [StoreChange] { changes }
}

/// What a POS can do, declared by each connector (a platform without a flow says so here, never a silent no-op).
public struct POSCapabilities: Sendable, Hashable, Codable {
    /// Charges a tokenized card server-side. Without it (Shopify), the caller pays at pickup or by a link.
    public var takesCardPayments: Bool
    /// Has a returns or refunds flow the assistant may start.
    public var takesReturns: Bool
    /// Can refund a return as store credit; without it (Square, Clover) refunds go back to the original payment.
    public var refundsToStoreCredit: Bool
    /// How many digits this store's order numbers have, when known: a number of that length said as an order's is one,
    /// even as long as a card's (a 15-digit order number is not a card).
    public var orderNumberDigits: ClosedRange<Int>?

    public init(
        takesCardPayments: Bool = true, takesReturns: Bool = true, refundsToStoreCredit: Bool = true, orderNumberDigits: ClosedRange<Int>? = nil
    ) {
        self.takesCardPayments = takesCardPayments
        self.takesReturns = takesReturns
        self.refundsToStoreCredit = refundsToStoreCredit
        self.orderNumberDigits = orderNumberDigits
    }

    /// Everything: the embedded simulator's default.
    public static let full = POSCapabilities()
}
