"""Stripe events rendered at another API version than the pinned one: which relaxation of the
compiled schemas checks them, and how it is made.

A Stripe account receives events in its own API version (the event's ``api_version``), often
years older than the pinned one. Such an event's envelope is checked as the pinned version
describes it; its object against the pinned schemas with the fields added since optional, and the
renamed, moved or retyped fields of ``api_versions`` in the compiled snapshot catalog (from
``tools/corrections/stripe.yaml``, each change with Stripe's changelog as evidence) accepted in
their older form.
"""

from __future__ import annotations

import copy

from ._generated import BASE_URI, NAME, snapshot_catalog

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

#: Variant keys: ``older`` plus the API version date before which the changes still apply
#: (``older<2019-10-17``), or ``older<*`` for an event whose ``api_version`` is null.
PREFIX = "older<"
_DEFS = f"{BASE_URI}{NAME}/defs/"
#: What every object keeps when its catalog entry lists nothing.
_IDENTITY = ("id", "object")


def _spec() -> Mapping[str, Any]:
    found: Mapping[str, Any] = snapshot_catalog().get("api_versions") or {}
    return found


def pinned() -> str:
    return str(_spec().get("pinned") or "")


def variant(payload: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(key, note)`` of the relaxation that checks ``payload``, or None for the pinned schemas
    (the pinned version, or an ``api_version`` that is no string: the schema reports it)."""
    if "api_version" not in payload:
        return None
    version = payload["api_version"]
    pin = pinned()
    if version == pin or not pin or not (version is None or isinstance(version, str)):
        return None
    if version is None:
        return f"{PREFIX}*", f"api_version null: checked as any API version before {pin}"
    date = version[:10]
    upcoming = sorted(
        {c["before"] for c in _spec().get("changes", ()) if c.get("before") and c["before"] > date}
    )
    key = f"{PREFIX}{upcoming[0] if upcoming else pin[:10]}"
    return key, f"checked as API version {version}: {pin} without the fields added since"


def _applies(change: Mapping[str, Any], key: str) -> bool:
    bound = key[len(PREFIX) :]
    before = change.get("before")
    return before is None or bound == "*" or before >= bound


def documents(key: str, docs: Mapping[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The pinned ``docs`` relaxed for variant ``key`` (``docs`` stay as they are)."""
    spec = _spec()
    strict = set(spec.get("strict", ()))
    keep: Mapping[str, list[str]] = spec.get("keep_required", {})
    changes = [c for c in spec.get("changes", ()) if _applies(c, key)]
    touched = {str(c["object"]) for c in changes}
    out: dict[str, Mapping[str, Any]] = dict(docs)
    for uri, doc in docs.items():
        if not uri.startswith(_DEFS) or "/" in uri[len(_DEFS) :]:
            continue
        name = uri[len(_DEFS) : -len(".json")]
        if name in strict and name not in touched:
            continue
        new = copy.deepcopy(dict(doc))
        if name not in strict:
            _relax(new, keep.get(name, _IDENTITY))
        for change in changes:
            if change["object"] == name:
                _change(new, change)
        out[uri] = new
    return out


def _relax(doc: dict[str, Any], kept: list[str] | tuple[str, ...]) -> None:
    """Only ``kept`` stays required on the object; nothing on the objects nested in it."""
    required = [f for f in doc.get("required", ()) if f in kept]
    if required:
        doc["required"] = required
    else:
        doc.pop("required", None)
    for nested in doc.get("$defs", {}).values():
        if isinstance(nested, dict):
            nested.pop("required", None)


def _change(doc: dict[str, Any], change: Mapping[str, Any]) -> None:
    node: dict[str, Any] = doc["$defs"][change["at"]] if change.get("at") else doc
    dropped = set(change.get("unrequire", ()))
    if dropped and "required" in node:
        node["required"] = [f for f in node["required"] if f not in dropped]
        if not node["required"]:
            del node["required"]
    props = node.setdefault("properties", {})
    for field, schema in change.get("properties", {}).items():
        props[field] = copy.deepcopy(schema)
    for field, schema in change.get("also_accept", {}).items():
        props[field] = {"anyOf": [props[field], copy.deepcopy(schema)]}
    if change.get("any_of"):
        rule = {"anyOf": copy.deepcopy(change["any_of"])}
        node["allOf"] = [*node.get("allOf", ()), rule]
