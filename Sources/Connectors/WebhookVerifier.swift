import Foundation
import RetailModel

/// Checks that a webhook request comes from the platform, over the raw body bytes, and reads the store changes
/// it announces.
///
/// Shopify signs the body with HMAC-SHA256; Square signs the notification URL followed by the body; Clover sends
/// a static auth code in `X-Clover-Auth`; Lightspeed R-Series has no webhooks, so its verifier rejects every
/// request. Pass the body exactly as received: re-serialised JSON does not match a signature. Header names are
/// matched without regard to case. The verifier's description and mirror never show the secret.
public struct WebhookVerifier: Sendable {
    /// The platform whose requests this verifier accepts.
    public let platform: Platform
    private let secret: [UInt8]
    /// Square signs the URL it posts to, which must be byte-identical to the one registered.
    private let notificationURL: String

    private init(platform: Platform, secret: String, notificationURL: String = "") {
        self.platform = platform
        self.secret = Array(secret.utf8)
        self.notificationURL = notificationURL
    }

    /// Shopify: `X-Shopify-Hmac-Sha256` is base64(HMAC-SHA256(client secret, body)).
    ///
    /// - Parameter clientSecret: the app's client secret (its API secret key).
    public static func shopify(clientSecret: String) -> WebhookVerifier {
        WebhookVerifier(platform: .shopify, secret: clientSecret)
    }

    /// Square: `x-square-hmacsha256-signature` is base64(HMAC-SHA256(signature key, notification URL + body)).
    ///
    /// - Parameters:
    ///   - signatureKey: the subscription's signature key.
    ///   - notificationURL: the URL exactly as registered with Square; a proxy that rewrites scheme, host or path
    ///     makes every signature fail.
    public static func square(signatureKey: String, notificationURL: String) -> WebhookVerifier {
        WebhookVerifier(platform: .square, secret: signatureKey, notificationURL: notificationURL)
    }

    /// Clover: `X-Clover-Auth` equals the auth code the dashboard shows once. Clover does not sign the body, so
    /// treat its events as hints and re-fetch.
    ///
    /// - Parameter authCode: the code; empty while the webhook URL is being verified, when only the verification
    ///   POST is accepted (and once a code is set, no unauthenticated verification POST is).
    public static func clover(authCode: String) -> WebhookVerifier {
        WebhookVerifier(platform: .clover, secret: authCode)
    }

    /// Lightspeed R-Series sends no webhooks: every request is rejected as `unsupported`; poll for changes.
    public static var lightspeed: WebhookVerifier { WebhookVerifier(platform: .lightspeed, secret: "") }

    /// Checks the signature (or auth code) of a request without reading its body as JSON.
    ///
    /// - Parameters:
    ///   - body: the raw request body, as received.
    ///   - headers: the request headers; names in any case.
    /// - Throws: `WebhookRejection` when the request cannot be trusted or the platform has no webhooks.
    public func verify(body: Data, headers: [String: String]) throws(WebhookRejection) {
        guard let header = Self.signatureHeader(for: platform) else { throw .unsupported(platform) }
        guard !secret.isEmpty, platform != .square || !notificationURL.isEmpty else { throw .notConfigured(platform) }
        guard let sent = Self.header(header, in: headers), !sent.isEmpty else { throw .missingSignature(platform) }
        switch platform {
        case .clover:
            guard constantTimeEqual(Array(sent.utf8), secret) else { throw .badSignature(platform) }
        case .shopify, .square:
            var mac = HMACSHA256(key: secret)
            if platform == .square { mac.update(notificationURL.utf8) }
            mac.update(body)
            guard let signature = Data(base64Encoded: sent), constantTimeEqual(Array(signature), mac.finalize()) else {
                throw .badSignature(platform)
            }
        case .lightspeed:
            throw .unsupported(platform)
        }
    }

    /// Verifies a request, then reads it into the changes a cache should drop.
    ///
    /// Square and Clover bodies go through their payload mappers; a Shopify body is the REST resource itself,
    /// at top level, and its kind comes from `X-Shopify-Topic`. Clover's verification POST
    /// (`{"verificationCode": …}`) comes before any auth code exists, so it is recognised without one; it
    /// yields the code and no changes.
    ///
    /// - Parameters:
    ///   - body: the raw request body, as received.
    ///   - headers: the request headers; names in any case.
    /// - Throws: `WebhookRejection` when the request cannot be trusted; `MappingError` when a verified body
    ///   cannot be read (or Shopify's topic header is missing).
    public func receive(body: Data, headers: [String: String]) throws -> WebhookDelivery {
        // Only while no auth code is configured: afterwards an unauthenticated "verification" is someone else's.
        if platform == .clover, secret.isEmpty, Self.header("X-Clover-Auth", in: headers) == nil, let code = Self.cloverVerificationCode(in: body) {
            return WebhookDelivery(platform: .clover, event: "verification", deliveryID: nil, changes: [], verificationCode: code)
        }
        try verify(body: body, headers: headers)
        switch platform {
        case .shopify:
            return try StoreChange.shopify(
                topic: Self.header("X-Shopify-Topic", in: headers), webhookID: Self.header("X-Shopify-Webhook-Id", in: headers), body: body)
        case .square: return try StoreChange.square(body: body)
        case .clover: return try StoreChange.clover(body: body)
        case .lightspeed: throw WebhookRejection.unsupported(platform)
        }
    }

    /// The header carrying the signature or auth code; nil for a platform without webhooks.
    static func signatureHeader(for platform: Platform) -> String? {
        switch platform {
        case .shopify: "X-Shopify-Hmac-Sha256"
        case .square: "x-square-hmacsha256-signature"
        case .clover: "X-Clover-Auth"
        case .lightspeed: nil
        }
    }

    /// A header's value, trimmed, whatever the case of its name.
    static func header(_ name: String, in headers: [String: String]) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.key.lowercased() == wanted }?.value.trimmingCharacters(in: .whitespaces)
    }

    /// The code in Clover's setup POST: a tiny body with `verificationCode` as its only key. It arrives
    /// unauthenticated, so nothing larger is parsed.
    private static func cloverVerificationCode(in body: Data) -> String? {
        guard body.count <= 512, let payload = try? JSONPayload.parse(body, platform: .clover), payload.objectValue?.count == 1,
            case .webhook(let event)? = try? payloadMapper(for: .clover).decode(payload, as: .webhook), event.type == "verification"
        else { return nil }
        return event.objectIDs.first
    }
}

extension WebhookVerifier: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "WebhookVerifier(\(platform.rawValue), secret redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["platform": platform], displayStyle: .struct) }
}

/// A verified webhook request, read.
public struct WebhookDelivery: Sendable, Hashable {
    /// The platform that sent it.
    public var platform: Platform
    /// The platform's name for the event: Shopify's topic (`orders/updated`), Square's type
    /// (`inventory.count.updated`), Clover's `update` or `verification`.
    public var event: String
    /// The platform's id for this delivery (Square `event_id`, Shopify `X-Shopify-Webhook-Id`), to drop the
    /// retries of one that was already handled; nil when there is none (Clover).
    public var deliveryID: String?
    /// What a cache should drop, in payload order without repeats; empty for events VoicePOS keeps nothing of.
    public var changes: [StoreChange]
    /// Clover's setup POST: the code to paste into the app's webhook settings. Nothing changed.
    public var verificationCode: String?

    public init(platform: Platform, event: String, deliveryID: String?, changes: [StoreChange], verificationCode: String? = nil) {
        self.platform = platform
        self.event = event
        self.deliveryID = deliveryID
        self.changes = changes
        self.verificationCode = verificationCode
    }
}
