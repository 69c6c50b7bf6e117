"""Which GitHub types a body could be when no shape rule says: the types whose action and keys
fit it (an outline of each type's schema, read once), then those whose schema accepts it.

Detection names a type only when exactly one candidate's schema accepts the body; several (the
bypass, dismissal and exemption requests share one schema) or none leave it unnamed, and the
skip message lists them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from hookmock.authoring import UnknownTypeError, is_valid, schema_document, schema_ref

from ._catalog import entries

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

#: Blocks most events may carry, described alike in every type: they tell no type from another,
#: so their inner keys are not compared (a field GitHub added since would make every type miss).
ENVELOPE = frozenset(
    {"action", "repository", "sender", "organization", "installation", "enterprise"}
)
#: Index key of the types whose action is free (``repository_dispatch``: the caller's event type).
_ANY_ACTION = "\x00any"
#: Index key of the types without an action (``push``, ``public``).
_NO_ACTION = "\x00none"


@dataclass(frozen=True)
class Outline:
    """What a type's schema says about a body's top level."""

    type: str
    #: The keys the schema requires.
    required: frozenset[str]
    #: The keys the schema describes; None when it leaves the top level open.
    declared: frozenset[str] | None
    #: The schema's ``$id``, which its ``$ref`` are relative to.
    base: str


def candidates(payload: Mapping[str, Any]) -> list[str]:
    """Types whose action, required and described keys fit ``payload`` (schemas not yet asked).

    A block the type describes must hold only keys its schema names for it: an alert of another
    kind fits a loosely described alert's schema, but not its list of fields.
    """
    action = payload.get("action")
    if "action" not in payload:
        outlines = _index().get(_NO_ACTION, ())
    elif isinstance(action, str):
        outlines = _index().get(action, ()) + _index().get(_ANY_ACTION, ())
    else:
        return []  # a list or object action is a finding (explain() reports it), not a clue
    keys = payload.keys()
    return [o.type for o in outlines if _fits(o, payload, keys)]


def accepted(payload: Mapping[str, Any], among: list[str]) -> list[str]:
    """The types among ``among`` whose schema accepts ``payload``."""
    return [t for t in among if is_valid(payload, "github", t)]


def tell(payload: Mapping[str, Any]) -> str | None:
    """The one type whose outline fits ``payload`` and whose schema accepts it; None if there
    are none or several (never a guess between them)."""
    found = candidates(payload)
    if not found:
        return None
    valid = accepted(payload, found)
    if len(valid) != 1 or not _evidence(valid[0], payload):
        return None
    return valid[0]


def _evidence(type: str, payload: Mapping[str, Any]) -> bool:
    """Whether ``payload`` shows more of ``type`` than its action: a key of its own, or one the
    type requires. GHES's ``user.created`` requires only its action, so a bare
    ``{"action": "created", "sender": ...}`` of some event outside the catalog fits it."""
    if payload.keys() - ENVELOPE:
        return True
    return bool(_by_type()[type].required - {"action"})


@functools.cache
def _by_type() -> dict[str, Outline]:
    return {o.type: o for outlines in _index().values() for o in outlines}


def _fits(outline: Outline, payload: Mapping[str, Any], keys: Any) -> bool:
    if not outline.required <= keys:
        return False
    # Delivery options add the shared blocks to any event (an App's installation), described
    # or not: only the event's own keys must be described.
    if outline.declared is not None and not keys - ENVELOPE <= outline.declared:
        return False
    for key in keys - ENVELOPE:
        value = payload[key]
        if isinstance(value, dict):
            names = _block_keys(outline, key)
            if names is not None and not value.keys() <= names:
                return False
    return True


@functools.cache
def _index() -> dict[str, tuple[Outline, ...]]:
    """Every type's outline, by the action its schema allows; built once, on the first body no
    shape rule tells (it reads every GitHub schema, which validating one loads anyway)."""
    found: dict[str, list[Outline]] = {}
    for type in entries():
        try:
            doc = schema_document("github", type)
        except UnknownTypeError:  # a type without a schema file is never a candidate
            continue
        # pull_request.review_requested is a oneOf of two full shapes (a reviewer or a team).
        branches = (
            [doc] if "properties" in doc else list(doc.get("oneOf") or doc.get("anyOf") or [])
        )
        required: frozenset[str] | None = None
        declared: set[str] | None = set()
        actions: set[str] = set()
        for branch in branches:
            props = branch.get("properties", {})
            need = frozenset(branch.get("required", ()))
            required = need if required is None else required & need
            if declared is not None:
                declared = None if _open(branch) else declared | set(props)
            actions.update(_actions(props.get("action")))
        outline = Outline(
            type,
            (required or frozenset()) | frozenset(doc.get("required", ())),
            None if declared is None or not branches else frozenset(declared),
            str(doc.get("$id", "")),
        )
        for action in actions:
            found.setdefault(action, []).append(outline)
    return {action: tuple(outlines) for action, outlines in found.items()}


def _actions(schema: Mapping[str, Any] | None) -> list[str]:
    if schema is None:
        return [_NO_ACTION]
    if "const" in schema:
        return [str(schema["const"])]
    if isinstance(schema.get("enum"), list):
        return [str(a) for a in schema["enum"]]
    return [_ANY_ACTION]


def _open(schema: Mapping[str, Any]) -> bool:
    extra = schema.get("additionalProperties")
    return (extra is not None and extra is not False) or "patternProperties" in schema


@functools.cache
def _block_keys(outline: Outline, key: str) -> frozenset[str] | None:
    """The keys ``outline``'s type describes for its ``key`` block; None when it leaves them
    open or describes none (then they say nothing)."""
    schema = schema_document("github", outline.type)
    prop = schema.get("properties", {}).get(key)
    return None if prop is None else _described(prop, outline.base, 0)


def _described(schema: Mapping[str, Any], base: str, depth: int) -> frozenset[str] | None:
    if depth > 8:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target = schema_ref("github", base, ref)
        if target is None:
            return None
        return _described(target, str(target.get("$id", base)), depth + 1)
    if _open(schema):
        return None
    names = set(schema.get("properties", {}))
    # Every allOf branch holds at once: their keys add up, and one naming none opens nothing.
    for branch in schema.get("allOf", ()):
        names |= _described(branch, base, depth + 1) or set()
    # One anyOf/oneOf branch holds: one naming no keys (an open object) leaves them all open.
    for branch in [*schema.get("anyOf", ()), *schema.get("oneOf", ())]:
        if _null_only(branch):
            continue
        inner = _described(branch, base, depth + 1)
        if inner is None:
            return None
        names |= inner
    return frozenset(names) if names else None


def _null_only(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "null" or kind == ["null"]
