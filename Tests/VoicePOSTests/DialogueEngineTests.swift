import Commerce
import Conversation
import Foundation
import Replay
import RetailModel
import StoreSimulator
import Testing
import Understanding

struct DialogueEngineTests {
    private func say(_ lines: [String], as customer: String? = "C-1001") async throws -> (replies: [Reply], bench: StoreBench) {
        let bench = try await Fixtures.bench()
        var replies: [Reply] = []
        for line in lines {
            replies.append(await bench.engine.respond(to: Utterance(sessionID: "s", text: line, caller: customer.map { Caller(customerID: $0) })))
        }
        return (replies, bench)
    }

    @Test func aSpokenCardNumberIsNeverKept() async throws {
        let digits = "4242424242424242"
        let spoken = "four two four two four two four two four two four two four two four two"
        let (replies, bench) = try await say(
            ["I want to order the sambas in white size 9 for pickup", "yes", "no, use a different card", spoken, "yes"], as: "C-1001")
        #expect(replies.last?.text.contains("confirmed") == true)
        let transcript = await bench.engine.transcript(of: "s")
        let everything = try [
            String(decoding: JSONEncoder().encode(replies), as: UTF8.self),
            String(decoding: JSONEncoder().encode(transcript), as: UTF8.self),
            "\(await bench.store.snapshot())",
        ].joined()
        for fragment in [digits, "42424242", spoken] { #expect(!everything.contains(fragment)) }
        #expect(everything.contains("card ending 4242"))
    }

    @Test func confirmsBeforeCreatingAnOrderAndBeforeCharging() async throws {
        let (replies, bench) = try await say(["I'd like the black Air Max 90 in size 10 for pickup downtown"])
        #expect(replies[0].expecting == .confirmation)
        #expect(!replies[0].trace.calls.contains { [.createOrder, .takePayment].contains($0.flow) })
        // "Yes" asks for the card (no write, so nothing to hold for); "yes" to the charge writes, so a hold phrase comes.
        #expect(replies[0].progress == nil)
        let afterYes = await bench.engine.respond(to: Utterance(sessionID: "s", text: "yes"))
        #expect(afterYes.trace.calls.isEmpty)
        #expect(afterYes.text.contains("$141.54"))
        #expect(afterYes.progress == "One moment while I place your order and take the payment.")
        #expect(await bench.store.snapshot().payments.isEmpty)
        let charged = await bench.engine.respond(to: Utterance(sessionID: "s", text: "yes"))
        #expect(charged.text.contains("confirmed"))
        #expect(charged.progress == nil)
    }

    @Test func cancelAbandonsTheOrder() async throws {
        let ordersBefore = try await Fixtures.store().snapshot().orders.count
        let (replies, bench) = try await say(["I want to buy the sambas", "nine", "never mind", "yes"])
        #expect(replies[2].intent == .cancel)
        #expect(replies[3].slots.isEmpty)
        #expect(await bench.store.snapshot().orders.count == ordersBefore)
        #expect(await bench.store.snapshot().payments.isEmpty)
    }

    @Test func twoMisunderstandingsInARowOfferAPerson() async throws {
        let (replies, _) = try await say(["I want to buy the sambas", "blorp", "flibbertigibbet", "yes"])
        #expect(replies[1].action == .continue)
        #expect(replies[2].text.contains("team member"))
        #expect(replies[3].action == .transfer)
        #expect(replies[3].handoff?.contains("Maria Lopez") == true)
    }

    @Test func askingForAPersonTransfersAtOnce() async throws {
        let (replies, _) = try await say(["can I talk to a real person please"])
        #expect(replies[0].action == .transfer)
        #expect(replies[0].intent == .humanAgent)
    }

    @Test func guidesSizeBeforeColorAndOffersOnlyRealValues() async throws {
        let (replies, _) = try await say(["I want to order the air max 90", "ten"])
        #expect(replies[0].expecting == .size)
        #expect(replies[0].hints == ["8", "8.5", "9", "9.5", "10", "10.5", "11", "12"])
        #expect(replies[1].expecting == .color)
        #expect(replies[1].hints == ["black", "white"])
    }

    @Test func eachSessionKeepsItsOwnState() async throws {
        let bench = try await Fixtures.bench()
        _ = await bench.engine.respond(to: Utterance(sessionID: "a", text: "I want to order the air max 90", caller: Caller(customerID: "C-1001")))
        let other = await bench.engine.respond(to: Utterance(sessionID: "b", text: "ten", caller: Caller(customerID: "C-1002")))
        #expect(other.slots["product"] == nil)
        let first = await bench.engine.respond(to: Utterance(sessionID: "a", text: "ten"))
        #expect(first.slots["size"] == "10")
    }

    @Test func onlyAnExplicitYesCharges() async throws {
        let (replies, bench) = try await say(["I want the sambas in white size 9 for pickup downtown", "yes", "is that it"])
        #expect(replies[1].text.contains("Shall I charge"))
        #expect(!replies[2].trace.calls.contains { $0.flow == .takePayment })
        #expect(await bench.store.snapshot().payments.isEmpty)
    }

    @Test func aChangeAfterADeclineCancelsTheUnpaidOrderAndChargesTheNewTotal() async throws {
        let bench = try await Fixtures.bench()
        await bench.store.inject(.init(flow: .takePayment, error: .paymentDeclined(.generic), times: 1))
        var last: Reply?
        for line in ["I want the sambas in white size 9 for pickup downtown", "yes", "yes", "actually make it 2 pairs", "yes", "yes"] {
            last = await bench.engine.respond(to: Utterance(sessionID: "s", text: line, caller: Caller(customerID: "C-1001")))
        }
        let snapshot = await bench.store.snapshot()
        let created = snapshot.orders.filter { Int($0.number)! >= 7829 }
        #expect(created.map(\.status) == [.cancelled, .confirmed])
        #expect(created.last?.lines.first?.quantity == 2)
        #expect(snapshot.payments.count == 1)
        #expect(snapshot.payments.first?.amount == created.last?.total)
        #expect(last?.text.contains("Confirmation #7830") == true)
    }

    @Test func decliningAPersonGoesBackToTheOpenQuestion() async throws {
        let (replies, _) = try await say(["I want to buy the sambas", "blorp", "flibbertigibbet", "no"])
        #expect(replies[2].text.contains("team member"))
        #expect(replies[3].text.contains("What size"))
        #expect(replies[3].expecting == .size)
    }

    @Test func aCardReadWithItsExpiryLeavesNoDigitsBehind() async throws {
        let (replies, bench) = try await say(
            ["I want the sambas in white size 9 for pickup downtown", "yes", "no, another card", "4242 4242 4242 4242 12 28"], as: "C-1003")
        let transcript = await bench.engine.transcript(of: "s")
        #expect(replies[3].text.contains("ending in 4242"))
        #expect(replies[3].slots["quantity"] == "1")
        #expect(transcript.allSatisfy { !$0.text.contains("4242 4242") && !$0.text.contains("12 28") })
    }

    @Test func absurdNumbersAreNotACrash() async throws {
        let (replies, _) = try await say(["size 99999999999999999999 and 1e400", "order 12345678901234567890"])
        #expect(replies.count == 2)
        #expect(!replies[0].trace.normalized.contains("99999"))
    }

    @Test func turnsOfOneSessionNeverOverlap() async throws {
        let bench = try await Fixtures.bench()
        let engine = bench.engine
        // Ten turns of one call sent at once: each must see the state the previous one left.
        let replies = await withTaskGroup(of: Reply.self) { group in
            for index in 0..<10 {
                group.addTask {
                    await engine.respond(
                        to: Utterance(sessionID: "same", text: index == 0 ? "hi" : "where's my order", caller: Caller(customerID: "C-1001")))
                }
            }
            var all: [Reply] = []
            for await reply in group { all.append(reply) }
            return all
        }
        #expect(replies.count == 10)
        let transcript = await engine.transcript(of: "same")
        #expect(transcript.count == 20)
        #expect(zip(transcript, transcript.dropFirst()).allSatisfy { $0.speaker != $1.speaker })
    }

    @Test func theRecognizerAlternativeThatAnswersTheQuestionWins() async throws {
        let (replies, bench) = try await say(["I want to order the air max 90"])
        #expect(replies[0].expecting == .size)
        let reply = await bench.engine.respond(
            to: Utterance(
                sessionID: "s", text: "I'd like sighs tin",
                alternatives: [.init(text: "I'd like sighs tin", confidence: 0.55), .init(text: "size ten", confidence: 0.45)]))
        #expect(reply.slots["size"] == "10")
        #expect(reply.expecting == .color)
    }

    @Test func theRecognizerAlternativeThatNamesACatalogProductWins() async throws {
        let bench = try await Fixtures.bench()
        let reply = await bench.engine.respond(
            to: Utterance(
                sessionID: "s", text: "do you have the hair maps ninety",
                alternatives: [
                    .init(text: "do you have the hair maps ninety", confidence: 0.5), .init(text: "do you have the air max ninety", confidence: 0.45),
                ]))
        #expect(reply.intent == .checkAvailability)
        #expect(reply.slots["product"] == "nike-air-max-90")
    }

    @Test func aQuestionAskedAgainKeepsItsHints() async throws {
        let (replies, _) = try await say(["I want to order the air max 90", "blorp"])
        #expect(replies[1].text.hasPrefix("Sorry"))
        #expect(replies[1].expecting == .size)
        #expect(replies[1].hints == replies[0].hints)
        #expect(!replies[1].hints.isEmpty)
    }

    @Test func anUnknownProductIsAQuestionWithBrandHints() async throws {
        let (replies, _) = try await say(["do you have the zorblax 3000 runners"])
        #expect(replies[0].expecting == .product)
        #expect(replies[0].hints.contains("Nike"))
    }

    @Test func anUnsureReadingBetweenTwoTasksAsksWhichOne() async throws {
        let store = try Fixtures.store()
        let understanding = try await Fixtures.understanding()
        let utterance = "I got the sambas"
        let reading = understanding.interpret(utterance)
        let configuration = DialogueConfiguration(
            storeName: "Stride & Thread", returnPolicy: ReturnPolicy(windowDays: 30), clock: Fixtures.clock,
            clarifyBelow: reading.confidence + 0.01)
        let engine = DialogueEngine(
            pointOfSale: store, tokenizer: store, understanding: understanding, locations: try await store.locations(),
            configuration: configuration)
        let reply = await engine.respond(to: Utterance(sessionID: "s", text: utterance))
        #expect(reply.text.hasPrefix("Sorry — did you want to"))
        #expect(reply.expecting == .choice)
        #expect(reply.trace.calls.isEmpty)
        // Naming the task settles it.
        let next = await engine.respond(to: Utterance(sessionID: "s", text: "I want to return them"))
        #expect(next.intent == .returnItem)
    }

    @Test func aProductRenamedInThePOSIsUnderstoodOnceTheCatalogIsSyncedAgain() async throws {
        let store = try Fixtures.store()
        let pos = Renaming(store)
        let engine = try await DialogueEngine.start(
            pointOfSale: pos, tokenizer: store, intents: Fixtures.intents(),
            configuration: DialogueConfiguration(storeName: "Stride & Thread", returnPolicy: ReturnPolicy(windowDays: 30), clock: Fixtures.clock))
        let question = "do you have the moonwalker in a nine"
        let before = await engine.respond(to: Utterance(sessionID: "a", text: question))
        #expect(before.slots["product"] != "adidas-samba-og")
        // The store's POS now calls the Samba "Moonwalker" too; the next sync picks it up.
        await pos.alias("adidas-samba-og", as: "Moonwalker")
        await engine.syncCatalog()
        let after = await engine.respond(to: Utterance(sessionID: "b", text: question))
        #expect(after.slots["product"] == "adidas-samba-og")
        #expect(after.text.contains("Adidas Samba OG"))
    }
}

/// The demo store, whose catalog gains aliases when a test says so (as a merchant renames a product in the POS).
private actor Renaming: PointOfSale {
    let store: StoreSimulator
    nonisolated let capabilities: POSCapabilities
    private var aliases: [String: String] = [:]

    init(_ store: StoreSimulator) {
        self.store = store
        capabilities = store.capabilities
    }

    func alias(_ productID: String, as alias: String) { aliases[productID] = alias }

    func catalog() async throws -> [Product] {
        try await store.catalog().map { product in
            var product = product
            if let alias = aliases[product.id] { product.aliases.append(alias) }
            return product
        }
    }
    func searchProducts(matching text: String) async throws -> [Product] { try await store.searchProducts(matching: text) }
    func stock(skus: [SKU]) async throws -> [StockLevel] { try await store.stock(skus: skus) }
    func locations() async throws -> [Location] { try await store.locations() }
    func customer(id: String) async throws -> Customer { try await store.customer(id: id) }
    func customer(phone: String) async throws -> Customer { try await store.customer(phone: phone) }
    func createOrder(_ request: OrderRequest) async throws -> Order { try await store.createOrder(request) }
    func takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) async throws -> Payment {
        try await store.takePayment(orderNumber: orderNumber, card: card, amount: amount, idempotencyKey: idempotencyKey)
    }
    func confirmOrder(number: String) async throws -> Order { try await store.confirmOrder(number: number) }
    func cancelOrder(number: String) async throws -> Order { try await store.cancelOrder(number: number) }
    func recentOrders(customerID: String, limit: Int) async throws -> [Order] { try await store.recentOrders(customerID: customerID, limit: limit) }
    func orderStatus(number: String) async throws -> OrderStatusReport { try await store.orderStatus(number: number) }
    func order(number: String) async throws -> Order { try await store.order(number: number) }
    func createReturn(_ request: ReturnRequest) async throws -> ReturnReceipt { try await store.createReturn(request) }
}
