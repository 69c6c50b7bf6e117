"""What a Stripe receiver sees on the wire: headers, Stripe-Signature, verification, detection."""

from __future__ import annotations

import json
import time

import pytest
import stripe

import hookmock
from hookmock import SecretError, SignatureError
from hookmock.providers.stripe import StripeProvider

SECRET = "whsec_test_5aVb0pXq"
OLD_SECRET = "whsec_test_rotated_out"


@pytest.fixture
def ev() -> hookmock.Event:
    return hookmock.stripe.event("payment_intent.succeeded", seed=7)


def test_the_header_set_is_stripes(ev: hookmock.Event) -> None:
    headers = ev.headers(secret=SECRET, timestamp=1_700_000_000)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["User-Agent"] == "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
    assert headers["Accept"] == "*/*; q=0.5, application/xml"
    assert headers["Cache-Control"] == "no-cache"
    parts = headers["Stripe-Signature"].split(",")
    assert parts[0] == "t=1700000000"
    assert parts[1].startswith("v1=")
    assert parts[2].startswith("v0=")  # test mode carries a v0 entry that verifiers ignore
    assert ev.headers(secret=SECRET, timestamp=1_700_000_000) == headers


def test_the_signature_agrees_with_stripe_python(ev: hookmock.Event) -> None:
    ts = 1_750_000_000
    ours = hookmock.sign("stripe", ev.body, SECRET, timestamp=ts)["Stripe-Signature"]
    theirs = stripe.WebhookSignature.generate_signature_header(ev.body.decode(), SECRET, ts)
    assert ours == theirs


def test_stripe_python_verifies_the_headers_and_ignores_v0(ev: hookmock.Event) -> None:
    sig = ev.headers(secret=SECRET)["Stripe-Signature"]
    assert "v0=" in sig
    parsed = stripe.Webhook.construct_event(ev.body, sig, SECRET)
    assert parsed.data.object.amount_received == ev.payload["data"]["object"]["amount"]


def test_secret_rotation_signs_once_per_secret(ev: hookmock.Event) -> None:
    sig = ev.headers(secret=[SECRET, OLD_SECRET])["Stripe-Signature"]
    assert sig.count("v1=") == 2
    for secret in (SECRET, OLD_SECRET):
        stripe.Webhook.construct_event(ev.body, sig, secret)
        hookmock.verify("stripe", ev.body, {"Stripe-Signature": sig}, secret)


def test_verify_with_a_list_of_secrets_passes_when_one_signed(ev: hookmock.Event) -> None:
    headers = ev.headers(secret=OLD_SECRET)
    hookmock.stripe.verify(ev.body, headers, [SECRET, OLD_SECRET])  # type: ignore[arg-type]
    with pytest.raises(SignatureError, match="expected signature"):
        hookmock.stripe.verify(ev.body, headers, [SECRET, "whsec_other"])  # type: ignore[arg-type]


def test_verify_accepts_a_fresh_and_a_future_timestamp(ev: hookmock.Event) -> None:
    hookmock.verify("stripe", ev.body, ev.headers(secret=SECRET), SECRET)
    future = ev.headers(secret=SECRET, timestamp=int(time.time()) + 3600)
    hookmock.verify("stripe", ev.body, future, SECRET)
    stripe.Webhook.construct_event(ev.body, future["Stripe-Signature"], SECRET)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda body, h, now: (body.replace(b"succeeded", b"SUCCEEDED"), h, SECRET, now),
            "No signatures found matching the expected signature for payload",
        ),
        (
            lambda body, h, now: (body, h, "whsec_wrong", now),
            "No signatures found matching the expected signature for payload",
        ),
        (
            lambda body, h, now: (body, h, SECRET, now + 301),
            "Timestamp outside the tolerance zone",
        ),
        (
            lambda body, h, now: (body, {"Stripe-Signature": "v1=abc"}, SECRET, now),
            "Unable to extract timestamp and signatures from header",
        ),
        (
            lambda body, h, now: (body, {"Stripe-Signature": f"t={now},v0=abc"}, SECRET, now),
            "No signatures found with expected scheme v1",
        ),
        (
            lambda body, h, now: (body, {"Content-Type": "application/json"}, SECRET, now),
            "Missing Stripe-Signature header",
        ),
    ],
    ids=["tampered-body", "wrong-secret", "stale", "no-timestamp", "no-v1", "missing-header"],
)
def test_verify_refuses_a_bad_delivery_with_stripes_words(
    ev: hookmock.Event, mutate: object, message: str
) -> None:
    now = 1_760_000_000
    headers = ev.headers(secret=SECRET, timestamp=now)
    body, headers, secret, at = mutate(ev.body, headers, now)  # type: ignore[operator]
    with pytest.raises(SignatureError, match=message):
        hookmock.verify("stripe", body, headers, secret, now=at)


def test_stripe_python_rejects_a_stale_signature_the_same_way(ev: hookmock.Event) -> None:
    old = ev.headers(secret=SECRET, timestamp=int(time.time()) - 3600)["Stripe-Signature"]
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance zone"):
        stripe.Webhook.construct_event(ev.body, old, SECRET)
    with pytest.raises(SignatureError, match="tolerance zone"):
        hookmock.verify("stripe", ev.body, {"stripe-signature": old}, SECRET)


@pytest.mark.parametrize("secret", [None, "", "   ", []])
def test_a_missing_or_empty_secret_is_a_clear_error(ev: hookmock.Event, secret: object) -> None:
    with pytest.raises(SecretError, match="secret"):
        ev.headers(secret=secret)  # type: ignore[arg-type]
    with pytest.raises(SecretError):
        hookmock.sign("stripe", ev.body, secret)  # type: ignore[arg-type]


def test_livemode_events_carry_no_v0_entry() -> None:
    live = hookmock.stripe.event("charge.succeeded", seed=1, livemode=True)
    assert "v0=" not in live.headers(secret=SECRET)["Stripe-Signature"]


def test_the_body_is_stripes_pretty_printed_json(ev: hookmock.Event) -> None:
    assert ev.body == json.dumps(ev.payload, indent=2, ensure_ascii=False).encode()
    assert ev.json() == ev.payload


def test_detect_knows_stripe_events_and_nothing_else(ev: hookmock.Event) -> None:
    provider = hookmock.stripe
    assert provider.detect(ev.payload) == "payment_intent.succeeded"
    assert provider.detect({"object": "event", "type": "issuing_card.teleported"}) is None
    assert provider.detect({"object": "payment_intent", "type": "x"}) is None
    assert provider.detect({"action": "opened", "pull_request": {}}) is None
    assert hookmock.validate(ev.body) == ("stripe", "payment_intent.succeeded")


def test_a_captured_dict_becomes_an_event_again(ev: hookmock.Event) -> None:
    again = hookmock.stripe.from_payload(ev.json())
    assert (again.type, again.id, again.created) == (ev.type, ev.id, ev.created)
    assert again.body == ev.body
    stripe.Webhook.construct_event(
        again.body, again.headers(secret=SECRET)["Stripe-Signature"], SECRET
    )


def test_delivery_settings_are_stripes() -> None:
    assert StripeProvider.timeout == 30.0
    assert StripeProvider.retries is True
    assert set(StripeProvider.option_defaults) == {"api_version", "livemode", "account"}
