"""How much `import hookmock` costs, from `python -X importtime`, against stdlib baselines.

Run: python benchmarks/bench_import.py [--runs 30] [--no-bytecode] [--against DIR]
Every figure is the median over fresh interpreters, measured in this same run, because these
machines are noisy. Goal (issue 2): `import hookmock` under 15 ms.

--against DIR times `import hookmock` from another checkout too (a worktree of an older commit:
`git worktree add /tmp/base <commit>`), alternating the two in every round, and prints the ratio.
Each tree gets bytecode of its own in a fresh cache (PYTHONPYCACHEPREFIX), so stale .pyc files
count for neither; --no-bytecode compiles every module in every run (no cache is read or written).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cumulative_us(
    module: str, root: Path = ROOT, env: dict[str, str] | None = None, code: str = ""
) -> int:
    """Cumulative import time of ``module`` in microseconds, in a fresh interpreter started in
    ``root`` (so ``root``'s package is the one imported) after running ``code``."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"{code}import {module}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env=env,
    )
    for line in reversed(proc.stderr.splitlines()):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1])
    raise SystemExit(f"no importtime line for {module}:\n{proc.stderr[-500:]}")


def tree_env(root: Path, cache: Path, *, bytecode: bool) -> dict[str, str]:
    """The environment for timing ``root``: its own bytecode cache, or none at all."""
    env = dict(os.environ)
    env["PYTHONPYCACHEPREFIX"] = str(cache / (root.name if bytecode else "none"))
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def compare(
    other: Path, runs: int, *, bytecode: bool, module: str = "hookmock", code: str = ""
) -> tuple[float, float]:
    """Median cumulative import time of ``module`` (ms) in ``other`` and in this tree, the two
    alternating in every round (which goes first alternates too)."""
    times: dict[Path, list[int]] = {other: [], ROOT: []}
    with tempfile.TemporaryDirectory() as tmp:
        envs = {root: tree_env(root, Path(tmp), bytecode=bytecode) for root in times}
        for root in times:  # write each tree's bytecode first (no-op without bytecode)
            cumulative_us(module, root, envs[root], code)
        for n in range(runs):
            for root in (other, ROOT) if n % 2 == 0 else (ROOT, other):
                times[root].append(cumulative_us(module, root, envs[root], code))
    return statistics.median(times[other]) / 1000, statistics.median(times[ROOT]) / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--no-bytecode", action="store_true", help="compile on every import")
    args = parser.parse_args()
    if args.against is not None:
        kind = "no bytecode" if args.no_bytecode else "bytecode"
        other, here = compare(args.against.resolve(), args.runs, bytecode=not args.no_bytecode)
        print(f"import hookmock ({kind}, median of {args.runs}, alternating)")
        print(f"  {args.against}: {other:.2f} ms")
        print(f"  {ROOT}: {here:.2f} ms")
        print(f"  this tree / the other: {here / other:.3f}")
        return 0
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
