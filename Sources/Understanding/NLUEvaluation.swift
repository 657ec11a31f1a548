import Foundation

/// One labelled utterance for measuring understanding: `{"text": "...", "intent": "...", "entities": {...}}`.
public struct LabelledUtterance: Sendable, Decodable {
    public var text: String
    public var intent: String
    public var entities: [String: LabelValue]?

    /// A label value as written in JSON: a string or a number.
    public struct LabelValue: Sendable, Decodable {
        public var text: String
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                text = string
            } else if let number = try? container.decode(Double.self) {
                text = number == number.rounded() && abs(number) < 1e12 ? String(Int(number)) : String(number)
            } else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a string or a number")
            }
        }
    }

    /// Reads JSON lines; an unknown intent or a malformed line is an error naming the line.
    public static func load(jsonLines text: String, source: String) throws -> [LabelledUtterance] {
        var result: [LabelledUtterance] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let item: LabelledUtterance
            do {
                item = try JSONDecoder().decode(LabelledUtterance.self, from: Data(line.utf8))
            } catch {
                throw IntentFileError(file: "\(source):\(index + 1)", message: "expected {\"text\": \"...\", \"intent\": \"...\"}")
            }
            guard Intent(rawValue: item.intent) != nil else {
                throw IntentFileError(file: "\(source):\(index + 1)", message: "unknown intent '\(item.intent)'")
            }
            result.append(item)
        }
        return result
    }
}

/// Intent accuracy, per-intent precision/recall/F1, a confusion matrix and entity precision/recall.
public struct NLUEvaluation: Sendable, Encodable {
    public struct IntentScore: Sendable, Encodable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
    }

    public struct EntityScore: Sendable, Encodable {
        public var precision: Double
        public var recall: Double
        public var labelled: Int
    }

    public struct Miss: Sendable, Encodable {
        public var text: String
        public var expected: String
        public var predicted: String
        public var confidence: Double
    }

    public var count: Int
    public var accuracy: Double
    public var perIntent: [String: IntentScore]
    /// expected intent → predicted intent → count.
    public var confusion: [String: [String: Int]]
    public var entities: [String: EntityScore]
    public var errors: [Miss]

    enum CodingKeys: String, CodingKey {
        case count, accuracy, confusion, entities, errors
        case perIntent = "per_intent"
    }

    /// Interprets every utterance and scores the result.
    public init(_ items: [LabelledUtterance], understanding: LanguageUnderstanding) {
        var confusion: [String: [String: Int]] = [:]
        var errors: [Miss] = []
        var entityCounts: [String: (truePositive: Int, predicted: Int, labelled: Int)] = [:]
        for item in items {
            let reading = understanding.interpret(item.text)
            var predicted = reading.intent.rawValue
            // A bare slot answer has no task of its own; out of context it counts as out of scope.
            if reading.intent == .inform { predicted = Intent.outOfScope.rawValue }
            confusion[item.intent, default: [:]][predicted, default: 0] += 1
            if predicted != item.intent {
                errors.append(Miss(text: item.text, expected: item.intent, predicted: predicted, confidence: reading.confidence))
            }
            guard let labels = item.entities else { continue }
            let found = Self.entityValues(reading.entities)
            for (name, label) in labels {
                var counts = entityCounts[name] ?? (0, 0, 0)
                counts.labelled += 1
                if let value = found[name] {
                    counts.predicted += 1
                    if Self.same(value, label.text) { counts.truePositive += 1 }
                }
                entityCounts[name] = counts
            }
            for name in found.keys where labels[name] == nil && entityCounts[name] != nil {
                entityCounts[name]!.predicted += 1
            }
        }
        let intents = Set(confusion.keys).union(confusion.values.flatMap(\.keys))
        var perIntent: [String: IntentScore] = [:]
        for intent in intents {
            let truePositive = confusion[intent]?[intent] ?? 0
            let support = confusion[intent]?.values.reduce(0, +) ?? 0
            let predicted = confusion.values.reduce(0) { $0 + ($1[intent] ?? 0) }
            let precision = predicted == 0 ? 0 : Double(truePositive) / Double(predicted)
            let recall = support == 0 ? 0 : Double(truePositive) / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            perIntent[intent] = IntentScore(precision: precision, recall: recall, f1: f1, support: support)
        }
        count = items.count
        accuracy = items.isEmpty ? 0 : Double(items.count - errors.count) / Double(items.count)
        self.perIntent = perIntent
        self.confusion = confusion
        self.errors = errors
        entities = entityCounts.mapValues { counts in
            EntityScore(
                precision: counts.predicted == 0 ? 0 : Double(counts.truePositive) / Double(counts.predicted),
                recall: counts.labelled == 0 ? 0 : Double(counts.truePositive) / Double(counts.labelled),
                labelled: counts.labelled)
        }
    }

    private static func entityValues(_ entities: Entities) -> [String: String] {
        var values = entities.options
        if let product = entities.productIDs.first { values["product"] = product }
        if let quantity = entities.quantity { values["quantity"] = String(quantity) }
        if let number = entities.orderNumber { values["order_number"] = number }
        if let location = entities.locationID { values["location"] = location }
        if let fulfillment = entities.fulfillment { values["fulfillment"] = fulfillment.rawValue }
        if let reason = entities.returnReason { values["reason"] = reason }
        if let method = entities.refundMethod { values["refund_method"] = method.rawValue }
        return values
    }

    private static func same(_ found: String, _ label: String) -> Bool {
        if found.lowercased() == label.lowercased() { return true }
        if let a = Double(found), let b = Double(label) { return a == b }
        return false
    }
}
