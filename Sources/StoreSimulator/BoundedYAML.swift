import Yams

/// YAML from outside the package (store fixtures, dialogue files) composed within bounds, so a malformed or hostile
/// file is a clear error naming it rather than gigabytes of memory: at most `longestText` bytes, and a document of at
/// most `mostNodes` nodes once its aliases are followed (an alias bomb expands past that at once), nested at most
/// `deepest` levels.
public enum BoundedYAML {
    public static let longestText = 4 << 20
    public static let mostNodes = 200_000
    public static let deepest = 64

    /// The root node of `yaml`, or nil for an empty document.
    ///
    /// - Throws: `YAMLBoundsError` when the text or its document is too big; Yams' `YamlError` when it isn't YAML.
    public static func compose(_ yaml: String, source: String) throws -> Node? {
        guard yaml.utf8.count <= longestText else {
            throw YAMLBoundsError(source: source, message: "the file is over \(longestText >> 20) MB")
        }
        guard let root = try Yams.compose(yaml: yaml) else { return nil }
        var nodes = 0
        // Depth first with an explicit stack: the walk is bounded by `mostNodes`, whatever aliases repeat.
        var stack: [(node: Node, depth: Int)] = [(root, 1)]
        while let (node, depth) = stack.popLast() {
            nodes += 1
            guard nodes <= mostNodes else {
                throw YAMLBoundsError(source: source, message: "the document has over \(mostNodes) values once its aliases are followed")
            }
            guard depth <= deepest else { throw YAMLBoundsError(source: source, message: "the document nests over \(deepest) levels deep") }
            switch node {
            case .mapping(let mapping): for (key, value) in mapping { stack += [(key, depth + 1), (value, depth + 1)] }
            case .sequence(let sequence): stack += sequence.map { ($0, depth + 1) }
            default: break
            }
        }
        return root
    }
}

/// YAML too big to read, naming its file.
public struct YAMLBoundsError: Error, CustomStringConvertible {
    public var source: String
    public var message: String
    public var description: String { "\(source): \(message)" }
}
