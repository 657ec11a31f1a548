import Foundation
import RetailModel

/// Clover payloads (Platform REST v3 and Ecommerce v1) → the unified schema.
///
/// Traps handled: money is integer minor units (`"amount": 150`, `price` on items) with a lower-case
/// currency; times are Unix milliseconds; v3 lists wrap their items in `{"elements": [...]}`; one Clover
/// merchant is one location; webhooks carry ids only (`"objectId": "I:ITEMID"`), and the first POST is a
/// bare `verificationCode`; Ecommerce errors are Stripe-like (`error.code`, `error.decline_code`).
///
/// Variants: every Clover item is one variant (its id is the SKU); an item group collects a product's items and
/// its id is the product id (an item without a group is a product of its own). Option names come from the
/// group's attributes, in the group's order, and each item's options name one option of each attribute: either
/// expanded on the item (`option.attribute.name`) or looked up in the attributes listed alongside the items
/// (`{"elements": [items], "attributes": {"elements": [attributes with options]}}`, as the connector assembles
/// them). Clover has no brand field: the store profile supplies it. Orders: quantity is a line's `unitQty` in
/// thousandths; tax is the order `total` less its lines; what Clover has no field for (fulfillment status,
/// pickup time, transfer source, carrier tracking) is VoicePOS's app data in the order `note` (`CloverNote`).
struct CloverMapper: PayloadMapper {
    let platform = Platform.clover
    let currency: String

    func detectKind(_ payload: JSONPayload) -> ObjectKind? {
        guard let object = payload.objectValue else { return nil }
        if object["verificationCode"] != nil || object["merchants"] != nil { return .webhook }
        if object["error"] != nil { return .error }
        // Ecommerce objects name themselves; its lists are `{"object": "list", "data": […]}`.
        let named: [String: ObjectKind] = ["order": .order, "customer": .customer, "charge": .payment, "refund": .refund]
        if case .string(let type)? = object["object"] {
            if let kind = named[type] { return kind }
            if type == "list", case .array(let data)? = object["data"], let first = data.first?.objectValue {
                if case .string(let inner)? = first["object"], let kind = named[inner] { return kind }
                if first["amount"] != nil, first["items"] != nil || first["currency"] != nil { return .order }
                if first["email"] != nil || first["name"] != nil { return .customer }
            }
        }
        if object["amount_returned"] != nil { return .refund }
        if object["source"] != nil, object["amount"] != nil { return .payment }
        if object["charge"] != nil, object["amount"] != nil { return .refund }
        if object["lineItems"] != nil || object["state"] != nil && object["total"] != nil { return .order }
        if object["firstName"] != nil || object["phoneNumbers"] != nil { return .customer }
        if object["price"] != nil, object["name"] != nil { return .product }
        if case .array(let elements)? = object["elements"], let first = elements.first?.objectValue {
            if first["price"] != nil { return .product }
            if first["lineItems"] != nil || first["total"] != nil { return .order }
            if first["quantity"] != nil, first["item"] != nil { return .inventory }
        }
        return nil
    }

    func decode(_ payload: JSONPayload, as kind: ObjectKind) throws -> DecodedPayload {
        let root = root(payload, kind.rawValue)
        let list = root["object"].optionalString() == "list" ? try root["data"].array() : try Self.elements(root, orSelf: true)
        switch kind {
        case .product: return .products(try products(list, attributes: try CloverAttributes(Self.elements(root["attributes"]))))
        case .inventory: return .inventory(try list.map(stockLevel))
        case .location: return .locations(try list.map(location))
        case .order: return .orders(try list.map(order))
        case .payment: return .payments(try list.map(payment))
        case .refund: return .refunds(try list.map(refund))
        case .customer: return .customers(try list.map(customer))
        // v3's error body is not documented; a bare `{"message": …}` is read like an Ecommerce error.
        case .error: return .error(error(root.has("error") ? root["error"] : root))
        case .webhook: return .webhook(try webhook(root))
        }
    }

    /// A v3 list's items (`{"elements": […]}`), a bare array, or, with `orSelf`, the object itself.
    static func elements(_ field: Field, orSelf: Bool = false) throws -> [Field] {
        if field.has("elements") { return try field["elements"].array() }
        if case .array(_)? = field.value { return try field.array() }
        return orSelf && field.exists ? [field] : []
    }

    /// Epoch milliseconds as a date.
    static func date(_ milliseconds: Int) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    private func money(_ field: Field, currency: String? = nil) throws -> Money {
        Money(minorUnits: try field.int(), currency: (currency ?? self.currency).uppercased())
    }

    /// Items grouped into products by item group, in the order their first items are listed.
    private func products(_ items: [Field], attributes: CloverAttributes) throws -> [Product] {
        var ids: [String] = []
        var building: [String: Product] = [:]
        for item in items {
            if item["deleted"].optionalBool() == true || item["hidden"].optionalBool() == true { continue }
            // A variable-priced item has no price to quote on the phone.
            if item["priceType"].optionalString() == "VARIABLE" || !item["price"].exists { continue }
            let itemID = try item["id"].string()
            let groupID = item["itemGroup"]["id"].nonBlank()
            var options: [String: String] = [:]
            for option in try Self.elements(item["options"]) {
                let optionID = option["id"].optionalString()
                guard let value = option["name"].nonBlank() ?? attributes.value(ofOption: optionID) else { continue }
                let attributeID = option["attribute"]["id"].optionalString() ?? attributes.attribute(ofOption: optionID)
                let name = option["attribute"]["name"].nonBlank()?.lowercased() ?? attributes.name(of: attributeID) ?? "option"
                options[name] = value
            }
            let variant = Variant(sku: itemID, options: options, price: try money(item["price"]))
            let id = groupID ?? itemID
            if var product = building[id] {
                product.variants.append(variant)
                building[id] = product
                continue
            }
            let name = try item["itemGroup"]["name"].nonBlank() ?? attributes.groupName(of: groupID) ?? item["name"].string()
            let kind = try Self.elements(item["categories"]).first?["name"].nonBlank() ?? "item"
            ids.append(id)
            building[id] = Product(
                id: id, brand: "", name: name, category: Category.guess(kind: kind, title: name), kind: kind, optionNames: [],
                variants: [variant])
        }
        return ids.compactMap { id in
            guard var product = building[id] else { return nil }
            // The group's attributes in their order (even one no variant uses), then any other option the items name.
            let listed = attributes.names(ofGroup: id)
            let used = Set(product.variants.flatMap(\.options.keys))
            product.optionNames = listed + used.subtracting(listed).sorted()
            return product
        }
    }

    /// An item's `quantity` (the deprecated, rounded `stockCount` when it is missing); `modifiedTime` is when the
    /// count last changed.
    private func stockLevel(_ stock: Field) throws -> StockLevel {
        let quantity = try stock["quantity"].exists ? stock["quantity"].number() : stock["stockCount"].number()
        return StockLevel(
            sku: try stock["item"]["id"].string(), locationID: stock["merchantId"].optionalString() ?? "merchant",
            available: max(0, Int(exactly: min(quantity, 1e9).rounded(.down)) ?? 0),
            countedAt: stock["modifiedTime"].optionalInt().map(Self.date))
    }

    private func location(_ merchant: Field) throws -> Location {
        try merchant.location(id: "id", name: "name", address: ["address1", "city", "state", "zip"].map { "address.\($0)" })
    }

    private func order(_ field: Field) throws -> Order {
        let currency = (field["currency"].nonBlank() ?? self.currency).uppercased()
        let note = CloverNote(field["note"].optionalString() ?? "")
        // v3 line items (price per unit, modifiers priced on the line), or an Ecommerce order's `items` (amount per line).
        var lines = try Self.elements(field["lineItems"]).map { line in
            let modifiers = try Self.elements(line["modifications"]).reduce(0) { $0 + ($1["amount"].optionalInt() ?? 0) }
            return OrderLine(
                sku: line["item"]["id"].optionalString() ?? "", productID: "", title: try line["name"].string(),
                quantity: max(1, Int((Double(line["unitQty"].optionalInt() ?? 1000) / 1000).rounded())),
                unitPrice: try money(line["price"], currency: currency) + Money(minorUnits: modifiers, currency: currency))
        }
        for item in try field["items"].array() {
            let quantity = max(1, item["quantity"].optionalInt() ?? 1)
            lines.append(
                OrderLine(
                    sku: item["parent"].optionalString() ?? "", productID: "", title: item["description"].nonBlank() ?? "item", quantity: quantity,
                    unitPrice: Money(minorUnits: (item["amount"].optionalInt() ?? 0) / quantity, currency: currency)))
        }
        var itemsTotal = lines.reduce(Money.zero(currency)) { $0 + $1.total }
        // Order discounts: an amount (negative) or a percentage of the items.
        for discount in try Self.elements(field["discounts"]) {
            if let amount = discount["amount"].optionalInt() {
                itemsTotal = itemsTotal + Money(minorUnits: amount, currency: currency)
            } else if let percent = discount["percentage"].optionalInt() {
                itemsTotal = itemsTotal + Money(minorUnits: -(itemsTotal.minorUnits * percent + 50) / 100, currency: currency)
            }
        }
        let total =
            try field["total"].exists
            ? money(field["total"], currency: currency)
            : field["amount"].exists ? money(field["amount"], currency: currency) : itemsTotal
        // Read without its line items (a status check), the order is only its total; tax is never negative.
        let subtotal = lines.isEmpty ? total : min(itemsTotal, total)
        // A deleted order is a cancelled one; else VoicePOS's own status, else what Clover's state says.
        let status: OrderStatus
        if field["deletedTimestamp"].exists {
            status = .cancelled
        } else if let recorded = note[.status].flatMap(OrderStatus.init(rawValue:)) {
            status = recorded
        } else {
            let charged = field["charge"].exists ? "PAID" : ""
            status = Self.cloverStatus(
                state: field["state"].optionalString() ?? field["status"].optionalString() ?? "",
                payment: field["paymentState"].optionalString() ?? charged)
        }
        let label = (field["orderType"]["label"].nonBlank() ?? "").lowercased()
        let fulfillment: Fulfillment =
            note[.fulfillment].flatMap(Fulfillment.init(rawValue:)) ?? (label.contains("ship") || label.contains("deliver") ? .shipping : .pickup)
        var shipment: Shipment?
        if let tracking = note[.tracking] {
            shipment = Shipment(
                carrier: note[.carrier] ?? "", trackingNumber: tracking, shippedAt: note.date(.shippedAt),
                estimatedDelivery: note.date(.estimatedDelivery))
        }
        let placed = field["createdTime"].optionalInt() ?? field["clientCreatedTime"].optionalInt() ?? field["created"].optionalInt()
        return Order(
            number: try field["id"].string(), customerID: try Self.elements(field["customers"]).first?["id"].optionalString() ?? "",
            status: status, fulfillment: fulfillment, locationID: field["merchant"]["id"].optionalString() ?? "", lines: lines,
            subtotal: subtotal, tax: Money(minorUnits: total.minorUnits - subtotal.minorUnits, currency: currency),
            placedAt: placed.map(Self.date) ?? Date(timeIntervalSince1970: 0), shipment: shipment, deliveredAt: note.date(.deliveredAt),
            readyAt: note.date(.readyAt), sourceLocationID: note[.sourceLocation], reference: note[.reference])
    }

    /// Clover's own order state, for an order VoicePOS has written no status for: v3 `state` (open, locked) with
    /// `paymentState` (OPEN, PAID, REFUNDED…), or an Ecommerce order's `status` (created, paid, fulfilled, returned).
    static func cloverStatus(state: String, payment: String) -> OrderStatus {
        if payment.uppercased() == "REFUNDED" { return .returned }
        switch state.lowercased() {
        case "paid", "locked": return .confirmed
        case "fulfilled": return .delivered
        case "returned", "refunded": return .returned
        case "canceled", "cancelled", "deleted": return .cancelled
        default: return payment.uppercased() == "PAID" ? .confirmed : .pending
        }
    }

    /// An Ecommerce charge (`source` is the card), a v3 payment (`cardTransaction`), or the answer to paying an
    /// order: the order itself, naming its `charge` (brand and last four are then the charged card's, not here).
    private func payment(_ field: Field) throws -> Payment {
        let currency = field["currency"].nonBlank() ?? self.currency
        if !field.has("source"), !field.has("cardTransaction"), let charge = field["charge"].nonBlank() {
            let paid = field["status_transitions"]["paid"].optionalInt() ?? field["created"].optionalInt()
            return Payment(
                id: charge, orderNumber: field["id"].optionalString() ?? "", amount: try money(field["amount"], currency: currency),
                cardBrand: "", cardLast4: "", capturedAt: paid.map(Self.date) ?? Date(timeIntervalSince1970: 0))
        }
        let card = field.has("source") ? field["source"] : field["cardTransaction"]
        let brand = card["brand"].nonBlank() ?? card["cardType"].nonBlank() ?? ""
        let created = field["created"].optionalInt() ?? field["createdTime"].optionalInt()
        return Payment(
            id: try field["id"].string(), orderNumber: field["order"].optionalString() ?? field["order"]["id"].optionalString() ?? "",
            amount: try money(field["amount"], currency: currency), cardBrand: Self.brand(brand),
            cardLast4: card["last4"].nonBlank() ?? card["last4"].optionalString() ?? "",
            capturedAt: created.map(Self.date) ?? Date(timeIntervalSince1970: 0))
    }

    private static let brands = [
        "MC": "Mastercard", "VISA": "Visa", "AMEX": "Amex", "DISCOVER": "Discover", "DINERS_CLUB": "Diners Club", "JCB": "JCB",
    ]

    /// A card type as Clover writes it (`MC`, `VISA`, `AMEX`…) as a caller hears it.
    static func brand(_ code: String) -> String { brands[code.uppercased()] ?? code.capitalized }

    /// A refund (`charge` refunded) or an order return (`amount_returned` of the order's `amount`).
    private func refund(_ field: Field) throws -> Refund {
        let created = field["created"].optionalInt() ?? field["status_transitions"]["returned"].optionalInt()
        return Refund(
            id: try field["id"].string(), orderNumber: field["order"].optionalString() ?? field["charge"].optionalString() ?? "",
            amount: try money(field.has("amount_returned") ? field["amount_returned"] : field["amount"], currency: field["currency"].nonBlank()),
            lines: [], createdAt: created.map(Self.date), note: field["reason"].nonBlank())
    }

    private func customer(_ field: Field) throws -> Customer {
        // v3 names, phone numbers and email addresses; an Ecommerce customer has plain `name`, `phone`, `email`.
        let name = [field["firstName"].nonBlank(), field["lastName"].nonBlank()].compactMap { $0 }.joined(separator: " ")
        return Customer(
            id: try field["id"].string(), name: name.isEmpty ? field["name"].nonBlank() ?? "" : name,
            phone: try Self.elements(field["phoneNumbers"]).first?["phoneNumber"].nonBlank() ?? field["phone"].nonBlank() ?? "",
            email: try Self.elements(field["emailAddresses"]).first?["emailAddress"].nonBlank() ?? field["email"].nonBlank() ?? "",
            homeLocationID: nil,
            cardOnFile: try Self.elements(field["cards"]).first.map { card in
                CardToken(
                    token: try card["token"].nonBlank() ?? card["id"].string(), brand: Self.brand(card["cardType"].nonBlank() ?? ""),
                    last4: card["last4"].nonBlank() ?? "")
            })
    }

    private func error(_ error: Field) -> POSError {
        let code = error["code"].optionalString() ?? ""
        let decline = error["decline_code"].optionalString() ?? ""
        let message = error["message"].nonBlank() ?? code
        switch (code, decline) {
        case (_, "insufficient_funds"): return .paymentDeclined(.insufficientFunds)
        case ("expired_card", _), (_, "expired_card"): return .paymentDeclined(.expiredCard)
        case ("incorrect_cvc", _), (_, "incorrect_cvc"): return .paymentDeclined(.incorrectSecurityCode)
        case ("card_declined", _), ("incorrect_number", _): return .paymentDeclined(.generic)
        case ("rate_limit", _): return .rateLimited(retryAfterSeconds: nil)
        case ("resource_missing", _): return .notFound(message)
        // "Only 2 of ITEM are in stock": the item in `param`, the units left in the message.
        case ("out_of_stock", _):
            return .outOfStock(
                sku: error["param"].optionalString() ?? "", available: message.split(separator: " ").lazy.compactMap { Int($0) }.first ?? 0)
        default:
            switch error["type"].optionalString() {
            case "rate_limit_error"?: return .rateLimited(retryAfterSeconds: nil)
            case "api_connection_error"?, "api_error"?, "authentication_error"?: return .unavailable
            case "card_error"?: return .paymentDeclined(.generic)
            default: return .invalidRequest(message)
            }
        }
    }

    /// The setup POST (`verificationCode`) or a change message: `merchants.{mId}[].objectId` like `I:ITEMID`.
    private func webhook(_ root: Field) throws -> WebhookEvent {
        if let code = root["verificationCode"].nonBlank() {
            return WebhookEvent(type: "verification", objectKind: nil, objectIDs: [code], occurredAt: nil)
        }
        var ids: [String] = []
        var kinds: Set<ObjectKind> = []
        var latest: Int?
        let prefixes: [String: ObjectKind] = ["I": .product, "O": .order, "C": .customer, "P": .payment, "M": .location]
        for (_, updates) in (root["merchants"].value?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            for update in try Field(updates, path: "merchants", platform: platform, object: "webhook").array() {
                let objectID = try update["objectId"].string()
                let parts = objectID.split(separator: ":", maxSplits: 1).map(String.init)
                ids.append(parts.last ?? objectID)
                if let kind = prefixes[parts.first ?? ""] { kinds.insert(kind) }
                latest = max(latest ?? 0, update["ts"].optionalInt() ?? 0)
            }
        }
        return WebhookEvent(
            type: "update", objectKind: kinds.count == 1 ? kinds.first : nil, objectIDs: ids,
            occurredAt: latest.map { Date(timeIntervalSince1970: Double($0) / 1000) })
    }
}

/// A merchant's attributes (Size, Color…), each belonging to one item group, and their options (10, 10.5…): what
/// names an item's options, in the group's order.
struct CloverAttributes {
    /// Attribute id → lower-cased name.
    private var names: [String: String] = [:]
    /// Item group id → its attributes' names, in the order they are listed.
    private var byGroup: [String: [String]] = [:]
    private var groupNames: [String: String] = [:]
    /// Option id → its attribute's id and its own name (the value).
    private var options: [String: (attribute: String, name: String)] = [:]

    init(_ attributes: [Field]) throws {
        for attribute in attributes {
            let id = try attribute["id"].string()
            let name = try attribute["name"].string().lowercased()
            names[id] = name
            if let group = attribute["itemGroup"]["id"].nonBlank() {
                if !(byGroup[group] ?? []).contains(name) { byGroup[group, default: []].append(name) }
                if let groupName = attribute["itemGroup"]["name"].nonBlank() { groupNames[group] = groupName }
            }
            for option in try CloverMapper.elements(attribute["options"]) {
                if let optionID = option["id"].nonBlank(), let value = option["name"].nonBlank() { options[optionID] = (id, value) }
            }
        }
    }

    func name(of attribute: String?) -> String? { attribute.flatMap { names[$0] } }
    func names(ofGroup group: String) -> [String] { byGroup[group] ?? [] }
    func groupName(of group: String?) -> String? { group.flatMap { groupNames[$0] } }
    func attribute(ofOption option: String?) -> String? { option.flatMap { options[$0]?.attribute } }
    func value(ofOption option: String?) -> String? { option.flatMap { options[$0]?.name } }
}

/// What VoicePOS keeps in a Clover order's `note`, the order's one free-form field, for what Clover has no field
/// for: Clover tracks payment (`state` open or locked, `paymentState`) but not fulfillment, so VoicePOS writes its
/// own status (pending, confirmed, ready for pickup, shipped, delivered, returned), how the order is fulfilled
/// (also set as the merchant's Pickup or Shipping order type when it has one), when a pickup is ready, the store
/// a transfer comes from, and, as Clover has no carrier-tracking object, the carrier, tracking number and
/// shipped, expected and delivered dates; and VoicePOS's reference for the order (v3 creates take no idempotency
/// key). One `voicepos.KEY=VALUE` line each, dates in ISO-8601; whatever else the
/// note says (a clerk's words) is kept as written, before VoicePOS's lines.
struct CloverNote: Sendable, Hashable {
    enum Key: String, CaseIterable, Sendable {
        case status, fulfillment, readyAt = "ready_at", sourceLocation = "source_location", carrier, tracking
        case shippedAt = "shipped_at", estimatedDelivery = "estimated_delivery", deliveredAt = "delivered_at", reference
    }

    static let prefix = "voicepos."
    /// The note's other lines, as written.
    private var other: [String] = []
    private var values: [Key: String] = [:]

    init(_ text: String = "") {
        for part in text.split(whereSeparator: \.isNewline) {
            let line = String(part)
            if line.hasPrefix(Self.prefix), let equals = line.firstIndex(of: "="),
                let key = Key(rawValue: String(line[line.index(line.startIndex, offsetBy: Self.prefix.count)..<equals]))
            {
                values[key] = String(line[line.index(after: equals)...])
            } else {
                other.append(line)
            }
        }
    }

    /// A value; nil when absent or empty. Set nil to remove it.
    subscript(key: Key) -> String? {
        get { values[key].flatMap { $0.isEmpty ? nil : $0 } }
        set { values[key] = newValue.map { $0.components(separatedBy: .newlines).joined(separator: " ") } }
    }

    func date(_ key: Key) -> Date? { self[key].flatMap(MoneyText.date) }

    var isEmpty: Bool { other.isEmpty && values.isEmpty }

    /// The note as Clover stores it.
    var text: String {
        (other + Key.allCases.compactMap { key in values[key].map { "\(Self.prefix)\(key.rawValue)=\($0)" } }).joined(separator: "\n")
    }
}

extension Field {
    /// A number (quantities may be fractional).
    func number() throws -> Double {
        switch value {
        case .integer(let number)?: return Double(number)
        case .number(let number)?: return number
        case .string(let text)?: if let number = Double(text) { return number }
        default: break
        }
        throw error(exists ? "expected a number" : "missing")
    }
}
