import ArgumentParser
import Connectors
import Foundation
import Metrics
import Prometheus
import Replay
import Server
import Understanding

/// `voicepos serve`: the turn API for speech front ends, the platforms' webhooks, health and Prometheus metrics.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the JSON turn API, POS webhooks, /health and /metrics over HTTP.",
        discussion: """
            POST /v1/turns {"session": "...", "text": "...", "caller": {"customer_id": "..."}} answers the reply as JSON; \
            DELETE /v1/sessions/ID ends a call; POST /webhooks/PLATFORM takes verified webhooks \
            (VOICEPOS_SHOPIFY_WEBHOOK_SECRET, VOICEPOS_SQUARE_WEBHOOK_SIGNATURE_KEY + VOICEPOS_SQUARE_WEBHOOK_URL, \
            VOICEPOS_CLOVER_WEBHOOK_AUTH_CODE); GET /health; GET /metrics (Prometheus text). With VOICEPOS_API_TOKEN set, \
            /v1/ requests need Authorization: Bearer <token>; listening beyond this machine requires it.
            """
    )

    @OptionGroup var options: StoreOptions

    @OptionGroup var posOptions: POSOptions

    @Option(help: "Address to listen on (0.0.0.0 for every interface).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: a free one).")
    var port = 8080

    func validate() throws {
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(host)
        guard loopback || ProcessInfo.processInfo.environment["VOICEPOS_API_TOKEN"]?.isEmpty == false else {
            throw ValidationError("--host \(host) reaches beyond this machine: set VOICEPOS_API_TOKEN, which /v1/ requests must then carry")
        }
    }

    func run() async throws {
        let apiToken = ProcessInfo.processInfo.environment["VOICEPOS_API_TOKEN"].flatMap { $0.isEmpty ? nil : Secret($0) }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let intents = try IntentDefinition.loadAll(from: StoreBench.intentsDirectory(options.intents))
        let (engine, storeName, gateway, bench) = try await posOptions.engine(store: options, intents: intents)
        let webhooks = WebhookVerifier.configured(in: ProcessInfo.processInfo.environment)
        let server = VoiceServer(engine: engine, gateway: gateway, apiToken: apiToken, webhooks: webhooks, registry: registry)
        try await server.run(host: host, port: port, shutdownOnSignals: true) { url in
            let platforms = webhooks.map(\.platform.rawValue).sorted()
            print(
                "VoicePOS on \(storeName) at \(url): POST /v1/turns, GET /health, GET /metrics; webhooks: "
                    + (platforms.isEmpty ? "none configured" : platforms.map { "/webhooks/\($0)" }.joined(separator: ", ")))
            fflush(nil)
        }
        withExtendedLifetime(bench) {}
    }
}
