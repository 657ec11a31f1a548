import Foundation

/// Scores intents by TF-IDF cosine similarity to the examples in `Intents/`, with no training step.
///
/// Each utterance is compared to every example (word and word-pair features, entities masked);
/// an intent's score blends its nearest example with its three nearest, so one odd example
/// cannot carry an utterance alone, and is weighed by Naive Bayes evidence from all the intent's
/// words, so a sentence with no close example still leans on the words it shares.
struct IntentClassifier: Sendable {
    /// How much of the nearest-example score stands without word evidence (1 turns Naive Bayes off).
    static let bayesFloor = 0.85

    private var vocabulary: [String: Int] = [:]
    private var inverseFrequency: [Double] = []
    /// The intent of each example, by example index.
    private var exampleIntents: [Intent] = []
    /// For each feature, the examples that have it and its weight there: only examples sharing a feature
    /// with the utterance are ever touched.
    private var postings: [[(example: Int, weight: Double)]] = []
    /// Naive Bayes word evidence: log P(feature | intent) for every feature, and for an unseen one.
    private var logLikelihood: [Intent: [Double]] = [:]
    private var logUnseen: [Intent: Double] = [:]

    /// - Parameter examples: masked example word lists per intent.
    init(examples labelled: [(intent: Intent, words: [String])]) {
        var documentFrequency: [Int: Int] = [:]
        var featureLists: [[Int]] = []
        for (_, words) in labelled {
            var ids: [Int] = []
            for feature in Self.features(words) {
                let id =
                    vocabulary[feature]
                    ?? {
                        let id = vocabulary.count
                        vocabulary[feature] = id
                        return id
                    }()
                ids.append(id)
            }
            for id in Set(ids) { documentFrequency[id, default: 0] += 1 }
            featureLists.append(ids)
        }
        let count = Double(max(1, labelled.count))
        inverseFrequency = (0..<vocabulary.count).map { log((count + 1) / Double(documentFrequency[$0, default: 0] + 1)) + 1 }
        exampleIntents = labelled.map(\.intent)
        // Word evidence per intent, smoothed, so a word seen in one intent's examples counts even when no
        // single example is close.
        var counts: [Intent: [Double]] = [:]
        for (example, ids) in zip(labelled, featureLists) {
            var row = counts[example.intent] ?? Array(repeating: 0, count: vocabulary.count)
            for id in Set(ids) { row[id] += 1 }
            counts[example.intent] = row
        }
        for (intent, row) in counts {
            let total = row.reduce(0, +) + 0.5 * Double(vocabulary.count)
            logLikelihood[intent] = row.map { log(($0 + 0.5) / total) }
            logUnseen[intent] = log(0.5 / total)
        }
        postings = Array(repeating: [], count: vocabulary.count)
        for (index, ids) in featureLists.enumerated() {
            for (id, weight) in vector(ids) { postings[id].append((index, weight)) }
        }
    }

    /// A unit-length TF-IDF vector, in feature order so every sum is taken in the same order on every run.
    private func vector(_ ids: [Int]) -> [(id: Int, weight: Double)] {
        var counts: [Int: Double] = [:]
        for id in ids { counts[id, default: 0] += 1 }
        let weighted = counts.keys.sorted().map { id in (id: id, weight: (1 + log(counts[id]!)) * inverseFrequency[id]) }
        let norm = weighted.reduce(0) { $0 + $1.weight * $1.weight }.squareRoot()
        guard norm > 0 else { return [] }
        return weighted.map { ($0.id, $0.weight / norm) }
    }

    private static func features(_ words: [String]) -> [String] {
        guard !words.isEmpty else { return [] }
        let bounded = ["^"] + words + ["$"]
        // Word stems as extra features, so "delivery", "delivered" and "deliver" meet.
        var result = words + words.compactMap { $0.count > 5 && !$0.hasPrefix("<") ? "~" + $0.prefix(5) : nil }
        for index in 0..<(bounded.count - 1) { result.append(bounded[index] + " " + bounded[index + 1]) }
        return result
    }

    /// Whether any example uses the word.
    func knows(_ word: String) -> Bool { vocabulary[word] != nil }

    /// Intent scores for masked words, best first.
    func rank(_ words: [String]) -> [(intent: Intent, score: Double)] {
        let query = vector(Self.features(words).compactMap { vocabulary[$0] })
        guard !query.isEmpty else { return [] }
        var similarity = Array(repeating: 0.0, count: exampleIntents.count)
        for (id, weight) in query {
            for posting in postings[id] { similarity[posting.example] += weight * posting.weight }
        }
        var byIntent: [Intent: [Double]] = [:]
        for (index, value) in similarity.enumerated() where value > 0 { byIntent[exampleIntents[index], default: []].append(value) }
        // Naive Bayes posterior over the intents, from the same features.
        let ids = Self.features(words).compactMap { vocabulary[$0] }
        var logPosterior: [Intent: Double] = [:]
        for (intent, row) in logLikelihood { logPosterior[intent] = ids.reduce(0) { $0 + row[$1] } }
        let peak = logPosterior.values.max() ?? 0
        let mass = logPosterior.values.reduce(0) { $0 + exp($1 - peak) }
        return Intent.allCases.compactMap { intent -> (intent: Intent, score: Double)? in
            guard let values = byIntent[intent] else { return nil }
            let top = values.sorted(by: >)
            let topThree = top.prefix(3).reduce(0, +) / 3
            let nearest = 0.4 * top[0] + 0.6 * topThree
            let posterior = logPosterior[intent].map { exp($0 - peak) / mass } ?? 0
            return (intent, nearest * (Self.bayesFloor + (1 - Self.bayesFloor) * 2 * posterior))
        }
        .sorted { ($0.score, $1.intent.rawValue) > ($1.score, $0.intent.rawValue) }
    }
}
