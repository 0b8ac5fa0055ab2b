import ArgumentParser
import CorpusEngine
import CorpusExport
import CorpusICU

/// The token filters of every analysis command (README "Token filters", docs/definitions.md): applied to
/// normalized terms, positions kept, as stopwords are.
struct TermFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Leave out terms shorter than N user-perceived characters (grapheme clusters of the normalized term).", valueName: "N"))
    var minLength: Int?

    @Flag(help: "Leave out numbers: terms ICU's word-break rules make one segment of rule status 100–199 (1987, 3.5, 1,000, １２).")
    var dropNumbers = false

    @Option(help: ArgumentHelp("Leave out terms an ICU regular expression matches whole (\\p{Han}, \\d+ …; repeatable: any of them).", valueName: "regex"))
    var drop: [String] = []

    @Option(help: ArgumentHelp("Keep only terms an ICU regular expression matches whole (repeatable: any of them).", valueName: "regex"))
    var keep: [String] = []

    @Option(help: ArgumentHelp("Leave out terms found in more than this share of the documents (0 < R ≤ 1). Except in dtm, INPUTS are read twice: a first pass finds those terms.", valueName: "R"))
    var maxDocsRatio: Double?

    func validate() throws {
        if let n = minLength, n < 1 { throw ValidationError("--min-length must be at least 1") }
        if let r = maxDocsRatio, !(r > 0 && r <= 1) { throw ValidationError("--max-docs-ratio must be in (0, 1], not \(r)") }
        for (flag, patterns) in [("--drop", drop), ("--keep", keep)] {
            for p in patterns {
                do { _ = try ICURegex(p) } catch { throw ValidationError("\(flag): \(error)") }
            }
        }
    }

    /// Where the first pass of `--max-docs-ratio` reads.
    struct FirstPass {
        var inputs: [String]
        var read: ReadOptions
        var run: RunOptions
    }

    /// The filter of a run: the stopwords (`--stopwords` as given) and these options. With
    /// --max-docs-ratio and a `firstPass`, its inputs are read once first, counting terms only, and the
    /// terms over the ratio join the filter (so pair counts and their N are exact). Without `firstPass`
    /// the caller applies `maxDocsRatio` itself (dtm's columns).
    func make(stopwords: String?, tokenizer: TokenizerOptions, firstPass: FirstPass?) throws -> TermFilter {
        var filter = TermFilter(stopwords: try Stopwords.load(stopwords, tokenizer: tokenizer))
        filter.minLength = minLength ?? 0
        filter.dropNumbers = dropNumbers
        filter.locale = tokenizer.locale
        filter.maxDocsRatio = maxDocsRatio
        do { try filter.setPatterns(drop: drop, keep: keep) } catch { throw ValidationError("\(error)") }
        if maxDocsRatio != nil, let pass = firstPass {
            filter.addTermsOverRatio(from: try Self.termsOnlyPass(pass, tokenizer: tokenizer))
        }
        return filter
    }

    /// The first pass of --max-docs-ratio: unigram counts and document frequencies only (no n-grams, pairs
    /// or periods); its reader warnings are left to the counting pass.
    private static func termsOnlyPass(_ pass: FirstPass, tokenizer: TokenizerOptions) throws -> CorpusStats {
        if pass.inputs.contains("-") {
            throw ValidationError("--max-docs-ratio reads the corpus twice and standard input can be read once: give a file")
        }
        var first = try Pipeline(read: pass.read, run: pass.run, echo: false)
        return try first.execute(inputs: pass.inputs, plan: AnalysisPlan(tokenizer: tokenizer))
    }
}

extension TermFilter {
    /// The token filters as partials record them (they must agree for partials to merge; stopwords are
    /// recorded beside them as `stopword_terms`).
    var mergeJSON: JSONValue {
        .object([
            "min_length": .int(Int64(minLength)), "drop_numbers": .bool(dropNumbers),
            "drop": .array(dropPatterns.map { .string($0) }), "keep": .array(keepPatterns.map { .string($0) }),
        ])
    }

    /// The token filters as a finished folder's manifest records them (with --max-docs-ratio and the
    /// number of terms it left out).
    var manifestJSON: JSONValue {
        guard case .object(var o) = mergeJSON else { return mergeJSON }
        o["max_docs_ratio"] = maxDocsRatio.map { .double($0) } ?? .null
        o["terms_over_ratio"] = .int(Int64(overRatio.count))
        return .object(o)
    }

    /// Sets the token filters from a partial's `mergeJSON`; `bad` is the error for a malformed value.
    mutating func apply(mergeJSON o: JSONValue, tokenizer: TokenizerOptions, bad: () -> Error) throws {
        guard let n = o["min_length"]?.intValue, n >= 0, case .bool(let numbers)? = o["drop_numbers"],
              let drop = o["drop"]?.arrayValue, let keep = o["keep"]?.arrayValue else { throw bad() }
        let dropPatterns = drop.compactMap(\.stringValue), keepPatterns = keep.compactMap(\.stringValue)
        guard dropPatterns.count == drop.count, keepPatterns.count == keep.count else { throw bad() }
        minLength = Int(n)
        dropNumbers = numbers
        locale = tokenizer.locale
        do { try setPatterns(drop: dropPatterns, keep: keepPatterns) } catch { throw bad() }
    }
}
