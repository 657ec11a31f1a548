import Foundation
import RetailModel

/// Sends one platform's requests: base URL, headers (auth among them), JSON bodies, and the platform's error
/// shapes turned into `POSError`. A response that cannot be mapped is `POSError.unavailable`, never a crash;
/// no error carries a credential or a response body.
struct PlatformClient: Sendable {
    let platform: Platform
    let baseURL: URL
    let transport: any HTTPTransport
    /// Headers every request carries (auth and API version), computed per request so tokens can refresh.
    let headers: @Sendable () async throws -> [String: String]

    /// One request; the parsed JSON body of a successful response.
    ///
    /// - Parameters:
    ///   - path: relative to the base URL, e.g. `v2/locations`.
    ///   - query: query items, in order.
    ///   - idempotencyKey: sent as the `Idempotency-Key` header where the platform reads it from there.
    func send(
        _ method: String, _ path: String, query: [(String, String)] = [], json body: [String: Any]? = nil,
        extraHeaders: [String: String] = [:]
    ) async throws -> JSONPayload {
        let response = try await sendRaw(method, path, query: query, json: body, extraHeaders: extraHeaders)
        if let failure = HTTPFailure.error(in: response, platform: platform) { throw failure }
        if response.body.isEmpty { return .object([:]) }
        do {
            return try JSONPayload.parse(response.body, platform: platform)
        } catch {
            throw POSError.unavailable
        }
    }

    /// The response whatever its status, for callers that read a failure themselves.
    func sendRaw(
        _ method: String, _ path: String, query: [(String, String)] = [], json body: [String: Any]? = nil,
        extraHeaders: [String: String] = [:]
    ) async throws -> HTTPResponse {
        var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        if !query.isEmpty {
            components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
            // URLComponents leaves "+" alone, which servers read as a space ("phone:+1303…").
            let encoded = components?.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
            components?.percentEncodedQuery = encoded
        }
        guard let url = components?.url else { throw POSError.invalidRequest("a request path could not be built") }
        var headers = try await self.headers()
        headers["Accept"] = "application/json"
        for (name, value) in extraHeaders { headers[name] = value }
        var data: Data?
        if let body {
            headers["Content-Type"] = "application/json"
            data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        }
        return try await transport.send(HTTPRequest(method: method, url: url, headers: headers, body: data))
    }

    /// Maps a payload with the platform's mapper; a payload that does not map means the POS answered wrongly.
    func decode(_ payload: JSONPayload, as kind: ObjectKind, currency: String) throws -> DecodedPayload {
        do {
            return try payloadMapper(for: platform, currency: currency).decode(payload, as: kind)
        } catch {
            throw POSError.unavailable
        }
    }
}

/// Money as a decimal string in major units ("19.99"), for platforms that send prices that way.
extension Money {
    var decimalText: String {
        let exponent = MoneyText.exponent(currency)
        guard exponent > 0 else { return String(minorUnits) }
        var divisor = 1
        for _ in 0..<exponent { divisor *= 10 }
        let sign = minorUnits < 0 ? "-" : ""
        let whole = abs(minorUnits) / divisor
        let fraction = String(abs(minorUnits) % divisor)
        return "\(sign)\(whole).\(String(repeating: "0", count: exponent - fraction.count))\(fraction)"
    }
}

extension JSONPayload {
    /// Text at a key of an object (numbers written as text), for the few reads connectors make outside mappers.
    func string(_ key: String) -> String? {
        switch objectValue?[key] {
        case .string(let text)?: text
        case .integer(let number)?: String(number)
        default: nil
        }
    }

    func int(_ key: String) -> Int? {
        switch objectValue?[key] {
        case .integer(let number)?: Int(number)
        case .string(let text)?: Int(text)
        default: nil
        }
    }

    func array(_ key: String) -> [JSONPayload] { objectValue?[key]?.arrayValue ?? [] }

    var arrayValue: [JSONPayload] { if case .array(let items) = self { items } else { [] } }
}

extension String {
    /// Safe as one path segment.
    var pathSafe: String { addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? self }
}
