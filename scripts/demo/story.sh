#!/usr/bin/env bash
# The story of scripts/demo.sh, run by `scripts/testbed.sh isolated`: inside a loopback-only network namespace, with
# the local test bed started and every AWS call sent to it (AWS_ENDPOINT_URL, through its fault proxy).
set -euo pipefail
# Every call goes through the fault proxy, which forwards to the emulator and fakes what it never shows.
export AWS_ENDPOINT_URL=$TESTBED_PROXY
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

proxy_rules() {  # the fault proxy fakes what the emulator never shows: tables CREATING, GSIs backfilling
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/_proxy/rules", data=sys.argv[2].encode()), timeout=5)' \
    "$TESTBED_PROXY" "$1"
}
hold() { printf '{"service": "dynamodb", "operation": "DescribeTable", "table": "%s", "kind": "%s", %s "seconds": %s}' "$@"; }

proxy_rules "[$(hold finance-staging-users tableStatus '"status": "CREATING",' 3), $(hold finance-staging-transactions tableStatus '"status": "CREATING",' 5)]"
step "Deploy: create the stack, and wait while its tables are CREATING (held for 3–5 s by the fault proxy)" \
  ddbstack deploy "$template" --stack finance-staging --parameters infrastructure/parameters/staging.json --revision 1a2b3c4
"$ddbstack" deploy "$template" --stack finance-staging --parameters infrastructure/parameters/staging.json --revision 1a2b3c4 --color "${DDBSTACK_COLOR:-auto}"

step "Drift right after the deploy: nothing differs" ddbstack drift --stack finance-staging
"$ddbstack" drift --stack finance-staging --color "${DDBSTACK_COLOR:-auto}"

step "Deploy again from a new commit that leaves the template alone: no changes, exit 0" \
  ddbstack deploy "$template" --stack finance-staging --revision 5d6e7f8
"$ddbstack" deploy "$template" --stack finance-staging --revision 5d6e7f8 --color "${DDBSTACK_COLOR:-auto}"

# add_gsis IN OUT NAME... : the template with GSIs on Users keyed on email.
add_gsis() {
  python3 - "$@" <<'PY'
import sys
source, target, names = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(source).read()
anchor = "          Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [displayName, status]}\n"
indexes = "".join(f"        - IndexName: {name}\n          KeySchema:\n            - {{AttributeName: email, KeyType: HASH}}\n"
                  "          Projection: {ProjectionType: KEYS_ONLY}\n" for name in names)
open(target, "w").write(text.replace(anchor, anchor + indexes, 1))
PY
}
with_index="$TESTBED_DIR/with-index.yaml"
add_gsis "$template" "$with_index" byStatus
step "Plan a new GSI on Users against the deployed stack: slow, a backfill" ddbstack plan with-index.yaml --stack finance-staging
"$ddbstack" plan "$with_index" --stack finance-staging --color "${DDBSTACK_COLOR:-auto}"

proxy_rules "[$(hold finance-staging-users backfilling '"index": "byStatus",' 4)]"
step "Deploy it: CloudFormation is done in a moment, ddbstack waits for the backfill (4 s here)" \
  ddbstack deploy with-index.yaml --stack finance-staging --revision 9a8b7c6
"$ddbstack" deploy "$with_index" --stack finance-staging --revision 9a8b7c6 --color "${DDBSTACK_COLOR:-auto}"

with_three="$TESTBED_DIR/with-three.yaml"
add_gsis "$template" "$with_three" byStatus byEmailKeys byEmailAudit
proxy_rules "[$(hold finance-staging-users backfilling '"index": "byEmailKeys",' 3), $(hold finance-staging-users backfilling '"index": "byEmailAudit",' 6)]"
step "Two more GSIs on one table: CloudFormation takes one per update, so ddbstack deploys two steps, each waiting for its backfill" \
  ddbstack deploy with-three.yaml --stack finance-staging --revision 0f1e2d3
"$ddbstack" deploy "$with_three" --stack finance-staging --revision 0f1e2d3 --color "${DDBSTACK_COLOR:-auto}"

rekeyed="$TESTBED_DIR/rekeyed.yaml"
python3 - "$with_three" "$rekeyed" <<'PY'
import sys
text = open(sys.argv[1]).read()
old = "        - {AttributeName: userId, KeyType: HASH}\n      GlobalSecondaryIndexes:"
new = "        - {AttributeName: userId, KeyType: HASH}\n        - {AttributeName: email, KeyType: RANGE}\n      GlobalSecondaryIndexes:"
open(sys.argv[2], "w").write(text.replace(old, new, 1))
PY
step "A sort key added to the named Users table: the guard refuses before anything starts (exit 1 expected)" \
  ddbstack deploy rekeyed.yaml --stack finance-staging
expect 1 "$ddbstack" deploy "$rekeyed" --stack finance-staging --color "${DDBSTACK_COLOR:-auto}"

step "Someone enables TTL on the Goals table by hand" scripts/testbed/out_of_band.py "$AWS_ENDPOINT_URL" finance-staging-goals expiresAt
python3 scripts/testbed/out_of_band.py "$AWS_ENDPOINT_URL" finance-staging-goals expiresAt

step "Drift finds it, with what the next deploy would do about it (exit 1 expected)" ddbstack drift --stack finance-staging with-three.yaml
expect 1 "$ddbstack" drift --stack finance-staging "$with_three" --color "${DDBSTACK_COLOR:-auto}"

step "One rule, explained with its examples" ddbstack rules DDB402
"$ddbstack" rules DDB402
