// How every CorpusKit benchmark is registered: the same metrics, throughput per byte and per item
// as custom metrics, and regression thresholds on stable metrics only. Imports Benchmark (which
// brings Foundation) but no CorpusKit module: the suites join the two.
import Benchmark

public enum Harness {
    /// Text throughput of one iteration, in KB/s (decimal: 1 KB = 1000 bytes).
    public static let kilobytesPerSecond = BenchmarkMetric.custom("throughput (KB/s)", polarity: .prefersLarger, useScalingFactor: false)
    /// Item throughput of one iteration (tokens, or rows for the Parquet suite), in thousands per second.
    public static let kiloItemsPerSecond = BenchmarkMetric.custom("items (K/s)", polarity: .prefersLarger, useScalingFactor: false)

    /// Stable metrics: the same for the same code and input whatever else the machine does. Thresholds
    /// are committed for these only (Benchmarks/Thresholds). `instructions` is added when
    /// CORPUSKIT_BENCH_INSTRUCTIONS=1 (it needs `perf` counters, which this machine does not offer:
    /// `perf stat -e instructions true` says "not supported").
    public static var stableMetrics: [BenchmarkMetric] {
        var m: [BenchmarkMetric] = [.mallocCountTotal]
        if let v = getenvString("CORPUSKIT_BENCH_INSTRUCTIONS"), v == "1" { m.append(.instructions) }
        return m
    }

    /// Registers `name`: each iteration runs `body` once over `bytes` bytes of text and reports wall
    /// time, KB/s and items/s; `gated` adds regression thresholds on the stable metrics
    /// (a single-threaded, deterministic kernel: malloc counts repeat exactly).
    public static func register(_ name: String, bytes: Int, gated: Bool = true, maxIterations: Int = 15,
                                body: @escaping () throws -> Int) {
        var thresholds: [BenchmarkMetric: BenchmarkThresholds]? = nil
        if gated {
            // ±2% (and at least 100 allocations) on p90: allows for the allocator's own noise, catches a
            // per-token or per-document allocation slipping into a hot path.
            thresholds = Dictionary(uniqueKeysWithValues: stableMetrics.map {
                ($0, BenchmarkThresholds(relative: [.p90: 2.0], absolute: [.p90: 100]))
            })
        }
        let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .peakMemoryResident, kilobytesPerSecond, kiloItemsPerSecond] + stableMetrics
        let configuration = Benchmark.Configuration(
            metrics: metrics, timeUnits: .milliseconds, warmupIterations: 1, scalingFactor: .one,
            maxDuration: .seconds(5), maxIterations: maxIterations, thresholds: thresholds)
        Benchmark(name, configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                let t0 = ContinuousClock.now
                let items: Int
                do { items = try body() } catch {
                    benchmark.error("\(name): \(error)")
                    return
                }
                let elapsed = ContinuousClock.now - t0
                blackHole(items)
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                if seconds > 0 {
                    benchmark.measurement(kilobytesPerSecond, Int(Double(bytes) / seconds / 1000))
                    benchmark.measurement(kiloItemsPerSecond, Int(Double(items) / seconds / 1000))
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

func getenvString(_ name: String) -> String? {
    guard let p = getenv(name) else { return nil }
    return String(cString: p)
}
