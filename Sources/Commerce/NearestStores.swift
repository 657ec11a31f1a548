import RetailModel

extension Array where Element == Location {
    /// The stores ordered for a caller: the reference store (named, else the caller's home store) first, then
    /// the others nearest first as the reference store lists them (`Location.nearby`), then by most units.
    ///
    /// - Parameters:
    ///   - reference: the store the caller means, if any (it need not be among these stores).
    ///   - units: units on hand by location id, to break ties.
    public func nearestFirst(from reference: Location?, units: [String: Int] = [:]) -> [Location] {
        let nearby = reference?.nearby ?? []
        func rank(_ store: Location) -> Int {
            if store.id == reference?.id { return -1 }
            return nearby.firstIndex(of: store.id) ?? nearby.count
        }
        return sorted { (rank($0), -(units[$0.id] ?? 0), $0.id) < (rank($1), -(units[$1.id] ?? 0), $1.id) }
    }
}
