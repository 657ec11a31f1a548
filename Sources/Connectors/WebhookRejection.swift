/// Why a webhook request was turned away before its body was read.
///
/// The description names the platform and the header, never the secret, the expected signature or the value
/// that was sent, so it is safe to log and to answer with.
public struct WebhookRejection: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Reason: Sendable, Hashable {
        case missingSignature, badSignature, notConfigured, unsupported
    }

    /// The platform the request claimed to come from.
    public let platform: Platform
    private let reason: Reason

    private init(_ platform: Platform, _ reason: Reason) {
        self.platform = platform
        self.reason = reason
    }

    /// The signature (or Clover auth code) header is absent or blank.
    public static func missingSignature(_ platform: Platform) -> Self { Self(platform, .missingSignature) }

    /// The signature does not match the body (and, for Square, the notification URL), or the auth code is wrong.
    public static func badSignature(_ platform: Platform) -> Self { Self(platform, .badSignature) }

    /// No secret is configured on our side, so nothing can be trusted.
    public static func notConfigured(_ platform: Platform) -> Self { Self(platform, .notConfigured) }

    /// The platform sends no webhooks (Lightspeed R-Series): poll for changes instead.
    public static func unsupported(_ platform: Platform) -> Self { Self(platform, .unsupported) }

    /// The HTTP status to answer with: 401 for a missing or wrong signature, 404 where the platform sends no
    /// webhooks, 500 when our own configuration is missing (the platform retries, which is what we want).
    public var status: Int {
        switch reason {
        case .missingSignature, .badSignature: 401
        case .unsupported: 404
        case .notConfigured: 500
        }
    }

    public var description: String {
        let header = WebhookVerifier.signatureHeader(for: platform) ?? "signature"
        return switch reason {
        case .missingSignature: "\(platform.rawValue) webhook rejected: no \(header) header"
        case .badSignature:
            switch platform {
            case .clover: "clover webhook rejected: \(header) is not the app's auth code"
            case .square: "square webhook rejected: \(header) does not match the notification URL and body"
            default: "\(platform.rawValue) webhook rejected: \(header) does not match the body"
            }
        case .notConfigured: "\(platform.rawValue) webhook rejected: no webhook secret is configured"
        case .unsupported: "\(platform.rawValue) sends no webhooks VoicePOS can verify; poll for changes instead"
        }
    }
}
