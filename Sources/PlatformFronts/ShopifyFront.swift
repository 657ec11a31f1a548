import Connectors
import Foundation
import RetailModel
import StoreSimulator

/// The simulated store as Shopify's Admin REST API (2024-04 shapes): `/admin/api/{version}/….json` paths, the
/// `X-Shopify-Access-Token` header, decimal-string money, numeric ids, `Link` header cursor pagination
/// (`page_info`, `limit` up to 250), `fields=` selection, and `{"errors": …}` bodies with real status codes
/// (401, 402, 404, 422, 429 with `Retry-After` and `X-Shopify-Shop-Api-Call-Limit`, 503, 504).
///
/// Ids a real shop would give differently: an order's API id is a large number derived from its number (so
/// connectors must resolve "#1042" to it), each variant's inventory item id is a number derived from the variant
/// id, and line items get numeric ids of their own. Store ids that are not numbers are sent as text.
///
/// Which store flow each request runs (so an injected fault fires once per connector call): products → catalog
/// or (with `title`) search; inventory levels → stock; `orders.json?name=` is a number lookup and runs no flow;
/// `orders.json?ids=` → order status; `orders/{id}.json` → get order; `PUT orders/{id}.json` adding the
/// `voicepos-confirmed` tag → confirm; `cancel.json` → cancel; `refunds.json` → return.
///
/// Where Shopify has no field, the front writes what `ShopifyMapper` reads: `note_attributes`
/// (`voicepos_source_location`, `voicepos_ready_at`, `voicepos_ready_for_pickup`, `voicepos_delivered_at`), the
/// `voicepos-confirmed` tag, and a refund note starting "Store credit: ". A live count has no `updated_at`
/// (a real level always has one: its last change); a count the store dates carries that date.
public struct ShopifyFront: PlatformFront {
    public let platform = Platform.shopify
    private let kit: FrontKit
    private let accessToken: String
    private let maxPageSize: Int

    public init(store: StoreSimulator, accessToken: String) {
        self.init(store: store, accessToken: accessToken, maxPageSize: 250)
    }

    /// - Parameter maxPageSize: the most items one page holds whatever `limit` asks (Shopify's is 250); smaller
    ///   pages make a small store exercise a connector's pagination.
    public init(store: StoreSimulator, accessToken: String, maxPageSize: Int) {
        kit = FrontKit(store: store)
        self.accessToken = accessToken
        self.maxPageSize = max(1, maxPageSize)
    }

    private var store: StoreSimulator { kit.store }

    // Keys `ShopifyMapper` reads (`ShopifyOrderNotes` in Connectors).
    private static let sourceLocationNote = "voicepos_source_location"
    private static let referenceNote = "voicepos_reference"
    private static let readyAtNote = "voicepos_ready_at"
    private static let readyForPickupNote = "voicepos_ready_for_pickup"
    private static let deliveredAtNote = "voicepos_delivered_at"
    private static let confirmedTag = "voicepos-confirmed"

    public func respond(to request: FrontRequest) async -> HTTPResponse {
        await FrontKit.answering {
            guard request.headers["x-shopify-access-token"] == accessToken else { throw FrontFailure.unauthorized }
            return try await route(request)
        } failure: {
            failure($0)
        } refusal: { refused in
            switch refused {
            case .unauthorized: kit.json(["errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"], status: 401)
            case .badRequest(let detail): kit.json(["errors": ["base": [detail]]], status: 400, headers: Self.callLimit)
            case .noRoute: kit.json(["errors": "Not Found"], status: 404, headers: Self.callLimit)
            }
        }
    }

    private static let callLimit = ["X-Shopify-Shop-Api-Call-Limit": "1/40"]

    private func ok(_ object: Any, status: Int = 200) -> HTTPResponse {
        kit.json(object, status: status, headers: Self.callLimit)
    }

    private func route(_ request: FrontRequest) async throws -> HTTPResponse {
        let path = request.path
        guard path.count >= 4, path[0] == "admin", path[1] == "api", let last = path.last, last.hasSuffix(".json") else {
            throw FrontFailure.noRoute
        }
        var resource = Array(path.dropFirst(3))
        resource[resource.count - 1] = String(last.dropLast(".json".count))
        let body = try request.json()
        switch (request.method, resource) {
        case ("GET", ["products"]):
            let cursor = try PageCursor(request)
            let products: [Product]
            if let title = cursor.filters["title"] {
                products = try await store.searchProducts(matching: title)
            } else {
                products = try await store.catalog()
            }
            return paged(products.map(product), key: "products", request: request, cursor: cursor)
        case ("GET", ["inventory_levels"]):
            return try await inventoryLevels(request)
        case ("GET", ["locations"]):
            return ok(["locations": try await store.locations().map(location)])
        case ("GET", ["customers", "search"]):
            let search = request.query["query"] ?? ""
            guard search.hasPrefix("phone:") else { throw FrontFailure.badRequest("only phone: searches are simulated") }
            do {
                let found = try await store.customer(phone: String(search.dropFirst("phone:".count)))
                return ok(["customers": [select(customer(found), request)]])
            } catch POSError.notFound {
                return ok(["customers": [Any]()])
            }
        case ("GET", let parts) where parts.count == 2 && parts[0] == "customers":
            return ok(["customer": select(customer(try await store.customer(id: parts[1])), request)])
        case ("GET", let parts) where parts.count == 3 && parts[0] == "customers" && parts[2] == "orders":
            let limit = min(max(Int(request.query["limit"] ?? "") ?? 50, 1), maxPageSize)
            var orders: [Any] = []
            for found in try await store.recentOrders(customerID: parts[1], limit: limit) {
                orders.append(select(await order(found), request))
            }
            return ok(["orders": orders])
        case ("POST", ["orders"]):
            let created = try await store.createOrder(try orderRequest(body))
            return ok(["order": await order(created)], status: 201)
        case ("GET", ["orders"]):
            return try await listOrders(request)
        case ("GET", let parts) where parts.count == 2 && parts[0] == "orders":
            let found = try await store.order(number: await orderNumber(forID: parts[1]))
            return ok(["order": select(await order(found), request)])
        case ("PUT", let parts) where parts.count == 2 && parts[0] == "orders":
            let update = body["order"] as? [String: Any] ?? [:]
            let tags = (update["tags"] as? String ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard tags.contains(Self.confirmedTag) else { throw FrontFailure.badRequest("only tagging an order \(Self.confirmedTag) is simulated") }
            let confirmed = try await store.confirmOrder(number: await orderNumber(forID: parts[1]))
            return ok(["order": await order(confirmed)])
        case ("POST", let parts) where parts.count == 3 && parts[0] == "orders" && parts[2] == "cancel":
            let cancelled = try await store.cancelOrder(number: await orderNumber(forID: parts[1]))
            return ok(["order": await order(cancelled)])
        case ("POST", let parts) where parts.count == 3 && parts[0] == "orders" && parts[2] == "refunds":
            return ok(["refund": try await refund(body, orderID: parts[1])], status: 201)
        case ("POST", let parts) where parts.count == 4 && parts[0] == "orders" && parts[2] == "refunds" && parts[3] == "calculate":
            return ok(["refund": try await calculateRefund(body, orderID: parts[1])])
        default:
            throw FrontFailure.noRoute
        }
    }

    // MARK: Requests → the store

    private func inventoryLevels(_ request: FrontRequest) async throws -> HTTPResponse {
        let cursor = try PageCursor(request)
        guard let ids = cursor.filters["inventory_item_ids"] else { throw FrontFailure.badRequest("inventory_item_ids or location_ids is required") }
        let wanted = ids.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let skus = await store.snapshot().stock.keys
        let skuByItem = Dictionary(skus.map { (String(Self.inventoryItemID($0)), $0) }, uniquingKeysWith: { first, _ in first })
        let levels = try await store.stock(skus: wanted.compactMap { skuByItem[$0] })
        let locations = cursor.filters["location_ids"].map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        let shown = levels.filter { locations?.contains($0.locationID) ?? true }
        return paged(shown.map(level), key: "inventory_levels", request: request, cursor: cursor)
    }

    /// `?name=` looks a number up (no store flow: connectors resolve numbers this way before the flow itself);
    /// `?ids=` reads orders for their status.
    private func listOrders(_ request: FrontRequest) async throws -> HTTPResponse {
        var orders: [Any] = []
        if let name = request.query["name"] {
            let number = name.hasPrefix("#") ? String(name.dropFirst()) : name
            if let stored = await store.storedOrder(number: number) { orders.append(select(await order(stored), request)) }
            return ok(["orders": orders])
        }
        guard let ids = request.query["ids"] else { throw FrontFailure.badRequest("filter orders by name or ids") }
        for id in ids.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let number = await orderNumber(forID: id)
            do {
                _ = try await store.orderStatus(number: number)
            } catch POSError.notFound {
                continue
            }
            if let stored = await store.storedOrder(number: number) { orders.append(select(await order(stored), request)) }
        }
        return ok(["orders": orders])
    }

    private func orderRequest(_ body: [String: Any]) throws -> OrderRequest {
        guard let order = body["order"] as? [String: Any], let customerID = Self.idText((order["customer"] as? [String: Any])?["id"]),
            let locationID = Self.idText(order["location_id"]), let lines = order["line_items"] as? [[String: Any]]
        else { throw FrontFailure.badRequest("order.customer.id, order.location_id and order.line_items are required") }
        let items = try lines.map { line -> LineItem in
            guard let sku = Self.idText(line["variant_id"]), let quantity = line["quantity"] as? Int else {
                throw FrontFailure.badRequest("each line item needs a variant_id and a whole quantity")
            }
            return LineItem(sku: sku, quantity: quantity)
        }
        let shipped = (order["shipping_lines"] as? [Any])?.isEmpty == false
        let notes = order["note_attributes"] as? [[String: Any]] ?? []
        func note(_ name: String) -> String? { notes.first { $0["name"] as? String == name }?["value"] as? String }
        return OrderRequest(
            customerID: customerID, lines: items, fulfillment: shipped ? .shipping : .pickup, locationID: locationID,
            sourceLocationID: note(Self.sourceLocationNote), reference: note(Self.referenceNote))
    }

    /// `refund_line_items` name the order's line items; a note starting "Store credit: " asks for store credit.
    /// `refunds/calculate`: what returning the lines gives back, as one suggested refund of the order's sale.
    private func calculateRefund(_ body: [String: Any], orderID: String) async throws -> [String: Any] {
        let (number, stored, items) = try await refundLines(body, orderID: orderID)
        let amount = stored.refund(for: items)
        return [
            "currency": amount.currency, "refund_line_items": body["refund_line_items"] ?? [Any](),
            "transactions": [
                [
                    "order_id": Self.orderID(number), "kind": "suggested_refund", "gateway": "shopify_payments",
                    "parent_id": Self.derivedID(13, "sale/\(number)"), "amount": amount.decimalText,
                    "maximum_refundable": stored.total.decimalText,
                ] as [String: Any]
            ],
        ]
    }

    /// The order and the lines a refund request names.
    private func refundLines(_ body: [String: Any], orderID: String) async throws -> (String, Order, [LineItem]) {
        guard let refund = body["refund"] as? [String: Any], let lines = refund["refund_line_items"] as? [[String: Any]], !lines.isEmpty else {
            throw FrontFailure.badRequest("refund.refund_line_items is required")
        }
        let number = await orderNumber(forID: orderID)
        guard let stored = await store.storedOrder(number: number) else { throw POSError.notFound("order \(number)") }
        let items = try lines.map { line -> LineItem in
            guard let lineID = Self.idText(line["line_item_id"]), let quantity = line["quantity"] as? Int else {
                throw FrontFailure.badRequest("each refund line item needs a line_item_id and a whole quantity")
            }
            guard let index = stored.lines.indices.first(where: { String(Self.lineItemID(number, $0)) == lineID }) else {
                throw FrontFailure.badRequest("line_item_id \(lineID) is not a line of this order")
            }
            return LineItem(sku: stored.lines[index].sku, quantity: quantity)
        }
        return (number, stored, items)
    }

    private func refund(_ body: [String: Any], orderID: String) async throws -> [String: Any] {
        let (number, stored, items) = try await refundLines(body, orderID: orderID)
        let refund = body["refund"] as? [String: Any] ?? [:]
        guard let transactions = refund["transactions"] as? [[String: Any]], !transactions.isEmpty else {
            throw FrontFailure.badRequest("a refund of a paid order needs its transactions (from refunds/calculate)")
        }
        let request = ReturnRequest(orderNumber: number, lines: items, reason: refund["note"] as? String ?? "", refundMethod: .originalPayment)
        let receipt = try await store.createReturn(request)
        var object = refundObject(receipt, of: await store.storedOrder(number: number) ?? stored)
        object["transactions"] = transactions.enumerated().map { index, transaction in
            var moved = transaction
            moved["id"] = Self.derivedID(13, "refund/\(receipt.id)/\(index)")
            moved["status"] = "success"
            moved["currency"] = stored.total.currency
            return moved
        }
        return object
    }

    /// The number of the order an API id stands for; an id no order has is passed on as it is, so the store
    /// answers for it (not found, or an injected fault).
    private func orderNumber(forID id: String) async -> String {
        await store.snapshot().orders.first { String(Self.orderID($0.number)) == id }?.number ?? id
    }

    // MARK: Ids

    /// A number that looks like a Shopify id, derived from text (FNV-1a), under a prefix per kind of object.
    private static func derivedID(_ prefix: Int, _ text: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return prefix * 1_000_000_000_000 + Int(hash % 1_000_000_000_000)
    }

    static func orderID(_ number: String) -> Int { derivedID(5, "order/\(number)") }
    static func inventoryItemID(_ sku: SKU) -> Int { derivedID(44, "inventory_item/\(sku)") }
    static func lineItemID(_ number: String, _ index: Int) -> Int { derivedID(13, "line_item/\(number)/\(index)") }

    /// A store id as Shopify sends ids: a number when it is one, else the text.
    private static func numericID(_ id: String) -> Any {
        if let number = Int(id), String(number) == id { return number }
        return id
    }

    /// An id from a request body, sent as a number or as text.
    private static func idText(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        if let number = value as? Int { return String(number) }
        return nil
    }

    private static func orNull(_ text: String?) -> Any {
        guard let text, !text.isEmpty else { return NSNull() }
        return text
    }

    // MARK: Pages and fields

    /// Where a page starts and the filters of the list it belongs to (`page_info` carries both, as Shopify's does:
    /// a request with `page_info` may not repeat the filters).
    private struct PageCursor {
        var offset: Int
        var filters: [String: String]

        init(offset: Int, filters: [String: String]) {
            self.offset = offset
            self.filters = filters
        }

        init(_ request: FrontRequest) throws {
            guard let token = request.query["page_info"] else {
                offset = 0
                filters = request.query.filter { !["limit", "page_info", "fields"].contains($0.key) }
                return
            }
            var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64 += "=" }
            guard let data = Data(base64Encoded: base64), var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: String],
                let start = object.removeValue(forKey: "offset").flatMap({ Int($0) }), start >= 0
            else { throw FrontFailure.badRequest("page_info is invalid") }
            offset = start
            filters = object
        }

        var token: String {
            var object = filters
            object["offset"] = String(offset)
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
    }

    /// One page of a list, with `Link` to the next and previous pages.
    private func paged(_ items: [[String: Any]], key: String, request: FrontRequest, cursor: PageCursor) -> HTTPResponse {
        let limit = min(max(Int(request.query["limit"] ?? "") ?? 50, 1), maxPageSize)
        let start = min(cursor.offset, items.count)
        let end = min(start + limit, items.count)
        let address = "https://\(request.headers["host"] ?? "loopback.myshopify.com")/\(request.path.joined(separator: "/"))"
        var links: [String] = []
        if start > 0 {
            let previous = PageCursor(offset: max(0, start - limit), filters: cursor.filters)
            links.append("<\(address)?limit=\(limit)&page_info=\(previous.token)>; rel=\"previous\"")
        }
        if end < items.count {
            links.append("<\(address)?limit=\(limit)&page_info=\(PageCursor(offset: end, filters: cursor.filters).token)>; rel=\"next\"")
        }
        var headers = Self.callLimit
        if !links.isEmpty { headers["Link"] = links.joined(separator: ", ") }
        return kit.json([key: items[start..<end].map { select($0, request) }], headers: headers)
    }

    /// Only the `fields=` asked for, when asked.
    private func select(_ object: [String: Any], _ request: FrontRequest) -> [String: Any] {
        guard let fields = request.query["fields"] else { return object }
        let wanted = Set(fields.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        return object.filter { wanted.contains($0.key) }
    }

    // MARK: The store → Shopify objects

    private func product(_ product: Product) -> [String: Any] {
        let productID = Self.numericID(product.id)
        // REST products have at most three options; one without options has "Title" / "Default Title".
        let names = Array(product.optionNames.prefix(3))
        var options: [[String: Any]] = []
        for (index, name) in names.enumerated() {
            let label = name.prefix(1).uppercased() + String(name.dropFirst())
            options.append(["product_id": productID, "name": label, "position": index + 1, "values": product.values(of: name)])
        }
        if options.isEmpty { options = [["product_id": productID, "name": "Title", "position": 1, "values": ["Default Title"]]] }
        let variants = product.variants.indices.map { index -> [String: Any] in
            let variant = product.variants[index]
            var object: [String: Any] = [
                "id": Self.numericID(variant.sku), "product_id": productID, "sku": variant.sku, "position": index + 1,
                "price": variant.price.decimalText, "compare_at_price": NSNull(),
                "title": names.isEmpty ? "Default Title" : names.compactMap { variant.options[$0] }.joined(separator: " / "),
                "inventory_item_id": Self.inventoryItemID(variant.sku), "inventory_management": "shopify", "inventory_policy": "deny",
                "taxable": true, "requires_shipping": true,
            ]
            for slot in 0..<3 {
                let value: String? = names.isEmpty ? (slot == 0 ? "Default Title" : nil) : slot < names.count ? variant.options[names[slot]] : nil
                object["option\(slot + 1)"] = Self.orNull(value)
            }
            return object
        }
        return [
            "id": productID, "title": product.name, "vendor": product.brand, "product_type": product.kind, "status": "active",
            "handle": product.id.lowercased(), "tags": "", "options": options, "variants": variants,
            "admin_graphql_api_id": "gid://shopify/Product/\(product.id)",
        ]
    }

    private func level(_ level: StockLevel) -> [String: Any] {
        var object: [String: Any] = [
            "inventory_item_id": Self.inventoryItemID(level.sku), "location_id": Self.numericID(level.locationID), "available": level.available,
        ]
        if let counted = level.countedAt { object["updated_at"] = FrontKit.date(counted) }
        return object
    }

    private func location(_ location: Location) -> [String: Any] {
        [
            "id": Self.numericID(location.id), "name": location.name, "address1": Self.orNull(location.address), "address2": NSNull(),
            "city": NSNull(), "province_code": NSNull(), "zip": NSNull(), "country_code": "US", "active": true, "legacy": false,
            "admin_graphql_api_id": "gid://shopify/Location/\(location.id)",
        ]
    }

    private func customer(_ customer: Customer) -> [String: Any] {
        let name = FrontKit.split(name: customer.name)
        return [
            "id": Self.numericID(customer.id), "first_name": Self.orNull(name.given), "last_name": Self.orNull(name.family),
            "email": Self.orNull(customer.email), "phone": Self.orNull(customer.phone), "state": "enabled", "tags": "",
            "currency": store.currency, "admin_graphql_api_id": "gid://shopify/Customer/\(customer.id)",
        ]
    }

    private func lineItem(_ order: Order, _ index: Int) -> [String: Any] {
        let line = order.lines[index]
        return [
            "id": Self.lineItemID(order.number, index), "variant_id": Self.numericID(line.sku),
            "product_id": line.productID.isEmpty ? NSNull() as Any : Self.numericID(line.productID), "sku": line.sku, "title": line.title,
            "name": line.title, "quantity": line.quantity, "price": line.unitPrice.decimalText, "taxable": true,
            "requires_shipping": order.fulfillment == .shipping, "product_exists": true,
        ]
    }

    /// Money (`financial_status`), goods (`fulfillment_status`, `fulfillments`), and the note attributes and
    /// tag for what Shopify has no field for.
    private func order(_ order: Order) async -> [String: Any] {
        let id = Self.orderID(order.number)
        let currency = order.subtotal.currency
        let payments = await store.payments(forOrder: order.number)
        let returns = await store.returns(forOrder: order.number)
        let buyer = await store.allCustomers().first { $0.id == order.customerID }
        let paid = !payments.isEmpty && payments.reduce(0, { $0 + $1.amount.minorUnits }) >= order.total.minorUnits
        let financial: String
        switch order.status {
        case .returned: financial = "refunded"
        case .cancelled: financial = "voided"
        case .pending: financial = paid ? "authorized" : "pending"
        case .shipped, .delivered: financial = returns.isEmpty ? "paid" : "partially_refunded"
        case .confirmed, .readyForPickup: financial = paid ? "paid" : "pending"
        }
        let fulfilled = [.shipped, .delivered, .returned].contains(order.status)

        var fulfillments: [[String: Any]] = []
        if fulfilled || order.shipment != nil {
            var fulfillment: [String: Any] = [
                "id": Self.derivedID(4, "fulfillment/\(order.number)"), "order_id": id, "status": "success", "service": "manual",
                "location_id": Self.numericID(order.sourceLocationID ?? order.locationID),
                "created_at": FrontKit.date(order.shipment?.shippedAt ?? order.deliveredAt ?? order.placedAt),
                "line_items": order.lines.indices.map { lineItem(order, $0) },
            ]
            if let shipment = order.shipment {
                fulfillment["tracking_company"] = Self.orNull(shipment.carrier)
                fulfillment["tracking_number"] = shipment.trackingNumber
                fulfillment["tracking_numbers"] = [shipment.trackingNumber]
                if let estimate = shipment.estimatedDelivery { fulfillment["estimated_delivery_at"] = FrontKit.date(estimate) }
            }
            if order.fulfillment == .shipping {
                switch order.status {
                case .delivered, .returned: fulfillment["shipment_status"] = "delivered"
                case .shipped: fulfillment["shipment_status"] = "in_transit"
                default: break
                }
            }
            fulfillments.append(fulfillment)
        }

        var notes: [[String: String]] = []
        if let source = order.sourceLocationID { notes.append(["name": Self.sourceLocationNote, "value": source]) }
        if let reference = order.reference { notes.append(["name": Self.referenceNote, "value": reference]) }
        if let ready = order.readyAt { notes.append(["name": Self.readyAtNote, "value": FrontKit.date(ready)]) }
        if order.status == .readyForPickup { notes.append(["name": Self.readyForPickupNote, "value": "true"]) }
        if let delivered = order.deliveredAt { notes.append(["name": Self.deliveredAtNote, "value": FrontKit.date(delivered)]) }
        var tags = ["voicepos"]
        if ![.pending, .cancelled].contains(order.status) { tags.append(Self.confirmedTag) }

        var shippingLines: [[String: Any]] = []
        if order.fulfillment == .shipping {
            shippingLines.append([
                "id": Self.derivedID(6, "shipping_line/\(order.number)"), "title": "Shipping", "code": "voicepos-shipping",
                "price": Money.zero(currency).decimalText, "source": "voicepos",
            ])
        }
        let placed = FrontKit.date(order.placedAt)
        var object: [String: Any] = [
            "id": id, "admin_graphql_api_id": "gid://shopify/Order/\(id)", "name": "#\(order.number)",
            "order_number": Self.numericID(order.number), "confirmed": true, "created_at": placed, "processed_at": placed,
            "currency": currency, "presentment_currency": currency, "taxes_included": false,
            "subtotal_price": order.subtotal.decimalText, "total_line_items_price": order.subtotal.decimalText,
            "total_tax": order.tax.decimalText, "total_price": order.total.decimalText, "total_discounts": "0.00",
            "financial_status": financial, "fulfillment_status": Self.orNull(fulfilled ? "fulfilled" : nil),
            "cancelled_at": Self.orNull(order.status == .cancelled ? FrontKit.date(store.clock.now) : nil),
            "cancel_reason": Self.orNull(order.status == .cancelled ? "customer" : nil),
            "location_id": Self.numericID(order.locationID),
            "customer": buyer.map(customer) ?? ["id": Self.numericID(order.customerID)],
            "email": Self.orNull(buyer?.email),
            "line_items": order.lines.indices.map { lineItem(order, $0) },
            "shipping_lines": shippingLines, "fulfillments": fulfillments,
            "refunds": returns.map { refundObject($0, of: order) },
            "note_attributes": notes, "tags": tags.joined(separator: ", "), "note": NSNull(),
        ]
        if order.status == .cancelled { object["closed_at"] = FrontKit.date(store.clock.now) }
        return object
    }

    /// A refund of returned lines: each line's `subtotal` and `total_tax` (the tax split so the lines add up to
    /// what the store refunds), no transactions, and the reason in `note`.
    private func refundObject(_ receipt: ReturnReceipt, of order: Order) -> [String: Any] {
        let currency = order.subtotal.currency
        let returned = receipt.request.lines
        var before = 0
        var lines: [[String: Any]] = []
        for (position, item) in returned.enumerated() {
            let upToHere = order.refund(for: Array(returned[...position])).minorUnits
            let index = order.lines.firstIndex { $0.sku == item.sku }
            let price = index.map { (order.lines[$0].unitPrice * item.quantity).minorUnits } ?? 0
            var line: [String: Any] = [
                "id": Self.derivedID(17, "refund_line/\(receipt.id)/\(position)"), "quantity": item.quantity, "restock_type": "return",
                "location_id": Self.numericID(order.sourceLocationID ?? order.locationID),
                "subtotal": Money(minorUnits: price, currency: currency).decimalText,
                "total_tax": Money(minorUnits: upToHere - before - price, currency: currency).decimalText,
            ]
            if let index {
                line["line_item_id"] = Self.lineItemID(order.number, index)
                line["line_item"] = lineItem(order, index)
            }
            before = upToHere
            lines.append(line)
        }
        let reason = receipt.request.reason
        let created = FrontKit.date(receipt.createdAt)
        return [
            "id": Self.numericID(receipt.id), "order_id": Self.orderID(order.number), "created_at": created, "processed_at": created,
            "note": reason, "restock": true,
            "refund_line_items": lines, "transactions": [Any](), "order_adjustments": [Any](),
        ]
    }

    // MARK: Errors

    private func failure(_ error: POSError) -> HTTPResponse {
        switch error {
        case .notFound:
            return kit.json(["errors": "Not Found"], status: 404, headers: Self.callLimit)
        case .outOfStock(let sku, let available):
            let message = "variant \(sku) is out of stock: only \(available) available"
            return kit.json(["errors": ["line_items": [message]]], status: 422, headers: Self.callLimit)
        case .paymentDeclined(let reason):
            let code =
                switch reason {
                case .insufficientFunds: "card_declined: insufficient_funds"
                case .expiredCard: "expired_card"
                case .incorrectSecurityCode: "incorrect_cvc"
                case .generic: "card_declined"
                }
            return kit.json(["errors": code], status: 402, headers: Self.callLimit)
        case .rateLimited(let seconds):
            var headers = ["X-Shopify-Shop-Api-Call-Limit": "40/40"]
            if let seconds { headers["Retry-After"] = String(seconds) }
            return kit.json(
                ["errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."], status: 429,
                headers: headers)
        case .unavailable:
            return kit.json(["errors": "Unavailable Shop"], status: 503)
        case .timeout:
            return kit.json(["errors": "Gateway Timeout"], status: 504)
        case .invalidRequest(let why):
            return kit.json(["errors": ["base": [why]]], status: 422, headers: Self.callLimit)
        }
    }
}
