import Foundation

/// Reads fixture dates: "-3d" (calendar days), "+5h", "-30m", or ISO-8601.
enum FixtureDate {
    static func resolve(_ text: String, now: Date, calendar: Calendar) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unit = trimmed.last, "dhm".contains(unit), let amount = Int(trimmed.dropLast()) {
            let component: Calendar.Component = unit == "d" ? .day : unit == "h" ? .hour : .minute
            return calendar.date(byAdding: component, value: amount, to: now)
        }
        return ISO8601DateFormatter().date(from: trimmed)
    }
}
