import CorpusCore
import CorpusICU

/// Per document, what duplicate detection needs (Dedup.swift): its exact key and, in near mode, the
/// MinHash signature of its word 5-shingles; with names, its id and source. Nothing else is kept: 24 bytes
/// per document for exact, 281 for near (plus the id and source for `dups`).
final class SignatureRecorder: WorkerAnalyzer {
    let request: DedupSignatureRequest
    let vocab: Vocabulary
    /// The run's token normalizer, applied to the whole text (nil only if ICU refused options the
    /// worker's tokenizer just accepted: the text is then keyed as it is).
    let normalizer: TokenNormalizer?
    var chunk = SignatureChunk()
    private var termHashes: [UInt64] = []
    private var scratch: [UInt8] = []
    private var window: [UInt64] = []
    private var minima = MinHash.Accumulator()

    init(request: DedupSignatureRequest, plan: AnalysisPlan, vocab: Vocabulary) {
        self.request = request
        self.vocab = vocab
        normalizer = try? plan.tokenizer.makeNormalizer()
    }

    func grow(to n: Int) {
        guard request.mode == .near else { return }
        for id in termHashes.count..<max(n, termHashes.count) {
            let b = vocab.bytes(TermID(id))
            termHashes.append(b.baseAddress.map { MinHash.termHash($0, b.count) } ?? Hash.mix(0))
        }
    }

    func process(_ doc: Document, _ c: WorkerContext) {
        chunk.ordinals.append(doc.ordinal)
        chunk.exactKeys.append(exactKey(doc))
        if request.mode == .near { appendSignature(c.tokens.terms) }
        if request.names {
            chunk.ids.append(doc.id)
            chunk.sources.append(doc.source)
        }
    }

    private func exactKey(_ doc: Document) -> ExactKey {
        let key: (UnsafeBufferPointer<UInt8>) -> ExactKey = { text in
            if let n = self.normalizer { return ExactKey.of(text, normalizer: n, scratch: &self.scratch) }
            self.scratch = Array(text)
            ExactKey.collapseWhiteSpace(&self.scratch)
            return self.scratch.withUnsafeBufferPointer { p in
                p.baseAddress.map { ExactKey(a: Hash.bytes($0, p.count), b: Hash.mix(UInt64(p.count))) } ?? ExactKey(a: 0, b: 0)
            }
        }
        if let title = doc.title, !title.isEmpty { return doc.analyzedText.withUnsafeBufferPointer(key) }
        return doc.body.withUnsafeBufferPointer(key)
    }

    /// The signature of the document's shingles (`MinHash.shingles`), or a blank one when it has no token.
    private func appendSignature(_ terms: [TermID]) {
        minima.reset()
        let n = terms.count
        if n > 0 {
            let k = min(MinHash.shingleLength, n)
            window.removeAll(keepingCapacity: true)
            for t in terms { window.append(termHashes[Int(t)]) }
            window.withUnsafeBufferPointer { w in
                for i in 0...(n - k) { minima.add(MinHash.shingleHash(UnsafeBufferPointer(rebasing: w[i..<(i + k)]))) }
            }
        }
        chunk.hasShingles.append(!minima.isEmpty)
        if minima.isEmpty {
            chunk.minhashes.append(contentsOf: repeatElement(0, count: MinHash.size))
        } else {
            minima.finish(into: &chunk.minhashes)
        }
    }

    /// The worker's signatures join the run's list (ordered by ordinal when resolved).
    func merge(into stats: CorpusStats, remap: [TermID]) {
        stats.signatures.append(chunk)
    }
}
