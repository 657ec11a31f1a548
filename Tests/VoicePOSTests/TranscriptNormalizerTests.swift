import Testing

@testable import Understanding

struct TranscriptNormalizerTests {
    @Test(arguments: [
        ("Do you have the Nike Air Max in size 10?", "do you have the nike air max in size 10"),
        ("Um, I'd like, uh, the Air Max", "i would like the air max"),
        ("size ten and a half", "size 10.5"),
        ("nine point five", "9.5"),
        ("size 10 1/2", "size 10.5"),
        ("my order is seven eight two nine", "my order is 7829"),
        ("order seventy eight twenty nine", "order 7829"),
        ("levi's five oh one", "levis 501"),
        ("size nine, no, ten", "size 10"),
        ("size nine, I mean ten", "size 10"),
        ("thirty two by thirty", "32 by 30"),
        ("where's my order", "where is my order"),
        ("two pairs of the blue one", "2 pairs of the blue one"),
        ("4242 4242 4242 4242", "4242424242424242"),
        ("I don't like them, you know", "i do not like them"),
        ("size mine", "size 9"),
        ("to pairs of the chucks", "2 pairs of the chucks"),
        ("what about a tenth then", "what about a 10 then"),
        ("Olly, stop talking", "stop talking"),
        ("alexa order more socks", "order more socks"),
        ("hey google where is my parcel", "where is my parcel"),
        ("hey there", "hey there"),
        ("yes the ninety fives", "yes the 95s"),
        ("the nineties and the tens", "the 90s and the 10s"),
        ("the black ones", "the black ones"),
        ("(TV in background) yes [inaudible] go *static* ahead", "yes go ahead"),
    ])
    func normalizes(input: String, expected: String) {
        #expect(TranscriptNormalizer().normalize(input).joined(separator: " ") == expected)
    }

    @Test func marksThatAreNotTheCallersWordsAreFoundInOrder() {
        #expect(
            TranscriptNormalizer.annotations(in: "(child in background) yes [call breaking up] *static*") == [
                "child in background", "call breaking up", "static",
            ])
        #expect(TranscriptNormalizer.annotations(in: "yes (the black ones) please").count == 1)
        #expect(TranscriptNormalizer.annotations(in: "a 5 * 3 (unclosed").isEmpty)
    }
}

struct SpellingCorrectorTests {
    private let speller = SpellingCorrector(words: ["receive", "appreciate", "order", "this", "refund", "address", "receive", "stock"])

    @Test(arguments: [
        ("recieve", ["receive"]),
        ("apprecaite", ["appreciate"]),
        ("refundd", ["refund"]),
        ("adress", ["address"]),
        ("thisorder", ["this", "order"]),
    ])
    func mendsOneSlip(word: String, mended: [String]) {
        #expect(speller.mend(word) == mended)
    }

    @Test(arguments: ["receive", "oder", "stocks2", "zzzzzzzz", "refuuund"])
    func leavesKnownShortNumericAndFarWordsAlone(word: String) {
        #expect(speller.mend(word) == nil)
    }
}
