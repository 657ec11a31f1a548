import Commerce
import Foundation
import RetailModel
import Understanding

/// How things are said aloud: lists, dates, digit strings, quantities and item names.
enum Speech {
    /// "a", "a and b", "a, b and c" (or "or" for a question).
    static func list(_ items: [String], conjunction: String = "and") -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ",\(VoiceMarkup.pause) ") + "\(VoiceMarkup.pause) \(conjunction) " + items.last!
        }
    }

    /// A number to be read digit by digit (a tracking number): as written in text, digit by digit in SSML.
    static func digits(_ text: String) -> String { VoiceMarkup.digits(text) }

    /// A span of time as said aloud: "20 minutes", "an hour", "3 hours", "2 days".
    static func age(_ seconds: TimeInterval) -> String {
        let minutes = Int(seconds / 60)
        switch minutes {
        case ..<60: return minutes == 1 ? "a minute" : "\(minutes) minutes"
        case ..<(60 * 24): return minutes / 60 == 1 ? "an hour" : "\(minutes / 60) hours"
        default: return minutes / 1440 == 1 ? "a day" : "\(minutes / 1440) days"
        }
    }

    /// "today", "tomorrow", "yesterday", "on Monday", "on November 20", relative to now.
    static func day(_ date: Date, now: Date, calendar: Calendar) -> String {
        let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: now), to: calendar.startOfDay(for: date)).day ?? 0
        switch days {
        case 0: return "today"
        case 1: return "tomorrow"
        case -1: return "yesterday"
        default:
            let formatter = DateFormatter()
            formatter.calendar = calendar
            formatter.timeZone = calendar.timeZone
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = abs(days) < 7 ? "EEEE" : "MMMM d"
            return "on " + formatter.string(from: date)
        }
    }

    /// Whole days from one date to another, in the calendar's time zone.
    /// "about 1 day", "about 2 days": how long a transfer takes, said as a caller would.
    static func aboutDays(_ days: Int) -> String { "about \(days) day\(days == 1 ? "" : "s")" }

    static func daysBetween(_ start: Date, _ end: Date, calendar: Calendar) -> Int {
        calendar.dateComponents([.day], from: calendar.startOfDay(for: start), to: calendar.startOfDay(for: end)).day ?? 0
    }

    /// "the Downtown store".
    static func store(_ location: Location) -> String {
        let placeWords = ["store", "shop", "center", "centre", "warehouse", "kiosk", "outlet", "depot", "mall"]
        let named = location.name.lowercased().split(separator: " ").contains { placeWords.contains(String($0)) }
        return named && location.name.lowercased() != "mall" ? "the \(location.name)" : "the \(location.name) store"
    }

    /// How many of a product: "3 pairs", "1 pair", "2" (no unit).
    static func count(_ count: Int, of product: Product) -> String {
        guard let unit = product.unit else { return "\(count)" }
        return count == 1 ? "1 \(unit)" : "\(count) \(unit)s"
    }

    /// "it" for one item, "them" for pairs, several, or things named in the plural (jeans, socks).
    static func pronoun(_ product: Product, quantity: Int) -> String {
        itemNoun(product, quantity: quantity).hasSuffix("s") ? "them" : "it"
    }

    /// The item noun for replies: "the shoes", "the hoodie", "the jeans".
    static func itemNoun(_ product: Product, quantity: Int = 1) -> String {
        let kind = product.kind
        let pluralOnly = ["jeans", "pants", "shorts", "joggers", "leggings", "trousers", "socks", "sunglasses"]
        if product.unit != nil || quantity > 1 || pluralOnly.contains(where: kind.hasSuffix) { return "the \(kind)" }
        guard kind.hasSuffix("s"), !kind.hasSuffix("ss") else { return "the \(kind)" }
        return "the "
            + (kind.hasSuffix("ches") || kind.hasSuffix("shes") || kind.hasSuffix("xes") ? String(kind.dropLast(2)) : String(kind.dropLast()))
    }

    /// An order line as said aloud: "the Adidas Samba OG in white, size 9".
    static func describe(_ line: OrderLine, products: [String: Product]) -> String {
        guard let product = products[line.productID], let variant = product.variants.first(where: { $0.sku == line.sku })
        else { return line.title }
        return describe(product, options: variant.options)
    }

    /// A variant as said aloud: "the Nike Air Max 90 in black, size 10".
    static func describe(_ product: Product, options: [String: String]) -> String {
        product.theName + variantClause(product, options: options)
    }

    /// The chosen options as a phrase after the product: " in black, size 10", " in grey, size 10.5 wide",
    /// " in dark wash, size 32x30, slim fit".
    static func variantClause(_ product: Product, options: [String: String]) -> String {
        var plain: [String] = []
        for name in orderedOptions(product) where !["size", "width", "fit"].contains(name) {
            if let value = options[name] { plain.append(sayable(value)) }
        }
        var size = options["size"].map { "size \(sayable($0))" }
        if let width = options["width"] {
            let spoken = width == "wide" || width == "narrow" ? width : "\(width) width"
            if size != nil { size! += " \(spoken)" } else { plain.append(spoken) }
        }
        let fit = options["fit"].map { "\($0) fit" }
        let details = [size, fit].compactMap { $0 }
        if plain.isEmpty { return details.isEmpty ? "" : " in " + details.joined(separator: ", ") }
        return " in " + Speech.list(plain) + details.map { ", \($0)" }.joined()
    }

    /// Option names in the order a caller is asked: size first, then the catalog's order (color next in most).
    static func orderedOptions(_ product: Product) -> [String] {
        let first = ["size"].filter(product.optionNames.contains)
        return first + product.optionNames.filter { !first.contains($0) }
    }

    /// Option values for speech: sizes in numeric order, others as the catalog lists them.
    static func sorted(_ values: [String], option: String) -> [String] {
        guard option == "size" else { return values }
        let letterOrder = ["XS", "S", "M", "L", "XL", "XXL"]
        return values.sorted { lhs, rhs in
            if let a = Double(lhs), let b = Double(rhs) { return a < b }
            if let a = letterOrder.firstIndex(of: lhs), let b = letterOrder.firstIndex(of: rhs) { return a < b }
            return lhs < rhs
        }
    }

    /// "sizes 8 to 12", "sizes S, M or L", "black, white or red", "5 colors, including black, white and navy".
    /// What an order costs, as said: "$130 plus $11.54 tax, $141.54 in total"; with no tax to add (a store whose
    /// prices include VAT), only the total.
    static func cost(_ quote: Quote) -> String {
        quote.tax.minorUnits == 0 ? "\(quote.total) in total" : "\(quote.subtotal) plus \(quote.tax) tax, \(quote.total) in total"
    }

    /// A value as it is said: `10"` is "10 inch", `6'` "6 ft".
    static func sayable(_ value: String) -> String {
        if value.hasSuffix("\""), value.dropLast().allSatisfy({ $0.isNumber || $0 == "." }) { return "\(value.dropLast()) inch" }
        if value.hasSuffix("'"), value.dropLast().allSatisfy({ $0.isNumber || $0 == "." }) { return "\(value.dropLast()) ft" }
        return value
    }

    static func choices(_ values: [String], option: String, conjunction: String = "or") -> String {
        let sorted = sorted(values, option: option).map(sayable)
        if option == "size", sorted.count > 3, let low = sorted.first, let high = sorted.last, Double(low) != nil {
            return "sizes \(low) to \(high)"
        }
        if sorted.count <= 3 { return (option == "size" ? (sorted.count == 1 ? "size " : "sizes ") : "") + list(sorted, conjunction: conjunction) }
        return "\(sorted.count) \(plural(option)), including \(list(Array(sorted.prefix(3))))"
    }

    static func plural(_ option: String) -> String {
        option.hasSuffix("s") ? option + "es" : option == "fit" ? "fits" : option + "s"
    }

    /// Names orders for a choice, adding when each was placed if two would sound the same.
    static func orderNames(_ orders: [Order], products: [String: Product], now: Date, calendar: Calendar) -> [String] {
        let names = orders.map { orderName($0, products: products) }
        return zip(orders, names).map { order, name in
            names.filter { $0 == name }.count > 1 ? "\(name) placed \(day(order.placedAt, now: now, calendar: calendar))" : name
        }
    }

    /// Names an order by what is in it: "your Nike Air Max 90 order".
    static func orderName(_ order: Order, products: [String: Product]) -> String {
        guard let first = order.lines.first else { return "order \(order.number)" }
        var name = products[first.productID]?.displayName ?? first.title
        if name.lowercased().hasPrefix("the ") { name = String(name.dropFirst(4)) }
        switch order.lines.count {
        case 1: return "your \(name) order"
        case 2: return "your order with the \(name) and 1 other item"
        default: return "your order with the \(name) and \(order.lines.count - 1) other items"
        }
    }

    /// Whether an order number the caller said, that the POS does not know, may be read back: a long one may be a card
    /// number misheard, and is never repeated.
    static func mayRepeat(orderNumber number: String) -> Bool {
        number.filter(\.isNumber).count <= CardRedaction.longestKept
    }
}

extension Product {
    /// "the Nike Air Max 90"; a brand that starts with "The" is not doubled.
    var theName: String {
        displayName.lowercased().hasPrefix("the ") ? "the " + displayName.dropFirst(4) : "the \(displayName)"
    }

}
