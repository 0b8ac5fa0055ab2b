/// CSV/TSV record framing and parsing (RFC 4180): fields separated by the delimiter, records by LF or CRLF;
/// a field that STARTS with `"` is quoted and may hold delimiters, line ends and `""` (one quote). A quote
/// elsewhere in an unquoted field is an ordinary character; characters after a closing quote up to the next
/// delimiter are kept (lenient). The same rules apply to TSV.
enum CSV {
    /// One field of a record: its raw extent in the buffer.
    struct Field {
        var start: Int
        var end: Int
        var quoted: Bool
        /// Unquoted, or quoted with nothing to unescape: the value is a plain byte range.
        var simple: Bool
    }

    /// Scans `b[from...]` for record boundaries (just after a LF outside quotes), carrying the quote state.
    /// `from` must be 0 or a position reached by a previous scan of the same record stream. Stops before a
    /// quote that ends the buffer inside a quoted field (it may be the first of `""`) unless `atEOF`.
    /// `firstOnly`: stop at the first boundary.
    static func scan(
        _ b: UnsafeBufferPointer<UInt8>, from: Int, inQuote: inout Bool, delimiter: UInt8, atEOF: Bool, firstOnly: Bool
    ) -> (lastBoundary: Int?, scannedTo: Int) {
        guard let p = b.baseAddress else { return (nil, from) }
        let n = b.count
        var i = from
        var last: Int? = nil
        while i < n {
            if inQuote {
                let j = Bytes.find(34, p, i, n)
                if j == n { i = n; break }
                if j + 1 == n && !atEOF { i = j; break }
                if j + 1 < n && p[j + 1] == 34 { i = j + 2; continue }
                inQuote = false
                i = j + 1
            } else {
                let nl = Bytes.find(10, p, i, n)
                let q = Bytes.find(34, p, i, nl)
                if q < nl {
                    if q == 0 || p[q - 1] == delimiter || p[q - 1] == 10 { inQuote = true }
                    i = q + 1
                    continue
                }
                if nl == n { i = n; break }
                last = nl + 1
                i = nl + 1
                if firstOnly { break }
            }
        }
        return (last, i)
    }

    /// Parses one record starting at `start` (a record start) up to `end`. Returns its fields, the start
    /// of the next record, and whether a quoted field ran to `end` unterminated.
    static func parseRecord(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, delimiter: UInt8, into fields: inout [Field])
        -> (next: Int, unterminated: Bool)
    {
        let p = b.baseAddress!
        fields.removeAll(keepingCapacity: true)
        var i = start
        while true {
            let fs = i
            if i < end && p[i] == 34 {
                i += 1
                var escaped = false
                var closed = false
                while i < end {
                    let j = Bytes.find(34, p, i, end)
                    if j == end { i = end; break }
                    if j + 1 < end && p[j + 1] == 34 { escaped = true; i = j + 2; continue }
                    i = j + 1
                    closed = true
                    break
                }
                if !closed {
                    fields.append(Field(start: fs, end: end, quoted: true, simple: false))
                    return (end, true)
                }
                let junk = i
                while i < end && p[i] != delimiter && p[i] != 10 { i += 1 }
                var fe = i
                if (i == end || p[i] == 10) && fe > junk && p[fe - 1] == 13 { fe -= 1 }
                fields.append(Field(start: fs, end: fe, quoted: true, simple: !escaped && fe == junk))
            } else {
                while i < end && p[i] != delimiter && p[i] != 10 { i += 1 }
                var fe = i
                if (i == end || p[i] == 10) && fe > fs && p[fe - 1] == 13 { fe -= 1 }
                fields.append(Field(start: fs, end: fe, quoted: false, simple: true))
            }
            if i >= end { return (end, false) }
            if p[i] == delimiter {
                i += 1
                if i == end { fields.append(Field(start: i, end: i, quoted: false, simple: true)); return (end, false) }
                continue
            }
            return (i + 1, false)  // LF
        }
    }

    /// The value bytes of a field.
    static func value(_ b: UnsafeBufferPointer<UInt8>, _ f: Field) -> [UInt8] {
        if f.simple {
            let r = f.quoted ? (f.start + 1)..<(f.end - 1) : f.start..<f.end
            return Array(UnsafeBufferPointer(rebasing: b[r]))
        }
        var out: [UInt8] = []
        out.reserveCapacity(f.end - f.start)
        var i = f.start
        var inQ = false
        while i < f.end {
            let c = b[i]
            if c == 34 {
                if inQ && i + 1 < f.end && b[i + 1] == 34 { out.append(34); i += 2; continue }
                inQ.toggle()
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// The value of a field as a String (header names, ids, titles).
    static func string(_ b: UnsafeBufferPointer<UInt8>, _ f: Field) -> String {
        String(decoding: value(b, f), as: UTF8.self)
    }

    /// Column names of a raw header record (transcoded as the file is; BOM and blanks trimmed).
    static func headerNames(_ header: [UInt8], delimiter: UInt8, encoding: TextEncoding) -> [String] {
        var bytes = header
        if encoding == .latin1 || encoding == .windows1252, let t = bytes.withUnsafeBufferPointer({ Bytes.transcodeToUTF8($0, windows1252: encoding == .windows1252) }) {
            bytes = t
        }
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { bytes.removeFirst(3) }
        if bytes.isEmpty { return [] }
        return bytes.withUnsafeBufferPointer { b -> [String] in
            var fields: [Field] = []
            _ = parseRecord(b, 0, b.count, delimiter: delimiter, into: &fields)
            return fields.map { String(Substring(string(b, $0)).trimmingCharacters()) }
        }
    }

    /// Index of the first candidate column present (exact name first, then ignoring ASCII case).
    static func columnIndex(_ names: [String], _ candidates: [String]) -> Int? {
        for c in candidates { if let k = names.firstIndex(of: c) { return k } }
        for c in candidates {
            let lc = c.lowercased()
            if let k = names.firstIndex(where: { $0.lowercased() == lc }) { return k }
        }
        return nil
    }
}
