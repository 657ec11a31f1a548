import Understanding

/// How an answer to a question whose yes moves money — "Shall I place the order?", "Shall I charge …?" — is taken.
///
/// Only a plain, unhedged, unconditional yes proceeds. Read from the answer's dialogue acts, in this order:
/// a repair or a change (a person, start over, repeat, cancel, a correction, a new request) is handled by the
/// conversation as it would be anywhere; a hold-on or a take-back waits; a no declines; a question is
/// answered and the question asked again; a hedge, a condition or anything unclear asks again.
enum MoneyAnswer: Equatable {
    /// A plain yes: go ahead.
    case proceed
    /// "No", "I didn't say yes": decline, nothing moves.
    case decline
    /// "Hold on", "yes, no wait": nothing moves; the question stays open.
    case wait
    /// "Is that with tax?": answer it, then ask again.
    case question(DialogueAct.Topic)
    /// "I guess so", "yes if it's under fifty", words not understood: nothing moves; ask again.
    case hesitate
    /// A correction, a new request, cancel, start over, repeat, goodbye or a person: the conversation's usual handling,
    /// which never proceeds on it (see `Turn.accept`).
    case other

    /// Reads the acts of an answer.
    ///
    /// - Parameter restatesDraft: whether the values said ("yes, the black ones", "do you have it in red?") are what is on
    ///   the table.
    init(_ acts: [DialogueAct], restatesDraft: Bool) {
        // "Yes — and can you email me the receipt?": asking how the confirmation comes changes nothing; the yes stands.
        // "Yes, but will I get a receipt?" holds the yes back for it.
        let aboutReceipt = { (act: DialogueAct) in act.kind == .question && act.topic == .receipt && act.words.first != "but" }
        if acts.contains(where: { $0.kind == .affirm }), acts.contains(where: aboutReceipt) {
            self = MoneyAnswer(acts.filter { !aboutReceipt($0) }, restatesDraft: restatesDraft)
            return
        }
        let kinds = Set(acts.kinds)
        // "I was going back and forth, but that's exactly what I want — go ahead": a doubt set aside with "but" and a
        // yes is settled; the clause after "but" is where the caller stands.
        if let last = acts.last, last.kind == .affirm, last.words.first == "but", acts.count > 1,
            acts.dropLast().allSatisfy({ [.hedge, .unclear, .affirm, .thanks, .greet].contains($0.kind) })
        {
            self = restatesDraft ? .proceed : .other
            return
        }
        if acts.isPlainYes {
            self = restatesDraft ? .proceed : .other
            return
        }
        let repairs: Set<DialogueAct.Kind> = [.human, .startOver, .repeatRequest, .cancel, .goodbye]
        if !kinds.isDisjoint(with: repairs) {
            self = .other
        } else if kinds.contains(.condition) || kinds.contains(.hedge) {
            // "Yes, unless it's more than 100": whatever else it names, it is no yes.
            self = .hesitate
        } else if kinds.contains(.correction) || kinds.contains(.request) || !restatesDraft {
            // "Size 11 please", "do you have it in red?": a change, whatever its form.
            self = .other
        } else if let question = acts.last(where: { $0.kind == .question }), acts.last?.kind != .holdOn {
            // "Wait, what's the total?": the question is what to answer.
            self = .question(question.topic ?? .other)
        } else if kinds.contains(.holdOn) {
            self = .wait
        } else if kinds.contains(.deny) {
            self = .decline
        } else {
            self = .hesitate
        }
    }
}

extension PendingQuestion {
    /// Whether a yes to this question places an order or charges a card.
    var movesMoney: Bool {
        switch self {
        case .placeOrder, .charge: true
        default: false
        }
    }
}
