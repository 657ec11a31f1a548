import Connectors
import Foundation
import RetailModel
import Testing

/// Lightspeed's and Clover's published payloads (`Tests/POSFixtures`, unmodified) through the mapping layer.
struct LightspeedCloverMappingTests {
    private func decode(_ platform: Platform, _ file: String) throws -> DecodedPayload {
        let url = Fixtures.root.appendingPathComponent("Tests/POSFixtures/\(platform.rawValue)").appendingPathComponent(file)
        return try payloadMapper(for: platform).decode(try Data(contentsOf: url))
    }

    @Test(arguments: [Platform.lightspeed, .clover])
    func everyFixtureMaps(platform: Platform) throws {
        let folder = Fixtures.root.appendingPathComponent("Tests/POSFixtures/\(platform.rawValue)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(!files.isEmpty)
        for file in files { #expect(throws: Never.self, "\(file)") { _ = try decode(platform, file) } }
    }

    @Test func aLightspeedItemIsAVariantWhoseSKUIsItsItemID() throws {
        guard case .products(let products) = try decode(.lightspeed, "Item_417_show.json") else { Issue.record("not products"); return }
        #expect(products.first?.variants.first?.sku == "417")
        #expect(products.first?.variants.first?.price == Money(minorUnits: 439, currency: "USD"))
        #expect(products.first?.name == #".064" x 3/4" Brass Strip"#)
    }

    @Test func lightspeedStockSkipsTheAllShopsTotal() throws {
        guard case .inventory(let levels) = try decode(.lightspeed, "Inventory_show.json") else { Issue.record("not stock"); return }
        #expect(!levels.contains { $0.locationID == "0" })
        #expect(levels.first?.sku == "2")
    }

    @Test func lightspeedSalesShopsCustomersAndErrors() throws {
        guard case .orders(let orders) = try decode(.lightspeed, "Sale_create_with_line.json") else { Issue.record("not orders"); return }
        #expect(orders.first?.number == "121")
        #expect(orders.first?.lines.first?.quantity == 2)
        #expect(orders.first?.subtotal == Money(minorUnits: 246, currency: "USD"))
        guard case .locations(let shops) = try decode(.lightspeed, "Shop_1_show.json") else { Issue.record("not shops"); return }
        #expect(shops.first?.address == "12109 Ventura Pl, Studio City, CA, 91604")
        guard case .customers(let customers) = try decode(.lightspeed, "Customer_show.json") else { Issue.record("not customers"); return }
        #expect(customers.first?.name == "cust first cust last")
        guard case .optionSets(let sets) = try decode(.lightspeed, "ItemAttributeSet_index.json") else { Issue.record("not sets"); return }
        #expect(sets["1"] == ["color", "size"])
        #expect(sets["2"] == ["size"])
        #expect(try decode(.lightspeed, "error_401_unauthorized.json") == .error(.unavailable))
        guard case .error(.invalidRequest(let message)) = try decode(.lightspeed, "error_400_item_not_created.json") else {
            Issue.record("not invalid"); return
        }
        #expect(message.contains("must have a description"))
    }

    @Test func aCloverChargeKeepsTheLastFourAndMillisecondTime() throws {
        guard case .payments(let payments) = try decode(.clover, "charge_capture_split_shipment.json") else { Issue.record("not payments"); return }
        let payment = try #require(payments.first)
        #expect(payment.amount == Money(minorUnits: 150, currency: "USD"))
        #expect(payment.cardBrand == "Mastercard")
        #expect(payment.cardLast4 == "1234")
        #expect(payment.orderNumber == "KQ2J82T5ZCYEM")
        #expect(payment.capturedAt == Date(timeIntervalSince1970: 1_656_626_930))
    }

    @Test func cloverWebhooksVerifyThenNameObjects() throws {
        guard case .webhook(let setup) = try decode(.clover, "webhook_verification_request.json") else { Issue.record("not a webhook"); return }
        #expect(setup.type == "verification")
        let update = Data(#"{"appId": "A", "merchants": {"M1": [{"objectId": "I:ITEM1", "type": "UPDATE", "ts": 1656626930000}]}}"#.utf8)
        guard case .webhook(let event) = try payloadMapper(for: .clover).decode(update) else { Issue.record("not a webhook"); return }
        #expect(event.objectKind == .product)
        #expect(event.objectIDs == ["ITEM1"])
    }

    @Test func cloverDeclinesKeepTheirReason() throws {
        let declined = Data(
            #"{"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds", "message": "Declined"}}"#.utf8)
        #expect(try payloadMapper(for: .clover).decode(declined) == .error(.paymentDeclined(.insufficientFunds)))
    }

    @Test func lightspeedItemsOfOneMatrixAreOneProduct() throws {
        let items = Data(
            #"""
            {"Item": [
              {"itemID": "10", "description": "Trail Tee M", "itemMatrixID": "7", "archived": "false",
               "ItemAttributes": {"attribute1": "Blue", "attribute2": "M"}, "Prices": {"ItemPrice": {"amount": "25", "useType": "Default"}}},
              {"itemID": "11", "description": "Trail Tee L", "itemMatrixID": "7", "archived": "false",
               "ItemAttributes": {"attribute1": "Blue", "attribute2": "L"}, "Prices": {"ItemPrice": [{"amount": "25", "useType": "Default"}]}}
            ]}
            """#.utf8)
        guard case .products(let products) = try payloadMapper(for: .lightspeed).decode(items) else { Issue.record("not products"); return }
        #expect(products.count == 1)
        #expect(products.first?.variants.map(\.sku) == ["10", "11"])
        #expect(products.first?.variants.last?.options == ["attribute1": "Blue", "attribute2": "L"])
    }
}
