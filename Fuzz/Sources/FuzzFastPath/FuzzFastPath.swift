// Fuzz target `fastpath` (differential): for any valid UTF-8 text (the input repaired with U+FFFD
// first), the ICU-exact fast word segmenter must give exactly plain ICU's segments (start, end, rule
// status). A mismatch traps, so libFuzzer saves the input.
import CorpusFastScan
import CorpusICU
import FuzzSupport

nonisolated(unsafe) let icu: ICUWordSegmenter = {
    do { return try ICUWordSegmenter(locale: "") } catch { fatalError("ICU word break iterator: \(error)") }
}()

nonisolated(unsafe) let fast: any WordSegmenter = {
    // The fast path is on only after its start-up self-test against the linked ICU passed; if it is off
    // there is nothing to compare, and the target must say so instead of passing vacuously.
    do {
        guard let s = try FastScan.makeSegmenter(locale: "") else {
            fatalError("the fast path is off for the root locale: \(String(describing: try? FastScan.availability(locale: "")))")
        }
        return s
    } catch { fatalError("FastScan.makeSegmenter: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var expected: [WordSegment] = [], actual: [WordSegment] = []
    text.withUTF8 { utf8 in
        icu.segment(utf8, into: &expected)
        fast.segment(utf8, into: &actual)
    }
    if actual != expected {
        let i = zip(actual, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset ?? min(actual.count, expected.count)
        let a = i < actual.count ? actual[i].description : "end"
        let e = i < expected.count ? expected[i].description : "end"
        fatalError("fast path differs from ICU at segment \(i): fast \(a), ICU \(e); text \(text.debugDescription)")
    }
    return 0
}

/// The executable's entry point (see `runLibFuzzer`).
@_cdecl("FuzzFastPath_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
