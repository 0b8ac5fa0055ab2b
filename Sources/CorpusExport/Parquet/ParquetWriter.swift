import Dispatch

/// A streaming Parquet writer (format version 2 metadata, data pages v1).
///
/// Layout: `PAR1`, then per row group and per column one column chunk — an optional dictionary page
/// and data pages of about `pageBytes` — then the Thrift-compact `FileMetaData`, its length
/// (4 bytes, little-endian) and `PAR1`. Physical types: strings BYTE_ARRAY (converted type UTF8,
/// logical type STRING), int64 INT64, double DOUBLE, date INT32 (converted/logical type DATE).
/// Strings are dictionary-encoded (PLAIN dictionary page + RLE_DICTIONARY data pages) until a chunk's
/// dictionary exceeds `dictionaryBytesLimit`, then that chunk is written PLAIN; numbers are PLAIN.
/// Definition levels (RLE hybrid, bit width 1) only for nullable columns. Column statistics:
/// null count, min/max (strings: when both are at most 256 bytes; doubles: NaN ignored).
/// Rows are buffered per row group (`rowGroupRows` rows or about `rowGroupBytes`), then written,
/// so memory stays flat however many rows the table has.
final class ParquetWriter: TableWriter {
    let columns: [Column]
    @exclusivity(unchecked) private(set) var rowCount = 0
    private let sink: ByteSink
    private let options: SinkOptions
    private let buffers: [ColumnChunkBuffer]
    /// The same buffers, for `write` to borrow without reference counting (`buffers` keeps them alive).
    private let unretained: [Unmanaged<ColumnChunkBuffer>]
    /// Column chunk encoders: one, or one per thread (`SinkOptions.threads`) encoding and compressing
    /// the columns of a row group at once.
    private let encoders: [ChunkEncoder]
    private let parquetCodec: Int32
    @exclusivity(unchecked) private var rowsInGroup = 0
    private var rowGroups: [RowGroupMeta] = []
    private var done = false

    struct Stats {
        var nullCount: Int64
        var min: [UInt8]?
        var max: [UInt8]?
    }
    struct ChunkMeta {
        var physicalType: Int32
        var encodings: [Int32]
        var path: String
        var numValues: Int64
        var uncompressed: Int64
        var compressed: Int64
        var dataPageOffset: Int64
        var dictionaryPageOffset: Int64?
        var start: Int64
        var stats: Stats
    }
    struct RowGroupMeta {
        var chunks: [ChunkMeta]
        var numRows: Int64
    }

    init(columns: [Column], sink: ByteSink, options: SinkOptions) throws {
        self.columns = columns
        self.sink = sink
        self.options = options
        self.buffers = columns.map { ColumnChunkBuffer($0, dictionaryLimit: options.dictionaryBytesLimit, reserve: min(options.rowGroupRows, 1 << 16)) }
        self.unretained = buffers.map { Unmanaged.passUnretained($0) }
        let lanes = max(1, min(options.threads, columns.count))
        self.encoders = (0..<lanes).map { _ in ChunkEncoder(PageCompressor(options.compression, level: options.compressionLevel), pageBytes: max(1024, options.pageBytes)) }
        self.parquetCodec = encoders[0].compressor.parquetCodec
        try sink.append(Array("PAR1".utf8))
    }

    func write(_ row: [Cell]) throws {
        if done { throw ExportError.finished }
        try checkRow(row, columns, rowCount)
        for i in 0..<row.count {
            // The buffer borrowed without a retain, its type read without copying the `Column`: per cell,
            // a retain and release of the buffer and of the column's name were a quarter of `analyze`'s
            // time writing its Parquet tables.
            let ok = unretained[i]._withUnsafeGuaranteedRef { b -> Bool in
                switch (row[i], b.type) {
                case (.string(var s), .string):
                    s.withUTF8 { b.appendString($0) }
                case (.bytes(let a), .string):
                    a.withUnsafeBufferPointer { b.appendString($0) }
                case (.int(let v), .int64):
                    b.appendInt(v)
                case (.double(let d), .double):
                    b.appendDouble(d)
                case (.int(let v), .double):
                    b.appendDouble(Double(v))
                case (.date(let d), .date):
                    b.appendDate(d)
                case (.null, _) where b.nullable:
                    b.appendNull()
                default:
                    return false
                }
                return true
            }
            if !ok {
                // Keep the columns aligned: undo this row's earlier cells.
                for k in 0..<i { buffers[k].dropLast() }
                throw typeError(columns[i], row[i], rowCount)
            }
        }
        rowCount += 1
        rowsInGroup += 1
        if rowsInGroup >= options.rowGroupRows {
            try flushRowGroup()
        } else if rowsInGroup & 4095 == 0 {
            var bytes = 0
            for b in buffers { bytes += b.byteEstimate }
            if bytes >= options.rowGroupBytes { try flushRowGroup() }
        }
    }

    func finish() throws {
        if done { throw ExportError.finished }
        done = true
        do {
            if rowsInGroup > 0 { try flushRowGroup() }
            let footer = encodeFooter()
            try sink.append(footer)
            var len = UInt32(footer.count).littleEndian
            try withUnsafeBytes(of: &len) { try sink.append($0) }
            try sink.append(Array("PAR1".utf8))
            try sink.commit()
        } catch {
            sink.abandon()
            throw error
        }
    }

    func abandon() {
        done = true
        sink.abandon()
    }

    // MARK: Row groups and pages

    private func flushRowGroup() throws {
        // Columns are independent: lane k encodes columns k, k + lanes, ... (one lane: every column); each
        // chunk's bytes are the same whichever lane made them, and they are written below in column order.
        let n = buffers.count, lanes = encoders.count
        let shared = FlushShared(buffers: buffers, encoders: encoders,
                                 results: UnsafeMutableBufferPointer<Result<(bytes: [UInt8], meta: ChunkMeta), any Error>?>.allocate(capacity: n))
        shared.results.initialize(repeating: nil)
        defer { shared.results.deinitialize(); shared.results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for i in stride(from: lane, to: n, by: lanes) {
                shared.results[i] = Result { try shared.encoders[lane].encode(shared.buffers[i]) }
            }
        }
        var metas: [ChunkMeta] = []
        for i in 0..<n {
            var (bytes, meta) = try shared.results[i]!.get()
            shared.results[i] = nil  // the chunk's bytes freed once written
            let base = sink.position
            meta.start += base
            meta.dataPageOffset += base
            if let d = meta.dictionaryPageOffset { meta.dictionaryPageOffset = d + base }
            try sink.append(bytes)
            bytes = []
            metas.append(meta)
            buffers[i].reset()
        }
        rowGroups.append(RowGroupMeta(chunks: metas, numRows: Int64(rowsInGroup)))
        rowsInGroup = 0
    }

    /// What the threads of one row group share: each touches only its own lane's encoder and its own
    /// columns' buffers and result slots.
    private struct FlushShared: @unchecked Sendable {
        let buffers: [ColumnChunkBuffer]
        let encoders: [ChunkEncoder]
        let results: UnsafeMutableBufferPointer<Result<(bytes: [UInt8], meta: ChunkMeta), any Error>?>
    }

    // MARK: Footer

    private func encodeFooter() -> [UInt8] {
        var t = ThriftCompactWriter()
        t.i32(1, 2)  // version
        t.listHeader(2, .structure, count: columns.count + 1)
        t.beginElementStruct()
        t.string(4, "schema")
        t.i32(5, Int32(columns.count))
        t.endStruct()
        for c in columns {
            t.beginElementStruct()
            switch c.type {
            case .string: t.i32(1, 6)
            case .int64: t.i32(1, 2)
            case .double: t.i32(1, 5)
            case .date: t.i32(1, 1)
            }
            t.i32(3, c.nullable ? 1 : 0)
            t.string(4, c.name)
            if c.type == .string { t.i32(6, 0) }  // UTF8
            if c.type == .date { t.i32(6, 6) }  // DATE
            if c.type == .string || c.type == .date {
                t.beginStruct(10)  // LogicalType union
                t.beginStruct(c.type == .string ? 1 : 6)  // STRING / DATE
                t.endStruct()
                t.endStruct()
            }
            t.endStruct()
        }
        t.i64(3, Int64(rowCount))
        t.listHeader(4, .structure, count: rowGroups.count)
        for (ordinal, rg) in rowGroups.enumerated() {
            t.beginElementStruct()
            t.listHeader(1, .structure, count: rg.chunks.count)
            for ch in rg.chunks {
                t.beginElementStruct()
                t.i64(2, ch.start)
                t.beginStruct(3)
                t.i32(1, ch.physicalType)
                t.listI32(2, ch.encodings)
                t.listString(3, [ch.path])
                t.i32(4, parquetCodec)
                t.i64(5, ch.numValues)
                t.i64(6, ch.uncompressed)
                t.i64(7, ch.compressed)
                t.i64(9, ch.dataPageOffset)
                if let d = ch.dictionaryPageOffset { t.i64(11, d) }
                t.beginStruct(12)
                t.i64(3, ch.stats.nullCount)
                if let mx = ch.stats.max, let mn = ch.stats.min {
                    t.binary(5, mx)
                    t.binary(6, mn)
                }
                t.endStruct()
                t.endStruct()
                t.endStruct()
            }
            t.i64(2, rg.chunks.reduce(0) { $0 + $1.uncompressed })
            t.i64(3, rg.numRows)
            t.i64(5, rg.chunks.first?.start ?? 0)
            t.i64(6, rg.chunks.reduce(0) { $0 + $1.compressed })
            t.fieldHeader(7, .i16)
            t.rawI32(Int32(ordinal))
            t.endStruct()
        }
        if !options.metadata.isEmpty {
            t.listHeader(5, .structure, count: options.metadata.count)
            for (k, v) in options.metadata {
                t.beginElementStruct()
                t.string(1, k)
                t.string(2, v)
                t.endStruct()
            }
        }
        t.string(6, options.createdBy)
        t.listHeader(7, .structure, count: columns.count)
        for _ in columns {
            t.beginElementStruct()  // ColumnOrder union
            t.beginStruct(1)  // TYPE_ORDER: TypeDefinedOrder {}
            t.endStruct()
            t.endStruct()
        }
        t.stop()
        return t.bytes
    }
}

/// One column's values for the current row group.
final class ColumnChunkBuffer {
    let column: Column
    /// The column's type and nullability, apart from its name: reading them per cell copies no `String`.
    let type: ColumnType
    let nullable: Bool
    let dictionaryLimit: Int
    @exclusivity(unchecked) var rows = 0
    @exclusivity(unchecked) var nullCount = 0
    @exclusivity(unchecked) var defLevels: [UInt8] = []
    @exclusivity(unchecked) var ints: [Int64] = []
    @exclusivity(unchecked) var doubles: [Double] = []
    @exclusivity(unchecked) var dates: [Int32] = []
    @exclusivity(unchecked) var dict = StringDictionary()
    @exclusivity(unchecked) var indices: [UInt32] = []
    @exclusivity(unchecked) var useDict = true
    @exclusivity(unchecked) var plain: [UInt8] = []
    @exclusivity(unchecked) var plainEnds: [UInt32] = []

    init(_ column: Column, dictionaryLimit: Int, reserve: Int) {
        self.column = column
        type = column.type
        nullable = column.nullable
        self.dictionaryLimit = dictionaryLimit
        if column.nullable { defLevels.reserveCapacity(reserve) }
        switch column.type {
        case .int64: ints.reserveCapacity(reserve)
        case .double: doubles.reserveCapacity(reserve)
        case .date: dates.reserveCapacity(reserve)
        case .string: indices.reserveCapacity(reserve)
        }
    }

    var byteEstimate: Int {
        defLevels.count + ints.count * 8 + doubles.count * 8 + dates.count * 4
            + dict.byteCount + dict.count * 40 + indices.count * 4 + plain.count + plainEnds.count * 4
    }

    @inline(__always) func appendNull() {
        defLevels.append(0)
        nullCount += 1
        rows += 1
    }
    @inline(__always) private func present() {
        if nullable { defLevels.append(1) }
        rows += 1
    }
    @inline(__always) func appendInt(_ v: Int64) { ints.append(v); present() }
    @inline(__always) func appendDouble(_ v: Double) { doubles.append(v); present() }
    @inline(__always) func appendDate(_ v: Int32) { dates.append(v); present() }

    @inline(__always) func appendString(_ p: UnsafeBufferPointer<UInt8>) {
        if useDict {
            indices.append(dict.intern(p))
            if dict.byteCount > dictionaryLimit { fallBackToPlain() }
        } else {
            plain.append(contentsOf: p)
            plainEnds.append(UInt32(plain.count))
        }
        present()
    }

    /// Removes the last appended row (used when a later cell of the same row is rejected).
    func dropLast() {
        guard rows > 0 else { return }
        rows -= 1
        if column.nullable {
            let d = defLevels.removeLast()
            if d == 0 { nullCount -= 1; return }
        }
        switch column.type {
        case .int64: ints.removeLast()
        case .double: doubles.removeLast()
        case .date: dates.removeLast()
        case .string:
            if useDict { indices.removeLast() } else {
                plainEnds.removeLast()
                plain.removeLast(plain.count - Int(plainEnds.last ?? 0))
            }
        }
    }

    private func fallBackToPlain() {
        plain.reserveCapacity(dict.byteCount * 2)
        for id in indices {
            dict.withEntry(Int(id)) { plain.append(contentsOf: $0) }
            plainEnds.append(UInt32(plain.count))
        }
        indices.removeAll(keepingCapacity: false)
        dict.removeAll()
        useDict = false
    }

    func reset() {
        rows = 0
        nullCount = 0
        defLevels.removeAll(keepingCapacity: true)
        ints.removeAll(keepingCapacity: true)
        doubles.removeAll(keepingCapacity: true)
        dates.removeAll(keepingCapacity: true)
        indices.removeAll(keepingCapacity: true)
        dict.removeAll()
        plain.removeAll(keepingCapacity: true)
        plainEnds.removeAll(keepingCapacity: true)
        useDict = true
    }

    func statistics(dictMode: Bool) -> ParquetWriter.Stats {
        var s = ParquetWriter.Stats(nullCount: Int64(nullCount), min: nil, max: nil)
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        switch column.type {
        case .int64:
            if let mn = ints.min(), let mx = ints.max() { s.min = le(mn); s.max = le(mx) }
        case .date:
            if let mn = dates.min(), let mx = dates.max() { s.min = le(mn); s.max = le(mx) }
        case .double:
            var mn = Double.infinity, mx = -Double.infinity, any = false
            for d in doubles where !d.isNaN {
                any = true
                if d < mn { mn = d }
                if d > mx { mx = d }
            }
            if any {
                if mn == 0 { mn = -0.0 }
                if mx == 0 { mx = 0.0 }
                s.min = le(mn.bitPattern); s.max = le(mx.bitPattern)
            }
        case .string:
            var minR: Range<Int>? = nil, maxR: Range<Int>? = nil
            let (arena, ranges): ([UInt8], [Range<Int>]) = dictMode
                ? (dict.arena, (0..<dict.count).map { dict.starts[$0]..<dict.ends[$0] })
                : (plain, plainEnds.indices.map { ($0 == 0 ? 0 : Int(plainEnds[$0 - 1]))..<Int(plainEnds[$0]) })
            arena.withUnsafeBufferPointer { a in
                for r in ranges {
                    let v = UnsafeBufferPointer(rebasing: a[r])
                    if minR == nil || bytesLess(v, UnsafeBufferPointer(rebasing: a[minR!])) { minR = r }
                    if maxR == nil || bytesLess(UnsafeBufferPointer(rebasing: a[maxR!]), v) { maxR = r }
                }
            }
            if let mn = minR, let mx = maxR, mn.count <= 256, mx.count <= 256 {
                s.min = Array(arena[mn]); s.max = Array(arena[mx])
            }
        }
        return s
    }
}

/// Encodes and compresses one column chunk at a time into its own bytes (so that several can be made at
/// once, one encoder per thread); `ParquetWriter` writes them in column order.
final class ChunkEncoder {
    let compressor: PageCompressor
    let pageBytes: Int
    private var pageBuffer: [UInt8] = []
    private var scratch: [UInt8] = []
    private var out: [UInt8] = []

    init(_ compressor: PageCompressor, pageBytes: Int) {
        self.compressor = compressor
        self.pageBytes = pageBytes
    }

    private func writePage(dictionary: Bool, numValues: Int, encoding: Int32, uncompressed: inout Int64, compressed: inout Int64) throws {
        let compressedCount = try pageBuffer.withUnsafeBytes { try compressor.compress($0) }
        guard pageBuffer.count < Int(Int32.max), compressedCount < Int(Int32.max) else {
            throw ExportError.refused("a Parquet page would exceed 2 GiB")
        }
        var h = ThriftCompactWriter()
        h.i32(1, dictionary ? 2 : 0)
        h.i32(2, Int32(pageBuffer.count))
        h.i32(3, Int32(compressedCount))
        if dictionary {
            h.beginStruct(7)
            h.i32(1, Int32(numValues))
            h.i32(2, 0)  // PLAIN
            h.endStruct()
        } else {
            h.beginStruct(5)
            h.i32(1, Int32(numValues))
            h.i32(2, encoding)
            h.i32(3, 3)  // RLE
            h.i32(4, 3)  // RLE
            h.endStruct()
        }
        h.stop()
        out.append(contentsOf: h.bytes)
        compressor.output.withUnsafeBytes { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<compressedCount])) }
        uncompressed += Int64(h.bytes.count + pageBuffer.count)
        compressed += Int64(h.bytes.count + compressedCount)
    }

    @inline(__always)
    private func appendLE<T: FixedWidthInteger>(_ v: T, to a: inout [UInt8]) {
        var le = v.littleEndian
        withUnsafeBytes(of: &le) { a.append(contentsOf: $0) }
    }

    /// The column chunk of `c`'s rows (dictionary page, data pages) and its metadata, offsets from 0.
    func encode(_ c: ColumnChunkBuffer) throws -> (bytes: [UInt8], meta: ParquetWriter.ChunkMeta) {
        out = []
        var uncompressed: Int64 = 0, compressed: Int64 = 0
        let nullable = c.nullable
        let dictMode = c.type == .string && c.useDict && c.dict.count > 0
        var bitWidth = 0
        if dictMode {  // the dictionary page opens the chunk
            pageBuffer.removeAll(keepingCapacity: true)
            for id in 0..<c.dict.count {
                c.dict.withEntry(id) { e in
                    appendLE(UInt32(e.count), to: &pageBuffer)
                    pageBuffer.append(contentsOf: e)
                }
            }
            try writePage(dictionary: true, numValues: c.dict.count, encoding: 0, uncompressed: &uncompressed, compressed: &compressed)
            bitWidth = max(1, RLEHybrid.bitWidth(forMax: UInt32(c.dict.count - 1)))
        }
        let dataOffset = Int64(out.count)
        let valueEncoding: Int32 = dictMode ? 8 : 0
        let fixedSize: Int
        switch c.type {
        case .int64, .double: fixedSize = 8
        case .date: fixedSize = 4
        case .string: fixedSize = dictMode ? max(1, bitWidth / 8) : 0
        }
        var row = 0, value = 0
        repeat {
            // Choose the page's rows.
            var r = row, v = value, bytes = 0
            while r < c.rows && bytes < pageBytes {
                if nullable && c.defLevels[r] == 0 {
                    bytes += 1
                } else {
                    bytes += fixedSize > 0 ? fixedSize : 4 + Int(c.plainEnds[v] - (v == 0 ? 0 : c.plainEnds[v - 1]))
                    v += 1
                }
                r += 1
            }
            pageBuffer.removeAll(keepingCapacity: true)
            if nullable {
                scratch.removeAll(keepingCapacity: true)
                RLEHybrid.encode(c.defLevels[row..<r], bitWidth: 1, into: &scratch)
                appendLE(UInt32(scratch.count), to: &pageBuffer)
                pageBuffer.append(contentsOf: scratch)
            }
            switch c.type {
            case .int64: c.ints[value..<v].withUnsafeBytes { pageBuffer.append(contentsOf: $0) }
            case .double: c.doubles[value..<v].withUnsafeBytes { pageBuffer.append(contentsOf: $0) }
            case .date: c.dates[value..<v].withUnsafeBytes { pageBuffer.append(contentsOf: $0) }
            case .string:
                if dictMode {
                    pageBuffer.append(UInt8(bitWidth))
                    RLEHybrid.encode(c.indices[value..<v], bitWidth: bitWidth, into: &pageBuffer)
                } else {
                    c.plain.withUnsafeBufferPointer { arena in
                        for k in value..<v {
                            let s = k == 0 ? 0 : Int(c.plainEnds[k - 1]), e = Int(c.plainEnds[k])
                            appendLE(UInt32(e - s), to: &pageBuffer)
                            pageBuffer.append(contentsOf: UnsafeBufferPointer(rebasing: arena[s..<e]))
                        }
                    }
                }
            }
            try writePage(dictionary: false, numValues: r - row, encoding: valueEncoding, uncompressed: &uncompressed, compressed: &compressed)
            row = r
            value = v
        } while row < c.rows

        let physical: Int32
        switch c.type {
        case .string: physical = 6
        case .int64: physical = 2
        case .double: physical = 5
        case .date: physical = 1
        }
        let meta = ParquetWriter.ChunkMeta(
            physicalType: physical,
            encodings: dictMode ? [0, 3, 8] : [0, 3],
            path: c.column.name,
            numValues: Int64(c.rows),
            uncompressed: uncompressed,
            compressed: compressed,
            dataPageOffset: dataOffset,
            dictionaryPageOffset: dictMode ? 0 : nil,
            start: 0,
            stats: c.statistics(dictMode: dictMode))
        let bytes = out
        out = []
        return (bytes, meta)
    }
}
