import CorpusEngine
import Testing

/// Dispersion measures (docs/definitions.md "Dispersion"): hand-computed cases.
@Suite("Dispersion measures")
struct DispersionTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var counts: [UInt64]
        var sizes: [UInt64]
        var positions: [UInt64]
        var dp: Double
        var juilland: Double?
        var arf: Double
        var description: String { name }
    }

    static let cases: [Case] = [
        // Gries (2008): parts of 9, 10, 10, 10, 11 words, the term 1, 2, 3, 4, 5 times: DP = 0.18.
        Case(name: "Gries 2008", counts: [1, 2, 3, 4, 5], sizes: [9, 10, 10, 10, 11],
             positions: [0, 9, 10, 19, 20, 21, 29, 30, 31, 32, 39, 40, 41, 42, 43], dp: 0.18, juilland: nil, arf: 0),
        // Spread exactly as the parts: DP 0, D 1; evenly spaced occurrences: ARF = f.
        Case(name: "even", counts: [2, 2], sizes: [10, 10], positions: [0, 5, 10, 15], dp: 0, juilland: 1, arf: 4),
        // All in one of two equal parts, bunched: DP = 0.5, D = 0, ARF = 1 + 3 · (1 / 5).
        Case(name: "one part", counts: [4, 0], sizes: [10, 10], positions: [0, 1, 2, 3], dp: 0.5, juilland: 0, arf: 1.6),
    ]

    @Test("DP, Juilland's D and ARF", arguments: cases)
    func measures(_ c: Case) {
        let total = c.sizes.reduce(0, +)
        let r = DispersionMeasures.row(label: "t", counts: c.counts, sizes: c.sizes, positions: c.positions, total: total, docs: 0)
        #expect(abs(r.griesDP! - c.dp) < 1e-12)
        if let d = c.juilland { #expect(abs(r.juillandD! - d) < 1e-12) }
        if c.name != "Gries 2008" { #expect(abs(r.arf! - c.arf) < 1e-12) }
        #expect(r.count == c.counts.reduce(0, +))
        let minS = Double(c.sizes.min()!) / Double(total)
        #expect(abs(r.dpNorm! - c.dp / (1 - minS)) < 1e-12)
        #expect(r.carrollD2! >= 0 && r.carrollD2! <= 1 + 1e-12)
    }

    @Test("an absent term has no measures; one part has no D or D2")
    func edges() {
        let none = DispersionMeasures.row(label: "t", counts: [0, 0], sizes: [5, 5], positions: [], total: 10, docs: 0)
        #expect(none.griesDP == nil && none.arf == nil && none.range == 0)
        let one = DispersionMeasures.row(label: "t", counts: [3], sizes: [9], positions: [0, 3, 6], total: 9, docs: 1)
        #expect(one.juillandD == nil && one.carrollD2 == nil)
        #expect(one.griesDP == 0 && one.arf == 3)
    }
}
