import Foundation
import Yams

/// One utterance labelled with the dialogue acts it is made of, in the context of the question just asked.
public struct LabelledActs: Sendable, Decodable {
    /// The question open when it was said: `none`, `place_order`, `charge`, `size`, `color`, `quantity`,
    /// `fulfillment`, `anything_else`, `card_number` or `reason`.
    public var context: String
    public var text: String
    public var acts: [DialogueAct.Kind]

    /// The slot the context stands for, which steers how understanding reads values.
    public var expecting: ExpectedSlot? {
        switch context {
        case "place_order", "charge": .confirmation
        case "card_number": .cardNumber
        case "none", "anything_else": nil
        default: ExpectedSlot(rawValue: context)
        }
    }

    /// Reads a YAML list of `{context, text, acts}`; an unknown act or context is an error naming the item.
    public static func load(yaml text: String, source: String) throws -> [LabelledActs] {
        let items: [LabelledActs]
        do {
            items = try YAMLDecoder().decode([LabelledActs].self, from: text)
        } catch {
            throw IntentFileError(file: source, message: "expected a list of {context, text, acts}: \(error)")
        }
        let contexts: Set<String> = ["none", "place_order", "charge", "anything_else", "card_number"]
        for (index, item) in items.enumerated() where !contexts.contains(item.context) && ExpectedSlot(rawValue: item.context) == nil {
            throw IntentFileError(file: "\(source) item \(index + 1)", message: "unknown context '\(item.context)'")
        }
        return items
    }
}

/// How well utterances are read as dialogue acts: exact sequences, and per act precision, recall and F1 over the
/// set of acts each utterance holds.
public struct ActEvaluation: Sendable, Encodable {
    public struct Score: Sendable, Encodable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
    }

    public struct Miss: Sendable, Encodable {
        public var context: String
        public var text: String
        public var expected: [String]
        public var predicted: [String]
    }

    public var count: Int
    /// Utterances whose acts were read exactly, in order.
    public var exact: Double
    /// Utterances whose set of acts was read exactly.
    public var sameSet: Double
    public var perAct: [String: Score]
    public var errors: [Miss]

    /// Reads every item and scores it. Conditions are scored as hedges: both keep a yes from being a plain one.
    public init(_ items: [LabelledActs], understanding: LanguageUnderstanding) {
        var exactCount = 0
        var setCount = 0
        var truePositives: [String: Int] = [:]
        var predictedCounts: [String: Int] = [:]
        var labelledCounts: [String: Int] = [:]
        var errors: [Miss] = []
        for item in items {
            let read = understanding.interpret(item.text, expecting: item.expecting).acts.kinds
            let predicted = read.map { $0 == .condition ? DialogueAct.Kind.hedge : $0 }.map(\.rawValue)
            let expected = item.acts.map { $0 == .condition ? DialogueAct.Kind.hedge : $0 }.map(\.rawValue)
            if predicted == expected { exactCount += 1 }
            if Set(predicted) == Set(expected) {
                setCount += 1
            } else {
                errors.append(Miss(context: item.context, text: item.text, expected: expected, predicted: predicted))
            }
            for kind in Set(predicted) { predictedCounts[kind, default: 0] += 1 }
            for kind in Set(expected) {
                labelledCounts[kind, default: 0] += 1
                if predicted.contains(kind) { truePositives[kind, default: 0] += 1 }
            }
        }
        var perAct: [String: Score] = [:]
        for kind in Set(labelledCounts.keys).union(predictedCounts.keys) {
            let hits = Double(truePositives[kind] ?? 0)
            let precision = predictedCounts[kind].map { hits / Double($0) } ?? 0
            let recall = labelledCounts[kind].map { hits / Double($0) } ?? 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            perAct[kind] = Score(precision: precision, recall: recall, f1: f1, support: labelledCounts[kind] ?? 0)
        }
        count = items.count
        exact = items.isEmpty ? 0 : Double(exactCount) / Double(items.count)
        sameSet = items.isEmpty ? 0 : Double(setCount) / Double(items.count)
        self.perAct = perAct
        self.errors = errors
    }
}
