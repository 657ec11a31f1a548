/// Keyword cues from `Intents/`: phrases that point to an intent whatever the rest of the sentence says.
///
/// The longest cue at a position wins, so "cancel my order" (out of scope) is not also read as
/// "my order" (order status).
struct IntentCues: Sendable {
    private var cues: [(words: [String], intent: Intent)] = []
    private var longest = 1

    init(_ definitions: [IntentDefinition], normalizer: TranscriptNormalizer) {
        for definition in definitions {
            guard let intent = Intent(rawValue: definition.intent) else { continue }
            for keyword in definition.keywords ?? [] {
                let words = normalizer.normalize(keyword)
                guard !words.isEmpty else { continue }
                cues.append((words, intent))
                longest = max(longest, words.count)
            }
        }
        cues.sort { ($0.words.count, $0.words.joined(separator: " ")) > ($1.words.count, $1.words.joined(separator: " ")) }
    }

    /// The cues the words contain, by intent; the intent of a cue that opens the utterance ("No, thank
    /// you" is a no before it is a thank-you); and how many words the cues cover.
    func find(in words: [String]) -> (counts: [Intent: Int], opening: Intent?, covered: Int) {
        var counts: [Intent: Int] = [:]
        var opening: Intent?
        var covered = 0
        var index = 0
        while index < words.count {
            var matched = 0
            for cue in cues where cue.words.count <= words.count - index && cue.words[0] == words[index] {
                if Array(words[index..<(index + cue.words.count)]) == cue.words {
                    counts[cue.intent, default: 0] += 1
                    if index == 0 { opening = cue.intent }
                    matched = cue.words.count
                    covered += matched
                    break
                }
            }
            index += max(1, matched)
        }
        return (counts, opening, covered)
    }
}
