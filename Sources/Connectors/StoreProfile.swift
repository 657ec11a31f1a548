import Foundation
import RetailModel

/// What a voice agent needs to know about a store that its POS does not hold: how each location is spoken
/// of and run (hours as said aloud, pickup, the quoting tax rate, safety stock, nearest stores, transfers),
/// the words callers use for products, and each regular's home store.
///
/// A connector reads ids, names, addresses, variants, prices, stock and orders from the platform and lays
/// this profile over them. For a real store it is a file the integration engineer writes
/// (`voicepos chat --pos square --profile store-profile.json`); for loopback replays it is taken from the
/// dialogue's store fixture.
public struct StoreProfile: Sendable, Hashable, Codable {
    /// How one location is run, keyed by the platform's location id.
    public struct LocationPolicy: Sendable, Hashable, Codable {
        public var taxRatePerMillion: Int
        public var acceptsPickup: Bool
        public var pickupReadyHours: Int
        public var hours: String
        public var safetyStock: Int
        public var acceptsTransfers: Bool
        public var nearby: [String]
        public var transferDays: Int

        public init(_ location: Location) {
            taxRatePerMillion = location.taxRatePerMillion
            acceptsPickup = location.acceptsPickup
            pickupReadyHours = location.pickupReadyHours
            hours = location.hours
            safetyStock = location.safetyStock
            acceptsTransfers = location.acceptsTransfers
            nearby = location.nearby
            transferDays = location.transferDays
        }

        private enum CodingKeys: String, CodingKey {
            case taxRatePerMillion = "tax_rate_per_million", acceptsPickup = "accepts_pickup", pickupReadyHours = "pickup_ready_hours"
            case hours, safetyStock = "safety_stock", acceptsTransfers = "accepts_transfers", nearby, transferDays = "transfer_days"
        }

        /// Every field may be left out: no tax quoted, pickup in 2 hours, no buffer, no transfers.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            taxRatePerMillion = try container.decodeIfPresent(Int.self, forKey: .taxRatePerMillion) ?? 0
            acceptsPickup = try container.decodeIfPresent(Bool.self, forKey: .acceptsPickup) ?? true
            pickupReadyHours = try container.decodeIfPresent(Int.self, forKey: .pickupReadyHours) ?? 2
            hours = try container.decodeIfPresent(String.self, forKey: .hours) ?? ""
            safetyStock = try container.decodeIfPresent(Int.self, forKey: .safetyStock) ?? 0
            acceptsTransfers = try container.decodeIfPresent(Bool.self, forKey: .acceptsTransfers) ?? false
            nearby = try container.decodeIfPresent([String].self, forKey: .nearby) ?? []
            transferDays = try container.decodeIfPresent(Int.self, forKey: .transferDays) ?? 2
        }
    }

    /// How callers speak of one product, keyed by the platform's product id.
    public struct ProductWords: Sendable, Hashable, Codable {
        public var aliases: [String]
        public var category: ProductCategory?
        public var kind: String?
        public var unit: String?
        /// The brand, for platforms with no brand field (Clover).
        public var brand: String?

        public init(aliases: [String] = [], category: ProductCategory? = nil, kind: String? = nil, unit: String? = nil, brand: String? = nil) {
            self.aliases = aliases
            self.category = category
            self.kind = kind
            self.unit = unit
            self.brand = brand
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            aliases = try container.decodeIfPresent([String].self, forKey: .aliases) ?? []
            category = try container.decodeIfPresent(ProductCategory.self, forKey: .category)
            kind = try container.decodeIfPresent(String.self, forKey: .kind)
            unit = try container.decodeIfPresent(String.self, forKey: .unit)
            brand = try container.decodeIfPresent(String.self, forKey: .brand)
        }
    }

    /// The store's name as greeted ("Thanks for calling Stride & Thread").
    public var storeName: String?
    /// Days after delivery an item can be returned (default 30).
    public var returnWindowDays: Int?
    public var locations: [String: LocationPolicy]
    public var products: [String: ProductWords]
    /// Customer id → home location id.
    public var homeStores: [String: String]
    /// False when the store has the platform's card processing turned off (callers then pay at pickup or by
    /// link); nil: whatever the platform can do.
    public var cardPayments: Bool?
    /// False when the store does not refund returns as store credit; nil: whatever the platform can do.
    public var storeCredit: Bool?
    /// How many digits the store's order numbers have, fewest and most (`[15, 15]`), when they may be as long as a card
    /// number: a number that long said as an order's is then looked up, not refused as a card misheard.
    public var orderNumberDigits: ClosedRange<Int>?

    private enum CodingKeys: String, CodingKey {
        case storeName = "store_name", returnWindowDays = "return_window_days", locations, products, homeStores = "home_stores"
        case cardPayments = "card_payments", storeCredit = "store_credit", orderNumberDigits = "order_number_digits"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        storeName = try container.decodeIfPresent(String.self, forKey: .storeName)
        returnWindowDays = try container.decodeIfPresent(Int.self, forKey: .returnWindowDays)
        locations = try container.decodeIfPresent([String: LocationPolicy].self, forKey: .locations) ?? [:]
        products = try container.decodeIfPresent([String: ProductWords].self, forKey: .products) ?? [:]
        homeStores = try container.decodeIfPresent([String: String].self, forKey: .homeStores) ?? [:]
        cardPayments = try container.decodeIfPresent(Bool.self, forKey: .cardPayments)
        storeCredit = try container.decodeIfPresent(Bool.self, forKey: .storeCredit)
        if let digits = try container.decodeIfPresent([Int].self, forKey: .orderNumberDigits) {
            guard digits.count == 2, digits[0] >= 1, digits[0] <= digits[1] else {
                throw DecodingError.dataCorruptedError(
                    forKey: .orderNumberDigits, in: container, debugDescription: "expected [fewest, most], e.g. [13, 15]")
            }
            orderNumberDigits = digits[0]...digits[1]
        }
    }

    public init(
        locations: [String: LocationPolicy] = [:], products: [String: ProductWords] = [:], homeStores: [String: String] = [:],
        cardPayments: Bool? = nil
    ) {
        self.locations = locations
        self.products = products
        self.homeStores = homeStores
        self.cardPayments = cardPayments
    }

    /// A platform's capabilities narrowed by what this store has turned off.
    public func narrow(_ platform: POSCapabilities) -> POSCapabilities {
        var capabilities = platform
        if cardPayments == false { capabilities.takesCardPayments = false }
        if storeCredit == false { capabilities.refundsToStoreCredit = false }
        if let orderNumberDigits { capabilities.orderNumberDigits = orderNumberDigits }
        return capabilities
    }

    /// The profile a store's own full records imply: what the loopback replays hand each connector.
    public init(locations: [Location], products: [Product], customers: [Customer], capabilities: POSCapabilities? = nil) {
        cardPayments = capabilities?.takesCardPayments
        storeCredit = capabilities?.refundsToStoreCredit
        orderNumberDigits = capabilities?.orderNumberDigits
        self.locations = Dictionary(locations.map { ($0.id, LocationPolicy($0)) }, uniquingKeysWith: { $1 })
        self.products = Dictionary(
            products.map { ($0.id, ProductWords(aliases: $0.aliases, category: $0.category, kind: $0.kind, unit: $0.unit, brand: $0.brand)) },
            uniquingKeysWith: { $1 })
        homeStores = Dictionary(customers.compactMap { customer in customer.homeLocationID.map { (customer.id, $0) } }, uniquingKeysWith: { $1 })
    }

    /// Reads a profile file (JSON).
    ///
    /// - Throws: a `ConnectorSetupError` naming the file and what is wrong.
    public static func load(from url: URL) throws -> StoreProfile {
        do {
            return try JSONDecoder().decode(StoreProfile.self, from: try Data(contentsOf: url))
        } catch let error as DecodingError {
            throw ConnectorSetupError("\(url.path): \(Self.describe(error))")
        } catch {
            throw ConnectorSetupError("\(url.path): cannot be read")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        @unknown default: "not a store profile"
        }
    }

    func apply(to location: Location) -> Location {
        guard let policy = locations[location.id] else { return location }
        var location = location
        location.taxRatePerMillion = policy.taxRatePerMillion
        location.acceptsPickup = policy.acceptsPickup
        location.pickupReadyHours = policy.pickupReadyHours
        location.hours = policy.hours
        location.safetyStock = policy.safetyStock
        location.acceptsTransfers = policy.acceptsTransfers
        location.nearby = policy.nearby
        location.transferDays = policy.transferDays
        return location
    }

    func apply(to product: Product) -> Product {
        guard let words = products[product.id] else { return product }
        var product = product
        product.aliases = words.aliases
        if let category = words.category { product.category = category }
        if let kind = words.kind { product.kind = kind }
        if let unit = words.unit { product.unit = unit }
        if product.brand.isEmpty, let brand = words.brand { product.brand = brand }
        return product
    }

    func apply(to customer: Customer) -> Customer {
        var customer = customer
        if customer.homeLocationID == nil { customer.homeLocationID = homeStores[customer.id] }
        return customer
    }
}

/// A connector that cannot start: a missing credential or setting, or an unreadable file. Never holds a secret.
public struct ConnectorSetupError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
