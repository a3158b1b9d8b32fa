#!/usr/bin/env python3
"""Runs commands repeatedly as whole processes; prints median wall time and peak RSS of each, and ratios
against the first (the baseline). Usage: measure.py RUNS 'label=command' ..."""
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time


def measure(command, runs):
    """Median wall time over `runs` runs, then the peak RSS of one more run under /usr/bin/time (a child
    forked from Python would count Python's own pages before exec)."""
    times, statuses = [], set()
    for _ in range(runs):
        start = time.perf_counter()
        status = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        times.append(time.perf_counter() - start)
        statuses.add(status)
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, *command],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = int(report.read().strip().splitlines()[-1]) / 1024  # KiB to MiB
    return statistics.median(times), peak, statuses


def main():
    runs = int(sys.argv[1])
    rows = []
    for spec in sys.argv[2:]:
        label, command = spec.split("=", 1)
        this_runs = max(1, runs // 10) if label.startswith("cfn-lint") else runs
        median, peak, statuses = measure(shlex.split(command), this_runs)
        rows.append((label, median, peak, statuses, this_runs))
    base = rows[0][1]
    for label, median, peak, statuses, this_runs in rows:
        print(f"  {label:<28} {median * 1000:9.1f} ms  {peak:7.1f} MiB peak  {median / base:6.2f}x baseline"
              f"  (median of {this_runs}, exit {sorted(statuses)})")


main()
