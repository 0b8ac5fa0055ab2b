import CorpusCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The input format of a file (`--input-format`).
public enum InputFormat: String, Sendable, CaseIterable {
    /// Detect per file from the extension and the content (see `CorpusReader`).
    case auto
    /// The `Corpus/` plain-text article: date line, optional `N min(s) read` line, title line, body;
    /// page furniture and everything after it dropped.
    case article
    /// One JSON object a line.
    case jsonl
    /// Comma-separated values with a header row (RFC 4180 quoting).
    case csv
    /// Tab-separated values with a header row (same quoting rules as CSV).
    case tsv
    /// Reuters-21578 SGML: one document per `<REUTERS>` element.
    case reuters
    /// E-mail and Usenet messages (RFC 5322 + MIME), one a file or many in an mbox (see `Email`).
    case email
    /// One document per file, the whole file is the body.
    case text
}

/// The character encoding of the input bytes (`--encoding`).
public enum TextEncoding: String, Sendable, CaseIterable {
    /// UTF-8 where the bytes are valid UTF-8; a file holding invalid UTF-8 is read as Windows-1252 from the
    /// first block (4 MiB) that holds it (said once per file). The default, except for Reuters SGML.
    case auto
    /// UTF-8; a leading BOM is skipped; invalid sequences become U+FFFD and are reported and counted.
    case utf8 = "utf-8"
    /// ISO-8859-1: every byte is the code point of the same value.
    case latin1 = "latin1"
    /// Windows-1252 as the WHATWG Encoding Standard defines it: 0x80–0x9F per the cp1252 table; the five
    /// bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 controls U+0081 …
    /// U+009D, like browsers do (Python's `cp1252` codec would fail on them instead).
    case windows1252 = "windows-1252"

    /// Accepts `auto`, `utf8`, `utf-8`, `latin1`, `latin-1`, `iso-8859-1`, `windows-1252`, `cp1252` (any case).
    public init?(argument: String) {
        switch argument.lowercased() {
        case "auto": self = .auto
        case "utf8", "utf-8": self = .utf8
        case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1": self = .latin1
        case "windows-1252", "windows1252", "cp1252", "win1252": self = .windows1252
        default: return nil
        }
    }
}

/// How inputs are read. Defaults follow issue 3 and SPEC.md "Documents".
public struct ReaderOptions: Sendable {
    /// `--input-format`; `.auto` detects per file.
    public var inputFormat: InputFormat
    /// `--text-field` (JSONL/CSV/TSV); nil = the first present of `text`, `body`, `content`.
    public var textField: String?
    /// `--title-field`; nil = `title`, then `headline`.
    public var titleField: String?
    /// `--date-field`; nil = `date`, then `published`, then `publishedAt`.
    public var dateField: String?
    /// `--id-field`; nil = `id`; a record without one gets `file:line`.
    /// Field names may be dotted paths (`meta.date`) reaching into nested JSON objects; in CSV/TSV a
    /// field name is a column name, matched exactly.
    public var idField: String?
    /// `--encoding`; nil = auto (UTF-8, else Windows-1252), except Reuters SGML which is read as Windows-1252.
    public var encoding: TextEncoding?
    /// Lines that start page furniture in `article` files: the line and everything after it is dropped.
    /// A marker matches a line (trimmed of blanks) when they are equal ignoring ASCII case; a marker ending
    /// in `*` matches any line of at most 120 bytes that starts with the rest (ignoring ASCII case).
    /// Default: `builtinFurniture`; `--furniture FILE` adds `loadFurniture(path:)`.
    public var furnitureMarkers: [String]
    /// A document without a date of its own takes the date at the start of its file name
    /// (`1789-Washington.txt` → 1789-01-01; see `DateParser.fileNameDate`). Default true.
    public var dateFromFileName: Bool
    /// Bytes read per I/O block (and so the typical size of a `RecordChunk`); default 4 MiB, clamped to
    /// 4 KiB … 64 MiB (so that a chunk never holds 2^24 documents, see `Document.ordinal`).
    public var chunkSize: Int
    /// Longest record (JSONL line, CSV/TSV record, Reuters element) accepted (`--max-record-mb`); a longer
    /// one is skipped alone, without being buffered (at most this limit plus one block is held), with a
    /// warning naming its first line, and reading goes on after it. Default 256 MiB. Article and text files
    /// are one record whatever their size.
    public var maxRecordSize: Int
    /// Metadata fields kept per document (`--field NAME`, repeatable; `--group-by` adds its field), into
    /// `Document.fields`: a JSONL field (dotted paths reach nested objects; an array gives one value per
    /// element), a CSV/TSV column (exact name), a Reuters-21578 element (`topics`, `places`, `people`,
    /// `orgs`, `exchanges`, `companies`: one value per `<D>`; any other element's text; case-insensitive).
    /// An e-mail header (case-insensitive; `Newsgroups`, `Followup-To`, `Keywords`: one value per comma-separated item).
    public var fields: [String] = []
    /// `email`: keep quoted lines and their attribution lines in the analyzed text (`--keep-quotes`).
    public var keepQuotes = false
    /// `email`: keep the signature (after a `-- ` line) in the analyzed text (`--keep-signatures`).
    public var keepSignatures = false

    public init(
        inputFormat: InputFormat = .auto, textField: String? = nil, titleField: String? = nil,
        dateField: String? = nil, idField: String? = nil, encoding: TextEncoding? = nil,
        furnitureMarkers: [String] = ReaderOptions.builtinFurniture, dateFromFileName: Bool = true,
        chunkSize: Int = 4 << 20, maxRecordSize: Int = 256 << 20
    ) {
        self.inputFormat = inputFormat
        self.textField = textField
        self.titleField = titleField
        self.dateField = dateField
        self.idField = idField
        self.encoding = encoding
        self.furnitureMarkers = furnitureMarkers
        self.dateFromFileName = dateFromFileName
        self.chunkSize = min(64 << 20, max(4096, chunkSize))
        self.maxRecordSize = max(4096, maxRecordSize)
    }

    /// The built-in furniture markers (see `furnitureMarkers` for the matching rule).
    public static let builtinFurniture: [String] = [
        "ALSO READ:*", "READ ALSO:*", "READ MORE:*", "Previous Story", "Next Story", "Previous Post", "Next Post",
        "Latest from*", "Go toTop", "Go to Top", "Back to Top", "Don't Miss", "Don\u{2019}t Miss",
        "Related Stories", "Related Posts", "Related Articles", "You may also like", "You might also like",
    ]

    /// Markers from a `--furniture FILE`: one a line; blank lines and lines starting with `#` are ignored;
    /// blanks around a marker are trimmed. Throws `CorpusError` when the file cannot be read.
    /// Use as `options.furnitureMarkers += try ReaderOptions.loadFurniture(path: file)`.
    public static func loadFurniture(path: String) throws -> [String] {
        guard let bytes = readWholeFile(path) else {
            throw CorpusError("\(path): cannot read furniture file (\(String(cString: strerror(errno))))")
        }
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        let text = String(decoding: bytes[start...], as: UTF8.self)
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let t = line.trimmingCharacters()
            if t.isEmpty || t.hasPrefix("#") { continue }
            out.append(String(t))
        }
        return out
    }

    // MARK: - Resolved values

    var blockSize: Int { min(64 << 20, max(4096, chunkSize)) }
    var recordLimit: Int { max(4096, maxRecordSize) }
    /// The record limit as said in warnings (`256 MiB`).
    var recordLimitText: String {
        recordLimit >= 1 << 20 && recordLimit % (1 << 20) == 0 ? "\(recordLimit >> 20) MiB" : "\(recordLimit) bytes"
    }

    var textFields: [String] { textField.map { [$0] } ?? ["text", "body", "content"] }
    /// The title is analyzed once: a field read as the text is never also read as the title.
    var titleFields: [String] { (titleField.map { [$0] } ?? ["title", "headline"]).filter { !textFields.contains($0) } }
    var dateFields: [String] { dateField.map { [$0] } ?? ["date", "published", "publishedAt"] }
    var idFields: [String] { idField.map { [$0] } ?? ["id"] }
}

extension Substring {
    func trimmingCharacters() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
        return s
    }
}

/// Reads a small file whole (furniture lists); nil when it cannot be read.
func readWholeFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    if fd < 0 { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { if errno == EINTR { continue }; return nil }
        if n == 0 { break }
        out.append(contentsOf: buf[0..<n])
    }
    return out
}
