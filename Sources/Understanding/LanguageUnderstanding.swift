import Foundation
import RetailModel

/// Reads one utterance: normalizes it, finds what it names in the live catalog, and classifies its intent.
///
/// Built once at start-up from `Intents/` and the catalog (milliseconds, no training step);
/// `interpret` is pure and takes microseconds.
public struct LanguageUnderstanding: Sendable {
    private let normalizer = TranscriptNormalizer()
    private let extractor: EntityExtractor
    private let acts: DialogueActReader
    private let classifier: IntentClassifier
    private let cues: IntentCues
    private let speller: SpellingCorrector
    private let intents: [IntentDefinition]

    /// Below this score the utterance is not like any example, so it is out of scope.
    static let outOfScopeBelow = 0.3

    /// Words that carry no intent once entities are taken out ("the", "size", "please").
    private static let slotOnlyWords: Set<String> = [
        "the", "a", "an", "in", "of", "size", "please", "one", "ones", "pair", "pairs", "for", "and", "it", "that",
        "them", "those", "with", "to", "make", "just", "color", "colour", "same", "store", "at", "from", "by", "okay",
        "ok", "instead", "actually", "how", "about", "what", "go", "lets", "let", "us", "then", "is", "fine", "would",
        "be", "great", "number", "i", "think", "its", "wide", "width", "fit", "quantity", "this",
        "these", "should", "check", "mens", "womens", "men", "women", "uk", "us", "our", "location", "shop", "card",
    ]

    /// Builds the catalog lexicon and the intent classifier (milliseconds).
    public init(intents: [IntentDefinition], catalog: [Product], locations: [Location]) {
        self.intents = intents
        let lexicon = CatalogLexicon(products: catalog, locations: locations)
        let extractor = EntityExtractor(lexicon: lexicon)
        self.extractor = extractor
        acts = DialogueActReader(normalizer: normalizer, extractor: extractor)
        let normalizer = normalizer
        var labelled: [(intent: Intent, words: [String])] = []
        for definition in intents {
            guard let intent = Intent(rawValue: definition.intent) else { continue }
            for example in definition.examples {
                labelled.append((intent, extractor.extract(normalizer.normalize(example), expecting: nil).masked))
            }
        }
        classifier = IntentClassifier(examples: labelled)
        cues = IntentCues(intents, normalizer: normalizer)
        let keywordWords = intents.flatMap { ($0.keywords ?? []).flatMap(normalizer.normalize) }
        speller = SpellingCorrector(words: labelled.flatMap(\.words) + keywordWords + Array(Self.slotOnlyWords))
    }

    /// The same intents over another catalog and store list (the POS's changed).
    public func with(catalog: [Product], locations: [Location]) -> LanguageUnderstanding {
        LanguageUnderstanding(intents: intents, catalog: catalog, locations: locations)
    }

    /// The store list as the lexicon knows it.
    public var locations: [Location] { extractor.lexicon.locations }

    /// The catalog products by id, as the lexicon knows them.
    public var products: [String: Product] { extractor.lexicon.products }

    /// Words beside a catalog name that nothing knows — "yeezy" in "yeezy boost 350", "dunk" after "nike",
    /// a model number — mean the caller wants a model we may not carry; returns the whole phrase.
    private func unmatchedModel(_ words: [String], _ extracted: EntityExtractor.Result) -> String? {
        func unknown(_ index: Int) -> Bool {
            guard words.indices.contains(index), !extracted.consumed[index] else { return false }
            let word = words[index]
            if word.contains(where: \.isNumber) { return word.count >= 2 && Double(word).map { $0 > 20 } ?? true }
            return word.count >= 3 && !classifier.knows(word) && !Self.slotOnlyWords.contains(word) && speller.mend(word) == nil
        }
        for (range, brandOnly) in extracted.nameSpans {
            var start = range.lowerBound
            var end = range.upperBound
            while unknown(start - 1), !words[start - 1].contains(where: \.isNumber) { start -= 1 }
            while unknown(end), brandOnly || words[end].contains(where: \.isNumber) { end += 1 }
            if start < range.lowerBound || end > range.upperBound {
                return words[start..<end].joined(separator: " ")
            }
        }
        // A maker or model we don't know before a kind we sell ("the moncler maya down jacket"): a model we may not
        // carry, not any of our jackets. One known word may sit between ("down").
        if let kind = extracted.kindRange, extracted.nameSpans.isEmpty {
            func foreign(_ index: Int) -> Bool {
                unknown(index) && !words[index].contains(where: \.isNumber) && !CatalogLexicon.everydayWords.contains(words[index])
            }
            var start = kind.lowerBound
            if !foreign(start - 1), foreign(start - 2) { start -= 1 }
            var first = start
            while foreign(first - 1) { first -= 1 }
            if first < start { return words[first..<kind.upperBound].joined(separator: " ") }
        }
        return nil
    }

    /// Words that join two things named in one breath.
    private static let itemJoiners: Set<String> = ["and", "plus", "also", "with"]

    /// Splits "2 pairs of the air max in 10 and a black hoodie in medium" at the joining word before each
    /// further thing named, and reads each part on its own; empty when fewer than two parts result.
    private func items(_ words: [String], _ extracted: EntityExtractor.Result) -> [Entities] {
        // A card number is read once and never kept: an utterance carrying one is not split into items.
        guard extracted.entities.cardNumber == nil else { return [] }
        // "I'll take a pair, and also the socks": the first part means the product already talked about.
        if extracted.itemStarts.count == 1, let start = extracted.itemStarts.first,
            let cut = (0..<start).last(where: { Self.itemJoiners.contains(words[$0]) && !extracted.consumed[$0] }), cut > 0
        {
            let before = Array(words[..<cut])
            var focus = extractor.extract(before, expecting: nil).entities
            let pointsBack = before.contains { ["pair", "pairs", "one", "them", "it", "those", "these", "that"].contains($0) }
            if focus.productIDs.isEmpty, focus.kind == nil, focus.brand == nil, pointsBack {
                focus.refersToFocus = true
                return [focus, extractor.extract(Array(words[(cut + 1)...]), expecting: nil).entities]
            }
        }
        guard extracted.itemStarts.count >= 2 else { return [] }
        var cuts: [Int] = []
        var previous = extracted.itemStarts[0]
        for start in extracted.itemStarts.dropFirst() {
            // The last joining word between the previous thing and this one.
            if let cut = (previous..<start).last(where: { Self.itemJoiners.contains(words[$0]) && !extracted.consumed[$0] }) {
                cuts.append(cut)
            }
            previous = start
        }
        guard !cuts.isEmpty else { return [] }
        var parts: [ArraySlice<String>] = []
        var from = 0
        for cut in cuts {
            parts.append(words[from..<cut])
            from = cut + 1
        }
        parts.append(words[from...])
        let items = parts.map { extractor.extract(Array($0), expecting: nil).entities }
            .filter { !$0.productIDs.isEmpty || $0.kind != nil || $0.brand != nil }
        return items.count >= 2 ? items : []
    }

    /// Nudges intent scores by keyword cues from `Intents/` ("refund" points to a return, "parcel" to order
    /// status) and by what the utterance names: a pickup or delivery choice points to an order, a product
    /// with a size to stock or an order rather than small talk.
    private static func weighByCues(
        _ ranking: [(intent: Intent, score: Double)], _ entities: Entities, _ cues: (counts: [Intent: Int], opening: Intent?, covered: Int)
    )
        -> [(intent: Intent, score: Double)]
    {
        func boost(_ intent: Intent) -> Double {
            var boost = 0.0
            // A greeting opens a call: "good morning" is one, "I put it in this morning" is not.
            if let count = cues.counts[intent], count > 0, intent != .greet || cues.opening == .greet {
                boost += 0.15 + 0.04 * Double(min(count, 3) - 1)
            }
            if cues.opening == intent { boost += 0.05 }
            // "Rent", "gift card", "password": things the store line never does outweigh shop words around them.
            if intent == .outOfScope, cues.counts[.outOfScope] != nil { boost += 0.1 }
            let namesProduct = !entities.productIDs.isEmpty || entities.brand != nil || entities.kind != nil
            if entities.fulfillment != nil, intent == .placeOrder { boost += 0.12 }
            if entities.returnReason != nil || entities.refundMethod != nil, intent == .returnItem { boost += 0.12 }
            if entities.orderNumber != nil, intent == .orderStatus || intent == .returnItem { boost += 0.05 }
            // "Return two pairs … from order 5801": a return word with an order number is about that order.
            if entities.orderNumber != nil, intent == .returnItem, cues.counts[.returnItem] != nil { boost += 0.1 }
            if namesProduct, !entities.options.isEmpty, intent == .checkAvailability || intent == .placeOrder { boost += 0.05 }
            return boost
        }
        var scores = Dictionary(ranking.map { ($0.intent, $0.score) }, uniquingKeysWith: max)
        for intent in Intent.allCases where scores[intent] == nil && boost(intent) > 0 { scores[intent] = 0 }
        return scores.map { ($0.key, $0.value + boost($0.key)) }
            .sorted { ($0.score, $1.intent.rawValue) > ($1.score, $0.intent.rawValue) }
    }

    /// Interprets one utterance: its intent, what it names, and the dialogue acts it is made of.
    ///
    /// - Parameter expecting: the slot the conversation just asked for; it decides whether "ten" is a size.
    /// - Parameter carriedDigits: digits in the run the caller's last turn ended on (`Interpretation.trailingDigits`).
    /// - Parameter orderNumberDigits: how long the store's order numbers are, when known (`POSCapabilities`).
    public func interpret(
        _ text: String, expecting: ExpectedSlot? = nil, carriedDigits: Int = 0, orderNumberDigits: ClosedRange<Int>? = nil
    ) -> Interpretation {
        var interpretation = classify(text, expecting: expecting, orderNumberDigits: orderNumberDigits)
        let words = normalizer.normalize(text)
        interpretation.acts = acts.read(
            text, expecting: expecting, intent: interpretation.intent, confidence: interpretation.confidence,
            whole: (words, interpretation.entities))
        // The one redaction pass: nothing below understanding sees a card-like digit run, in the text or in a value.
        let redaction = CardRedaction.redact(
            words, carried: carriedDigits, card: interpretation.entities.cardNumber, readingCard: expecting == .cardNumber,
            orderNumberDigits: orderNumberDigits)
        interpretation.redactedText = redaction.text
        interpretation.trailingDigits = redaction.trailingDigits
        interpretation.continuesEarlierRun = redaction.continuesEarlierRun
        interpretation.entities.dropValues(readFrom: redaction.maskedRuns)
        return interpretation
    }

    private func classify(_ text: String, expecting: ExpectedSlot?, orderNumberDigits: ClosedRange<Int>?) -> Interpretation {
        let words = normalizer.normalize(text)
        let extracted = extractor.extract(words, expecting: expecting, orderNumberDigits: orderNumberDigits)
        var entities = extracted.entities
        entities.unmatchedModel = unmatchedModel(words, extracted)
        entities.items = items(words, extracted)
        if expecting == .cardNumber, entities.cardNumber == nil {
            let digits = words.filter(NumberWords.isDigits).joined()
            if !digits.isEmpty { entities.cardDigits = digits }
        }
        // Set by `interpret`, once entities are known: `CardRedaction` needs the card number understood.
        let redacted = ""
        guard !words.isEmpty else {
            return Interpretation(intent: .outOfScope, confidence: 0, entities: entities, redactedText: redacted)
        }
        // Typed slips ("recieve", "oder") are mended for reading the intent; entities were read as written.
        // Words of a catalog name are no cue ("cleaning" in the Jason Markk Cleaning Kit is not about cleaning).
        let inName = Set(extracted.nameSpans.flatMap { Array($0.range) })
        let mended = words.indices.flatMap { index -> [String] in
            if inName.contains(index) { return ["<item>"] }
            return extracted.consumed[index] ? [words[index]] : speller.mend(words[index]) ?? [words[index]]
        }
        let masked = speller.mendAll(extracted.masked)
        let content = masked.filter { !$0.hasPrefix("<") && !Self.slotOnlyWords.contains($0) }
        let found = cues.find(in: mended)
        // The whole utterance is one intent's keywords ("adios", "certainly", "i'll pass"): that intent.
        let meaningful = mended.filter { !Self.slotOnlyWords.contains($0) && !["a", "an", "oh", "so", "just", "well"].contains($0) }
        if found.counts.count == 1, let only = found.counts.keys.first, found.covered >= meaningful.count, found.covered > 0,
            entities.isEmpty
        {
            return Interpretation(intent: only, confidence: 0.9, entities: entities, redactedText: redacted, cues: [only])
        }
        // Only values ("size ten", "the black ones"), or "that one" with no keyword ("go for it" has one).
        if content.isEmpty, !entities.isEmpty || (entities.refersToFocus && found.counts.isEmpty) {
            return Interpretation(intent: .inform, confidence: 0.9, entities: entities, redactedText: redacted)
        }
        var ranking = Self.weighByCues(classifier.rank(masked), entities, found)
        // "Hi, um, where's my order": a greeting or a "yeah" in front of a request does not replace it.
        var leadLength = 0
        while let leadIn = Self.leadIns.first(where: { mended.dropFirst(leadLength).starts(with: $0) }) { leadLength += leadIn.count }
        if mended.count >= leadLength + 3, leadLength > 0 {
            let leadWords = Set(mended.prefix(leadLength))
            var dropped = 0
            let rest = Array(
                masked.drop { word in
                    guard dropped < leadLength, leadWords.contains(word) else { return false }
                    dropped += 1
                    return true
                })
            let restCues = cues.find(in: Array(mended.dropFirst(leadLength)))
            let restRanking = Self.weighByCues(classifier.rank(rest), entities, restCues)
            // Only a real request behind the opening replaces it ("thanks for doing that" stays a thank-you).
            let requests: Set<Intent> = [.checkAvailability, .placeOrder, .orderStatus, .returnItem, .humanAgent]
            if let top = restRanking.first, requests.contains(top.intent), top.score >= Self.outOfScopeBelow {
                ranking = restRanking
            }
        }
        let heard = Set(found.counts.keys)
        guard let best = ranking.first, best.score >= Self.outOfScopeBelow else {
            // Like no example at all: out of scope, with a confidence that says it was a guess.
            return Interpretation(
                intent: .outOfScope, confidence: 0.2, alternative: ranking.first?.intent, entities: entities,
                redactedText: redacted, cues: heard)
        }
        let runnerUp = ranking.count > 1 ? ranking[1] : nil
        let margin = best.score - (runnerUp?.score ?? 0)
        var confidence = min(1, max(0, 0.45 * min(1, best.score / 0.7) + 0.55 * min(1, margin / 0.25)))
        // Mostly words no example has ("gibberish words here"): one known word decides the intent, but
        // the reading stays a guess.
        let unknown = content.filter { !classifier.knows($0) }.count
        if content.count >= 2, unknown * 2 > content.count { confidence = min(confidence, 0.45) }
        return Interpretation(
            intent: best.intent, confidence: confidence, alternative: runnerUp?.intent, entities: entities,
            redactedText: redacted, cues: heard)
    }

    /// Openings that carry no request of their own.
    private static let leadIns: [[String]] = [
        ["hi", "there"], ["hey", "there"], ["hello", "there"], ["good", "morning"], ["good", "afternoon"], ["good", "evening"],
        ["hi"], ["hey"], ["hello"], ["yeah"], ["yes"], ["ok"], ["okay"], ["so"], ["well"], ["right"], ["alright"], ["um"],
        ["oh"], ["and"], ["also"], ["great"], ["perfect"], ["cool"], ["thanks"], ["thank", "you"],
    ]
}
