import Foundation
import RetailModel
import Yams

/// A store described in YAML: locations, catalog with variants and stock, customers and their orders.
///
/// Dates in orders are relative to the clock ("-3d", "+1d", "-5h") or ISO-8601, so one fixture
/// serves both the live demo and replayed dialogues with a fixed clock.
public struct StoreFixture: Sendable, Decodable {
    /// The `store:` section: name, currency, return window, first order number, time zone.
    public struct Store: Sendable, Decodable {
        public var name: String
        public var currency: String?
        public var returnWindowDays: Int?
        public var nextOrderNumber: Int?
        /// An IANA time zone such as "America/New_York", for saying "today" and "tomorrow".
        public var timeZone: String?
        /// Whether the store takes card payments by phone (default true); false acts like a POS that only
        /// takes payment in its own checkout.
        public var cardPayments: Bool?
        /// Whether returns may be refunded as store credit (default true); false acts like Square or Clover.
        public var storeCredit: Bool?

        enum CodingKeys: String, CodingKey {
            case name, currency
            case cardPayments = "card_payments"
            case storeCredit = "store_credit"
            case returnWindowDays = "return_window_days"
            case nextOrderNumber = "next_order_number"
            case timeZone = "time_zone"
        }
    }

    /// One entry of `locations:`.
    public struct LocationEntry: Sendable, Decodable {
        var id: String
        var name: String
        var address: String?
        var taxPercent: Double?
        var pickup: Bool?
        var pickupReadyHours: Int?
        var hours: String?
        var safetyStock: Int?
        var transfers: Bool?
        var nearby: [String]?
        /// When the store's counts were last synced ("-3h"); absent for live counts.
        var stockCounted: String?
        var transferDays: Int?

        enum CodingKeys: String, CodingKey {
            case id, name, address, pickup, hours, transfers, nearby
            case taxPercent = "tax_percent"
            case pickupReadyHours = "pickup_ready_hours"
            case safetyStock = "safety_stock"
            case stockCounted = "stock_counted"
            case transferDays = "transfer_days"
        }
    }

    /// One entry of `products:`, with its variants.
    public struct ProductEntry: Sendable, Decodable {
        var id: String
        var brand: String
        var name: String
        var category: ProductCategory
        var kind: String?
        var unit: String?
        var price: Int?
        var aliases: [String]?
        var options: [String]?
        var variants: [VariantEntry]
    }

    /// A variant line: `sku`, optional `price` and `stock`, and one key per option name.
    public struct VariantEntry: Sendable, Decodable {
        var sku: String
        var price: Int?
        var stock: [String: Int]
        var options: [String: String]

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            sku = try container.decode(String.self, forKey: Key(stringValue: "sku"))
            price = try container.decodeIfPresent(Int.self, forKey: Key(stringValue: "price"))
            stock = try container.decodeIfPresent([String: Int].self, forKey: Key(stringValue: "stock")) ?? [:]
            var options: [String: String] = [:]
            for key in container.allKeys where !["sku", "price", "stock"].contains(key.stringValue) {
                options[key.stringValue] = try container.decode(String.self, forKey: key)
            }
            self.options = options
        }
    }

    /// One entry of `customers:`.
    public struct CustomerEntry: Sendable, Decodable {
        var id: String
        var name: String
        var phone: String?
        var email: String?
        var homeLocation: String?
        var cardOnFile: CardToken?

        enum CodingKeys: String, CodingKey {
            case id, name, phone, email
            case homeLocation = "home_location"
            case cardOnFile = "card_on_file"
        }

        public init(id: String, name: String, phone: String? = nil, email: String? = nil, homeLocation: String? = nil, cardOnFile: CardToken? = nil) {
            self.id = id
            self.name = name
            self.phone = phone
            self.email = email
            self.homeLocation = homeLocation
            self.cardOnFile = cardOnFile
        }
    }

    /// One entry of `orders:`, dated relative to the clock.
    public struct OrderEntry: Sendable, Decodable {
        struct Line: Sendable, Decodable {
            var sku: String
            var quantity: Int?
        }

        var number: String
        var customer: String
        var placed: String
        var status: OrderStatus
        var fulfillment: Fulfillment?
        var location: String?
        var lines: [Line]
        var shipped: String?
        var carrier: String?
        var tracking: String?
        var eta: String?
        var delivered: String?
    }

    public var store: Store
    public var locations: [LocationEntry]
    public var products: [ProductEntry]
    public var customers: [CustomerEntry]
    public var orders: [OrderEntry]?

    /// Every field a fixture may have, by section: a misspelled field is an error, never silently ignored.
    private static let fields: [String: Set<String>] = [
        "": ["store", "locations", "products", "customers", "orders"],
        "store": ["name", "currency", "return_window_days", "next_order_number", "time_zone", "card_payments", "store_credit"],
        "locations": [
            "id", "name", "address", "tax_percent", "pickup", "pickup_ready_hours", "hours", "transfers", "safety_stock", "nearby", "stock_counted",
            "transfer_days",
        ],
        "products": ["id", "brand", "name", "category", "kind", "unit", "price", "aliases", "options", "variants"],
        "customers": ["id", "name", "phone", "email", "home_location", "card_on_file"],
        "card_on_file": ["token", "brand", "last4"],
        "orders": [
            "number", "customer", "placed", "status", "fulfillment", "location", "lines", "shipped", "carrier", "tracking",
            "eta", "delivered",
        ],
        "lines": ["sku", "quantity"],
    ]

    private static func checkFieldNames(_ node: Node, section: String = "", path: String = "", source: String) throws {
        if let mapping = node.mapping {
            for (key, value) in mapping {
                guard let name = key.string else { continue }
                let field = path.isEmpty ? name : "\(path).\(name)"
                if let allowed = fields[section], !allowed.contains(name) {
                    let line = key.mark.map { " (line \($0.line))" } ?? ""
                    throw StoreFixtureError(
                        source: source, message: "field \(field)\(line): unknown; expected one of \(allowed.sorted().joined(separator: ", "))")
                }
                // Variant lines hold option values under any name; only their sku, price and stock are fixed.
                guard name != "variants" else { continue }
                try checkFieldNames(value, section: fields[name] != nil ? name : section + ".", path: field, source: source)
            }
        } else if let sequence = node.sequence {
            for (index, item) in sequence.enumerated() {
                try checkFieldNames(item, section: section, path: "\(path)[\(index)]", source: source)
            }
        }
    }

    /// The demo store shipped inside the package: "Stride & Thread", three stores and a kiosk.
    public static func demo() throws -> StoreFixture {
        try embeddedDemo.get()
    }

    /// Parsed once per process: every replayed dialogue starts from it.
    private static let embeddedDemo = Result<StoreFixture, any Error> {
        guard let url = Bundle.module.url(forResource: "demo-store", withExtension: "yaml") else {
            throw StoreFixtureError(source: "demo-store.yaml", message: "the embedded demo store is missing")
        }
        return try load(contentsOf: url)
    }

    /// Reads a fixture file.
    ///
    /// - Throws: `StoreFixtureError` naming the file and the field.
    public static func load(contentsOf url: URL) throws -> StoreFixture {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw StoreFixtureError(source: url.path, message: "cannot read the file")
        }
        return try parse(text, source: url.path)
    }

    /// Parses fixture YAML; `source` names it in errors.
    ///
    /// - Throws: `StoreFixtureError` naming the field, with its line for a misspelled field name.
    public static func parse(_ yaml: String, source: String) throws -> StoreFixture {
        // A replay reads the same fixture for each of its dialogues (and for each platform): the text is read once.
        if let parsed = parsedFixtures.value(for: yaml) { return parsed }
        let fixture = try parseNow(yaml, source: source)
        parsedFixtures.keep(fixture, for: yaml)
        return fixture
    }

    /// Fixtures parsed so far in this process, by their text.
    private static let parsedFixtures = ParsedFixtures()

    private final class ParsedFixtures: @unchecked Sendable {
        private let lock = NSLock()
        private var byText: [String: StoreFixture] = [:]

        func value(for text: String) -> StoreFixture? { lock.withLock { byText[text] } }
        func keep(_ fixture: StoreFixture, for text: String) { lock.withLock { byText[text] = fixture } }
    }

    private static func parseNow(_ yaml: String, source: String) throws -> StoreFixture {
        let fixture: StoreFixture
        do {
            guard let root = try BoundedYAML.compose(yaml, source: source) else {
                throw StoreFixtureError(source: source, message: "the file is empty")
            }
            try checkFieldNames(root, source: source)
            fixture = try YAMLDecoder().decode(StoreFixture.self, from: root)
        } catch let error as StoreFixtureError {
            throw error
        } catch let error as YAMLBoundsError {
            throw StoreFixtureError(source: source, message: error.message)
        } catch let error as DecodingError {
            throw StoreFixtureError(source: source, message: error.readableDescription)
        } catch {
            throw StoreFixtureError(source: source, message: "\(error)")
        }
        try fixture.checkAmounts(source: source)
        return fixture
    }

    /// Raises every variant's count at every store that stocks it to at least `count` (a load run, where stock
    /// running out would hide what the budget allows).
    public mutating func stockEveryVariant(atLeast count: Int) {
        for product in products.indices {
            for variant in products[product].variants.indices {
                for (location, units) in products[product].variants[variant].stock {
                    products[product].variants[variant].stock[location] = max(units, count)
                }
            }
        }
    }

    /// No price, stock count or other amount below zero: a negative price would be a negative charge.
    func checkAmounts(source: String) throws {
        func check(_ value: (some Numeric & Comparable)?, _ field: String) throws {
            if let value, value < .zero { throw StoreFixtureError(source: source, message: "field \(field): must not be negative") }
        }
        try check(store.returnWindowDays, "store.return_window_days")
        for (index, location) in locations.enumerated() {
            try check(location.taxPercent, "locations[\(index)].tax_percent")
            try check(location.safetyStock, "locations[\(index)].safety_stock")
            try check(location.pickupReadyHours, "locations[\(index)].pickup_ready_hours")
            try check(location.transferDays, "locations[\(index)].transfer_days")
        }
        for (index, product) in products.enumerated() {
            try check(product.price, "products[\(index)].price")
            for (row, variant) in product.variants.enumerated() {
                try check(variant.price, "products[\(index)].variants[\(row)].price")
                for (location, count) in variant.stock.sorted(by: { $0.key < $1.key }) {
                    try check(count, "products[\(index)].variants[\(row)].stock.\(location)")
                }
            }
        }
        for (index, order) in (orders ?? []).enumerated() {
            for (row, line) in order.lines.enumerated() { try check(line.quantity, "orders[\(index)].lines[\(row)].quantity") }
        }
    }

}

/// A store fixture that cannot be loaded, naming the file and the field.
public struct StoreFixtureError: Error, CustomStringConvertible {
    public var source: String
    public var message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}

extension DecodingError {
    /// "field products[3].variants[2].sku: missing" rather than the raw enum dump.
    var readableDescription: String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
                .joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch self {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "field \(parent.isEmpty ? "" : parent + ".")\(key.stringValue): missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "field \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(self)"
        }
    }
}
