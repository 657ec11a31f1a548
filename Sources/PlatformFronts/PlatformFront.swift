import Connectors
import Foundation
import RetailModel
import StoreSimulator

/// One HTTP request as a platform front receives it.
public struct FrontRequest: Sendable {
    public var method: String
    /// Path segments after the host, e.g. `["v2", "orders", "1042"]`.
    public var path: [String]
    public var query: [String: String]
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public init(method: String, path: [String], query: [String: String], headers: [String: String], body: Data) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        self.body = body
    }

    /// Reads an `HTTPRequest` as a connector would send it.
    public init(_ request: HTTPRequest) {
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        var query: [String: String] = [:]
        for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
        self.init(
            method: request.method, path: (components?.path ?? "").split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) },
            query: query, headers: request.headers, body: request.body ?? Data())
    }

    /// The JSON body as an object; empty when there is none.
    func json() throws -> [String: Any] {
        guard !body.isEmpty else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw FrontFailure.badRequest("the body is not a JSON object")
        }
        return object
    }
}

/// A request the front refuses before it reaches the store.
enum FrontFailure: Error {
    case unauthorized
    case badRequest(String)
    case noRoute
}

/// The simulated store served in one platform's dialect: its paths, auth header, payload shapes, error shapes
/// and rate-limit headers. Pure request → response, so connectors are tested over real HTTP (`LoopbackServer`)
/// or in process (`FrontTransport`) alike.
public protocol PlatformFront: Sendable {
    var platform: Platform { get }
    func respond(to request: FrontRequest) async -> HTTPResponse
}

/// The pieces every front shares: the store behind it, JSON and dates as platforms write them.
struct FrontKit: Sendable {
    let store: StoreSimulator

    /// A JSON response.
    func json(_ object: Any, status: Int = 200, headers: [String: String] = [:]) -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        var headers = headers
        headers["Content-Type"] = "application/json"
        return HTTPResponse(status: status, headers: headers, body: data)
    }

    /// The response `handle` makes, or what the platform answers for what it threw: an unreadable body for a
    /// `.malformed` fault, `failure` for a store error, `refusal` for what the front refused itself (anything else
    /// is a route it does not have). One ladder for every front; each says only its platform's shapes.
    static func answering(
        _ handle: () async throws -> HTTPResponse, failure: (POSError) -> HTTPResponse, refusal: (FrontFailure) -> HTTPResponse
    ) async -> HTTPResponse {
        do {
            return try await handle()
        } catch is StoreSimulator.MalformedAnswer {
            return malformed()
        } catch let error as POSError {
            return failure(error)
        } catch let refused as FrontFailure {
            return refusal(refused)
        } catch {
            return refusal(.noRoute)
        }
    }

    /// A `.malformed` fault: HTTP 200 with a body cut off mid-object, as a broken proxy or a crashed worker sends.
    static func malformed() -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(#"{"data": {"items": [{"id": "#.utf8))
    }

    /// ISO-8601 with milliseconds, in UTC.
    static func date(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// `Retry-After` for a rate-limited answer.
    static func retryHeaders(_ error: POSError) -> [String: String] {
        if case .rateLimited(let seconds?) = error { return ["Retry-After": String(format: "%.1f", seconds)] }
        return [:]
    }

    /// "Maria Lopez" → ("Maria", "Lopez").
    static func split(name: String) -> (given: String, family: String) {
        let parts = name.split(separator: " ", maxSplits: 1)
        return (parts.first.map(String.init) ?? "", parts.count > 1 ? String(parts[1]) : "")
    }

    /// The lines a refund of `amount` stands for: one line's units whose price and tax come to it, else every line.
    static func lines(of order: Order, refunding amount: Money) -> [LineItem]? {
        for line in order.lines {
            for quantity in 1...max(1, line.quantity) {
                let items = [LineItem(sku: line.sku, quantity: quantity)]
                if order.refund(for: items) == amount { return items }
            }
        }
        let all = order.lines.map { LineItem(sku: $0.sku, quantity: $0.quantity) }
        return order.refund(for: all) == amount ? all : nil
    }
}

/// Sends a connector's requests straight to a front, without sockets: for unit tests of a connector.
public struct FrontTransport: HTTPTransport {
    let front: any PlatformFront

    public init(front: any PlatformFront) { self.front = front }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        await front.respond(to: FrontRequest(request))
    }
}
