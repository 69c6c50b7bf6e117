"""Stripe thin events: the notification Stripe POSTs, and the API mock's answers to its fetches.

Every thin type of stripe-python 16's ``stripe/events/`` (269 ``v1.*`` and 57 ``v2.*``) is sent
as the ``v2.core.event`` notification, signed as Stripe signs it, and passes
``StripeClient.parse_event_notification``. With hookmock's API mock running, stripe-python's
``fetch_event()`` and ``fetch_related_object()`` get the full event and the object, consistent
with the notification.
"""

from __future__ import annotations

import datetime

import pytest
import stripe
from _catalog_seeds import catalog_seeds

import hookmock
from hookmock._validation import violations
from hookmock.providers.stripe._generated import thin_catalog

SECRET = "whsec_thin_check"
SEEDS = catalog_seeds()
THIN = sorted(thin_catalog()["types"])
CLIENT = stripe.StripeClient("sk_test_thin_check")


@pytest.mark.parametrize("type_", THIN)
def test_every_thin_type_is_a_notification_stripe_python_parses(type_: str) -> None:
    for seed in SEEDS:
        ev = hookmock.stripe.event(type_, seed=seed)
        where = f"{type_} seed={seed}"
        note = ev.payload
        assert note["object"] == "v2.core.event", where
        assert note["id"].startswith("evt_"), where
        assert "data" not in note, where
        # created is an ISO 8601 string on thin events; meta keeps the unix time for signing.
        stamp = datetime.datetime.fromisoformat(note["created"].replace("Z", "+00:00"))
        assert int(stamp.timestamp()) == ev.created, where
        assert violations(note, "stripe", type_) == [], where
        header = ev.headers(secret=SECRET)["Stripe-Signature"]
        parsed = CLIENT.parse_event_notification(ev.body, header, SECRET)
        assert parsed.type == type_, where
        assert parsed.id == ev.id, where
        with pytest.raises(ValueError, match="thin"):
            stripe.Webhook.construct_event(ev.body, header, SECRET)


@pytest.mark.parametrize("type_", THIN)
def test_fetch_event_and_fetch_related_object_are_answered_by_the_api_mock(type_: str) -> None:
    ev = hookmock.stripe.event(type_, seed=SEEDS[-1])
    note = ev.payload
    with hookmock.api_mock() as api:
        api.feed(ev)
        parsed = CLIENT.parse_event_notification(
            ev.body, ev.headers(secret=SECRET)["Stripe-Signature"], SECRET
        )
        full = parsed.fetch_event()
        assert full.id == ev.id
        assert full.type == type_
        assert full.context == note["context"]
        twin = thin_catalog()["types"][type_].get("snapshot_type")
        snapshot = getattr(full, "snapshot_event", None)
        assert (snapshot or "").startswith("evt_") if twin else snapshot is None
        related = note.get("related_object")
        if related is None:
            assert thin_catalog()["types"][type_]["related_object"] is None
            return
        assert full.related_object.id == related["id"]
        assert full.related_object.url == related["url"]
        obj = parsed.fetch_related_object()
        assert obj.id == related["id"]
        kind = thin_catalog()["types"][type_]["related_object"]["object"]
        assert getattr(obj, "object", kind) == kind
        # A second fetch returns the same body.
        assert parsed.fetch_event().to_dict() == full.to_dict()


def test_a_thin_event_follows_the_event_options() -> None:
    ev = hookmock.stripe.event(
        "v1.billing.meter.error_report_triggered",
        seed=4,
        livemode=True,
        account="acct_1032D82eZvKYlo2C",
    )
    assert ev.payload["livemode"] is True
    assert ev.payload["context"] == "acct_1032D82eZvKYlo2C"
    related = ev.payload["related_object"]
    assert related["type"] == "billing.meter"
    assert related["id"].startswith("mtr_")
    assert related["url"] == f"/v1/billing/meters/{related['id']}"


def test_validate_detects_a_thin_notification_by_its_type() -> None:
    ev = hookmock.stripe.event("v2.core.account[requirements].updated", seed=2)
    assert hookmock.validate(ev.body) == ("stripe", "v2.core.account[requirements].updated")
    broken = dict(ev.payload, created=17)
    with pytest.raises(hookmock.SchemaError, match="/created"):
        hookmock.validate(broken)


def test_the_related_object_of_a_v1_thin_event_is_in_the_state_its_type_says() -> None:
    ev = hookmock.stripe.event("v1.invoice.paid", seed=6)
    with hookmock.api_mock() as api:
        api.feed(ev)
        parsed = CLIENT.parse_event_notification(
            ev.body, ev.headers(secret=SECRET)["Stripe-Signature"], SECRET
        )
        invoice = parsed.fetch_related_object()
        assert isinstance(invoice, stripe.Invoice)
        assert invoice.id == ev.payload["related_object"]["id"]
        assert invoice.status == "paid"
        assert invoice.amount_paid == invoice.amount_due
