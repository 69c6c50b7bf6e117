"""Helpers for the CLI tests: run ``hookmock.cli.main`` in-process or as ``python -m hookmock``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from hookmock.cli import main

REPO = Path(__file__).resolve().parent.parent


class Run:
    """What one ``hookmock`` invocation did: exit code and the two output streams."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    def __repr__(self) -> str:
        return f"Run(code={self.code}, out={self.out[:400]!r}, err={self.err[:400]!r})"


def cli(*argv: str, stdin: bytes | str | None = None) -> Run:
    """``hookmock ARGV`` in-process, with captured streams (stdin given as bytes or text)."""
    out, err = io.StringIO(), io.StringIO()
    if isinstance(stdin, str):
        stdin = stdin.encode()
    source = io.BytesIO(stdin if stdin is not None else b"")
    code = main(list(argv), stdout=out, stderr=err, stdin=source)
    return Run(code, out.getvalue(), err.getvalue())


def python_m(*argv: str, stdin: bytes | None = None, cwd: Path | None = None) -> Run:
    """``python -m hookmock ARGV`` as a real subprocess, run against this checkout."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(
        [sys.executable, "-m", "hookmock", *argv],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        cwd=cwd or REPO,
        env=env,
        timeout=60,
        check=False,
    )
    return Run(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def write_stripe(folder: Path, types: list[str], *, start: int = 0) -> list[Path]:
    """One Stripe event file per type (seeds start, start+1, ...), exactly the bytes sent."""
    import hookmock

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, type in enumerate(types, start):
        ev = hookmock.stripe.event(type, seed=i)
        path = folder / f"{type}-{i}.json"
        path.write_bytes(ev.body)
        paths.append(path)
    return paths


def github_event(type: str = "pull_request.opened", seed: int = 1):  # type: ignore[no-untyped-def]
    import hookmock

    return hookmock.github.event(type, seed=seed)


def tamper(path: Path, pointer: list[str | int], value: object) -> None:
    """Set one field of a JSON file to a wrong value (pretty-printed, like Stripe's bodies)."""
    doc = json.loads(path.read_bytes())
    node = doc
    for part in pointer[:-1]:
        node = node[part]
    node[pointer[-1]] = value
    path.write_text(json.dumps(doc, indent=2))


def cli_within(seconds: float, *argv: str, stdin: bytes | str | None = None) -> Run:
    """:func:`cli`, failing the test (instead of hanging it) if it takes over ``seconds``."""
    import threading

    done: list[Run] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            done.append(cli(*argv, stdin=stdin))
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if errors:
        raise errors[0]
    if not done:
        raise AssertionError(f"hookmock {' '.join(argv)} did not finish within {seconds} s")
    return done[0]
