import Foundation
import RetailModel

/// Shopify Admin payloads (REST resource shapes, which webhooks share; GraphQL bodies with `data`) → the
/// unified schema.
///
/// Traps handled: the SKU is the variant id (the merchant's `sku` text may be blank or repeated); stock hangs
/// off the inventory item, not the variant, so inventory levels carry the inventory item id until a product
/// payload links the two; money is decimal strings in the shop's currency; a variant's options are
/// positional (`option1…3`) against the product's `options` names; a deleted location is skipped.
///
/// What Shopify has no field for, VoicePOS keeps in the order's `note_attributes` (see `ShopifyOrderNotes`):
/// the store a transfer comes from, when a pickup is ready, that it is ready, and when a parcel was delivered.
/// The carrier's estimate is the fulfillment's `estimated_delivery_at`.
struct ShopifyMapper: PayloadMapper {
    let platform = Platform.shopify
    /// The shop's currency, for payloads that do not say (products, variants).
    let currency: String

    func detectKind(_ payload: JSONPayload) -> ObjectKind? {
        guard let object = payload.objectValue else { return nil }
        if object["errors"] != nil, object["data"] == nil { return .error }
        if let data = object["data"]?.objectValue {
            if data["product"] != nil || data["products"] != nil { return .product }
            if object["errors"] != nil { return .error }
        }
        if let kind = Self.bareKind(object) { return kind }
        let keys: [(String, ObjectKind)] = [
            ("product", .product), ("products", .product), ("variants", .product), ("variant", .product),
            ("inventory_levels", .inventory), ("inventory_level", .inventory), ("locations", .location), ("location", .location),
            ("order", .order), ("orders", .order), ("fulfillment", .order), ("fulfillments", .order),
            ("transaction", .payment), ("transactions", .payment), ("refund", .refund), ("refunds", .refund),
            ("customer", .customer), ("customers", .customer),
        ]
        return keys.first { object[$0.0] != nil }?.1
    }

    /// A webhook delivers the resource itself, unwrapped: `{"id": …, "line_items": […]}` is an order.
    static func bareKind(_ object: [String: JSONPayload]) -> ObjectKind? {
        if object["line_items"] != nil, object["order_number"] != nil || object["financial_status"] != nil { return .order }
        if object["variants"] != nil, object["title"] != nil { return .product }
        if object["inventory_item_id"] != nil, object["location_id"] != nil, object["available"] != nil { return .inventory }
        if object["refund_line_items"] != nil { return .refund }
        if object["kind"] != nil, object["gateway"] != nil, object["amount"] != nil { return .payment }
        if object["first_name"] != nil || object["last_name"] != nil, object["orders_count"] != nil || object["email"] != nil { return .customer }
        if object["tracking_number"] != nil || object["tracking_company"] != nil, object["order_id"] != nil { return .order }
        return nil
    }

    func decode(_ payload: JSONPayload, as kind: ObjectKind) throws -> DecodedPayload {
        var root = root(payload, kind.rawValue)
        // A bare resource (a webhook body) is read as if wrapped in its name.
        if let object = payload.objectValue, Self.bareKind(object) == kind, let wrapper = Self.wrapper(kind, object) {
            root = Field(.object([wrapper: payload]), path: "", platform: platform, object: kind.rawValue)
        }
        switch kind {
        case .product:
            if root.has("data") { return .products(try graphQLProducts(root["data"])) }
            if root.has("variants") && !root.has("product") {
                let variants = try root["variants"].array().map { try variant($0, optionNames: []) }
                return .variants(productID: try root["variants"].array().first?["product_id"].optionalString(), variants)
            }
            return .products(try root.oneOrMany("product", "products").map(product))
        case .inventory:
            return .inventory(try root.oneOrMany("inventory_level", "inventory_levels").map(stockLevel))
        case .location:
            return .locations(try root.oneOrMany("location", "locations").compactMap(location))
        case .order:
            if root.has("fulfillment") || (root.has("fulfillments") && !root.has("order") && !root.has("orders")) {
                return .statuses(try root.oneOrMany("fulfillment", "fulfillments").map(fulfillment))
            }
            return .orders(try root.oneOrMany("order", "orders").map(order))
        case .payment:
            // Money in: successful sales and captures, and authorizations nothing has captured yet; refunds,
            // voids and failures are not payments.
            let transactions = try root.oneOrMany("transaction", "transactions")
                .filter { ($0["status"].optionalString() ?? "success") == "success" }
            let captured = Set(transactions.filter { $0["kind"].optionalString() == "capture" }.compactMap { $0["parent_id"].optionalString() })
            return .payments(
                try transactions.filter { transaction in
                    switch transaction["kind"].optionalString() ?? "sale" {
                    case "sale", "capture": true
                    case "authorization": !captured.contains(transaction["id"].optionalString() ?? "")
                    default: false
                    }
                }.map(payment))
        case .refund:
            return .refunds(try root.oneOrMany("refund", "refunds").map(refund))
        case .customer:
            return .customers(try root.oneOrMany("customer", "customers").map(customer))
        case .error:
            return .error(error(root))
        case .webhook:
            throw root.error("Shopify webhooks carry the REST resource itself; decode it by its kind (the X-Shopify-Topic header names it)")
        }
    }

    private static func wrapper(_ kind: ObjectKind, _ object: [String: JSONPayload]) -> String? {
        switch kind {
        case .order: object["line_items"] != nil ? "order" : "fulfillment"
        case .product: "product"
        case .inventory: "inventory_level"
        case .refund: "refund"
        case .payment: "transaction"
        case .customer: "customer"
        default: nil
        }
    }

    private func product(_ field: Field) throws -> Product {
        let optionNames = try field["options"].array().map { try $0["name"].string().lowercased() }
        let variantFields = try field["variants"].array()
        let variants = try variantFields.map { try variant($0, optionNames: optionNames) }
        // A product without options still has one: "Title", every variant "Default Title". Any other option
        // is the product's own, in its own order, even where no variant fills it in.
        let named = optionNames.enumerated().filter { index, name in
            name != "title" || variantFields.contains { ($0["option\(index + 1)"].nonBlank() ?? "Default Title") != "Default Title" }
        }.map(\.element)
        let kind = field["product_type"].nonBlank() ?? "item"
        return Product(
            id: try field["id"].string(), brand: field["vendor"].nonBlank() ?? "", name: try field["title"].string(),
            category: Category.guess(kind: kind, title: field["title"].optionalString() ?? ""), kind: kind,
            optionNames: named, variants: variants)
    }

    /// A variant: our SKU is the variant id; its options are `option1…3` named by the product's options.
    private func variant(_ field: Field, optionNames: [String]) throws -> Variant {
        var options: [String: String] = [:]
        for index in 0..<3 {
            // Without the product's option names, the positions name them ("option1").
            let name = index < optionNames.count ? optionNames[index] : "option\(index + 1)"
            guard let value = field["option\(index + 1)"].nonBlank(), value != "Default Title" else { continue }
            options[name] = value
        }
        return Variant(sku: try field["id"].string(), options: options, price: try field["price"].decimalMoney(currency: currency))
    }

    private func graphQLProducts(_ data: Field) throws -> [Product] {
        let nodes =
            data.has("product") ? [data["product"]] : try data["products"]["nodes"].array() + data["products"]["edges"].array().map { $0["node"] }
        return try nodes.map { node in
            let variantNodes = try node["variants"]["nodes"].array() + node["variants"]["edges"].array().map { $0["node"] }
            let variants = try variantNodes.map { variant in
                var options: [String: String] = [:]
                for option in try variant["selectedOptions"].array() where option["value"].nonBlank() != "Default Title" {
                    options[try option["name"].string().lowercased()] = try option["value"].string()
                }
                return Variant(
                    sku: Self.shortID(try variant["id"].string()), options: options, price: try variant["price"].decimalMoney(currency: currency))
            }
            let kind = node["productType"].nonBlank() ?? "item"
            return Product(
                id: Self.shortID(try node["id"].string()), brand: node["vendor"].nonBlank() ?? "", name: try node["title"].string(),
                category: Category.guess(kind: kind, title: node["title"].optionalString() ?? ""), kind: kind,
                optionNames: Array(Set(variants.flatMap(\.options.keys))).sorted(), variants: variants)
        }
    }

    /// `gid://shopify/Product/7608002183224` → `7608002183224`, so REST and GraphQL ids agree.
    static func shortID(_ id: String) -> String {
        id.hasPrefix("gid://") ? String(id.split(separator: "/").last ?? Substring(id)) : id
    }

    /// Until a product links them, the level is keyed by the inventory item id.
    private func stockLevel(_ field: Field) throws -> StockLevel {
        StockLevel(
            sku: "inventory_item:" + (try field["inventory_item_id"].string()), locationID: try field["location_id"].string(),
            available: field["available"].optionalInt() ?? 0, countedAt: try field["updated_at"].optionalDate())
    }

    private func location(_ field: Field) throws -> Location? {
        if field.has("deleted_at") || field["active"].optionalBool() == false { return nil }
        return try field.location(id: "id", name: "name", address: ["address1", "address2", "city", "province_code", "zip"])
    }

    private func order(_ field: Field) throws -> Order {
        let currency = field["currency"].nonBlank() ?? self.currency
        let lines = try field["line_items"].array().map { line in
            OrderLine(
                sku: try line["variant_id"].string(), productID: line["product_id"].optionalString() ?? "",
                title: try line["name"].nonBlank() ?? line["title"].string(), quantity: try line["quantity"].int(),
                unitPrice: try line["price"].decimalMoney(currency: currency))
        }
        let fulfillments = try field["fulfillments"].array()
        // A failed, cancelled or errored fulfillment shipped nothing.
        let tracked = fulfillments.first { fulfillment in
            fulfillment["tracking_number"].nonBlank() != nil
                && !["failure", "cancelled", "error"].contains(fulfillment["status"].optionalString() ?? "success")
        }
        var shipment: Shipment?
        if let tracked, let number = tracked["tracking_number"].nonBlank() {
            shipment = Shipment(
                carrier: tracked["tracking_company"].nonBlank() ?? "", trackingNumber: number,
                shippedAt: try tracked["created_at"].optionalDate(),
                estimatedDelivery: try tracked["estimated_delivery_at"].optionalDate())
        }
        // A pickup has no shipping line: the goods never travel.
        let pickup = try field["shipping_lines"].array().isEmpty
        let ready = try noteAttribute(ShopifyOrderNotes.readyForPickup, of: field).optionalString() == "true"
        let number = field["order_number"].optionalString() ?? field["name"].optionalString()?.replacingOccurrences(of: "#", with: "")
        return Order(
            number: try number ?? field["id"].string(), customerID: field["customer"]["id"].optionalString() ?? "",
            status: status(field, pickup: pickup, fulfillments: fulfillments, readyForPickup: ready),
            fulfillment: pickup ? .pickup : .shipping,
            locationID: field["location_id"].optionalString() ?? "", lines: lines,
            subtotal: try field["subtotal_price"].optionalDecimalMoney(currency: currency) ?? lines.reduce(Money.zero(currency)) { $0 + $1.total },
            tax: try field["total_tax"].optionalDecimalMoney(currency: currency) ?? Money.zero(currency),
            placedAt: try field["created_at"].optionalDate() ?? Date(timeIntervalSince1970: 0), shipment: shipment,
            deliveredAt: try noteAttribute(ShopifyOrderNotes.deliveredAt, of: field).optionalDate(),
            readyAt: try noteAttribute(ShopifyOrderNotes.readyAt, of: field).optionalDate(),
            sourceLocationID: try noteAttribute(ShopifyOrderNotes.sourceLocation, of: field).nonBlank(),
            reference: try noteAttribute(ShopifyOrderNotes.reference, of: field).nonBlank())
    }

    /// The value of one of an order's `note_attributes` (`[{"name": …, "value": …}]`); missing when none has the name.
    private func noteAttribute(_ name: String, of order: Field) throws -> Field {
        for attribute in try order["note_attributes"].array() where attribute["name"].optionalString() == name { return attribute["value"] }
        return order["note_attributes"][name]
    }

    /// Shopify splits status into money (`financial_status`) and goods (`fulfillment_status`, each fulfillment's
    /// `shipment_status`); a pickup order that is fulfilled has been collected. Readiness for pickup is a note
    /// attribute, and a pay-at-pickup order (unpaid until collected) is confirmed by the `voicepos-confirmed` tag.
    private func status(_ field: Field, pickup: Bool, fulfillments: [Field], readyForPickup: Bool) -> OrderStatus {
        if field.has("cancelled_at") { return .cancelled }
        let financial = field["financial_status"].optionalString()
        switch financial {
        case "refunded"?: return .returned
        case "voided"?: return .cancelled
        default: break
        }
        if fulfillments.contains(where: { $0["shipment_status"].optionalString() == "delivered" }) { return .delivered }
        switch field["fulfillment_status"].optionalString() {
        case "fulfilled"?, "partial"?: return pickup ? .delivered : .shipped
        default: break
        }
        if readyForPickup { return .readyForPickup }
        let tags = (field["tags"].optionalString() ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return financial == "paid" || tags.contains(ShopifyOrderNotes.confirmedTag) ? .confirmed : .pending
    }

    private func fulfillment(_ field: Field) throws -> OrderStatusReport {
        let shipped = ["success", "pending", "open"].contains(field["status"].optionalString() ?? "")
        let delivered = field["shipment_status"].optionalString() == "delivered"
        return OrderStatusReport(
            number: try field["order_id"].string(), status: delivered ? .delivered : shipped ? .shipped : .confirmed,
            carrier: field["tracking_company"].nonBlank().flatMap { $0 == "null-company" ? nil : $0 },
            trackingNumber: field["tracking_number"].nonBlank(), shippedAt: try field["created_at"].optionalDate(),
            estimatedDelivery: try field["estimated_delivery_at"].optionalDate())
    }

    private func payment(_ field: Field) throws -> Payment {
        let currency = field["currency"].nonBlank() ?? self.currency
        let card = field["payment_details"]
        let last4 = card["credit_card_number"].optionalString().map { String($0.filter(\.isNumber).suffix(4)) } ?? ""
        return Payment(
            id: try field["id"].string(), orderNumber: try field["order_id"].string(),
            amount: try field["amount"].decimalMoney(currency: currency),
            cardBrand: card["credit_card_company"].nonBlank() ?? field["gateway"].nonBlank() ?? "", cardLast4: last4,
            capturedAt: try field["processed_at"].optionalDate() ?? field["created_at"].optionalDate() ?? Date(timeIntervalSince1970: 0))
    }

    private func refund(_ field: Field) throws -> Refund {
        let lines = try field["refund_line_items"].array().map { line in
            LineItem(sku: try line["line_item"]["variant_id"].string(), quantity: try line["quantity"].int())
        }
        let transactions = try field["transactions"].array()
        let currency = transactions.first?["currency"].nonBlank() ?? self.currency
        var amount = Money.zero(currency)
        var moneyMoved = false
        for transaction in transactions where (transaction["kind"].optionalString() ?? "refund") == "refund" {
            amount = amount + (try transaction["amount"].decimalMoney(currency: currency))
            moneyMoved = true
        }
        // No refund transaction (nothing was charged through the API, or the credit is issued by hand): the
        // value given back is the returned lines' `subtotal` and `total_tax`.
        if !moneyMoved {
            for line in try field["refund_line_items"].array() {
                for key in ["subtotal", "total_tax"] {
                    if let part = try line[key].optionalDecimalMoney(currency: currency) { amount = amount + part }
                }
            }
        }
        return Refund(
            id: try field["id"].string(), orderNumber: try field["order_id"].string(), amount: amount, lines: lines,
            createdAt: try field["created_at"].optionalDate(), note: field["note"].nonBlank())
    }

    private func customer(_ field: Field) throws -> Customer {
        let name = [field["first_name"].nonBlank(), field["last_name"].nonBlank()].compactMap { $0 }.joined(separator: " ")
        return Customer(
            id: try field["id"].string(), name: name, phone: field["phone"].nonBlank() ?? field["default_address"]["phone"].nonBlank() ?? "",
            email: field["email"].nonBlank() ?? "", homeLocationID: nil, cardOnFile: nil)
    }

    /// REST `{"errors": "…"}` or `{"errors": {"field": ["…"]}}`; GraphQL `errors[].extensions.code`.
    ///
    /// A message names the failure (`Not Found`, `Exceeded 2 calls per second…`, a decline's error code such as
    /// `card_declined` or `expired_card`); field errors are a request Shopify refused, except a `line_items` error
    /// saying a variant is out of stock.
    private func error(_ root: Field) -> POSError {
        let errors = root["errors"]
        switch errors.value {
        case .string(let text)?:
            return Self.posError(message: text)
        case .object(let fields)?:
            var messages: [String] = []
            for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
                var texts: [String] = []
                switch value {
                case .array(let items): texts = items.compactMap { if case .string(let text) = $0 { text } else { nil } }
                case .string(let text): texts = [text]
                default: break
                }
                if key == "line_items", let stock = texts.lazy.compactMap(Self.outOfStock).first { return stock }
                // `base` is the record as a whole: its messages read on their own.
                messages += key == "base" ? texts : texts.isEmpty ? [key] : texts.map { "\(key) \($0)" }
            }
            return .invalidRequest(messages.isEmpty ? "unknown Shopify error" : messages.joined(separator: "; "))
        case .array(let items)?:
            let messages = items.compactMap { item in
                let field = Field(item, path: "", platform: platform, object: "error")
                return field["extensions"]["code"].nonBlank() ?? field["message"].nonBlank()
            }
            return Self.posError(message: messages.joined(separator: "; "))
        default:
            return .invalidRequest("unknown Shopify error")
        }
    }

    /// A Shopify error message read for what it means.
    static func posError(message text: String) -> POSError {
        let lower = text.lowercased()
        if lower.contains("exceeded") && lower.contains("calls") || lower.contains("throttled") { return .rateLimited(retryAfterSeconds: nil) }
        if lower.contains("not found") { return .notFound(text) }
        if lower.contains("invalid api key") || lower.contains("access denied") || lower.contains("access_denied") || lower.contains("unauthorized") {
            return .unavailable
        }
        // Transaction error codes, most specific first.
        if lower.contains("insufficient_funds") || lower.contains("insufficient funds") { return .paymentDeclined(.insufficientFunds) }
        if lower.contains("expired_card") || lower.contains("invalid_expiry_date") { return .paymentDeclined(.expiredCard) }
        if lower.contains("incorrect_cvc") || lower.contains("invalid_cvc") { return .paymentDeclined(.incorrectSecurityCode) }
        if ["card_declined", "call_issuer", "pick_up_card", "card was declined"].contains(where: lower.contains) {
            return .paymentDeclined(.generic)
        }
        return .invalidRequest(text.isEmpty ? "unknown Shopify error" : text)
    }

    /// "variant 39072856 is out of stock: only 2 available" → `.outOfStock(sku: "39072856", available: 2)`.
    static func outOfStock(_ message: String) -> POSError? {
        guard message.lowercased().contains("out of stock") else { return nil }
        let words = message.split(separator: " ").map(String.init)
        guard let at = words.firstIndex(where: { $0.lowercased() == "variant" }), at + 1 < words.count else { return nil }
        let sku = words[at + 1].trimmingCharacters(in: CharacterSet(charactersIn: ":,"))
        let count = words.firstIndex { $0.lowercased().hasPrefix("available") }.flatMap { $0 > 0 ? Int(words[$0 - 1]) : nil }
        return .outOfStock(sku: sku, available: count ?? 0)
    }
}

/// What VoicePOS keeps on a Shopify order that Shopify has no field for. The values live in the order's
/// `note_attributes` (free name/value pairs any app may write, shown to staff on the order page); the
/// confirmation of a pay-at-pickup order is a tag, since Shopify has no "confirm" for an unpaid order.
enum ShopifyOrderNotes {
    /// The store a pickup's units are sent over from (a transfer).
    static let sourceLocation = "voicepos_source_location"
    /// VoicePOS's reference for the order (`OrderRequest.reference`): REST order creates take no idempotency key.
    static let reference = "voicepos_reference"
    /// When a pickup order is (or will be) ready, ISO-8601.
    static let readyAt = "voicepos_ready_at"
    /// "true" once staff have the order waiting at the counter.
    static let readyForPickup = "voicepos_ready_for_pickup"
    /// When the carrier delivered the parcel (REST fulfillments say `delivered`, not when), ISO-8601.
    static let deliveredAt = "voicepos_delivered_at"
    /// The tag on an order the caller confirmed.
    static let confirmedTag = "voicepos-confirmed"
}

/// Our three categories, guessed from a platform's product type and title.
enum Category {
    static func guess(kind: String, title: String) -> ProductCategory {
        let text = "\(kind) \(title)".lowercased()
        let footwear = ["shoe", "sneaker", "boot", "sandal", "trainer", "loafer", "clog", "slipper", "heel", "footwear"]
        let apparel = [
            "shirt", "tee", "hoodie", "jacket", "coat", "pant", "jean", "dress", "skirt", "short", "sweater", "apparel", "clothing", "top", "legging",
            "fleece",
        ]
        if footwear.contains(where: text.contains) { return .footwear }
        if apparel.contains(where: text.contains) { return .apparel }
        return .accessories
    }
}
