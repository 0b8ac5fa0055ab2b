/// An open-addressing table from 64-bit packed keys (term ids, pairs of ids, period and id) to
/// a count and a document frequency. `docs` is incremented at most once per document: each entry
/// remembers the last document stamp that touched it. Additive: tables merge exactly.
public struct CountTable {
    public private(set) var keys: [UInt64]
    public private(set) var counts: [UInt64]
    public private(set) var docs: [UInt32]
    private var lastDoc: [UInt32]
    public private(set) var count = 0
    private var mask: Int
    static let emptyKey = UInt64.max

    public init(capacity: Int = 1 << 12) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        keys = [UInt64](repeating: CountTable.emptyKey, count: n)
        counts = [UInt64](repeating: 0, count: n)
        docs = [UInt32](repeating: 0, count: n)
        lastDoc = [UInt32](repeating: UInt32.max, count: n)
        mask = n - 1
    }

    /// Adds `n` occurrences of `key` in the document stamped `doc` (a stamp unique per document
    /// within this table's owner).
    @inline(__always)
    public mutating func add(_ key: UInt64, doc: UInt32, n: UInt64 = 1) {
        var i = Int(truncatingIfNeeded: Hash.mix(key)) & mask
        while true {
            let k = keys[i]
            if k == key {
                counts[i] &+= n
                if lastDoc[i] != doc {
                    lastDoc[i] = doc
                    docs[i] &+= 1
                }
                return
            }
            if k == CountTable.emptyKey { break }
            i = (i + 1) & mask
        }
        keys[i] = key
        counts[i] = n
        docs[i] = 1
        lastDoc[i] = doc
        count += 1
        if count * 2 > keys.count { grow() }
    }

    /// Adds merged totals (count and docs) for `key`.
    @inline(__always)
    public mutating func merge(_ key: UInt64, count c: UInt64, docs d: UInt32) {
        var i = Int(truncatingIfNeeded: Hash.mix(key)) & mask
        while true {
            let k = keys[i]
            if k == key {
                counts[i] &+= c
                docs[i] &+= d
                return
            }
            if k == CountTable.emptyKey { break }
            i = (i + 1) & mask
        }
        keys[i] = key
        counts[i] = c
        docs[i] = d
        count += 1
        if count * 2 > keys.count { grow() }
    }

    public func get(_ key: UInt64) -> (count: UInt64, docs: UInt32)? {
        var i = Int(truncatingIfNeeded: Hash.mix(key)) & mask
        while true {
            let k = keys[i]
            if k == key { return (counts[i], docs[i]) }
            if k == CountTable.emptyKey { return nil }
            i = (i + 1) & mask
        }
    }

    /// Calls `body(key, count, docs)` for every entry (in table order).
    @inline(__always)
    public func forEach(_ body: (UInt64, UInt64, UInt32) -> Void) {
        for i in 0..<keys.count where keys[i] != CountTable.emptyKey {
            body(keys[i], counts[i], docs[i])
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldCounts = counts, oldDocs = docs, oldLast = lastDoc
        let n = keys.count * 2
        keys = [UInt64](repeating: CountTable.emptyKey, count: n)
        counts = [UInt64](repeating: 0, count: n)
        docs = [UInt32](repeating: 0, count: n)
        lastDoc = [UInt32](repeating: UInt32.max, count: n)
        mask = n - 1
        for j in 0..<oldKeys.count where oldKeys[j] != CountTable.emptyKey {
            var i = Int(truncatingIfNeeded: Hash.mix(oldKeys[j])) & mask
            while keys[i] != CountTable.emptyKey { i = (i + 1) & mask }
            keys[i] = oldKeys[j]
            counts[i] = oldCounts[j]
            docs[i] = oldDocs[j]
            lastDoc[i] = oldLast[j]
        }
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
