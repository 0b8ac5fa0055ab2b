import CorpusFastScan
import CorpusICU
import CorpusTestSupport
import FoundationEssentials
import Testing

/// The kept self-test verdict (`SelfTestCache`): used only with an identical key and an intact file.
@Suite("Fast path: the kept self-test verdict")
struct SelfTestCacheTests {
    /// A fresh directory per test.
    func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ck-selftest-\(UInt64.random(in: 0...UInt64.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The classes of the probed root table (what passed the self-test in this process).
    func rootClasses() throws -> [UInt32: UInt8] {
        let table = try #require(try FastScan.table(for: ""))
        return table.classes
    }

    @Test("the key names this executable, every mapped ICU library and ICU's version")
    func keyContents() throws {
        let key = try #require(SelfTestCache.key(locale: ""))
        #expect(key.contains("icu \(ICUInfo.icuVersion)"))
        #expect(key.contains("\nexe /"))
        #expect(key.contains("libicuuc"))
        #expect(key.contains("libicudata"))
        #expect(SelfTestCache.key(locale: "") == key, "the key is stable within a process")
    }

    @Test("a stored verdict loads back exactly, and only under its own key")
    func roundTrip() throws {
        let dir = try tempDir()
        let key = try #require(SelfTestCache.key(locale: ""))
        let classes = try rootClasses()
        #expect(SelfTestCache.load(key: key, directory: dir) == nil, "nothing kept yet")
        SelfTestCache.store(classes, key: key, directory: dir)
        #expect(SelfTestCache.load(key: key, directory: dir) == classes)
        // Another executable, another ICU library: another key, so the self-test would run again.
        #expect(SelfTestCache.load(key: key.replacing("icu \(ICUInfo.icuVersion)", with: "icu 99.9"), directory: dir) == nil)
        #expect(SelfTestCache.load(key: key + "\nlib /usr/lib/libicuuc.so.99 1 2 3", directory: dir) == nil)
    }

    @Test("a damaged file is ignored", arguments: ["truncate", "edit class", "edit key", "drop line", "empty"])
    func damaged(how: String) throws {
        let dir = try tempDir()
        let key = try #require(SelfTestCache.key(locale: ""))
        SelfTestCache.store(try rootClasses(), key: key, directory: dir)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("fastpath-") }
        try #require(files.count == 1)
        let path = dir + "/" + files[0]
        var text = try String(contentsOfFile: path, encoding: .utf8)
        switch how {
        case "truncate": text = String(text.prefix(text.count / 2))
        case "edit class":
            // The class of 'a' (61) changed to another class.
            text = text.replacing("\n61 \(FastClass.aLetter)\n", with: "\n61 \(FastClass.numeric)\n")
        case "edit key": text = text.replacing("unicode ", with: "unicode 9")
        case "drop line": text = text.replacing("\n61 \(FastClass.aLetter)\n", with: "\n")
        default: text = ""
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(SelfTestCache.load(key: key, directory: dir) == nil)
    }

    @Test("CORPUSKIT_SELFTEST=always ignores kept verdicts; anything else uses them")
    func always() {
        #expect(SelfTestCache.ignoresKept("always"))
        #expect(!SelfTestCache.ignoresKept(nil))
        #expect(!SelfTestCache.ignoresKept(""))
        #expect(!SelfTestCache.ignoresKept("never"))
    }
}
