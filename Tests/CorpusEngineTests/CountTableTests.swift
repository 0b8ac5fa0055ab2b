@testable import CorpusEngine
import Testing

/// The open-addressing count table under the key patterns the analyzers give it: pairs of ids, (period,
/// term) and (group, term) keys, ids in first-seen order. Counts and documents must equal a plain
/// dictionary's, and probe sequences must stay short however a table is filled.
@Suite("Count table")
struct CountTableTests {
    /// Keys as the analyzers pack them: high word and low word both small, dense ids.
    enum Shape: String, CaseIterable, Sendable {
        case pairs = "pairs a < b", periodTerm = "(period, term)", highWord = "high word only", lowWord = "low word only"
        func key(_ i: Int) -> UInt64 {
            switch self {
            case .pairs: UInt64(i % 997) << 32 | UInt64(997 + i / 997)
            case .periodTerm: UInt64(i % 40) << 32 | UInt64(i / 40)
            case .highWord: UInt64(i) << 32
            case .lowWord: UInt64(i)
            }
        }
    }

    @Test("counts and documents equal a dictionary's (growth included)", arguments: Shape.allCases)
    func counts(shape: Shape) {
        let key = shape.key
        let table = CountTable(capacity: 16)
        var expected: [UInt64: (count: UInt64, docs: Set<UInt32>)] = [:]
        var x: UInt64 = 12345
        for doc in UInt32(1)...400 {
            for _ in 0..<300 {
                x = x &* 6364136223846793005 &+ 1442695040888963407
                let k = key(Int(x >> 44) % 20_000)
                table.add(k, doc: doc)
                expected[k, default: (0, [])].count += 1
                expected[k]!.docs.insert(doc)
            }
        }
        #expect(table.count == expected.count)
        var seen = 0
        table.forEach { k, c, d in
            seen += 1
            #expect(expected[k]?.count == c)
            #expect(expected[k].map { UInt32($0.docs.count) } == d)
        }
        #expect(seen == expected.count)
        for (k, v) in expected.prefix(1000) { #expect(table.get(k)?.count == v.count) }
        #expect(table.get(key(20_001)) == nil)
    }

    @Test("a table read in slot order and merged into a fresh one keeps its probes short", arguments: Shape.allCases)
    func mergeInSlotOrder(shape: Shape) {
        // The merge of the first worker's period table into the run's empty one does exactly this. A slot
        // taken from the top bits of a hash would put the first part of the big table into the first few
        // slots of the small one, probing thousands of slots a key until it grows: `trends --by day` took 3.4×
        // as long at 100 MB.
        let key = shape.key
        let big = CountTable()
        for i in 0..<200_000 { big.add(key(i), doc: 1) }
        let fresh = CountTable()
        big.forEach { k, c, d in fresh.merge(k, count: c, docs: d) }
        #expect(fresh.count == 200_000)
        #expect(big.longestProbe() < 100)
        #expect(fresh.longestProbe() < 100, "longest probe \(fresh.longestProbe())")
        // Steps past the home slot while merging: a few a key (up to 3/4 load), not thousands.
        #expect(fresh.mergeSteps < 20 * 200_000, "\(fresh.mergeSteps) probe steps for 200,000 keys")
    }
}
