#!/usr/bin/env bash
# The story of scripts/demo.sh, run by `scripts/testbed.sh isolated`: inside a loopback-only network namespace, with
# the local test bed started and every AWS call sent to it (AWS_ENDPOINT_URL).
set -euo pipefail
export AWS_ENDPOINT_URL=$TESTBED_ENDPOINT
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

step "Reaching AWS: doctor against the local emulator (AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL)" ddbstack doctor
"$ddbstack" doctor
expect() { local want=$1 status=0; shift; "$@" || status=$?; [[ $status -eq $want ]] || { echo "expected exit $want, got $status" >&2; exit 1; }; }

step "Plan against a stack that does not exist yet: every table is created" \
  ddbstack plan "$template" --stack finance-staging --parameters infrastructure/parameters/staging.json --change-set
"$ddbstack" plan "$template" --stack finance-staging --parameters infrastructure/parameters/staging.json --change-set --color "${DDBSTACK_COLOR:-auto}"

step "Create the stack (a CloudFormation script for now; 'ddbstack deploy' will do this)" \
  scripts/testbed/create_stack.py "$AWS_ENDPOINT_URL" finance-staging "$template" Environment=staging
python3 scripts/testbed/create_stack.py "$AWS_ENDPOINT_URL" finance-staging "$template" Environment=staging

step "Drift right after the deploy: nothing differs" ddbstack drift --stack finance-staging
"$ddbstack" drift --stack finance-staging --color "${DDBSTACK_COLOR:-auto}"

with_index="$TESTBED_DIR/with-index.yaml"
python3 - "$template" "$with_index" <<'PY'
import sys
text = open(sys.argv[1]).read()
anchor = "          Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [displayName, status]}\n"
index = ("        - IndexName: byStatus\n          KeySchema:\n            - {AttributeName: email, KeyType: HASH}\n"
         "          Projection: {ProjectionType: KEYS_ONLY}\n")
open(sys.argv[2], "w").write(text.replace(anchor, anchor + index, 1))
PY
step "Plan a new GSI on Users against the deployed stack: slow, a backfill" ddbstack plan with-index.yaml --stack finance-staging
"$ddbstack" plan "$with_index" --stack finance-staging --color "${DDBSTACK_COLOR:-auto}"

rekeyed="$TESTBED_DIR/rekeyed.yaml"
python3 - "$template" "$rekeyed" <<'PY'
import sys
text = open(sys.argv[1]).read()
old = "        - {AttributeName: userId, KeyType: HASH}\n      GlobalSecondaryIndexes:"
open(sys.argv[2], "w").write(text.replace(old, old.replace("userId", "email"), 1))
PY
step "Plan a key change on the named Users table: refused before anything starts (exit 1 expected)" \
  ddbstack plan rekeyed.yaml --stack finance-staging
expect 1 "$ddbstack" plan "$rekeyed" --stack finance-staging --color "${DDBSTACK_COLOR:-auto}"

step "Someone enables TTL on the Goals table by hand" scripts/testbed/out_of_band.py "$AWS_ENDPOINT_URL" finance-staging-goals expiresAt
python3 scripts/testbed/out_of_band.py "$AWS_ENDPOINT_URL" finance-staging-goals expiresAt

step "Drift finds it, with what the next deploy would do about it (exit 1 expected)" ddbstack drift --stack finance-staging
expect 1 "$ddbstack" drift --stack finance-staging --color "${DDBSTACK_COLOR:-auto}"

step "One rule, explained with its examples" ddbstack rules DDB402
"$ddbstack" rules DDB402
