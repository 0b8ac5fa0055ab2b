import ArgumentParser
import CorpusCore
import CorpusICU
import CorpusEngine
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension NormalizationMode: ExpressibleByArgument {}
extension SentenceBreakMode: ExpressibleByArgument {}

/// Options shared by every command that tokenizes: normalization and locale.
struct TextOptions: ParsableArguments {
    @Option(help: "Token normalization: nfkc-casefold (default), nfkc, nfc, nfd, nfkd, lowercase, none.")
    var normalize: NormalizationMode = .nfkcCasefold

    @Flag(help: "Strip accents after normalizing (NFD, drop nonspacing marks, NFC).")
    var stripAccents = false

    @Option(help: "ICU locale for word/sentence breaks and lowercasing (default: root).")
    var locale: String = ""

    @Flag(inversion: .prefixedNo, help: "Fold typographic apostrophes (’ ‘ ʼ) to ' in tokens, so it’s and it's are one term.")
    var foldApostrophes = true

    @Option(help: "Sentence breaks: unwrap (a single line break is read as a space; a blank line ends a sentence) or plain (ICU's rules: every line break ends a sentence).")
    var sentenceBreaks: SentenceBreakMode = .unwrap

    var tokenizerOptions: TokenizerOptions {
        TokenizerOptions(normalization: normalize, stripAccents: stripAccents, locale: locale,
                         foldApostrophes: foldApostrophes, sentenceBreaks: sentenceBreaks)
    }

    /// Says once on stderr when ICU has no data for the locale's language (ICU falls back to root); under
    /// `--strict` the run then stops (exit 65) when its `Pipeline` is made.
    func checkLocale() {
        if !locale.isEmpty && !ICUInfo.isKnownLocale(locale) {
            let warning = "unknown locale '\(locale)': ICU falls back to its root rules"
            localeWarning.withLock { $0 = warning }
            printError("warning: \(warning)")
        }
    }
}

/// The unknown-locale warning given by `TextOptions.checkLocale()`, if any (fatal under `--strict`).
let localeWarning = Locked<String?>(nil)

struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Print the tokens of a text, one per line.",
        discussion: """
            Reads TEXT arguments, else --file, else standard input. Tokens are ICU word segments with rule \
            status >= 100 (numbers, letters, kana, ideographs), normalized with NFKC_Casefold by default.

            Example: corpuskit tokens "Don’t panic: U.S. stocks fell 3.5% on Monday."
            """)

    @Argument(help: "Text to tokenize (each argument separately).")
    var text: [String] = []

    @Option(name: .long, help: "Read the text from a file ('-' = standard input).")
    var file: String?

    @Flag(help: "Print an empty line between sentences.")
    var sentences = false

    @Flag(help: "Print every segment (spaces and punctuation too) with its kind, tab-separated: segment<TAB>kind (none, number, letter, kana, ideographic). Segments are printed as in the text, with \\n, \\r, \\t and \\\\ escaped.")
    var allSegments = false

    @Option(help: "Word segmenter: auto (the ICU-exact fast path where proven identical, else ICU) or icu.")
    var segmenter: SegmenterChoice = .auto

    @OptionGroup var textOptions: TextOptions

    func run() throws {
        textOptions.checkLocale()
        var inputs: [(name: String, bytes: [UInt8])] = []
        if let file {
            if file == "-" {
                inputs.append(("<stdin>", readAll(fd: 0)))
            } else {
                let fd = open(file, O_RDONLY)
                guard fd >= 0 else {
                    let e = errno
                    if e == ENOENT { throw CLIError.noInput("no such file or directory: \(file)") }
                    throw CLIError.noInput("cannot read \(file): \(String(cString: strerror(e)))")
                }
                inputs.append((file, readAll(fd: fd)))
                close(fd)
            }
        }
        for (i, t) in text.enumerated() { inputs.append(("argument \(i + 1)", Array(t.utf8))) }
        if inputs.isEmpty { inputs.append(("<stdin>", readAll(fd: 0))) }

        var tokenizerOptions = textOptions.tokenizerOptions
        tokenizerOptions.segmenter = segmenter
        let words = try SegmenterFactory.make(tokenizerOptions)
        let sentenceBreaker = try ICUSentenceSegmenter(locale: textOptions.locale, mode: textOptions.sentenceBreaks)
        let normalizer = try tokenizerOptions.makeNormalizer()
        let out = StdoutWriter()
        var segments: [WordSegment] = []
        var ends: [Int32] = []
        var normalized: [UInt8] = []
        for (name, raw) in inputs {
            var bytes = raw
            if let repaired = UTF8Repair.repair(raw) {
                let where_ = repaired.invalidOffsets.prefix(5).map(String.init).joined(separator: ", ")
                printError("warning: \(name): invalid UTF-8 replaced by U+FFFD at byte offset\(repaired.invalidOffsets.count > 1 ? "s" : "") \(where_)\(repaired.invalidOffsets.count > 5 ? ", …" : "")")
                bytes = repaired.bytes
            }
            bytes.withUnsafeBufferPointer { buf in
                words.segment(buf, into: &segments)
                if sentences { sentenceBreaker.boundaries(buf, into: &ends) } else { ends = [Int32(buf.count)] }
                var s = 0
                var printedInSentence = false
                for seg in segments {
                    while s < ends.count - 1 && seg.start >= ends[s] {
                        s += 1
                        if printedInSentence { out.write(byte: 10); printedInSentence = false }
                    }
                    let slice = UnsafeBufferPointer(rebasing: buf[Int(seg.start)..<Int(seg.end)])
                    if allSegments {
                        writeEscaped(slice, out)
                        out.write("\t\(seg.kind)\n")
                        printedInSentence = true
                        continue
                    }
                    guard seg.isToken else { continue }
                    normalized.removeAll(keepingCapacity: true)
                    normalizer.normalize(slice, into: &normalized)
                    if normalized.isEmpty { continue }
                    normalized.withUnsafeBufferPointer { out.write(bytes: $0) }
                    out.write(byte: 10)
                    printedInSentence = true
                }
                if sentences && printedInSentence { out.write(byte: 10) }
            }
        }
        out.flush()
    }

    private func writeEscaped(_ s: UnsafeBufferPointer<UInt8>, _ out: StdoutWriter) {
        for b in s {
            switch b {
            case 10: out.write("\\n")
            case 13: out.write("\\r")
            case 9: out.write("\\t")
            case 92: out.write("\\\\")
            default: out.write(byte: b)
            }
        }
    }
}
