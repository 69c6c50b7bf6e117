"""hookmock tests for the re-fetching shop: Stripe's API answers from the delivered events."""

import pytest
import refetch_shop


@pytest.fixture
def stripe_events(hookmock):
    # mock_api=True: while the shop handles each event, its calls to api.stripe.com are answered
    # from the events delivered so far, and recorded in receiver.api.calls.
    return hookmock.receiver(
        refetch_shop.app,
        path="/webhooks/stripe",
        provider="stripe",
        secret=refetch_shop.WEBHOOK_SECRET,
        mock_api=True,
    )


def test_a_payment_is_settled_from_the_refetched_payment_intent(stripe_events):
    result = stripe_events.send(
        "payment_intent.succeeded", data__object__metadata={"order_id": "42"}
    )
    result.assert_ok()
    assert refetch_shop.orders["42"] == "paid"
    pi_id = result.event.payload["data"]["object"]["id"]
    assert [c.path for c in stripe_events.api.calls] == [f"/v1/payment_intents/{pi_id}"]


def test_a_stale_success_event_does_not_mark_a_canceled_payment_paid(stripe_events):
    event = stripe_events.event(
        "payment_intent.succeeded", data__object__metadata={"order_id": "43"}
    )
    # Stripe's truth has moved on since this event was sent: the payment was canceled.
    current = {**event.payload["data"]["object"], "status": "canceled"}
    stripe_events.api.stripe.put(current)
    stripe_events.send(event).assert_ok()
    assert refetch_shop.orders["43"] == "not paid"


def test_a_completed_checkout_ships_its_line_items(stripe_events):
    # traits="payment": a one-off payment (a default session may also be a subscription or
    # a setup session, which carries no line items to ship).
    result = stripe_events.send(
        "checkout.session.completed", traits="payment", data__object__metadata={"order_id": "44"}
    )
    result.assert_ok()
    assert refetch_shop.shipments["44"] == 1
    [call] = stripe_events.api.find("GET", "/v1/checkout/sessions/*")
    assert call.params == {"expand": ["line_items"]}


def test_a_sold_out_order_is_refunded_through_the_api(stripe_events):
    stripe_events.api.add("POST", "/v1/refunds", json={"id": "re_1", "object": "refund"})
    result = stripe_events.send(
        "checkout.session.completed", traits="payment", data__object__metadata={"order_id": "999"}
    )
    result.assert_ok()
    assert refetch_shop.orders["999"] == "refunded"
    [refund] = stripe_events.api.find("POST", "/v1/refunds")
    assert (
        refund.params["payment_intent"] == result.event.payload["data"]["object"]["payment_intent"]
    )


def test_a_bad_signature_is_rejected_before_any_api_call(stripe_events):
    stripe_events.send("payment_intent.succeeded", secret="whsec_wrong").assert_rejected()
    assert stripe_events.api.calls == []


def test_an_unknown_type_gets_a_2xx_and_no_api_call(stripe_events):
    stripe_events.send("customer.created").assert_ok()
    assert stripe_events.api.calls == []
