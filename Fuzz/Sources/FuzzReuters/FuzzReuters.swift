// Fuzz target `reuters`: arbitrary bytes read as Reuters-21578 SGML through `CorpusReader` (framing
// after `</REUTERS>`, element and entity parsing, Windows-1252 transcoding, Reuters dates), in the
// default encoding and as UTF-8, in 4 KiB chunks.
import CorpusReaders
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = writeInput(data, size, ext: "sgm")
    readAndCheck(path, ReaderOptions(inputFormat: .reuters, chunkSize: 4096, maxRecordSize: 4096))
    readAndCheck(path, ReaderOptions(inputFormat: .reuters, encoding: .utf8, chunkSize: 1 << 16))
    return 0
}

/// The executable's entry point (see `runLibFuzzer`).
@_cdecl("FuzzReuters_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
