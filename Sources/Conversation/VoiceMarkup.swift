import Foundation

/// Renders a reply twice: natural plain text for screens and logs, and SSML for a text-to-speech engine.
///
/// Replies are written as plain sentences with two invisible marks: a digit string to be read digit by digit
/// (tracking numbers) and a short pause between list items. Prices, order numbers and card endings are
/// recognized in the text itself, since the replies always write them the same way ("$141.54",
/// "order 7829", "Confirmation #7829", "card ending 4242").
enum VoiceMarkup {
    private static let digitsStart: Character = "\u{E000}"
    private static let digitsEnd: Character = "\u{E001}"
    private static let pauseMark: Character = "\u{E002}"

    /// A digit string a speech engine should read one digit at a time.
    static func digits(_ text: String) -> String {
        "\(digitsStart)\(text.filter { !$0.isWhitespace })\(digitsEnd)"
    }

    /// A short pause, between the items of a list.
    static let pause = String(pauseMark)

    /// The text as written for a reader: marks removed, a long digit string in groups of four.
    static func plain(_ text: String) -> String {
        render(text, digits: { groups($0).joined(separator: " ") }, pause: "", character: { String($0) })
    }

    /// The text as SSML: `<speak>`, digits and prices as `say-as`, pauses as `break`.
    static func ssml(_ text: String) -> String {
        var result = render(text, digits: spokenDigits, pause: #"<break time="250ms"/>"#, character: escaped)
        result = result.replacing(/([$£€])(\d+(?:,\d{3})*(?:\.\d\d)?)/) { match in
            #"<say-as interpret-as="currency">\#(match.output.1)\#(match.output.2)</say-as>"#
        }
        result = result.replacing(/(ending in|ending|[Oo]rder|number|#) ?(\d{3,})\b/) { match in
            "\(match.output.1 == "#" ? "number" : match.output.1) \(spokenDigits(String(match.output.2)))"
        }
        return "<speak>\(result)</speak>"
    }

    /// The text with each mark and each other character written as the rendering wants.
    private static func render(
        _ text: String, digits: (String) -> String, pause: String, character write: (Character) -> String
    ) -> String {
        var result = ""
        var marked: String?
        for character in text {
            switch character {
            case digitsStart: marked = ""
            case digitsEnd:
                result += digits(marked ?? "")
                marked = nil
            case pauseMark: result += pause
            case _ where marked != nil: marked!.append(character)
            default: result += write(character)
            }
        }
        return result
    }

    /// Digits read one by one; a long string in groups of four with a pause between groups.
    private static func spokenDigits(_ digits: String) -> String {
        groups(digits).map { #"<say-as interpret-as="digits">\#($0)</say-as>"# }.joined(separator: #"<break time="300ms"/>"#)
    }

    /// A digit string of more than ten digits in groups of four; a shorter one whole.
    private static func groups(_ digits: String) -> [String] {
        let characters = Array(digits)
        guard characters.count > 10 else { return [digits] }
        return stride(from: 0, to: characters.count, by: 4).map { String(characters[$0..<min($0 + 4, characters.count)]) }
    }

    private static func escaped(_ character: Character) -> String {
        switch character {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        case "'": "&apos;"
        default: String(character)
        }
    }
}
