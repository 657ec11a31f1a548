/// When the caller's current turn must be answered: set by the conversation for each turn, honoured by whatever
/// waits on the POS below it (the gateway stops queueing and retrying then), so a caller is never left in
/// silence for long however many POS calls a turn makes.
public enum TurnDeadline {
    @TaskLocal public static var current: ContinuousClock.Instant?
}

extension Duration {
    /// The duration in seconds, fractions included.
    public var inSeconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
