/// One thing a webhook says changed, keyed the way the unified schema keys it, so a cache drops only that entry.
///
/// A nil key means "all of them": `.stock(sku: nil, locationID: "L1")` is every SKU at L1, `.catalog(id: nil)` the
/// whole catalog. A change says what to drop, never the new value: re-fetch (Clover's events especially, as
/// Clover does not sign its body).
public enum StoreChange: Sendable, Hashable {
    /// Stock of a SKU at a location changed. `sku` is what `StockLevel.sku` holds: the variant id (Square
    /// variation, Clover item), or for Shopify `inventory_item:{id}` until a product links it to its variant.
    case stock(sku: SKU?, locationID: String?)
    /// An order changed: status, fulfillment, payment or refund. `id` is the platform's order id; a Shopify order
    /// topic also yields the order number that `Order.number` holds, since Shopify's fulfillment and refund
    /// payloads name the order by id only.
    case order(id: String)
    /// A product changed (for Clover, an item, which is one variant); nil when the platform says only that the
    /// catalog changed (Square `catalog.version.updated`, Clover categories and modifiers).
    case catalog(id: String?)
    /// A customer changed (profile, phone, email).
    case customer(id: String)
    /// A payment changed (Square payments and refunds, Clover `P:` ids) — its order, when named, comes as `.order`.
    case payment(id: String)
    /// A store changed (a Clover merchant is one store).
    case location(id: String)
}
