"""The README is the user manual: its commands are what CI runs and its examples run as written."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
FENCE = re.compile(r"(<!-- fragment[^\n]*-->\n)?```python\n(.*?)```", re.S)


def python_blocks() -> list[tuple[int, bool, str]]:
    return [
        (README[: m.start()].count("\n") + 1, bool(m.group(1)), textwrap.dedent(m.group(2)))
        for m in FENCE.finditer(README)
    ]


def test_the_readme_opens_with_the_demo_and_test_commands():
    first = README.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert first == [
        "python -m pip install . && hookmock demo",
        'python -m pip install -e ".[test]" && python -m pytest -n 2',
    ]


def test_ci_runs_the_readmes_exact_test_command():
    test_command = README.split("```bash\n", 1)[1].splitlines()[1]
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci


@pytest.mark.parametrize(
    "path", ["examples/flask_stripe/shop.py", "examples/flask_stripe/test_shop.py"]
)
def test_the_quick_start_quotes_the_example_that_ci_runs(path):
    source = (ROOT / path).read_text()
    assert any(block == source for _, _, block in python_blocks()), path


def test_the_python_examples_run_as_written(capsys, monkeypatch):
    stripe = pytest.importorskip("stripe")
    monkeypatch.setattr(stripe, "api_key", None)  # the examples set one; restore it afterwards
    namespace: dict[str, object] = {"__name__": "readme"}
    example_files = {
        (ROOT / p).read_text()
        for p in ("examples/flask_stripe/shop.py", "examples/flask_stripe/test_shop.py")
    }
    ran = 0
    for line, fragment, code in python_blocks():
        if fragment or code in example_files:
            continue
        try:
            exec(compile(code, f"README.md:{line}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"README.md block at line {line} failed: {exc!r}")
        ran += 1
    assert ran >= 15


def test_the_fragments_that_need_your_own_app_are_at_least_valid_python():
    for line, fragment, code in python_blocks():
        if fragment:
            compile(code, f"README.md:{line}", "exec")
