import Connectors
import Foundation
import RetailModel
import Testing

/// Shopify's own published payloads (`Tests/POSFixtures/shopify`, unmodified) through the mapping layer.
struct ShopifyMappingTests {
    private func decode(_ file: String, as kind: ObjectKind? = nil) throws -> DecodedPayload {
        let url = Fixtures.root.appendingPathComponent("Tests/POSFixtures/shopify").appendingPathComponent(file)
        return try payloadMapper(for: .shopify).decode(try Data(contentsOf: url), as: kind)
    }

    @Test func everyShopifyFixtureMaps() throws {
        let folder = Fixtures.root.appendingPathComponent("Tests/POSFixtures/shopify")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 13)
        for file in files { #expect(throws: Never.self, "\(file)") { _ = try decode(file) } }
    }

    @Test func aProductsVariantsAreItsSKUsWithTheirOptionsAndPrices() throws {
        guard case .products(let products) = try decode("product.rest.json") else { Issue.record("not products"); return }
        let product = try #require(products.first)
        #expect(product.id == "632910392")
        #expect(product.brand == "Apple")
        #expect(product.name == "IPod Nano - 8GB")
        #expect(product.variants.map(\.sku) == ["808950810", "49148385", "39072856", "457924702"])
        #expect(product.variants.first?.options == ["title": "Pink"])
        #expect(product.variants.allSatisfy { $0.price == Money(minorUnits: 19_900, currency: "USD") })
    }

    @Test func stockIsKeyedByInventoryItemUntilAProductLinksIt() throws {
        guard case .inventory(let levels) = try decode("inventory_levels.rest.json") else { Issue.record("not stock"); return }
        #expect(
            levels.first
                == StockLevel(
                    sku: "inventory_item:39072856", locationID: "487838322", available: 27,
                    countedAt: ISO8601DateFormatter().date(from: "2018-05-07T19:33:38Z")))
    }

    @Test func anOrderHasItsNumberLinesMoneyAndTracking() throws {
        guard case .orders(let orders) = try decode("order.rest.json") else { Issue.record("not orders"); return }
        let order = try #require(orders.first)
        #expect(order.number == "1001")
        #expect(order.customerID == "207119551")
        #expect(order.lines.map(\.sku) == ["39072856", "49148385", "457924702"])
        #expect(order.subtotal.minorUnits == 39_800)
        #expect(order.tax.minorUnits == 1_194)
        #expect(order.status == .pending)
        #expect(order.fulfillment == .shipping)
        // Its one fulfillment (tracking 1Z2345) has status "failure": nothing shipped, so no shipment is claimed.
        #expect(order.shipment == nil)
    }

    @Test func paymentsKeepOnlyTheCardsLastFourAndSkipRefunds() throws {
        guard case .payments(let one) = try decode("transaction.rest.json") else { Issue.record("not payments"); return }
        #expect(one.first?.cardLast4 == "4242")
        #expect(one.first?.cardBrand == "Visa")
        #expect(one.first?.amount == Money(minorUnits: 40_994, currency: "USD"))
        guard case .payments(let many) = try decode("transactions.rest-2024-04.json") else { Issue.record("not payments"); return }
        #expect(!many.contains { $0.id == "179259969" })
    }

    @Test func aRefundNamesItsLinesAndAmount() throws {
        guard case .refunds(let refunds) = try decode("refund.rest.json") else { Issue.record("not refunds"); return }
        let refund = try #require(refunds.first)
        #expect(refund.orderNumber == "450789469")
        #expect(refund.lines.map(\.sku) == ["457924702", "39072856"])
        #expect(refund.note == "it broke during shipping")
    }

    @Test func customersLocationsFulfillmentsAndGraphQL() throws {
        guard case .customers(let customers) = try decode("customer.rest.json") else { Issue.record("not customers"); return }
        #expect(customers.first?.name == "Bob Norman")
        #expect(customers.first?.phone == "555-625-1199")
        guard case .locations(let locations) = try decode("locations.rest-2024-04.json") else { Issue.record("not locations"); return }
        #expect(locations.first?.address == "50 Rideau Street, Ottawa, ON, K1N 9J7")
        guard case .statuses(let statuses) = try decode("fulfillment.rest.json") else { Issue.record("not statuses"); return }
        #expect(statuses.first?.trackingNumber == "1Z2345")
        #expect(statuses.first?.carrier == nil)
        guard case .products(let products) = try decode("graphql_product_with_cost.json") else { Issue.record("not products"); return }
        #expect(products.first?.id == "7608002183224")
        #expect(products.first?.name == "Aera")
    }

    @Test func errorsBecomePOSErrors() throws {
        #expect(try decode("error_429_rest.json") == .error(.rateLimited(retryAfterSeconds: nil)))
    }

    @Test func aPayloadThatCannotBeMappedNamesThePlatformObjectAndField() {
        let bad = Data(
            #"{"product": {"id": 1, "title": "Boot", "options": [{"name": "Size"}], "variants": [{"id": 2, "price": "twelve", "option1": "9"}]}}"#
                .utf8)
        #expect {
            try payloadMapper(for: .shopify).decode(bad)
        } throws: { error in
            (error as? MappingError)?.description == #"shopify product: product.variants[0].price: expected a decimal amount like "19.99""#
        }
    }

    /// What Shopify has no field for rides in `note_attributes`; a pay-at-pickup order is confirmed by its tag.
    @Test func orderNotesTagsAndFulfillmentsGiveStatusAndDates() throws {
        func order(_ extra: String) throws -> Order {
            let body =
                #"{"order": {"id": 5000000001042, "order_number": 1042, "created_at": "2026-11-20T10:00:00.250Z", "currency": "USD", "#
                + #""customer": {"id": "C-1"}, "location_id": "downtown", "financial_status": "pending", "line_items": [], "#
                + extra + "}}"
            guard case .orders(let orders) = try payloadMapper(for: .shopify).decode(Data(body.utf8)) else {
                throw MappingError(platform: .shopify, object: "order", field: "", problem: "not an order")
            }
            return try #require(orders.first)
        }
        let ready = try order(
            #""tags": "voicepos, voicepos-confirmed", "note_attributes": [{"name": "voicepos_ready_at", "value": "2026-11-20T13:00:00.250Z"}, "#
                + #"{"name": "voicepos_ready_for_pickup", "value": "true"}, {"name": "voicepos_source_location", "value": "mall"}]"#)
        #expect(ready.number == "1042")
        #expect(ready.fulfillment == .pickup)
        #expect(ready.status == .readyForPickup)
        #expect(ready.readyAt == ISO8601DateFormatter().date(from: "2026-11-20T13:00:00Z")?.addingTimeInterval(0.25))
        #expect(ready.sourceLocationID == "mall")
        #expect(try order(#""tags": "voicepos-confirmed""#).status == .confirmed)
        #expect(try order(#""tags": "voicepos""#).status == .pending)
        #expect(try order(#""fulfillment_status": "fulfilled", "fulfillments": [{"status": "success"}]"#).status == .delivered)
        let shipped = try order(
            #""shipping_lines": [{"title": "Shipping", "price": "0.00"}], "fulfillment_status": "fulfilled", "fulfillments": [{"status": "success", "#
                + #""created_at": "2026-11-21T09:00:00Z", "tracking_company": "UPS", "tracking_number": "1Z9", "shipment_status": "in_transit", "#
                + #""estimated_delivery_at": "2026-11-24T18:00:00Z"}]"#)
        #expect(shipped.status == .shipped)
        #expect(shipped.shipment?.estimatedDelivery == ISO8601DateFormatter().date(from: "2026-11-24T18:00:00Z"))
        let delivered = try order(
            #""shipping_lines": [{"title": "Shipping", "price": "0.00"}], "fulfillment_status": "fulfilled", "fulfillments": [{"status": "success", "#
                + #""shipment_status": "delivered"}], "note_attributes": [{"name": "voicepos_delivered_at", "value": "2026-11-23T12:00:00Z"}]"#)
        #expect(delivered.status == .delivered)
        #expect(delivered.deliveredAt == ISO8601DateFormatter().date(from: "2026-11-23T12:00:00Z"))
    }

    @Test func aRefundWithoutTransactionsIsWorthItsLinesSubtotalAndTax() throws {
        let body =
            #"{"refund": {"id": 7, "order_id": 5000000001042, "note": "Store credit: too small", "transactions": [], "refund_line_items": ["#
            + #"{"quantity": 1, "subtotal": "130.00", "total_tax": "11.50", "line_item": {"variant_id": "NK-1"}}, "#
            + #"{"quantity": 2, "subtotal": 20.5, "total_tax": 1.82, "line_item": {"variant_id": "SK-2"}}]}}"#
        guard case .refunds(let refunds) = try payloadMapper(for: .shopify).decode(Data(body.utf8)) else { Issue.record("not refunds"); return }
        #expect(refunds.first?.amount == Money(minorUnits: 16_382, currency: "USD"))
        #expect(refunds.first?.lines == [LineItem(sku: "NK-1", quantity: 1), LineItem(sku: "SK-2", quantity: 2)])
    }

    @Test(arguments: [
        (#"{"errors": "Not Found"}"#, POSError.notFound("Not Found")),
        (#"{"errors": {"base": ["order 1042 is paid"]}}"#, .invalidRequest("order 1042 is paid")),
        (#"{"errors": {"line_items": ["variant NK-1 is out of stock: only 2 available"]}}"#, .outOfStock(sku: "NK-1", available: 2)),
        (#"{"errors": "card_declined: insufficient_funds"}"#, .paymentDeclined(.insufficientFunds)),
        (#"{"errors": "expired_card"}"#, .paymentDeclined(.expiredCard)),
        (#"{"errors": "incorrect_cvc"}"#, .paymentDeclined(.incorrectSecurityCode)),
        (#"{"errors": "card_declined"}"#, .paymentDeclined(.generic)),
    ])
    func restErrorsKeepTheirMeaning(body: String, expected: POSError) throws {
        #expect(try payloadMapper(for: .shopify).decode(Data(body.utf8)) == .error(expected))
    }

    @Test(arguments: [("199.00", 19_900), ("1,299.5", 129_950), ("0.1", 10), ("-3.25", -325), ("12", 1_200)])
    func decimalStringsAreExactMinorUnits(text: String, minor: Int) throws {
        let data = Data(#"{"variants": [{"id": 1, "price": "\#(text)"}]}"#.utf8)
        guard case .variants(_, let variants) = try payloadMapper(for: .shopify).decode(data) else { Issue.record("not variants"); return }
        #expect(variants.first?.price.minorUnits == minor)
    }
}
