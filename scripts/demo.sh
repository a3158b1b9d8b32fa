#!/usr/bin/env bash
# The README's main command: builds ddbstack and runs it on the bundled template.
# (It grows into the full lint → plan → deploy → wait → drift flow as those commands land.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
swift build -c release --product ddbstack
ddbstack=.build/release/ddbstack
template=infrastructure/cloudformation/dynamodb.yaml
step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; }

step "The tables of the bundled template, resolved for production" \
  ddbstack show "$template" --parameters infrastructure/parameters/production.json
"$ddbstack" show "$template" --parameters infrastructure/parameters/production.json

step "Lint, as the pre-merge job runs it" ddbstack lint "$template"
"$ddbstack" lint "$template"

step "Lint with the production profile and production parameters" \
  ddbstack lint "$template" --rules-profile production --parameters infrastructure/parameters/production.json
"$ddbstack" lint "$template" --rules-profile production --parameters infrastructure/parameters/production.json

step "What the linter catches that cfn-lint does not (exit 1 expected)" ddbstack lint fixtures/lint/facts-section-2.yaml
status=0
"$ddbstack" lint fixtures/lint/facts-section-2.yaml --color "${DDBSTACK_COLOR:-auto}" || status=$?
[[ $status -eq 1 ]] || { echo "expected exit 1, got $status" >&2; exit 1; }

step "A change that renames a GSI, against the template on main: staged into two deploys (exit 1: the removal needs acknowledgement)" \
  ddbstack diff fixtures/changes/base.yaml fixtures/changes/gsi-rename.yaml --steps
status=0
"$ddbstack" diff fixtures/changes/base.yaml fixtures/changes/gsi-rename.yaml --steps --color "${DDBSTACK_COLOR:-auto}" || status=$?
[[ $status -eq 1 ]] || { echo "expected exit 1, got $status" >&2; exit 1; }

step "The same change, acknowledged" ddbstack diff fixtures/changes/base.yaml fixtures/changes/gsi-rename.yaml --allow breaking:Users
"$ddbstack" diff fixtures/changes/base.yaml fixtures/changes/gsi-rename.yaml --allow breaking:Users --color "${DDBSTACK_COLOR:-auto}"

step "Reaching AWS: doctor against the local emulator (ministack on 127.0.0.1)" ddbstack doctor --endpoint-url http://127.0.0.1:PORT
scripts/testbed.sh install
bed=$(mktemp -d)
trap 'scripts/testbed.sh stop "$bed"; rm -rf "$bed"' EXIT
scripts/testbed.sh start "$bed"
"$ddbstack" doctor --region us-east-1 --endpoint-url "http://127.0.0.1:$(cat "$bed/port")"

step "One rule, explained with its examples" ddbstack rules DDB402
"$ddbstack" rules DDB402
