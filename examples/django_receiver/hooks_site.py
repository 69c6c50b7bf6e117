"""A minimal Django site in one module: a Stripe webhook view that reads ``request.body``."""

import stripe
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

WEBHOOK_SECRET = "whsec_django_example"
cancelled: list[str] = []


def configure() -> None:
    """Settings for running this module as a site (a real project has settings.py)."""
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            SECRET_KEY="example-only",
            ALLOWED_HOSTS=["localhost", "testserver"],
            ROOT_URLCONF=__name__,
            MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        django.setup()


def cancel_subscription(subscription_id: str) -> None:
    cancelled.append(subscription_id)


def receive(request: HttpRequest) -> HttpResponse:
    try:
        event = stripe.Webhook.construct_event(
            request.body, request.headers.get("Stripe-Signature", ""), WEBHOOK_SECRET
        )
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponse("invalid payload or signature", status=400)
    if event.type == "customer.subscription.deleted":
        cancel_subscription(event.data.object["id"])
    return HttpResponse(status=200)


# Stripe sends no CSRF token: without @csrf_exempt, Django answers 403 to every event.
stripe_webhook = csrf_exempt(require_POST(receive))
forgot_csrf_exempt = require_POST(receive)

urlpatterns = [
    path("webhooks/stripe/", stripe_webhook),
    path("webhooks/stripe-without-exempt/", forgot_csrf_exempt),
]
