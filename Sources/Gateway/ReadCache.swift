import Foundation
import RetailModel

/// Answers kept for a while, with identical reads in flight at once coalesced into one POS request, and the last
/// answer kept (with when it was read) for when the POS cannot be reached.
///
/// Invalidating a key bumps its generation: a read already in flight when a write or webhook changed the answer
/// is neither kept as fresh nor joined by later callers.
actor ReadCache<Value: Sendable> {
    struct Entry: Sendable {
        var value: Value
        var readAt: ContinuousClock.Instant
        /// When it was read, by the store's clock: what a caller is told ("as of 20 minutes ago").
        var readOn: Date
        /// Changed since it was read: read again next time, but still the last known.
        var stale = false
    }

    private var entries: [String: Entry] = [:]
    private var inFlight: [String: (generation: Int, task: Task<Value, any Error>)] = [:]
    private var generations: [String: Int] = [:]
    private var everything = 0
    private let clock: any MonotonicClock
    private(set) var hits = 0
    private(set) var misses = 0

    init(clock: any MonotonicClock) { self.clock = clock }

    private func generation(_ key: String) -> Int { everything + generations[key, default: 0] }

    private func isFresh(_ entry: Entry, ttl: Duration) -> Bool { !entry.stale && clock.now - entry.readAt < ttl }

    /// The cached value when younger than `ttl`; else one read shared by everyone asking for the same key now.
    func value(_ key: String, ttl: Duration, now: Date, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let entry = entries[key], isFresh(entry, ttl: ttl) {
            hits += 1
            return entry.value
        }
        return try await shared(key, now: now, load: load)
    }

    /// The answer for the key when younger than `ttl`, counted as a hit.
    func fresh(_ key: String, ttl: Duration) -> Value? {
        guard let entry = entries[key], isFresh(entry, ttl: ttl) else { return nil }
        hits += 1
        return entry.value
    }

    /// One read of `key` shared by everyone asking at once, kept unless the key was invalidated meanwhile.
    func shared(_ key: String, now: Date, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let generation = generation(key)
        let value = try await joined(key, generation: generation, load: load)
        if self.generation(key) == generation { entries[key] = Entry(value: value, readAt: clock.now, readOn: now) }
        return value
    }

    /// The read in flight for this key and generation, or a new one; nothing is kept.
    func joined(_ key: String, generation: Int, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let running = inFlight[key], running.generation == generation {
            hits += 1
            return try await running.task.value
        }
        misses += 1
        let task = Task { try await load() }
        inFlight[key] = (generation, task)
        defer { if inFlight[key]?.generation == generation { inFlight[key] = nil } }
        return try await task.value
    }

    /// Each key's generation now, taken before a read of several keys.
    func generations(_ keys: [String]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: keys.map { ($0, generation($0)) })
    }

    /// Keeps answers read together (one request for several keys), except those changed since `before`.
    func store(_ values: [String: Value], readOn: Date, unchangedSince before: [String: Int]) {
        for (key, value) in values where before[key] == generation(key) {
            entries[key] = Entry(value: value, readAt: clock.now, readOn: readOn)
        }
    }

    /// The last answer for the key, however old.
    func lastKnown(_ key: String) -> Entry? { entries[key] }

    /// Marks these answers stale (a write or a webhook changed what they said): read again next time, but kept as
    /// the last known.
    func expire(_ keys: Set<String>) {
        for key in keys {
            entries[key]?.stale = true
            generations[key, default: 0] += 1
        }
    }

    /// Marks every answer stale, keeping each as the last known.
    func expireAll() {
        for key in entries.keys { entries[key]?.stale = true }
        everything += 1
    }

    func invalidateAll() {
        entries = [:]
        everything += 1
    }
}
