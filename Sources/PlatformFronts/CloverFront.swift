import Connectors
import Foundation
import RetailModel
import StoreSimulator

/// The simulated store as Clover: Platform REST v3 (`/v3/merchants/{mId}/…`) and the Ecommerce API (`/v1/…`) on
/// one loopback host, `Authorization: Bearer` on both, integer cents, epoch-millisecond times, v3 lists as
/// `{"elements": […]}` paged by `limit`/`offset`, and errors as `{"message", "error": {type, code, decline_code,
/// param, message}}` with real status codes (Retry-After on 429).
///
/// Every location is a merchant (merchant id = location id) and every merchant serves the same catalog: item id =
/// SKU (also the item's `sku` code), item group id = product id, one attribute per option name, in the product's
/// order, with one option per value. Orders carry VoicePOS's own data in `note` (`voicepos.KEY=VALUE` lines:
/// status, fulfillment, pickup-ready time, transfer source, carrier, tracking and dates), Pickup or Shipping as
/// their order type, and a `deletedTimestamp` once cancelled.
///
/// Faults: the requests one connector call makes of every merchant (or page) in turn — the catalog, stock,
/// locations, a customer's orders, a search — share one simulator answer, so a fault fires once per connector
/// call; an order asked of a merchant that does not hold it is a 404 read without a flow (`storedOrder`).
public struct CloverFront: PlatformFront {
    public let platform = Platform.clover
    private let kit: FrontKit
    private let accessToken: String
    private let rounds = Rounds()

    public init(store: StoreSimulator, accessToken: String) {
        kit = FrontKit(store: store)
        self.accessToken = accessToken
    }

    private var store: StoreSimulator { kit.store }

    public func respond(to request: FrontRequest) async -> HTTPResponse {
        await FrontKit.answering {
            guard request.headers["authorization"] == "Bearer \(accessToken)" else { throw FrontFailure.unauthorized }
            return kit.json(try await route(request))
        } failure: {
            failure($0)
        } refusal: { refused in
            switch refused {
            case .unauthorized:
                kit.json(Self.errorBody(401, type: "authentication_error", code: "unauthorized", message: "Unauthorized"), status: 401)
            case .badRequest(let detail): kit.json(Self.errorBody(400, type: "invalid_request_error", message: detail), status: 400)
            case .noRoute: kit.json(["message": "404 Not Found"], status: 404)
            }
        }
    }

    private func route(_ request: FrontRequest) async throws -> Any {
        let body = try request.json()
        let path = request.path
        if path.count >= 3, path[0] == "v3", path[1] == "merchants" {
            return try await merchantRoute(request, merchant: path[2], rest: Array(path.dropFirst(3)), body: body)
        }
        if request.method == "POST", path.count == 4, path[0] == "v1", path[1] == "orders" {
            switch path[3] {
            case "pay": return try await pay(orderNumber: path[2], body: body, idempotencyKey: request.headers["idempotency-key"])
            case "returns": return try await returnItems(orderNumber: path[2], body: body)
            default: break
            }
        }
        throw FrontFailure.noRoute
    }

    /// `/v3/merchants/{mId}/…`: one merchant (store) of the chain.
    private func merchantRoute(_ request: FrontRequest, merchant: String, rest: [String], body: [String: Any]) async throws -> Any {
        let page = Page(request.query)
        let filter = request.query["filter"]
        let resource = rest.count == 2 && ["customers", "orders"].contains(rest[0]) ? "\(rest[0])/{id}" : rest.joined(separator: "/")
        let id = rest.count == 2 ? rest[1] : ""
        let turn = "\(merchant)@\(page.offset)"
        let expand = Set((request.query["expand"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        switch (request.method, resource) {
        case ("GET", ""):
            let locations = try await rounds.answer("locations", request: turn) { try await store.locations() }
            guard let location = locations.first(where: { $0.id == merchant }) else { throw POSError.notFound("merchant \(merchant)") }
            return merchantJSON(location)
        case ("GET", "attributes"):
            let attributes: [[String: Any]] = try await catalog("attributes@\(turn)").flatMap(attributesJSON)
            return page.list(attributes)
        case ("GET", "items"):
            if let text = Self.nameLike(filter) {
                let found = try await rounds.answer("search \(text)", request: turn) { try await store.searchProducts(matching: text) }
                let items: [[String: Any]] = found.flatMap { itemsJSON($0, expand: expand) }
                return page.list(items)
            }
            let items: [[String: Any]] = try await catalog("items@\(turn)").flatMap { itemsJSON($0, expand: expand) }
            return page.list(items)
        case ("GET", "item_stocks"):
            let skus = await store.snapshot().stock.keys.sorted()
            let levels = try await rounds.answer("stock", request: turn) { try await store.stock(skus: skus) }
            return page.list(levels.filter { $0.locationID == merchant }.map(itemStockJSON))
        case ("GET", "order_types"):
            return page.list(Self.orderTypes)
        case ("GET", "customers"):
            guard let phone = Self.value(of: "phoneNumber", in: filter) else { throw FrontFailure.badRequest("filter=phoneNumber=… is required") }
            do {
                return page.list([customerJSON(try await store.customer(phone: phone))])
            } catch POSError.notFound {
                return page.list([])
            }
        case ("GET", "customers/{id}"):
            return customerJSON(try await store.customer(id: id))
        case ("POST", "atomic_order/orders"):
            return await orderJSON(try await store.createOrder(try orderRequest(body, merchant: merchant)))
        case ("GET", "orders"):
            guard let customerID = Self.value(of: "customer.id", in: filter) else {
                throw FrontFailure.badRequest("filter=customer.id=… is required")
            }
            let found = try await rounds.answer("orders \(customerID)", request: turn) {
                try await store.recentOrders(customerID: customerID, limit: Int.max)
            }
            var list: [Any] = []
            for placed in found where placed.locationID == merchant { list.append(await orderJSON(placed)) }
            return page.list(list)
        case ("GET", "orders/{id}"):
            try await requireHere(id, merchant)
            if expand.contains("lineItems") { return await orderJSON(try await store.order(number: id)) }
            // Without line items it is a status check.
            _ = try await store.orderStatus(number: id)
            guard let stored = await store.storedOrder(number: id) else { throw POSError.notFound("order \(id)") }
            return await orderJSON(stored, withLines: false)
        case ("POST", "orders/{id}"):
            try await requireHere(id, merchant)
            switch Self.noteValue("status", in: body["note"] as? String ?? "").flatMap(OrderStatus.init(rawValue:)) {
            case .confirmed?: return await orderJSON(try await store.confirmOrder(number: id))
            case .cancelled?: return await orderJSON(try await store.cancelOrder(number: id))
            default: throw FrontFailure.badRequest("only a note saying voicepos.status=confirmed or cancelled is simulated")
            }
        case ("DELETE", "orders/{id}"):
            try await requireHere(id, merchant)
            return await orderJSON(try await store.cancelOrder(number: id))
        default:
            throw FrontFailure.noRoute
        }
    }

    /// The catalog, read once for the several requests (attributes, each merchant's items, pages) of one sync.
    private func catalog(_ request: String) async throws -> [Product] {
        try await rounds.answer("catalog", request: request) { try await store.catalog() }
    }

    /// A Clover order id belongs to one merchant: asked of another, the order is not found (read without a flow).
    private func requireHere(_ number: String, _ merchant: String) async throws {
        if let stored = await store.storedOrder(number: number), stored.locationID != merchant { throw POSError.notFound("order \(number)") }
    }

    // MARK: Requests → the store

    private func orderRequest(_ body: [String: Any], merchant: String) throws -> OrderRequest {
        guard let cart = body["orderCart"] as? [String: Any], let lines = cart["lineItems"] as? [[String: Any]],
            let customerID = (cart["customers"] as? [[String: Any]])?.first?["id"] as? String
        else { throw FrontFailure.badRequest("orderCart.lineItems and orderCart.customers are required") }
        let items = try lines.map { line -> LineItem in
            guard let sku = (line["item"] as? [String: Any])?["id"] as? String else { throw FrontFailure.badRequest("each line item needs item.id") }
            return LineItem(sku: sku, quantity: (line["unitQty"] as? Int ?? 1000) / 1000)
        }
        let note = cart["note"] as? String ?? ""
        let type = (cart["orderType"] as? [String: Any])?["id"] as? String
        let fulfillment =
            type.flatMap(Self.fulfillmentOfType) ?? Self.noteValue("fulfillment", in: note).flatMap(Fulfillment.init(rawValue:)) ?? .pickup
        return OrderRequest(
            customerID: customerID, lines: items, fulfillment: fulfillment, locationID: merchant,
            sourceLocationID: Self.noteValue("source_location", in: note), reference: Self.noteValue("reference", in: note))
    }

    /// `POST /v1/orders/{id}/pay`: the order, paid, naming its charge.
    private func pay(orderNumber: String, body: [String: Any], idempotencyKey: String?) async throws -> [String: Any] {
        guard let source = body["source"] as? String, let amount = body["amount"] as? Int else {
            throw FrontFailure.badRequest("source and amount are required")
        }
        guard let key = idempotencyKey, !key.isEmpty else { throw FrontFailure.badRequest("the idempotency-key header is required") }
        let currency = (body["currency"] as? String ?? store.currency).uppercased()
        guard let card = await store.card(token: source) else { throw POSError.paymentDeclined(.generic) }
        let payment = try await store.takePayment(
            orderNumber: orderNumber, card: card, amount: Money(minorUnits: amount, currency: currency), idempotencyKey: key)
        return [
            "id": orderNumber, "object": "order", "amount": payment.amount.minorUnits, "currency": payment.amount.currency.lowercased(),
            "charge": payment.id, "status": "paid", "status_transitions": ["paid": Self.millis(payment.capturedAt)],
        ]
    }

    /// `POST /v1/orders/{id}/returns`: each item's `parent` is the item (or the order's line item) returned; the
    /// caller's reason is the items' `description`. No items: the whole order.
    private func returnItems(orderNumber: String, body: [String: Any]) async throws -> [String: Any] {
        let items = body["items"] as? [[String: Any]] ?? []
        let stored = await store.storedOrder(number: orderNumber)
        var lines: [LineItem] = []
        for item in items where item["type"] as? String ?? "sku" == "sku" {
            guard let parent = item["parent"] as? String else { throw FrontFailure.badRequest("each returned item needs its parent") }
            lines.append(LineItem(sku: Self.sku(ofParent: parent, in: stored), quantity: item["quantity"] as? Int ?? 1))
        }
        if items.isEmpty, let stored { lines = stored.lines.map { LineItem(sku: $0.sku, quantity: $0.quantity) } }
        let reason = items.compactMap { $0["description"] as? String }.first ?? ""
        let receipt = try await store.createReturn(
            ReturnRequest(orderNumber: orderNumber, lines: lines, reason: reason, refundMethod: .originalPayment))
        let after = await store.storedOrder(number: orderNumber)
        return [
            "id": receipt.id, "object": "order_return", "order": orderNumber, "amount": (after?.total ?? receipt.refundAmount).minorUnits,
            "amount_returned": receipt.refundAmount.minorUnits, "currency": receipt.refundAmount.currency.lowercased(),
            "items": lines.map { ["type": "sku", "parent": $0.sku, "quantity": $0.quantity] as [String: Any] },
            "status": after?.status == .returned ? "returned" : "fulfilled", "created": Self.millis(receipt.createdAt),
            "status_transitions": ["returned": Self.millis(receipt.createdAt)],
        ]
    }

    /// A return's `parent`: a SKU of the order, or one of its line item ids (`{order}-{n}`).
    private static func sku(ofParent parent: String, in order: Order?) -> SKU {
        guard let order, !order.lines.contains(where: { $0.sku == parent }), parent.hasPrefix(order.number + "-"),
            let index = Int(parent.dropFirst(order.number.count + 1)), order.lines.indices.contains(index - 1)
        else { return parent }
        return order.lines[index - 1].sku
    }

    // MARK: The store → Clover objects

    private func merchantJSON(_ location: Location) -> [String: Any] {
        ["id": location.id, "name": location.name, "address": ["address1": location.address]]
    }

    private static func attributeID(_ product: Product, _ name: String) -> String { "\(product.id)~\(name)" }
    private static func optionID(_ product: Product, _ name: String, _ value: String) -> String { "\(product.id)~\(name)~\(value)" }

    /// One attribute per option name, in the product's order, each with an option per value.
    private func attributesJSON(_ product: Product) -> [[String: Any]] {
        product.optionNames.map { name in
            [
                "id": Self.attributeID(product, name), "name": name, "itemGroup": ["id": product.id, "name": product.name],
                "options": ["elements": product.values(of: name).map { value in ["id": Self.optionID(product, name, value), "name": value] }],
            ] as [String: Any]
        }
    }

    /// One item per variant: id and merchant SKU code = our SKU, in the product's item group (a reference, whole
    /// when expanded); its options and categories when expanded.
    private func itemsJSON(_ product: Product, expand: Set<String>) -> [[String: Any]] {
        product.variants.map { variant in
            let values = product.optionNames.compactMap { variant.options[$0] }
            var item: [String: Any] = [
                "id": variant.sku, "sku": variant.sku, "name": ([product.name] + values).joined(separator: " / "),
                "price": variant.price.minorUnits, "priceType": "FIXED", "hidden": false, "available": true,
                "itemGroup": expand.contains("itemGroup") ? ["id": product.id, "name": product.name] : ["id": product.id],
            ]
            if expand.contains("options") {
                let options: [[String: Any]] = product.optionNames.compactMap { name in
                    guard let value = variant.options[name] else { return nil }
                    return ["id": Self.optionID(product, name, value), "name": value, "attribute": ["id": Self.attributeID(product, name)]]
                        as [String: Any]
                }
                item["options"] = ["elements": options]
            }
            if expand.contains("categories") { item["categories"] = ["elements": [["id": product.kind, "name": product.kind]]] }
            return item
        }
    }

    private func itemStockJSON(_ level: StockLevel) -> [String: Any] {
        var stock: [String: Any] = ["item": ["id": level.sku], "quantity": level.available, "stockCount": level.available]
        // A live count has no age to tell; a synced one says when it was last set.
        if let counted = level.countedAt { stock["modifiedTime"] = Self.millis(counted) }
        return stock
    }

    private func customerJSON(_ customer: Customer) -> [String: Any] {
        let name = FrontKit.split(name: customer.name)
        let phones: [[String: Any]] = customer.phone.isEmpty ? [] : [["id": "\(customer.id)-phone", "phoneNumber": customer.phone]]
        let emails: [[String: Any]] = customer.email.isEmpty ? [] : [["id": "\(customer.id)-email", "emailAddress": customer.email]]
        var cards: [[String: Any]] = []
        if let card = customer.cardOnFile {
            cards.append(["id": "\(customer.id)-card", "token": card.token, "cardType": Self.cardType(card.brand), "last4": card.last4])
        }
        return [
            "id": customer.id, "firstName": name.given, "lastName": name.family, "phoneNumbers": ["elements": phones],
            "emailAddresses": ["elements": emails], "cards": ["elements": cards],
        ]
    }

    /// A v3 order: total with tax, line items (`unitQty` in thousandths), the customer, Pickup or Shipping, payment
    /// state, and VoicePOS's note.
    private func orderJSON(_ order: Order, withLines: Bool = true) async -> [String: Any] {
        let payments = await store.payments(forOrder: order.number)
        let refunded = await store.returns(forOrder: order.number).reduce(0) { $0 + $1.refundAmount.minorUnits }
        let unpaid = payments.isEmpty && (order.status == .pending || order.status == .cancelled)
        let paymentState = refunded > 0 ? (refunded >= order.total.minorUnits ? "REFUNDED" : "PARTIALLY_REFUNDED") : unpaid ? "OPEN" : "PAID"
        let pickup = order.fulfillment == .pickup
        var object: [String: Any] = [
            "id": order.number, "currency": order.total.currency, "total": order.total.minorUnits,
            "state": order.status == .pending ? "open" : "locked", "paymentState": paymentState,
            "createdTime": Self.millis(order.placedAt), "clientCreatedTime": Self.millis(order.placedAt),
            "merchant": ["id": order.locationID], "customers": ["elements": [["id": order.customerID]]],
            "orderType": ["id": pickup ? "PICKUP" : "SHIPPING", "label": pickup ? "Pickup" : "Shipping"], "note": Self.note(order),
        ]
        if withLines {
            let lines: [[String: Any]] = order.lines.enumerated().map { index, line in
                [
                    "id": "\(order.number)-\(index + 1)", "item": ["id": line.sku], "name": line.title, "price": line.unitPrice.minorUnits,
                    "unitQty": line.quantity * 1000, "printed": false,
                ]
            }
            object["lineItems"] = ["elements": lines]
        }
        if !payments.isEmpty {
            let list: [[String: Any]] = payments.map {
                ["id": $0.id, "amount": $0.amount.minorUnits, "createdTime": Self.millis($0.capturedAt), "result": "SUCCESS"]
            }
            object["payments"] = ["elements": list]
        }
        if order.status == .cancelled { object["deletedTimestamp"] = Self.millis(store.clock.now) }
        return object
    }

    /// What VoicePOS keeps in the order `note` (the connector's `CloverNote`), one `voicepos.KEY=VALUE` line each.
    private static func note(_ order: Order) -> String {
        var lines = [("status", order.status.rawValue), ("fulfillment", order.fulfillment.rawValue)]
        if let ready = order.readyAt { lines.append(("ready_at", FrontKit.date(ready))) }
        if let source = order.sourceLocationID { lines.append(("source_location", source)) }
        if let reference = order.reference { lines.append(("reference", reference)) }
        if let shipment = order.shipment {
            lines += [("carrier", shipment.carrier), ("tracking", shipment.trackingNumber)]
            if let shipped = shipment.shippedAt { lines.append(("shipped_at", FrontKit.date(shipped))) }
            if let eta = shipment.estimatedDelivery { lines.append(("estimated_delivery", FrontKit.date(eta))) }
        }
        if let delivered = order.deliveredAt { lines.append(("delivered_at", FrontKit.date(delivered))) }
        return lines.map { "voicepos.\($0.0)=\($0.1)" }.joined(separator: "\n")
    }

    private static func noteValue(_ key: String, in note: String) -> String? {
        let prefix = "voicepos.\(key)="
        for line in note.split(whereSeparator: \.isNewline) where line.hasPrefix(prefix) {
            let value = String(line.dropFirst(prefix.count))
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The merchant's order types (computed: a static of `[String: Any]` would not be concurrency-safe).
    private static var orderTypes: [[String: Any]] {
        [["id": "PICKUP", "label": "Pickup", "taxable": true], ["id": "SHIPPING", "label": "Shipping", "taxable": true]]
    }

    private static func fulfillmentOfType(_ type: String) -> Fulfillment? {
        switch type {
        case "PICKUP": .pickup
        case "SHIPPING": .shipping
        default: nil
        }
    }

    /// A brand as Clover's `cardType` writes it.
    private static func cardType(_ brand: String) -> String {
        switch brand.lowercased() {
        case "visa": "VISA"
        case "mastercard", "master card", "mc": "MC"
        case "amex", "american express": "AMEX"
        case "discover": "DISCOVER"
        case "diners club", "diners": "DINERS_CLUB"
        case "jcb": "JCB"
        default: brand.uppercased()
        }
    }

    private static func millis(_ date: Date) -> Int { Int((date.timeIntervalSince1970 * 1000).rounded()) }

    /// `name LIKE %text%` → text.
    private static func nameLike(_ filter: String?) -> String? {
        guard let filter, let like = filter.range(of: " LIKE ", options: .caseInsensitive) else { return nil }
        var text = filter[like.upperBound...].trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("%") { text.removeFirst() }
        if text.hasSuffix("%") { text.removeLast() }
        return text
    }

    /// `field=value` → value.
    private static func value(of field: String, in filter: String?) -> String? {
        guard let filter, filter.hasPrefix(field + "=") else { return nil }
        return String(filter.dropFirst(field.count + 1))
    }

    // MARK: Errors

    private static let reasons = [
        400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 404: "Not Found", 429: "Too Many Requests", 503: "Service Unavailable",
        504: "Gateway Timeout",
    ]

    private static func errorBody(
        _ status: Int, type: String, code: String? = nil, declineCode: String? = nil, param: String? = nil, message: String
    ) -> [String: Any] {
        var error: [String: Any] = ["type": type, "message": message]
        if let code { error["code"] = code }
        if let declineCode { error["decline_code"] = declineCode }
        if let param { error["param"] = param }
        return ["message": "\(status) \(reasons[status] ?? "Error")", "error": error]
    }

    private func failure(_ error: POSError) -> HTTPResponse {
        switch error {
        case .notFound(let what):
            return kit.json(Self.errorBody(404, type: "invalid_request_error", code: "resource_missing", message: what), status: 404)
        case .outOfStock(let sku, let available):
            return kit.json(
                Self.errorBody(
                    400, type: "invalid_request_error", code: "out_of_stock", param: sku, message: "Only \(available) of \(sku) are in stock"),
                status: 400)
        case .paymentDeclined(let reason):
            let (code, decline): (String, String) =
                switch reason {
                case .insufficientFunds: ("card_declined", "insufficient_funds")
                case .expiredCard: ("expired_card", "expired_card")
                case .incorrectSecurityCode: ("incorrect_cvc", "incorrect_cvc")
                case .generic: ("card_declined", "generic_decline")
                }
            return kit.json(
                Self.errorBody(402, type: "card_error", code: code, declineCode: decline, message: "Your card was declined."), status: 402)
        case .rateLimited:
            return kit.json(
                Self.errorBody(429, type: "rate_limit_error", code: "rate_limit", message: "Too many requests"), status: 429,
                headers: FrontKit.retryHeaders(error))
        case .unavailable: return kit.json(Self.errorBody(503, type: "api_error", message: "Service unavailable"), status: 503)
        case .timeout: return kit.json(Self.errorBody(504, type: "api_connection_error", message: "Gateway timeout"), status: 504)
        case .invalidRequest(let why): return kit.json(Self.errorBody(400, type: "invalid_request_error", message: why), status: 400)
        }
    }
}

/// `limit`/`offset` paging of a v3 list (100 a page unless asked, at most 1000).
private struct Page {
    let limit: Int
    let offset: Int

    init(_ query: [String: String]) {
        limit = min(1000, max(1, Int(query["limit"] ?? "") ?? 100))
        offset = max(0, Int(query["offset"] ?? "") ?? 0)
    }

    func list(_ all: [Any]) -> [String: Any] { ["elements": Array(all.dropFirst(offset).prefix(limit))] }
}

/// One simulator answer shared by the requests one connector call makes in turn (one per merchant, per page):
/// the first request of a round reads the store, the others are served from that reading, and a request already
/// served starts the next round.
private actor Rounds {
    private var answers: [String: (value: any Sendable, served: Set<String>)] = [:]

    func answer<T: Sendable>(_ key: String, request: String, read: @Sendable () async throws -> T) async throws -> T {
        if let earlier = answers[key], !earlier.served.contains(request), let value = earlier.value as? T {
            answers[key]?.served.insert(request)
            return value
        }
        let value = try await read()
        answers[key] = (value, [request])
        return value
    }
}
