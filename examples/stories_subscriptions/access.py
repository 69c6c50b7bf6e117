"""A Flask billing service that grants access when a subscription's invoice is paid.

It has the bug the Stripe docs warn about: it assumes ``customer.subscription.created`` arrives
before ``invoice.paid``. Stripe does not promise that order, and when the invoice comes first the
handler crashes (500) and access is never granted until Stripe retries. ``access_fixed.py`` is
the same service with the fix.
"""

import os

import flask
import stripe

WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_test_billing")

app = flask.Flask(__name__)
subscriptions: dict[str, dict[str, str]] = {}  # subscription id -> {"customer", "status"}
access: dict[str, bool] = {}  # customer id -> may use the product


def invoice_subscription(invoice: stripe.Invoice) -> str:
    return invoice.parent.subscription_details.subscription


def store_subscription(sub: stripe.Subscription) -> None:
    subscriptions[sub.id] = {"customer": sub.customer, "status": sub.status}


def grant_access(invoice: stripe.Invoice) -> None:
    sub = subscriptions[invoice_subscription(invoice)]  # KeyError when the invoice comes first
    access[sub["customer"]] = True


def revoke_access(sub: stripe.Subscription) -> None:
    store_subscription(sub)
    access[sub.customer] = False


@app.post("/webhooks/stripe")
def stripe_webhook() -> tuple[str, int]:
    try:
        event = stripe.Webhook.construct_event(
            flask.request.get_data(),
            flask.request.headers.get("Stripe-Signature", ""),
            WEBHOOK_SECRET,
        )
    except (ValueError, stripe.SignatureVerificationError):
        return "invalid payload or signature", 400
    obj = event.data.object
    if event.type in ("customer.subscription.created", "customer.subscription.updated"):
        store_subscription(obj)
    elif event.type == "invoice.paid":
        grant_access(obj)
    elif event.type == "customer.subscription.deleted":
        revoke_access(obj)
    return "", 200
