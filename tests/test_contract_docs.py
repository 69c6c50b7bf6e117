"""The contracts guide's complete example runs as written: its app, contract and test."""

from __future__ import annotations

import re
from pathlib import Path

import flask  # noqa: F401  (imported before pytester's module snapshot, as the example needs it)
import stripe  # noqa: F401

import hookmock

pytest_plugins = ["pytester"]

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "how-to" / "contracts.md"
hookmock.provider("stripe")


def example_files() -> dict[str, str]:
    """Code blocks whose first line is a ``# path`` comment, by that path."""
    blocks = re.findall(r"```(?:python|yaml)\n# (\S+)\n(.*?)```", GUIDE.read_text(), re.S)
    return dict(blocks)


def test_the_guide_has_the_three_files_of_its_example():
    assert sorted(example_files()) == ["store.py", "tests/test_webhooks.py", "tests/webhooks.yaml"]


def test_the_guides_example_passes_and_catches_a_receiver_that_does_not_deduplicate(pytester):
    for name, text in example_files().items():
        target = pytester.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\npythonpath = .\n")
    pytester.runpytest("tests").assert_outcomes(passed=1)

    store = pytester.path / "store.py"
    broken = store.read_text().replace('if event["id"] in seen:', "if False:")
    assert broken != store.read_text()
    store.write_text(broken)
    result = pytester.runpytest("tests")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*store, Stripe endpoint: 1 of 8 checks FAILED.*",
            "*expected the response body to contain 'duplicate'*",
        ]
    )
