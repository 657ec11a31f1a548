import Foundation
import RetailModel

/// Short holds on stock while a caller is ordering, so two callers are never promised the same last units.
///
/// A hold belongs to a holder (a call), is for one SKU at one location, and lapses at its expiry. Behind a
/// protocol so a store with several voice lines can keep holds in a shared store; `InMemoryReservations`
/// is the default.
public protocol ReservationBook: Sendable {
    /// Holds `quantity` of the SKU at the location for the holder until `until`, replacing the holder's
    /// earlier hold on it, if that many of `available` are not held by anyone else.
    ///
    /// - Returns: whether the hold was taken.
    func hold(
        _ sku: SKU, at locationID: String, quantity: Int, for holder: String, until: Date, available: Int, now: Date
    ) async
        -> Bool
    /// Units of the SKU at the location held by callers other than `holder`.
    func heldByOthers(_ sku: SKU, at locationID: String, excluding holder: String, now: Date) async -> Int
    /// Whether the holder still holds at least `quantity` of the SKU at the location.
    func holds(_ sku: SKU, at locationID: String, quantity: Int, for holder: String, now: Date) async -> Bool
    /// Drops the holder's holds: all of them, or the one on `sku` at `locationID`.
    func release(holder: String, sku: SKU?, at locationID: String?) async
}

extension ReservationBook {
    /// Drops every hold of the holder.
    public func releaseAll(holder: String) async { await release(holder: holder, sku: nil, at: nil) }
}

/// Holds kept in this process's memory; they are gone when it stops (a hold only lasts minutes anyway).
public actor InMemoryReservations: ReservationBook {
    private struct Key: Hashable {
        var holder: String
        var sku: SKU
        var locationID: String
    }

    private var holds: [Key: (quantity: Int, until: Date)] = [:]

    public init() {}

    public func hold(
        _ sku: SKU, at locationID: String, quantity: Int, for holder: String, until: Date, available: Int, now: Date
    ) -> Bool {
        expire(now: now)
        guard heldByOthers(sku, at: locationID, excluding: holder, now: now) + quantity <= available else { return false }
        holds[Key(holder: holder, sku: sku, locationID: locationID)] = (quantity, until)
        return true
    }

    public func heldByOthers(_ sku: SKU, at locationID: String, excluding holder: String, now: Date) -> Int {
        holds.reduce(0) { sum, entry in
            entry.key.sku == sku && entry.key.locationID == locationID && entry.key.holder != holder && entry.value.until > now
                ? sum + entry.value.quantity : sum
        }
    }

    public func holds(_ sku: SKU, at locationID: String, quantity: Int, for holder: String, now: Date) -> Bool {
        guard let hold = holds[Key(holder: holder, sku: sku, locationID: locationID)] else { return false }
        return hold.until > now && hold.quantity >= quantity
    }

    public func release(holder: String, sku: SKU?, at locationID: String?) {
        holds = holds.filter { key, _ in
            key.holder != holder || (sku.map { $0 != key.sku } ?? false) || (locationID.map { $0 != key.locationID } ?? false)
        }
    }

    /// Holds still in force: after every call has ended, none should be.
    public func activeHolds(now: Date) -> Int {
        holds.values.filter { $0.until > now }.count
    }

    private func expire(now: Date) {
        holds = holds.filter { $0.value.until > now }
    }
}
