"""Contracts that deliver a story: `story:` entries checked at load and run with send_story."""

from __future__ import annotations

import pytest
from _helpers_cli import cli
from _helpers_contract import STRIPE_SECRET, ReferenceReceiver, write

import hookmock
from hookmock.contracts import ContractError

STRIPE = {"provider": "stripe", "path": "/webhooks/stripe", "secret": STRIPE_SECRET, "seed": 7}


def contract(*deliveries):
    return {**STRIPE, "deliveries": list(deliveries)}


def story_types(name, **params):
    return hookmock.story("stripe", name, seed=0, **params).types()


def test_a_story_delivery_gives_one_row_per_delivered_event():
    report = hookmock.run_contract(
        ReferenceReceiver(),
        contract({"story": "checkout_subscription", "order": "shuffled", "seed": 3}),
    )
    report.assert_ok()
    types = story_types("checkout_subscription")
    assert sorted(r.result.event.type for r in report.rows) == sorted(types)
    assert {r.delivery.label for r in report.rows} == {"story checkout_subscription (shuffled)"}
    # one story: every event shares the customer
    customers = {r.result.event.payload["data"]["object"].get("customer") for r in report.rows} - {
        None
    }
    assert len(customers) == 1


def test_drop_duplicates_and_a_permutation_shape_what_is_delivered():
    types = story_types("checkout_subscription")
    n = len(types)
    report = hookmock.run_contract(
        ReferenceReceiver(),
        contract(
            {
                "story": "checkout_subscription",
                "order": list(reversed(range(n))),
                "drop": ["invoice.paid", 0],
                "duplicates": ["checkout.session.completed"],
            }
        ),
    )
    report.assert_ok()
    got = [r.result.event.type for r in report.rows]
    assert "invoice.paid" not in got
    assert types[0] not in got
    assert got.count("checkout.session.completed") == 2
    assert len(got) == n - 2 + 1
    assert report.rows[0].delivery.label == "story checkout_subscription (permutation)"


def test_params_and_set_tell_the_story_with_them():
    report = hookmock.run_contract(
        ReferenceReceiver(),
        contract(
            {
                "story": "checkout_payment",
                "params": {"amount": 4321},
                "set": {"customer.email": "ops@example.com"},
                "order": "given",
            }
        ),
    )
    report.assert_ok()
    amounts = {
        r.result.event.payload["data"]["object"].get("amount")
        for r in report.rows
        if r.result.event.type.startswith("payment_intent.")
    }
    assert amounts == {4321}


def test_the_same_seed_tells_and_orders_the_same_story():
    runs = [
        [
            r.result.event.id
            for r in hookmock.run_contract(
                ReferenceReceiver(),
                contract({"story": "checkout_subscription", "order": "shuffled"}),
            ).rows
        ]
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


def test_an_expectation_is_judged_on_every_event_of_the_story():
    report = hookmock.run_contract(
        ReferenceReceiver(),
        contract({"story": "checkout_payment", "expect": {"status": 400}}),
    )
    assert not report.ok
    assert all(r.problems for r in report.rows)


@pytest.mark.parametrize(
    ("entry", "key", "message"),
    [
        (
            {"story": "checkout_subscriptoin"},
            "deliveries[0].story",
            "has no story 'checkout_subscriptoin'. Did you mean 'checkout_subscription'?",
        ),
        (
            {"story": "checkout_payment", "params": {"amout": 5}},
            "deliveries[0].params",
            "amout",
        ),
        (
            {"story": "checkout_payment", "order": "sideways"},
            "deliveries[0].order",
            "is not a story order. Give one of provider, given, shuffled, reversed",
        ),
        (
            {"story": "checkout_payment", "order": [0, 0, 1]},
            "deliveries[0].order",
            "is not a permutation of the story's",
        ),
        (
            {"story": "checkout_payment", "drop": ["invoice.paid"]},
            "deliveries[0].drop[0]",
            "drop: 'invoice.paid' names no event of story 'checkout_payment'",
        ),
        (
            {"story": "checkout_payment", "drop": 99},
            "deliveries[0].drop",
            "drop: 99 is not an index",
        ),
        (
            {"story": "checkout_payment", "traits": ["paid"]},
            "deliveries[0].traits",
            "'traits' does not apply to a story delivery",
        ),
        (
            {"batch": ["invoice.paid"], "order": "reversed"},
            "deliveries[0].order",
            "a batch's order is given or shuffled",
        ),
        (
            {"send": "invoice.paid", "drop": 1},
            "deliveries[0].drop",
            "'drop' does not apply to a send delivery",
        ),
    ],
)
def test_a_bad_story_delivery_is_refused_at_load_naming_the_choices(tmp_path, entry, key, message):
    with pytest.raises(ContractError) as caught:
        hookmock.load_contract(contract(entry))
    assert caught.value.key == key, str(caught.value)
    assert message in str(caught.value)


def test_a_yaml_story_delivery_loads_with_its_line(tmp_path):
    path = write(
        tmp_path,
        f"""
        provider: stripe
        secret: {STRIPE_SECRET}
        deliveries:
          - send: invoice.paid
          - story: checkout_payment
            order: reversed
            drop: [charge.succeeded]
            duplicates: 1
            expect: {{status: 2xx}}
        """,
    )
    loaded = hookmock.load_contract(path)
    story = loaded.deliveries[1]
    assert (story.kind, story.target, story.order, story.drop, story.duplicates) == (
        "story",
        "checkout_payment",
        "reversed",
        ("charge.succeeded",),
        1,
    )
    assert story.line == 5
    report = hookmock.run_contract(ReferenceReceiver(), loaded, path="/webhooks/stripe")
    report.assert_ok()
    assert "charge.succeeded" not in [r.result.event.type for r in report.rows[1:]]


def test_hookmock_contract_runs_a_story_delivery_from_the_command_line(tmp_path):
    path = write(
        tmp_path,
        f"""
        provider: stripe
        path: /webhooks/stripe
        secret: {STRIPE_SECRET}
        seed: 3
        deliveries:
          - story: refund
            order: shuffled
            duplicates: 1
        """,
    )
    run = cli("contract", str(path), "--app", "_helpers_contract:make_app()")
    assert run.code == 0, run
    assert "story refund (shuffled)" in run.out
    bad = write(tmp_path, "provider: stripe\ndeliveries:\n  - story: refnud\n", "bad.yaml")
    run = cli("contract", str(bad), "--app", "_helpers_contract:make_app()")
    assert run.code == 2
    assert (
        f"{bad}:3: deliveries[0].story: Stripe has no story 'refnud'. Did you mean 'refund'?"
        in run.err
    )
