import Connectors
import Foundation
import RetailModel
import StoreSimulator

/// The simulated store as Square's API: `/v2/...` paths, `Authorization: Bearer` with `Square-Version`,
/// `{"errors": [{category, code, detail}]}` with real status codes, integer money, decimal-string quantities,
/// item options as separate ITEM_OPTION objects, and order state × fulfillment state.
public struct SquareFront: PlatformFront {
    public let platform = Platform.square
    private let kit: FrontKit
    private let accessToken: String

    public init(store: StoreSimulator, accessToken: String) {
        kit = FrontKit(store: store)
        self.accessToken = accessToken
    }

    private var store: StoreSimulator { kit.store }

    public func respond(to request: FrontRequest) async -> HTTPResponse {
        await FrontKit.answering {
            guard request.headers["authorization"] == "Bearer \(accessToken)", request.headers["square-version"] != nil else {
                throw FrontFailure.unauthorized
            }
            return kit.json(try await route(request))
        } failure: {
            failure($0)
        } refusal: { refused in
            switch refused {
            case .unauthorized: kit.json(errors("AUTHENTICATION_ERROR", "UNAUTHORIZED", "This request could not be authorized."), status: 401)
            case .badRequest(let detail): kit.json(errors("INVALID_REQUEST_ERROR", "BAD_REQUEST", detail), status: 400)
            case .noRoute: kit.json(errors("INVALID_REQUEST_ERROR", "NOT_FOUND", "Resource not found."), status: 404)
            }
        }
    }

    private func route(_ request: FrontRequest) async throws -> Any {
        let body = try request.json()
        switch (request.method, request.path) {
        case ("GET", ["v2", "catalog", "list"]):
            let products = try await store.catalog()
            return ["objects": options(products) + products.map(item)]
        case ("POST", ["v2", "catalog", "search-catalog-items"]):
            let products = try await store.searchProducts(matching: body["text_filter"] as? String ?? "")
            return ["items": products.map(item), "matched_variation_ids": products.flatMap { $0.variants.map(\.sku) }]
        case ("POST", ["v2", "inventory", "counts", "batch-retrieve"]):
            let levels = try await store.stock(skus: body["catalog_object_ids"] as? [String] ?? [])
            let wanted = body["location_ids"] as? [String]
            return ["counts": levels.filter { wanted?.contains($0.locationID) ?? true }.map(count)]
        case ("GET", ["v2", "locations"]):
            return ["locations": try await store.locations().map(location)]
        case ("GET", ["v2", "cards"]):
            // The Cards API answers from the customer records: no store flow runs for it.
            let customer = await store.allCustomers().first { $0.id == request.query["customer_id"] }
            return ["cards": customer?.cardOnFile.map { [card(of: $0, customer: customer!.id)] } ?? []]
        case ("GET", let path) where path.starts(with: ["v2", "customers"]) && path.count == 3:
            return ["customer": try await customer(store.customer(id: path[2]))]
        case ("POST", ["v2", "customers", "search"]):
            let filter = (body["query"] as? [String: Any])?["filter"] as? [String: Any]
            let phone = (filter?["phone_number"] as? [String: Any])?["exact"] as? String ?? ""
            do {
                return ["customers": [try await customer(store.customer(phone: phone))]]
            } catch POSError.notFound {
                return [String: Any]()
            }
        case ("POST", ["v2", "orders"]):
            return ["order": try await order(store.createOrder(try orderRequest(body)))]
        case ("GET", let path) where path.starts(with: ["v2", "orders"]) && path.count == 3:
            return ["order": try await order(store.order(number: try Self.number(ofOrderID: path[2])))]
        case ("POST", ["v2", "orders", "batch-retrieve"]):
            var orders: [Any] = []
            for id in body["order_ids"] as? [String] ?? [] {
                let number = try Self.number(ofOrderID: id)
                _ = try await store.orderStatus(number: number)
                if let stored = await store.storedOrder(number: number) { orders.append(try await order(stored)) }
            }
            return ["orders": orders]
        case ("PUT", let path) where path.starts(with: ["v2", "orders"]) && path.count == 3:
            let update = body["order"] as? [String: Any] ?? [:]
            let fulfillment = (update["fulfillments"] as? [[String: Any]])?.first?["state"] as? String
            let number = try Self.number(ofOrderID: path[2])
            if update["state"] as? String == "CANCELED" || fulfillment == "CANCELED" {
                return ["order": try await order(store.cancelOrder(number: number))]
            }
            guard fulfillment == "RESERVED" else { throw FrontFailure.badRequest("only RESERVED and CANCELED updates are simulated") }
            return ["order": try await order(store.confirmOrder(number: number))]
        case ("POST", ["v2", "orders", "search"]):
            let filter = ((body["query"] as? [String: Any])?["filter"] as? [String: Any])?["customer_filter"] as? [String: Any]
            var orders: [Any] = []
            guard let customerID = (filter?["customer_ids"] as? [String])?.first else {
                // Every location's orders, newest first: what a connector scans to find a spoken number.
                for stored in await store.snapshot().orders.sorted(by: { $0.placedAt > $1.placedAt }) { orders.append(try await order(stored)) }
                return ["orders": orders]
            }
            for found in try await store.recentOrders(customerID: customerID, limit: body["limit"] as? Int ?? 10) {
                orders.append(try await order(found))
            }
            return ["orders": orders]
        case ("POST", ["v2", "payments"]):
            return ["payment": try await pay(body)]
        case ("POST", ["v2", "refunds"]):
            return ["refund": try await refund(body)]
        default:
            throw FrontFailure.noRoute
        }
    }

    // MARK: Requests → the store

    private func orderRequest(_ body: [String: Any]) throws -> OrderRequest {
        guard let order = body["order"] as? [String: Any], let locationID = order["location_id"] as? String,
            let customerID = order["customer_id"] as? String, let lines = order["line_items"] as? [[String: Any]]
        else { throw FrontFailure.badRequest("order.location_id, order.customer_id and order.line_items are required") }
        let items = try lines.map { line -> LineItem in
            guard let sku = line["catalog_object_id"] as? String, let quantity = (line["quantity"] as? String).flatMap(Int.init) else {
                throw FrontFailure.badRequest("each line item needs catalog_object_id and a whole quantity")
            }
            return LineItem(sku: sku, quantity: quantity)
        }
        let type = (order["fulfillments"] as? [[String: Any]])?.first?["type"] as? String
        let metadata = order["metadata"] as? [String: String]
        return OrderRequest(
            customerID: customerID, lines: items, fulfillment: type == "PICKUP" ? .pickup : .shipping, locationID: locationID,
            sourceLocationID: metadata?["voicepos_source_location"], reference: metadata?["voicepos_reference"])
    }

    private func pay(_ body: [String: Any]) async throws -> [String: Any] {
        guard let orderID = body["order_id"] as? String, let source = body["source_id"] as? String, let key = body["idempotency_key"] as? String,
            let money = body["amount_money"] as? [String: Any], let amount = money["amount"] as? Int, let currency = money["currency"] as? String
        else { throw FrontFailure.badRequest("source_id, idempotency_key, amount_money and order_id are required") }
        guard let card = await store.card(token: source) else { throw POSError.paymentDeclined(.generic) }
        let payment = try await store.takePayment(
            orderNumber: try Self.number(ofOrderID: orderID), card: card, amount: Money(minorUnits: amount, currency: currency), idempotencyKey: key)
        return self.payment(payment)
    }

    private func refund(_ body: [String: Any]) async throws -> [String: Any] {
        guard let paymentID = body["payment_id"] as? String, let requested = body["amount_money"] as? [String: Any],
            let amount = requested["amount"] as? Int, let currency = requested["currency"] as? String
        else { throw FrontFailure.badRequest("payment_id and amount_money are required") }
        let orders = await store.snapshot().orders
        var paid = orders.first { Self.pastPaymentID($0.number) == paymentID }
        for order in orders where await store.payments(forOrder: order.number).contains(where: { $0.id == paymentID }) { paid = order }
        guard let order = paid else { throw POSError.notFound("payment \(paymentID)") }
        guard let lines = FrontKit.lines(of: order, refunding: Money(minorUnits: amount, currency: currency)) else {
            throw FrontFailure.badRequest("the amount matches no returnable lines of order \(order.number)")
        }
        let receipt = try await store.createReturn(
            ReturnRequest(orderNumber: order.number, lines: lines, reason: body["reason"] as? String ?? "", refundMethod: .originalPayment))
        return [
            "id": receipt.id, "status": "PENDING", "payment_id": paymentID, "order_id": Self.orderID(order.number), "reason": receipt.request.reason,
            "amount_money": money(receipt.refundAmount), "created_at": FrontKit.date(receipt.createdAt),
        ]
    }

    // MARK: The store → Square objects

    private func money(_ money: Money) -> [String: Any] { ["amount": money.minorUnits, "currency": money.currency] }

    private func card(of card: CardToken, customer: String) -> [String: Any] {
        [
            "id": card.token, "card_brand": card.brand.uppercased().replacingOccurrences(of: " ", with: "_"), "last_4": card.last4,
            "customer_id": customer, "enabled": true,
        ]
    }

    /// Square's opaque order id for a store order number ("7829" → "CAISE37383239"), so a connector must map
    /// the number callers say to the id the API wants, as it must on a real account.
    static func orderID(_ number: String) -> String {
        "CAISE" + number.utf8.map { String(format: "%02X", $0) }.joined()
    }

    static func number(ofOrderID id: String) throws -> String {
        let hex = Array(id.dropFirst(5))
        guard id.hasPrefix("CAISE"), hex.count % 2 == 0 else { throw POSError.notFound("order \(id)") }
        let bytes = stride(from: 0, to: hex.count, by: 2).compactMap { UInt8(String(hex[$0..<$0 + 2]), radix: 16) }
        guard bytes.count == hex.count / 2, let number = String(bytes: bytes, encoding: .utf8) else { throw POSError.notFound("order \(id)") }
        return number
    }

    /// The payment id a past order (paid before the simulator's records) shows.
    private static func pastPaymentID(_ number: String) -> String { "PAST-\(number)" }

    private static func optionID(_ name: String) -> String { "OPTION-\(name)" }
    private static func valueID(_ name: String, _ value: String) -> String { "OPTION-\(name)-\(value)" }

    /// One ITEM_OPTION per option name in the catalog, with every value any item uses.
    private func options(_ products: [Product]) -> [[String: Any]] {
        var values: [String: [String]] = [:]
        var order: [String] = []
        for product in products {
            for name in product.optionNames {
                if values[name] == nil { order.append(name) }
                for value in product.values(of: name) where !(values[name] ?? []).contains(value) { values[name, default: []].append(value) }
            }
        }
        return order.map { name in
            [
                "type": "ITEM_OPTION", "id": Self.optionID(name),
                "item_option_data": [
                    "name": name,
                    "values": (values[name] ?? []).map { value in
                        [
                            "type": "ITEM_OPTION_VAL", "id": Self.valueID(name, value),
                            "item_option_value_data": ["item_option_id": Self.optionID(name), "name": value],
                        ]
                    },
                ],
            ]
        }
    }

    private func item(_ product: Product) -> [String: Any] {
        [
            "type": "ITEM", "id": product.id, "is_deleted": false, "present_at_all_locations": true,
            "custom_attribute_values": ["BRAND": ["name": "Brand", "type": "STRING", "string_value": product.brand]],
            "item_data": [
                "name": product.name, "product_type": "REGULAR",
                "item_options": product.optionNames.map { ["item_option_id": Self.optionID($0)] },
                "variations": product.variants.map { variant in
                    [
                        "type": "ITEM_VARIATION", "id": variant.sku, "is_deleted": false,
                        "item_variation_data": [
                            "item_id": product.id, "sku": variant.sku, "pricing_type": "FIXED_PRICING", "track_inventory": true,
                            "name": product.optionNames.compactMap { variant.options[$0] }.joined(separator: ", "),
                            "price_money": money(variant.price),
                            "item_option_values": product.optionNames.compactMap { name in
                                variant.options[name].map { ["item_option_id": Self.optionID(name), "item_option_value_id": Self.valueID(name, $0)] }
                            },
                        ] as [String: Any],
                    ] as [String: Any]
                },
            ] as [String: Any],
        ]
    }

    private func count(_ level: StockLevel) -> [String: Any] {
        [
            "catalog_object_id": level.sku, "catalog_object_type": "ITEM_VARIATION", "state": "IN_STOCK", "location_id": level.locationID,
            "quantity": String(level.available), "calculated_at": FrontKit.date(level.countedAt ?? store.clock.now),
        ]
    }

    private func location(_ location: Location) -> [String: Any] {
        ["id": location.id, "name": location.name, "status": "ACTIVE", "address": ["address_line_1": location.address], "type": "PHYSICAL"]
    }

    private func customer(_ customer: Customer) -> [String: Any] {
        let name = FrontKit.split(name: customer.name)
        return [
            "id": customer.id, "given_name": name.given, "family_name": name.family, "phone_number": customer.phone, "email_address": customer.email,
        ]
    }

    private func order(_ order: Order) async throws -> [String: Any] {
        let payments = await store.payments(forOrder: order.number)
        let pickup = order.fulfillment == .pickup
        let (state, progress): (String, String) =
            switch order.status {
            case .pending: ("OPEN", "PROPOSED")
            case .confirmed: ("OPEN", "RESERVED")
            case .readyForPickup: ("OPEN", "PREPARED")
            case .shipped: ("OPEN", "COMPLETED")
            case .delivered, .returned: ("COMPLETED", "COMPLETED")
            case .cancelled: ("CANCELED", "CANCELED")
            }
        var fulfillment: [String: Any] = ["uid": "F\(order.number)", "type": pickup ? "PICKUP" : "SHIPMENT", "state": progress]
        if pickup {
            var details: [String: Any] = ["recipient": ["customer_id": order.customerID]]
            if let ready = order.readyAt { details["pickup_at"] = FrontKit.date(ready) }
            fulfillment["pickup_details"] = details
        } else {
            var details: [String: Any] = ["recipient": ["customer_id": order.customerID]]
            if let shipment = order.shipment {
                details["carrier"] = shipment.carrier
                details["tracking_number"] = shipment.trackingNumber
                if let shipped = shipment.shippedAt { details["shipped_at"] = FrontKit.date(shipped) }
            }
            fulfillment["shipment_details"] = details
        }
        var metadata: [String: String] = [:]
        if let source = order.sourceLocationID { metadata["voicepos_source_location"] = source }
        if let reference = order.reference { metadata["voicepos_reference"] = reference }
        if let delivered = order.deliveredAt { metadata["voicepos_delivered_at"] = FrontKit.date(delivered) }
        if let estimate = order.shipment?.estimatedDelivery { metadata["voicepos_estimated_delivery"] = FrontKit.date(estimate) }
        var object: [String: Any] = [
            "id": Self.orderID(order.number), "reference_id": order.number, "location_id": order.locationID, "customer_id": order.customerID,
            "state": state, "version": 1, "created_at": FrontKit.date(order.placedAt),
            "line_items": order.lines.enumerated().map { index, line in
                [
                    "uid": "L\(index + 1)", "catalog_object_id": line.sku, "name": line.title, "quantity": String(line.quantity),
                    "base_price_money": money(line.unitPrice), "total_money": money(line.total),
                ] as [String: Any]
            },
            "fulfillments": [fulfillment], "total_money": money(order.total), "total_tax_money": money(order.tax),
        ]
        if !metadata.isEmpty { object["metadata"] = metadata }
        if !payments.isEmpty {
            object["tenders"] = payments.map {
                ["id": "T\($0.id)", "type": "CARD", "payment_id": $0.id, "amount_money": money($0.amount)] as [String: Any]
            }
        } else if ![.pending, .cancelled, .confirmed].contains(order.status) {
            // A fixture's past order was paid before the simulator's records begin: Square would show its tender.
            object["tenders"] = [
                ["id": "T\(order.number)", "type": "CARD", "payment_id": Self.pastPaymentID(order.number), "amount_money": money(order.total)]
                    as [String: Any]
            ]
        }
        if order.status == .returned {
            let returned = await store.returns(forOrder: order.number).flatMap(\.request.lines)
            object["returns"] = [
                [
                    "source_order_id": order.number,
                    "return_line_items": returned.map { ["catalog_object_id": $0.sku, "quantity": String($0.quantity)] },
                ]
            ]
        }
        return object
    }

    private func payment(_ payment: Payment) -> [String: Any] {
        [
            "id": payment.id, "status": "COMPLETED", "source_type": "CARD", "order_id": Self.orderID(payment.orderNumber),
            "amount_money": money(payment.amount),
            "total_money": money(payment.amount), "created_at": FrontKit.date(payment.capturedAt),
            "card_details": [
                "status": "CAPTURED",
                "card": ["card_brand": payment.cardBrand.uppercased().replacingOccurrences(of: " ", with: "_"), "last_4": payment.cardLast4],
                "card_payment_timeline": ["captured_at": FrontKit.date(payment.capturedAt)],
            ] as [String: Any],
        ]
    }

    // MARK: Errors

    private func errors(_ category: String, _ code: String, _ detail: String) -> [String: Any] {
        ["errors": [["category": category, "code": code, "detail": detail]]]
    }

    private func failure(_ error: POSError) -> HTTPResponse {
        switch error {
        case .notFound(let what): return kit.json(errors("INVALID_REQUEST_ERROR", "NOT_FOUND", "Could not find \(what)."), status: 404)
        case .outOfStock(let sku, let available):
            return kit.json(errors("INVALID_REQUEST_ERROR", "INSUFFICIENT_INVENTORY", "Only \(available) of \(sku) are in stock"), status: 400)
        case .paymentDeclined(let reason):
            let code =
                switch reason {
                case .insufficientFunds: "INSUFFICIENT_FUNDS"
                case .expiredCard: "CARD_EXPIRED"
                case .incorrectSecurityCode: "CVV_FAILURE"
                case .generic: "GENERIC_DECLINE"
                }
            return kit.json(errors("PAYMENT_METHOD_ERROR", code, "Authorization error: '\(code)'"), status: 402)
        case .rateLimited:
            return kit.json(errors("RATE_LIMIT_ERROR", "RATE_LIMITED", "Rate limited."), status: 429, headers: FrontKit.retryHeaders(error))
        case .unavailable: return kit.json(errors("API_ERROR", "SERVICE_UNAVAILABLE", "Service unavailable."), status: 503)
        case .timeout: return kit.json(errors("API_ERROR", "GATEWAY_TIMEOUT", "Gateway timeout."), status: 504)
        case .invalidRequest(let why): return kit.json(errors("INVALID_REQUEST_ERROR", "BAD_REQUEST", why), status: 400)
        }
    }
}
