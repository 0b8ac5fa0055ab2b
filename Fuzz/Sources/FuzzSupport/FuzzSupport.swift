// Shared by the reader fuzz targets: writes the fuzz input to a per-process temp file and reads it
// through the public `CorpusReader` (framing + decoding, the same path as the CLI), then checks the
// invariants every reader promises whatever the input: it never crashes, it throws only under
// --strict, and every document it hands out is valid UTF-8 with a unique, increasing ordinal.
import CorpusCore
import CorpusReaders
import CLibFuzzer

#if canImport(Glibc)
import Glibc
#endif

/// Temp files written so far (removed at exit).
nonisolated(unsafe) var tempFiles: Set<String> = []

/// Writes `data[0..<size]` to `$TMPDIR/corpuskit-fuzz-<pid>.<ext>` (overwritten on every input, removed
/// at exit) and returns the path. Traps when the file cannot be written (a harness failure, not a finding).
public func writeInput(_ data: UnsafePointer<UInt8>, _ size: Int, ext: String) -> String {
    let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    let path = "\(dir.isEmpty ? "/tmp" : dir)/corpuskit-fuzz-\(getpid()).\(ext)"
    if tempFiles.isEmpty { atexit { for f in tempFiles { unlink(f) } } }
    tempFiles.insert(path)
    // A new file each time: truncating one that holds data makes ext4 flush it on close (slow).
    unlink(path)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    precondition(fd >= 0, "fuzz harness: cannot create \(path)")
    var done = 0
    while done < size {
        let r = write(fd, data + done, size - done)
        precondition(r > 0, "fuzz harness: cannot write \(path)")
        done += r
    }
    close(fd)
    return path
}

/// Reads `path` with `options` (non-strict and strict) and checks the reader invariants. Returns the
/// documents of the non-strict read.
@discardableResult
public func readAndCheck(_ path: String, _ options: ReaderOptions) -> [Document] {
    let lenient = Diagnostics(strict: false, echo: false)
    let docs: [Document]
    do {
        docs = try CorpusReader(paths: [path], options: options, diagnostics: lenient).readAll()
    } catch {
        fatalError("reader threw without --strict: \(error)")
    }
    checkDocuments(docs)
    // Under --strict the first warning throws; whatever it reads must still be well-formed, and a run
    // without warnings must read the same documents.
    let strict = Diagnostics(strict: true, echo: false)
    do {
        let strictDocs = try CorpusReader(paths: [path], options: options, diagnostics: strict).readAll()
        checkDocuments(strictDocs)
        if lenient.warningCount == 0 && strictDocs != docs {
            fatalError("--strict read different documents from a warning-free input")
        }
    } catch {
        if lenient.warningCount == 0 { fatalError("--strict threw on an input without warnings: \(error)") }
    }
    return docs
}

/// Every document body, title and id is valid UTF-8; ordinals are strictly increasing.
public func checkDocuments(_ docs: [Document]) {
    var last = Int.min
    for d in docs {
        let bad = d.body.withUnsafeBufferPointer { UTF8Repair.firstInvalidOffset($0) }
        if let bad { fatalError("document \(d.id): body has invalid UTF-8 at byte \(bad)") }
        if d.ordinal <= last { fatalError("document \(d.id): ordinal \(d.ordinal) after \(last)") }
        last = d.ordinal
        if let date = d.date { checkDate(date, context: "document \(d.id)") }
    }
}

/// A parsed date is a valid civil day: the day count round-trips through the calendar, the month is
/// 1…12 and the day exists in its month, and formatting it does not trap.
public func checkDate(_ seconds: Int64, context: String) {
    let (days, rem) = seconds.quotientAndRemainder(dividingBy: 86_400)
    let day = rem < 0 ? days - 1 : days
    let (y, m, d) = CivilDate.civil(days: day)
    guard (1...12).contains(m), d >= 1, d <= daysIn(y, m), CivilDate.days(year: y, month: m, day: d) == day else {
        fatalError("\(context): date \(seconds) is not a valid civil day (\(y)-\(m)-\(d))")
    }
    // docs/definitions.md "Dates": years outside 1000–9999 are bad dates, never a document's date
    guard (1000...9999).contains(y) else { fatalError("\(context): date \(seconds) is outside the years 1000–9999") }
    _ = DateParser.iso8601(seconds)
    _ = DateParser.isoDay(seconds)
}

func daysIn(_ y: Int, _ m: Int) -> Int {
    switch m {
    case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// The fuzz input callback as libFuzzer's C driver calls it.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// Runs libFuzzer's driver (its command line, corpus handling and crash reports) with `callback`.
///
/// Why not libFuzzer's own `main`: SwiftPM links every Linux executable with `--defsym
/// main=<Module>_main` (testable executables), and under `-parse-as-library` no `<Module>_main` exists,
/// so each target defines `<Module>_main` itself and calls this.
public func runLibFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, _ callback: FuzzCallback) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}

/// A valid pointer for an empty input (libFuzzer may pass NULL with size 0).
nonisolated(unsafe) public let emptyInput: UnsafePointer<UInt8> = {
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    p.initialize(to: 0)
    return UnsafePointer(p)
}()
