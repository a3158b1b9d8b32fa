#!/usr/bin/env python3
"""The inside of scripts/bench-readiness.sh: how soon after a stack and its tables become ready does each waiter
notice, and how many DescribeTable calls per table per minute does it make meanwhile.

Usage: readiness.py AWS_CLI DDBSTACK. Needs TESTBED_PROXY (the fault proxy, which fakes the in-progress states
and counts calls) and a 3-table stack 'bench' whose last operation was an update.

Scenario "stack, then tables": DescribeStacks says UPDATE_IN_PROGRESS for T s and every table is UPDATING for
T + 2 s, so everything is ready ("the flip") at T + 2 s after the start. ddbstack: `ddbstack wait --stack bench`.
AWS CLI: `aws cloudformation wait stack-update-complete`, then `aws dynamodb wait table-exists` for each table.
Scenario "GSI backfill": the stack is done and one GSI backfills for T s; the same two commands."""
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request

aws, ddbstack = sys.argv[1], sys.argv[2]
proxy = os.environ["TESTBED_PROXY"]
env = dict(os.environ, AWS_ENDPOINT_URL=proxy, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
           AWS_EC2_METADATA_DISABLED="true", AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1")
env.pop("AWS_SESSION_TOKEN", None)


def control(path, body=None):
    request = urllib.request.Request(proxy + path, data=body.encode() if body is not None else None)
    return json.load(urllib.request.urlopen(request, timeout=5))


def calls(stats):
    return stats["byOperation"].get("dynamodb.DescribeTable", 0)


def tables():
    out = subprocess.run([aws, "cloudformation", "list-stack-resources", "--stack-name", "bench", "--output", "json"],
                         env=env, check=True, capture_output=True, text=True).stdout
    return sorted(r["PhysicalResourceId"] for r in json.loads(out)["StackResourceSummaries"])


def run(commands, rules, flip):
    """Posts the rules, runs the commands one after the other; seconds from the flip to the end, calls per table
    per minute, and whether the commands succeeded."""
    control("/_proxy/reset", "")
    before = calls(control("/_proxy/stats"))
    started = time.monotonic()
    control("/_proxy/rules", json.dumps(rules))
    ok = all(subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0 for command in commands)
    ended = time.monotonic()
    made = calls(control("/_proxy/stats")) - before
    minutes = (ended - started) / 60
    return ended - started - flip, made / len(names) / minutes, ok


names = tables()
cli_stack = [aws, "cloudformation", "wait", "stack-update-complete", "--stack-name", "bench"]
cli_tables = [[aws, "dynamodb", "wait", "table-exists", "--table-name", name] for name in names]
mine = [ddbstack, "wait", "--stack", "bench", "--format", "json"]


def stack_then_tables(t):
    rules = [{"service": "cloudformation", "operation": "DescribeStacks", "stack": "bench", "kind": "stackStatus",
              "status": "UPDATE_IN_PROGRESS", "seconds": t}]
    rules += [{"service": "dynamodb", "operation": "DescribeTable", "table": name, "kind": "tableStatus", "status": "UPDATING",
               "seconds": t + 2} for name in names]
    return rules, t + 2


def backfill(t):
    return [{"service": "dynamodb", "operation": "DescribeTable", "table": names[0], "kind": "backfilling", "index": "byEmail",
             "seconds": t}], t


print(f"== readiness detection, 3-table stack; 'lag' = seconds from the moment everything is ready to the waiter's exit")
print("   (flip times are drawn at random, so a poll's phase does not flatter either side)")
random.seed(int(os.environ.get("SEED", "7")))
for scenario, make, base in (("stack, then tables", stack_then_tables, (3, 6, 9)), ("GSI backfill", backfill, (8, 14, 20))):
    results = {}
    for label, commands, runs in (("ddbstack wait", [mine], 7), ("aws cli waiters", [cli_stack] + cli_tables, 3)):
        delays = [round(base[i % len(base)] + random.uniform(0, 2), 2) for i in range(runs)]
        rows = [run(commands, *make(t)) for t in delays]
        results[label] = rows
        lags = [row[0] for row in rows]
        rates = [row[1] for row in rows]
        print(f"{scenario:20} {label:16} lag median {statistics.median(lags):6.2f} s  (runs: {', '.join(f'{l:.2f}' for l in lags)})"
              f"  DescribeTable/table/min {statistics.median(rates):5.1f}  {'ok' if all(r[2] for r in rows) else 'FAILED'}")
    mine_lag = statistics.median(r[0] for r in results["ddbstack wait"])
    cli_lag = statistics.median(r[0] for r in results["aws cli waiters"])
    if cli_lag < 0:
        print(f"{'':20} the AWS CLI waiters returned {-cli_lag:.1f} s BEFORE the index was ready (table-exists ignores GSIs)")
    else:
        print(f"{'':20} ddbstack noticed {cli_lag - mine_lag:.1f} s sooner ({cli_lag / max(mine_lag, 0.01):.0f}x)")
