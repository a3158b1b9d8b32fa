#!/usr/bin/env bash
# In-process fuzzing of everything that reads a template without the network (Sources/Fuzzing/FuzzHarness.swift):
# libFuzzer with AddressSanitizer, seeded with every template in the repository and pairs of them as base and head.
#
#   scripts/fuzz.sh [SECONDS] [libFuzzer flags...]   fuzz for SECONDS (default 60); the corpus grows in .build-fuzz/corpus
#   scripts/fuzz.sh --smoke                           CI: a fixed seed and run count from the seeds alone, so it repeats
#
# A crash, a hang (-timeout) or a sanitizer report stops it with the input under .build-fuzz/artifacts/. Copy that
# file to fixtures/fuzz/ (FuzzingTests replays it under `swift test`), fix the bug, and run this again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scratch=.build-fuzz
# Swift's lazily made globals hold tagged pointers LeakSanitizer cannot follow, so it reports them as leaks.
export ASAN_OPTIONS=detect_leaks=0
flags=(-timeout=10 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 -dict=scripts/fuzz/template.dict
  "-artifact_prefix=$scratch/artifacts/")
# The toolchain's default linker cannot link the fuzzer runtime; lld can.
swift build -c release --product ddbstack-fuzz --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address \
  -Xswiftc -DFUZZING -Xswiftc -parse-as-library -Xswiftc -use-ld=lld
fuzzer=$scratch/release/ddbstack-fuzz
mkdir -p "$scratch/artifacts" "$scratch/corpus"
python3 scripts/fuzz/seeds.py "$scratch/seeds"
if [ "${1:-}" = "--smoke" ]; then
  shift
  # Every seed, then a fixed number of mutations of them, into a fresh corpus: the same inputs on every run.
  rm -rf "$scratch/smoke" && mkdir "$scratch/smoke"
  exec "$fuzzer" "${flags[@]}" -seed=1 -runs="${FUZZ_SMOKE_RUNS:-50000}" "$@" "$scratch/smoke" "$scratch/seeds"
fi
seconds=${1:-60}
shift || true
exec "$fuzzer" "${flags[@]}" -max_total_time="$seconds" "$@" "$scratch/corpus" "$scratch/seeds"
