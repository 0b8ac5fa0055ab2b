internal import CICU

/// The ICU library linked at run time and the Unicode version it implements.
public enum ICUInfo {
    /// e.g. "72.1" (calls `u_getVersion`).
    public static var icuVersion: String { versionString(cicu_u_getVersion) }
    /// e.g. "15.0" (calls `u_getUnicodeVersion`).
    public static var unicodeVersion: String { versionString(cicu_u_getUnicodeVersion) }

    private static func versionString(_ get: (UnsafeMutablePointer<UInt8>?) -> Void) -> String {
        var v: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &v) { raw in
            get(raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        var parts = [Int(v.0), Int(v.1)]
        if v.2 != 0 || v.3 != 0 { parts.append(Int(v.2)) }
        if v.3 != 0 { parts.append(Int(v.3)) }
        return parts.map(String.init).joined(separator: ".")
    }

    /// True when ICU has data for the language of `locale` (e.g. "de", "th_TH", "sv").
    /// Unknown locales still work: ICU falls back to the root rules.
    public static func isKnownLocale(_ locale: String) -> Bool {
        if locale.isEmpty || locale == "root" { return true }
        let lang = locale.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == "@" }).first.map { $0.lowercased() } ?? ""
        let n = cicu_uloc_countAvailable()
        for i in 0..<n {
            guard let p = cicu_uloc_getAvailable(i) else { continue }
            let name = String(cString: p)
            let l = name.split(separator: "_").first.map(String.init) ?? name
            if l == lang { return true }
        }
        return false
    }
}
