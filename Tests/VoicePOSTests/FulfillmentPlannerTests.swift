import Commerce
import RetailModel
import Testing

/// The fulfillment planner on its own: stock in, a decision out, no POS and no conversation.
struct FulfillmentPlannerTests {
    private static func store(_ id: String, pickup: Bool = true, transfers: Bool = true, nearby: [String] = []) -> Location {
        Location(
            id: id, name: id.capitalized, address: "", taxRatePerMillion: 0, acceptsPickup: pickup, pickupReadyHours: 1, hours: "",
            acceptsTransfers: transfers, nearby: nearby)
    }

    private static let pier = store("pier", nearby: ["town", "hill"])
    private static let town = store("town", nearby: ["pier", "hill"])
    private static let hill = store("hill", nearby: ["town", "pier"])
    private static let warehouse = store("warehouse", pickup: false, transfers: false)
    private static let planner = FulfillmentPlanner(locations: [pier, town, hill, warehouse])

    private static let boots = FulfillmentPlanner.Line(sku: "BOOT", quantity: 1)
    private static let socks = FulfillmentPlanner.Line(sku: "SOCK", quantity: 2)

    private static func request(
        _ lines: [FulfillmentPlanner.Line], _ fulfillment: Fulfillment = .pickup, store: String? = nil, home: String? = "pier",
        source: String? = nil, units: [SKU: [String: Int]]
    ) -> FulfillmentPlanner.Request {
        .init(lines: lines, fulfillment: fulfillment, store: store, home: home, source: source, units: units)
    }

    @Test func theHomeStoreIsTheStoreWhenItHasEverything() {
        let plan = Self.planner.plan(Self.request([Self.boots, Self.socks], units: ["BOOT": ["pier": 1], "SOCK": ["pier": 2]]))
        #expect(plan == .ready(store: Self.pier, source: nil))
    }

    @Test func aStoreShortOfOneLineOffersTheNearestWithEverything() {
        let units: [SKU: [String: Int]] = ["BOOT": ["pier": 1, "hill": 3, "town": 2], "SOCK": ["pier": 1, "hill": 5, "town": 4]]
        let plan = Self.planner.plan(Self.request([Self.boots, Self.socks], store: "pier", units: units))
        // Town is nearer the pier than the hill; only the socks are short, with the one pair there is said.
        #expect(
            plan == .elsewhere(at: Self.pier, short: [.init(line: Self.socks, have: 1)], instead: Self.town))
    }

    @Test func aShipmentComesFromTheWarehouseBeforeAStoresShelves() {
        let units: [SKU: [String: Int]] = ["BOOT": ["pier": 2, "warehouse": 5], "SOCK": ["pier": 4, "warehouse": 1]]
        #expect(Self.planner.plan(Self.request([Self.boots], .shipping, units: units)) == .ready(store: Self.warehouse, source: nil))
        // A warehouse short of a line ships nothing; the nearest store with everything does.
        #expect(Self.planner.plan(Self.request([Self.boots, Self.socks], .shipping, units: units)) == .ready(store: Self.pier, source: nil))
    }

    @Test func aSourceThatHasEverythingMakesItATransfer() {
        let units: [SKU: [String: Int]] = ["BOOT": ["hill": 3], "SOCK": ["hill": 5]]
        let plan = Self.planner.plan(Self.request([Self.boots, Self.socks], store: "pier", source: "hill", units: units))
        #expect(plan == .ready(store: Self.pier, source: Self.hill))
        // A source that can no longer fill the order is dropped, not kept.
        let emptied = Self.planner.plan(Self.request([Self.boots], store: "pier", source: "town", units: ["BOOT": ["hill": 1]]))
        #expect(emptied == .elsewhere(at: Self.pier, short: [.init(line: Self.boots, have: 0)], instead: Self.hill))
    }

    @Test func aTransferComesFromTheStoreOfferedThenTheNearestThatHasEverything() {
        let lines = [Self.boots, Self.socks]
        let units: [SKU: [String: Int]] = ["BOOT": ["town": 1, "hill": 1, "warehouse": 9], "SOCK": ["town": 2, "hill": 2, "warehouse": 9]]
        #expect(Self.planner.transferSource(for: lines, to: Self.pier, preferring: "hill", units: units) == Self.hill)
        #expect(Self.planner.transferSource(for: lines, to: Self.pier, preferring: nil, units: units) == Self.town)
        // The warehouse has plenty but sends no transfers; a store that takes none gets none.
        #expect(Self.planner.transferSource(for: lines, to: Self.pier, preferring: nil, units: ["BOOT": ["warehouse": 9]]) == nil)
        let closed = Self.store("closed", transfers: false)
        #expect(Self.planner.transferSource(for: lines, to: closed, preferring: "hill", units: units) == nil)
    }

    @Test func onlyAStoreThatShipsHasItSoShippingIsOffered() {
        let plan = Self.planner.plan(Self.request([Self.boots], units: ["BOOT": ["warehouse": 4]]))
        #expect(plan == .shipInstead)
        let shipped = Self.planner.plan(Self.request([Self.boots], .shipping, units: ["BOOT": ["warehouse": 4]]))
        #expect(shipped == .ready(store: Self.warehouse, source: nil))
    }

    @Test func notEnoughAnywhereOffersWhatOneStoreHasWithTheRestOfTheOrder() {
        let three = FulfillmentPlanner.Line(sku: "BOOT", quantity: 3)
        let units: [SKU: [String: Int]] = ["BOOT": ["pier": 2, "town": 1], "SOCK": ["town": 2]]
        // The pier has more boots, but only the town store has the socks as well.
        let plan = Self.planner.plan(Self.request([three, Self.socks], units: units))
        #expect(plan == .partly(.init(line: three, have: 1), at: Self.town))
    }

    @Test func soldOutAndSplitAcrossStoresAreTold() {
        #expect(Self.planner.plan(Self.request([Self.boots], units: [:])) == .unavailable(Self.boots))
        let split: [SKU: [String: Int]] = ["BOOT": ["pier": 1], "SOCK": ["hill": 2]]
        #expect(Self.planner.plan(Self.request([Self.boots, Self.socks], units: split)) == .noSingleStore(short: Self.boots))
    }

    @Test func aPickupWithNoStoreAsksAndAStoreWithoutPickupsIsRefused() {
        let units: [SKU: [String: Int]] = ["BOOT": ["hill": 1, "town": 1]]
        #expect(Self.planner.plan(Self.request([Self.boots], home: nil, units: units)) == .chooseStore(among: [Self.hill, Self.town]))
        #expect(
            Self.planner.plan(Self.request([Self.boots], store: "warehouse", home: nil, units: units))
                == .noPickup(at: Self.warehouse, among: [Self.hill, Self.town]))
    }
}
