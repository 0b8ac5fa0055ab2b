#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-to-UTF-8 conversion through the C library's `iconv`, for text labelled with a charset name (e-mail
/// `charset=` parameters, RFC 2047 encoded words): any name or alias the C library knows (`iso-8859-2`,
/// `koi8-r`, `shift_jis`, `gb2312`, `big5`, `windows-1251`, `iso-2022-jp`, …; names match ignoring case).
/// (Not ICU: CorpusReaders stays free of the ICU module, whose C headers clash with Foundation's own ICU in
/// any module that imports both — the test targets do.)
enum CharsetConverter {
    /// `bytes` in the charset `name` as UTF-8; a byte sequence the charset does not map becomes U+FFFD (one
    /// input byte skipped). Nil when the charset is unknown (or the name holds a NUL); empty input gives [].
    static func toUTF8(_ bytes: [UInt8], charset name: String) -> [UInt8]? {
        guard !name.isEmpty, !name.utf8.contains(0) else { return nil }
        guard let cd = iconv_open("UTF-8", name), Int(bitPattern: UnsafeRawPointer(cd)) != -1 else { return nil }
        defer { iconv_close(cd) }
        if bytes.isEmpty { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2 + 16)
        var input = bytes
        var buffer = [UInt8](repeating: 0, count: 1 << 15)
        input.withUnsafeMutableBytes { inRaw in
            buffer.withUnsafeMutableBytes { outRaw in
                var inPtr: UnsafeMutablePointer<CChar>? = inRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                var inLeft = inRaw.count
                var finished = false
                while !finished {
                    var outPtr: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                    var outLeft = outRaw.count
                    // A last call with no input flushes a stateful charset's shift state (ISO-2022-JP).
                    let r = inLeft > 0 ? iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) : iconv(cd, nil, nil, &outPtr, &outLeft)
                    let e = errno
                    out.append(contentsOf: outRaw[0..<(outRaw.count - outLeft)])
                    if r == -1 && e == E2BIG { continue }
                    if r == -1 && (e == EILSEQ || e == EINVAL) && inLeft > 0 {
                        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                        inPtr = inPtr! + 1
                        inLeft -= 1
                        continue
                    }
                    if inLeft == 0 && r != -1 && outLeft == outRaw.count { finished = true }
                    else if r == -1 { finished = true }
                }
            }
        }
        return out
    }
}
