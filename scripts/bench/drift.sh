#!/usr/bin/env bash
# The inside of scripts/bench-drift.sh, run by `scripts/testbed.sh isolated`.
set -euo pipefail
tables=${TABLES:-200} latency=${LATENCY_MS:-30}
python3 scripts/bench/generate_template.py "$tables" >"$TESTBED_DIR/template.yaml"
echo "== template: $(wc -c <"$TESTBED_DIR/template.yaml") bytes, $tables tables"
python3 scripts/testbed/create_stack.py "$TESTBED_ENDPOINT" bench "$TESTBED_DIR/template.yaml"
python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1] + '/_proxy/rules', data=sys.argv[2].encode())" \
  "$TESTBED_PROXY" "[{\"kind\": \"delay\", \"ms\": $latency}]" >/dev/null
.build/release/ddbstack drift --stack bench --endpoint-url "$TESTBED_PROXY" --format json >"$TESTBED_DIR/drift.json" || true
python3 -c "import json, sys; s = json.load(open(sys.argv[1]))['summary']; print('== ddbstack drift:', s['text'] + ',', s['apiCalls'], 'API calls')" \
  "$TESTBED_DIR/drift.json"
echo "== boto3 script: $(python3 scripts/bench/boto3_drift.py "$TESTBED_PROXY" bench)"
echo "== drift of $tables tables, $latency ms added to every call"
python3 scripts/bench/measure.py "${RUNS:-3}" \
  "boto3-sequential=python3 scripts/bench/boto3_drift.py $TESTBED_PROXY bench" \
  "ddbstack-drift=.build/release/ddbstack drift --stack bench --endpoint-url $TESTBED_PROXY --format json"
