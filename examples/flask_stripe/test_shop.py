"""hookmock tests for the Flask shop: signed Stripe events delivered in-process."""

import pytest
import shop


@pytest.fixture
def stripe_events(hookmock):
    return hookmock.receiver(
        shop.app, path="/webhooks/stripe", provider="stripe", secret=shop.WEBHOOK_SECRET
    )


def test_a_successful_payment_marks_the_order_paid(stripe_events):
    result = stripe_events.send(
        "payment_intent.succeeded", data__object__metadata={"order_id": "42"}
    )
    result.assert_ok()
    assert shop.orders["42"] == "paid"


def test_a_failed_payment_is_recorded(stripe_events):
    stripe_events.send(
        "payment_intent.payment_failed", data__object__metadata={"order_id": "7"}
    ).assert_ok()
    assert shop.orders["7"] == "payment failed"


def test_a_bad_signature_is_rejected(stripe_events):
    stripe_events.send("payment_intent.succeeded", secret="whsec_wrong").assert_rejected()


def test_a_stale_event_is_rejected(stripe_events):
    stripe_events.send("payment_intent.succeeded", timestamp=1_600_000_000).assert_rejected()


def test_an_unknown_type_still_gets_a_2xx(stripe_events):
    stripe_events.send("customer.created").assert_ok()


def test_each_payment_type_reaches_its_handler(stripe_events):
    stripe_events.expect_handler("shop.mark_paid", types=["payment_intent.succeeded"])
    stripe_events.expect_handler("shop.mark_failed", types=["payment_intent.payment_failed"])
    stripe_events.send("payment_intent.succeeded", data__object__metadata={"order_id": "1"})
    stripe_events.send("payment_intent.payment_failed", data__object__metadata={"order_id": "2"})
    stripe_events.assert_all_handled()
