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

/// Decompresses Parquet pages (the reader's side): UNCOMPRESSED, SNAPPY, GZIP, ZSTD. Every codec must
/// produce exactly the page header's uncompressed size; other codecs are refused by name.
enum PageDecompressor {
    /// Parquet's CompressionCodec names, for messages.
    static func codecName(_ codec: Int32) -> String {
        switch codec {
        case 0: return "UNCOMPRESSED"
        case 1: return "SNAPPY"
        case 2: return "GZIP"
        case 3: return "LZO"
        case 4: return "BROTLI"
        case 5: return "LZ4"
        case 6: return "ZSTD"
        case 7: return "LZ4_RAW"
        default: return "codec \(codec)"
        }
    }

    static func isSupported(_ codec: Int32) -> Bool { codec == 0 || codec == 1 || codec == 2 || codec == 6 }

    static func decompress(codec: Int32, _ input: UnsafeRawBufferPointer, uncompressedSize: Int) throws -> [UInt8] {
        switch codec {
        case 0:
            guard input.count == uncompressedSize else {
                throw ParquetFormatError("uncompressed page of \(input.count) bytes, the page header says \(uncompressedSize)")
            }
            return Array(input)
        case 1:
            return try Snappy.decompress(input, expected: uncompressedSize)
        case 2:
            return try gunzip(input, expected: uncompressedSize)
        case 6:
            return try unzstd(input, expected: uncompressedSize)
        default:
            throw ParquetFormatError("compression codec \(codecName(codec)) is not supported (use UNCOMPRESSED, SNAPPY, GZIP or ZSTD)")
        }
    }

    private static func unzstd(_ input: UnsafeRawBufferPointer, expected: Int) throws -> [UInt8] {
        guard let base = input.baseAddress, input.count > 0 else { throw ParquetFormatError("zstd: empty page") }
        let declared = ZSTD_getFrameContentSize(base, input.count)
        // ZSTD_CONTENTSIZE_UNKNOWN (-1) is allowed (then the output must still fill `expected`); ERROR (-2) is not.
        if declared == UInt64.max - 1 { throw ParquetFormatError("zstd: not a zstd frame") }
        if declared != UInt64.max && declared != UInt64(expected) {
            throw ParquetFormatError("zstd: frame holds \(declared) bytes, the page header says \(expected)")
        }
        var out = [UInt8](repeating: 0, count: expected)
        let n = out.withUnsafeMutableBytes { dst in
            ZSTD_decompress(dst.baseAddress, dst.count, base, input.count)
        }
        if ZSTD_isError(n) != 0 { throw ParquetFormatError("zstd: \(String(cString: ZSTD_getErrorName(n)))") }
        guard n == expected else { throw ParquetFormatError("zstd: \(n) bytes, the page header says \(expected)") }
        return out
    }

    private static func gunzip(_ input: UnsafeRawBufferPointer, expected: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: expected)
        if input.isEmpty { throw ParquetFormatError("gzip: empty page") }
        var strm = z_stream()
        guard czlib_inflateInit2(&strm, 15 + 32) == Z_OK else { throw ParquetFormatError("gzip: inflateInit2 failed") }  // gzip or zlib header
        defer { inflateEnd(&strm) }
        var rc: Int32 = Z_OK
        let produced: Int = out.withUnsafeMutableBytes { dst in
            strm.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            strm.avail_in = uInt(input.count)
            var spare: UInt8 = 0
            if let d = dst.baseAddress, dst.count > 0 {
                strm.next_out = d.assumingMemoryBound(to: Bytef.self)
                strm.avail_out = uInt(dst.count)
                rc = inflate(&strm, Z_FINISH)
                return dst.count - Int(strm.avail_out)
            }
            // An empty page: a valid stream must still end.
            return withUnsafeMutablePointer(to: &spare) { s in
                strm.next_out = s
                strm.avail_out = 1
                rc = inflate(&strm, Z_FINISH)
                return 1 - Int(strm.avail_out)
            }
        }
        guard rc == Z_STREAM_END, produced == expected else {
            if rc == Z_STREAM_END || rc == Z_BUF_ERROR || rc == Z_OK {
                throw ParquetFormatError("gzip: page does not inflate to the \(expected) bytes its header says")
            }
            throw ParquetFormatError("gzip: corrupt data (zlib error \(rc))")
        }
        return out
    }
}
