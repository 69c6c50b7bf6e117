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


def test_the_readme_and_the_docs_count_the_example_receivers_that_exist() -> None:
    words = {
        2: "two",
        3: "three",
        4: "four",
        5: "five",
        6: "six",
        7: "seven",
        8: "eight",
        9: "nine",
    }
    suites = sorted(
        d.name for d in (ROOT / "examples").iterdir() if d.is_dir() and any(d.glob("test_*.py"))
    )
    for path in ("README.md", "docs/index.md"):
        text = (ROOT / path).read_text()
        match = re.search(r"`examples/`(?: in the repository)? holds (\w+) receivers", text)
        assert match, f"{path} no longer says how many example receivers there are"
        assert match.group(1) == words[len(suites)], (path, suites)
        for name in suites:
            assert f"`{name}/`" in text, f"{path} does not name examples/{name}/"


def test_the_changelog_has_an_entry_for_this_version_in_keep_a_changelog_form() -> None:
    import hookmock

    text = (ROOT / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog")
    assert "keepachangelog.com" in text
    assert "## [Unreleased]" in text
    entry = re.search(rf"^## \[{re.escape(hookmock.__version__)}\] - .+$", text, re.M)
    assert entry, f"CHANGELOG.md has no '## [{hookmock.__version__}] - ...' section"
    body = text[entry.end() :].split("\n## ", 1)[0]
    assert "### Added" in body


def test_the_release_workflow_publishes_with_trusted_publishing_on_a_tag() -> None:
    import yaml

    release = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    assert release[True]["push"]["tags"] == ["v*"]  # YAML 1.1 reads the key `on` as True
    publish = release["jobs"]["publish"]
    assert publish["permissions"]["id-token"] == "write"
    assert any(
        str(step.get("uses", "")).startswith("pypa/gh-action-pypi-publish@")
        for step in publish["steps"]
    )


def test_the_ci_workflow_runs_what_ci_run_runs() -> None:
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    for command in ("ruff check .", "mypy", "lint-imports", "mkdocs build --strict", "twine check"):
        assert command in ci, command
        assert command in workflow, command
    assert "bash .ci/run" in workflow
