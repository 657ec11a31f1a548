import Foundation
import RetailModel
import StoreSimulator
import Testing
import Understanding

/// Understanding derived from the catalog: everyday words as names, parts of names, diacritics, sizes in any system,
/// units, values by part, and identifiers said aloud. Each store is one of `Tests/Catalogs/`.
struct CatalogWordsTests {
    private static func understanding(_ store: String) async throws -> LanguageUnderstanding {
        let url = Fixtures.root.appendingPathComponent("Tests/Catalogs").appendingPathComponent(store).appendingPathComponent("store.yaml")
        let simulator = try StoreSimulator(fixture: try StoreFixture.load(contentsOf: url), clock: Fixtures.clock)
        return LanguageUnderstanding(
            intents: try Fixtures.intents(), catalog: try await simulator.catalog(), locations: try await simulator.locations())
    }

    @Test(
        arguments: [
            ("put it on my card", nil), ("my coach said I need stability shoes", nil), ("I guess so", nil), ("can you express ship it", nil),
            ("mind the gap", nil), ("the store on Brooks Street", nil), ("you're a champion, thanks", nil), ("I'm keen to order", nil),
            ("have you got the Ons in a 10", "On"), ("any vans in a size ten", "Vans"), ("something from Guess", "Guess"),
            ("the Coach bag", "Coach"), ("where are my vans", "Vans"), ("vans", "Vans"),
        ] as [(String, String?)])
    func anEverydayWordIsABrandOnlyWhereItStandsAsOne(text: String, brand: String?) async throws {
        let understanding = try await Self.understanding("commonword-outfitters")
        let entities = understanding.interpret(text).entities
        let named = entities.brand ?? entities.productIDs.first.flatMap { understanding.products[$0]?.brand }
        #expect(named == brand, "\(text)")
    }

    @Test func theStreetNamesTheStoreNotTheBrand() async throws {
        let entities = try await Self.understanding("commonword-outfitters").interpret("is the one on Coach House Road open").entities
        #expect(entities.locationID == "mill-yard")
        #expect(entities.brand == nil)
    }

    @Test(
        arguments: [
            ("do you have the fjallraven kanken", "fjallraven-kanken", [:]),
            ("the kanken in frost green", "fjallraven-kanken", ["color": "frost green"]),
            ("doc martens 1460 in a UK eight", "dr-martens-1460", ["size": "UK 8"]),
            ("clarks wallabees in a uk 8", "clarks-wallabee", ["size": "8"]),
            ("nudie gritty jackson thirty two waist thirty four leg", "nudie-jeans-gritty-jackson", ["size": "W32 L34"]),
            ("the reima rain jacket in six to seven years", "reima-latakko", ["size": "6-7Y"]),
            ("salomon xt six in forty two and two thirds", "salomon-xt-6", ["size": "42 2/3"]),
            ("aigle parcours in khaki, euro forty three", "aigle-parcours-2", ["color": "kaki", "size": "43"]),
        ] as [(String, String, [String: String])])
    func namesAndSizesComeFromTheCatalog(text: String, product: String, options: [String: String]) async throws {
        let entities = try await Self.understanding("gruenwald-mode").interpret(text).entities
        #expect((entities.productIDs.count == 1 ? entities.productIDs[0] : entities.impliedProductID) == product, "\(text)")
        for (name, value) in options { #expect(entities.options[name] == value, "\(text): \(name)") }
    }

    @Test(
        arguments: [
            ("is the yeti rambler thirty ounce in navy in stock", "yeti-rambler-tumbler", ["capacity": "30oz"]),
            ("do you have a 40 ounce tumbler in rose quartz", "stanley-quencher", ["size": "40 OZ"]),
            ("is the 50 millimeter lens in stock", "nikon-nikkor-z-f18-s", ["size": "50mm"]),
            ("a ten inch skillet", "lodge-cast-iron-skillet", ["size": "10\""]),
        ] as [(String, String, [String: String])])
    func unitsAreReadInEveryWriting(text: String, product: String, options: [String: String]) async throws {
        let entities = try await Self.understanding("switchback-supply").interpret(text).entities
        #expect((entities.productIDs.count == 1 ? entities.productIDs[0] : entities.impliedProductID) == product, "\(text)")
        for (name, value) in options { #expect(entities.options[name]?.lowercased() == value.lowercased(), "\(text): \(name)") }
    }

    @Test func aSizeTheCatalogLacksIsStillASize() async throws {
        let entities = try await Self.understanding("switchback-supply").interpret("do you have a 64 ounce hydroflask").entities
        #expect(entities.options["size"] == "64 oz")
        #expect(entities.quantity == nil)
    }

    @Test func identifiersSaidAloudAreReadAsSuch() async throws {
        let understanding = try await Fixtures.understanding()
        #expect(understanding.interpret("my email is ana dot garcia at gmail dot com").entities.email == "ana.garcia@gmail.com")
        #expect(understanding.interpret("it's ana.garcia@gmail.com").entities.email == "ana.garcia@gmail.com")
        #expect(understanding.interpret("j as in juliet o e at example dot co dot uk").entities.email == "joe@example.co.uk")
        let zip = understanding.interpret("my zip code is 60614").entities
        #expect(zip.postalCode == "60614")
        #expect(zip.orderNumber == nil)
        #expect(understanding.interpret("the postcode is yo1 7hh").entities.postalCode == "YO1 7HH")
        #expect(understanding.interpret("where is order 7829").entities.orderNumber == "7829")
    }

    @Test func aValueIsMatchedByPartOrNumberOnlyWhenOneFits() {
        let product = Product(
            id: "p", brand: "B", name: "N", category: .footwear, kind: "boots", optionNames: ["size", "color"],
            variants: [
                Variant(sku: "1", options: ["size": "UK 8", "color": "hamilton brown"], price: Money(minorUnits: 100, currency: "USD")),
                Variant(sku: "2", options: ["size": "UK 9", "color": "black/white"], price: Money(minorUnits: 100, currency: "USD")),
                Variant(sku: "3", options: ["size": "UK 9", "color": "true white"], price: Money(minorUnits: 100, currency: "USD")),
            ])
        #expect(product.value(of: "color", said: "brown") == "hamilton brown")
        #expect(product.value(of: "color", said: "white") == nil)
        #expect(product.value(of: "color", said: "black") == "black/white")
        #expect(product.value(of: "size", said: "8") == "UK 8")
        #expect(product.value(of: "size", said: "uk 9") == "UK 9")
        #expect(product.value(of: "size", said: "10") == nil)
    }
}
