"""MkDocs hook: the reference pages' generated parts, made from the code and data at build time.

A page asks for a part with a marker on a line of its own:

- ``<!-- hookmock:cli -->``: every command's ``--help``, from the argparse parser;
- ``<!-- hookmock:catalog PROVIDER -->``: the provider's event types, descriptions and traits;
- ``<!-- hookmock:contract-schema -->``: the contract format's keys, from its JSON Schema;
- ``<!-- hookmock:pytest-options -->``: the plugin's command-line and ini options, as its
  ``pytest_addoption`` registers them.

Nothing here is typed by hand, so the reference cannot drift from what hookmock does.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any

import hookmock
from hookmock import cli, plugin
from hookmock._cli import catalog as catalog_cli
from hookmock._cli.common import Streams

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"^<!-- hookmock:(?P<kind>[a-z-]+)(?: (?P<arg>\S+))? -->$", re.M)


def on_page_markdown(markdown: str, **_: Any) -> str:
    return MARKER.sub(lambda m: render(m.group("kind"), m.group("arg")), markdown)


def render(kind: str, arg: str | None) -> str:
    if kind == "cli":
        return cli_reference()
    if kind == "catalog" and arg:
        return catalog(arg)
    if kind == "contract-schema":
        return contract_schema()
    if kind == "pytest-options":
        return pytest_options()
    raise ValueError(f"unknown hookmock marker {kind!r} (cli, catalog PROVIDER, contract-schema)")


def _help(argv: list[str]) -> str:
    out = io.StringIO()
    parser = cli.build_parser(Streams(out, io.StringIO(), io.StringIO()))
    # argparse "exits" after --help: the injected parser raises instead of leaving the process.
    with contextlib.suppress(Exception):
        parser.parse_args(argv)
    return out.getvalue().rstrip()


def cli_reference() -> str:
    parts = ["## `hookmock`", "", "```text", _help(["--help"]), "```", ""]
    for name in cli._COMMANDS:
        parts += [f"## `hookmock {name}`", "", "```text", _help([name, "--help"]), "```", ""]
    return "\n".join(parts)


def catalog(name: str) -> str:
    """The catalog table of one provider, through the catalog's own Markdown renderer when the
    CLI has one, else from the provider's public methods."""
    renderer = getattr(catalog_cli, "catalog_markdown", None)
    if callable(renderer):
        # Under this page's "## Catalog"; the provider's own relative links mean nothing here.
        return _unlink(str(renderer(name, heading_level=3)))
    prov = hookmock.provider(name)
    types = prov.types()
    areas: dict[str, list[str]] = {}
    for t in types:
        areas.setdefault(prov.area(t), []).append(t)
    rows = [
        f"{len(types)} event types from `hookmock.types({name!r})`, grouped by the provider's"
        f" {len(areas)} areas (`provider.area(type)`, the grouping `hookmock list` counts by).",
        "",
    ]
    for area, members in areas.items():
        rows += [f"### {area}", "", "| type | description | traits |", "| --- | --- | --- |"]
        for t in members:
            traits = ", ".join(f"`{x}`" for x in prov.traits_for(t))
            rows.append(f"| `{t}` | {_plain(prov.describe(t))} | {traits} |")
        rows.append("")
    return "\n".join(rows)


def _unlink(text: str) -> str:
    """Upstream descriptions may hold links relative to the provider's own docs
    (``[refunds](#fee_refunds)``), which lead nowhere here: keep their text."""
    return re.sub(r"\[([^\]]+)\]\((?!https?:)[^)]*\)", r"\1", text)


def _plain(text: str) -> str:
    """One table cell."""
    return " ".join(_unlink(text).split()).replace("|", "\\|")


def _schema_type(node: dict[str, Any]) -> str:
    if "$ref" in node:
        target = node["$ref"].rsplit("/", 1)[-1]
        return f"[{target}](#{target})"
    if "enum" in node:
        return " or ".join(f"`{json.dumps(v)}`" for v in node["enum"])
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    for key in ("oneOf", "anyOf"):
        if key in node:
            return " or ".join(_schema_type(n) for n in node[key])
    kind = node.get("type", "")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array" and isinstance(node.get("items"), dict):
        return f"list of {_schema_type(node['items'])}"
    return str(kind) or "any"


def _table(node: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    required = set(node.get("required", ()))
    rows = ["| key | type | required | meaning |", "| --- | --- | --- | --- |"]
    for key, sub in node.get("properties", {}).items():
        # A key that only points at a definition is described there.
        target = defs.get(str(sub.get("$ref", "")).rsplit("/", 1)[-1], {})
        desc = _plain(str(sub.get("description") or target.get("description", "")))
        rows.append(
            f"| `{key}` | {_schema_type(sub)} | {'yes' if key in required else ''} | {desc} |"
        )
    return rows


def contract_schema() -> str:
    doc = json.loads((ROOT / "schemas" / "_hookmock" / "contract.json").read_text())
    defs = doc.get("$defs", {})
    parts = [doc.get("description", ""), "", "## The contract", "", *_table(doc, defs), ""]
    for name, sub in defs.items():
        parts += [f"## {name}", ""]
        if sub.get("description"):
            parts += [str(sub["description"]), ""]
        if "properties" in sub:
            parts += [*_table(sub, defs), ""]
        else:
            parts += [f"One of: {_schema_type(sub)}.", ""]
    return "\n".join(parts)


class _Recorder:
    """Stands in for pytest's parser and option group: records what the plugin registers."""

    def __init__(self) -> None:
        self.options: list[tuple[str, str]] = []
        self.inis: list[tuple[str, str]] = []

    def getgroup(self, *_: Any, **__: Any) -> _Recorder:
        return self

    def addoption(self, *names: str, help: str = "", **_: Any) -> None:
        self.options.append((", ".join(names), help))

    def addini(self, name: str, help: str, **_: Any) -> None:
        self.inis.append((name, help))


def pytest_options() -> str:
    rec = _Recorder()
    plugin.pytest_addoption(rec)  # type: ignore[arg-type]
    rows = ["| option | meaning |", "| --- | --- |"]
    rows += [f"| `{name}` | {_plain(text)} |" for name, text in rec.options]
    rows += ["", "| ini option | meaning |", "| --- | --- |"]
    rows += [f"| `{name}` | {_plain(text)} |" for name, text in rec.inis]
    rows += ["", f"The marker: `@pytest.mark.{_plain(plugin._MARKER)}`", ""]
    return "\n".join(rows)
