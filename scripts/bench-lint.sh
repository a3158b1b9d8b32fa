#!/usr/bin/env bash
# Benchmark of whole-process `ddbstack lint` on generated templates of 10, 200 and 500 tables, against the
# floor of any libyaml-based tool (a C program that only iterates libyaml's events over the same file),
# and against cfn-lint where it is installed. Prints median times, peak memory and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
runs=${RUNS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build -c release --product ddbstack >/dev/null
cc -O2 -o "$work/yaml_floor" scripts/bench/yaml_floor.c -lyaml
for tables in 10 200 500; do
  template="$work/tables-$tables.yaml"
  python3 scripts/bench/generate_template.py "$tables" >"$template"
  echo "== $tables tables ($(wc -c <"$template") bytes)"
  commands=("libyaml floor=$work/yaml_floor $template" "ddbstack lint=.build/release/ddbstack lint $template")
  if command -v cfn-lint >/dev/null; then commands+=("cfn-lint=cfn-lint $template"); fi
  python3 scripts/bench/measure.py "$runs" "${commands[@]}"
done
