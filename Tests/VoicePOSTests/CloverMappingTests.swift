import Connectors
import Foundation
import RetailModel
import Testing

/// Clover's v3 and Ecommerce shapes (as documented) through the mapping layer: items grouped into products by
/// item group, option names from the group's attributes, VoicePOS's order note, cards on file, returns, errors.
struct CloverMappingTests {
    private func decode(_ json: String, as kind: ObjectKind? = nil) throws -> DecodedPayload {
        try payloadMapper(for: .clover).decode(Data(json.utf8), as: kind)
    }

    @Test func itemsOfOneGroupAreOneProductWithTheGroupsOptionNamesInOrder() throws {
        let json = #"""
            {"elements": [
              {"id": "ITEM1", "name": "Trail Tee / M / Blue", "price": 2500, "priceType": "FIXED", "itemGroup": {"id": "G1", "name": "Trail Tee"},
               "options": {"elements": [{"id": "O-M", "attribute": {"id": "A-SIZE"}}, {"id": "O-BLUE", "name": "Blue", "attribute": {"id": "A-COLOR"}}]}},
              {"id": "ITEM2", "name": "Trail Tee / L / Blue", "price": 2700, "itemGroup": {"id": "G1"},
               "options": {"elements": [{"id": "O-L", "attribute": {"id": "A-SIZE"}}, {"id": "O-BLUE", "attribute": {"id": "A-COLOR"}}]}},
              {"id": "ITEM3", "name": "Gift card", "price": 0, "priceType": "VARIABLE"},
              {"id": "ITEM4", "name": "Socks", "price": 900}
            ],
            "attributes": {"elements": [
              {"id": "A-SIZE", "name": "Size", "itemGroup": {"id": "G1"}, "options": {"elements": [{"id": "O-M", "name": "M"}, {"id": "O-L", "name": "L"}]}},
              {"id": "A-COLOR", "name": "Color", "itemGroup": {"id": "G1"}, "options": {"elements": [{"id": "O-BLUE", "name": "Blue"}]}}
            ]}}
            """#
        guard case .products(let products) = try decode(json, as: .product) else { Issue.record("not products"); return }
        #expect(products.map(\.id) == ["G1", "ITEM4"])
        let tee = try #require(products.first)
        #expect(tee.name == "Trail Tee")
        #expect(tee.brand == "")
        #expect(tee.optionNames == ["size", "color"])
        #expect(
            tee.variants == [
                Variant(sku: "ITEM1", options: ["size": "M", "color": "Blue"], price: Money(minorUnits: 2500, currency: "USD")),
                Variant(sku: "ITEM2", options: ["size": "L", "color": "Blue"], price: Money(minorUnits: 2700, currency: "USD")),
            ])
        #expect(products.last?.optionNames == [])
    }

    @Test func anOrdersNoteCarriesWhatCloverHasNoFieldFor() throws {
        let json = #"""
            {"id": "7781", "currency": "USD", "total": 10875, "state": "locked", "paymentState": "PAID", "createdTime": 1764255600000,
             "customers": {"elements": [{"id": "C-1001"}]}, "orderType": {"id": "OT1", "label": "Shipping"},
             "note": "Leave at the back door\nvoicepos.status=shipped\nvoicepos.carrier=UPS\nvoicepos.tracking=1Z999\nvoicepos.shipped_at=2026-11-25T15:00:00.000Z\nvoicepos.estimated_delivery=2026-11-29T15:00:00.000Z",
             "lineItems": {"elements": [{"id": "L1", "item": {"id": "ITEM1"}, "name": "Trail Tee, M", "price": 5000, "unitQty": 2000}]}}
            """#
        guard case .orders(let orders) = try decode(json) else { Issue.record("not orders"); return }
        let order = try #require(orders.first)
        #expect(order.number == "7781")
        #expect(order.status == .shipped)
        #expect(order.fulfillment == .shipping)
        #expect(order.lines.map(\.quantity) == [2])
        #expect(order.subtotal == Money(minorUnits: 10_000, currency: "USD"))
        #expect(order.tax == Money(minorUnits: 875, currency: "USD"))
        #expect(order.placedAt == Date(timeIntervalSince1970: 1_764_255_600))
        #expect(order.shipment?.carrier == "UPS")
        #expect(order.shipment?.trackingNumber == "1Z999")
        #expect(order.shipment?.estimatedDelivery == ISO8601DateFormatter().date(from: "2026-11-29T15:00:00Z"))
    }

    @Test func withoutVoicePOSsNoteTheOrdersOwnStateDecides() throws {
        let open = #"{"id": "A", "total": 100, "state": "open", "paymentState": "OPEN"}"#
        let paid = #"{"id": "B", "total": 100, "state": "locked", "paymentState": "PAID"}"#
        let deleted = #"{"id": "C", "total": 100, "state": "open", "deletedTimestamp": 1764255600000, "note": "voicepos.status=pending"}"#
        var statuses: [OrderStatus] = []
        for json in [open, paid, deleted] {
            guard case .orders(let orders) = try decode(json, as: .order) else { Issue.record("not orders"); return }
            statuses += orders.map(\.status)
        }
        #expect(statuses == [.pending, .confirmed, .cancelled])
    }

    @Test func aCustomersCardOnFileKeepsItsTokenBrandAndLastFour() throws {
        let json = #"""
            {"id": "C1", "firstName": "Marcus", "lastName": "Webb", "phoneNumbers": {"elements": [{"id": "P", "phoneNumber": "(555) 010-0103"}]},
             "emailAddresses": {"elements": []}, "cards": {"elements": [{"id": "K", "token": "tok_amex", "cardType": "AMEX", "last4": "0005"}]}}
            """#
        guard case .customers(let customers) = try decode(json) else { Issue.record("not customers"); return }
        #expect(customers.first?.name == "Marcus Webb")
        #expect(customers.first?.phone == "(555) 010-0103")
        #expect(customers.first?.email == "")
        #expect(customers.first?.cardOnFile == CardToken(token: "tok_amex", brand: "Amex", last4: "0005"))
    }

    @Test func aReturnRefundsTheAmountReturnedNotTheOrdersAmount() throws {
        let json =
            #"{"id": "K7T6MCF0GBSKR", "amount": 999, "amount_returned": 656, "currency": "USD", "items": [], "status": "returned", "created": 1764255600000}"#
        guard case .refunds(let refunds) = try decode(json) else { Issue.record("not a refund"); return }
        #expect(refunds.first?.amount == Money(minorUnits: 656, currency: "USD"))
        #expect(refunds.first?.createdAt == Date(timeIntervalSince1970: 1_764_255_600))
    }

    @Test func paidOrdersNameTheirChargeAndCountsTheirAge() throws {
        let paid =
            #"{"id": "7829", "object": "order", "amount": 14154, "currency": "usd", "charge": "CH1", "status": "paid", "status_transitions": {"paid": 1764255600000}}"#
        guard case .payments(let payments) = try decode(paid, as: .payment) else { Issue.record("not a payment"); return }
        #expect(payments.first?.id == "CH1")
        #expect(payments.first?.amount == Money(minorUnits: 14_154, currency: "USD"))
        let stock =
            #"{"elements": [{"item": {"id": "ITEM1"}, "quantity": 3.5, "modifiedTime": 1764255600000}, {"item": {"id": "ITEM2"}, "quantity": -2}]}"#
        guard case .inventory(let levels) = try decode(stock, as: .inventory) else { Issue.record("not stock"); return }
        #expect(levels.map(\.available) == [3, 0])
        #expect(levels.first?.countedAt == Date(timeIntervalSince1970: 1_764_255_600))
        #expect(levels.last?.countedAt == nil)
    }

    @Test func errorsKeepTheirMeaning() throws {
        let cases: [(String, POSError)] = [
            (#"{"error": {"type": "card_error", "code": "expired_card", "decline_code": "expired_card"}}"#, .paymentDeclined(.expiredCard)),
            (#"{"error": {"type": "card_error", "code": "incorrect_cvc"}}"#, .paymentDeclined(.incorrectSecurityCode)),
            (#"{"error": {"type": "card_error", "code": "card_declined", "decline_code": "generic_decline"}}"#, .paymentDeclined(.generic)),
            (#"{"error": {"type": "invalid_request_error", "code": "resource_missing", "message": "order 7781"}}"#, .notFound("order 7781")),
            (
                #"{"error": {"type": "invalid_request_error", "code": "out_of_stock", "param": "ITEM1", "message": "Only 2 of ITEM1 are in stock"}}"#,
                .outOfStock(sku: "ITEM1", available: 2)
            ),
            (
                #"{"message": "400 Bad Request", "error": {"type": "invalid_request_error", "message": "order 7781 is paid"}}"#,
                .invalidRequest("order 7781 is paid")
            ),
            (#"{"message": "Bad filter"}"#, .invalidRequest("Bad filter")),
        ]
        for (json, expected) in cases {
            #expect(try decode(json, as: .error) == .error(expected), "\(json)")
        }
    }
}
