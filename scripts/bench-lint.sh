#!/usr/bin/env bash
# Benchmark of whole-process `ddbstack lint` on two shapes of template with 10, 200 and 500 tables, against the
# floor of any libyaml-based tool (a C program that only iterates libyaml's events over the same file), and against
# cfn-lint where it is installed. Prints median times (runs interleaved), peak memory and ratios to the floor, after
# how much a second thread buys on this machine (lint's parallel stages gain no more than that).
#   plain: scripts/bench/generate_template.py (flow-style key schemas, three GSIs, an LSI)
#   heavy: ../shared/bench/gen_template.py when present (a !Sub name, four GSIs of mixed projections, an LSI on
#          every third table, stream, TTL, PITR, SSE, tags and !If on every table)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
runs=${RUNS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scripts/build-release.sh --product ddbstack >/dev/null
cc -O2 -o "$work/yaml_floor" scripts/bench/yaml_floor.c -lyaml
cc -O1 -pthread -o "$work/cores" scripts/bench/cores.c
"$work/cores"
shapes=("plain=scripts/bench/generate_template.py")
if [ -f ../shared/bench/gen_template.py ]; then shapes+=("heavy=../shared/bench/gen_template.py"); fi
for shape in "${shapes[@]}"; do
  for tables in 10 200 500; do
    template="$work/${shape%%=*}-$tables.yaml"
    python3 "${shape#*=}" "$tables" >"$template"
    echo "== ${shape%%=*}, $tables tables ($(wc -c <"$template") bytes)"
    commands=("libyaml floor=$work/yaml_floor $template" "ddbstack lint=.build/release/ddbstack lint $template")
    if command -v cfn-lint >/dev/null; then commands+=("cfn-lint=cfn-lint $template"); fi
    python3 scripts/bench/measure.py "$runs" "${commands[@]}"
  done
done
