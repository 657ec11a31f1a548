import Testing
import Understanding

/// Phrasings written for these tests, not taken from `Intents/`.
struct IntentClassifierTests {
    @Test(arguments: [
        ("hey are the pegasus in stock at westside", Intent.checkAvailability),
        ("would you happen to have sambas in an eight", .checkAvailability),
        ("what sizes do the uggs come in", .checkAvailability),
        ("I'd like to buy the black hoodie", .placeOrder),
        ("put a pair aside for me to pick up later", .placeOrder),
        ("can you ship me the dr martens", .placeOrder),
        ("has my package shipped yet", .orderStatus),
        ("I'm still waiting on my delivery", .orderStatus),
        ("what's the tracking on my order", .orderStatus),
        ("I want my money back for these jeans", .returnItem),
        ("the jacket arrived damaged and I'd like to send it back", .returnItem),
        ("yeah that's fine", .affirm),
        ("nope", .deny),
        ("forget it", .cancel),
        ("can I speak to somebody", .humanAgent),
        ("good afternoon", .greet),
        ("that's everything, bye now", .goodbye),
        ("thanks so much", .thanks),
        ("what time do you close on sunday", .outOfScope),
        ("I need to cancel my order", .outOfScope),
        ("what's the weather tomorrow", .outOfScope),
        // Typed chat, assistant commands and items on display, as real users write them.
        ("i want a reimbursment for these boots", .returnItem),
        ("i realy apreciate your help", .thanks),
        ("olly stop", .cancel),
        ("alexa whats the weather like", .outOfScope),
        ("set a timer for ten minutes", .outOfScope),
        ("transfer 200 dollars to my savings account", .outOfScope),
        ("add the black one to my cart", .placeOrder),
        ("what sizes does the jacket on the left rack come in", .checkAvailability),
        ("is this product genuine or fake", .outOfScope),
    ])
    func classifies(text: String, intent: Intent) async throws {
        #expect(try await Fixtures.understanding().interpret(text).intent == intent)
    }

    @Test func aBareAnswerIsInformation() async throws {
        let reading = try await Fixtures.understanding().interpret("the black ones", expecting: .color)
        #expect(reading.intent == .inform)
        #expect(reading.entities.options["color"] == "black")
    }
}
