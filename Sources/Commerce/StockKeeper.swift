import Foundation
import RetailModel

/// The stock one caller may be promised, and the holds that keep it for them: what the POS reports, less
/// each store's safety stock, less what other callers hold.
public struct StockKeeper: Sendable {
    private let pos: any PointOfSale
    private let book: any ReservationBook
    private let locations: [Location]
    private let holdFor: TimeInterval

    /// What a stock read found for one caller.
    public struct Reading: Sendable {
        /// Units this caller may be promised, by SKU and location.
        public var levels: [StockLevel]
        /// Units other callers hold, by SKU and location, to word "just reserved by another caller".
        public var heldByOthers: [SKU: [String: Int]]

        public init(levels: [StockLevel], heldByOthers: [SKU: [String: Int]] = [:]) {
            self.levels = levels
            self.heldByOthers = heldByOthers
        }
    }

    /// - Parameter holdFor: how long a hold lasts, in seconds.
    public init(pos: any PointOfSale, book: any ReservationBook, locations: [Location], holdFor: TimeInterval) {
        self.pos = pos
        self.book = book
        self.locations = locations
        self.holdFor = holdFor
    }

    /// Reads stock for the SKUs as the holder may be promised it.
    ///
    /// - Throws: `POSError` from the stock read.
    public func sellable(skus: [SKU], for holder: String, now: Date) async throws -> Reading {
        var reading = Reading(levels: [], heldByOthers: [:])
        for var level in try await pos.stock(skus: skus) {
            let onHand = locations.first { $0.id == level.locationID }?.sellable(level.available) ?? level.available
            let others = onHand > 0 ? await book.heldByOthers(level.sku, at: level.locationID, excluding: holder, now: now) : 0
            reading.heldByOthers[level.sku, default: [:]][level.locationID] = others
            level.available = max(0, onHand - others)
            reading.levels.append(level)
        }
        return reading
    }

    /// Holds every line at one store for the holder, dropping any other hold it had (so a dropped line or a
    /// smaller quantity gives its units back). All or nothing.
    ///
    /// - Parameters:
    ///   - sellable: by SKU, the units this holder may have there (from `sellable(skus:for:now:)`).
    ///   - heldByOthers: what that read found other callers holding.
    /// - Returns: false, holding nothing, when another caller took some of the units first.
    public func hold(
        _ lines: [(sku: SKU, quantity: Int)], at locationID: String, for holder: String, sellable: [SKU: Int],
        heldByOthers: [SKU: [String: Int]], now: Date
    ) async -> Bool {
        await book.releaseAll(holder: holder)
        let until = now.addingTimeInterval(holdFor)
        for line in lines {
            let free = (sellable[line.sku] ?? 0) + (heldByOthers[line.sku]?[locationID] ?? 0)
            guard await book.hold(line.sku, at: locationID, quantity: line.quantity, for: holder, until: until, available: free, now: now)
            else {
                await book.releaseAll(holder: holder)
                return false
            }
        }
        return true
    }
}
