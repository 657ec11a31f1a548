import ArgumentParser
import Connectors
import Foundation
import Replay
import Understanding

/// `voicepos replay`: runs dialogue suites and fails when any assertion does not hold.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay dialogue files or folders (default: Dialogues/) and check every assertion.",
        discussion: "The format is described in Dialogues/README.md. Exits 1 when a dialogue fails."
    )

    @Argument(help: "Dialogue files or folders.")
    var paths: [String] = ["Dialogues"]

    @Option(help: "Folder of intent YAML files (default: ./Intents or the package's).")
    var intents: String?

    @Option(help: "Also write a JUnit XML report to this file.")
    var junit: String?

    @Option(help: "Replay through this platform's connector against its loopback front on 127.0.0.1 (shopify, square, lightspeed, clover).")
    var pos: Platform?

    func run() async throws {
        let definitions = try IntentDefinition.loadAll(from: StoreBench.intentsDirectory(intents))
        let files = try ReplayReport.dialogueFiles(in: paths)
        guard !files.isEmpty else { throw ValidationError("no dialogue files (*.yaml) in \(paths.joined(separator: ", "))") }
        let runner = DialogueRunner(intents: definitions, via: pos)
        let base = FileManager.default.currentDirectoryPath
        var results: [DialogueResult] = []
        for file in files {
            let result = await runner.run(file: file)
            print(ReplayReport.text(for: result, relativeTo: base))
            results.append(result)
        }
        print(ReplayReport.summary(results))
        if let junit {
            try ReplayReport.junit(results, relativeTo: base).write(toFile: junit, atomically: true, encoding: .utf8)
        }
        if results.contains(where: \.failed) { throw ExitCode(1) }
    }
}

extension Platform: ExpressibleByArgument {}
