import Dispatch
import Synchronization

/// Progress on stderr: bytes and documents done, MB/s, ETA. Shown only when enabled (a terminal,
/// or `--progress`) and once the run has lasted more than a second.
public final class ProgressMeter: Sendable {
    private let bytesDone = Atomic<Int>(0)
    private let docsDone = Atomic<Int>(0)
    private let shown = Atomic<Bool>(false)
    /// Total input bytes when known (for the ETA), else 0.
    public let totalBytes: Int
    public let enabled: Bool
    private let startTime: UInt64
    nonisolated(unsafe) private var timer: DispatchSourceTimer? = nil  // touched only by start()/stop() on the calling thread

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
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        t.schedule(deadline: .now() + .milliseconds(1000), repeating: .milliseconds(500))
        t.setEventHandler { [weak self] in self?.draw(final: false) }
        timer = t
        t.resume()
    }

    public func stop() {
        timer?.cancel()
        timer = nil
        if shown.load(ordering: .relaxed) {
            draw(final: true)
            printError("")
        }
    }

    private func draw(final: Bool) {
        shown.store(true, ordering: .relaxed)
        let secs = max(elapsedSeconds, 1e-9)
        let b = bytes
        let mb = Double(b) / 1e6
        let rate = mb / secs
        var line = "\r\u{1B}[K\(formatMB(mb)) MB, \(documents) documents, \(formatMB(rate)) MB/s"
        if totalBytes > 0 && !final {
            let pct = min(100, Double(b) * 100 / Double(totalBytes))
            let remaining = rate > 0 ? (Double(totalBytes - b) / 1e6) / rate : 0
            line += ", \(Int(pct))%, ETA \(Int(max(0, remaining).rounded()))s"
        } else if final {
            line += ", \(formatMB(secs)) s"
        }
        var s = line
        s.withUTF8 { buf in _ = writeStandardError(buf.baseAddress!, buf.count) }
    }

    private func formatMB(_ x: Double) -> String {
        let v = (x * 10).rounded() / 10
        return String(v)
    }
}
