"""A Stripe webhook receiver deployed as an AWS Lambda function behind API Gateway (HTTP API).

API Gateway hands the handler a payload format 2.0 event. The bytes Stripe signed are the body
as sent: ``base64decode(body)`` when ``isBase64Encoded`` is true, else the body text. Verifying
anything else (``json.loads`` then ``json.dumps``) breaks the signature.
"""

import base64
import json
import os

import stripe

WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_test_billing")

invoices: dict[str, str] = {}  # invoice id -> status (a DynamoDB table in production)


def mark_paid(invoice: stripe.Invoice) -> None:
    invoices[invoice.id] = "paid"


def mark_overdue(invoice: stripe.Invoice) -> None:
    invoices[invoice.id] = "payment failed"


def raw_body(event: dict) -> bytes:
    body = event.get("body") or ""
    return base64.b64decode(body) if event.get("isBase64Encoded") else body.encode("utf-8")


def handler(event: dict, context: object) -> dict:
    try:
        stripe_event = stripe.Webhook.construct_event(
            raw_body(event),
            event["headers"].get("stripe-signature", ""),  # API Gateway lower-cases names
            WEBHOOK_SECRET,
        )
    except (ValueError, stripe.SignatureVerificationError):
        return {"statusCode": 400, "body": json.dumps({"error": "invalid payload or signature"})}
    if stripe_event.type == "invoice.paid":
        mark_paid(stripe_event.data.object)
    elif stripe_event.type == "invoice.payment_failed":
        mark_overdue(stripe_event.data.object)
    # Unknown types get a 2xx too: Stripe would retry anything else for three days.
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"received": stripe_event.id}),
    }
