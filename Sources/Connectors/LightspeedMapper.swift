import Foundation
import RetailModel

/// Lightspeed Retail (R-Series) payloads → the unified schema.
///
/// Traps handled: everything is a string (prices, booleans, ids, quantities); a relation with one element
/// is an object and with several an array, and an empty one may be `""`; the SKU is the `itemID` (custom
/// and manufacturer SKUs may be blank); a variant is an ordinary Item whose `ItemAttributes` name up to
/// three values; stock is `ItemShops.ItemShop[].qoh` per shop, where shop 0 is the all-shops total.
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
            if root.has("ItemAttributeSet") {
                var sets: [String: [String]] = [:]
                for set in try root["ItemAttributeSet"].listOrOne() {
                    sets[try set["itemAttributeSetID"].string()] = (1...3).compactMap { set["attributeName\($0)"].nonBlank()?.lowercased() }
                }
                return .optionSets(sets)
            }
            // Items of one matrix (style) are the variants of one product.
            var products: [Product] = []
            for item in try root["Item"].listOrOne().compactMap(product) {
                if let index = products.firstIndex(where: { $0.id == item.id && item.id.hasPrefix("matrix:") }) {
                    products[index].variants += item.variants
                    products[index].optionNames = Array(Set(products[index].optionNames + item.optionNames)).sorted()
                } else {
                    products.append(item)
                }
            }
            return .products(products)
        case .inventory:
            return .inventory(try root["Inventory"].listOrOne().flatMap { try stock(of: $0["Item"]) })
        case .location:
            return .locations(try root["Shop"].listOrOne().compactMap(location))
        case .order:
            if root.has("SaleLine") {
                // Lines without their sale: one order per sale they belong to.
                let lines = try root["SaleLine"].listOrOne()
                let bySale = Dictionary(grouping: lines) { $0["saleID"].optionalString() ?? "" }
                return .orders(try bySale.keys.sorted().map { try order(number: $0, lines: bySale[$0]!, sale: nil) })
            }
            return .orders(try root["Sale"].listOrOne().map { sale in
                try order(number: try sale["saleID"].string(), lines: try sale["SaleLines"]["SaleLine"].listOrOne(), sale: sale)
            })
        case .payment:
            return .payments(try root["SalePayment"].listOrOne().map(payment))
        case .customer:
            return .customers(try root["Customer"].listOrOne().map(customer))
        case .error:
            return .error(error(root))
        case .refund:
            throw root.error("Lightspeed has no refund object: a return is a sale with negative quantities and a refund payment; decode it as an order")
        case .webhook:
            throw root.error("Lightspeed Retail (R-Series) has no webhooks; changes are found by polling with timeStamp filters")
        }
    }

    private func product(_ item: Field) throws -> Product? {
        if item["archived"].flag { return nil }
        let id = try item["itemID"].string()
        var options: [String: String] = [:]
        for index in 1...3 {
            if let value = item["ItemAttributes"]["attribute\(index)"].nonBlank() { options["attribute\(index)"] = value }
        }
        let prices = try item["Prices"]["ItemPrice"].listOrOne()
        let price = prices.first { $0["useType"].optionalString() == "Default" } ?? prices.first
        guard let price else { throw item["Prices"].error("no price") }
        let matrix = item["itemMatrixID"].optionalString().flatMap { $0 == "0" ? nil : $0 }
        let name = try item["description"].string()
        let kind = item["Category"]["name"].nonBlank() ?? "item"
        return Product(
            id: matrix.map { "matrix:\($0)" } ?? id, brand: item["Manufacturer"]["name"].nonBlank() ?? "", name: name,
            category: Category.guess(kind: kind, title: name), kind: kind, optionNames: options.keys.sorted(),
            variants: [Variant(sku: id, options: options, price: try price["amount"].decimalMoney(currency: currency))])
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

    private func order(number: String, lines: [Field], sale: Field?) throws -> Order {
        let mapped = try lines.map { line in
            OrderLine(
                sku: try line["itemID"].string(), productID: try line["itemID"].string(),
                title: try line["Item"]["description"].nonBlank() ?? "item \(line["itemID"].string())",
                quantity: try line["unitQuantity"].int(), unitPrice: try line["unitPrice"].decimalMoney(currency: currency))
        }
        let zero = Money.zero(currency)
        let subtotal = try sale?["calcSubtotal"].optionalDecimalMoney(currency: currency)
            ?? lines.reduce(zero) { $0 + ((try $1["calcSubtotal"].optionalDecimalMoney(currency: currency)) ?? zero) }
        var tax = zero
        for holder in sale.map({ [$0] }) ?? lines {
            for key in ["calcTax1", "calcTax2"] { tax = tax + (try holder[key].optionalDecimalMoney(currency: currency) ?? zero) }
        }
        let first = sale ?? lines.first
        let status: OrderStatus = sale.map { sale in
            sale["voided"].flag ? .cancelled : sale["completed"].flag ? .confirmed : .pending
        } ?? .pending
        return Order(
            number: number, customerID: first?["customerID"].optionalString().flatMap { $0 == "0" ? nil : $0 } ?? "", status: status,
            fulfillment: (sale?["shipToID"].optionalString() ?? "0") == "0" ? .pickup : .shipping,
            locationID: first?["shopID"].optionalString() ?? "", lines: mapped, subtotal: subtotal, tax: tax,
            placedAt: try first?["createTime"].optionalDate() ?? first?["timeStamp"].optionalDate() ?? Date(timeIntervalSince1970: 0))
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

    private func error(_ root: Field) -> POSError {
        let message = root["message"].nonBlank() ?? root["httpMessage"].nonBlank() ?? "Lightspeed error"
        switch root["httpCode"].optionalInt() ?? 0 {
        case 401, 403: return .unavailable
        case 404: return .notFound(message)
        case 429: return .rateLimited(retryAfterSeconds: nil)
        case 500...599: return .unavailable
        default: return .invalidRequest(message)
        }
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
