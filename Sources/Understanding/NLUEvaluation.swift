import Foundation
import RetailModel

/// One labelled utterance for measuring understanding: `{"text": "...", "intent": "...", "entities": {...}}`.
///
/// An entity labelled `null` must not be found: finding one counts against precision. An entity set may leave the
/// intent out; only entities are scored then.
public struct LabelledUtterance: Sendable, Decodable {
    public var text: String
    public var intent: String?
    public var entities: [String: LabelValue?]?

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
            if let intent = item.intent, Intent(rawValue: intent) == nil {
                throw IntentFileError(file: "\(source):\(index + 1)", message: "unknown intent '\(intent)'")
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

    /// How well one entity was found: precision over every value found where the label has a value or says none,
    /// recall over every labelled value.
    public struct EntityScore: Sendable, Encodable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Utterances labelled with a value.
        public var labelled: Int
        /// Values found, right or wrong.
        public var found: Int
    }

    /// An entity found wrong, missed, or found where the label says there is none.
    public struct EntityMiss: Sendable, Encodable {
        public var text: String
        public var entity: String
        public var expected: String?
        public var found: String?
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
    public var entityErrors: [EntityMiss]

    enum CodingKeys: String, CodingKey {
        case count, accuracy, confusion, entities, errors
        case perIntent = "per_intent"
        case entityErrors = "entity_errors"
    }

    /// Interprets every utterance and scores the result.
    public init(_ items: [LabelledUtterance], understanding: LanguageUnderstanding) {
        var confusion: [String: [String: Int]] = [:]
        var errors: [Miss] = []
        var entityErrors: [EntityMiss] = []
        var entityCounts: [String: (truePositive: Int, found: Int, labelled: Int)] = [:]
        var scored = 0
        for item in items {
            let reading = understanding.interpret(item.text)
            if let expected = item.intent {
                scored += 1
                var predicted = reading.intent.rawValue
                // Out of context, values alone ("the Arizona in a 38") are asked about as the conversation takes them: a
                // stock question when they name an item, else an answer with no task of its own (out of scope, unless
                // the set labels it an answer).
                if reading.intent == .inform {
                    let entities = reading.entities
                    let namesItem = !entities.productIDs.isEmpty || entities.brand != nil || entities.kind != nil
                    predicted =
                        namesItem ? Intent.checkAvailability.rawValue : expected == Intent.inform.rawValue ? expected : Intent.outOfScope.rawValue
                }
                confusion[expected, default: [:]][predicted, default: 0] += 1
                if predicted != expected {
                    errors.append(Miss(text: item.text, expected: expected, predicted: predicted, confidence: reading.confidence))
                }
            }
            guard let labels = item.entities else { continue }
            let found = Self.entityValues(reading.entities, products: understanding.products)
            for (name, label) in labels {
                var counts = entityCounts[name] ?? (0, 0, 0)
                let value = found[name]
                if label != nil { counts.labelled += 1 }
                if value != nil { counts.found += 1 }
                let right = value.flatMap { value in label.map { Self.same(value, $0.text) } } ?? false
                if right { counts.truePositive += 1 }
                if !right && (value != nil || label != nil) {
                    entityErrors.append(EntityMiss(text: item.text, entity: name, expected: label?.text, found: value))
                }
                entityCounts[name] = counts
            }
        }
        count = items.count
        accuracy = scored == 0 ? 0 : Double(scored - errors.count) / Double(scored)
        self.entityErrors = entityErrors
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
        self.perIntent = perIntent
        self.confusion = confusion
        self.errors = errors
        entities = entityCounts.mapValues { counts in
            let precision = counts.found == 0 ? 0 : Double(counts.truePositive) / Double(counts.found)
            let recall = counts.labelled == 0 ? 0 : Double(counts.truePositive) / Double(counts.labelled)
            return EntityScore(
                precision: precision, recall: recall, f1: precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
                labelled: counts.labelled, found: counts.found)
        }
    }

    /// What was found, by the names labels use. A product counts only when exactly one was named; the brand is the
    /// one named, or that of the products named when they share one.
    private static func entityValues(_ entities: Entities, products: [String: Product]) -> [String: String] {
        var values = entities.options
        if let product = entities.productIDs.count == 1 ? entities.productIDs[0] : entities.impliedProductID { values["product"] = product }
        let brands = Set(entities.productIDs.compactMap { products[$0]?.brand })
        if let brand = entities.brand ?? (brands.count == 1 ? brands.first : nil) { values["brand"] = brand }
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
