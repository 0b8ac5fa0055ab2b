/// An insertion-ordered set of byte strings (a column chunk's dictionary): open addressing over
/// one byte arena, ids in first-seen order.
struct StringDictionary {
    private(set) var arena: [UInt8] = []
    /// Start offset of each entry; `ends[i]` its end.
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    private var hashes: [UInt64] = []
    private var table: [Int32] = Array(repeating: -1, count: 1024)
    private var mask = 1023

    var count: Int { starts.count }
    var byteCount: Int { arena.count }

    mutating func removeAll() {
        arena.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        if table.count > 1 << 16 {
            table = Array(repeating: -1, count: 1024)
            mask = 1023
        } else {
            for i in table.indices { table[i] = -1 }
        }
    }

    @inline(__always)
    static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325 ^ UInt64(p.count)
        var i = 0
        let n = p.count
        let raw = UnsafeRawPointer(p.baseAddress)
        while i + 8 <= n {
            let w = raw!.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0x9E3779B97F4A7C15
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n { tail |= UInt64(p[i]) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* 0x9E3779B97F4A7C15
        h ^= h >> 32
        return h
    }

    /// The id of `p`, adding it when new.
    @inline(__always)
    mutating func intern(_ p: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let h = Self.hash(p)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = Int(table[slot])
            if id < 0 { break }
            if hashes[id] == h {
                let s = starts[id], e = ends[id]
                if e - s == p.count {
                    let same = arena.withUnsafeBufferPointer { a in
                        p.isEmpty || memcmpEqual(a.baseAddress! + s, p.baseAddress!, p.count)
                    }
                    if same { return UInt32(id) }
                }
            }
            slot = (slot + 1) & mask
        }
        let id = starts.count
        starts.append(arena.count)
        arena.append(contentsOf: p)
        ends.append(arena.count)
        hashes.append(h)
        table[slot] = Int32(id)
        if starts.count * 2 > table.count { grow() }
        return UInt32(id)
    }

    private mutating func grow() {
        let newCount = table.count * 2
        table = Array(repeating: -1, count: newCount)
        mask = newCount - 1
        for id in 0..<starts.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(id)
        }
    }

    func withEntry<R>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { a in
            try body(UnsafeBufferPointer(rebasing: a[starts[id]..<ends[id]]))
        }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if UnsafeRawPointer(a).loadUnaligned(fromByteOffset: i, as: UInt64.self) != UnsafeRawPointer(b).loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}

/// Unsigned lexicographic comparison of byte strings (Parquet's order for UTF-8 strings).
@inline(__always)
func bytesLess(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = min(a.count, b.count)
    for i in 0..<n where a[i] != b[i] { return a[i] < b[i] }
    return a.count < b.count
}
