import Foundation
import Logging
import RetailModel

/// A transport that logs each request and its answer with nothing secret or personal in it: at debug level the
/// method, path, status and time (query values left out — they hold phone numbers and e-mails); at trace level
/// the JSON bodies with every credential, card, token and contact value replaced by "•••". Headers are never
/// logged (they carry the credentials).
public struct LoggedTransport: HTTPTransport {
    let transport: any HTTPTransport
    let logger: Logger

    /// - Parameter logger: where the lines go; its level decides how much (debug: a line per request).
    public init(_ transport: any HTTPTransport, logger: Logger) {
        self.transport = transport
        self.logger = logger
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let started = ContinuousClock.now
        let target = Self.target(of: request.url)
        if logger.logLevel <= .trace, let body = request.body {
            logger.trace("pos request body", metadata: ["request": "\(request.method) \(target)", "body": "\(Self.redacted(body))"])
        }
        do {
            let response = try await transport.send(request)
            let elapsed = Int((ContinuousClock.now - started).inSeconds * 1000)
            logger.debug("pos http", metadata: ["request": "\(request.method) \(target)", "status": "\(response.status)", "ms": "\(elapsed)"])
            if logger.logLevel <= .trace, !response.body.isEmpty {
                logger.trace("pos response body", metadata: ["request": "\(request.method) \(target)", "body": "\(Self.redacted(response.body))"])
            }
            return response
        } catch {
            logger.debug("pos http", metadata: ["request": "\(request.method) \(target)", "error": "\(type(of: error))"])
            throw error
        }
    }

    /// The path, and the names of the query items without their values: `GET /v2/customers/search?query=…`.
    static func target(of url: URL) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let names = (components?.queryItems ?? []).map { "\($0.name)=…" }
        return (components?.path ?? "") + (names.isEmpty ? "" : "?" + names.joined(separator: "&"))
    }

    /// Fragments of key names whose values (whole objects and lists included) are never logged, whatever the
    /// platform calls them.
    static let sensitiveKeys = [
        "token", "secret", "password", "authorization", "card", "source", "cvv", "cvc", "phone", "email", "address",
        "given_name", "family_name", "first_name", "last_name", "firstname", "lastname", "display_name", "recipient", "birthday",
    ]

    /// A JSON body with every sensitive value replaced; anything that is not JSON is only measured.
    static func redacted(_ body: Data) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            return "(\(body.count) bytes, not JSON)"
        }
        let clean = redact(object)
        guard let data = try? JSONSerialization.data(withJSONObject: clean, options: [.sortedKeys, .fragmentsAllowed]) else { return "(unprintable)" }
        let text = String(decoding: data, as: UTF8.self)
        return text.count > 4000 ? String(text.prefix(4000)) + "…" : text
    }

    private static func redact(_ value: Any) -> Any {
        switch value {
        case let object as [String: Any]:
            var clean: [String: Any] = [:]
            for (key, item) in object {
                let lowered = key.lowercased()
                clean[key] = sensitiveKeys.contains { lowered.contains($0) } ? "•••" : redact(item)
            }
            return clean
        case let list as [Any]:
            return list.map(redact)
        case let text as String:
            // Values too, under whatever key: a POS may echo a credential or a card inside a message.
            return POSError.scrub(text)
        default:
            return value
        }
    }
}
