import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An I/O or decompression failure while reading one input file.
struct ReadFailure: Error {
    var message: String
}

/// A sequential source of bytes (a file descriptor, or gzip on top of one).
protocol ByteStream: AnyObject {
    /// Fills `p[0..<n]` as far as possible; returns the count (0 only at the end). Throws `ReadFailure`.
    func read(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) throws -> Int
    func close()
}

/// Raw reads from a file descriptor (a file or standard input), with a pushback buffer for sniffed bytes.
final class FDStream: ByteStream {
    private var fd: Int32
    private let owned: Bool
    private var pushback: [UInt8] = []
    private var pushbackPos = 0

    /// The file size for a regular file (a read-size hint), else nil.
    let sizeHint: Int?

    init(fd: Int32, owned: Bool) {
        self.fd = fd
        self.owned = owned
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { sizeHint = Int(st.st_size) } else { sizeHint = nil }
    }

    /// Opens `path` for reading; throws ReadFailure with strerror.
    static func open(path: String) throws -> FDStream { try open(bytes: Array(path.utf8)) }

    /// Opens the file at the raw path `bytes` (file names need not be UTF-8).
    static func open(bytes: [UInt8]) throws -> FDStream {
        let fd = (bytes + [0]).withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { Glibc.open($0, O_RDONLY | O_CLOEXEC) }
        }
        if fd < 0 { throw ReadFailure(message: "cannot open: \(String(cString: strerror(errno)))") }
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
        return FDStream(fd: fd, owned: true)
    }

    /// Bytes to be returned again before the descriptor's (sniffing).
    func unread(_ bytes: [UInt8]) {
        pushback = bytes
        pushbackPos = 0
    }

    func read(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) throws -> Int {
        var done = 0
        if pushbackPos < pushback.count {
            let k = min(n, pushback.count - pushbackPos)
            pushback.withUnsafeBufferPointer { src in
                (p).update(from: src.baseAddress! + pushbackPos, count: k)
            }
            pushbackPos += k
            done = k
            if pushbackPos == pushback.count { pushback = []; pushbackPos = 0 }
        }
        while done < n && fd >= 0 {
            let r = Glibc.read(fd, p + done, n - done)
            if r < 0 {
                if errno == EINTR { continue }
                throw ReadFailure(message: "read error: \(String(cString: strerror(errno)))")
            }
            if r == 0 { break }
            done += r
        }
        return done
    }

    func close() {
        if owned && fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }

    deinit { close() }
}

/// gzip (or zlib) decompression through the system zlib, streaming; concatenated gzip members are read
/// one after another (as `gunzip` does). Damage does not throw: the stream ends where it happened, with
/// everything decoded before it delivered, and `damage` says what went wrong (truncated or corrupt data);
/// bytes after the last member that are not another gzip member are counted in `trailingGarbage` and ignored.
final class GzipStream: ByteStream {
    private let source: ByteStream
    private let strm: UnsafeMutablePointer<z_stream>
    private var input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 1 << 18
    private var sourceEOF = false
    private var finished = false
    private var initialized = false
    /// Decompressed bytes delivered so far.
    private(set) var produced: Int64 = 0
    /// Why the data ended early (truncated or corrupt), nil when it decoded to its end.
    private(set) var damage: String?
    /// Bytes after the last complete member that are not gzip data (ignored).
    private(set) var trailingGarbage: Int64 = 0

    init(source: ByteStream) throws {
        self.source = source
        strm = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        strm.initialize(to: z_stream())
        input = UnsafeMutablePointer<UInt8>.allocate(capacity: inputCapacity)
        strm.pointee.next_in = nil
        strm.pointee.avail_in = 0
        let rc = czlib_inflateInit2(strm, 15 + 32)  // 32: detect gzip or zlib header
        guard rc == Z_OK else { throw ReadFailure(message: "zlib inflateInit2 failed (\(rc))") }
        initialized = true
    }

    private func refill() throws {
        if strm.pointee.avail_in > 0 || sourceEOF { return }
        let n = try source.read(input, inputCapacity)
        if n == 0 { sourceEOF = true }
        strm.pointee.next_in = input
        strm.pointee.avail_in = UInt32(n)
    }

    func read(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) throws -> Int {
        if finished { return 0 }
        var done = 0
        defer { produced += Int64(done) }
        while done < n {
            try refill()
            if strm.pointee.avail_in == 0 && sourceEOF {
                damage = "truncated gzip data (unexpected end of file)"
                finished = true
                return done
            }
            strm.pointee.next_out = p + done
            let want = min(n - done, Int(UInt32.max))
            strm.pointee.avail_out = UInt32(want)
            let rc = inflate(strm, Z_NO_FLUSH)
            let got = want - Int(strm.pointee.avail_out)
            done += got
            if rc == Z_STREAM_END {
                // Another member may follow.
                try refill()
                if strm.pointee.avail_in == 0 && sourceEOF {
                    finished = true
                    return done
                }
                // Zero padding some tools append after the last member, or other trailing bytes: not a member.
                if strm.pointee.next_in.pointee != 0x1F || (strm.pointee.avail_in > 1 && strm.pointee.next_in[1] != 0x8B) {
                    var rest = Int64(strm.pointee.avail_in)
                    var allZero = Self.isZero(strm.pointee.next_in, Int(strm.pointee.avail_in))
                    strm.pointee.avail_in = 0
                    while !sourceEOF {
                        let k = try source.read(input, inputCapacity)
                        if k == 0 { sourceEOF = true }
                        rest += Int64(k)
                        if allZero { allZero = Self.isZero(input, k) }
                    }
                    if allZero { rest = 0 }  // zero padding (some tools write it): not worth a note
                    trailingGarbage = rest
                    finished = true
                    return done
                }
                inflateReset(strm)
                continue
            }
            if rc == Z_BUF_ERROR && got == 0 && strm.pointee.avail_in == 0 { continue }
            if rc != Z_OK && rc != Z_BUF_ERROR {
                let msg = strm.pointee.msg.map { String(cString: $0) } ?? "error \(rc)"
                damage = "corrupt gzip data (\(msg))"
                finished = true
                return done
            }
        }
        return done
    }

    private static func isZero(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for k in 0..<n where p[k] != 0 { return false }
        return true
    }

    func close() { source.close() }

    deinit {
        if initialized { inflateEnd(strm) }
        strm.deinitialize(count: 1)
        strm.deallocate()
        input.deallocate()
    }
}
