import Foundation
import RetailModel

/// Lightspeed Retail (R-Series) as a `PointOfSale`: the V3 API's `Item`, `ItemMatrix`, `ItemAttributeSet`,
/// `Shop`, `Customer`, `Sale` and `SaleLine` resources under `/API/V3/Account/{accountID}/`.
///
/// - Auth: OAuth 2. The connector starts with no access token; it trades the refresh token for one
///   (`POST tokenURL`, form-encoded `grant_type=refresh_token`), sends `Authorization: Bearer …`, refreshes when
///   the token's `expires_in` runs out or a request answers 401, and retries that request once. A refresh
///   token the server rotates is kept. Tokens live in an actor and are never printed.
/// - Paging: `offset`/`limit` (100 at most) read against `@attributes.count`.
/// - Catalog: a product is an `ItemMatrix` (id = `itemMatrixID`), its variants the matrix's Items (SKU =
///   `itemID`), option names from the `ItemAttributeSet`s, brand from the `Manufacturer` relation.
/// - Stock: `Item.json?itemID=IN,[…]&load_relations=["ItemShops"]`, skipping shop 0 (the all-shops total).
/// - Customers by phone: `Customer.json?load_relations=["Contact"]&Contact.phone=~,%5%5%5%0%1…` — a LIKE on the
///   contact's phone with `%` between the last ten digits, so any formatting of the stored number matches;
///   the candidates are then compared by their last ten digits, and exactly one must match.
/// - Orders are Sales (the spoken order number is the `saleID`). R-Series has no idempotency keys: every
///   create carries our own `referenceNumber` (`referenceNumberSource: "VoicePOS"`), and when a create times out
///   or fails on the server the connector looks the reference up before giving up, so a sale that was in
///   fact made is returned instead of a second one.
/// - Lightspeed has no field for a transfer's source store, carrier and tracking, ship, delivery and ready
///   times, or the statuses ready for pickup, delivered and returned: they live in the sale's internal note
///   (`LightspeedSaleNote`); a shipped sale is a `ShipTo` marked `shipped`.
/// - Confirming sets the sale `completed` (Lightspeed's own flag for a finished sale); cancelling sets it
///   `voided` (both with `PUT Sale/{id}.json`).
/// - Payments: R-Series records payments taken at its registers and has no API that charges a card token, so
///   `takesCardPayments` is false and `takePayment` refuses; callers pay at pickup or by link.
/// - Returns: Lightspeed's own mechanism, a new Sale whose lines have negative `unitQuantity` and point at the
///   original lines with `parentSaleLineID`. Refunds may go to the original payment or store credit (the
///   customer's credit account); the method, reason and original sale are in the return sale's note.
public struct LightspeedConnector: PointOfSale {
    public let capabilities: POSCapabilities
    /// Largest page R-Series serves.
    static let pageSize = 100
    private let client: PlatformClient
    private let tokens: LightspeedTokens
    private let state: ConnectorState
    private let currency: String
    private let accountID: String

    /// - Parameters:
    ///   - baseURL: `https://api.lightspeedapp.com` (or a loopback front).
    ///   - tokenURL: `https://cloud.lightspeedapp.com/auth/oauth/token`.
    ///   - accountID: the merchant's account id, in every resource path.
    ///   - clientID, clientSecret: the API client's credentials.
    ///   - refreshToken: the merchant's long-lived refresh token (from the authorization-code exchange).
    public init(
        baseURL: URL, tokenURL: URL, accountID: String, clientID: String, clientSecret: Secret, refreshToken: Secret, currency: String = "USD",
        profile: StoreProfile = StoreProfile(), transport: any HTTPTransport
    ) {
        // The bearer header is added per request (see `send`), so a rejected token can be told from a fresh one.
        client = PlatformClient(platform: .lightspeed, baseURL: baseURL, transport: transport) { [:] }
        tokens = LightspeedTokens(
            tokenURL: tokenURL, clientID: clientID, clientSecret: clientSecret, refreshToken: refreshToken, transport: transport)
        state = ConnectorState(profile: profile)
        capabilities = profile.narrow(POSCapabilities(takesCardPayments: false, takesReturns: true))
        self.currency = currency
        self.accountID = accountID
    }

    // MARK: Catalog and stock

    /// Items first (the flow's own read), then their matrices and the attribute sets that name their options.
    public func catalog() async throws -> [Product] {
        let items = try await list("Item.json", key: "Item", query: [("load_relations", #"["ItemAttributes","Manufacturer","Category"]"#)])
        let matrices = try await list("ItemMatrix.json", key: "ItemMatrix", query: [("load_relations", #"["Manufacturer","Category"]"#)])
        let sets = try await list("ItemAttributeSet.json", key: "ItemAttributeSet")
        let payload = JSONPayload.object(["Item": .array(items), "ItemMatrix": .array(matrices), "ItemAttributeSet": .array(sets)])
        guard case .products(let products) = try client.decode(payload, as: .product, currency: currency) else { throw POSError.unavailable }
        return await state.remember(catalog: products)
    }

    /// Matrices whose description is LIKE the text, answered from the synced catalog.
    public func searchProducts(matching text: String) async throws -> [Product] {
        let matrices = try await list("ItemMatrix.json", key: "ItemMatrix", query: [("description", "~,%\(text)%")])
        let ids = matrices.compactMap { $0.string("itemMatrixID") }
        if !(await state.hasCatalog()) { _ = try await catalog() }
        return await state.products(ids: ids)
    }

    public func stock(skus: [SKU]) async throws -> [StockLevel] {
        guard !skus.isEmpty else { return [] }
        let items = try await list(
            "Item.json", key: "Item", query: [("itemID", "IN,[\(skus.joined(separator: ","))]"), ("load_relations", #"["ItemShops"]"#)])
        guard case .inventory(let levels) = try client.decode(.object(["Item": .array(items)]), as: .inventory, currency: currency) else {
            throw POSError.unavailable
        }
        return levels
    }

    public func locations() async throws -> [Location] {
        try await state.locations {
            let shops = try await list("Shop.json", key: "Shop", query: [("load_relations", #"["Contact"]"#)])
            guard case .locations(let found) = try client.decode(.object(["Shop": .array(shops)]), as: .location, currency: currency) else {
                throw POSError.unavailable
            }
            return found
        }
    }

    // MARK: Customers

    public func customer(id: String) async throws -> Customer {
        let payload = try await send("GET", "Customer/\(id.pathSafe).json", query: [("load_relations", #"["Contact"]"#)])
        guard case .customers(let found) = try client.decode(payload, as: .customer, currency: currency), let customer = found.first else {
            throw POSError.notFound("customer \(id)")
        }
        return state.profile.apply(to: customer)
    }

    public func customer(phone: String) async throws -> Customer {
        let digits = phone.filter(\.isNumber)
        let lastTen = String(digits.suffix(10))
        let pattern = "~,%" + lastTen.map { String($0) }.joined(separator: "%") + "%"
        let found = try await list("Customer.json", key: "Customer", query: [("load_relations", #"["Contact"]"#), ("Contact.phone", pattern)])
        var matches: [Customer] = []
        if !found.isEmpty, case .customers(let customers) = try client.decode(.object(["Customer": .array(found)]), as: .customer, currency: currency)
        {
            matches = customers.filter { digits.count >= 10 && $0.phone.filter(\.isNumber).hasSuffix(lastTen) }
        }
        guard matches.count == 1 else { throw POSError.notFound("customer with phone ending \(digits.suffix(4))") }
        return state.profile.apply(to: matches[0])
    }

    // MARK: Orders

    public func createOrder(_ request: OrderRequest) async throws -> Order {
        let reference = request.reference ?? Self.reference("order")
        var sale: [String: Any] = [
            "shopID": request.locationID, "customerID": request.customerID, "completed": "false",
            "referenceNumber": reference, "referenceNumberSource": Self.referenceSource,
            "SaleLines": ["SaleLine": request.lines.map { ["itemID": $0.sku, "unitQuantity": String($0.quantity)] }],
        ]
        if request.fulfillment == .shipping { sale["ShipTo"] = ["customerID": request.customerID, "shipped": "false"] as [String: Any] }
        if let source = request.sourceLocationID {
            sale["SaleNotes"] = ["InternalNote": ["note": LightspeedSaleNote.render([.sourceLocation: source])]]
        }
        return try await decodedOrder(try await create(sale, reference: reference))
    }

    /// R-Series cannot charge a card: it records payments taken at its own registers.
    public func takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) async throws -> Payment {
        throw POSError.invalidRequest(
            "Lightspeed Retail (R-Series) cannot charge a card token: it records payments taken at its registers, so order \(orderNumber) is paid at pickup or by link"
        )
    }

    /// Marks the sale `completed`.
    public func confirmOrder(number: String) async throws -> Order {
        let id = await saleID(number)
        return try await decodedOrder(try await send("PUT", "Sale/\(id.pathSafe).json", query: Self.saleRelations, json: ["completed": "true"]))
    }

    /// Voids the sale.
    public func cancelOrder(number: String) async throws -> Order {
        let id = await saleID(number)
        return try await decodedOrder(try await send("PUT", "Sale/\(id.pathSafe).json", query: Self.saleRelations, json: ["voided": "true"]))
    }

    public func recentOrders(customerID: String, limit: Int) async throws -> [Order] {
        guard limit > 0 else { return [] }
        let sales = try await list(
            "Sale.json", key: "Sale",
            query: [("customerID", customerID), ("orderby", "createTime"), ("orderby_desc", "1")] + Self.saleRelations, maximum: limit)
        guard !sales.isEmpty else { return [] }
        return try await decodedOrders(.object(["Sale": .array(sales)]))
    }

    /// The sale read as a list filtered by id (a status read); an empty list means no such order.
    public func orderStatus(number: String) async throws -> OrderStatusReport {
        let id = await saleID(number)
        let sales = try await list("Sale.json", key: "Sale", query: [("saleID", id)] + Self.saleRelations)
        guard !sales.isEmpty, let order = try await decodedOrders(.object(["Sale": .array(sales)])).first else {
            throw POSError.notFound("order \(number)")
        }
        return OrderStatusReport(order: order)
    }

    public func order(number: String) async throws -> Order {
        let id = await saleID(number)
        return try await decodedOrder(try await send("GET", "Sale/\(id.pathSafe).json", query: Self.saleRelations))
    }

    /// A return sale: the returned units as negative lines pointing at the original sale's lines.
    public func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt {
        let original = await saleID(request.orderNumber)
        let lines = try await list("SaleLine.json", key: "SaleLine", query: [("saleID", original)])
        var byItem: [String: JSONPayload] = [:]
        for line in lines { if let item = line.string("itemID"), byItem[item] == nil { byItem[item] = line } }
        let reference = Self.reference("return")
        var sale: [String: Any] = [
            "completed": "false", "referenceNumber": reference, "referenceNumberSource": Self.referenceSource,
            "SaleNotes": [
                "InternalNote": [
                    "note": LightspeedSaleNote.render([
                        .returnOf: request.orderNumber, .reason: request.reason, .refundMethod: request.refundMethod.rawValue,
                    ])
                ]
            ],
            "SaleLines": [
                "SaleLine": request.lines.map { item -> [String: Any] in
                    var line: [String: Any] = ["itemID": item.sku, "unitQuantity": String(-item.quantity)]
                    if let parent = byItem[item.sku] {
                        line["parentSaleLineID"] = parent.string("saleLineID") ?? "0"
                        if let price = parent.string("unitPrice") { line["unitPrice"] = price }
                    }
                    return line
                }
            ],
        ]
        if let first = lines.first {
            if let shop = first.string("shopID") { sale["shopID"] = shop }
            if let customer = first.string("customerID") { sale["customerID"] = customer }
        }
        let payload = try await create(sale, reference: reference)
        let made: (id: String, refund: Money, createdAt: Date?)
        do {
            made = try LightspeedMapper(currency: currency).returnSale(payload)
        } catch {
            throw POSError.unavailable
        }
        return ReturnReceipt(id: made.id, request: request, refundAmount: made.refund, createdAt: made.createdAt ?? Date())
    }

    // MARK: Sales

    static let referenceSource = "VoicePOS"
    static let saleRelations = [("load_relations", #"["SaleLines","SaleLines.Item","SaleNotes","ShipTo"]"#)]

    /// Our own reference for a create, so a retried create can be found instead of made twice.
    private static func reference(_ kind: String) -> String { "voicepos-\(kind)-\(UUID().uuidString.lowercased())" }

    /// `POST Sale.json`; when the answer is lost (timeout, server failure), the sale carrying our reference
    /// is looked up before the error is passed on.
    private func create(_ sale: [String: Any], reference: String) async throws -> JSONPayload {
        do {
            return try await send("POST", "Sale.json", query: Self.saleRelations, json: sale)
        } catch let error as POSError where error == .timeout || error == .unavailable {
            let found = try? await list("Sale.json", key: "Sale", query: [("referenceNumber", reference)] + Self.saleRelations)
            guard let made = found?.first else { throw error }
            return .object(["Sale": made])
        }
    }

    private func saleID(_ number: String) async -> String {
        await state.platformID(ofOrder: number) ?? number
    }

    private func decodedOrder(_ payload: JSONPayload) async throws -> Order {
        guard let order = try await decodedOrders(payload).first else { throw POSError.unavailable }
        return order
    }

    private func decodedOrders(_ payload: JSONPayload) async throws -> [Order] {
        guard case .orders(let orders) = try client.decode(payload, as: .order, currency: currency) else { throw POSError.unavailable }
        let ids = Self.relation(payload.objectValue?["Sale"]).map { $0.string("saleID") }
        var completed: [Order] = []
        for (index, order) in orders.enumerated() {
            completed.append(await state.complete(order, platformID: index < ids.count ? ids[index] : nil))
        }
        return completed
    }

    // MARK: Requests

    /// One request to a resource under the account, with the bearer token; on 401 the token is refreshed and
    /// the request sent once more.
    private func send(
        _ method: String, _ resource: String, query: [(String, String)] = [], json body: [String: Any]? = nil
    ) async throws
        -> JSONPayload
    {
        let path = "API/V3/Account/\(accountID.pathSafe)/\(resource)"
        var token = try await tokens.current()
        var response = try await client.sendRaw(method, path, query: query, json: body, extraHeaders: ["Authorization": "Bearer \(token.value)"])
        if response.status == 401 {
            token = try await tokens.renewed(after: token)
            response = try await client.sendRaw(method, path, query: query, json: body, extraHeaders: ["Authorization": "Bearer \(token.value)"])
        }
        if let failure = HTTPFailure.error(in: response, platform: .lightspeed) { throw failure }
        if response.body.isEmpty { return .object([:]) }
        do {
            return try JSONPayload.parse(response.body, platform: .lightspeed)
        } catch {
            throw POSError.unavailable
        }
    }

    /// Every element of a list resource, page by page (`offset`, `limit` ≤ 100, until `@attributes.count`).
    ///
    /// - Parameter maximum: stop after this many elements.
    private func list(_ resource: String, key: String, query: [(String, String)] = [], maximum: Int? = nil) async throws -> [JSONPayload] {
        var all: [JSONPayload] = []
        var offset = 0
        // A server that ignored `offset` would page forever; no account has a million pages of anything.
        for _ in 0..<1_000_000 {
            let limit = min(Self.pageSize, maximum.map { $0 - all.count } ?? Self.pageSize)
            guard limit > 0 else { break }
            let page = try await send("GET", resource, query: query + [("offset", String(offset)), ("limit", String(limit))])
            let found = Self.relation(page.objectValue?[key])
            all += found
            offset += found.count
            let count = page.objectValue?["@attributes"]?.int("count")
            if found.count < limit || count.map({ offset >= $0 }) ?? false { break }
        }
        if let maximum, all.count > maximum { all = Array(all.prefix(maximum)) }
        return all
    }

    /// A Lightspeed relation as a list: an array, one object, or nothing (`""` or absent).
    static func relation(_ value: JSONPayload?) -> [JSONPayload] {
        switch value {
        case .array(let items)?: items
        case .object?: [value!]
        default: []
        }
    }
}

/// The OAuth tokens of one Lightspeed account: the refresh token (replaced when the server rotates it) and the
/// current access token with its expiry. One refresh at a time; requests waiting on it share its result.
actor LightspeedTokens {
    private let tokenURL: URL
    private let clientID: String
    private let clientSecret: Secret
    private let transport: any HTTPTransport
    private var refreshToken: Secret
    private var access: Secret?
    private var expires = Date.distantPast
    private var refreshing: Task<Secret, any Error>?

    init(tokenURL: URL, clientID: String, clientSecret: Secret, refreshToken: Secret, transport: any HTTPTransport) {
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.refreshToken = refreshToken
        self.transport = transport
    }

    /// A token that has not expired, refreshed first when needed.
    func current() async throws -> Secret {
        if let access, expires > Date() { return access }
        return try await refresh()
    }

    /// A new token after `rejected` was refused (401), unless another request has already replaced it.
    func renewed(after rejected: Secret) async throws -> Secret {
        if let access, access != rejected, expires > Date() { return access }
        access = nil
        return try await refresh()
    }

    private func refresh() async throws -> Secret {
        if let refreshing { return try await refreshing.value }
        let task = Task { try await self.exchange() }
        refreshing = task
        defer { refreshing = nil }
        return try await task.value
    }

    /// `grant_type=refresh_token`, form-encoded; the answer's `access_token`, `expires_in` and, when the server
    /// rotates it, `refresh_token`.
    private func exchange() async throws -> Secret {
        let fields = [
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken.value), ("client_id", clientID), ("client_secret", clientSecret.value),
        ]
        let body = fields.map { "\($0.0)=\(Self.formEncoded($0.1))" }.joined(separator: "&")
        let request = HTTPRequest(
            method: "POST", url: tokenURL,
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"], body: Data(body.utf8))
        try await RequestBudget.current?.spend()
        let response = try await transport.send(request)
        if let failure = HTTPFailure.error(in: response, platform: .lightspeed) { throw failure }
        guard let grant = try? JSONPayload.parse(response.body, platform: .lightspeed), let token = grant.string("access_token"), !token.isEmpty
        else { throw POSError.unavailable }
        let lifetime = Double(grant.int("expires_in") ?? 1800)
        // Refresh a minute early (or halfway, for short-lived tokens) so no request carries a token that lapses on the way.
        expires = Date().addingTimeInterval(max(lifetime / 2, lifetime - 60))
        if let rotated = grant.string("refresh_token"), !rotated.isEmpty { refreshToken = Secret(rotated) }
        let secret = Secret(token)
        access = secret
        return secret
    }

    /// `application/x-www-form-urlencoded` value: unreserved characters kept, everything else percent-encoded.
    private static func formEncoded(_ value: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
