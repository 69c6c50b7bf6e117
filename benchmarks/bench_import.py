"""How much `import hookmock` costs, from `python -X importtime`, against stdlib baselines.

Run: python benchmarks/bench_import.py [--runs 30]
Every figure is the median over fresh interpreters, measured in this same run, because these
machines are noisy. Goal (issue 2): `import hookmock` under 15 ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cumulative_us(module: str) -> int:
    """Cumulative import time of ``module`` in microseconds, in a fresh interpreter."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    for line in reversed(proc.stderr.splitlines()):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1])
    raise SystemExit(f"no importtime line for {module}:\n{proc.stderr[-500:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    # The plugin module imports pytest; benchmarks/bench_plugin_import.py measures its cost.
    modules = ["json", "dataclasses", "hookmock"]
    results: dict[str, list[int]] = {m: [] for m in modules}
    for _ in range(args.runs):  # interleaved, so drift hits every module alike
        for m in modules:
            results[m].append(cumulative_us(m))
    base = statistics.median(results["json"])
    print(f"{'module':<18}{'median ms':>10}{'x json':>9}")
    for m in modules:
        med = statistics.median(results[m])
        print(f"{m:<18}{med / 1000:>10.2f}{med / base:>9.2f}")
    hm = statistics.median(results["hookmock"]) / 1000
    print(f"\nimport hookmock: {hm:.2f} ms (goal < 15 ms): {'OK' if hm < 15 else 'OVER'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
