"""``hookmock list`` and ``hookmock schema``: what hookmock can generate, and each type's schema."""

from __future__ import annotations

import copy
import json
from urllib.parse import urldefrag, urljoin

from .._registry import get_provider, provider_names
from .._validation import _documents, schema, schema_uri
from .common import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from .common import Streams


def run_list(args: argparse.Namespace, io: Streams) -> int:
    names = provider_names() if args.provider is None else [args.provider]
    rows: list[tuple[str, str]] = []
    for name in names:
        prov = get_provider(name)
        prefix = "" if args.provider is not None else f"{name} "
        rows.extend((prefix + t, prov.describe(t)) for t in prov.types())
    if args.provider is not None and not rows:
        # Not an error (a provider may start empty), but say so rather than print nothing.
        title = get_provider(args.provider).title or args.provider
        io.stderr.write(f"hookmock: {title} has no event types yet.\n")
    width = max((len(r[0]) for r in rows), default=0)
    for label, description in rows:
        io.stdout.write(f"{label:<{width}}  {description}".rstrip() + "\n")
    return 0


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
