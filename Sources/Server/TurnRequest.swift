import Conversation
import Foundation

/// One turn as a speech front end sends it, over HTTP (`POST /v1/turns`) or as a line of `voicepos chat --json`:
/// `{"session": "call-42", "text": "do you have the air max in ten", "caller": {"customer_id": "C-1001"}}`.
public struct TurnRequest: Sendable, Codable {
    /// The call: every turn of one call names the same session.
    public var session: String
    /// What the caller said, as the recognizer wrote it.
    public var text: String
    /// Who is calling, when the front end knows (caller ID, a logged-in app).
    public var caller: Caller?
    /// The recognizer's other hypotheses with their confidences.
    public var alternatives: [Utterance.Alternative]?

    public init(session: String, text: String, caller: Caller? = nil, alternatives: [Utterance.Alternative]? = nil) {
        self.session = session
        self.text = text
        self.caller = caller
        self.alternatives = alternatives
    }

    /// The longest session id taken.
    public static let longestSession = 128

    /// The utterance, with `defaultCaller` when the turn names no caller.
    public func utterance(defaultCaller: Caller? = nil) -> Utterance {
        Utterance(sessionID: session, text: text, alternatives: alternatives ?? [], caller: caller ?? defaultCaller)
    }

    /// The turn in `data`, or why it isn't one: the field that is missing or of the wrong type, by name.
    public static func decode(_ data: Data) throws(TurnRequestError) -> TurnRequest {
        do {
            let turn = try JSONDecoder().decode(TurnRequest.self, from: data)
            guard !turn.session.isEmpty else { throw TurnRequestError(field: "session", problem: "is empty") }
            // A session id is kept for the whole call, so it is short: a call id, not a payload.
            guard turn.session.utf8.count <= Self.longestSession else {
                throw TurnRequestError(field: "session", problem: "is over \(Self.longestSession) bytes")
            }
            // Every reply carries the session id back: one holding a card-length digit run is refused, never echoed.
            guard !turn.session.split(whereSeparator: { !$0.isNumber }).contains(where: { $0.count >= 13 }) else {
                throw TurnRequestError(field: "session", problem: "holds 13 digits or more in a row, like a card number")
            }
            return turn
        } catch let error as TurnRequestError {
            throw error
        } catch DecodingError.keyNotFound(let key, let context) {
            throw TurnRequestError(field: Self.path(context.codingPath + [key]), problem: "is missing")
        } catch DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context) {
            throw TurnRequestError(field: Self.path(context.codingPath), problem: "must be \(Self.kind(type))")
        } catch {
            throw TurnRequestError(field: nil, problem: "the body is not a JSON object")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func kind(_ type: Any.Type) -> String {
        if type == String.self { return "text" }
        if type == Double.self { return "a number" }
        return String(describing: type).hasPrefix("Array") ? "a list" : "an object"
    }
}

/// A turn that cannot be read: which field, and what is wrong with it.
public struct TurnRequestError: Error, Sendable, CustomStringConvertible {
    public var field: String?
    public var problem: String

    public var description: String {
        let expected = #"expected {"session": "...", "text": "..."}"#
        return field.map { "\($0) \(problem); \(expected)" } ?? "\(problem); \(expected)"
    }
}
