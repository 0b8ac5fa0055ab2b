import Foundation
import Testing
import CorpusTestSupport
@testable import CorpusExport

private let columns = [Column("term", .string), Column("count", .int64), Column("per_million", .double, nullable: true), Column("period_start", .date)]
private let rows: [[Cell]] = [
    [.string("the"), .int(10), .double(0.5), .date(0)],
    [.string("NA"), .int(5), .double(1e-05), .date(6265)],
    [.string(""), .int(3), .null, .date(-1)],
    [.bytes(Array("a\tb,\"c\"\n".utf8)), .int(-1), .int(2), .date(11016)],
]

private func files(in dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
}

private func write(_ format: OutputFormat, to path: String, options: SinkOptions = SinkOptions()) throws -> String {
    let w = try makeTableWriter(format: format, columns: columns, path: path, options: options)
    for r in rows { try w.write(r) }
    try w.finish()
    return try String(contentsOfFile: path, encoding: .utf8)
}

@Suite("Table writers")
struct WriterTests {
    @Test func tsv() throws {
        let dir = try TestPaths.makeTempDir()
        let text = try write(.tsv, to: dir.appendingPathComponent("t.tsv").path)
        #expect(text == "term\tcount\tper_million\tperiod_start\nthe\t10\t0.5\t1970-01-01\nNA\t5\t1e-05\t1987-02-26\n\t3\t\\N\t1969-12-31\na\\tb,\"c\"\\n\t-1\t2.0\t2000-02-29\n")
        #expect(try files(in: dir) == ["t.tsv"])
    }

    @Test func csv() throws {
        let dir = try TestPaths.makeTempDir()
        let text = try write(.csv, to: dir.appendingPathComponent("t.csv").path)
        #expect(text == "term,count,per_million,period_start\nthe,10,0.5,1970-01-01\nNA,5,1e-05,1987-02-26\n\"\",3,,1969-12-31\n\"a\tb,\"\"c\"\"\n\",-1,2.0,2000-02-29\n")
    }

    @Test func jsonl() throws {
        let dir = try TestPaths.makeTempDir()
        let text = try write(.jsonl, to: dir.appendingPathComponent("t.jsonl").path)
        #expect(text == """
            {"term":"the","count":10,"per_million":0.5,"period_start":"1970-01-01"}
            {"term":"NA","count":5,"per_million":1e-05,"period_start":"1987-02-26"}
            {"term":"","count":3,"per_million":null,"period_start":"1969-12-31"}
            {"term":"a\\tb,\\"c\\"\\n","count":-1,"per_million":2.0,"period_start":"2000-02-29"}

            """)
        for line in text.split(separator: "\n") {
            #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
        }
    }

    @Test func terminalTable() throws {
        let dir = try TestPaths.makeTempDir()
        var o = SinkOptions()
        o.title = "Top terms"
        o.tableMaxRows = 3
        o.tableAllRowsHint = "--top 0 for all"
        let text = try write(.table, to: dir.appendingPathComponent("t.txt").path, options: o)
        #expect(text == """
            Top terms
            term  count  per_million  period_start
            ────  ─────  ───────────  ────────────
            the      10       0.5000  1970-01-01
            NA        5    1.000e-05  1987-02-26
                      3               1969-12-31
            showing 3 of 4 rows — --top 0 for all

            """)
    }

    @Test("terminal tables fit the terminal: text columns narrowed widest first, numbers never cut",
          arguments: [60, 120])
    func terminalWidth(_ width: Int) throws {
        let columns = [Column("term1", .string), Column("term2", .string), Column("count", .int64)]
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("w.txt").path
        var o = SinkOptions()
        o.tableWidth = width
        let w = try makeTableWriter(format: .table, columns: columns, path: path, options: o)
        let long = String(repeating: "x", count: 40)
        try w.write([.string(long), .string(long + "y"), .int(1_234_567)])
        try w.write([.string("a"), .string("b"), .int(9361)])
        try w.finish()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        // unfitted, a row takes 40 + 41 + 9 columns and two 2-space gaps = 94
        for line in lines { #expect(DisplayWidth.of(line) <= width, "\(line)") }
        #expect(lines[2].hasSuffix("1,234,567"))
        #expect(lines[3].hasSuffix("9,361"))
        #expect(lines[2].contains("…") == (width < 94))
        if width >= 94 { #expect(lines[2].contains(long + "y")) }
    }

    @Test func tableAlignsWideCharacters() throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("w.txt").path
        let w = try makeTableWriter(format: .table, columns: [Column("term", .string), Column("count", .int64)], path: path, options: SinkOptions())
        try w.write([.string("東京"), .int(1234567)])
        try w.write([.string("ab"), .int(2)])
        try w.finish()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines[2] == "東京  1,234,567")
        #expect(lines[3] == "ab            2")
    }

    @Test("parquet file frame", arguments: Compression.allCases)
    func parquetFrame(_ c: Compression) throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("t.parquet").path
        var o = SinkOptions()
        o.compression = c
        o.metadata = [("corpuskit.version", "0.1")]
        let w = try makeTableWriter(format: .parquet, columns: columns, path: path, options: o)
        for _ in 0..<1000 { for r in rows { try w.write(r) } }
        try w.finish()
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(data.prefix(4)) == Array("PAR1".utf8))
        #expect(Array(data.suffix(4)) == Array("PAR1".utf8))
        let n = data.count
        let footerLen = Int(data[n - 8]) | Int(data[n - 7]) << 8 | Int(data[n - 6]) << 16 | Int(data[n - 5]) << 24
        #expect(footerLen > 0 && footerLen < n - 12)
        let footer = data[(n - 8 - footerLen)..<(n - 8)]
        #expect(footer.last == 0)  // FileMetaData's stop byte
        #expect(String(decoding: footer, as: UTF8.self).contains("corpuskit.version"))
        #expect(try files(in: dir) == ["t.parquet"])
    }

    @Test func parquetDictionaryFallbackAndRowGroups() throws {
        // Tiny limits force many row groups, pages and a dictionary → PLAIN fallback.
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("f.parquet").path
        var o = SinkOptions()
        o.rowGroupRows = 700
        o.pageBytes = 1024
        o.dictionaryBytesLimit = 2000
        let w = try makeTableWriter(format: .parquet, columns: [Column("term", .string, nullable: true)], path: path, options: o)
        for i in 0..<5000 { try w.write([i % 11 == 0 ? .null : .string("term-\(i)")]) }
        try w.finish()
        #expect(w.rowCount == 5000)
        #expect(FileManager.default.fileExists(atPath: path))
    }
}

@Suite("Atomic output")
struct AtomicOutputTests {
    @Test("abandon leaves nothing", arguments: OutputFormat.allCases)
    func abandon(_ f: OutputFormat) throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("out.\(f.fileExtension)").path
        let w = try makeTableWriter(format: f, columns: columns, path: path, options: SinkOptions())
        for _ in 0..<10_000 { try w.write(rows[0]) }
        #expect(try files(in: dir).count == 1)  // the temporary file
        #expect(try files(in: dir).allSatisfy { $0.hasPrefix(".out.") })
        w.abandon()
        #expect(try files(in: dir) == [])
        #expect(throws: ExportError.finished) { try w.write(rows[0]) }
    }

    @Test("a rejected row, then abandon: no file", arguments: OutputFormat.allCases)
    func typeError(_ f: OutputFormat) throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("out").path
        let w = try makeTableWriter(format: f, columns: columns, path: path, options: SinkOptions())
        try w.write(rows[0])
        #expect(throws: ExportError.cellType(column: "count", expected: .int64, got: "string", row: 2)) {
            try w.write([.string("x"), .string("y"), .null, .date(0)])
        }
        #expect(throws: ExportError.rowWidth(expected: 4, got: 1, row: 2)) { try w.write([.string("x")]) }
        #expect(throws: ExportError.cellType(column: "term", expected: .string, got: "null", row: 2)) {
            try w.write([.null, .int(1), .null, .date(0)])
        }
        w.abandon()
        #expect(try files(in: dir) == [])
    }

    @Test func droppedWriterRemovesItsTemporaryFile() throws {
        let dir = try TestPaths.makeTempDir()
        do {
            let w = try makeTableWriter(format: .parquet, columns: columns, path: dir.appendingPathComponent("x.parquet").path, options: SinkOptions())
            try w.write(rows[0])
        }
        #expect(try files(in: dir) == [])
    }

    @Test func finishReplacesAnExistingFile() throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("t.tsv").path
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        let w = try makeTableWriter(format: .tsv, columns: [Column("a", .int64)], path: path, options: SinkOptions())
        try w.write([.int(1)])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")  // untouched until finish
        try w.finish()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a\n1\n")
        #expect(try files(in: dir) == ["t.tsv"])
    }

    @Test func missingDirectoryIsAClearError() {
        #expect(throws: ExportError.self) {
            _ = try makeTableWriter(format: .tsv, columns: [Column("a", .int64)], path: "/nonexistent-dir-ck/x.tsv", options: SinkOptions())
        }
        do {
            _ = try makeTableWriter(format: .tsv, columns: [Column("a", .int64)], path: "/nonexistent-dir-ck/x.tsv", options: SinkOptions())
        } catch {
            #expect("\(error)".hasPrefix("/nonexistent-dir-ck/x.tsv: create temporary file failed: No such file"))
        }
    }

    @Test("devices are written in place, never renamed over", arguments: [OutputFormat.tsv, .parquet])
    func devNull(_ f: OutputFormat) throws {
        let w = try makeTableWriter(format: f, columns: columns, path: "/dev/null", options: SinkOptions())
        for r in rows { try w.write(r) }
        try w.finish()
        let attrs = try FileManager.default.attributesOfItem(atPath: "/dev/null")
        #expect(attrs[.type] as? FileAttributeType == .typeCharacterSpecial)
    }

    @Test func symlinkTargetIsReplacedAndLinkKept() throws {
        let dir = try TestPaths.makeTempDir()
        let real = dir.appendingPathComponent("real.tsv").path
        let link = dir.appendingPathComponent("link.tsv").path
        try "old".write(toFile: real, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let w = try makeTableWriter(format: .tsv, columns: [Column("a", .int64)], path: link, options: SinkOptions())
        try w.write([.int(7)])
        try w.finish()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real)
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "a\n7\n")
        #expect(try files(in: dir) == ["link.tsv", "real.tsv"])
    }

    @Test func directoryIsRefused() throws {
        let dir = try TestPaths.makeTempDir()
        #expect(throws: ExportError.refused("\(dir.path): is a directory (give a file name)")) {
            _ = try makeTableWriter(format: .tsv, columns: [Column("a", .int64)], path: dir.path, options: SinkOptions())
        }
    }

    @Test func manifestIsWrittenAtomically() throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("manifest.json").path
        try Manifest.write(["b": 1, "a": "x"], to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\n  \"a\": \"x\",\n  \"b\": 1\n}\n")
        #expect(try files(in: dir) == ["manifest.json"])
    }
}

@Suite("TSV tables read back (convert)")
struct TSVTableTests {
    @Test func inferenceAndCopy() throws {
        let dir = try TestPaths.makeTempDir()
        let src = dir.appendingPathComponent("in.tsv").path
        try "term\tcount\tpmi\tperiod_start\tlabel\tempty_col\n1987\t3\t-1.5\t2020-01-31\tx\t\\N\nnan\t-4\tnan\t2020-02-01\t7\t\\N\na\\tb\t0\t1e-05\t2020-02-02\t8.5\t\\N\n"
            .write(toFile: src, atomically: false, encoding: .utf8)
        let (cols, n) = try TSVTable.inferColumns(path: src)
        #expect(n == 3)
        #expect(cols == [Column("term", .string), Column("count", .int64), Column("pmi", .double), Column("period_start", .date),
                         Column("label", .string), Column("empty_col", .string, nullable: true)])
        let out = dir.appendingPathComponent("out.tsv").path
        let w = try makeTableWriter(format: .tsv, columns: cols, path: out, options: SinkOptions())
        #expect(try TSVTable.copy(path: src, columns: cols, into: w) == 3)
        try w.finish()
        #expect(try String(contentsOfFile: out, encoding: .utf8) == String(contentsOfFile: src, encoding: .utf8))
    }

    @Test func raggedRowIsAnErrorWithFileAndLine() throws {
        let dir = try TestPaths.makeTempDir()
        let src = dir.appendingPathComponent("bad.tsv").path
        try "a\tb\n1\t2\n3\n".write(toFile: src, atomically: false, encoding: .utf8)
        #expect(throws: ExportError.input("\(src):3: 1 fields, the header has 2")) { _ = try TSVTable.inferColumns(path: src) }
    }

    @Test func classification() {
        for s in ["1", "-1.5", "1e-05", "1E+3", ".5", "5.", "inf", "-inf", "nan"] {
            #expect(TSVTable.classifyDouble(Array(s.utf8)) != .no, "\(s)")
        }
        for s in ["", "-", "e5", "1e", "0x10", "1,5", "NaN1", "1.2.3", " 1"] {
            #expect(TSVTable.classifyDouble(Array(s.utf8)) == .no, "\(s)")
        }
        #expect(TSVTable.parseInt(Array("9223372036854775807".utf8)) == Int64.max)
        #expect(TSVTable.parseInt(Array("-9223372036854775808".utf8)) == Int64.min)
        #expect(TSVTable.parseInt(Array("9223372036854775808".utf8)) == nil)
    }
}

/// Rows encoded away from the writer (`RowEncoder` into `RowBytes`, as `emitTableRows` does on several
/// threads) must give the writer's own bytes.
@Suite("Encoded rows")
struct EncodedRowTests {
    @Test("encoded blocks, appended in order, equal row-by-row writing", arguments: [OutputFormat.tsv, .csv, .jsonl])
    func sameBytes(format: OutputFormat) throws {
        let dir = try TestPaths.makeTempDir()
        let direct = try write(format, to: dir.appendingPathComponent("direct").path, options: SinkOptions())
        let path = dir.appendingPathComponent("blocks").path
        let w = try makeTableWriter(format: format, columns: columns, path: path, options: SinkOptions())
        let encoded = try #require(w as? EncodedRowWriter)
        // Two blocks: rows 0–2, then row 3, into a buffer that must grow.
        let block = RowBytes(capacity: 8)
        for i in 0..<3 { try encoded.rowEncoder.encode(rows[i], rowIndex: i, into: block) }
        #expect(block.rows == 3)
        try encoded.write(encoded: block)
        block.removeAll()
        try encoded.rowEncoder.encode(rows[3], rowIndex: 3, into: block)
        try encoded.write(encoded: block)
        #expect(w.rowCount == 4)
        try w.finish()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == direct)
    }

    @Test("a bad cell names the table's row, not the block's")
    func rowNumberInErrors() throws {
        let w = try makeTableWriter(format: .tsv, columns: columns, path: "/dev/null", options: SinkOptions())
        let encoded = try #require(w as? EncodedRowWriter)
        let block = RowBytes()
        #expect(throws: ExportError.cellType(column: "count", expected: .int64, got: "string", row: 9000)) {
            try encoded.rowEncoder.encode([.string("a"), .string("x"), .null, .date(0)], rowIndex: 8999, into: block)
        }
        #expect(throws: ExportError.rowWidth(expected: 4, got: 1, row: 12)) {
            try encoded.rowEncoder.encode([.string("a")], rowIndex: 11, into: block)
        }
        w.abandon()
    }

    @Test("Parquet and the terminal table are written row by row")
    func onlyTextFormats() throws {
        let dir = try TestPaths.makeTempDir()
        let p = try makeTableWriter(format: .parquet, columns: columns, path: dir.appendingPathComponent("t.parquet").path)
        #expect(!(p is EncodedRowWriter))
        p.abandon()
        let t = try makeTableWriter(format: .table, columns: columns, path: dir.appendingPathComponent("t.txt").path)
        #expect(!(t is EncodedRowWriter))
        t.abandon()
    }
}

/// Parquet column chunks encoded and compressed on several threads (`SinkOptions.threads`) must give the
/// same file, byte for byte, as one thread.
@Suite("Parquet on several threads")
struct ParquetThreadsTests {
    @Test("the same bytes at 1, 2 and 5 threads (several row groups, dictionary and plain strings, nulls)",
          arguments: [Compression.none, .gzip, .zstd])
    func sameBytes(compression: Compression) throws {
        let dir = try TestPaths.makeTempDir()
        var files: [Data] = []
        for threads in [1, 2, 5] {
            var o = SinkOptions(compression: compression)
            o.threads = threads
            o.rowGroupRows = 700
            o.pageBytes = 1024
            o.dictionaryBytesLimit = 2000  // the term column falls back to PLAIN in later row groups
            let path = dir.appendingPathComponent("t\(threads).parquet").path
            let w = try makeTableWriter(format: .parquet, columns: columns, path: path, options: o)
            for i in 0..<2500 {
                let term: Cell = i % 3 == 0 ? .string("t\(i % 50)") : .string("term number \(i) of many")
                try w.write([term, .int(Int64(i)), i % 7 == 0 ? .null : .double(Double(i) / 7), .date(Int32(i % 400))])
            }
            try w.finish()
            files.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        #expect(files[0].count > 10_000)
        #expect(files[1] == files[0])
        #expect(files[2] == files[0])
        // And it reads back (the chunk offsets of every row group are right): every row, in order.
        let r = try ParquetReader(path: dir.appendingPathComponent("t5.parquet").path)
        #expect(r.rowCount == 2500)
        #expect(r.rowGroupCount == 4)
        let terms = try r.read(column: "term"), counts = try r.read(column: "count"), pm = try r.read(column: "per_million")
        for i in [0, 1, 699, 700, 1401, 2499] {
            #expect(terms.string(i) == (i % 3 == 0 ? "t\(i % 50)" : "term number \(i) of many"))
            #expect(counts.int64(i) == Int64(i))
            #expect(pm.double(i) == (i % 7 == 0 ? nil : Double(i) / 7))
        }
    }
}
