import Foundation
import RetailModel

/// Clover as a `PointOfSale`: Platform REST v3 (`/v3/merchants/{mId}/…`) for merchants, the catalog, stock,
/// customers and orders, and the Ecommerce API (`/v1/…`) for card payments and returns.
///
/// Auth is `Authorization: Bearer {token}` on both hosts: an OAuth access token (or a merchant API token) that
/// can read every merchant of the chain. v3 lists are paged with `limit`/`offset` (at most 1000 a page); Ecommerce
/// payments and returns carry an `idempotency-key` header; v3 has no idempotency key, so an order create is sent
/// once and never retried blindly.
///
/// What Clover lacks, and what is used instead:
/// - Locations: a Clover merchant is one store. `merchantIDs` are the chain's stores (location id = merchant id,
///   read with `GET /v3/merchants/{mId}?expand=address`).
/// - A shared catalog: items, customers and orders belong to one merchant. The catalog and the customers are read
///   from the first merchant, and the SKU everywhere is the first merchant's item id. Another merchant whose stock
///   or orders name item ids of its own has its items read once and matched by the merchant's own SKU code (item
///   `sku`, else `code`).
/// - Variants and brand: each variant is an item, a product is an item group (product id = group id) whose
///   attributes name the options; Clover has no brand field, so the store profile supplies it.
/// - Search: items whose name matches (`filter=name LIKE %text%`), mapped onto the synced catalog.
/// - Fulfillment: Clover tracks payment (`state`, `paymentState`), not fulfillment. VoicePOS writes its own status,
///   pickup or shipping (also as the merchant's Pickup or Shipping order type), the pickup-ready time, a transfer's
///   source store and any carrier tracking in the order `note` (`CloverNote`); Clover has no carrier-tracking
///   object. Confirming rewrites the note; cancelling deletes the unpaid order (a deleted order is cancelled).
/// - Quantity: a line's `unitQty` in thousandths.
/// - Payments: `POST /v1/orders/{id}/pay` with the card token as `source` and `ecomind: moto` (a card taken over
///   the phone); the answer is the paid order naming its charge, so brand and last four are the charged card's.
/// - Returns: `POST /v1/orders/{id}/returns` with the returned items; Clover takes no reason, so the caller's reason
///   is each item's `description`. Refunds go back to the card: no store credit.
/// - Stock: `item_stocks` per merchant (`quantity`); `modifiedTime`, when the count last changed, is its age.
public struct CloverConnector: PointOfSale {
    public let capabilities: POSCapabilities
    private let platform: PlatformClient
    private let ecommerce: PlatformClient
    private let merchantIDs: [String]
    private let state: ConnectorState
    private let memory = CloverMemory()
    private let currency: String
    /// Clover's largest v3 page.
    static let pageSize = 1000
    static let orderExpand = "lineItems,customers,orderType"
    /// A status check reads the order without its line items.
    static let statusExpand = "customers,orderType"
    static let customerExpand = "phoneNumbers,emailAddresses,cards"

    /// - Parameters:
    ///   - baseURL: the Platform REST host, `https://api.clover.com` (or `apisandbox.dev.clover.com`, or a loopback front).
    ///   - ecommerceURL: the Ecommerce host, `https://scl.clover.com` (or `scl-sandbox.dev.clover.com`).
    ///   - merchantIDs: one merchant per store; the first holds the catalog and the customers.
    ///   - accessToken: a token that reads every listed merchant and may charge cards.
    public init(
        baseURL: URL, ecommerceURL: URL, merchantIDs: [String], accessToken: Secret, currency: String = "USD", profile: StoreProfile = StoreProfile(),
        transport: any HTTPTransport
    ) {
        let headers: @Sendable () async throws -> [String: String] = { ["Authorization": "Bearer \(accessToken.value)"] }
        platform = PlatformClient(platform: .clover, baseURL: baseURL, transport: transport, headers: headers)
        ecommerce = PlatformClient(platform: .clover, baseURL: ecommerceURL, transport: transport, headers: headers)
        self.merchantIDs = merchantIDs
        state = ConnectorState(profile: profile)
        self.currency = currency
        capabilities = profile.narrow(POSCapabilities(takesCardPayments: true, takesReturns: true, refundsToStoreCredit: false))
    }

    // MARK: Catalog and stock

    public func catalog() async throws -> [Product] {
        let primary = try catalogMerchant()
        let attributes = try await elements(path(primary, "attributes"), query: [("expand", "options")])
        let items = try await elements(path(primary, "items"), query: [("expand", "options,itemGroup,categories")])
        let payload = JSONPayload.object(["elements": .array(items), "attributes": .object(["elements": .array(attributes)])])
        guard case .products(let products) = try platform.decode(payload, as: .product, currency: currency) else { throw POSError.unavailable }
        await memory.index(catalog: items.compactMap { CloverItemCode(item: $0) }, at: primary)
        return await state.remember(catalog: products)
    }

    public func searchProducts(matching text: String) async throws -> [Product] {
        let primary = try catalogMerchant()
        let items = try await elements(path(primary, "items"), query: [("filter", "name LIKE %\(text)%"), ("expand", "itemGroup")])
        var ids: [String] = []
        for item in items where item.objectValue?["hidden"] != .bool(true) {
            guard let id = item.objectValue?["itemGroup"]?.string("id") ?? item.string("id"), !ids.contains(id) else { continue }
            ids.append(id)
        }
        try await ensureCatalog()
        return await state.products(ids: ids)
    }

    /// Every merchant's `item_stocks`, one level per SKU per store (0 where a store has no count for it).
    ///
    /// - Throws: `POSError.notFound` for a SKU no store counts.
    public func stock(skus: [SKU]) async throws -> [StockLevel] {
        // Other merchants' item ids are matched to the catalog's through the catalog.
        if merchantIDs.count > 1 { try await ensureCatalog() }
        var counted: [String: [SKU: StockLevel]] = [:]
        for merchant in merchantIDs {
            let list = try await elements(path(merchant, "item_stocks"))
            guard !list.isEmpty else { continue }
            guard case .inventory(let read) = try platform.decode(.object(["elements": .array(list)]), as: .inventory, currency: currency) else {
                throw POSError.unavailable
            }
            await memory.observe(items: read.map(\.sku), at: merchant)
            for level in read {
                let sku = try await catalogSKU(ofItem: level.sku, at: merchant)
                counted[merchant, default: [:]][sku] = StockLevel(
                    sku: sku, locationID: merchant, available: level.available, countedAt: level.countedAt)
            }
        }
        var levels: [StockLevel] = []
        for sku in skus {
            guard merchantIDs.contains(where: { counted[$0]?[sku] != nil }) else { throw POSError.notFound("SKU \(sku)") }
            for merchant in merchantIDs {
                levels.append(counted[merchant]?[sku] ?? StockLevel(sku: sku, locationID: merchant, available: 0))
            }
        }
        return levels
    }

    // MARK: Stores and customers

    public func locations() async throws -> [Location] {
        try await state.locations {
            var list: [Location] = []
            for merchant in merchantIDs {
                let payload = try await platform.send("GET", path(merchant), query: [("expand", "address")])
                guard case .locations(let found) = try platform.decode(payload, as: .location, currency: currency), let location = found.first else {
                    throw POSError.unavailable
                }
                list.append(location)
            }
            return list
        }
    }

    public func customer(id: String) async throws -> Customer {
        let merchant = try catalogMerchant()
        let payload = try await platform.send("GET", path(merchant, "customers/\(id.pathSafe)"), query: [("expand", Self.customerExpand)])
        guard case .customers(let found) = try platform.decode(payload, as: .customer, currency: currency), let customer = found.first else {
            throw POSError.notFound("customer \(id)")
        }
        return state.profile.apply(to: customer)
    }

    /// The one customer whose number ends in the same ten digits (a number written with or without the country code).
    public func customer(phone: String) async throws -> Customer {
        let merchant = try catalogMerchant()
        let digits = phone.filter(\.isNumber)
        let query = [("filter", "phoneNumber=\(digits.suffix(10))"), ("expand", Self.customerExpand), ("limit", "2")]
        let payload = try await platform.send("GET", path(merchant, "customers"), query: query)
        guard case .customers(let found) = try platform.decode(payload, as: .customer, currency: currency), found.count == 1 else {
            throw POSError.notFound("customer with phone ending \(digits.suffix(4))")
        }
        return state.profile.apply(to: found[0])
    }

    // MARK: Orders

    /// An atomic order at the pickup (or shipping) store: its items, customer, order type and VoicePOS's note.
    public func createOrder(_ request: OrderRequest) async throws -> Order {
        try await ensureCatalog()
        let merchant = request.locationID
        var note = CloverNote()
        note[.fulfillment] = request.fulfillment.rawValue
        note[.sourceLocation] = request.sourceLocationID
        note[.reference] = request.reference
        var lineItems: [[String: Any]] = []
        for line in request.lines {
            let item = try await merchantItem(line.sku, at: merchant)
            lineItems.append(["item": ["id": item], "unitQty": line.quantity * 1000])
        }
        var cart: [String: Any] = [
            "lineItems": lineItems, "customers": [["id": request.customerID]], "currency": currency.uppercased(), "note": note.text,
        ]
        if let type = await orderType(for: request.fulfillment, at: merchant) { cart["orderType"] = ["id": type] }
        do {
            let payload = try await platform.send(
                "POST", path(merchant, "atomic_order/orders"), query: [("expand", Self.orderExpand)], json: ["orderCart": cart])
            return try await decodedOrder(payload, at: merchant)
        } catch POSError.outOfStock(let item, let available) {
            let sku = (try? await catalogSKU(ofItem: item, at: merchant)) ?? item
            throw POSError.outOfStock(sku: sku, available: available)
        }
    }

    /// Pays the order with the card token (`ecomind: moto`: card details taken by phone).
    public func takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) async throws -> Payment {
        let body: [String: Any] = ["source": card.token, "amount": amount.minorUnits, "currency": amount.currency.lowercased(), "ecomind": "moto"]
        let payload = try await ecommerce.send(
            "POST", "v1/orders/\(orderNumber.pathSafe)/pay", json: body, extraHeaders: ["idempotency-key": idempotencyKey.idempotencyKey])
        guard case .payments(let payments) = try ecommerce.decode(payload, as: .payment, currency: currency), var payment = payments.first else {
            throw POSError.unavailable
        }
        // The answer is the paid order naming its charge: the card is the one just charged.
        payment.orderNumber = orderNumber
        payment.cardBrand = card.brand
        payment.cardLast4 = card.last4
        return payment
    }

    /// Writes `voicepos.status=confirmed` into the order's note (the rest of the note as last read).
    public func confirmOrder(number: String) async throws -> Order {
        let known = await memory.note(ofOrder: number)
        var note = CloverNote(known ?? "")
        note[.status] = OrderStatus.confirmed.rawValue
        let body: [String: Any] = ["note": note.text]
        return try await atOrderMerchant(number) { merchant in
            let payload = try await platform.send(
                "POST", path(merchant, "orders/\(number.pathSafe)"), query: [("expand", Self.orderExpand)], json: body)
            return try await decodedOrder(payload, at: merchant)
        }
    }

    /// Deletes the unpaid order: Clover's way to void one, and its stock is no longer held.
    public func cancelOrder(number: String) async throws -> Order {
        try await atOrderMerchant(number) { merchant in
            let payload = try await platform.send("DELETE", path(merchant, "orders/\(number.pathSafe)"))
            if payload.string("id") != nil { return try await decodedOrder(payload, at: merchant) }
            // A delete may answer with no body: the order as last read, now cancelled.
            var order: Order
            if let known = await memory.order(number) {
                order = known
            } else {
                order = try await decodedOrder(
                    try await platform.send("GET", path(merchant, "orders/\(number.pathSafe)"), query: [("expand", Self.orderExpand)]), at: merchant)
            }
            order.status = .cancelled
            return order
        }
    }

    /// The customer's orders at every store, newest first.
    public func recentOrders(customerID: String, limit: Int) async throws -> [Order] {
        var found: [Order] = []
        for merchant in merchantIDs {
            let query = [
                ("filter", "customer.id=\(customerID)"), ("expand", Self.orderExpand), ("orderBy", "createdTime DESC"),
                ("limit", String(max(1, limit))),
            ]
            found += try await decodedOrders(try await platform.send("GET", path(merchant, "orders"), query: query), at: merchant)
        }
        return Array(found.sorted { ($0.placedAt, $0.number) > ($1.placedAt, $1.number) }.prefix(max(0, limit)))
    }

    public func orderStatus(number: String) async throws -> OrderStatusReport {
        OrderStatusReport(order: try await readOrder(number, withLines: false))
    }

    public func order(number: String) async throws -> Order {
        try await readOrder(number, withLines: true)
    }

    /// Returns the lines through the Ecommerce API; the refund (price and the order's tax on it) goes to the card.
    public func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt {
        guard request.refundMethod == .originalPayment else {
            throw POSError.invalidRequest("Clover refunds go back to the card; store credit is not offered")
        }
        let returned: Order
        if let known = await memory.order(request.orderNumber) {
            returned = known
        } else {
            returned = try await readOrder(request.orderNumber, withLines: true)
        }
        var items: [[String: Any]] = []
        for line in request.lines {
            let price = returned.lines.first(where: { $0.sku == line.sku })?.unitPrice.minorUnits ?? 0
            let parent = try await merchantItem(line.sku, at: returned.locationID)
            items.append(["parent": parent, "type": "sku", "quantity": line.quantity, "amount": price * line.quantity, "description": request.reason])
        }
        // The same return asked again (a retry after a timeout) carries the same key, so it refunds once.
        let key = "return-\(request.orderNumber)-\(request.lines.map { "\($0.sku)x\($0.quantity)" }.joined(separator: ","))-\(request.reason)"
        let payload = try await ecommerce.send(
            "POST", "v1/orders/\(request.orderNumber.pathSafe)/returns", json: ["items": items], extraHeaders: ["idempotency-key": key.idempotencyKey]
        )
        guard case .refunds(let refunds) = try ecommerce.decode(payload, as: .refund, currency: currency), let refund = refunds.first else {
            throw POSError.unavailable
        }
        return ReturnReceipt(id: refund.id, request: request, refundAmount: refund.amount, createdAt: refund.createdAt ?? Date())
    }

    // MARK: Reading

    /// The merchant whose items and customers stand for the chain's.
    private func catalogMerchant() throws -> String {
        guard let first = merchantIDs.first else { throw POSError.invalidRequest("no Clover merchant id is configured") }
        return first
    }

    private func path(_ merchant: String, _ rest: String = "") -> String {
        "v3/merchants/\(merchant.pathSafe)" + (rest.isEmpty ? "" : "/\(rest)")
    }

    /// Every element of a v3 list, page by page (a page shorter than the limit is the last).
    private func elements(_ path: String, query: [(String, String)] = []) async throws -> [JSONPayload] {
        var all: [JSONPayload] = []
        var offset = 0
        while true {
            let page = try await platform.send("GET", path, query: query + [("limit", String(Self.pageSize)), ("offset", String(offset))])
            let found = page.array("elements")
            all += found
            guard found.count == Self.pageSize else { return all }
            offset += found.count
        }
    }

    private func ensureCatalog() async throws {
        if !(await state.hasCatalog()) { _ = try await catalog() }
    }

    /// The merchant's own id for a catalog SKU; the merchant's items are read once when it may have ids of its own.
    private func merchantItem(_ sku: SKU, at merchant: String) async throws -> String {
        if merchant == merchantIDs.first { return sku }
        if let known = await memory.item(sku, at: merchant) { return known }
        try await indexItems(at: merchant)
        return await memory.item(sku, at: merchant) ?? sku
    }

    /// The catalog SKU for a merchant's own item id; the merchant's items are read once when the id is its own.
    private func catalogSKU(ofItem item: String, at merchant: String) async throws -> SKU {
        if merchant == merchantIDs.first { return item }
        if let known = await memory.sku(ofItem: item, at: merchant) { return known }
        try await indexItems(at: merchant)
        return await memory.sku(ofItem: item, at: merchant) ?? item
    }

    private func indexItems(at merchant: String) async throws {
        try await ensureCatalog()
        await memory.index(items: try await elements(path(merchant, "items")).compactMap { CloverItemCode(item: $0) }, at: merchant)
    }

    /// The merchant's order type for pickup or shipping, matched by label and read once; nil when it has none
    /// (the note still says how the order is fulfilled).
    private func orderType(for fulfillment: Fulfillment, at merchant: String) async -> String? {
        if let known = await memory.orderTypes(at: merchant) { return known[fulfillment] }
        guard let list = try? await elements(path(merchant, "order_types")) else { return nil }
        var types: [Fulfillment: String] = [:]
        for type in list {
            guard let id = type.string("id"), let label = type.string("label")?.lowercased() else { continue }
            if types[.shipping] == nil, label.contains("ship") || label.contains("deliver") {
                types[.shipping] = id
            } else if types[.pickup] == nil, label.contains("pick") {
                types[.pickup] = id
            }
        }
        await memory.remember(orderTypes: types, at: merchant)
        return types[fulfillment]
    }

    private func readOrder(_ number: String, withLines: Bool) async throws -> Order {
        try await atOrderMerchant(number) { merchant in
            let expand = withLines ? Self.orderExpand : Self.statusExpand
            let payload = try await platform.send("GET", path(merchant, "orders/\(number.pathSafe)"), query: [("expand", expand)])
            return try await decodedOrder(payload, at: merchant)
        }
    }

    /// Runs `operation` at the merchant holding the order: where it was last seen, else each store in turn (a
    /// Clover order id belongs to one merchant; the others answer 404).
    private func atOrderMerchant<T>(_ number: String, _ operation: (String) async throws -> T) async throws -> T {
        var candidates = merchantIDs
        if let known = await memory.merchant(ofOrder: number), let index = candidates.firstIndex(of: known) {
            candidates.remove(at: index)
            candidates.insert(known, at: 0)
        }
        for merchant in candidates {
            do {
                return try await operation(merchant)
            } catch POSError.notFound {
                continue
            }
        }
        throw POSError.notFound("order \(number)")
    }

    private func decodedOrder(_ payload: JSONPayload, at merchant: String) async throws -> Order {
        guard let order = try await decodedOrders(payload, at: merchant).first else { throw POSError.unavailable }
        return order
    }

    /// Orders read at one merchant: their store is that merchant, their lines name catalog SKUs (product ids
    /// filled from the catalog), and where each lives, its note and its lines are remembered.
    private func decodedOrders(_ payload: JSONPayload, at merchant: String) async throws -> [Order] {
        guard case .orders(let orders) = try platform.decode(payload, as: .order, currency: currency) else { throw POSError.unavailable }
        let raw = payload.objectValue?["elements"].map(\.arrayValue) ?? [payload]
        if orders.contains(where: { !$0.lines.isEmpty }) { try await ensureCatalog() }
        var completed: [Order] = []
        for (index, read) in orders.enumerated() {
            var order = read
            order.locationID = merchant
            for line in order.lines.indices {
                order.lines[line].sku = try await catalogSKU(ofItem: order.lines[line].sku, at: merchant)
            }
            order = await state.complete(order, platformID: order.number)
            await memory.remember(order, note: index < raw.count ? raw[index].string("note") ?? "" : "", merchant: merchant)
            completed.append(order)
        }
        return completed
    }
}

/// A Clover item's id and the merchant's own code for it (`sku`, else `code`), which lines up a chain's merchants.
struct CloverItemCode: Sendable, Hashable {
    let id: String
    let code: String?

    init?(item: JSONPayload) {
        guard let id = item.string("id") else { return nil }
        self.id = id
        code = [item.string("sku"), item.string("code")].compactMap { $0 }.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }
}

/// What the Clover connector keeps besides `ConnectorState`: the merchant, note and last reading (with lines) of
/// each order it has seen, each merchant's order types, and each merchant's item ids matched to the catalog
/// merchant's by the merchant's own SKU code.
actor CloverMemory {
    private var merchants: [String: String] = [:]
    private var notes: [String: String] = [:]
    private var orders: [String: Order] = [:]
    private var types: [String: [Fulfillment: String]] = [:]
    /// The catalog merchant, its item ids (the SKUs) and their codes.
    private var primary: String?
    private var catalogSKUs: Set<SKU> = []
    private var codeOfSKU: [SKU: String] = [:]
    private var skuOfCode: [String: SKU] = [:]
    /// Merchants whose stock names the catalog's own item ids (one inventory shared across the chain).
    private var sharing: Set<String> = []
    /// Per other merchant, once read: code ↔ that merchant's item id.
    private var itemOfCode: [String: [String: String]] = [:]
    private var codeOfItem: [String: [String: String]] = [:]

    func remember(_ order: Order, note: String, merchant: String) {
        merchants[order.number] = merchant
        notes[order.number] = note
        if !order.lines.isEmpty { orders[order.number] = order }
    }

    func merchant(ofOrder number: String) -> String? { merchants[number] }
    func note(ofOrder number: String) -> String? { notes[number] }
    func order(_ number: String) -> Order? { orders[number] }

    func orderTypes(at merchant: String) -> [Fulfillment: String]? { types[merchant] }
    func remember(orderTypes: [Fulfillment: String], at merchant: String) { types[merchant] = orderTypes }

    /// The catalog merchant's items: their ids are the SKUs. Other merchants are read again when needed.
    func index(catalog items: [CloverItemCode], at merchant: String) {
        primary = merchant
        catalogSKUs = Set(items.map(\.id))
        codeOfSKU = [:]
        skuOfCode = [:]
        for item in items {
            guard let code = item.code else { continue }
            codeOfSKU[item.id] = code
            if skuOfCode[code] == nil { skuOfCode[code] = item.id }
        }
        sharing = []
        itemOfCode = [:]
        codeOfItem = [:]
    }

    /// Another merchant's items, matched to the catalog's by code.
    func index(items: [CloverItemCode], at merchant: String) {
        var byCode: [String: String] = [:]
        var byItem: [String: String] = [:]
        for item in items {
            guard let code = item.code else { continue }
            if byCode[code] == nil { byCode[code] = item.id }
            byItem[item.id] = code
        }
        itemOfCode[merchant] = byCode
        codeOfItem[merchant] = byItem
    }

    /// Item ids a merchant's stock names: all of them the catalog's means the merchant shares the catalog's items.
    func observe(items: [String], at merchant: String) {
        if !items.isEmpty, items.allSatisfy(catalogSKUs.contains) { sharing.insert(merchant) }
    }

    /// The merchant's own item id for a catalog SKU; nil until the merchant's items are read (unless it shares ids).
    func item(_ sku: SKU, at merchant: String) -> String? {
        if merchant == primary || sharing.contains(merchant) { return sku }
        guard let byCode = itemOfCode[merchant] else { return nil }
        return codeOfSKU[sku].flatMap { byCode[$0] } ?? sku
    }

    /// The catalog SKU for a merchant's own item id; nil when the id is not the catalog's and the merchant's
    /// items are not read yet.
    func sku(ofItem item: String, at merchant: String) -> SKU? {
        if merchant == primary || catalogSKUs.contains(item) { return item }
        guard let byItem = codeOfItem[merchant] else { return nil }
        return byItem[item].flatMap { skuOfCode[$0] } ?? item
    }
}
