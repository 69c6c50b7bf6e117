"""Benchmark: ``hookmock validate DIR`` against ``check-jsonschema`` on the same payload files.

Generates N payload files of mixed Stripe event types, then validates them end to end (each tool
as a subprocess, as CI runs it). The baseline gets one equivalent schema: every Stripe event
schema bundled into a single document that dispatches on ``type`` with ``if``/``then``, so both
tools check each file against its own type's schema. Also measures the startup cost of
validating one file, against ``python -c pass`` in the same run.

Run from a checkout:  python benchmarks/bench_validate.py [--files 10000]
Goals (issue 4): hookmock at least 3x faster than check-jsonschema; one file under 0.15 s wall.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SPEED_GOAL = 3.0
STARTUP_GOAL = 0.15


def stripe_types() -> list[str]:
    import hookmock
    from hookmock import _validation

    have = set(_validation.schema_types("stripe"))
    return [t for t in hookmock.stripe.types() if t in have]


def write_payloads(folder: Path, count: int, types: list[str]) -> None:
    import hookmock

    folder.mkdir(parents=True)
    for i in range(count):
        ev = hookmock.stripe.event(types[i % len(types)], seed=i)
        (folder / f"{i:05d}.json").write_bytes(ev.body)


def equivalent_schema(types: list[str]) -> dict[str, object]:
    """One self-contained schema accepting exactly the events hookmock's per-type schemas do."""
    from hookmock._cli.catalog import embed
    from hookmock._validation import BASE_URI, _documents

    root = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_URI}stripe/any-event.json",
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": types}},
        "allOf": [
            {
                "if": {"properties": {"type": {"const": t}}, "required": ["type"]},
                "then": {"$ref": f"{t}.json"},
            }
            for t in types
        ],
    }
    return embed(root, _documents("stripe"), base=str(root["$id"]))


def timed(
    cmd: list[str], cwd: Path, env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, proc


def check_ok(name: str, proc: subprocess.CompletedProcess[str]) -> None:
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr)[-2000:]
        raise SystemExit(f"{name} failed (exit {proc.returncode}) on all-valid input:\n{tail}")


def median_wall(cmd: list[str], cwd: Path, env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        elapsed, proc = timed(cmd, cwd, env)
        check_ok(" ".join(cmd[:4]), proc)
        times.append(elapsed)
    return statistics.median(times)


def single_type_comparison(work: Path, env: dict[str, str], count: int) -> None:
    """The baseline's best case: files of one type, that type's schema alone (no dispatch)."""
    import hookmock
    from hookmock._cli.catalog import bundled

    type = "payment_intent.succeeded"
    folder = work / "one-type"
    folder.mkdir()
    for i in range(count):
        (folder / f"{i:05d}.json").write_bytes(hookmock.stripe.event(type, seed=i).body)
    schema_file = work / "one-type.schema.json"
    schema_file.write_text(json.dumps(bundled("stripe", type)))
    ours, proc = timed([sys.executable, "-m", "hookmock", "validate", "one-type"], work, env)
    check_ok("hookmock validate", proc)
    files = sorted(p.relative_to(work).as_posix() for p in folder.iterdir())
    theirs, proc = timed([baseline_tool(), "--schemafile", schema_file.name, *files], work, env)
    check_ok("check-jsonschema", proc)
    print(f"baseline's best case: {count} {type} files, that type's schema alone:")
    print(f"  hookmock validate one-type/            {ours:7.2f} s")
    print(f"  check-jsonschema --schemafile          {theirs:7.2f} s")
    print(f"  ratio: hookmock is {theirs / ours:.1f}x faster\n")


def baseline_tool() -> str:
    here = Path(sys.executable).parent / "check-jsonschema"
    found = str(here) if here.exists() else shutil.which("check-jsonschema")
    if not found:
        raise SystemExit("check-jsonschema is not installed: pip install check-jsonschema")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="payload files (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="hookmock runs; the best counts")
    parser.add_argument("--startup-runs", type=int, default=15)
    parser.add_argument("--skip-baseline", action="store_true", help="time hookmock only")
    parser.add_argument(
        "--single-type-files", type=int, default=2000, help="files for the best-case comparison"
    )
    opts = parser.parse_args()

    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONDONTWRITEBYTECODE="1")
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="hookmock-bench-") as tmp:
        work = Path(tmp)
        types = stripe_types()
        t0 = time.perf_counter()
        write_payloads(work / "payloads", opts.files, types)
        gen = time.perf_counter() - t0
        schema_file = work / "any-stripe-event.schema.json"
        schema_file.write_text(json.dumps(equivalent_schema(types)))
        print(f"{opts.files} payload files, {len(types)} Stripe types (generated in {gen:.1f} s)")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")

        hookmock_cmd = [py, "-m", "hookmock", "validate", "payloads"]
        runs = []
        for _ in range(opts.runs):
            elapsed, proc = timed(hookmock_cmd, work, env)
            check_ok("hookmock validate", proc)
            runs.append(elapsed)
        ours = min(runs)
        print(
            f"hookmock validate payloads/            {ours:7.2f} s"
            f"  ({opts.files / ours:,.0f} files/s; runs: {', '.join(f'{r:.2f}' for r in runs)})"
        )

        if not opts.skip_baseline:
            files = sorted(p.relative_to(work).as_posix() for p in (work / "payloads").iterdir())
            base_cmd = [baseline_tool(), "--schemafile", schema_file.name, *files]
            theirs, proc = timed(base_cmd, work, env)
            check_ok("check-jsonschema", proc)
            print(
                f"check-jsonschema --schemafile (1 run)   {theirs:7.2f} s"
                f"  ({opts.files / theirs:,.0f} files/s)"
            )
            ratio = theirs / ours
            verdict = "goal met" if ratio >= SPEED_GOAL else "GOAL MISSED"
            print(
                f"ratio: hookmock is {ratio:.1f}x faster (goal >= {SPEED_GOAL:.0f}x: {verdict})\n"
            )

            single_type_comparison(work, env, opts.single_type_files)

        one = "payloads/00000.json"
        bare = median_wall([py, "-c", "pass"], work, env, opts.startup_runs)
        single = median_wall([py, "-m", "hookmock", "validate", one], work, env, opts.startup_runs)
        verdict = "goal met" if single < STARTUP_GOAL else "GOAL MISSED"
        print(f"startup, median of {opts.startup_runs}:")
        print(f"  python -c pass                       {bare * 1000:7.1f} ms")
        print(
            f"  python -m hookmock validate 1 file   {single * 1000:7.1f} ms"
            f"  (+{(single - bare) * 1000:.1f} ms over bare python;"
            f" goal < {STARTUP_GOAL * 1000:.0f} ms: {verdict})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
