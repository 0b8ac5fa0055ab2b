#ifndef CORPUSKIT_CZSTD_H
#define CORPUSKIT_CZSTD_H
#include <zstd.h>
#endif
