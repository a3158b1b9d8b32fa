#!/usr/bin/env bash
# The release build every script runs (.build/release/ddbstack). The Swift runtime is linked in statically: the
# binary starts faster, lints 5-10 % faster with ~3 MiB less memory (scripts/bench-lint.sh), and needs no Swift
# toolchain on the machine it is copied to. lld links it: the default linker repeats a warning from the static
# Foundation archive on every link.
# The C++ library the Swift runtime is written against is linked in as well when its archive is installed
# (libstdc++-12-dev, which the toolchain needs anyway): loading and relocating libstdc++.so took 0.4-0.5 ms of every
# run (`--version` 2.2 -> 1.8 ms, lint of 200 tables -0.7 ms). The runtime's link arguments name it as -lstdc++, and a
# library directory of ours holding only the archive, searched first, makes that resolve to the archive.
set -euo pipefail
cd "$(dirname "$0")/.."
archive=$(cc -print-file-name=libstdc++.a 2>/dev/null || true)
static_cxx=()
if [[ $archive == /* ]]; then
  mkdir -p .build/static-libstdc++
  ln -sf "$archive" .build/static-libstdc++/libstdc++.a
  static_cxx=(-Xswiftc -L -Xswiftc "$PWD/.build/static-libstdc++")
fi
swift build -c release --static-swift-stdlib -Xswiftc -use-ld=lld "${static_cxx[@]}" "$@"
