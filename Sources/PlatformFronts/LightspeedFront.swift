import Connectors
import Foundation
import RetailModel
import StoreSimulator

/// The simulated store as Lightspeed Retail (R-Series) V3: `/API/V3/Account/{accountID}/{Resource}.json`, OAuth
/// bearer tokens from `POST /auth/oauth/token` (refresh-token grant, form-encoded) that lapse after
/// `requestsPerToken` requests so every replay exercises a refresh, every scalar a string, one-element
/// relations sent as objects (and empty ones as `""`), `@attributes {count, offset, limit}` paging with
/// `limit` ≤ 100, errors as `{"httpCode", "httpMessage", "message", "errorClass"}` (400s labelled
/// `text/html`, as Lightspeed does), and the leaky-bucket headers on every answer.
///
/// Shapes: every product is an `ItemMatrix` whose id is the product id (a one-item matrix for a product
/// without options, so the id survives), its variants Items with `itemID` = SKU and `ItemAttributes` in the
/// slots of an `ItemAttributeSet` named after the product's options in order; orders are Sales with
/// `saleID` = order number; what Lightspeed has no field for is in the sale's internal note
/// (`LightspeedSaleNote`).
///
/// Flows: each connector call reaches the simulator's matching flow once — the catalog on the first page of
/// `Item.json` (matrices, attribute sets and later pages are served from that read), a search on
/// `ItemMatrix.json?description=`, a status read on `Sale.json?saleID=`, a return on a `POST Sale.json` with
/// negative quantities. `SaleLine.json` and lookups by `referenceNumber` read stored records, no flow.
public struct LightspeedFront: PlatformFront {
    public let platform = Platform.lightspeed
    /// Requests one access token is good for.
    public static let requestsPerToken = 25
    /// Seconds an access token says it lasts (`expires_in`).
    static let tokenLifetime = 1800
    /// The leaky bucket's size and drip rate per second, as the headers report them.
    static let bucketSize = 60.0
    /// What the connector names as the `referenceNumberSource` of the sales it makes.
    static let referenceSource = "VoicePOS"
    private let kit: FrontKit
    private let accountID: String
    private let clientID: String
    private let clientSecret: String
    private let ledger: LightspeedLedger

    public init(store: StoreSimulator, accountID: String, clientID: String, clientSecret: String, refreshToken: String) {
        kit = FrontKit(store: store)
        self.accountID = accountID
        self.clientID = clientID
        self.clientSecret = clientSecret
        ledger = LightspeedLedger(refreshToken: refreshToken)
    }

    private var store: StoreSimulator { kit.store }

    public func respond(to request: FrontRequest) async -> HTTPResponse {
        if request.path == ["auth", "oauth", "token"] { return await token(request) }
        let cost = request.method == "GET" ? 1.0 : 10.0
        return await FrontKit.answering {
            let path = request.path
            guard path.count >= 5, path[0] == "API", path[1] == "V3", path[2] == "Account" else { throw FrontFailure.noRoute }
            guard let header = request.headers["authorization"], header.hasPrefix("Bearer "),
                await ledger.authorize(String(header.dropFirst("Bearer ".count)))
            else { throw FrontFailure.unauthorized }
            guard path[3] == accountID else {
                return answer(errorBody(403, "Access denied for account \(path[3]).", "AccessDeniedException"), status: 403, cost: cost)
            }
            let body = try await route(request, resource: Array(path.dropFirst(4)))
            return answer(body, cost: cost)
        } failure: {
            failure($0, cost: cost)
        } refusal: { refused in
            switch refused {
            case .unauthorized:
                var response = answer(errorBody(401, "Invalid access token.", "BadAuthenticationRequestError"), status: 401, cost: cost)
                response.headers["www-authenticate"] = #"Bearer realm="MerchantOS API""#
                return response
            case .badRequest(let why): return failure(.invalidRequest(why), cost: cost)
            case .noRoute: return answer(errorBody(404, "Not Found", "NotFoundException"), status: 404, cost: cost)
            }
        }
    }

    // MARK: Routes

    private func route(_ request: FrontRequest, resource: [String]) async throws -> [String: Any] {
        let query = request.query
        switch (request.method, resource) {
        case ("GET", ["Item.json"]):
            if let filter = query["itemID"] {
                let items = try await stockItems(Self.ids(in: filter))
                return try page("Item", items, request)
            }
            // The catalog flow is the first page; later pages are that same read.
            let products: [Product]
            if (Int(query["offset"] ?? "0") ?? 0) == 0 {
                products = try await freshCatalog()
            } else {
                products = try await catalog()
            }
            let items: [[String: Any]] = products.flatMap { product in product.variants.map { item(product, $0) } }
            return try page("Item", items, request)
        case ("GET", ["ItemMatrix.json"]):
            let products: [Product]
            if let filter = query["description"] {
                products = try await store.searchProducts(matching: Self.likeText(filter))
            } else {
                products = try await catalog()
            }
            return try page("ItemMatrix", products.map { matrix($0) }, request)
        case ("GET", ["ItemAttributeSet.json"]):
            var sets: [[String]] = []
            for product in try await catalog() {
                let names = Self.slotNames(product)
                if !names.isEmpty, !sets.contains(names) { sets.append(names) }
            }
            return try page("ItemAttributeSet", sets.map { attributeSet(names: $0) }, request)
        case ("GET", ["Shop.json"]):
            let locations = try await store.locations()
            return try page("Shop", locations.map { shop($0) }, request)
        case ("GET", let path) where path.count == 2 && path[0] == "Customer":
            let customerID = try Self.id(path[1])
            let found = try await store.customer(id: customerID)
            return one("Customer", customer(found))
        case ("GET", ["Customer.json"]):
            guard let pattern = query["Contact.phone"] else {
                throw FrontFailure.badRequest("the loopback front searches customers by Contact.phone")
            }
            let found: Customer
            do {
                found = try await store.customer(phone: pattern.filter(\.isNumber))
            } catch POSError.notFound {
                return try page("Customer", [], request)
            }
            return try page("Customer", [customer(found)], request)
        case ("POST", ["Sale.json"]):
            return try await createSale(try request.json())
        case ("GET", ["Sale.json"]):
            return try await listSales(request)
        case ("GET", let path) where path.count == 2 && path[0] == "Sale":
            let number = try Self.id(path[1])
            let order = try await store.order(number: number)
            let object = await sale(order)
            return one("Sale", object)
        case ("PUT", let path) where path.count == 2 && path[0] == "Sale":
            let number = try Self.id(path[1])
            let body = try request.json()
            let order: Order
            if Self.flag(body["voided"]) {
                order = try await store.cancelOrder(number: number)
            } else if Self.flag(body["completed"]) {
                order = try await store.confirmOrder(number: number)
            } else {
                throw FrontFailure.badRequest("the loopback front updates a sale's completed or voided flag only")
            }
            let object = await sale(order)
            return one("Sale", object)
        case ("GET", ["SaleLine.json"]):
            guard let number = query["saleID"] else { throw FrontFailure.badRequest("the loopback front lists sale lines by saleID") }
            let order = await store.storedOrder(number: number)
            return try page("SaleLine", order.map { saleLines($0) } ?? [], request)
        default:
            throw FrontFailure.noRoute
        }
    }

    /// `Sale.json` filtered by `referenceNumber` (stored records), `saleID` (the status flow) or `customerID`
    /// (the recent-orders flow).
    private func listSales(_ request: FrontRequest) async throws -> [String: Any] {
        let query = request.query
        if let reference = query["referenceNumber"] {
            switch await ledger.sale(reference: reference) {
            case .order(let number)?:
                guard let order = await store.storedOrder(number: number) else { return try page("Sale", [], request) }
                let object = await sale(order)
                return try page("Sale", [object], request)
            case .returned(let receipt, let original)?:
                return try page("Sale", [returnSale(receipt, original: original, reference: reference)], request)
            case nil:
                return try page("Sale", [], request)
            }
        }
        if let number = query["saleID"] {
            do {
                _ = try await store.orderStatus(number: number)
            } catch POSError.notFound {
                return try page("Sale", [], request)
            }
            guard let order = await store.storedOrder(number: number) else { return try page("Sale", [], request) }
            let object = await sale(order)
            return try page("Sale", [object], request)
        }
        guard let customerID = query["customerID"] else {
            throw FrontFailure.badRequest("the loopback front lists sales by customerID, saleID or referenceNumber")
        }
        let offset = max(0, Int(query["offset"] ?? "0") ?? 0)
        let limit = try Self.pageLimit(query)
        let orders = try await store.recentOrders(customerID: customerID, limit: offset + limit)
        var sales: [Any] = []
        for order in orders.dropFirst(offset) {
            let object = await sale(order)
            sales.append(object)
        }
        let total = await store.snapshot().orders.filter { $0.customerID == customerID }.count
        return list("Sale", sales, count: total, offset: offset, limit: limit)
    }

    /// A new sale, or — with negative quantities — a return of the sale its lines point at.
    private func createSale(_ body: [String: Any]) async throws -> [String: Any] {
        let lines = try Self.saleLines(in: body)
        let notes = (body["SaleNotes"] as? [String: Any])?["InternalNote"] as? [String: Any]
        let note = LightspeedSaleNote.parse(notes?["note"] as? String ?? "")
        let reference = Self.text(body["referenceNumber"]).flatMap { $0.isEmpty ? nil : $0 }
        if lines.contains(where: { $0.quantity < 0 }) || (lines.isEmpty && note[.returnOf] != nil) {
            guard lines.allSatisfy({ $0.quantity < 0 }) else { throw FrontFailure.badRequest("a sale cannot both sell and return items") }
            // Lightspeed's link is each line's parentSaleLineID; the note names the sale when a line has none.
            let parent = lines.compactMap { $0.parent }.first { $0 != "0" && $0.contains("-") }
            guard let number = parent.map({ String($0[..<$0.lastIndex(of: "-")!]) }) ?? note[.returnOf] else {
                throw FrontFailure.badRequest("a return's lines need parentSaleLineID")
            }
            let method = note[.refundMethod].flatMap(RefundMethod.init(rawValue:)) ?? .originalPayment
            let receipt = try await store.createReturn(
                ReturnRequest(
                    orderNumber: number, lines: lines.map { LineItem(sku: $0.itemID, quantity: -$0.quantity) }, reason: note[.reason] ?? "",
                    refundMethod: method))
            guard let original = await store.storedOrder(number: number) else { throw POSError.notFound("order \(number)") }
            if let reference { await ledger.remember(reference: reference, sale: .returned(receipt, original)) }
            return one("Sale", returnSale(receipt, original: original, reference: reference))
        }
        guard !lines.isEmpty else { throw FrontFailure.badRequest("Sale not created. A sale needs SaleLines.") }
        guard let customerID = Self.text(body["customerID"]), let shopID = Self.text(body["shopID"]) else {
            throw FrontFailure.badRequest("Sale not created. A sale needs a shopID and a customerID.")
        }
        let shipping = body["ShipTo"] != nil || (Self.text(body["shipToID"]).map { $0 != "0" && !$0.isEmpty } ?? false)
        let order = try await store.createOrder(
            OrderRequest(
                customerID: customerID, lines: lines.map { LineItem(sku: $0.itemID, quantity: $0.quantity) },
                fulfillment: shipping ? .shipping : .pickup, locationID: shopID, sourceLocationID: note[.sourceLocation],
                reference: reference))
        if let reference { await ledger.remember(reference: reference, sale: .order(order.number)) }
        let object = await sale(order)
        return one("Sale", object)
    }

    /// The catalog read through the flow (the first page of items), kept for the reads that complete it.
    private func freshCatalog() async throws -> [Product] {
        let products = try await store.catalog()
        await ledger.remember(catalog: products)
        return products
    }

    private func catalog() async throws -> [Product] {
        if let products = await ledger.catalog() { return products }
        return try await freshCatalog()
    }

    /// Items with their `ItemShops`: one row per shop, then shop 0, the all-shops total.
    private func stockItems(_ skus: [String]) async throws -> [Any] {
        let levels = try await store.stock(skus: skus)
        let known = await ledger.catalog() ?? []
        var items: [Any] = []
        for sku in skus {
            let rows = levels.filter { $0.sku == sku }
            var shops: [Any] = rows.map { level in
                var row: [String: Any] = [
                    "itemShopID": "\(sku)-\(level.locationID)", "itemID": sku, "shopID": level.locationID, "qoh": String(level.available),
                    "backorder": "0", "componentQoh": "0", "reorderPoint": "0", "reorderLevel": "0",
                ]
                if let counted = level.countedAt { row["timeStamp"] = FrontKit.date(counted) }
                return row
            }
            shops.append(
                [
                    "itemShopID": "\(sku)-0", "itemID": sku, "shopID": "0", "qoh": String(rows.reduce(0) { $0 + $1.available }), "backorder": "0",
                    "componentQoh": "0", "reorderPoint": "0", "reorderLevel": "0",
                ] as [String: Any])
            var item: [String: Any] = [
                "itemID": sku, "systemSku": sku, "customSku": sku, "archived": "false", "ItemShops": ["ItemShop": relation(shops)],
            ]
            if let product = known.first(where: { $0.variants.contains { $0.sku == sku } }) {
                item["itemMatrixID"] = product.id
                item["description"] = product.displayName
            }
            items.append(item)
        }
        return items
    }

    // MARK: OAuth

    /// `POST /auth/oauth/token` with `grant_type=refresh_token`, the client's id and secret and a refresh token
    /// the ledger holds; answers a new access token and a rotated refresh token.
    private func token(_ request: FrontRequest) async -> HTTPResponse {
        let fields = Self.formFields(request.body)
        guard request.method == "POST", fields["grant_type"] == "refresh_token", fields["client_id"] == clientID,
            fields["client_secret"] == clientSecret,
            let refresh = fields["refresh_token"], let grant = await ledger.grant(refreshToken: refresh)
        else {
            return answer(errorBody(401, "Invalid client credentials or refresh token.", "BadAuthenticationRequestError"), status: 401, cost: 1)
        }
        let body: [String: Any] = [
            "access_token": grant.access, "expires_in": Self.tokenLifetime, "token_type": "Bearer", "scope": "employee:all",
            "refresh_token": grant.refresh,
        ]
        return answer(body, cost: 1)
    }

    /// `application/x-www-form-urlencoded` fields.
    private static func formFields(_ body: Data) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text) }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    // MARK: Lightspeed's envelope

    /// One element or several as Lightspeed sends a relation: `""`, the object itself, or an array.
    private func relation(_ elements: [Any]) -> Any {
        if elements.isEmpty { return "" }
        if elements.count == 1 { return elements[0] }
        return elements
    }

    /// A relation holder: `{"ContactPhone": …}` around the elements, or `""` when there are none.
    private func holder(_ key: String, _ elements: [[String: Any]]) -> Any {
        if elements.isEmpty { return "" }
        return [key: relation(elements)]
    }

    /// One object under its resource name, as a single read or a create answers.
    private func one(_ key: String, _ object: Any) -> [String: Any] {
        ["@attributes": ["count": "1"], key: object]
    }

    /// A page of a list: `@attributes` and the page's elements (absent when there are none).
    private func page(_ key: String, _ elements: [Any], _ request: FrontRequest) throws -> [String: Any] {
        let offset = max(0, Int(request.query["offset"] ?? "0") ?? 0)
        let limit = try Self.pageLimit(request.query)
        let slice = offset < elements.count ? Array(elements[offset..<min(elements.count, offset + limit)]) : []
        return list(key, slice, count: elements.count, offset: offset, limit: limit)
    }

    private func list(_ key: String, _ slice: [Any], count: Int, offset: Int, limit: Int) -> [String: Any] {
        var object: [String: Any] = ["@attributes": ["count": String(count), "offset": String(offset), "limit": String(limit)]]
        if !slice.isEmpty { object[key] = relation(slice) }
        return object
    }

    /// `limit`: 100 when absent, at most 100.
    private static func pageLimit(_ query: [String: String]) throws -> Int {
        guard let text = query["limit"] else { return 100 }
        guard let limit = Int(text), (1...100).contains(limit) else { throw FrontFailure.badRequest("limit must be between 1 and 100") }
        return limit
    }

    private func answer(_ object: Any, status: Int = 200, cost: Double, retryAfter: Double? = nil) -> HTTPResponse {
        // The bucket as Lightspeed reports it: used/size, and the drip per second. A 429 reports a level that
        // leaves no room for a write, so (level + 10 − size) / drip is the wait.
        var level = cost
        var headers = ["X-LS-API-Drip-Rate": "1"]
        if status == 429 {
            level = Self.bucketSize - 10 + max(0, retryAfter ?? 0)
            if retryAfter == 0 { headers["Retry-After"] = "0" }
        }
        headers["X-LS-API-Bucket-Level"] = "\(level)/\(Int(Self.bucketSize))"
        var response = kit.json(object, status: status, headers: headers)
        // Lightspeed labels its JSON 400s as HTML.
        if status == 400 { response.headers["content-type"] = "text/html; charset=UTF-8" }
        return response
    }

    private func errorBody(_ code: Int, _ message: String, _ errorClass: String) -> [String: Any] {
        ["httpCode": String(code), "httpMessage": Self.reasons[code] ?? "Error", "message": message, "errorClass": errorClass]
    }

    private static let reasons = [
        400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests",
        503: "Service Unavailable", 504: "Gateway Timeout",
    ]

    private func failure(_ posError: POSError, cost: Double) -> HTTPResponse {
        switch posError {
        case .notFound(let what): return answer(errorBody(404, what, "NotFoundException"), status: 404, cost: cost)
        case .outOfStock(let sku, let available):
            return answer(errorBody(400, "Only \(available) of item \(sku) are in stock.", LightspeedErrorClass.outOfStock), status: 400, cost: cost)
        case .paymentDeclined(let reason):
            return answer(errorBody(402, "Payment declined: \(reason.rawValue)", LightspeedErrorClass.paymentDeclined), status: 402, cost: cost)
        case .rateLimited(let seconds):
            return answer(
                errorBody(429, "Rate limit exceeded. Please slow down.", "RateLimitException"), status: 429, cost: cost, retryAfter: seconds)
        case .unavailable:
            return answer(errorBody(503, "The service is temporarily unavailable.", "ServiceUnavailableException"), status: 503, cost: cost)
        case .timeout: return answer(errorBody(504, "The request timed out.", "GatewayTimeoutException"), status: 504, cost: cost)
        case .invalidRequest(let why): return answer(errorBody(400, why, "Exception"), status: 400, cost: cost)
        }
    }

    // MARK: Reading requests

    /// `123.json` → `123`.
    private static func id(_ segment: String) throws -> String {
        guard segment.hasSuffix(".json"), segment.count > 5 else { throw FrontFailure.noRoute }
        return String(segment.dropLast(5))
    }

    /// `IN,[1,2,3]` → ["1", "2", "3"]; a plain value is one id.
    private static func ids(in filter: String) -> [String] {
        guard filter.hasPrefix("IN,[") && filter.hasSuffix("]") else { return [filter] }
        return filter.dropFirst(4).dropLast().split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    /// `~,%air max%` (LIKE) → `air max`.
    private static func likeText(_ filter: String) -> String {
        var text = Substring(filter)
        if text.hasPrefix("~,") { text = text.dropFirst(2) }
        return String(text).trimmingCharacters(in: CharacterSet(charactersIn: "%"))
    }

    /// A scalar as Lightspeed reads one: text or a number.
    private static func text(_ value: Any?) -> String? {
        if let string = value as? String { return string }
        if let number = value as? Int { return String(number) }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }

    private static func flag(_ value: Any?) -> Bool {
        if let yes = value as? Bool { return yes }
        return text(value) == "true"
    }

    /// `SaleLines: {SaleLine: [{itemID, unitQuantity, parentSaleLineID}]}` (or one line as an object, or the
    /// `SaleLines: [{SaleLine: {…}}]` form).
    private static func saleLines(in body: [String: Any]) throws -> [(itemID: String, quantity: Int, parent: String?)] {
        var raw: [[String: Any]] = []
        if let holder = body["SaleLines"] as? [String: Any] {
            if let many = holder["SaleLine"] as? [[String: Any]] { raw = many } else if let one = holder["SaleLine"] as? [String: Any] { raw = [one] }
        } else if let wrapped = body["SaleLines"] as? [[String: Any]] {
            raw = wrapped.compactMap { $0["SaleLine"] as? [String: Any] }
        }
        return try raw.map { line -> (itemID: String, quantity: Int, parent: String?) in
            guard let itemID = text(line["itemID"]), let quantity = text(line["unitQuantity"]).flatMap({ Int($0) }) else {
                throw FrontFailure.badRequest("SaleLine not created. A sale line needs an itemID and a whole unitQuantity.")
            }
            return (itemID, quantity, text(line["parentSaleLineID"]))
        }
    }

    // MARK: The store → Lightspeed objects

    // Ids of manufacturers, categories and attribute sets are their names on the loopback (Lightspeed's are
    // numbers; any string does), so every answer names them alike without reading the whole catalog.

    /// The option names an attribute set can hold: three slots.
    private static func slotNames(_ product: Product) -> [String] { Array(product.optionNames.prefix(3)) }

    private static func setID(_ product: Product) -> String {
        let names = slotNames(product)
        return names.isEmpty ? "0" : names.joined(separator: "/")
    }

    private func attributeSet(names: [String]) -> [String: Any] {
        let slots = (0..<3).map { $0 < names.count ? names[$0] : "" }
        return [
            "itemAttributeSetID": names.joined(separator: "/"), "name": names.joined(separator: "/"), "attributeName1": slots[0],
            "attributeName2": slots[1], "attributeName3": slots[2], "system": "false", "archived": "false",
        ]
    }

    /// The relations a matrix and its items both carry: manufacturer (the brand) and category (the kind).
    private func relations(_ product: Product, into object: inout [String: Any]) {
        object["manufacturerID"] = product.brand.isEmpty ? "0" : product.brand
        if !product.brand.isEmpty { object["Manufacturer"] = ["manufacturerID": product.brand, "name": product.brand] }
        object["categoryID"] = product.kind
        object["Category"] = ["categoryID": product.kind, "name": product.kind, "fullPathName": product.kind]
    }

    private func matrix(_ product: Product) -> [String: Any] {
        var object: [String: Any] = [
            "itemMatrixID": product.id, "description": product.name, "itemType": "default", "archived": "false", "tax": "true",
            "defaultCost": "0", "serialized": "false", "modelYear": "0", "itemAttributeSetID": Self.setID(product),
        ]
        relations(product, into: &object)
        return object
    }

    private func item(_ product: Product, _ variant: Variant) -> [String: Any] {
        let names = Self.slotNames(product)
        let prices: [Any] = [
            ["amount": variant.price.decimalText, "useTypeID": "1", "useType": "Default"],
            ["amount": "0", "useTypeID": "2", "useType": "MSRP"],
        ]
        var object: [String: Any] = [
            "itemID": variant.sku, "systemSku": variant.sku, "customSku": variant.sku, "manufacturerSku": "", "upc": "", "ean": "",
            "description": ([product.displayName] + names.compactMap { variant.options[$0] }).joined(separator: " "),
            "itemMatrixID": product.id, "itemType": "default", "archived": "false", "tax": "true", "discountable": "true", "defaultCost": "0",
            "avgCost": "0", "modelYear": "0", "itemAttributesID": names.isEmpty ? "0" : variant.sku,
            "Prices": ["ItemPrice": relation(prices)],
        ]
        if !names.isEmpty {
            var attributes: [String: Any] = ["itemAttributesID": variant.sku, "itemAttributeSetID": Self.setID(product)]
            for slot in 0..<3 { attributes["attribute\(slot + 1)"] = slot < names.count ? variant.options[names[slot]] ?? "" : "" }
            object["ItemAttributes"] = attributes
        }
        relations(product, into: &object)
        return object
    }

    private func shop(_ location: Location) -> [String: Any] {
        let addresses =
            location.address.isEmpty
            ? []
            : [
                ["address1": location.address, "address2": "", "city": "", "state": "", "zip": "", "country": "", "countryCode": ""] as [String: Any]
            ]
        let address = holder("ContactAddress", addresses)
        return [
            "shopID": location.id, "name": location.name, "archived": "false", "timeZone": store.timeZone?.identifier ?? "UTC",
            "Contact": ["contactID": location.id, "Addresses": address, "Phones": "", "Emails": "", "Websites": ""] as [String: Any],
        ]
    }

    private func customer(_ customer: Customer) -> [String: Any] {
        let name = FrontKit.split(name: customer.name)
        let phones = holder("ContactPhone", customer.phone.isEmpty ? [] : [["number": customer.phone, "useType": "Mobile"] as [String: Any]])
        let emails = holder("ContactEmail", customer.email.isEmpty ? [] : [["address": customer.email, "useType": "Primary"] as [String: Any]])
        return [
            "customerID": customer.id, "firstName": name.given, "lastName": name.family, "archived": "false", "creditAccountID": "0",
            "Contact": [
                "contactID": customer.id, "Phones": phones, "Emails": emails, "Addresses": "", "Websites": "", "noEmail": "false", "noPhone": "false",
                "noMail": "false",
            ] as [String: Any],
        ]
    }

    private func saleLines(_ order: Order) -> [Any] {
        order.lines.enumerated().map { index, line in
            var item: [String: Any] = ["itemID": line.sku, "systemSku": line.sku, "description": line.title]
            if !line.productID.isEmpty { item["itemMatrixID"] = line.productID }
            let price = line.unitPrice.decimalText
            let subtotal = line.total.decimalText
            let object: [String: Any] = [
                "saleLineID": "\(order.number)-\(index + 1)", "saleID": order.number, "itemID": line.sku, "unitQuantity": String(line.quantity),
                "unitPrice": price, "normalUnitPrice": price, "calcSubtotal": subtotal, "displayableSubtotal": subtotal, "discountAmount": "0",
                "tax": "true", "isSpecialOrder": "false", "isLayaway": "false", "isWorkorder": "false", "parentSaleLineID": "0",
                "createTime": FrontKit.date(order.placedAt), "shopID": order.locationID, "customerID": order.customerID, "Item": item,
            ]
            return object
        }
    }

    /// A sale: `completed` once confirmed, `voided` when cancelled, a `ShipTo` for shipped orders (marked
    /// `shipped` once it left), and the note for the rest.
    private func sale(_ order: Order) async -> [String: Any] {
        let paid = await store.payments(forOrder: order.number).reduce(0) { $0 + $1.amount.minorUnits }
        let currency = order.total.currency
        let shipping = order.fulfillment == .shipping
        var note: [LightspeedSaleNote.Key: String] = [:]
        switch order.status {
        case .pending, .confirmed, .cancelled: break
        case .shipped where shipping: break
        default: note[.status] = order.status.rawValue
        }
        if let source = order.sourceLocationID { note[.sourceLocation] = source }
        if let shipment = order.shipment {
            note[.carrier] = shipment.carrier
            note[.tracking] = shipment.trackingNumber
            note[.shippedAt] = shipment.shippedAt.map(FrontKit.date)
            if let eta = shipment.estimatedDelivery { note[.estimatedDelivery] = FrontKit.date(eta) }
        }
        if let delivered = order.deliveredAt { note[.deliveredAt] = FrontKit.date(delivered) }
        if let ready = order.readyAt { note[.readyAt] = FrontKit.date(ready) }
        let reference = await ledger.reference(ofOrder: order.number)
        let isOpen = order.status == .pending || order.status == .cancelled
        let voided = order.status == .cancelled
        let referenceSource = reference == nil ? "" : Self.referenceSource
        let shipTo = shipping ? order.number : "0"
        var object: [String: Any] = [
            "saleID": order.number, "createTime": FrontKit.date(order.placedAt), "timeStamp": FrontKit.date(order.placedAt),
            "completed": isOpen ? "false" : "true", "voided": voided ? "true" : "false", "archived": "false",
            "referenceNumber": reference ?? "", "referenceNumberSource": referenceSource,
            "customerID": order.customerID, "shopID": order.locationID, "shipToID": shipTo,
            "employeeID": "0", "registerID": "0", "quoteID": "0", "discountID": "0", "taxCategoryID": "0", "isTaxInclusive": "false",
            "calcSubtotal": order.subtotal.decimalText, "displayableSubtotal": order.subtotal.decimalText,
            "calcTax1": order.tax.decimalText, "calcTax2": "0.00", "calcTotal": order.total.decimalText,
            "total": order.total.decimalText, "displayableTotal": order.total.decimalText,
            "calcPayments": Money(minorUnits: paid, currency: currency).decimalText,
            "balance": Money(minorUnits: order.total.minorUnits - paid, currency: currency).decimalText,
            "SaleLines": ["SaleLine": relation(saleLines(order))],
        ]
        if !note.isEmpty {
            object["SaleNotes"] = [
                "InternalNote": ["note": LightspeedSaleNote.render(note), "isPublic": "false"],
                "PrintedNote": ["note": "", "isPublic": "true"],
            ]
        }
        if shipping {
            let shipped = [OrderStatus.shipped, .delivered, .returned].contains(order.status)
            object["ShipTo"] = [
                "shipToID": order.number, "saleID": order.number, "customerID": order.customerID, "shipped": shipped ? "true" : "false",
                "shipNote": "",
            ]
        }
        return object
    }

    /// A return sale: negative lines pointing at the original sale's lines, totals that give money back.
    private func returnSale(_ receipt: ReturnReceipt, original: Order, reference: String?) -> [String: Any] {
        let currency = receipt.refundAmount.currency
        var price = 0
        var lines: [Any] = []
        for (index, item) in receipt.request.lines.enumerated() {
            let position = original.lines.firstIndex { $0.sku == item.sku }
            let ordered = position.map { original.lines[$0] }
            let unit = ordered?.unitPrice ?? Money.zero(currency)
            price += unit.minorUnits * item.quantity
            let subtotal = Money(minorUnits: -unit.minorUnits * item.quantity, currency: currency)
            let parent = position.map { "\(original.number)-\($0 + 1)" } ?? "0"
            let described: [String: Any] = ["itemID": item.sku, "description": ordered?.title ?? item.sku]
            let line: [String: Any] = [
                "saleLineID": "\(receipt.id)-\(index + 1)", "saleID": receipt.id, "itemID": item.sku, "unitQuantity": String(-item.quantity),
                "unitPrice": unit.decimalText, "calcSubtotal": subtotal.decimalText, "parentSaleLineID": parent,
                "createTime": FrontKit.date(receipt.createdAt), "shopID": original.locationID, "customerID": original.customerID, "Item": described,
            ]
            lines.append(line)
        }
        let refund = receipt.refundAmount.minorUnits
        let note = LightspeedSaleNote.render([
            .returnOf: original.number, .reason: receipt.request.reason, .refundMethod: receipt.request.refundMethod.rawValue,
        ])
        let referenceSource = reference == nil ? "" : Self.referenceSource
        let total = Money(minorUnits: -refund, currency: currency).decimalText
        let object: [String: Any] = [
            "saleID": receipt.id, "createTime": FrontKit.date(receipt.createdAt), "timeStamp": FrontKit.date(receipt.createdAt),
            "completed": "true", "voided": "false", "archived": "false", "referenceNumber": reference ?? "", "referenceNumberSource": referenceSource,
            "customerID": original.customerID, "shopID": original.locationID, "shipToID": "0",
            "calcSubtotal": Money(minorUnits: -price, currency: currency).decimalText,
            "calcTax1": Money(minorUnits: price - refund, currency: currency).decimalText, "calcTax2": "0.00",
            "calcTotal": total, "total": total, "SaleLines": ["SaleLine": relation(lines)],
            "SaleNotes": ["InternalNote": ["note": note, "isPublic": "false"]],
        ]
        return object
    }
}

/// The front's own records: OAuth tokens, the sales made under each `referenceNumber`, and the catalog as the
/// catalog flow last read it.
actor LightspeedLedger {
    enum Sale: Sendable {
        case order(String)
        case returned(ReturnReceipt, Order)
    }

    private let installedRefreshToken: String
    private var latestRefreshToken: String?
    /// Access token → requests it is still good for.
    private var accessTokens: [String: Int] = [:]
    private var issued = 0
    private var sales: [String: Sale] = [:]
    private var references: [String: String] = [:]
    private var products: [Product]?

    init(refreshToken: String) { installedRefreshToken = refreshToken }

    /// Counts one request against the token; false when it is unknown or used up.
    func authorize(_ token: String) -> Bool {
        guard let left = accessTokens[token], left > 0 else { return false }
        accessTokens[token] = left - 1
        return true
    }

    /// A new access token and a rotated refresh token. The refresh token the app was installed with stays
    /// good (a new connector starts from it); of the rotated ones only the latest is.
    func grant(refreshToken: String) -> (access: String, refresh: String)? {
        guard refreshToken == installedRefreshToken || refreshToken == latestRefreshToken else { return nil }
        issued += 1
        let access = "ls-access-\(issued)"
        let refresh = "ls-refresh-\(issued)"
        accessTokens[access] = LightspeedFront.requestsPerToken
        latestRefreshToken = refresh
        return (access, refresh)
    }

    func remember(reference: String, sale: Sale) {
        sales[reference] = sale
        if case .order(let number) = sale { references[number] = reference }
    }

    func sale(reference: String) -> Sale? { sales[reference] }

    func reference(ofOrder number: String) -> String? { references[number] }

    func remember(catalog: [Product]) { products = catalog }

    func catalog() -> [Product]? { products }
}
