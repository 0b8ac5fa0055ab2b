import CZlib
import CZstd

/// Compresses Parquet pages: GZIP (zlib with a gzip wrapper) or ZSTD (one reusable context).
final class PageCompressor {
    let codec: Compression
    let level: Int?
    private var zctx: OpaquePointer?
    private(set) var output: [UInt8] = []

    init(_ codec: Compression, level: Int?) {
        self.codec = codec
        self.level = level
        if codec == .zstd { zctx = ZSTD_createCCtx() }
    }

    deinit { if let z = zctx { ZSTD_freeCCtx(z) } }

    /// Parquet's CompressionCodec value.
    var parquetCodec: Int32 {
        switch codec {
        case .none: return 0
        case .gzip: return 2
        case .zstd: return 6
        }
    }

    /// Compresses `input` into `output` (returns the compressed bytes' count).
    func compress(_ input: UnsafeRawBufferPointer) throws -> Int {
        switch codec {
        case .none:
            output.removeAll(keepingCapacity: true)
            output.append(contentsOf: input)
            return output.count
        case .zstd:
            let bound = ZSTD_compressBound(input.count)
            if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
            let n = output.withUnsafeMutableBytes { dst in
                ZSTD_compressCCtx(zctx, dst.baseAddress, dst.count, input.baseAddress, input.count, Int32(level ?? 3))
            }
            if ZSTD_isError(n) != 0 {
                throw ExportError.compression("zstd: \(String(cString: ZSTD_getErrorName(n)))")
            }
            return n
        case .gzip:
            var strm = z_stream()
            var rc = czlib_deflateInit2(&strm, Int32(level ?? 6), Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY)
            guard rc == Z_OK else { throw ExportError.compression("zlib: deflateInit2 failed (\(rc))") }
            defer { deflateEnd(&strm) }
            let bound = Int(deflateBound(&strm, uLong(input.count))) + 32
            if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
            let produced: Int = output.withUnsafeMutableBytes { dst in
                strm.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
                strm.avail_in = uInt(input.count)
                strm.next_out = dst.baseAddress!.assumingMemoryBound(to: Bytef.self)
                strm.avail_out = uInt(dst.count)
                rc = deflate(&strm, Z_FINISH)
                return dst.count - Int(strm.avail_out)
            }
            guard rc == Z_STREAM_END else { throw ExportError.compression("zlib: deflate failed (\(rc))") }
            return produced
        }
    }
}
