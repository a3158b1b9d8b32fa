#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Nothing may leave this machine: dummy credentials, and no EC2 metadata look-ups.
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing AWS_EC2_METADATA_DISABLED=true
# One code format: .swift-format, checked before anything is built (`swift format -i -r -p Sources Tests Package.swift`
# applies it).
swift format lint --strict -r -p Sources Tests Package.swift
swift build --build-tests
scripts/testbed.sh install
# The tests, the emulator and its fault proxy run in a network namespace that has only loopback, so a mistake
# fails fast instead of sending a packet anywhere (FACTS.md §4). Root, or user namespaces, are needed for that.
if unshare --net true 2>/dev/null; then
  unshare --net scripts/test-in-namespace.sh
elif unshare --net --map-root-user true 2>/dev/null; then
  unshare --net --map-root-user scripts/test-in-namespace.sh
else
  echo "test.sh: cannot create a loopback-only network namespace (needs root or user namespaces)" >&2
  exit 1
fi
# A short, repeatable run of the in-process fuzzer over the parser, model, rules and differ (scripts/fuzz.sh).
scripts/fuzz.sh --smoke
