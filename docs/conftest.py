"""The documentation's examples are tests: Sybil parses every page under docs/, and each page
runs as one test (``docs/how-to/retries.md::examples``) whose failure names the example's line.

- ```python blocks run, each page in a namespace of its own (pages never share state, so they
  run in any order); a block written as a ``>>>`` session has its output compared.
- ```console blocks run each ``$ hookmock ...`` line through ``hookmock.cli.main`` in a fresh
  folder per page, and compare what it prints with the lines shown (``...`` matches anything).
- a block whose first line is a comment naming a file (``# store.py``, ``# tests/webhooks.yaml``),
  or that follows a ``<!-- file: PATH -->`` line (any language, JSON too), is written to that file in the page's folder instead of being run: pages build small projects
  (an app module, a contract, a test module) and then use them.
- ``<!-- skip: next -->`` before a block that needs the reader's own app, package or server;
  ``tests/test_docs.py`` still compiles those Python blocks.
"""

from __future__ import annotations

import doctest
import io
import os
import re
import shlex
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

import pytest
from sybil import Example, Sybil
from sybil.evaluators.python import PythonEvaluator
from sybil.example import SybilFailure
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser, SkipParser

import hookmock
from hookmock.cli import main

DATA_LANGUAGES = ("yaml", "json", "toml", "ini")
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
FILE_MARKER = re.compile(r"<!-- file: (?P<path>[\w./-]+) -->")
NAMED = re.compile(r"\A# (?P<path>[\w./-]+\.(?:py|ya?ml|json|toml|ini|cfg))\n")


def named_file(example: Example) -> tuple[str, str] | None:
    """The file a block names, and its text: a ``<!-- file: PATH -->`` line right before the
    block (any language), or a first line ``# PATH`` (Python, YAML, TOML, INI)."""
    source = str(example.parsed)
    before = example.document.text[: example.start].rstrip("\n").rsplit("\n", 1)[-1]
    marker = FILE_MARKER.fullmatch(before)
    if marker:
        return marker.group("path"), source
    match = NAMED.match(source)
    return (match.group("path"), source) if match else None


def write_named(example: Example) -> bool:
    """Write a block that names its file into the page's folder; say whether it did."""
    named = named_file(example)
    if named is None:
        return False
    path = Path(named[0])
    if path.is_absolute() or ".." in path.parts:
        raise AssertionError(f"a docs block may only name a file inside its page's folder: {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(named[1])
    return True


class PythonOrFile(PythonCodeBlockParser):
    """Python blocks run, unless they name a file (then they are written)."""

    def __init__(self, doctest_optionflags: int = 0) -> None:
        super().__init__(doctest_optionflags=doctest_optionflags)
        run = PythonEvaluator()

        def evaluate(example: Example) -> None:
            if not write_named(example):
                run(example)

        self.codeblock_parser = CodeBlockParser("python", evaluate)


def data_file(example: Example) -> None:
    write_named(example)


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
    """Each page runs in a fresh folder, importable, so that the files it writes are its own."""
    namespace["_cwd"] = os.getcwd()
    namespace["_tmp"] = tempfile.TemporaryDirectory(prefix="hookmock-docs-")
    namespace["_modules"] = set(sys.modules)
    namespace["_providers"] = set(hookmock.provider_names())
    namespace["_standard_types"] = set(hookmock.standard.types())
    os.chdir(namespace["_tmp"].name)
    sys.path.insert(0, namespace["_tmp"].name)


def teardown(namespace: dict[str, Any]) -> None:
    os.chdir(namespace["_cwd"])
    sys.path.remove(namespace["_tmp"].name)
    for name in set(sys.modules) - namespace["_modules"]:
        module_file = getattr(sys.modules[name], "__file__", None) or ""
        if module_file.startswith(namespace["_tmp"].name):
            del sys.modules[name]  # the page's own modules (store.py, ...) go with its folder
    namespace["_tmp"].cleanup()
    for name in set(hookmock.provider_names()) - namespace["_providers"]:
        hookmock.unregister_provider(name)  # a page's own provider (acme) is not the next page's
    for type in set(hookmock.standard.types()) - namespace["_standard_types"]:
        hookmock.standard.unregister(type)  # nor are the Standard Webhooks types it registered
    try:
        import stripe
    except ImportError:
        return
    stripe.api_key = None  # examples set a test key; the next page starts without one


SYBIL = Sybil(
    parsers=[
        PythonOrFile(doctest_optionflags=OPTIONS),
        CodeBlockParser(language="console", evaluator=run_console),
        *(CodeBlockParser(language=lang, evaluator=data_file) for lang in DATA_LANGUAGES),
        SkipParser(),
    ],
    patterns=["*.md"],
    path=str(Path(__file__).parent),
)


class PageExamples(pytest.Item):
    """All the examples of one page, run in order in one namespace, as one test.

    One item per page, not per example: pytest-xdist hands items to workers one by one, and a
    page's examples build on each other (its imports, its app, the files it writes).
    """

    def runtest(self) -> None:
        document = SYBIL.parse(self.path)
        setup(document.namespace)
        ran = 0
        try:
            for example in document.examples():
                try:
                    example.evaluate()
                except SybilFailure as failure:
                    raise PageExampleError(self.path, example.line, str(failure)) from None
                except Exception as exc:
                    raise PageExampleError(
                        self.path, example.line, f"{type(exc).__name__}: {exc}"
                    ) from exc
                ran += 1
        finally:
            teardown(document.namespace)
        self.user_properties.append(("examples", ran))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, PageExampleError):
            cause = excinfo.value.__cause__
            trace = ""
            if cause is not None:
                trace = "".join(traceback.format_exception(cause)[-6:])
            return f"{excinfo.value}\n{trace}".rstrip()
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"examples of {self.path.name}"


class PageExampleError(AssertionError):
    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{path.name}, the example at line {line}:\n{problem}")


class Page(pytest.File):
    def collect(self) -> list[PageExamples]:
        return [PageExamples.from_parent(self, name="examples")]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> Page | None:
    if file_path.suffix == ".md" and SYBIL.should_parse(file_path):
        return Page.from_parent(parent, path=file_path)
    return None
