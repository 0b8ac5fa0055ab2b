// Fuzz target `email`: arbitrary bytes read as e-mail / Usenet messages through `CorpusReader` (header
// unfolding, mbox framing in 4 KiB chunks and `>From ` unescaping, MIME multipart splitting,
// quoted-printable, base64, charsets through ICU, RFC 2047 words, quote/signature/uuencode removal,
// RFC 5322 dates, header fields), with quotes and signatures left out and kept, and with auto-detection.
import CorpusReaders
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = writeInput(data, size, ext: "mbox")
    var o = ReaderOptions(inputFormat: .email, chunkSize: 4096, maxRecordSize: 4096)
    o.fields = ["newsgroups", "from", "keywords"]
    readAndCheck(path, o)
    o = ReaderOptions(inputFormat: .email, encoding: .latin1, chunkSize: 1 << 16)
    o.keepQuotes = true
    o.keepSignatures = true
    readAndCheck(path, o)
    let auto = writeInput(data, size, ext: "post")
    readAndCheck(auto, ReaderOptions(inputFormat: .auto, chunkSize: 1 << 16))
    return 0
}

/// The executable's entry point (see `runLibFuzzer`).
@_cdecl("FuzzEmail_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
