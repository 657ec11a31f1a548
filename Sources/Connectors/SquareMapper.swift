import Foundation
import RetailModel

/// Square API payloads (responses, the create requests we send, webhook events) → the unified schema.
///
/// Traps handled: the SKU is the item *variation* id (stock and order lines name variations, not items);
/// money is integer minor units with a currency (`{"amount": 1000, "currency": "USD"}`); inventory
/// quantities are decimal strings and only the `IN_STOCK` state is sellable; several errors may arrive
/// together and the most specific decline reason wins; deleted or archived items and variations without a
/// fixed price are left out (they cannot be sold by voice).
struct SquareMapper: PayloadMapper {
    let platform = Platform.square

    func detectKind(_ payload: JSONPayload) -> ObjectKind? {
        guard let object = payload.objectValue else { return nil }
        if object["event_id"] != nil, object["type"] != nil { return .webhook }
        if object["code"] != nil, object["category"] != nil { return .error }
        if case .array(let errors)? = object["errors"], !errors.isEmpty { return .error }
        let keys: [(String, ObjectKind)] = [
            ("items", .product), ("objects", .product), ("object", .product), ("counts", .inventory), ("locations", .location),
            ("location", .location), ("order", .order), ("orders", .order), ("payment", .payment), ("payments", .payment),
            ("refund", .refund), ("refunds", .refund), ("customer", .customer), ("customers", .customer),
        ]
        if let kind = keys.first(where: { object[$0.0] != nil })?.1 { return kind }
        // The create requests VoicePOS sends.
        if object["source_id"] != nil, object["amount_money"] != nil { return .payment }
        if object["payment_id"] != nil, object["amount_money"] != nil { return .refund }
        return nil
    }

    func decode(_ payload: JSONPayload, as kind: ObjectKind) throws -> DecodedPayload {
        let root = root(payload, kind.rawValue)
        switch kind {
        case .product:
            let objects =
                root.has("items")
                ? try root["items"].array()
                : root.has("objects") ? try root["objects"].array() : [root["object"]]
            // Option names and values live in separate ITEM_OPTION objects, listed alongside or as related objects.
            var options = SquareOptions()
            for option in try objects + root["related_objects"].array() where option["type"].optionalString() == "ITEM_OPTION" {
                try options.add(option)
            }
            return .products(try objects.filter { $0["type"].optionalString() ?? "ITEM" == "ITEM" }.compactMap { try product($0, options: options) })
        case .inventory:
            return .inventory(try root["counts"].array().compactMap(stockLevel))
        case .location:
            return .locations(try root.oneOrMany("location", "locations").compactMap(location))
        case .order:
            return .orders(try root.oneOrMany("order", "orders").map(order))
        case .payment:
            if root.has("source_id") { return .payments([try payment(root, requested: true)]) }
            return .payments(try root.oneOrMany("payment", "payments").map { try payment($0, requested: false) })
        case .refund:
            if root.has("payment_id") && !root.has("refund") { return .refunds([try refund(root)]) }
            return .refunds(try root.oneOrMany("refund", "refunds").map(refund))
        case .customer:
            return .customers(try root.oneOrMany("customer", "customers").map(customer))
        case .error:
            return .error(try error(root))
        case .webhook:
            return .webhook(try webhook(root))
        }
    }

    private func product(_ field: Field, options table: SquareOptions) throws -> Product? {
        let data = field["item_data"]
        if field["is_deleted"].optionalBool() == true || data["is_archived"].optionalBool() == true { return nil }
        var variants: [Variant] = []
        let variations = try data["variations"].array().filter { $0["is_deleted"].optionalBool() != true }
        for variation in variations {
            let details = variation["item_variation_data"]
            // A variable-priced variation has no price to quote.
            guard details.has("price_money") else { continue }
            var options: [String: String] = [:]
            // A response without the ITEM_OPTION objects (SearchCatalogItems lists items only) falls back to the
            // variation's name below.
            for value in try details["item_option_values"].array() {
                if let (name, text) = table.value(
                    option: value["item_option_id"].optionalString(), value: value["item_option_value_id"].optionalString())
                {
                    options[name] = text
                }
            }
            // Without item options, the variation's own name ("Small", "Regular") is its only label; a lone
            // "Regular" is no choice at all.
            if options.isEmpty, let name = details["name"].nonBlank(), name != "Regular" || variations.count > 1 { options["variation"] = name }
            variants.append(Variant(sku: try variation["id"].string(), options: options, price: try details["price_money"].squareMoney()))
        }
        let name = try data["name"].string()
        let kind = data["product_type"].nonBlank().flatMap { $0 == "REGULAR" ? nil : $0.lowercased() } ?? "item"
        return Product(
            id: try field["id"].string(), brand: field["custom_attribute_values"]["BRAND"]["string_value"].nonBlank() ?? "",
            name: name, category: Category.guess(kind: kind, title: name), kind: kind,
            optionNames: optionNames(data, table: table, variants: variants), variants: variants)
    }

    /// The item's option names in its own order (`item_data.item_options`), else whatever its variants carry.
    private func optionNames(_ data: Field, table: SquareOptions, variants: [Variant]) -> [String] {
        let used = Set(variants.flatMap(\.options.keys))
        var names: [String] = []
        for option in (try? data["item_options"].array()) ?? [] {
            if let name = table.name(of: option["item_option_id"].optionalString()), used.contains(name), !names.contains(name) { names.append(name) }
        }
        return names + used.subtracting(names).sorted()
    }

    /// Only `IN_STOCK` counts can be sold; quantities are decimal strings.
    private func stockLevel(_ field: Field) throws -> StockLevel? {
        guard field["state"].optionalString() ?? "IN_STOCK" == "IN_STOCK" else { return nil }
        guard let text = field["quantity"].optionalString(), let quantity = Double(text) else {
            throw field["quantity"].error("expected a quantity like \"79\"")
        }
        return StockLevel(
            sku: try field["catalog_object_id"].string(), locationID: try field["location_id"].string(),
            available: max(0, Int(exactly: min(quantity, 1e9).rounded(.down)) ?? 0), countedAt: try field["calculated_at"].optionalDate())
    }

    private func location(_ field: Field) throws -> Location? {
        guard field["status"].optionalString() ?? "ACTIVE" == "ACTIVE" else { return nil }
        return try field.location(
            id: "id", name: "name",
            address: ["address_line_1", "address_line_2", "locality", "administrative_district_level_1", "postal_code"].map { "address.\($0)" })
    }

    private func order(_ field: Field) throws -> Order {
        let lines = try field["line_items"].array().map { line in
            let price = try line["base_price_money"].optionalSquareMoney() ?? Money.zero(try orderCurrency(of: field))
            let name = [line["name"].nonBlank(), line["variation_name"].nonBlank()].compactMap { $0 }.joined(separator: ", ")
            guard let quantity = line["quantity"].optionalString().flatMap(Double.init) else {
                throw line["quantity"].error("expected a quantity like \"1\"")
            }
            return OrderLine(
                sku: line["catalog_object_id"].optionalString() ?? "", productID: "",
                title: name.isEmpty ? (line["catalog_object_id"].optionalString() ?? "item") : name,
                quantity: Int(quantity.rounded()), unitPrice: price)
        }
        let currency = try orderCurrency(of: field)
        let total = try field["total_money"].optionalSquareMoney()
        let tax = try field["total_tax_money"].optionalSquareMoney() ?? Money.zero(currency)
        let fulfillments = try field["fulfillments"].array()
        let first = fulfillments.first
        // Square has no field for a carrier's delivery estimate or date; VoicePOS keeps them in `metadata`.
        let metadata = field["metadata"]
        var shipment: Shipment?
        if let details = first?["shipment_details"], let tracking = details["tracking_number"].nonBlank() {
            shipment = Shipment(
                carrier: details["carrier"].nonBlank() ?? "", trackingNumber: tracking,
                shippedAt: try details["shipped_at"].optionalDate(),
                estimatedDelivery: try metadata[SquareMetadata.estimatedDelivery].optionalDate())
        }
        let number = try field["reference_id"].nonBlank() ?? field["id"].string()
        return Order(
            number: number, customerID: field["customer_id"].optionalString() ?? "",
            // No fulfillment is a sale across the counter: the customer left with it, as with a pickup.
            status: status(field, fulfillment: first), fulfillment: first == nil || first?["type"].optionalString() == "PICKUP" ? .pickup : .shipping,
            locationID: field["location_id"].optionalString() ?? "", lines: lines,
            subtotal: total.map { $0 + Money(minorUnits: -tax.minorUnits, currency: tax.currency) }
                ?? lines.reduce(Money.zero(currency)) { $0 + $1.total },
            tax: tax, placedAt: try field["created_at"].optionalDate() ?? Date(timeIntervalSince1970: 0), shipment: shipment,
            deliveredAt: try metadata[SquareMetadata.deliveredAt].optionalDate(),
            readyAt: try first?["pickup_details"]["pickup_at"].optionalDate(),
            sourceLocationID: metadata[SquareMetadata.sourceLocation].nonBlank(), reference: metadata[SquareMetadata.reference].nonBlank())
    }

    private func orderCurrency(of order: Field) throws -> String {
        for key in ["total_money", "total_tax_money"] where order[key].has("currency") { return try order[key]["currency"].string() }
        for line in try order["line_items"].array() where line["base_price_money"].has("currency") {
            return try line["base_price_money"]["currency"].string()
        }
        return "USD"
    }

    /// Order `state` (DRAFT, OPEN, COMPLETED, CANCELED) read with its fulfillment's (PROPOSED, RESERVED, PREPARED,
    /// COMPLETED, CANCELED, FAILED) and whether anything has paid for it (`tenders`).
    private func status(_ order: Field, fulfillment: Field?) -> OrderStatus {
        let state = order["state"].optionalString()
        let progress = fulfillment?["state"].optionalString()
        let paid = ((try? order["tenders"].array()) ?? []).isEmpty == false
        if state == "CANCELED" || progress == "CANCELED" || progress == "FAILED" { return .cancelled }
        if order["returns"].exists { return .returned }
        if state == "COMPLETED" { return .delivered }
        let pickup = fulfillment?["type"].optionalString() == "PICKUP"
        switch progress {
        case "RESERVED"?: return .confirmed
        case "PREPARED"?: return pickup ? .readyForPickup : .confirmed
        case "COMPLETED"?: return pickup || order["metadata"].has(SquareMetadata.deliveredAt) ? .delivered : .shipped
        default: return state == "DRAFT" || !paid ? .pending : .confirmed
        }
    }

    private func payment(_ field: Field, requested: Bool) throws -> Payment {
        let card = field["card_details"]["card"]
        return Payment(
            id: try requested ? field["idempotency_key"].string() : field["id"].string(),
            orderNumber: field["order_id"].optionalString() ?? field["reference_id"].optionalString() ?? "",
            amount: try (field.has("total_money") ? field["total_money"] : field["amount_money"]).squareMoney(),
            cardBrand: Self.brand(card["card_brand"].nonBlank() ?? ""), cardLast4: card["last_4"].nonBlank() ?? "",
            capturedAt: try field["card_details"]["card_payment_timeline"]["captured_at"].optionalDate()
                ?? field["created_at"].optionalDate() ?? Date(timeIntervalSince1970: 0))
    }

    /// `VISA` → `Visa`, `AMERICAN_EXPRESS` → `American Express`, `MASTERCARD` → `Mastercard`.
    static func brand(_ code: String) -> String {
        code.replacingOccurrences(of: "_", with: " ").capitalized
    }

    private func refund(_ field: Field) throws -> Refund {
        Refund(
            id: try field["id"].optionalString() ?? field["idempotency_key"].string(),
            orderNumber: field["order_id"].optionalString() ?? field["payment_id"].optionalString() ?? "",
            amount: try field["amount_money"].squareMoney(), lines: [], createdAt: try field["created_at"].optionalDate(),
            note: field["reason"].nonBlank())
    }

    private func customer(_ field: Field) throws -> Customer {
        let name = [field["given_name"].nonBlank(), field["family_name"].nonBlank()].compactMap { $0 }.joined(separator: " ")
        return Customer(
            id: try field["id"].string(), name: name.isEmpty ? (field["company_name"].nonBlank() ?? "") : name,
            phone: field["phone_number"].nonBlank() ?? "", email: field["email_address"].nonBlank() ?? "", homeLocationID: nil,
            cardOnFile: try field["cards"].array().first.map { card in
                CardToken(
                    token: try card["id"].string(), brand: Self.brand(card["card_brand"].nonBlank() ?? ""), last4: card["last_4"].nonBlank() ?? "")
            })
    }

    /// The most telling of the errors: a specific decline beats a generic one, which beats the rest.
    private func error(_ root: Field) throws -> POSError {
        let errors = root.has("errors") ? try root["errors"].array() : [root]
        let mapped = try errors.map { error in
            Self.posError(
                code: try error["code"].string(), category: error["category"].optionalString() ?? "", detail: error["detail"].optionalString())
        }
        func rank(_ error: POSError) -> Int {
            switch error {
            case .paymentDeclined(.generic): 1
            case .paymentDeclined: 2
            case .rateLimited: 3
            default: 0
            }
        }
        guard let best = mapped.max(by: { rank($0) < rank($1) }) else { throw root.error("expected at least one error") }
        return best
    }

    static func posError(code: String, category: String, detail: String?) -> POSError {
        switch code {
        case "RATE_LIMITED": return .rateLimited(retryAfterSeconds: nil)
        case "INSUFFICIENT_INVENTORY":
            // "Only 2 of VARIATION_ID are in stock" (the catalog object and count, when the detail gives them).
            let words = (detail ?? "").split(separator: " ")
            let available = words.count > 1 ? Int(words[1]) ?? 0 : 0
            return .outOfStock(sku: words.count > 3 ? String(words[3]) : "", available: available)
        case "NOT_FOUND": return .notFound(detail ?? "not found")
        case "INSUFFICIENT_FUNDS": return .paymentDeclined(.insufficientFunds)
        case "CARD_EXPIRED", "INVALID_EXPIRATION", "INVALID_EXPIRATION_YEAR", "INVALID_EXPIRATION_DATE": return .paymentDeclined(.expiredCard)
        case "CVV_FAILURE", "VERIFY_CVV_FAILURE", "INVALID_CVV": return .paymentDeclined(.incorrectSecurityCode)
        case "GENERIC_DECLINE", "CARD_DECLINED", "CARD_DECLINED_CALL_ISSUER", "CARD_DECLINED_VERIFICATION_REQUIRED",
            "TRANSACTION_LIMIT", "VOICE_FAILURE", "ADDRESS_VERIFICATION_FAILURE", "INVALID_ACCOUNT", "CARD_NOT_SUPPORTED",
            "INVALID_CARD", "INVALID_PIN", "PAN_FAILURE":
            return .paymentDeclined(.generic)
        case "UNAUTHORIZED", "ACCESS_TOKEN_EXPIRED", "ACCESS_TOKEN_REVOKED", "FORBIDDEN", "INSUFFICIENT_SCOPES",
            "SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR", "BAD_GATEWAY":
            return .unavailable
        case "GATEWAY_TIMEOUT": return .timeout
        default:
            switch category {
            case "RATE_LIMIT_ERROR": return .rateLimited(retryAfterSeconds: nil)
            case "API_ERROR": return .unavailable
            case "AUTHENTICATION_ERROR" where code.hasPrefix("ACCESS") || code == "UNAUTHORIZED": return .unavailable
            case "PAYMENT_METHOD_ERROR": return .paymentDeclined(.generic)
            default: return .invalidRequest([code, detail].compactMap { $0 }.joined(separator: ": "))
            }
        }
    }

    private func webhook(_ root: Field) throws -> WebhookEvent {
        let type = try root["type"].string()
        let object = root["data"]["object"]
        var ids: [String] = []
        for count in try object["inventory_counts"].array() { if let id = count["catalog_object_id"].optionalString() { ids.append(id) } }
        for key in ["order_fulfillment_updated", "order_updated", "order_created"] {
            if let id = object[key]["order_id"].optionalString() ?? object[key]["id"].optionalString() { ids.append(id) }
        }
        // A payment or refund event is about the payment or refund itself, then the order it belongs to.
        for key in ["payment", "refund", "customer"] {
            for id in [object[key]["id"].optionalString(), object[key]["order_id"].optionalString()].compactMap({ $0 }) where !ids.contains(id) {
                ids.append(id)
            }
        }
        if ids.isEmpty, let id = root["data"]["id"].optionalString() { ids.append(id) }
        let prefix = type.split(separator: ".").first.map(String.init) ?? type
        let kinds: [String: ObjectKind] = [
            "inventory": .inventory, "order": .order, "payment": .payment, "refund": .refund, "customer": .customer, "catalog": .product,
            "location": .location,
        ]
        return WebhookEvent(type: type, objectKind: kinds[prefix], objectIDs: ids, occurredAt: try root["created_at"].optionalDate())
    }
}

extension Field {
    /// Square money: `{"amount": 1000, "currency": "USD"}`, already in minor units.
    func squareMoney() throws -> Money {
        guard let money = try optionalSquareMoney() else { throw error("missing") }
        return money
    }

    func optionalSquareMoney() throws -> Money? {
        guard exists else { return nil }
        guard let amount = self["amount"].optionalInt() else { throw self["amount"].error("expected an amount in minor units") }
        return Money(minorUnits: amount, currency: try self["currency"].string())
    }
}

/// A catalog's ITEM_OPTION objects: option id → lower-cased name, value id → value name.
struct SquareOptions {
    private var names: [String: String] = [:]
    private var values: [String: (option: String, name: String)] = [:]

    mutating func add(_ option: Field) throws {
        let id = try option["id"].string()
        let data = option["item_option_data"]
        names[id] = try data["name"].string().lowercased()
        for value in try data["values"].array() {
            values[try value["id"].string()] = (id, try value["item_option_value_data"]["name"].string())
        }
    }

    func name(of option: String?) -> String? { option.flatMap { names[$0] } }

    /// The option's name and the value's text.
    func value(option: String?, value: String?) -> (String, String)? {
        guard let value, let entry = values[value], let name = names[option ?? entry.option] else { return nil }
        return (name, entry.name)
    }
}
