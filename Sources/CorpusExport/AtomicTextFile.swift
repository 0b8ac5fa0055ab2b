/// A text file written through a temporary file beside it and renamed into place on `commit` (the same
/// discipline as every table: fsync, the old file's mode kept): for outputs that are not tables, such as
/// a Matrix Market file.
public final class AtomicTextFile {
    private let sink: ByteSink
    private var done = false

    public init(path: String) throws {
        sink = try ByteSink.atomicFile(path, bufferBytes: 1 << 20)
    }

    public func write(_ s: String) throws { try sink.append(s) }

    public func commit() throws {
        done = true
        try sink.commit()
    }

    public func abandon() {
        guard !done else { return }
        done = true
        sink.abandon()
    }

    deinit { abandon() }
}
