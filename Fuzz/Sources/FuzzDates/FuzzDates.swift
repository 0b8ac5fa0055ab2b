// Fuzz target `dates`: `DateParser` on arbitrary bytes. Any parsed date must be a valid civil day (see
// `checkDate`); the String, Substring and byte entry points must agree; and a bare `YYYY-MM-DD` that
// parses must come back as the same day.
import CorpusReaders
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let fromBytes = DateParser.parse(bytes: bytes)
    if let v = fromBytes { checkDate(v, context: "parse(bytes:)") }
    let s = String(decoding: bytes, as: UTF8.self)
    let fromString = DateParser.parse(s)
    if let v = fromString { checkDate(v, context: "parse(String)") }
    if DateParser.parse(Substring(s)) != fromString { fatalError("parse(Substring) != parse(String) for \(s.debugDescription)") }
    // Valid UTF-8 input: the byte and String entry points see the same bytes.
    if Array(s.utf8).elementsEqual(bytes), fromBytes != fromString {
        fatalError("parse(bytes:) \(String(describing: fromBytes)) != parse(String) \(String(describing: fromString)) for \(s.debugDescription)")
    }
    // `YYYY-MM-DD` exactly: the parsed day is that day.
    if size == 10, let v = fromBytes, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
       bytes.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || (48...57).contains($0.element) }) {
        if DateParser.isoDay(v) != s || v % 86_400 != 0 {
            fatalError("\(s) parsed as \(DateParser.iso8601(v))")
        }
    }
    return 0
}

/// The executable's entry point (see `runLibFuzzer`).
@_cdecl("FuzzDates_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? emptyInput, size) }
}
