#!/usr/bin/env bash
# Benchmark: `ddbstack drift --stack` of a 200-table stack (created through TemplateURL: the template is far over
# the 51,200-byte inline limit), whole process, against a boto3 script making the same reads one table after
# another. Both go through the fault proxy adding 30 ms to every call — roughly AWS's control-plane latency,
# without which a local emulator measures only its own CPU. Runs in a loopback-only network namespace.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product ddbstack >/dev/null
scripts/testbed.sh install
exec unshare --net sh -c '
  set -e
  ip link set lo up
  bed=$(mktemp -d)
  trap "scripts/testbed.sh stop $bed; rm -rf $bed" EXIT
  scripts/testbed.sh start "$bed"
  endpoint="http://127.0.0.1:$(cat "$bed/port")"
  proxy="http://127.0.0.1:$(cat "$bed/proxy-port")"
  export AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
  python3 scripts/bench/generate_template.py ${TABLES:-200} >"$bed/template.yaml"
  echo "== template: $(wc -c <"$bed/template.yaml") bytes, ${TABLES:-200} tables"
  python3 scripts/testbed/create_stack.py "$endpoint" bench "$bed/template.yaml"
  python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1] + \"/_proxy/rules\", data=sys.argv[2].encode())" \
    "$proxy" "[{\"kind\": \"delay\", \"ms\": ${LATENCY_MS:-30}}]" >/dev/null
  .build/release/ddbstack drift --stack bench --endpoint-url "$proxy" --format json >"$bed/drift.json" || true
  python3 -c "import json,sys; s=json.load(open(sys.argv[1]))[\"summary\"]; print(\"== ddbstack drift:\", s[\"text\"] + \",\", s[\"apiCalls\"], \"API calls\")" "$bed/drift.json"
  echo "== boto3 script: $(python3 scripts/bench/boto3_drift.py "$proxy" bench)"
  echo "== drift of ${TABLES:-200} tables, ${LATENCY_MS:-30} ms added to every call"
  python3 scripts/bench/measure.py ${RUNS:-3} \
    "boto3-sequential=python3 scripts/bench/boto3_drift.py $proxy bench" \
    "ddbstack-drift=.build/release/ddbstack drift --stack bench --endpoint-url $proxy --format json"
'
