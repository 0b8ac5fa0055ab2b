import Testing
@testable import CorpusExport

@Suite("Thrift compact protocol")
struct ThriftTests {
    @Test("zigzag", arguments: [
        (Int32(0), UInt32(0)), (-1, 1), (1, 2), (-2, 3), (2, 4), (Int32.max, UInt32.max - 1), (Int32.min, UInt32.max),
    ])
    func zigzag32(_ v: Int32, _ expected: UInt32) {
        #expect(ThriftCompactWriter.zigzag32(v) == expected)
    }

    @Test func zigzag64() {
        #expect(ThriftCompactWriter.zigzag64(-1) == 1)
        #expect(ThriftCompactWriter.zigzag64(Int64.min) == UInt64.max)
        #expect(ThriftCompactWriter.zigzag64(Int64.max) == UInt64.max - 1)
    }

    static let varints: [(UInt64, [UInt8])] = [
        (0, [0]), (1, [1]), (127, [0x7F]), (128, [0x80, 0x01]), (300, [0xAC, 0x02]),
        (16384, [0x80, 0x80, 0x01]), (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test("ULEB128 varints", arguments: varints)
    func varint(_ v: UInt64, _ expected: [UInt8]) {
        var t = ThriftCompactWriter()
        t.varint(v)
        #expect(t.bytes == expected)
    }

    @Test func fieldHeadersShortAndLongForm() {
        var t = ThriftCompactWriter()
        t.i32(1, 3)        // delta 1, type i32 (5): 0x15, zigzag(3)=6
        t.i64(4, -1)       // delta 3, type i64 (6): 0x36, zigzag(-1)=1
        t.i32(40, 0)       // delta 36 > 15: type byte 0x05 then zigzag varint id 80
        t.bool(41, true)   // delta 1, BOOLEAN_TRUE (1): 0x11
        t.bool(42, false)  // delta 1, BOOLEAN_FALSE (2): 0x12
        t.stop()
        #expect(t.bytes == [0x15, 0x06, 0x36, 0x01, 0x05, 80, 0x00, 0x11, 0x12, 0x00])
    }

    @Test func nestedStructsRestartFieldIDs() {
        var t = ThriftCompactWriter()
        t.i32(5, 1)
        t.beginStruct(7)   // delta 2, struct (12): 0x2C
        t.i32(1, 1)        // inner numbering restarts: 0x15
        t.endStruct()      // 0x00
        t.i32(8, 1)        // outer continues from 7: delta 1 → 0x15
        t.stop()
        #expect(t.bytes == [0x55, 0x02, 0x2C, 0x15, 0x02, 0x00, 0x15, 0x02, 0x00])
    }

    @Test func listHeaders() {
        var t = ThriftCompactWriter()
        t.listI32(1, [1, 2, 3])
        #expect(t.bytes == [0x19, 0x35, 0x02, 0x04, 0x06])
        var u = ThriftCompactWriter()
        u.listI32(1, Array(repeating: 0, count: 20))
        #expect(Array(u.bytes.prefix(3)) == [0x19, 0xF5, 20])
        var s = ThriftCompactWriter()
        s.string(4, "ab")
        #expect(s.bytes == [0x48, 0x02, 0x61, 0x62])
    }
}

@Suite("RLE / bit-packed hybrid")
struct RLEHybridTests {
    @Test func bitWidths() {
        #expect(RLEHybrid.bitWidth(forMax: 0) == 0)
        #expect(RLEHybrid.bitWidth(forMax: 1) == 1)
        #expect(RLEHybrid.bitWidth(forMax: 7) == 3)
        #expect(RLEHybrid.bitWidth(forMax: 8) == 4)
        #expect(RLEHybrid.bitWidth(forMax: UInt32.max) == 32)
    }

    @Test func specExampleBitPacked() {
        // Parquet Encodings.md: 0..7 with bit width 3 packs to 10001000 11000110 11111010.
        var out: [UInt8] = []
        RLEHybrid.encode([UInt32](0...7), bitWidth: 3, into: &out)
        #expect(out == [0x03, 0x88, 0xC6, 0xFA])
    }

    @Test func longRepeatIsOneRLERun() {
        var out: [UInt8] = []
        RLEHybrid.encode([UInt8](repeating: 1, count: 1000), bitWidth: 1, into: &out)
        #expect(out == [0xD0, 0x0F, 0x01])  // varint(1000 << 1) = 0xD0 0x0F, value 1 in one byte
    }

    @Test func runValueUsesCeilBytes() {
        var out: [UInt8] = []
        RLEHybrid.encode([UInt32](repeating: 0x1234, count: 8), bitWidth: 13, into: &out)
        #expect(out == [0x10, 0x34, 0x12])
    }

    static let patterns: [(String, [UInt32], Int)] = {
        var lcg: UInt64 = 42
        func rnd(_ n: UInt32) -> UInt32 { lcg = lcg &* 6364136223846793005 &+ 1442695040888963407; return UInt32(lcg >> 33) % n }
        var mixed: [UInt32] = []
        for _ in 0..<200 { let v = rnd(50); let r = Int(rnd(20)) + 1; mixed += Array(repeating: v, count: r) }
        return [
            ("empty", [], 1),
            ("single", [1], 1),
            ("seven", [1, 0, 1, 0, 1, 0, 1], 1),
            ("literals then run", [1, 2, 3] + Array(repeating: 5, count: 30), 3),
            ("run then literals", Array(repeating: 5, count: 9) + [1, 2, 3], 3),
            ("random 20 bits", (0..<3000).map { _ in rnd(1 << 20) }, 20),
            ("mixed runs", mixed, 6),
            ("many literals", (0..<2000).map { UInt32($0 % 7) }, 3),
            ("32 bits", [UInt32.max, 0, UInt32.max, 1], 32),
        ]
    }()

    @Test("round trip", arguments: patterns)
    func roundTrip(_ p: (String, [UInt32], Int)) {
        var out: [UInt8] = []
        RLEHybrid.encode(p.1, bitWidth: p.2, into: &out)
        #expect(RLEHybrid.decode(out, bitWidth: p.2, count: p.1.count) == p.1, "\(p.0)")
    }
}

@Suite("Text escaping")
struct EscapingTests {
    @Test("CSV fields (RFC 4180)", arguments: [
        ("plain", "plain"), ("", "\"\""), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("line\nbreak", "\"line\nbreak\""), ("cr\r", "\"cr\r\""), ("tab\tok", "tab\tok"), ("NA", "NA"),
        (" lead", " lead"), ("東京", "東京"), ("\"", "\"\"\"\""),
    ])
    func csv(_ input: String, _ expected: String) {
        #expect(CSVEscaping.escape(input) == expected)
    }

    @Test("TSV cells", arguments: [
        ("plain", "plain"), ("", ""), ("a\tb", "a\\tb"), ("a\nb", "a\\nb"), ("a\rb", "a\\rb"),
        ("back\\slash", "back\\\\slash"), ("\\N", "\\\\N"), ("\\t", "\\\\t"), ("NA", "NA"), ("مرحبا", "مرحبا"),
    ])
    func tsv(_ input: String, _ expected: String) {
        #expect(TSVEscaping.escape(input) == expected)
        #expect(TSVEscaping.unescape(expected) == input)
    }

    @Test("JSON strings", arguments: [
        ("plain", "\"plain\""), ("", "\"\""), ("q\"q", "\"q\\\"q\""), ("b\\s", "\"b\\\\s\""),
        ("\n\r\t\u{8}\u{c}", "\"\\n\\r\\t\\b\\f\""), ("\u{1}\u{1f}", "\"\\u0001\\u001f\""),
        ("é東😀", "\"é東😀\""), ("/", "\"/\""), ("\u{7f}", "\"\u{7f}\""),
    ])
    func json(_ input: String, _ expected: String) {
        #expect(JSONEscaping.quote(input) == expected)
    }
}

@Suite("Numbers, dates, widths")
struct FormattingTests {
    @Test("shortest doubles round-trip", arguments: [
        0.1, 1e-05, 5.0, -0.0, 1.0 / 3.0, 123456789.0, 1e16, 1e300, 5e-324, Double.greatestFiniteMagnitude, 2.5e-7, 0.30000000000000004,
    ])
    func shortest(_ d: Double) {
        let s = NumberFormat.shortest(d)
        #expect(Double(s)!.bitPattern == d.bitPattern)
        #expect(!s.contains(" "))
    }

    @Test func shortestForms() {
        #expect(NumberFormat.shortest(5.0) == "5.0")
        #expect(NumberFormat.shortest(1e-05) == "1e-05")
        #expect(NumberFormat.json(.nan) == "null")
        #expect(NumberFormat.json(-.infinity) == "null")
        #expect(NumberFormat.shortest(.infinity) == "inf")
    }

    @Test("readable doubles", arguments: [
        (3.14159265, "3.1416"), (0.5, "0.5000"), (12.0, "12.0000"), (0.0, "0"), (-2.25, "-2.2500"),
        (1e-05, "1.000e-05"), (1.23456e-7, "1.235e-07"), (9.99999e-7, "1.000e-06"), (2.5e20, "2.500e+20"),
    ])
    func readable(_ d: Double, _ expected: String) {
        #expect(NumberFormat.readable(d) == expected)
    }

    @Test("integers", arguments: [Int64(0), 7, -7, 1_000_000, Int64.max, Int64.min])
    func integers(_ v: Int64) throws {
        var out = ByteArray()
        try NumberFormat.appendInt(v, to: &out)
        #expect(out.string == String(v))
    }

    @Test("dates", arguments: [
        ("1970-01-01", Int32(0)), ("1969-12-31", -1), ("2000-02-29", 11016), ("1987-02-26", 6265), ("2024-12-31", 20088),
    ])
    func dates(_ iso: String, _ days: Int32) {
        #expect(DayDate.parse(Array(iso.utf8)) == days)
        #expect(DayDate.iso(days) == iso)
    }

    @Test func invalidDates() {
        for s in ["2023-02-29", "2020-13-01", "2020-1-01", "2020-01-00", "20200101", "2020-01-01T", "abcd-ef-gh"] {
            #expect(DayDate.parse(Array(s.utf8)) == nil, "\(s)")
        }
    }

    @Test("display width", arguments: [
        ("abc", 3), ("東京", 4), ("한국어", 6), ("ｆｕｌｌ", 8), ("é", 1), ("e\u{301}", 1), ("😀", 2), ("مرحبا", 5), ("", 0),
    ])
    func width(_ s: String, _ w: Int) {
        #expect(DisplayWidth.of(s) == w)
    }

    @Test func truncation() {
        #expect(DisplayWidth.truncate("abcdefgh", to: 5) == "abcd…")
        #expect(DisplayWidth.truncate("東京都庁舎", to: 5) == "東京…")
        #expect(DisplayWidth.truncate("short", to: 5) == "short")
    }
}

@Suite("Manifest JSON")
struct ManifestTests {
    @Test func sortedKeysAndEscaping() {
        let v: JSONValue = ["zeta": 1, "alpha": ["b": true, "a": .null], "mid": [1.5, "x\"y", .double(.nan)]]
        #expect(v.serialized(pretty: false) == #"{"alpha":{"a":null,"b":true},"mid":[1.5,"x\"y",null],"zeta":1}"#)
        #expect(v.serialized() == """
            {
              "alpha": {
                "a": null,
                "b": true
              },
              "mid": [
                1.5,
                "x\\"y",
                null
              ],
              "zeta": 1
            }
            """)
    }
}
