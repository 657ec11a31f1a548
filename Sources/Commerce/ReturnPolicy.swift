import Foundation
import RetailModel

/// The store's rules for taking items back.
///
/// An item can be returned for `windowDays` days after delivery; a return started inside that window
/// stays open for another `windowDays` days, so a caller is never rushed by the days already gone.
public struct ReturnPolicy: Sendable, Hashable {
    /// Days after delivery during which an item can be returned.
    public var windowDays: Int

    /// A policy taking items back for `windowDays` days after delivery.
    public init(windowDays: Int) {
        self.windowDays = windowDays
    }

    /// Whether an order can be returned now, and if not, why.
    public enum Eligibility: Sendable, Hashable {
        case eligible(daysLeft: Int)
        case outsideWindow(daysSinceDelivery: Int)
        /// Not delivered yet (or cancelled): nothing to return.
        case notDelivered(OrderStatus)
        case alreadyReturned
    }

    /// Whether the order can be returned at `now`, counting whole days in the calendar's time zone.
    public func eligibility(of order: Order, now: Date, calendar: Calendar) -> Eligibility {
        switch order.status {
        case .returned: return .alreadyReturned
        case .delivered: break
        default: return .notDelivered(order.status)
        }
        let delivered = order.deliveredAt ?? order.placedAt
        let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: delivered), to: calendar.startOfDay(for: now)).day ?? 0
        return days <= windowDays ? .eligible(daysLeft: windowDays - days) : .outsideWindow(daysSinceDelivery: days)
    }
}
