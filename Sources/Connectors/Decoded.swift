import Foundation
import RetailModel

/// The POS platforms VoicePOS connects to.
public enum Platform: String, Sendable, Hashable, Codable, CaseIterable {
    case shopify, square, lightspeed, clover
}

/// What a payload is about.
public enum ObjectKind: String, Sendable, Hashable, Codable, CaseIterable {
    case product, inventory, location, order, payment, refund, customer, error, webhook
}

/// A payload that cannot be mapped to the unified schema: which platform, which object, which field, and why.
public struct MappingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var platform: Platform
    public var object: String
    /// Where in the payload, e.g. `product.variants[2].price`; empty for the payload as a whole.
    public var field: String
    public var problem: String

    public init(platform: Platform, object: String, field: String, problem: String) {
        self.platform = platform
        self.object = object
        self.field = field
        self.problem = problem
    }

    public var description: String {
        "\(platform.rawValue) \(object): " + (field.isEmpty ? problem : "\(field): \(problem)")
    }
}

/// A change the platform announces (stock, order, fulfillment, refund), for cache invalidation.
public struct WebhookEvent: Sendable, Hashable, Codable {
    /// The platform's own name for the event, e.g. `inventory.count.updated`.
    public var type: String
    public var objectKind: ObjectKind?
    /// The ids the event is about (variant, order, location…).
    public var objectIDs: [String]
    public var occurredAt: Date?

    public init(type: String, objectKind: ObjectKind?, objectIDs: [String], occurredAt: Date?) {
        self.type = type
        self.objectKind = objectKind
        self.objectIDs = objectIDs
        self.occurredAt = occurredAt
    }
}

/// A platform payload mapped to the unified schema.
public enum DecodedPayload: Sendable, Hashable {
    case products([Product])
    /// Variants listed without their product (Shopify `variants.json`).
    case variants(productID: String?, [Variant])
    /// Named option slots (Lightspeed `ItemAttributeSet`): set id → option names.
    case optionSets([String: [String]])
    case inventory([StockLevel])
    case locations([Location])
    case orders([Order])
    /// Fulfillment or status records without the whole order (Shopify `fulfillment.json`).
    case statuses([OrderStatusReport])
    case payments([Payment])
    case refunds([Refund])
    case customers([Customer])
    case error(POSError)
    case webhook(WebhookEvent)

    public var kind: ObjectKind {
        switch self {
        case .products, .variants, .optionSets: .product
        case .inventory: .inventory
        case .locations: .location
        case .orders, .statuses: .order
        case .payments: .payment
        case .refunds: .refund
        case .customers: .customer
        case .error: .error
        case .webhook: .webhook
        }
    }
}

extension DecodedPayload: Encodable {
    private enum CodingKeys: String, CodingKey {
        case kind, products, productID = "product_id", variants, optionSets = "option_sets", stock, locations, orders, statuses, payments, refunds,
            customers, error, webhook
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        switch self {
        case .products(let products): try container.encode(products, forKey: .products)
        case .variants(let productID, let variants):
            try container.encodeIfPresent(productID, forKey: .productID)
            try container.encode(variants, forKey: .variants)
        case .optionSets(let sets): try container.encode(sets, forKey: .optionSets)
        case .inventory(let levels): try container.encode(levels, forKey: .stock)
        case .locations(let locations): try container.encode(locations, forKey: .locations)
        case .orders(let orders): try container.encode(orders, forKey: .orders)
        case .statuses(let reports): try container.encode(reports, forKey: .statuses)
        case .payments(let payments): try container.encode(payments, forKey: .payments)
        case .refunds(let refunds): try container.encode(refunds, forKey: .refunds)
        case .customers(let customers): try container.encode(customers, forKey: .customers)
        case .error(let error): try container.encode(String(describing: error), forKey: .error)
        case .webhook(let event): try container.encode(event, forKey: .webhook)
        }
    }
}

/// Reads one platform's payloads into the unified schema.
public protocol PayloadMapper: Sendable {
    var platform: Platform { get }
    /// The kind of object the payload holds, from its shape; nil when it is not recognised.
    func detectKind(_ payload: JSONPayload) -> ObjectKind?
    /// Maps the payload as the given kind.
    ///
    /// - Throws: `MappingError` naming the object and field that cannot be mapped.
    func decode(_ payload: JSONPayload, as kind: ObjectKind) throws -> DecodedPayload
}

extension PayloadMapper {
    /// Maps a payload, detecting its kind unless given.
    public func decode(_ data: Data, as kind: ObjectKind? = nil) throws -> DecodedPayload {
        let payload = try JSONPayload.parse(data, platform: platform)
        guard let kind = kind ?? detectKind(payload) else {
            throw MappingError(platform: platform, object: "payload", field: "", problem: "not a payload kind I recognise; pass --kind")
        }
        return try decode(payload, as: kind)
    }

    func root(_ payload: JSONPayload, _ object: String) -> Field { Field(payload, path: "", platform: platform, object: object) }
}

/// The mapper for a platform.
public func payloadMapper(for platform: Platform, currency: String = "USD") -> any PayloadMapper {
    switch platform {
    case .shopify: ShopifyMapper(currency: currency)
    case .square: SquareMapper()
    case .lightspeed: LightspeedMapper(currency: currency)
    case .clover: CloverMapper(currency: currency)
    }
}
