import CorpusCore

/// E-mail and Usenet messages (`--input-format email`): RFC 5322 headers, MIME bodies, mbox files.
///
/// - A message is a header block (fields `Name: value`, folded lines unfolded per RFC 5322 §2.2.3) then,
///   after an empty line, the body. The header ends at the first line that is neither a field nor a
///   continuation; a non-empty such line is the body's first line (as Python's `email` package reads it).
/// - `Subject` → title (RFC 2047 encoded words decoded), `Date` → date (SPEC.md "Dates"; a message without
///   one is undated: the file-name date rule does not apply), `Message-ID` → id (as written, brackets
///   kept; none → `file:line`). Every header is a `--field` (names match ignoring case): `Newsgroups`,
///   `Followup-To` and `Keywords` give one value per comma-separated item, any other header one value per
///   occurrence, unfolded and decoded.
/// - MIME: the body is the text/plain parts — `multipart/alternative` gives its first part holding text/plain,
///   other multiparts every text/plain part in order (parts with `Content-Disposition: attachment` and
///   non-text parts skipped; `message/rfc822` parts are read as messages). A message with no text/plain
///   at all reads its text/html instead, tags stripped. Quoted-printable and base64 are decoded; `charset`
///   is honoured through the C library's iconv (`iso-8859-1` read as Windows-1252, as WHATWG says); no charset,
///   `us-ascii` or `unknown-8bit` with 8-bit bytes → UTF-8 when valid, else `--encoding` or Windows-1252.
///   Malformed MIME keeps what decodes and says so with `file:line`.
/// - Uuencoded attachments in a text body (`begin 644 name` … `end`) are left out like MIME attachments.
/// - Unless `--keep-signatures`, the signature (from the last line `-- ` or `--` of a text part to its end,
///   RFC 3676 §4.3) is left out; unless `--keep-quotes`, quoted lines (a `>` after optional blanks, or `|`
///   at the line start) and the attribution line introducing a quote (`In article <…>, … writes:`,
///   `On …, … wrote:`; a line ending in `writes:`/`wrote:`/`said:`/`says:` or starting `In article`, just
///   above the quote, with the line above it when the attribution is wrapped) are left out. Each left-out
///   run becomes a blank line, so no sentence, n-gram or window joins the text on both sides of it.
///   A message that is only quotes gives a document with an empty body (its title still counts).
enum Email {
    /// Headers whose value is a comma-separated list: one field value per item.
    static let listHeaders: Set<String> = ["newsgroups", "followup-to", "keywords"]

    /// Header names that mark a mail/news header block when sniffing a file's content.
    static let mailHeaderNames: Set<String> = [
        "from", "date", "subject", "message-id", "newsgroups", "path", "received", "return-path", "mime-version",
        "content-type", "delivered-to", "to", "cc", "sender", "reply-to", "references", "in-reply-to", "xref",
        "organization", "lines", "nntp-posting-host", "x-mailer", "user-agent", "content-transfer-encoding",
    ]

    // MARK: - Lines

    /// Index of the LF ending the line that starts at `i` (or `end`).
    @inline(__always) static func lineEnd(_ m: [UInt8], _ i: Int, _ end: Int) -> Int {
        var k = i
        while k < end && m[k] != 10 { k += 1 }
        return k
    }

    /// `e` without a CR just before it (the content end of a CRLF line).
    @inline(__always) static func contentEnd(_ m: [UInt8], _ i: Int, _ e: Int) -> Int {
        e > i && m[e - 1] == 13 ? e - 1 : e
    }

    /// Index of the colon when `m[i..<e]` is a header field line (`Name:` with a name of printable ASCII
    /// other than `:`; blanks between name and colon allowed, RFC 5322 obsolete syntax), else nil.
    static func fieldColon(_ m: [UInt8], _ i: Int, _ e: Int) -> Int? {
        var k = i
        while k < e, m[k] > 32, m[k] < 127, m[k] != 58 { k += 1 }
        guard k > i, k - i <= 76 else { return nil }
        while k < e, m[k] == 32 || m[k] == 9 { k += 1 }
        return k < e && m[k] == 58 ? k : nil
    }

    /// True when the line at `i` is an mbox `From ` separator: `From ` then, on the next line, a header field.
    static func isMboxSeparator(_ m: [UInt8], _ i: Int, _ end: Int) -> Bool {
        guard i + 5 <= end, m[i] == 70, m[i + 1] == 114, m[i + 2] == 111, m[i + 3] == 109, m[i + 4] == 32 else { return false }
        let e = lineEnd(m, i, end)
        guard e < end else { return false }
        let next = e + 1
        let ne = lineEnd(m, next, end)
        return fieldColon(m, next, contentEnd(m, next, ne)) != nil
    }

    /// True when `head` (the first bytes of a file) starts with a mail or news header block: an optional
    /// mbox `From ` line, then at least two header fields (or one after a `From ` line), one of them a usual
    /// mail/news header (`From`, `Date`, `Subject`, `Message-ID`, `Newsgroups`, `Path`, `Received`,
    /// `MIME-Version`, `Content-Type`, …), up to an empty line or the end of `head`.
    static func looksLikeMessage(_ head: ArraySlice<UInt8>) -> Bool {
        let m = Array(head.prefix(16_384))
        var i = 0
        if m.count >= 3 && m[0] == 0xEF && m[1] == 0xBB && m[2] == 0xBF { i = 3 }
        var fields = 0
        var known = false
        var mbox = false
        if isMboxSeparator(m, i, m.count) {
            mbox = true
            i = lineEnd(m, i, m.count) + 1
        }
        while i < m.count {
            let e = lineEnd(m, i, m.count)
            let ce = contentEnd(m, i, e)
            if ce == i { break }  // the empty line ending the header
            if m[i] == 32 || m[i] == 9 {
                if fields == 0 { return false }
            } else if let colon = fieldColon(m, i, ce) {
                fields += 1
                if mailHeaderNames.contains(asciiLower(m[i..<colon]).trimmingBlanks()) { known = true }
            } else {
                // A line that is neither a field nor a continuation ends the header: only a complete
                // (empty-line-ended) header counts, unless the header was long.
                if e >= m.count { break }
                return false
            }
            i = e + 1
        }
        return known && (fields >= 2 || (mbox && fields >= 1))
    }

    /// `m[r]` as a lowercase ASCII string (other bytes kept as decoded UTF-8).
    static func asciiLower(_ b: ArraySlice<UInt8>) -> String {
        String(decoding: b.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    // MARK: - Headers

    /// One header field: its name (lowercased), its raw value (unfolded, blanks around it trimmed) and the
    /// line it starts on.
    struct Field {
        var name: String
        var raw: [UInt8]
        var line: Int
    }

    /// A parsed header block: its fields in order, where the body starts and on which line.
    struct Header {
        var fields: [Field] = []
        var bodyStart: Int
        var bodyLine: Int

        func first(_ name: String) -> Field? { fields.first { $0.name == name } }
    }

    /// Parses the header block of `m[from..<end]` (its first line is line `line`).
    static func parseHeader(_ m: [UInt8], _ from: Int, _ end: Int, line: Int) -> Header {
        var fields: [Field] = []
        var i = from
        var ln = line
        while i < end {
            let e = lineEnd(m, i, end)
            let ce = contentEnd(m, i, e)
            if ce == i {
                return finish(fields, bodyStart: min(e + 1, end), bodyLine: ln + 1)
            }
            if (m[i] == 32 || m[i] == 9), !fields.isEmpty {
                fields[fields.count - 1].raw.append(contentsOf: m[i..<ce])  // unfolding drops the line break only
            } else if let colon = fieldColon(m, i, ce) {
                var nameEnd = colon
                while nameEnd > i, m[nameEnd - 1] == 32 || m[nameEnd - 1] == 9 { nameEnd -= 1 }
                fields.append(Field(name: asciiLower(m[i..<nameEnd]), raw: Array(m[(colon + 1)..<ce]), line: ln))
            } else {
                return finish(fields, bodyStart: i, bodyLine: ln)
            }
            ln += 1
            i = e + 1
        }
        return finish(fields, bodyStart: end, bodyLine: ln)
    }

    private static func finish(_ fields: [Field], bodyStart: Int, bodyLine: Int) -> Header {
        var out = fields
        for k in out.indices { out[k].raw = trimmedBlanks(out[k].raw) }
        return Header(fields: out, bodyStart: bodyStart, bodyLine: bodyLine)
    }

    static func trimmedBlanks(_ v: [UInt8]) -> [UInt8] {
        var lo = 0, hi = v.count
        while lo < hi, Bytes.isBlank(v[lo]) { lo += 1 }
        while hi > lo, Bytes.isBlank(v[hi - 1]) { hi -= 1 }
        return lo == 0 && hi == v.count ? v : Array(v[lo..<hi])
    }

    /// A `Content-Type` value: `type/subtype` (lowercased; `text/plain` when absent or malformed) and its
    /// parameters (names lowercased; quoted values unquoted).
    struct ContentType: Equatable {
        var type: String
        var subtype: String
        var params: [String: String]

        static let textPlain = ContentType(type: "text", subtype: "plain", params: [:])
        static let messageRFC822 = ContentType(type: "message", subtype: "rfc822", params: [:])

        var isMultipart: Bool { type == "multipart" }
        var charset: String? { params["charset"] }
    }

    /// Splits a structured header value at `;` outside double quotes.
    static func parameterItems(_ v: [UInt8]) -> [[UInt8]] {
        var items: [[UInt8]] = []
        var cur: [UInt8] = []
        var quoted = false
        var k = 0
        while k < v.count {
            let c = v[k]
            if quoted && c == 92 && k + 1 < v.count {  // backslash escape inside quotes
                cur.append(v[k + 1])
                k += 2
                continue
            }
            if c == 34 { quoted.toggle() } else if c == 59 && !quoted { items.append(cur); cur = [] } else { cur.append(c) }
            k += 1
        }
        items.append(cur)
        return items
    }

    static func contentType(_ raw: [UInt8]?, default def: ContentType) -> ContentType {
        guard let raw else { return def }
        let items = parameterItems(raw)
        let main = asciiLower(ArraySlice(trimmedBlanks(items[0])))
        let slash = main.firstIndex(of: "/")
        var ct: ContentType
        if let slash, slash != main.startIndex, main.index(after: slash) != main.endIndex {
            ct = ContentType(
                type: String(main[..<slash]).trimmingBlanks(), subtype: String(main[main.index(after: slash)...]).trimmingBlanks(),
                params: [:])
        } else if main == "text" {
            ct = .textPlain  // `Content-Type: text` (seen in old mailers)
        } else {
            ct = def  // malformed: RFC 2045 §5.2 says text/plain (the default)
        }
        for item in items.dropFirst() {
            guard let eq = item.firstIndex(of: 61) else { continue }
            var name = asciiLower(ArraySlice(trimmedBlanks(Array(item[..<eq]))))
            var value = trimmedBlanks(Array(item[(eq + 1)...]))
            if name.hasSuffix("*") {
                // RFC 2231 `boundary*=us-ascii'en'%41b`: the text after the second `'`, %XX decoded.
                name.removeLast()
                let quotes = value.indices.filter { value[$0] == 39 }
                if quotes.count >= 2 { value = percentDecoded(value[(quotes[1] + 1)...]) }
            }
            if ct.params[name] == nil { ct.params[name] = String(decoding: value, as: UTF8.self) }
        }
        return ct
    }

    /// `%XX` escapes decoded (RFC 2231 parameter values); a malformed `%` kept.
    static func percentDecoded(_ v: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var i = v.startIndex
        while i < v.endIndex {
            if v[i] == 37, i + 2 < v.endIndex, let h = hexValue(v[i + 1]), let l = hexValue(v[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(v[i])
                i += 1
            }
        }
        return out
    }

    // MARK: - Transfer encodings

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }

    /// Quoted-printable (RFC 2045 §6.7): `=XX` decoded, soft line breaks (`=` at a line end, blanks allowed
    /// after it) removed; a malformed `=` is kept as written and counted in `bad`.
    static func decodeQuotedPrintable(_ b: ArraySlice<UInt8>) -> (bytes: [UInt8], bad: Int) {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var bad = 0
        var i = b.startIndex
        let n = b.endIndex
        while i < n {
            let c = b[i]
            guard c == 61 else { out.append(c); i += 1; continue }
            if i + 2 < n, let h = hexValue(b[i + 1]), let l = hexValue(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
                continue
            }
            // A soft line break: `=`, optional blanks, then the line end (or the end of the text).
            var k = i + 1
            while k < n, b[k] == 32 || b[k] == 9 { k += 1 }
            if k < n, b[k] == 13 { k += 1 }
            if k >= n { i = n; continue }
            if b[k] == 10 { i = k + 1; continue }
            bad += 1
            out.append(c)
            i += 1
        }
        return (out, bad)
    }

    static let base64Values: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        for (k, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = Int8(k) }
        return t
    }()

    /// Base64 (RFC 2045 §6.8): blanks and line ends ignored; other bytes outside the alphabet skipped and
    /// counted in `bad`; `=` ends a group (base64 parts glued together decode as such); a dangling single
    /// character at the end (6 bits: no byte) sets `truncated`.
    static func decodeBase64(_ b: ArraySlice<UInt8>) -> (bytes: [UInt8], bad: Int, truncated: Bool) {
        var out: [UInt8] = []
        out.reserveCapacity(b.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        var bad = 0
        for c in b {
            let v = base64Values[Int(c)]
            if v >= 0 {
                acc = (acc << 6 | UInt32(v)) & 0xFFFFFF
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
                }
            } else if c == 61 {
                bits = 0
                acc = 0
            } else if !Bytes.isBlank(c) {
                bad += 1
            }
        }
        return (out, bad, bits == 6)
    }

    // MARK: - Text after decoding

    /// Marks `begin NNN name` … `end` uuencoded blocks in `drop` (the line after `begin` must be uuencoded:
    /// bytes 0x20…0x60 only); a block without `end` runs to the end of the text.
    static func markUuencode(_ lines: [ArraySlice<UInt8>], _ drop: inout [Bool]) {
        var k = 0
        while k < lines.count {
            if isUuBegin(lines[k]), k + 1 < lines.count, lines[k + 1].count > 1, lines[k + 1].allSatisfy({ $0 >= 32 && $0 <= 96 }) {
                var j = k + 1
                while j < lines.count, !(lines[j].count == 3 && lines[j].elementsEqual("end".utf8)) { j += 1 }
                for x in k...min(j, lines.count - 1) { drop[x] = true }
                k = j + 1
                continue
            }
            k += 1
        }
    }

    static func isUuBegin(_ l: ArraySlice<UInt8>) -> Bool {
        guard l.starts(with: "begin ".utf8) else { return false }
        var i = l.startIndex + 6
        var digits = 0
        while i < l.endIndex, l[i] >= 48, l[i] <= 55 { i += 1; digits += 1 }
        return (3...4).contains(digits) && i + 1 < l.endIndex && l[i] == 32
    }

    /// Index of the signature separator line (`-- ` or `--`; the last one), or nil.
    static func signatureStart(_ lines: [ArraySlice<UInt8>]) -> Int? {
        lines.lastIndex { $0.elementsEqual("-- ".utf8) || $0.elementsEqual("--".utf8) }
    }

    static func isQuoteLine(_ l: ArraySlice<UInt8>) -> Bool {
        guard let f = l.first else { return false }
        if f == 124 { return true }  // |
        return l.first { $0 != 32 && $0 != 9 } == 62  // > after optional blanks
    }

    static func isBlankLine(_ l: ArraySlice<UInt8>) -> Bool { l.allSatisfy { $0 == 32 || $0 == 9 } }

    /// An attribution line: ends (ignoring blanks) with `writes:`, `wrote:`, `said:`, `says:` (any case,
    /// the colon optional for the first two), or starts with `In article` / `In <`.
    static func isAttribution(_ l: ArraySlice<UInt8>) -> Bool {
        let t = asciiLower(l).trimmingBlanks()
        if t.hasPrefix("in article") || (t.hasPrefix("in <") && t.contains(">")) { return true }
        for end in ["writes:", "wrote:", "said:", "says:", "writes", "wrote"] where t.hasSuffix(end) { return true }
        return false
    }

    /// The start of a wrapped attribution's first line (`In article <…>` / `On Tue, … John Smith` above a
    /// line ending in `writes:`).
    static func isAttributionStart(_ l: ArraySlice<UInt8>) -> Bool {
        let t = asciiLower(l).trimmingBlanks()
        return t.hasPrefix("in article") || t.hasPrefix("on ") || t.hasPrefix("in <")
    }

    /// Which lines are quotes or their attributions.
    static func quoteMask(_ lines: [ArraySlice<UInt8>]) -> [Bool] {
        var drop = lines.map(isQuoteLine)
        var k = 0
        while k < lines.count {
            guard drop[k], k == 0 || !drop[k - 1] else { k += 1; continue }
            // k starts a quote run: look above it (past at most one blank line) for the attribution.
            var a = k - 1
            if a >= 0, isBlankLine(lines[a]) { a -= 1 }
            if a >= 0, !drop[a], isAttribution(lines[a]) {
                drop[a] = true
                if a >= 1, !isAttributionStart(lines[a]), !isBlankLine(lines[a - 1]), !drop[a - 1], isAttributionStart(lines[a - 1]) {
                    drop[a - 1] = true
                }
            }
            k += 1
        }
        return drop
    }

    /// The analyzed text of one decoded text part (UTF-8, LF line ends): uuencoded blocks, then (unless
    /// kept) the signature and the quotes left out. Each run of left-out and blank lines becomes one blank
    /// line (a paragraph break), so the text on both sides never joins into one sentence.
    static func cleanText(_ text: [UInt8], keepQuotes: Bool, keepSignatures: Bool) -> [UInt8] {
        var lines = text.split(separator: 10, omittingEmptySubsequences: false)
        if !keepSignatures, let s = signatureStart(lines) { lines.removeSubrange(s...) }
        var drop = keepQuotes ? [Bool](repeating: false, count: lines.count) : quoteMask(lines)
        markUuencode(lines, &drop)
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var gap = false
        for (k, l) in lines.enumerated() {
            if drop[k] || isBlankLine(l) { gap = true; continue }
            if !out.isEmpty {
                out.append(10)
                if gap { out.append(10) }
            }
            gap = false
            out.append(contentsOf: l)
        }
        return trimmedBlanks(out)
    }
}

extension String {
    func trimmingBlanks() -> String { String(Substring(self).trimmingCharacters()) }
}

// MARK: - Messages

extension Email {
    /// A warning found while decoding a message, reported with `file:line` by `decode(_:options:diagnostics:)`.
    struct Warning: Equatable {
        var kind: DiagnosticKind
        var line: Int
        var message: String
    }

    /// One message read: what becomes a `Document`.
    struct Message {
        var title: String?
        /// The `Date` value (decoded, trimmed) and its line; nil when the message has none.
        var date: (text: String, line: Int)?
        var id: String?
        var body: [UInt8]
        var header: Header
    }

    /// Decodes messages: MIME walk, transfer encodings, charsets, RFC 2047 words. Collects warnings.
    struct Decoder {
        /// `--encoding` (the charset of 8-bit text that names none, when it is not UTF-8).
        var fallback: TextEncoding?
        var keepQuotes = false
        var keepSignatures = false
        var warnings: [Warning] = []
        /// Invalid UTF-8 sequences replaced by U+FFFD in text labelled UTF-8.
        var invalidUTF8 = 0

        init(options: ReaderOptions) {
            fallback = options.encoding
            keepQuotes = options.keepQuotes
            keepSignatures = options.keepSignatures
        }

        mutating func warn(_ kind: DiagnosticKind, _ line: Int, _ message: String) {
            if warnings.count < 100 { warnings.append(Warning(kind: kind, line: line, message: message)) }
        }

        // MARK: Charsets

        /// Bytes with no usable charset label: UTF-8 when valid, else `--encoding`, else Windows-1252.
        mutating func autoText(_ b: [UInt8]) -> [UInt8] {
            if b.withUnsafeBufferPointer({ UTF8Repair.firstInvalidOffset($0) }) == nil { return b }
            switch fallback {
            case .utf8?: return repairUTF8(b)
            case .latin1?: return b.withUnsafeBufferPointer { Bytes.transcodeToUTF8($0, windows1252: false) } ?? b
            default: return b.withUnsafeBufferPointer { Bytes.transcodeToUTF8($0, windows1252: true) } ?? b
            }
        }

        mutating func repairUTF8(_ b: [UInt8]) -> [UInt8] {
            guard let r = UTF8Repair.repair(b) else { return b }
            invalidUTF8 += r.invalidOffsets.count
            return r.bytes
        }

        /// `b` in `charset` as UTF-8 (see `Email`). An unknown charset is reported at `line` and read as
        /// unlabelled text.
        mutating func toUTF8(_ b: [UInt8], charset: String?, line: Int) -> [UInt8] {
            let name = (charset ?? "").trimmingBlanks().lowercased()
            switch name {
            case "", "us-ascii", "ascii", "unknown-8bit", "x-unknown", "unknown", "default", "x-user-defined", "8bit":
                return autoText(b)
            case "utf-8", "utf8":
                return repairUTF8(b)
            case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252", "x-cp1252":
                return b.withUnsafeBufferPointer { Bytes.transcodeToUTF8($0, windows1252: true) } ?? b
            default:
                if b.isEmpty { return b }
                if let out = CharsetConverter.toUTF8(b, charset: name) { return out }
                warn(.note, line, "unknown charset \"\(charset ?? "")\": read as UTF-8 where valid, else \(fallback == .latin1 ? "ISO-8859-1" : "Windows-1252")")
                return autoText(b)
            }
        }

        // MARK: RFC 2047

        /// A header value as text: RFC 2047 encoded words (`=?charset?Q|B?text?=`) decoded (blanks between
        /// two encoded words dropped; adjacent words in one charset decoded together), other bytes read as
        /// unlabelled text; control characters other than TAB become spaces.
        mutating func headerText(_ v: [UInt8], line: Int) -> String {
            var out: [UInt8] = []
            var pending: [UInt8] = []
            var pendingCharset = ""
            var plainStart = 0
            var lastWasWord = false
            var i = 0
            func flush(_ d: inout Decoder) {
                if !pending.isEmpty { out += d.toUTF8(pending, charset: pendingCharset, line: line) }
                pending = []
            }
            while i + 1 < v.count {
                guard v[i] == 61, v[i + 1] == 63, let w = Email.encodedWord(v, at: i) else { i += 1; continue }
                let between = Array(v[plainStart..<i])
                if !(lastWasWord && between.allSatisfy({ $0 == 32 || $0 == 9 })) {
                    flush(&self)
                    out += autoText(between)
                }
                if w.charset != pendingCharset { flush(&self) }
                pendingCharset = w.charset
                pending += w.bytes
                lastWasWord = true
                i = w.end
                plainStart = i
            }
            flush(&self)
            if plainStart < v.count { out += autoText(Array(v[plainStart...])) }
            for k in out.indices where out[k] < 32 && out[k] != 9 || out[k] == 127 { out[k] = 32 }
            return String(decoding: out, as: UTF8.self).trimmingBlanks()
        }

        // MARK: Bodies

        /// The analyzed text of a message `m[r]` whose first line is `line`.
        mutating func message(_ m: [UInt8], _ r: Range<Int>, line: Int) -> Message {
            let h = Email.parseHeader(m, r.lowerBound, r.upperBound, line: line)
            var parts: [[UInt8]] = []
            var sawHTML = false
            collect(m, h, r.upperBound, line: line, depth: 0, defaultType: .textPlain, html: false, into: &parts, sawHTML: &sawHTML)
            if parts.isEmpty && sawHTML {
                collect(m, h, r.upperBound, line: line, depth: 0, defaultType: .textPlain, html: true, into: &parts, sawHTML: &sawHTML)
            }
            if parts.isEmpty, r.upperBound > h.bodyStart, m[h.bodyStart..<r.upperBound].contains(where: { !Bytes.isBlank($0) }) {
                let ct = Email.contentType(h.first("content-type")?.raw, default: .textPlain)
                warn(.note, line, "no text/plain part (Content-Type \(ct.type)/\(ct.subtype)): the body is empty")
            }
            var body: [UInt8] = []
            for p in parts where !p.isEmpty {
                if !body.isEmpty { body += [10, 10] }
                body += p
            }
            var msg = Message(title: nil, date: nil, id: nil, body: body, header: h)
            if let s = h.first("subject") { msg.title = headerText(s.raw, line: s.line) }
            if let d = h.first("date") { msg.date = (headerText(d.raw, line: d.line), d.line) }
            if let id = h.first("message-id") {
                let t = headerText(id.raw, line: id.line)
                if !t.isEmpty { msg.id = t }
            }
            return msg
        }

        /// Line number of `m[p]` given that `m[from]` is on line `line`.
        func lineAt(_ m: [UInt8], _ from: Int, _ p: Int, line: Int) -> Int {
            var n = line
            var k = from
            while k < p && k < m.count { if m[k] == 10 { n += 1 }; k += 1 }
            return n
        }

        /// Appends the text parts of the entity whose header is `h` and whose body is `m[h.bodyStart..<end]`
        /// (its header starts on line `line`). `html`: read text/html (tags stripped) too.
        mutating func collect(
            _ m: [UInt8], _ h: Header, _ end: Int, line: Int, depth: Int, defaultType: ContentType, html: Bool,
            into out: inout [[UInt8]], sawHTML: inout Bool
        ) {
            guard depth <= 32 else {
                warn(.skipped, line, "MIME parts nested more than 32 deep: the inner parts skipped")
                return
            }
            var ct = Email.contentType(h.first("content-type")?.raw, default: defaultType)
            if depth > 0, let d = h.first("content-disposition"), Email.asciiLower(ArraySlice(d.raw)).trimmingBlanks().hasPrefix("attachment"),
                !ct.isMultipart
            {
                return
            }
            let bodyStart = min(h.bodyStart, end)
            if ct.isMultipart {
                let boundary = Array((ct.params["boundary"] ?? "").utf8)
                let split = boundary.isEmpty ? nil : Email.splitMultipart(m, bodyStart..<end, boundary: boundary)
                if let split, split.found {
                    if !split.closed {
                        warn(.note, line, "multipart body without its closing boundary --\(ct.params["boundary"] ?? "")--: the parts found are kept")
                    }
                    let childDefault: ContentType = ct.subtype == "digest" ? .messageRFC822 : .textPlain
                    // Line numbers counted on from part to part (linear in the body, however many parts).
                    var counted = (at: bodyStart, line: h.bodyLine)
                    let children = split.parts.map { p -> (Header, Int, Int) in
                        counted = (p.lowerBound, lineAt(m, counted.at, p.lowerBound, line: counted.line))
                        return (Email.parseHeader(m, p.lowerBound, p.upperBound, line: counted.line), p.upperBound, counted.line)
                    }
                    if ct.subtype == "alternative" {
                        // The first alternative that gives text/plain; else (html) the last one giving text.
                        for (ch, ce, cl) in children {
                            var t: [[UInt8]] = []
                            collect(m, ch, ce, line: cl, depth: depth + 1, defaultType: childDefault, html: false, into: &t, sawHTML: &sawHTML)
                            if !t.isEmpty { out += t; return }
                        }
                        if html {
                            for (ch, ce, cl) in children.reversed() {
                                var t: [[UInt8]] = []
                                collect(m, ch, ce, line: cl, depth: depth + 1, defaultType: childDefault, html: true, into: &t, sawHTML: &sawHTML)
                                if !t.isEmpty { out += t; return }
                            }
                        }
                        return
                    }
                    for (ch, ce, cl) in children {
                        collect(m, ch, ce, line: cl, depth: depth + 1, defaultType: childDefault, html: html, into: &out, sawHTML: &sawHTML)
                    }
                    return
                }
                let why = boundary.isEmpty ? "without a boundary parameter" : "whose boundary \"\(ct.params["boundary"] ?? "")\" never occurs"
                warn(.note, line, "multipart/\(ct.subtype) \(why): the body read as text/plain")
                ct = ContentType(type: "text", subtype: "plain", params: ct.params)
            }
            if ct.type == "message" && (ct.subtype == "rfc822" || ct.subtype == "news" || ct.subtype == "global") {
                let decoded = transferDecoded(m, bodyStart..<end, h, line: line)
                let inner = decoded.map { ($0, 0..<$0.count, h.bodyLine) } ?? (m, bodyStart..<end, h.bodyLine)
                let ih = Email.parseHeader(inner.0, inner.1.lowerBound, inner.1.upperBound, line: inner.2)
                collect(inner.0, ih, inner.1.upperBound, line: inner.2, depth: depth + 1, defaultType: .textPlain, html: html, into: &out, sawHTML: &sawHTML)
                return
            }
            guard ct.type == "text" else { return }
            if ct.subtype == "html" {
                sawHTML = true
                guard html else { return }
            } else if ct.subtype != "plain" {
                return
            }
            var bytes = transferDecoded(m, bodyStart..<end, h, line: line) ?? Array(m[bodyStart..<end])
            bytes = toUTF8(bytes, charset: ct.charset, line: line)
            bytes.removeAll { $0 == 13 || $0 == 0 }
            if ct.subtype == "html", !bytes.isEmpty {
                bytes = bytes.withUnsafeBufferPointer { p in SGML.text(p.baseAddress!, 0, p.count, stripTags: true, skip: nil) }
            }
            out.append(Email.cleanText(bytes, keepQuotes: keepQuotes, keepSignatures: keepSignatures))
        }

        /// The body `m[r]` with its Content-Transfer-Encoding undone; nil for 7bit/8bit/binary (use as is).
        mutating func transferDecoded(_ m: [UInt8], _ r: Range<Int>, _ h: Header, line: Int) -> [UInt8]? {
            guard let cte = h.first("content-transfer-encoding") else { return nil }
            let name = Email.asciiLower(ArraySlice(cte.raw)).trimmingBlanks()
            switch name {
            case "quoted-printable":
                let d = Email.decodeQuotedPrintable(m[r])
                if d.bad > 0 { warn(.note, line, "\(d.bad) malformed quoted-printable escape\(d.bad == 1 ? "" : "s") kept as written") }
                return d.bytes
            case "base64":
                let d = Email.decodeBase64(m[r])
                if d.bad > 0 { warn(.skipped, line, "\(d.bad) byte\(d.bad == 1 ? "" : "s") outside the base64 alphabet skipped") }
                if d.truncated { warn(.note, line, "base64 body ends in the middle of a byte: the last character ignored") }
                return d.bytes
            case "", "7bit", "8bit", "binary":
                return nil
            default:
                warn(.note, line, "unknown Content-Transfer-Encoding \"\(name)\": body read as is")
                return nil
            }
        }
    }

    /// An RFC 2047 encoded word at `v[i]` (`=?charset[*lang]?Q|B?text?=`, no blanks inside): its charset
    /// (lowercased), decoded bytes and the index after it; nil when there is none.
    static func encodedWord(_ v: [UInt8], at i: Int) -> (charset: String, bytes: [UInt8], end: Int)? {
        var k = i + 2
        let cs = k
        while k < v.count, v[k] != 63, v[k] > 32, k - cs < 64 { k += 1 }
        guard k < v.count, v[k] == 63, k > cs, k + 2 < v.count, v[k + 2] == 63 else { return nil }
        var charset = asciiLower(v[cs..<k])
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }
        let enc = v[k + 1] | 0x20
        guard enc == 113 || enc == 98 else { return nil }  // q b
        let ts = k + 3
        var te = ts
        while te + 1 < v.count, !(v[te] == 63 && v[te + 1] == 61), v[te] > 32 { te += 1 }
        guard te + 1 < v.count, v[te] == 63, v[te + 1] == 61 else { return nil }
        let text = v[ts..<te]
        let bytes: [UInt8]
        if enc == 98 {
            bytes = decodeBase64(text).bytes
        } else {
            bytes = decodeQuotedPrintable(ArraySlice(text.map { $0 == 95 ? 32 : $0 })).bytes
        }
        return (charset, bytes, te + 2)
    }

    /// The parts of a multipart body `m[r]` with delimiter `--boundary`: each part's range (its line end
    /// before the next delimiter excluded); `found` when a delimiter occurs, `closed` when `--boundary--` does.
    static func splitMultipart(_ m: [UInt8], _ r: Range<Int>, boundary: [UInt8]) -> (parts: [Range<Int>], found: Bool, closed: Bool) {
        var parts: [Range<Int>] = []
        var partStart: Int? = nil
        var i = r.lowerBound
        while i < r.upperBound {
            let e = lineEnd(m, i, r.upperBound)
            if e - i >= boundary.count + 2, m[i] == 45, m[i + 1] == 45, m[(i + 2)..<(i + 2 + boundary.count)].elementsEqual(boundary) {
                var k = i + 2 + boundary.count
                var close = false
                if k + 1 < e, m[k] == 45, m[k + 1] == 45 { close = true; k += 2 }
                while k < e, m[k] == 32 || m[k] == 9 || m[k] == 13 { k += 1 }
                if k == e {
                    if let s = partStart {
                        var pe = i
                        if pe > s, m[pe - 1] == 10 { pe -= 1 }
                        if pe > s, m[pe - 1] == 13 { pe -= 1 }
                        parts.append(s..<pe)
                    }
                    if close { return (parts, true, true) }
                    partStart = min(e + 1, r.upperBound)
                }
            }
            i = e + 1
        }
        if let s = partStart { parts.append(s..<r.upperBound) }
        return (parts, partStart != nil, false)
    }

    // MARK: - Chunks

    /// The messages of a chunk: an mbox chunk (it starts with a `From ` separator) splits at every separator,
    /// anything else is one message.
    static func messageRanges(_ b: [UInt8]) -> [Range<Int>] {
        guard isMboxSeparator(b, 0, b.count) else { return b.isEmpty ? [] : [0..<b.count] }
        var starts = [0]
        var i = lineEnd(b, 0, b.count) + 1
        while i < b.count {
            if b[i] == 70, isMboxSeparator(b, i, b.count) { starts.append(i) }
            i = lineEnd(b, i, b.count) + 1
        }
        return starts.indices.map { k in starts[k]..<(k + 1 < starts.count ? starts[k + 1] : b.count) }
    }

    /// The last (or first) mbox separator at an offset ≥ 1 among the lines from `from` on (a line is decided
    /// once it and the line after it are complete), and where the next scan starts (the first undecided line).
    static func separator(_ b: [UInt8], from: Int, last: Bool) -> (separator: Int?, scannedTo: Int) {
        var found: Int? = nil
        var i = max(from, 1)
        while i < b.count, b[i - 1] != 10 { i += 1 }
        while i < b.count {
            let e = lineEnd(b, i, b.count)
            if e >= b.count || lineEnd(b, e + 1, b.count) >= b.count { break }
            if b[i] == 70, isMboxSeparator(b, i, b.count) {
                found = i
                if !last { return (found, i) }
            }
            i = e + 1
        }
        return (found, i)
    }

    /// The mbox message `m[r]` (starting with its `From ` line) without that line, `>From ` lines
    /// unescaped (one `>` removed from `>…>From `, mboxrd). Returns the bytes and their first line offset (1).
    static func unescapedMboxMessage(_ m: [UInt8], _ r: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(r.count)
        let first = lineEnd(m, r.lowerBound, r.upperBound)
        var i = min(first + 1, r.upperBound)
        while i < r.upperBound {
            let e = lineEnd(m, i, r.upperBound)
            var k = i
            while k < e, m[k] == 62 { k += 1 }
            let start = (k > i && k + 5 <= e && m[k..<(k + 5)].elementsEqual("From ".utf8)) ? i + 1 : i
            out.append(contentsOf: m[start..<min(e + 1, r.upperBound)])
            i = e + 1
        }
        return out
    }

    /// Documents of an `email` chunk: one per message (the message's first line is its `source` line).
    static func decode(_ chunk: RecordChunk, options: ReaderOptions, diagnostics: Diagnostics) throws -> [Document] {
        var ctx = ChunkDecoder.Context(chunk: chunk, options: options, diagnostics: diagnostics)
        let b = chunk.bytes
        var line = chunk.firstLine
        var pos = 0
        let mbox = isMboxSeparator(b, 0, b.count)
        for r in messageRanges(b) {
            for k in pos..<r.lowerBound where b[k] == 10 { line += 1 }
            pos = r.lowerBound
            var dec = Decoder(options: options)
            let msg: Message
            if mbox {
                let m = unescapedMboxMessage(b, r)
                msg = dec.message(m, 0..<m.count, line: line + 1)
            } else {
                msg = dec.message(b, r, line: line)
            }
            let kept = fields(msg.header, options.fields, &dec)
            for w in dec.warnings { try diagnostics.warn(w.kind, at: ctx.location(w.line), w.message) }
            if dec.invalidUTF8 > 0 { diagnostics.addInvalidUTF8(dec.invalidUTF8) }
            var date: Int64? = nil
            if let d = msg.date, !d.text.isEmpty {
                var text = d.text
                date = try text.withUTF8 { try ctx.parseDate($0, line: d.line) }
            }
            ctx.add(
                id: msg.id, line: line, date: date, title: msg.title.flatMap { $0.isEmpty ? nil : $0 }, body: msg.body,
                hasOwnDate: true, fields: kept)
        }
        return ctx.docs
    }

    /// The `--field` values of a message (see `Email`).
    static func fields(_ h: Header, _ names: [String], _ dec: inout Decoder) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for name in names {
            let lower = name.lowercased()
            var values: [String] = []
            for f in h.fields where f.name == lower {
                let text = dec.headerText(f.raw, line: f.line)
                if listHeaders.contains(lower) {
                    values += text.split(separator: ",").map { String($0).trimmingBlanks() }.filter { !$0.isEmpty }
                } else if !text.isEmpty {
                    values.append(text)
                }
            }
            if !values.isEmpty { out[name] = values }
        }
        return out
    }
}
