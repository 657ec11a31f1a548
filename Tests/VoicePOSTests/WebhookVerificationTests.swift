import Foundation
import RetailModel
import Testing

@testable import Connectors

/// Webhook requests: signatures checked over the raw bytes (Square's published vector, RFC 4231 for the HMAC
/// itself), and the store changes a verified body announces (`Tests/POSFixtures`, unmodified).
struct WebhookVerificationTests {
    /// Square's published vector (`square/square-python-sdk` `tests/integration/test_webhooks_helper.py`, see
    /// `Tests/POSFixtures/SOURCES.md`): a test key, not a credential.
    private static let squareKey = "Ibxx_5AKakO-3qeNVR61Dw"
    private static let squareURL = "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9"
    private static let squareSignature = "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4="
    private static let shopifySecret = "shpss_test_only_not_a_real_secret"
    private static let cloverAuthCode = "clover-test-auth-code-7d1f"
    private static let shopifyWebhookID = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"

    private static func fixture(_ path: String) throws -> Data {
        try Data(contentsOf: Fixtures.root.appendingPathComponent("Tests/POSFixtures").appendingPathComponent(path))
    }

    /// The resource inside a one-key REST response (`{"order": {…}}` → `{…}`), cut out of the published bytes:
    /// a Shopify webhook sends the resource itself, and cutting keeps its bytes as published.
    private static func resource(_ path: String, key: String) throws -> Data {
        let text = String(decoding: try fixture(path), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let label = try #require(text.range(of: "\"\(key)\":"))
        return Data(text[label.upperBound..<text.index(before: text.endIndex)].trimmingCharacters(in: .whitespacesAndNewlines).utf8)
    }

    private static func base64MAC(_ message: [UInt8], key: String) -> String {
        Data(HMACSHA256.authenticationCode(for: message, key: Array(key.utf8))).base64EncodedString()
    }

    private static func shopifyHeaders(_ body: Data, topic: String, secret: String = shopifySecret) -> [String: String] {
        ["X-Shopify-Hmac-Sha256": base64MAC(Array(body), key: secret), "X-Shopify-Topic": topic, "X-Shopify-Webhook-Id": shopifyWebhookID]
    }

    /// Square's spec examples are not signed deliveries; they are signed here with the test key.
    private static func squareHeaders(_ body: Data) -> [String: String] {
        ["x-square-hmacsha256-signature": base64MAC(Array(squareURL.utf8) + Array(body), key: squareKey)]
    }

    private static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }

    // MARK: The hash and the MAC

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesTheFIPSExamples(message: String, digest: String) {
        #expect(SHA256.hash(message.utf8) == Self.bytes(hex: digest))
    }

    @Test func aHashFedInPiecesEqualsTheHashInOneGo() {
        let message = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var hasher = SHA256()
        var start = 0
        var size = 1
        while start < message.count {
            let end = min(message.count, start + size)
            hasher.update(message[start..<end])
            start = end
            size += 13
        }
        #expect(hasher.finalize() == SHA256.hash(message))
    }

    /// RFC 4231 test cases 1, 2, 4 and 6; case 6's 131-byte key is longer than a block, so it is hashed first.
    static let rfc4231: [(Int, [UInt8], [UInt8], String)] = [
        (1, [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (2, Array("Jefe".utf8), Array("what do ya want for nothing?".utf8), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (4, Array(UInt8(1)...UInt8(25)), [UInt8](repeating: 0xcd, count: 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        (
            6, [UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
    ]

    @Test(arguments: rfc4231)
    func hmacMatchesRFC4231(testCase: Int, key: [UInt8], data: [UInt8], mac: String) {
        #expect(HMACSHA256.authenticationCode(for: data, key: key) == Self.bytes(hex: mac), "RFC 4231 case \(testCase)")
    }

    @Test func byteStringsAreEqualOnlyWithEveryByteAndTheSameLength() {
        #expect(constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(constantTimeEqual([], []))
        #expect(!constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!constantTimeEqual([9, 2, 3], [1, 2, 3]))
        #expect(!constantTimeEqual([1, 2], [1, 2, 0]))
        #expect(!constantTimeEqual([], [0]))
    }

    // MARK: Square

    @Test(arguments: ["x-square-hmacsha256-signature", "X-Square-HmacSha256-Signature", "X-SQUARE-HMACSHA256-SIGNATURE"])
    func squaresPublishedSignatureVerifies(header: String) throws {
        let body = try Self.fixture("square/webhook_test_notification.signed-body.json")
        let verifier = WebhookVerifier.square(signatureKey: Self.squareKey, notificationURL: Self.squareURL)
        let delivery = try verifier.receive(body: body, headers: [header: Self.squareSignature, "Content-Type": "application/json"])
        #expect(
            delivery
                == WebhookDelivery(
                    platform: .square, event: "webhooks.test_notification", deliveryID: "ac3ac95b-f97d-458c-a6e6-18981597e05f", changes: []))
    }

    @Test func tamperedSquareRequestsAreRejected() throws {
        let body = try Self.fixture("square/webhook_test_notification.signed-body.json")
        var oneByteChanged = body
        oneByteChanged[oneByteChanged.startIndex + 20] ^= 0x20  // "MLEFBHHSJGVHD" → "MLEFbHHSJGVHD"
        let reencoded = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: body), options: [.sortedKeys])
        #expect(reencoded != body)
        let signed = ["x-square-hmacsha256-signature": Self.squareSignature]
        let verifier = WebhookVerifier.square(signatureKey: Self.squareKey, notificationURL: Self.squareURL)
        let attempts: [(String, WebhookVerifier, Data, [String: String], WebhookRejection)] = [
            ("one byte of the body changed", verifier, oneByteChanged, signed, .badSignature(.square)),
            ("the same JSON re-encoded", verifier, reencoded, signed, .badSignature(.square)),
            ("another URL", .square(signatureKey: Self.squareKey, notificationURL: Self.squareURL + "/"), body, signed, .badSignature(.square)),
            (
                "http instead of https", .square(signatureKey: Self.squareKey, notificationURL: "http" + Self.squareURL.dropFirst(5)), body, signed,
                .badSignature(.square)
            ),
            ("a wrong key", .square(signatureKey: "Ibxx_5AKakO-3qeNVR61Dx", notificationURL: Self.squareURL), body, signed, .badSignature(.square)),
            ("a signature that is not base64", verifier, body, ["x-square-hmacsha256-signature": "not base64!"], .badSignature(.square)),
            ("no signature header", verifier, body, ["Content-Type": "application/json"], .missingSignature(.square)),
            ("a blank signature header", verifier, body, ["x-square-hmacsha256-signature": " "], .missingSignature(.square)),
            ("only the legacy SHA-1 header", verifier, body, ["x-square-signature": Self.squareSignature], .missingSignature(.square)),
            ("no key configured", .square(signatureKey: "", notificationURL: Self.squareURL), body, signed, .notConfigured(.square)),
        ]
        for (attempt, verifier, body, headers, rejection) in attempts {
            #expect(throws: rejection, "\(attempt)") { try verifier.receive(body: body, headers: headers) }
        }
    }

    @Test func squareStockAndFulfillmentEventsNameTheirVariationLocationAndOrder() throws {
        let verifier = WebhookVerifier.square(signatureKey: Self.squareKey, notificationURL: Self.squareURL)
        let stockBody = try Self.fixture("square/webhook_InventoryCountUpdatedEvent.json")
        let stock = try verifier.receive(body: stockBody, headers: Self.squareHeaders(stockBody))
        #expect(
            stock
                == WebhookDelivery(
                    platform: .square, event: "inventory.count.updated", deliveryID: "df5f3813-a913-45a1-94e9-fdc3f7d5e3b6",
                    changes: [.stock(sku: "FGQ5JJWT2PYTHF35CKZ2DSKP", locationID: "YYQR03DGCTXA4")]))
        let orderBody = try Self.fixture("square/webhook_OrderFulfillmentUpdatedEvent.json")
        let order = try verifier.receive(body: orderBody, headers: Self.squareHeaders(orderBody))
        #expect(
            order
                == WebhookDelivery(
                    platform: .square, event: "order.fulfillment.updated", deliveryID: "b3adf364-4937-436e-a833-49c72b4baee8",
                    changes: [.order(id: "eA3vssLHKJrv9H0IdJCM3gNqfdcZY")]))
    }

    // MARK: Shopify

    @Test func aShopifyOrderBodyVerifiesAndNamesTheOrderByIDAndNumber() throws {
        let body = try Self.resource("shopify/order.rest.json", key: "order")
        let delivery = try WebhookVerifier.shopify(clientSecret: Self.shopifySecret)
            .receive(body: body, headers: Self.shopifyHeaders(body, topic: "orders/updated"))
        #expect(
            delivery
                == WebhookDelivery(
                    platform: .shopify, event: "orders/updated", deliveryID: Self.shopifyWebhookID,
                    changes: [.order(id: "450789469"), .order(id: "1001")]))
    }

    /// The first level of `shopify/inventory_levels.rest.json` as a webhook sends it; the signature was computed
    /// apart from this code (Python's `hmac`) over exactly these bytes.
    @Test func aShopifyInventoryLevelIsOneStockChangeWithHeadersInAnyCase() throws {
        let body = Data(#"{"inventory_item_id":39072856,"location_id":487838322,"available":27,"updated_at":"2018-05-07T15:33:38-04:00"}"#.utf8)
        let headers = ["x-shopify-hmac-sha256": "7Fh2fpTeH/1Da7d2VdsRzHdH3OUkzJaYJHh3mqUw7D4=", "X-SHOPIFY-TOPIC": "inventory_levels/update"]
        let delivery = try WebhookVerifier.shopify(clientSecret: Self.shopifySecret).receive(body: body, headers: headers)
        #expect(
            delivery
                == WebhookDelivery(
                    platform: .shopify, event: "inventory_levels/update", deliveryID: nil,
                    changes: [.stock(sku: "inventory_item:39072856", locationID: "487838322")]))
    }

    @Test(arguments: [
        ("fulfillment.rest.json", "fulfillment", "fulfillments/update", StoreChange.order(id: "450789469")),
        ("refund.rest.json", "refund", "refunds/create", .order(id: "450789469")),
        ("product.rest.json", "product", "products/update", .catalog(id: "632910392")),
        ("customer.rest.json", "customer", "customers/update", .customer(id: "207119551")),
    ])
    func aShopifyResourceSaysWhatToDrop(file: String, key: String, topic: String, change: StoreChange) throws {
        let body = try Self.resource("shopify/\(file)", key: key)
        let delivery = try WebhookVerifier.shopify(clientSecret: Self.shopifySecret).receive(
            body: body, headers: Self.shopifyHeaders(body, topic: topic))
        #expect(delivery.changes == [change])
    }

    @Test func tamperedShopifyRequestsAreRejected() throws {
        let body = try Self.resource("shopify/order.rest.json", key: "order")
        let verifier = WebhookVerifier.shopify(clientSecret: Self.shopifySecret)
        var oneByteChanged = body
        let digit = try #require(oneByteChanged.firstIndex(of: UInt8(ascii: "9")))
        oneByteChanged[digit] = UInt8(ascii: "8")
        let signed = Self.shopifyHeaders(body, topic: "orders/updated")
        #expect(throws: WebhookRejection.badSignature(.shopify)) { try verifier.receive(body: oneByteChanged, headers: signed) }
        #expect(throws: WebhookRejection.badSignature(.shopify)) {
            try verifier.receive(body: body, headers: Self.shopifyHeaders(body, topic: "orders/updated", secret: "another app's secret"))
        }
        #expect(throws: WebhookRejection.missingSignature(.shopify)) {
            try verifier.receive(body: body, headers: ["X-Shopify-Topic": "orders/updated"])
        }
        #expect(throws: WebhookRejection.notConfigured(.shopify)) {
            try WebhookVerifier.shopify(clientSecret: "").receive(body: body, headers: signed)
        }
    }

    @Test func aVerifiedShopifyBodyNeedsItsTopicAndAnUnknownTopicChangesNothing() throws {
        let body = Data(#"{"id":548380009,"name":"John Smith Test Store"}"#.utf8)
        let verifier = WebhookVerifier.shopify(clientSecret: Self.shopifySecret)
        var untitled = Self.shopifyHeaders(body, topic: "")
        untitled["X-Shopify-Topic"] = nil
        #expect(throws: MappingError.self) { try verifier.receive(body: body, headers: untitled) }
        #expect(try verifier.receive(body: body, headers: Self.shopifyHeaders(body, topic: "shop/update")).changes == [])
    }

    // MARK: Clover

    @Test func cloverAcceptsOnlyTheExactAuthCode() throws {
        let body = Data(#"{"appId":"APP1","merchants":{"M1":[{"objectId":"O:ORDER1","type":"UPDATE","ts":1656626930000}]}}"#.utf8)
        let verifier = WebhookVerifier.clover(authCode: Self.cloverAuthCode)
        #expect(try verifier.receive(body: body, headers: ["x-clover-auth": Self.cloverAuthCode]).changes == [.order(id: "ORDER1")])
        for wrong in [Self.cloverAuthCode + "0", String(Self.cloverAuthCode.dropLast()), Self.cloverAuthCode.uppercased(), "other"] {
            #expect(throws: WebhookRejection.badSignature(.clover)) { try verifier.receive(body: body, headers: ["X-Clover-Auth": wrong]) }
        }
        #expect(throws: WebhookRejection.missingSignature(.clover)) { try verifier.receive(body: body, headers: [:]) }
    }

    /// The setup POST comes before the dashboard shows an auth code, so it is read without one; it changes nothing.
    /// Once an auth code is configured, an unauthenticated "verification" is refused: it could plant a code.
    @Test func cloversVerificationPostYieldsItsCodeOnlyDuringSetup() throws {
        let body = try Self.fixture("clover/webhook_verification_request.json")
        let expected = WebhookDelivery(
            platform: .clover, event: "verification", deliveryID: nil, changes: [], verificationCode: "ce7643c1-83ea-4218-abe6-da876c9c7a0a")
        #expect(try WebhookVerifier.clover(authCode: "").receive(body: body, headers: [:]) == expected)
        #expect(throws: WebhookRejection.missingSignature(.clover)) {
            try WebhookVerifier.clover(authCode: Self.cloverAuthCode).receive(body: body, headers: [:])
        }
        let update = Data(#"{"appId":"APP1","merchants":{"M1":[{"objectId":"I:ITEM1","type":"UPDATE","ts":1}]}}"#.utf8)
        #expect(throws: WebhookRejection.notConfigured(.clover)) { try WebhookVerifier.clover(authCode: "").receive(body: update, headers: [:]) }
        #expect(throws: WebhookRejection.missingSignature(.clover)) {
            try WebhookVerifier.clover(authCode: Self.cloverAuthCode).receive(body: update, headers: [:])
        }
    }

    /// Clover's documented message shape (no verbatim delivery was published): ids only, several merchants per POST.
    @Test func cloverUpdatesNameEachObjectAtItsMerchant() throws {
        let body = Data(
            #"""
            {"appId":"APP1","merchants":{
              "M2":[{"objectId":"P:PAY1","type":"CREATE","ts":1656626930001}],
              "M1":[{"objectId":"I:ITEM1","type":"UPDATE","ts":1656626930000},{"objectId":"IC:CAT1","type":"UPDATE","ts":1656626930000},
                    {"objectId":"C:CUST1","type":"DELETE","ts":1656626930000},{"objectId":"I:ITEM1","type":"UPDATE","ts":1656626930002}]}}
            """#.utf8)
        let delivery = try WebhookVerifier.clover(authCode: Self.cloverAuthCode).receive(body: body, headers: ["X-Clover-Auth": Self.cloverAuthCode])
        #expect(
            delivery
                == WebhookDelivery(
                    platform: .clover, event: "update", deliveryID: nil,
                    changes: [
                        .catalog(id: "ITEM1"), .stock(sku: "ITEM1", locationID: "M1"), .catalog(id: nil), .customer(id: "CUST1"),
                        .payment(id: "PAY1"),
                    ]))
    }

    // MARK: Lightspeed

    @Test func lightspeedHasNoWebhooksToTrust() {
        let body = Data("{}".utf8)
        #expect(throws: WebhookRejection.unsupported(.lightspeed)) { try WebhookVerifier.lightspeed.verify(body: body, headers: ["X-Anything": "x"]) }
        #expect(throws: WebhookRejection.unsupported(.lightspeed)) { try WebhookVerifier.lightspeed.receive(body: body, headers: [:]) }
        #expect(WebhookRejection.unsupported(.lightspeed).description.contains("poll"))
        #expect(WebhookRejection.unsupported(.lightspeed).status == 404)
    }

    // MARK: Secrets

    @Test func nothingPrintedShowsASecretOrASignature() throws {
        let body = try Self.fixture("square/webhook_test_notification.signed-body.json")
        let shopifyExpected = Self.base64MAC(Array(body), key: Self.shopifySecret)
        let verifiers: [WebhookVerifier] = [
            .shopify(clientSecret: Self.shopifySecret), .square(signatureKey: Self.squareKey, notificationURL: Self.squareURL),
            .clover(authCode: Self.cloverAuthCode), .lightspeed,
        ]
        let wrongHeaders = ["X-Shopify-Hmac-Sha256": "AAAA", "x-square-hmacsha256-signature": "AAAA", "X-Clover-Auth": "nope"]
        var printed: [String] = []
        for verifier in verifiers {
            var dumped = ""
            dump(verifier, to: &dumped)
            printed += [String(describing: verifier), String(reflecting: verifier), dumped]
            for headers in [[:], wrongHeaders] {
                do {
                    _ = try verifier.receive(body: body, headers: headers)
                    Issue.record("\(verifier) accepted \(headers)")
                } catch {
                    var dumpedError = ""
                    dump(error, to: &dumpedError)
                    printed += [String(describing: error), String(reflecting: error), error.localizedDescription, dumpedError]
                }
            }
        }
        for text in printed {
            for secret in [Self.shopifySecret, Self.squareKey, Self.cloverAuthCode, shopifyExpected, Self.squareSignature] {
                #expect(!text.contains(secret), "\(text)")
            }
        }
    }
}
