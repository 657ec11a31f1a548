import Foundation
import RetailModel

/// Reads one utterance: normalizes it, finds what it names in the live catalog, and classifies its intent.
///
/// Built once at start-up from `Intents/` and the catalog (milliseconds, no training step);
/// `interpret` is pure and takes microseconds.
public struct LanguageUnderstanding: Sendable {
    private let normalizer = TranscriptNormalizer()
    private let extractor: EntityExtractor
    private let classifier: IntentClassifier

    /// Below this score the utterance is not like any example, so it is out of scope.
    static let outOfScopeBelow = 0.2

    /// Words that carry no intent once entities are taken out ("the", "size", "please").
    private static let slotOnlyWords: Set<String> = [
        "the", "a", "an", "in", "of", "size", "please", "one", "ones", "pair", "pairs", "for", "and", "it", "that",
        "them", "those", "with", "to", "make", "just", "color", "colour", "same", "store", "at", "from", "by", "okay",
        "ok", "instead", "actually", "how", "about", "what", "go", "lets", "let", "us", "then", "is", "fine", "would",
        "be", "great", "number", "i", "think", "its", "wide", "width", "fit", "quantity", "this",
        "these", "should", "check", "mens", "womens", "men", "women", "uk", "us", "our", "location", "shop", "card",
    ]

    public init(intents: [IntentDefinition], catalog: [Product], locations: [Location]) {
        let lexicon = CatalogLexicon(products: catalog, locations: locations)
        let extractor = EntityExtractor(lexicon: lexicon)
        self.extractor = extractor
        let normalizer = normalizer
        var labelled: [(intent: Intent, words: [String])] = []
        for definition in intents {
            guard let intent = Intent(rawValue: definition.intent) else { continue }
            for example in definition.examples {
                labelled.append((intent, extractor.extract(normalizer.normalize(example), expecting: nil).masked))
            }
        }
        classifier = IntentClassifier(examples: labelled)
    }

    /// The catalog products by id, as the lexicon knows them.
    public var products: [String: Product] { extractor.lexicon.products }

    /// Interprets one utterance.
    ///
    /// - Parameter expecting: the slot the conversation just asked for; it decides whether "ten" is a size.
    public func interpret(_ text: String, expecting: ExpectedSlot? = nil) -> Interpretation {
        let words = normalizer.normalize(text)
        let extracted = extractor.extract(words, expecting: expecting)
        var entities = extracted.entities
        let redacted = words.map { word in
            word == entities.cardNumber ? "card ending \(word.suffix(4))" : word
        }.joined(separator: " ")

        guard !words.isEmpty else {
            return Interpretation(intent: .outOfScope, confidence: 0, entities: entities, redactedText: redacted)
        }
        let content = extracted.masked.filter { !$0.hasPrefix("<") && !Self.slotOnlyWords.contains($0) }
        if content.isEmpty, !entities.isEmpty || entities.refersToFocus {
            return Interpretation(intent: .inform, confidence: 0.9, entities: entities, redactedText: redacted)
        }
        let ranking = classifier.rank(extracted.masked)
        guard let best = ranking.first, best.score >= Self.outOfScopeBelow else {
            return Interpretation(
                intent: .outOfScope, confidence: 0.5, alternative: ranking.first?.intent, entities: entities,
                redactedText: redacted)
        }
        let runnerUp = ranking.count > 1 ? ranking[1] : nil
        let margin = best.score - (runnerUp?.score ?? 0)
        let confidence = min(1, max(0, 0.45 * min(1, best.score / 0.7) + 0.55 * min(1, margin / 0.25)))
        if best.intent == .outOfScope { entities = Entities() }
        return Interpretation(
            intent: best.intent, confidence: confidence, alternative: runnerUp?.intent, entities: entities,
            redactedText: redacted)
    }
}
