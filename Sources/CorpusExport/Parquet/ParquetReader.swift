#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parquet physical types.
public enum ParquetPhysicalType: Sendable, Equatable {
    case boolean, int32, int64, int96, float, double, byteArray, fixedLenByteArray
}

/// The logical types the reader tells apart (everything else is `.other`).
public enum ParquetLogicalKind: Sendable, Equatable {
    /// No logical or converted type.
    case none
    /// STRING logical type or UTF8 converted type (BYTE_ARRAY).
    case string
    /// DATE (INT32 days since 1970-01-01).
    case date
    /// Any other annotation (integers of other widths, decimals, timestamps, JSON, enums...).
    case other
}

/// One leaf column of a flat Parquet schema.
public struct ParquetColumnInfo: Sendable, Equatable {
    public let name: String
    public let physical: ParquetPhysicalType
    public let logical: ParquetLogicalKind
    /// OPTIONAL (nullable) rather than REQUIRED.
    public let optional: Bool
    /// FIXED_LEN_BYTE_ARRAY: bytes per value (else 0).
    public let typeLength: Int
    /// INT32/INT64 annotated as unsigned (`INT(n, false)` or `UINT_n`): `int64(_:)` widens INT32 values
    /// as unsigned; INT64 values keep their bits.
    public let unsigned: Bool
}

/// The values of one column (one row group, or all of them): one entry per row, nulls included.
/// Integers (boolean 0/1, INT32, INT64) are held as `Int64`, floating point as `Double`, byte arrays
/// (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, INT96) in one byte buffer with end offsets.
public struct ParquetColumnData: Sendable {
    enum Kind: Sendable { case ints, doubles, bytes }
    let kind: Kind
    /// Empty when the column has no nulls; else one flag per row.
    private var nulls: [Bool] = []
    private var nullCount = 0
    private var ints: [Int64] = []
    private var doubles: [Double] = []
    private var bytes: [UInt8] = []
    /// End offset (in `bytes`) of each value.
    private var ends: [Int] = []
    public private(set) var count = 0

    init(kind: Kind) { self.kind = kind }

    static func kind(of physical: ParquetPhysicalType) -> Kind {
        switch physical {
        case .boolean, .int32, .int64: return .ints
        case .float, .double: return .doubles
        case .int96, .byteArray, .fixedLenByteArray: return .bytes
        }
    }

    public func isNull(_ i: Int) -> Bool { nullCount > 0 && nulls[i] }

    /// The value of an integer column (boolean as 0/1, INT32 widened); nil when null or not an integer column.
    public func int64(_ i: Int) -> Int64? {
        guard kind == .ints, !isNull(i) else { return nil }
        return ints[i]
    }

    /// The value of a FLOAT (widened exactly) or DOUBLE column; nil when null or not a floating-point column.
    public func double(_ i: Int) -> Double? {
        guard kind == .doubles, !isNull(i) else { return nil }
        return doubles[i]
    }

    /// A byte-array value decoded as UTF-8 (invalid sequences replaced by U+FFFD); nil when null or not a
    /// byte-array column.
    public func string(_ i: Int) -> String? {
        withBytes(i) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with a byte-array value's bytes (not copied; valid only during the call); nil when null
    /// or not a byte-array column.
    public func withBytes<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard kind == .bytes, !isNull(i) else { return nil }
        let s = i == 0 ? 0 : ends[i - 1], e = ends[i]
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[s..<e])) }
    }

    // MARK: Building

    mutating func reserve(_ n: Int) {
        switch kind {
        case .ints: ints.reserveCapacity(n)
        case .doubles: doubles.reserveCapacity(n)
        case .bytes: ends.reserveCapacity(n)
        }
    }

    @inline(__always) private mutating func present() {
        if nullCount > 0 { nulls.append(false) }
        count += 1
    }

    mutating func appendNull() {
        if nullCount == 0 { nulls = [Bool](repeating: false, count: count) }
        nulls.append(true)
        nullCount += 1
        switch kind {
        case .ints: ints.append(0)
        case .doubles: doubles.append(0)
        case .bytes: ends.append(bytes.count)
        }
        count += 1
    }

    @inline(__always) mutating func appendInt(_ v: Int64) { ints.append(v); present() }
    @inline(__always) mutating func appendDouble(_ v: Double) { doubles.append(v); present() }
    @inline(__always) mutating func appendBytes(_ p: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: p)
        ends.append(bytes.count)
        present()
    }

    /// Appends value `i` of `other` (same kind, no nulls).
    @inline(__always) mutating func append(from other: ParquetColumnData, _ i: Int) {
        switch kind {
        case .ints: appendInt(other.ints[i])
        case .doubles: appendDouble(other.doubles[i])
        case .bytes:
            let s = i == 0 ? 0 : other.ends[i - 1], e = other.ends[i]
            other.bytes.withUnsafeBytes { appendBytes(UnsafeRawBufferPointer(rebasing: $0[s..<e])) }
        }
    }

    /// Appends all of `other` (same kind).
    mutating func append(contentsOf other: ParquetColumnData) {
        if other.nullCount > 0 || nullCount > 0 {
            if nullCount == 0 { nulls = [Bool](repeating: false, count: count) }
            if other.nullCount > 0 { nulls.append(contentsOf: other.nulls) } else { nulls.append(contentsOf: repeatElement(false, count: other.count)) }
            nullCount += other.nullCount
        }
        switch kind {
        case .ints: ints.append(contentsOf: other.ints)
        case .doubles: doubles.append(contentsOf: other.doubles)
        case .bytes:
            let base = bytes.count
            bytes.append(contentsOf: other.bytes)
            ends.append(contentsOf: other.ends.lazy.map { $0 + base })
        }
        count += other.count
    }
}

/// Reads Parquet files with a flat schema (every column a REQUIRED or OPTIONAL leaf), as written by
/// CorpusKit, Apache Spark (parquet-mr), pyarrow, polars and DuckDB.
///
/// Supported: data pages v1 and v2, dictionary pages; encodings PLAIN, PLAIN_DICTIONARY, RLE_DICTIONARY,
/// RLE (booleans), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT;
/// codecs UNCOMPRESSED, SNAPPY, GZIP, ZSTD. Anything else — nested or repeated columns, other codecs or
/// encodings, encrypted files, column chunks in other files — is refused with a message naming it.
/// Every size, offset and count read from the file is checked before it is used: a malformed file
/// throws `ExportError.input("FILE: reason")`, never traps.
public final class ParquetReader: @unchecked Sendable {
    public let path: String
    private let fd: Int32
    private let fileSize: Int
    public let rowCount: Int
    public let columns: [ParquetColumnInfo]
    public let keyValueMetadata: [(key: String, value: String)]
    /// The footer's `created_by`, when present.
    public let createdBy: String?

    struct Chunk {
        var type: Int32 = -1
        var codec: Int32 = 0
        var numValues: Int64 = -1
        var compressedSize: Int64 = -1
        var dataPageOffset: Int64 = -1
        var dictionaryPageOffset: Int64? = nil
        var encodings: [Int32] = []
    }
    struct RowGroup {
        var numRows: Int
        var chunks: [Chunk]
    }
    private let rowGroups: [RowGroup]
    /// Where the footer starts (column chunks must end before it).
    private let footerStart: Int

    public var rowGroupCount: Int { rowGroups.count }

    /// Opens `path` and parses its footer.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw ExportError.io(path: path, operation: "read", errno: errno) }
        do {
            var st = stat()
            guard fstat(fd, &st) == 0 else { throw ExportError.io(path: path, operation: "read", errno: errno) }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                throw ExportError.input("\(escapedPath(path)): is a folder, not a Parquet file (Spark writes a folder of part files: read each part-*.parquet)")
            }
            guard (st.st_mode & S_IFMT) == S_IFREG else {
                throw ExportError.input("\(escapedPath(path)): not a regular file (a Parquet file is read by offset)")
            }
            let size = Int(st.st_size)
            let parsed: Footer
            do {
                parsed = try Self.parseFile(fd: fd, size: size)
            } catch let e as ParquetFormatError {
                throw ExportError.input("\(escapedPath(path)): \(e.reason)")
            }
            self.fd = fd
            self.fileSize = size
            self.rowCount = parsed.rowCount
            self.columns = parsed.columns
            self.keyValueMetadata = parsed.metadata
            self.createdBy = parsed.createdBy
            self.rowGroups = parsed.rowGroups
            self.footerStart = parsed.footerStart
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    /// One column of one row group.
    public func read(column name: String, rowGroup: Int) throws -> ParquetColumnData {
        guard let c = columns.firstIndex(where: { $0.name == name }) else {
            throw ExportError.input("\(escapedPath(path)): no column named '\(escapingControls(name))'")
        }
        guard rowGroup >= 0 && rowGroup < rowGroups.count else {
            throw ExportError.input("\(escapedPath(path)): no row group \(rowGroup) (the file has \(rowGroups.count))")
        }
        return try read(columnIndex: c, rowGroup: rowGroup)
    }

    /// One column, all row groups concatenated.
    public func read(column name: String) throws -> ParquetColumnData {
        guard let c = columns.firstIndex(where: { $0.name == name }) else {
            throw ExportError.input("\(escapedPath(path)): no column named '\(escapingControls(name))'")
        }
        var all = ParquetColumnData(kind: ParquetColumnData.kind(of: columns[c].physical))
        for g in 0..<rowGroups.count {
            let part = try read(columnIndex: c, rowGroup: g)
            if g == 0 { all = part } else { all.append(contentsOf: part) }
        }
        return all
    }

    /// One column (by position in `columns`) of one row group.
    public func read(columnIndex c: Int, rowGroup g: Int) throws -> ParquetColumnData {
        guard c >= 0 && c < columns.count, g >= 0 && g < rowGroups.count else {
            throw ExportError.input("\(escapedPath(path)): no column \(c) in row group \(g)")
        }
        do {
            return try readChunk(columns[c], rowGroups[g].chunks[c], rows: rowGroups[g].numRows)
        } catch let e as ParquetFormatError {
            throw ExportError.input("\(escapedPath(path)): column '\(escapingControls(columns[c].name))', row group \(g): \(e.reason)")
        }
    }

    // MARK: Footer

    struct Footer {
        var rowCount: Int
        var columns: [ParquetColumnInfo]
        var metadata: [(key: String, value: String)]
        var createdBy: String?
        var rowGroups: [RowGroup]
        var footerStart: Int
    }

    static func preadAll(fd: Int32, offset: Int, count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        try out.withUnsafeMutableBytes { dst in
            while done < count {
                let n = pread(fd, dst.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ParquetFormatError("read failed: \(String(cString: strerror(errno)))")
                }
                if n == 0 { throw ParquetFormatError("file ends early (was it truncated while being read?)") }
                done += n
            }
        }
        return out
    }

    private static func parseFile(fd: Int32, size: Int) throws -> Footer {
        if size == 0 { throw ParquetFormatError("empty file (0 bytes), not a Parquet file") }
        guard size >= 12 else { throw ParquetFormatError("not a Parquet file (\(size) bytes is too short for one)") }
        let head = try preadAll(fd: fd, offset: 0, count: 4)
        let tail = try preadAll(fd: fd, offset: size - 8, count: 8)
        guard head == Array("PAR1".utf8) else {
            throw ParquetFormatError("not a Parquet file (it does not start with the magic bytes PAR1)")
        }
        let tailMagic = Array(tail[4..<8])
        if tailMagic == Array("PARE".utf8) { throw ParquetFormatError("encrypted Parquet files are not supported") }
        guard tailMagic == Array("PAR1".utf8) else {
            throw ParquetFormatError("truncated or damaged Parquet file (it does not end with the magic bytes PAR1)")
        }
        let footerLen = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard footerLen > 0 && footerLen <= size - 12 else {
            throw ParquetFormatError("damaged Parquet footer (its length \(footerLen) does not fit the file's \(size) bytes)")
        }
        let footerStart = size - 8 - footerLen
        let bytes = try preadAll(fd: fd, offset: footerStart, count: footerLen)
        do {
            return try bytes.withUnsafeBytes { try parseFooter($0, fileSize: size, footerStart: footerStart) }
        } catch let e as ParquetFormatError {
            throw ParquetFormatError("damaged Parquet footer: \(e.reason)")
        }
    }

    struct SchemaElement {
        var type: Int32? = nil
        var typeLength: Int32 = 0
        var repetition: Int32? = nil
        var name = ""
        var numChildren: Int32 = 0
        var convertedType: Int32? = nil
        var logical: Int16? = nil
        var intSigned: Bool? = nil
    }

    private static func parseFooter(_ buf: UnsafeRawBufferPointer, fileSize: Int, footerStart: Int) throws -> Footer {
        var r = ThriftCompactReader(buf)
        var schema: [SchemaElement] = []
        var numRows: Int64 = -1
        var groups: [(Int64, [Chunk])] = []
        var kv: [(key: String, value: String)] = []
        var createdBy: String? = nil
        typealias R = ThriftCompactReader
        try r.forEachField { r, id, t in
            switch (id, t) {
            case (2, R.T.list):
                let (et, n) = try r.listHeader(t)
                guard et == R.T.structure else { throw ParquetFormatError("schema is not a list of structs") }
                for _ in 0..<n { schema.append(try parseSchemaElement(&r)) }
            case (3, _) where t != R.T.structure:
                numRows = try r.int(t)
            case (4, R.T.list):
                let (et, n) = try r.listHeader(t)
                guard et == R.T.structure else { throw ParquetFormatError("row groups are not a list of structs") }
                for _ in 0..<n { groups.append(try parseRowGroup(&r)) }
            case (5, R.T.list):
                let (et, n) = try r.listHeader(t)
                guard et == R.T.structure else { throw ParquetFormatError("key-value metadata is not a list of structs") }
                for _ in 0..<n {
                    var k = "", v = ""
                    try r.forEachField { r, id, t in
                        switch (id, t) {
                        case (1, R.T.binary): k = try r.string(t)
                        case (2, R.T.binary): v = try r.string(t)
                        default: try r.skip(t)
                        }
                    }
                    kv.append((k, v))
                }
            case (6, R.T.binary):
                createdBy = try r.string(t)
            default:
                try r.skip(t)
            }
        }

        // Schema: a root, then flat leaves.
        guard let root = schema.first else { throw ParquetFormatError("no schema") }
        guard Int(root.numChildren) == schema.count - 1 else {
            if let nested = schema.dropFirst().first(where: { $0.numChildren > 0 }) {
                throw ParquetFormatError("nested column '\(escapingControls(nested.name))' is not supported (only flat schemas)")
            }
            throw ParquetFormatError("schema root has \(root.numChildren) children but \(schema.count - 1) elements follow")
        }
        var columns: [ParquetColumnInfo] = []
        for e in schema.dropFirst() {
            if e.numChildren > 0 || e.repetition == 2 {
                throw ParquetFormatError("nested column '\(escapingControls(e.name))' is not supported (only flat schemas)")
            }
            guard let t = e.type else { throw ParquetFormatError("column '\(escapingControls(e.name))' has no physical type") }
            let physical: ParquetPhysicalType
            switch t {
            case 0: physical = .boolean
            case 1: physical = .int32
            case 2: physical = .int64
            case 3: physical = .int96
            case 4: physical = .float
            case 5: physical = .double
            case 6: physical = .byteArray
            case 7: physical = .fixedLenByteArray
            default: throw ParquetFormatError("column '\(escapingControls(e.name))' has unknown physical type \(t)")
            }
            if physical == .fixedLenByteArray && e.typeLength < 0 {
                throw ParquetFormatError("column '\(escapingControls(e.name))' has a negative type length")
            }
            var logical: ParquetLogicalKind = .none
            var unsigned = false
            if let l = e.logical {
                switch l {
                case 1: logical = .string
                case 6: logical = .date
                case 10: logical = .other; unsigned = e.intSigned == false
                default: logical = .other
                }
            } else if let c = e.convertedType {
                switch c {
                case 0: logical = .string
                case 6: logical = .date
                case 11...14: logical = .other; unsigned = true
                default: logical = .other
                }
            }
            if logical == .string && physical != .byteArray { logical = .other }
            if logical == .date && physical != .int32 { logical = .other }
            columns.append(ParquetColumnInfo(
                name: e.name, physical: physical, logical: logical, optional: e.repetition == 1,
                typeLength: physical == .fixedLenByteArray ? Int(e.typeLength) : 0,
                unsigned: unsigned && (physical == .int32 || physical == .int64)))
        }

        var rowGroups: [RowGroup] = []
        var total = 0
        for (g, (n, chunks)) in groups.enumerated() {
            guard n >= 0 && n <= Int64(Int32.max) * 64 else { throw ParquetFormatError("row group \(g) claims \(n) rows") }
            guard chunks.count == columns.count else {
                throw ParquetFormatError("row group \(g) has \(chunks.count) column chunks for \(columns.count) columns")
            }
            for (c, ch) in chunks.enumerated() {
                let name = escapingControls(columns[c].name)
                guard ch.numValues == n else {
                    throw ParquetFormatError("column '\(name)' in row group \(g) holds \(ch.numValues) values for \(n) rows")
                }
                guard n == 0 || (ch.dataPageOffset >= 4 && ch.compressedSize >= 0) else {
                    throw ParquetFormatError("column '\(name)' in row group \(g) has no valid page offset or size")
                }
                guard PageDecompressor.isSupported(ch.codec) else {
                    throw ParquetFormatError("column '\(name)': compression codec \(PageDecompressor.codecName(ch.codec)) is not supported (use UNCOMPRESSED, SNAPPY, GZIP or ZSTD)")
                }
            }
            let (sum, overflow) = total.addingReportingOverflow(Int(n))
            guard !overflow else { throw ParquetFormatError("row counts overflow") }
            total = sum
            rowGroups.append(RowGroup(numRows: Int(n), chunks: chunks))
        }
        guard numRows >= 0 else { throw ParquetFormatError("no row count") }
        guard numRows == Int64(total) else {
            throw ParquetFormatError("the footer says \(numRows) rows but its row groups hold \(total)")
        }
        return Footer(rowCount: total, columns: columns, metadata: kv, createdBy: createdBy, rowGroups: rowGroups,
                      footerStart: footerStart)
    }

    private static func parseSchemaElement(_ r: inout ThriftCompactReader) throws -> SchemaElement {
        var e = SchemaElement()
        typealias R = ThriftCompactReader
        try r.forEachField { r, id, t in
            switch (id, t) {
            case (1, R.T.i32): e.type = try r.int32(t)
            case (2, R.T.i32): e.typeLength = try r.int32(t)
            case (3, R.T.i32): e.repetition = try r.int32(t)
            case (4, R.T.binary): e.name = try r.string(t)
            case (5, R.T.i32): e.numChildren = try r.int32(t)
            case (6, R.T.i32): e.convertedType = try r.int32(t)
            case (10, R.T.structure):
                // LogicalType union: the set field's id names the type.
                try r.forEachField { r, lid, lt in
                    e.logical = lid
                    if lid == 10 && lt == R.T.structure {
                        try r.forEachField { r, iid, it in
                            if iid == 2 && (it == R.T.boolTrue || it == R.T.boolFalse) { e.intSigned = try r.bool(it) } else { try r.skip(it) }
                        }
                    } else {
                        try r.skip(lt)
                    }
                }
            default: try r.skip(t)
            }
        }
        if e.numChildren < 0 { throw ParquetFormatError("negative child count in the schema") }
        return e
    }

    private static func parseRowGroup(_ r: inout ThriftCompactReader) throws -> (Int64, [Chunk]) {
        var chunks: [Chunk] = []
        var numRows: Int64 = -1
        typealias R = ThriftCompactReader
        try r.forEachField { r, id, t in
            switch (id, t) {
            case (1, R.T.list):
                let (et, n) = try r.listHeader(t)
                guard et == R.T.structure else { throw ParquetFormatError("column chunks are not a list of structs") }
                for _ in 0..<n {
                    var chunk: Chunk? = nil
                    var external = false
                    try r.forEachField { r, id, t in
                        switch (id, t) {
                        case (1, R.T.binary): external = true; try r.skip(t)
                        case (3, R.T.structure): chunk = try parseColumnMeta(&r)
                        default: try r.skip(t)
                        }
                    }
                    if external { throw ParquetFormatError("column chunks stored in other files are not supported") }
                    guard let c = chunk else { throw ParquetFormatError("a column chunk has no metadata (encrypted column?)") }
                    chunks.append(c)
                }
            case (3, _) where t != R.T.structure: numRows = try r.int(t)
            default: try r.skip(t)
            }
        }
        return (numRows, chunks)
    }

    private static func parseColumnMeta(_ r: inout ThriftCompactReader) throws -> Chunk {
        var c = Chunk()
        typealias R = ThriftCompactReader
        try r.forEachField { r, id, t in
            switch (id, t) {
            case (1, R.T.i32): c.type = try r.int32(t)
            case (2, R.T.list):
                let (et, n) = try r.listHeader(t)
                for _ in 0..<n { if et == R.T.i32 { c.encodings.append(try r.int32(et)) } else { try r.skip(et) } }
            case (4, R.T.i32): c.codec = try r.int32(t)
            case (5, _) where t != R.T.structure: c.numValues = try r.int(t)
            case (7, _) where t != R.T.structure: c.compressedSize = try r.int(t)
            case (9, _) where t != R.T.structure: c.dataPageOffset = try r.int(t)
            case (11, _) where t != R.T.structure: c.dictionaryPageOffset = try r.int(t)
            default: try r.skip(t)
            }
        }
        return c
    }

    // MARK: Column chunks and pages

    struct PageHeader {
        var type: Int32 = -1
        var uncompressed: Int32 = -1
        var compressed: Int32 = -1
        var numValues: Int32 = -1
        var encoding: Int32 = 0
        var defEncoding: Int32 = 3
        var numNulls: Int32 = 0
        var defLength: Int32 = 0
        var repLength: Int32 = 0
        var isCompressed = true
    }

    private static func parsePageHeader(_ r: inout ThriftCompactReader) throws -> PageHeader {
        var h = PageHeader()
        typealias R = ThriftCompactReader
        try r.forEachField { r, id, t in
            switch (id, t) {
            case (1, R.T.i32): h.type = try r.int32(t)
            case (2, R.T.i32): h.uncompressed = try r.int32(t)
            case (3, R.T.i32): h.compressed = try r.int32(t)
            case (5, R.T.structure):  // DataPageHeader
                try r.forEachField { r, id, t in
                    switch (id, t) {
                    case (1, R.T.i32): h.numValues = try r.int32(t)
                    case (2, R.T.i32): h.encoding = try r.int32(t)
                    case (3, R.T.i32): h.defEncoding = try r.int32(t)
                    default: try r.skip(t)
                    }
                }
            case (7, R.T.structure):  // DictionaryPageHeader
                try r.forEachField { r, id, t in
                    switch (id, t) {
                    case (1, R.T.i32): h.numValues = try r.int32(t)
                    case (2, R.T.i32): h.encoding = try r.int32(t)
                    default: try r.skip(t)
                    }
                }
            case (8, R.T.structure):  // DataPageHeaderV2
                try r.forEachField { r, id, t in
                    switch (id, t) {
                    case (1, R.T.i32): h.numValues = try r.int32(t)
                    case (2, R.T.i32): h.numNulls = try r.int32(t)
                    case (4, R.T.i32): h.encoding = try r.int32(t)
                    case (5, R.T.i32): h.defLength = try r.int32(t)
                    case (6, R.T.i32): h.repLength = try r.int32(t)
                    case (7, R.T.boolTrue), (7, R.T.boolFalse): h.isCompressed = try r.bool(t)
                    default: try r.skip(t)
                    }
                }
            default: try r.skip(t)
            }
        }
        guard h.type >= 0, h.uncompressed >= 0, h.compressed >= 0 else { throw ParquetFormatError("page header without type or sizes") }
        return h
    }

    static func encodingName(_ e: Int32) -> String {
        switch e {
        case 0: return "PLAIN"
        case 2: return "PLAIN_DICTIONARY"
        case 3: return "RLE"
        case 4: return "BIT_PACKED"
        case 5: return "DELTA_BINARY_PACKED"
        case 6: return "DELTA_LENGTH_BYTE_ARRAY"
        case 7: return "DELTA_BYTE_ARRAY"
        case 8: return "RLE_DICTIONARY"
        case 9: return "BYTE_STREAM_SPLIT"
        default: return "encoding \(e)"
        }
    }

    /// Largest page the reader inflates (real writers use about 1 MiB).
    static let maxPageBytes = 1 << 30
    /// Most values one data page may hold (writers cut pages at 20,000 rows or about 1 MiB; a page of
    /// runs can hold more, but not this many): bounds what a hostile page's runs can make the reader allocate.
    static let maxPageValues = 1 << 27

    private func readChunk(_ info: ParquetColumnInfo, _ chunk: Chunk, rows: Int) throws -> ParquetColumnData {
        var data = ParquetColumnData(kind: ParquetColumnData.kind(of: info.physical))
        let total = Int(chunk.numValues)
        if total == 0 { return data }
        var start = Int(chunk.dataPageOffset)
        if let d = chunk.dictionaryPageOffset, d >= 4, d < chunk.dataPageOffset { start = Int(d) }
        let length = Int(chunk.compressedSize)
        guard start <= footerStart, length <= footerStart - start else {
            throw ParquetFormatError("column chunk (offset \(start), \(length) bytes) lies outside the file's data")
        }
        data.reserve(min(total, 1 << 20))
        let bytes: [UInt8]
        do { bytes = try Self.preadAll(fd: fd, offset: start, count: length) }
        var dict: ParquetColumnData? = nil
        var done = 0
        try bytes.withUnsafeBytes { buf in
            var p = 0
            while done < total {
                guard p < buf.count else { throw ParquetFormatError("column chunk ends after \(done) of \(total) values") }
                var r = ThriftCompactReader(buf, at: p)
                let h: PageHeader
                do { h = try Self.parsePageHeader(&r) } catch let e as ParquetFormatError {
                    throw ParquetFormatError("bad page header at offset \(start + p): \(e.reason)")
                }
                p = r.pos
                let csize = Int(h.compressed)
                guard csize <= buf.count - p else { throw ParquetFormatError("page of \(csize) bytes runs past its column chunk") }
                guard Int(h.uncompressed) <= Self.maxPageBytes else { throw ParquetFormatError("page of \(h.uncompressed) bytes is too large") }
                let payload = UnsafeRawBufferPointer(rebasing: buf[p..<(p + csize)])
                p += csize
                switch h.type {
                case 2:  // dictionary page
                    guard dict == nil else { throw ParquetFormatError("a second dictionary page") }
                    guard done == 0 else { throw ParquetFormatError("dictionary page after data pages") }
                    guard h.encoding == 0 || h.encoding == 2 else {
                        throw ParquetFormatError("dictionary page in \(Self.encodingName(h.encoding)) encoding is not supported")
                    }
                    guard h.numValues >= 0 else { throw ParquetFormatError("dictionary page without a value count") }
                    let raw = try inflate(chunk.codec, payload, Int(h.uncompressed))
                    var d = ParquetColumnData(kind: data.kind)
                    try raw.withUnsafeBytes { try Self.decodePlain(info, $0, count: Int(h.numValues), into: &d) }
                    dict = d
                case 0, 3:  // data page v1, v2
                    let n = Int(h.numValues)
                    guard n >= 0, n <= total - done else {
                        throw ParquetFormatError("data page of \(h.numValues) values where \(total - done) remain")
                    }
                    guard n <= Self.maxPageValues else { throw ParquetFormatError("data page of \(n) values is too large") }
                    var defs: [UInt32] = []
                    let values: [UInt8]
                    var valueStart = 0
                    if h.type == 0 {
                        values = try inflate(chunk.codec, payload, Int(h.uncompressed))
                        if info.optional {
                            guard h.defEncoding == 3 else {
                                throw ParquetFormatError("definition levels in \(Self.encodingName(h.defEncoding)) encoding are not supported")
                            }
                            try values.withUnsafeBytes { v in
                                guard v.count >= 4 else { throw ParquetFormatError("data page too short for its definition levels") }
                                let len = Int(v.loadUnaligned(as: UInt32.self).littleEndian)
                                guard len <= v.count - 4 else { throw ParquetFormatError("definition levels run past their page") }
                                defs.reserveCapacity(min(n, 1 << 16))
                                try RLEHybrid.decode(UnsafeRawBufferPointer(rebasing: v[4..<(4 + len)]), bitWidth: 1, count: n, into: &defs)
                                valueStart = 4 + len
                            }
                        }
                    } else {
                        let dl = Int(h.defLength), rl = Int(h.repLength)
                        guard dl >= 0, rl >= 0, dl + rl <= payload.count, dl + rl <= Int(h.uncompressed) else {
                            throw ParquetFormatError("data page v2 level lengths do not fit the page")
                        }
                        guard rl == 0 else { throw ParquetFormatError("repetition levels in a flat column") }
                        if info.optional {
                            defs.reserveCapacity(min(n, 1 << 16))
                            try RLEHybrid.decode(UnsafeRawBufferPointer(rebasing: payload[0..<dl]), bitWidth: 1, count: n, into: &defs)
                        } else if dl > 0 {
                            throw ParquetFormatError("definition levels in a REQUIRED column")
                        }
                        let rest = UnsafeRawBufferPointer(rebasing: payload[(dl + rl)...])
                        let restSize = Int(h.uncompressed) - dl - rl
                        if restSize == 0 {
                            values = []  // only nulls (a codec's empty frame, if any, is not inflated)
                        } else if h.isCompressed && chunk.codec != 0 {
                            values = try inflate(chunk.codec, rest, restSize)
                        } else {
                            guard rest.count == restSize else { throw ParquetFormatError("uncompressed page v2 of \(rest.count) bytes, its header says \(restSize)") }
                            values = Array(rest)
                        }
                    }
                    try values.withUnsafeBytes { v in
                        let body = UnsafeRawBufferPointer(rebasing: v[valueStart...])
                        if info.optional {
                            var nonNull = 0
                            for d in defs {
                                guard d <= 1 else { throw ParquetFormatError("definition level \(d) above the maximum 1") }
                                nonNull += Int(d)
                            }
                            var vals = ParquetColumnData(kind: data.kind)
                            vals.reserve(nonNull)
                            try decodeValues(info, h.encoding, body, count: nonNull, dict: dict, into: &vals)
                            var k = 0
                            for d in defs {
                                if d == 1 { data.append(from: vals, k); k += 1 } else { data.appendNull() }
                            }
                        } else {
                            try decodeValues(info, h.encoding, body, count: n, dict: dict, into: &data)
                        }
                    }
                    done += n
                default:
                    break  // index pages and unknown page types are skipped
                }
            }
        }
        guard data.count == rows else { throw ParquetFormatError("decoded \(data.count) values for \(rows) rows") }
        return data
    }

    private func inflate(_ codec: Int32, _ input: UnsafeRawBufferPointer, _ size: Int) throws -> [UInt8] {
        // Refuse sizes no codec could reach from this input before allocating them.
        switch codec {
        case 1 where size > input.count * 24 + 64,
             2 where size > input.count * 1100 + 1024:
            throw ParquetFormatError("page claims \(size) bytes, more than its \(input.count) compressed bytes can hold")
        default: break
        }
        return try PageDecompressor.decompress(codec: codec, input, uncompressedSize: size)
    }

    // MARK: Value encodings

    private func decodeValues(_ info: ParquetColumnInfo, _ encoding: Int32, _ buf: UnsafeRawBufferPointer, count: Int,
                              dict: ParquetColumnData?, into out: inout ParquetColumnData) throws {
        if count == 0 { return }
        switch encoding {
        case 0:
            try Self.decodePlain(info, buf, count: count, into: &out)
        case 2, 8:
            guard let dict else { throw ParquetFormatError("dictionary-encoded page without a dictionary page") }
            guard buf.count >= 1 else { throw ParquetFormatError("dictionary-encoded page without its bit width") }
            var idx: [UInt32] = []
            idx.reserveCapacity(count)
            try RLEHybrid.decode(UnsafeRawBufferPointer(rebasing: buf[1...]), bitWidth: Int(buf[0]), count: count, into: &idx)
            let dn = dict.count
            for i in idx {
                guard Int(i) < dn else { throw ParquetFormatError("dictionary index \(i) out of range (the dictionary holds \(dn))") }
                out.append(from: dict, Int(i))
            }
        case 3:
            guard info.physical == .boolean else {
                throw ParquetFormatError("RLE encoding for \(info.physical) values is not supported")
            }
            guard buf.count >= 4 else { throw ParquetFormatError("RLE boolean page too short") }
            let len = Int(buf.loadUnaligned(as: UInt32.self).littleEndian)
            guard len <= buf.count - 4 else { throw ParquetFormatError("RLE booleans run past their page") }
            var bits: [UInt32] = []
            bits.reserveCapacity(count)
            try RLEHybrid.decode(UnsafeRawBufferPointer(rebasing: buf[4..<(4 + len)]), bitWidth: 1, count: count, into: &bits)
            for b in bits { out.appendInt(Int64(b)) }
        case 5:
            guard info.physical == .int32 || info.physical == .int64 else {
                throw ParquetFormatError("DELTA_BINARY_PACKED encoding for \(info.physical) values")
            }
            var vals: [Int64] = []
            _ = try Self.decodeDeltaBinaryPacked(buf, count: count, int32: info.physical == .int32, into: &vals)
            for v in vals { out.appendInt(Self.widen(v, info)) }
        case 6:
            guard info.physical == .byteArray else { throw ParquetFormatError("DELTA_LENGTH_BYTE_ARRAY encoding for \(info.physical) values") }
            try Self.decodeDeltaLength(buf, count: count, into: &out)
        case 7:
            guard info.physical == .byteArray || info.physical == .fixedLenByteArray else {
                throw ParquetFormatError("DELTA_BYTE_ARRAY encoding for \(info.physical) values")
            }
            var prefixes: [Int64] = []
            let used = try Self.decodeDeltaBinaryPacked(buf, count: count, int32: true, into: &prefixes)
            var suffixes = ParquetColumnData(kind: .bytes)
            try Self.decodeDeltaLength(UnsafeRawBufferPointer(rebasing: buf[used...]), count: count, into: &suffixes)
            var value: [UInt8] = []
            for i in 0..<count {
                let pl = prefixes[i]
                guard pl >= 0 && pl <= Int64(value.count) else { throw ParquetFormatError("DELTA_BYTE_ARRAY prefix \(pl) longer than the previous value") }
                value.removeLast(value.count - Int(pl))
                _ = suffixes.withBytes(i) { value.append(contentsOf: $0) }
                value.withUnsafeBytes { out.appendBytes($0) }
            }
        case 9:
            let width: Int
            switch info.physical {
            case .float, .int32: width = 4
            case .double, .int64: width = 8
            case .fixedLenByteArray: width = info.typeLength
            default: throw ParquetFormatError("BYTE_STREAM_SPLIT encoding for \(info.physical) values")
            }
            guard width > 0, buf.count / width >= count else { throw ParquetFormatError("BYTE_STREAM_SPLIT page too short") }
            var value = [UInt8](repeating: 0, count: width)
            for i in 0..<count {
                for b in 0..<width { value[b] = buf[b * count + i] }
                try value.withUnsafeBytes { try Self.decodePlain(info, $0, count: 1, into: &out) }
            }
        default:
            throw ParquetFormatError("\(Self.encodingName(encoding)) encoding is not supported")
        }
    }

    @inline(__always)
    static func widen(_ v: Int64, _ info: ParquetColumnInfo) -> Int64 {
        if info.physical == .int32 {
            let w = Int32(truncatingIfNeeded: v)
            return info.unsigned ? Int64(UInt32(bitPattern: w)) : Int64(w)
        }
        return v
    }

    /// PLAIN: `count` values.
    static func decodePlain(_ info: ParquetColumnInfo, _ buf: UnsafeRawBufferPointer, count: Int, into out: inout ParquetColumnData) throws {
        guard count >= 0 else { throw ParquetFormatError("negative value count") }
        func need(_ width: Int) throws {
            guard buf.count / width >= count else { throw ParquetFormatError("page holds fewer than its \(count) values") }
        }
        switch info.physical {
        case .boolean:
            guard (buf.count) >= (count + 7) / 8 else { throw ParquetFormatError("page holds fewer than its \(count) values") }
            for i in 0..<count { out.appendInt(Int64((buf[i >> 3] >> UInt8(i & 7)) & 1)) }
        case .int32:
            try need(4)
            for i in 0..<count {
                let w = Int32(littleEndian: buf.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))
                out.appendInt(info.unsigned ? Int64(UInt32(bitPattern: w)) : Int64(w))
            }
        case .int64:
            try need(8)
            for i in 0..<count { out.appendInt(Int64(littleEndian: buf.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))) }
        case .float:
            try need(4)
            for i in 0..<count {
                out.appendDouble(Double(Float(bitPattern: UInt32(littleEndian: buf.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))))
            }
        case .double:
            try need(8)
            for i in 0..<count {
                out.appendDouble(Double(bitPattern: UInt64(littleEndian: buf.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
            }
        case .int96, .fixedLenByteArray:
            let w = info.physical == .int96 ? 12 : info.typeLength
            if w == 0 {
                for _ in 0..<count { out.appendBytes(UnsafeRawBufferPointer(start: nil, count: 0)) }
                return
            }
            try need(w)
            for i in 0..<count { out.appendBytes(UnsafeRawBufferPointer(rebasing: buf[(w * i)..<(w * i + w)])) }
        case .byteArray:
            var p = 0
            for _ in 0..<count {
                guard buf.count - p >= 4 else { throw ParquetFormatError("page holds fewer than its \(count) values") }
                let len = Int(UInt32(littleEndian: buf.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
                p += 4
                guard len <= buf.count - p else { throw ParquetFormatError("byte array of \(len) bytes runs past its page") }
                out.appendBytes(UnsafeRawBufferPointer(rebasing: buf[p..<(p + len)]))
                p += len
            }
        }
    }

    /// DELTA_BINARY_PACKED: `count` values (the header's total must equal it); returns the bytes used.
    static func decodeDeltaBinaryPacked(_ buf: UnsafeRawBufferPointer, count: Int, int32: Bool, into out: inout [Int64]) throws -> Int {
        var r = ThriftCompactReader(buf)  // for its bounds-checked varints
        let blockSize = try r.varint(), miniblocks = try r.varint(), total = try r.varint()
        var last = try r.zigzag()
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20, miniblocks > 0, blockSize % miniblocks == 0,
              (blockSize / miniblocks) % 32 == 0 else {
            throw ParquetFormatError("bad DELTA_BINARY_PACKED header (block \(blockSize), miniblocks \(miniblocks))")
        }
        guard total == UInt64(count) else {
            throw ParquetFormatError("DELTA_BINARY_PACKED header says \(total) values, the page has \(count)")
        }
        var p = r.pos
        let perMini = Int(blockSize / miniblocks)
        let minis = Int(miniblocks)
        if count == 0 { return p }
        out.reserveCapacity(out.count + count)
        func fix(_ v: Int64) -> Int64 { int32 ? Int64(Int32(truncatingIfNeeded: v)) : v }
        last = fix(last)
        out.append(last)
        var produced = 1
        while produced < count {
            var hr = ThriftCompactReader(buf, at: p)
            let minDelta = try hr.zigzag()
            p = hr.pos
            guard buf.count - p >= minis else { throw ParquetFormatError("DELTA_BINARY_PACKED data ends early") }
            let widthsAt = p
            p += minis
            for m in 0..<minis {
                if produced >= count { break }
                let w = Int(buf[widthsAt + m])
                guard w <= 64 else { throw ParquetFormatError("DELTA_BINARY_PACKED bit width \(w)") }
                let bytes = perMini * w / 8
                guard buf.count - p >= bytes else { throw ParquetFormatError("DELTA_BINARY_PACKED data ends early") }
                let mask: UInt64 = w == 64 ? ~0 : (1 << UInt64(w)) - 1
                for j in 0..<perMini {
                    if produced >= count { break }
                    var v: UInt64 = 0
                    if w > 0 {
                        let bit = j * w
                        let byte = p + bit >> 3, shift = bit & 7
                        let nb = (shift + w + 7) / 8
                        for k in 0..<nb {
                            let b = UInt64(buf[byte + k])
                            v |= k == 0 ? b >> UInt64(shift) : b << UInt64(8 * k - shift)
                        }
                        v &= mask
                    }
                    last = fix(last &+ minDelta &+ Int64(bitPattern: v))
                    out.append(last)
                    produced += 1
                }
                p += bytes
            }
        }
        return p
    }

    /// DELTA_LENGTH_BYTE_ARRAY: delta-packed lengths, then the bytes of all values.
    static func decodeDeltaLength(_ buf: UnsafeRawBufferPointer, count: Int, into out: inout ParquetColumnData) throws {
        var lengths: [Int64] = []
        var p = try decodeDeltaBinaryPacked(buf, count: count, int32: true, into: &lengths)
        for l in lengths {
            guard l >= 0 && l <= Int64(buf.count - p) else { throw ParquetFormatError("DELTA_LENGTH_BYTE_ARRAY value runs past its page") }
            out.appendBytes(UnsafeRawBufferPointer(rebasing: buf[p..<(p + Int(l))]))
            p += Int(l)
        }
    }
}
