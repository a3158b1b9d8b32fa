#!/usr/bin/env bash
# Benchmark of whole-process `ddbstack diff` on two 500-table templates that differ in 50 tables (one GSI
# added to each), against `ddbstack lint` of one of them (the baseline) in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
runs=${RUNS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scripts/build-release.sh --product ddbstack >/dev/null
python3 scripts/bench/generate_template.py 500 >"$work/base.yaml"
python3 scripts/bench/generate_template.py 500 50 >"$work/head.yaml"
echo "== 500 tables, 50 changed ($(wc -c <"$work/head.yaml") bytes each)"
python3 scripts/bench/measure.py "$runs" \
  "ddbstack lint=.build/release/ddbstack lint $work/head.yaml" \
  "ddbstack diff=.build/release/ddbstack diff $work/base.yaml $work/head.yaml"
.build/release/ddbstack diff "$work/base.yaml" "$work/head.yaml" --format json | python3 -c \
  'import json,sys; s=json.load(sys.stdin)["changeSummary"]; print("  diff found:", s["text"])'
