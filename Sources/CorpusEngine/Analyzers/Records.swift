import CorpusCore

/// One record per document (id, source, date, title, tokens, metadata fields): the `docs` table and analyze's documents.
final class DocumentRecorder: WorkerAnalyzer {
    var records: [DocumentRecord] = []

    var needsTokenIDs: Bool { false }

    func grow(to n: Int) {}

    func process(_ doc: Document, _ c: WorkerContext) {
        records.append(DocumentRecord(ordinal: doc.ordinal, id: doc.id, source: doc.source, date: doc.date,
                                      title: doc.title ?? "", tokens: c.tokens.tokenCount, fields: doc.fields))
    }

    /// Records are put in input order (by ordinal) when the run finishes.
    func merge(into stats: CorpusStats, remap: [TermID]) {
        stats.records.append(contentsOf: records)
    }
}
