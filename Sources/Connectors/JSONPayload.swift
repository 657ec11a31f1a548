import Foundation
import RetailModel

/// A platform payload parsed as plain JSON, read field by field so a mapping error can name the field.
public enum JSONPayload: Sendable, Hashable, Decodable {
    case object([String: JSONPayload])
    case array([JSONPayload])
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONPayload].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONPayload].self))
        }
    }

    /// Parses JSON bytes.
    ///
    /// - Throws: `MappingError` when the bytes are not JSON.
    public static func parse(_ data: Data, platform: Platform) throws -> JSONPayload {
        // JSONSerialization and one walk: far cheaper than decoding by trial, which throws at every value.
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw MappingError(platform: platform, object: "payload", field: "", problem: "not valid JSON")
        }
        return JSONPayload(serialized: object)
    }

    /// A value as JSONSerialization gives it: NSNumber tells booleans, integers and decimals apart by type code.
    private init(serialized value: Any) {
        switch value {
        case let text as String: self = .string(text)
        case let list as [Any]: self = .array(list.map(JSONPayload.init(serialized:)))
        case let object as [String: Any]: self = .object(object.mapValues(JSONPayload.init(serialized:)))
        case let number as NSNumber:
            switch UInt8(bitPattern: number.objCType.pointee) {
            case UInt8(ascii: "c"), UInt8(ascii: "B"): self = .bool(number.boolValue)
            case UInt8(ascii: "d"), UInt8(ascii: "f"): self = .number(number.doubleValue)
            default: self = .integer(number.int64Value)
            }
        default: self = .null
        }
    }

    var objectValue: [String: JSONPayload]? { if case .object(let value) = self { value } else { nil } }
}

/// One field of a payload being mapped, with where it sits, for typed errors.
struct Field {
    let value: JSONPayload?
    let path: String
    let platform: Platform
    let object: String

    init(_ value: JSONPayload?, path: String, platform: Platform, object: String) {
        self.value = value
        self.path = path
        self.platform = platform
        self.object = object
    }

    func error(_ problem: String) -> MappingError {
        MappingError(platform: platform, object: object, field: path, problem: problem)
    }

    /// Present and not null.
    var exists: Bool {
        switch value {
        case nil, .null?: false
        default: true
        }
    }

    subscript(_ key: String) -> Field {
        let child = value?.objectValue?[key]
        return Field(child, path: path.isEmpty ? key : "\(path).\(key)", platform: platform, object: object)
    }

    func has(_ key: String) -> Bool { self[key].exists }

    /// A platform's store as a `Location`: its id, name and the address fields that are filled in. Tax rate,
    /// pickup and hours are the store's own settings, not in these payloads.
    ///
    /// - Parameter fields: address field paths, dotted for nested objects ("address.locality").
    func location(id: String, name: String, address fields: [String]) throws -> Location {
        let address = fields.compactMap { path in path.split(separator: ".").reduce(self) { $0[String($1)] }.nonBlank() }
            .joined(separator: ", ")
        return Location(
            id: try self[id].string(), name: try self[name].string(), address: address, taxRatePerMillion: 0,
            acceptsPickup: true, pickupReadyHours: 2, hours: "")
    }

    /// `{"product": {…}}` or `{"products": [{…}]}`: the one object, or the list.
    func oneOrMany(_ one: String, _ many: String) throws -> [Field] {
        if has(one) { return [self[one]] }
        guard has(many) else { throw error("expected \"\(one)\" or \"\(many)\"") }
        return try self[many].array()
    }

    /// Required text; numbers are accepted and written as text (ids arrive as either).
    func string() throws -> String {
        guard let text = optionalString() else { throw error(exists ? "expected text" : "missing") }
        return text
    }

    func optionalString() -> String? {
        switch value {
        case .string(let text)?: text
        case .integer(let number)?: String(number)
        case .number(let number)?: number == number.rounded() ? Int64(exactly: number).map(String.init) ?? String(number) : String(number)
        default: nil
        }
    }

    /// Text that is present and not blank.
    func nonBlank() -> String? {
        optionalString().flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    }

    func int() throws -> Int {
        guard let number = optionalInt() else { throw error(exists ? "expected a whole number" : "missing") }
        return number
    }

    func optionalInt() -> Int? {
        switch value {
        case .integer(let number)?: Int(exactly: number)
        case .number(let number)? where number == number.rounded(): Int(exactly: number)
        case .string(let text)?: Int(text)
        default: nil
        }
    }

    func optionalBool() -> Bool? { if case .bool(let flag)? = value { flag } else { nil } }

    /// The elements of an array; a missing or null field is an empty list.
    func array() throws -> [Field] {
        switch value {
        case nil, .null?: return []
        case .array(let items)?:
            return items.enumerated().map { Field($1, path: "\(path)[\($0)]", platform: platform, object: object) }
        default: throw error("expected a list")
        }
    }

    /// An amount written as a decimal string ("199.00") or a number, in the currency's minor units.
    func decimalMoney(currency: String) throws -> Money {
        guard let money = try optionalDecimalMoney(currency: currency) else { throw error("missing") }
        return money
    }

    func optionalDecimalMoney(currency: String) throws -> Money? {
        guard exists else { return nil }
        guard let text = optionalString(), let minor = MoneyText.minorUnits(text, currency: currency) else {
            throw error("expected a decimal amount like \"19.99\"")
        }
        return Money(minorUnits: minor, currency: currency)
    }

    /// An ISO-8601 date; nil when absent.
    func optionalDate() throws -> Date? {
        guard exists else { return nil }
        guard let text = optionalString(), let date = MoneyText.date(text) else { throw error("expected an ISO-8601 date") }
        return date
    }
}

/// Amounts and dates as platforms write them.
enum MoneyText {
    /// Digits after the decimal point for the currencies that differ from two (ISO 4217).
    private static let exponents: [String: Int] = [
        "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "HUF": 2, "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3,
    ]

    static func exponent(_ currency: String) -> Int { exponents[currency.uppercased()] ?? 2 }

    /// "199.00" → 19900 for USD; "1,299.5" → 129950; exact, never through floating point.
    static func minorUnits(_ text: String, currency: String) -> Int? {
        var digits = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        let negative = digits.hasPrefix("-")
        if negative { digits.removeFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0].isEmpty ? "0" : String(parts[0])) else { return nil }
        let places = exponent(currency)
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.allSatisfy(\.isNumber) else { return nil }
        // Extra places must be zeros: "19.990" is fine, "19.995" is not a USD amount.
        if fraction.count > places {
            guard fraction.dropFirst(places).allSatisfy({ $0 == "0" }) else { return nil }
            fraction = String(fraction.prefix(places))
        }
        fraction += String(repeating: "0", count: places - fraction.count)
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        let (value, overflowAgain) = scaled.addingReportingOverflow(Int(fraction.isEmpty ? "0" : fraction) ?? 0)
        guard !overflowAgain else { return nil }
        return negative ? -value : value
    }

    static func date(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        // Nanoseconds ("…45.455006797Z"): milliseconds are plenty.
        guard let dot = text.firstIndex(of: "."), let end = text[dot...].firstIndex(where: { !$0.isNumber && $0 != "." }) else { return nil }
        let digits = text[text.index(after: dot)..<end].prefix(3)
        return fractional.date(from: text[..<dot] + "." + digits + text[end...])
    }
}
