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

    /// The answer for the key when younger than `ttl`, counted as a hit.
    func fresh(_ key: String, ttl: Duration) -> Value? {
        guard let entry = entries[key], clock.now - entry.readAt < ttl else { return nil }
        hits += 1
        return entry.value
    }

    /// Keeps answers read together (one request for several keys).
    func store(_ values: [String: Value], readOn: Date) {
        for (key, value) in values { entries[key] = Entry(value: value, readAt: clock.now, readOn: readOn) }
    }

    /// One read shared by everyone asking for the same thing at once; nothing is kept.
    func coalesced<Result: Sendable>(_ key: String, load: @escaping @Sendable () async throws -> Result) async throws -> Result {
        if let running = shared[key] {
            hits += 1
            guard let result = try await running.value as? Result else { return try await load() }
            return result
        }
        misses += 1
        let task = Task<any Sendable, any Error> { try await load() }
        shared[key] = task
        defer { shared[key] = nil }
        guard let result = try await task.value as? Result else { return try await load() }
        return result
    }

    private var shared: [String: Task<any Sendable, any Error>] = [:]

    /// Marks these answers stale (a write or a webhook changed what they said): read again next time, but kept as
    /// the last known.
    func expire(_ keys: Set<String>) {
        for key in keys { entries[key]?.readAt = clock.now - .seconds(365 * 86_400) }
    }

    func invalidateAll() { entries = [:] }

    /// Marks every answer stale, keeping each as the last known.
    func expireAll() { expire(Set(entries.keys)) }
}
