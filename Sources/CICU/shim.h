#ifndef CORPUSKIT_CICU_H
#define CORPUSKIT_CICU_H
/* ICU renames every C function with a version suffix through macros (ubrk_open -> ubrk_open_72),
   which Swift cannot import. One static inline shim per function used gives stable names. */
#include <unicode/utypes.h>
#include <unicode/uversion.h>
#include <unicode/uchar.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uloc.h>
#include <unicode/uregex.h>

static inline const char *cicu_u_errorName(UErrorCode code) { return u_errorName(code); }
static inline void cicu_u_getVersion(UVersionInfo v) { u_getVersion(v); }
static inline void cicu_u_getUnicodeVersion(UVersionInfo v) { u_getUnicodeVersion(v); }
static inline int8_t cicu_u_charType(UChar32 c) { return u_charType(c); }
static inline int32_t cicu_u_getIntPropertyValue(UChar32 c, UProperty which) { return u_getIntPropertyValue(c, which); }

/* Break iteration */
static inline UBreakIterator *cicu_ubrk_open(UBreakIteratorType type, const char *locale, UErrorCode *status) {
    return ubrk_open(type, locale, NULL, 0, status);
}
static inline UBreakIterator *cicu_ubrk_clone(const UBreakIterator *bi, UErrorCode *status) { return ubrk_clone(bi, status); }
static inline void cicu_ubrk_close(UBreakIterator *bi) { ubrk_close(bi); }
static inline void cicu_ubrk_setUText(UBreakIterator *bi, UText *text, UErrorCode *status) { ubrk_setUText(bi, text, status); }
static inline int32_t cicu_ubrk_first(UBreakIterator *bi) { return ubrk_first(bi); }
static inline int32_t cicu_ubrk_next(UBreakIterator *bi) { return ubrk_next(bi); }
static inline int32_t cicu_ubrk_getRuleStatus(UBreakIterator *bi) { return ubrk_getRuleStatus(bi); }
static inline const char *cicu_ubrk_getLocaleByType(const UBreakIterator *bi, ULocDataLocaleType type, UErrorCode *status) {
    return ubrk_getLocaleByType(bi, type, status);
}

/* UText over UTF-8 (native indexes are byte offsets). Pass an existing UText to reuse it. */
static inline UText *cicu_utext_openUTF8(UText *ut, const char *s, int64_t length, UErrorCode *status) {
    return utext_openUTF8(ut, s, length, status);
}
static inline UText *cicu_utext_close(UText *ut) { return utext_close(ut); }

/* Normalization */
static inline const UNormalizer2 *cicu_unorm2_getNFCInstance(UErrorCode *s) { return unorm2_getNFCInstance(s); }
static inline const UNormalizer2 *cicu_unorm2_getNFDInstance(UErrorCode *s) { return unorm2_getNFDInstance(s); }
static inline const UNormalizer2 *cicu_unorm2_getNFKCInstance(UErrorCode *s) { return unorm2_getNFKCInstance(s); }
static inline const UNormalizer2 *cicu_unorm2_getNFKDInstance(UErrorCode *s) { return unorm2_getNFKDInstance(s); }
static inline const UNormalizer2 *cicu_unorm2_getNFKCCasefoldInstance(UErrorCode *s) { return unorm2_getNFKCCasefoldInstance(s); }
static inline int32_t cicu_unorm2_normalize(const UNormalizer2 *n, const UChar *src, int32_t length, UChar *dest, int32_t capacity, UErrorCode *status) {
    return unorm2_normalize(n, src, length, dest, capacity, status);
}
static inline UNormalizationCheckResult cicu_unorm2_quickCheck(const UNormalizer2 *n, const UChar *s, int32_t length, UErrorCode *status) {
    return unorm2_quickCheck(n, s, length, status);
}
static inline UBool cicu_unorm2_isNormalized(const UNormalizer2 *n, const UChar *s, int32_t length, UErrorCode *status) {
    return unorm2_isNormalized(n, s, length, status);
}

/* Case mapping */
static inline int32_t cicu_u_strToLower(UChar *dest, int32_t destCapacity, const UChar *src, int32_t srcLength, const char *locale, UErrorCode *status) {
    return u_strToLower(dest, destCapacity, src, srcLength, locale, status);
}

/* Locales */
static inline int32_t cicu_uloc_canonicalize(const char *localeID, char *name, int32_t capacity, UErrorCode *status) {
    return uloc_canonicalize(localeID, name, capacity, status);
}
static inline int32_t cicu_uloc_countAvailable(void) { return uloc_countAvailable(); }
static inline const char *cicu_uloc_getAvailable(int32_t n) { return uloc_getAvailable(n); }

/* Regular expressions (token filters: --drop, --keep) */
static inline URegularExpression *cicu_uregex_openUText(UText *pattern, uint32_t flags, UParseError *pe, UErrorCode *status) {
    return uregex_openUText(pattern, flags, pe, status);
}
static inline URegularExpression *cicu_uregex_clone(const URegularExpression *re, UErrorCode *status) { return uregex_clone(re, status); }
static inline void cicu_uregex_close(URegularExpression *re) { uregex_close(re); }
static inline void cicu_uregex_setUText(URegularExpression *re, UText *text, UErrorCode *status) { uregex_setUText(re, text, status); }
static inline UBool cicu_uregex_matches(URegularExpression *re, int32_t startIndex, UErrorCode *status) {
    return uregex_matches(re, startIndex, status);
}
#endif
