import RetailModel
import Testing
import Understanding

struct EntityExtractionTests {
    @Test(arguments: [
        ("do you have air maxes", "nike-air-max-90"),
        ("got any airmax in stock", "nike-air-max-90"),
        ("I want the sambas", "adidas-samba-og"),
        ("levis five oh one", "levis-501-original"),
        ("new balance nine ninety", "new-balance-990v6"),
        ("ultra boost", "adidas-ultraboost-light"),
        ("the north face nuptse jacket", "the-north-face-1996-retro-nuptse"),
    ])
    func findsProductsAsCallersSayThem(text: String, product: String) async throws {
        let entities = try await Fixtures.understanding().interpret(text).entities
        #expect(entities.productIDs == [product])
    }

    @Test(arguments: [
        ("do you have it in size ten and a half", "10.5"),
        ("a nine point five please", "9.5"),
        ("size 10 1/2", "10.5"),
        ("do you have this in a medium", "M"),
        ("extra large", "XL"),
        ("size nine, no, ten", "10"),
        ("the five oh ones in thirty two by thirty", "32x30"),
    ])
    func readsSizes(text: String, size: String) async throws {
        #expect(try await Fixtures.understanding().interpret(text).entities.options["size"] == size)
    }

    @Test func readsABareNumberAsTheSizeThatWasAskedFor() async throws {
        let understanding = try await Fixtures.understanding()
        #expect(understanding.interpret("ten", expecting: .size).entities.options["size"] == "10")
        #expect(understanding.interpret("ten", expecting: .quantity).entities.quantity == 10)
    }

    @Test func readsEverythingInOneOrder() async throws {
        let entities = try await Fixtures.understanding()
            .interpret("can I get two pairs of the black sambas in a nine for pickup at the mall").entities
        #expect(entities.productIDs == ["adidas-samba-og"])
        #expect(entities.quantity == 2)
        #expect(entities.options == ["color": "black", "size": "9"])
        #expect(entities.fulfillment == .pickup)
        #expect(entities.locationID == "mall")
    }

    @Test func readsOrderNumbersSpokenDigitByDigit() async throws {
        let understanding = try await Fixtures.understanding()
        #expect(understanding.interpret("my order number is seven seven nine oh").entities.orderNumber == "7790")
        #expect(understanding.interpret("seven eight two nine", expecting: .orderNumber).entities.orderNumber == "7829")
    }

    @Test func readsReturnReasonAndRefundMethod() async throws {
        let entities = try await Fixtures.understanding()
            .interpret("they're too small, can I get store credit").entities
        #expect(entities.returnReason == "too small")
        #expect(entities.refundMethod == .storeCredit)
        #expect(entities.options["size"] == nil)
    }

    @Test func keepsACardNumberOutOfTheRedactedText() async throws {
        let reading = try await Fixtures.understanding()
            .interpret("it's four two four two four two four two four two four two four two four two")
        #expect(reading.entities.cardNumber == "4242424242424242")
        #expect(reading.redactedText.contains("card ending 4242"))
        #expect(!reading.redactedText.contains("42424242"))
    }

    @Test func namesAnUnknownProductForASearch() async throws {
        let entities = try await Fixtures.understanding().interpret("do you have the zorblax 3000 in size 9").entities
        #expect(entities.productIDs.isEmpty)
        #expect(entities.unknownProductPhrase == "zorblax 3000")
        #expect(entities.orderNumber == nil)
    }

    @Test func aCreditCardRefundIsTheOriginalPayment() async throws {
        let understanding = try await Fixtures.understanding()
        #expect(understanding.interpret("refund it to my credit card").entities.refundMethod == .originalPayment)
        #expect(understanding.interpret("store credit is fine").entities.refundMethod == .storeCredit)
    }

    @Test func anUnknownModelBesideAKnownNameIsFlagged() async throws {
        let understanding = try await Fixtures.understanding()
        #expect(understanding.interpret("do you have the yeezy boost 350").entities.unmatchedModel == "yeezy boost 350")
        #expect(understanding.interpret("do you have the sambas in a 9").entities.unmatchedModel == nil)
    }

    @Test(arguments: [
        ("do you have the nigh key air max in ten", "nike-air-max-90"),
        ("sam bass in a nine", "adidas-samba-og"),
        ("do you have the dock martins", "dr-martens-1460"),
        ("adidas ultra bost", "adidas-ultraboost-light"),
    ])
    func findsProductsARecognizerMisheard(text: String, product: String) async throws {
        let entities = try await Fixtures.understanding().interpret(text).entities
        #expect(entities.productIDs == [product])
        #expect(entities.unmatchedModel == nil)
    }

    @Test func severalItemsInOneBreathAreReadApart() async throws {
        let understanding = try await Fixtures.understanding()
        let items = understanding.interpret("two pairs of the air max 90 in 10 and a black hoodie in medium").entities.items
        #expect(items.count == 2)
        #expect(items.first?.productIDs == ["nike-air-max-90"])
        #expect(items.first?.quantity == 2)
        #expect(items.first?.options["size"] == "10")
        #expect(items.last?.kind != nil)
        #expect(items.last?.options["color"] == "black")
        #expect(items.last?.options["size"] == "M" || items.last?.alternativeOptions["size"] == "M")
    }

    @Test(arguments: ["do you have the air max 90 in black and white", "the nike air max 90 in a ten", "air max 90 and"])
    func oneThingIsNotACart(text: String) async throws {
        #expect(try await Fixtures.understanding().interpret(text).entities.items.isEmpty)
    }
}
