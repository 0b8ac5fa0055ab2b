import Synchronization

/// Why a warning was raised; counted separately in the end-of-run summary.
public enum DiagnosticKind: String, Sendable, CaseIterable {
    /// A record was skipped (malformed JSONL line, wrong CSV field count, missing text, binary/empty file, unreadable path).
    case skipped
    /// A date could not be parsed: the document is kept, undated.
    case badDate = "bad_date"
    /// Invalid UTF-8 was replaced by U+FFFD.
    case invalidUTF8 = "invalid_utf8"
    /// Anything else worth telling (unknown locale fallback, ...). Not fatal under `--strict`.
    case note
}

/// A fatal error raised by `--strict` or by an unrecoverable condition.
public struct CorpusError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// True when `--strict` turned a warning into this error (the CLI exits 65, EX_DATAERR).
    public var strict: Bool
    public init(_ message: String, strict: Bool = false) {
        self.message = message
        self.strict = strict
    }
    public var description: String { message }
}

/// Collects warnings from readers and workers (thread-safe), prints them to stderr as
/// `file:line: message`, counts them per kind, and turns them fatal under `--strict`.
public final class Diagnostics: Sendable {
    private struct State {
        var counts: [DiagnosticKind: Int] = [:]
        var invalidUTF8Sequences = 0
        var printed = 0
        var messages: [String] = []
        var unreadableInputs = 0
    }
    private let state = Locked(State())
    /// `--strict`: any warning other than `.note` becomes fatal.
    public let strict: Bool
    /// Print warnings to stderr (tests turn it off and read `messages`).
    public let echo: Bool
    /// At most this many warnings are printed; the rest are only counted.
    public let printLimit: Int

    public init(strict: Bool = false, echo: Bool = true, printLimit: Int = 200) {
        self.strict = strict
        self.echo = echo
        self.printLimit = printLimit
    }

    /// Report `location: message`. Throws a `CorpusError` under `--strict` unless the kind is `.note`.
    public func warn(_ kind: DiagnosticKind, at location: String, _ message: String) throws {
        let line = location.isEmpty ? message : "\(location): \(message)"
        let shouldPrint: Bool = state.withLock { s in
            s.counts[kind, default: 0] += 1
            if s.messages.count < 10_000 { s.messages.append(line) }
            s.printed += 1
            return s.printed <= printLimit
        }
        if strict && kind != .note {
            throw CorpusError("\(line) (--strict)", strict: true)
        }
        if echo && shouldPrint { printError(kind == .note ? "note: \(line)" : "warning: \(line)") }
        if echo && !shouldPrint && kind != .note {
            let n = state.withLock { $0.printed }
            if n == printLimit + 1 { printError("warning: more warnings are counted but not printed") }
        }
    }

    /// An input path (a file named or found in a folder, or a folder) could not be read at all: missing,
    /// unreadable, or not a corpus file (binary, empty, a JSON array, a table without a text column).
    /// Counted as `.skipped` and as an unreadable input (the CLI then exits 1, or 66 when nothing was read).
    /// `printed` replaces the default `warning: location: message` line on stderr.
    public func unreadable(at location: String, _ message: String, printed: String? = nil) throws {
        state.withLock { $0.unreadableInputs += 1 }
        if let printed, !strict {
            let line = location.isEmpty ? message : "\(location): \(message)"
            let shouldPrint: Bool = state.withLock { s in
                s.counts[.skipped, default: 0] += 1
                if s.messages.count < 10_000 { s.messages.append(line) }
                s.printed += 1
                return s.printed <= printLimit
            }
            if echo && shouldPrint { printError(printed) }
            return
        }
        try warn(.skipped, at: location, message)
    }

    /// Input paths that could not be read at all (see `unreadable(at:_:printed:)`).
    public var unreadableInputs: Int { state.withLock { $0.unreadableInputs } }

    /// Record `n` invalid UTF-8 sequences found in one file (counted for `info`).
    public func addInvalidUTF8(_ n: Int) {
        state.withLock { $0.invalidUTF8Sequences += n }
    }

    public func count(_ kind: DiagnosticKind) -> Int { state.withLock { $0.counts[kind, default: 0] } }
    public var invalidUTF8Sequences: Int { state.withLock { $0.invalidUTF8Sequences } }
    public var messages: [String] { state.withLock { $0.messages } }
    public var warningCount: Int { state.withLock { s in s.counts.filter { $0.key != .note }.values.reduce(0, +) } }

    /// One line for the end of a run, e.g. `3 records skipped, 1 bad date`; nil when nothing happened.
    public func summaryLine() -> String? {
        let s = state.withLock { $0 }
        var parts: [String] = []
        if s.unreadableInputs > 0 {
            parts.append("\(s.unreadableInputs) input\(s.unreadableInputs == 1 ? "" : "s") could not be read")
        }
        if let n = s.counts[.skipped].map({ $0 - s.unreadableInputs }), n > 0 {
            parts.append("\(n) record\(n == 1 ? "" : "s") skipped")
        }
        if let n = s.counts[.badDate], n > 0 { parts.append("\(n) bad date\(n == 1 ? "" : "s") (documents kept, undated)") }
        if s.invalidUTF8Sequences > 0 { parts.append("\(s.invalidUTF8Sequences) invalid UTF-8 sequence\(s.invalidUTF8Sequences == 1 ? "" : "s") replaced by U+FFFD") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}

/// Write a line to standard error.
public func printError(_ message: String) {
    clearProgressLine()
    var line = message
    line.append("\n")
    line.withUTF8 { buf in
        _ = writeStandardError(buf.baseAddress!, buf.count)
    }
}
