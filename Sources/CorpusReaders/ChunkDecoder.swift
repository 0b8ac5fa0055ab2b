import CorpusCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a `RecordChunk` into documents: transcoding, UTF-8 repair, per-format parsing, dates.
/// Pure apart from `diagnostics`; safe to call from many threads at once.
enum ChunkDecoder {
    static func decode(_ chunk: RecordChunk, options: ReaderOptions, diagnostics: Diagnostics) throws -> [Document] {
        // E-mail: each MIME part has its own charset, so the raw bytes go to the e-mail decoder untranscoded.
        if chunk.format == .email { return try Email.decode(chunk, options: options, diagnostics: diagnostics) }
        var bytes = chunk.bytes
        if chunk.encoding != .utf8 {
            if let t = bytes.withUnsafeBufferPointer({ Bytes.transcodeToUTF8($0, windows1252: chunk.encoding == .windows1252) }) {
                bytes = t
            }
        } else if chunk.hasInvalidUTF8, let r = UTF8Repair.repair(bytes) {
            bytes = r.bytes
            diagnostics.addInvalidUTF8(r.invalidOffsets.count)
        }
        var ctx = Context(chunk: chunk, options: options, diagnostics: diagnostics)
        var whole: Bool = false  // a text document is the whole chunk: its body shares the chunk's bytes
        try bytes.withUnsafeBufferPointer { b in
            guard b.count > 0 else { return }
            // A record holding a NUL byte is a bad record (skipped with a warning); a mostly binary file never
            // gets here (`CorpusReader.binaryVerdict`).
            ctx.hasNUL = Bytes.find(0, b.baseAddress!, 0, b.count) < b.count
            switch chunk.format {
            case .jsonl: try decodeJSONL(b, &ctx)
            case .csv: try decodeCSV(b, &ctx, delimiter: 44)
            case .tsv: try decodeCSV(b, &ctx, delimiter: 9)
            case .reuters: try decodeReuters(b, &ctx)
            case .article: try decodeArticle(b, &ctx)
            case .text, .auto, .email:
                if try ctx.rejectNUL(b, 0, b.count, line: chunk.firstLine, what: "document") { return }
                whole = true
            }
        }
        if whole {
            // No copy: a document as large as its file is held once, not twice.
            ctx.add(id: nil, line: chunk.firstLine, date: nil, title: nil, body: bytes)
        }
        return ctx.docs
    }

    struct Context {
        let chunk: RecordChunk
        let options: ReaderOptions
        let diagnostics: Diagnostics
        var docs: [Document] = []
        /// The chunk holds a NUL byte somewhere (records are then checked one by one).
        var hasNUL = false

        /// `file:` as UTF-8, the prefix of every `source`.
        let sourcePrefix: [UInt8]

        init(chunk: RecordChunk, options: ReaderOptions, diagnostics: Diagnostics) {
            self.chunk = chunk
            self.options = options
            self.diagnostics = diagnostics
            self.sourcePrefix = Array(chunk.file.utf8) + [58]
        }

        /// `file:line`, built without string interpolation (one allocation).
        func location(_ line: Int) -> String {
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch for the decimal digits
            return withUnsafeMutableBytes(of: &digits) { scratch -> String in
                var v = line < 0 ? 0 : line
                var n = 0
                repeat {
                    scratch[23 - n] = UInt8(48 + v % 10)
                    v /= 10
                    n += 1
                } while v > 0 && n < 24
                let total = sourcePrefix.count + n
                return sourcePrefix.withUnsafeBufferPointer { pre in
                    String(unsafeUninitializedCapacity: total) { out in
                        _ = out.initialize(fromContentsOf: pre)
                        for k in 0..<n { out[pre.count + k] = scratch[24 - n + k] }
                        return total
                    }
                }
            }
        }

        /// True (after a warning naming the line of the NUL) when `b[from..<to]`, a record starting at `line`,
        /// holds a NUL byte: the record is skipped.
        func rejectNUL(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, line: Int, what: String = "record") throws -> Bool {
            guard hasNUL else { return false }
            let k = Bytes.find(0, b.baseAddress!, from, to)
            guard k < to else { return false }
            let at = line + Bytes.count(10, in: b, from..<k)
            try diagnostics.warn(.skipped, at: location(at), "NUL byte in the \(what) (byte offset \(chunk.byteOffset + Int64(k))); \(what) skipped")
            return true
        }

        /// True (after a warning) when a record of `length` bytes starting at `line` is longer than
        /// `--max-record-mb`: the record is skipped (the reader skips longer ones without buffering them).
        func rejectLong(_ length: Int, line: Int) throws -> Bool {
            guard length > options.recordLimit else { return false }
            try diagnostics.warn(
                .skipped, at: location(line),
                "record longer than \(options.recordLimitText) (--max-record-mb): \(length) bytes skipped; reading goes on after it")
            return true
        }

        /// Adds a document; `date` nil means "no date of its own" (the file-name date applies).
        mutating func add(id: String?, line: Int, date: Int64?, title: String?, body: [UInt8], hasOwnDate: Bool = false,
                          fields: [String: [String]] = [:]) {
            let src = location(line)
            let d = date ?? (hasOwnDate ? nil : chunk.fileNameDate)
            docs.append(
                Document(id: id ?? src, source: src, date: d, title: title, body: body, ordinal: chunk.sequence << 24 | docs.count,
                         fields: fields))
        }

        /// Parses a date string; reports a bad one — unparseable, a day that does not exist, or outside the
        /// years 1000–9999 — and the document stays undated.
        func parseDate(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws -> Int64? {
            let outcome = DateParser.check(bytes: bytes)
            if let v = outcome.seconds { return v }
            var text = String(decoding: bytes, as: UTF8.self)
            if text.count > 80 { text = String(text.prefix(80)) + "…" }
            try diagnostics.warn(.badDate, at: location(line), outcome.problem(text) ?? "bad date")
            return nil
        }
    }

    // MARK: - JSONL

    /// A JSON number as a date: Unix seconds, or milliseconds when its magnitude exceeds 1e11
    /// (1e11 s is the year 5138; 1e11 ms is 1973-03-03). Like any date it must fall in the years
    /// 1000–9999 (UTC), else `.outOfRange`.
    static func epochDate(_ text: String) -> DateParser.Outcome {
        guard let v = Double(text), v.isFinite else { return .unparseable }
        let secs = abs(v) > 1e11 ? v / 1000 : v
        guard abs(secs) < 1e15 else { return .outOfRange }
        let s = Int64(secs.rounded(.down))
        return CivilDate.isSupported(seconds: s) ? .date(s) : .outOfRange
    }

    static func decodeJSONL(_ b: UnsafeBufferPointer<UInt8>, _ ctx: inout Context) throws {
        let o = ctx.options
        let tree = JSONFieldExtractor(text: o.textFields, title: o.titleFields, date: o.dateFields, id: o.idFields, extra: o.fields)
        let p = b.baseAddress!
        let n = b.count
        var i = 0
        var line = ctx.chunk.firstLine
        var caps = [JSONFieldExtractor.Capture](repeating: .init(), count: tree.roles)
        while i < n {
            let nl = Bytes.find(10, p, i, n)
            defer { i = nl + 1; line += 1 }
            var s = i
            while s < nl, Bytes.isBlank(p[s]) { s += 1 }
            if s == nl { continue }
            if try ctx.rejectLong(nl - i, line: line) { continue }
            if try ctx.rejectNUL(b, i, nl, line: line) { continue }
            for k in 0..<caps.count { caps[k] = .init() }
            do {
                try tree.parse(p, i, nl, captures: &caps)
            } catch {
                try ctx.diagnostics.warn(
                    .skipped, at: ctx.location(line), "malformed JSON: \(error.message) at column \(error.position - i + 1); record skipped")
                continue
            }
            let tc = caps[JSONFieldExtractor.roleText]
            if tc.priority == Int.max || tc.kind == .null {
                try ctx.diagnostics.warn(
                    .skipped, at: ctx.location(line), "no text field (looked for \(o.textFields.joined(separator: ", "))); record skipped")
                continue
            }
            var body: [UInt8] = []
            switch tc.kind {
            case .string:
                if !JSONFieldExtractor.appendString(p, tc.start, tc.end, to: &body) {
                    try ctx.diagnostics.warn(.skipped, at: ctx.location(line), "malformed JSON: invalid escape in the text field; record skipped")
                    continue
                }
            case .number, .bool: body.append(contentsOf: UnsafeBufferPointer(rebasing: b[tc.start..<tc.end]))
            case .array:
                var parser = JSONFieldExtractor.Parser(p: p, i: tc.start + 1, end: tc.end, tree: tree.tree)
                parser.skipWS()
                var first = true
                while parser.i < tc.end - 1 {
                    let es = parser.i
                    try? parser.skipValue(depth: 1)
                    let ee = parser.i
                    if p[es] != 110 {  // null elements are ignored
                        if !first { body.append(10); body.append(10) }
                        first = false
                        if p[es] == 34 { JSONFieldExtractor.appendString(p, es, ee, to: &body) }
                        else { body.append(contentsOf: UnsafeBufferPointer(rebasing: b[es..<ee])) }
                    }
                    parser.skipWS()
                    if parser.i < tc.end && p[parser.i] == 44 { parser.i += 1 }
                    parser.skipWS()
                }
            case .object, .null:
                let name = o.textFields[min(tc.priority / 2, o.textFields.count - 1)]
                try ctx.diagnostics.warn(.skipped, at: ctx.location(line), "field \(name) is an object, not text; record skipped")
                continue
            }
            let title = scalarString(caps[JSONFieldExtractor.roleTitle], p)
            let id = scalarString(caps[JSONFieldExtractor.roleID], p)
            var date: Int64? = nil
            var hasOwnDate = false
            let dc = caps[JSONFieldExtractor.roleDate]
            if dc.priority != Int.max && dc.kind != .null {
                hasOwnDate = true
                switch dc.kind {
                case .string:
                    if Bytes.find(92, p, dc.start, dc.end) == dc.end {
                        let raw = Bytes.trimmed(b, (dc.start + 1)..<(dc.end - 1))
                        if raw.isEmpty { hasOwnDate = false }
                        else { date = try ctx.parseDate(UnsafeBufferPointer(rebasing: b[raw]), line: line) }
                    } else {
                        let raw = JSONFieldExtractor.decodeString(p, dc.start, dc.end)
                        if raw.allSatisfy(Bytes.isBlank) {
                            hasOwnDate = false
                        } else {
                            date = try raw.withUnsafeBufferPointer { try ctx.parseDate($0, line: line) }
                        }
                    }
                case .number:
                    let text = String(decoding: UnsafeBufferPointer(rebasing: b[dc.start..<dc.end]), as: UTF8.self)
                    let outcome = epochDate(text)
                    date = outcome.seconds
                    if let problem = outcome.problem(text) { try ctx.diagnostics.warn(.badDate, at: ctx.location(line), problem) }
                default:
                    date = try ctx.parseDate(UnsafeBufferPointer(rebasing: b[dc.start..<min(dc.end, dc.start + 80)]), line: line)
                }
            }
            var fields: [String: [String]] = [:]
            for (k, name) in o.fields.enumerated() {
                let values = fieldValues(caps[JSONFieldExtractor.roleCount + k], p, tree)
                if !values.isEmpty { fields[name] = values }
            }
            ctx.add(id: id, line: line, date: date, title: title, body: body, hasOwnDate: hasOwnDate, fields: fields)
        }
    }

    /// A `--field` value: a scalar gives itself, an array one value per non-null scalar element (nested
    /// arrays and objects as their JSON text), an object its JSON text; null, absent and empty give none.
    static func fieldValues(_ c: JSONFieldExtractor.Capture, _ p: UnsafePointer<UInt8>, _ extractor: JSONFieldExtractor) -> [String] {
        guard c.priority != Int.max else { return [] }
        switch c.kind {
        case .null: return []
        case .object: return [String(decoding: UnsafeBufferPointer(start: p + c.start, count: c.end - c.start), as: UTF8.self)]
        case .array:
            var out: [String] = []
            var parser = JSONFieldExtractor.Parser(p: p, i: c.start + 1, end: c.end, tree: extractor.tree)
            parser.skipWS()
            while parser.i < c.end - 1 {
                let es = parser.i
                if (try? parser.skipValue(depth: 1)) == nil { break }
                let ee = parser.i
                let element: String
                switch p[es] {
                case 110: element = ""  // null
                case 34: element = String(decoding: JSONFieldExtractor.decodeString(p, es, ee), as: UTF8.self)
                default: element = String(decoding: UnsafeBufferPointer(start: p + es, count: ee - es), as: UTF8.self)
                }
                if !element.isEmpty { out.append(element) }
                parser.skipWS()
                if parser.i < c.end && p[parser.i] == 44 { parser.i += 1 }
                parser.skipWS()
            }
            return out
        default:
            let v = scalarString(c, p) ?? ""
            return v.isEmpty ? [] : [v]
        }
    }

    /// A captured string/number/bool as a String; nil for null, objects, arrays and absent fields.
    static func scalarString(_ c: JSONFieldExtractor.Capture, _ p: UnsafePointer<UInt8>) -> String? {
        guard c.priority != Int.max else { return nil }
        switch c.kind {
        case .string:
            if Bytes.find(92, p, c.start, c.end) == c.end {
                return String(decoding: UnsafeBufferPointer(start: p + c.start + 1, count: c.end - c.start - 2), as: UTF8.self)
            }
            return String(decoding: JSONFieldExtractor.decodeString(p, c.start, c.end), as: UTF8.self)
        case .number, .bool: return String(decoding: UnsafeBufferPointer(start: p + c.start, count: c.end - c.start), as: UTF8.self)
        default: return nil
        }
    }

    // MARK: - CSV / TSV

    static func decodeCSV(_ b: UnsafeBufferPointer<UInt8>, _ ctx: inout Context, delimiter: UInt8) throws {
        let o = ctx.options
        let names = CSV.headerNames(ctx.chunk.header ?? [], delimiter: delimiter, encoding: ctx.chunk.encoding)
        guard let textCol = CSV.columnIndex(names, o.textFields) else {
            try ctx.diagnostics.warn(
                .skipped, at: ctx.location(ctx.chunk.firstLine),
                "no text column (looked for \(o.textFields.joined(separator: ", "))); records skipped")
            return
        }
        let titleCol = CSV.columnIndex(names, o.titleFields)
        let dateCol = CSV.columnIndex(names, o.dateFields)
        let idCol = CSV.columnIndex(names, o.idFields)
        let fieldCols = o.fields.map { CSV.columnIndex(names, [$0]) }
        let p = b.baseAddress!
        let n = b.count
        var i = 0
        var line = ctx.chunk.firstLine
        var fields: [CSV.Field] = []
        while i < n {
            let (next, unterminated) = CSV.parseRecord(b, i, n, delimiter: delimiter, into: &fields)
            let recordLine = line
            line += Bytes.count(10, p + i, next - i)
            defer { i = next }
            if unterminated {
                try ctx.diagnostics.warn(.skipped, at: ctx.location(recordLine), "unterminated quoted field; rest of input skipped")
                return
            }
            if fields.count == 1 && fields[0].end == fields[0].start { continue }  // empty line
            if try ctx.rejectLong(next - i, line: recordLine) { continue }
            if try ctx.rejectNUL(b, i, next, line: recordLine) { continue }
            if fields.count != names.count {
                try ctx.diagnostics.warn(
                    .skipped, at: ctx.location(recordLine),
                    "expected \(names.count) fields, found \(fields.count); record skipped")
                continue
            }
            let body = CSV.value(b, fields[textCol])
            let title = titleCol.map { CSV.string(b, fields[$0]) }
            let id = idCol.map { CSV.string(b, fields[$0]) }.flatMap { $0.isEmpty ? nil : $0 }
            var date: Int64? = nil
            var hasOwnDate = false
            if let dateCol {
                let raw = CSV.value(b, fields[dateCol])
                if !raw.allSatisfy(Bytes.isBlank) {
                    hasOwnDate = true
                    date = try raw.withUnsafeBufferPointer { try ctx.parseDate($0, line: recordLine) }
                }
            }
            var values: [String: [String]] = [:]
            for (k, col) in fieldCols.enumerated() {
                if let col { let v = CSV.string(b, fields[col]); if !v.isEmpty { values[o.fields[k]] = [v] } }
            }
            ctx.add(id: id, line: recordLine, date: date, title: title, body: body, hasOwnDate: hasOwnDate, fields: values)
        }
    }

    // MARK: - Reuters SGML

    /// `--field` values of one `<REUTERS>` element `p[from..<to]`: the element named like the field (ASCII
    /// case ignored); when it holds `<D>` items (TOPICS, PLACES, PEOPLE, ORGS, EXCHANGES, COMPANIES), one
    /// value per item, else its text.
    static func reutersFields(_ names: [String], _ p: UnsafePointer<UInt8>, tagEnd: Int, _ to: Int) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for name in names {
            let upper = name.uppercased()
            var values: [String] = []
            if let (s, e) = SGML.element(upper, p, tagEnd, to) {
                var k = s
                var sawItem = false
                while let (ds, de) = SGML.element("D", p, k, e) {
                    sawItem = true
                    let v = SGML.trimmed(SGML.text(p, ds, de, stripTags: true, skip: nil))
                    if !v.isEmpty { values.append(String(decoding: v, as: UTF8.self)) }
                    k = de
                }
                if !sawItem {
                    let v = SGML.trimmed(SGML.text(p, s, e, stripTags: true, skip: nil))
                    if !v.isEmpty { values.append(String(decoding: v, as: UTF8.self)) }
                }
            }
            if !values.isEmpty { out[name] = values }
        }
        return out
    }

    static func decodeReuters(_ b: UnsafeBufferPointer<UInt8>, _ ctx: inout Context) throws {
        let p = b.baseAddress!
        let n = b.count
        var i = 0
        var line = ctx.chunk.firstLine
        var counted = 0  // newlines counted up to here
        while let start = SGML.find("<REUTERS", p, i, n) {
            guard start + 8 < n, p[start + 8] == 32 || p[start + 8] == 62 || p[start + 8] == 10 else { i = start + 8; continue }
            line += Bytes.count(10, p + counted, start - counted)
            counted = start
            let tagEnd = Bytes.find(62, p, start, n)
            guard tagEnd < n else {
                try ctx.diagnostics.warn(.skipped, at: ctx.location(line), "unterminated <REUTERS> start tag; record skipped")
                return
            }
            // The element ends at its </REUTERS>; when that is missing, at the next <REUTERS start (or the end
            // of the input), with a warning, so that a missing end tag never merges two documents.
            var close: Int
            let endTag = SGML.find("</REUTERS>", p, tagEnd, n)
            var nextStart = tagEnd
            while let k = SGML.find("<REUTERS", p, nextStart, n), k + 8 < n, p[k + 8] != 32 && p[k + 8] != 62 && p[k + 8] != 10 { nextStart = k + 8 }
            let next = SGML.find("<REUTERS", p, nextStart, n)
            if let endTag, next.map({ endTag < $0 }) ?? true {
                close = endTag
                i = close + 10
            } else {
                close = next ?? n
                i = close
                let nextLine = next.map { line + Bytes.count(10, p + start, $0 - start) }
                try ctx.diagnostics.warn(
                    .note, at: ctx.location(line),
                    "<REUTERS> element without </REUTERS>: ended \(nextLine.map { "at the next <REUTERS> (line \($0))" } ?? "at the end of the file") (document kept)")
            }
            if try ctx.rejectLong(close - start, line: line) { continue }
            if try ctx.rejectNUL(b, start, close, line: line) { continue }
            let newid = SGML.attribute("NEWID", p, start, tagEnd)
            var date: Int64? = nil
            var hasOwnDate = false
            if let (ds, de0) = SGML.element("DATE", p, tagEnd, close) {
                // Some <DATE>s carry wire codes after the time, behind control characters
                // (`27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM`) or a `# comment`: the date ends there.
                var de = ds
                while de < de0, p[de] != 38, p[de] != 35, p[de] >= 32 || p[de] == 9 { de += 1 }
                let raw = SGML.trimmed(SGML.text(p, ds, de, stripTags: true, skip: nil))
                if !raw.isEmpty {
                    hasOwnDate = true
                    date = DateParser.parse(utf8: raw)
                    if date == nil, let sp = raw.firstIndex(of: 32), let day = DateParser.parse(utf8: raw[..<sp]) {
                        // A garbled time (`31-MAR-1987 605:12:19.12`): keep the day, say so (not fatal).
                        date = day
                        try ctx.diagnostics.warn(
                            .note, at: ctx.location(line),
                            "unparseable time in date \"\(String(decoding: raw, as: UTF8.self))\"; kept the day, 00:00 UTC")
                    } else if date == nil {
                        date = try raw.withUnsafeBufferPointer { try ctx.parseDate($0, line: line) }
                    }
                }
            }
            let textEl = SGML.element("TEXT", p, tagEnd, close)
            var title: String? = nil
            var titleRange: (Int, Int)? = nil
            if let (ts, te) = SGML.element("TITLE", p, textEl?.0 ?? tagEnd, textEl?.1 ?? close) {
                titleRange = (ts, te)
                let t = SGML.text(p, ts, te, stripTags: true, skip: nil)
                title = String(decoding: SGML.trimmed(t), as: UTF8.self)
            }
            var body: [UInt8]
            if let (bs, be) = SGML.element("BODY", p, textEl?.0 ?? tagEnd, textEl?.1 ?? close) {
                body = SGML.trimmed(SGML.text(p, bs, be, stripTags: true, skip: nil))
            } else if let (xs, xe) = textEl {
                body = SGML.trimmed(SGML.text(p, xs, xe, stripTags: true, skip: titleRange))
            } else {
                try ctx.diagnostics.warn(.skipped, at: ctx.location(line), "<REUTERS> element without <TEXT>; record skipped")
                continue
            }
            if body.isEmpty && (title ?? "").isEmpty {
                body = []
            }
            let fields = ctx.options.fields.isEmpty ? [:] : reutersFields(ctx.options.fields, p, tagEnd: tagEnd, close)
            ctx.add(id: newid, line: line, date: date, title: title, body: body, hasOwnDate: hasOwnDate, fields: fields)
        }
    }

    // MARK: - Article

    static func decodeArticle(_ b: UnsafeBufferPointer<UInt8>, _ ctx: inout Context) throws {
        let n = b.count
        if try ctx.rejectNUL(b, 0, n, line: ctx.chunk.firstLine, what: "document") { return }
        var lines = LineCursor(b: b, i: 0, line: ctx.chunk.firstLine)
        guard let dateLine = lines.nextNonEmpty() else {
            try ctx.diagnostics.warn(.skipped, at: ctx.location(ctx.chunk.firstLine), "empty file")
            return
        }
        let date = try ctx.parseDate(UnsafeBufferPointer(rebasing: b[dateLine.range]), line: dateLine.line)
        var titleLine = lines.nextNonEmpty()
        if let t = titleLine, isReadingTime(UnsafeBufferPointer(rebasing: b[t.range])) { titleLine = lines.nextNonEmpty() }
        let title = titleLine.map { String(decoding: UnsafeBufferPointer(rebasing: b[$0.range]), as: UTF8.self) }
        let bodyStart = lines.i
        var bodyEnd = n
        let furniture =
            ctx.options.furnitureMarkers == ReaderOptions.builtinFurniture
            ? Furniture.builtin : Furniture(ctx.options.furnitureMarkers)
        while let l = lines.next() {
            if furniture.matches(UnsafeBufferPointer(rebasing: b[l.range])) { bodyEnd = l.lineStart; break }
        }
        let r = Bytes.trimmed(b, bodyStart..<max(bodyStart, bodyEnd))
        ctx.add(id: nil, line: ctx.chunk.firstLine, date: date, title: title, body: Array(b[r]), hasOwnDate: true)
    }

    /// `2 mins read`, `1 min read`, `5 minute read`, `3 minutes read` (any case).
    static func isReadingTime(_ l: UnsafeBufferPointer<UInt8>) -> Bool {
        // digits, blanks, min|mins|minute|minutes, blanks, read — ASCII, any case
        var i = 0
        let n = l.count
        while i < n && l[i] >= 48 && l[i] <= 57 { i += 1 }
        guard i > 0, i < n, l[i] == 32 || l[i] == 9 else { return false }
        while i < n && (l[i] == 32 || l[i] == 9) { i += 1 }
        var word: [UInt8] = []
        while i < n && l[i] != 32 && l[i] != 9 { word.append(l[i] | 0x20); i += 1 }
        guard ["min", "mins", "minute", "minutes"].contains(String(decoding: word, as: UTF8.self)) else { return false }
        while i < n && (l[i] == 32 || l[i] == 9) { i += 1 }
        var rest: [UInt8] = []
        while i < n { rest.append(l[i] | 0x20); i += 1 }
        return rest == Array("read".utf8)
    }

    struct Line {
        var lineStart: Int
        var range: Range<Int>  // trimmed content
        var line: Int
    }

    struct LineCursor {
        let b: UnsafeBufferPointer<UInt8>
        var i: Int
        var line: Int

        mutating func next() -> Line? {
            guard i < b.count else { return nil }
            let s = i
            let nl = Bytes.find(10, b.baseAddress!, i, b.count)
            i = nl < b.count ? nl + 1 : b.count
            let l = Line(lineStart: s, range: Bytes.trimmed(b, s..<nl), line: line)
            line += 1
            return l
        }

        mutating func nextNonEmpty() -> Line? {
            while let l = next() { if !l.range.isEmpty { return l } }
            return nil
        }
    }

    /// Compiled furniture markers (see `ReaderOptions.furnitureMarkers`).
    struct Furniture {
        var exact: [[UInt8]] = []
        var prefixes: [[UInt8]] = []

        init(_ markers: [String]) {
            for m in markers {
                let t = Substring(m).trimmingCharacters()
                if t.isEmpty { continue }
                if t.hasSuffix("*") {
                    let p = Array(t.dropLast().utf8).map(Self.lower)
                    if !p.isEmpty { prefixes.append(p) }
                } else {
                    exact.append(Array(t.utf8).map(Self.lower))
                }
            }
        }

        static let builtin = Furniture(ReaderOptions.builtinFurniture)

        @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }

        func matches(_ l: UnsafeBufferPointer<UInt8>) -> Bool {
            if l.isEmpty { return false }
            for e in exact where e.count == l.count {
                var eq = true
                for k in 0..<e.count where Self.lower(l[k]) != e[k] { eq = false; break }
                if eq { return true }
            }
            if l.count <= 120 {
                for p in prefixes where p.count <= l.count {
                    var eq = true
                    for k in 0..<p.count where Self.lower(l[k]) != p[k] { eq = false; break }
                    if eq { return true }
                }
            }
            return false
        }
    }
}

/// SGML helpers for Reuters-21578.
enum SGML {
    /// First occurrence of `s` in `p[from..<to]`.
    static func find(_ s: StaticString, _ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> Int? {
        let n = s.utf8CodeUnitCount
        let first = s.utf8Start.pointee
        var i = from
        while i + n <= to {
            let k = Bytes.find(first, p, i, to - n + 1)
            if k > to - n { return nil }
            if memcmp(p + k, s.utf8Start, n) == 0 { return k }
            i = k + 1
        }
        return nil
    }

    /// The value of `NAME="value"` in a start tag.
    static func attribute(_ name: StaticString, _ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> String? {
        var i = from
        let n = name.utf8CodeUnitCount
        while let k = find(name, p, i, to) {
            i = k + n
            guard k > from, p[k - 1] == 32 || p[k - 1] == 10 || p[k - 1] == 9 else { continue }
            guard i < to, p[i] == 61 else { continue }  // =
            i += 1
            if i < to && (p[i] == 34 || p[i] == 39) {
                let q = p[i]
                let e = Bytes.find(q, p, i + 1, to)
                return String(decoding: UnsafeBufferPointer(start: p + i + 1, count: e - i - 1), as: UTF8.self)
            }
            var e = i
            while e < to && p[e] != 32 && p[e] != 62 { e += 1 }
            return String(decoding: UnsafeBufferPointer(start: p + i, count: e - i), as: UTF8.self)
        }
        return nil
    }

    /// The content range of the first `<NAME>` / `<NAME attr…>` element in `p[from..<to]`; content runs to
    /// `</NAME>` or to `to` when the end tag is missing.
    static func element(_ name: String, _ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> (Int, Int)? {
        let open = Array(("<" + name).utf8)
        let close = Array(("</" + name + ">").utf8)
        var i = from
        while i + open.count < to {
            let k = Bytes.find(60, p, i, to)
            if k + open.count >= to { return nil }
            if memcmp(p + k, open, open.count) == 0, p[k + open.count] == 62 || p[k + open.count] == 32 {
                let cs = Bytes.find(62, p, k, to) + 1
                var j = cs
                while j + close.count <= to {
                    let m = Bytes.find(60, p, j, to)
                    if m + close.count > to { break }
                    if memcmp(p + m, close, close.count) == 0 { return (cs, m) }
                    j = m + 1
                }
                return (min(cs, to), to)
            }
            i = k + 1
        }
        return nil
    }

    /// Element text: SGML entities decoded (`&lt; &gt; &amp; &quot; &apos; &#N; &#xN;`), tags removed
    /// (`stripTags`), the `skip` range (an element's content, with its tags) left out, control characters
    /// dropped except LF and TAB (C0, DEL and C1).
    static func text(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, stripTags: Bool, skip: (Int, Int)?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(e - s)
        var i = s
        while i < e {
            // copy a run of plain bytes at once
            var j = i
            while j < e {
                let c = p[j]
                if c < 32 || c == 38 || c == 60 || c == 127 || c == 0xC2 { break }
                j += 1
            }
            if j > i {
                out.append(contentsOf: UnsafeBufferPointer(start: p + i, count: j - i))
                i = j
                if i >= e { break }
            }
            let c = p[i]
            if c == 38 {  // &
                var j = i + 1
                while j < e && j - i < 12 && p[j] != 59 && p[j] != 38 && p[j] != 60 && !Bytes.isBlank(p[j]) { j += 1 }
                if j < e && p[j] == 59 {
                    let name = String(decoding: UnsafeBufferPointer(start: p + i + 1, count: j - i - 1), as: UTF8.self)
                    var cp: UInt32? = nil
                    switch name {
                    case "lt": cp = 60
                    case "gt": cp = 62
                    case "amp": cp = 38
                    case "quot": cp = 34
                    case "apos": cp = 39
                    default:
                        if name.hasPrefix("#x") || name.hasPrefix("#X") { cp = UInt32(name.dropFirst(2), radix: 16) }
                        else if name.hasPrefix("#") { cp = UInt32(name.dropFirst(), radix: 10) }
                    }
                    if let v = cp {
                        if v == 9 || v == 10 || (v >= 32 && v != 127 && !(v >= 0x80 && v < 0xA0)) {
                            let valid = v < 0x110000 && !(v >= 0xD800 && v <= 0xDFFF)
                            Bytes.appendUTF8(&out, valid ? v : 0xFFFD)
                        }
                        i = j + 1
                        continue
                    }
                }
                out.append(c)
                i += 1
                continue
            }
            if c == 60 && stripTags {  // <
                if let (ks, ke) = skip, i < ks && ks < e {
                    // the tag that opens the skipped element: jump past its end tag
                    let openEnd = Bytes.find(62, p, i, e)
                    if openEnd + 1 == ks {
                        let closeEnd = Bytes.find(62, p, ke, e)
                        i = min(e, closeEnd + 1)
                        continue
                    }
                }
                let k = Bytes.find(62, p, i, e)
                i = min(e, k + 1)
                continue
            }
            if c < 32 {
                if c == 10 || c == 9 { out.append(c) }
                i += 1
                continue
            }
            if c == 127 { i += 1; continue }
            if c == 0xC2 && i + 1 < e && p[i + 1] >= 0x80 && p[i + 1] < 0xA0 { i += 2; continue }
            out.append(c)
            i += 1
        }
        return out
    }

    static func trimmed(_ v: [UInt8]) -> [UInt8] {
        var lo = 0, hi = v.count
        while lo < hi, Bytes.isBlank(v[lo]) { lo += 1 }
        while hi > lo, Bytes.isBlank(v[hi - 1]) { hi -= 1 }
        return lo == 0 && hi == v.count ? v : Array(v[lo..<hi])
    }
}
