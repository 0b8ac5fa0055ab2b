// Fuzz target `jsonl`: arbitrary bytes read as a JSONL file through `CorpusReader` (record framing at
// newlines, the JSON decoder, field lookup incl. dotted paths, dates), with the default fields and with
// dotted ones, in 4 KiB chunks so that records cross chunk and max-record-size limits.
import CorpusReaders
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = writeInput(data, size, ext: "jsonl")
    readAndCheck(path, ReaderOptions(inputFormat: .jsonl, chunkSize: 1 << 16))
    readAndCheck(path, ReaderOptions(
        inputFormat: .jsonl, textField: "meta.text", titleField: "meta.title", dateField: "meta.date",
        idField: "meta.id", chunkSize: 4096, maxRecordSize: 4096))
    return 0
}

/// The executable's entry point (see `runLibFuzzer`).
@_cdecl("FuzzJSONL_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
