import ArgumentParser
import Connectors
import Foundation

/// `voicepos pos decode`: maps a platform payload to the unified schema, by hand.
struct POSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pos", abstract: "Work with POS platform payloads.", subcommands: [Decode.self])

    struct Decode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Map a platform payload (JSON file) to the unified schema and print it, or the mapping error (exit 1).")

        @Option(help: "The platform: \(Platform.allCases.map(\.rawValue).joined(separator: ", ")).")
        var platform: String

        @Option(help: "What the payload holds (default: detected): \(ObjectKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var kind: String?

        @Option(help: "The shop's currency, for payloads that do not name one.")
        var currency = "USD"

        @Argument(help: "The payload file.")
        var file: String

        func run() async throws {
            guard let platform = Platform(rawValue: platform.lowercased()) else {
                throw ValidationError("unknown platform '\(platform)'; one of \(Platform.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let kind = try self.kind.map { name in
                guard let kind = ObjectKind(rawValue: name.lowercased()) else {
                    throw ValidationError("unknown kind '\(name)'; one of \(ObjectKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return kind
            }
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            do {
                let decoded = try payloadMapper(for: platform, currency: currency).decode(data, as: kind)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(decoded), as: UTF8.self))
            } catch let error as MappingError {
                FileHandle.standardError.write(Data("mapping error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
