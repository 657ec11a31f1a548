import Foundation

/// How the customer receives an order.
public enum Fulfillment: String, Sendable, Hashable, Codable {
    case pickup, shipping
}

/// Where an order is in its life.
public enum OrderStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending
    case confirmed
    case readyForPickup = "ready_for_pickup"
    case shipped
    case delivered
    case cancelled
    case returned
}

/// One product line of an order.
public struct OrderLine: Sendable, Hashable, Codable {
    public var sku: SKU
    public var productID: String
    /// What the line is, as said aloud: "Nike Air Max 90, black, size 10".
    public var title: String
    public var quantity: Int
    public var unitPrice: Money

    public init(sku: SKU, productID: String, title: String, quantity: Int, unitPrice: Money) {
        self.sku = sku
        self.productID = productID
        self.title = title
        self.quantity = quantity
        self.unitPrice = unitPrice
    }

    public var total: Money { unitPrice * quantity }
}

/// Carrier, tracking and dates of a shipped order.
public struct Shipment: Sendable, Hashable, Codable {
    public var carrier: String
    public var trackingNumber: String
    /// When it left; nil when the POS does not say (never a made-up date).
    public var shippedAt: Date?
    public var estimatedDelivery: Date?

    public init(carrier: String, trackingNumber: String, shippedAt: Date?, estimatedDelivery: Date?) {
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.shippedAt = shippedAt
        self.estimatedDelivery = estimatedDelivery
    }
}

/// An order as the POS holds it.
public struct Order: Sendable, Hashable, Codable {
    /// The number a caller reads out and hears back, e.g. "7829".
    public var number: String
    public var customerID: String
    public var status: OrderStatus
    public var fulfillment: Fulfillment
    /// Pickup store, or the store that ships the order.
    public var locationID: String
    public var lines: [OrderLine]
    public var subtotal: Money
    public var tax: Money
    public var placedAt: Date
    public var shipment: Shipment?
    public var deliveredAt: Date?
    /// When a pickup order is (or will be) ready.
    public var readyAt: Date?
    /// Where the units come from when another store sends them to the pickup store (a transfer).
    public var sourceLocationID: String?
    /// The reference its create carried (`OrderRequest.reference`), as the POS keeps it; nil for orders placed
    /// elsewhere.
    public var reference: String?

    public init(
        number: String, customerID: String, status: OrderStatus, fulfillment: Fulfillment, locationID: String,
        lines: [OrderLine], subtotal: Money, tax: Money, placedAt: Date, shipment: Shipment? = nil,
        deliveredAt: Date? = nil, readyAt: Date? = nil, sourceLocationID: String? = nil, reference: String? = nil
    ) {
        self.number = number
        self.customerID = customerID
        self.status = status
        self.fulfillment = fulfillment
        self.locationID = locationID
        self.lines = lines
        self.subtotal = subtotal
        self.tax = tax
        self.placedAt = placedAt
        self.shipment = shipment
        self.deliveredAt = deliveredAt
        self.readyAt = readyAt
        self.sourceLocationID = sourceLocationID
        self.reference = reference
    }

    public var total: Money { subtotal + tax }
}

/// A quantity of one variant, in a request to order or to return.
public struct LineItem: Sendable, Hashable, Codable {
    public var sku: SKU
    public var quantity: Int

    public init(sku: SKU, quantity: Int) {
        self.sku = sku
        self.quantity = quantity
    }
}

/// What the caller wants to buy, before the POS has it.
public struct OrderRequest: Sendable, Hashable, Codable {
    public var customerID: String
    public var lines: [LineItem]
    public var fulfillment: Fulfillment
    public var locationID: String
    /// For a pickup sent over from another store: the store the units come from (it must take transfers,
    /// as must the pickup store). Tax is the pickup store's.
    public var sourceLocationID: String?
    /// VoicePOS's own reference for this order, sent with the create and kept by the POS (Square's idempotency key
    /// and metadata, Lightspeed's `referenceNumber`, Shopify's note attributes, Clover's note): an order whose
    /// answer was lost is found by it. The gateway gives one to a request that has none.
    public var reference: String?

    public init(
        customerID: String, lines: [LineItem], fulfillment: Fulfillment, locationID: String, sourceLocationID: String? = nil,
        reference: String? = nil
    ) {
        self.customerID = customerID
        self.lines = lines
        self.fulfillment = fulfillment
        self.locationID = locationID
        self.sourceLocationID = sourceLocationID
        self.reference = reference
    }
}

/// The status view of an order: what a caller asking "where's my order?" needs.
public struct OrderStatusReport: Sendable, Hashable, Codable {
    public var number: String
    public var status: OrderStatus
    public var carrier: String?
    public var trackingNumber: String?
    public var shippedAt: Date?
    public var estimatedDelivery: Date?
    public var deliveredAt: Date?
    public var readyAt: Date?

    public init(
        number: String, status: OrderStatus, carrier: String? = nil, trackingNumber: String? = nil, shippedAt: Date? = nil,
        estimatedDelivery: Date? = nil, deliveredAt: Date? = nil, readyAt: Date? = nil
    ) {
        self.number = number
        self.status = status
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.shippedAt = shippedAt
        self.estimatedDelivery = estimatedDelivery
        self.deliveredAt = deliveredAt
        self.readyAt = readyAt
    }

    public init(order: Order) {
        number = order.number
        status = order.status
        carrier = order.shipment?.carrier
        trackingNumber = order.shipment?.trackingNumber
        shippedAt = order.shipment?.shippedAt
        estimatedDelivery = order.shipment?.estimatedDelivery
        deliveredAt = order.deliveredAt
        readyAt = order.readyAt
    }
}

extension Order {
    /// What returning these lines refunds: their price plus the tax the order charged on them, in proportion.
    public func refund(for returned: [LineItem]) -> Money {
        var price = Money.zero(subtotal.currency)
        for item in returned {
            guard let line = lines.first(where: { $0.sku == item.sku }) else { continue }
            price = price + line.unitPrice * item.quantity
        }
        guard subtotal.minorUnits > 0 else { return price }
        let tax = (tax.minorUnits * price.minorUnits + subtotal.minorUnits / 2) / subtotal.minorUnits
        return price + Money(minorUnits: tax, currency: price.currency)
    }
}
