/// A dialogue file that cannot be read: names the file, line, column and field, with a caret under the spot.
public struct DialogueFileError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    /// The path to the field, e.g. `turns[2].reply_contains`.
    public var field: String
    public var message: String
    /// The offending line with a caret under the column.
    public var snippet: String

    public var description: String {
        let location = line > 0 ? "\(file):\(line):\(column)" : file
        let head = field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
        return snippet.isEmpty ? head : head + "\n" + snippet
    }
}
