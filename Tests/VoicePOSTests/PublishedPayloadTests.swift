import Connectors
import Foundation
import RetailModel
import Testing

/// Real published payloads from outside the shared fixtures, decoded by the mappers unmodified.
struct PublishedPayloadTests {
    static func decode(_ platform: Platform, _ file: String) throws -> DecodedPayload {
        let url = Fixtures.root.appendingPathComponent("Tests/PublishedPayloads/\(platform.rawValue)/\(file)")
        return try payloadMapper(for: platform).decode(try Data(contentsOf: url))
    }

    @Test func squareCatalogSearchKeepsEachVariationsLabel() throws {
        guard case .products(let products) = try Self.decode(.square, "SearchCatalogObjectsResponse.json") else {
            Issue.record("not products"); return
        }
        let tea = try #require(products.first { $0.name == "Tea - Black" })
        // Two variations, "Regular" and "Large": both are choices, the SKU is the variation id, prices in cents.
        #expect(tea.variants.map(\.options) == [["variation": "Regular"], ["variation": "Large"]])
        #expect(tea.variants.map(\.sku) == ["5GSZPX6EU7MM75S57OONG3V5", "XVLBN7DU6JTWHJTG5F265B43"])
        #expect(tea.variants.map(\.price.minorUnits) == [150, 225])
        // A lone "Regular" is no choice at all.
        #expect(products.first { $0.name == "Tea - Green" }?.variants.first?.options == [:])
    }

    @Test func squarePaidCounterSaleIsDeliveredWithItsLines() throws {
        guard case .orders(let orders) = try Self.decode(.square, "PayOrderResponse_two_tenders.json") else { Issue.record("not orders"); return }
        let order = try #require(orders.first)
        #expect(order.lines.map(\.quantity) == [1, 2])
        #expect(order.lines.map(\.unitPrice.minorUnits) == [500, 750])
        #expect(order.subtotal.minorUnits == 2000)
        #expect(order.status == .delivered)
        #expect(order.fulfillment == .pickup)
    }

    @Test func shopifyProductsNameTheirOptions() throws {
        guard case .products(let products) = try Self.decode(.shopify, "products.2024-04.list.json") else { Issue.record("not products"); return }
        let nano = try #require(products.first { $0.id == "632910392" })
        #expect(nano.optionNames == ["color"])
        #expect(nano.variants.first?.sku == "808950810")
        #expect(nano.variants.first?.options == ["color": "Pink"])
        #expect(nano.variants.allSatisfy { $0.price.minorUnits == 19_900 })
    }

    @Test func shopifyRefundsAddUpTheirTransactions() throws {
        guard case .refunds(let refunds) = try Self.decode(.shopify, "refunds.2024-04.list.json") else { Issue.record("not refunds"); return }
        let refund = try #require(refunds.first)
        #expect(refund.amount == Money(minorUnits: 20_900, currency: "USD"))
        #expect(refund.lines.map(\.sku).sorted() == ["39072856", "457924702"])
    }

    @Test func lightspeedItemsLoadedWithTheirAttributeSetsAreNamedOptions() throws {
        guard case .products(let products) = try Self.decode(.lightspeed, "Item_index_load_relations_all.json") else {
            Issue.record("not products"); return
        }
        let shirt = try #require(products.first { $0.id == "2" })
        #expect(shirt.name == "T-Shirt")
        #expect(shirt.optionNames == ["color", "size"])
        #expect(shirt.variants.first?.options == ["color": "Red", "size": "Small"])
        #expect(shirt.variants.first?.price.minorUnits == 2000)
    }
}
