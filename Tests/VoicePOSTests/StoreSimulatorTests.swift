import Foundation
import RetailModel
import StoreSimulator
import Testing

struct StoreSimulatorTests {
    /// A store given a state file, stopped without warning (dropped, as kill -9 leaves it) and started again on the same
    /// file: the confirmed order, its payment and the stock it took are there, and the next order gets a new number.
    @Test func aStoreWithAStateFileKeepsItsRecordsAcrossARestart() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("voicepos-state-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let request = OrderRequest(
            customerID: "C-1001", lines: [LineItem(sku: "NK-AM90-BLK-10", quantity: 1)], fulfillment: .pickup, locationID: "downtown",
            reference: "vp-restart-1")
        var first: Order
        do {
            let store = try Fixtures.store()
            try await store.keepRecords(in: file)
            first = try await store.createOrder(request)
            let card = try await store.tokenize(cardNumber: "4242424242424242")
            _ = try await store.takePayment(orderNumber: first.number, card: card, amount: first.total, idempotencyKey: "pay-1")
            first = try await store.confirmOrder(number: first.number)
        }
        let restarted = try Fixtures.store()
        try await restarted.keepRecords(in: file)
        #expect(await restarted.storedOrder(number: first.number) == first)
        #expect(await restarted.payments(forOrder: first.number).count == 1)
        let downtown = try await restarted.stock(skus: ["NK-AM90-BLK-10"]).first { $0.locationID == "downtown" }?.available
        #expect(downtown == 2)
        let second = try await restarted.createOrder(
            OrderRequest(
                customerID: "C-1002", lines: [LineItem(sku: "NK-AM90-BLK-10", quantity: 1)], fulfillment: .pickup, locationID: "mall"))
        #expect(second.number != first.number)
        #expect(!String(decoding: try Data(contentsOf: file), as: UTF8.self).contains("4242424242424242"))
    }

    /// Stopped between the charge and the confirm, and after a create nobody paid for: on restart the paid order is
    /// confirmed (the caller said yes to the charge) and the unpaid one cancelled with its stock put back.
    @Test func checkoutsACrashCutShortAreFinishedOnRestart() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("voicepos-state-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        func request(_ customer: String, _ reference: String) -> OrderRequest {
            OrderRequest(
                customerID: customer, lines: [LineItem(sku: "NK-AM90-BLK-10", quantity: 1)], fulfillment: .pickup, locationID: "downtown",
                reference: reference)
        }
        let (paid, unpaid): (Order, Order)
        do {
            let store = try Fixtures.store()
            try await store.keepRecords(in: file)
            paid = try await store.createOrder(request("C-1001", "vp-a"))
            let card = try await store.tokenize(cardNumber: "4242424242424242")
            _ = try await store.takePayment(orderNumber: paid.number, card: card, amount: paid.total, idempotencyKey: "pay-a")
            unpaid = try await store.createOrder(request("C-1002", "vp-b"))
        }
        let restarted = try Fixtures.store()
        let finished = try await restarted.keepRecords(in: file)
        #expect(finished.confirmed == [paid.number] && finished.cancelled == [unpaid.number])
        #expect(await restarted.storedOrder(number: paid.number)?.status == .confirmed)
        #expect(await restarted.storedOrder(number: unpaid.number)?.status == .cancelled)
        let downtown = try await restarted.stock(skus: ["NK-AM90-BLK-10"]).first { $0.locationID == "downtown" }?.available
        #expect(downtown == 2)
        // Nothing is left to finish the next time.
        let again = try await Fixtures.store().keepRecords(in: file)
        #expect(again.confirmed.isEmpty && again.cancelled.isEmpty)
    }

    @Test func anUnreadableStateFileIsAnErrorNamingIt() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("voicepos-state-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("{not json".utf8).write(to: file)
        await #expect {
            try await Fixtures.store().keepRecords(in: file)
        } throws: { error in
            "\(error)".hasPrefix(file.path)
        }
    }

    @Test func reproducesTheReferenceStock() async throws {
        let store = try Fixtures.store()
        let airMax = try #require(try await store.searchProducts(matching: "Nike Air Max").first)
        let size10 = airMax.variants.filter { $0.options["size"] == "10" }.map(\.sku)
        let levels = try await store.stock(skus: size10)
        let at = { (location: String) in levels.filter { $0.locationID == location }.reduce(0) { $0 + $1.available } }
        #expect(at("downtown") == 3)
        #expect(at("mall") == 5)
    }

    @Test func reproducesTheReferenceShipment() async throws {
        let store = try Fixtures.store()
        let report = try await store.orderStatus(number: "7790")
        #expect(report.status == .shipped)
        #expect(report.carrier == "FedEx")
        #expect(report.trackingNumber == "123456789")
        #expect(report.estimatedDelivery == Fixtures.now.addingTimeInterval(86_400))
    }

    @Test func searchMatchesEveryWordIgnoringPlurals() async throws {
        let store = try Fixtures.store()
        #expect(try await store.searchProducts(matching: "sambas").map(\.id) == ["adidas-samba-og"])
        #expect(try await store.searchProducts(matching: "zorblax").isEmpty)
        let shoes = try await store.searchProducts(matching: "nike shoes")
        #expect(!shoes.isEmpty && shoes.allSatisfy { $0.brand == "Nike" && $0.category == .footwear })
    }

    @Test func ordersArePricedTaxedNumberedAndTakeStock() async throws {
        let store = try Fixtures.store()
        let order = try await store.createOrder(
            OrderRequest(customerID: "C-1001", lines: [.init(sku: "NK-AM90-BLK-10", quantity: 1)], fulfillment: .pickup, locationID: "downtown"))
        #expect(order.number == "7829")
        #expect(order.status == .pending)
        #expect(order.subtotal == Money(minorUnits: 13_000, currency: "USD"))
        #expect(order.tax == Money(minorUnits: 1_154, currency: "USD"))
        #expect(try await store.stock(skus: ["NK-AM90-BLK-10"]).first { $0.locationID == "downtown" }?.available == 2)
    }

    @Test func refusesMoreThanIsInStock() async throws {
        let store = try Fixtures.store()
        await #expect(throws: POSError.outOfStock(sku: "NK-AM90-BLK-10", available: 3)) {
            try await store.createOrder(
                OrderRequest(customerID: "C-1001", lines: [.init(sku: "NK-AM90-BLK-10", quantity: 4)], fulfillment: .pickup, locationID: "downtown"))
        }
    }

    @Test func chargesOncePerIdempotencyKeyAndConfirmsOnlyWhenPaid() async throws {
        let store = try Fixtures.store()
        let order = try await store.createOrder(
            OrderRequest(customerID: "C-1001", lines: [.init(sku: "NK-AM90-BLK-10", quantity: 1)], fulfillment: .pickup, locationID: "downtown"))
        await #expect(throws: POSError.self) { try await store.confirmOrder(number: order.number) }
        let card = CardToken(token: "tok_demo_visa_4242", brand: "Visa", last4: "4242")
        let first = try await store.takePayment(orderNumber: order.number, card: card, amount: order.total, idempotencyKey: "k1")
        let again = try await store.takePayment(orderNumber: order.number, card: card, amount: order.total, idempotencyKey: "k1")
        #expect(first == again)
        #expect(await store.snapshot().payments.count == 1)
        #expect(try await store.confirmOrder(number: order.number).status == .confirmed)
    }

    @Test func declinesTestCardsByReasonWithoutKeepingTheNumber() async throws {
        let store = try Fixtures.store()
        let card = try await store.tokenize(cardNumber: "4000000000009995")
        #expect(card.last4 == "9995")
        #expect(!card.token.contains("4000000000009995"))
        let order = try await store.createOrder(
            OrderRequest(customerID: "C-1001", lines: [.init(sku: "NK-AM90-BLK-10", quantity: 1)], fulfillment: .pickup, locationID: "downtown"))
        await #expect(throws: POSError.paymentDeclined(.insufficientFunds)) {
            try await store.takePayment(orderNumber: order.number, card: card, amount: order.total, idempotencyKey: "k")
        }
        await #expect(throws: POSError.self) { try await store.tokenize(cardNumber: "4242424242424241") }
    }

    @Test func takesBackOnlyDeliveredItemsOnce() async throws {
        let store = try Fixtures.store()
        let request = ReturnRequest(
            orderNumber: "7781", lines: [.init(sku: "AD-SAMBA-WHT-9", quantity: 1)], reason: "too small", refundMethod: .originalPayment)
        let receipt = try await store.createReturn(request)
        #expect(receipt.refundAmount.minorUnits > 0)
        await #expect(throws: POSError.self) { try await store.createReturn(request) }
        await #expect(throws: POSError.self) {
            try await store.createReturn(
                ReturnRequest(orderNumber: "7790", lines: [.init(sku: "NK-AM90-BLK-10", quantity: 1)], reason: "x", refundMethod: .storeCredit))
        }
    }

    @Test func injectedFaultsFailTheFlowTheGivenNumberOfTimes() async throws {
        let store = try Fixtures.store()
        await store.inject(.init(flow: .stock, error: .timeout, times: 1))
        await #expect(throws: POSError.timeout) { try await store.stock(skus: ["NK-AM90-BLK-10"]) }
        #expect(try await store.stock(skus: ["NK-AM90-BLK-10"]).count == 4)
    }

    @Test func aFixtureErrorNamesTheField() throws {
        let yaml = """
            store: {name: X, currency: USD, return_window_days: 30, next_order_number: 1}
            locations: [{id: a, name: A, tax_percent: 5}]
            products:
              - {id: p, brand: B, name: N, category: footwear, kind: shoes, price: 100, variants: [{price: 5}]}
            customers: []
            """
        #expect(throws: StoreFixtureError.self) { try StoreFixture.parse(yaml, source: "bad.yaml") }
        do {
            _ = try StoreFixture.parse(yaml, source: "bad.yaml")
        } catch {
            #expect("\(error)".contains("bad.yaml"))
            #expect("\(error)".contains("sku"))
        }
    }
}

struct MoneyTests {
    @Test func addsAndTaxesInMinorUnits() {
        let price = Money(minorUnits: 13_000, currency: "USD")
        #expect(price.applying(ratePerMillion: 88_750).minorUnits == 1_154)
        #expect((price * 2 + price).minorUnits == 39_000)
        #expect(Money(minorUnits: 14_154, currency: "USD").description == "$141.54")
        #expect(Money(minorUnits: 13_000, currency: "USD").description == "$130")
        #expect(Money(minorUnits: 905, currency: "EUR").description == "€9.05")
    }

    @Test(arguments: [("4242424242424242", true), ("4000000000009995", true), ("4242424242424241", false), ("1234", false)])
    func checksLuhn(number: String, valid: Bool) {
        #expect(number.passesLuhnCheck == valid)
    }
}
