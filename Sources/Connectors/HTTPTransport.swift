import Foundation
import RetailModel

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request as a connector builds it.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: Data?

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// One HTTP response; header names are lower-cased.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        self.body = body
    }
}

/// Sends requests: URLSession in production, a stub in tests, so connectors are tested without sockets.
public protocol HTTPTransport: Sendable {
    /// - Throws: `POSError.timeout` or `.unavailable` when no response came back.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// HTTP over Foundation's URLSession (FoundationNetworking with libcurl on Linux).
public struct URLSessionTransport: HTTPTransport {
    private let session: URLSession
    /// Seconds before a request gives up; a caller should not wait in silence.
    public var timeout: TimeInterval

    public init(timeout: TimeInterval = 8) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        session = URLSession(configuration: configuration)
        self.timeout = timeout
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        do {
            let (data, response) = try await session.data(for: urlRequest)
            guard let http = response as? HTTPURLResponse else { throw POSError.unavailable }
            var headers: [String: String] = [:]
            for (name, value) in http.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name] = value }
            }
            return HTTPResponse(status: http.statusCode, headers: headers, body: data)
        } catch let error as POSError {
            throw error
        } catch let error as URLError where error.code == .timedOut {
            throw POSError.timeout
        } catch {
            throw POSError.unavailable
        }
    }
}

/// Reads a platform's HTTP response for failure: the status, the platform's rate-limit signals, and the error
/// body (even one that arrives with HTTP 200, as Shopify GraphQL's THROTTLED does).
public enum HTTPFailure {
    /// The `POSError` a response stands for, or nil when it succeeded.
    ///
    /// The error's text is scrubbed (`POSError.scrub`): a POS may echo a credential, a card or an e-mail in its detail.
    public static func error(in response: HTTPResponse, platform: Platform) -> POSError? {
        unscrubbedError(in: response, platform: platform)?.scrubbed
    }

    private static func unscrubbedError(in response: HTTPResponse, platform: Platform) -> POSError? {
        let retryAfter = retryAfterSeconds(response)
        if response.status == 429 { return .rateLimited(retryAfterSeconds: retryAfter) }
        if (200..<300).contains(response.status) {
            // Shopify GraphQL answers throttling and query errors with 200 and an `errors` list.
            guard platform == .shopify, let payload = try? JSONPayload.parse(response.body, platform: platform),
                case .array(let errors)? = payload.objectValue?["errors"], !errors.isEmpty,
                case .error(let error)? = try? payloadMapper(for: platform).decode(payload, as: .error)
            else { return nil }
            if case .rateLimited = error { return .rateLimited(retryAfterSeconds: retryAfter) }
            return error
        }
        var mapped: POSError?
        if let payload = try? JSONPayload.parse(response.body, platform: platform),
            case .error(let error)? = try? payloadMapper(for: platform).decode(payload, as: .error)
        {
            mapped = error
        }
        switch response.status {
        case 401, 403: return .unavailable
        case 404: if case .notFound? = mapped { return mapped } else { return .notFound("HTTP 404") }
        case 402: return mapped ?? .paymentDeclined(.generic)
        case 408, 504: return .timeout
        case 500...: return .unavailable
        default: return mapped ?? .invalidRequest("HTTP \(response.status)")
        }
    }

    /// `Retry-After` in seconds (a number or an HTTP date), or Lightspeed's bucket arithmetic.
    static func retryAfterSeconds(_ response: HTTPResponse) -> Double? {
        if let value = response.headers["retry-after"] {
            if let seconds = Double(value) { return seconds }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            if let date = formatter.date(from: value) { return max(0, date.timeIntervalSinceNow) }
        }
        // Lightspeed: "X-LS-API-Bucket-Level: 63.03/90" and a drip rate per second.
        if let level = response.headers["x-ls-api-bucket-level"], let drip = response.headers["x-ls-api-drip-rate"].flatMap(Double.init),
            drip > 0
        {
            let parts = level.split(separator: "/").compactMap { Double($0) }
            if parts.count == 2, parts[0] + 10 > parts[1] { return (parts[0] + 10 - parts[1]) / drip }
        }
        return nil
    }
}
