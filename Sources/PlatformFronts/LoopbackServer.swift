import Connectors
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import RetailModel

/// A platform front served over HTTP on 127.0.0.1 (a free port), so a connector is tested end to end over real
/// sockets with URLSession, exactly as it talks to the platform.
public final class LoopbackServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let baseURL: URL
    private let task: Task<Void, any Error>

    /// Starts serving; returns once the port is bound.
    ///
    /// - Throws: `POSError.unavailable` when the server cannot bind.
    public static func start(_ front: any PlatformFront) async throws -> LoopbackServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int?.self)
        var logger = Logger(label: "voicepos.loopback.\(front.platform.rawValue)")
        logger.logLevel = .critical
        let app = Application(
            responder: FrontResponder(front: front),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: front.platform.rawValue),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port)
                continuation.finish()
            },
            logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var port: Int?
        for await bound in ports {
            port = bound
            break
        }
        guard let port, let url = URL(string: "http://127.0.0.1:\(port)") else {
            task.cancel()
            throw POSError.unavailable
        }
        return LoopbackServer(baseURL: url, task: task)
    }

    private init(baseURL: URL, task: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.task = task
    }

    /// Stops serving.
    public func stop() { task.cancel() }

    deinit { task.cancel() }
}

/// Hands every request to the front.
private struct FrontResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let front: any PlatformFront

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 4 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        let path = request.uri.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let answer = await front.respond(
            to: FrontRequest(
                method: request.method.rawValue, path: path, query: query, headers: headers, body: Data(body.readableBytesView)))
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        return Response(
            status: HTTPTypes.HTTPResponse.Status(code: answer.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
