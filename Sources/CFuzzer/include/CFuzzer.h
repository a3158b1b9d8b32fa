// libFuzzer's driver, for a fuzz target whose `main` is not libFuzzer's own (SwiftPM names an executable's entry
// point itself): https://llvm.org/docs/LibFuzzer.html#using-libfuzzer-as-a-library
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
