"""The Standard Webhooks provider: the user's catalog, the envelope, generation and validation."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import hookmock
from hookmock import (
    ConfigurationError,
    OverrideError,
    SchemaError,
    UnknownTypeError,
)
from hookmock._registry import _loaded
from hookmock.providers.standard import StandardProvider, UnregisteredTypeError

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

INVOICE = {
    "title": "An invoice was paid.",
    "type": "object",
    "required": ["id", "amount", "currency", "customer", "lines"],
    "properties": {
        "id": {"type": "string", "pattern": "^in_[A-Za-z0-9]{24}$"},
        "amount": {"type": "integer", "minimum": 1, "maximum": 100000},
        "currency": {"enum": ["usd", "eur"]},
        "paid_at": {"type": "string", "format": "date-time"},
        "note": {"type": ["string", "null"], "maxLength": 20},
        "customer": {"$ref": "#/$defs/customer"},
        "lines": {"type": "array", "minItems": 1, "maxItems": 4, "items": {"$ref": "#/$defs/line"}},
        "status": {"const": "paid"},
        "kind": {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "boolean"}]},
    },
    "additionalProperties": False,
    "$defs": {
        "customer": {
            "type": "object",
            "required": ["email", "name"],
            "properties": {
                "email": {"type": "string", "format": "email"},
                "name": {"type": "string"},
            },
        },
        "line": {
            "allOf": [
                {"type": "object", "required": ["sku"], "properties": {"sku": {"type": "string"}}},
                {"required": ["qty"], "properties": {"qty": {"type": "integer", "minimum": 1}}},
            ]
        },
    },
}


@pytest.fixture(autouse=True)
def empty_catalog():
    """Each test starts and ends with no Standard Webhooks types (the README's examples, run in
    the same process, register some)."""
    for t in hookmock.standard.types():
        hookmock.standard.unregister(t)
    yield
    for t in hookmock.standard.types():
        hookmock.standard.unregister(t)


@pytest.fixture
def standard():
    """The built-in provider with two types registered, removed again afterwards."""
    provider = hookmock.standard
    provider.register("invoice.paid", INVOICE)
    provider.register("user.created", description="A user signed up.")
    yield provider
    for t in list(provider.types()):
        provider.unregister(t)


# -- the catalog ------------------------------------------------------------------------------------


def test_the_catalog_holds_the_users_types_with_their_descriptions(standard):
    assert standard.types() == ["invoice.paid", "user.created"]
    assert hookmock.types("standard") == ["invoice.paid", "user.created"]
    assert standard.describe("invoice.paid") == "An invoice was paid."  # from the schema's title
    assert standard.describe("user.created") == "A user signed up."


def test_a_type_is_registered_once_unless_replaced(standard):
    with pytest.raises(ConfigurationError, match="already registered; pass replace=True"):
        standard.register("user.created")
    standard.register("user.created", {"type": "object"}, description="New.", replace=True)
    assert standard.describe("user.created") == "New."


def test_registering_checks_the_name_and_the_schema():
    with pytest.raises(ConfigurationError, match="not a usable event type name"):
        hookmock.standard.register("has space")
    with pytest.raises(ConfigurationError, match=r"a str such as 'invoice\.paid'"):
        hookmock.standard.register(7)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="a JSON Schema as a dict"):
        hookmock.standard.register("x.y", "not a schema")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="not a valid JSON Schema at properties/id"):
        hookmock.standard.register("x.y", {"properties": {"id": {"type": "strin"}}})
    with pytest.raises(SchemaError, match='"data" is a JSON object'):
        hookmock.standard.register("x.y", {"type": "array"})
    assert "x.y" not in hookmock.standard.types()


def test_an_empty_catalog_says_how_to_fill_it():
    assert hookmock.standard.types() == []
    with pytest.raises(UnknownTypeError) as info:
        hookmock.event("standard", "invoice.paid")
    assert isinstance(info.value, UnregisteredTypeError)
    message = str(info.value)
    assert "has no event types yet" in message
    assert "hookmock.standard.register(type, schema=...)" in message
    assert "HOOKMOCK_STANDARD_SCHEMAS=<folder>" in message


def test_a_misspelt_type_gets_did_you_mean(standard):
    with pytest.raises(
        UnknownTypeError, match=r"no event type 'invoice.payd' \(did you mean 'invoice.paid'"
    ):
        standard.event("invoice.payd")


def test_a_folder_of_schemas_registers_one_type_per_file(tmp_path):
    (tmp_path / "order.shipped.json").write_text(
        json.dumps({"type": "object", "title": "Shipped."})
    )
    (tmp_path / "order.created.json").write_text(json.dumps({"type": "object"}))
    (tmp_path / "notes.txt").write_text("ignored")
    try:
        assert hookmock.standard.register_folder(tmp_path) == ["order.created", "order.shipped"]
        assert hookmock.standard.describe("order.shipped") == "Shipped."
        hookmock.validate(hookmock.event("standard", "order.created", seed=1).body)
    finally:
        for t in ("order.created", "order.shipped"):
            hookmock.standard.unregister(t)


def test_a_bad_file_in_the_folder_registers_nothing(tmp_path):
    (tmp_path / "a.ok.json").write_text(json.dumps({"type": "object"}))
    (tmp_path / "b.bad.json").write_text("{not json")
    with pytest.raises(SchemaError, match=r"b\.bad\.json: not a readable JSON file"):
        hookmock.standard.register_folder(tmp_path)
    assert hookmock.standard.types() == []
    with pytest.raises(ConfigurationError, match="is not a folder"):
        hookmock.standard.register_folder(tmp_path / "missing")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigurationError, match=r"holds no \*\.json file"):
        hookmock.standard.register_folder(empty)


def test_the_environment_names_a_folder_for_the_command_line(tmp_path, monkeypatch):
    (tmp_path / "team.joined.json").write_text(json.dumps({"type": "object"}))
    monkeypatch.setenv("HOOKMOCK_STANDARD_SCHEMAS", str(tmp_path))
    assert StandardProvider().types() == ["team.joined"]


class AcmeWebhooks(StandardProvider):
    """A company that sends Standard Webhooks: its own provider name and catalog."""

    name = "acme-std"
    title = "Acme"
    event_types = {
        "shipment.sent": {
            "schema": {
                "type": "object",
                "required": ["tracking"],
                "properties": {"tracking": {"type": "string", "pattern": "^1Z[0-9A-Z]{16}$"}},
            },
            "description": "Sent.",
        },
        "shipment.lost": None,
    }


@pytest.fixture
def acme():
    provider = hookmock.register_provider(AcmeWebhooks())
    yield provider
    _loaded.pop("acme-std", None)


def test_a_subclass_is_its_own_provider_with_its_own_catalog(acme, standard):
    assert acme.types() == ["shipment.lost", "shipment.sent"]
    assert "shipment.sent" not in standard.types()
    ev = hookmock.event("acme-std", "shipment.sent", seed=3)
    assert ev.provider == "acme-std"
    assert re.fullmatch(r"1Z[0-9A-Z]{16}", ev.payload["data"]["tracking"])
    assert hookmock.validate(ev.body) == ("acme-std", "shipment.sent")
    assert acme.retry_schedule == standard.retry_schedule
    with pytest.raises(UnknownTypeError, match=r"hookmock.provider\('acme-std'\).register"):
        acme.event("shipment.found")
    assert AcmeWebhooks.folder_env() == "HOOKMOCK_ACME_STD_SCHEMAS"


# -- generation ------------------------------------------------------------------------------------


def test_an_event_is_the_specifications_envelope(standard):
    ev = standard.event("user.created", seed=7)
    assert list(ev.payload) == ["type", "timestamp", "data"]
    assert ev.payload["type"] == "user.created"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", ev.payload["timestamp"])
    assert re.fullmatch(r"msg_[A-Za-z0-9]{27}", ev.id)
    assert ev.body == json.dumps(ev.payload, separators=(",", ":")).encode()
    assert ev.created > 1_700_000_000


def test_the_same_seed_gives_the_same_bytes_and_id(standard):
    a, b, c = (standard.event("invoice.paid", seed=s) for s in (5, 5, 6))
    assert (a.body, a.id) == (b.body, b.id)
    assert a.body != c.body
    assert a.id != c.id


def test_data_is_generated_from_the_schema_and_always_valid(standard):
    for seed in range(60):
        ev = standard.event("invoice.paid", seed=seed)
        assert hookmock.validate(ev.body, provider="standard") == ("standard", "invoice.paid")
        data = ev.payload["data"]
        assert re.fullmatch(r"in_[A-Za-z0-9]{24}", data["id"])
        assert "@" in data["customer"]["email"]
        assert all({"sku", "qty"} <= set(line) for line in data["lines"])


def test_without_a_schema_data_is_a_free_form_object_that_takes_any_key(standard):
    ev = standard.event("user.created", seed=1, data__plan="pro", data__seats=3)
    assert ev.payload["data"]["plan"] == "pro"
    assert ev.payload["data"]["seats"] == 3
    assert ev.payload["data"]["id"].startswith("user_")


def test_with_a_schema_an_unknown_data_field_is_a_typo(standard):
    with pytest.raises(OverrideError, match="amout"):
        standard.event("invoice.paid", data__amout=5)
    assert (
        standard.event("invoice.paid", seed=1, data__amount=4999).payload["data"]["amount"] == 4999
    )


def test_overriding_data_keeps_the_message_id(standard):
    assert (
        standard.event("invoice.paid", seed=2).id
        == standard.event("invoice.paid", seed=2, data__amount=1).id
    )


def test_a_recursive_schema_ends(standard):
    standard.register(
        "thread.posted",
        {
            "type": "object",
            "required": ["root"],
            "properties": {"root": {"$ref": "#/$defs/comment"}},
            "$defs": {
                "comment": {
                    "type": "object",
                    "required": ["text", "replies"],
                    "properties": {
                        "text": {"type": "string"},
                        "replies": {"type": "array", "items": {"$ref": "#/$defs/comment"}},
                    },
                }
            },
        },
    )
    ev = standard.event("thread.posted", seed=4)
    assert hookmock.validate(ev.body) == ("standard", "thread.posted")
    assert len(ev.body) < 100_000


# -- validation and detection ----------------------------------------------------------------------


def test_validation_checks_the_envelope_and_the_data(standard):
    bad = {"type": "invoice.paid", "timestamp": "yesterday", "data": {"id": "x", "amount": 0}}
    with pytest.raises(SchemaError) as info:
        hookmock.validate(bad, provider="standard")
    pointers = {v.pointer for v in info.value.errors}
    assert {"/timestamp", "/data/id", "/data/amount", "/data"} <= pointers
    assert "ISO-8601" in str(info.value)


def test_validation_sees_a_schema_registered_after_the_first_validation(standard):
    hookmock.validate(standard.event("user.created", seed=1).body)
    standard.register("user.created", {"type": "object", "required": ["email"]}, replace=True)
    with pytest.raises(SchemaError, match="'email' is a required property"):
        hookmock.validate({"type": "user.created", "timestamp": "2024-01-01T00:00:00Z", "data": {}})


def test_detection_needs_the_envelope_and_takes_webhook_headers(standard):
    ev = standard.event("invoice.paid", seed=3)
    headers = ev.headers(SECRET)
    assert hookmock.validate(ev.body, headers=headers) == ("standard", "invoice.paid")
    assert standard.detect(ev.payload, {"X-GitHub-Event": "push"}) is None
    assert standard.detect({"type": "invoice.paid", "data": {}}) is None  # no timestamp


def test_an_envelope_of_an_unregistered_type_is_a_finding_that_says_how_to_register(standard):
    payload = {"type": "invoice.voided", "timestamp": "2024-01-01T00:00:00Z", "data": {}}
    with pytest.raises(SchemaError) as info:
        hookmock.validate(payload)
    assert info.value.errors[0].pointer == "/type"
    assert "hookmock.standard.register" in str(info.value)


def test_stripe_and_github_payloads_are_not_taken_for_standard_ones(standard):
    stripe_event = hookmock.event("stripe", "invoice.paid", seed=1)
    assert standard.detect(stripe_event.payload) is None
    # Not even a Stripe event of a type both have, with its envelope broken.
    assert standard.explain({**stripe_event.payload, "object": None}) is None
    assert hookmock.validate(stripe_event.body) == ("stripe", "invoice.paid")


def test_a_captured_payload_keeps_its_bytes_and_message_id(standard):
    ev = standard.event("invoice.paid", seed=9)
    again = standard.from_payload(ev.body, meta={"id": ev.id})
    assert (again.body, again.id, again.type) == (ev.body, ev.id, "invoice.paid")
    unknown = standard.from_payload(b'{"type":"a.b","timestamp":"2024-01-01T00:00:00Z","data":{}}')
    assert unknown.type == "a.b"
    assert unknown.id.startswith("msg_")


def test_importing_the_provider_stays_cheap():
    code = (
        "import sys, hookmock; hookmock.standard.types();"
        " print([m for m in ('faker', 'jsonschema', 'referencing') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
