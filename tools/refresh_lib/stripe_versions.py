"""Stripe: what other API versions render differently, checked against the compiled defs.

The `older_api_versions` section of `tools/corrections/stripe.yaml` says which required fields
every API version has sent (`keep_required`), which objects are never relaxed (`strict`), and which
fields a dated version renamed, moved or retyped (`changes`). This module checks it against the
pinned version's compiled defs (a listed field that is no longer required, or a change whose target
is gone, stops the refresh so someone looks again) and returns it as the `api_versions` part of
the snapshot catalog; hookmock's Stripe provider builds the relaxed schemas from it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .output import JSON
from .sources import RefreshError

SECTION = "older_api_versions"
CHANGE_KEYS = {"object", "at", "before", "unrequire", "properties", "also_accept", "any_of"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    section = data.get(SECTION) or {}
    if not isinstance(section, dict):
        raise RefreshError(f"{path.name}: `{SECTION}` must be a mapping")
    return section


def _node(defs: dict[str, JSON], name: str, at: str, where: str) -> dict[str, Any]:
    doc = defs.get(name)
    if not isinstance(doc, dict):
        raise RefreshError(f"{where}: no compiled def {name!r} (schemas/stripe/defs/{name}.json)")
    if not at:
        return doc
    node = doc.get("$defs", {}).get(at)
    if not isinstance(node, dict):
        raise RefreshError(f"{where}: defs/{name}.json has no $defs/{at}")
    return node


def compile_versions(section: dict[str, Any], defs: dict[str, JSON], pinned: str) -> JSON:
    """The checked `api_versions` catalog entry for `section`, against the compiled `defs`."""
    strict = list(section.get("strict") or [])
    for name in strict:
        _node(defs, name, "", f"{SECTION}.strict")
    keep: dict[str, list[str]] = {}
    for name, fields in sorted((section.get("keep_required") or {}).items()):
        where = f"{SECTION}.keep_required.{name}"
        required = set(_node(defs, name, "", where).get("required", []))
        gone = sorted(set(fields) - required)
        if gone:
            raise RefreshError(
                f"{where}: {', '.join(gone)} no longer required by the pinned version; "
                "drop them from the list or look at what changed upstream"
            )
        keep[name] = sorted(fields)
    changes: list[JSON] = []
    for index, change in enumerate(section.get("changes") or [], start=1):
        where = f"{SECTION}.changes entry {index}"
        if not isinstance(change, dict):
            raise RefreshError(f"{where}: expected a mapping")
        unknown = set(change) - CHANGE_KEYS - {"reason", "evidence"}
        if unknown:
            raise RefreshError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        for key in ("object", "reason", "evidence"):
            if not str(change.get(key, "")).strip():
                raise RefreshError(f"{where}: `{key}` is required")
        before = str(change.get("before", ""))
        if before and not DATE.match(before):
            raise RefreshError(f"{where}: `before` must be an API version date (YYYY-MM-DD)")
        name, at = str(change["object"]), str(change.get("at", ""))
        node = _node(defs, name, at, where)
        props = node.get("properties", {})
        required = set(node.get("required", []))
        for field in change.get("unrequire", []):
            if field not in required:
                raise RefreshError(f"{where}: {name}.{field} is not required by the pinned version")
        for field in change.get("properties", {}):
            if field in props:
                raise RefreshError(
                    f"{where}: {name}.{field} is described by the pinned version; "
                    "use also_accept for an older form of a field that still exists"
                )
        for field in change.get("also_accept", {}):
            if field not in props:
                raise RefreshError(f"{where}: the pinned version has no {name}.{field}")
        out: dict[str, Any] = {
            k: change[k] for k in sorted(CHANGE_KEYS) if k in change and k != "before"
        }
        out["before"] = before or None
        out["reason"] = " ".join(str(change["reason"]).split())
        out["evidence"] = str(change["evidence"]).strip()
        changes.append(out)
    return {"pinned": pinned, "strict": strict, "keep_required": keep, "changes": changes}
