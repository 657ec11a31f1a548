import Foundation
import RetailModel

/// One circuit per POS flow: closed while it works; open after repeated failures (calls fail at once, sparing the
/// POS and the caller's time); after a cool-down one probe may pass (half open), and a success closes it again.
actor CircuitBreakers {
    enum State: String, Sendable {
        case closed, open
        case halfOpen = "half_open"
    }

    private struct Circuit {
        var failures = 0
        var openedAt: ContinuousClock.Instant?
        var probing = false
    }

    private let threshold: Int
    private let cooldown: Duration
    private var circuits: [POSFlow: Circuit] = [:]
    private let clock: any MonotonicClock

    init(threshold: Int, cooldown: Duration, clock: any MonotonicClock) {
        self.clock = clock
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
    }

    /// Whether a call of this flow may go now; an open circuit past its cool-down lets one probe through.
    func allow(_ flow: POSFlow) -> Bool {
        var circuit = circuits[flow] ?? Circuit()
        defer { circuits[flow] = circuit }
        guard let opened = circuit.openedAt else { return true }
        guard clock.now - opened >= cooldown, !circuit.probing else { return false }
        circuit.probing = true
        return true
    }

    /// The probe let through was never sent (no budget for it): another may go.
    func probeNotSent(_ flow: POSFlow) {
        circuits[flow]?.probing = false
    }

    func succeeded(_ flow: POSFlow) {
        circuits[flow] = Circuit()
    }

    /// A failure that says the POS is in trouble (unreachable, timing out, failing); a decline or a not-found does not count.
    func failed(_ flow: POSFlow) {
        var circuit = circuits[flow] ?? Circuit()
        circuit.failures += 1
        if circuit.probing || circuit.failures >= threshold {
            circuit.openedAt = clock.now
            circuit.probing = false
        }
        circuits[flow] = circuit
    }

    /// Every flow's circuit as it stands.
    func states() -> [POSFlow: State] {
        circuits.mapValues { circuit in
            guard let opened = circuit.openedAt else { return .closed }
            return circuit.probing || clock.now - opened >= cooldown ? .halfOpen : .open
        }
    }
}
