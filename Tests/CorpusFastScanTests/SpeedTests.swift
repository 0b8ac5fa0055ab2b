import CorpusFastScan
import CorpusICU
import CorpusTestSupport
import FoundationEssentials
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Segmentation speed, fast path vs plain ICU, one thread — only when CORPUSKIT_FASTSCAN_BENCH names a
/// file (documents separated by 0x1E bytes, or one document). Run it in release:
///   CORPUSKIT_FASTSCAN_BENCH=/tmp/reuters100.txt swift test -c release --filter FastScanSpeed
/// Prints MB/s of thread CPU time (robust on a shared machine) and checks both give the same segments.
@Suite("FastScanSpeed")
struct FastScanSpeedTests {
    static let path = ProcessInfo.processInfo.environment["CORPUSKIT_FASTSCAN_BENCH"] ?? ""

    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    @Test("segmentation MB/s, fast vs ICU", .enabled(if: !path.isEmpty, "set CORPUSKIT_FASTSCAN_BENCH=FILE to run"))
    func speed() throws {
        let data = Array(try Data(contentsOf: URL(fileURLWithPath: Self.path)))
        var docs: [Range<Int>] = []
        var s = 0
        for i in 0..<data.count where data[i] == 0x1E { docs.append(s..<i); s = i + 1 }
        if s < data.count { docs.append(s..<data.count) }
        let bytes = docs.reduce(0) { $0 + $1.count }
        let t0 = Self.cpuSeconds()
        let fast = try #require(try FastScan.makeSegmenter(locale: ""))
        let setup = Self.cpuSeconds() - t0
        let icu = try ICUWordSegmenter(locale: "")
        func run(_ seg: any WordSegmenter) -> (mbps: Double, segments: Int, check: UInt64) {
            var out: [WordSegment] = []
            var n = 0
            var h: UInt64 = 0
            let t = Self.cpuSeconds()
            data.withUnsafeBufferPointer { buf in
                for d in docs {
                    seg.segment(UnsafeBufferPointer(rebasing: buf[d]), into: &out)
                    n += out.count
                    for x in out { h = h &* 31 &+ UInt64(UInt32(bitPattern: x.end)) &* 7 &+ UInt64(UInt32(bitPattern: x.status)) }
                }
            }
            return (Double(bytes) / (Self.cpuSeconds() - t) / 1e6, n, h)
        }
        for _ in 0..<2 {
            let i = run(icu), f = run(fast)
            #expect(i.segments == f.segments && i.check == f.check)
            print("FastScanSpeed: \(docs.count) docs, \(bytes) bytes: ICU \(Int(i.mbps)) MB/s, fast \(Int(f.mbps)) MB/s (\((f.mbps / i.mbps * 10).rounded() / 10)x); start-up probing + self-test \(Int(setup * 1000)) ms CPU")
        }
    }
}
