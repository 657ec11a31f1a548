import Foundation
import Replay
import StoreSimulator
import Testing

/// Files from outside the package are read within bounds, and a bad one is an error naming it.
struct InputBoundsTests {
    /// Nine levels of nine aliases: 387 million values once followed, refused after a few hundred thousand steps.
    static let aliasBomb = """
        a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
        e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
        f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
        g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
        h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
        i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
        """

    private func parse(_ yaml: String) throws -> Dialogue {
        try DialogueParser().parse(yaml, file: "suite/bad.yaml", directory: Fixtures.root)
    }

    @Test func anAliasBombOrDeepNestingIsRefusedNamingTheFile() throws {
        let inline = "store:\n" + Self.aliasBomb.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n") + "\nturns:\n  - user: hi\n"
        #expect {
            try parse(inline)
        } throws: { error in
            (error as? DialogueFileError)?.file == "suite/bad.yaml" && "\(error)".contains("aliases")
        }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect {
            try parse("turns: \(deep)\n")
        } throws: { error in
            "\(error)".contains("suite/bad.yaml") && "\(error)".contains("levels deep")
        }
        #expect {
            try StoreFixture.parse(Self.aliasBomb, source: "fixtures/bomb.yaml")
        } throws: { error in
            "\(error)".hasPrefix("fixtures/bomb.yaml: ") && "\(error)".contains("aliases")
        }
        let huge = "name: big\n# " + String(repeating: "x", count: BoundedYAML.longestText) + "\n"
        #expect {
            try parse(huge)
        } throws: { error in
            "\(error)".contains("suite/bad.yaml") && "\(error)".contains("MB")
        }
    }

    @Test func aNegativePriceOrStockInAFixtureIsRefused() throws {
        func fixture(price: Int, stock: Int) -> String {
            """
            store: {name: Bad Prices}
            locations: [{id: main, name: Main}]
            products:
              - {id: p, brand: B, name: Thing, category: accessories, price: \(price), variants: [{sku: P-1, stock: {main: \(stock)}}]}
            customers: []
            """
        }
        #expect(try StoreFixture.parse(fixture(price: 100, stock: 0), source: "ok.yaml").products.count == 1)
        #expect {
            try StoreFixture.parse(fixture(price: -100, stock: 1), source: "f.yaml")
        } throws: { error in
            "\(error)" == "f.yaml: field products[0].price: must not be negative"
        }
        #expect {
            try StoreFixture.parse(fixture(price: 100, stock: -2), source: "f.yaml")
        } throws: { error in
            "\(error)" == "f.yaml: field products[0].variants[0].stock.main: must not be negative"
        }
    }
}
