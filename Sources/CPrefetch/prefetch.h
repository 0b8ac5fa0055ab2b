#ifndef CORPUSKIT_PREFETCH_H
#define CORPUSKIT_PREFETCH_H
/* A hint that the cache line at `p` will be written soon (no fault if `p` is not mapped). Swift has no
   prefetch of its own; the counting tables use it to overlap their cache misses. */
static inline void ck_prefetch_write(const void *p) { __builtin_prefetch(p, 1, 3); }
#endif
