import RetailModel

/// One request made to the point of sale during a turn, as shown in debug views and asserted in dialogues.
public struct POSCall: Sendable, Hashable, Codable, CustomStringConvertible {
    public var flow: POSFlow
    /// The request's arguments in a few words: `"nike air max 90"`, `"NK-AM90-BLK-10"`.
    public var request: String
    /// The result in a few words, or the error.
    public var outcome: String
    public var failed: Bool

    public var description: String { "\(flow.rawValue)(\(request)) → \(outcome)" }
}
