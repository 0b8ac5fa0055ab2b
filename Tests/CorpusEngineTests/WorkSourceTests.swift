import CorpusCore
import CorpusEngine
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The two ways the engine takes its chunks (a reader thread and a queue, or the workers pulling from the
/// source themselves) and the merge that adopts the first worker's vocabulary.
@Suite("Work sources")
struct WorkSourceTests {
    struct ReadFailed: Error, Equatable { let chunk: Int }
    struct DecodeFailed: Error, Equatable { let chunk: Int }
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
        /// Chunks handed out on the thread that called `Engine.run`.
        let onCaller = Atomic<Int>(0)
        let caller = pthread_self()
    }

    static let texts = (0..<300).map { i in
        "word\(i % 7) common text \(i % 13) Ünïcode 東京は晴れ. next\(i % 3) sentence here \(i % 29 == 0 ? "rare\(i)" : "")"
    }

    /// Chunks of `size` documents of `texts`, by index range; `failAt` makes `next` throw instead of
    /// handing out that chunk; `decodeFailAt` makes decoding that chunk throw. `handedOut` counts chunks.
    static func source(_ texts: [String], size: Int, pulled: Bool, failAt: Int? = nil, decodeFailAt: Int? = nil,
                       handedOut: Counter? = nil) -> WorkSource<Range<Int>> {
        let documents = docs(texts)
        var i = 0
        return WorkSource(
            next: {
                guard i < documents.count else { return nil }
                if let failAt, i / size == failAt { throw ReadFailed(chunk: failAt) }
                let j = min(documents.count, i + size)
                defer { i = j }
                handedOut?.value.add(1, ordering: .relaxed)
                if let handedOut, pthread_equal(pthread_self(), handedOut.caller) != 0 { handedOut.onCaller.add(1, ordering: .relaxed) }
                return i..<j
            },
            decode: { range in
                if let decodeFailAt, range.lowerBound / size == decodeFailAt { throw DecodeFailed(chunk: decodeFailAt) }
                return Array(documents[range])
            },
            byteCount: { documents[$0].reduce(0) { $0 + $1.body.count } },
            pulledByWorkers: pulled)
    }

    static func flat(_ s: CorpusStats) -> [String] {
        s.termRows().map { "\(s.vocabulary.string($0.term))\t\($0.count)\t\($0.docs)" }
            + s.ngramRows().map { "\(s.terms(of: $0).map { s.vocabulary.string($0) })\t\($0.count)\t\($0.docs)" }
            + s.coocRows().map { "\(s.terms(of: $0).map { s.vocabulary.string($0) })\t\($0.count)\t\($0.docs)" }
    }

    static var plan: AnalysisPlan {
        var plan = AnalysisPlan()
        plan.ngramN = 2
        plan.cooc = .window(5)
        return plan
    }

    @Test("pulled by the workers or queued by a reader thread: the same tables at any job count",
          arguments: [(false, 1), (false, 2), (false, 3), (true, 1), (true, 2), (true, 3), (true, 8)])
    func sameTables(_ pulled: Bool, _ jobs: Int) throws {
        let reference = try Engine.run(plan: Self.plan, jobs: 1, source: Self.source(Self.texts, size: 7, pulled: false))
        let s = try Engine.run(plan: Self.plan, jobs: jobs, source: Self.source(Self.texts, size: 7, pulled: pulled))
        #expect(Self.flat(s) == Self.flat(reference))
        #expect(s.documents == 300)
        #expect(s.totalTokens == reference.totalTokens)
        // Every term of the corpus is in the merged vocabulary exactly once.
        let strings = (0..<s.vocabulary.count).map { s.vocabulary.string(TermID($0)) }
        #expect(Set(strings).count == strings.count)
        #expect(s.vocabulary.count == reference.vocabulary.count)
    }

    @Test("pulled: the workers call next, never the calling thread; queued: the calling thread reads", arguments: [false, true])
    func whoReads(_ pulled: Bool) throws {
        let handed = Counter()
        _ = try Engine.run(plan: AnalysisPlan(), jobs: 2, source: Self.source(Self.texts, size: 10, pulled: pulled, handedOut: handed))
        #expect(handed.value.load(ordering: .relaxed) == 30)
        #expect(handed.onCaller.load(ordering: .relaxed) == (pulled ? 0 : 30))
    }

    @Test("a failing read ends the run with the reader's error", arguments: [false, true])
    func readError(_ pulled: Bool) throws {
        #expect(throws: ReadFailed(chunk: 5)) {
            _ = try Engine.run(plan: Self.plan, jobs: 2, source: Self.source(Self.texts, size: 7, pulled: pulled, failAt: 5))
        }
    }

    @Test("a failing decode ends the run with its error, and the workers stop taking chunks", arguments: [false, true])
    func decodeError(_ pulled: Bool) throws {
        let many = (0..<20_000).map { "text \($0 % 50)" }
        let handed = Counter()
        #expect(throws: DecodeFailed(chunk: 2)) {
            _ = try Engine.run(plan: AnalysisPlan(), jobs: 2,
                               source: Self.source(many, size: 1, pulled: pulled, decodeFailAt: 2, handedOut: handed))
        }
        // The queue holds at most 4 chunks a job; pulled chunks stop at the failure.
        #expect(handed.value.load(ordering: .relaxed) < 100)
    }

    @Test("one job: the merged vocabulary is the worker's, ids in first-seen order")
    func oneJobIds() throws {
        let s = try Engine.run(plan: AnalysisPlan(), jobs: 1, source: Self.source(["b a c", "a d b"], size: 1, pulled: true))
        #expect((0..<s.vocabulary.count).map { s.vocabulary.string(TermID($0)) } == ["b", "a", "c", "d"])
        #expect(s.termRows().map { s.vocabulary.string($0.term) } == ["a", "b", "c", "d"])
    }
}
