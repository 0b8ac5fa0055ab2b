internal import CICU

/// What the ICU-exact fast path (module CorpusFastScan) needs to know about ICU's word break data.
public enum WordBreakData {
    /// The locale whose word-break rules ICU actually loads for `locale` (`ULOC_ACTUAL_LOCALE` of a word
    /// break iterator): "" or "root" when the locale has no tailoring of its own and uses the root rules
    /// (e.g. "en", "de", "fr"); the tailored locale otherwise (e.g. "sv", "fi", "en_US_POSIX").
    /// nil when the iterator cannot be opened.
    public static func actualLocale(_ locale: String) -> String? {
        var status = U_ZERO_ERROR
        guard let bi = locale.withCString({ cicu_ubrk_open(UBRK_WORD, $0, &status) }), !status.isFailure else { return nil }
        defer { cicu_ubrk_close(bi) }
        status = U_ZERO_ERROR
        guard let name = cicu_ubrk_getLocaleByType(bi, ULOC_ACTUAL_LOCALE, &status), !status.isFailure else { return nil }
        return String(cString: name)
    }
}
