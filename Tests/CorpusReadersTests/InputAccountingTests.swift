import CorpusCore
import Foundation
import Testing

@testable import CorpusReaders

/// What the CLI's exit codes rest on: which inputs could not be read, and what folders skipped.
@Suite struct InputAccountingTests {
    @Test func unreadableInputsAreCountedApartFromRecords() throws {
        let dir = try R.tempDir()
        let good = try R.write(dir, "good.jsonl", "{\"text\":\"a\"}\n{broken\n")
        let binary = try R.write(dir, "image.txt", [0x89, 0x50, 0x00, 0x01])
        let empty = try R.write(dir, "empty.txt", "")
        let missing = dir.path + "/gone.jsonl"
        let diag = Diagnostics(echo: false)
        let reader = try CorpusReader(paths: [good, binary, empty, missing], diagnostics: diag)
        let docs = try reader.readAll()
        #expect(docs.count == 1)
        #expect(reader.files == [good, binary, empty])
        #expect(reader.filesFailed == 2)  // binary, empty; the missing path never became a file
        #expect(diag.unreadableInputs == 3)
        #expect(diag.count(.skipped) == 4)  // 3 inputs + 1 record
        #expect(diag.summaryLine() == "3 inputs could not be read, 1 record skipped")
    }

    @Test(arguments: [
        (InputFormat.auto, ["b.txt"], 1),
        (InputFormat.text, ["a", "b.txt", "c.md"], 0),
    ])
    func folderExtensionRule(format: InputFormat, expected: [String], notes: Int) throws {
        let dir = try R.tempDir()
        try R.write(dir, "a", "alpha\n")
        try R.write(dir, "b.txt", "beta\n")
        try R.write(dir, "c.md", "gamma\n")
        try R.write(dir, "README", "not a document\n")
        try R.write(dir, ".hidden", "no\n")
        let diag = Diagnostics(echo: false)
        var options = ReaderOptions()
        options.inputFormat = format
        let reader = try CorpusReader(paths: [dir.path], options: options, diagnostics: diag)
        #expect(reader.files.map { ($0 as NSString).lastPathComponent } == expected)
        #expect(diag.count(.note) == notes)
        if notes > 0 {
            #expect(diag.messages.contains { $0.contains("2 files without a document extension skipped (a, c.md)") }, "\(diag.messages)")
        }
        #expect(diag.warningCount == 0)  // a note, not a warning: not fatal under --strict
    }

    @Test func strictMakesAMissingPathFatal() throws {
        let diag = Diagnostics(strict: true, echo: false)
        #expect(throws: CorpusError.self) { _ = try CorpusReader(paths: ["/nonexistent/x.jsonl"], diagnostics: diag) }
        do {
            _ = try CorpusReader(paths: ["/nonexistent/x.jsonl"], diagnostics: Diagnostics(strict: true, echo: false))
        } catch let e as CorpusError {
            #expect(e.strict)
        }
    }
}
