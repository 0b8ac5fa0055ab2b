// Fuzz target `gzip`: arbitrary bytes as a `.gz` input file. The reader detects gzip by its magic bytes
// and decompresses it with zlib while framing; truncated or corrupt streams must end in a warning and
// the documents read so far, never a crash. Read once with format detection (decompressed content
// decides) and once as JSONL.
import CorpusReaders
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = writeInput(data, size, ext: "gz")
    readAndCheck(path, ReaderOptions(inputFormat: .auto, chunkSize: 4096, maxRecordSize: 4096))
    readAndCheck(path, ReaderOptions(inputFormat: .jsonl, chunkSize: 1 << 16))
    return 0
}

/// The executable's entry point (see `runLibFuzzer`).
@_cdecl("FuzzGzip_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
