import Foundation

/// Answers kept for a while, with identical reads in flight at once coalesced into one POS request, and the last
/// answer kept (with when it was read) for when the POS cannot be reached.
actor ReadCache<Value: Sendable> {
    struct Entry: Sendable {
        var value: Value
        var readAt: ContinuousClock.Instant
        /// When it was read, by the store's clock: what a caller is told ("as of 20 minutes ago").
        var readOn: Date
    }

    private var entries: [String: Entry] = [:]
    private var inFlight: [String: Task<Value, any Error>] = [:]
    private let clock = ContinuousClock()
    private(set) var hits = 0
    private(set) var misses = 0

    /// The cached value when younger than `ttl`; else one read shared by everyone asking for the same key now.
    func value(_ key: String, ttl: Duration, now: Date, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let entry = entries[key], clock.now - entry.readAt < ttl {
            hits += 1
            return entry.value
        }
        if let running = inFlight[key] {
            hits += 1
            return try await running.value
        }
        misses += 1
        let task = Task { try await load() }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        let value = try await task.value
        entries[key] = Entry(value: value, readAt: clock.now, readOn: now)
        return value
    }

    /// The last answer for the key, however old.
    func lastKnown(_ key: String) -> Entry? { entries[key] }

    /// Forgets the answers whose key matches (a write or a webhook changed what they said).
    func invalidate(where matches: (String) -> Bool) {
        for key in entries.keys where matches(key) { entries[key] = nil }
    }

    func invalidateAll() { entries = [:] }
}
