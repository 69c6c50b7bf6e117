"""Every Stripe snapshot type of the compiled catalog, as stripe-python receives it.

Each of the 275 types of stripe-python 16's ``enabled_events`` generates, validates against its
compiled schema, passes ``stripe.Webhook.construct_event`` and becomes the typed class the
catalog names for ``data.object``. Three seeds per type in the normal run; set
``HOOKMOCK_CATALOG_SEEDS=20`` for twenty more, drawn from a base that changes daily (in
any failure, so it reruns).
"""

from __future__ import annotations

import importlib
import json

import pytest
import stripe
from _catalog_seeds import catalog_seeds
from _helpers_stripe import problems, resource_class

import hookmock
from hookmock._validation import violations
from hookmock.providers.stripe._generated import snapshot_catalog, thin_catalog

SECRET = "whsec_catalog_check"
SEEDS = catalog_seeds()

SNAPSHOT = sorted(snapshot_catalog()["types"])
THIN = sorted(thin_catalog()["types"])


def _python_class(spec: str) -> type:
    module, _, name = spec.partition(":")
    found: type = getattr(importlib.import_module(module), name)
    return found


CLASSES = {
    kind: _python_class(spec["python_class"])
    for kind, spec in snapshot_catalog()["objects"].items()
}


def test_the_provider_lists_every_compiled_type_once() -> None:
    types = hookmock.types("stripe")
    assert len(SNAPSHOT) == snapshot_catalog()["counts"]["types"] == 275
    assert len(THIN) == thin_catalog()["counts"]["types"] == 326
    assert sorted(types) == sorted(SNAPSHOT + THIN)
    assert len(types) == len(set(types)) == 601


@pytest.mark.parametrize("type_", SNAPSHOT)
def test_every_snapshot_type_passes_its_schema_and_stripe_python(type_: str) -> None:
    for seed in SEEDS:
        ev = hookmock.stripe.event(type_, seed=seed)
        where = f"{type_} seed={seed}"
        assert violations(ev.payload, "stripe", type_) == [], where
        header = ev.headers(secret=SECRET)["Stripe-Signature"]
        parsed = stripe.Webhook.construct_event(ev.body, header, SECRET)
        assert parsed.type == type_, where
        assert parsed.id == ev.id, where
        kind = ev.payload["data"]["object"].get("object")
        want = CLASSES.get(kind)
        assert want is not None, f"{where}: the catalog names no class for {kind!r}"
        assert isinstance(parsed.data.object, want), (where, type(parsed.data.object))
        assert json.loads(ev.body) == ev.payload


@pytest.mark.parametrize(
    "type_", ["charge.succeeded", "issuing_card.created", "radar.early_fraud_warning.created"]
)
def test_validate_detects_the_type_of_a_generated_body(type_: str) -> None:
    ev = hookmock.stripe.event(type_, seed=5)
    assert hookmock.validate(ev.body) == ("stripe", type_)


def test_every_type_has_a_description_and_an_area() -> None:
    provider = hookmock.provider("stripe")
    areas: dict[str, int] = {}
    for type_ in provider.types():
        assert provider.describe(type_), type_
        areas[provider.area(type_)] = areas.get(provider.area(type_), 0) + 1
    for area in ("connect", "issuing", "terminal", "treasury", "radar", "billing", "identity"):
        assert areas.get(area, 0) > 0, (area, areas)
    assert provider.area("account.updated") == "connect"
    assert provider.area("v1.billing.meter.error_report_triggered") == "billing"


def test_overrides_reach_a_generated_type() -> None:
    ev = hookmock.stripe.event(
        "issuing_authorization.created", seed=3, data__object__amount=1234, livemode=True
    )
    assert ev.payload["data"]["object"]["amount"] == 1234
    assert ev.payload["livemode"] is True
    assert json.loads(ev.body)["data"]["object"]["amount"] == 1234


def test_the_same_seed_gives_the_same_body() -> None:
    for type_ in ("terminal.reader.action_succeeded", "v2.core.account.created"):
        assert (
            hookmock.stripe.event(type_, seed=9).body == hookmock.stripe.event(type_, seed=9).body
        )


def test_generated_types_take_the_traits_rules_yaml_declares() -> None:
    provider = hookmock.provider("stripe")
    assert provider.traits_for("issuing_card.created") == ["virtual", "physical"]
    assert provider.traits_for("issuing_authorization.created") == ["declined"]
    declined = hookmock.stripe.event("issuing_authorization.created", seed=2, traits="declined")
    auth = declined.payload["data"]["object"]
    assert (auth["approved"], auth["status"]) == (False, "closed")
    assert violations(declined.payload, "stripe", "issuing_authorization.created") == []
    for trait in ("virtual", "physical"):
        card = hookmock.stripe.event("issuing_card.created", seed=2, traits=trait)
        assert card.payload["data"]["object"]["type"] == trait
    reversed_ = hookmock.stripe.event("transfer.created", seed=2, traits="reversed")
    transfer = reversed_.payload["data"]["object"]
    assert transfer["reversed"] is True
    assert transfer["amount_reversed"] == transfer["amount"]
    with pytest.raises(hookmock.TraitError, match="exclude each other"):
        hookmock.stripe.event("issuing_card.created", traits=["virtual", "physical"])
    with pytest.raises(hookmock.TraitError, match="Did you mean 'virtual'"):
        hookmock.stripe.event("issuing_card.created", traits="virtaul")


@pytest.mark.parametrize("type_", SNAPSHOT)
def test_every_field_is_one_stripe_python_declares_with_a_value_it_allows(type_: str) -> None:
    # tests/_helpers_stripe.py walks the payload next to stripe-python's annotations: an
    # unknown field or a value outside a Literal enum is a problem.
    for seed in SEEDS[:2]:
        ev = hookmock.stripe.event(type_, seed=seed)
        obj = ev.payload["data"]["object"]
        found = problems(obj, resource_class(obj["object"])) + problems(ev.payload, stripe.Event)
        assert found == [], f"{type_} seed={seed}: {found}"
