import ArgumentParser
import Foundation
import Replay
import StoreSimulator
import Understanding

/// `voicepos nlu eval`: measures understanding on labelled utterances.
struct NLUCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nlu", abstract: "Measure language understanding.", subcommands: [Eval.self])

    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Intent accuracy, per-intent precision/recall/F1, confusion and entity scores for a JSONL file.")

        @Argument(help: "Labelled utterances, one JSON object a line: {\"text\": \"...\", \"intent\": \"...\"}.")
        var file: String?

        @Option(help: "Also score dialogue acts on a YAML list of {context, text, acts} (e.g. Intents/acts/labelled-acts.yaml).")
        var acts: String?

        @Option(
            help: ArgumentHelp(
                "A folder holding a store fixture (store.yaml) and labelled sets (*.jsonl) for it; repeat for several stores.",
                discussion: "Each set is scored on its own store: intent accuracy and entity precision, recall and F1 per entity."))
        var catalog: [String] = []

        @OptionGroup var options: StoreOptions

        @Flag(help: "Print one JSON document.")
        var json = false

        @Flag(help: "List every miss with what was predicted.")
        var errors = false

        func validate() throws {
            if file == nil && acts == nil && catalog.isEmpty {
                throw ValidationError("give a file of labelled utterances, --acts FILE or --catalog DIR")
            }
        }

        func run() async throws {
            if !catalog.isEmpty { try await scoreCatalogs() }
            guard file != nil || acts != nil else { return }
            let store = try StoreSimulator(fixture: try options.fixture(), clock: try options.storeClock())
            let understanding = LanguageUnderstanding(
                intents: try IntentDefinition.loadAll(from: StoreBench.intentsDirectory(options.intents)),
                catalog: try await store.catalog(), locations: try await store.locations())
            if let acts {
                guard let text = try? String(contentsOfFile: acts, encoding: .utf8) else { throw ValidationError("cannot read \(acts)") }
                try printActs(ActEvaluation(try LabelledActs.load(yaml: text, source: acts), understanding: understanding))
            }
            guard let file else { return }
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read \(file)")
            }
            let items = try LabelledUtterance.load(jsonLines: text, source: file)
            var evaluation = NLUEvaluation(items, understanding: understanding)
            if json {
                if !errors { evaluation.errors = [] }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(evaluation), as: UTF8.self))
                return
            }
            print(String(format: "%d utterances, intent accuracy %.1f%%\n", evaluation.count, evaluation.accuracy * 100))
            let intents = evaluation.perIntent.keys.sorted()
            print("intent".padding(toLength: 20, withPad: " ", startingAt: 0) + " precision  recall    F1  support")
            for intent in intents {
                let score = evaluation.perIntent[intent]!
                print(
                    intent.padding(toLength: 20, withPad: " ", startingAt: 0)
                        + String(format: " %9.2f %7.2f %5.2f %8d", score.precision, score.recall, score.f1, score.support))
            }
            print("\nconfusion (rows: expected, columns: predicted)")
            let short = intents.map { String($0.prefix(6)) }
            print("".padding(toLength: 20, withPad: " ", startingAt: 0) + short.map { $0.padding(toLength: 7, withPad: " ", startingAt: 0) }.joined())
            for expected in intents {
                let row = intents.map { String(evaluation.confusion[expected]?[$0] ?? 0).padding(toLength: 7, withPad: " ", startingAt: 0) }
                print(expected.padding(toLength: 20, withPad: " ", startingAt: 0) + row.joined())
            }
            if !evaluation.entities.isEmpty {
                print("\nentity              precision  recall    F1  labelled")
                for (name, score) in evaluation.entities.sorted(by: { $0.key < $1.key }) {
                    print(
                        name.padding(toLength: 20, withPad: " ", startingAt: 0)
                            + String(format: " %9.2f %7.2f %5.2f %9d", score.precision, score.recall, score.f1, score.labelled))
                }
            }
            if errors {
                print("\nmisses")
                for miss in evaluation.errors {
                    print("  \(miss.expected) → \(miss.predicted) (\(String(format: "%.2f", miss.confidence))): \(miss.text)")
                }
            }
        }

        /// Scores every set in every catalog folder on its own store, then each entity over all of them.
        private func scoreCatalogs() async throws {
            let intents = try IntentDefinition.loadAll(from: StoreBench.intentsDirectory(options.intents))
            var rows: [(store: String, set: String, evaluation: NLUEvaluation)] = []
            for folder in catalog {
                let directory = URL(fileURLWithPath: folder)
                let fixture = try StoreFixture.load(contentsOf: directory.appendingPathComponent("store.yaml"))
                let store = try StoreSimulator(fixture: fixture, clock: try options.storeClock())
                let understanding = LanguageUnderstanding(
                    intents: intents, catalog: try await store.catalog(), locations: try await store.locations())
                let sets = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".jsonl") }.sorted()
                guard !sets.isEmpty else { throw ValidationError("\(folder) holds no labelled set (*.jsonl)") }
                for set in sets {
                    let path = directory.appendingPathComponent(set).path
                    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
                    rows.append(
                        (
                            directory.lastPathComponent, set,
                            NLUEvaluation(try LabelledUtterance.load(jsonLines: text, source: path), understanding: understanding)
                        ))
                }
            }
            if json {
                struct Row: Encodable {
                    var store: String
                    var set: String
                    var evaluation: NLUEvaluation
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                let shown = rows.map { row in
                    var evaluation = row.evaluation
                    if !errors {
                        evaluation.errors = []
                        evaluation.entityErrors = []
                    }
                    return Row(store: row.store, set: row.set, evaluation: evaluation)
                }
                print(String(decoding: try encoder.encode(shown), as: UTF8.self))
                return
            }
            let names = Set(rows.flatMap { $0.evaluation.entities.keys }).sorted()
            print("entity F1 by store and set (precision/recall in the JSON); intent accuracy where the set is labelled")
            print(
                "store / set".padding(toLength: 44, withPad: " ", startingAt: 0) + "  intent"
                    + names.map { " " + $0.prefix(8).padding(toLength: 8, withPad: " ", startingAt: 0) }.joined())
            for row in rows {
                let label = "\(row.store) / \(row.set)".padding(toLength: 44, withPad: " ", startingAt: 0)
                let intent = row.evaluation.perIntent.isEmpty ? "     -" : String(format: "%6.3f", row.evaluation.accuracy)
                let scores = names.map { name in
                    row.evaluation.entities[name].map { String(format: " %8.3f", $0.f1) } ?? "        -"
                }
                print(label + "  " + intent + scores.joined())
            }
            if errors {
                for row in rows where !row.evaluation.entityErrors.isEmpty || !row.evaluation.errors.isEmpty {
                    print("\n\(row.store) / \(row.set)")
                    for miss in row.evaluation.errors { print("  intent \(miss.expected) → \(miss.predicted): \(miss.text)") }
                    for miss in row.evaluation.entityErrors {
                        print("  \(miss.entity) \(miss.expected ?? "none") → \(miss.found ?? "none"): \(miss.text)")
                    }
                }
            }
            print("")
        }

        private func printActs(_ evaluation: ActEvaluation) throws {
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                var shown = evaluation
                if !errors { shown.errors = [] }
                print(String(decoding: try encoder.encode(shown), as: UTF8.self))
                return
            }
            print(
                String(
                    format: "%d utterances, dialogue acts read exactly %.1f%%, the same set of acts %.1f%%\n", evaluation.count,
                    evaluation.exact * 100, evaluation.sameSet * 100))
            print("act".padding(toLength: 20, withPad: " ", startingAt: 0) + " precision  recall    F1  support")
            for (act, score) in evaluation.perAct.sorted(by: { $0.key < $1.key }) {
                print(
                    act.padding(toLength: 20, withPad: " ", startingAt: 0)
                        + String(format: " %9.2f %7.2f %5.2f %8d", score.precision, score.recall, score.f1, score.support))
            }
            if errors {
                print("\nmisses")
                for miss in evaluation.errors {
                    print("  [\(miss.context)] \(miss.expected.joined(separator: " ")) → \(miss.predicted.joined(separator: " ")): \(miss.text)")
                }
            }
            print("")
        }
    }
}
