"""The README is short and true: its commands are what CI runs, and its examples run as written.

The user manual is the documentation site under docs/; its examples are collected by Sybil
(docs/conftest.py), and tests/test_docs.py checks the site's shape.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
FENCE = re.compile(r"```python\n(.*?)```", re.S)
TEST_SHOP = ROOT / "examples" / "flask_stripe" / "test_shop.py"


def python_blocks() -> list[tuple[int, str]]:
    return [
        (README[: m.start()].count("\n") + 1, textwrap.dedent(m.group(1)))
        for m in FENCE.finditer(README)
    ]


def test_the_readme_opens_with_the_demo_and_test_commands():
    first = README.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert first == [
        "python -m pip install . && hookmock demo",
        'python -m pip install -e ".[test]" && python -m pytest -n 2',
    ]
    assert README.index("```bash\n") == README.index("```")


def test_ci_runs_the_readmes_exact_test_command():
    test_command = README.split("```bash\n", 1)[1].splitlines()[1]
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci


def test_the_readme_stays_short():
    assert len(README.splitlines()) <= 200


def test_the_readme_links_the_docs_and_says_how_to_serve_them():
    assert "](docs/index.md)" in README
    assert "mkdocs serve" in README


def test_the_readme_installs_only_from_places_that_exist():
    # Not on PyPI yet: a bare `pip install hookmock` may only appear as the "once released" line.
    for line in README.splitlines():
        if re.search(r"pip install hookmock\b", line):
            assert "once" in line.lower(), line


def test_the_first_test_is_quoted_from_the_example_that_ci_runs():
    source = TEST_SHOP.read_text()
    quoted = [code for _, code in python_blocks() if "stripe_events" in code]
    assert len(quoted) >= 2
    for code in quoted:
        assert code.strip() in source, code


def test_the_other_python_examples_run_as_written():
    ran = 0
    for line, code in python_blocks():
        if "stripe_events" in code:
            continue  # quoted from examples/flask_stripe/test_shop.py, which CI runs
        try:
            exec(compile(code, f"README.md:{line}", "exec"), {"__name__": "readme"})
        except Exception as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"README.md block at line {line} failed: {exc!r}")
        ran += 1
    assert ran >= 1


def test_the_catalog_table_is_generated_from_the_catalogs():
    # tools/readme_catalog.py writes the block; a catalog change without a rerun fails here.
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "tools" / "readme_catalog.py"
    spec = importlib.util.spec_from_file_location("readme_catalog", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.rendered(README) == README, "run python tools/readme_catalog.py"
    from hookmock._registry import get_provider

    for name in module.PROVIDERS:
        provider = get_provider(name)
        assert f"| {provider.title} | {len(provider.types())} |" in README
