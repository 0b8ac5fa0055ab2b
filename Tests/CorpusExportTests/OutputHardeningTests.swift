import Foundation
import Testing
import CorpusTestSupport
@testable import CorpusExport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 19 (outputs): TSV's leading quote, CSV formula cells, file modes kept, paths escaped in messages.
@Suite("Output hardening")
struct OutputHardeningTests {
    @Test("TSV: a leading double quote is escaped as \\\" and read back", arguments: [
        ("\"quoted\" start", "\\\"quoted\" start"),
        ("\"", "\\\""),
        ("\"\"", "\\\"\""),
        ("say \"hi\"", "say \"hi\""),     // a quote inside a cell is left alone
        ("\"a\tb", "\\\"a\\tb"),
        ("\\\"", "\\\\\""),               // a backslash then a quote: only the backslash is escaped
        ("plain", "plain"),
        ("", ""),
    ])
    func tsvLeadingQuote(_ p: (String, String)) {
        #expect(TSVEscaping.escape(p.0) == p.1)
        #expect(TSVEscaping.unescape(p.1) == p.0)
    }

    @Test("--csv-safe: formula starts get a leading '", arguments: [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)", "=SUM(A1:A9)"),
        ("+1", "'+1", "+1"),
        ("-", "'-", "-"),
        ("-1.5", "'-1.5", "-1.5"),
        ("@cmd", "'@cmd", "@cmd"),
        ("\tx", "'\tx", "\tx"),
        ("=a,b", "\"'=a,b\"", "\"=a,b\""),
        ("\rx", "\"'\rx\"", "\"\rx\""),
        ("a=b", "a=b", "a=b"),
        ("'quoted'", "'quoted'", "'quoted'"),
        ("", "\"\"", "\"\""),
    ])
    func csvSafe(_ p: (String, String, String)) {
        #expect(CSVEscaping.escape(p.0, safe: true) == p.1)
        #expect(CSVEscaping.escape(p.0) == p.2)
    }

    @Test func csvSafeLeavesNumericColumnsAlone() throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("t.csv").path
        var o = SinkOptions()
        o.csvSafe = true
        let w = try makeTableWriter(format: .csv, columns: [Column("term", .string), Column("count", .int64), Column("score", .double)],
                                    path: path, options: o)
        try w.write([.string("-x"), .int(-3), .double(-1.5)])
        try w.write([.string("=1+1"), .int(0), .double(-1e-05)])
        try w.finish()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "term,count,score\n'-x,-3,-1.5\n'=1+1,0,-1e-05\n")
    }

    @Test("an existing file's mode is kept when it is replaced", arguments: [0o600, 0o640, 0o644, 0o755, 0o444] as [mode_t])
    func modeKept(_ mode: mode_t) throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("t.tsv").path
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(chmod(path, mode) == 0)
        let w = try makeTableWriter(format: .tsv, columns: [Column("a", .int64)], path: path)
        try w.write([.int(1)])
        try w.finish()
        var st = stat()
        #expect(stat(path, &st) == 0)
        #expect(st.st_mode & 0o7777 == mode)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a\n1\n")
    }

    @Test func newFileFollowsTheUmask() throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("n.tsv").path
        let old = umask(0o027)
        defer { umask(old) }
        let w = try makeTableWriter(format: .tsv, columns: [Column("a", .int64)], path: path)
        try w.finish()
        var st = stat()
        #expect(stat(path, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o640)
    }

    @Test("paths in messages: control characters escaped", arguments: [
        ("out\nfake.tsv", "out\\nfake.tsv"),
        ("a\tb\r.tsv", "a\\tb\\r.tsv"),
        ("\u{1b}[31mred.tsv", "\\u{1b}[31mred.tsv"),
        ("del\u{7f}.tsv", "del\\u{7f}.tsv"),
        ("c1\u{9b}.tsv", "c1\\u{9b}.tsv"),
        ("東京/ok.tsv", "東京/ok.tsv"),
        ("back\\slash.tsv", "back\\slash.tsv"),
    ])
    func escapedPaths(_ p: (String, String)) {
        #expect(escapedPath(p.0) == p.1)
        #expect(escapedPath(escapedPath(p.0)) == p.1)
    }

    @Test func ioErrorsNameTheEscapedPath() {
        let e = ExportError.io(path: "no\nsuch/dir/x.tsv", operation: "rename", errno: ENOENT)
        #expect(!e.description.contains("\n"))
        #expect(e.description.hasPrefix("no\\nsuch/dir/x.tsv: rename failed"))
        #expect(throws: ExportError.io(path: "/nonexistent\\n/x.tsv", operation: "create temporary file", errno: ENOENT)) {
            _ = try makeTableWriter(format: .tsv, columns: [Column("a", .int64)], path: "/nonexistent\n/x.tsv")
        }
    }
}
