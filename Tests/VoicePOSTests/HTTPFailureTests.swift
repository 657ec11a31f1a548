import Connectors
import Foundation
import RetailModel
import Testing

/// Platform HTTP responses read for failure: status, rate-limit signals and error bodies.
struct HTTPFailureTests {
    private func body(_ platform: String, _ file: String) throws -> Data {
        try Data(contentsOf: Fixtures.root.appendingPathComponent("Tests/POSFixtures/\(platform)/\(file)"))
    }

    @Test func shopify429CarriesItsRetryAfter() throws {
        let response = HTTPResponse(status: 429, headers: ["Retry-After": "2.0"], body: try body("shopify", "error_429_rest.json"))
        #expect(HTTPFailure.error(in: response, platform: .shopify) == .rateLimited(retryAfterSeconds: 2))
    }

    @Test func shopifyGraphQLThrottlingArrivesWithHTTP200() {
        let throttled = Data(#"{"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}]}"#.utf8)
        #expect(HTTPFailure.error(in: HTTPResponse(status: 200, body: throttled), platform: .shopify) == .rateLimited(retryAfterSeconds: nil))
        let fine = Data(#"{"data": {"product": {"id": "gid://shopify/Product/1", "title": "Aera"}}}"#.utf8)
        #expect(HTTPFailure.error(in: HTTPResponse(status: 200, body: fine), platform: .shopify) == nil)
    }

    @Test func squareDeclinesKeepTheirReasonWhateverTheStatus() throws {
        let response = HTTPResponse(status: 402, body: try body("square", "error_insufficient_funds.json"))
        #expect(HTTPFailure.error(in: response, platform: .square) == .paymentDeclined(.insufficientFunds))
    }

    @Test func lightspeedBucketTellsHowLongToWait() throws {
        let response = HTTPResponse(status: 429, headers: ["X-LS-API-Bucket-Level": "85/90", "X-LS-API-Drip-Rate": "1"])
        #expect(HTTPFailure.error(in: response, platform: .lightspeed) == .rateLimited(retryAfterSeconds: 5))
        let unauthorized = HTTPResponse(status: 401, body: try body("lightspeed", "error_401_unauthorized.json"))
        #expect(HTTPFailure.error(in: unauthorized, platform: .lightspeed) == .unavailable)
    }

    @Test(arguments: [(500, POSError.unavailable), (504, .timeout), (404, .notFound("HTTP 404")), (200, nil)])
    func statusesWithoutBodies(status: Int, expected: POSError?) {
        #expect(HTTPFailure.error(in: HTTPResponse(status: status), platform: .clover) == expected)
    }
}
