import CPrefetch

/// An open-addressing table from 64-bit packed keys (term ids, pairs of ids, period and id) to
/// a count and a document frequency. `docs` is incremented at most once per document: each entry
/// remembers the last document stamp that touched it. Additive: tables merge exactly.
/// Entries are stored inline (key, count, docs, stamp: 24 bytes) so a probe touches one cache line.
public final class CountTable {
    @usableFromInline
    struct Entry {
        var key: UInt64
        var count: UInt64
        var docs: UInt32
        var lastDoc: UInt32
    }
    @usableFromInline var entries: UnsafeMutablePointer<Entry>
    @usableFromInline var capacity: Int
    @usableFromInline var mask: Int
    public private(set) var count = 0
    /// Slots `merge` stepped over past the home slots (tests: merging stays linear).
    private(set) var mergeSteps = 0
    static let emptyKey = UInt64.max
    /// 2^64 / φ (odd): the multiplier of `slot`.
    static let golden: UInt64 = 0x9E37_79B9_7F4A_7C15
    /// How many keys ahead `add(_:doc:)` prefetches: a miss to memory takes as long as ~20 adds that hit.
    /// Measured on the 2-core AMD EPYC machine (cooc --window 5, 100 MB, alternating runs): 24 ahead took
    /// 2.36–2.49 s where 8 took 2.41–2.74 s and 48 2.51–2.70 s.
    static let ahead = 24

    public init(capacity: Int = 1 << 12) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        self.capacity = n
        mask = n - 1
        entries = .allocate(capacity: n)
        entries.initialize(repeating: Entry(key: CountTable.emptyKey, count: 0, docs: 0, lastDoc: UInt32.max), count: n)
    }

    deinit { entries.deallocate() }

    /// The home slot of `key`: bits 32 and up of the product with 2^64 / φ — one multiply (the keys are
    /// packed ids, not adversarial, and the pair tables take tens of millions a run, each hashed twice: to
    /// prefetch, then to add). Those bits depend on both halves of a packed pair. The lowest of them, not
    /// the top bits of Fibonacci hashing: a table read in slot order (`forEach`) and merged into a smaller
    /// one then spreads over all of it, where top bits would pile the first part of the big table into the
    /// first slots of the small one (probes thousands of slots long until it grows). 32 bits: tables stay
    /// far below 2^32 slots.
    @inline(__always)
    func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* CountTable.golden) &>> 32) & mask
    }

    /// Adds `n` occurrences of `key` in the document stamped `doc` (a stamp unique per document
    /// within this table's owner).
    @inline(__always)
    public func add(_ key: UInt64, doc: UInt32, n: UInt64 = 1) {
        var i = slot(key)
        while true {
            let e = entries + i
            let k = e.pointee.key
            if k == key {
                e.pointee.count &+= n
                if e.pointee.lastDoc != doc {
                    e.pointee.lastDoc = doc
                    e.pointee.docs &+= 1
                }
                return
            }
            if k == CountTable.emptyKey {
                e.pointee = Entry(key: key, count: n, docs: 1, lastDoc: doc)
                count += 1
                if count &* 4 > capacity &* 3 { grow() }
                return
            }
            i = (i + 1) & mask
        }
    }

    /// Brings the slot where `key`'s probe starts into cache (a hint; the table is unchanged).
    @inline(__always)
    public func prefetch(_ key: UInt64) {
        let e = UnsafeRawPointer(entries + slot(key))
        ck_prefetch_write(e)
        // A quarter of the 24-byte entries straddle two cache lines: their second half is fetched too.
        ck_prefetch_write(e + (MemoryLayout<Entry>.stride - 1))
    }

    /// Adds one occurrence of each key, in order, in the document stamped `doc` — exactly as `add` one
    /// by one — while the slots of the keys a few places ahead are fetched into cache, so the misses of a
    /// table larger than the cache overlap instead of following one another.
    public func add(_ keys: UnsafeBufferPointer<UInt64>, doc: UInt32) {
        let n = keys.count
        let ahead = CountTable.ahead
        for j in 0..<min(n, ahead) { prefetch(keys[j]) }
        for i in 0..<n {
            if i + ahead < n { prefetch(keys[i + ahead]) }
            add(keys[i], doc: doc)
        }
    }

    /// Adds merged totals (count and docs) for `key`.
    @inline(__always)
    public func merge(_ key: UInt64, count c: UInt64, docs d: UInt32) {
        var i = slot(key)
        while true {
            let e = entries + i
            let k = e.pointee.key
            if k == key {
                e.pointee.count &+= c
                e.pointee.docs &+= d
                return
            }
            if k == CountTable.emptyKey {
                e.pointee = Entry(key: key, count: c, docs: d, lastDoc: UInt32.max)
                count += 1
                if count &* 4 > capacity &* 3 { grow() }
                return
            }
            i = (i + 1) & mask
            mergeSteps &+= 1
        }
    }

    /// Adds every entry of `other`, its key mapped by `mapping`, exactly as `merge(_:count:docs:)` would one
    /// by one in `other`'s table order, while the slots of the keys a few entries ahead are fetched into
    /// cache: merging one worker's pair table into another's is a random write per entry into a table
    /// larger than the cache, and those misses now overlap (two jobs' `cooc` spent 12% of its time here).
    public func merge(_ other: CountTable, mapping: (UInt64) -> UInt64) {
        let block = 4096, ahead = CountTable.ahead
        let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: block)
        let counts = UnsafeMutablePointer<UInt64>.allocate(capacity: block)
        let docs = UnsafeMutablePointer<UInt32>.allocate(capacity: block)
        defer {
            keys.deallocate()
            counts.deallocate()
            docs.deallocate()
        }
        var n = 0
        func flush() {
            for j in 0..<min(n, ahead) { prefetch(keys[j]) }
            for i in 0..<n {
                if i + ahead < n { prefetch(keys[i + ahead]) }
                merge(keys[i], count: counts[i], docs: docs[i])
            }
            n = 0
        }
        let source = other.entries
        for j in 0..<other.capacity where source[j].key != CountTable.emptyKey {
            keys[n] = mapping(source[j].key)
            counts[n] = source[j].count
            docs[n] = source[j].docs
            n += 1
            if n == block { flush() }
        }
        flush()
    }

    public func get(_ key: UInt64) -> (count: UInt64, docs: UInt32)? {
        var i = slot(key)
        while true {
            let e = entries[i]
            if e.key == key { return (e.count, e.docs) }
            if e.key == CountTable.emptyKey { return nil }
            i = (i + 1) & mask
        }
    }

    /// Calls `body(key, count, docs)` for every entry (in table order).
    @inline(__always)
    public func forEach(_ body: (UInt64, UInt64, UInt32) -> Void) {
        for i in 0..<capacity {
            let e = entries[i]
            if e.key != CountTable.emptyKey { body(e.key, e.count, e.docs) }
        }
    }

    /// The farthest any entry lies from its home slot (tests: probe sequences stay short).
    func longestProbe() -> Int {
        var longest = 0
        for i in 0..<capacity where entries[i].key != CountTable.emptyKey {
            longest = max(longest, (i - slot(entries[i].key)) & mask)
        }
        return longest
    }

    private func grow() {
        let old = entries, oldCapacity = capacity
        capacity *= 2
        mask = capacity - 1
        entries = .allocate(capacity: capacity)
        entries.initialize(repeating: Entry(key: CountTable.emptyKey, count: 0, docs: 0, lastDoc: UInt32.max), count: capacity)
        for j in 0..<oldCapacity where old[j].key != CountTable.emptyKey {
            var i = slot(old[j].key)
            while entries[i].key != CountTable.emptyKey { i = (i + 1) & mask }
            entries[i] = old[j]
        }
        old.deallocate()
    }
}

/// Keys waiting to be added to a table as one batch (`CountTable.add(_:doc:)`), all of one document;
/// at most `limit` are held (a fixed buffer), so memory stays flat whatever the document's size.
final class PendingKeys {
    static let limit = 4096
    private let buffer: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) private var count = 0

    init() { buffer = .allocate(capacity: PendingKeys.limit) }
    deinit { buffer.deallocate() }

    @inline(__always)
    func append(_ key: UInt64, to table: CountTable, doc: UInt32) {
        buffer[count] = key
        count &+= 1
        if count == PendingKeys.limit { flush(into: table, doc: doc) }
    }

    func flush(into table: CountTable, doc: UInt32) {
        if count == 0 { return }
        table.add(UnsafeBufferPointer(start: buffer, count: count), doc: doc)
        count = 0
    }
}

/// Interns 64-bit keys into dense ids (used to chain n-grams: (prefix id, next term) → id).
public struct KeyInterner {
    private var keys: [UInt64]
    private var ids: [UInt32]
    public private(set) var values: [UInt64] = []
    private var mask: Int

    public init(capacity: Int = 1 << 12) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        keys = [UInt64](repeating: CountTable.emptyKey, count: n)
        ids = [UInt32](repeating: 0, count: n)
        mask = n - 1
    }

    public var count: Int { values.count }

    @inline(__always)
    public mutating func intern(_ key: UInt64) -> UInt32 {
        var i = Int(truncatingIfNeeded: Hash.mix(key)) & mask
        while true {
            let k = keys[i]
            if k == key { return ids[i] }
            if k == CountTable.emptyKey { break }
            i = (i + 1) & mask
        }
        let id = UInt32(values.count)
        keys[i] = key
        ids[i] = id
        values.append(key)
        if values.count * 2 > keys.count { grow() }
        return id
    }

    private mutating func grow() {
        let n = keys.count * 2
        keys = [UInt64](repeating: CountTable.emptyKey, count: n)
        ids = [UInt32](repeating: 0, count: n)
        mask = n - 1
        for (id, key) in values.enumerated() {
            var i = Int(truncatingIfNeeded: Hash.mix(key)) & mask
            while keys[i] != CountTable.emptyKey { i = (i + 1) & mask }
            keys[i] = key
            ids[i] = UInt32(id)
        }
    }
}
