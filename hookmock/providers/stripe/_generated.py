"""Stripe types made by hookmock's schema generator from the compiled catalogs.

``fixtures/stripe/snapshot-events.json`` and ``thin-events.json`` (written by
``tools/refresh.py``) list every type; ``schemas/stripe/`` holds their schemas, and
``fixtures/stripe/pools.yaml`` / ``rules.yaml`` steer the values, states and traits. All of it
loads on first use: listing types reads the two JSON catalogs, the first event loads the rest.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from hookmock.authoring import BASE62, data_dir, schema_uri

TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.abc import Traversable

    from hookmock.authoring import BuildContext
    from hookmock.generator import SchemaGenerator

#: ``StripeProvider``'s ``data_package`` and ``name`` (the provider class imports this module).
DATA_PACKAGE = ""
NAME = "stripe"
SNAPSHOT_CATALOG = "snapshot-events.json"
THIN_CATALOG = "thin-events.json"
BASE_URI = "https://hookmock.invalid/schemas/"


def _fixture(name: str) -> Traversable:
    return data_dir(DATA_PACKAGE, "fixtures", NAME) / name


@functools.cache
def snapshot_catalog() -> dict[str, Any]:
    """The compiled snapshot catalog: ``types`` (object, area, description) and ``objects``."""
    with _fixture(SNAPSHOT_CATALOG).open("rb") as fh:
        found: dict[str, Any] = json.load(fh)
    return found


@functools.cache
def thin_catalog() -> dict[str, Any]:
    """The compiled thin catalog: per type its related object, snapshot twin and schemas."""
    with _fixture(THIN_CATALOG).open("rb") as fh:
        found: dict[str, Any] = json.load(fh)
    return found


@functools.cache
def generator() -> SchemaGenerator:
    """One generator over every Stripe schema, with Stripe's pools and rules."""
    # Import budget: the generator pulls referencing and yaml; it loads with the first
    # generated event, never with the provider.
    from hookmock.authoring import provider_generator

    return provider_generator(DATA_PACKAGE, NAME)


def traits_for(type: str) -> list[str]:
    """The traits ``rules.yaml`` declares for ``type``."""
    return generator().data.traits_for(type)


def exclusive_traits() -> list[list[str]]:
    return generator().data.exclusive


def generate(ctx: BuildContext) -> dict[str, Any]:
    """A snapshot event or thin notification of ``ctx.type``, from its schema and the rules."""
    payload: dict[str, Any] = generator().generate(schema_uri(NAME, ctx.type), ctx)
    return payload


def complete(payload: dict[str, Any], ctx: BuildContext) -> None:
    """A hand-built event made whole against its compiled schema (the pinned API's fields),
    then given the traits ``rules.yaml`` declares for it."""
    gen = generator()
    uri = schema_uri(NAME, ctx.type)
    gen.complete(payload, uri, ctx)
    rule_traits = [t for t in ctx.traits if t in gen.data.traits]
    if rule_traits:
        gen.apply_traits(payload, uri, ctx, rule_traits)


def thin_event(ctx: BuildContext, notification: dict[str, Any]) -> dict[str, Any]:
    """The full event ``fetch_event()`` returns for ``notification``: generated from the type's
    event schema, then given the notification's id, type, time, context and related object."""
    entry = thin_catalog()["types"][ctx.type]
    uri = f"{BASE_URI}{entry['event_schema']}"
    full: dict[str, Any] = generator().generate(uri, ctx)
    for key in ("id", "object", "type", "created", "livemode", "context", "reason"):
        if key in notification:
            full[key] = notification[key]
        else:
            full.pop(key, None)
    if "related_object" in notification:
        full["related_object"] = notification["related_object"]
    if entry.get("snapshot_type"):
        # A v1 thin event names the snapshot event Stripe sent alongside it.
        full["snapshot_event"] = "evt_" + "".join(ctx.rng.choice(BASE62) for _ in range(24))
    else:
        full.pop("snapshot_event", None)
    return full


def related_object(ctx: BuildContext) -> dict[str, str] | None:
    """``{id, type, url}`` of the object a thin event of ``ctx.type`` points at, or None when
    the catalog names none. The URL is the resource's API path (``/v1/billing/meters/<id>``),
    which stripe-python's ``fetch_related_object()`` GETs."""
    spec = _related_spec(ctx.type)
    if spec is None:
        return None
    kind, prefix, length, path = spec
    # One draw of random bytes mapped onto base62 (as the generator makes ids).
    tail = ctx.rng.getrandbits(8 * length).to_bytes(length, "little").translate(_B62_BYTES)
    ident = prefix + tail.decode()
    return {"id": ident, "type": kind, "url": path + ident}


#: byte -> a base62 character (256 is not a multiple of 62: the first 8 are a little likelier).
_B62_BYTES = bytes(ord(BASE62[i % 62]) for i in range(256))


@functools.cache
def _related_spec(type: str) -> tuple[str, str, int, str] | None:
    """The related object's kind, id prefix and length, and API path before the id, of a thin
    ``type`` (worked out once per type)."""
    spec = thin_catalog()["types"][type].get("related_object")
    if not spec:
        return None
    kind = str(spec["object"])
    prefix, length = generator().data.id_spec(kind)
    version, _, rest = kind.partition(".") if kind.startswith("v2.") else ("v1", "", kind)
    return kind, prefix, length, f"/{version}/{rest.replace('.', '/')}s/"


def related_schema(type: str) -> str | None:
    """The ``$id`` of the schema of a thin type's related object."""
    spec = thin_catalog()["types"][type].get("related_object")
    return f"{BASE_URI}{spec['schema']}" if spec else None
