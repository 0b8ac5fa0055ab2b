#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CorpusCore
import Synchronization

/// The text of an errno value.
func systemErrorMessage(_ err: Int32) -> String {
    if let p = strerror(err) { return String(cString: p) }
    return "errno \(err)"
}

// MARK: - Temporary-file registry

/// Temporary output files that must not survive the process: unlinked by `abandon()`, at `exit`, and by a
/// SIGINT/SIGTERM/SIGHUP handler (which then lets the signal take its previous course). Slots hold
/// C strings so that the handler only calls `unlink` (async-signal-safe). A signal that the process
/// inherited as ignored (`nohup`, `trap '' INT`) gets no handler: it stays ignored, the run goes on and
/// its output is written, as the caller asked.
enum TempFileRegistry {
    static let capacity = 256
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    /// The handlers that were in place before ours, indexed by signal number (a plain buffer: the
    /// signal handler must not touch Swift collections).
    nonisolated(unsafe) static let previous: UnsafeMutablePointer<sigaction> = {
        let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        p.initialize(repeating: sigaction(), count: 65)
        return p
    }()
    static let lock = Locked<Bool>(false)  // true once handlers are installed

    /// Registers `path`; returns its slot (or -1 when the registry is full: the file is then only
    /// removed by `abandon()`).
    static func register(_ path: String) -> Int {
        installHandlersOnce()
        return lock.withLock { _ in
            for i in 0..<capacity where slots[i] == nil {
                slots[i] = strdup(path)
                return i
            }
            return -1
        }
    }

    static func unregister(_ slot: Int) {
        guard slot >= 0 else { return }
        lock.withLock { _ in
            let p = slots[slot]
            slots[slot] = nil
            free(p)
        }
    }

    /// Unlinks every registered file (signal-safe: no locks, no allocation).
    static func unlinkAll() {
        for i in 0..<capacity {
            if let p = slots[i] { unlink(p) }
        }
    }

    static func installHandlersOnce() {
        let first = lock.withLock { installed -> Bool in
            if installed { return false }
            installed = true
            return true
        }
        guard first else { return }
        _ = slots  // initialize the lazy globals before a handler can run
        atexit { TempFileRegistry.unlinkAll() }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var current = sigaction()
            if sigaction(sig, nil, &current) == 0 && isIgnored(current) { continue }
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = { sig in TempFileRegistry.onSignal(sig) }
            #else
            action.__sigaction_u.__sa_handler = { sig in TempFileRegistry.onSignal(sig) }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            _ = previous  // initialize before the handler can run
            sigaction(sig, &action, previous + Int(sig))
        }
    }

    /// True when `action` is SIG_IGN.
    static func isIgnored(_ action: sigaction) -> Bool {
        #if canImport(Glibc)
        let handler = action.__sigaction_handler.sa_handler
        #else
        let handler = action.__sigaction_u.__sa_handler
        #endif
        return (handler.map { unsafeBitCast($0, to: Int.self) } ?? 0) == 1
    }

    static func onSignal(_ sig: Int32) {
        unlinkAll()
        guard sig > 0 && sig < 65 else { return }
        var old = previous[Int(sig)]
        #if canImport(Glibc)
        let handler = old.__sigaction_handler.sa_handler
        #else
        let handler = old.__sigaction_u.__sa_handler
        #endif
        let raw = handler.map { unsafeBitCast($0, to: Int.self) } ?? 0
        if raw == 0 {  // SIG_DFL: die of the signal, as the shell expects
            sigaction(sig, &old, nil)
            raise(sig)
        } else if raw == 1 {  // SIG_IGN
            return
        } else {
            handler?(sig)
        }
    }
}

/// Removes every temporary output file still registered (e.g. before the CLI exits on a fatal error).
/// Safe to call at any time; files already renamed into place are not affected.
public func removePendingTemporaryFiles() {
    TempFileRegistry.unlinkAll()
}

// MARK: - Buffered byte output

/// A buffered writer to a file descriptor: stdout, or a temporary file renamed into place by `commit()`.
final class ByteSink {
    let fd: Int32
    /// The path shown in messages (`<stdout>` for stdout).
    let displayPath: String
    let isStdout: Bool
    let brokenPipe: BrokenPipePolicy
    @exclusivity(unchecked) private(set) var buffer: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private(set) var capacity: Int
    @exclusivity(unchecked) var count = 0
    /// Bytes already handed to the kernel.
    @exclusivity(unchecked) private(set) var flushed: Int64 = 0
    private var tempPath: String?
    private var finalPath: String?
    private var slot = -1
    private var closed = false

    /// Position in the output (bytes written so far, flushed or buffered).
    var position: Int64 { flushed + Int64(count) }

    private init(fd: Int32, displayPath: String, isStdout: Bool, bufferBytes: Int, brokenPipe: BrokenPipePolicy) {
        self.fd = fd
        self.displayPath = displayPath
        self.isStdout = isStdout
        self.brokenPipe = brokenPipe
        self.capacity = max(4096, bufferBytes)
        self.buffer = .allocate(capacity: capacity)
    }

    deinit {
        if !closed { abandon() }
        buffer.deallocate()
    }

    /// Standard output (EPIPE handled according to `brokenPipe`).
    static func stdout(bufferBytes: Int, brokenPipe: BrokenPipePolicy) -> ByteSink {
        if brokenPipe == .throwError || brokenPipe == .exitQuietly {
            // Without this, a closed pipe kills the process with SIGPIPE before we can react.
            signal(SIGPIPE, SIG_IGN)
        }
        return ByteSink(fd: 1, displayPath: "<stdout>", isStdout: true, bufferBytes: bufferBytes, brokenPipe: brokenPipe)
    }

    /// A temporary file beside `path` (`.NAME.tmp-PID-N`), registered for removal until `commit()`.
    static func atomicFile(_ path: String, bufferBytes: Int) throws -> ByteSink {
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
            if (st.st_mode & S_IFMT) == S_IFDIR {
                throw ExportError.refused("\(escapedPath(path)): is a directory (give a file name)")
            }
            // A device or FIFO (`-o /dev/null`, `-o /dev/stdout`, a named pipe): write to it directly;
            // renaming over it would replace the device node.
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            if fd < 0 { throw ExportError.io(path: escapedPath(path), operation: "open", errno: errno) }
            return ByteSink(fd: fd, displayPath: escapedPath(path), isStdout: false, bufferBytes: bufferBytes, brokenPipe: .throwError)
        }
        // Through a symbolic link: replace the file it points to, not the link.
        var target = path
        if let resolved = realpath(path, nil) {
            target = String(decoding: UnsafeRawBufferPointer(start: resolved, count: strlen(resolved)), as: UTF8.self)
            free(resolved)
        }
        let (dir, base) = splitPath(target)
        var attempt = 0
        while true {
            let tmp = (dir.isEmpty ? "" : dir + "/") + ".\(base).tmp-\(getpid())-\(nextTempCounter())"
            // Registered before it exists: a signal arriving just after the file is created still removes it
            // (removing a path that was never created is harmless).
            let slot = TempFileRegistry.register(tmp)
            let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd < 0 {
                let e = errno
                TempFileRegistry.unregister(slot)
                attempt += 1
                if e == EEXIST && attempt < 100 { continue }
                throw ExportError.io(path: escapedPath(path), operation: "create temporary file", errno: e)
            }
            let sink = ByteSink(fd: fd, displayPath: escapedPath(path), isStdout: false, bufferBytes: bufferBytes, brokenPipe: .throwError)
            sink.tempPath = tmp
            sink.finalPath = target
            sink.slot = slot
            return sink
        }
    }

    /// Temporary path (nil for stdout).
    var temporaryPath: String? { tempPath }

    @inline(__always)
    func ensure(_ n: Int) throws {
        if count + n > capacity {
            try flush()
            if n > capacity {
                let newCap = max(n, capacity * 2)
                let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: newCap)
                buffer.deallocate()
                buffer = nb
                capacity = newCap
            }
        }
    }

    @inline(__always)
    func append(_ byte: UInt8) throws {
        if count == capacity { try flush() }
        buffer[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ p: UnsafeRawBufferPointer) throws {
        let n = p.count
        if n == 0 { return }
        if count + n > capacity {
            try flush()
            if n >= capacity {  // write large blocks directly
                try writeAll(p.baseAddress!.assumingMemoryBound(to: UInt8.self), n)
                return
            }
        }
        (buffer + count).update(from: p.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n)
        count += n
    }

    func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    func append(_ s: String) throws {
        var s = s
        try s.withUTF8 { try append(UnsafeRawBufferPointer($0)) }
    }

    func flush() throws {
        guard count > 0 else { return }
        let n = count
        count = 0
        try writeAll(buffer, n)
    }

    private func writeAll(_ p: UnsafePointer<UInt8>, _ n: Int) throws {
        guard !closed else { throw ExportError.finished }
        var done = 0
        while done < n {
            let r = write(fd, p + done, n - done)
            if r < 0 {
                let e = errno
                if e == EINTR { continue }
                if e == EPIPE && isStdout {
                    if brokenPipe == .exitQuietly {
                        TempFileRegistry.unlinkAll()
                        exit(0)
                    }
                    throw ExportError.brokenPipe
                }
                throw ExportError.io(path: displayPath, operation: "write", errno: e)
            }
            done += r
        }
        flushed += Int64(n)
    }

    /// Flushes, closes and renames the temporary file into place (stdout: flushes only).
    func commit() throws {
        guard !closed else { throw ExportError.finished }
        do {
            try flush()
        } catch {
            abandon()
            throw error
        }
        closed = true
        guard let tmp = tempPath, let final = finalPath else {
            if !isStdout && close(fd) != 0 { throw ExportError.io(path: displayPath, operation: "close", errno: errno) }
            return
        }
        // The permissions: those of the file being replaced (a 0600 file stays 0600), else what a plain
        // `open(O_CREAT, 0666)` would give under the umask.
        var old = stat()
        if stat(final, &old) == 0 && (old.st_mode & S_IFMT) == S_IFREG {
            fchmod(fd, old.st_mode & 0o7777)
        } else {
            let mask = umask(0)
            umask(mask)
            fchmod(fd, 0o666 & ~mask)
        }
        // Durable before visible (SQLite's discipline): the data reaches the disk before the rename makes
        // it the file, and the folder entry after it — a crash leaves the old file or the new, never a
        // truncated one.
        if fsync(fd) != 0 && errno != EINVAL && errno != EROFS {
            let e = errno
            close(fd)
            unlink(tmp)
            TempFileRegistry.unregister(slot)
            throw ExportError.io(path: displayPath, operation: "fsync", errno: e)
        }
        if close(fd) != 0 {
            let e = errno
            unlink(tmp)
            TempFileRegistry.unregister(slot)
            throw ExportError.io(path: displayPath, operation: "close", errno: e)
        }
        if rename(tmp, final) != 0 {
            let e = errno
            unlink(tmp)
            TempFileRegistry.unregister(slot)
            throw ExportError.io(path: displayPath, operation: "rename", errno: e)
        }
        TempFileRegistry.unregister(slot)
        tempPath = nil
        try syncFolder(of: final)
    }

    /// fsync of the folder holding `path`, so that a rename into it survives a crash. File systems that
    /// cannot sync a folder (EINVAL, EROFS) are let be.
    private func syncFolder(of path: String) throws {
        let (dir, _) = splitPath(path)
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { return }
        defer { close(dfd) }
        if fsync(dfd) != 0 && errno != EINVAL && errno != EROFS && errno != EBADF {
            throw ExportError.io(path: displayPath, operation: "fsync of its folder", errno: errno)
        }
    }

    /// Drops buffered bytes; closes and removes the temporary file. Idempotent.
    func abandon() {
        guard !closed else { return }
        closed = true
        count = 0
        if let tmp = tempPath {
            close(fd)
            unlink(tmp)
            TempFileRegistry.unregister(slot)
            tempPath = nil
        } else if !isStdout {
            close(fd)
        }
    }

    var isClosed: Bool { closed }
}

private let tempCounter = Atomic<Int>(0)
private func nextTempCounter() -> Int { tempCounter.wrappingAdd(1, ordering: .relaxed).oldValue }

func splitPath(_ path: String) -> (dir: String, base: String) {
    if let slash = path.lastIndex(of: "/") {
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }
    return ("", path)
}
