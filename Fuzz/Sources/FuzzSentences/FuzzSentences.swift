// Fuzz target `sentences` (differential): for any valid UTF-8 text (the input repaired with U+FFFD
// first), the ICU-exact fast sentence segmenter must give exactly plain ICU's sentence boundaries, in both
// modes (`.unwrap`: lone line breaks read as spaces; `.plain`). A mismatch traps, so libFuzzer saves the input.
import CorpusFastScan
import CorpusICU
import FuzzSupport

/// Plain ICU and the fast segmenter, per mode.
nonisolated(unsafe) let pairs: [(icu: ICUSentenceSegmenter, fast: FastSentenceSegmenter)] = SentenceBreakMode.allCases.map { mode in
    do {
        // The fast path is on only after its start-up self-test against the linked ICU passed; if it is
        // off there is nothing to compare, and the target must say so instead of passing vacuously.
        guard let fast = try FastScan.makeSentenceSegmenter(locale: "", mode: mode) else {
            fatalError("the sentence fast path is off for the root locale: \(String(describing: try? FastScan.sentenceAvailability(locale: "")))")
        }
        return (try ICUSentenceSegmenter(locale: "", mode: mode), fast)
    } catch { fatalError("sentence segmenters: \(error)") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var expected: [Int32] = [], actual: [Int32] = []
    for (icu, fast) in pairs {
        text.withUTF8 { utf8 in
            icu.boundaries(utf8, into: &expected)
            fast.boundaries(utf8, into: &actual)
        }
        if actual != expected {
            fatalError("fast sentence boundaries differ from ICU's (\(icu.mode)): fast \(actual), ICU \(expected); text \(text.debugDescription)")
        }
    }
    return 0
}

/// The executable's entry point (see `runLibFuzzer`).
@_cdecl("FuzzSentences_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
