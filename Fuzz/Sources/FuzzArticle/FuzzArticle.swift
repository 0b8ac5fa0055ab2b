// Fuzz target `article`: arbitrary bytes read as a `Corpus/` article (date line, `N min read` line,
// title, body, page furniture) through `CorpusReader`, in UTF-8 and Latin-1.
import CorpusReaders
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = writeInput(data, size, ext: "txt")
    readAndCheck(path, ReaderOptions(inputFormat: .article, chunkSize: 1 << 16))
    readAndCheck(path, ReaderOptions(inputFormat: .article, encoding: .latin1, furnitureMarkers: ["Share*", "Related"], chunkSize: 1 << 16))
    return 0
}

/// The executable's entry point (see `runLibFuzzer`).
@_cdecl("FuzzArticle_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
