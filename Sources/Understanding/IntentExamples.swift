import Foundation
import Yams

/// One intent's examples as written in `Intents/<name>.yaml`.
public struct IntentDefinition: Sendable, Decodable {
    public var intent: String
    public var description: String?
    /// The entities this intent uses, e.g. [product, size, color].
    public var slots: [String]?
    /// Words and phrases that point to this intent even in phrasing no example has ("refund", "parcel").
    public var keywords: [String]?
    public var examples: [String]
}

/// A problem in an intent file, naming the file.
public struct IntentFileError: Error, CustomStringConvertible {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}

extension IntentDefinition {
    /// Loads every `*.yaml` in the folder, checking each names a known intent.
    ///
    /// - Throws: `IntentFileError` naming the file that is unreadable, malformed or names an unknown intent.
    public static func loadAll(from directory: URL) throws -> [IntentDefinition] {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw IntentFileError(file: directory.path, message: "cannot list the intents folder")
        }
        guard !files.isEmpty else { throw IntentFileError(file: directory.path, message: "no intent files (*.yaml)") }
        return try files.map { file in
            do {
                let text = try String(contentsOf: file, encoding: .utf8)
                let definition = try YAMLDecoder().decode(IntentDefinition.self, from: text)
                guard Intent(rawValue: definition.intent) != nil else {
                    throw IntentFileError(file: file.path, message: "unknown intent '\(definition.intent)'")
                }
                return definition
            } catch let error as IntentFileError {
                throw error
            } catch {
                throw IntentFileError(file: file.path, message: "\(error)")
            }
        }
    }
}
