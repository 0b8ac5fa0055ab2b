/// A term id: dense, 0-based, local to one vocabulary.
public typealias TermID = UInt32

/// Interns UTF-8 byte strings into dense `TermID`s: open addressing on bytes, one contiguous arena.
/// Not thread-safe: each worker owns one; they are merged into a global one at the end.
public final class Vocabulary {
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaCount = 0
    /// starts[i] ..< starts[i+1] are the bytes of term i.
    private var starts: [Int]
    /// Slot = (hash high 32 bits << 32) | (id + 1); 0 = empty.
    private var slots: UnsafeMutablePointer<UInt64>
    private var slotCount: Int
    public private(set) var count = 0

    public init(capacity: Int = 1 << 14) {
        arenaCapacity = max(1024, capacity * 8)
        arena = .allocate(capacity: arenaCapacity)
        starts = [0]
        starts.reserveCapacity(capacity + 1)
        slotCount = 1
        while slotCount < capacity * 2 { slotCount <<= 1 }
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
    }

    deinit {
        arena.deallocate()
        slots.deallocate()
    }

    /// The id of `bytes`, inserting it when new.
    @inline(__always)
    public func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> TermID {
        intern(p, n, hash: Hash.bytes(p, n))
    }

    @inline(__always)
    public func intern(_ p: UnsafePointer<UInt8>, _ n: Int, hash: UInt64) -> TermID {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = slotCount - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = slots[i]
            if s == 0 { break }
            if s & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(s & 0xFFFF_FFFF) - 1
                let a = starts[id]
                if starts[id + 1] - a == n && memcmpBytes(arena + a, p, n) { return TermID(id) }
            }
            i = (i + 1) & mask
        }
        // Insert.
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
        (arena + arenaCount).update(from: p, count: n)
        arenaCount += n
        starts.append(arenaCount)
        slots[i] = tag | UInt64(id + 1)
        count += 1
        if count * 2 > slotCount { grow() }
        return TermID(id)
    }

    /// The id of `bytes` when present.
    public func lookup(_ p: UnsafePointer<UInt8>, _ n: Int) -> TermID? {
        let hash = Hash.bytes(p, n)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = slotCount - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            if s & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(s & 0xFFFF_FFFF) - 1
                let a = starts[id]
                if starts[id + 1] - a == n && memcmpBytes(arena + a, p, n) { return TermID(id) }
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
        let a = starts[Int(id)]
        return UnsafeBufferPointer(start: arena + a, count: starts[Int(id) + 1] - a)
    }

    public func string(_ id: TermID) -> String { String(decoding: bytes(id), as: UTF8.self) }

    /// Compares two terms by UTF-8 bytes.
    @inline(__always)
    public func less(_ a: TermID, _ b: TermID) -> Bool { compareBytes(bytes(a), bytes(b)) < 0 }

    private func grow() {
        let newCount = slotCount * 2
        let ns = UnsafeMutablePointer<UInt64>.allocate(capacity: newCount)
        ns.initialize(repeating: 0, count: newCount)
        let mask = newCount - 1
        for id in 0..<count {
            let a = starts[id]
            let h = Hash.bytes(arena + a, starts[id + 1] - a)
            var i = Int(truncatingIfNeeded: h) & mask
            while ns[i] != 0 { i = (i + 1) & mask }
            ns[i] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1)
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
