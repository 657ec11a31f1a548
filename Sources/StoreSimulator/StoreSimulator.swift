import Foundation
import RetailModel

/// An in-memory store that behaves like a real POS: the embedded default behind every conversation.
///
/// Deterministic: order numbers count up from the fixture's `next_order_number`, payment, return and
/// card-token ids count from 1, and every date comes from the injected clock. Faults can be injected
/// per flow to rehearse what callers hear when the POS fails.
public actor StoreSimulator: PointOfSale, CardTokenizer {
    /// A way a flow misbehaves, `times` times (nil: every time), to rehearse what callers hear when the POS fails.
    public struct Fault: Sendable, Hashable {
        /// What the store does instead of simply answering.
        public enum Kind: Sendable, Hashable {
            /// Answers with this error instead of running the flow.
            case fail(POSError)
            /// Runs the flow (an order is created, a card charged), then the answer is lost: this error instead.
            case acceptThenFail(POSError)
            /// Answers with a body nobody can read (behind a platform front: broken JSON with HTTP 200).
            case malformed
            /// Answers normally, only late.
            case slow
        }

        /// The flow that misbehaves; nil for every flow (an outage).
        public var flow: POSFlow?
        public var kind: Kind
        /// Waited before answering (any kind).
        public var latency: Duration
        public var times: Int?

        public init(flow: POSFlow?, kind: Kind, latency: Duration = .zero, times: Int? = nil) {
            self.flow = flow
            self.kind = kind
            self.latency = latency
            self.times = times
        }

        /// The flow answers with `error` instead of running.
        public init(flow: POSFlow, error: POSError, times: Int? = nil) {
            self.init(flow: flow, kind: .fail(error), times: times)
        }
    }

    /// The answer of a flow with a `.malformed` fault: what a platform front turns into an unreadable body.
    public struct MalformedAnswer: Error, Sendable {}

    /// Everything the store holds now, for assertions after a conversation.
    public struct Snapshot: Sendable {
        public var orders: [Order]
        public var payments: [Payment]
        public var returns: [ReturnReceipt]
        public var stock: [SKU: [String: Int]]
    }

    /// The store's name, said in greetings.
    public nonisolated let storeName: String
    /// ISO 4217 code of every price.
    public nonisolated let currency: String
    /// Days after delivery an item can be returned.
    public nonisolated let returnWindowDays: Int
    /// The store's time zone, when the fixture names one.
    public nonisolated let timeZone: TimeZone?
    /// What the store's POS can do (a fixture may turn card payments off).
    public nonisolated let capabilities: POSCapabilities

    /// The store's clock: every date the simulator writes comes from it.
    public nonisolated let clock: StoreClock
    private let products: [Product]
    private let productBySKU: [SKU: (product: Product, variant: Variant)]
    private let locationList: [Location]
    /// When each location's counts were last synced, where the fixture says they are not live.
    private let countedAt: [String: Date]
    private let customers: [String: Customer]
    private var stockBySKU: [SKU: [String: Int]]
    private var orders: [String: Order]
    private var payments: [Payment] = []
    private var paymentsByKey: [String: Payment] = [:]
    private var returns: [ReturnReceipt] = []
    private var declinedTokens: [String: DeclineReason] = [:]
    /// Every token the vault has issued or holds on file: brand and last four only, never the number.
    private var cards: [String: CardToken] = [:]
    private var faults: [Fault] = []
    /// Random misbehaviour for load runs: the share of calls that fail somehow, and a seeded generator.
    private var chaosRate = 0.0
    private var chaos = SplitMix64(seed: 1)
    private var nextOrderNumber: Int
    private var nextPaymentID = 1
    private var nextReturnID = 1
    private var nextTokenID = 1
    /// Where the store's records are written after every change, so a restart keeps them; nil: memory only.
    private var stateFile: URL?

    /// What changes as the store takes orders: written to the state file after every change and read back at start.
    private struct Ledger: Codable {
        var stock: [SKU: [String: Int]]
        var orders: [String: Order]
        var payments: [Payment]
        var paymentsByKey: [String: Payment]
        var returns: [ReturnReceipt]
        var declinedTokens: [String: DeclineReason]
        var cards: [String: CardToken]
        var nextOrderNumber: Int
        var nextPaymentID: Int
        var nextReturnID: Int
        var nextTokenID: Int
    }

    /// Keeps the store's records (orders, payments, returns, stock, issued card tokens, the next numbers) in `url`:
    /// read back now if the file exists, written after every change from here on (to a temporary file, then renamed
    /// over it, so a crash leaves the old file or the new one, never half of one).
    ///
    /// Checkouts a crash cut short are finished as their calls would have finished them: an order the voice line
    /// created (it carries a reference) and that was paid in full is confirmed — the caller said yes to the charge —
    /// and one left unpaid is cancelled and its stock put back, as a hang-up does.
    ///
    /// - Returns: the orders confirmed and cancelled on reading the file back.
    /// - Throws: `StoreFixtureError` naming the file when it exists but cannot be read.
    @discardableResult
    public func keepRecords(in url: URL) throws -> (confirmed: [String], cancelled: [String]) {
        var finished: (confirmed: [String], cancelled: [String]) = ([], [])
        if FileManager.default.fileExists(atPath: url.path) {
            do {
                let ledger = try JSONDecoder().decode(Ledger.self, from: Data(contentsOf: url))
                stockBySKU = ledger.stock
                orders = ledger.orders
                payments = ledger.payments
                paymentsByKey = ledger.paymentsByKey
                returns = ledger.returns
                declinedTokens = ledger.declinedTokens
                cards = ledger.cards
                nextOrderNumber = ledger.nextOrderNumber
                nextPaymentID = ledger.nextPaymentID
                nextReturnID = ledger.nextReturnID
                nextTokenID = ledger.nextTokenID
            } catch {
                throw StoreFixtureError(source: url.path, message: "the store's state file cannot be read: \(error)")
            }
        }
        for order in orders.values.sorted(by: { $0.number < $1.number }) where order.status == .pending && order.reference != nil {
            let paid = payments.filter { $0.orderNumber == order.number }.reduce(0) { $0 + $1.amount.minorUnits }
            if paid >= order.total.minorUnits, (try? confirmOrderNow(number: order.number)) != nil {
                finished.confirmed.append(order.number)
            } else if paid == 0, (try? cancelOrderNow(number: order.number)) != nil {
                finished.cancelled.append(order.number)
            }
        }
        stateFile = url
        try save()
        return finished
    }

    /// Writes the records to the state file, if there is one; a failed write fails the change's answer.
    private func save() throws {
        guard let stateFile else { return }
        let ledger = Ledger(
            stock: stockBySKU, orders: orders, payments: payments, paymentsByKey: paymentsByKey, returns: returns,
            declinedTokens: declinedTokens, cards: cards, nextOrderNumber: nextOrderNumber, nextPaymentID: nextPaymentID,
            nextReturnID: nextReturnID, nextTokenID: nextTokenID)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(ledger).write(to: stateFile, options: .atomic)
        } catch {
            throw POSError.unavailable
        }
    }

    /// Builds the store from a fixture.
    ///
    /// - Throws: `StoreFixtureError` when the fixture refers to something it does not define.
    public init(fixture: StoreFixture, clock: StoreClock) throws {
        self.clock = clock
        storeName = fixture.store.name
        let currency = fixture.store.currency ?? "USD"
        self.currency = currency
        returnWindowDays = fixture.store.returnWindowDays ?? 30
        // Order numbers are as long as those the store has given and the next one it will give.
        let lengths = ((fixture.orders ?? []).map(\.number) + [String(fixture.store.nextOrderNumber ?? 1001)]).map(\.count)
        capabilities = POSCapabilities(
            takesCardPayments: fixture.store.cardPayments ?? true, refundsToStoreCredit: fixture.store.storeCredit ?? true,
            orderNumberDigits: lengths.min()!...lengths.max()!)
        if let name = fixture.store.timeZone {
            guard let zone = TimeZone(identifier: name) else {
                throw StoreFixtureError(source: "store fixture", message: "store.time_zone '\(name)' is not a time zone such as America/New_York")
            }
            timeZone = zone
        } else {
            timeZone = nil
        }
        nextOrderNumber = fixture.store.nextOrderNumber ?? 1001
        let now = clock.now
        let source = "store fixture"

        let locationList = fixture.locations.map { entry in
            Location(
                id: entry.id, name: entry.name, address: entry.address ?? "",
                taxRatePerMillion: Int(((entry.taxPercent ?? 0) * 10_000).rounded()), acceptsPickup: entry.pickup ?? true,
                pickupReadyHours: entry.pickupReadyHours ?? 2, hours: entry.hours ?? "", safetyStock: entry.safetyStock ?? 0,
                acceptsTransfers: entry.transfers ?? false, nearby: entry.nearby ?? [], transferDays: entry.transferDays ?? 2)
        }
        self.locationList = locationList
        let locationIDs = Set(locationList.map(\.id))
        var counted: [String: Date] = [:]
        for entry in fixture.locations {
            if let unknown = entry.nearby?.first(where: { !locationIDs.contains($0) }) {
                throw StoreFixtureError(source: source, message: "location \(entry.id): nearby names unknown location '\(unknown)'")
            }
            if let text = entry.stockCounted {
                guard let date = FixtureDate.resolve(text, now: now, calendar: clock.calendar) else {
                    throw StoreFixtureError(source: source, message: "location \(entry.id): stock_counted '\(text)' is not -3h, -2d or ISO-8601")
                }
                counted[entry.id] = date
            }
            if let safety = entry.safetyStock, safety < 0 {
                throw StoreFixtureError(source: source, message: "location \(entry.id): safety_stock must be 0 or more")
            }
        }
        countedAt = counted

        var stock: [SKU: [String: Int]] = [:]
        var bySKU: [SKU: (product: Product, variant: Variant)] = [:]
        var products: [Product] = []
        for entry in fixture.products {
            let variants = try entry.variants.map { line in
                guard let price = line.price ?? entry.price else {
                    throw StoreFixtureError(
                        source: source, message: "product \(entry.id), SKU \(line.sku): no price (give the product or the variant a price)")
                }
                return Variant(sku: line.sku, options: line.options, price: Money(minorUnits: price, currency: currency))
            }
            let kind = entry.kind ?? ["footwear": "shoes", "apparel": "clothes", "accessories": "accessories"][entry.category.rawValue]!
            // Without an `options:` list the variants' keys are the options: size first, then color, then the rest.
            let keys = Set(entry.variants.flatMap(\.options.keys))
            let optionNames = entry.options ?? (["size", "color"].filter(keys.contains) + keys.subtracting(["size", "color"]).sorted())
            for line in entry.variants {
                if let extra = line.options.keys.sorted().first(where: { !optionNames.contains($0) }) {
                    throw StoreFixtureError(
                        source: source, message: "product \(entry.id), SKU \(line.sku): '\(extra)' is not in its options \(optionNames)")
                }
            }
            let product = Product(
                id: entry.id, brand: entry.brand, name: entry.name, category: entry.category, kind: kind,
                unit: entry.unit, aliases: entry.aliases ?? [], optionNames: optionNames, variants: variants)
            products.append(product)
            for (line, variant) in zip(entry.variants, variants) {
                guard bySKU[variant.sku] == nil else {
                    throw StoreFixtureError(source: source, message: "SKU \(variant.sku) appears twice")
                }
                for location in line.stock.keys where !locationIDs.contains(location) {
                    throw StoreFixtureError(source: source, message: "SKU \(variant.sku): unknown location \(location)")
                }
                bySKU[variant.sku] = (product, variant)
                stock[variant.sku] = line.stock
            }
        }
        // Equal option values share one copy, in the catalog and in the index by SKU.
        self.products = products.sharingOptionValues()
        for product in self.products { for variant in product.variants { bySKU[variant.sku] = (product, variant) } }
        productBySKU = bySKU
        stockBySKU = stock

        var customers: [String: Customer] = [:]
        for entry in fixture.customers {
            if let home = entry.homeLocation, !locationIDs.contains(home) {
                throw StoreFixtureError(source: source, message: "customer \(entry.id): unknown home_location \(home)")
            }
            customers[entry.id] = Customer(
                id: entry.id, name: entry.name, phone: entry.phone ?? "", email: entry.email ?? "",
                homeLocationID: entry.homeLocation, cardOnFile: entry.cardOnFile)
        }
        self.customers = customers
        for card in customers.values.compactMap(\.cardOnFile) { cards[card.token] = card }

        var orders: [String: Order] = [:]
        for entry in fixture.orders ?? [] {
            func date(_ text: String?, _ field: String) throws -> Date? {
                guard let text else { return nil }
                guard let date = FixtureDate.resolve(text, now: now, calendar: clock.calendar) else {
                    throw StoreFixtureError(source: source, message: "order \(entry.number): \(field) '\(text)' is not -3d, +5h or ISO-8601")
                }
                return date
            }
            guard customers[entry.customer] != nil else {
                throw StoreFixtureError(source: source, message: "order \(entry.number): unknown customer \(entry.customer)")
            }
            let locationID = entry.location ?? customers[entry.customer]?.homeLocationID ?? locationList.first?.id ?? ""
            guard let location = locationList.first(where: { $0.id == locationID }) else {
                throw StoreFixtureError(source: source, message: "order \(entry.number): unknown location \(locationID)")
            }
            let lines = try entry.lines.map { line -> OrderLine in
                guard let item = bySKU[line.sku] else {
                    throw StoreFixtureError(source: source, message: "order \(entry.number): unknown SKU \(line.sku)")
                }
                return OrderLine(item: item, quantity: line.quantity ?? 1)
            }
            let subtotal = lines.reduce(Money.zero(currency)) { $0 + $1.total }
            var shipment: Shipment?
            if let carrier = entry.carrier, let tracking = entry.tracking, let shipped = try date(entry.shipped, "shipped") {
                shipment = Shipment(carrier: carrier, trackingNumber: tracking, shippedAt: shipped, estimatedDelivery: try date(entry.eta, "eta"))
            }
            let placed = try date(entry.placed, "placed") ?? now
            orders[entry.number] = Order(
                number: entry.number, customerID: entry.customer, status: entry.status, fulfillment: entry.fulfillment ?? .shipping,
                locationID: location.id, lines: lines, subtotal: subtotal,
                tax: subtotal.applying(ratePerMillion: location.taxRatePerMillion), placedAt: placed, shipment: shipment,
                deliveredAt: try date(entry.delivered, "delivered"),
                readyAt: entry.fulfillment == .pickup ? placed.addingTimeInterval(Double(location.pickupReadyHours) * 3600) : nil)
        }
        self.orders = orders
    }

    // MARK: Fault injection and inspection

    /// Makes the given flow fail with the fault's error.
    public func inject(_ fault: Fault) {
        guard fault.times.map({ $0 > 0 }) ?? true else { return }
        faults.append(fault)
    }

    /// A copy of the orders, payments, returns and stock as they are now.
    public func snapshot() -> Snapshot {
        Snapshot(
            orders: orders.values.sorted { $0.number < $1.number }, payments: payments, returns: returns,
            stock: stockBySKU)
    }

    /// Makes that share of all calls misbehave at random (throttled, failing, timing out, slow, or — for writes —
    /// accepted with the answer lost), reproducibly for a seed: what `voicepos load --faults RATE` runs against.
    public func injectRandomFaults(rate: Double, seed: UInt64 = 1) {
        chaosRate = max(0, min(1, rate))
        chaos = SplitMix64(seed: seed)
    }

    private func randomFault(_ flow: POSFlow) -> Fault? {
        guard chaosRate > 0, Double(chaos.next() % 1_000_000) / 1_000_000 < chaosRate else { return nil }
        let writes: Set<POSFlow> = [.createOrder, .takePayment, .confirmOrder, .cancelOrder, .createReturn]
        switch chaos.next() % (writes.contains(flow) ? 6 : 5) {
        case 0: return Fault(flow: flow, error: .rateLimited(retryAfterSeconds: 0.3))
        case 1: return Fault(flow: flow, error: .unavailable)
        case 2: return Fault(flow: flow, error: .timeout)
        case 3: return Fault(flow: flow, kind: .slow, latency: .milliseconds(400))
        case 4: return Fault(flow: flow, kind: .malformed)
        default: return Fault(flow: flow, kind: .acceptThenFail(chaos.next() % 2 == 0 ? .timeout : .unavailable))
        }
    }

    /// Runs a flow through the faults injected for it: the wait, then the error instead of (or after) the answer.
    private func faulted<T>(_ flow: POSFlow, _ body: () throws -> T) async throws -> T {
        let fault: Fault
        if let index = faults.firstIndex(where: { $0.flow == nil || $0.flow == flow }) {
            fault = faults[index]
            if let times = fault.times {
                if times <= 1 { faults.remove(at: index) } else { faults[index].times = times - 1 }
            }
        } else if let random = randomFault(flow) {
            fault = random
        } else {
            return try body()
        }
        if fault.latency > .zero { try? await Task.sleep(for: fault.latency) }
        switch fault.kind {
        case .fail(let error): throw error
        case .malformed: throw MalformedAnswer()
        case .slow: return try body()
        case .acceptThenFail(let error):
            _ = try body()
            throw error
        }
    }

    // MARK: PointOfSale

    public func catalog() async throws -> [Product] {
        try await faulted(.catalog) { try catalogNow() }
    }

    private func catalogNow() throws -> [Product] {
        return products
    }

    public func searchProducts(matching text: String) async throws -> [Product] {
        try await faulted(.searchProducts) { try searchProductsNow(matching: text) }
    }

    private func searchProductsNow(matching text: String) throws -> [Product] {
        products.filter { $0.matches(search: text) }
    }

    public func stock(skus: [SKU]) async throws -> [StockLevel] {
        try await faulted(.stock) { try stockNow(skus: skus) }
    }

    private func stockNow(skus: [SKU]) throws -> [StockLevel] {
        return try skus.flatMap { sku -> [StockLevel] in
            guard let levels = stockBySKU[sku] else { throw POSError.notFound("SKU \(sku)") }
            return locationList.map { StockLevel(sku: sku, locationID: $0.id, available: levels[$0.id] ?? 0, countedAt: countedAt[$0.id]) }
        }
    }

    public func locations() async throws -> [Location] {
        try await faulted(.locations) { try locationsNow() }
    }

    private func locationsNow() throws -> [Location] {
        return locationList
    }

    public func customer(id: String) async throws -> Customer {
        try await faulted(.customer) { try customerNow(id: id) }
    }

    private func customerNow(id: String) throws -> Customer {
        guard let customer = customers[id] else { throw POSError.notFound("customer \(id)") }
        return customer
    }

    public func customer(phone: String) async throws -> Customer {
        try await faulted(.customer) { try customerNow(phone: phone) }
    }

    private func customerNow(phone: String) throws -> Customer {
        let digits = phone.filter(\.isNumber)
        // "+1 555 010 0101", "5550100101" and "(555) 010-0101" are one number: the last ten digits decide.
        // Ten digits or more, and exactly one customer: never someone else's card on file by a partial match.
        let matches =
            digits.count >= 10
            ? customers.values.filter { $0.phone.filter(\.isNumber).hasSuffix(String(digits.suffix(10))) } : []
        guard matches.count == 1 else { throw POSError.notFound("customer with phone ending \(digits.suffix(4))") }
        return matches[0]
    }

    public func createOrder(_ request: OrderRequest) async throws -> Order {
        try await faulted(.createOrder) { try createOrderNow(request) }
    }

    private func createOrderNow(_ request: OrderRequest) throws -> Order {
        guard customers[request.customerID] != nil else { throw POSError.notFound("customer \(request.customerID)") }
        guard let location = locationList.first(where: { $0.id == request.locationID }) else {
            throw POSError.notFound("location \(request.locationID)")
        }
        if request.fulfillment == .pickup && !location.acceptsPickup {
            throw POSError.invalidRequest("\(location.name) does not take pickup orders")
        }
        guard !request.lines.isEmpty, request.lines.allSatisfy({ $0.quantity > 0 }) else {
            throw POSError.invalidRequest("an order needs at least one line with a positive quantity")
        }
        var source = location
        if let id = request.sourceLocationID, id != location.id {
            guard let from = locationList.first(where: { $0.id == id }) else { throw POSError.notFound("location \(id)") }
            guard request.fulfillment == .pickup, from.acceptsTransfers, location.acceptsTransfers else {
                throw POSError.invalidRequest("no transfer from \(from.name) to \(location.name)")
            }
            source = from
        }
        // The same SKU on two lines needs both quantities on hand.
        var wanted: [SKU: Int] = [:]
        for line in request.lines { wanted[line.sku, default: 0] += line.quantity }
        let lines = try request.lines.map { line -> OrderLine in
            guard let item = productBySKU[line.sku] else { throw POSError.notFound("SKU \(line.sku)") }
            let available = stockBySKU[line.sku]?[source.id] ?? 0
            guard available >= wanted[line.sku] ?? line.quantity else { throw POSError.outOfStock(sku: line.sku, available: available) }
            return OrderLine(item: item, quantity: line.quantity)
        }
        for line in lines { stockBySKU[line.sku, default: [:]][source.id, default: 0] -= line.quantity }
        let subtotal = lines.reduce(Money.zero(currency)) { $0 + $1.total }
        let number = String(nextOrderNumber)
        nextOrderNumber += 1
        let order = Order(
            number: number, customerID: request.customerID, status: .pending, fulfillment: request.fulfillment,
            locationID: location.id, lines: lines, subtotal: subtotal,
            tax: subtotal.applying(ratePerMillion: location.taxRatePerMillion), placedAt: clock.now,
            sourceLocationID: source.id == location.id ? nil : source.id, reference: request.reference)
        orders[number] = order
        try save()
        return order
    }

    public func takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) async throws -> Payment {
        try await faulted(.takePayment) { try takePaymentNow(orderNumber: orderNumber, card: card, amount: amount, idempotencyKey: idempotencyKey) }
    }

    private func takePaymentNow(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) throws -> Payment {
        if let earlier = paymentsByKey[idempotencyKey] { return earlier }
        guard let order = orders[orderNumber] else { throw POSError.notFound("order \(orderNumber)") }
        guard order.status == .pending else { throw POSError.invalidRequest("order \(orderNumber) is \(order.status.rawValue)") }
        guard amount == order.total else {
            throw POSError.invalidRequest("amount \(amount) does not match the order total \(order.total)")
        }
        if let reason = declinedTokens[card.token] ?? DemoCards.declineForToken[card.token] {
            throw POSError.paymentDeclined(reason)
        }
        let payment = Payment(
            id: "pay_\(nextPaymentID)", orderNumber: orderNumber, amount: amount, cardBrand: card.brand,
            cardLast4: card.last4, capturedAt: clock.now)
        nextPaymentID += 1
        payments.append(payment)
        paymentsByKey[idempotencyKey] = payment
        try save()
        return payment
    }

    public func confirmOrder(number: String) async throws -> Order {
        try await faulted(.confirmOrder) { try confirmOrderNow(number: number) }
    }

    private func confirmOrderNow(number: String) throws -> Order {
        guard var order = orders[number] else { throw POSError.notFound("order \(number)") }
        if order.status == .confirmed { return order }
        guard order.status == .pending else { throw POSError.invalidRequest("order \(number) is \(order.status.rawValue)") }
        let paid = payments.filter { $0.orderNumber == number }.reduce(0) { $0 + $1.amount.minorUnits }
        guard paid >= order.total.minorUnits else { throw POSError.invalidRequest("order \(number) is not paid") }
        order.status = .confirmed
        if order.fulfillment == .pickup, let location = locationList.first(where: { $0.id == order.locationID }) {
            order.readyAt =
                order.sourceLocationID == nil
                ? clock.now.addingTimeInterval(Double(location.pickupReadyHours) * 3600)
                : clock.calendar.date(byAdding: .day, value: location.transferDays, to: clock.now)
        }
        orders[number] = order
        try save()
        return order
    }

    public func cancelOrder(number: String) async throws -> Order {
        try await faulted(.cancelOrder) { try cancelOrderNow(number: number) }
    }

    private func cancelOrderNow(number: String) throws -> Order {
        guard var order = orders[number] else { throw POSError.notFound("order \(number)") }
        if order.status == .cancelled { return order }
        guard order.status == .pending, !payments.contains(where: { $0.orderNumber == number }) else {
            throw POSError.invalidRequest("order \(number) is paid or \(order.status.rawValue)")
        }
        for line in order.lines { stockBySKU[line.sku, default: [:]][order.sourceLocationID ?? order.locationID, default: 0] += line.quantity }
        order.status = .cancelled
        orders[number] = order
        try save()
        return order
    }

    public func recentOrders(customerID: String, limit: Int) async throws -> [Order] {
        try await faulted(.recentOrders) { try recentOrdersNow(customerID: customerID, limit: limit) }
    }

    private func recentOrdersNow(customerID: String, limit: Int) throws -> [Order] {
        guard customers[customerID] != nil else { throw POSError.notFound("customer \(customerID)") }
        return Array(
            orders.values.filter { $0.customerID == customerID }
                .sorted { ($0.placedAt, $0.number) > ($1.placedAt, $1.number) }
                .prefix(limit))
    }

    public func orderStatus(number: String) async throws -> OrderStatusReport {
        try await faulted(.orderStatus) { try orderStatusNow(number: number) }
    }

    private func orderStatusNow(number: String) throws -> OrderStatusReport {
        guard let order = orders[number] else { throw POSError.notFound("order \(number)") }
        return OrderStatusReport(order: order)
    }

    public func order(number: String) async throws -> Order {
        try await faulted(.getOrder) { try orderNow(number: number) }
    }

    private func orderNow(number: String) throws -> Order {
        guard let order = orders[number] else { throw POSError.notFound("order \(number)") }
        return order
    }

    public func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt {
        try await faulted(.createReturn) { try createReturnNow(request) }
    }

    private func createReturnNow(_ request: ReturnRequest) throws -> ReturnReceipt {
        guard var order = orders[request.orderNumber] else { throw POSError.notFound("order \(request.orderNumber)") }
        guard order.status == .delivered else {
            throw POSError.invalidRequest("order \(order.number) is \(order.status.rawValue), not delivered")
        }
        for line in request.lines {
            let alreadyReturned = returns.filter { $0.request.orderNumber == order.number }
                .flatMap(\.request.lines).filter { $0.sku == line.sku }.reduce(0) { $0 + $1.quantity }
            guard let ordered = order.lines.first(where: { $0.sku == line.sku }),
                line.quantity > 0, line.quantity + alreadyReturned <= ordered.quantity
            else { throw POSError.invalidRequest("order \(order.number) has no \(line.quantity) × \(line.sku) left to return") }
        }
        let refund = order.refund(for: request.lines)
        let receipt = ReturnReceipt(id: "RMA-\(nextReturnID)", request: request, refundAmount: refund, createdAt: clock.now)
        nextReturnID += 1
        returns.append(receipt)
        let returnedUnits = returns.filter { $0.request.orderNumber == order.number }.flatMap(\.request.lines).reduce(0) { $0 + $1.quantity }
        if returnedUnits >= order.lines.reduce(0, { $0 + $1.quantity }) {
            order.status = .returned
            orders[order.number] = order
        }
        try save()
        return receipt
    }

    // MARK: CardTokenizer

    /// Tokenizes a card number the way a processor's vault does; the number is not kept.
    public func tokenize(cardNumber: String) throws -> CardToken {
        guard cardNumber.passesLuhnCheck else { throw POSError.invalidRequest("card number fails the Luhn check") }
        let token = "tok_sim_\(nextTokenID)"
        nextTokenID += 1
        if let reason = DemoCards.declineForNumber[cardNumber] { declinedTokens[token] = reason }
        let card = CardToken(token: token, brand: DemoCards.brand(of: cardNumber), last4: String(cardNumber.suffix(4)))
        cards[token] = card
        try save()
        return card
    }

    // MARK: Records, for platform fronts

    /// The card a token stands for, as the processor's vault answers: brand and last four digits.
    public func card(token: String) -> CardToken? { cards[token] }

    /// An order as stored, read without running a flow (no fault fires): platform fronts shape answers from it.
    public func storedOrder(number: String) -> Order? { orders[number] }

    /// The payments taken for an order.
    public func payments(forOrder number: String) -> [Payment] { payments.filter { $0.orderNumber == number } }

    /// The returns made against an order.
    public func returns(forOrder number: String) -> [ReturnReceipt] { returns.filter { $0.request.orderNumber == number } }

    /// Every customer, by id.
    public func allCustomers() -> [Customer] { customers.values.sorted { $0.id < $1.id } }
}

extension OrderLine {
    init(item: (product: Product, variant: Variant), quantity: Int) {
        let options = item.product.optionNames.compactMap { name -> String? in
            guard let value = item.variant.options[name] else { return nil }
            return name == "size" ? "size \(value)" : value
        }
        self.init(
            sku: item.variant.sku, productID: item.product.id,
            title: ([item.product.displayName] + options).joined(separator: ", "), quantity: quantity,
            unitPrice: item.variant.price)
    }
}

/// A small seeded random generator (SplitMix64): the same numbers for the same seed, so a load run's random faults
/// and the benchmark's generated catalog are the same every run.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
