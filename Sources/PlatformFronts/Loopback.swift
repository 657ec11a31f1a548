import Connectors
import Foundation
import RetailModel
import StoreSimulator

/// A simulated store behind one platform's front on 127.0.0.1, and that platform's connector pointed at it:
/// what `voicepos replay --pos NAME` and `voicepos chat --pos NAME --loopback` talk to.
public struct Loopback: Sendable {
    /// The connector, speaking real HTTP to the front.
    public let pointOfSale: any PointOfSale
    /// The HTTP server, nil when requests go to the front in process.
    public let server: LoopbackServer?

    /// Starts the front for `platform` over `store` and a connector with the front's (made-up) credentials.
    ///
    /// - Parameter inProcess: skip sockets and hand requests to the front directly (unit tests).
    /// - Parameter observe: told of each HTTP request the connector sends, as it goes (a load run counts them).
    public static func start(
        _ platform: Platform, store: StoreSimulator, profile: StoreProfile, inProcess: Bool = false,
        observe: (@Sendable (HTTPRequest) async -> Void)? = nil
    ) async throws -> Loopback {
        let credentials = Credentials.loopback
        let front: any PlatformFront =
            switch platform {
            case .square: SquareFront(store: store, accessToken: credentials.token)
            case .shopify: ShopifyFront(store: store, accessToken: credentials.token)
            case .lightspeed:
                LightspeedFront(
                    store: store, accountID: credentials.account, clientID: credentials.clientID, clientSecret: credentials.clientSecret,
                    refreshToken: credentials.refreshToken)
            case .clover: CloverFront(store: store, accessToken: credentials.token)
            }
        let server = inProcess ? nil : try await LoopbackServer.start(front)
        let baseURL = server?.baseURL ?? URL(string: "http://127.0.0.1:9")!
        var values = ["url": baseURL.absoluteString, "access_token": credentials.token, "currency": store.currency]
        values["ecommerce_url"] = baseURL.absoluteString
        values["token_url"] = baseURL.appendingPathComponent("auth/oauth/token").absoluteString
        values["account_id"] = credentials.account
        values["client_id"] = credentials.clientID
        values["client_secret"] = credentials.clientSecret
        values["refresh_token"] = credentials.refreshToken
        values["merchant_ids"] = try await store.locations().map(\.id).joined(separator: ",")
        var transport: any HTTPTransport = inProcess ? FrontTransport(front: front) : URLSessionTransport()
        if let observe { transport = ObservedTransport(transport: transport, observe: observe) }
        let connector = try ConnectorSettings(platform: platform, values: values).connector(profile: profile, transport: transport)
        return Loopback(pointOfSale: connector, server: server)
    }

    /// The made-up credentials a loopback front expects.
    struct Credentials {
        let token = "loopback-access-token"
        let account = "100"
        let clientID = "loopback-client"
        let clientSecret = "loopback-client-secret"
        let refreshToken = "loopback-refresh-token"
        static let loopback = Credentials()
    }
}

extension StoreProfile {
    /// What the simulator's own records say that no POS platform holds.
    public static func of(_ store: StoreSimulator) async throws -> StoreProfile {
        StoreProfile(
            locations: try await store.locations(), products: try await store.catalog(), customers: await store.allCustomers(),
            capabilities: store.capabilities)
    }
}

/// A transport that tells someone of each request before sending it.
struct ObservedTransport: HTTPTransport {
    let transport: any HTTPTransport
    let observe: @Sendable (HTTPRequest) async -> Void

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        await observe(request)
        return try await transport.send(request)
    }
}
