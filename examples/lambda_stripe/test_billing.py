"""hookmock tests for the Lambda billing handler: API Gateway events built from signed deliveries."""

import billing
import pytest


@pytest.fixture
def stripe_events(hookmock):
    # "module:function", as the function's handler setting names it; the handler object works too.
    return hookmock.receiver(
        "billing:handler", interface="lambda", provider="stripe", secret=billing.WEBHOOK_SECRET
    )


def test_a_paid_invoice_is_recorded(stripe_events):
    result = stripe_events.send("invoice.paid").assert_ok()
    assert result.json() == {"received": result.event.id}
    assert billing.invoices[result.event.payload["data"]["object"]["id"]] == "paid"


def test_a_failed_payment_is_recorded(stripe_events):
    result = stripe_events.send("invoice.payment_failed").assert_ok()
    assert billing.invoices[result.event.payload["data"]["object"]["id"]] == "payment failed"


def test_a_bad_signature_is_rejected(stripe_events):
    stripe_events.send("invoice.paid", secret="whsec_wrong").assert_status(400)


def test_a_stale_event_is_rejected(stripe_events):
    stripe_events.send("invoice.paid", timestamp=1_600_000_000).assert_rejected()


def test_an_unknown_type_still_gets_a_2xx(stripe_events):
    stripe_events.send("customer.created").assert_ok()


def test_each_invoice_type_reaches_its_handler(stripe_events):
    stripe_events.expect_handler("billing.mark_paid", types=["invoice.paid"])
    stripe_events.expect_handler("billing.mark_overdue", types=["invoice.payment_failed"])
    stripe_events.send_many(["invoice.paid", "invoice.payment_failed"])
    stripe_events.assert_all_handled()
