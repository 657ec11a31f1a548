import Foundation

/// A store (or kiosk) that holds stock and may take pickup orders.
public struct Location: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// Short name as said aloud: "Downtown" → "the Downtown store".
    public var name: String
    public var address: String
    /// Sales tax in millionths: 88_750 is 8.875%.
    public var taxRatePerMillion: Int
    public var acceptsPickup: Bool
    /// How long a pickup order takes to be ready.
    public var pickupReadyHours: Int
    /// Opening hours as said aloud: "10am to 8pm".
    public var hours: String
    /// Units the assistant never promises: the last ones on the shelf may be damaged, on display or miscounted.
    public var safetyStock: Int
    /// Whether stock can be sent here from another store for pickup.
    public var acceptsTransfers: Bool
    /// Other locations, nearest first: where to look when this one is out.
    public var nearby: [String]
    /// Days a transfer from another store takes to be ready for pickup here.
    public var transferDays: Int

    public init(
        id: String, name: String, address: String, taxRatePerMillion: Int, acceptsPickup: Bool,
        pickupReadyHours: Int, hours: String, safetyStock: Int = 0, acceptsTransfers: Bool = false, nearby: [String] = [],
        transferDays: Int = 2
    ) {
        self.id = id
        self.name = name
        self.address = address
        self.taxRatePerMillion = taxRatePerMillion
        self.acceptsPickup = acceptsPickup
        self.pickupReadyHours = pickupReadyHours
        self.hours = hours
        self.safetyStock = safetyStock
        self.acceptsTransfers = acceptsTransfers
        self.nearby = nearby
        self.transferDays = transferDays
    }

    /// Units that may be promised out of `available` on hand.
    public func sellable(_ available: Int) -> Int { max(0, available - safetyStock) }
}

/// Units of one variant available to sell at one location.
public struct StockLevel: Sendable, Hashable, Codable {
    public var sku: SKU
    public var locationID: String
    public var available: Int
    /// When the count was last known to be right; nil for a live count. An old count is said as such.
    public var countedAt: Date?
    /// True when the POS could not be read and this is the last count known (said with its age, never as live).
    public var lastKnown: Bool?

    public init(sku: SKU, locationID: String, available: Int, countedAt: Date? = nil, lastKnown: Bool? = nil) {
        self.sku = sku
        self.locationID = locationID
        self.available = available
        self.countedAt = countedAt
        self.lastKnown = lastKnown
    }
}
