#!/usr/bin/env python3
"""Runs commands repeatedly as whole processes; prints median wall time and peak RSS of each, and ratios
against the first (the baseline). Usage: measure.py RUNS 'label=command' ...

The runs are interleaved, one of each command per round, so a machine whose speed drifts from minute to minute
(a shared VM's does, by a third) slows the baseline and the rest alike and the ratios stay comparable. A command
labelled cfn-lint… runs in every tenth round only: it takes seconds."""
import shlex
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(command):
    start = time.perf_counter()
    status = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.perf_counter() - start, status


def peak_rss(command):
    """One more run under /usr/bin/time (a child forked from Python would count Python's own pages before exec)."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, *command],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return int(report.read().strip().splitlines()[-1]) / 1024  # KiB to MiB


def main():
    runs = int(sys.argv[1])
    specs = [spec.split("=", 1) for spec in sys.argv[2:]]
    commands = [(label, shlex.split(command)) for label, command in specs]
    times = {label: [] for label, _ in commands}
    statuses = {label: set() for label, _ in commands}
    for round_number in range(runs):
        for label, command in commands:
            if label.startswith("cfn-lint") and round_number % 10 != 0:
                continue
            elapsed, status = run_once(command)
            times[label].append(elapsed)
            statuses[label].add(status)
    base = statistics.median(times[commands[0][0]])
    for label, command in commands:
        median = statistics.median(times[label])
        print(f"  {label:<28} {median * 1000:9.1f} ms  {peak_rss(command):7.1f} MiB peak  {median / base:6.2f}x baseline"
              f"  (median of {len(times[label])}, exit {sorted(statuses[label])})")


main()
