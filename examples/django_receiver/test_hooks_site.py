"""hookmock tests for the Django site, through Django's real WSGI and ASGI handlers."""

import hooks_site
import pytest


@pytest.fixture(autouse=True)
def site():
    hooks_site.configure()
    from django.test import override_settings

    with override_settings(ROOT_URLCONF="hooks_site"):
        yield


@pytest.fixture(params=["wsgi", "asgi"])
def django_app(request):
    if request.param == "wsgi":
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()
    from django.core.asgi import get_asgi_application

    return get_asgi_application()


@pytest.fixture
def stripe_events(hookmock, django_app):
    return hookmock.receiver(django_app, path="/webhooks/stripe/", secret=hooks_site.WEBHOOK_SECRET)


def test_a_deleted_subscription_is_cancelled(stripe_events):
    result = stripe_events.send("customer.subscription.deleted")
    result.assert_ok()
    assert result.event.payload["data"]["object"]["id"] in hooks_site.cancelled


def test_a_bad_signature_is_rejected(stripe_events):
    stripe_events.send("customer.subscription.deleted", secret="whsec_wrong").assert_rejected()


def test_an_unknown_type_still_gets_a_2xx(stripe_events):
    stripe_events.send("invoice.created").assert_ok()


def test_the_cancellation_handler_runs_once_per_event(stripe_events):
    stripe_events.expect_handler(
        "hooks_site.cancel_subscription", types=["customer.subscription.deleted"]
    )
    stripe_events.send_many(["customer.subscription.deleted", "customer.subscription.deleted"])
    stripe_events.assert_all_handled()


def test_a_view_without_csrf_exempt_fails_the_way_production_would(hookmock, django_app):
    from django.test import Client

    receiver = hookmock.receiver(
        django_app, path="/webhooks/stripe-without-exempt/", secret=hooks_site.WEBHOOK_SECRET
    )
    result = receiver.send("invoice.created")
    result.assert_status(403)
    assert "needs @csrf_exempt" in result.explain("expected a 2xx answer")

    # Django's test client skips CSRF checks unless asked, which hides this bug.
    event = hookmock.event("stripe", "invoice.created")
    headers = {"headers": event.headers(hooks_site.WEBHOOK_SECRET)}
    kwargs = {"data": event.body, "content_type": "application/json", **headers}
    assert Client().post("/webhooks/stripe-without-exempt/", **kwargs).status_code == 200
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/webhooks/stripe-without-exempt/", **kwargs).status_code == 403
