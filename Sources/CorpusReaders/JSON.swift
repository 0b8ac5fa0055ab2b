/// A small byte-level JSON parser for JSONL records: it validates the whole line (objects, arrays, strings
/// with every escape, numbers, `true`/`false`/`null`) but extracts only the fields it is asked for,
/// by (possibly dotted) path. Strings are decoded only for the fields that are used.
struct JSONFieldExtractor {
    /// Roles of the fields to extract.
    static let roleText = 0, roleTitle = 1, roleDate = 2, roleID = 3
    static let roleCount = 4

    enum Kind: UInt8 { case string, number, bool, null, object, array }

    /// A captured value: its raw extent in the line, its kind.
    struct Capture {
        var priority = Int.max
        var start = 0
        var end = 0
        var kind = Kind.null
    }

    struct Failure: Error {
        var message: String
        var position: Int
    }

    /// The path tree, flattened into plain memory so the parser does no reference counting.
    let tree: Tree

    /// Roles of this extractor: the four above, then one per extra field (`roleCount + k` for `extra[k]`).
    let roles: Int

    /// Builds the path tree for the four roles' candidate field lists, plus one role per `extra` field
    /// (`--field`; each its own single path).
    init(text: [String], title: [String], date: [String], id: [String], extra: [String] = []) {
        tree = Tree(roles: [text, title, date, id] + extra.map { [$0] })
        roles = Self.roleCount + extra.count
    }

    final class Tree: @unchecked Sendable {
        struct Edge { var keyOffset: Int; var keyLen: Int; var child: Int }
        struct Target { var role: Int; var priority: Int }
        let edges: UnsafeMutableBufferPointer<Edge>
        let edgeStart: UnsafeMutableBufferPointer<Int>  // per node: range in `edges` (sorted by node)
        let edgeCount: UnsafeMutableBufferPointer<Int>
        let targets: UnsafeMutableBufferPointer<Target>
        let targetStart: UnsafeMutableBufferPointer<Int>
        let targetCount: UnsafeMutableBufferPointer<Int>
        let keys: UnsafeMutableBufferPointer<UInt8>

        init(roles: [[String]]) {
            var keysOf: [[[UInt8]]] = [[]]
            var childrenOf: [[Int]] = [[]]
            var targetsOf: [[Target]] = [[]]
            func child(_ node: Int, _ key: [UInt8]) -> Int {
                if let k = keysOf[node].firstIndex(of: key) { return childrenOf[node][k] }
                keysOf.append([]); childrenOf.append([]); targetsOf.append([])
                let idx = keysOf.count - 1
                keysOf[node].append(key)
                childrenOf[node].append(idx)
                return idx
            }
            for (role, list) in roles.enumerated() {
                for (prio, path) in list.enumerated() {
                    // A dotted name is a path into nested objects; an exact top-level key holding the dots is
                    // tried too (priority just after).
                    var node = 0
                    let parts = path.split(separator: ".", omittingEmptySubsequences: false)
                    for part in parts { node = child(node, Array(part.utf8)) }
                    targetsOf[node].append(Target(role: role, priority: prio * 2))
                    if parts.count > 1 {
                        let whole = child(0, Array(path.utf8))
                        targetsOf[whole].append(Target(role: role, priority: prio * 2 + 1))
                    }
                }
            }
            let n = keysOf.count
            let totalEdges = keysOf.reduce(0) { $0 + $1.count }
            let totalKeyBytes = keysOf.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }
            let totalTargets = targetsOf.reduce(0) { $0 + $1.count }
            edges = .allocate(capacity: max(1, totalEdges))
            edgeStart = .allocate(capacity: n)
            edgeCount = .allocate(capacity: n)
            targets = .allocate(capacity: max(1, totalTargets))
            targetStart = .allocate(capacity: n)
            targetCount = .allocate(capacity: n)
            keys = .allocate(capacity: max(1, totalKeyBytes))
            var e = 0, t = 0, kb = 0
            for node in 0..<n {
                edgeStart[node] = e
                edgeCount[node] = keysOf[node].count
                for (k, key) in keysOf[node].enumerated() {
                    for (j, c) in key.enumerated() { keys[kb + j] = c }
                    edges[e] = Edge(keyOffset: kb, keyLen: key.count, child: childrenOf[node][k])
                    kb += key.count
                    e += 1
                }
                targetStart[node] = t
                targetCount[node] = targetsOf[node].count
                for tg in targetsOf[node] { targets[t] = tg; t += 1 }
            }
        }

        deinit {
            edges.deallocate(); edgeStart.deallocate(); edgeCount.deallocate()
            targets.deallocate(); targetStart.deallocate(); targetCount.deallocate(); keys.deallocate()
        }

        /// The child of `node` under the raw key `p[ks..<ke]`, or -1.
        @inline(__always) func lookup(_ node: Int, _ p: UnsafePointer<UInt8>, _ ks: Int, _ ke: Int) -> Int {
            let len = ke - ks
            var e = edgeStart[node]
            let end = e + edgeCount[node]
            while e < end {
                let edge = edges[e]
                if edge.keyLen == len && (len == 0 || (keys[edge.keyOffset] == p[ks] && memcmp(keys.baseAddress! + edge.keyOffset, p + ks, len) == 0)) {
                    return edge.child
                }
                e += 1
            }
            return -1
        }
    }

    /// Parses the object in `p[start..<end]` (one line without its LF); fills `captures` (indexed by role).
    func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, captures: inout [Capture]) throws(Failure) {
        var parser = Parser(p: p, i: start, end: end, tree: tree)
        parser.skipWS()
        guard parser.i < end, p[parser.i] == 123 else {
            throw Failure(message: "not a JSON object", position: parser.i)
        }
        try parser.parseObject(node: 0, depth: 0, captures: &captures)
        parser.skipWS()
        if parser.i < end { throw Failure(message: "unexpected characters after the JSON object", position: parser.i) }
    }

    struct Parser {
        let p: UnsafePointer<UInt8>
        var i: Int
        let end: Int
        unowned(unsafe) let tree: Tree

        @inline(__always) mutating func skipWS() {
            while i < end {
                let c = p[i]
                if c == 32 || c == 9 || c == 13 || c == 10 { i += 1 } else { break }
            }
        }

        @inline(__always) func fail(_ what: String) -> Failure { Failure(message: what, position: i) }

        mutating func parseObject(node: Int, depth: Int, captures: inout [Capture]) throws(Failure) {
            guard depth < 512 else { throw fail("nesting too deep") }
            i += 1  // {
            skipWS()
            if i < end && p[i] == 125 { i += 1; return }
            let hasChildren = tree.edgeCount[node] > 0
            while true {
                guard i < end, p[i] == 34 else { throw fail("expected a string key") }
                let keyStart = i + 1
                let hasEscape = try skipString(reportEscapes: hasChildren)
                let keyEnd = i - 1
                skipWS()
                guard i < end, p[i] == 58 else { throw fail("expected ':'") }
                i += 1
                skipWS()
                var childNode = -1
                if hasChildren {
                    if hasEscape {
                        let key = JSONFieldExtractor.decodeString(p, keyStart - 1, keyEnd + 1)
                        childNode = key.withUnsafeBufferPointer { kb in
                            kb.isEmpty ? tree.lookup(node, p, 0, 0) : tree.lookup(node, kb.baseAddress!, 0, kb.count)
                        }
                    } else {
                        childNode = tree.lookup(node, p, keyStart, keyEnd)
                    }
                }
                let vs = i
                guard i < end else { throw fail("expected a value") }
                let first = p[i]
                if childNode >= 0 {
                    if first == 123 && tree.edgeCount[childNode] > 0 {
                        try parseObject(node: childNode, depth: depth + 1, captures: &captures)
                    } else {
                        try skipValue(depth: depth + 1)
                    }
                    let tc = tree.targetCount[childNode]
                    if tc > 0 {
                        let kind: Kind
                        switch first {
                        case 34: kind = .string
                        case 123: kind = .object
                        case 91: kind = .array
                        case 116, 102: kind = .bool
                        case 110: kind = .null
                        default: kind = .number
                        }
                        let ts = tree.targetStart[childNode]
                        for t in ts..<(ts + tc) {
                            let tg = tree.targets[t]
                            if tg.priority <= captures[tg.role].priority {
                                captures[tg.role] = Capture(priority: tg.priority, start: vs, end: i, kind: kind)
                            }
                        }
                    }
                } else {
                    try skipValue(depth: depth + 1)
                }
                skipWS()
                guard i < end else { throw fail("unterminated object") }
                if p[i] == 44 {
                    i += 1
                    skipWS()
                    continue
                }
                if p[i] == 125 { i += 1; return }
                throw fail("expected ',' or '}'")
            }
        }

        mutating func skipValue(depth: Int) throws(Failure) {
            guard i < end else { throw fail("expected a value") }
            switch p[i] {
            case 34: _ = try skipString()
            case 123:
                guard depth < 512 else { throw fail("nesting too deep") }
                i += 1
                skipWS()
                if i < end && p[i] == 125 { i += 1; return }
                while true {
                    guard i < end, p[i] == 34 else { throw fail("expected a string key") }
                    _ = try skipString()
                    skipWS()
                    guard i < end, p[i] == 58 else { throw fail("expected ':'") }
                    i += 1
                    skipWS()
                    try skipValue(depth: depth + 1)
                    skipWS()
                    guard i < end else { throw fail("unterminated object") }
                    if p[i] == 44 { i += 1; skipWS(); continue }
                    if p[i] == 125 { i += 1; return }
                    throw fail("expected ',' or '}'")
                }
            case 91:
                guard depth < 512 else { throw fail("nesting too deep") }
                i += 1
                skipWS()
                if i < end && p[i] == 93 { i += 1; return }
                while true {
                    try skipValue(depth: depth + 1)
                    skipWS()
                    guard i < end else { throw fail("unterminated array") }
                    if p[i] == 44 { i += 1; skipWS(); continue }
                    if p[i] == 93 { i += 1; return }
                    throw fail("expected ',' or ']'")
                }
            case 116: try literal("true")
            case 102: try literal("false")
            case 110: try literal("null")
            case 45, 48...57: try skipNumber()
            default: throw fail("unexpected character")
            }
        }

        mutating func literal(_ s: StaticString) throws(Failure) {
            let n = s.utf8CodeUnitCount
            guard i + n <= end, memcmp(p + i, s.utf8Start, n) == 0 else { throw fail("invalid literal") }
            i += n
        }

        mutating func skipNumber() throws(Failure) {
            let s = i
            if p[i] == 45 { i += 1 }
            var digits = 0
            while i < end, p[i] >= 48 && p[i] <= 57 { i += 1; digits += 1 }
            guard digits > 0 else { throw fail("invalid number") }
            if i < end && p[i] == 46 {
                i += 1
                var fd = 0
                while i < end, p[i] >= 48 && p[i] <= 57 { i += 1; fd += 1 }
                guard fd > 0 else { throw fail("invalid number") }
            }
            if i < end && (p[i] == 101 || p[i] == 69) {
                i += 1
                if i < end && (p[i] == 43 || p[i] == 45) { i += 1 }
                var ed = 0
                while i < end, p[i] >= 48 && p[i] <= 57 { i += 1; ed += 1 }
                guard ed > 0 else { throw fail("invalid number") }
            }
            _ = s
        }

        /// At a `"`: moves past the closing quote. Returns whether the string holds escapes. The closing
        /// quote is found with memchr (a quote preceded by an odd run of backslashes is escaped); escape
        /// sequences are checked when the string is decoded (`appendString`), so an invalid escape in a field
        /// that is not used goes unnoticed.
        @discardableResult
        @inline(__always) mutating func skipString(reportEscapes: Bool = false) throws(Failure) -> Bool {
            let s = i + 1
            var j = s
            while true {
                let q = Bytes.find(34, p, j, end)
                guard q < end else { i = end; throw fail("unterminated string") }
                var k = q
                while k > s && p[k - 1] == 92 { k -= 1 }
                if (q - k) & 1 == 0 {
                    i = q + 1
                    return reportEscapes && q > s && Bytes.find(92, p, s, q) < q
                }
                j = q + 1
            }
        }
    }

    @inline(__always) static func hex4(_ p: UnsafePointer<UInt8>, _ at: Int) -> UInt32? {
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = p[at + k]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 97...102: d = UInt32(c - 87)
            case 65...70: d = UInt32(c - 55)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    /// Decodes the (already validated) string whose opening quote is at `start` and which ends before
    /// `end` (the position after the closing quote). Lone surrogates become U+FFFD.
    static func decodeString(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> [UInt8] {
        var out: [UInt8] = []
        _ = appendString(p, start, end, to: &out)
        return out
    }

    /// Appends the decoded string (opening quote at `start`, `end` just past the closing quote) to `out`.
    /// Returns false when the string held an invalid escape (`\x`, a bad `\u`); its character is kept.
    @discardableResult
    static func appendString(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, to out: inout [UInt8]) -> Bool {
        let stop = end - 1  // closing quote
        let first = start + 1
        let maxLen = stop - first  // decoding never grows the text
        if maxLen <= 0 { return true }
        let old = out.count
        var valid = true
        // Decode straight into spare capacity.
        let tmp = [UInt8](unsafeUninitializedCapacity: maxLen) { buf, count in
            let o = buf.baseAddress!
            var w = 0
            var i = first
            while i < stop {
                let bs = Bytes.find(92, p, i, stop)
                if bs > i {
                    (o + w).initialize(from: p + i, count: bs - i)
                    w += bs - i
                }
                if bs >= stop { break }
                let e = p[bs + 1]
                i = bs + 2
                switch e {
                case 110: o[w] = 10; w += 1
                case 116: o[w] = 9; w += 1
                case 114: o[w] = 13; w += 1
                case 98: o[w] = 8; w += 1
                case 102: o[w] = 12; w += 1
                case 117:
                    guard bs + 6 <= stop, let h = hex4(p, bs + 2) else {
                        valid = false
                        o[w] = e; w += 1
                        continue
                    }
                    var cp = h
                    i = bs + 6
                    if cp >= 0xD800 && cp <= 0xDBFF {
                        if i + 6 <= stop, p[i] == 92, p[i + 1] == 117, let lo = hex4(p, i + 2), lo >= 0xDC00 && lo <= 0xDFFF {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                            i += 6
                        } else {
                            cp = 0xFFFD
                        }
                    } else if cp >= 0xDC00 && cp <= 0xDFFF {
                        cp = 0xFFFD
                    }
                    w += Bytes.writeUTF8(o + w, cp)
                case 34, 92, 47: o[w] = e; w += 1
                default: o[w] = e; w += 1; valid = false
                }
            }
            count = w
        }
        if old == 0 { out = tmp } else { out.append(contentsOf: tmp) }
        return valid
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
