import Commerce
import Connectors
import Conversation
import Foundation
import Gateway
import PlatformFronts
import RetailModel
import StoreSimulator
import Understanding

/// A dialogue engine wired to a store simulator: what `voicepos chat` talks to and what each dialogue replays against.
public struct StoreBench: Sendable {
    public let store: StoreSimulator
    public let engine: DialogueEngine
    /// The platform front and connector between the engine and the store, when the bench speaks a platform's API.
    public let loopback: Loopback?
    /// The resilience gateway every POS call goes through.
    public let gateway: ResilientPointOfSale

    /// Builds the simulator from the fixture and an engine over it.
    ///
    /// - Throws: `StoreFixtureError` for a bad fixture, `POSError` if the store can't be read.
    public static func start(
        fixture: StoreFixture, clock: StoreClock, intents: [IntentDefinition], via platform: Platform? = nil, inProcess: Bool = false,
        policy: GatewayPolicy = GatewayPolicy(), turnDeadline: Duration = .seconds(2)
    ) async throws -> StoreBench {
        let store = try StoreSimulator(fixture: fixture, clock: clock)
        let understanding = LanguageUnderstanding(
            intents: intents, catalog: try await store.catalog(), locations: try await store.locations())
        return try await start(
            store: store, understanding: understanding, clock: clock, via: platform, inProcess: inProcess, policy: policy,
            turnDeadline: turnDeadline)
    }

    /// An engine over a ready simulator, reusing understanding already built for the same catalog.
    ///
    /// - Parameter platform: put that platform's loopback front and connector between the engine and the store.
    /// - Parameter inProcess: the connector hands its HTTP requests to the front directly, with no socket.
    /// - Parameter policy: the resilience gateway's budget, deadline, retries and caching.
    public static func start(
        store: StoreSimulator, understanding: LanguageUnderstanding, clock: StoreClock, via platform: Platform? = nil,
        inProcess: Bool = false, policy: GatewayPolicy = GatewayPolicy(), turnDeadline: Duration = .seconds(2)
    ) async throws -> StoreBench {
        let clock = store.timeZone.map { clock.inTimeZone($0) } ?? clock
        let configuration = DialogueConfiguration(
            storeName: store.storeName, returnPolicy: ReturnPolicy(windowDays: store.returnWindowDays), clock: clock,
            turnDeadline: turnDeadline)
        var loopback: Loopback?
        if let platform {
            loopback = try await Loopback.start(platform, store: store, profile: try await StoreProfile.of(store), inProcess: inProcess)
        }
        let gateway = ResilientPointOfSale(wrapping: loopback?.pointOfSale ?? store, policy: policy, clock: clock)
        // The catalog is synced through the gateway, as in production, so it can search it when the POS's search is
        // down (a store that starts already failing is heard failing, not refused here).
        _ = try? await gateway.catalog()
        let engine = DialogueEngine(
            pointOfSale: gateway, tokenizer: store, understanding: understanding, locations: try await gateway.locations(),
            configuration: configuration)
        return StoreBench(store: store, engine: engine, loopback: loopback, gateway: gateway)
    }

    /// The `Intents/` folder: the given path, else `./Intents`, else the one beside this package's sources.
    public static func intentsDirectory(_ path: String? = nil) -> URL {
        if let path { return URL(fileURLWithPath: path) }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Intents")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        return packageRoot.appendingPathComponent("Intents")
    }

    /// The package checkout this binary was built from.
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}

extension StoreBench {
    /// An engine over any POS (a real store's connector): what `voicepos chat --pos NAME` talks to.
    ///
    /// - Parameter tokenizer: the processor's card vault; a real store needs a PCI-compliant capture service here.
    public static func engine(
        pointOfSale: any PointOfSale, tokenizer: any CardTokenizer, profile: StoreProfile, clock: StoreClock, intents: [IntentDefinition]
    ) async throws -> (engine: DialogueEngine, gateway: ResilientPointOfSale) {
        let pointOfSale = ResilientPointOfSale(wrapping: pointOfSale, clock: clock)
        let locations = try await pointOfSale.locations()
        let understanding = LanguageUnderstanding(intents: intents, catalog: try await pointOfSale.catalog(), locations: locations)
        let configuration = DialogueConfiguration(
            storeName: profile.storeName ?? "our store", returnPolicy: ReturnPolicy(windowDays: profile.returnWindowDays ?? 30), clock: clock)
        let engine = DialogueEngine(
            pointOfSale: pointOfSale, tokenizer: tokenizer, understanding: understanding, locations: locations, configuration: configuration)
        return (engine, pointOfSale)
    }
}

/// The tokenizer of a store with no card-capture service configured: a spoken card number is refused (cards on
/// file still work), so no card number ever reaches VoicePOS's own process for a real store.
public struct NoCardCapture: CardTokenizer {
    public init() {}

    public func tokenize(cardNumber: String) async throws -> CardToken {
        throw POSError.invalidRequest("card numbers by phone need a PCI card-capture service, and none is configured")
    }
}
