import Foundation

/// Reads fixture dates: "-3d", "+1d", "-5h", "0d", or ISO-8601.
enum FixtureDate {
    static func resolve(_ text: String, now: Date) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unit = trimmed.last, "dhm".contains(unit), let amount = Double(trimmed.dropLast()) {
            let seconds: Double = unit == "d" ? 86_400 : unit == "h" ? 3_600 : 60
            return now.addingTimeInterval(amount * seconds)
        }
        return ISO8601DateFormatter().date(from: trimmed)
    }
}
