import RetailModel

/// Decides where an order is fulfilled: which store it is for, whether that store has every line, where else it
/// could come from (another pickup store, a transfer, shipping), or what is short. One rule set for every order,
/// one line or many; it reads no POS and asks nothing, so the conversation words whatever it decides.
public struct FulfillmentPlanner: Sendable {
    private let locations: [Location]

    public init(locations: [Location]) {
        self.locations = locations
    }

    /// Units of one SKU an order wants.
    public struct Line: Sendable, Hashable {
        public var sku: SKU
        public var quantity: Int

        public init(sku: SKU, quantity: Int) {
            self.sku = sku
            self.quantity = quantity
        }
    }

    /// A line a store cannot fill, and how many of it that store has.
    public struct Shortfall: Sendable, Hashable {
        public var line: Line
        public var have: Int

        public init(line: Line, have: Int) {
            self.line = line
            self.have = have
        }
    }

    /// What an order needs to go ahead.
    public struct Request: Sendable {
        public var lines: [Line]
        public var fulfillment: Fulfillment
        /// The pickup store the caller chose, if any.
        public var store: String?
        /// The caller's home store: the pickup store when none was chosen, and where "nearest" is measured from.
        public var home: String?
        /// A store the caller agreed would send the units to the pickup store.
        public var source: String?
        /// Units this caller may be promised, by SKU and location.
        public var units: [SKU: [String: Int]]

        public init(
            lines: [Line], fulfillment: Fulfillment, store: String?, home: String?, source: String?, units: [SKU: [String: Int]]
        ) {
            self.lines = lines
            self.fulfillment = fulfillment
            self.store = store
            self.home = home
            self.source = source
            self.units = units
        }
    }

    /// The outcome, from the one that lets the order go ahead to the ones that need the caller.
    public enum Plan: Sendable, Hashable {
        /// Every line is there: the order is for `store`, its units sent over from `source` when it is a transfer.
        case ready(store: Location, source: Location?)
        /// A pickup with no store chosen: these stores have everything, nearest first.
        case chooseStore(among: [Location])
        /// The store chosen takes no pickups; these have everything.
        case noPickup(at: Location, among: [Location])
        /// The store chosen is short of these lines; `instead` has everything.
        case elsewhere(at: Location, short: [Shortfall], instead: Location)
        /// No pickup store has everything, but a store that ships does.
        case shipInstead
        /// Every store short of one line: `at` has everything else and some of it.
        case partly(Shortfall, at: Location)
        /// A line no store could send at all.
        case unavailable(Line)
        /// Each line is somewhere, but no one store has them all.
        case noSingleStore(short: Line)
    }

    public func plan(_ request: Request) -> Plan {
        let lines = request.lines
        func have(_ line: Line, at store: Location) -> Int { request.units[line.sku]?[store.id] ?? 0 }
        func hasAll(_ store: Location) -> Bool { lines.allSatisfy { have($0, at: store) >= $0.quantity } }
        let shipping = request.fulfillment == .shipping
        let eligible = shipping ? locations : locations.filter(\.acceptsPickup)
        let reference = location(shipping ? request.home : request.store ?? request.home)
        let unitsByStore = Dictionary(
            request.units.values.flatMap { $0 }, uniquingKeysWith: +)
        let stocked = eligible.filter(hasAll).nearestFirst(from: reference, units: unitsByStore)

        guard let nearest = stocked.first else {
            if !shipping, locations.contains(where: hasAll) { return .shipInstead }
            let short = lines.filter { line in !eligible.contains { have(line, at: $0) >= line.quantity } }
            if short.count == 1, let line = short.first {
                let rest = lines.filter { $0 != line }
                let best = eligible.filter { store in rest.allSatisfy { have($0, at: store) >= $0.quantity } }
                    .nearestFirst(from: reference)
                    .max { have(line, at: $0) < have(line, at: $1) }
                if let best, have(line, at: best) > 0 { return .partly(Shortfall(line: line, have: have(line, at: best)), at: best) }
            }
            if let gone = short.first(where: { line in !eligible.contains { have(line, at: $0) > 0 } }) { return .unavailable(gone) }
            return .noSingleStore(short: short.first ?? lines[0])
        }
        // A shipment comes from a warehouse that has everything, when there is one, before a store's shelves.
        if shipping { return .ready(store: stocked.first { !$0.acceptsPickup } ?? nearest, source: nil) }

        var chosen = location(request.store)
        if chosen == nil, let home = location(request.home), home.acceptsPickup { chosen = home }
        guard let chosen else { return .chooseStore(among: stocked) }
        guard chosen.acceptsPickup else { return .noPickup(at: chosen, among: stocked) }
        if let source = location(request.source), source.id != chosen.id, hasAll(source) { return .ready(store: chosen, source: source) }
        if hasAll(chosen) { return .ready(store: chosen, source: nil) }
        let short = lines.filter { have($0, at: chosen) < $0.quantity }.map { Shortfall(line: $0, have: have($0, at: chosen)) }
        return .elsewhere(at: chosen, short: short, instead: nearest)
    }

    /// A store that can send every line to `store` for pickup, where both stores take transfers: `preferring`
    /// first (the store already offered), then the nearest.
    public func transferSource(for lines: [Line], to store: Location, preferring: String?, units: [SKU: [String: Int]]) -> Location? {
        guard store.acceptsTransfers else { return nil }
        let candidates = [location(preferring)].compactMap { $0 } + locations.nearestFirst(from: store)
        return candidates.first { source in
            source.id != store.id && source.acceptsTransfers
                && lines.allSatisfy { (units[$0.sku]?[source.id] ?? 0) >= $0.quantity }
        }
    }

    private func location(_ id: String?) -> Location? { locations.first { $0.id == id } }
}
