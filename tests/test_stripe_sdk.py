"""Every Stripe catalog type, over many seeds, as stripe-python itself parses and types it."""

from __future__ import annotations

import pytest
import stripe
from _helpers_stripe import hints, problems, resource_class

import hookmock
from hookmock.providers.stripe._catalog import catalog as hand_catalog

#: The hand-built types: this file's field-by-field check reads their type hints deeply; every
#: catalog type passes construct_event and the typed class in tests/test_stripe_catalog.py.
HAND = sorted(hand_catalog())
SEEDS = range(25)
SECRET = "whsec_test_b9f1c0d5e8a7"


@pytest.mark.parametrize("type_", HAND)
def test_stripe_python_accepts_every_type_and_knows_every_field(type_: str) -> None:
    for seed in SEEDS:
        ev = hookmock.stripe.event(type_, seed=seed)
        sig = ev.headers(secret=SECRET)["Stripe-Signature"]
        parsed = stripe.Webhook.construct_event(ev.body, sig, SECRET)

        assert isinstance(parsed, stripe.Event)
        assert parsed.type == type_
        assert parsed.id == ev.id
        data = ev.payload["data"]
        cls = resource_class(data["object"]["object"])
        assert isinstance(parsed.data.object, cls), (type_, seed, type(parsed.data.object))
        found = problems(data["object"], cls)
        assert found == [], f"{type_} seed={seed}: {found}"
        envelope = problems(ev.payload, stripe.Event)
        assert envelope == [], f"{type_} seed={seed}: {envelope}"


@pytest.mark.parametrize("type_", [t for t in HAND if t.endswith(".updated")])
def test_previous_attributes_name_real_fields(type_: str) -> None:
    for seed in range(10):
        ev = hookmock.stripe.event(type_, seed=seed)
        data = ev.payload["data"]
        cls = resource_class(data["object"]["object"])
        known = hints(cls)
        for key in data["previous_attributes"]:
            assert key in known, f"{type_}: previous_attributes.{key} is not a {cls.__name__} field"
        found = problems(data["previous_attributes"], cls)
        assert found == [], f"{type_} seed={seed}: {found}"


def test_the_checker_notices_an_unknown_field_and_a_bad_enum() -> None:
    ev = hookmock.stripe.event("invoice.paid", seed=3)
    obj = ev.payload["data"]["object"]
    obj["collection_method"] = "by_carrier_pigeon"
    obj["lines"]["data"][0]["period"]["finish"] = 1
    found = problems(obj, stripe.Invoice)
    assert any("/collection_method" in p for p in found)
    assert any("/lines/data/0/period/finish" in p for p in found)


def test_the_pinned_api_version_is_stripe_pythons() -> None:
    from hookmock.providers.stripe import API_VERSION

    assert stripe.api_version == API_VERSION
    assert hookmock.stripe.event("customer.created", seed=1).payload["api_version"] == API_VERSION
