"""Stripe: compile `tools/invariants/stripe.yaml` (what Stripe always sends, beyond its SDKs'
types) into the compiled defs and event schemas: id prefixes, lower-case currencies, a few field
bounds, and the state each event type implies for its object.

Every entry must still find its target: an object, field or event type upstream no longer has
stops the refresh, so someone looks again.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any

import yaml

from .output import JSON, Tree
from .sources import RefreshError

FILE = Path(__file__).resolve().parents[1] / "invariants" / "stripe.yaml"
#: What an id an account chooses looks like: any text without whitespace.
CUSTOM_ID = r"^\S+$"
CUSTOM_ID_TEXT = "an id: no whitespace"


def load(path: Path = FILE) -> dict[str, Any]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key in ("reason", "evidence"):
        if data.get("ids") and not str(data["ids"].get(key, "")).strip():
            raise RefreshError(f"{path.name}: ids: `{key}` is required")
    if data.get("currency") and not str(data["currency"].get("description", "")).strip():
        raise RefreshError(
            f"{path.name}: currency: `description` (how a finding reads) is required"
        )
    return dict(data)


def _id_pattern(prefixes: list[str]) -> str:
    ordered = sorted(prefixes, key=lambda p: (-len(p), p))  # il_tmp_ before il_
    return "^(?:" + "|".join(re.escape(p) for p in ordered) + ")[A-Za-z0-9]+$"


def _pattern(schema: dict[str, Any], pattern: str, text: str) -> None:
    """Constrain `schema` to `pattern`; a mismatch reads "not in the expected format: `text`"
    (hookmock words a pattern finding with the description of the schema holding it)."""
    rule = {"pattern": pattern, "description": text}
    schema["allOf"] = [r for r in schema.get("allOf", []) if "pattern" not in r] + [rule]


def _constrain(schema: dict[str, Any], extra: dict[str, Any], where: str) -> None:
    for key, value in extra.items():
        if key in schema and schema[key] != value:
            raise RefreshError(f"{where}: the compiled schema already has {key} {schema[key]!r}")
        schema[key] = value


def _walk(node: JSON, visit: Any) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def _ids(spec: dict[str, Any], defs: dict[str, dict[str, Any]]) -> None:
    patterns: dict[str, tuple[str, str]] = {}
    for name, prefixes in (spec.get("generated") or {}).items():
        text = f"an id starting {' or '.join(prefixes)} then letters and digits"
        patterns[name] = (_id_pattern(list(prefixes)), text)
    for name in spec.get("custom") or []:
        patterns[name] = (CUSTOM_ID, CUSTOM_ID_TEXT)
    for name, (pattern, text) in sorted(patterns.items()):
        doc = defs.get(name)
        if doc is None or "id" not in doc.get("properties", {}):
            raise RefreshError(f"invariants ids: no compiled def {name!r} with an `id` field")
        _pattern(doc["properties"]["id"], pattern, text)

    def visit(node: dict[str, Any]) -> None:
        target = node.get("x-stripe-expandable")
        if target is None or node.get("type") != "string":
            return
        names = [target] if isinstance(target, str) else list(target)
        if not all(n in patterns for n in names):
            return
        found = {patterns[n] for n in names}
        if len(found) == 1:
            _pattern(node, *next(iter(found)))
        elif all(p != CUSTOM_ID for p, _ in found):
            prefixes = sorted({p for n in names for p in (spec.get("generated") or {})[n]})
            text = f"an id starting {' or '.join(prefixes)} then letters and digits"
            _pattern(node, _id_pattern(prefixes), text)

    for doc in defs.values():
        _walk(doc, visit)


def _currency(spec: dict[str, Any], defs: dict[str, dict[str, Any]]) -> int:
    pattern = spec["pattern"]
    count = 0

    def visit(node: dict[str, Any]) -> None:
        nonlocal count
        props = node.get("properties")
        if not isinstance(props, dict) or not isinstance(props.get("currency"), dict):
            return
        field = props["currency"]
        kinds = field.get("type")
        kinds = [kinds] if isinstance(kinds, str) else kinds or []
        if "string" in kinds and "enum" not in field:
            _pattern(field, pattern, spec["description"])
            count += 1

    for name, doc in defs.items():
        if not name.startswith(("v2.", "thin.")):
            _walk(doc, visit)
    return count


def _fields(entries: list[dict[str, Any]], defs: dict[str, dict[str, Any]]) -> None:
    for index, entry in enumerate(entries, start=1):
        where = f"invariants fields entry {index}"
        for key in ("object", "field", "schema", "reason", "evidence"):
            if not entry.get(key):
                raise RefreshError(f"{where}: `{key}` is required")
        doc = defs.get(entry["object"])
        node = doc.get("$defs", {}).get(entry["at"]) if doc and entry.get("at") else doc
        field = (node or {}).get("properties", {}).get(entry["field"])
        if not isinstance(field, dict):
            raise RefreshError(
                f"{where}: the compiled defs have no {entry['object']} "
                f"{entry.get('at', '')} field {entry['field']!r}"
            )
        extra = dict(entry["schema"])
        if "pattern" in extra:
            if not extra.get("description"):
                raise RefreshError(f"{where}: a pattern needs a description (how a finding reads)")
            _pattern(field, extra.pop("pattern"), extra.pop("description"))
        _constrain(field, extra, where)


def _events(spec: dict[str, Any], tree: Tree, types: dict[str, Any], schema_dir: str) -> None:
    for pattern, fields in sorted(spec.items()):
        matched = sorted(fnmatch.filter(types, pattern))
        if not matched:
            raise RefreshError(f"invariants events: {pattern!r} matches no snapshot event type")
        for event_type in matched:
            doc = tree.files[f"{schema_dir}/{event_type}.json"]
            data_object = doc["properties"]["data"]["properties"]["object"]
            if "$ref" not in data_object:
                raise RefreshError(f"invariants events: {event_type} has no single object schema")
            props = data_object.setdefault("properties", {})
            for field, schema in fields.items():
                _constrain(props.setdefault(field, {}), dict(schema), f"{event_type}.{field}")


def apply(
    spec: dict[str, Any],
    defs: dict[str, dict[str, Any]],
    tree: Tree,
    types: dict[str, Any],
    schema_dir: str,
) -> list[str]:
    """Constrain `defs` and the event schemas in `tree` as `spec` says; return notes."""
    if not spec:
        return []
    _ids(spec.get("ids") or {}, defs)
    count = _currency(spec["currency"], defs) if spec.get("currency") else 0
    _fields(list(spec.get("fields") or []), defs)
    if spec.get("events"):
        for key in ("events_reason", "events_evidence"):
            if not str(spec.get(key, "")).strip():
                raise RefreshError(f"invariants: `{key}` is required with `events`")
        _events(spec["events"], tree, types, schema_dir)
    return [f"invariants: {count} currency fields constrained"]
