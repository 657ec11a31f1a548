import Foundation

/// Scores intents by TF-IDF cosine similarity to the examples in `Intents/`, with no training step.
///
/// Each utterance is compared to every example (word and word-pair features, entities masked);
/// an intent's score blends its nearest example with its three nearest, so one odd example
/// cannot carry an utterance alone.
struct IntentClassifier: Sendable {
    private struct Example: Sendable {
        var intent: Intent
        var vector: [Int: Double]
    }

    private var vocabulary: [String: Int] = [:]
    private var inverseFrequency: [Double] = []
    private var examples: [Example] = []

    /// - Parameter examples: masked example word lists per intent.
    init(examples labelled: [(intent: Intent, words: [String])]) {
        var documentFrequency: [Int: Int] = [:]
        var featureLists: [[Int]] = []
        for (_, words) in labelled {
            var ids: [Int] = []
            for feature in Self.features(words) {
                let id = vocabulary[feature] ?? {
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
        examples = zip(labelled, featureLists).map { pair in
            Example(intent: pair.0.intent, vector: Dictionary(uniqueKeysWithValues: vector(pair.1).map { ($0.id, $0.weight) }))
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
        var similarities: [Intent: [Double]] = [:]
        for example in examples {
            var dot = 0.0
            for (id, weight) in query { if let other = example.vector[id] { dot += weight * other } }

            similarities[example.intent, default: []].append(dot)
        }
        return similarities.map { intent, values in
            let top = values.sorted(by: >)
            let best = top.first ?? 0
            let topThree = top.prefix(3).reduce(0, +) / Double(min(3, top.count))
            return (intent, 0.4 * best + 0.6 * topThree)
        }
        .sorted { ($0.score, $1.intent.rawValue) > ($1.score, $0.intent.rawValue) }
    }
}
