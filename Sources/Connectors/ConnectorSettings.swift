import Foundation
import Logging
import RetailModel

/// Where a connector finds its store and its credentials: environment variables, or a JSON file of the same
/// settings (environment wins). Never from command-line arguments; no value is ever printed.
///
/// Settings per platform (environment names are `VOICEPOS_<PLATFORM>_<SETTING>`, upper-cased):
/// - shopify: `url` (https://SHOP.myshopify.com), `access_token`
/// - square: `access_token`, `url` (default https://connect.squareup.com)
/// - lightspeed: `account_id`, `client_id`, `client_secret`, `refresh_token`, `url` (default
///   https://api.lightspeedapp.com), `token_url` (default https://cloud.lightspeedapp.com/auth/oauth/token)
/// - clover: `merchant_ids` (comma-separated; one merchant per store), `access_token`, `url` (default
///   https://api.clover.com), `ecommerce_url` (default https://scl.clover.com)
/// - every platform: `currency` (default USD)
public struct ConnectorSettings: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The platform these settings are for.
    public let platform: Platform
    private let values: [String: String]

    /// The platform and the names of the settings given, never their values.
    public var description: String { "\(platform.rawValue) settings: \(values.keys.sorted().joined(separator: ", "))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["platform": platform, "settings": values.keys.sorted()]) }

    /// Settings given directly (tests, loopback replays).
    public init(platform: Platform, values: [String: String]) {
        self.platform = platform
        self.values = values
    }

    /// Reads the platform's settings from a JSON file (optional) and the environment.
    ///
    /// - Throws: `ConnectorSetupError` naming the file when it cannot be read (never its contents).
    public static func load(
        platform: Platform, file: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ConnectorSettings {
        var values: [String: String] = [:]
        if let file {
            guard let data = try? Data(contentsOf: file) else { throw ConnectorSetupError("\(file.path): cannot be read") }
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ConnectorSetupError("\(file.path): expected a JSON object of settings such as {\"access_token\": \"…\"}")
            }
            // A file may hold several platforms' settings under their names, or one platform's at the top level.
            let settings = object[platform.rawValue] as? [String: Any] ?? object
            for (key, value) in settings {
                if let text = value as? String { values[key] = text } else if let number = value as? NSNumber { values[key] = number.stringValue }
            }
        }
        let prefix = "VOICEPOS_\(platform.rawValue.uppercased())_"
        for (name, value) in environment where name.hasPrefix(prefix) && !value.isEmpty {
            values[String(name.dropFirst(prefix.count)).lowercased()] = value
        }
        return ConnectorSettings(platform: platform, values: values)
    }

    /// The connector these settings describe.
    ///
    /// - Throws: `ConnectorSetupError` listing every missing setting by its environment variable name.
    public func connector(
        profile: StoreProfile = StoreProfile(), transport: any HTTPTransport = URLSessionTransport()
    ) throws
        -> any PointOfSale
    {
        let currency = values["currency"] ?? "USD"
        let transport = LoggedTransport(transport, logger: Logger(label: "voicepos.connector.\(platform.rawValue)"))
        switch platform {
        case .square:
            let (url, token) = (try url("url", default: "https://connect.squareup.com"), try secret("access_token"))
            return SquareConnector(baseURL: url, accessToken: token, currency: currency, profile: profile, transport: transport)
        case .shopify:
            try required(["url", "access_token"])
            return ShopifyConnector(
                baseURL: try url("url"), accessToken: try secret("access_token"), currency: currency, profile: profile, transport: transport)
        case .lightspeed:
            try required(["account_id", "client_id", "client_secret", "refresh_token"])
            return LightspeedConnector(
                baseURL: try url("url", default: "https://api.lightspeedapp.com"),
                tokenURL: try url("token_url", default: "https://cloud.lightspeedapp.com/auth/oauth/token"), accountID: try text("account_id"),
                clientID: try text("client_id"), clientSecret: try secret("client_secret"), refreshToken: try secret("refresh_token"),
                currency: currency, profile: profile, transport: transport)
        case .clover:
            try required(["merchant_ids", "access_token"])
            let merchants = (values["merchant_ids"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            return CloverConnector(
                baseURL: try url("url", default: "https://api.clover.com"), ecommerceURL: try url("ecommerce_url", default: "https://scl.clover.com"),
                merchantIDs: merchants, accessToken: try secret("access_token"), currency: currency, profile: profile, transport: transport)
        }
    }

    private func required(_ keys: [String]) throws {
        let missing = keys.filter { (values[$0] ?? "").isEmpty }
        guard missing.isEmpty else {
            let names = missing.map { "VOICEPOS_\(platform.rawValue.uppercased())_\($0.uppercased())" }
            throw ConnectorSetupError(
                "\(platform.rawValue) needs \(names.joined(separator: ", ")) (environment, or the same keys in lower case in --pos-config FILE)")
        }
    }

    private func secret(_ key: String) throws -> Secret {
        try required([key])
        return Secret(values[key]!)
    }

    private func text(_ key: String) throws -> String {
        try required([key])
        return values[key]!
    }

    private func url(_ key: String, default fallback: String? = nil) throws -> URL {
        if values[key] == nil, fallback == nil { try required([key]) }
        let text = values[key] ?? fallback!
        guard let url = URL(string: text), url.scheme == "https" || url.host == "127.0.0.1" || url.host == "localhost" else {
            throw ConnectorSetupError("VOICEPOS_\(platform.rawValue.uppercased())_\(key.uppercased()) must be an https:// URL")
        }
        return url
    }
}
