"""A small Flask shop that receives Stripe webhooks: verify the raw body, dispatch by type."""

import os

import flask
import stripe

WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_test_shop")

app = flask.Flask(__name__)
orders: dict[str, str] = {}  # order id -> status


def mark_paid(payment_intent: stripe.PaymentIntent) -> None:
    orders[payment_intent.metadata["order_id"]] = "paid"


def mark_failed(payment_intent: stripe.PaymentIntent) -> None:
    orders[payment_intent.metadata["order_id"]] = "payment failed"


@app.post("/webhooks/stripe")
def stripe_webhook() -> tuple[str, int]:
    try:
        event = stripe.Webhook.construct_event(
            flask.request.get_data(),  # the raw bytes: re-serialised JSON would break the signature
            flask.request.headers.get("Stripe-Signature", ""),
            WEBHOOK_SECRET,
        )
    except (ValueError, stripe.SignatureVerificationError):
        return "invalid payload or signature", 400
    if event.type == "payment_intent.succeeded":
        mark_paid(event.data.object)
    elif event.type == "payment_intent.payment_failed":
        mark_failed(event.data.object)
    return "", 200  # unknown types too: Stripe would retry anything else
