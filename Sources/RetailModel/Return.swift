import Foundation

/// Where a refund goes.
public enum RefundMethod: String, Sendable, Hashable, Codable {
    case originalPayment = "original_payment"
    case storeCredit = "store_credit"
}

/// A request to return lines of an order.
public struct ReturnRequest: Sendable, Hashable, Codable {
    public var orderNumber: String
    public var lines: [LineItem]
    public var reason: String
    public var refundMethod: RefundMethod

    public init(orderNumber: String, lines: [LineItem], reason: String, refundMethod: RefundMethod) {
        self.orderNumber = orderNumber
        self.lines = lines
        self.reason = reason
        self.refundMethod = refundMethod
    }
}

/// A return the POS accepted.
public struct ReturnReceipt: Sendable, Hashable, Codable {
    public var id: String
    public var request: ReturnRequest
    public var refundAmount: Money
    public var createdAt: Date

    public init(id: String, request: ReturnRequest, refundAmount: Money, createdAt: Date) {
        self.id = id
        self.request = request
        self.refundAmount = refundAmount
        self.createdAt = createdAt
    }
}

/// Money given back on an order, as a POS records it (a return's refund, or a refund without a return).
public struct Refund: Sendable, Hashable, Codable {
    public var id: String
    public var orderNumber: String
    public var amount: Money
    /// The lines given back, when the refund names them.
    public var lines: [LineItem]
    public var createdAt: Date?
    public var note: String?

    public init(id: String, orderNumber: String, amount: Money, lines: [LineItem], createdAt: Date?, note: String?) {
        self.id = id
        self.orderNumber = orderNumber
        self.amount = amount
        self.lines = lines
        self.createdAt = createdAt
        self.note = note
    }
}
