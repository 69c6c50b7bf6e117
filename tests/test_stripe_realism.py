"""Stripe payloads look like real traffic by default (issue 10, part 4, the Stripe items)."""

from __future__ import annotations

import collections
import json
import re
from typing import Any

import pytest

import hookmock
from hookmock.authoring import schema_uri
from hookmock.providers.stripe._catalog import catalog as hand_catalog

SEEDS = range(40)
SNAPSHOT = [t for t in hookmock.types("stripe") if not t.startswith(("v1.", "v2."))]
ASYNC_METHODS = {"us_bank_account", "sepa_debit", "acss_debit", "bacs_debit", "au_becs_debit"}


def obj(type_: str, seed: int, **kw: Any) -> dict[str, Any]:
    found: dict[str, Any] = hookmock.stripe.event(type_, seed=seed, **kw).payload["data"]["object"]
    return found


# -- event time -----------------------------------------------------------------------------------
@pytest.mark.parametrize("type_", [t for t in SNAPSHOT if t.endswith(".created")])
def test_a_created_event_is_sent_within_two_seconds_of_its_object(type_: str) -> None:
    for seed in range(3):
        payload = hookmock.stripe.event(type_, seed=seed).payload
        made = payload["data"]["object"].get("created")
        if isinstance(made, int):
            assert 0 <= payload["created"] - made <= 2, (type_, seed, payload["created"] - made)


def test_a_card_charge_succeeded_shares_the_second_of_its_charge() -> None:
    cards = 0
    for seed in SEEDS:
        payload = hookmock.stripe.event("charge.succeeded", seed=seed).payload
        charge = payload["data"]["object"]
        if charge["payment_method_details"]["type"] == "card":
            cards += 1
            assert payload["created"] == charge["created"], seed
    assert cards > len(SEEDS) // 2


# -- async states ---------------------------------------------------------------------------------
def test_pending_charges_and_processing_intents_use_asynchronous_methods() -> None:
    for seed in SEEDS:
        pending = obj("charge.pending", seed)
        assert pending["payment_method_details"]["type"] in ASYNC_METHODS, seed
        processing = obj("payment_intent.processing", seed)
        assert set(processing["payment_method_types"]) <= ASYNC_METHODS, seed
        assert processing["processing"] is None  # only a card reports a processing hash


# -- omitted, not null ----------------------------------------------------------------------------
def _schema_props(type_: str) -> tuple[set[str], set[str]]:
    """(optional-not-nullable, required) properties of the type's data.object def."""
    doc = hookmock.schema("stripe", type_)
    ref = doc["properties"]["data"]["properties"]["object"]["$ref"]
    defs = json.loads((hookmock.provider("stripe").schema_dir() / ref).read_text(encoding="utf-8"))
    required = set(defs.get("required", ()))
    optional = {
        name
        for name, spec in defs["properties"].items()
        if name not in required and '"null"' not in json.dumps(spec)
    }
    return optional, required


def test_optional_fields_that_are_not_nullable_are_left_out_not_null() -> None:
    for type_ in ("charge.refund.updated", "refund.created", "payment_intent.succeeded"):
        optional, _ = _schema_props(type_)
        for seed in range(10):
            found = obj(type_, seed)
            nulls = [k for k in optional if k in found and found[k] is None]
            assert nulls == [], (type_, seed, nulls)
    for seed in SEEDS:
        refund = obj("charge.refund.updated", seed)
        assert ("failure_reason" in refund) == (refund["status"] == "failed"), seed
        error = obj("payment_intent.payment_failed", seed, traits="generic_decline")
        assert "param" not in error["last_payment_error"], seed


# -- every field of the pinned API version --------------------------------------------------------
@pytest.mark.parametrize("type_", sorted(hand_catalog()))
def test_hand_built_objects_carry_every_field_the_pinned_version_requires(type_: str) -> None:
    doc = hookmock.schema("stripe", type_)
    ref = doc["properties"]["data"]["properties"]["object"].get("$ref")
    if ref is None:
        pytest.skip("a union of objects: the schema check covers it")
    _, required = _schema_props(type_)
    for seed in range(3):
        found = obj(type_, seed)
        missing = sorted(required - set(found))
        if type_ == "invoice.upcoming":
            missing = [m for m in missing if m != "id"]  # Stripe's preview has no id
        assert missing == [], (type_, seed, missing)
    assert schema_uri("stripe", type_).endswith(f"/{type_}.json")


def test_the_fields_the_issue_names_are_there() -> None:
    pi = obj("payment_intent.succeeded", 1)
    assert "customer_account" in pi
    assert "managed_payments" in obj("checkout.session.completed", 1)
    refund = obj("refund.created", 1)
    assert {"customer", "payment_method", "customer_account"} <= set(refund)
    for line in obj("invoice.paid", 1)["lines"]["data"]:
        assert {"subscription", "quantity_decimal"} <= set(line)


# -- ids ------------------------------------------------------------------------------------------
def test_ids_have_stripes_lengths_per_prefix() -> None:
    lengths: dict[str, set[int]] = collections.defaultdict(set)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and (key == "id" or key in ("customer", "charge")):
                    match = re.fullmatch(r"(cus_|pi_|ch_|evt_|cs_test_)([A-Za-z0-9]+)", value)
                    if match:
                        lengths[match.group(1)].add(len(match.group(2)))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for type_ in (
        "payment_intent.succeeded",
        "charge.succeeded",
        "checkout.session.completed",
        "customer.created",
        "invoice.paid",
        "charge.dispute.created",
    ):
        for seed in range(10):
            walk(hookmock.stripe.event(type_, seed=seed).payload)
    assert lengths["cus_"] == {14}
    assert lengths["pi_"] == lengths["ch_"] == lengths["evt_"] == {24}
    assert lengths["cs_test_"] == {58}


# -- consistency ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "type_", ["payment_intent.succeeded", "charge.succeeded", "charge.updated"]
)
def test_a_descriptions_order_number_is_metadata_order_id(type_: str) -> None:
    orders = 0
    for seed in SEEDS:
        found = obj(type_, seed)
        order = found["metadata"].get("order_id")
        if order is None:
            assert found.get("description") is None or "#" not in found["description"], seed
        else:
            orders += 1
            assert found["description"] == f"Order #{order}", seed
    assert orders > 0


# -- variety --------------------------------------------------------------------------------------
def test_default_payments_vary_like_real_traffic() -> None:
    methods = collections.Counter()
    wallets = three_ds = zero_decimal = 0
    for seed in range(80):
        details = obj("charge.succeeded", seed)["payment_method_details"]
        methods[details["type"]] += 1
        card = details.get("card") or {}
        wallets += card.get("wallet") is not None
        three_ds += card.get("three_d_secure") is not None
        zero_decimal += obj("payment_intent.succeeded", seed)["currency"] in ("jpy", "krw")
    assert methods["card"] > 40
    assert len(methods) >= 4, methods
    assert wallets > 0
    assert three_ds > 0
    assert zero_decimal > 0


def test_default_checkouts_and_invoices_vary_like_real_traffic() -> None:
    modes = collections.Counter()
    guests = session_discounts = session_taxes = invoice_discounts = invoice_taxes = 0
    for seed in range(80):
        session = obj("checkout.session.completed", seed)
        modes[session["mode"]] += 1
        guests += session["mode"] == "payment" and session["customer"] is None
        totals = session["total_details"] or {}
        session_discounts += bool(totals.get("amount_discount"))
        session_taxes += bool(totals.get("amount_tax"))
        invoice = obj("invoice.paid", seed)
        invoice_discounts += bool(invoice["total_discount_amounts"])
        invoice_taxes += bool(invoice["total_taxes"])
    assert modes["payment"] > modes["subscription"] > 0
    assert modes["setup"] > 0
    assert guests > 0
    assert session_discounts > 0
    assert session_taxes > 0
    assert invoice_discounts > 0
    assert invoice_taxes > 0


def test_default_subscriptions_have_several_shapes_and_updates() -> None:
    shapes = set()
    changes = collections.Counter()
    for seed in range(80):
        sub = obj("customer.subscription.created", seed)
        items = sub["items"]["data"]
        shapes.add(
            (
                items[0]["price"]["recurring"]["interval"],
                len(items) > 1,
                sub["trial_end"] is not None,
            )
        )
        previous = hookmock.stripe.event("customer.subscription.updated", seed=seed).payload[
            "data"
        ]["previous_attributes"]
        changes[
            "items" if "items" in previous else "cancel" if "cancel_at" in previous else "?"
        ] += 1
    intervals = {s[0] for s in shapes}
    assert intervals == {"month", "year"}
    assert any(s[1] for s in shapes)
    assert any(s[2] for s in shapes)
    assert changes["items"] > 0
    assert changes["cancel"] > 0


def test_traits_ask_for_each_shape() -> None:
    card = obj("charge.succeeded", 2, traits="wallet")["payment_method_details"]["card"]
    assert card["wallet"] is not None
    assert obj("charge.succeeded", 2, traits="zero_decimal")["currency"] in ("jpy", "krw")
    assert obj("checkout.session.completed", 2, traits="setup")["mode"] == "setup"
    guest = obj("checkout.session.completed", 2, traits="guest")
    assert (guest["mode"], guest["customer"]) == ("payment", None)
    plan = hookmock.stripe.event("customer.subscription.updated", seed=2, traits="plan_change")
    old = plan.payload["data"]["previous_attributes"]["items"]["data"][0]["price"]["id"]
    assert old != plan.payload["data"]["object"]["items"]["data"][0]["price"]["id"]
    qty = hookmock.stripe.event("customer.subscription.updated", seed=2, traits="quantity_change")
    before = qty.payload["data"]["previous_attributes"]["items"]["data"][0]["quantity"]
    assert before < qty.payload["data"]["object"]["items"]["data"][0]["quantity"]
    with pytest.raises(hookmock.TraitError, match="exclude each other"):
        hookmock.stripe.event("checkout.session.completed", traits=["setup", "guest"])
