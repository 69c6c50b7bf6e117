"""``hookmock list`` by area, and the Markdown catalog the docs and README are generated from."""

from __future__ import annotations

from _helpers_cli import cli

import hookmock
from hookmock._cli.catalog import area_counts, by_area, catalog_markdown


def test_list_shows_each_providers_count_by_area() -> None:
    run = cli("list")
    assert run.code == 0, run
    assert "github: 285 types in 82 areas" in run.lines
    assert "stripe" in {line.partition(":")[0] for line in run.lines if not line.startswith(" ")}
    area_lines = {line.split()[0]: int(line.split()[1]) for line in run.lines if line[:2] == "  "}
    assert area_lines["pull_request"] == len(by_area("github")["pull_request"])
    assert area_lines["sub_issues"] == 4


def test_list_provider_groups_its_types_under_area_lines() -> None:
    run = cli("list", "github")
    assert run.code == 0, run
    types = [line for line in run.lines if not line.startswith("#")]
    assert [t.split()[0] for t in types] == [t for ts in by_area("github").values() for t in ts]
    assert len(types) == len(hookmock.types("github"))
    header = run.lines.index("# pull_request (21)")
    assert run.lines[header + 1].startswith("pull_request.assigned ")
    assert hookmock.github.describe("pull_request.assigned") in run.lines[header + 1]


def test_list_area_keeps_one_area_and_suggests_a_misspelt_one() -> None:
    run = cli("list", "github", "--area", "sub_issues")
    assert run.code == 0, run
    assert run.lines[0] == "# sub_issues (4)"
    assert [line.split()[0] for line in run.lines[1:]] == [
        "sub_issues.parent_issue_added",
        "sub_issues.parent_issue_removed",
        "sub_issues.sub_issue_added",
        "sub_issues.sub_issue_removed",
    ]
    run = cli("list", "github", "--area", "sub_issue")
    assert run.code == 2
    assert "GitHub has no area 'sub_issue'. Did you mean 'sub_issues'" in run.err
    run = cli("list", "--area", "sub_issues")
    assert run.code == 2
    assert "--area needs a PROVIDER" in run.err


def test_a_provider_chooses_its_areas_through_the_area_hook() -> None:
    class Acme(hookmock.Provider):
        name = "acme-areas"
        title = "Acme"

        def entries(self) -> dict[str, dict[str, str]]:
            return {t: {"description": t} for t in ("a.x", "a.y", "b.z")}

        def area(self, type: str) -> str:
            return "everything" if type.startswith("a.") else "rest"

    prov = Acme()
    assert hookmock.Provider.area(prov, "order.paid.late") == "order"
    assert area_counts(prov) == {"everything": 2, "rest": 1}


def test_the_markdown_catalog_has_the_area_table_then_a_table_per_area() -> None:
    text = catalog_markdown("github")
    lines = text.splitlines()
    assert lines[0] == "## GitHub (285 types)"
    assert "| sub_issues | 4 |" in lines
    assert "### pull_request" in lines
    row = next(line for line in lines if line.startswith("| `pull_request.closed` |"))
    assert "`merged`" in row
    assert "GitHub Enterprise Server only" in next(
        line for line in lines if line.startswith("| `cache_sync` |")
    )
    type_rows = [line for line in lines if line.startswith("| `")]
    assert len(type_rows) == len(hookmock.types("github"))
    assert all(line.count(" | ") == 2 for line in type_rows)  # no stray pipes in a cell
    assert catalog_markdown("github", heading_level=3).startswith("### GitHub")
