/// The name of each `PointOfSale` flow, as it appears in call traces, dialogue files and fault plans.
public enum POSFlow: String, Sendable, Hashable, Codable, CodingKeyRepresentable, CaseIterable {
    case catalog
    case searchProducts = "search_products"
    case stock
    case locations
    case customer
    case createOrder = "create_order"
    case takePayment = "take_payment"
    case confirmOrder = "confirm_order"
    case cancelOrder = "cancel_order"
    case recentOrders = "recent_orders"
    case orderStatus = "order_status"
    case getOrder = "get_order"
    case createReturn = "create_return"
}
