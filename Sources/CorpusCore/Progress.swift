import Dispatch
import Synchronization

/// Whether a progress line is on stderr now: `printError` clears it first, so a warning never lands in
/// the middle of it (the next tick draws the line again).
let progressLineShown = Atomic<Bool>(false)

/// Clears the progress line, if one is shown, before something else is written to stderr.
func clearProgressLine() {
    if progressLineShown.exchange(false, ordering: .relaxed) { writeStderr("\r\u{1B}[K") }
}

private func writeStderr(_ s: String) {
    var s = s
    s.withUTF8 { buf in _ = writeStandardError(buf.baseAddress!, buf.count) }
}

/// The mechanics every progress line shares: redrawn by a timer every half second once a second has
/// passed, each draw replacing the line (`\r`, clear to end); on `stop`, a last draw and a line end.
/// `draw(final)` returns the line's text.
final class ProgressLine: Sendable {
    private let shown = Atomic<Bool>(false)
    private let draw: @Sendable (_ final: Bool) -> String
    nonisolated(unsafe) private var timer: DispatchSourceTimer? = nil  // start()/stop() on the calling thread

    init(draw: @escaping @Sendable (_ final: Bool) -> String) { self.draw = draw }

    func start() {
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        t.schedule(deadline: .now() + .milliseconds(1000), repeating: .milliseconds(500))
        t.setEventHandler { [weak self] in self?.show(final: false) }
        timer = t
        t.resume()
    }

    func stop() {
        timer?.cancel()
        timer = nil
        if shown.load(ordering: .relaxed) {
            show(final: true)
            writeStderr("\n")
            progressLineShown.store(false, ordering: .relaxed)
        }
    }

    private func show(final: Bool) {
        shown.store(true, ordering: .relaxed)
        writeStderr("\r\u{1B}[K" + draw(final))
        progressLineShown.store(true, ordering: .relaxed)
    }
}

/// `1234567` → `1,234,567`: every number of four digits or more grouped by thousands.
public func groupedThousands(_ v: Int64) -> String {
    let digits = String(v.magnitude)
    if digits.count <= 3 { return v < 0 ? "-" + digits : digits }
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return v < 0 ? "-" + out : out
}

/// Progress on stderr: bytes and documents done, MB/s, ETA. Shown only when enabled (a terminal,
/// or `--progress`) and once the run has lasted more than a second.
public final class ProgressMeter: Sendable {
    private let bytesDone = Atomic<Int>(0)
    private let docsDone = Atomic<Int>(0)
    /// Total input bytes when known (for the ETA), else 0.
    public let totalBytes: Int
    public let enabled: Bool
    private let startTime: UInt64
    nonisolated(unsafe) private var line: ProgressLine? = nil  // start()/stop() on the calling thread

    public init(totalBytes: Int, enabled: Bool) {
        self.totalBytes = totalBytes
        self.enabled = enabled
        self.startTime = DispatchTime.now().uptimeNanoseconds
    }

    @inline(__always)
    public func add(bytes: Int, documents: Int) {
        bytesDone.add(bytes, ordering: .relaxed)
        docsDone.add(documents, ordering: .relaxed)
    }

    public var bytes: Int { bytesDone.load(ordering: .relaxed) }
    public var documents: Int { docsDone.load(ordering: .relaxed) }
    public var elapsedSeconds: Double { Double(DispatchTime.now().uptimeNanoseconds - startTime) / 1e9 }

    public func start() {
        guard enabled else { return }
        let l = ProgressLine { [weak self] final in self?.text(final: final) ?? "" }
        line = l
        l.start()
    }

    public func stop() {
        line?.stop()
        line = nil
    }

    private func text(final: Bool) -> String {
        let secs = max(elapsedSeconds, 1e-9)
        let b = bytes
        let mb = Double(b) / 1e6
        let rate = mb / secs
        var line = "\(formatMB(mb)) MB, \(documents) documents, \(formatMB(rate)) MB/s"
        if totalBytes > 0 && !final {
            let pct = min(100, Double(b) * 100 / Double(totalBytes))
            let remaining = rate > 0 ? (Double(totalBytes - b) / 1e6) / rate : 0
            line += ", \(Int(pct))%, ETA \(Int(max(0, remaining).rounded()))s"
        } else if final {
            line += ", \(formatMB(secs)) s"
        }
        return line
    }

    private func formatMB(_ x: Double) -> String {
        let v = (x * 10).rounded() / 10
        return String(v)
    }
}

/// Progress of writing one table on stderr: "writing cooc.parquet: 1,200,000 rows, 310,000 rows/s", every
/// half second once the table has taken a second, then a closing line with the total and the time.
public final class RowProgress: Sendable {
    private let rows = Atomic<Int>(0)
    private let startTime = DispatchTime.now().uptimeNanoseconds
    nonisolated(unsafe) private var line: ProgressLine? = nil  // init/stop() on the calling thread
    /// Off: `add` does nothing (an atomic add per row was 3% of writing `analyze`'s tables).
    private let enabled: Bool

    public init(name: String, enabled: Bool) {
        self.enabled = enabled
        guard enabled else { return }
        let l = ProgressLine { [weak self] final in self?.text(name, final: final) ?? "" }
        line = l
        l.start()
    }

    @inline(__always) public func add(_ n: Int = 1) { if enabled { rows.add(n, ordering: .relaxed) } }

    public func stop() {
        line?.stop()
        line = nil
    }

    private func text(_ name: String, final: Bool) -> String {
        let secs = max(Double(DispatchTime.now().uptimeNanoseconds - startTime) / 1e9, 1e-9)
        let n = rows.load(ordering: .relaxed)
        var t = "writing \(name): \(groupedThousands(Int64(n))) rows, \(groupedThousands(Int64(Double(n) / secs))) rows/s"
        if final { t += ", \((secs * 10).rounded() / 10) s" }
        return t
    }
}
