"""``access.py`` with the ordering bug fixed: ``invoice.paid`` does not need the subscription
to be stored first.

The invoice names its subscription and its customer, so the handler records what it knows and
grants access; ``customer.subscription.created`` may come later and fills in the rest. A
subscription already deleted stays deleted: a late (or retried) ``invoice.paid`` does not bring
access back.
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
    known = subscriptions.setdefault(sub.id, {"customer": sub.customer, "status": sub.status})
    if known["status"] != "canceled":  # an event from before the cancellation changes nothing
        known["status"] = sub.status


def grant_access(invoice: stripe.Invoice) -> None:
    # The fix: an invoice that arrives before its subscription records it instead of crashing.
    sub = subscriptions.setdefault(
        invoice_subscription(invoice), {"customer": invoice.customer, "status": "active"}
    )
    if sub["status"] != "canceled":
        access[invoice.customer] = True


def revoke_access(sub: stripe.Subscription) -> None:
    subscriptions[sub.id] = {"customer": sub.customer, "status": "canceled"}
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
