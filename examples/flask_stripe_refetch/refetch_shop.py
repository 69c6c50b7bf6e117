"""A Flask shop that trusts Stripe's API, not the webhook payload: it re-fetches before acting."""

import os

import flask
import stripe

WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_test_refetch_shop")
stripe.api_key = os.environ.get("STRIPE_API_KEY", "sk_test_refetch_shop")
SOLD_OUT = {"999"}  # order ids we cannot ship: refund them

app = flask.Flask(__name__)
orders: dict[str, str] = {}  # order id -> status
shipments: dict[str, int] = {}  # order id -> items shipped


def settle(payment_intent: stripe.PaymentIntent) -> None:
    order = payment_intent.metadata["order_id"]
    if payment_intent.status == "succeeded":
        orders[order] = "paid"
    elif payment_intent.status in ("requires_payment_method", "canceled"):
        orders[order] = "not paid"


def fulfil(session: stripe.checkout.Session) -> None:
    order = session.metadata["order_id"]
    if order in SOLD_OUT:
        stripe.Refund.create(payment_intent=session.payment_intent, reason="requested_by_customer")
        orders[order] = "refunded"
        return
    shipments[order] = sum(item.quantity or 0 for item in session.line_items.data)
    orders[order] = "shipped"


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
    # Events can be late, duplicated or out of order: ask Stripe for the object as it is now.
    if event.type.startswith("payment_intent."):
        settle(stripe.PaymentIntent.retrieve(event.data.object.id))
    elif event.type == "checkout.session.completed":
        fulfil(stripe.checkout.Session.retrieve(event.data.object.id, expand=["line_items"]))
    return "", 200
