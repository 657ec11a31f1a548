import Foundation
import Gateway
import Metrics
import Prometheus
import Replay
import RetailModel
import Server
import StoreSimulator
import Testing

@testable import Connectors
@testable import PlatformFronts

/// `voicepos serve` over real HTTP on 127.0.0.1: the turn API, verified webhooks reaching the gateway's caches,
/// health and Prometheus metrics.
struct ServerTests {
    /// The process's one metrics registry (`MetricsSystem` takes one bootstrap per process).
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static let shopifySecret = "shpss_test_only_not_a_real_secret"

    /// A server over a bench, its address, and a way to send it requests.
    struct Running {
        let bench: StoreBench
        let url: URL
        let task: Task<Void, any Error>

        func send(_ method: String, _ path: String, body: String = "", headers: [String: String] = [:]) async throws -> HTTPResponse {
            // A test run keeps both cores busy; the client waits as long as the server's own turn deadline allows.
            try await URLSessionTransport(timeout: 60).send(
                HTTPRequest(
                    method: method, url: url.appendingPathComponent(path), headers: headers, body: body.isEmpty ? nil : Data(body.utf8)))
        }

        func json(_ response: HTTPResponse) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        }
    }

    static func serve(
        via platform: Platform? = nil, policy: GatewayPolicy = Fixtures.patient, apiToken: String? = nil, limits: ServerLimits = ServerLimits()
    ) async throws -> Running {
        let bench = try await StoreBench.start(
            fixture: StoreFixture.demo(), clock: Fixtures.clock, intents: Fixtures.intents(), via: platform, policy: policy,
            turnDeadline: .seconds(60))
        let server = VoiceServer(
            engine: bench.engine, gateway: bench.gateway, apiToken: apiToken.map(Secret.init), webhooks: [.shopify(clientSecret: shopifySecret)],
            registry: registry, limits: limits)
        let (addresses, continuation) = AsyncStream.makeStream(of: URL.self)
        let task = Task { try await server.run(host: "127.0.0.1", port: 0) { continuation.yield($0) } }
        var url: URL?
        for await bound in addresses {
            url = bound
            break
        }
        return Running(bench: bench, url: try #require(url), task: task)
    }

    @Test func aSessionSendingTooFastIsToldToWaitAndABodyTooLargeIsRefused() async throws {
        var limits = ServerLimits()
        limits.turnsPerSessionPerMinute = 3
        let server = try await Self.serve(limits: limits)
        defer { server.task.cancel() }
        for _ in 0..<3 { #expect(try await server.send("POST", "v1/turns", body: #"{"session": "fast", "text": "hi"}"#).status == 200) }
        let refused = try await server.send("POST", "v1/turns", body: #"{"session": "fast", "text": "hi"}"#)
        #expect(refused.status == 429)
        #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 >= 1)
        // Another call is not held back by this one.
        #expect(try await server.send("POST", "v1/turns", body: #"{"session": "other", "text": "hi"}"#).status == 200)
        let huge = #"{"session": "big", "text": ""# + String(repeating: "a", count: 1 << 20) + #""}"#
        #expect(try await server.send("POST", "v1/turns", body: huge).status == 413)
        let longID = try await server.send("POST", "v1/turns", body: #"{"session": ""# + String(repeating: "s", count: 200) + #"", "text": "hi"}"#)
        #expect(longID.status == 400)
        #expect((try server.json(longID)["error"] as? String)?.hasPrefix("session is over 128 bytes") == true)
    }

    @Test func callsBeyondTheCapAreToldToTryAgainWhileCallsUnderWayGoOn() async throws {
        var limits = ServerLimits()
        limits.maxSessions = 2
        let server = try await Self.serve(limits: limits)
        defer { server.task.cancel() }
        for session in ["one", "two"] {
            #expect(try await server.send("POST", "v1/turns", body: #"{"session": "\#(session)", "text": "hi"}"#).status == 200)
        }
        let third = try await server.send("POST", "v1/turns", body: #"{"session": "three", "text": "hi"}"#)
        #expect(third.status == 503)
        #expect(third.headers["retry-after"] == "30")
        #expect(try await server.send("POST", "v1/turns", body: #"{"session": "one", "text": "do you have the sambas"}"#).status == 200)
    }

    @Test func aTurnIsAnsweredAndAMalformedOneNamesItsField() async throws {
        let server = try await Self.serve()
        defer { server.task.cancel() }
        let turn = #"{"session": "http-1", "text": "do you have the air max 90 in size 10", "caller": {"customer_id": "C-1001"}}"#
        let answer = try await server.send("POST", "v1/turns", body: turn)
        #expect(answer.status == 200)
        let reply = try server.json(answer)
        #expect(reply["intent"] as? String == "check_availability")
        #expect((reply["text"] as? String)?.contains("size 10") == true)
        #expect(reply["action"] as? String == "continue")

        let missing = try await server.send("POST", "v1/turns", body: #"{"session": "http-1"}"#)
        #expect(missing.status == 400)
        #expect((try server.json(missing)["error"] as? String)?.hasPrefix("text is missing") == true)
        let wrongType = try await server.send("POST", "v1/turns", body: #"{"session": "http-1", "text": 7}"#)
        #expect((try server.json(wrongType)["error"] as? String)?.hasPrefix("text must be text") == true)

        #expect(try await server.send("DELETE", "v1/sessions/http-1").status == 204)
    }

    @Test func withAnAPITokenATurnWithoutItIsRefused() async throws {
        let server = try await Self.serve(apiToken: "turn-api-token-31f")
        defer { server.task.cancel() }
        let turn = #"{"session": "http-3", "text": "where is my order 7790", "caller": {"customer_id": "C-1001"}}"#
        let refused = try await server.send("POST", "v1/turns", body: turn)
        #expect(refused.status == 401)
        #expect(!String(decoding: refused.body, as: UTF8.self).contains("7790"))
        #expect(try await server.send("POST", "v1/turns", body: turn, headers: ["Authorization": "Bearer wrong"]).status == 401)
        #expect(try await server.send("DELETE", "v1/sessions/http-3").status == 401)
        let answered = try await server.send("POST", "v1/turns", body: turn, headers: ["Authorization": "Bearer turn-api-token-31f"])
        #expect(answered.status == 200)
        #expect((try server.json(answered)["text"] as? String)?.contains("FedEx") == true)
        // Health and metrics stay open to the monitoring that scrapes them.
        #expect(try await server.send("GET", "health").status == 200)
    }

    @Test func aVerifiedShopifyStockWebhookMakesTheGatewayReadThatStockAgain() async throws {
        // Stock is kept an hour here, so only the webhook can make the gateway read it again.
        var policy = Fixtures.patient
        policy.stockTTL = .seconds(3600)
        let server = try await Self.serve(via: .shopify, policy: policy)
        defer { server.task.cancel() }
        let sku = "NK-AM90-BLK-10"
        _ = try await server.bench.gateway.catalog()
        let before = try await server.bench.gateway.stock(skus: [sku]).first { $0.locationID == "downtown" }?.available
        // A sale at the till: the store changes, the gateway's cache does not know yet.
        _ = try await server.bench.store.createOrder(
            OrderRequest(customerID: "C-1001", lines: [LineItem(sku: sku, quantity: 1)], fulfillment: .pickup, locationID: "downtown"))
        let now = try await server.bench.store.stock(skus: [sku]).first { $0.locationID == "downtown" }?.available
        #expect(now != before)
        #expect(try await server.bench.gateway.stock(skus: [sku]).first { $0.locationID == "downtown" }?.available == before)

        let body = Data(#"{"inventory_item_id": \#(ShopifyFront.inventoryItemID(sku)), "location_id": "downtown", "available": \#(now ?? 0)}"#.utf8)
        let signature = Data(HMACSHA256.authenticationCode(for: Array(body), key: Array(Self.shopifySecret.utf8))).base64EncodedString()
        let forged = try await server.send(
            "POST", "webhooks/shopify", body: String(decoding: body, as: UTF8.self),
            headers: ["X-Shopify-Hmac-Sha256": "AAAA" + signature.dropFirst(4), "X-Shopify-Topic": "inventory_levels/update"])
        #expect(forged.status == 401)
        #expect(try await server.bench.gateway.stock(skus: [sku]).first { $0.locationID == "downtown" }?.available == before)

        let delivered = try await server.send(
            "POST", "webhooks/shopify", body: String(decoding: body, as: UTF8.self),
            headers: ["X-Shopify-Hmac-Sha256": signature, "X-Shopify-Topic": "inventory_levels/update"])
        #expect(delivered.status == 200)
        #expect(try await server.bench.gateway.stock(skus: [sku]).first { $0.locationID == "downtown" }?.available == now)

        #expect(try await server.send("POST", "webhooks/square", body: "{}").status == 404)
    }

    @Test func healthAndMetricsShowTheGatewayAsItStands() async throws {
        var policy = Fixtures.patient
        policy.retries = 0
        policy.breakerThreshold = 1
        let server = try await Self.serve(policy: policy)
        defer { server.task.cancel() }
        let health = try server.json(try await server.send("GET", "health"))
        #expect(health["status"] as? String == "ok")

        await server.bench.store.inject(StoreSimulator.Fault(flow: .orderStatus, error: .unavailable, times: 1))
        let turn = #"{"session": "http-2", "text": "where is my order 7790", "caller": {"customer_id": "C-1001"}}"#
        _ = try await server.send("POST", "v1/turns", body: turn)
        let degraded = try server.json(try await server.send("GET", "health"))
        #expect(degraded["status"] as? String == "degraded")
        let breakers = (degraded["gateway"] as? [String: Any])?["breakers"] as? [String: String]
        #expect(breakers?["order_status"] == "open")
        #expect(breakers?.filter { $0.value != "closed" }.count == 1)

        let metrics = try await server.send("GET", "metrics")
        #expect(metrics.headers.first { $0.key.lowercased() == "content-type" }?.value.hasPrefix("text/plain") == true)
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains(#"voicepos_breaker_open{flow="order_status"} 1"#))
        #expect(text.contains(#"voicepos_pos_calls_total{flow="order_status",outcome="failed"}"#))
        #expect(text.contains("# TYPE voicepos_pos_call_duration_seconds histogram"))
        #expect(text.contains(#"voicepos_turns_total{intent="order_status""#))
    }
}
