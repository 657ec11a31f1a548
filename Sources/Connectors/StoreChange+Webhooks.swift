import Foundation
import RetailModel

// How each platform's verified body becomes changes.
extension StoreChange {
    /// A Shopify body is the REST resource at top level (an order, an inventory level…), not wrapped as the REST
    /// responses are; the topic (`inventory_levels/update`, `orders/updated`…) says which.
    static func shopify(topic: String?, webhookID: String?, body: Data) throws -> WebhookDelivery {
        guard let topic, !topic.isEmpty else {
            throw MappingError(platform: .shopify, object: "webhook", field: "X-Shopify-Topic", problem: "missing header; it names what the body is")
        }
        let payload = try JSONPayload.parse(body, platform: .shopify)
        let resource = Field(payload, path: "", platform: .shopify, object: topic)
        var changes: [StoreChange] = []
        switch topic.split(separator: "/").first ?? "" {
        case "inventory_levels":
            // The mapper reads a level inside its REST wrapper; the webhook sends the level itself.
            if case .inventory(let levels) = try payloadMapper(for: .shopify).decode(.object(["inventory_level": payload]), as: .inventory) {
                changes = levels.map { .stock(sku: $0.sku, locationID: $0.locationID) }
            }
        case "inventory_items":
            changes = [.stock(sku: "inventory_item:" + (try resource["id"].string()), locationID: nil)]
        case "orders":
            changes = [.order(id: try resource["id"].string())]
            // As ShopifyMapper numbers an order; `orders/delete` carries the id only.
            if let number = resource["order_number"].optionalString() ?? resource["name"].nonBlank()?.replacingOccurrences(of: "#", with: "") {
                changes.append(.order(id: number))
            }
        case "fulfillments", "fulfillment_events", "refunds":
            changes = [.order(id: try resource["order_id"].string())]
        case "products":
            changes = [.catalog(id: try resource["id"].string())]
        case "collections":
            changes = [.catalog(id: nil)]
        case "customers":
            changes = [.customer(id: try resource["id"].string())]
        case "locations":
            changes = [.location(id: try resource["id"].string())]
        default:
            break
        }
        return WebhookDelivery(platform: .shopify, event: topic, deliveryID: webhookID, changes: changes.withoutRepeats())
    }

    /// The mapper names the event's kind and its order or customer ids; stock needs each count's location and
    /// payments their own id beside the order's, which the mapper's flat id list does not keep apart.
    static func square(body: Data) throws -> WebhookDelivery {
        let payload = try JSONPayload.parse(body, platform: .square)
        guard case .webhook(let event) = try payloadMapper(for: .square).decode(payload, as: .webhook) else {
            throw MappingError(platform: .square, object: "webhook", field: "", problem: "not a webhook event")
        }
        let root = Field(payload, path: "", platform: .square, object: "webhook")
        let object = root["data"]["object"]
        var changes: [StoreChange] = []
        switch event.objectKind {
        case .inventory?:
            changes = try object["inventory_counts"].array().map { count in
                .stock(sku: try count["catalog_object_id"].string(), locationID: count["location_id"].nonBlank())
            }
            if changes.isEmpty { changes = [.stock(sku: nil, locationID: nil)] }
        case .order?:
            changes = event.objectIDs.map { .order(id: $0) }
        case .payment?:
            let payment = object["payment"]
            let paymentID = payment["id"].nonBlank() ?? root["data"]["id"].nonBlank()
            changes = [payment["order_id"].nonBlank().map(StoreChange.order), paymentID.map(StoreChange.payment)].compactMap { $0 }
        case .refund?:
            let refund = object["refund"]
            changes = [refund["order_id"].nonBlank().map(StoreChange.order), refund["payment_id"].nonBlank().map(StoreChange.payment)].compactMap {
                $0
            }
        case .product?:
            changes = [.catalog(id: nil)]
        case .customer?:
            changes = event.objectIDs.map { .customer(id: $0) }
        case .location?:
            changes = event.objectIDs.map { .location(id: $0) }
        default:
            break
        }
        return WebhookDelivery(platform: .square, event: event.type, deliveryID: root["event_id"].nonBlank(), changes: changes.withoutRepeats())
    }

    /// The mapper checks the shape and spots the verification POST; the changes are read per update because the
    /// mapper folds every merchant's objects into one list, losing each one's kind and merchant (= location).
    static func clover(body: Data) throws -> WebhookDelivery {
        let payload = try JSONPayload.parse(body, platform: .clover)
        guard case .webhook(let event) = try payloadMapper(for: .clover).decode(payload, as: .webhook) else {
            throw MappingError(platform: .clover, object: "webhook", field: "", problem: "not a webhook message")
        }
        if event.type == "verification" {
            return WebhookDelivery(platform: .clover, event: event.type, deliveryID: nil, changes: [], verificationCode: event.objectIDs.first)
        }
        var changes: [StoreChange] = []
        for (merchant, updates) in (payload.objectValue?["merchants"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            for update in try Field(updates, path: "merchants.\(merchant)", platform: .clover, object: "webhook").array() {
                let parts = try update["objectId"].string().split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                let id = parts[1]
                switch parts[0] {
                case "I": changes += [.catalog(id: id), .stock(sku: id, locationID: merchant)]
                case "IC", "IG", "IM": changes.append(.catalog(id: nil))  // categories, modifier groups, modifiers
                case "O": changes.append(.order(id: id))
                case "C": changes.append(.customer(id: id))
                case "P": changes.append(.payment(id: id))
                case "M": changes.append(.location(id: id))
                default: break
                }
            }
        }
        return WebhookDelivery(platform: .clover, event: event.type, deliveryID: nil, changes: changes.withoutRepeats())
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    fileprivate func withoutRepeats() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
