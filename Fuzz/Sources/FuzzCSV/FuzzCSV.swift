// Fuzz target `csv`: arbitrary bytes read as a CSV file and as a TSV file through `CorpusReader`
// (header, RFC 4180 quoting, records spanning lines and 4 KiB chunks, column lookup, dates).
import CorpusReaders
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let csv = writeInput(data, size, ext: "csv")
    readAndCheck(csv, ReaderOptions(inputFormat: .csv, chunkSize: 4096, maxRecordSize: 4096))
    let tsv = writeInput(data, size, ext: "tsv")
    readAndCheck(tsv, ReaderOptions(inputFormat: .tsv, chunkSize: 1 << 16))
    readAndCheck(tsv, ReaderOptions(inputFormat: .tsv, textField: "body", dateField: "when", chunkSize: 4096))
    return 0
}

/// The executable's entry point (see `runLibFuzzer`).
@_cdecl("FuzzCSV_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
