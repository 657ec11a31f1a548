import Connectors
import Conversation
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import NIOCore
import Prometheus
import RetailModel
import ServiceLifecycle

/// VoicePOS over HTTP: the turn API a speech front end calls, the POS platforms' webhooks, health and metrics.
///
/// - `POST /v1/turns` — a `TurnRequest`; answers the `Reply` (text, SSML, action, what is expected next). A call
///   that ends or is handed to a person is forgotten after its last reply.
/// - `DELETE /v1/sessions/{id}` — the caller hung up: an unpaid order is cancelled and stock holds released.
/// - `POST /webhooks/{platform}` — verified over the raw body, then the changes it names are dropped from the
///   gateway's caches (stock is read again). A platform with no verifier configured answers 404.
/// - `GET /health` — the gateway's budget, queue, circuits and cache; `"degraded"` while a circuit is open.
/// - `GET /metrics` — Prometheus text: the gateway's counters and latency histograms per flow and outcome,
///   circuit states, queue depth, and turns per intent and action.
///
/// With an API token, `/v1/…` answers only requests carrying `Authorization: Bearer <token>`: a turn names its
/// caller, and a caller's orders and card on file must not be one unauthenticated POST away.
public struct VoiceServer: Sendable {
    let engine: DialogueEngine
    let apiToken: Secret?
    let gateway: ResilientPointOfSale
    let webhooks: [Platform: WebhookVerifier]
    /// Where the process's metrics are collected (the registry `MetricsSystem` was bootstrapped with).
    let registry: PrometheusCollectorRegistry
    let logger: Logger
    let limits: ServerLimits
    private let turnRate: SessionRateLimit
    /// The largest webhook body read.
    static let bodyLimit = 1 << 20
    /// The largest turn body read: a few recognizer alternatives of a sentence or two.
    static let turnBodyLimit = 64 << 10

    /// - Parameters:
    ///   - apiToken: the bearer token the turn API requires (nil: none, for a server only this machine reaches).
    ///   - webhooks: a verifier per platform whose webhooks this store receives.
    ///   - registry: the Prometheus registry the process bootstrapped `MetricsSystem` with.
    public init(
        engine: DialogueEngine, gateway: ResilientPointOfSale, apiToken: Secret? = nil, webhooks: [WebhookVerifier] = [],
        registry: PrometheusCollectorRegistry, limits: ServerLimits = ServerLimits(), logger: Logger = Logger(label: "voicepos.server")
    ) {
        self.limits = limits
        turnRate = SessionRateLimit(turnsPerMinute: limits.turnsPerSessionPerMinute)
        self.engine = engine
        self.apiToken = apiToken
        self.gateway = gateway
        self.webhooks = Dictionary(webhooks.map { ($0.platform, $0) }, uniquingKeysWith: { $1 })
        self.registry = registry
        self.logger = logger
    }

    /// The routes.
    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("v1/turns") { request, _ in
            guard authorized(request) else { return Self.unauthorized }
            return try await turn(request)
        }
        router.delete("v1/sessions/:id") { request, context in
            guard authorized(request) else { return Self.unauthorized }
            await engine.endSession(try context.parameters.require("id"))
            return Response(status: .noContent)
        }
        router.post("webhooks/:platform") { request, context in try await webhook(request, platform: try context.parameters.require("platform")) }
        router.get("health") { _, _ in try await health() }
        router.get("metrics") { _, _ in await metrics() }
        return router
    }

    private func authorized(_ request: Request) -> Bool {
        guard let apiToken else { return true }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
        return apiToken.matches(String(header.dropFirst("Bearer ".count)))
    }

    private static var unauthorized: Response {
        var response = failure("this API needs Authorization: Bearer <token>", status: .unauthorized)
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }

    private func turn(_ request: Request) async throws -> Response {
        // A body trickled in a byte at a time (each byte resetting the idle timeout) is cut off here.
        let reading = request
        guard
            let body = try await Self.within(
                limits.bodyDeadline,
                {
                    var request = reading
                    return try await request.collectBody(upTo: Self.turnBodyLimit)
                })
        else {
            return Self.failure("the request body took over \(limits.bodyDeadline) to arrive", status: .requestTimeout)
        }
        let turn: TurnRequest
        do {
            turn = try TurnRequest.decode(Data(body.readableBytesView))
        } catch {
            return Self.failure(error.description, status: .badRequest)
        }
        if await engine.sessionCount >= limits.maxSessions, await !engine.hasSession(turn.session) {
            var response = Self.failure("too many calls under way; try again shortly", status: .serviceUnavailable)
            response.headers[.retryAfter] = "30"
            return response
        }
        if let wait = await turnRate.admit(turn.session) {
            var response = Self.failure("too many turns for session \(turn.session); try again shortly", status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        let started = ContinuousClock.now
        let reply = await engine.respond(to: turn.utterance())
        if reply.action != .continue { await engine.endSession(turn.session) }
        let dimensions = [("intent", reply.intent.rawValue), ("action", reply.action.rawValue)]
        Counter(label: "voicepos_turns_total", dimensions: dimensions).increment()
        Metrics.Timer(label: "voicepos_turn_duration_seconds").recordNanoseconds(Int64((ContinuousClock.now - started).inSeconds * 1e9))
        return try Self.json(reply)
    }

    /// The result of `work`, or nil when it takes longer than `deadline` (it is then cancelled).
    static func within<T: Sendable>(_ deadline: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    private func webhook(_ request: Request, platform name: String) async throws -> Response {
        guard let platform = Platform(rawValue: name), let verifier = webhooks[platform] else {
            return Self.failure("no webhooks are configured for \(name)", status: .notFound)
        }
        var request = request
        let body = Data(try await request.collectBody(upTo: Self.bodyLimit).readableBytesView)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        do {
            let delivery = try verifier.receive(body: body, headers: headers)
            if let code = delivery.verificationCode {
                // Clover's setup POST: the code is pasted into its dashboard to prove the URL is ours.
                logger.notice("Clover webhook verification code received", metadata: ["code": "\(code)"])
            }
            await gateway.apply(delivery.changes)
            // A product or store changed: understanding re-reads them (beside the turns, not holding this answer).
            if delivery.changes.contains(where: \.changesCatalog) { Task { await engine.syncCatalog() } }
            Counter(label: "voicepos_webhooks_total", dimensions: [("platform", name), ("outcome", "applied")]).increment()
            logger.debug("webhook", metadata: ["platform": "\(name)", "event": "\(delivery.event)", "changes": "\(delivery.changes.count)"])
            return try Self.json(["event": delivery.event, "changes": String(delivery.changes.count)])
        } catch let rejection as WebhookRejection {
            Counter(label: "voicepos_webhooks_total", dimensions: [("platform", name), ("outcome", "rejected")]).increment()
            logger.warning("webhook rejected", metadata: ["platform": "\(name)", "reason": "\(rejection)"])
            return Self.failure(rejection.description, status: HTTPResponse.Status(code: rejection.status))
        } catch {
            // Verified but unreadable: acknowledged, so the platform does not retry what will never read, and logged.
            Counter(label: "voicepos_webhooks_total", dimensions: [("platform", name), ("outcome", "unreadable")]).increment()
            logger.error("webhook unreadable", metadata: ["platform": "\(name)", "error": "\(error)"])
            return Self.failure("the event could not be read", status: .ok)
        }
    }

    private func health() async throws -> Response {
        struct Health: Encodable {
            var status: String
            var gateway: GatewayHealth
        }
        let gateway = await gateway.health()
        return try Self.json(Health(status: gateway.breakers.values.contains { $0 != "closed" } ? "degraded" : "ok", gateway: gateway))
    }

    /// Gauges are read as the scrape comes (circuits, queue), then everything the process counted is written out.
    private func metrics() async -> Response {
        _ = await gateway.health()
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// `{"error": "..."}`.
    private static func failure(_ message: String, status: HTTPResponse.Status) -> Response {
        (try? json(["error": message], status: status)) ?? Response(status: status)
    }

    // MARK: Serving

    /// Serves until the task is cancelled (or SIGINT/SIGTERM with `shutdownOnSignals`); `bound` is told the
    /// address once the port is open (port 0 picks a free one).
    public func run(
        host: String, port: Int, shutdownOnSignals: Bool = false, bound: @escaping @Sendable (URL) -> Void = { _ in }
    ) async throws {
        let app = Application(
            router: router(),
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: .nanoseconds(Int64(limits.idleTimeout.inSeconds * 1e9)))),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: "VoicePOS",
                availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections, logger: logger)),
            onServerRunning: { channel in
                if let url = URL(string: "http://\(host):\(channel.localAddress?.port ?? port)") { bound(url) }
            },
            logger: logger)
        var configuration = ServiceGroupConfiguration(
            services: [app], gracefulShutdownSignals: shutdownOnSignals ? [.sigterm, .sigint] : [], logger: logger)
        if shutdownOnSignals {
            // The process's own server: turns under way get this long to answer, then they are cancelled, and a
            // cancellation that hangs ends the process (ServiceLifecycle traps) rather than leave it up half-stopped.
            // A server run as a task (tests, an embedding app) is stopped by cancelling that task instead.
            configuration.maximumGracefulShutdownDuration = limits.shutdownDeadline
            configuration.maximumCancellationDuration = .seconds(5)
        }
        try await ServiceGroup(configuration: configuration).run()
    }
}

/// What one server instance allows: connections, idleness, a session's pace, and how long a shutdown may take.
public struct ServerLimits: Sendable {
    /// A connection that sends nothing for this long (idle, or stalled mid-request) is closed.
    public var idleTimeout: Duration = .seconds(30)
    /// Connections open at once; further ones wait in the accept queue until one closes.
    public var maxConnections = 512
    /// How long SIGTERM waits for turns under way before cancelling them (then 5 s more for the cancellation, after which
    /// the process ends regardless).
    public var shutdownDeadline: Duration = .seconds(10)
    /// Turns one session may send a minute (a caller speaks a few times a minute; a loop or a flood does not pass).
    public var turnsPerSessionPerMinute = 30
    /// Calls held at once; a turn starting another call beyond it is answered 503 (calls idle for long are ended).
    public var maxSessions = 10_000
    /// How long a turn's body may take to arrive in full.
    public var bodyDeadline: Duration = .seconds(10)

    public init() {}
}

/// A fixed one-minute window of turns per session; windows long over are forgotten as new ones start.
actor SessionRateLimit {
    private let turnsPerMinute: Int
    private var windows: [String: (start: ContinuousClock.Instant, count: Int)] = [:]

    init(turnsPerMinute: Int) { self.turnsPerMinute = turnsPerMinute }

    /// Nil when the turn may go ahead; else the seconds until the session's window reopens.
    func admit(_ session: String, now: ContinuousClock.Instant = .now) -> Int? {
        if windows.count > 10_000 { windows = windows.filter { now - $0.value.start < .seconds(60) } }
        var window: (start: ContinuousClock.Instant, count: Int) = windows[session].flatMap { now - $0.start < .seconds(60) ? $0 : nil } ?? (now, 0)
        guard window.count < turnsPerMinute else {
            return max(1, Int((window.start + .seconds(60) - now).inSeconds.rounded(.up)))
        }
        window.count += 1
        windows[session] = window
        return nil
    }
}

extension StoreChange {
    /// A change to what callers can name: a product or a store.
    var changesCatalog: Bool {
        switch self {
        case .catalog, .location: true
        case .stock, .order, .customer, .payment: false
        }
    }
}
