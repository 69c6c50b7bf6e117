"""A provider described in OpenAPI 3.1 (``hookmock.openapi_provider``) works like any other:
types and schemas from its ``webhooks:``, generated payloads, validation and detection, both
signing schemes, delivery, and the CLI's ``--spec`` (issue 10, part 5).

The small document is ``tests/data/openapi/shop.yaml``, written for these tests. GitHub's
official description is read from the refresh tool's download cache, through its own loader
and hash check (``python tools/refresh.py`` fills the cache).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import io
import json
import re
import sys
import threading
import time
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import yaml

import hookmock
from hookmock.cli import main
from hookmock.providers.openapi import OpenAPIError
from hookmock.signing import HmacScheme

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "tests" / "data" / "openapi" / "shop.yaml"
WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SHOP_TYPES = ["order.created", "order.shipped", "ping", "refund-issued"]


@pytest.fixture
def shop():
    prov = hookmock.openapi_provider(
        SHOP, name="acme-shop", type_header="X-Acme-Event", register=True, replace=True
    )
    yield prov
    hookmock.unregister_provider("acme-shop")


def shop_doc() -> dict:
    return yaml.safe_load(SHOP.read_text())


# -- types, schemas, generation --------------------------------------------------------------


def test_each_webhook_is_a_type_and_a_discriminated_union_is_one_type_per_branch(shop):
    assert hookmock.types("acme-shop") == SHOP_TYPES
    # The title is the document's; descriptions are the operations'.
    assert shop.title == "Acme Shop"
    assert shop.describe("refund-issued") == "A refund was issued for an order."
    # The union's branches are events of one webhook: what the type header says for both.
    assert shop.webhook("order.created").event == "order"
    assert shop.webhook("order.shipped").event == "order"
    assert shop.events() == ["order", "ping", "refund-issued"]


def test_every_type_generates_valid_payloads_over_many_seeds(shop):
    for type in SHOP_TYPES:
        for seed in range(25):
            ev = hookmock.event("acme-shop", type, seed=seed)
            assert hookmock.validate(ev.body, provider="acme-shop", type=type) == (
                "acme-shop",
                type,
            )
    shipped = hookmock.event("acme-shop", "order.shipped", seed=3).payload
    assert shipped["action"] == "shipped"
    assert shipped["carrier"] in ("ups", "dhl", "fedex")
    assert shipped["order"]["id"].startswith("ord_")


def test_the_same_seed_gives_the_same_bytes_and_overrides_apply(shop):
    a = hookmock.event("acme-shop", "refund-issued", seed=11, refund__amount__amount=4999)
    b = hookmock.event("acme-shop", "refund-issued", seed=11, refund__amount__amount=4999)
    assert a.body == b.body
    assert a.payload["refund"]["amount"]["amount"] == 4999
    assert a.id == b.id
    assert a.id.startswith("msg_")


def test_components_are_resolved_and_the_schema_is_served(shop):
    schema = hookmock.schema("acme-shop", "order.created")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$ref"].endswith("/defs/OrderCreated.json")
    out = io.StringIO()
    code = main(["schema", "acme-shop", "order.created", "--bundle"], stdout=out)
    assert code == 0
    bundled = json.loads(out.getvalue())
    assert {"hookmock:acme-shop/defs/Order.json", "hookmock:acme-shop/defs/Money.json"} <= set(
        bundled["$defs"]
    )


def test_a_document_is_read_from_a_dict_and_from_a_package_resource(tmp_path, monkeypatch):
    from_dict = hookmock.openapi_provider(shop_doc(), name="shop-dict")
    assert from_dict.types() == SHOP_TYPES
    assert from_dict.title == "Acme Shop"
    package = tmp_path / "shop_hooks"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "openapi.yaml").write_text(SHOP.read_text())
    monkeypatch.syspath_prepend(str(tmp_path))
    resources = importlib.import_module("importlib.resources")
    resource = resources.files("shop_hooks") / "openapi.yaml"
    from_resource = hookmock.openapi_provider(resource, name="shop-resource")
    assert from_resource.types() == SHOP_TYPES


def test_a_payload_field_names_the_type_when_the_document_fixes_it():
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Billing", "version": "1"},
        "webhooks": {
            "events": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        {"$ref": "#/components/schemas/InvoicePaid"},
                                        {"$ref": "#/components/schemas/InvoiceVoided"},
                                    ]
                                }
                            }
                        }
                    }
                }
            }
        },
        "components": {
            "schemas": {
                "InvoicePaid": {
                    "type": "object",
                    "required": ["type", "amount"],
                    "properties": {
                        "type": {"const": "invoice.paid"},
                        "amount": {"type": "integer", "minimum": 1},
                    },
                },
                "InvoiceVoided": {
                    "type": "object",
                    "required": ["type"],
                    "properties": {"type": {"const": "invoice.voided"}},
                },
            }
        },
    }
    prov = hookmock.openapi_provider(doc, name="billing", type_field="type", register=True)
    try:
        assert prov.types() == ["invoice.paid", "invoice.voided"]
        ev = prov.event("invoice.paid", seed=1)
        assert ev.payload["type"] == "invoice.paid"
        # No header needed: the payload names its type.
        assert hookmock.validate(ev.body) == ("billing", "invoice.paid")
    finally:
        hookmock.unregister_provider("billing")


def test_pools_and_rules_steer_generation_and_a_bad_file_is_named(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n"
        "  order.shipped:\n"
        "    order.status: shipped\n"
        '    order.tracking_url: "https://track.example.com/${order.id}"\n'
    )
    pools = tmp_path / "pools.yaml"
    pools.write_text('strings:\n  email: "@faker(email)"\n')
    prov = hookmock.openapi_provider(SHOP, name="shop-rules", rules=rules, pools=pools)
    for seed in range(5):
        order = prov.event("order.shipped", seed=seed).payload["order"]
        assert order["status"] == "shipped"
        assert order["tracking_url"] == f"https://track.example.com/{order['id']}"
        assert not order["customer"]["email"].startswith("user")  # Faker's, not the fallback
    pools.write_text('strings:\n  email: "@pool(nope)"\n')
    with pytest.raises(hookmock.ConfigurationError, match=r"pools=.*no pool named 'nope'"):
        hookmock.openapi_provider(SHOP, name="shop-rules", pools=pools)


# -- validation and detection ------------------------------------------------------------------


def test_the_type_header_and_the_payloads_action_detect_the_type(shop):
    ev = hookmock.event("acme-shop", "order.shipped", seed=5)
    headers = ev.headers(WHSEC)
    assert headers["X-Acme-Event"] == "order"
    assert hookmock.validate(ev.body, headers=headers) == ("acme-shop", "order.shipped")
    # The action alone tells the order's two types apart; the header is not needed.
    assert hookmock.validate(ev.body) == ("acme-shop", "order.shipped")
    # The event the header carries stands for its types, as type= too.
    assert hookmock.validate(ev.body, type="order") == ("acme-shop", "order.shipped")


def test_a_type_that_only_its_header_names_needs_the_header(shop):
    ev = hookmock.event("acme-shop", "ping", seed=1)
    assert hookmock.validate(ev.body, headers={"X-Acme-Event": "ping"}) == ("acme-shop", "ping")
    with pytest.raises(hookmock.SchemaError, match="X-Acme-Event"):
        hookmock.validate(ev.body, provider="acme-shop")


def test_an_invalid_payload_lists_its_problems(shop):
    payload = hookmock.event("acme-shop", "order.created", seed=2).payload
    payload["order"]["total"]["currency"] = "doubloons"
    del payload["order"]["customer"]
    with pytest.raises(hookmock.SchemaError) as caught:
        hookmock.validate(payload, headers={"X-Acme-Event": "order"})
    text = str(caught.value)
    assert "not a valid acme-shop 'order.created' event" in text
    assert "/order/total/currency" in text
    assert "customer" in text


def test_a_header_naming_no_webhook_of_the_document_is_a_finding(shop):
    payload = hookmock.event("acme-shop", "ping", seed=1).payload
    with pytest.raises(hookmock.SchemaError, match="'pong', which is no webhook of Acme Shop"):
        hookmock.validate(payload, headers={"X-Acme-Event": "pong"})


# -- signing -------------------------------------------------------------------------------------


def test_standard_webhooks_signatures_verify_with_the_reference_package(shop):
    standardwebhooks = pytest.importorskip("standardwebhooks")
    ev = hookmock.event("acme-shop", "order.created", seed=4)
    headers = ev.headers(WHSEC)
    assert headers["webhook-id"] == ev.id
    assert standardwebhooks.Webhook(WHSEC).verify(ev.body, headers) == ev.payload
    # And what the reference signs, hookmock verifies (both ways).
    now = int(time.time())
    signed = standardwebhooks.Webhook(WHSEC).sign("msg_x", _utc(now), ev.body.decode())
    hookmock.verify(
        "acme-shop",
        ev.body,
        {"webhook-id": "msg_x", "webhook-timestamp": str(now), "webhook-signature": signed},
        WHSEC,
    )
    # Rotation: two secrets, two v1 signatures; the receiver with either accepts.
    other = "whsec_" + base64.b64encode(b"another secret of 24 bytes").decode()
    rotated = ev.headers([WHSEC, other])
    assert len(rotated["webhook-signature"].split(" ")) == 2
    standardwebhooks.Webhook(other).verify(ev.body, rotated)
    with pytest.raises(hookmock.SignatureError):
        hookmock.verify("acme-shop", ev.body, headers, other)


def test_a_declared_hmac_scheme_signs_as_an_independent_check_expects():
    secret = "It's a Secret to Everybody"
    prov = hookmock.openapi_provider(
        SHOP,
        name="shop-hmac",
        type_header="X-Acme-Event",
        signing=HmacScheme("X-Acme-Signature", prefix="sha256="),
    )
    ev = prov.event("refund-issued", seed=1)
    headers = prov.headers(ev, secret)
    expected = "sha256=" + hmac.new(secret.encode(), ev.body, hashlib.sha256).hexdigest()
    assert headers["X-Acme-Signature"] == expected  # not the document's example, sha256=0000
    assert "webhook-signature" not in headers
    prov.verify(ev.body, headers, secret)
    with pytest.raises(hookmock.SignatureError, match="does not match"):
        prov.verify(ev.body + b" ", headers, secret)
    with pytest.raises(hookmock.ConfigurationError, match="separator"):
        prov.sign(ev.body, [secret, "another"])


def test_a_timestamped_base64_scheme_with_rotation_round_trips():
    scheme = HmacScheme(
        "X-Signature",
        prefix="v0=",
        encoding="base64",
        algorithm="sha512",
        message="v0:{timestamp}:{body}",
        timestamp_header="X-Request-Timestamp",
        separator=" ",
    )
    prov = hookmock.openapi_provider(SHOP, name="shop-ts", signing=scheme)
    assert prov.signs_timestamp
    assert prov.secret_rotation
    ev = prov.event("ping", seed=2)
    headers = prov.sign(ev.body, ["old-secret", "new-secret"], timestamp=-30)
    ts = headers["X-Request-Timestamp"]
    digest = hmac.new(b"new-secret", f"v0:{ts}:".encode() + ev.body, hashlib.sha512).digest()
    assert "v0=" + base64.b64encode(digest).decode() in headers["X-Signature"].split(" ")
    prov.verify(ev.body, headers, "new-secret")
    prov.verify(ev.body, headers, "old-secret")
    stale = prov.sign(ev.body, "new-secret", timestamp=-600)
    with pytest.raises(hookmock.SignatureError, match="tolerance"):
        prov.verify(ev.body, stale, "new-secret")


def test_a_scheme_that_cannot_work_is_refused_when_declared():
    with pytest.raises(hookmock.ConfigurationError, match="timestamp_header"):
        HmacScheme("X-Sig", message="{timestamp}.{body}")
    with pytest.raises(hookmock.ConfigurationError, match="'hex' or 'base64'"):
        HmacScheme("X-Sig", encoding="base32")
    with pytest.raises(hookmock.ConfigurationError, match="signing="):
        hookmock.openapi_provider(SHOP, name="x", signing="github")


# -- delivery ------------------------------------------------------------------------------------


def test_delivery_to_a_wsgi_receiver_that_checks_the_signature():
    secret = "shop-secret"
    seen: list[tuple[str, str]] = []

    def app(environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        given = environ.get("HTTP_X_ACME_SIGNATURE", "")
        want = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(given, want):
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"bad signature"]
        seen.append((environ["HTTP_X_ACME_EVENT"], json.loads(body).get("action", "")))
        start_response("204 No Content", [])
        return []

    prov = hookmock.openapi_provider(
        SHOP,
        name="shop-delivery",
        type_header="X-Acme-Event",
        signing=HmacScheme("X-Acme-Signature", prefix="sha256="),
        register=True,
    )
    try:
        with hookmock.receiver(app, provider="shop-delivery", secret=secret, seed=1) as rcv:
            rcv.send("order.shipped").assert_ok()
            rcv.send("ping").assert_ok()
            refused = rcv.send("refund-issued", secret="wrong")
            refused.assert_rejected()
            with pytest.raises(hookmock.DeliveryError) as caught:
                refused.assert_ok()
        assert seen == [("order", "shipped"), ("ping", "")]
        # The declared signature header is masked in what hookmock prints, as a built-in's is.
        assert "X-Acme-Signature: sha256=<redacted>" in str(caught.value)
        assert prov.timeout == 10.0
    finally:
        hookmock.unregister_provider("shop-delivery")


# -- errors ----------------------------------------------------------------------------------------


def test_a_document_without_webhooks_says_what_to_add():
    doc = {"openapi": "3.1.0", "info": {"title": "API", "version": "1"}, "paths": {"/x": {}}}
    with pytest.raises(OpenAPIError, match="no webhooks: section") as caught:
        hookmock.openapi_provider(doc, name="x")
    assert "paths:" in str(caught.value)
    assert isinstance(caught.value, hookmock.ConfigurationError)


def test_an_openapi_3_0_document_is_named_as_such():
    doc = {**shop_doc(), "openapi": "3.0.3"}
    with pytest.raises(OpenAPIError, match=re.escape("OpenAPI 3.0.3, which has no webhooks")):
        hookmock.openapi_provider(doc, name="x")


def test_a_webhook_without_a_json_body_is_named_with_the_fix():
    doc = shop_doc()
    doc["webhooks"]["ping"]["post"]["requestBody"] = {
        "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}
    }
    with pytest.raises(OpenAPIError) as caught:
        hookmock.openapi_provider(doc, name="x")
    text = str(caught.value)
    assert "webhook 'ping' has no JSON request body schema" in text
    assert "application/x-www-form-urlencoded" in text
    assert "exclude=['ping']" in text
    assert hookmock.openapi_provider(doc, name="x", exclude=["ping"]).types() == [
        "order.created",
        "order.shipped",
        "refund-issued",
    ]


def test_a_broken_ref_is_named_where_it_is():
    doc = shop_doc()
    doc["components"]["schemas"]["Order"]["properties"]["total"] = {
        "$ref": "#/components/schemas/Monny"
    }
    with pytest.raises(hookmock.SchemaError) as caught:
        hookmock.openapi_provider(doc, name="x")
    text = str(caught.value)
    assert "'#/components/schemas/Monny'" in text
    assert "#/components/schemas/Order/properties/total" in text


def test_a_ref_outside_the_document_asks_for_a_bundled_one():
    doc = shop_doc()
    doc["components"]["schemas"]["Money"] = {"$ref": "money.yaml#/Money"}
    with pytest.raises(hookmock.SchemaError, match="Bundle it first"):
        hookmock.openapi_provider(doc, name="x")


def test_an_unknown_type_gets_a_did_you_mean(shop):
    with pytest.raises(hookmock.UnknownTypeError, match=re.escape("Did you mean 'order.shipped'")):
        hookmock.event("acme-shop", "order.shiped")
    with pytest.raises(
        hookmock.ConfigurationError, match=re.escape("order.created, order.shipped")
    ):
        hookmock.event("acme-shop", "order")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(OpenAPIError, match="no such file"):
        hookmock.openapi_provider(tmp_path / "nope.yaml", name="x")


# -- GitHub's official description ------------------------------------------------------------------


def github_description() -> dict:
    """The pinned ``@octokit/openapi-webhooks`` description, through the refresh tool's own
    loader (pin, sha256 check, archive member)."""
    tools = str(ROOT / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    from refresh_lib import github, sources

    pin = sources.load_pins(ROOT / "tools" / "pins.toml")["github"]
    cache = ROOT / ".cache" / "refresh"
    if not (cache / pin.file).exists():
        pytest.skip(
            f"GitHub's description ({pin.file}) is not in {cache}; run `python tools/refresh.py`"
            " once (it downloads the pinned packages) to run this test."
        )
    return github.load(sources.open_pin(pin, cache, offline=True), pin)


def test_githubs_official_description_generates_a_valid_payload_for_every_webhook():
    document = github_description()
    secret = "github-secret"
    prov = hookmock.openapi_provider(
        document,
        name="github-openapi",
        event_name="x-github.subcategory",
        type_header="X-GitHub-Event",
        id_header="X-GitHub-Delivery",
        signing=HmacScheme("X-Hub-Signature-256", prefix="sha256="),
        register=True,
    )
    try:
        assert len(prov.types()) == len(document["webhooks"])
        assert {"pull_request.opened", "push", "issues.typed"} <= set(prov.types())
        for type in prov.types():
            for seed in (1, 2):
                ev = prov.event(type, seed=seed)
                assert hookmock.validate(ev.payload, provider="github-openapi", type=type)
        ev = prov.event("pull_request.opened", seed=3)
        headers = prov.headers(ev, secret)
        assert headers["X-GitHub-Event"] == "pull_request"
        assert headers["User-Agent"].startswith("GitHub-Hookshot/")
        want = "sha256=" + hmac.new(secret.encode(), ev.body, hashlib.sha256).hexdigest()
        assert headers["X-Hub-Signature-256"] == want
        assert hookmock.validate(ev.body, provider="github-openapi", headers=headers) == (
            "github-openapi",
            "pull_request.opened",
        )
    finally:
        hookmock.unregister_provider("github-openapi")


def _utc(unix: int):
    from datetime import datetime, timezone

    return datetime.fromtimestamp(unix, tz=timezone.utc)


# -- the command line --------------------------------------------------------------------------------


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    # The document's provider lives for one command: the next one (in this process) is clean.
    assert "acme-shop" not in hookmock.provider_names()
    return code, out.getvalue(), err.getvalue()


def test_the_cli_lists_generates_and_validates_with_spec(tmp_path):
    code, out, _ = cli("list", "--spec", str(SHOP))
    assert code == 0
    types = [line.split()[0] for line in out.splitlines() if not line.startswith("# ")]
    assert types == SHOP_TYPES  # (the "# AREA (N)" lines group them)
    code, out, err = cli("generate", "--spec", str(SHOP), "order.shipped", "--seed", "4")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["action"] == "shipped"
    assert (
        payload == hookmock.openapi_provider(SHOP, name="x").event("order.shipped", seed=4).payload
    )
    # A type only the header names gets a headers sidecar, which validate reads.
    flags = ["--spec", str(SHOP), "--type-header", "X-Acme-Event"]
    code, _, err = cli("generate", *flags, "ping", "--seed", "1", "-o", str(tmp_path) + "/")
    assert code == 0, err
    (sidecar,) = tmp_path.glob("*.headers.json")
    assert json.loads(sidecar.read_text())["X-Acme-Event"] == "ping"
    code, out, err = cli("validate", *flags, str(tmp_path))
    assert code == 0, out + err
    assert "1 valid" in out
    (body,) = (p for p in tmp_path.glob("*.json") if not p.name.endswith(".headers.json"))
    broken = json.loads(body.read_text())
    broken["endpoint_id"] = "seven"
    body.write_text(json.dumps(broken))
    code, out, _ = cli("validate", *flags, str(tmp_path))
    assert code == 1
    assert "/endpoint_id" in out


def test_the_cli_signs_with_the_declared_scheme(tmp_path):
    body = tmp_path / "event.json"
    body.write_bytes(hookmock.openapi_provider(SHOP, name="x").event("ping", seed=1).body)
    code, out, err = cli(
        "sign",
        "--spec",
        str(SHOP),
        "--signing",
        "hmac:X-Acme-Signature",
        "--signature-prefix",
        "sha256=",
        "--secret",
        "s3cret",
        str(body),
    )
    assert code == 0, err
    want = hmac.new(b"s3cret", body.read_bytes(), hashlib.sha256).hexdigest()
    assert out.strip() == f"X-Acme-Signature: sha256={want}"


def test_the_cli_names_a_bad_spec_or_signing_flag():
    code, _, err = cli("list", "--spec", "no/such/openapi.yaml")
    assert code == 2
    assert "no such file" in err
    code, _, err = cli("list", "--spec", str(SHOP), "--signing", "github")
    assert code == 2
    assert "hmac:HEADER" in err
    code, _, err = cli("generate", "--spec", str(SHOP), "order.shiped")
    assert code == 2
    assert "Did you mean 'order.shipped'" in err


def test_the_cli_sends_one_signed_event_to_a_local_receiver():
    received: list[dict] = []

    def app(environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        received.append({"event": environ.get("HTTP_X_ACME_EVENT"), "body": json.loads(body)})
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = make_server("127.0.0.1", 0, app, handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        code, out, err = cli(
            "send",
            f"http://127.0.0.1:{server.server_port}/hooks",
            "--spec",
            str(SHOP),
            "--type-header",
            "X-Acme-Event",
            "order.created",
            "--secret",
            WHSEC,
            "--allow-insecure-http",
        )
    finally:
        server.shutdown()
        server.server_close()
    assert code == 0, out + err
    assert received[0]["event"] == "order"
    assert received[0]["body"]["action"] == "created"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # no request lines in the test output
        pass


def test_an_inline_union_with_shared_fields_gives_each_branch_the_shared_ones():
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Tickets", "version": "1"},
        "webhooks": {
            "ticket": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json; charset=utf-8": {
                                "schema": {
                                    "type": "object",
                                    "required": ["ticket_id"],
                                    "properties": {
                                        "ticket_id": {"type": "string", "pattern": "^T-[0-9]{6}$"}
                                    },
                                    "oneOf": [
                                        {
                                            "required": ["action"],
                                            "properties": {"action": {"const": "opened"}},
                                        },
                                        {
                                            "required": ["action", "reason"],
                                            "properties": {
                                                "action": {"const": "closed"},
                                                "reason": {"enum": ["done", "spam"]},
                                            },
                                        },
                                    ],
                                }
                            }
                        }
                    }
                }
            }
        },
    }
    prov = hookmock.openapi_provider(doc, name="tickets", register=True)
    try:
        assert prov.types() == ["ticket.closed", "ticket.opened"]
        assert prov.webhook("ticket.closed").content_type == "application/json; charset=utf-8"
        for seed in range(10):
            closed = prov.event("ticket.closed", seed=seed).payload
            assert closed["action"] == "closed"
            assert closed["reason"] in ("done", "spam")
            assert re.fullmatch(r"T-[0-9]{6}", closed["ticket_id"])
            assert hookmock.validate(closed) == ("tickets", "ticket.closed")
        wrong = {**closed, "ticket_id": "nope"}
        with pytest.raises(hookmock.SchemaError, match="/ticket_id"):
            hookmock.validate(wrong, provider="tickets", type="ticket.closed")
    finally:
        hookmock.unregister_provider("tickets")
