"""The documentation site's shape: every page is in the nav, a newcomer's pages are one click
from the home page, and code that cannot run as a test is at least checked.

The examples themselves run through Sybil (docs/conftest.py); `mkdocs build --strict` in .ci/run
checks links and references.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
import yaml

import hookmock
from hookmock import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MKDOCS = (ROOT / "mkdocs.yml").read_text()
# Pages other work owns; the nav names them and `mkdocs build --strict` fails while one is missing.
WRITTEN_ELSEWHERE = {"how-to/stories.md", "how-to/openapi.md"}

BLOCK = re.compile(
    r"(?P<skip><!-- skip: next -->\n(?:<!-- fmt: off -->\n)?)?```(?P<lang>\w*)[^\n]*\n(?P<code>.*?)```",
    re.S,
)


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md"))


def nav_pages() -> set[str]:
    return set(re.findall(r":\s+(\S+\.md)\s*$", MKDOCS, re.M))


def blocks(page: Path) -> list[tuple[int, bool, str, str]]:
    text = page.read_text()
    return [
        (text[: m.start()].count("\n") + 1, bool(m.group("skip")), m.group("lang"), m.group("code"))
        for m in BLOCK.finditer(text)
    ]


def test_every_page_is_in_the_nav_and_every_nav_entry_is_a_page():
    on_disk = {p.relative_to(DOCS).as_posix() for p in pages()}
    nav = nav_pages()
    assert on_disk - nav == set()
    assert nav - on_disk <= WRITTEN_ELSEWHERE


@pytest.mark.parametrize(
    "page",
    [
        # A Stripe suite, a GitHub suite and a CI validation step, and what they lean on.
        "tutorials/first-stripe-test.md",
        "tutorials/first-github-test.md",
        "tutorials/validate-in-ci.md",
        "how-to/bad-signature.md",
        "how-to/handled.md",
        "how-to/retries.md",
        "how-to/duplicates-and-order.md",
        "how-to/stories.md",
        "how-to/frameworks.md",
        "how-to/ci.md",
        "reference/stripe.md",
        "reference/github.md",
        "reference/cli.md",
        "reference/pytest-plugin.md",
    ],
)
def test_a_newcomers_pages_are_linked_from_the_home_page(page):
    assert f"]({page})" in (DOCS / "index.md").read_text()


def test_the_pages_include_only_example_files_that_ci_runs():
    for page in pages():
        for line, _, _, code in blocks(page):
            for path in re.findall(r'^--8<-- "([^"]+)"$', code, re.M):
                if path == "CHANGELOG.md":
                    continue
                assert path.startswith("examples/"), f"{page}:{line} includes {path}"
                assert (ROOT / path).is_file(), f"{page}:{line} includes a missing {path}"


def test_python_examples_that_need_the_readers_own_code_still_compile():
    skipped = 0
    for page in pages():
        for line, skip, lang, code in blocks(page):
            if skip and lang == "python" and not code.startswith("--8<--"):
                compile(code, f"{page.relative_to(ROOT)}:{line}", "exec")
                skipped += 1
    assert skipped > 0


def test_most_examples_run_rather_than_being_skipped():
    ran = skipped = 0
    for page in pages():
        for _, skip, lang, _ in blocks(page):
            if lang in ("python", "console"):
                skipped += skip
                ran += not skip
    assert ran >= 35, ran
    assert skipped <= ran // 3, (skipped, ran)


def test_the_python_api_reference_covers_every_public_name():
    page = (DOCS / "reference" / "api.md").read_text()
    missing = [n for n in hookmock.__all__ if not re.search(rf"\b{re.escape(n)}\b", page)]
    assert missing == [], f"docs/reference/api.md does not cover {missing}"


@pytest.fixture(scope="module")
def reference_hook():
    """docs/hooks/reference.py, the MkDocs hook that writes the generated reference."""
    spec = importlib.util.spec_from_file_location(
        "docs_reference_hook", DOCS / "hooks" / "reference.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("provider", ["stripe", "github"])
def test_the_catalog_reference_lists_every_type_of_the_provider(reference_hook, provider):
    page = reference_hook.on_page_markdown(f"<!-- hookmock:catalog {provider} -->")
    for type in hookmock.types(provider):
        assert f"| `{type}` |" in page, type


def test_the_cli_reference_has_every_commands_help(reference_hook):
    page = reference_hook.on_page_markdown("<!-- hookmock:cli -->")
    for name in cli._COMMANDS:
        assert f"## `hookmock {name}`" in page
        assert f"usage: hookmock {name}" in page, name


def test_the_contract_reference_has_every_key_of_the_schema(reference_hook):
    schema = json.loads((ROOT / "schemas" / "_hookmock" / "contract.json").read_text())
    page = reference_hook.on_page_markdown("<!-- hookmock:contract-schema -->")
    for key in schema["properties"]:
        assert f"| `{key}` |" in page, key
    for key in schema["$defs"]["delivery"]["properties"]:
        assert f"| `{key}` |" in page, key


def test_an_unknown_marker_stops_the_build(reference_hook):
    with pytest.raises(ValueError, match="unknown hookmock marker"):
        reference_hook.on_page_markdown("<!-- hookmock:catalogue stripe -->")


def test_the_data_page_names_the_pinned_upstream_versions():
    # tools/pins.toml is the truth; the explanation page must not lag behind a pin bump.
    pins = (ROOT / "tools" / "pins.toml").read_text()
    page = (ROOT / "docs" / "explanation" / "data.md").read_text()
    versions = re.findall(r'^version = "([^"]+)"', pins, flags=re.M)
    assert len(versions) == 4
    for version in versions:
        assert f"version {version}" in page, version
    (api,) = set(re.findall(r'^api_version = "([^"]+)"', pins, flags=re.M))
    assert f"`{api}`" in page


def test_the_pre_commit_hooks_the_ci_page_names_are_complete_in_the_manifest():
    # pre-commit refuses a whole manifest when one hook lacks a required key ("Missing required
    # key: name"), so a remote `repo:` with a real rev, as docs/how-to/ci.md gives it, would fail.
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    ids = [hook["id"] for hook in manifest]
    assert len(ids) == len(set(ids)), ids
    for hook in manifest:
        missing = {"id", "name", "entry", "language"} - hook.keys()
        assert missing == set(), (hook["id"], missing)
        program, command, *_ = hook["entry"].split()
        assert program == "hookmock"
        assert command in cli._COMMANDS, hook["entry"]
    remote = [code for _, _, lang, code in blocks(DOCS / "how-to" / "ci.md") if lang == "yaml"]
    named = {
        i for code in remote if "repo: local" not in code for i in re.findall(r"- id: (\S+)", code)
    }
    assert named, "docs/how-to/ci.md shows no remote pre-commit hook"
    assert named <= set(ids), named - set(ids)
    assert not any("rev: v" in code for code in remote)  # no release tag exists yet
