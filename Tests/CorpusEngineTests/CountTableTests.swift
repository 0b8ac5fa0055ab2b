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

    @Test("merging a whole table (prefetched, in blocks) equals merging it entry by entry, mapped keys and growth included",
          arguments: Shape.allCases)
    func wholeTableMerge(shape: Shape) {
        let key = shape.key
        // Two "workers" whose keys overlap in part; the second is larger than one merge block (4,096).
        let first = CountTable(), second = CountTable()
        for i in 0..<30_000 { first.add(key(i), doc: UInt32(i % 7)) }
        for i in 20_000..<70_000 { second.add(key(i), doc: UInt32(i % 5)); second.add(key(i / 2), doc: 9) }
        // A key mapping as the remap of ids does: here, swap the halves of the key.
        let swap: (UInt64) -> UInt64 = { $0 << 32 | $0 >> 32 }
        let byEntry = CountTable(capacity: 16), whole = CountTable(capacity: 16)
        first.forEach { k, c, d in byEntry.merge(k, count: c, docs: d) }
        second.forEach { k, c, d in byEntry.merge(swap(k), count: c, docs: d) }
        whole.merge(first) { $0 }
        whole.merge(second, mapping: swap)
        #expect(whole.count == byEntry.count)
        var a: [UInt64] = [], b: [UInt64] = []
        byEntry.forEach { k, c, d in a += [k, c, UInt64(d)] }
        whole.forEach { k, c, d in b += [k, c, UInt64(d)] }
        // The same entries in the same slots: the same table order for whatever reads it after.
        #expect(a == b)
        #expect(whole.get(swap(key(25_000)))?.count == 3)  // i = 25,000, and i / 2 for i = 50,000 and 50,001
        #expect(whole.get(key(25_000))?.count == 1)
    }
}
