// libFuzzer's driver entry point (compiler-rt, LLVM >= 12): parses libFuzzer's command line and runs
// the fuzzing loop with `callback` as LLVMFuzzerTestOneInput. Defined by libclang_rt.fuzzer, which
// `-sanitize=fuzzer` links.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
