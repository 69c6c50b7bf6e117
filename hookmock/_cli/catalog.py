"""``hookmock list`` and ``hookmock schema``: what hookmock can generate, and each type's schema."""

from __future__ import annotations

import copy
import json
from urllib.parse import urldefrag, urljoin

from .._errors import did_you_mean
from .._registry import get_provider, provider_names
from .._validation import _documents, schema, schema_uri
from .common import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any

    from .._provider import Provider
    from .common import Streams


def run_list(args: argparse.Namespace, io: Streams) -> int:
    """``hookmock list``: each provider's type count by area; ``hookmock list PROVIDER``: its
    types grouped by area (``--area`` keeps one)."""
    if args.provider is None:
        if getattr(args, "area", None) is not None:
            raise UsageError("--area needs a PROVIDER: hookmock list PROVIDER --area AREA.")
        for name in provider_names():
            prov = get_provider(name)
            counts = area_counts(prov)
            io.stdout.write(f"{name}: {sum(counts.values())} types in {len(counts)} areas\n")
            width = max((len(a) for a in counts), default=0)
            for area, count in counts.items():
                io.stdout.write(f"  {area:<{width}}  {count}\n")
        return 0
    prov = get_provider(args.provider)
    groups = by_area(prov)
    wanted = getattr(args, "area", None)
    if wanted is not None:
        if wanted not in groups:
            hints = did_you_mean(wanted, list(groups))
            raise UsageError(
                f"{prov.title or prov.name} has no area {wanted!r}."
                + (f" Did you mean {' or '.join(repr(h) for h in hints)}?" if hints else "")
                + " `hookmock list` shows each provider's areas."
            )
        groups = {wanted: groups[wanted]}
    if not groups:
        # Not an error (a provider may start empty), but say so rather than print nothing.
        io.stderr.write(f"hookmock: {prov.title or prov.name} has no event types yet.\n")
    width = max((len(t) for types in groups.values() for t in types), default=0)
    for area, types in groups.items():
        io.stdout.write(f"# {area} ({len(types)})\n")
        for t in types:
            # One line per type, whatever the description holds (grep and wc count on it).
            description = " ".join(prov.describe(t).split())
            io.stdout.write(f"{t:<{width}}  {description}".rstrip() + "\n")
    return 0


def by_area(provider: str | Provider) -> dict[str, list[str]]:
    """A provider's types grouped by :meth:`Provider.area`, areas and types sorted."""
    prov = get_provider(provider) if isinstance(provider, str) else provider
    groups: dict[str, list[str]] = {}
    for t in prov.types():
        groups.setdefault(prov.area(t), []).append(t)
    return {area: sorted(groups[area]) for area in sorted(groups)}


def area_counts(provider: str | Provider) -> dict[str, int]:
    """How many types each area of a provider has, areas sorted."""
    return {area: len(types) for area, types in by_area(provider).items()}


def catalog_markdown(provider: str | Provider, *, heading_level: int = 2) -> str:
    """A provider's catalog as Markdown, for the docs and the README: a table of its areas with
    their type counts, then one table per area of its types, descriptions and traits.

    Generated from the catalog, so it never drifts from what ``hookmock list`` shows.
    """
    prov = get_provider(provider) if isinstance(provider, str) else provider
    groups = by_area(prov)
    title = prov.title or prov.name
    hashes = "#" * heading_level
    total = sum(len(types) for types in groups.values())
    lines = [
        f"{hashes} {title} ({total} types)",
        "",
        "| Area | Types |",
        "| --- | ---: |",
    ]
    lines += [f"| {_md(area)} | {len(types)} |" for area, types in groups.items()]
    for area, types in groups.items():
        lines += ["", f"{hashes}# {_md(area)}", "", "| Type | Description | Traits |"]
        lines.append("| --- | --- | --- |")
        for t in types:
            traits = ", ".join(f"`{x}`" for x in prov.traits_for(t))
            lines.append(f"| `{t}` | {_md(prov.describe(t))} | {traits} |")
    return "\n".join(lines) + "\n"


def summary_markdown(providers: Sequence[str | Provider]) -> str:
    """One row per provider (its event types and areas) for the README, from the catalogs."""
    lines = ["| provider | event types | areas |", "| --- | ---: | --- |"]
    for provider in providers:
        prov = get_provider(provider) if isinstance(provider, str) else provider
        counts = area_counts(prov)
        total = sum(counts.values())
        if len(counts) <= 24:
            areas = ", ".join(f"{_md(area)} ({n})" for area, n in counts.items())
        else:  # one area per event name: the list would be the catalog itself
            areas = f"{len(counts)} areas, one per event name"
        lines.append(f"| {_md(prov.title or prov.name)} | {total} | {areas} |")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text made safe for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def run_schema(args: argparse.Namespace, io: Streams) -> int:
    prov = get_provider(args.provider)
    prov.check_type(args.type)
    doc = bundled(args.provider, args.type) if args.bundle else prov.schema(args.type)
    io.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return 0


def bundled(provider: str, type: str) -> dict[str, Any]:
    """One self-contained document: the type's schema, with every document it references
    (transitively) embedded under ``$defs`` with its own ``$id``, so ``$ref``s stay as written."""
    root = schema(provider, type)
    return embed(root, _documents(provider), base=schema_uri(provider, type))


def embed(root: dict[str, Any], documents: dict[str, Any], *, base: str) -> dict[str, Any]:
    """``root`` plus, in ``$defs``, each of ``documents`` (by ``$id``) it reaches through ``$ref``."""
    included: dict[str, Any] = {}
    pending = [(root, base)]
    while pending:
        node, where = pending.pop()
        for ref in _refs(node):
            uri = urldefrag(urljoin(where, ref)).url
            if uri in documents and uri not in included and uri != base:
                included[uri] = copy.deepcopy(documents[uri])
                pending.append((included[uri], uri))
    out = dict(root)
    defs = dict(out.get("$defs") or {})
    for uri in sorted(included):
        defs["hookmock:" + uri.rsplit("/schemas/", 1)[-1]] = included[uri]
    if defs:
        out["$defs"] = defs
    return out


def _refs(node: Any) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                found.append(ref)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def run_demo(args: argparse.Namespace, io: Streams) -> int:
    try:
        # Not at the top: a build without hookmock.demo still runs every other command.
        from .. import demo
    except ImportError as exc:
        if exc.name not in ("hookmock.demo", None):
            raise
        raise UsageError("this hookmock build has no demo (hookmock.demo is missing).") from None
    code: int = demo.main(stdout=io.stdout)  # type: ignore[attr-defined,unused-ignore]
    return code
