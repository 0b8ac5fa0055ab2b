/// One document of a corpus, as every reader produces it and every analyzer consumes it.
///
/// The text stays UTF-8 bytes from the file to the count tables: `body` is always valid UTF-8
/// (readers repair invalid sequences to U+FFFD and report them).
public struct Document: Sendable, Equatable {
    /// The document's id: the format's own id field, else `file:line`.
    public var id: String
    /// Where it came from, `file:line` (line of the record's first line, 1-based).
    public var source: String
    /// Seconds since 1970-01-01T00:00:00Z (UTC), or nil when undated.
    public var date: Int64?
    /// The title, or nil/empty when there is none.
    public var title: String?
    /// The body, valid UTF-8.
    public var body: [UInt8]
    /// Position of the document in input order (0-based), used for deterministic per-document output.
    public var ordinal: Int
    /// Metadata kept for the document (`--field NAME`, `--group-by FIELD`): the name as asked → its values,
    /// in the record's order. A JSON array gives one value per element; a field with several values (a list
    /// header such as `Newsgroups: a,b`, Reuters `<TOPICS>`) gives one per item. A name the record lacks (or
    /// holds only null/empty) has no entry.
    public var fields: [String: [String]]

    public init(id: String, source: String, date: Int64? = nil, title: String? = nil, body: [UInt8], ordinal: Int = 0,
                fields: [String: [String]] = [:]) {
        self.id = id
        self.source = source
        self.date = date
        self.title = title
        self.body = body
        self.ordinal = ordinal
        self.fields = fields
    }

    /// SPEC.md "Documents": the title, a blank line (`"\n\n"`), then the body; just the body when the
    /// title is absent or empty.
    public var analyzedText: [UInt8] {
        guard let title, !title.isEmpty else { return body }
        var out = [UInt8]()
        out.reserveCapacity(title.utf8.count + 2 + body.count)
        out.append(contentsOf: title.utf8)
        out.append(10)
        out.append(10)
        out.append(contentsOf: body)
        return out
    }

    /// Byte length of `analyzedText` without building it.
    public var analyzedByteCount: Int {
        guard let title, !title.isEmpty else { return body.count }
        return title.utf8.count + 2 + body.count
    }
}

/// A stream of documents. Readers conform; the engine pulls from one on a single thread.
public protocol DocumentSource {
    /// The next document, or nil at the end. Throws only for fatal errors (e.g. `--strict`).
    mutating func next() throws -> Document?
}

/// A source over documents already in memory (tests, small inputs).
public struct ArrayDocumentSource: DocumentSource {
    private var documents: [Document]
    private var index = 0
    public init(_ documents: [Document]) {
        self.documents = documents
        for i in self.documents.indices { self.documents[i].ordinal = i }
    }
    public mutating func next() throws -> Document? {
        guard index < documents.count else { return nil }
        defer { index += 1 }
        return documents[index]
    }
}
