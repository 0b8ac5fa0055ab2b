internal import CICU

/// Byte-to-UTF-8 conversion through ICU's converters (`ucnv`), for text labelled with a charset name
/// (e-mail `charset=` parameters, RFC 2047 encoded words): any name or alias ICU knows (`iso-8859-2`,
/// `koi8-r`, `shift_jis`, `gb2312`, `big5`, `windows-1251`, …; names match as ICU's alias table says).
public enum CharsetConverter {
    /// `bytes` in the charset `name` as UTF-8; bytes the charset does not map become U+FFFD (ICU's
    /// substitute callback). Nil when ICU does not know the charset (or the name holds a NUL); empty input gives [] unchecked.
    public static func toUTF8(_ bytes: [UInt8], charset name: String) -> [UInt8]? {
        guard !name.isEmpty, !name.utf8.contains(0), bytes.count < Int(Int32.max / 4) else { return nil }
        if bytes.isEmpty { return [] }
        var capacity = bytes.count * 3 + 16
        while true {
            var status = U_ZERO_ERROR
            var out = [UInt8](repeating: 0, count: capacity)
            let n = out.withUnsafeMutableBufferPointer { o in
                bytes.withUnsafeBufferPointer { s in
                    o.baseAddress!.withMemoryRebound(to: CChar.self, capacity: o.count) { op in
                        s.baseAddress!.withMemoryRebound(to: CChar.self, capacity: s.count) { sp in
                            cicu_ucnv_convert("UTF-8", name, op, Int32(o.count), sp, Int32(s.count), &status)
                        }
                    }
                }
            }
            if status == U_BUFFER_OVERFLOW_ERROR && Int(n) > capacity - 1 {
                capacity = Int(n) + 1
                continue
            }
            if status.isFailure { return nil }
            out.removeSubrange(Int(n)...)
            return out
        }
    }
}
