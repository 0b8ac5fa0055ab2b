#ifndef CORPUSKIT_CZLIB_H
#define CORPUSKIT_CZLIB_H
#include <zlib.h>
/* zlib's inflateInit2/deflateInit2 are macros; Swift cannot call them. */
static inline int czlib_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
static inline int czlib_deflateInit2(z_streamp strm, int level, int method, int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, method, windowBits, memLevel, strategy);
}
#endif
