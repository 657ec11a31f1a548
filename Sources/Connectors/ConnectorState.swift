import Foundation
import RetailModel

/// What every connector keeps between calls: the catalog (synced whole, not per turn), the locations, the
/// platform ids of orders it has seen by spoken number, and the store profile laid over what the platform says.
actor ConnectorState {
    let profile: StoreProfile
    private var products: [Product]?
    private var productBySKU: [SKU: Product] = [:]
    private var locationList: [Location]?
    private var orderIDs: [String: String] = [:]

    init(profile: StoreProfile) { self.profile = profile }

    /// The cached catalog, loaded with `load` the first time.
    func catalog(load: @Sendable () async throws -> [Product]) async throws -> [Product] {
        if let products { return products }
        return remember(catalog: try await load())
    }

    /// Stores a freshly read catalog, with the profile's words laid over it.
    @discardableResult
    func remember(catalog: [Product]) -> [Product] {
        let products = catalog.map(profile.apply).sharingOptionValues()
        self.products = products
        productBySKU = [:]
        for product in products { for variant in product.variants { productBySKU[variant.sku] = product } }
        return products
    }

    /// Products by id in the given order, from the cached catalog (ids it does not hold are skipped).
    func products(ids: [String]) -> [Product] {
        let byID = Dictionary((products ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    func hasCatalog() -> Bool { products != nil }

    func locations(load: @Sendable () async throws -> [Location]) async throws -> [Location] {
        if let locationList { return locationList }
        let list = try await load().map(profile.apply)
        locationList = list
        return list
    }

    /// An order as the conversation reads it: product ids filled in from the catalog by SKU (platform order
    /// lines name the variant only), and its platform id remembered under its spoken number.
    func complete(_ order: Order, platformID: String? = nil) -> Order {
        var order = order
        for index in order.lines.indices where order.lines[index].productID.isEmpty {
            order.lines[index].productID = productBySKU[order.lines[index].sku]?.id ?? ""
        }
        if let platformID { orderIDs[order.number] = platformID }
        return order
    }

    func remember(orderNumber: String, platformID: String) { orderIDs[orderNumber] = platformID }

    private var orderCustomers: [String: String] = [:]
    private var cardsOnFile: [String: String] = [:]

    /// Who an order created here is for, and which card each customer has on file: a charge of a card on file
    /// names its customer where the platform asks for it.
    func remember(order number: String, customer: String) { orderCustomers[number] = customer }
    func remember(customer: String, hasCard token: String?) { cardsOnFile[customer] = token }
    func customer(ofOrder number: String) -> String? { orderCustomers[number] }
    func cardOnFile(of customer: String) -> String? { cardsOnFile[customer] }

    func platformID(ofOrder number: String) -> String? { orderIDs[number] }
}
