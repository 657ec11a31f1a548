import Commerce
import Foundation
import RetailModel
import Testing
import Understanding

@testable import Conversation

/// Each flow on its own, over a small scripted POS instead of the store simulator: two stores, a mug in two colours and
/// a throw in two sizes, one customer with one delivered order. Every POS call the conversation makes is answered here.
struct FlowTests {
    /// A POS whose answers are plain values set by the test; writes are recorded, never applied to stock.
    private actor ScriptedStore: PointOfSale, CardTokenizer {
        nonisolated let capabilities = POSCapabilities.full
        let products: [Product]
        let stores: [Location]
        var units: [SKU: [String: Int]]
        let customer: Customer
        let delivered: Order
        private(set) var created: [OrderRequest] = []
        private var orders: [String: Order] = [:]
        private(set) var charged: [Money] = []
        private(set) var returns: [ReturnRequest] = []

        init(units: [SKU: [String: Int]], now: Date) {
            let usd = { (cents: Int) in Money(minorUnits: cents, currency: "USD") }
            products = [
                Product(
                    id: "mug", brand: "Kiln", name: "Speckled Mug", category: .accessories, kind: "mugs", optionNames: ["color"],
                    variants: [
                        Variant(sku: "MUG-SAND", options: ["color": "sand"], price: usd(1800)),
                        Variant(sku: "MUG-MOSS", options: ["color": "moss"], price: usd(1800)),
                    ]),
                Product(
                    id: "throw", brand: "Hearth", name: "Waffle Throw", category: .accessories, kind: "throws", optionNames: ["size"],
                    variants: [
                        Variant(sku: "THR-S", options: ["size": "50x60"], price: usd(6000)),
                        Variant(sku: "THR-L", options: ["size": "60x80"], price: usd(8000)),
                    ]),
            ]
            stores = [
                Location(
                    id: "elm", name: "Elm Street", address: "1 Elm St", taxRatePerMillion: 80_000, acceptsPickup: true, pickupReadyHours: 2,
                    hours: "9am to 8pm", acceptsTransfers: true, nearby: ["river"], transferDays: 2),
                Location(
                    id: "river", name: "Riverside", address: "2 River Rd", taxRatePerMillion: 60_000, acceptsPickup: true,
                    pickupReadyHours: 1, hours: "10am to 6pm", acceptsTransfers: true, nearby: ["elm"], transferDays: 3),
            ]
            self.units = units
            customer = Customer(
                id: "K-1", name: "Nora Hale", phone: "+15550100200", email: "nora@example.com", homeLocationID: "elm",
                cardOnFile: CardToken(token: "tok_test_visa", brand: "Visa", last4: "4242"))
            delivered = Order(
                number: "5870", customerID: "K-1", status: .delivered, fulfillment: .shipping, locationID: "elm",
                lines: [OrderLine(sku: "THR-S", productID: "throw", title: "Hearth Waffle Throw, 50x60", quantity: 1, unitPrice: usd(6000))],
                subtotal: usd(6000), tax: usd(480), placedAt: now.addingTimeInterval(-9 * 86_400), deliveredAt: now.addingTimeInterval(-5 * 86_400))
        }

        func catalog() async throws -> [Product] { products }
        func searchProducts(matching text: String) async throws -> [Product] { products }
        func stock(skus: [SKU]) async throws -> [StockLevel] {
            skus.flatMap { sku in stores.map { StockLevel(sku: sku, locationID: $0.id, available: units[sku]?[$0.id] ?? 0) } }
        }
        func locations() async throws -> [Location] { stores }
        func customer(id: String) async throws -> Customer {
            guard id == customer.id else { throw POSError.notFound(id) }
            return customer
        }
        func customer(phone: String) async throws -> Customer { throw POSError.notFound(phone) }
        func createOrder(_ request: OrderRequest) async throws -> Order {
            created.append(request)
            let lines = request.lines.compactMap { line -> OrderLine? in
                guard let product = products.first(where: { $0.variants.contains { $0.sku == line.sku } }),
                    let variant = product.variants.first(where: { $0.sku == line.sku })
                else { return nil }
                return OrderLine(sku: line.sku, productID: product.id, title: product.name, quantity: line.quantity, unitPrice: variant.price)
            }
            let subtotal = lines.reduce(Money.zero("USD")) { $0 + $1.unitPrice * $1.quantity }
            let rate = stores.first { $0.id == request.locationID }?.taxRatePerMillion ?? 0
            let order = Order(
                number: "\(9000 + created.count)", customerID: request.customerID, status: .pending, fulfillment: request.fulfillment,
                locationID: request.locationID, lines: lines, subtotal: subtotal, tax: subtotal.applying(ratePerMillion: rate),
                placedAt: delivered.placedAt, sourceLocationID: request.sourceLocationID, reference: request.reference)
            orders[order.number] = order
            return order
        }
        func takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) async throws -> Payment {
            charged.append(amount)
            return Payment(
                id: "pay-\(charged.count)", orderNumber: orderNumber, amount: amount, cardBrand: card.brand, cardLast4: card.last4,
                capturedAt: delivered.placedAt)
        }
        func confirmOrder(number: String) async throws -> Order {
            var order = try createdOrder(number)
            order.status = .confirmed
            return order
        }
        func cancelOrder(number: String) async throws -> Order { try createdOrder(number) }
        func recentOrders(customerID: String, limit: Int) async throws -> [Order] { customerID == customer.id ? [delivered] : [] }
        func orderStatus(number: String) async throws -> OrderStatusReport { OrderStatusReport(order: try await order(number: number)) }
        func order(number: String) async throws -> Order {
            if number == delivered.number { return delivered }
            return try createdOrder(number)
        }
        func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt {
            returns.append(request)
            return ReturnReceipt(id: "R-1", request: request, refundAmount: delivered.subtotal, createdAt: delivered.placedAt)
        }
        func tokenize(cardNumber: String) async throws -> CardToken {
            CardToken(token: "tok_test", brand: "Visa", last4: String(cardNumber.suffix(4)))
        }

        private func createdOrder(_ number: String) throws -> Order {
            guard let order = orders[number] else { throw POSError.notFound(number) }
            return order
        }
    }

    private static func call(_ lines: [String], units: [SKU: [String: Int]]) async throws -> (replies: [Reply], store: ScriptedStore) {
        let store = ScriptedStore(units: units, now: Fixtures.now)
        let engine = try await DialogueEngine.start(
            pointOfSale: store, tokenizer: store, intents: try Fixtures.intents(),
            configuration: DialogueConfiguration(storeName: "Hearth & Kiln", returnPolicy: ReturnPolicy(windowDays: 30), clock: Fixtures.clock))
        var replies: [Reply] = []
        for line in lines {
            replies.append(await engine.respond(to: Utterance(sessionID: "call", text: line, caller: Caller(customerID: "K-1"))))
        }
        return (replies, store)
    }

    private static let stocked: [SKU: [String: Int]] = [
        "MUG-SAND": ["elm": 4, "river": 2], "MUG-MOSS": ["river": 3], "THR-S": ["elm": 1], "THR-L": ["river": 2],
    ]

    @Test func availabilitySaysWhereItIsWhenTheCallersStoreIsOut() async throws {
        let (replies, _) = try await Self.call(["do you have the speckled mug in moss"], units: Self.stocked)
        #expect(replies[0].text.contains("Elm Street store is out"))
        #expect(replies[0].text.contains("3 in moss at the Riverside store"))
    }

    @Test func anOrderIsReadBackWithItsTotalAndPlacedOnlyAfterTwoYeses() async throws {
        let (replies, store) = try await Self.call(
            ["I'd like two sand speckled mugs for pickup at elm street", "yes", "yes"], units: Self.stocked)
        #expect(replies[0].text.contains("$36 plus $2.88 tax, $38.88 in total"))
        #expect(replies[1].text.contains("Shall I charge $38.88 to your Visa on file ending in 4242?"))
        #expect(await store.created.map(\.locationID) == ["elm"])
        #expect(await store.charged == [Money(minorUnits: 3888, currency: "USD")])
    }

    @Test func aCartTheCallersStoreCannotFillIsSentOverWhenTheyWontGoElsewhere() async throws {
        let (replies, store) = try await Self.call(
            ["I want a sand speckled mug for pickup at elm street", "also add a moss one", "no", "yes", "yes", "yes"], units: Self.stocked)
        #expect(replies[1].text.contains("the Riverside store has everything on your order"))
        #expect(replies[2].text.contains("sent from the Riverside store to the Elm Street store"))
        #expect(replies[3].text.contains("in about 2 days, sent over from the Riverside store"))
        let order = try #require(await store.created.first)
        #expect(order.locationID == "elm" && order.sourceLocationID == "river")
        #expect(Set(order.lines.map(\.sku)) == ["MUG-SAND", "MUG-MOSS"])
    }

    @Test func aHedgeAtTheReadBackPlacesNothing() async throws {
        let (replies, store) = try await Self.call(
            ["I'd like a sand speckled mug for pickup at elm street", "I guess so, maybe"], units: Self.stocked)
        #expect(replies[1].text.contains("I haven't placed anything"))
        #expect(await store.created.isEmpty)
    }

    @Test func statusNamesTheOrderTheCallerMeans() async throws {
        let (replies, _) = try await Self.call(["where is my waffle throw order"], units: Self.stocked)
        #expect(replies[0].text.contains("5870") || replies[0].text.contains("delivered"))
    }

    @Test func aReturnSetAsideForAStockQuestionIsOfferedBackAndFinished() async throws {
        let (replies, store) = try await Self.call(
            [
                "I want to return my waffle throw", "wait, do you have it in 60x80?", "yes", "it's too small", "yes",
            ], units: Self.stocked)
        // The question is answered from the throw being returned, then the return is offered back by name.
        #expect(replies[1].text.contains("Riverside"))
        #expect(replies[1].text.contains("Shall we get back to your return of the Hearth Waffle Throw?"))
        #expect(replies[2].expecting == .reason)
        #expect(await store.returns.map(\.orderNumber) == ["5870"])
        #expect(await store.returns.first?.reason.contains("small") == true)
    }

    // MARK: One turn, no POS at all

    /// Runs one turn over the scripted store's catalog and stores as the engine would, its effects answered by `answer`
    /// instead of any POS: every run is synchronous, and each stops at the next effect it needs.
    ///
    /// - Returns: the effects the turn asked for, in order, and its reply.
    private static func turn(
        _ text: String, answer: (Effect) -> Result<any Sendable, POSError>
    ) async throws -> (effects: [Effect], reply: Reply, state: SessionState) {
        let store = ScriptedStore(units: [:], now: Fixtures.now)
        let understanding = LanguageUnderstanding(intents: try Fixtures.intents(), catalog: store.products, locations: store.stores)
        let configuration = DialogueConfiguration(storeName: "Hearth & Kiln", returnPolicy: ReturnPolicy(windowDays: 30), clock: Fixtures.clock)
        var outcomes: [EffectReplay.Outcome] = []
        while outcomes.count < 10 {
            var turn = Turn(
                state: SessionState(id: "call"), pos: EffectReplay(outcomes: outcomes, capabilities: .full), understanding: understanding,
                locations: store.stores, configuration: configuration, now: Fixtures.now)
            switch turn.run(Utterance(sessionID: "call", text: text), understood: nil) {
            case .perform(let effect): outcomes.append((effect, answer(effect)))
            case .reply(let reply): return (outcomes.map(\.effect), reply, turn.state)
            }
        }
        throw POSError.invalidRequest("the turn never replied")
    }

    /// The mug as the POS search finds it, and its stock at Riverside only.
    private static func mugAtRiverside(_ effect: Effect) -> Result<any Sendable, POSError> {
        switch effect {
        case .searchProducts: .success(ScriptedStore(units: [:], now: Fixtures.now).products.filter { $0.id == "mug" })
        case .sellableStock(let skus):
            .success(StockKeeper.Reading(levels: skus.map { StockLevel(sku: $0, locationID: "river", available: $0 == "MUG-MOSS" ? 3 : 0) }))
        default: .failure(.invalidRequest("not expected: \(effect.name)"))
        }
    }

    @Test func aStockQuestionNamesItsPOSCallsAndAnswersFromWhatTheyReturn() async throws {
        let (effects, reply, state) = try await Self.turn("do you have the speckled mug in moss", answer: Self.mugAtRiverside)
        #expect(effects.map(\.name) == ["searchProducts", "sellableStock"])
        #expect(reply.text.contains("3 in moss at the Riverside store"))
        #expect(state.focus?.product.id == "mug")
    }

    @Test func aStockReadThatFailsIsSaidAndNothingMoreIsAsked() async throws {
        let (effects, reply, _) = try await Self.turn("do you have the speckled mug in moss") { effect in
            if case .sellableStock = effect { return .failure(.unavailable) }
            return Self.mugAtRiverside(effect)
        }
        #expect(effects.map(\.name) == ["searchProducts", "sellableStock"])
        #expect(reply.text.contains("team member"))
        #expect(reply.expecting == .confirmation)
    }

    @Test func theTurnThatChargesMakesEachWriteOnceAndInOrder() async throws {
        let (replies, store) = try await Self.call(
            ["I'd like a sand speckled mug for pickup at elm street", "yes", "yes"], units: Self.stocked)
        let writes = replies[2].trace.calls.map(\.flow).filter { [.createOrder, .takePayment, .confirmOrder].contains($0) }
        #expect(writes == [.createOrder, .takePayment, .confirmOrder])
        #expect(await store.charged.count == 1)
        #expect(replies[2].text.contains("confirmed"))
    }
}
