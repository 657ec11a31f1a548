/// What a caller wants from one utterance. The raw values are a public contract.
public enum Intent: String, Sendable, Hashable, Codable, CaseIterable {
    case checkAvailability = "check_availability"
    case placeOrder = "place_order"
    case orderStatus = "order_status"
    case returnItem = "return_item"
    case affirm
    case deny
    case cancel
    case humanAgent = "human_agent"
    case greet
    case goodbye
    case thanks
    case outOfScope = "out_of_scope"
    /// The utterance only supplies slot values ("size ten", "the black ones").
    case inform
}
