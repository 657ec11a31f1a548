import Foundation
import RetailModel

/// Shopify as a `PointOfSale`, over the Admin REST API, version 2024-04.
///
/// Why REST: Shopify's future is the Admin GraphQL API (REST Admin is "legacy" since 2024-10 and new public apps
/// must be GraphQL-only), but REST is what `ShopifyMapper` and the published fixtures speak (the same resource
/// shapes webhooks deliver), and every flow here exists in 2024-04 REST. Moving to GraphQL means new requests,
/// not a new mapper: the mapper already reads GraphQL products and errors that arrive with HTTP 200.
///
/// Auth is the `X-Shopify-Access-Token` header (an offline token from OAuth or a custom app); requests go to
/// `https://{shop}.myshopify.com/admin/api/2024-04/{resource}.json`.
///
/// How each flow maps, and what Shopify lacks:
/// - SKU is the variant id. Stock hangs off the variant's inventory item: `stock(skus:)` finds each variant's
///   `inventory_item_id` in the catalog it has read (never derived from the id) and asks
///   `inventory_levels.json?inventory_item_ids=…` (50 items a request, Shopify's maximum).
/// - Lists are paged by cursor: the `Link: <…page_info=…>; rel="next"` header. Only its `page_info` and
///   `limit` are followed, against this connector's own base URL, so the token never goes to a host a response
///   header names.
/// - Orders: `order.id` is the API id, `order_number` ("#1042") is what callers say. A spoken number is resolved
///   with `orders.json?name=1042&status=any` and remembered.
/// - Payment: Shopify takes it in its own checkout; the Admin API cannot charge a card token. Capabilities say
///   so, the conversation offers pay-at-pickup or a payment link, and `takePayment` throws. Orders are created
///   with `financial_status: pending`.
/// - Confirm: Shopify has no "confirm" for an unpaid order. The order is tagged `voicepos-confirmed`
///   (`PUT orders/{id}.json`; tags are replaced whole, so the current ones are read first).
/// - Where the platform has no field — the store a transfer comes from, when a pickup is ready, that it is
///   ready, when a parcel was delivered — VoicePOS uses the order's `note_attributes` (`ShopifyOrderNotes`).
///   The pickup or shipping store is the order's `location_id`; pickup orders have no shipping line.
/// - Returns: `POST orders/{id}/refunds/calculate.json` says what returning the lines gives back to which payment;
///   `POST orders/{id}/refunds.json` then refunds those transactions with the `refund_line_items` (restocked at
///   the order's location). An order with no payment in Shopify to refund is refused, never "refunded" $0.
///   REST 2024-04 cannot refund to store credit (newer GraphQL `refundCreate` can), so capabilities say so.
/// - Idempotency: REST has none (GraphQL's `@idempotent` directive is the newer answer), so a create is sent
///   once; a create that times out is not retried here.
/// - Rate limits: 429 with `Retry-After` (and `X-Shopify-Shop-Api-Call-Limit`), read by `HTTPFailure`.
public struct ShopifyConnector: PointOfSale {
    public static let apiVersion = "2024-04"
    public let capabilities: POSCapabilities
    private let client: PlatformClient
    private let state: ConnectorState
    private let inventoryItems = ShopifyInventoryItems()
    private let currency: String

    /// Shopify's largest page.
    static let pageLimit = 250
    /// Shopify's most inventory item ids in one `inventory_levels.json` request.
    static let inventoryItemsPerRequest = 50
    /// The fields a status answer needs.
    static let statusFields =
        "id,name,order_number,created_at,currency,customer,location_id,financial_status,fulfillment_status,cancelled_at,tags,"
        + "note_attributes,shipping_lines,fulfillments"

    /// - Parameters:
    ///   - baseURL: `https://{shop}.myshopify.com` (or a loopback front).
    ///   - accessToken: the shop's Admin API access token.
    public init(baseURL: URL, accessToken: Secret, currency: String = "USD", profile: StoreProfile = StoreProfile(), transport: any HTTPTransport) {
        client = PlatformClient(platform: .shopify, baseURL: baseURL, transport: transport) { ["X-Shopify-Access-Token": accessToken.value] }
        state = ConnectorState(profile: profile)
        capabilities = profile.narrow(POSCapabilities(takesCardPayments: false, takesReturns: true, refundsToStoreCredit: false))
        self.currency = currency
    }

    private func path(_ resource: String) -> String { "admin/api/\(Self.apiVersion)/\(resource).json" }

    // MARK: Catalog and stock

    public func catalog() async throws -> [Product] {
        let payloads = try await pages(path("products"), query: [("limit", String(Self.pageLimit))])
        let read = try await products(in: payloads)
        return await state.remember(catalog: read)
    }

    /// `products.json?title=…`: Shopify answers whole products, so they are mapped as they come.
    public func searchProducts(matching text: String) async throws -> [Product] {
        let payloads = try await pages(path("products"), query: [("title", text), ("limit", String(Self.pageLimit))])
        var found: [Product] = []
        for product in try await products(in: payloads) { found.append(state.profile.apply(to: product)) }
        return found
    }

    /// Maps the products of every page and remembers each variant's inventory item.
    private func products(in payloads: [JSONPayload]) async throws -> [Product] {
        var list: [JSONPayload] = []
        for payload in payloads { list += payload.array("products") }
        var items: [SKU: String] = [:]
        for product in list {
            for variant in product.array("variants") {
                if let sku = variant.string("id"), let item = variant.string("inventory_item_id") { items[sku] = item }
            }
        }
        await inventoryItems.remember(items)
        guard case .products(let products) = try client.decode(.object(["products": .array(list)]), as: .product, currency: currency) else {
            throw POSError.unavailable
        }
        return products
    }

    public func stock(skus: [SKU]) async throws -> [StockLevel] {
        var items = await inventoryItems.items(for: skus)
        if items.contains(where: { $0 == nil }), !(await state.hasCatalog()) {
            _ = try await catalog()
            items = await inventoryItems.items(for: skus)
        }
        var skuByItem: [String: SKU] = [:]
        var itemIDs: [String] = []
        for (sku, item) in zip(skus, items) {
            guard let item else { throw POSError.notFound("SKU \(sku)") }
            if skuByItem[item] == nil { itemIDs.append(item) }
            skuByItem[item] = sku
        }
        var levelsBySKU: [SKU: [StockLevel]] = [:]
        var start = 0
        while start < itemIDs.count {
            let chunk = itemIDs[start..<min(start + Self.inventoryItemsPerRequest, itemIDs.count)]
            start += Self.inventoryItemsPerRequest
            let query = [("inventory_item_ids", chunk.joined(separator: ",")), ("limit", String(Self.pageLimit))]
            for payload in try await pages(path("inventory_levels"), query: query) where payload.objectValue?["inventory_levels"] != nil {
                guard case .inventory(let found) = try client.decode(payload, as: .inventory, currency: currency) else { throw POSError.unavailable }
                for var level in found {
                    // The mapper keys a level by its inventory item until a product links it: this is that link.
                    let item = level.sku.hasPrefix(Self.inventoryItemPrefix) ? String(level.sku.dropFirst(Self.inventoryItemPrefix.count)) : level.sku
                    guard let sku = skuByItem[item] else { continue }
                    level.sku = sku
                    levelsBySKU[sku, default: []].append(level)
                }
            }
        }
        return skus.flatMap { levelsBySKU[$0] ?? [] }
    }

    private static let inventoryItemPrefix = "inventory_item:"

    /// Shopify's inventory webhooks name an inventory item: that becomes its variant's SKU, or every SKU when no
    /// product read has linked the item yet (dropping too much is safe; dropping the wrong entry is not).
    public func resolve(_ changes: [StoreChange]) async -> [StoreChange] {
        var resolved: [StoreChange] = []
        for change in changes {
            guard case .stock(let sku?, let location) = change, sku.hasPrefix(Self.inventoryItemPrefix) else {
                resolved.append(change)
                continue
            }
            resolved.append(
                .stock(sku: await inventoryItems.sku(ofItem: String(sku.dropFirst(Self.inventoryItemPrefix.count))), locationID: location))
        }
        return resolved
    }

    public func locations() async throws -> [Location] {
        try await state.locations {
            guard case .locations(let list) = try client.decode(try await client.send("GET", path("locations")), as: .location, currency: currency)
            else { throw POSError.unavailable }
            return list
        }
    }

    // MARK: Customers

    public func customer(id: String) async throws -> Customer {
        let payload = try await client.send("GET", path("customers/\(id.pathSafe)"))
        guard case .customers(let found) = try client.decode(payload, as: .customer, currency: currency), let customer = found.first else {
            throw POSError.notFound("customer \(id)")
        }
        return state.profile.apply(to: customer)
    }

    public func customer(phone: String) async throws -> Customer {
        let payload = try await client.send("GET", path("customers/search"), query: [("query", "phone:\(phone)"), ("limit", "2")])
        guard payload.objectValue?["customers"] != nil,
            case .customers(let found) = try client.decode(payload, as: .customer, currency: currency), found.count == 1
        else { throw POSError.notFound("customer with phone ending \(phone.filter(\.isNumber).suffix(4))") }
        return state.profile.apply(to: found[0])
    }

    // MARK: Orders

    /// `POST orders.json`, unpaid (`financial_status: pending`), holding stock as the shop's policy allows
    /// (`inventory_behaviour: decrement_obeying_policy`, so too few units is an error, not an oversell).
    public func createOrder(_ request: OrderRequest) async throws -> Order {
        var order: [String: Any] = [
            "customer": ["id": Self.jsonID(request.customerID)],
            "location_id": Self.jsonID(request.locationID),
            "line_items": request.lines.map { ["variant_id": Self.jsonID($0.sku), "quantity": $0.quantity] as [String: Any] },
            "financial_status": "pending",
            "inventory_behaviour": "decrement_obeying_policy",
            "send_receipt": false,
            "send_fulfillment_receipt": false,
            "tags": "voicepos",
        ]
        if request.fulfillment == .shipping {
            order["shipping_lines"] = [
                ["title": "Shipping", "code": "voicepos-shipping", "price": Money.zero(currency).decimalText] as [String: Any]
            ]
        }
        var notes: [[String: String]] = []
        if let source = request.sourceLocationID { notes.append(["name": ShopifyOrderNotes.sourceLocation, "value": source]) }
        if let reference = request.reference { notes.append(["name": ShopifyOrderNotes.reference, "value": reference]) }
        if !notes.isEmpty { order["note_attributes"] = notes }
        return try await decodedOrder(try await client.send("POST", path("orders"), json: ["order": order]))
    }

    /// Shopify cannot charge a card token through the Admin API: payment happens in Shopify's checkout.
    public func takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) async throws -> Payment {
        throw POSError.invalidRequest(
            "Shopify takes payment only in its own checkout: order \(orderNumber) is paid at pickup or through a payment link, not by card here")
    }

    /// Tags the order `voicepos-confirmed`, keeping the tags it has.
    public func confirmOrder(number: String) async throws -> Order {
        let (id, current) = try await lookUp(number, fields: "id,name,order_number,tags")
        var tags = (current.string("tags") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !tags.contains(ShopifyOrderNotes.confirmedTag) { tags.append(ShopifyOrderNotes.confirmedTag) }
        let body: [String: Any] = ["order": ["id": Self.jsonID(id), "tags": tags.joined(separator: ", ")] as [String: Any]]
        return try await decodedOrder(try await client.send("PUT", path("orders/\(id.pathSafe)"), json: body))
    }

    public func cancelOrder(number: String) async throws -> Order {
        let id = try await platformID(ofOrder: number)
        let body: [String: Any] = ["reason": "customer", "email": false]
        return try await decodedOrder(try await client.send("POST", path("orders/\(id.pathSafe)/cancel"), json: body))
    }

    public func recentOrders(customerID: String, limit: Int) async throws -> [Order] {
        let query = [("status", "any"), ("limit", String(min(max(limit, 1), Self.pageLimit)))]
        let payload = try await client.send("GET", path("customers/\(customerID.pathSafe)/orders"), query: query)
        guard payload.objectValue?["orders"] != nil else { return [] }
        let orders = try await decodedOrders(payload).sorted { ($0.placedAt, $0.number) > ($1.placedAt, $1.number) }
        return Array(orders.prefix(max(0, limit)))
    }

    /// `orders.json?ids={id}&status=any&fields=…`: only what a status answer needs.
    public func orderStatus(number: String) async throws -> OrderStatusReport {
        let id = try await platformID(ofOrder: number)
        let payload = try await client.send("GET", path("orders"), query: [("ids", id), ("status", "any"), ("fields", Self.statusFields)])
        var orders: [Order] = []
        if payload.objectValue?["orders"] != nil { orders = try await decodedOrders(payload) }
        guard let order = orders.first(where: { $0.number == number }) ?? orders.first else { throw POSError.notFound("order \(number)") }
        return OrderStatusReport(order: order)
    }

    public func order(number: String) async throws -> Order {
        let id = try await platformID(ofOrder: number)
        return try await decodedOrder(try await client.send("GET", path("orders/\(id.pathSafe)")))
    }

    /// A refund of the returned lines, restocked at the order's location; no money moves through the API.
    public func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt {
        let (id, current) = try await lookUp(request.orderNumber, fields: "id,name,order_number,location_id,line_items")
        let lineItems = current.array("line_items")
        let location = current.string("location_id")
        var refundLines: [[String: Any]] = []
        for item in request.lines {
            guard let line = lineItems.first(where: { $0.string("variant_id") == item.sku }), let lineID = line.string("id") else {
                throw POSError.invalidRequest("order \(request.orderNumber) has no \(item.quantity) × \(item.sku) left to return")
            }
            var refundLine: [String: Any] = ["line_item_id": Self.jsonID(lineID), "quantity": item.quantity, "restock_type": "no_restock"]
            if let location {
                refundLine["restock_type"] = "return"
                refundLine["location_id"] = Self.jsonID(location)
            }
            refundLines.append(refundLine)
        }
        guard request.refundMethod == .originalPayment else {
            throw POSError.invalidRequest("Shopify's REST refunds go back to the original payment; store credit is not offered")
        }
        // Shopify works out what goes back to which payment (`calculate`); the refund then moves that money.
        let calculated = try await client.send(
            "POST", path("orders/\(id.pathSafe)/refunds/calculate"), json: ["refund": ["refund_line_items": refundLines] as [String: Any]])
        let transactions: [[String: Any]] = (calculated.objectValue?["refund"]?.array("transactions") ?? []).compactMap { suggested in
            guard let parent = suggested.string("parent_id"), let amount = suggested.string("amount") else { return nil }
            return ["parent_id": Self.jsonID(parent), "amount": amount, "kind": "refund", "gateway": suggested.string("gateway") ?? ""]
        }
        guard !transactions.isEmpty else {
            throw POSError.invalidRequest("order \(request.orderNumber) has no payment in Shopify to refund")
        }
        let body: [String: Any] = [
            "refund": ["note": request.reason, "notify": false, "refund_line_items": refundLines, "transactions": transactions] as [String: Any]
        ]
        let payload = try await client.send("POST", path("orders/\(id.pathSafe)/refunds"), json: body)
        guard case .refunds(let refunds) = try client.decode(payload, as: .refund, currency: currency), let refund = refunds.first else {
            throw POSError.unavailable
        }
        return ReturnReceipt(id: refund.id, request: request, refundAmount: refund.amount, createdAt: refund.createdAt ?? Date())
    }

    // MARK: Orders by spoken number

    /// The API id of the order callers know by `number`: remembered, else looked up by name.
    private func platformID(ofOrder number: String) async throws -> String {
        if let id = await state.platformID(ofOrder: number) { return id }
        return try await lookUp(number, fields: "id,name,order_number").id
    }

    /// `orders.json?name=1042&status=any` (any status: the default is open orders only), with the fields the
    /// caller needs; the match must carry the number itself, since a name filter may match more loosely.
    private func lookUp(_ number: String, fields: String) async throws -> (id: String, order: JSONPayload) {
        let name = number.hasPrefix("#") ? String(number.dropFirst()) : number
        let payload = try await client.send("GET", path("orders"), query: [("name", name), ("status", "any"), ("fields", fields)])
        guard let match = payload.array("orders").first(where: { Self.number(of: $0) == name }), let id = match.string("id") else {
            throw POSError.notFound("order \(number)")
        }
        await state.remember(orderNumber: number, platformID: id)
        return (id, match)
    }

    /// An order's spoken number, read as `ShopifyMapper` reads it.
    private static func number(of order: JSONPayload) -> String? {
        order.string("order_number") ?? order.string("name").map { $0.replacingOccurrences(of: "#", with: "") }
    }

    private func decodedOrder(_ payload: JSONPayload) async throws -> Order {
        guard let order = try await decodedOrders(payload).first else { throw POSError.unavailable }
        return order
    }

    private func decodedOrders(_ payload: JSONPayload) async throws -> [Order] {
        guard case .orders(let orders) = try client.decode(payload, as: .order, currency: currency) else { throw POSError.unavailable }
        let objects = payload.objectValue?["orders"]?.arrayValue ?? payload.objectValue?["order"].map { [$0] } ?? []
        var completed: [Order] = []
        for (index, order) in orders.enumerated() {
            completed.append(await state.complete(order, platformID: index < objects.count ? objects[index].string("id") : nil))
        }
        return completed
    }

    // MARK: Pages

    /// Every page of a list, following `Link: <…>; rel="next"`.
    private func pages(_ path: String, query: [(String, String)]) async throws -> [JSONPayload] {
        var payloads: [JSONPayload] = []
        var query = query
        var seen = Set<String>()
        while true {
            let response = try await client.sendRaw("GET", path, query: query)
            if let failure = HTTPFailure.error(in: response, platform: .shopify) { throw failure }
            if response.body.isEmpty {
                payloads.append(.object([:]))
            } else {
                do {
                    payloads.append(try JSONPayload.parse(response.body, platform: .shopify))
                } catch {
                    throw POSError.unavailable
                }
            }
            guard let next = Self.nextPage(link: response.headers["link"]),
                let cursor = next.first(where: { $0.0 == "page_info" })?.1, seen.insert(cursor).inserted
            else { return payloads }
            query = next
        }
    }

    /// The query of the `rel="next"` link (its `page_info` and `limit`), or nil on the last page.
    static func nextPage(link: String?) -> [(String, String)]? {
        guard let link else { return nil }
        var rest = Substring(link)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let target = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            let parameters = rest.prefix { $0 != "<" }.replacingOccurrences(of: " ", with: "")
            guard parameters.contains("rel=\"next\"") || parameters.contains("rel=next") else { continue }
            let items = URLComponents(string: String(target))?.queryItems ?? []
            let kept = items.filter { $0.name == "page_info" || $0.name == "limit" }.map { ($0.name, $0.value ?? "") }
            return kept.isEmpty ? nil : kept
        }
        return nil
    }

    /// An id as Shopify sends it: a JSON number when it is one.
    static func jsonID(_ id: String) -> Any {
        if let number = Int(id), String(number) == id { return number }
        return id
    }
}

/// Each variant's inventory item, as the catalog says (Shopify keys stock by inventory item, not variant).
actor ShopifyInventoryItems {
    private var itemBySKU: [SKU: String] = [:]

    func remember(_ items: [SKU: String]) {
        itemBySKU.merge(items) { _, new in new }
    }

    func items(for skus: [SKU]) -> [String?] { skus.map { itemBySKU[$0] } }

    /// The variant an inventory item belongs to, when a product read has linked them.
    func sku(ofItem item: String) -> SKU? { itemBySKU.first { $0.value == item }?.key }
}
