import Understanding

/// The reprompt ladder: when an answer to a slot question is not understood, the question is asked again
/// shorter each time — on the first miss with the options on offer, on the second as a plain example with
/// a person offered beside it. Never more than three options are read out.
enum Reprompts {
    /// The rephrasing for the given miss (1 or 2) of a question expecting `slot`, using the options hinted
    /// when it was asked; nil when the question is best asked again as it was.
    static func rephrase(_ slot: ExpectedSlot, miss: Int, hints: [String]) -> String? {
        let offered = Array(hints.prefix(3))
        let options: String
        if hints.isEmpty {
            options = ""
        } else if hints.count <= 3 {
            options = " We have \(Speech.list(hints, conjunction: "or"))."
        } else if hints.allSatisfy({ Double($0) != nil }) {
            options = " We have \(slot == .size ? "sizes " : "")\(hints.first!) to \(hints.last!)."
        } else {
            options = " For example, \(Speech.list(offered, conjunction: "or"))."
        }
        let example = hints.isEmpty ? "" : " — for example, \(hints[hints.count / 2])"
        switch (slot, miss) {
        case (.size, 1): return "Which size?\(options)"
        case (.size, _): return "Just the size, please\(example)."
        case (.color, 1): return "Which color?\(options)"
        case (.color, _): return "Just the color, please\(example)."
        case (.width, 1): return "Which width?\(options)"
        case (.width, _): return "Just the width, please\(example)."
        case (.fit, 1): return "Which fit?\(options)"
        case (.fit, _): return "Just the fit, please\(example)."
        case (.quantity, 1): return "How many would you like?"
        case (.quantity, _): return "Just the number, please — for example, 1 or 2."
        case (.fulfillment, 1): return "Pickup in store, or shipping?"
        case (.fulfillment, _): return "Please say pickup or shipping."
        case (.location, 1): return "Which store?\(options.isEmpty ? "" : " " + Speech.list(offered, conjunction: "or") + "?")"
        case (.location, _): return "Just the store name, please\(example)."
        case (.orderNumber, 1): return "What's the order number?"
        case (.orderNumber, _): return "Just the digits of the order number, please. It's in your confirmation email."
        case (.reason, 1): return "Why are you returning it?"
        case (.reason, _): return "Just a few words, please — for example, too small or damaged."
        case (.refundMethod, 1): return "A refund to your card, or store credit?"
        case (.refundMethod, _): return "Please say card or store credit."
        case (.cardNumber, 1): return "Please read me the card number."
        case (.cardNumber, _): return "Just the long number on the front of the card, please, one digit at a time."
        case (.confirmation, 1): return nil
        case (.confirmation, _): return "Please just say yes or no."
        case (.product, 1): return "Which product?\(offered.isEmpty ? "" : " For example, \(Speech.list(offered, conjunction: "or")).")"
        case (.product, _): return "Just the product name, please\(example)."
        case (.choice, 1): return offered.isEmpty ? nil : "Which one: \(Speech.list(offered, conjunction: "or"))?"
        case (.choice, _): return "Just say which one, please\(example)."
        }
    }
}
