// Fuzz target `parquet`: arbitrary bytes as a Parquet file, as `corpuskit merge` reads partials (written
// by corpuskit, Spark or anything else) and `convert` reads tables. Opening and reading every column of
// every row group must end in values or a thrown error — never a crash, a trap or an unbounded loop;
// every value read must be consistent with the column's declared type and count.
import CorpusExport
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = writeInput(data, size, ext: "parquet")
    guard let reader = try? ParquetReader(path: path) else { return 0 }
    for g in 0..<reader.rowGroupCount {
        for (c, info) in reader.columns.enumerated() {
            guard let column = try? reader.read(columnIndex: c, rowGroup: g) else { continue }
            for i in 0..<min(column.count, 4096) {
                if column.isNull(i) {
                    if !info.optional { fatalError("null in required column \(info.name)") }
                    continue
                }
                _ = column.int64(i)
                _ = column.double(i)
                _ = column.withBytes(i) { $0.count }
            }
        }
    }
    return 0
}

/// The executable's entry point (see `runLibFuzzer`).
@_cdecl("FuzzParquet_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
