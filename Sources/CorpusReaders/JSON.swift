/// A small byte-level JSON parser for JSONL records: it validates the whole line (objects, arrays, strings
/// with every escape, numbers, `true`/`false`/`null`) but extracts only the fields it is asked for,
/// by (possibly dotted) path. Strings are decoded only for the fields that are used.
struct JSONFieldExtractor {
    /// Roles of the fields to extract.
    static let roleText = 0, roleTitle = 1, roleDate = 2, roleID = 3
    static let roleCount = 4

    struct Node {
        var keys: [[UInt8]] = []
        var children: [Int] = []
        /// (role, priority): lower priority wins.
        var targets: [(Int, Int)] = []
    }

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

    var nodes: [Node] = [Node()]

    /// Builds the path tree for the four roles' candidate field lists.
    init(text: [String], title: [String], date: [String], id: [String]) {
        for (role, list) in [text, title, date, id].enumerated() {
            for (prio, path) in list.enumerated() {
                var node = 0
                let parts = path.split(separator: ".", omittingEmptySubsequences: false)
                // A field name containing dots is reached as a path; an exact top-level key with dots is
                // also tried (priority just after).
                for part in parts {
                    let key = Array(part.utf8)
                    node = child(of: node, key: key)
                }
                nodes[node].targets.append((role, prio * 2))
                if parts.count > 1 {
                    let whole = child(of: 0, key: Array(path.utf8))
                    nodes[whole].targets.append((role, prio * 2 + 1))
                }
            }
        }
    }

    private mutating func child(of node: Int, key: [UInt8]) -> Int {
        if let k = nodes[node].keys.firstIndex(of: key) { return nodes[node].children[k] }
        nodes.append(Node())
        let idx = nodes.count - 1
        nodes[node].keys.append(key)
        nodes[node].children.append(idx)
        return idx
    }

    /// Parses the object in `p[start..<end]` (one line without its LF); fills `captures` (indexed by role).
    func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, captures: inout [Capture]) throws(Failure) {
        var parser = Parser(p: p, i: start, end: end, tree: self)
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
        let tree: JSONFieldExtractor

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
            let n = tree.nodes[node]
            while true {
                guard i < end, p[i] == 34 else { throw fail("expected a string key") }
                let keyStart = i + 1
                let hasEscape = try skipString()
                let keyEnd = i - 1
                skipWS()
                guard i < end, p[i] == 58 else { throw fail("expected ':'") }
                i += 1
                skipWS()
                var childNode = -1
                if !n.keys.isEmpty {
                    if hasEscape {
                        let key = JSONFieldExtractor.decodeString(p, keyStart - 1, keyEnd + 1)
                        if let k = n.keys.firstIndex(of: key) { childNode = n.children[k] }
                    } else {
                        let len = keyEnd - keyStart
                        for (k, key) in n.keys.enumerated() where key.count == len {
                            let eq = key.withUnsafeBufferPointer { kb in
                                len == 0 || memcmp(kb.baseAddress!, p + keyStart, len) == 0
                            }
                            if eq { childNode = n.children[k]; break }
                        }
                    }
                }
                let vs = i
                guard i < end else { throw fail("expected a value") }
                let first = p[i]
                if childNode >= 0 {
                    let cn = tree.nodes[childNode]
                    if first == 123 && !cn.keys.isEmpty {
                        try parseObject(node: childNode, depth: depth + 1, captures: &captures)
                    } else {
                        try skipValue(depth: depth + 1)
                    }
                    if !cn.targets.isEmpty {
                        let kind: Kind
                        switch first {
                        case 34: kind = .string
                        case 123: kind = .object
                        case 91: kind = .array
                        case 116, 102: kind = .bool
                        case 110: kind = .null
                        default: kind = .number
                        }
                        for (role, prio) in cn.targets where prio <= captures[role].priority {
                            captures[role] = Capture(priority: prio, start: vs, end: i, kind: kind)
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

        /// At a `"`: moves past the closing quote. Returns whether the string holds escapes.
        @inline(__always) mutating func skipString() throws(Failure) -> Bool {
            i += 1
            var escaped = false
            let quotes = Bytes.ones &* 34
            let slashes = Bytes.ones &* 92
            while true {
                while i + 8 <= end {
                    let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                    let z = Bytes.zeroBytes(w ^ quotes) | Bytes.zeroBytes(w ^ slashes)
                    if z != 0 { i += z.trailingZeroBitCount >> 3; break }
                    i += 8
                }
                while i < end && p[i] != 34 && p[i] != 92 { i += 1 }
                guard i < end else { throw fail("unterminated string") }
                if p[i] == 34 { i += 1; return escaped }
                // backslash
                escaped = true
                guard i + 1 < end else { throw fail("unterminated string") }
                switch p[i + 1] {
                case 34, 92, 47, 98, 102, 110, 114, 116: i += 2
                case 117:
                    guard i + 6 <= end, JSONFieldExtractor.hex4(p, i + 2) != nil else { throw fail("invalid \\u escape") }
                    i += 6
                default: throw fail("invalid escape")
                }
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
        appendString(p, start, end, to: &out)
        return out
    }

    static func appendString(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, to out: inout [UInt8]) {
        let stop = end - 1  // closing quote
        var i = start + 1
        out.reserveCapacity(out.count + stop - i)
        while i < stop {
            let bs = Bytes.find(92, p, i, stop)
            if bs > i { out.append(contentsOf: UnsafeBufferPointer(start: p + i, count: bs - i)) }
            if bs >= stop { break }
            let e = p[bs + 1]
            i = bs + 2
            switch e {
            case 110: out.append(10)
            case 116: out.append(9)
            case 114: out.append(13)
            case 98: out.append(8)
            case 102: out.append(12)
            case 117:
                var cp = hex4(p, bs + 2) ?? 0xFFFD
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
                Bytes.appendUTF8(&out, cp)
            default: out.append(e)  // " \ /
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
