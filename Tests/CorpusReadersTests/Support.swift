import CorpusCore
import CorpusTestSupport
import Foundation
@testable import CorpusReaders

/// Shared helpers for the reader tests.
enum R {
    static func fixture(_ name: String) -> String { TestPaths.fixture("CorpusReadersTests", name).path }

    /// Reads `paths` to the end through `CorpusReader.next()`.
    static func read(_ paths: [String], _ options: ReaderOptions = ReaderOptions(), strict: Bool = false) throws
        -> (docs: [Document], diag: Diagnostics)
    {
        let diag = Diagnostics(strict: strict, echo: false)
        let reader = try CorpusReader(paths: paths, options: options, diagnostics: diag)
        return (try reader.readAll(), diag)
    }

    /// Reads `paths` via `nextChunk()` + `decode` (the parallel engine's path).
    static func readChunked(_ paths: [String], _ options: ReaderOptions = ReaderOptions()) throws -> (docs: [Document], chunks: Int, diag: Diagnostics) {
        let diag = Diagnostics(strict: false, echo: false)
        let reader = try CorpusReader(paths: paths, options: options, diagnostics: diag)
        var docs: [Document] = []
        var n = 0
        while let c = try reader.nextChunk() {
            n += 1
            docs += try CorpusReader.decode(c, options: options, diagnostics: diag)
        }
        return (docs, n, diag)
    }

    /// A fresh temporary directory (removed by the OS eventually; tests write only small files).
    static func tempDir() throws -> URL { try TestPaths.makeTempDir("corpusreaders") }

    @discardableResult
    static func write(_ dir: URL, _ name: String, _ bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    @discardableResult
    static func write(_ dir: URL, _ name: String, _ text: String) throws -> String {
        try write(dir, name, Array(text.utf8))
    }

    static func body(_ d: Document) -> String { String(decoding: d.body, as: UTF8.self) }
    static func iso(_ d: Document) -> String? { d.date.map(DateParser.iso8601) }
}
