import Understanding

/// The repairs a caller can make at any point of a call, tried in this order before anything else in the turn is read.
///
/// Read from the utterance's dialogue acts, so "wait" in "wait, where's my order?" is not a hold and "sorry" alone
/// is a request to hear the last reply again. A person asked for, a cancellation and a clarifying question depend on
/// what is under way and stay with the flows.
enum Repair: String, CaseIterable, Sendable {
    /// "This is ridiculous", "you're useless": no more questions; a person takes over at once.
    case frustration
    /// "Start over": drop whatever was under way, keep who the caller is.
    case startOver
    /// "Sorry?", "say that again": the last reply, said again; the question stays open.
    case repeatLast
    /// "Hold on", "one sec, let me get my card": wait; the question stays open.
    case holdOn

    /// The first repair the utterance asks for, in the table's order.
    static func asked(by interpretation: Interpretation, expecting: ExpectedSlot?) -> Repair? {
        allCases.first { $0.applies(to: interpretation, expecting: expecting) }
    }

    func applies(to interpretation: Interpretation, expecting: ExpectedSlot?) -> Bool {
        let kinds = interpretation.acts.kinds
        // Thanks, a greeting or words nobody could act on may come with a repair without changing it.
        let asides: Set<DialogueAct.Kind> = [.thanks, .greet, .unclear]
        switch self {
        case .frustration:
            // A return reason may be "it's useless"; anywhere else these words are about the call.
            let text = " \(interpretation.redactedText) "
            return expecting != .reason && Self.frustrationPhrases.contains(where: text.contains)
        case .startOver:
            return kinds.contains(.startOver)
        case .repeatLast:
            return kinds.contains(.repeatRequest) && kinds.allSatisfy { $0 == .repeatRequest || asides.contains($0) }
        case .holdOn:
            // "One sec, the black ones" carries a value to act on; "one sec, let me get my card" does not.
            let said = interpretation.entities
            let values =
                !said.productIDs.isEmpty || !said.options.isEmpty || said.quantity != nil || said.bareNumber != nil || said.locationID != nil
                || said.fulfillment != nil || said.orderNumber != nil || said.cardNumber != nil || said.cardDigits != nil
            return kinds.contains(.holdOn) && kinds.allSatisfy { $0 == .holdOn || asides.contains($0) } && !values
        }
    }

    /// Clear frustration with the call itself.
    private static let frustrationPhrases = [
        " ridiculous ", " useless ", " you are stupid ", " this is stupid ", " waste of time ", " wasting my time ",
        " not helping ", " no help ", " fed up ", " sick of this ", " so annoying ", " this is annoying ", " frustrating ",
        " frustrated ", " pointless ", " terrible service ", " awful service ", " are you kidding ", " this is a joke ",
        " for gods sake ", " for god sake ", " i give up ", " hopeless ", " bloody machine ", " stupid machine ", " stupid bot ",
    ]
}
