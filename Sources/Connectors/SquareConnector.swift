import Foundation
import RetailModel

/// Square as a `PointOfSale`: Catalog, Inventory, Locations, Customers, Orders, Payments and Refunds APIs.
///
/// Auth is `Authorization: Bearer {access token}` with a `Square-Version` header. The spoken order number is
/// the order's `reference_id` (or its id). Creates and charges carry `idempotency_key` (≤ 45 characters for
/// payments and refunds). Returns: Square has no returns endpoint; a return is a `RefundPayment` of the
/// returned lines' price and tax against the order's card payment. Refunds go back to the card only, so the
/// connector declares no store credit (Square's gift cards are a separate product a store may not sell).
public struct SquareConnector: PointOfSale {
    public static let apiVersion = "2025-08-20"
    public let capabilities: POSCapabilities
    private let client: PlatformClient
    private let state: ConnectorState
    private let currency: String

    /// - Parameters:
    ///   - baseURL: `https://connect.squareup.com` (or the sandbox, or a loopback front).
    ///   - accessToken: the merchant's OAuth or personal access token.
    public init(baseURL: URL, accessToken: Secret, currency: String = "USD", profile: StoreProfile = StoreProfile(), transport: any HTTPTransport) {
        client = PlatformClient(platform: .square, baseURL: baseURL, transport: transport) {
            ["Authorization": "Bearer \(accessToken.value)", "Square-Version": Self.apiVersion]
        }
        state = ConnectorState(profile: profile)
        self.currency = currency
        capabilities = profile.narrow(POSCapabilities(takesCardPayments: true, takesReturns: true, refundsToStoreCredit: false))
    }

    public func catalog() async throws -> [Product] {
        await state.remember(catalog: try await readCatalog())
    }

    private func readCatalog() async throws -> [Product] {
        var objects: [JSONPayload] = []
        var cursor: String?
        repeat {
            var query = [("types", "ITEM,ITEM_OPTION")]
            if let cursor { query.append(("cursor", cursor)) }
            let page = try await client.send("GET", "v2/catalog/list", query: query)
            if case .array(let list)? = page.objectValue?["objects"] { objects += list }
            cursor = page.string("cursor")
        } while cursor != nil
        guard case .products(let products) = try client.decode(.object(["objects": .array(objects)]), as: .product, currency: currency) else {
            throw POSError.unavailable
        }
        return products
    }

    public func searchProducts(matching text: String) async throws -> [Product] {
        var ids: [String] = []
        var cursor: String?
        repeat {
            var body: [String: Any] = ["text_filter": text, "limit": 100]
            if let cursor { body["cursor"] = cursor }
            let page = try await client.send("POST", "v2/catalog/search-catalog-items", json: body)
            if case .array(let items)? = page.objectValue?["items"] { ids += items.compactMap { $0.string("id") } }
            cursor = page.string("cursor")
        } while cursor != nil
        if !(await state.hasCatalog()) { _ = try await catalog() }
        return await state.products(ids: ids)
    }

    public func stock(skus: [SKU]) async throws -> [StockLevel] {
        var levels: [StockLevel] = []
        var cursor: String?
        repeat {
            var body: [String: Any] = ["catalog_object_ids": skus, "states": ["IN_STOCK"]]
            if let cursor { body["cursor"] = cursor }
            let page = try await client.send("POST", "v2/inventory/counts/batch-retrieve", json: body)
            if page.objectValue?["counts"] != nil, case .inventory(let found) = try client.decode(page, as: .inventory, currency: currency) {
                levels += found
            }
            cursor = page.string("cursor")
        } while cursor != nil
        return levels
    }

    public func locations() async throws -> [Location] {
        try await state.locations {
            guard case .locations(let list) = try client.decode(try await client.send("GET", "v2/locations"), as: .location, currency: currency)
            else { throw POSError.unavailable }
            return list
        }
    }

    public func customer(id: String) async throws -> Customer {
        let payload = try await client.send("GET", "v2/customers/\(id.pathSafe)")
        guard case .customers(let found) = try client.decode(payload, as: .customer, currency: currency), let customer = found.first else {
            throw POSError.notFound("customer \(id)")
        }
        return try await withCardOnFile(customer)
    }

    public func customer(phone: String) async throws -> Customer {
        let body: [String: Any] = ["query": ["filter": ["phone_number": ["exact": Self.e164(phone)]]], "limit": 2]
        let payload = try await client.send("POST", "v2/customers/search", json: body)
        guard payload.objectValue?["customers"] != nil,
            case .customers(let found) = try client.decode(payload, as: .customer, currency: currency), found.count == 1
        else { throw POSError.notFound("customer with phone ending \(phone.filter(\.isNumber).suffix(4))") }
        return try await withCardOnFile(found[0])
    }

    /// Square's exact phone filter compares E.164: "(555) 010-0101" → "+15550100101" (ten digits are North American).
    static func e164(_ phone: String) -> String {
        let digits = phone.filter(\.isNumber)
        return digits.count == 10 ? "+1" + digits : "+" + digits
    }

    /// The customer's first enabled card on file, from the Cards API (`Customer.cards` is deprecated), and the
    /// profile's home store.
    private func withCardOnFile(_ customer: Customer) async throws -> Customer {
        var customer = state.profile.apply(to: customer)
        let payload = try await client.send("GET", "v2/cards", query: [("customer_id", customer.id)])
        let card = payload.array("cards").first { card in
            if case .bool(false)? = card.objectValue?["enabled"] { return false }
            return true
        }
        if let card, let token = card.string("id") {
            customer.cardOnFile = CardToken(
                token: token, brand: SquareMapper.brand(card.string("card_brand") ?? ""), last4: card.string("last_4") ?? "")
        }
        await state.remember(customer: customer.id, hasCard: customer.cardOnFile?.token)
        return customer
    }

    public func createOrder(_ request: OrderRequest) async throws -> Order {
        var fulfillment: [String: Any] = ["type": request.fulfillment == .pickup ? "PICKUP" : "SHIPMENT", "state": "PROPOSED"]
        let recipient = ["customer_id": request.customerID]
        // A pickup is ready as soon as the store has it ("ASAP"); a scheduled one would need a pickup time.
        fulfillment[request.fulfillment == .pickup ? "pickup_details" : "shipment_details"] =
            request.fulfillment == .pickup ? ["recipient": recipient, "schedule_type": "ASAP"] as [String: Any] : ["recipient": recipient]
        var order: [String: Any] = [
            "location_id": request.locationID, "customer_id": request.customerID,
            "line_items": request.lines.map { ["catalog_object_id": $0.sku, "quantity": String($0.quantity)] },
            "fulfillments": [fulfillment],
        ]
        var metadata: [String: String] = [:]
        metadata[SquareMetadata.sourceLocation] = request.sourceLocationID
        metadata[SquareMetadata.reference] = request.reference
        if !metadata.isEmpty { order["metadata"] = metadata }
        // The same reference is the same order to Square too (its idempotency key).
        let key = "order-" + (request.reference ?? UUID().uuidString)
        let payload = try await client.send("POST", "v2/orders", json: ["idempotency_key": key.idempotencyKey, "order": order])
        let created = try await decodedOrder(payload)
        await state.remember(order: created.number, customer: request.customerID)
        return created
    }

    public func takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) async throws -> Payment {
        let orderID = try await platformID(ofOrder: orderNumber)
        var body: [String: Any] = [
            "source_id": card.token, "idempotency_key": idempotencyKey.idempotencyKey,
            "amount_money": ["amount": amount.minorUnits, "currency": amount.currency], "order_id": orderID, "autocomplete": true,
        ]
        // A card on file is charged on behalf of its customer; Square requires the customer with it.
        if let customer = await state.customer(ofOrder: orderNumber), await state.cardOnFile(of: customer) == card.token {
            body["customer_id"] = customer
        }
        let payload = try await client.send("POST", "v2/payments", json: body)
        guard case .payments(let payments) = try client.decode(payload, as: .payment, currency: currency), var payment = payments.first else {
            throw POSError.unavailable
        }
        payment.orderNumber = orderNumber
        return payment
    }

    public func confirmOrder(number: String) async throws -> Order {
        try await updateFulfillment(number: number, to: "RESERVED")
    }

    public func cancelOrder(number: String) async throws -> Order {
        try await updateFulfillment(number: number, to: "CANCELED")
    }

    /// `UpdateOrder` with the fulfillment's new state (and the order's, when cancelling), at the order's version.
    private func updateFulfillment(number: String, to newState: String) async throws -> Order {
        let id = try await platformID(ofOrder: number)
        let current = try await client.send("GET", "v2/orders/\(id.pathSafe)")
        guard let orderObject = current.objectValue?["order"], let version = orderObject.int("version"),
            let uid = orderObject.array("fulfillments").first?.string("uid")
        else { throw POSError.invalidRequest("order \(number) has no fulfillment to update") }
        // Never cancel what someone has paid for: that is a refund, for a person to handle.
        if newState == "CANCELED", !orderObject.array("tenders").isEmpty {
            throw POSError.invalidRequest("order \(number) is paid")
        }
        var order: [String: Any] = ["version": version, "fulfillments": [["uid": uid, "state": newState]]]
        if newState == "CANCELED" { order["state"] = "CANCELED" }
        let payload = try await client.send(
            "PUT", "v2/orders/\(id.pathSafe)", json: ["order": order, "idempotency_key": "\(id)-\(newState)-\(UUID().uuidString)"])
        return try await decodedOrder(payload)
    }

    public func recentOrders(customerID: String, limit: Int) async throws -> [Order] {
        let locationIDs = try await locations().map(\.id)
        let body: [String: Any] = [
            "location_ids": locationIDs, "limit": limit,
            "query": [
                "filter": ["customer_filter": ["customer_ids": [customerID]]],
                "sort": ["sort_field": "CREATED_AT", "sort_order": "DESC"],
            ],
        ]
        let payload = try await client.send("POST", "v2/orders/search", json: body)
        guard payload.objectValue?["orders"] != nil else { return [] }
        return try await decodedOrders(payload)
    }

    public func orderStatus(number: String) async throws -> OrderStatusReport {
        // Batch-retrieve reads the order for its status; GET reads it whole (the two are separate flows).
        let id = try await platformID(ofOrder: number)
        let payload = try await client.send("POST", "v2/orders/batch-retrieve", json: ["order_ids": [id]])
        guard let order = try await decodedOrders(payload).first else { throw POSError.notFound("order \(number)") }
        return OrderStatusReport(order: order)
    }

    public func order(number: String) async throws -> Order {
        let id = try await platformID(ofOrder: number)
        return try await decodedOrder(try await client.send("GET", "v2/orders/\(id.pathSafe)"))
    }

    /// A refund of the returned lines (price and the order's tax on them) against the order's card payment.
    public func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt {
        guard request.refundMethod == .originalPayment else {
            throw POSError.invalidRequest("Square refunds go back to the card; store credit is not offered")
        }
        let id = try await platformID(ofOrder: request.orderNumber)
        let orderPayload = try await client.send("GET", "v2/orders/\(id.pathSafe)")
        let order = try await decodedOrder(orderPayload)
        guard let paymentID = orderPayload.objectValue?["order"]?.array("tenders").first?.string("payment_id") else {
            throw POSError.invalidRequest("order \(request.orderNumber) has no card payment to refund")
        }
        let amount = order.refund(for: request.lines)
        let key = "return-\(request.orderNumber)-\(request.lines.map { "\($0.sku)x\($0.quantity)" }.joined(separator: ","))"
        let body: [String: Any] = [
            "idempotency_key": key.idempotencyKey, "payment_id": paymentID,
            "amount_money": ["amount": amount.minorUnits, "currency": amount.currency], "reason": request.reason,
        ]
        let payload = try await client.send("POST", "v2/refunds", json: body)
        guard case .refunds(let refunds) = try client.decode(payload, as: .refund, currency: currency), let refund = refunds.first else {
            throw POSError.unavailable
        }
        return ReturnReceipt(id: refund.id, request: request, refundAmount: refund.amount, createdAt: refund.createdAt ?? Date())
    }

    // MARK: Orders by spoken number

    /// The Square id of the order callers know by this number: remembered, else found among recent orders at
    /// every location by `reference_id` (Square cannot filter by it), else the number itself as an id.
    private func platformID(ofOrder number: String) async throws -> String {
        if let id = await state.platformID(ofOrder: number) { return id }
        let locationIDs = try await locations().map(\.id)
        var cursor: String?
        for _ in 0..<Self.orderSearchPages {
            var body: [String: Any] = [
                "location_ids": locationIDs, "limit": 500, "return_entries": false,
                "query": ["sort": ["sort_field": "CREATED_AT", "sort_order": "DESC"]],
            ]
            if let cursor { body["cursor"] = cursor }
            let page = try await client.send("POST", "v2/orders/search", json: body)
            for order in page.array("orders") where order.string("reference_id") == number {
                if let id = order.string("id") {
                    await state.remember(orderNumber: number, platformID: id)
                    return id
                }
            }
            cursor = page.string("cursor")
            if cursor == nil { break }
        }
        return number
    }

    /// Pages of 500 recent orders searched for a spoken number before giving up.
    private static let orderSearchPages = 4

    private func decodedOrder(_ payload: JSONPayload) async throws -> Order {
        guard let order = try await decodedOrders(payload).first else { throw POSError.unavailable }
        return order
    }

    private func decodedOrders(_ payload: JSONPayload) async throws -> [Order] {
        guard case .orders(let orders) = try client.decode(payload, as: .order, currency: currency) else { throw POSError.unavailable }
        if !(await state.hasCatalog()) { _ = try await catalog() }
        let ids = payload.objectValue?["orders"].map { $0.arrayValue.map { $0.string("id") } } ?? [payload.objectValue?["order"]?.string("id")]
        var completed: [Order] = []
        for (index, order) in orders.enumerated() {
            completed.append(await state.complete(order, platformID: index < ids.count ? ids[index] : nil))
        }
        return completed
    }
}

/// Keys VoicePOS writes in a Square order's `metadata` for what Square has no field for.
enum SquareMetadata {
    static let sourceLocation = "voicepos_source_location"
    static let estimatedDelivery = "voicepos_estimated_delivery"
    static let deliveredAt = "voicepos_delivered_at"
    static let reference = "voicepos_reference"
}
