import Foundation
import Testing
import CorpusTestSupport
@testable import CorpusExport

/// `Manifest.isAnalyzeManifest`: what lets `analyze -o DIR` replace an earlier analyze folder and refuse
/// any other non-empty folder.
@Suite("Analyze manifest recognition")
struct AnalyzeManifestTests {
    @Test func writtenManifestIsRecognized() throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent(Manifest.fileName).path
        try Manifest.write(["corpuskit_version": "0.1.0", "tables": ["terms": ["file": "terms.parquet", "rows": 3]], "counts": [:]], to: path)
        #expect(Manifest.isAnalyzeManifest(atPath: path))
    }

    @Test(arguments: [
        "",                                                            // empty
        "{\"corpuskit_version\": \"0.1.0\", \"tables\": {}}\n",        // compact: not written by Manifest.write
        "{\n  \"tables\": {\n  }\n}\n",                                // no version
        "{\n  \"corpuskit_version\": \"0.1.0\"\n}\n",                  // no tables
        "{\n  \"x\": {\n    \"corpuskit_version\": \"1\",\n    \"tables\": {}\n  }\n}\n",  // nested, not top level
        "{\n  \"corpuskit_version\": \"0.1.0\",\n  \"tables\": {\n",   // truncated
        "notes about my corpus\n",
    ])
    func foreignFilesAreNot(_ text: String) throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent(Manifest.fileName).path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(!Manifest.isAnalyzeManifest(atPath: path))
    }

    @Test func missingFileIsNot() throws {
        let dir = try TestPaths.makeTempDir()
        #expect(!Manifest.isAnalyzeManifest(atPath: dir.appendingPathComponent("none.json").path))
    }
}
