"""The core flow through a third, test-only provider: one class plus its schemas is enough."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import hookmock
from hookmock import (
    BuildContext,
    OverrideError,
    PayloadError,
    Provider,
    SchemaError,
    SecretError,
    TraitError,
    UnknownProviderError,
    UnknownTypeError,
    check_secret,
)
from hookmock.signing import hmac_hex


class AcmeProvider(Provider):
    name = "acme"
    title = "Acme"
    signature_header = "X-Acme-Signature"
    open_maps = frozenset({"labels"})
    option_defaults = {"region": "eu"}

    def __init__(self, schema_root):
        self._root = schema_root

    def schema_dir(self):
        return self._root

    def entries(self):
        return {
            "order.created": {"description": "An order was placed."},
            "order.shipped": {"description": "An order left the warehouse.", "traits": ["express"]},
        }

    def build(self, ctx: BuildContext):
        amount = ctx.value("order.amount", lambda: ctx.rng.randrange(100, 10_000))
        return {
            "id": "ev_" + ctx.base62(),
            "kind": ctx.type,
            "region": ctx.options["region"],
            "created": ctx.timestamp(),
            "order": {
                "amount": amount,
                "total": amount + 500,
                "email": ctx.faker.email(),
                "express": "express" in ctx.traits,
                "labels": {},
            },
        }

    def finish(self, payload, ctx):
        return payload["id"], {"created": payload["created"]}

    def sign(self, body, secret, *, timestamp=None, **kw):
        return {"X-Acme-Signature": "sha256=" + hmac_hex(check_secret(secret, self)[0], body)}

    def detect(self, payload, headers=None):
        kind = payload.get("kind")
        return kind if kind in self.types() else None


@pytest.fixture
def acme(tmp_path):
    root = tmp_path / "acme"
    root.mkdir()
    base = "https://hookmock.invalid/schemas/acme/"
    (root / "defs").mkdir()
    (root / "defs" / "order.json").write_text(
        json.dumps(
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": base + "defs/order.json",
                "type": "object",
                "required": ["amount", "email"],
                "properties": {
                    "amount": {"type": "integer", "minimum": 0},
                    "email": {"type": "string"},
                },
            }
        )
    )
    for t in ("order.created", "order.shipped"):
        (root / f"{t}.json").write_text(
            json.dumps(
                {
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$id": base + f"{t}.json",
                    "type": "object",
                    "required": ["id", "kind", "order"],
                    "properties": {
                        "id": {"type": "string", "pattern": "^ev_[A-Za-z0-9]+$"},
                        "kind": {"const": t},
                        "order": {"$ref": "defs/order.json"},
                    },
                }
            )
        )
    provider = hookmock.register_provider(AcmeProvider(root))
    yield provider
    hookmock.unregister_provider("acme")


def test_a_registered_provider_is_reachable_by_name(acme):
    assert "acme" in hookmock.provider_names()
    assert hookmock.provider("acme") is acme
    assert hookmock.types("acme") == ["order.created", "order.shipped"]


def test_same_seed_gives_identical_bytes_and_different_seeds_differ(acme):
    a = hookmock.event("acme", "order.created", seed=7)
    b = hookmock.event("acme", "order.created", seed=7)
    c = hookmock.event("acme", "order.created", seed=8)
    assert a.body == b.body
    assert a.id == b.id
    assert c.id != a.id
    assert c.body != a.body
    assert a.seed == 7


def test_an_unseeded_event_records_the_seed_that_reproduces_it(acme):
    ev = hookmock.event("acme", "order.created")
    assert isinstance(ev.seed, int)
    assert hookmock.event("acme", "order.created", seed=ev.seed).body == ev.body


def test_factories_derive_fields_from_overridden_values(acme):
    ev = hookmock.event("acme", "order.created", seed=1, order__amount=1000)
    assert ev.payload["order"] == {**ev.payload["order"], "amount": 1000, "total": 1500}
    assert json.loads(ev.body) == ev.payload


def test_options_and_traits_shape_the_event(acme):
    ev = hookmock.event("acme", "order.shipped", seed=1, region="us", traits="express")
    assert ev.payload["region"] == "us"
    assert ev.payload["order"]["express"] is True
    with pytest.raises(TraitError, match="Did you mean 'express'"):
        hookmock.event("acme", "order.shipped", traits=["expres"])


def test_replace_rebuilds_with_the_same_seed_and_more_overrides(acme):
    ev = hookmock.event("acme", "order.created", seed=3, order__amount=10)
    again = ev.replace(order__email="a@example.com")
    assert again.id == ev.id
    assert again.payload["order"]["amount"] == 10
    assert again.payload["order"]["email"] == "a@example.com"


def test_unknown_names_suggest_close_matches(acme):
    with pytest.raises(UnknownTypeError, match=r"Did you mean 'order\.created'"):
        hookmock.event("acme", "order.craeted")
    with pytest.raises(UnknownProviderError, match="Did you mean 'acme'"):
        hookmock.event("acmee", "order.created")
    with pytest.raises(OverrideError, match="Did you mean 'order__amount'"):
        hookmock.event("acme", "order.created", order__amonut=1)


def test_validation_detects_the_type_and_follows_refs(acme):
    ev = hookmock.event("acme", "order.shipped", seed=2)
    assert hookmock.validate(ev.payload, provider="acme") == ("acme", "order.shipped")
    assert hookmock.validate(ev.body, provider="acme", type="order.shipped") == (
        "acme",
        "order.shipped",
    )


def test_validation_lists_every_violation_with_a_pointer(acme):
    bad = hookmock.event("acme", "order.created", seed=2).payload
    bad["order"]["amount"] = "ten"
    del bad["order"]["email"]
    with pytest.raises(SchemaError) as info:
        hookmock.validate(bad, provider="acme")
    pointers = [v.pointer for v in info.value.errors]
    assert pointers == ["/order", "/order/amount"]
    assert "'email' is a required property" in str(info.value)


def test_schema_returns_the_document(acme):
    doc = hookmock.schema("acme", "order.created")
    assert doc["properties"]["kind"] == {"const": "order.created"}


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (b"[1, 2]", "must be a JSON object (an event), got an array"),
        (b'{"a": ', "not valid JSON: Expecting value at line 1, column 7"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nests too deeply"),
    ],
)
def test_unreadable_payloads_get_a_clear_error(acme, payload, fragment):
    with pytest.raises(PayloadError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        hookmock.validate(payload, provider="acme")


def test_deep_but_parseable_nesting_is_refused_before_validation(acme):
    deep: dict = {}
    node = deep
    for _ in range(200):
        node["x"] = {}
        node = node["x"]
    assert sys.getrecursionlimit() >= 200
    with pytest.raises(PayloadError, match="limit 128"):
        hookmock.validate(deep, provider="acme")


def test_an_undetectable_payload_asks_for_the_type(acme):
    with pytest.raises(SchemaError, match="Pass the type explicitly"):
        hookmock.validate({"hello": "world"}, provider="acme")


@pytest.mark.parametrize("secret", [None, "", "   ", []])
def test_missing_or_empty_secrets_are_refused_clearly(acme, secret):
    with pytest.raises(SecretError, match="secret"):
        hookmock.sign("acme", b"{}", secret)


def test_sign_refuses_a_body_that_is_not_bytes(acme):
    with pytest.raises(TypeError, match="raw bytes"):
        hookmock.sign("acme", {"a": 1}, "k")  # type: ignore[arg-type]


def test_captured_payloads_become_events_byte_for_byte(acme):
    raw = b'{"id": "ev_1", "kind": "order.created", "created": 5, "order": {}}'
    ev = acme.from_payload(raw)
    assert (ev.type, ev.id, ev.body) == ("order.created", "ev_1", raw)


def test_form_encoded_github_bodies_are_unwrapped_for_validation():
    ev = hookmock.github.event("push", seed=4, content_type="form")
    assert ev.body.startswith(b"payload=")
    assert ev.json() == ev.payload
    assert hookmock.validate(ev.body, headers=ev.headers(secret="s")) == ("github", "push")


def test_one_seed_gives_different_types_different_ids(acme):
    created = hookmock.event("acme", "order.created", seed=11)
    shipped = hookmock.event("acme", "order.shipped", seed=11)
    assert created.id != shipped.id


def test_stripe_events_of_two_types_with_one_seed_do_not_collide():
    a = hookmock.stripe.event("payment_intent.succeeded", seed=5)
    b = hookmock.stripe.event("invoice.paid", seed=5)
    assert a.id != b.id


def test_a_misspelt_option_is_named_as_an_option_not_a_field():
    with pytest.raises(OverrideError, match="Did you mean the option 'with_installation'"):
        hookmock.github.event("push", with_instalation=True)
    with pytest.raises(OverrideError, match="Did you mean the option 'with_installation'"):
        hookmock.github.event("push", with_instalation=True, allow_new=True)


def test_replace_changes_traits_and_options_and_keeps_the_rest():
    ev = hookmock.github.event("pull_request.closed", seed=3, number=7)
    unmerged = ev.replace(traits="unmerged")
    assert unmerged.payload["pull_request"]["merged"] is False
    assert (unmerged.id, unmerged.payload["number"]) == (ev.id, 7)
    form = ev.replace(content_type="form").replace(pull_request__title="x")
    assert form.body.startswith(b"payload=")
    assert form.json()["pull_request"]["title"] == "x"


# -- registering again, unregistering (issue 9: caches keyed by name served stale schemas) ------


class ShopProvider(AcmeProvider):
    """The same provider name with another catalog and stricter schemas."""

    def entries(self):
        return {"order.refunded": {"description": "An order was refunded."}}


def _strict_copy(acme_root, tmp_path):
    """The acme schemas, but ``amount`` must be a string, plus a type of its own."""
    root = tmp_path / "strict"
    root.mkdir()
    (root / "defs").mkdir()
    order = json.loads((acme_root / "defs" / "order.json").read_text())
    order["properties"]["amount"] = {"type": "string"}
    (root / "defs" / "order.json").write_text(json.dumps(order))
    refunded = json.loads((acme_root / "order.created.json").read_text())
    refunded["$id"] = refunded["$id"].replace("order.created", "order.refunded")
    refunded["properties"]["kind"] = {"const": "order.refunded"}
    (root / "order.refunded.json").write_text(json.dumps(refunded))
    return root


def test_registering_again_serves_the_new_catalog_and_schemas_at_once(acme, tmp_path):
    ev = hookmock.event("acme", "order.created", seed=1)
    assert hookmock.validate(ev.body) == ("acme", "order.created")  # caches the old schemas
    assert hookmock.schema("acme", "order.created")["$id"].endswith("order.created.json")
    new = hookmock.register_provider(
        ShopProvider(_strict_copy(acme.schema_dir(), tmp_path)), replace=True
    )
    assert hookmock.provider("acme") is new
    assert hookmock.types("acme") == ["order.refunded"]
    refunded = hookmock.event("acme", "order.refunded", seed=1)
    with pytest.raises(SchemaError, match="amount"):
        hookmock.validate(refunded.body, provider="acme", type="order.refunded")
    with pytest.raises(UnknownTypeError):
        hookmock.schema("acme", "order.created")


def test_unregister_provider_forgets_a_registered_provider(acme):
    hookmock.validate(hookmock.event("acme", "order.created", seed=1).body)
    assert hookmock.unregister_provider("acme") is acme
    assert "acme" not in hookmock.provider_names()
    with pytest.raises(UnknownProviderError):
        hookmock.provider("acme")
    assert hookmock.unregister_provider("acme") is None


def test_unregistering_a_builtin_loads_it_afresh():
    before = hookmock.provider("github")
    assert hookmock.unregister_provider("github") is before
    again = hookmock.provider("github")
    assert again is not before
    assert again.name == "github"


def test_register_provider_takes_an_instance_not_the_class():
    with pytest.raises(TypeError, match=r"pass MyProvider\(\), not the class"):
        hookmock.register_provider(AcmeProvider)  # type: ignore[arg-type]


def test_a_providers_signature_header_is_redacted_in_printed_headers(acme):
    from hookmock._redaction import redact_headers

    headers = acme.sign(b"{}", "acme-secret-123")
    shown = redact_headers(headers)
    assert shown == {"X-Acme-Signature": "sha256=<redacted>"}


def test_a_missing_secret_names_the_providers_ini_option_and_example(acme):
    with pytest.raises(SecretError) as info:
        hookmock.sign("acme", b"{}", None)
    assert "hookmock_acme_secret" in str(info.value)
    assert "my-webhook-secret" in str(info.value)


# -- a provider's own API mock (hosts and routes come from its package) -------------------------


class AcmeAPI:
    """Acme's REST API: orders from delivered events, at api.acme.example/orders/<id>."""

    name = "acme"
    hosts = ("api.acme.example",)
    paths = ("/orders/",)

    def __init__(self):
        self.orders = {}

    def feed(self, payload, type=None):
        order = payload.get("order")
        if isinstance(order, dict):
            self.orders[payload["id"]] = order

    def claims(self, payload):
        return "order" in payload

    def handle(self, request):
        from hookmock.apimock import Reply

        order = self.orders.get(request.path.removeprefix("/orders/"))
        return Reply(200, order) if order else Reply(404, {"message": "no such order"})


class AcmeWithAPI(AcmeProvider):
    def api_mock(self):
        return AcmeAPI()


def test_a_providers_api_mock_answers_from_delivered_events(acme):
    import requests

    hookmock.register_provider(AcmeWithAPI(acme.schema_dir()), replace=True)
    ev = hookmock.event("acme", "order.created", seed=3)
    with hookmock.api_mock([ev]) as api:
        assert "api.acme.example" in api.hosts()
        assert api.acme.orders[ev.id] == ev.payload["order"]
        got = requests.get(f"https://api.acme.example/orders/{ev.id}", timeout=5)
        assert got.json() == ev.payload["order"]
        assert requests.get("https://api.acme.example/orders/nope", timeout=5).status_code == 404
        api.add("GET", "/orders/custom", json={"amount": 1})  # the path means Acme's API
        assert requests.get("https://api.acme.example/orders/custom", timeout=5).json() == {
            "amount": 1
        }
    assert [c.provider for c in api.calls] == ["acme", "acme", "acme"]


def test_the_builtin_ini_option_table_matches_the_providers():
    from hookmock.providers import BUILTIN, BUILTIN_INI_OPTIONS

    for name in BUILTIN:
        assert hookmock.provider(name).ini_options == BUILTIN_INI_OPTIONS.get(name, ()), name


def test_loading_the_plugin_imports_no_provider(tmp_path):
    code = (
        "import sys, pytest\n"
        "pytest.main(['--co', '-q', '-p', 'no:cacheprovider'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('hookmock.providers.')))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout + proc.stderr


def test_each_builtin_shows_a_secret_of_its_own_form_in_the_missing_secret_message():
    for name, example in (
        ("stripe", "whsec_test_secret"),
        ("github", "my-webhook-secret"),
        ("standard", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    ):
        with pytest.raises(SecretError) as info:
            hookmock.sign(name, b"{}", None)
        assert f"secret={example!r}" in str(info.value)
        assert f"hookmock_{name}_secret" in str(info.value)
        hookmock.sign(name, b"{}", example)  # and it is a secret the provider signs with


def test_the_provider_author_modules_export_what_they_list_and_load_nothing_heavy():
    code = (
        "import sys, hookmock.authoring as a, hookmock.signing as s, hookmock.apimock as m\n"
        "for mod in (a, s):\n"
        "    assert mod.__all__ == sorted(mod.__all__, key=lambda n: (not n.isupper(), n))\n"
        "    for name in mod.__all__:\n"
        "        assert getattr(mod, name) is not None, name\n"
        "assert {'ApiRequest', 'ProviderAPI', 'Reply'} <= set(m.__all__)\n"
        "print(sorted(n for n in ('faker', 'jsonschema', 'requests', 'yaml') if n in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
