import Foundation
import Logging
import PlatformFronts
import RetailModel
import Testing

@testable import Connectors

/// A connector's request log, at its most detailed (trace: bodies too), never holds a credential, a card token,
/// a phone number, an e-mail address or a customer's name.
struct LoggedTransportTests {
    /// Log lines kept in memory.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.withLock { lines.append(line) } }
        var all: String { lock.withLock { lines.joined(separator: "\n") } }
    }

    struct Capture: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(
            level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt
        ) {
            let fields = (metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            lines.add("\(level) \(message) \(fields)")
        }
    }

    @Test func aCallersWholeOrderLeavesNoSecretInTheLog() async throws {
        let store = try Fixtures.store()
        let token = "loopback-token-never-logged-7c1"
        let lines = Lines()
        let logger = Logger(label: "test") { _ in Capture(lines: lines) }
        let transport = LoggedTransport(FrontTransport(front: SquareFront(store: store, accessToken: token)), logger: logger)
        let square = SquareConnector(baseURL: URL(string: "http://127.0.0.1:9")!, accessToken: Secret(token), transport: transport)

        let customer = try await square.customer(phone: "+15550100101")
        let card = try #require(customer.cardOnFile)
        let order = try await square.createOrder(
            OrderRequest(customerID: customer.id, lines: [LineItem(sku: "NK-AM90-BLK-10", quantity: 1)], fulfillment: .pickup, locationID: "downtown")
        )
        _ = try await square.takePayment(orderNumber: order.number, card: card, amount: order.total, idempotencyKey: "log-test-1")

        let log = lines.all
        #expect(log.contains("POST /v2/payments"))
        #expect(log.contains("status=200"))
        #expect(log.contains("pos request body"))
        for secret in [token, card.token, "5550100101", "maria.lopez@example.com", "Maria", "Lopez"] {
            #expect(!log.contains(secret), "the log holds \(secret)")
        }
    }

    /// A POS that echoes a credential, a card or an e-mail in an error's text: the error as logged or printed, and the
    /// body as traced, show none of them, whatever key (or none) they came under.
    @Test(arguments: Platform.allCases)
    func anErrorEchoingSecretsIsScrubbedBeforeItIsShown(platform: Platform) throws {
        let echoed = [
            "Invalid access token EAAAl9x2Qd7Hc0ffee1234abcd for merchant",
            "card 4111 1111 1111 1111 was refused; contact ana.garcia@example.com",
            "bad request: password=hunter2 api_key: sk_live_51HxYz",
            "Authorization: Bearer shpat_0123456789abcdef rejected",
        ]
        for detail in echoed {
            let body: String =
                switch platform {
                case .square: #"{"errors": [{"category": "INVALID_REQUEST_ERROR", "code": "BAD_REQUEST", "detail": "\#(detail)"}]}"#
                case .shopify: #"{"errors": "\#(detail)"}"#
                case .clover: #"{"message": "\#(detail)"}"#
                case .lightspeed: #"{"message": "\#(detail)", "error": "\#(detail)"}"#
                }
            let response = HTTPResponse(status: 400, body: Data(body.utf8))
            let error = try #require(HTTPFailure.error(in: response, platform: platform))
            let shown = "\(error) \(String(reflecting: error)) \(LoggedTransport.redacted(response.body))"
            for secret in [
                "EAAAl9x2Qd7Hc0ffee1234abcd", "4111 1111 1111 1111", "ana.garcia@example.com", "hunter2", "sk_live_51HxYz", "shpat_0123456789abcdef",
            ] {
                #expect(!shown.contains(secret), "\(platform): \(shown)")
            }
        }
        #expect(POSError.scrub("The card was declined: insufficient funds") == "The card was declined: insufficient funds")
        #expect(POSError.scrub("order 7829 not found") == "order 7829 not found")
    }
}
