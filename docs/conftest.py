"""The documentation's examples are tests: Sybil collects every page under docs/.

- ```python blocks run, each page in a namespace of its own (pages never share state, so they
  run in any order); a block written as a ``>>>`` session has its output compared.
- ```console blocks run each ``$ hookmock ...`` line through ``hookmock.cli.main`` in a fresh
  folder per page, and compare what it prints with the lines shown (``...`` matches anything).
- ``<!-- skip: next -->`` before a block that needs the reader's own app, package or server;
  ``tests/test_docs.py`` still compiles those Python blocks.
"""

from __future__ import annotations

import doctest
import io
import os
import shlex
import tempfile
from pathlib import Path
from typing import Any

from sybil import Example, Sybil
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser, SkipParser

OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def commands(source: str) -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs of a console block; ``\\`` continues a command."""
    pairs: list[tuple[str, list[str]]] = []
    pending = ""
    for line in source.splitlines():
        if pending or line.startswith("$ "):
            text = line[2:] if not pending else line.strip()
            pending = pending + " " + text.rstrip("\\").strip() if pending else text.rstrip("\\")
            if not line.endswith("\\"):
                pairs.append((pending.strip(), []))
                pending = ""
        elif pairs:
            pairs[-1][1].append(line)
    return [(cmd, "\n".join(out).strip()) for cmd, out in pairs]


def run_console(example: Example) -> None:
    """Run a console block's ``hookmock`` lines; ``$ echo $?`` after one states its exit code
    (otherwise it must exit 0)."""
    from hookmock.cli import main

    checker = doctest.OutputChecker()
    pairs = commands(str(example.parsed))
    for i, (command, expected) in enumerate(pairs):
        if command == "echo $?":
            continue
        argv = shlex.split(command)
        if argv[0] != "hookmock":
            raise AssertionError(
                f"only hookmock commands run in docs: {command!r} (skip the block)"
            )
        following = pairs[i + 1] if i + 1 < len(pairs) else ("", "")
        want = int(following[1]) if following[0] == "echo $?" else 0
        out, err = io.StringIO(), io.StringIO()
        code = main(argv[1:], stdout=out, stderr=err)
        got = out.getvalue().strip()
        if code != want:
            raise AssertionError(f"$ {command}\nexit {code}, not {want}\n{got}\n{err.getvalue()}")
        if expected and not checker.check_output(expected + "\n", got + "\n", OPTIONS):
            raise AssertionError(f"$ {command}\nexpected:\n{expected}\ngot:\n{got}")


def setup(namespace: dict[str, Any]) -> None:
    namespace["_cwd"] = os.getcwd()
    namespace["_tmp"] = tempfile.TemporaryDirectory(prefix="hookmock-docs-")
    os.chdir(namespace["_tmp"].name)


def teardown(namespace: dict[str, Any]) -> None:
    os.chdir(namespace["_cwd"])
    namespace["_tmp"].cleanup()
    try:
        import stripe
    except ImportError:
        return
    stripe.api_key = None  # examples set a test key; the next page starts without one


pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=OPTIONS),
        CodeBlockParser(language="console", evaluator=run_console),
        SkipParser(),
    ],
    patterns=["*.md"],
    path=str(Path(__file__).parent),
    setup=setup,
    teardown=teardown,
).pytest()
