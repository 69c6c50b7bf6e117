"""The repository's own files agree with what the README and pyproject.toml promise."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_license_file_exists_and_is_the_license_pyproject_declares() -> None:
    declared = re.search(r'^license = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert declared, "pyproject.toml declares no license"
    text = (ROOT / "LICENSE").read_text()
    assert declared.group(1) == "MIT"
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text


def test_the_readme_counts_the_example_receivers_that_exist() -> None:
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
    suites = sorted(
        d.name for d in (ROOT / "examples").iterdir() if d.is_dir() and any(d.glob("test_*.py"))
    )
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"`examples/` holds (\w+) receivers", readme)
    assert match, "the README no longer says how many example receivers there are"
    assert match.group(1) == words[len(suites)], suites
    for name in suites:
        assert f"`{name}/`" in readme, f"the README does not name examples/{name}/"
