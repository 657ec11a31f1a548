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
    /// The platform's own call-limit bucket as its last response reported it.
    let callLimit = CallLimit()

    init(platform: Platform, baseURL: URL, transport: any HTTPTransport, headers: @escaping @Sendable () async throws -> [String: String]) {
        self.platform = platform
        self.baseURL = baseURL
        self.transport = transport
        self.headers = headers
    }

    /// One request; the parsed JSON body of a successful response.
    ///
    /// - Parameters:
    ///   - path: relative to the base URL, e.g. `v2/locations`.
    ///   - query: query items, in order.
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
        try await callLimit.waitForRoom()
        try await RequestBudget.current?.spend()
        let response = try await transport.send(HTTPRequest(method: method, url: url, headers: headers, body: data))
        await callLimit.observe(response)
        return response
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

extension Money {
    /// Money as a decimal string in the currency's major units ("19.99"; "1999" for yen), as Shopify and Lightspeed
    /// write prices.
    public var decimalText: String {
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

/// The platform's call-limit signals on every response — Shopify's `X-Shopify-Shop-Api-Call-Limit: 32/40`, Lightspeed's
/// `X-LS-API-Bucket-Level: 63.03/90` with `X-LS-API-Drip-Rate` — read before the bucket overflows: once it is
/// 80% full, the next request waits for it to drain to that level, within the caller's turn (`TurnDeadline`).
actor CallLimit {
    private var resumeAt: ContinuousClock.Instant?
    private let clock = ContinuousClock()
    /// Share of the bucket kept free for other clients of the same shop.
    static let headroom = 0.8

    func observe(_ response: HTTPResponse) {
        // A 429 carries its own Retry-After, which the gateway honours; this is for the calls that succeed.
        guard (200..<300).contains(response.status) else { return }
        let level = response.headers["x-shopify-shop-api-call-limit"] ?? response.headers["x-ls-api-bucket-level"]
        guard let level else { return }
        let parts = level.split(separator: "/").compactMap { Double($0) }
        guard parts.count == 2, parts[1] > 0 else { return }
        // Shopify's REST bucket leaks 2 calls a second on standard plans; Lightspeed says its drip rate.
        let drip = response.headers["x-ls-api-drip-rate"].flatMap(Double.init) ?? 2
        let excess = parts[0] - parts[1] * Self.headroom
        resumeAt = excess > 0 && drip > 0 ? clock.now + .seconds(excess / drip) : nil
    }

    /// Waits until the bucket has drained below the headroom mark.
    ///
    /// - Throws: `POSError.rateLimited` when that would be after the caller's turn must be answered.
    func waitForRoom() async throws {
        guard let resumeAt, resumeAt > clock.now else { return }
        if let deadline = TurnDeadline.current, resumeAt > deadline {
            throw POSError.rateLimited(retryAfterSeconds: (resumeAt - clock.now).inSeconds)
        }
        try? await Task.sleep(until: resumeAt, clock: clock)
    }
}
