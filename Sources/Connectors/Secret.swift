/// A credential: printed, logged, interpolated, dumped or reflected, it shows only that it is set.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The value itself, for the one header or form field that needs it.
    let value: String

    /// Wraps a credential read from the environment or a settings file.
    public init(_ value: String) { self.value = value }

    /// Whether `presented` is this secret, compared in constant time (a bearer token a client sent, say).
    public func matches(_ presented: String) -> Bool {
        constantTimeEqual(Array(presented.utf8), Array(value.utf8))
    }

    public var description: String { "•••" }
    public var debugDescription: String { "•••" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension String {
    /// The idempotency key sent for this one: a SHA-256 digest, so the same request always gets the same key,
    /// it fits every platform's limit (Square allows 45 characters), and nothing it was made from (order
    /// numbers, card tokens) travels in a header or comes back quoted in an error.
    var idempotencyKey: String {
        "vp-"
            + SHA256.hash(Array(utf8)).prefix(20).map { byte in
                let hex = String(byte, radix: 16)
                return hex.count == 1 ? "0" + hex : hex
            }.joined()
    }
}
