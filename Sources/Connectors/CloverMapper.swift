import Foundation
import RetailModel

/// Clover payloads (Platform REST v3 and Ecommerce v1) → the unified schema.
///
/// Traps handled: money is integer minor units (`"amount": 150`, `price` on items) with a lower-case
/// currency; times are Unix milliseconds; v3 lists wrap their items in `{"elements": [...]}`; one Clover
/// merchant is one location; webhooks carry ids only (`"objectId": "I:ITEMID"`), and the first POST is a
/// bare `verificationCode`; Ecommerce errors are Stripe-like (`error.code`, `error.decline_code`).
struct CloverMapper: PayloadMapper {
    let platform = Platform.clover
    let currency: String

    func detectKind(_ payload: JSONPayload) -> ObjectKind? {
        guard let object = payload.objectValue else { return nil }
        if object["verificationCode"] != nil || object["merchants"] != nil { return .webhook }
        if object["error"] != nil { return .error }
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
        let list = root.has("elements") ? try root["elements"].array() : [root]
        switch kind {
        case .product: return .products(try list.compactMap(product))
        case .inventory:
            return .inventory(try list.map { stock in
                StockLevel(
                    sku: try stock["item"]["id"].string(), locationID: stock["merchantId"].optionalString() ?? "merchant",
                    available: max(0, Int(exactly: min(try stock["quantity"].number(), 1e9).rounded(.down)) ?? 0))
            })
        case .location: return .locations(try list.map(location))
        case .order: return .orders(try list.map(order))
        case .payment: return .payments(try list.map(payment))
        case .refund: return .refunds(try list.map(refund))
        case .customer: return .customers(try list.map(customer))
        case .error: return .error(error(root["error"]))
        case .webhook: return .webhook(try webhook(root))
        }
    }

    private func money(_ field: Field, currency: String? = nil) throws -> Money {
        Money(minorUnits: try field.int(), currency: (currency ?? self.currency).uppercased())
    }

    private func product(_ item: Field) throws -> Product? {
        if item["deleted"].optionalBool() == true || item["hidden"].optionalBool() == true { return nil }
        let name = try item["name"].string()
        var options: [String: String] = [:]
        for option in try item["options"]["elements"].array() {
            let attribute = option["attribute"]["name"].nonBlank()?.lowercased() ?? "option"
            if let value = option["name"].nonBlank() { options[attribute] = value }
        }
        let kind = try item["categories"]["elements"].array().first?["name"].nonBlank() ?? "item"
        return Product(
            id: try item["itemGroup"]["id"].optionalString().map { "group:\($0)" } ?? item["id"].string(), brand: "",
            name: item["itemGroup"]["name"].nonBlank() ?? name, category: Category.guess(kind: kind, title: name), kind: kind,
            optionNames: options.keys.sorted(), variants: [Variant(sku: try item["id"].string(), options: options, price: try money(item["price"]))])
    }

    private func location(_ merchant: Field) throws -> Location {
        try merchant.location(id: "id", name: "name", address: ["address1", "city", "state", "zip"].map { "address.\($0)" })
    }

    private func order(_ field: Field) throws -> Order {
        let currency = field["currency"].nonBlank() ?? self.currency
        let lines = try field["lineItems"]["elements"].array().map { line in
            OrderLine(
                sku: line["item"]["id"].optionalString() ?? "", productID: line["item"]["id"].optionalString() ?? "",
                title: try line["name"].string(), quantity: max(1, (line["unitQty"].optionalInt() ?? 1000) / 1000),
                unitPrice: try money(line["price"], currency: currency))
        }
        let total = try field["total"].exists ? money(field["total"], currency: currency) : lines.reduce(Money.zero(currency.uppercased())) { $0 + $1.total }
        let state = field["state"].optionalString() ?? field["status"].optionalString() ?? ""
        let status: OrderStatus = switch state.lowercased() {
        case "paid", "locked": .confirmed
        case "fulfilled": .delivered
        case "returned", "refunded": .returned
        case "canceled", "cancelled", "deleted": .cancelled
        default: .pending
        }
        return Order(
            number: try field["id"].string(), customerID: try field["customers"]["elements"].array().first?["id"].optionalString() ?? "",
            status: status, fulfillment: .pickup, locationID: "", lines: lines, subtotal: total, tax: Money.zero(currency.uppercased()),
            placedAt: field["createdTime"].optionalInt().map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? Date(timeIntervalSince1970: 0))
    }

    /// An Ecommerce charge (`source` is the card) or a v3 payment (`cardTransaction`).
    private func payment(_ field: Field) throws -> Payment {
        let currency = field["currency"].nonBlank() ?? self.currency
        let card = field.has("source") ? field["source"] : field["cardTransaction"]
        let brand = card["brand"].nonBlank() ?? card["cardType"].nonBlank() ?? ""
        let created = field["created"].optionalInt() ?? field["createdTime"].optionalInt()
        return Payment(
            id: try field["id"].string(), orderNumber: field["order"].optionalString() ?? field["order"]["id"].optionalString() ?? "",
            amount: try money(field["amount"], currency: currency), cardBrand: Self.brands[brand] ?? brand.capitalized,
            cardLast4: card["last4"].nonBlank() ?? card["last4"].optionalString() ?? "",
            capturedAt: created.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? Date(timeIntervalSince1970: 0))
    }

    private static let brands = ["MC": "Mastercard", "VISA": "Visa", "AMEX": "American Express", "DISCOVER": "Discover"]

    private func refund(_ field: Field) throws -> Refund {
        Refund(
            id: try field["id"].string(), orderNumber: field["order"].optionalString() ?? field["charge"].optionalString() ?? "",
            amount: try money(field["amount"], currency: field["currency"].nonBlank()), lines: [],
            createdAt: field["created"].optionalInt().map { Date(timeIntervalSince1970: Double($0) / 1000) }, note: field["reason"].nonBlank())
    }

    private func customer(_ field: Field) throws -> Customer {
        let name = [field["firstName"].nonBlank(), field["lastName"].nonBlank()].compactMap { $0 }.joined(separator: " ")
        return Customer(
            id: try field["id"].string(), name: name,
            phone: try field["phoneNumbers"]["elements"].array().first?["phoneNumber"].nonBlank() ?? "",
            email: try field["emailAddresses"]["elements"].array().first?["emailAddress"].nonBlank() ?? "", homeLocationID: nil,
            cardOnFile: nil)
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
