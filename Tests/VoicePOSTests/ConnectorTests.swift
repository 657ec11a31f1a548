import Connectors
import Foundation
import PlatformFronts
import Replay
import RetailModel
import StoreSimulator
import Testing

/// Every connector against its platform's loopback front over the demo store: what the store holds comes back
/// out of the platform's payloads unchanged, failures keep their meaning, and credentials never show.
struct ConnectorTests {
    /// A fresh demo store behind `platform`'s front; in process (no sockets) unless asked.
    static func connect(_ platform: Platform, overHTTP: Bool = false) async throws -> (StoreSimulator, any PointOfSale, Loopback) {
        let store = try Fixtures.store()
        let loopback = try await Loopback.start(platform, store: store, profile: try await StoreProfile.of(store), inProcess: !overHTTP)
        return (store, loopback.pointOfSale, loopback)
    }

    @Test(arguments: Platform.allCases)
    func theCatalogLocationsAndCustomersComeBackUnchanged(platform: Platform) async throws {
        let (store, connector, _) = try await Self.connect(platform)
        let products = try await store.catalog()
        let mapped = try await connector.catalog()
        #expect(mapped.count == products.count)
        for (original, read) in zip(products, mapped) {
            #expect(read == original, "\(platform): \(original.id)")
        }
        #expect(try await connector.locations() == store.locations())
        for customer in await store.allCustomers() {
            var expected = customer
            if !connector.capabilities.takesCardPayments { expected.cardOnFile = nil }
            #expect(try await connector.customer(id: customer.id) == expected, "\(platform): \(customer.id)")
        }
    }

    @Test(arguments: Platform.allCases)
    func ordersComeBackWithTheirStatusDatesAndLines(platform: Platform) async throws {
        let (store, connector, _) = try await Self.connect(platform)
        for customer in await store.allCustomers() {
            let orders = try await store.recentOrders(customerID: customer.id, limit: 10)
            let mapped = try await connector.recentOrders(customerID: customer.id, limit: 10)
            #expect(mapped == orders, "\(platform): \(customer.id)")
            for order in orders {
                #expect(try await connector.order(number: order.number) == order)
                #expect(try await connector.orderStatus(number: order.number) == OrderStatusReport(order: order))
            }
        }
    }

    @Test(arguments: Platform.allCases)
    func aNewOrderKeepsTheReferenceItsCreateCarried(platform: Platform) async throws {
        let (store, connector, _) = try await Self.connect(platform)
        let request = OrderRequest(
            customerID: "C-1001", lines: [LineItem(sku: "NK-AM90-BLK-10", quantity: 1)], fulfillment: .pickup, locationID: "downtown",
            reference: "vp-connector-test-1")
        let order = try await connector.createOrder(request)
        #expect(order.reference == "vp-connector-test-1", "\(platform)")
        #expect(await store.storedOrder(number: order.number)?.reference == "vp-connector-test-1", "\(platform)")
        let recent = try await connector.recentOrders(customerID: "C-1001", limit: 5)
        #expect(recent.first { $0.number == order.number }?.reference == "vp-connector-test-1", "\(platform)")
    }

    @Test(arguments: Platform.allCases)
    func stockBySKUAndLocation(platform: Platform) async throws {
        let (store, connector, _) = try await Self.connect(platform)
        let skus = try await Array(store.catalog().prefix(3).flatMap { $0.variants.map(\.sku) })
        let expected = try await store.stock(skus: skus).map { "\($0.sku)@\($0.locationID)=\($0.available)" }.sorted()
        let mapped = try await connector.stock(skus: skus).map { "\($0.sku)@\($0.locationID)=\($0.available)" }.sorted()
        #expect(mapped == expected)
    }

    @Test(arguments: Platform.allCases)
    func storeFailuresKeepTheirMeaning(platform: Platform) async throws {
        let cases: [(POSFlow, POSError)] = [
            (.stock, .unavailable), (.stock, .timeout), (.locations, .rateLimited(retryAfterSeconds: 2)),
            (.getOrder, .notFound("order 1")),
        ]
        for (flow, error) in cases {
            let (store, connector, _) = try await Self.connect(platform)
            _ = try await connector.catalog()
            await store.inject(StoreSimulator.Fault(flow: flow, error: error, times: 1))
            do {
                switch flow {
                case .stock: _ = try await connector.stock(skus: ["NK-AM90-BLK-10"])
                case .locations: _ = try await connector.locations()
                default: _ = try await connector.order(number: "7790")
                }
                Issue.record("\(platform) \(flow): no error")
            } catch let mapped as POSError {
                switch (error, mapped) {
                case (.unavailable, .unavailable), (.timeout, .timeout), (.notFound, .notFound): break
                case (.rateLimited, .rateLimited(let after)): #expect(after == 2, "\(platform): Retry-After")
                default: Issue.record("\(platform) \(flow): \(error) came back as \(mapped)")
                }
            }
        }
    }

    @Test(arguments: Platform.allCases)
    func aWrongCredentialIsRefusedAndNeverEchoed(platform: Platform) async throws {
        let store = try Fixtures.store()
        let front: any PlatformFront =
            switch platform {
            case .square: SquareFront(store: store, accessToken: "right-token")
            case .shopify: ShopifyFront(store: store, accessToken: "right-token")
            case .clover: CloverFront(store: store, accessToken: "right-token")
            case .lightspeed:
                LightspeedFront(store: store, accountID: "1", clientID: "client", clientSecret: "right-token", refreshToken: "refresh")
            }
        let wrong = "wrong-secret-\(platform.rawValue)-9f2c"
        let settings = ConnectorSettings(
            platform: platform,
            values: [
                "url": "http://127.0.0.1:9", "ecommerce_url": "http://127.0.0.1:9", "token_url": "http://127.0.0.1:9/auth/oauth/token",
                "access_token": wrong, "account_id": "1", "client_id": "client", "client_secret": wrong, "refresh_token": wrong,
                "merchant_ids": "downtown",
            ])
        let connector = try settings.connector(transport: FrontTransport(front: front))
        do {
            _ = try await connector.locations()
            Issue.record("\(platform): a wrong credential was accepted")
        } catch {
            #expect(error as? POSError == .unavailable, "\(platform): \(error)")
            #expect(!"\(error)".contains(wrong))
            #expect(!String(reflecting: error).contains(wrong))
        }
    }

    @Test func missingSettingsAreNamedNeverShown() throws {
        let environment = ["VOICEPOS_LIGHTSPEED_CLIENT_SECRET": "s3cr3t-value", "VOICEPOS_LIGHTSPEED_ACCOUNT_ID": "12"]
        let settings = try ConnectorSettings.load(platform: .lightspeed, environment: environment)
        #expect(throws: ConnectorSetupError.self) { try settings.connector() }
        do {
            _ = try settings.connector()
        } catch {
            let text = "\(error)"
            #expect(text.contains("VOICEPOS_LIGHTSPEED_CLIENT_ID"))
            #expect(text.contains("VOICEPOS_LIGHTSPEED_REFRESH_TOKEN"))
            #expect(!text.contains("s3cr3t-value"))
        }
        #expect("\(Secret("s3cr3t-value"))" == "•••")
        #expect(String(reflecting: Secret("s3cr3t-value")) == "•••")
    }

    @Test func aPlainHTTPAddressForARealStoreIsRefused() throws {
        let settings = ConnectorSettings(platform: .square, values: ["access_token": "t", "url": "http://connect.squareup.com"])
        #expect(throws: ConnectorSetupError.self) { try settings.connector() }
    }

    /// One runner per platform, so understanding of the demo catalog is built once for each.
    private static let inProcessRunners = Result {
        let intents = try Fixtures.intents()
        return Dictionary(uniqueKeysWithValues: Platform.allCases.map { ($0, DialogueRunner(intents: intents, via: $0, inProcess: true)) })
    }

    /// Every dialogue through every connector, the front answering in process: the connector's requests, the front's
    /// payloads and the mapping back are all real; only the socket is skipped (`theSuiteRunsOverRealHTTP` keeps one).
    @Test(arguments: Fixtures.dialogueFiles(), Platform.allCases)
    func theDialoguePassesThroughTheConnector(file: String, platform: Platform) async throws {
        let runner = try #require(try Self.inProcessRunners.get()[platform])
        let result = await runner.run(file: Fixtures.root.appendingPathComponent("Dialogues").appendingPathComponent(file))
        #expect(result.error == nil, "\(result.error ?? "")")
        for failure in result.failures { Issue.record("\(file):\(failure.line) \(failure)") }
    }

    /// Skips are only for what the platform cannot do (card payments, store credit); every platform still runs a broad
    /// suite. A floor rather than a share, so adding conversations about charging a card never costs the connectors the
    /// ones they can run.
    @Test(arguments: Platform.allCases)
    func everyPlatformRunsABroadSuite(platform: Platform) async throws {
        let (_, connector, _) = try await Self.connect(platform)
        let folder = Fixtures.root.appendingPathComponent("Dialogues")
        let runnable = try Fixtures.dialogueFiles().filter { file in
            let dialogue = try DialogueParser().parse(contentsOf: folder.appendingPathComponent(file))
            return dialogue.needs.allSatisfy { $0.isMet(by: connector.capabilities) }
        }
        #expect(runnable.count >= 160, "\(platform) runs only \(runnable.count)")
    }

    /// A few conversations through each connector over real HTTP on 127.0.0.1, as `voicepos replay --pos NAME` runs
    /// them: headers, status codes and bodies cross a socket.
    @Test(arguments: Platform.allCases)
    func theSuiteRunsOverRealHTTP(platform: Platform) async throws {
        let runner = DialogueRunner(intents: try Fixtures.intents(), via: platform)
        let files = ["reference-availability.yaml", "reference-order.yaml", "reference-status.yaml", "reference-return.yaml"]
        for file in files {
            let result = await runner.run(file: Fixtures.root.appendingPathComponent("Dialogues").appendingPathComponent(file))
            #expect(result.error == nil, "\(platform) \(file): \(result.error ?? "")")
            for failure in result.failures { Issue.record("\(platform) \(file):\(failure.line) \(failure)") }
            #expect(result.turns > 0)
        }
    }
}
