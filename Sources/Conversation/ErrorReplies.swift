import Foundation
import RetailModel
import Yams

/// The declarative table of what a caller hears for each POS failure (`Resources/error-replies.yaml`):
/// the words, the alternative offered, and when a person takes over.
public struct ErrorReplies: Sendable {
    /// One failure kind's reply.
    public struct Entry: Sendable, Decodable {
        public var say: String
        /// Said instead of `say` when a few units are left ("We only have {available} of those left there.").
        public var saySomeLeft: String?
        public var offer: String
        public var handoff: Handoff
        /// The question offering a person once `handoff` comes to it; `offer` when absent.
        public var person: String?

        enum CodingKeys: String, CodingKey {
            case say, offer, handoff, person
            case saySomeLeft = "say_some_left"
        }
    }

    /// When a person takes over.
    public enum Handoff: Sendable, Equatable, Decodable {
        /// The flow's own alternatives are enough.
        case never
        /// Offer a person at once.
        case offer
        /// Offer the alternative until this many failures of the kind in one call, then a person.
        case after(Int)

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            let words = text.split(separator: " ")
            switch (words.first, words.count) {
            case ("never", 1): self = .never
            case ("offer", 1): self = .offer
            case ("after", 2) where Int(words[1]).map({ $0 >= 1 }) == true: self = .after(Int(words[1])!)
            default:
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not never, offer or after N"))
            }
        }
    }

    public private(set) var entries: [String: Entry]

    /// Reads a table; every failure kind must have an entry.
    ///
    /// - Throws: `ErrorRepliesError` naming a missing kind, or a decoding error naming the malformed field.
    public init(yaml: String) throws {
        entries = try YAMLDecoder().decode([String: Entry].self, from: yaml)
        let missing = Self.allKeys.filter { entries[$0] == nil }
        guard missing.isEmpty else { throw ErrorRepliesError.missing(missing) }
    }

    /// The table shipped with the package.
    public static let standard: ErrorReplies = {
        do {
            guard let url = Bundle.module.url(forResource: "error-replies", withExtension: "yaml") else {
                throw ErrorRepliesError.missing(["error-replies.yaml"])
            }
            return try ErrorReplies(yaml: String(contentsOf: url, encoding: .utf8))
        } catch {
            preconditionFailure("The bundled error-replies.yaml is broken: \(error)")
        }
    }()

    /// The entry for a failure.
    public func entry(for error: POSError) -> Entry {
        entries[Self.key(error)]!
    }

    /// What the caller hears for a failure, with the stock left filled in.
    public func say(_ error: POSError) -> String {
        let entry = entry(for: error)
        if case .outOfStock(_, let available) = error, available > 0, let some = entry.saySomeLeft {
            return some.replacingOccurrences(of: "{available}", with: String(available))
        }
        return entry.say
    }

    static func key(_ error: POSError) -> String {
        switch error {
        case .notFound: "not_found"
        case .outOfStock: "out_of_stock"
        case .paymentDeclined(let reason): "payment_declined.\(reason.rawValue)"
        case .rateLimited: "rate_limited"
        case .unavailable: "unavailable"
        case .timeout: "timeout"
        case .invalidRequest: "invalid_request"
        }
    }

    /// Every failure kind the table must cover.
    public static let allKeys: [String] =
        ["not_found", "out_of_stock", "rate_limited", "unavailable", "timeout", "invalid_request"]
        + DeclineReason.allCases.map { "payment_declined.\($0.rawValue)" }
}

/// A problem in an error-reply table.
public enum ErrorRepliesError: Error, CustomStringConvertible {
    case missing([String])
    public var description: String {
        switch self {
        case .missing(let keys): "error-replies table has no entry for \(keys.joined(separator: ", "))"
        }
    }
}
