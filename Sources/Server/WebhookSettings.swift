import Connectors

extension WebhookVerifier {
    /// The verifiers the environment configures, one per platform whose webhooks this store receives:
    ///
    /// - `VOICEPOS_SHOPIFY_WEBHOOK_SECRET` — the app's client secret;
    /// - `VOICEPOS_SQUARE_WEBHOOK_SIGNATURE_KEY` with `VOICEPOS_SQUARE_WEBHOOK_URL`, the URL exactly as registered;
    /// - `VOICEPOS_CLOVER_WEBHOOK_AUTH_CODE` — set but empty while Clover's setup POST is awaited.
    public static func configured(in environment: [String: String]) -> [WebhookVerifier] {
        var verifiers: [WebhookVerifier] = []
        if let secret = environment["VOICEPOS_SHOPIFY_WEBHOOK_SECRET"], !secret.isEmpty {
            verifiers.append(.shopify(clientSecret: secret))
        }
        if let key = environment["VOICEPOS_SQUARE_WEBHOOK_SIGNATURE_KEY"], !key.isEmpty, let url = environment["VOICEPOS_SQUARE_WEBHOOK_URL"] {
            verifiers.append(.square(signatureKey: key, notificationURL: url))
        }
        if let code = environment["VOICEPOS_CLOVER_WEBHOOK_AUTH_CODE"] {
            verifiers.append(.clover(authCode: code))
        }
        return verifiers
    }
}
