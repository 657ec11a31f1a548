/// Reads an utterance as dialogue acts: splits it into clauses, then reads each clause's structure —
/// negation, hedges, conditions, questions, take-backs, corrections — rather than the mere presence of a
/// "yes".
///
/// Clauses end at punctuation the recognizer wrote and before the words that open a new one ("but",
/// "actually", "if", "wait", a question word after a yes). Each clause is read in a fixed order, so that
/// what qualifies a yes always wins over the yes: a repair ("wait", "start over"), a question, a condition,
/// a hedge, a negation, a correction, and only then an affirmation.
struct DialogueActReader: Sendable {
    let normalizer: TranscriptNormalizer
    let extractor: EntityExtractor

    /// The acts in `text`, in the order spoken; `[unclear]` when nothing in it could be read.
    ///
    /// - Parameters:
    ///   - expecting: the slot the conversation asked for, which steers how values are read.
    ///   - intent: what the whole utterance was classified as, for a clause that is a request.
    ///   - whole: the utterance's words and what they name, as already read: a clause that is the whole utterance (most
    ///     are) reuses them rather than searching the catalog again.
    func read(
        _ text: String, expecting: ExpectedSlot?, intent: Intent, confidence: Double, whole: (words: [String], entities: Entities)
    ) -> [DialogueAct] {
        var acts: [DialogueAct] = []
        for segment in Self.segments(of: TranscriptNormalizer.withoutAnnotations(text)) {
            // Card digits are never kept in an act: a clause reads "[digits]" where a number was read out.
            let words = normalizer.normalize(segment.text).map { word in
                let digits = word.filter(\.isNumber).count
                return digits >= 12 || (digits > 0 && expecting == .cardNumber) ? "[digits]" : word
            }
            for clause in Self.clauses(words) {
                let known = clause == whole.words ? whole.entities : nil
                guard
                    let act = read(
                        clause: clause, known: known, asked: segment.asked, expecting: expecting, intent: intent, confidence: confidence)
                else { continue }
                acts += act
            }
        }
        // "Sorry, what's the total?": a "sorry" before something else is an apology, not "say that again".
        if acts.count > 1 { acts.removeAll { $0.kind == .repeatRequest && $0.words == ["sorry"] } }
        // "No, I said medium, not large": a no followed by a value corrects it, and "not large" is the value set aside.
        for index in acts.indices.dropFirst() where acts[index].kind == .inform && acts[index - 1].kind == .deny {
            acts[index].kind = .correction
        }
        // "No no, that's fine, charge it": a no that only reassures, before a yes that says go ahead.
        if acts.count > 1, acts[0].kind == .deny, acts[0].words.allSatisfy({ ["no", "nope", "nah"].contains($0) }),
            acts.dropFirst().contains(where: { $0.kind == .affirm && $0.words.contains(where: Self.proceedVerbs.contains) })
        {
            acts.removeFirst()
        }
        if acts.contains(where: { $0.kind == .correction }) {
            acts.removeAll { $0.kind == .deny && $0.words.first == "not" && hasValues($0.entities) }
        }
        // "[inaudible]", "(child in background) yes": the transcript itself says some of it was not the caller's clear
        // words, so whatever else was read, part of it was unclear.
        let notes = TranscriptNormalizer.annotations(in: text)
        if !notes.isEmpty {
            acts.insert(DialogueAct(.unclear, words: notes.flatMap { $0.lowercased().split(separator: " ").map(String.init) }), at: 0)
        }
        return acts.isEmpty ? [DialogueAct(.unclear)] : acts
    }

    // MARK: Segments and clauses

    /// The text cut at the punctuation a recognizer or a typist wrote; `asked` when a segment ends with "?".
    static func segments(of text: String) -> [(text: String, asked: Bool)] {
        var result: [(String, Bool)] = []
        var current = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            let previous = index > 0 ? characters[index - 1] : " "
            // "$34.84" and "10.5" keep their point; "4242, 4242" is one number read in groups.
            let inNumber = previous.isNumber && next.isNumber
            if ",;!?—…".contains(character) || (character == "." && !inNumber) {
                if character == ",", inNumber || (previous.isNumber && next == " ") { current.append(" "); continue }
                result.append((current, character == "?"))
                current = ""
            } else {
                current.append(character)
            }
        }
        result.append((current, false))
        return result.filter { !$0.0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// Words that open a new clause wherever they stand.
    private static let clauseOpeners: [[String]] = [
        ["but"], ["actually"], ["although"], ["though"], ["except"], ["only", "if"], ["if"], ["unless"], ["as", "long", "as"],
        ["so", "long", "as"], ["provided"], ["assuming"], ["no", "wait"], ["wait"], ["hold", "on"], ["hang", "on"],
        ["oh", "wait"], ["i", "mean"], ["or", "rather"],
    ]
    /// Words that promise more to come: a clause ending on one was cut off.
    private static let danglingQualifiers: Set<String> = [
        "but", "although", "though", "except", "only", "just", "unless", "if", "provided", "assuming", "because", "and", "or",
    ]
    /// Words that need a noun after them: a clause ending on one was cut off ("charge the…").
    private static let determiners: Set<String> = ["the", "a", "an", "my", "your", "our", "their", "his", "her"]
    /// Names for someone else in the room: a clause ending on one is said to them, not to us ("put it in the car, honey").
    private static let vocatives: Set<String> = [
        "honey", "hon", "babe", "baby", "mom", "mum", "mommy", "dad", "daddy", "sweetie", "sweetheart", "darling", "kids",
    ]
    /// Words that make a size another product line's ("a women's ten"): never a restatement of the size read back.
    private static let sizeQualifiers: Set<String> = ["womens", "mens", "kids", "youth", "boys", "girls", "toddler", "toddlers"]
    /// Hold-on words that stand apart from what follows them.
    private static let interjections: [[String]] = [
        ["oh", "wait"], ["no", "wait"], ["wait", "wait"], ["wait"], ["hold", "on"], ["hang", "on"], ["one", "sec"], ["one", "second"],
    ]
    /// Words after which a question word opens a new clause ("yes how long will it take").
    private static let beforeQuestion: Set<String> = [
        "yes", "yeah", "yep", "ok", "okay", "sure", "fine", "alright", "right", "great", "no", "and", "so", "also", "oh", "well",
        "first", "quick", "question", "then", "perfect", "cool", "good", "thanks", "sorry", "wait",
    ]

    static func clauses(_ words: [String]) -> [[String]] {
        var clauses: [[String]] = []
        var current: [String] = []
        var index = 0
        while index < words.count {
            let rest = words[index...]
            let opener = clauseOpeners.first { rest.starts(with: $0) }
            let questionAfterAnswer =
                questionWords.contains(words[index]) && index > 0 && beforeQuestion.contains(words[index - 1])
                || (auxiliaries.contains(words[index]) && index > 0 && beforeQuestion.contains(words[index - 1])
                    && index + 1 < words.count && subjects.contains(words[index + 1])
                    && !Self.isCommand(words, doAt: index))
            // An opener that ends the utterance ("black, actually") qualifies what came before; it opens nothing.
            let endsUtterance = opener.map { index + $0.count >= words.count } ?? false
            if opener != nil && !endsUtterance || questionAfterAnswer, !current.isEmpty {
                // "Yes, and can you…": the "and" leads into the question; it leaves nothing cut off behind it.
                let carried = questionAfterAnswer && ["and", "so", "also", "then"].contains(current.last!)
                let lead = carried ? [current.removeLast()] : []
                if !current.isEmpty { clauses.append(current) }
                current = lead
            }
            // "Wait, where's my other order": the interjection is a clause of its own.
            if let interjection = interjections.first(where: { rest.starts(with: $0) }), current.isEmpty {
                clauses.append(interjection)
                index += interjection.count
                continue
            }
            current.append(words[index])
            index += 1
        }
        if !current.isEmpty { clauses.append(current) }
        return clauses
    }

    // MARK: Reading a clause

    private func read(
        clause words: [String], known: Entities?, asked: Bool, expecting: ExpectedSlot?, intent: Intent, confidence: Double
    ) -> [DialogueAct]? {
        guard var acts = readOne(clause: words, known: known, asked: asked, expecting: expecting, intent: intent, confidence: confidence)
        else { return nil }
        // "Yes but…", "okay, only…", "uh yeah the…": a clause cut off after a word that needs more is no plain answer.
        if let last = words.last, Self.danglingQualifiers.contains(last) || Self.determiners.contains(last), words.count > 1 || asked == false {
            acts.append(DialogueAct(.unclear, words: [last]))
        }
        // "I'll think about it, bye": a goodbye closing a clause is an act of its own.
        let last = words.suffix(2)
        if acts.last?.kind != .goodbye, last.contains("bye") || last.contains("goodbye") || Array(last) == ["see", "you"] {
            acts.append(DialogueAct(.goodbye, words: Array(last)))
        }
        return acts
    }

    private func readOne(
        clause spoken: [String], known: Entities?, asked: Bool, expecting: ExpectedSlot?, intent: Intent, confidence: Double
    ) -> [DialogueAct]? {
        // "I mean, how much was it?": an opening "I mean" carries nothing of its own.
        let opensWithFiller = spoken.starts(with: ["i", "mean"]) && spoken.count > 2
        let words = opensWithFiller ? Array(spoken.dropFirst(2)) : spoken
        var entities = (opensWithFiller ? nil : known) ?? extractor.extract(words, expecting: expecting).entities
        if let not = words.firstIndex(of: "not"), not + 1 < words.count {
            // "I said medium, not large": the value wanted is the one not negated.
            var kept = words
            kept.removeSubrange(not...(not + 1))
            let wanted = extractor.extract(kept, expecting: expecting).entities
            if !wanted.options.isEmpty || wanted.quantity != nil || wanted.locationID != nil { entities = wanted }
        }
        let text = " " + words.joined(separator: " ") + " "
        func act(_ kind: DialogueAct.Kind, topic: DialogueAct.Topic? = nil) -> [DialogueAct] {
            [DialogueAct(kind, words: words, entities: entities, topic: topic)]
        }
        func has(_ phrases: [String]) -> Bool { phrases.contains { text.contains(" \($0) ") } }
        let first = words.first ?? ""

        if has(Self.startOver) { return act(.startOver) }
        if has(Self.repeatPhrases) || words == ["sorry"] || words == ["what"] || words == ["huh"] { return act(.repeatRequest) }
        if has(Self.human) { return act(.human) }
        if has(Self.holdOn) && !Self.affirmIdioms.contains(where: { text.contains(" \($0) ") }) { return act(.holdOn) }
        if has(Self.cancelPhrases) { return act(.cancel) }
        // "Back to my order", "let's get back to it": where the call goes next, asking nothing and answering nothing.
        if has(["back to my", "back to the", "back to our", "back to it", "back to that", "back to where"]), !hasValues(entities) {
            return act(.request)
        }

        // Idioms that say yes in other words ("why not", "make it so", "don't change a thing").
        let hedgeText = Self.discourseMarkers.reduce(text) { $0.replacingOccurrences(of: " \($1) ", with: " ") }
        let hedged = Self.hedges.contains { hedgeText.contains(" \($0) ") }
        // An idiom's own words name no value ("green light" is no colour).
        if let idiom = Self.affirmIdioms.first(where: { text.contains(" \($0) ") }), !hedged,
            !hasValues(entities) || !hasValues(extractor.extract(Self.removing(idiom, from: words), expecting: expecting).entities)
        {
            return act(.affirm)
        }
        // "Can I get 3 instead?", "could I use a different card?": a change asked for, whatever its form.
        let negated = words.contains { Self.negators.contains($0) } && !has(Self.affirmIdioms)
        if has(Self.correctionMarkers) || (entities.mentionsCard && has(["different", "another", "other", "new"])),
            hasValues(entities) || !entities.namedOptions.isEmpty || !negated
        {
            return act(.correction)
        }
        // "Can you email me the receipt?", "text me the order number too": about the confirmation, not the order.
        // ("Provided you email me a receipt first" makes the receipt a condition of the yes.)
        if has(["receipt", "email", "e mail", "text me", "confirmation", "order number"]), !hasValues(entities) || entities.orderNumber == nil,
            entities.options.isEmpty, entities.productIDs.isEmpty, !has(Self.conditions), !has(["first", "before"])
        {
            // "Yes, charge it and email me the receipt": the yes, and the question about the receipt.
            let rest = Self.removing("receipt", from: words)
            let affirms = !Self.affirmWordIndices(rest).isEmpty || has(Self.affirmPhrases) || rest.contains(where: Self.proceedVerbs.contains)
            let question = DialogueAct(.question, words: words, entities: entities, topic: .receipt)
            return affirms && !words.starts(with: ["can"]) && !words.starts(with: ["could"])
                ? [DialogueAct(.affirm, words: words), question] : [question]
        }
        // "Charge it tomorrow", "place it after I talk to my wife": a yes put off is no yes now.
        let deferred = has(Self.deferrals)
        // A polite command in question form is a yes: "can you go ahead and charge it".
        if !deferred, isPoliteCommand(words, entities: entities) { return act(.affirm) }
        if asked || isQuestion(words) {
            // "Do you have the black ones in a ten?", "where's my other order?" name something new: a request, not a
            // question about what is on the table.
            let elsewhere: Set<Intent> = [.orderStatus, .returnItem]
            let aboutAnOrder = ["order", "orders", "return", "refund", "package", "delivery"].contains(where: words.contains)
            if !entities.productIDs.isEmpty || entities.orderNumber != nil || entities.refersToOther
                || (elsewhere.contains(intent) && confidence >= 0.6 && aboutAnOrder)
            {
                // "Do you have the mugs in slate?" asks about stock, whatever it names: a question, never a change.
                let topic = Self.topic(of: text)
                return act(.request, topic: topic == .stock ? .stock : nil)
            }
            // With no question of ours open, a question is a request of its own ("what time do you close?").
            return act(expecting == nil ? .request : .question, topic: Self.topic(of: text))
        }
        // "If you could place that for me, that'd be great": a polite command, not a condition.
        if !deferred, let condition = words.firstIndex(of: "if"), condition + 3 < words.count, words[condition + 1] == "you",
            ["could", "would", "can"].contains(words[condition + 2]),
            let verb = words.dropFirst(condition + 3).first(where: { !["please", "just", "go", "ahead", "and"].contains($0) }),
            Self.proceedVerbs.contains(verb), !hasValues(entities) || entities.mentionsCard
        {
            return act(.affirm)
        }
        if deferred || has(Self.conditions) { return act(.condition) }
        if hedged || Self.hedgeWords.contains(first) {
            // "Maybe a nine": unsure, and a value all the same.
            return hasValues(entities) ? act(.hedge) + [DialogueAct(.inform, words: words, entities: entities)] : act(.hedge)
        }
        // A change is marked ("instead", "make it", "a different card") or set against what was said ("but the
        // women's"); values said plainly ("use the visa", "size ten") are informs, which the conversation compares
        // with what it has.
        let contrasted = ["but", "except", "though", "although"].contains(first) && (hasValues(entities) || !entities.namedOptions.isEmpty)
        // "That's wrong", "that's not what I ordered": something is to be put right, even with no value to put.
        let complaint = has(["wrong", "mistake", "not right", "not what i", "not correct", "incorrect"])
        let correcting =
            has(Self.correctionMarkers) || contrasted || complaint || (entities.mentionsCard && has(["different", "another", "other", "new"]))
        if correcting, hasValues(entities) || !entities.namedOptions.isEmpty || !negated || complaint {
            return act(.correction)
        }
        if negated {
            // "No, the black ones": a no with a value is a correction.
            if first == "no" || first == "nope" || first == "nah", hasValues(entities) {
                return [DialogueAct(.deny, words: [first]), DialogueAct(.correction, words: Array(words.dropFirst()), entities: entities)]
            }
            return act(.deny)
        }
        // "My daughter says yes", "my son says go ahead": someone else's yes is not the caller's.
        let reporting: Set<String> = ["says", "said", "thinks", "reckons", "told"]
        if let verb = words.firstIndex(where: reporting.contains), verb >= 1, !["i", "we"].contains(words[verb - 1]) {
            return act(.hedge)
        }
        // "Yeah, put it in the car, honey": said to someone else in the room.
        if let last = words.last, Self.vocatives.contains(last) { return act(.unclear) }
        // "Yes, in a women's ten": a size of another line of the product is a change.
        if words.contains(where: Self.sizeQualifiers.contains) { return act(.correction) }
        // "Send one over to Riverside for me": a command to go ahead, with the details it names.
        if hasValues(entities), let verb = words.drop(while: { ["please", "just", "then", "ok", "okay"].contains($0) }).first,
            Self.proceedVerbs.contains(verb), !["use", "try", "take", "do"].contains(verb)
        {
            return [DialogueAct(.affirm, words: words), DialogueAct(.inform, words: words, entities: entities)]
        }
        let affirmed =
            Self.affirmWordIndices(words).isEmpty == false || has(Self.affirmPhrases) || has(Self.affirmIdioms) || isCommandToProceed(words)
        if affirmed {
            // "Yes, size ten in black": the yes, and the values it restates (or changes).
            if hasValues(entities) { return [DialogueAct(.affirm, words: words), DialogueAct(.inform, words: words, entities: entities)] }
            return act(.affirm)
        }
        if has(Self.goodbye) { return act(.goodbye) }
        let core: Set<Intent> = [.checkAvailability, .placeOrder, .orderStatus, .returnItem]
        // "Pickup at Downtown" at a yes/no question: values, compared with what is on the table — not a new request.
        if expecting == .confirmation, hasValues(entities) { return act(.inform) }
        if core.contains(intent), confidence >= 0.6, expecting == nil || expecting == .confirmation, words.count >= 3 {
            return act(.request)
        }
        if has(Self.thanks) { return act(.thanks) }
        if has(Self.greetings) { return act(.greet) }
        // "…but I wanted the 97s": a reservation set against what came before, even when its words aren't understood.
        if ["but", "except", "though", "although"].contains(first), words.count > 1,
            !words.dropFirst().allSatisfy({ ["please", "thanks", "thank", "you", "yes", "ok", "okay", "sure"].contains($0) })
        {
            return act(.unclear)
        }
        // A number is never chatter: "…for 114.54" is compared with what is on the table.
        if hasValues(entities) || words.contains(where: { $0 == "[digits]" || $0.first?.isNumber == true }) { return act(.inform) }
        if core.contains(intent) || intent == .outOfScope, confidence >= 0.5, words.count >= 3 { return act(.request) }
        // Chatter ("sorry my dog is barking") does nothing to the question; nothing at all is unclear.
        return nil
    }

    private func hasValues(_ entities: Entities) -> Bool {
        !entities.isEmpty || entities.mentionsCard || entities.refersToOther
    }

    /// "Is that right", "what's the total", "how long will it take", "tell me the tax first".
    /// "Do it", "do that", "do the order": a command, not "do you…?" or "do the shoes come in red?".
    static func isCommand(_ words: [String], doAt index: Int) -> Bool {
        guard words[index] == "do", index + 1 < words.count else { return false }
        let next = words[index + 1]
        if ["it", "that", "this"].contains(next) { return true }
        let tasks: Set<String> = ["order", "payment", "charge", "transaction", "purchase", "sale", "needful"]
        return ["the", "my"].contains(next) && index + 2 < words.count && tasks.contains(words[index + 2])
    }

    private func isQuestion(_ words: [String]) -> Bool {
        guard let first = words.first else { return false }
        var start = 0
        // Openers that carry nothing: "so what's the total", "and is that with tax".
        while start < words.count - 1, ["so", "and", "oh", "um", "well", "but", "just", "quick", "question", "first"].contains(words[start]) {
            start += 1
        }
        let lead = words[start]
        let text = " " + words.joined(separator: " ") + " "
        if Self.questionWords.contains(lead) {
            // "How about the black ones" proposes a value; "what about" likewise.
            if words.dropFirst(start + 1).first == "about", lead == "how" || lead == "what" { return false }
            return true
        }
        if ["have", "has"].contains(lead), start + 1 < words.count, !["you", "i", "we", "they", "it", "he", "she"].contains(words[start + 1]) {
            // "Have a good one" wishes; "have you got it?" asks.
            return false
        }
        if Self.auxiliaries.contains(lead), start + 1 < words.count, Self.subjects.contains(words[start + 1]) {
            return !Self.isCommand(words, doAt: start)
        }
        if Self.questionPhrases.contains(where: { text.contains(" \($0) ") }) { return true }
        // A tag: "that's with tax right", "it's the visa correct".
        if words.count >= 3, let last = words.last, ["right", "correct", "yeah"].contains(last), first != "yes", first != "yeah" {
            // "That's all correct", "that's exactly right": the word is the predicate, not a tag.
            let predicate = Self.auxiliaries.union(["all", "exactly", "totally", "absolutely", "completely", "quite", "perfectly", "just"])
            return !predicate.contains(words[words.count - 2]) && words.contains { ["with", "the", "on", "is", "it"].contains($0) }
        }
        return false
    }

    /// The words without one occurrence of a phrase.
    private static func removing(_ phrase: String, from words: [String]) -> [String] {
        let parts = phrase.split(separator: " ").map(String.init)
        guard let start = words.indices.first(where: { words[$0...].starts(with: parts) }) else { return words }
        return Array(words[..<start] + words[(start + parts.count)...])
    }

    /// Where the clause says yes: "right" in "right now" or "right there" is an adverb, not a yes.
    private static func affirmWordIndices(_ words: [String]) -> [Int] {
        let adverbial: Set<String> = ["now", "there", "here", "away", "after", "before", "back", "next", "behind", "outside", "when"]
        return words.indices.filter { index in
            guard affirmWords.contains(words[index]) else { return false }
            return !(words[index] == "right" && index + 1 < words.count && adverbial.contains(words[index + 1]))
        }
    }

    /// "Can you go ahead and charge it", "could you place the order please", "would you put it through".
    private func isPolitCommandLead(_ words: [String]) -> Bool {
        guard words.count >= 3 else { return false }
        return ["can", "could", "would", "will"].contains(words[0]) && ["you", "we"].contains(words[1])
    }

    private func isPoliteCommand(_ words: [String], entities: Entities) -> Bool {
        // "Can you charge the visa" names what to pay with; the conversation checks it is the card on the table.
        let changesOrder =
            !entities.productIDs.isEmpty || !entities.options.isEmpty || entities.quantity != nil || entities.bareNumber != nil
            || entities.locationID != nil || entities.fulfillment != nil || entities.orderNumber != nil
        guard isPolitCommandLead(words), !changesOrder else { return false }
        guard !words.contains(where: Self.negators.contains) else { return false }
        return isCommandToProceed(Array(words.dropFirst(2)))
    }

    /// "Go ahead and charge it", "place the order", "I'll take them": a command to do the thing asked about, and nothing
    /// else ("charge it to my paypal" names something the conversation must look at).
    private func isCommandToProceed(_ words: [String]) -> Bool {
        let lead: Set<String> = [
            "please", "just", "yes", "yeah", "ok", "okay", "then", "go", "on", "ahead", "and", "so", "well", "now", "alright", "sure", "i",
            "will", "you", "can",
        ]
        let rest = words.drop { lead.contains($0) }
        guard let verb = rest.first, Self.proceedVerbs.contains(verb) else { return false }
        return rest.dropFirst().allSatisfy { Self.commandObjects.contains($0) || ($0.count == 4 && $0.allSatisfy(\.isNumber)) }
    }

    /// What may follow a command to proceed: "charge it", "place the order for me please", "put it on my card".
    private static let commandObjects: Set<String> = [
        "it", "them", "that", "this", "the", "order", "orders", "please", "now", "through", "ahead", "on", "to", "my", "card", "visa",
        "mastercard", "amex", "discover", "thanks", "thank", "you", "up", "away", "for", "me", "a", "one", "pair", "then", "file",
        "same", "usual", "right", "all", "of", "go", "and", "just", "today", "again", "there", "in", "saved",
    ]

    private static func topic(of text: String) -> DialogueAct.Topic {
        func has(_ words: [String]) -> Bool { words.contains { text.contains(" \($0) ") } }
        // Opening hours and the like are the store's, not the order's.
        if has(["close", "closes", "closing", "open", "opens", "opening", "hours", "policy", "return"]) { return .other }
        if has(["total", "tax", "price", "cost", "costs", "much", "expensive", "cheaper", "dollars", "including", "fee", "fees"]) {
            return .price
        }
        if has(["card", "visa", "mastercard", "amex", "discover", "ending", "pay", "paying", "payment"]) { return .payment }
        if has([
            "stock", "available", "have it", "have them", "held", "hold", "left", "sure it is", "sure they are", "got it", "got them",
            "you have", "you got", "you carry", "you guys have",
        ]) {
            return .stock
        }
        if has(["when", "long", "ready", "arrive", "get here", "ship", "time", "today", "tomorrow", "days"]) { return .readiness }
        if has(["where", "address", "located", "which store"]) { return .place }
        return .other
    }

    // MARK: Lexicon

    static let questionWords: Set<String> = ["what", "how", "when", "where", "which", "why", "who", "whose"]
    static let auxiliaries: Set<String> = [
        "is", "are", "was", "were", "do", "does", "did", "can", "could", "will", "would", "should", "shall", "has", "have", "may", "am",
    ]
    static let subjects: Set<String> = [
        "i", "you", "it", "that", "this", "there", "they", "we", "he", "she", "the", "my", "your", "these", "those", "its", "a",
    ]
    private static let questionPhrases = [
        "i was wondering", "i wonder", "do you know", "any idea", "tell me the", "tell me how", "tell me what", "tell me when",
        "want to know", "need to know", "like to know",
    ]
    private static let negators: Set<String> = ["not", "never", "no", "nope", "nah", "naw", "nothing", "neither", "nor", "negative"]
    /// Phrases with a negation that mean yes.
    private static let affirmIdioms = [
        "no problem", "no worries", "not a problem", "why not", "no doubt", "no question", "can not wait", "not a bad idea",
        "that is not a problem", "do not change a thing", "do not change anything", "nothing to change", "leave it as it is",
        "fire away", "you betcha", "betcha", "righto", "right o", "that will do", "make it so", "say less", "yes sir", "yes maam",
        "ten four", "10 4", "sounds like a plan", "lets roll", "let us roll", "all good", "no need to ask",
        "no objection", "no objections", "i will take it", "i will take them", "i will take that", "i will take those", "nah yeah",
        "no yeah", "that is a go", "green light", "get it done", "let us do this", "lets do this", "why would i say no", "you can proceed",
    ]
    /// Words that put a yes off to later.
    private static let deferrals = [
        "tomorrow", "later", "next week", "next month", "tonight", "this evening", "on monday", "on tuesday", "on wednesday",
        "on thursday", "on friday", "on saturday", "on sunday", "after i", "when i", "once i", "first let me", "let me talk",
        "talk to my", "ask my", "check with my", "call me back", "call back", "once my", "once i", "once we", "once the",
        "after my", "after we", "when my", "when we", "until i", "until my", "as soon as i", "as soon as my", "paycheck", "payday",
    ]
    private static let affirmWords: Set<String> = [
        "yes", "yeah", "yea", "yep", "yup", "ya", "yah", "yes", "sure", "ok", "okay", "k", "kk", "alright", "fine", "perfect", "great",
        "absolutely", "definitely", "certainly", "correct", "right", "exactly", "indeed", "affirmative", "mhm", "mhmm", "mmhmm",
        "uhhuh", "cool", "awesome", "excellent", "lovely", "brilliant", "good", "proceed", "confirm", "confirmed", "agreed",
        "gladly", "yass", "yess", "aye", "totally", "sounds", "yessir", "yesir", "bet", "righto", "grand",
    ]
    private static let affirmPhrases = [
        "go ahead", "do it", "go for it", "please do", "sounds good", "that works", "works for me", "of course", "uh huh",
        "all right", "let us do it", "let us go", "you bet", "for sure", "sure thing", "i agree", "i accept", "by all means", "i do",
        "that will do", "put it through", "ring it up", "that is it", "do the needful",
    ]
    /// Verbs that, as a command, tell the assistant to do what it asked about.
    private static let proceedVerbs: Set<String> = [
        "charge", "place", "proceed", "process", "put", "ring", "run", "book", "submit", "complete", "finalize", "finish", "confirm",
        "do", "take", "bill", "send", "order", "use", "try",
    ]
    private static let hedges = [
        "not sure", "unsure", "fairly sure", "pretty sure", "quite sure", "almost sure", "mostly sure", "i guess", "guess so", "i suppose",
        "suppose so", "maybe", "probably", "perhaps", "possibly",
        "i think", "think so", "believe so", "i believe", "let me think", "think about it", "kind of", "sort of", "kinda", "sorta",
        "do not know", "not certain", "i am torn", "might", "i hope so", "hopefully", "depends", "i would rather wait",
        "not yet", "in a minute", "not right now", "let me see", "should i", "i doubt", "doubt it", "not really", "hard to say",
        "in theory", "more or less", "i am thinking", "give me a minute", "second thoughts", "on the fence", "hesitant", "reckon",
        "i feel like", "i would say", "sounds like", "i was going to", "was hoping", "i am afraid", "leaning", "inclined", "tempted",
        // Balking at the price, sarcastic or not: "I'm made of money", "that's highway robbery".
        "made of money", "only money", "arm and a leg", "rip off", "ripoff", "highway robbery", "daylight robbery", "are you kidding",
        "you are kidding", "you must be joking", "you have got to be kidding", "that is steep", "too expensive", "too much money",
        "yeah right", "while you are at it", "charge me double", "should be", "ought to be", "i mean",
    ]
    /// Phrases that only lead into what follows ("I was going to say, I have three cards"): no hedge of their own.
    private static let discourseMarkers = [
        "i was going to say", "i was going to mention", "i was going to ask", "i have to say", "i must say", "to be honest",
    ]
    /// Words that, opening a clause, hedge it: "hmm", "um well".
    private static let hedgeWords: Set<String> = ["hmm", "hm", "hmmm", "mm", "eh", "meh", "er", "erm", "uhm", "welp"]
    private static let conditions = [
        "if", "unless", "as long as", "so long as", "provided", "providing", "assuming", "only if", "on condition", "depending on",
        "but only", "as soon as you confirm", "once you",
    ]
    private static let holdOn = [
        "wait", "hold on", "hang on", "one sec", "one second", "one moment", "just a moment", "just a sec", "just a second",
        "give me a sec", "give me a second", "hold up", "bear with me", "let me check", "let me find", "let me get", "let me look",
        "let me grab", "let me ask", "a moment", "a sec", "a second", "whoa", "woah", "still looking",
    ]
    private static let cancelPhrases = [
        "cancel", "forget it", "forget about it", "never mind", "nevermind", "scratch that", "drop it", "do not bother",
        "forget the whole", "call it off", "leave it",
    ]
    private static let startOver = [
        "start over", "start again", "begin again", "from the top", "restart", "start from scratch", "from the beginning", "start this over",
    ]
    private static let repeatPhrases = [
        "repeat", "say that again", "say again", "say it again", "come again", "pardon", "sorry what", "what was that",
        "what did you say", "one more time", "did not catch", "did not hear", "missed that", "could not hear", "can not hear",
    ]
    private static let human = [
        "real person", "a person", "human", "agent", "representative", "operator", "somebody", "someone", "a manager",
        "team member", "customer service", "speak to", "talk to", "live person", "staff",
    ]
    private static let goodbye = [
        "bye", "goodbye", "see you", "see ya", "talk later", "have a good", "that is all", "that will be all", "i am done",
        "hang up", "sayonara", "ciao", "adios", "take care", "farewell",
    ]
    private static let thanks = ["thanks", "thank", "appreciate", "cheers", "grateful"]
    private static let greetings = ["hi", "hello", "hey", "good morning", "good afternoon", "good evening", "howdy"]
    private static let correctionMarkers = [
        "instead", "rather", "actually", "make it", "make that", "change", "switch", "i meant", "different", "swap",
        "not the", "other one", "another", "add", "drop", "remove", "take off", "more", "less", "fewer",
    ]
}
