/// Per-term counts of one worker — count, documents, and the last document seen — one 16-byte record per
/// term id, so a token touches one cache line. `add` grows the table as the vocabulary grows.
/// The tokenizer adds to it directly when no analyzer needs the token ids (`TokenizedText.tally`): then no
/// per-token array is built, and a document's memory is its text plus the vocabulary.
public final class TermTally {
    struct Record {
        var count: UInt64
        var docs: UInt32
        var lastDoc: UInt32
    }

    private(set) var records: UnsafeMutablePointer<Record>
    private(set) var capacity: Int
    /// Ids below this have a record (the rest of the capacity is not initialized).
    public private(set) var count = 0
    /// The current document (`WorkerContext.stamp`): `docs` counts a term once per stamp.
    public var stamp: UInt32 = 0

    /// A tally nothing counts into (a non-optional stand-in where none is used).
    nonisolated(unsafe) static let placeholder = TermTally(capacity: 16)

    public init(capacity: Int = 1 << 12) {
        self.capacity = max(16, capacity)
        records = .allocate(capacity: self.capacity)
    }

    deinit { records.deallocate() }

    /// Makes ids below `n` valid (zero counts).
    public func reserve(_ n: Int) {
        guard n > count else { return }
        if n > capacity {
            var c = capacity
            while c < n { c *= 2 }
            let grown = UnsafeMutablePointer<Record>.allocate(capacity: c)
            grown.moveInitialize(from: records, count: count)
            records.deallocate()
            records = grown
            capacity = c
        }
        (records + count).initialize(repeating: Record(count: 0, docs: 0, lastDoc: UInt32.max), count: n - count)
        count = n
    }

    /// One occurrence of `id` in the current document.
    @inline(__always)
    public func add(_ id: TermID) {
        let i = Int(id)
        if i >= count { reserve(i + 1) }
        let r = records + i
        r.pointee.count &+= 1
        if r.pointee.lastDoc != stamp {
            r.pointee.lastDoc = stamp
            r.pointee.docs &+= 1
        }
    }

    /// (count, documents) of `id`.
    public subscript(id: Int) -> (count: UInt64, docs: UInt32) {
        id < count ? (records[id].count, records[id].docs) : (0, 0)
    }
}
