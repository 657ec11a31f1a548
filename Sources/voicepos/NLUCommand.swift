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

        @OptionGroup var options: StoreOptions

        @Flag(help: "Print one JSON document.")
        var json = false

        @Flag(help: "List every miss with what was predicted.")
        var errors = false

        func validate() throws {
            if file == nil && acts == nil { throw ValidationError("give a file of labelled utterances, --acts FILE, or both") }
        }

        func run() async throws {
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
                print("\nentity              precision  recall  labelled")
                for (name, score) in evaluation.entities.sorted(by: { $0.key < $1.key }) {
                    print(
                        name.padding(toLength: 20, withPad: " ", startingAt: 0)
                            + String(format: " %9.2f %7.2f %9d", score.precision, score.recall, score.labelled))
                }
            }
            if errors {
                print("\nmisses")
                for miss in evaluation.errors {
                    print("  \(miss.expected) → \(miss.predicted) (\(String(format: "%.2f", miss.confidence))): \(miss.text)")
                }
            }
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
