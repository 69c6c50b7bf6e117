"""Stories in a load mix: a story's events go out one after another, as one weighted entry."""

from __future__ import annotations

import json
from collections import Counter

import pytest

import hookmock
from hookmock.load import MixError, Pool, Traffic, load_mix

SECRET = "whsec_load_story"


def stripe_traffic(mix: object, *, seed: int = 3) -> Traffic:
    prov = hookmock.provider("stripe")
    return Traffic(Pool(prov, load_mix(mix, prov), SECRET, seed=seed, size=4))


def test_a_story_entry_sends_its_events_in_a_row_sharing_their_objects():
    traffic = stripe_traffic([{"story": "checkout_subscription", "weight": 1}])
    told = hookmock.story("stripe", "checkout_subscription", seed=0)
    n = len(told)
    run = [traffic.next() for _ in range(n)]
    # One story: every event names the same customer, and each type of the story is there.
    assert sorted(d.type for d in run) == sorted(told.types())
    customers = set()
    for d in run:
        obj = json.loads(d.body)["data"]["object"]
        customers.add(obj["id"] if obj["object"] == "customer" else obj.get("customer"))
    assert len(customers - {None}) == 1
    # Each delivery is a fresh event id, signed as Stripe signs it.
    assert len({d.id for d in run}) == n
    for d in run:
        hookmock.stripe.verify(d.body, traffic.headers(d), SECRET)  # raises if it does not
        assert json.loads(d.body)["id"] == d.id


def test_a_story_keeps_per_type_labels_and_its_weight_against_other_entries():
    mix = load_mix({"story:checkout_payment": 1, "invoice.paid": 1}, hookmock.provider("stripe"))
    assert mix.shares() == pytest.approx({"story:checkout_payment": 0.5, "invoice.paid": 0.5})
    traffic = Traffic(Pool(hookmock.provider("stripe"), mix, SECRET, seed=5, size=4))
    names = Counter(traffic.next().template.names["first"] for _ in range(600))
    story_names = {k for k in names if k.startswith("story:checkout_payment/")}
    assert "story:checkout_payment/payment_intent.succeeded" in story_names
    # Half the picks are the story, and each pick sends its whole chain.
    picks_of_story = names[
        "story:checkout_payment/" + hookmock.story("stripe", "checkout_payment", seed=0).types()[0]
    ]
    assert 0.3 < picks_of_story / (picks_of_story + names["invoice.paid"]) < 0.7


def test_a_story_entry_takes_params_and_shared_object_overrides():
    traffic = stripe_traffic(
        [
            {
                "story": "checkout_payment",
                "params": {"amount": 4321},
                "overrides": {"customer": {"email": "load@example.com"}},
            }
        ]
    )
    bodies = [json.loads(traffic.next().body) for _ in range(6)]
    intents = [b for b in bodies if b["type"].startswith("payment_intent.")]
    assert intents
    assert {b["data"]["object"]["amount"] for b in intents} == {4321}


@pytest.mark.parametrize(
    ("mix", "message"),
    [
        (
            [{"story": "checkout_paymnt"}],
            "has no story 'checkout_paymnt'. Did you mean 'checkout_payment'",
        ),
        ([{"story": "checkout_payment", "params": {"amout": 1}}], "Did you mean 'amount'"),
        ([{"story": "checkout_payment", "traits": ["paid"]}], "takes no traits"),
        ([{"type": "invoice.paid", "params": {"a": 1}}], "params belong to a story: entry"),
        ([{"story": "refund", "weight": -2}], "weight must be a number from 0 up"),
    ],
)
def test_a_bad_story_entry_is_refused_naming_the_fix(mix, message):
    with pytest.raises(MixError) as info:
        load_mix(mix, hookmock.provider("stripe"))
    assert message in str(info.value)
