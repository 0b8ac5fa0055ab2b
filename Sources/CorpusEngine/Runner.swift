import CorpusCore
import CorpusFastScan
import Dispatch
import Synchronization

/// Where the work comes from: `next` runs on one thread at a time (I/O and framing only), `decode` on
/// the workers (parsing, transcoding) — so reading scales with the workers.
///
/// `next` is called either on a reader thread of its own that fills a bounded queue (`pulledByWorkers`
/// false: reading overlaps the counting even at one job), or by the workers themselves, under a lock,
/// when they need a chunk (`pulledByWorkers` true: for sources whose `next` costs next to nothing, such
/// as documents already in memory; no third thread competes with the workers for the cores, and no
/// hand-off wakes a sleeping thread per chunk).
public struct WorkSource<Chunk: Sendable> {
    public var next: () throws -> Chunk?
    public var decode: @Sendable (Chunk) throws -> [Document]
    public var byteCount: @Sendable (Chunk) -> Int
    public var pulledByWorkers: Bool

    public init(next: @escaping () throws -> Chunk?, decode: @escaping @Sendable (Chunk) throws -> [Document], byteCount: @escaping @Sendable (Chunk) -> Int,
                pulledByWorkers: Bool = false) {
        self.next = next
        self.decode = decode
        self.byteCount = byteCount
        self.pulledByWorkers = pulledByWorkers
    }
}

/// `WorkSource.next` shared by the workers (`pulledByWorkers`): one caller at a time; the first error
/// ends the source.
final class PulledSource<Chunk: Sendable>: @unchecked Sendable {  // `next` and `ended` are used under `lock` only
    private let next: () throws -> Chunk?
    private var ended = false
    private let lock = Locked<Void>(())
    let error = Locked<(any Error)?>(nil)

    init(_ next: @escaping () throws -> Chunk?) { self.next = next }

    func take() -> Chunk? {
        lock.withLock { _ in
            guard !ended else { return nil }
            do {
                if let chunk = try next() { return chunk }
            } catch let e {
                error.withLock { $0 = e }
            }
            ended = true
            return nil
        }
    }

    /// Ends the source (a worker failed): the others stop taking chunks.
    func end() { lock.withLock { _ in ended = true } }
}

extension WorkSource where Chunk == [Document] {
    /// Batches of documents from any document source.
    public static func batches<S: DocumentSource>(_ source: S, batchSize: Int = 64) -> WorkSource<[Document]> {
        var source = source
        return WorkSource(
            next: {
                var batch: [Document] = []
                while batch.count < batchSize, let d = try source.next() { batch.append(d) }
                return batch.isEmpty ? nil : batch
            },
            decode: { $0 },
            byteCount: { $0.reduce(0) { $0 + $1.body.count } })
    }
}

/// A bounded multi-producer/multi-consumer queue: memory stays flat however large the corpus.
final class BoundedQueue<T: Sendable>: Sendable {
    private let lock = Locked<[T?]>([])
    private let slots: DispatchSemaphore
    private let items = DispatchSemaphore(value: 0)

    init(capacity: Int) { slots = DispatchSemaphore(value: capacity) }

    func push(_ x: T?) {
        slots.wait()
        lock.withLock { $0.append(x) }
        items.signal()
    }

    func pop() -> T? {
        items.wait()
        let x = lock.withLock { $0.removeFirst() }
        slots.signal()
        return x
    }
}

final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// The parallel counting engine: documents stream from a source into `jobs` workers, each with
/// its own ICU iterators, vocabulary and tables; the partial tables merge exactly at the end.
public enum Engine {
    public static var defaultJobs: Int {
        let n = sysconfActiveCores()
        return max(1, n)
    }

    /// The most workers a run uses: 4 × the active cores, never over 256. Each worker holds its own ICU
    /// iterators, vocabulary and count tables and 4 chunks of queue, so memory grows with the worker
    /// count: `--jobs 100000` on a two-line file once took 24 GB. Output does not depend on the count.
    public static var maxJobs: Int { min(256, 4 * defaultJobs) }

    public static func run<Chunk: Sendable>(plan: AnalysisPlan, jobs: Int, source: WorkSource<Chunk>,
                                            progress: ProgressMeter? = nil) throws -> CorpusStats {
        let jobs = min(max(1, jobs), maxJobs)
        // Each worker builds its own state on its own thread: its tables then come from that thread's
        // malloc arena, so no two workers' hot counters share a cache line (built here, one after the
        // other, they did: two jobs spent a quarter more CPU than one on the same work).
        let workers = (0..<jobs).map { _ in Box<WorkerState?>(nil) }
        let pulled = source.pulledByWorkers ? PulledSource(source.next) : nil
        let queue = BoundedQueue<Chunk>(capacity: pulled == nil ? jobs * 4 : 1)
        // The next chunk of a worker: from the shared source, or from the reader thread's queue.
        let take: @Sendable () -> Chunk? = { pulled?.take() ?? (pulled == nil ? queue.pop() : nil) }
        let failure = Locked<(any Error)?>(nil)
        let cancelled = Atomic<Bool>(false)
        let group = DispatchGroup()
        let decode = source.decode
        let byteCount = source.byteCount
        progress?.start()
        for w in workers {
            group.enter()
            Thread.detach {
                defer { group.leave() }
                let state: WorkerState
                do {
                    state = try WorkerState(plan: plan)
                    w.value = state
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                    cancelled.store(true, ordering: .relaxed)
                    pulled?.end()
                    while take() != nil {}  // keep the reader from blocking on a full queue
                    return
                }
                while let chunk = take() {
                    if cancelled.load(ordering: .relaxed) { continue }
                    do {
                        let docs = try decode(chunk)
                        for d in docs { state.process(d) }
                        progress?.add(bytes: byteCount(chunk), documents: docs.count)
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                        cancelled.store(true, ordering: .relaxed)
                        pulled?.end()
                    }
                }
            }
        }
        var readError: (any Error)? = nil
        if let pulled {
            group.wait()
            readError = pulled.error.withLock { $0 }
        } else {
            do {
                while !cancelled.load(ordering: .relaxed), let chunk = try source.next() {
                    queue.push(chunk)
                }
            } catch {
                readError = error
                cancelled.store(true, ordering: .relaxed)
            }
            for _ in 0..<jobs { queue.push(nil) }
            group.wait()
        }
        progress?.stop()
        if let e = failure.withLock({ $0 }) { throw e }
        if let readError { throw readError }
        // The first worker's vocabulary becomes the global one: its ids stay, and only the other workers'
        // terms are interned (the ids come out as an empty vocabulary filled in worker order gives them).
        let stats = CorpusStats(plan: plan, vocabulary: workers.first?.value?.vocab ?? Vocabulary(capacity: 1 << 16))
        for w in workers { if let state = w.value { stats.merge(state) } }
        stats.finish()
        return stats
    }
}

/// A plain detached OS thread (Dispatch's pool could oversubscribe or starve the reader).
enum Thread {
    static func detach(_ body: @escaping @Sendable () -> Void) {
        DispatchQueue.global(qos: .userInitiated).async(execute: body)
    }
}

#if canImport(Glibc)
import Glibc
/// Cores this process may use (sysconf's online count; `--jobs` overrides).
func sysconfActiveCores() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
#else
func sysconfActiveCores() -> Int { 1 }
#endif

extension SegmenterFactory {
    /// How this process knows the fast word segmenter is exact (self-test run here, or a kept verdict).
    public static var fastPathNote: String? { FastScan.selfTestNote }
}
