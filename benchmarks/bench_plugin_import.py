"""What hookmock's pytest plugin adds to a pytest run that does not use it.

Run: python benchmarks/bench_plugin_import.py [--runs 20]
1. Import time: ``import hookmock.plugin`` after ``import pytest``, against the bare
   ``import pytest`` baseline, in the same fresh interpreters (median of --runs).
2. Whole runs: ``pytest`` on one trivial test with and without ``-p hookmock.plugin`` (median).
3. Which heavy libraries the loaded plugin pulled in (there should be none).
Goal (issue 3): the plugin adds under 10 ms. Medians are shown with the minimum, since other
processes on a shared machine make single runs noisy.

--against DIR compares the plugin's import (`import hookmock.plugin` after `import pytest`, from
``-X importtime``) with another checkout's, alternating the two in every round (see
bench_import.py; --no-bytecode likewise).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("faker", "jsonschema", "requests", "responses", "yaml", "httpx")

IMPORT_PROBE = f"""
import json, sys, time
t0 = time.perf_counter()
import pytest
t1 = time.perf_counter()
import hookmock.plugin
t2 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, [m for m in {HEAVY!r} if m in sys.modules]]))
"""


def import_times(runs: int) -> tuple[list[float], list[float], list[str]]:
    base, plugin, heavy = [], [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", IMPORT_PROBE],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        b, p, h = json.loads(out.stdout)
        base.append(b)
        plugin.append(p)
        heavy = h
    return base, plugin, heavy


def run_times(runs: int) -> tuple[list[float], list[float]]:
    """Whole pytest runs without and with the plugin, interleaved so machine noise hits both."""
    without: list[float] = []
    with_plugin: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "test_one.py").write_text("def test_one():\n    pass\n")
        Path(tmp, "pytest.ini").write_text("[pytest]\n")
        for _ in range(runs):
            for extra, times in (([], without), (["-p", "hookmock.plugin"], with_plugin)):
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra],
                    cwd=tmp,
                    capture_output=True,
                    check=True,
                    env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                )
                times.append(time.perf_counter() - start)
    return without, with_plugin


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms (min {min(values) * 1000:.1f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--no-bytecode", action="store_true", help="compile on every import")
    args = parser.parse_args(argv)
    if args.against is not None:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_import import compare  # a sibling script, not a package

        kind = "no bytecode" if args.no_bytecode else "bytecode"
        other, here = compare(
            args.against.resolve(),
            args.runs,
            bytecode=not args.no_bytecode,
            module="hookmock.plugin",
            code="import pytest; ",
        )
        print(f"import hookmock.plugin after pytest ({kind}, median of {args.runs}, alternating)")
        print(f"  {args.against}: {other:.2f} ms")
        print(f"  {ROOT}: {here:.2f} ms")
        print(f"  this tree / the other: {here / other:.3f}")
        return 0

    base, plugin, heavy = import_times(args.runs)
    print(f"import pytest (baseline)              {ms(base)}")
    print(f"import hookmock.plugin (added)        {ms(plugin)}")
    print(
        f"  ratio to the pytest import          {statistics.median(plugin) / statistics.median(base):.3f}x"
    )

    without, with_plugin = run_times(args.runs)
    added = statistics.median(with_plugin) - statistics.median(without)
    print(f"pytest run, plugin not loaded         {ms(without)}")
    print(f"pytest run, plugin loaded, unused     {ms(with_plugin)}  (+{added * 1000:.1f} ms)")
    print(f"heavy libraries the plugin imported   {heavy or 'none'}")
    verdict = "ok" if statistics.median(plugin) < 0.010 and not heavy else "over the 10 ms goal"
    print(f"goal: plugin import under 10 ms, nothing heavy: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
