import CorpusCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run of whole records of one input file, as `CorpusReader.nextChunk()` frames them: raw bytes, not
/// yet transcoded or parsed. `CorpusReader.decode(_:options:diagnostics:)` turns it into documents on any
/// thread.
public struct RecordChunk: Sendable {
    /// The raw bytes (decompressed; a UTF-8 BOM at the start of a file removed). Holds whole records only.
    public var bytes: [UInt8]
    /// The file as named on the command line or found in a directory (`<stdin>` for `-`).
    public var file: String
    /// 1-based line number of `bytes[0]` in the file.
    public var firstLine: Int
    /// Byte offset of `bytes[0]` in the (decompressed) file.
    public var byteOffset: Int64
    /// The file's format (never `.auto`).
    public var format: InputFormat
    /// The file's encoding (resolved: never nil).
    public var encoding: TextEncoding
    /// Chunk number in input order (0, 1, 2, … across all files). Documents get
    /// `ordinal = sequence << 24 | index in chunk`.
    public var sequence: Int
    /// UTF-8 input in which the reader found invalid sequences (already reported once per file);
    /// `decode` repairs them to U+FFFD and counts them.
    public var hasInvalidUTF8: Bool
    /// CSV/TSV: the file's raw header record (without its line end); nil for other formats.
    public var header: [UInt8]?
    /// The date from the file name (`ReaderOptions.dateFromFileName`), for documents without their own.
    public var fileNameDate: Int64?

    public init(
        bytes: [UInt8], file: String, firstLine: Int = 1, byteOffset: Int64 = 0, format: InputFormat,
        encoding: TextEncoding = .utf8, sequence: Int = 0, hasInvalidUTF8: Bool? = nil, header: [UInt8]? = nil,
        fileNameDate: Int64? = nil
    ) {
        self.bytes = bytes
        self.file = file
        self.firstLine = firstLine
        self.byteOffset = byteOffset
        self.format = format
        self.encoding = encoding
        self.sequence = sequence
        self.hasInvalidUTF8 =
            hasInvalidUTF8 ?? (encoding == .utf8 && bytes.withUnsafeBufferPointer { UTF8Repair.firstInvalidOffset($0) } != nil)
        self.header = header
        self.fileNameDate = fileNameDate
    }
}

/// Reads the inputs of a run: files, directories (see `InputListing` rules below), `-` for standard input,
/// gzip-compressed files (detected by their magic bytes, `.gz` or not; decompressed by zlib, streaming).
///
/// Two halves, so that reading never becomes the bottleneck of a parallel run:
/// - `nextChunk()` runs on ONE thread and does only I/O, decompression, record framing (a JSONL block is cut
///   at its last newline, CSV/TSV at a record boundary outside quotes, Reuters SGML after a `</REUTERS>`;
///   an article or text file is one chunk), line counting and UTF-8 validation;
/// - `CorpusReader.decode(_:options:diagnostics:)` is a pure function, safe on any number of worker threads:
///   transcoding, UTF-8 repair, JSON/CSV/SGML parsing, dates.
/// `Document.ordinal` = `chunk.sequence << 24 | index of the document in its chunk`: increasing in input
/// order, unique, but not contiguous.
///
/// Directory rules: hidden entries, `README*`/`LICENSE*`/`COPYING*`/`CHANGELOG*`, and files without a
/// document extension (`.txt .text .jsonl .ndjson .json .csv .tsv .sgm .sgml .eml .mbox`, optionally `.gz`)
/// are skipped unless their first bytes are a mail/news header block (numbered Usenet/mail exports); a folder holding `.sgm`/`.sgml` files contributes only those (a Reuters distribution); files are
/// read in path byte order. A path named on the command line is always read.
///
/// Format detection (`.auto`): by extension after removing `.gz` — `.jsonl .ndjson .json` → jsonl, `.csv`,
/// `.tsv`, `.sgm .sgml` → reuters, `.eml .mbox` → email; otherwise by content — starts with `<!DOCTYPE lewis`
/// or `<REUTERS` → reuters; starts with a mail/news header block (`Email.looksLikeMessage`) → email;
/// (not `.txt`/`.text`) starts with `{` → jsonl; first non-empty line is a date (not just digits) →
/// article; else text. An `email` file starting with an mbox `From ` line is framed into whole messages.
public final class CorpusReader: DocumentSource {
    public let options: ReaderOptions
    public let diagnostics: Diagnostics
    /// The files to read, in order, after expanding directories (`-` = standard input).
    public let files: [String]
    /// The same files with their raw path bytes (file names need not be UTF-8); `files` shows them escaped.
    let entries: [InputListing.Entry]
    /// Input bytes read so far (after decompression).
    public private(set) var bytesRead: Int64 = 0
    /// Files opened and read so far.
    public private(set) var filesRead = 0
    /// Files (of `files`) that could not be read as corpus files: unreadable, empty, binary, a JSON array, a
    /// table without a text column. `files.count - filesFailed` files gave records once the reader is done.
    public private(set) var filesFailed = 0

    private var fileIndex = 0
    private var current: OpenFile?
    private var sequence = 0
    // DocumentSource state
    private var pending: [Document] = []
    private var pendingIndex = 0

    /// Expands `paths` (warning about unreadable ones; throws under `--strict`).
    public init(paths: [String], options: ReaderOptions = ReaderOptions(), diagnostics: Diagnostics) throws {
        self.options = options
        self.diagnostics = diagnostics
        self.entries = try InputListing.expandEntries(paths, diagnostics: diagnostics, allExtensions: options.inputFormat != .auto)
        self.files = entries.map(\.display)
    }

    /// The next chunk of records in input order, or nil at the end of the inputs. Call on one thread.
    /// Throws only under `--strict` (a warning became fatal).
    public func nextChunk() throws -> RecordChunk? {
        while true {
            if current == nil {
                guard fileIndex < entries.count else { return nil }
                let entry = entries[fileIndex]
                fileIndex += 1
                current = try openFile(entry)
                continue
            }
            let f = current!
            do {
                if let chunk = try frame(f) { return chunk }
                f.stream.close()
                current = nil
                if let gz = f.stream as? GzipStream {
                    if let damage = gz.damage {
                        // What decoded before the damage has been read; the rest of the file is lost.
                        try diagnostics.unreadable(
                            at: f.display, "\(damage) after \(gz.produced) decompressed bytes; the documents before it are kept, the rest of the file is lost")
                    } else if gz.trailingGarbage > 0 {
                        try diagnostics.warn(
                            .note, at: f.display, "\(gz.trailingGarbage) bytes of trailing garbage after the gzip data ignored (\(gz.produced) decompressed bytes read)")
                    }
                }
            } catch let failure as ReadFailure {
                f.stream.close()
                current = nil
                // Part of the file was read: the path was not read entirely.
                try diagnostics.unreadable(at: "\(f.display):\(f.line)", "\(failure.message); rest of file skipped")
            }
        }
    }

    /// Decodes a chunk into documents (thread-safe; call from any worker). Warnings (malformed records,
    /// bad dates) go to `diagnostics`; throws only under `--strict`.
    public static func decode(_ chunk: RecordChunk, options: ReaderOptions, diagnostics: Diagnostics) throws -> [Document] {
        try ChunkDecoder.decode(chunk, options: options, diagnostics: diagnostics)
    }

    /// Sequential convenience (`DocumentSource`): decodes chunk after chunk on the calling thread.
    public func next() throws -> Document? {
        while pendingIndex >= pending.count {
            guard let chunk = try nextChunk() else { return nil }
            pending = try Self.decode(chunk, options: options, diagnostics: diagnostics)
            pendingIndex = 0
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }

    /// Reads every remaining document (tests, small inputs).
    public func readAll() throws -> [Document] {
        var out: [Document] = []
        while let d = try next() { out.append(d) }
        return out
    }

    // MARK: - Files

    final class OpenFile {
        let display: String
        let stream: ByteStream
        var format: InputFormat = .text
        var encoding: TextEncoding = .utf8
        var line = 1
        var offset: Int64 = 0
        var carry: [UInt8] = []
        var eof = false
        var reportedInvalid = false
        var header: [UInt8]?
        var scanPos = 0
        var inQuote = false
        /// CSV/TSV: the last record boundary found in `carry` so far (0 = none).
        var lastBoundary = 0
        var fileNameDate: Int64?
        /// The file uses CR alone as line end: CRs are read as LFs.
        var crOnly = false
        /// A record longer than the limit starts at `carry[0]`: skip it before framing more.
        var skipPending = false
        /// `email` file starting with an mbox `From ` separator: framed into whole messages.
        var mbox = false
        init(display: String, stream: ByteStream) {
            self.display = display
            self.stream = stream
        }
    }

    private func openFile(_ entry: InputListing.Entry) throws -> OpenFile? {
        let path = entry.display
        let display = path == "-" ? "<stdin>" : path
        let raw: FDStream
        do {
            raw = path == "-" ? FDStream(fd: 0, owned: false) : try FDStream.open(bytes: entry.bytes)
        } catch let failure as ReadFailure {
            filesFailed += 1
            try diagnostics.unreadable(at: display, failure.message)
            return nil
        }
        do {
            var stream: ByteStream = raw
            // A small file is read with one right-sized buffer (no 4 MiB allocation per article).
            let firstRead = min(options.blockSize, raw.sizeHint.map { max(64, $0 + 1) } ?? options.blockSize)
            var head = try readBlock(stream, prefix: [], count: firstRead)
            if head.bytes.count >= 2 && head.bytes[0] == 0x1F && head.bytes[1] == 0x8B {
                raw.unread(head.bytes)
                stream = try GzipStream(source: raw)
                head = try readBlock(stream, prefix: [], count: options.blockSize)
            }
            filesRead += 1
            bytesRead += Int64(head.bytes.count)
            let f = OpenFile(display: display, stream: stream)
            f.eof = head.eof
            if let binary = Self.binaryVerdict(head.bytes) {
                raw.close()
                filesFailed += 1
                try diagnostics.unreadable(at: "\(display):1", "binary file (\(binary)), skipped")
                return nil
            }
            if !head.bytes.contains(10) && head.bytes.contains(13) {
                // Old Mac line ends (CR alone): read as LF, so that lines, records and line numbers work.
                f.crOnly = true
                Self.crToLF(&head.bytes, from: 0)
            }
            f.format = options.inputFormat == .auto ? Self.detectFormat(name: path == "-" ? "" : path, head: head.bytes) : options.inputFormat
            f.encoding = options.encoding ?? (f.format == .reuters ? .windows1252 : .auto)
            f.fileNameDate = (options.dateFromFileName && path != "-") ? DateParser.fileNameDate(path) : nil
            var bytes = head.bytes
            if (f.encoding == .utf8 || f.encoding == .auto) && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
                bytes.removeFirst(3)
                f.offset = 3
            }
            if bytes.isEmpty || (f.eof && !bytes.contains(where: { !Bytes.isBlank($0) })) {
                raw.close()
                filesFailed += 1
                if let gz = stream as? GzipStream, let damage = gz.damage {
                    try diagnostics.unreadable(at: display, "\(damage) after \(gz.produced) decompressed bytes; nothing to read")
                } else {
                    try diagnostics.unreadable(at: "\(display):1", "empty file")
                }
                return nil
            }
            if f.format == .jsonl, let first = bytes.first(where: { !Bytes.isBlank($0) }), first == UInt8(ascii: "[") {
                raw.close()
                filesFailed += 1
                try diagnostics.unreadable(
                    at: "\(display):1", "a JSON array, not JSON Lines (one object a line); file skipped")
                return nil
            }
            f.mbox = f.format == .email && Email.isMboxSeparator(bytes, 0, bytes.count)
            f.carry = bytes
            return f
        } catch let failure as ReadFailure {
            raw.close()
            filesFailed += 1
            try diagnostics.unreadable(at: "\(display):1", failure.message)
            return nil
        }
    }

    /// The binary-file rule: a file is binary when more than 5% of its first 64 KiB (decompressed) are NUL
    /// or other C0 control bytes (TAB, LF, VT, FF, CR and ESC excepted). Returns why, or nil for text. A NUL
    /// in a text file only makes its record bad (see `ChunkDecoder`).
    static func binaryVerdict(_ bytes: [UInt8]) -> String? {
        let n = min(bytes.count, 1 << 16)
        guard n > 0 else { return nil }
        var control = 0
        for k in 0..<n {
            let c = bytes[k]
            if c < 32 && c != 9 && c != 10 && c != 11 && c != 12 && c != 13 && c != 27 { control += 1 }
        }
        guard control * 20 > n else { return nil }
        return "\(control * 100 / n)% of its first \(n) bytes are NUL or control bytes"
    }

    static func crToLF(_ b: inout [UInt8], from: Int) {
        b.withUnsafeMutableBufferPointer { p in
            var k = from
            while k < p.count {
                if p[k] == 13 { p[k] = 10 }
                k += 1
            }
        }
    }

    /// Reads up to `count` bytes after `prefix` into a new array; `eof` when the stream ended.
    private func readBlock(_ s: ByteStream, prefix: [UInt8], count: Int) throws -> (bytes: [UInt8], eof: Bool) {
        var got = 0
        let total = prefix.count + count
        var failure: ReadFailure?
        let bytes = [UInt8](unsafeUninitializedCapacity: total) { buf, initialized in
            let base = buf.baseAddress!
            prefix.withUnsafeBufferPointer { p in
                if p.count > 0 { base.initialize(from: p.baseAddress!, count: p.count) }
            }
            do { got = try s.read(base + prefix.count, count) } catch let e as ReadFailure { failure = e } catch {}
            initialized = prefix.count + got
        }
        if let failure { throw failure }
        return (bytes, got < count)
    }

    /// Reads another block for a record-framed format; refuses to buffer a record beyond `maxRecordSize`.
    private func readMoreRecords(_ f: OpenFile, what: String) throws {
        if f.carry.count > options.recordLimit {
            throw ReadFailure(message: "a record longer than \(options.recordLimit) bytes (\(what))")
        }
        try readMore(f)
    }

    private func readMore(_ f: OpenFile, bounded: Bool = false, count exact: Int? = nil) throws {
        var count = exact ?? max(options.blockSize, f.carry.count / 2)
        // Record-framed formats: never buffer more than the record limit plus one block.
        if bounded { count = max(4096, min(count, options.recordLimit + options.blockSize - f.carry.count)) }
        var r = try readBlock(f.stream, prefix: f.carry, count: count)
        if f.crOnly { Self.crToLF(&r.bytes, from: f.carry.count) }
        bytesRead += Int64(r.bytes.count - f.carry.count)
        f.carry = r.bytes
        f.eof = r.eof
    }

    /// Reads the rest of a one-record file (article, text) into `carry` with at most twice its size in
    /// memory at any time: a plain file of known size in one read into one buffer; a stream (standard input,
    /// gzip) as a list of blocks joined once at the end (growing one buffer by copying would peak at 2.5×).
    private func readRest(_ f: OpenFile) throws {
        if let raw = f.stream as? FDStream, let size = raw.sizeHint, f.offset == 0 || f.offset == 3 {
            // One read of what is left (+1 to see the end: the file may have grown).
            let left = max(0, size - f.carry.count - Int(f.offset)) + 1
            try readMore(f, count: left)
            if f.eof { return }
        }
        var parts: [[UInt8]] = [f.carry]
        var total = f.carry.count
        while !f.eof {
            let r = try readBlock(f.stream, prefix: [], count: max(options.blockSize, total / 4))
            var block = r.bytes
            if f.crOnly { Self.crToLF(&block, from: 0) }
            bytesRead += Int64(block.count)
            total += block.count
            parts.append(block)
            f.eof = r.eof
        }
        f.carry = []
        var joined = [UInt8]()
        joined.reserveCapacity(total)
        for k in parts.indices {
            joined.append(contentsOf: parts[k])
            parts[k] = []
        }
        f.carry = joined
    }

    /// Skips the record at `carry[0]`, longer than `--max-record-mb`, without buffering it: blocks are read
    /// and dropped until `end(f)` finds its end (the offset in `carry` just after it; `keepFrom` is where the
    /// bytes not yet searched start), then reading goes on after it. Warns with the record's first line.
    private func skipLongRecord(_ f: OpenFile, end: (OpenFile) -> (end: Int?, keepFrom: Int)) throws {
        let line = f.line
        var discarded: Int64 = 0
        var found = false
        func drop(_ k: Int) {
            f.line += f.carry.withUnsafeBufferPointer { Bytes.count(10, in: $0, 0..<k) }
            f.offset += Int64(k)
            discarded += Int64(k)
            f.carry.removeFirst(k)
        }
        while true {
            let r = end(f)
            if let k = r.end { drop(k); found = true; break }
            if f.eof { drop(f.carry.count); break }
            drop(r.keepFrom)
            try readMore(f, bounded: true)
        }
        let limit = options.recordLimitText
        try diagnostics.warn(
            .skipped, at: "\(f.display):\(line)",
            "record longer than \(limit) (--max-record-mb): \(discarded) bytes skipped\(found ? "; reading goes on after it" : " (to the end of the file)")")
    }

    /// Builds the chunk from `f.carry[0..<cut]`, keeping the rest as the new carry.
    private func emit(_ f: OpenFile, cut: Int) throws -> RecordChunk {
        var bytes = f.carry
        if cut < bytes.count {
            f.carry = Array(bytes[cut...])
            bytes.removeSubrange(cut...)
        } else {
            f.carry = []
        }
        var invalid = false
        var encoding = f.encoding
        // E-mail is decoded part by part in its own charsets (`Email`): no file-wide UTF-8 check.
        if f.format != .email && (f.encoding == .utf8 || f.encoding == .auto) {
            let bad: Int? = bytes.withUnsafeBufferPointer { b in
                guard let base = b.baseAddress else { return nil }
                let ascii = Bytes.asciiPrefixLength(base, b.count)
                if ascii == b.count { return nil }
                return UTF8Repair.firstInvalidOffset(UnsafeBufferPointer(rebasing: b[ascii...])).map { $0 + ascii }
            }
            if let bad, f.encoding == .auto {
                // Not UTF-8: this block and the rest of the file are Windows-1252 (earlier blocks were valid UTF-8).
                f.encoding = .windows1252
                encoding = .windows1252
                let line = f.line + bytes.withUnsafeBufferPointer { Bytes.count(10, in: $0, 0..<bad) }
                try diagnostics.warn(
                    .note, at: "\(f.display):\(line)",
                    "not valid UTF-8 (byte offset \(f.offset + Int64(bad))): read as Windows-1252 from here on (--encoding utf-8 keeps UTF-8 and replaces invalid bytes by U+FFFD)")
            } else if let bad {
                invalid = true
                if !f.reportedInvalid {
                    f.reportedInvalid = true
                    let line = f.line + bytes.withUnsafeBufferPointer { Bytes.count(10, in: $0, 0..<bad) }
                    try diagnostics.warn(
                        .invalidUTF8, at: "\(f.display):\(line)",
                        "invalid UTF-8 at byte offset \(f.offset + Int64(bad)), replaced by U+FFFD (further invalid sequences in this file are counted, not reported)"
                    )
                }
            }
        }
        let chunk = RecordChunk(
            bytes: bytes, file: f.display, firstLine: f.line, byteOffset: f.offset, format: f.format,
            encoding: encoding == .auto ? .utf8 : encoding, sequence: sequence, hasInvalidUTF8: invalid, header: f.header,
            fileNameDate: f.fileNameDate)
        sequence += 1
        f.line += bytes.withUnsafeBufferPointer { Bytes.count(10, in: $0, 0..<$0.count) }
        f.offset += Int64(bytes.count)
        return chunk
    }

    private func isBlankBuffer(_ b: [UInt8]) -> Bool { !b.contains(where: { !Bytes.isBlank($0) }) }

    /// The next chunk of the open file, or nil when the file is done.
    private func frame(_ f: OpenFile) throws -> RecordChunk? {
        switch f.format {
        case .email where f.mbox:
            return try frameMbox(f)
        case .article, .text, .auto, .email:
            if f.carry.isEmpty && f.eof { return nil }
            if !f.eof { try readRest(f) }
            if f.carry.isEmpty { return nil }
            return try emit(f, cut: f.carry.count)
        case .jsonl:
            while true {
                if f.skipPending {
                    f.skipPending = false
                    try skipLongRecord(f) { f in
                        let k = f.carry.withUnsafeBufferPointer { Bytes.find(10, $0.baseAddress!, 0, $0.count) }
                        return (k < f.carry.count ? k + 1 : nil, f.carry.count)
                    }
                    continue
                }
                if !f.carry.isEmpty {
                    let last: Int? = f.carry.withUnsafeBufferPointer { Bytes.findLast(10, $0.baseAddress!, $0.count) }
                    if let last, f.carry.count >= options.blockSize || f.eof {
                        return try emit(f, cut: last + 1)
                    }
                    let tail = last.map { $0 + 1 } ?? 0
                    if f.carry.count - tail > options.recordLimit {
                        f.skipPending = true
                        if tail > 0 { return try emit(f, cut: tail) }
                        continue
                    }
                }
                if f.eof {
                    if f.carry.isEmpty || isBlankBuffer(f.carry) { return nil }
                    return try emit(f, cut: f.carry.count)
                }
                try readMore(f, bounded: true)
            }
        case .reuters:
            while true {
                if f.skipPending {
                    f.skipPending = false
                    try skipLongRecord(f) { f in
                        (self.firstReutersEnd(f.carry), max(0, f.carry.count - Self.reutersEnd.count))
                    }
                    continue
                }
                let cut = lastReutersEnd(f.carry)
                if let cut, f.carry.count >= options.blockSize || f.eof {
                    return try emit(f, cut: cut)
                }
                if f.carry.count - (cut ?? 0) > options.recordLimit {
                    f.skipPending = true
                    if let cut, cut > 0 { return try emit(f, cut: cut) }
                    continue
                }
                if f.eof {
                    if f.carry.isEmpty || isBlankBuffer(f.carry) { return nil }
                    return try emit(f, cut: f.carry.count)
                }
                try readMore(f, bounded: true)
            }
        case .csv, .tsv:
            let delim: UInt8 = f.format == .tsv ? 9 : 44
            if f.header == nil {
                // The first record is the header.
                while true {
                    var inQuote = false
                    let r = f.carry.withUnsafeBufferPointer {
                        CSV.scan($0, from: 0, inQuote: &inQuote, delimiter: delim, atEOF: f.eof, firstOnly: true)
                    }
                    if let end = r.lastBoundary {
                        var h = Array(f.carry[0..<end])
                        f.line += h.withUnsafeBufferPointer { Bytes.count(10, in: $0, 0..<$0.count) }
                        f.offset += Int64(end)
                        f.carry.removeSubrange(0..<end)
                        while let l = h.last, l == 10 || l == 13 { h.removeLast() }
                        f.header = h
                        break
                    }
                    if f.eof {
                        f.header = f.carry
                        f.offset += Int64(f.carry.count)
                        f.carry = []
                        break
                    }
                    try readMoreRecords(f, what: "header without a line end, or an unterminated quote")
                }
                let names = CSV.headerNames(f.header!, delimiter: delim, encoding: f.encoding)
                if CSV.columnIndex(names, options.textFields) == nil {
                    filesFailed += 1
                    try diagnostics.unreadable(
                        at: "\(f.display):1",
                        "no text column (looked for \(options.textFields.joined(separator: ", "))); file skipped")
                    return nil
                }
                f.scanPos = 0
                f.inQuote = false
                f.lastBoundary = 0
            }
            while true {
                if f.skipPending {
                    f.skipPending = false
                    // Go on scanning the long record (quote state kept) to its first boundary.
                    try skipLongRecord(f) { f in
                        var inQuote = f.inQuote
                        let r = f.carry.withUnsafeBufferPointer {
                            CSV.scan($0, from: f.scanPos, inQuote: &inQuote, delimiter: delim, atEOF: f.eof, firstOnly: true)
                        }
                        f.inQuote = inQuote
                        if let b = r.lastBoundary {
                            f.scanPos = 0
                            return (b, b)
                        }
                        let keep = r.scannedTo
                        f.scanPos = r.scannedTo - keep
                        return (nil, keep)
                    }
                    f.scanPos = 0
                    f.inQuote = false
                    f.lastBoundary = 0
                    continue
                }
                var inQuote = f.inQuote
                let r = f.carry.withUnsafeBufferPointer {
                    CSV.scan($0, from: f.scanPos, inQuote: &inQuote, delimiter: delim, atEOF: f.eof, firstOnly: false)
                }
                f.inQuote = inQuote
                f.scanPos = r.scannedTo
                if let b = r.lastBoundary { f.lastBoundary = b }
                if case .chunk(let c) = try boundaryStep(f) { return c }
            }
        }
    }

    /// Emits `carry` up to `lastBoundary` (a record boundary found by the scan; CSV/TSV, mbox) and moves the
    /// scan position along.
    private func emitToBoundary(_ f: OpenFile) throws -> RecordChunk {
        let cut = f.lastBoundary
        let chunk = try emit(f, cut: cut)
        f.scanPos = max(0, f.scanPos - cut)
        f.lastBoundary = 0
        return chunk
    }

    private enum FrameStep {
        /// Return this (nil: the file is done).
        case chunk(RecordChunk?)
        /// Frame again (more was read, or a long record is to be skipped).
        case again
    }

    /// What a record-framed format (CSV/TSV, mbox) does once its scan has set `lastBoundary`: emit the whole
    /// records found when a block is full or the file ended, skip a record longer than `--max-record-mb`
    /// (`skipPending`), emit the rest at the end of the file, or read another block.
    private func boundaryStep(_ f: OpenFile) throws -> FrameStep {
        if f.lastBoundary > 0, f.carry.count >= options.blockSize || f.eof { return .chunk(try emitToBoundary(f)) }
        if f.carry.count - f.lastBoundary > options.recordLimit {
            f.skipPending = true
            return f.lastBoundary > 0 ? .chunk(try emitToBoundary(f)) : .again
        }
        if f.eof {
            f.scanPos = 0
            f.inQuote = false
            f.lastBoundary = 0
            if f.carry.isEmpty || isBlankBuffer(f.carry) { return .chunk(nil) }
            return .chunk(try emit(f, cut: f.carry.count))
        }
        try readMore(f, bounded: true)
        return .again
    }

    /// The next chunk of an mbox: whole messages, cut before a `From ` separator line (`Email.separator`);
    /// a message longer than `--max-record-mb` is skipped alone.
    private func frameMbox(_ f: OpenFile) throws -> RecordChunk? {
        while true {
            if f.skipPending {
                f.skipPending = false
                try skipLongRecord(f) { f in
                    // The first separator after the message start ends it; undecided lines are kept.
                    let r = Email.separator(f.carry, from: 1, last: false)
                    return (r.separator, max(0, r.scannedTo - 1))
                }
                f.scanPos = 1
                f.lastBoundary = 0
                continue
            }
            let r = Email.separator(f.carry, from: max(1, f.scanPos), last: true)
            f.scanPos = r.scannedTo
            if let s = r.separator { f.lastBoundary = s }
            if case .chunk(let c) = try boundaryStep(f) { return c }
        }
    }

    private static let reutersEnd: [UInt8] = Array("</REUTERS>".utf8)

    /// Offset just after the first `</REUTERS>` (and its line end) in `b`, or nil.
    private func firstReutersEnd(_ b: [UInt8]) -> Int? {
        b.withUnsafeBufferPointer { buf -> Int? in
            guard let p = buf.baseAddress, let k = SGML.find("</REUTERS>", p, 0, buf.count) else { return nil }
            var end = k + Self.reutersEnd.count
            if end < buf.count && buf[end] == 13 { end += 1 }
            if end < buf.count && buf[end] == 10 { end += 1 }
            return end
        }
    }

    /// Offset just after the last `</REUTERS>` (and its line end) in `b`, or nil.
    private func lastReutersEnd(_ b: [UInt8]) -> Int? {
        b.withUnsafeBufferPointer { buf -> Int? in
            guard let p = buf.baseAddress else { return nil }
            let pat = Self.reutersEnd
            var limit = buf.count
            while let k = Bytes.findLast(60, p, limit) {
                if k + pat.count <= buf.count && memcmp(p + k, pat, pat.count) == 0 {
                    var end = k + pat.count
                    if end < buf.count && buf[end] == 13 { end += 1 }
                    if end < buf.count && buf[end] == 10 { end += 1 }
                    return end
                }
                limit = k
            }
            return nil
        }
    }

    // MARK: - Format detection

    /// The format of a file from its name and first bytes (`.auto`).
    public static func detectFormat(name: String, head: [UInt8]) -> InputFormat {
        let ext = InputListing.documentExtension(name).ext
        switch ext {
        case "jsonl", "ndjson", "json": return .jsonl
        case "csv": return .csv
        case "tsv": return .tsv
        case "sgm", "sgml": return .reuters
        case "eml", "mbox": return .email
        default: break
        }
        var i = 0
        if head.count >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF { i = 3 }
        while i < head.count, Bytes.isBlank(head[i]) { i += 1 }
        let rest = head[i...]
        func startsWith(_ s: String) -> Bool {
            let u = Array(s.utf8)
            guard rest.count >= u.count else { return false }
            for (k, c) in u.enumerated() where (rest[rest.startIndex + k] | 0x20) != (c | 0x20) { return false }
            return true
        }
        if startsWith("<!DOCTYPE lewis") || startsWith("<REUTERS") { return .reuters }
        if Email.looksLikeMessage(head[i...]) { return .email }
        if ext != "txt" && ext != "text" && rest.first == UInt8(ascii: "{") { return .jsonl }
        var end = i
        while end < head.count, head[end] != 10, end - i < 200 { end += 1 }
        let line = head[i..<end]
        if !line.isEmpty, line.contains(where: { !($0 >= 48 && $0 <= 57) && !Bytes.isBlank($0) }),
            Array(line).withUnsafeBufferPointer({ DateParser.check(bytes: $0) }) != .unparseable  // a bad day still marks an article (and is reported there)
        {
            return .article
        }
        return .text
    }
}
