import Connectors
import Foundation
import RetailModel
import Testing

/// Square's own published payloads (`Tests/POSFixtures/square`, unmodified) through the mapping layer.
struct SquareMappingTests {
    private func decode(_ file: String, as kind: ObjectKind? = nil) throws -> DecodedPayload {
        let url = Fixtures.root.appendingPathComponent("Tests/POSFixtures/square").appendingPathComponent(file)
        return try payloadMapper(for: .square).decode(try Data(contentsOf: url), as: kind)
    }

    @Test func everySquareFixtureMaps() throws {
        let folder = Fixtures.root.appendingPathComponent("Tests/POSFixtures/square")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 16)
        for file in files { #expect(throws: Never.self, "\(file)") { _ = try decode(file) } }
    }

    @Test func anItemsVariationsAreItsSKUsInMinorUnits() throws {
        guard case .products(let products) = try decode("SearchCatalogItemsResponse.json") else { Issue.record("not products"); return }
        let product = try #require(products.first)
        #expect(product.id == "GPOKJPTV2KDLVKCADJ7I77EZ")
        #expect(product.brand == "Dark Horse")
        #expect(
            product.variants == [
                Variant(sku: "VBJNPHCOKDFECR6VU25WRJUD", options: ["variation": "750 mL"], price: Money(minorUnits: 1_000, currency: "USD"))
            ])
    }

    @Test func inventoryCountsAreParsedFromText() throws {
        guard case .inventory(let levels) = try decode("BatchRetrieveInventoryCountsResponse.json") else { Issue.record("not stock"); return }
        #expect(levels.map(\.sku) == ["W62UWFY35CWMYGVWK6TWJDNI"])
        #expect(levels.first?.available == 79)
        #expect(levels.first?.locationID == "59TNP9SA8VGDA")
    }

    @Test func ordersPaymentsRefundsCustomersAndLocations() throws {
        guard case .orders(let orders) = try decode("RetrieveOrderResponse.json") else { Issue.record("not orders"); return }
        #expect(orders.first?.number == "CAISENgvlJ6jLWAzERDzjyHVybY")
        #expect(orders.first?.lines.map(\.quantity) == [1, 2])
        #expect(orders.first?.total == Money(minorUnits: 550, currency: "USD"))
        // OPEN with no tenders and no fulfillment: nothing has paid for it yet.
        #expect(orders.first?.status == .pending)
        guard case .payments(let payments) = try decode("CreatePaymentResponse.json") else { Issue.record("not payments"); return }
        #expect(payments.first?.cardLast4 == "1111")
        #expect(payments.first?.cardBrand == "Visa")
        #expect(payments.first?.orderNumber == "pRsjRTgFWATl7so6DxdKBJa7ssbZY")
        guard case .refunds(let refunds) = try decode("RefundPaymentResponse.json") else { Issue.record("not refunds"); return }
        #expect(refunds.first?.amount == Money(minorUnits: 1_000, currency: "USD"))
        #expect(refunds.first?.orderNumber == "1JLEUZeEooAIX8HMqm9kvWd69aQZY")
        guard case .customers(let customers) = try decode("RetrieveCustomerResponse.json") else { Issue.record("not customers"); return }
        #expect(customers.first?.name == "Amelia Earhart")
        guard case .locations(let locations) = try decode("ListLocationsResponse.json") else { Issue.record("not locations"); return }
        #expect(locations.first?.name == "Grant Park")
        #expect(locations.first?.address == "123 Main St, San Francisco, CA, 94114")
    }

    @Test func declinesKeepTheirReason() throws {
        #expect(try decode("error_insufficient_funds.json") == .error(.paymentDeclined(.insufficientFunds)))
        #expect(try decode("error_object_generic_decline.json") == .error(.paymentDeclined(.generic)))
        guard case .error(.invalidRequest(let detail)) = try decode("error_value_empty.json") else { Issue.record("not invalid"); return }
        #expect(detail.contains("VALUE_EMPTY"))
    }

    @Test func theMostSpecificOfSeveralErrorsWins() throws {
        let both = Data(
            #"{"errors": [{"category": "PAYMENT_METHOD_ERROR", "code": "GENERIC_DECLINE"}, {"category": "PAYMENT_METHOD_ERROR", "code": "CVV_FAILURE"}]}"#
                .utf8)
        #expect(try payloadMapper(for: .square).decode(both) == .error(.paymentDeclined(.incorrectSecurityCode)))
    }

    @Test func webhooksNameWhatChanged() throws {
        guard case .webhook(let stock) = try decode("webhook_InventoryCountUpdatedEvent.json") else { Issue.record("not a webhook"); return }
        #expect(stock.type == "inventory.count.updated")
        #expect(stock.objectKind == .inventory)
        #expect(stock.objectIDs == ["FGQ5JJWT2PYTHF35CKZ2DSKP"])
        guard case .webhook(let order) = try decode("webhook_OrderFulfillmentUpdatedEvent.json") else { Issue.record("not a webhook"); return }
        #expect(order.objectIDs == ["eA3vssLHKJrv9H0IdJCM3gNqfdcZY"])
    }

    @Test func aBadQuantityNamesTheField() {
        let bad = Data(#"{"counts": [{"catalog_object_id": "A", "location_id": "L", "quantity": "lots", "state": "IN_STOCK"}]}"#.utf8)
        #expect {
            try payloadMapper(for: .square).decode(bad)
        } throws: { error in
            (error as? MappingError)?.description == #"square inventory: counts[0].quantity: expected a quantity like "79""#
        }
    }
}
