import Foundation

/// Where "now" comes from, so replayed conversations are deterministic.
public struct StoreClock: Sendable {
    private let read: @Sendable () -> Date
    /// The calendar used to say dates relative to today ("yesterday", "tomorrow").
    public var calendar: Calendar

    /// A clock that reads `now` and says days in `calendar`'s time zone.
    public init(calendar: Calendar = .current, now: @escaping @Sendable () -> Date) {
        self.read = now
        self.calendar = calendar
    }

    /// The current instant.
    public var now: Date { read() }

    /// The machine's clock and time zone.
    public static var system: StoreClock { StoreClock { Date() } }

    /// The same clock, saying days ("today", "tomorrow") in the store's time zone.
    public func inTimeZone(_ timeZone: TimeZone) -> StoreClock {
        var copy = self
        copy.calendar.timeZone = timeZone
        return copy
    }

    /// A clock stopped at one instant, in UTC unless told otherwise.
    public static func fixed(_ date: Date, timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> StoreClock {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return StoreClock(calendar: calendar) { date }
    }
}
