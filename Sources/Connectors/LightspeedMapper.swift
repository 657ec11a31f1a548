import Foundation
import RetailModel

/// Lightspeed Retail (R-Series) payloads → the unified schema.
///
/// Traps handled: everything is a string (prices, booleans, ids, quantities); a relation with one element
/// is an object and with several an array, and an empty one may be `""`; the SKU is the `itemID` (custom
/// and manufacturer SKUs may be blank); a variant is an ordinary Item whose `ItemAttributes` name up to
/// three values in slots an `ItemAttributeSet` names; stock is `ItemShops.ItemShop[].qoh` per shop, where
/// shop 0 is the all-shops total.
///
/// Products: an `ItemMatrix` is the product (its `itemMatrixID` is the product id, its `description` the
/// name, its `Manufacturer` the brand) and its Items are the variants. An Item outside any matrix is a
/// product of its own, with the id `item:{itemID}` (item and matrix ids are separate sequences). Given
/// `ItemAttributeSet`s alongside, attribute slots are named by the set (lower-cased, in slot order);
/// without them a value keeps its slot name (`attribute1`).
///
/// Sales: what Lightspeed has no field for (carrier, tracking, ship and delivery dates, ready time, the
/// store a transfer comes from, and the statuses ready-for-pickup, delivered and returned) is read from the
/// sale's internal note (`SaleNotes.InternalNote.note`) in the `LightspeedSaleNote` format.
struct LightspeedMapper: PayloadMapper {
    let platform = Platform.lightspeed
    let currency: String

    func detectKind(_ payload: JSONPayload) -> ObjectKind? {
        guard let object = payload.objectValue else { return nil }
        if object["httpCode"] != nil, object["message"] != nil { return .error }
        let keys: [(String, ObjectKind)] = [
            ("Item", .product), ("ItemMatrix", .product), ("ItemAttributeSet", .product), ("Inventory", .inventory),
            ("Shop", .location), ("Sale", .order), ("SaleLine", .order), ("SalePayment", .payment), ("Customer", .customer),
        ]
        return keys.first { object[$0.0] != nil }?.1
    }

    func decode(_ payload: JSONPayload, as kind: ObjectKind) throws -> DecodedPayload {
        let root = root(payload, kind.rawValue)
        switch kind {
        case .product:
            if root.has("ItemAttributeSet"), !root.has("Item"), !root.has("ItemMatrix") {
                return .optionSets(try attributeSlots(root).mapValues { $0.compactMap { $0 } })
            }
            return .products(try products(root))
        case .inventory:
            if root.has("Inventory") {
                return .inventory(try root["Inventory"].listOrOne().flatMap { try stock(of: $0["Item"]) })
            }
            // Items read with `load_relations=["ItemShops"]`.
            return .inventory(try root["Item"].listOrOne().flatMap { try stock(of: $0) })
        case .location:
            return .locations(try root["Shop"].listOrOne().compactMap(location))
        case .order:
            if root.has("SaleLine") {
                // Lines without their sale: one order per sale they belong to.
                let lines = try root["SaleLine"].listOrOne()
                let bySale = Dictionary(grouping: lines) { $0["saleID"].optionalString() ?? "" }
                return .orders(try bySale.keys.sorted().map { try order(number: $0, lines: bySale[$0]!, sale: nil) })
            }
            return .orders(
                try root["Sale"].listOrOne().map { sale in
                    try order(number: try sale["saleID"].string(), lines: try sale["SaleLines"]["SaleLine"].listOrOne(), sale: sale)
                })
        case .payment:
            if root.has("Sale") {
                // Payments loaded with their sales (`load_relations`).
                return .payments(try root["Sale"].listOrOne().flatMap { try $0["SalePayments"]["SalePayment"].listOrOne() }.map(payment))
            }
            return .payments(try root["SalePayment"].listOrOne().map(payment))
        case .customer:
            return .customers(try root["Customer"].listOrOne().map(customer))
        case .error:
            return .error(error(root))
        case .refund:
            throw root.error(
                "Lightspeed has no refund object: a return is a sale with negative quantities and a refund payment; decode it as an order")
        case .webhook:
            throw root.error("Lightspeed Retail (R-Series) has no webhooks; changes are found by polling with timeStamp filters")
        }
    }

    // MARK: Products

    /// Attribute set id → the option name of each of its three slots (nil where the slot is unused).
    private func attributeSlots(_ root: Field) throws -> [String: [String?]] {
        var sets: [String: [String?]] = [:]
        for set in try root["ItemAttributeSet"].listOrOne() {
            sets[try set["itemAttributeSetID"].string()] = (1...3).map { set["attributeName\($0)"].nonBlank()?.lowercased() }
        }
        return sets
    }

    /// Items grouped into their matrices, in the order their first item is listed.
    private func products(_ root: Field) throws -> [Product] {
        var slots = try attributeSlots(root)
        var matrices: [String: Field] = [:]
        var items = try root["Item"].listOrOne()
        for matrix in try root["ItemMatrix"].listOrOne() {
            matrices[try matrix["itemMatrixID"].string()] = matrix
            items += try matrix["Items"]["Item"].listOrOne()
        }
        var order: [String] = []
        var building: [String: (product: Product, setID: String?, unnamed: Set<String>)] = [:]
        for item in items where !item["archived"].flag {
            let itemID = try item["itemID"].string()
            let matrixID = Self.id(item["itemMatrixID"])
            let matrix = matrixID.flatMap { matrices[$0] }
            if matrix?["archived"].flag == true { continue }
            let productID = matrixID ?? "item:\(itemID)"
            let setID = Self.id(item["ItemAttributes"]["itemAttributeSetID"]) ?? matrix.flatMap { Self.id($0["itemAttributeSetID"]) }
            // With `load_relations=all` each item carries its attribute set inline.
            let inline = item["ItemAttributes"]["ItemAttributeSet"]
            if let setID, slots[setID] == nil, inline.exists {
                slots[setID] = (1...3).map { inline["attributeName\($0)"].nonBlank()?.lowercased() }
            }
            let names = setID.flatMap { slots[$0] }
            var options: [String: String] = [:]
            var unnamed: Set<String> = []
            for index in 1...3 {
                guard let value = item["ItemAttributes"]["attribute\(index)"].nonBlank() else { continue }
                if let name = names?[index - 1] {
                    options[name] = value
                } else {
                    options["attribute\(index)"] = value
                    unnamed.insert("attribute\(index)")
                }
            }
            let variant = Variant(sku: itemID, options: options, price: try price(of: item))
            if var entry = building[productID] {
                entry.product.variants.append(variant)
                entry.unnamed.formUnion(unnamed)
                if entry.setID == nil { entry.setID = setID }
                building[productID] = entry
                continue
            }
            // Without its matrix, a variant's description ("T-Shirt Red Small") less its values is the style's name.
            var name = try matrix?["description"].nonBlank() ?? item["description"].string()
            if matrix == nil, matrixID != nil {
                var words = name.split(separator: " ").map(String.init)
                for value in options.values.sorted(by: { $0.count > $1.count }) {
                    let parts = value.split(separator: " ").map(String.init)
                    if words.count > parts.count, Array(words.suffix(parts.count)) == parts { words.removeLast(parts.count) }
                }
                while words.count > 1, let last = words.last, options.values.contains(last) { words.removeLast() }
                name = words.joined(separator: " ")
            }
            let kind = matrix?["Category"]["name"].nonBlank() ?? item["Category"]["name"].nonBlank() ?? "item"
            let product = Product(
                id: productID, brand: matrix?["Manufacturer"]["name"].nonBlank() ?? item["Manufacturer"]["name"].nonBlank() ?? "",
                name: name, category: Category.guess(kind: kind, title: name), kind: kind, optionNames: [], variants: [variant])
            building[productID] = (product, setID, unnamed)
            order.append(productID)
        }
        return order.compactMap { id in
            guard var entry = building[id] else { return nil }
            // The set's names in slot order (those some variant has a value for), then unnamed slots.
            let used = Set(entry.product.variants.flatMap(\.options.keys))
            let named = (entry.setID.flatMap { slots[$0] } ?? []).compactMap { $0 }.filter(used.contains)
            var names: [String] = []
            for name in named where !names.contains(name) { names.append(name) }
            entry.product.optionNames = names + entry.unnamed.sorted()
            return entry.product
        }
    }

    /// The `Default` price (else the first listed).
    private func price(of item: Field) throws -> Money {
        let prices = try item["Prices"]["ItemPrice"].listOrOne()
        guard let price = prices.first(where: { $0["useType"].optionalString() == "Default" }) ?? prices.first else {
            throw item["Prices"].error("no price")
        }
        return try price["amount"].decimalMoney(currency: currency)
    }

    /// A relation id, nil when blank or "0" (Lightspeed's "none").
    private static func id(_ field: Field) -> String? {
        guard let text = field.nonBlank(), text != "0" else { return nil }
        return text
    }

    /// Quantity on hand per shop; shop 0 is the total over all shops, not a store.
    private func stock(of item: Field) throws -> [StockLevel] {
        let sku = try item["itemID"].string()
        return try item["ItemShops"]["ItemShop"].listOrOne().compactMap { shop in
            let shopID = try shop["shopID"].string()
            guard shopID != "0" else { return nil }
            return StockLevel(sku: sku, locationID: shopID, available: max(0, try shop["qoh"].int()), countedAt: try shop["timeStamp"].optionalDate())
        }
    }

    private func location(_ shop: Field) throws -> Location? {
        if shop["archived"].flag { return nil }
        return try shop.location(
            id: "shopID", name: "name",
            address: ["address1", "address2", "city", "state", "zip"].map { "Contact.Addresses.ContactAddress.\($0)" })
    }

    // MARK: Sales

    private func order(number: String, lines: [Field], sale: Field?) throws -> Order {
        let mapped = try lines.map { line in
            let itemID = try line["itemID"].string()
            // The product is the line's item's matrix when the item was loaded with it; else the catalog says.
            let matrixID = line["Item"].has("itemMatrixID") ? Self.id(line["Item"]["itemMatrixID"]) ?? "item:\(itemID)" : ""
            return OrderLine(
                sku: itemID, productID: matrixID, title: line["Item"]["description"].nonBlank() ?? "item \(itemID)",
                quantity: try line["unitQuantity"].int(), unitPrice: try line["unitPrice"].decimalMoney(currency: currency))
        }
        let zero = Money.zero(currency)
        let subtotal =
            try sale?["calcSubtotal"].optionalDecimalMoney(currency: currency)
            ?? lines.reduce(zero) { $0 + ((try $1["calcSubtotal"].optionalDecimalMoney(currency: currency)) ?? zero) }
        var tax = zero
        for holder in sale.map({ [$0] }) ?? lines {
            for key in ["calcTax1", "calcTax2"] { tax = tax + (try holder[key].optionalDecimalMoney(currency: currency) ?? zero) }
        }
        let first = sale ?? lines.first
        let note = LightspeedSaleNote.parse(sale?["SaleNotes"]["InternalNote"]["note"].optionalString() ?? "")
        let noteField = { (key: LightspeedSaleNote.Key) in
            Field(note[key].map(JSONPayload.string), path: "SaleNotes.InternalNote.note[\(key.rawValue)]", platform: platform, object: "order")
        }
        var shipment: Shipment?
        if let tracking = note[.tracking], !tracking.isEmpty {
            shipment = Shipment(
                carrier: note[.carrier] ?? "", trackingNumber: tracking,
                shippedAt: try noteField(.shippedAt).optionalDate(),
                estimatedDelivery: try noteField(.estimatedDelivery).optionalDate())
        }
        // A sale ships when it has a ship-to address (`shipToID`, or the `ShipTo` relation itself).
        let shipTo = sale.flatMap { Self.id($0["shipToID"]) }
        let ships = shipTo != nil || sale?["ShipTo"].exists == true
        let customerID = first.flatMap { Self.id($0["customerID"]) } ?? ""
        return Order(
            number: number, customerID: customerID, status: status(sale, note: note), fulfillment: ships ? .shipping : .pickup,
            locationID: first?["shopID"].optionalString() ?? "", lines: mapped, subtotal: subtotal, tax: tax,
            placedAt: try first?["createTime"].optionalDate() ?? first?["timeStamp"].optionalDate() ?? Date(timeIntervalSince1970: 0),
            shipment: shipment, deliveredAt: try noteField(.deliveredAt).optionalDate(), readyAt: try noteField(.readyAt).optionalDate(),
            sourceLocationID: note[.sourceLocation].flatMap { $0.isEmpty ? nil : $0 },
            // Our own reference only: another app's `referenceNumber` means nothing to VoicePOS.
            reference: sale?["referenceNumberSource"].optionalString() == LightspeedConnector.referenceSource
                ? sale?["referenceNumber"].nonBlank() : nil)
    }

    /// `voided` cancels; a status the note names wins next (Lightspeed has no ready, delivered or returned);
    /// then a `ShipTo` marked `shipped`; then `completed`; else the sale is open (pending).
    private func status(_ sale: Field?, note: [LightspeedSaleNote.Key: String]) -> OrderStatus {
        guard let sale else { return .pending }
        if sale["voided"].flag || sale["archived"].flag { return .cancelled }
        if let named = note[.status].flatMap(OrderStatus.init(rawValue:)) { return named }
        if sale["ShipTo"]["shipped"].flag { return .shipped }
        return sale["completed"].flag ? .confirmed : .pending
    }

    /// A return sale as VoicePOS reads it back: its id, what it gives back (the negated total) and when.
    func returnSale(_ payload: JSONPayload) throws -> (id: String, refund: Money, createdAt: Date?) {
        let sales = try root(payload, "return sale")["Sale"].listOrOne()
        guard let sale = sales.first else { throw root(payload, "return sale").error("expected a Sale") }
        let total = try sale["calcTotal"].optionalDecimalMoney(currency: currency) ?? sale["total"].decimalMoney(currency: currency)
        return (
            try sale["saleID"].string(), Money(minorUnits: -total.minorUnits, currency: total.currency),
            try sale["createTime"].optionalDate() ?? sale["timeStamp"].optionalDate()
        )
    }

    private func payment(_ field: Field) throws -> Payment {
        Payment(
            id: try field["salePaymentID"].string(), orderNumber: try field["saleID"].string(),
            amount: try field["amount"].decimalMoney(currency: currency), cardBrand: field["PaymentType"]["name"].nonBlank() ?? "",
            cardLast4: field["CCCharge"]["xnum"].optionalString().map { String($0.filter(\.isNumber).suffix(4)) } ?? "",
            capturedAt: try field["createTime"].optionalDate() ?? Date(timeIntervalSince1970: 0))
    }

    private func customer(_ field: Field) throws -> Customer {
        let name = [field["firstName"].nonBlank(), field["lastName"].nonBlank()].compactMap { $0 }.joined(separator: " ")
        let contact = field["Contact"]
        return Customer(
            id: try field["customerID"].string(), name: name,
            phone: try contact["Phones"]["ContactPhone"].listOrOne().first?["number"].nonBlank() ?? "",
            email: try contact["Emails"]["ContactEmail"].listOrOne().first?["address"].nonBlank() ?? "",
            homeLocationID: nil, cardOnFile: nil)
    }

    // MARK: Errors

    /// `{"httpCode", "httpMessage", "message", "errorClass"}`. Out-of-stock and declines are told apart by
    /// their `errorClass` (`LightspeedErrorClass`).
    private func error(_ root: Field) -> POSError {
        let message = root["message"].nonBlank() ?? root["httpMessage"].nonBlank() ?? "Lightspeed error"
        switch root["errorClass"].optionalString() {
        case .some(LightspeedErrorClass.outOfStock):
            // "Only 2 of item 417 are in stock."
            let words = message.split(separator: " ").map(String.init)
            let available = words.count > 1 ? Int(words[1]) ?? 0 : 0
            var sku = ""
            if let start = message.range(of: " of item "), let end = message.range(of: " are in stock", range: start.upperBound..<message.endIndex) {
                sku = String(message[start.upperBound..<end.lowerBound])
            }
            return .outOfStock(sku: sku, available: available)
        case .some(LightspeedErrorClass.paymentDeclined):
            // "Payment declined: insufficient_funds"
            let code = message.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            return .paymentDeclined(DeclineReason(rawValue: code) ?? .generic)
        default: break
        }
        switch root["httpCode"].optionalInt() ?? 0 {
        case 401, 403: return .unavailable
        case 402: return .paymentDeclined(.generic)
        case 404: return .notFound(message)
        case 408, 504: return .timeout
        case 429: return .rateLimited(retryAfterSeconds: nil)
        case 500...599: return .unavailable
        default: return .invalidRequest(message)
        }
    }
}

/// The `errorClass` names that tell a Lightspeed error apart beyond its HTTP code. Lightspeed sends
/// `Exception` for most 400s; an account that refuses to oversell, and a card a processor declined, are
/// answered with these (the loopback front sends them; the message carries the details).
public enum LightspeedErrorClass {
    /// "Only {available} of item {itemID} are in stock."
    public static let outOfStock = "InsufficientInventoryException"
    /// "Payment declined: {reason}", the reason being a `DeclineReason` raw value.
    public static let paymentDeclined = "PaymentDeclinedException"
}

/// The app data VoicePOS keeps in a Lightspeed sale's internal note (`SaleNotes.InternalNote.note`), for what
/// R-Series has no field for: one `voicepos.{key}={value}` line per value, dates in ISO-8601 with
/// milliseconds. Other lines of the note (a clerk's words) are left alone.
///
/// Written by VoicePOS on creates (the store a transfer comes from; a return's original sale, reason and
/// refund method) and by the store's fulfilment tooling afterwards (carrier, tracking, dates, and the
/// statuses ready for pickup, delivered and returned).
public enum LightspeedSaleNote {
    public enum Key: String, Sendable, Hashable, CaseIterable {
        case status, carrier, tracking
        case shippedAt = "shipped_at"
        case estimatedDelivery = "estimated_delivery"
        case deliveredAt = "delivered_at"
        case readyAt = "ready_at"
        case sourceLocation = "source_location"
        case returnOf = "return_of"
        case reason
        case refundMethod = "refund_method"
    }

    static let prefix = "voicepos."

    /// The note's text: one line per value, in `Key` order; line breaks inside a value become spaces.
    public static func render(_ values: [Key: String]) -> String {
        Key.allCases.compactMap { key in
            values[key].map { "\(prefix)\(key.rawValue)=\($0.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " "))" }
        }.joined(separator: "\n")
    }

    /// The VoicePOS values in a note; lines that are not ours are skipped.
    public static func parse(_ note: String) -> [Key: String] {
        var values: [Key: String] = [:]
        for line in note.split(whereSeparator: \.isNewline) {
            guard line.hasPrefix(prefix), let equals = line.firstIndex(of: "=") else { continue }
            guard let key = Key(rawValue: String(line[line.index(line.startIndex, offsetBy: prefix.count)..<equals])) else { continue }
            values[key] = String(line[line.index(after: equals)...])
        }
        return values
    }
}

extension Field {
    /// Lightspeed relations: one element is an object, several an array, none `""` or absent.
    func listOrOne() throws -> [Field] {
        switch value {
        case nil, .null?, .string("")?: return []
        case .array?: return try array()
        case .object?: return [self]
        default: throw error("expected an object or a list")
        }
    }

    /// A boolean as Lightspeed writes it: `"true"` or `true`.
    var flag: Bool { optionalBool() ?? (optionalString() == "true") }
}
