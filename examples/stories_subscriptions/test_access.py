"""Stories catch what single events cannot: the order Stripe really delivers in.

A Checkout sign-up sends a dozen events that share one customer, subscription and invoice.
Delivered in the order they happen, the buggy service passes; shuffled, as Stripe may deliver
them, ``invoice.paid`` sometimes comes before ``customer.subscription.created`` and it crashes.
"""

import access
import access_fixed
import pytest

from hookmock import DeliveryError, story

SEEDS = range(8)


@pytest.fixture(params=[access, access_fixed], ids=["buggy", "fixed"])
def service(request):
    module = request.param
    module.subscriptions.clear()
    module.access.clear()
    return module


def receiver(hookmock, service):
    return hookmock.receiver(
        service.app, path="/webhooks/stripe", provider="stripe", secret=service.WEBHOOK_SECRET
    )


def customer_of(signup):
    return signup[0].payload["data"]["object"]["id"]  # customer.created comes first


def test_in_the_order_things_happen_both_services_grant_access(hookmock, service):
    signup = story("stripe", "checkout_subscription", seed=1)
    report = receiver(hookmock, service).send_story(signup, order="given")
    report.assert_ok()
    report.assert_final(lambda: service.access[customer_of(signup)])


def test_shuffled_delivery_catches_the_buggy_service(hookmock):
    access.subscriptions.clear()
    failed = []
    for seed in SEEDS:
        signup = story("stripe", "checkout_subscription", seed=seed)
        report = receiver(hookmock, access).send_story(signup, order="shuffled")
        if not report.ok:
            failed.append(report)
    assert failed, "shuffling never put invoice.paid before its subscription"
    with pytest.raises(DeliveryError) as caught:
        failed[0].assert_ok()
    assert "invoice.paid" in str(caught.value)
    assert "order='shuffled'" in str(caught.value)  # the message shows how it was delivered


@pytest.mark.parametrize("seed", SEEDS)
def test_the_fixed_service_grants_access_in_any_order(hookmock, seed):
    access_fixed.subscriptions.clear()
    signup = story("stripe", "checkout_subscription", seed=seed)
    report = receiver(hookmock, access_fixed).send_story(signup, order="shuffled", duplicates=2)
    report.assert_ok()
    report.assert_final(lambda: access_fixed.access[customer_of(signup)])
