import Foundation

/// Everything a point of sale can answer instead of a result, in platform-neutral terms.
///
/// Connectors map their platform's error shapes to these cases; the conversation turns each
/// into words for the caller with an alternative where one exists.
public enum POSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The named object does not exist, e.g. `.notFound("order 1234")`.
    case notFound(String)
    /// Fewer units are available than were asked for.
    case outOfStock(sku: SKU, available: Int)
    case paymentDeclined(DeclineReason)
    /// The POS throttled us; try again after the given seconds when known.
    case rateLimited(retryAfterSeconds: Double?)
    case unavailable
    case timeout
    /// The request was malformed or broke a rule of the POS.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .notFound(let what): "not found: \(Self.scrub(what))"
        case .outOfStock(let sku, let available): "out of stock: \(sku) (\(available) available)"
        case .paymentDeclined(let reason): "payment declined: \(reason.rawValue)"
        case .rateLimited(let after): "rate limited" + (after.map { ", retry after \($0)s" } ?? "")
        case .unavailable: "unavailable"
        case .timeout: "timeout"
        case .invalidRequest(let why): "invalid request: \(Self.scrub(why))"
        }
    }
}

extension POSError {
    /// The POS is in trouble (throttled, unreachable, slow) — trying again later may work — as opposed to an answer
    /// about the request itself.
    public var isTransient: Bool {
        switch self {
        case .rateLimited, .unavailable, .timeout: true
        case .notFound, .outOfStock, .paymentDeclined, .invalidRequest: false
        }
    }
}

extension POSError {
    /// The error with the text a POS sent scrubbed (`POSError.scrub`): what may be logged or printed.
    public var scrubbed: POSError {
        switch self {
        case .notFound(let what): .notFound(Self.scrub(what))
        case .invalidRequest(let why): .invalidRequest(Self.scrub(why))
        default: self
        }
    }

    /// Text from a POS (an error's detail, a response body) with every value that could be secret or personal
    /// replaced by "•••", whatever key it came under or none: credentials and tokens (long mixes of letters and digits,
    /// known key prefixes, anything after "Bearer" or a secret-sounding name), e-mail addresses, and digit runs of seven
    /// or more (card and phone numbers). Cut to 300 characters.
    public static func scrub(_ text: String) -> String {
        var words: [String] = []
        var hideNext = false
        var digitRun: [Int] = []
        func closeDigitRun() {
            let digits = digitRun.reduce(0) { $0 + words[$1].filter(\.isNumber).count }
            if digits >= 7 { for index in digitRun { words[index] = "•••" } }
            digitRun = []
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let core = word.trimmingCharacters(in: .punctuationCharacters.union(.symbols))
            let lowered = core.lowercased()
            var clean = word
            if hideNext, !core.isEmpty {
                clean = "•••"
                hideNext = false
            } else if Self.looksSecret(core) || (core.contains("@") && core.contains(".")) {
                clean = "•••"
            } else if let separator = word.firstIndex(where: { $0 == "=" || $0 == ":" }),
                Self.secretNames.contains(where: { word[..<separator].lowercased().contains($0) })
            {
                // "token=abc", "password:hunter2", or "secret:" with the value as the next word.
                let value = word[word.index(after: separator)...].trimmingCharacters(in: .punctuationCharacters)
                if value.isEmpty { hideNext = true } else { clean = word[...separator] + "•••" }
            } else if ["bearer", "token", "password", "secret"].contains(lowered) {
                hideNext = true
            }
            if !core.isEmpty, core.allSatisfy({ $0.isNumber || $0 == "-" }) {
                digitRun.append(words.count)
            } else {
                closeDigitRun()
            }
            words.append(clean)
        }
        closeDigitRun()
        let scrubbed = words.joined(separator: " ")
        return scrubbed.count > 300 ? String(scrubbed.prefix(300)) + "…" : scrubbed
    }

    /// Names whose value is never shown.
    static let secretNames = ["token", "secret", "password", "passwd", "authorization", "api_key", "apikey", "key", "credential", "card"]

    /// A credential by its shape: a known key prefix, or 16 characters or more mixing letters and digits.
    static func looksSecret(_ word: String) -> Bool {
        let prefixes = ["sk_", "pk_", "rk_", "shpat_", "shpss_", "shpca_", "sq0", "eaaa", "tok_", "whsec_"]
        if prefixes.contains(where: { word.lowercased().hasPrefix($0) }) { return true }
        return word.count >= 16 && word.contains(where: \.isLetter) && word.contains(where: \.isNumber)
    }
}
