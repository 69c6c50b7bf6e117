"""Stripe: compile snapshot and thin event schemas and catalogs from stripe-python and stripe-node.

- snapshot types: `enabled_events` in stripe-python; each type's `data.object` class from
  stripe-node's `Events.d.ts`; object schemas from stripe-python's resource classes;
- thin types: the event classes in stripe-python's `stripe/events/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import stripe_invariants, stripe_py, stripe_ts, stripe_versions
from .output import ID_BASE, JSON, SCHEMA_DIALECT, Tree
from .sources import Archive, Pin, RefreshError
from .stripe_py import PyClass, PyIndex
from .stripe_schema import StripeSchemaCompiler, def_name
from .stripe_ts import TsIndex

SCHEMA_DIR = "schemas/stripe"
THIN_DIR = "schemas/stripe/thin"
SNAPSHOT_CATALOG = "fixtures/stripe/snapshot-events.json"
THIN_CATALOG = "fixtures/stripe/thin-events.json"
#: The corrections file whose `older_api_versions` section says what other API versions render
#: differently (see stripe_versions.py).
VERSIONS_FILE = Path(__file__).resolve().parents[1] / "corrections" / "stripe.yaml"

#: Events whose object has no `id`: Stripe's own description of invoice.upcoming (stripe-node
#: Events.d.ts, stripe-python's enabled_events docs) says "The received Invoice object will not
#: have an invoice ID". The shared def leaves `id` optional and every other event of that
#: object requires it again (JSON Schema cannot drop a required key for one event).
WITHOUT_ID: dict[str, str] = {"invoice.upcoming": "invoice"}

# Longest matching type prefix wins.
AREAS: dict[str, str] = {
    "account": "connect",
    "application_fee": "connect",
    "capability": "connect",
    "person": "connect",
    "transfer": "connect",
    "apps": "apps",
    "balance": "balance",
    "balance_settings": "balance",
    "payout": "balance",
    "reserve": "balance",
    "topup": "balance",
    "billing": "billing",
    "billing_portal": "billing",
    "coupon": "billing",
    "credit_note": "billing",
    "customer.discount": "billing",
    "customer.subscription": "billing",
    "entitlements": "billing",
    "invoice": "billing",
    "invoice_payment": "billing",
    "invoiceitem": "billing",
    "plan": "billing",
    "price": "billing",
    "product": "billing",
    "promotion_code": "billing",
    "quote": "billing",
    "subscription_schedule": "billing",
    "tax_rate": "billing",
    "test_helpers": "billing",
    "climate": "climate",
    "customer": "customers",
    "customer_cash_balance_transaction": "customers",
    "cash_balance": "customers",
    "file": "files",
    "financial_connections": "financial_connections",
    "identity": "identity",
    "issuing_authorization": "issuing",
    "issuing_card": "issuing",
    "issuing_cardholder": "issuing",
    "issuing_dispute": "issuing",
    "issuing_personalization_design": "issuing",
    "issuing_token": "issuing",
    "issuing_transaction": "issuing",
    "charge": "payments",
    "checkout": "payments",
    "mandate": "payments",
    "payment_intent": "payments",
    "payment_link": "payments",
    "payment_method": "payments",
    "refund": "payments",
    "setup_intent": "payments",
    "source": "payments",
    "three_d_secure": "payments",
    "charge.dispute": "disputes",
    "radar": "radar",
    "review": "radar",
    "reporting": "reporting",
    "sigma": "reporting",
    "tax": "tax",
    "terminal": "terminal",
    "treasury": "treasury",
    "v2.billing": "billing",
    "v2.commerce": "commerce",
    "v2.core.account": "connect",
    "v2.core.account_link": "connect",
    "v2.core.account_person": "connect",
    "v2.core.event_destination": "events",
    "v2.core.health": "health",
    "v2.money_management": "money_management",
    "v2.payments": "payments",
    "v2.reporting": "reporting",
}


def area(event_type: str) -> str:
    name = event_type.removeprefix("v1.")
    parts = name.split(".")
    for size in range(len(parts), 0, -1):
        prefix = ".".join(parts[:size])
        if prefix in AREAS:
            return AREAS[prefix]
        bare = prefix.split("[")[0]
        if bare in AREAS:
            return AREAS[bare]
    return parts[0] if not name.startswith("v2.") else ".".join(parts[:2])


def _classes_for_ts_type(type_name: str, ts: TsIndex, py: PyIndex) -> list[PyClass]:
    """stripe-python classes behind a stripe-node type name, matched by their `object` literal."""
    if type_name in ts.aliases:
        members = [m.strip() for m in ts.aliases[type_name].split("|")]
        return [c for m in members for c in _classes_for_ts_type(m, ts, py)]
    iface = ts.interfaces.get(type_name)
    if iface is None or "object" not in iface.fields:
        raise RefreshError(f"stripe-node declares no interface {type_name} with an `object` field")
    literal = iface.fields["object"].type.strip("'")
    candidates = py.by_object.get(literal, [])
    if not candidates:
        raise RefreshError(
            f"stripe-python has no class with OBJECT_NAME {literal!r} (stripe-node {type_name})"
        )
    last = type_name.rpartition(".")[2]
    return sorted(candidates, key=lambda c: (c.path != last, c.module))[:1]


def _envelope_schema(compiler: StripeSchemaCompiler, py: PyIndex) -> JSON:
    return compiler.require(py.cls("stripe._event", "Event"))


def _snapshot(
    compiler: StripeSchemaCompiler,
    py: PyIndex,
    ts: TsIndex,
    declared: dict[str, stripe_ts.TsEvent],
    enabled: list[str],
    tree: Tree,
    notes: list[str],
) -> dict[str, Any]:
    envelope = _envelope_schema(compiler, py)
    types: dict[str, Any] = {}
    objects: dict[str, Any] = {}
    for extra in sorted(set(declared) - set(enabled)):
        notes.append(f"stripe-node declares {extra}, which stripe-python's enabled_events lacks")
    for event_type in enabled:
        entry: dict[str, Any] = {"area": area(event_type), "schema": f"stripe/{event_type}.json"}
        data_object: JSON = {"type": "object"}
        event_ts = declared.get(event_type)
        if event_ts is None:
            notes.append(f"{event_type}: stripe-node has no event interface; data.object left open")
            entry["object"] = None
        else:
            classes = _classes_for_ts_type(event_ts.object_type, ts, py)
            refs = [compiler.require(c) for c in classes]
            names = [def_name(c) for c in classes]
            data_object = refs[0] if len(refs) == 1 else {"anyOf": refs}
            if names == ["invoice"] and event_type not in WITHOUT_ID:
                # defs/invoice.json leaves `id` optional for invoice.upcoming: require it here.
                data_object = {**data_object, "required": ["id"]}
            entry["object"] = names[0] if len(names) == 1 else names
            entry["object_type"] = event_ts.object_type
            entry["description"] = event_ts.description
            # stripe-node declares previous_attributes on every event; Stripe sends it on updates.
            entry["previous_attributes"] = event_type.endswith(".updated")
            for cls in classes:
                objects[def_name(cls)] = {
                    "python_class": f"{cls.module}:{cls.path}",
                    "schema": f"stripe/defs/{def_name(cls)}.json",
                }
        data: dict[str, Any] = {
            "type": "object",
            "required": ["object"],
            "properties": {"object": data_object},
        }
        if event_type.endswith(".updated"):
            data["properties"]["previous_attributes"] = {
                "type": "object",
                "description": "The changed fields' values before the update.",
            }
        schema = {
            "$schema": SCHEMA_DIALECT,
            "$id": f"{ID_BASE}{SCHEMA_DIR}/{event_type}.json",
            "title": f"Stripe {event_type} event",
            "description": entry.get("description") or f"Stripe {event_type} event.",
            "allOf": [envelope],
            "type": "object",
            "properties": {"type": {"const": event_type}, "data": data},
        }
        tree.add(f"{SCHEMA_DIR}/{event_type}.json", schema)
        types[event_type] = entry
    return {"types": types, "objects": objects}


def uri_part(event_type: str) -> str:
    """``event_type`` as it appears in a schema ``$id``: v2 types such as
    ``v2.core.account[requirements].updated`` hold brackets, which a URI path may not carry
    (jsonschema-rs refuses them), so they are percent-encoded; hookmock's ``schema_uri`` does the
    same."""
    return event_type.replace("[", "%5B").replace("]", "%5D")


def _notification_schema() -> JSON:
    """The thin notification body, as stripe-python's EventNotification and RelatedObject read it."""
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{ID_BASE}{THIN_DIR}/notification.json",
        "title": "Stripe thin event notification",
        "description": (
            "The body Stripe POSTs to an event destination for a thin event; read by "
            "StripeClient.parse_event_notification (stripe/v2/core/_event.py: EventNotification)."
        ),
        "type": "object",
        "required": ["created", "id", "livemode", "object", "type"],
        "properties": {
            "id": {"type": "string", "pattern": "^evt_[A-Za-z0-9_]+$"},
            "object": {"const": "v2.core.event"},
            "type": {"type": "string"},
            "created": {"type": "string", "format": "date-time"},
            "livemode": {"type": "boolean"},
            "context": {
                "type": ["string", "null"],
                "description": "The account the event concerns.",
            },
            "related_object": {
                "type": "object",
                "required": ["id", "type", "url"],
                "properties": {
                    "id": {"type": "string"},
                    "type": {"type": "string"},
                    "url": {"type": "string"},
                },
            },
            # stripe-python's Reason (stripe/v2/core/_event.py) reads d["request"]["id"] and
            # ["idempotency_key"] when type is "request", the only type it names: a reason
            # without them makes parse_event_notification raise.
            "reason": {
                "type": ["object", "null"],
                "required": ["type", "request"],
                "properties": {
                    "type": {"type": "string", "examples": ["request"]},
                    "request": {
                        "type": "object",
                        "required": ["id", "idempotency_key"],
                        "properties": {
                            "id": {"type": "string"},
                            "idempotency_key": {"type": "string"},
                        },
                    },
                },
            },
        },
    }


def _thin(
    compiler: StripeSchemaCompiler,
    py: PyIndex,
    events: list[stripe_py.ThinEvent],
    snapshot_types: set[str],
    tree: Tree,
    notes: list[str],
) -> dict[str, Any]:
    tree.add(f"{THIN_DIR}/notification.json", _notification_schema())
    v2_event = compiler.require(py.cls("stripe.v2.core._event", "Event"))
    types: dict[str, Any] = {}
    for event in events:
        entry: dict[str, Any] = {
            "version": event.type.split(".")[0],
            "area": area(event.type),
            "notification_schema": f"stripe/{uri_part(event.type)}.json",
            "event_schema": f"stripe/thin/{uri_part(event.type)}.event.json",
        }
        if event.description:
            entry["description"] = event.description
        if event.type.startswith("v1."):
            snapshot = event.type[3:]
            entry["snapshot_type"] = snapshot if snapshot in snapshot_types else None
        related: dict[str, Any] | None = None
        if event.related_object:
            module, _, name = event.related_object.partition(":")
            cls = py.resolve(module, "", name)
            if cls is None:
                raise RefreshError(
                    f"{event.module}: related object {event.related_object} not found"
                )
            compiler.require(cls)
            related = {
                "object": def_name(cls),
                "python_class": f"{cls.module}:{cls.path}",
                "schema": f"stripe/defs/{def_name(cls)}.json",
                "url_pattern": None,
            }
        elif event.has_related_object:
            notes.append(f"thin {event.type}: fetch_related_object has no resolvable return type")
        entry["related_object"] = related
        event_cls = py.cls(event.module, event.class_name)
        fetched_ref = compiler.require(event_cls)
        if event.data_class:
            data_def = event.data_class.partition(".")[2]
            entry["data"] = f"stripe/{fetched_ref['$ref']}#/$defs/{data_def}"
        else:
            entry["data"] = None
        notification: dict[str, Any] = {
            "$schema": SCHEMA_DIALECT,
            "$id": f"{ID_BASE}{SCHEMA_DIR}/{uri_part(event.type)}.json",
            "title": f"Stripe thin {event.type} notification",
            "allOf": [{"$ref": "thin/notification.json"}],
            "type": "object",
            "properties": {"type": {"const": event.type}},
        }
        if related is not None:
            notification["required"] = ["related_object"]
        # The notification is what a receiver gets, so it is the type's own schema
        # (schemas/stripe/<type>.json, like a snapshot type's); the fetched event sits in thin/.
        tree.add(f"{SCHEMA_DIR}/{event.type}.json", notification)
        tree.add(
            f"{THIN_DIR}/{event.type}.event.json",
            {
                "$schema": SCHEMA_DIALECT,
                "$id": f"{ID_BASE}{THIN_DIR}/{uri_part(event.type)}.event.json",
                "title": f"Stripe {event.type} event as fetch_event() returns it",
                "allOf": [
                    {"$ref": f"../{v2_event['$ref']}"},
                    {"$ref": f"../{fetched_ref['$ref']}"},
                ],
            },
        )
        types[event.type] = entry
    thin_only = sorted(t for t, e in types.items() if e.get("snapshot_type", "") is None)
    notes.append(
        f"{len(thin_only)} v1 thin types have no snapshot twin, e.g. {', '.join(thin_only[:3])}"
    )
    return types


def compile_stripe(
    py_archive: Archive, py_pin: Pin, node_archive: Archive, node_pin: Pin, tree: Tree
) -> list[str]:
    """Add the Stripe schemas and catalogs to `tree`; return notes worth a look."""
    notes: list[str] = []
    py_version = stripe_py.api_version(py_archive)
    wanted = py_pin.extra.get("api_version")
    if wanted and py_version != wanted:
        raise RefreshError(
            f"stripe-python {py_pin.version} pins API version {py_version}, the pin says {wanted}"
        )
    node_version = stripe_ts.api_version(node_archive)
    if node_version != py_version:
        raise RefreshError(
            f"stripe-node {node_pin.version} declares API version {node_version}, but stripe-python "
            f"{py_pin.version} pins {py_version}; pin the stripe npm release that declares {py_version}"
        )
    py = stripe_py.load(py_archive)
    thin_events = stripe_py.thin_events(py_archive, py)
    ts = stripe_ts.load(node_archive)
    declared = stripe_ts.events(node_archive)
    enabled = stripe_py.enabled_events(py_archive)
    compiler = StripeSchemaCompiler(py, ts)
    tree.own(SCHEMA_DIR)

    snapshot = _snapshot(compiler, py, ts, declared, enabled, tree, notes)
    thin = _thin(compiler, py, thin_events, set(snapshot["types"]), tree, notes)
    defs = compiler.compile_pending()
    for kind in sorted(set(WITHOUT_ID.values())):
        required = defs[kind].get("required", [])
        if "id" in required:
            required.remove("id")
    notes.extend(
        stripe_invariants.apply(stripe_invariants.load(), defs, tree, snapshot["types"], SCHEMA_DIR)
    )
    for name in sorted(defs):
        tree.add(f"{SCHEMA_DIR}/defs/{name}.json", defs[name])
    stats = compiler.stats
    for item in sorted(stats.unresolved):
        notes.append(f"unresolved annotation {item}")
    notes.append(
        f"stripe fields: {stats.fields}, without a stripe-node declaration: {stats.without_ts}, "
        f"optional but not nullable: {stats.optional_not_nullable}"
    )

    source = {
        "api_version": py_version,
        "stripe-python": {"version": py_pin.version, "sha256": py_pin.sha256},
        "stripe-node": {"version": node_pin.version, "sha256": node_pin.sha256},
    }
    tree.add(
        SNAPSHOT_CATALOG,
        {
            "provider": "stripe",
            "kind": "snapshot",
            "source": source,
            "counts": {
                "types": len(snapshot["types"]),
                "objects": len(snapshot["objects"]),
                "defs": len(defs),
            },
            "types": snapshot["types"],
            "objects": snapshot["objects"],
            "api_versions": stripe_versions.compile_versions(
                stripe_versions.load(VERSIONS_FILE), defs, py_version
            ),
        },
    )
    versions: dict[str, int] = {}
    for entry in thin.values():
        versions[entry["version"]] = versions.get(entry["version"], 0) + 1
    tree.add(
        THIN_CATALOG,
        {
            "provider": "stripe",
            "kind": "thin",
            "source": source,
            "notification_schema": "stripe/thin/notification.json",
            "counts": {"types": len(thin), **versions},
            "types": thin,
        },
    )
    return notes
