/// A term id: dense, 0-based, local to one vocabulary.
public typealias TermID = UInt32

/// Interns UTF-8 byte strings into dense `TermID`s: open addressing on bytes, one contiguous arena.
/// Not thread-safe: each worker owns one; they are merged into a global one at the end.
///
/// A slot is 16 bytes: a head word (24 bits of the hash, the length capped at 255, id + 1; 0 = empty) and
/// the term's first 8 bytes (zero-padded). A term of up to 8 bytes — most tokens of news text — is found
/// by comparing the two words, without reading the arena or the offsets of the term.
public final class Vocabulary {
    @usableFromInline struct Slot {
        var head: UInt64
        var prefix: UInt64
    }

    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaCount = 0
    /// starts[i] ..< starts[i+1] are the bytes of term i (count + 1 entries are valid).
    private var starts: UnsafeMutablePointer<Int>
    private var startsCapacity: Int
    private var slots: UnsafeMutablePointer<Slot>
    private var slotCount: Int
    public private(set) var count = 0

    public init(capacity: Int = 1 << 14) {
        arenaCapacity = max(1024, capacity * 8)
        arena = .allocate(capacity: arenaCapacity)
        startsCapacity = max(16, capacity + 1)
        starts = .allocate(capacity: startsCapacity)
        starts[0] = 0
        slotCount = 1
        while slotCount < capacity * 2 { slotCount <<= 1 }
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: Slot(head: 0, prefix: 0), count: slotCount)
    }

    deinit {
        arena.deallocate()
        starts.deallocate()
        slots.deallocate()
    }

    /// The first `min(n, 8)` bytes at `p` as a little-endian word, zero-padded.
    @inline(__always)
    static func prefix(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        if n >= 8 { return UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) }
        var w: UInt64 = 0
        var i = 0
        while i < n {
            w |= UInt64(p[i]) << UInt64(i &* 8)
            i += 1
        }
        return w
    }

    /// The head word a term of `n` bytes with `hash` must have (its id bits zero).
    @inline(__always)
    static func key(_ hash: UInt64, _ n: Int) -> UInt64 {
        (hash & 0xFFFF_FF00_0000_0000) | UInt64(truncatingIfNeeded: min(n, 255)) << 32
    }

    /// The id of `bytes`, inserting it when new.
    @inline(__always)
    public func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> TermID {
        intern(p, n, hash: Hash.bytes(p, n), prefix: Vocabulary.prefix(p, n))
    }

    @inline(__always)
    public func intern(_ p: UnsafePointer<UInt8>, _ n: Int, hash: UInt64) -> TermID {
        intern(p, n, hash: hash, prefix: Vocabulary.prefix(p, n))
    }

    /// The id of the `n` bytes at `p`, whose `Hash.bytes` is `hash` and first bytes `prefix`
    /// (`Vocabulary.prefix(p, n)`), inserting it when new.
    @inline(__always)
    public func intern(_ p: UnsafePointer<UInt8>, _ n: Int, hash: UInt64, prefix: UInt64) -> TermID {
        let key = Vocabulary.key(hash, n)
        let mask = slotCount - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = slots[i]
            if s.head == 0 { break }
            if s.head & 0xFFFF_FFFF_0000_0000 == key && s.prefix == prefix {
                let id = Int(truncatingIfNeeded: s.head & 0xFFFF_FFFF) &- 1
                if n <= 8 { return TermID(truncatingIfNeeded: id) }
                let a = starts[id]
                if starts[id + 1] - a == n && memcmpBytes(arena + a + 8, p + 8, n - 8) { return TermID(truncatingIfNeeded: id) }
            }
            i = (i + 1) & mask
        }
        return insert(p, n, at: i, head: key, prefix: prefix)
    }

    /// Inserts a new term into the empty slot `i`.
    private func insert(_ p: UnsafePointer<UInt8>, _ n: Int, at i: Int, head: UInt64, prefix: UInt64) -> TermID {
        let id = count
        if arenaCount + n > arenaCapacity {
            var newCap = arenaCapacity * 2
            while newCap < arenaCount + n { newCap *= 2 }
            let na = UnsafeMutablePointer<UInt8>.allocate(capacity: newCap)
            na.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = na
            arenaCapacity = newCap
        }
        if id + 2 > startsCapacity {
            let ns = UnsafeMutablePointer<Int>.allocate(capacity: startsCapacity * 2)
            ns.update(from: starts, count: id + 1)
            starts.deallocate()
            starts = ns
            startsCapacity *= 2
        }
        (arena + arenaCount).update(from: p, count: n)
        arenaCount += n
        starts[id + 1] = arenaCount
        slots[i] = Slot(head: head | UInt64(id + 1), prefix: prefix)
        count += 1
        if count &* 4 > slotCount &* 3 { grow() }
        return TermID(id)
    }

    /// The id of `bytes` when present.
    public func lookup(_ p: UnsafePointer<UInt8>, _ n: Int) -> TermID? {
        let hash = Hash.bytes(p, n)
        let key = Vocabulary.key(hash, n)
        let prefix = Vocabulary.prefix(p, n)
        let mask = slotCount - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = slots[i]
            if s.head == 0 { return nil }
            if s.head & 0xFFFF_FFFF_0000_0000 == key && s.prefix == prefix {
                let id = Int(truncatingIfNeeded: s.head & 0xFFFF_FFFF) &- 1
                if n <= 8 { return TermID(truncatingIfNeeded: id) }
                let a = starts[id]
                if starts[id + 1] - a == n && memcmpBytes(arena + a + 8, p + 8, n - 8) { return TermID(truncatingIfNeeded: id) }
            }
            i = (i + 1) & mask
        }
    }

    public func intern(_ bytes: [UInt8]) -> TermID {
        bytes.withUnsafeBufferPointer { b in
            b.count == 0 ? intern(Vocabulary.empty, 0) : intern(b.baseAddress!, b.count)
        }
    }

    public func lookup(_ bytes: [UInt8]) -> TermID? {
        bytes.withUnsafeBufferPointer { b in b.count == 0 ? lookup(Vocabulary.empty, 0) : lookup(b.baseAddress!, b.count) }
    }

    public func intern(_ s: String) -> TermID { intern(Array(s.utf8)) }
    public func lookup(_ s: String) -> TermID? { lookup(Array(s.utf8)) }

    /// The bytes of a term (valid until the next insertion).
    @inline(__always)
    public func bytes(_ id: TermID) -> UnsafeBufferPointer<UInt8> {
        precondition(Int(id) < count, "term id out of range")
        let a = starts[Int(id)]
        return UnsafeBufferPointer(start: arena + a, count: starts[Int(id) + 1] - a)
    }

    public func string(_ id: TermID) -> String { String(decoding: bytes(id), as: UTF8.self) }

    /// Compares two terms by UTF-8 bytes.
    @inline(__always)
    public func less(_ a: TermID, _ b: TermID) -> Bool { compareBytes(bytes(a), bytes(b)) < 0 }

    private func grow() {
        let newCount = slotCount * 2
        let ns = UnsafeMutablePointer<Slot>.allocate(capacity: newCount)
        ns.initialize(repeating: Slot(head: 0, prefix: 0), count: newCount)
        let mask = newCount - 1
        for i in 0..<slotCount {
            let s = slots[i]
            if s.head == 0 { continue }
            let id = Int(truncatingIfNeeded: s.head & 0xFFFF_FFFF) &- 1
            let a = starts[id]
            let h = Hash.bytes(arena + a, starts[id + 1] - a)
            var j = Int(truncatingIfNeeded: h) & mask
            while ns[j].head != 0 { j = (j + 1) & mask }
            ns[j] = s
        }
        slots.deallocate()
        slots = ns
        slotCount = newCount
    }

    nonisolated(unsafe) static let empty: UnsafeMutablePointer<UInt8> = .allocate(capacity: 8)
}

@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
        i += 8
    }
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}

/// Three-way comparison of byte strings (UTF-8 byte order = code point order).
@inline(__always)
public func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
    let n = min(a.count, b.count)
    var i = 0
    while i < n {
        let x = a[i], y = b[i]
        if x != y { return x < y ? -1 : 1 }
        i += 1
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}
