import Commerce
import Conversation
import Foundation
import Replay
import RetailModel
import StoreSimulator
import Testing
import Understanding

/// Holds on stock while callers order: two callers are never promised the same last units.
struct ReservationTests {
    /// One pair of size 11 at the Pier store (none elsewhere); size 10 at every store.
    private static let fixture = """
        store: {name: Harbor Outfitters, next_order_number: 9001}
        locations:
          - {id: pier, name: Pier, tax_percent: 6, nearby: [hillside]}
          - {id: hillside, name: Hillside, tax_percent: 5, nearby: [pier]}
        products:
          - id: deck-boot
            brand: Harbor
            name: Deck Boot
            category: footwear
            kind: boots
            unit: pair
            price: 12000
            options: [size]
            variants:
              - {sku: DB-10, size: "10", stock: {pier: 2, hillside: 4}}
              - {sku: DB-11, size: "11", stock: {pier: 1, hillside: 0}}
        customers:
          - {id: H-1, name: Sam Reyes, home_location: pier, card_on_file: {token: tok_demo_visa_4242, brand: Visa, last4: "4242"}}
          - {id: H-2, name: Kim Park, home_location: pier, card_on_file: {token: tok_demo_visa_4242, brand: Visa, last4: "4242"}}
        """

    /// A clock the test moves forward.
    private final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var current = Fixtures.now
        var now: Date {
            get { lock.withLock { current } }
            set { lock.withLock { current = newValue } }
        }
    }

    private func engine(
        reservations: InMemoryReservations, clock: Clock, idleTimeout: TimeInterval = 30 * 60
    ) async throws -> (DialogueEngine, StoreSimulator) {
        let store = try StoreSimulator(fixture: try StoreFixture.parse(Self.fixture, source: "harbor"), clock: Fixtures.clock)
        let understanding = LanguageUnderstanding(
            intents: try Fixtures.intents(), catalog: try await store.catalog(), locations: try await store.locations())
        var configuration = DialogueConfiguration(
            storeName: "Harbor Outfitters", returnPolicy: ReturnPolicy(windowDays: 30),
            clock: StoreClock(calendar: Fixtures.clock.calendar) { clock.now }, reservations: reservations)
        configuration.sessionIdleTimeout = idleTimeout
        return (
            DialogueEngine(
                pointOfSale: store, tokenizer: store, understanding: understanding, locations: try await store.locations(),
                configuration: configuration),
            store
        )
    }

    private func say(_ engine: DialogueEngine, _ session: String, _ customer: String, _ text: String) async -> Reply {
        await engine.respond(to: Utterance(sessionID: session, text: text, caller: Caller(customerID: customer)))
    }

    @Test func theSecondCallerForTheLastUnitIsToldItWasJustReserved() async throws {
        let clock = Clock()
        let (engine, store) = try await engine(reservations: InMemoryReservations(), clock: clock)
        let first = await say(engine, "a", "H-1", "I'd like to order the deck boots in size 11 for pickup at the pier store")
        #expect(first.expecting == .confirmation)
        let second = await say(engine, "b", "H-2", "I'd like to order the deck boots in size 11 for pickup at the pier store")
        #expect(second.text.contains("just reserved"))
        #expect(second.expecting != .confirmation || second.text.contains("ship"))
        // The first caller still gets the pair.
        _ = await say(engine, "a", "H-1", "yes")
        let done = await say(engine, "a", "H-1", "yes")
        #expect(done.text.contains("confirmed"))
        #expect(await store.snapshot().orders.filter { $0.customerID == "H-1" }.count == 1)
    }

    @Test func cancellingReleasesTheHold() async throws {
        let clock = Clock()
        let (engine, _) = try await engine(reservations: InMemoryReservations(), clock: clock)
        _ = await say(engine, "a", "H-1", "I'd like to order the deck boots in size 11 for pickup at the pier store")
        let cancelled = await say(engine, "a", "H-1", "never mind")
        #expect(cancelled.intent == .cancel)
        let second = await say(engine, "b", "H-2", "I'd like to order the deck boots in size 11 for pickup at the pier store")
        #expect(second.expecting == .confirmation)
        #expect(!second.text.contains("reserved"))
    }

    @Test func aHoldRunsOutAfterTenMinutes() async throws {
        let clock = Clock()
        let (engine, _) = try await engine(reservations: InMemoryReservations(), clock: clock)
        _ = await say(engine, "a", "H-1", "I'd like to order the deck boots in size 11 for pickup at the pier store")
        clock.now = clock.now.addingTimeInterval(9 * 60)
        let during = await say(engine, "b", "H-2", "do you have the deck boots in size 11")
        #expect(!during.text.contains("Yes, we have"))
        clock.now = clock.now.addingTimeInterval(2 * 60)
        let after = await say(engine, "c", "H-2", "do you have the deck boots in size 11")
        #expect(after.text.contains("1 pair in size 11 at the Pier store"))
    }

    @Test func anExpiredHoldIsTakenAgainAtPaymentWhenStillFree() async throws {
        let clock = Clock()
        let (engine, store) = try await engine(reservations: InMemoryReservations(), clock: clock)
        _ = await say(engine, "a", "H-1", "I'd like to order the deck boots in size 11 for pickup at the pier store")
        _ = await say(engine, "a", "H-1", "yes")
        clock.now = clock.now.addingTimeInterval(15 * 60)
        let done = await say(engine, "a", "H-1", "yes")
        #expect(done.text.contains("confirmed"))
        #expect(await store.snapshot().orders.filter { $0.customerID == "H-1" }.count == 1)
    }

    @Test func theBookNeverPromisesMoreThanIsThere() async {
        let book = InMemoryReservations()
        let now = Fixtures.now
        let until = now.addingTimeInterval(600)
        #expect(await book.hold("S", at: "x", quantity: 2, for: "a", until: until, available: 3, now: now))
        #expect(!(await book.hold("S", at: "x", quantity: 2, for: "b", until: until, available: 3, now: now)))
        #expect(await book.hold("S", at: "x", quantity: 1, for: "b", until: until, available: 3, now: now))
        #expect(await book.heldByOthers("S", at: "x", excluding: "c", now: now) == 3)
        await book.releaseAll(holder: "a")
        #expect(await book.heldByOthers("S", at: "x", excluding: "c", now: now) == 1)
        #expect(await book.heldByOthers("S", at: "x", excluding: "c", now: until) == 0)
    }

    @Test func aCallSilentPastTheIdleTimeoutIsEndedAndLetsItsHoldGo() async throws {
        let clock = Clock()
        let reservations = InMemoryReservations()
        let (engine, _) = try await engine(reservations: reservations, clock: clock, idleTimeout: 5 * 60)
        _ = await say(engine, "a", "H-1", "I'd like to order the deck boots in size 11 for pickup at the pier store")
        #expect(await reservations.activeHolds(now: clock.now) == 1)
        clock.now = clock.now.addingTimeInterval(4 * 60)
        _ = await say(engine, "b", "H-2", "hi")
        #expect(await engine.sessionCount == 2)
        #expect(await reservations.activeHolds(now: clock.now) == 1)
        // Six minutes of silence from the first caller (the hold alone would last ten): the call is over.
        clock.now = clock.now.addingTimeInterval(2 * 60)
        let second = await say(engine, "b", "H-2", "I'd like to order the deck boots in size 11 for pickup at the pier store")
        #expect(await engine.sessionCount == 1)
        #expect(second.expecting == .confirmation)
        #expect(!second.text.contains("reserved"))
        // The first caller coming back starts afresh rather than finding a half-made order.
        let back = await say(engine, "a", "H-1", "yes")
        #expect(!back.text.contains("charge"))
    }
}

struct NearestStoresTests {
    private func store(_ id: String, nearby: [String] = []) -> Location {
        Location(id: id, name: id, address: "", taxRatePerMillion: 0, acceptsPickup: true, pickupReadyHours: 1, hours: "", nearby: nearby)
    }

    @Test func theCallersStoreThenTheNearestThenTheMostUnits() {
        let home = store("home", nearby: ["near", "far"])
        let stores = [store("far"), store("other"), store("near"), home]
        #expect(stores.nearestFirst(from: home, units: ["far": 9, "other": 20]).map(\.id) == ["home", "near", "far", "other"])
        // The reference store need not be among those that have stock.
        #expect([store("far"), store("near")].nearestFirst(from: home).map(\.id) == ["near", "far"])
        #expect(stores.nearestFirst(from: nil, units: ["far": 9, "other": 20]).map(\.id) == ["other", "far", "home", "near"])
    }

}
