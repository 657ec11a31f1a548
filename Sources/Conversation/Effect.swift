import Commerce
import Foundation
import RetailModel

/// Something a turn needs from outside the conversation: a POS call, a hold on stock, a card tokenized, a fresh
/// reference. The only things the engine awaits.
///
/// A turn decides synchronously. When a decision needs one of these, the turn stops and returns it as
/// `TurnStep.perform`; the engine's loop performs it and runs the turn again from its start with every outcome so
/// far (`EffectReplay`). The second run goes past that point on a known answer, so each effect is performed once and
/// the flows read top to bottom, as the conversation goes.
enum Effect: Hashable, Sendable {
    case searchProducts(String)
    /// Stock this caller may be promised: the POS's count less safety stock and other callers' holds.
    case sellableStock([SKU])
    /// Holds every line at one store for this caller, all or nothing (`StockKeeper.hold`).
    case hold([HeldLine], at: String, sellable: [SKU: Int], heldByOthers: [SKU: [String: Int]])
    /// Whether this caller still holds every line at the store.
    case stillHeld([HeldLine], at: String)
    case releaseHolds
    /// A new idempotency reference for an order about to be created.
    case newReference
    /// The card number lives only in this value, on its way to the tokenizer; it is never logged.
    case tokenize(cardNumber: String)
    case createOrder(OrderRequest)
    case takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String)
    case confirmOrder(String)
    case cancelOrder(String)
    case recentOrders(customerID: String, limit: Int)
    case orderStatus(String)
    case order(String)
    case createReturn(ReturnRequest)

    /// One line of a hold.
    struct HeldLine: Hashable, Sendable {
        var sku: SKU
        var quantity: Int
    }

    /// What the engine needs to perform effects for one call's turn.
    struct Performer: Sendable {
        let pos: RecordingPointOfSale
        let tokenizer: any CardTokenizer
        let stockKeeper: StockKeeper
        let reservations: any ReservationBook
        let holder: String
        /// The turn's "now", the same for every run of it.
        let now: Date
    }

    /// Performs the effect. A failure is always a `POSError`, so a flow's `catch let error as POSError` is never
    /// handed the signal that a turn stopped for an effect.
    func perform(with performer: Performer) async -> Result<any Sendable, POSError> {
        do {
            return .success(try await value(with: performer))
        } catch let error as POSError {
            return .failure(error)
        } catch is CancellationError {
            return .failure(.timeout)
        } catch {
            return .failure(.unavailable)
        }
    }

    private func value(with it: Performer) async throws -> any Sendable {
        switch self {
        case .searchProducts(let text): return try await it.pos.searchProducts(matching: text)
        case .sellableStock(let skus): return try await it.stockKeeper.sellable(skus: skus, for: it.holder, now: it.now)
        case .hold(let lines, let location, let sellable, let others):
            return await it.stockKeeper.hold(
                lines.map { (sku: $0.sku, quantity: $0.quantity) }, at: location, for: it.holder, sellable: sellable, heldByOthers: others,
                now: it.now)
        case .stillHeld(let lines, let location):
            for line in lines where !(await it.reservations.holds(line.sku, at: location, quantity: line.quantity, for: it.holder, now: it.now)) {
                return false
            }
            return true
        case .releaseHolds:
            await it.reservations.releaseAll(holder: it.holder)
            return true
        case .newReference: return "vp-" + UUID().uuidString.lowercased()
        case .tokenize(let number): return try await it.tokenizer.tokenize(cardNumber: number)
        case .createOrder(let request): return try await it.pos.createOrder(request)
        case .takePayment(let number, let card, let amount, let key):
            return try await it.pos.takePayment(orderNumber: number, card: card, amount: amount, idempotencyKey: key)
        case .confirmOrder(let number): return try await it.pos.confirmOrder(number: number)
        case .cancelOrder(let number): return try await it.pos.cancelOrder(number: number)
        case .recentOrders(let customer, let limit): return try await it.pos.recentOrders(customerID: customer, limit: limit)
        case .orderStatus(let number): return try await it.pos.orderStatus(number: number)
        case .order(let number): return try await it.pos.order(number: number)
        case .createReturn(let request): return try await it.pos.createReturn(request)
        }
    }
}

/// What one run of a turn ended on: the reply, or an effect it needs first.
enum TurnStep {
    case reply(Reply)
    case perform(Effect)
}

/// A turn's view of the world outside the conversation: answers each effect from the outcomes of earlier runs and
/// stops the run at the first effect with no outcome yet.
///
/// The n-th time a run asks for an effect it gets the outcome of the n-th time it was performed, so a run that asks in
/// a different order (a clock that moved on) still gets each answer once and nothing is performed twice.
/// Shared by a turn's copies within one run (a class, so a flow's helpers need not be `mutating` to ask the POS).
final class EffectReplay {
    typealias Outcome = (effect: Effect, result: Result<any Sendable, POSError>)
    private let outcomes: [Outcome]
    private var asked: [Effect: Int] = [:]
    /// What the POS does, read without asking it.
    let capabilities: POSCapabilities
    /// The first effect this run needed and had no outcome for.
    private(set) var awaiting: Effect?

    /// Thrown to stop a run at an effect; it reaches the engine, not a flow (which catches `POSError` only).
    struct Stopped: Error {}

    init(outcomes: [Outcome], capabilities: POSCapabilities) {
        self.outcomes = outcomes
        self.capabilities = capabilities
    }

    /// The effect's outcome, or the run stops here.
    func perform<Value>(_ effect: Effect, as: Value.Type = Value.self) throws -> Value {
        guard awaiting == nil else { throw Stopped() }
        let occurrence = asked[effect, default: 0]
        guard let outcome = outcomes.lazy.filter({ $0.effect == effect }).dropFirst(occurrence).first else {
            awaiting = effect
            throw Stopped()
        }
        asked[effect] = occurrence + 1
        guard let value = try outcome.result.get() as? Value else { preconditionFailure("\(effect.name) answered with the wrong type") }
        return value
    }

    func searchProducts(matching text: String) throws -> [Product] { try perform(.searchProducts(text)) }
    func createOrder(_ request: OrderRequest) throws -> Order { try perform(.createOrder(request)) }
    func takePayment(orderNumber: String, card: CardToken, amount: Money, idempotencyKey: String) throws -> Payment {
        try perform(.takePayment(orderNumber: orderNumber, card: card, amount: amount, idempotencyKey: idempotencyKey))
    }
    func confirmOrder(number: String) throws -> Order { try perform(.confirmOrder(number)) }
    func cancelOrder(number: String) throws -> Order { try perform(.cancelOrder(number)) }
    func recentOrders(customerID: String, limit: Int) throws -> [Order] { try perform(.recentOrders(customerID: customerID, limit: limit)) }
    func orderStatus(number: String) throws -> OrderStatusReport { try perform(.orderStatus(number)) }
    func order(number: String) throws -> Order { try perform(.order(number)) }
    func createReturn(_ request: ReturnRequest) throws -> ReturnReceipt { try perform(.createReturn(request)) }
    func tokenize(cardNumber: String) throws -> CardToken { try perform(.tokenize(cardNumber: cardNumber)) }
}

extension Effect {
    /// The effect's name without its values (a card number never leaves `tokenize`).
    var name: String {
        switch self {
        case .searchProducts: "searchProducts"
        case .sellableStock: "sellableStock"
        case .hold: "hold"
        case .stillHeld: "stillHeld"
        case .releaseHolds: "releaseHolds"
        case .newReference: "newReference"
        case .tokenize: "tokenize"
        case .createOrder: "createOrder"
        case .takePayment: "takePayment"
        case .confirmOrder: "confirmOrder"
        case .cancelOrder: "cancelOrder"
        case .recentOrders: "recentOrders"
        case .orderStatus: "orderStatus"
        case .order: "order"
        case .createReturn: "createReturn"
        }
    }
}
