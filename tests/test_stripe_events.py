"""Stripe events are coherent: state fits the type, ids link up, times line up, overrides steer."""

from __future__ import annotations

import random
import re

import pytest

import hookmock
from hookmock import OverrideError, TraitError, UnknownTypeError
from hookmock.providers.stripe._catalog import catalog as hand_catalog

# The types hand-written factories build (the rest are generated: tests/test_stripe_catalog.py).
TYPES = sorted(hand_catalog())
SEEDS = range(20)

# The "Types receivers handle most" list from the webhook facts.
MOST_HANDLED = [
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.processing",
    "payment_intent.canceled",
    "payment_intent.requires_action",
    "payment_intent.created",
    "payment_intent.amount_capturable_updated",
    "payment_intent.partially_funded",
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
    "invoice.created",
    "invoice.finalized",
    "invoice.paid",
    "invoice.payment_succeeded",
    "invoice.payment_failed",
    "invoice.payment_action_required",
    "invoice.upcoming",
    "invoice.voided",
    "invoice.marked_uncollectible",
    "invoice.overdue",
    "invoice.will_be_due",
    "customer.created",
    "customer.updated",
    "customer.deleted",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.trial_will_end",
    "customer.subscription.paused",
    "customer.subscription.resumed",
    "customer.subscription.pending_update_applied",
    "customer.subscription.pending_update_expired",
    "charge.succeeded",
    "charge.failed",
    "charge.captured",
    "charge.refunded",
    "charge.updated",
    "charge.expired",
    "charge.pending",
    "charge.dispute.created",
    "charge.dispute.updated",
    "charge.dispute.closed",
    "charge.dispute.funds_withdrawn",
    "charge.dispute.funds_reinstated",
    "refund.created",
    "refund.updated",
    "refund.failed",
    "payout.created",
    "payout.paid",
    "payout.failed",
    "payout.canceled",
    "setup_intent.succeeded",
    "setup_intent.setup_failed",
    "setup_intent.created",
    "payment_method.attached",
    "payment_method.detached",
    "payment_method.updated",
    "product.created",
    "product.updated",
    "product.deleted",
    "price.created",
    "price.updated",
    "price.deleted",
]

ID_RE = re.compile(
    r"^(?:[a-z]+_)+(?:[A-Za-z0-9]{14}|[A-Za-z0-9]{16}|[A-Za-z0-9]{24}|[A-Za-z0-9]{58})$"
)
KNOWN_PREFIXES = [
    "evt_",
    "pi_",
    "ch_",
    "cus_",
    "in_",
    "il_",
    "ii_",
    "sub_",
    "si_",
    "cs_test_",
    "cs_live_",
    "re_",
    "dp_",
    "pm_",
    "price_",
    "prod_",
    "seti_",
    "po_",
    "txn_",
    "req_",
    "inpay_",
    "pmc_",
    "setatt_",
    "ba_",
    "txi_",
]


def _walk(node: object, path: str = ""):  # type: ignore[no-untyped-def]
    if isinstance(node, dict):
        for k, v in node.items():
            yield f"{path}/{k}", k, v
            yield from _walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}/{i}")


def obj(type_: str, seed: int = 1, **kw: object) -> dict:
    return hookmock.stripe.event(type_, seed=seed, **kw).payload["data"]["object"]  # type: ignore[no-any-return]


# -- the catalog ---------------------------------------------------------------------------------


def test_the_catalog_is_sorted_broad_and_covers_what_receivers_handle_most() -> None:
    assert sorted(TYPES) == TYPES
    assert len(TYPES) >= 60
    assert [t for t in MOST_HANDLED if t not in TYPES] == []


def test_every_type_has_a_one_line_description() -> None:
    for t in TYPES:
        text = hookmock.stripe.describe(t)
        assert text, t
        assert "\n" not in text, t


def test_an_unknown_type_suggests_the_closest_names() -> None:
    with pytest.raises(UnknownTypeError) as info:
        hookmock.stripe.event("payment_intent.succeded")
    assert "payment_intent.succeeded" in info.value.suggestions
    assert "Did you mean 'payment_intent.succeeded'" in str(info.value)


# -- envelope ------------------------------------------------------------------------------------


@pytest.mark.parametrize("type_", TYPES)
def test_the_envelope_is_complete_and_ids_look_like_stripes(type_: str) -> None:
    for seed in range(8):
        p = hookmock.stripe.event(type_, seed=seed).payload
        assert list(p) == [
            "id",
            "object",
            "api_version",
            "created",
            "data",
            "livemode",
            "pending_webhooks",
            "request",
            "type",
        ]
        assert p["object"] == "event"
        assert p["type"] == type_
        assert p["livemode"] is False
        assert p["api_version"] == "2026-10-28.endive"
        assert isinstance(p["created"], int)
        assert isinstance(p["pending_webhooks"], int)
        assert set(p["request"]) == {"id", "idempotency_key"}
        for where, key, value in _walk(p):
            if key == "id" and isinstance(value, str) and where != "/request/id":
                assert ID_RE.match(value), (where, value)
                assert value.startswith(tuple(KNOWN_PREFIXES)), (where, value)
            if key == "currency" and value is not None:
                assert re.fullmatch(r"[a-z]{3}", value), (where, value)
        has_prev = "previous_attributes" in p["data"]
        if type_.endswith(".updated"):
            assert has_prev, type_
        elif has_prev:
            assert type_.rsplit(".", 1)[1] in {
                "paused",
                "resumed",
                "pending_update_applied",
                "pending_update_expired",
                "detached",
            }, type_


def test_automatic_events_have_a_null_request_id_and_api_ones_a_request() -> None:
    for t in ("invoice.upcoming", "payout.paid", "customer.subscription.trial_will_end"):
        assert hookmock.stripe.event(t, seed=1).payload["request"] == {
            "id": None,
            "idempotency_key": None,
        }
    req = hookmock.stripe.event("customer.created", seed=1).payload["request"]
    assert re.fullmatch(r"req_[A-Za-z0-9]{14}", req["id"])  # Stripe's request ids are short
    assert isinstance(req["idempotency_key"], str)


def test_options_set_api_version_livemode_and_connect_account() -> None:
    ev = hookmock.stripe.event(
        "checkout.session.completed",
        seed=3,
        api_version="2024-06-20",
        livemode=True,
        account="acct_1032D82eZvKYlo2C",
    )
    p = ev.payload
    assert p["api_version"] == "2024-06-20"
    assert p["livemode"] is True
    assert p["data"]["object"]["livemode"] is True
    assert p["account"] == "acct_1032D82eZvKYlo2C"
    assert list(p)[:3] == ["id", "object", "account"]
    assert p["data"]["object"]["id"].startswith("cs_live_")
    assert "v0=" not in ev.headers(secret="whsec_x")["Stripe-Signature"]


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("api_version", 20261028, "api_version must be"),
        ("livemode", "yes", "livemode must be True or False"),
        ("account", "1032D82eZvKYlo2C", "acct_"),
    ],
)
def test_a_bad_option_is_a_clear_error(option: str, value: object, words: str) -> None:
    with pytest.raises(hookmock.ConfigurationError, match=words):
        hookmock.stripe.event("customer.created", seed=1, **{option: value})


def test_importing_the_stripe_provider_loads_no_heavy_dependency() -> None:
    import subprocess
    import sys

    code = (
        "import sys, hookmock; hookmock.stripe.types(); hookmock.stripe.describe('charge.failed');"
        "print(sorted(m for m in ('faker', 'jsonschema', 'stripe', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


# -- state fits the type ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_payment_intent_states(seed: int) -> None:
    pi = obj("payment_intent.succeeded", seed)
    assert pi["status"] == "succeeded"
    assert pi["amount_received"] == pi["amount"] > 0
    assert pi["latest_charge"].startswith("ch_")
    assert pi["customer"].startswith("cus_")

    failed = obj("payment_intent.payment_failed", seed)
    err = failed["last_payment_error"]
    assert failed["status"] == "requires_payment_method"
    assert failed["amount_received"] == 0
    assert err["type"] == "card_error"
    assert err["code"] in {"card_declined", "expired_card", "incorrect_cvc", "processing_error"}
    assert err["decline_code"] in {
        "generic_decline",
        "insufficient_funds",
        "lost_card",
        "stolen_card",
        "do_not_honor",
        "expired_card",
        "incorrect_cvc",
        "processing_error",
    }
    assert err["charge"] == failed["latest_charge"]
    assert err["payment_method"]["customer"] == failed["customer"]

    canceled = obj("payment_intent.canceled", seed)
    assert canceled["status"] == "canceled"
    assert canceled["canceled_at"] is not None
    held = obj("payment_intent.amount_capturable_updated", seed)
    assert held["status"] == "requires_capture"
    assert held["amount_capturable"] == held["amount"]
    action = obj("payment_intent.requires_action", seed)
    assert action["status"] == "requires_action"
    assert action["next_action"]["type"]


@pytest.mark.parametrize("seed", SEEDS)
def test_charge_states(seed: int) -> None:
    ch = obj("charge.succeeded", seed)
    assert ch["status"] == "succeeded"
    assert ch["paid"]
    assert ch["captured"]
    assert ch["amount_captured"] == ch["amount"]
    assert ch["payment_intent"].startswith("pi_")
    refunded = obj("charge.refunded", seed)
    assert refunded["refunded"] is True
    assert refunded["amount_refunded"] == refunded["amount"]
    failed = obj("charge.failed", seed)
    assert failed["status"] == "failed"
    assert not failed["paid"]
    assert failed["failure_code"]
    assert failed["outcome"]["type"] == "issuer_declined"
    expired = obj("charge.expired", seed)
    assert expired["captured"] is False
    assert expired["refunded"] is True
    card = obj("charge.succeeded", seed, traits="three_d_secure")["payment_method_details"]["card"]
    assert card["three_d_secure"]["result"] == "authenticated"
    assert re.fullmatch(r"\d{4}", card["last4"])


@pytest.mark.parametrize("seed", SEEDS)
def test_billing_states(seed: int) -> None:
    deleted = obj("customer.subscription.deleted", seed)
    assert deleted["status"] == "canceled"
    assert deleted["ended_at"] is not None
    assert deleted["canceled_at"] is not None
    trial = obj("customer.subscription.trial_will_end", seed)
    assert trial["status"] == "trialing"
    assert trial["trial_end"] > trial["trial_start"]
    assert obj("customer.subscription.created", seed, traits="trialing")["status"] == "trialing"

    paid = obj("invoice.paid", seed)
    assert paid["status"] == "paid"
    assert paid["amount_paid"] == paid["amount_due"]
    assert paid["amount_remaining"] == 0
    assert paid["status_transitions"]["paid_at"]
    assert paid["subtotal"] == sum(line["amount"] for line in paid["lines"]["data"])
    discounts = sum(d["amount"] for d in paid["total_discount_amounts"])
    taxes = sum(t["amount"] for t in paid["total_taxes"])
    assert paid["total"] == paid["subtotal"] - discounts + taxes
    failed = obj("invoice.payment_failed", seed)
    assert failed["status"] == "open"
    assert failed["attempted"]
    assert failed["amount_paid"] == 0
    assert failed["next_payment_attempt"] is not None
    assert obj("invoice.voided", seed)["status"] == "void"
    assert obj("invoice.marked_uncollectible", seed)["status"] == "uncollectible"
    assert "id" not in obj("invoice.upcoming", seed)

    done = obj("checkout.session.completed", seed)
    # A setup-mode session collects a payment method and takes no payment.
    paid_status = "no_payment_required" if done["mode"] == "setup" else "paid"
    assert (done["status"], done["payment_status"]) == ("complete", paid_status)
    expired = obj("checkout.session.expired", seed)
    assert (expired["status"], expired["payment_status"]) == ("expired", "unpaid")
    sub_checkout = obj("checkout.session.completed", seed, traits="subscription")
    assert sub_checkout["mode"] == "subscription"
    assert sub_checkout["subscription"]


def test_other_states() -> None:
    assert obj("payout.paid")["status"] == "paid"
    assert obj("payout.failed")["failure_code"]
    assert obj("refund.failed")["status"] == "failed"
    assert obj("setup_intent.succeeded")["status"] == "succeeded"
    assert obj("setup_intent.setup_failed")["last_setup_error"]["code"]
    assert obj("payment_method.detached")["customer"] is None
    assert obj("payment_method.attached")["customer"].startswith("cus_")
    assert obj("charge.dispute.closed")["status"] in {"won", "lost"}
    assert obj("charge.dispute.created")["status"] == "needs_response"


# -- linked ids and times -------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_linked_ids_agree(seed: int) -> None:
    inv = obj("invoice.paid", seed)
    sub_id = inv["parent"]["subscription_details"]["subscription"]
    line = inv["lines"]["data"][0]
    assert line["parent"]["subscription_item_details"]["subscription"] == sub_id
    assert line["invoice"] == inv["id"]
    sub = obj("customer.subscription.created", seed)
    for item in sub["items"]["data"]:
        assert item["subscription"] == sub["id"]
        assert item["plan"]["id"] == item["price"]["id"]
    dispute = obj("charge.dispute.created", seed)
    assert all(t["source"] == dispute["id"] for t in dispute["balance_transactions"])


@pytest.mark.parametrize("type_", TYPES)
def test_times_are_coherent(type_: str) -> None:
    for seed in range(10):
        p = hookmock.stripe.event(type_, seed=seed).payload
        o = p["data"]["object"]
        if type_ != "invoice.upcoming":  # a preview carries the future creation time
            assert o.get("created", o.get("date")) <= p["created"], (type_, seed)
        for key in ("canceled_at", "ended_at", "paid_at", "voided_at", "finalized_at"):
            for _where, k, value in _walk(o):
                if k == key and value is not None:
                    assert value <= p["created"], (type_, seed, key)
        if "trial_start" in o and o["trial_start"] is not None:
            assert o["trial_start"] < o["trial_end"]
        for item in o.get("items", {}).get("data", []):
            assert item["current_period_start"] < item["current_period_end"]


@pytest.mark.parametrize(
    "type_",
    [t for t in TYPES if "previous_attributes" in hookmock.stripe.event(t, seed=0).payload["data"]],
)
def test_previous_attributes_differ_from_the_current_values(type_: str) -> None:
    def differ(prev: dict, cur: dict, where: str) -> None:
        for k, old in prev.items():
            now = cur.get(k)
            if isinstance(old, dict) and isinstance(now, dict) and old:
                differ(old, now, f"{where}.{k}")
            else:
                assert old != now, f"{type_}: {where}.{k} is {old!r} before and after"

    for seed in SEEDS:
        data = hookmock.stripe.event(type_, seed=seed).payload["data"]
        assert data["previous_attributes"], type_
        differ(data["previous_attributes"], data["object"], "data.object")


# -- determinism ----------------------------------------------------------------------------------


@pytest.mark.parametrize("type_", TYPES)
def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(type_: str) -> None:
    a = hookmock.stripe.event(type_, seed=42)
    b = hookmock.stripe.event(type_, seed=42)
    c = hookmock.stripe.event(type_, seed=43)
    assert a.body == b.body
    assert a.id == b.id
    assert c.id != a.id
    assert c.body != a.body
    assert a.body.startswith(b'{\n  "id": "evt_')  # pretty-printed like Stripe


def test_generation_leaves_the_global_random_state_alone() -> None:
    state = random.getstate()
    hookmock.stripe.event("invoice.paid", seed=5)
    assert random.getstate() == state


# -- overrides and traits ---------------------------------------------------------------------------


def test_an_overridden_amount_moves_the_fields_derived_from_it() -> None:
    pi = obj("payment_intent.succeeded", 7, data__object__amount=4999)
    assert pi["amount"] == pi["amount_received"] == 4999
    ch = obj("charge.refunded", 7, data__object__amount=1234)
    assert ch["amount_captured"] == ch["amount_refunded"] == 1234
    held = obj("payment_intent.amount_capturable_updated", 7, data__object__amount=777)
    assert held["amount_capturable"] == 777
    inv = obj("invoice.paid", 7, data__object__amount_due=2500)
    assert inv["amount_paid"] == 2500


def test_an_overridden_currency_and_customer_move_the_whole_object() -> None:
    inv = obj("invoice.paid", 7, data__object__currency="eur", data__object__customer="cus_ABC")
    assert {line["currency"] for line in inv["lines"]["data"]} == {"eur"}
    assert inv["customer"] == "cus_ABC"
    sub = obj("customer.subscription.created", 7, data__object__currency="gbp")
    assert sub["items"]["data"][0]["price"]["currency"] == "gbp"
    pi = obj("payment_intent.payment_failed", 7, data__object__customer="cus_ABC")
    assert pi["last_payment_error"]["payment_method"]["customer"] == "cus_ABC"


def test_nested_dict_overrides_deep_merge_and_none_sets_null() -> None:
    ev = hookmock.stripe.event(
        "charge.succeeded",
        seed=7,
        overrides={"data": {"object": {"billing_details": {"name": "Ada"}, "description": None}}},
    )
    details = ev.payload["data"]["object"]["billing_details"]
    assert details["name"] == "Ada"
    assert "@" in details["email"]
    assert ev.payload["data"]["object"]["description"] is None
    assert b'"name": "Ada"' in ev.body


def test_metadata_is_free_form_but_a_typo_is_an_error_naming_the_nearest_field() -> None:
    meta = obj("customer.created", 7, data__object__metadata__tenant="t_1")["metadata"]
    assert meta["tenant"] == "t_1"
    with pytest.raises(OverrideError) as info:
        hookmock.stripe.event("payment_intent.succeeded", seed=7, data__object__amont=1)
    assert "data__object__amount" in str(info.value)
    ev = hookmock.stripe.event(
        "payment_intent.succeeded", seed=7, data__object__x_custom=hookmock.new(1)
    )
    assert ev.payload["data"]["object"]["x_custom"] == 1


def test_replace_rebuilds_the_same_event_with_one_more_change() -> None:
    ev = hookmock.stripe.event("payment_intent.succeeded", seed=7)
    again = ev.replace(data__object__amount=5000)
    assert again.id == ev.id
    assert again.payload["data"]["object"]["amount_received"] == 5000


def test_traits_are_listed_and_an_unknown_one_is_refused() -> None:
    assert "three_d_secure" in hookmock.stripe.traits_for("charge.succeeded")
    assert "trialing" in hookmock.stripe.traits_for("customer.subscription.created")
    with pytest.raises(TraitError, match="three_d_secure"):
        hookmock.stripe.event("charge.succeeded", traits="three_d_secur")
    uncaptured = obj("charge.succeeded", 1, traits="uncaptured")
    assert uncaptured["captured"] is False
    assert uncaptured["amount_captured"] == 0


def test_a_decline_trait_picks_the_decline_code() -> None:
    for t in ("payment_intent.payment_failed", "charge.failed", "setup_intent.setup_failed"):
        assert "insufficient_funds" in hookmock.stripe.traits_for(t)
    err = obj("payment_intent.payment_failed", 3, traits="insufficient_funds")["last_payment_error"]
    assert (err["code"], err["decline_code"]) == ("card_declined", "insufficient_funds")
    ch = obj("charge.failed", 3, traits="expired_card")
    assert ch["failure_code"] == "expired_card"
    assert ch["outcome"]["reason"] == "expired_card"


def test_a_partial_refund_leaves_the_charge_not_fully_refunded() -> None:
    ev = hookmock.stripe.event("charge.refunded", seed=3, traits="partial")
    ch = ev.payload["data"]["object"]
    assert ch["refunded"] is False
    assert 0 < ch["amount_refunded"] < ch["amount"]
    assert hookmock.validate(ev.payload) == ("stripe", "charge.refunded")


@pytest.mark.parametrize("type_", [t for t in TYPES if t.startswith("invoice.")])
def test_an_invoice_is_created_then_finalized_then_paid(type_: str) -> None:
    for seed in range(10):
        inv = obj(type_, seed)
        st = inv["status_transitions"]
        if st["finalized_at"] is not None:
            assert inv["created"] < st["finalized_at"] == inv["effective_at"]
        if st["paid_at"] is not None:
            assert st["finalized_at"] < st["paid_at"]
        if inv["due_date"] is not None:
            assert inv["due_date"] > inv["created"]
        for line in inv["lines"]["data"]:
            assert line["period"]["start"] <= line["period"]["end"]


def test_an_overridden_id_moves_the_ids_that_point_at_it() -> None:
    pi = obj("payment_intent.succeeded", 2, data__object__id="pi_3MtwBwLkdIwHu7ix28a3tqPa")
    assert pi["client_secret"].startswith("pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_")
    inv = obj("invoice.paid", 2, data__object__id="in_1MtHbELkdIwHu7ixl4OzzPMv")
    assert inv["lines"]["data"][0]["invoice"] == "in_1MtHbELkdIwHu7ixl4OzzPMv"
    sub = obj("customer.subscription.updated", 2, data__object__id="sub_1MowQVLkdIwHu7ixeRlqHVzs")
    assert sub["items"]["data"][0]["subscription"] == "sub_1MowQVLkdIwHu7ixeRlqHVzs"


# -- what a webhook leaves out, and invoices' variety ------------------------------------------------


@pytest.mark.parametrize("type_", [t for t in TYPES if t.startswith("invoice.")])
def test_invoices_leave_out_the_fields_only_an_expand_includes(type_: str) -> None:
    # A receiver reading invoice.payments would pass here and fail on a real webhook.
    for seed in range(10):
        inv = obj(type_, seed)
        assert "payments" not in inv, (type_, seed)
        assert "confirmation_secret" not in inv, (type_, seed)


def test_an_invoice_payment_is_paid_after_its_invoice_was_finalized() -> None:
    for seed in range(10):
        ev = hookmock.stripe.event("invoice_payment.paid", seed=seed).payload
        pay = ev["data"]["object"]
        assert pay["status"] == "paid"
        assert pay["amount_paid"] == pay["amount_requested"]
        assert pay["created"] < pay["status_transitions"]["paid_at"] <= ev["created"]
        assert pay["invoice"].startswith("in_")
        assert pay["payment"]["payment_intent"].startswith("pi_")


def test_an_upcoming_invoice_has_temporary_line_ids_and_says_it_is_a_preview() -> None:
    for seed in range(10):
        inv = obj("invoice.upcoming", seed)
        assert inv["billing_reason"] == "upcoming"
        for line in inv["lines"]["data"]:
            assert line["id"].startswith("il_tmp_"), line["id"]


def test_paid_invoices_vary_in_reason_and_attempts_and_stay_consistent() -> None:
    seen = set()
    for type_ in ("invoice.paid", "invoice.payment_succeeded"):
        for seed in range(60):
            inv = obj(type_, seed)
            reason, attempts = inv["billing_reason"], inv["attempt_count"]
            seen.add((reason, attempts > 1))
            assert inv["attempted"] is True
            assert attempts >= 1  # any attempt counts as the first
            st = inv["status_transitions"]
            if reason == "subscription_create":
                assert attempts == 1
                assert inv["period_start"] == inv["period_end"] == inv["created"]
            else:
                assert reason == "subscription_cycle"
                assert inv["period_start"] < inv["period_end"]
                # each automatic retry came a day or more after the one before
                assert st["paid_at"] - st["finalized_at"] >= 86400 * (attempts - 1)
    assert seen == {
        ("subscription_create", False),
        ("subscription_cycle", False),
        ("subscription_cycle", True),
    }


def test_a_trait_picks_a_paid_invoices_billing_reason() -> None:
    for seed in range(10):
        first = obj("invoice.paid", seed, traits="subscription_create")
        assert first["billing_reason"] == "subscription_create"
        renewal = obj("invoice.payment_succeeded", seed, traits="subscription_cycle")
        assert renewal["billing_reason"] == "subscription_cycle"


def test_an_attempted_invoice_counts_at_least_one_attempt() -> None:
    for type_ in (t for t in TYPES if t.startswith("invoice.")):
        for seed in range(10):
            inv = obj(type_, seed)
            assert (inv["attempt_count"] >= 1) == inv["attempted"], (type_, seed)


# -- previous_attributes after overrides ------------------------------------------------------------


def test_overriding_the_changed_field_drops_the_previous_value_it_now_equals() -> None:
    plain = hookmock.stripe.event("customer.subscription.updated", seed=1).payload["data"]
    assert plain["previous_attributes"]["cancel_at_period_end"] is False
    data = hookmock.stripe.event(
        "customer.subscription.updated", seed=1, data__object__cancel_at_period_end=False
    ).payload["data"]
    assert "cancel_at_period_end" not in data["previous_attributes"]
    # the other changed fields are still reported
    assert data["previous_attributes"]["canceled_at"] is None
    # nested: cancellation_details.reason back to its old value removes the whole entry
    data = hookmock.stripe.event(
        "customer.subscription.updated",
        seed=1,
        data__object__cancellation_details__reason=None,
    ).payload["data"]
    assert "cancellation_details" not in data["previous_attributes"]


def test_previous_attributes_the_user_set_are_left_as_given() -> None:
    data = hookmock.stripe.event(
        "customer.subscription.updated",
        seed=1,
        data__object__cancel_at_period_end=False,
        data__previous_attributes__cancel_at_period_end=False,
    ).payload["data"]
    assert data["previous_attributes"]["cancel_at_period_end"] is False
