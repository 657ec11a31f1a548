import ArgumentParser
import Conversation
import Foundation
import Replay
import RetailModel
import StoreSimulator
import Understanding

/// `voicepos bench`: how long understanding takes to build and to read one utterance, at catalog scale.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure understanding on a generated catalog: lexicon build time, latency per utterance, memory.",
        discussion: "Build with -c release for figures that mean anything: swift run -c release voicepos bench"
    )

    @Option(help: "Products in the generated catalog.")
    var products = 50_000

    @Option(help: "Times each test utterance is understood.")
    var rounds = 200

    @Option(help: "Folder of intent YAML files (default: ./Intents or the package's).")
    var intents: String?

    @Flag(help: "Print one JSON document.")
    var json = false

    func run() async throws {
        let memoryBefore = Self.residentMegabytes()
        let catalog = SyntheticCatalog(products: products)
        let memoryWithCatalog = Self.residentMegabytes()
        let locations = [
            Location(id: "north", name: "North", address: "", taxRatePerMillion: 80_000, acceptsPickup: true, pickupReadyHours: 2, hours: ""),
            Location(id: "south", name: "South", address: "", taxRatePerMillion: 70_000, acceptsPickup: true, pickupReadyHours: 2, hours: ""),
        ]
        let clock = ContinuousClock()
        var definitions: [IntentDefinition] = []
        let loadIntents = try clock.measure {
            definitions = try IntentDefinition.loadAll(from: StoreBench.intentsDirectory(intents))
        }
        var understanding: LanguageUnderstanding?
        let build = clock.measure {
            understanding = LanguageUnderstanding(intents: definitions, catalog: catalog.products, locations: locations)
        }
        guard let understanding else { return }
        let memoryAfter = Self.residentMegabytes()

        let utterances = catalog.utterances()
        var latencies: [Duration] = []
        latencies.reserveCapacity(utterances.count * rounds)
        var sink = 0
        for _ in 0..<rounds {
            for (text, expecting) in utterances {
                let started = clock.now
                let reading = understanding.interpret(text, expecting: expecting)
                latencies.append(clock.now - started)
                sink &+= reading.entities.productIDs.count
            }
        }
        latencies.sort()
        // The worst a turn can ask of understanding: utterances at the engine's length cap, built to be slow (one long
        // word for the spelling corrector, number words for the digit reader, many short words for the phrase scans).
        let cap = DialogueConfiguration.utteranceCap
        let worstCases = [
            String(repeating: "x", count: cap),
            String(String(repeating: "four two one seven ", count: cap / 19 + 1).prefix(cap)),
            String(String(repeating: "do you have the black ones in a ten and a half for pickup ", count: cap / 58 + 1).prefix(cap)),
        ]
        var worst = Duration.zero
        for text in worstCases {
            for _ in 0..<3 {
                let started = clock.now
                sink &+= understanding.interpret(text).entities.productIDs.count
                worst = max(worst, clock.now - started)
            }
        }
        func percentile(_ p: Double) -> Double {
            let duration = latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
            return Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
        }
        func ms(_ duration: Duration) -> Double {
            Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        }
        let report: [String: Double] = [
            "products": Double(catalog.products.count),
            "variants": Double(catalog.products.reduce(0) { $0 + $1.variants.count }),
            "intents_load_ms": ms(loadIntents),
            "startup_ms": ms(build) + ms(loadIntents),
            "understanding_build_ms": ms(build),
            "utterances": Double(latencies.count),
            "p50_ms": percentile(0.50),
            "p99_ms": percentile(0.99),
            "max_ms": ms(latencies.last ?? .zero),
            "memory_mb": memoryAfter,
            "memory_growth_mb": memoryAfter - memoryBefore,
            "memory_catalog_mb": memoryWithCatalog - memoryBefore,
            "memory_understanding_mb": memoryAfter - memoryWithCatalog,
            "found_products": Double(sink),
            "worst_case_ms": ms(worst),
        ]
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("catalog: \(catalog.products.count) products, \(Int(report["variants"]!)) variants (generated)")
        print(
            String(
                format: "start-up: %.0f ms (intents %.0f ms, lexicon and classifier %.0f ms)", report["startup_ms"]!, report["intents_load_ms"]!,
                report["understanding_build_ms"]!))
        print(
            String(
                format: "understanding: %d utterances, p50 %.3f ms, p99 %.3f ms, max %.3f ms (one core)", latencies.count, report["p50_ms"]!,
                report["p99_ms"]!, report["max_ms"]!))
        print(String(format: "worst case at the %d-character cap: %.1f ms (longer turns are not read)", cap, report["worst_case_ms"]!))
        print(
            String(
                format: "memory: %.0f MB resident (the catalog %.0f MB, understanding %.0f MB)", memoryAfter, memoryWithCatalog - memoryBefore,
                memoryAfter - memoryWithCatalog))
    }

    /// Resident memory from /proc (Linux); 0 elsewhere.
    static func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kilobytes / 1024
    }
}

/// A deterministic made-up catalog of any size: brands × model names × sizes × colors.
struct SyntheticCatalog {
    let products: [Product]

    private static let syllables = ["ka", "lo", "mi", "ra", "ven", "tor", "sa", "bel", "dri", "zon", "pex", "lum", "qua", "nor", "fin", "gal"]
    private static let kinds: [(ProductCategory, String, [String])] = [
        (.footwear, "sneakers", ["7", "8", "9", "10", "11", "12"]), (.footwear, "boots", ["8", "9", "10", "11"]),
        (.apparel, "hoodies", ["S", "M", "L", "XL"]), (.apparel, "jackets", ["S", "M", "L"]), (.accessories, "caps", []),
    ]
    private static let colors = ["black", "white", "navy", "grey", "red", "olive"]

    init(products count: Int) {
        var generator = SplitMix64(seed: 42)
        func word(_ parts: Int) -> String {
            (0..<parts).map { _ in Self.syllables[Int(generator.next() % UInt64(Self.syllables.count))] }.joined()
        }
        let brands = (0..<max(1, count / 50)).map { _ in word(2).capitalized }
        var products: [Product] = []
        products.reserveCapacity(count)
        var pool = Set<[String: String]>()
        for index in 0..<count {
            let (category, kind, sizes) = Self.kinds[index % Self.kinds.count]
            let brand = brands[index % brands.count]
            let name = "\(word(2).capitalized) \(index % 100 + 1)"
            let colors = Array(Self.colors.shuffledDeterministically(&generator).prefix(2))
            let price = Money(minorUnits: 2_000 + Int(generator.next() % 20_000), currency: "USD")
            var variants: [Variant] = []
            for size in sizes.isEmpty ? [""] : sizes {
                for color in colors {
                    var options = ["color": color]
                    if !size.isEmpty { options["size"] = size }
                    // As a store's catalog is kept (`sharingOptionValues`): equal option values share one copy.
                    options = pool.insert(options).memberAfterInsert
                    variants.append(Variant(sku: "P\(index)-\(size)-\(color)", options: options, price: price))
                }
            }
            products.append(
                Product(
                    id: "p\(index)", brand: brand, name: name, category: category, kind: kind, unit: category == .footwear ? "pair" : nil,
                    optionNames: sizes.isEmpty ? ["color"] : ["size", "color"], variants: variants))
        }
        self.products = products
    }

    /// Spoken-style utterances naming products of this catalog, with what the conversation expected.
    func utterances() -> [(String, ExpectedSlot?)] {
        let named = stride(from: 0, to: products.count, by: max(1, products.count / 20)).map { products[$0] }
        var result: [(String, ExpectedSlot?)] = []
        for product in named {
            let name = "\(product.brand) \(product.name)".lowercased()
            result += [
                ("um do you have the \(name) in a size ten and a half", nil),
                ("I'd like to order two of the \(name) in black for pickup at the north store", nil),
                ("any chance you've got \(product.name.lowercased())s in stock", nil),
            ]
        }
        result += [
            ("where's my order, it's seven eight two nine", nil), ("I need to return the shoes, they're too small", nil),
            ("ten", .size), ("the black ones", .color), ("yes please go ahead", .confirmation),
            ("can I talk to a real person", nil), ("what time do you close on sunday", nil),
        ]
        return result
    }
}

extension Array {
    func shuffledDeterministically(_ generator: inout SplitMix64) -> [Element] {
        var copy = self
        copy.shuffle(using: &generator)
        return copy
    }
}
