"""Signature schemes, checked against published test vectors and the official SDKs."""

from __future__ import annotations

import time

import pytest

from hookmock import SecretError, SignatureError
from hookmock import signing as s


def test_github_official_test_vector():
    got = s.github_headers(b"Hello, World!", "It's a Secret to Everybody")
    assert got["X-Hub-Signature-256"] == (
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    )
    s.github_verify(b"Hello, World!", got, "It's a Secret to Everybody")


def test_github_verification_rejects_a_tampered_body_and_names_the_header():
    headers = s.github_headers(b"{}", "k")
    with pytest.raises(SignatureError, match="does not match"):
        s.github_verify(b"{ }", headers, "k")
    with pytest.raises(SignatureError, match="Missing X-Hub-Signature-256"):
        s.github_verify(b"{}", {}, "k")


def test_header_lookup_ignores_case():
    headers = {"x-hub-signature-256": s.github_headers(b"x", "k")["X-Hub-Signature-256"]}
    s.github_verify(b"x", headers, "k")


def test_stripe_signature_matches_stripe_python():
    stripe = pytest.importorskip("stripe")
    body = '{\n  "id": "evt_1",\n  "object": "event"\n}'
    ts = 1_700_000_000
    ours = s.stripe_header(body, ["whsec_abc"], ts)
    theirs = stripe.WebhookSignature.generate_signature_header(body, "whsec_abc", timestamp=ts)
    assert ours == theirs


def test_stripe_python_accepts_our_header_with_rotation_and_v0():
    stripe = pytest.importorskip("stripe")
    body = b'{"id": "evt_1", "object": "event"}'
    header = s.stripe_header(body, ["whsec_old", "whsec_new"], v0="00" * 32)
    for secret in ("whsec_old", "whsec_new"):
        stripe.WebhookSignature.verify_header(body.decode(), header, secret, tolerance=300)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("garbage", "Unable to extract timestamp and signatures from header"),
        ("t=123,v0=abc", "No signatures found with expected scheme v1"),
        ("t={now},v1=deadbeef", "No signatures found matching the expected signature for payload"),
    ],
)
def test_stripe_verification_uses_stripes_messages(header, message):
    header = header.format(now=int(time.time()))
    with pytest.raises(SignatureError, match=message):
        s.stripe_verify(b"{}", header, "whsec_x")


def test_stripe_rejects_old_timestamps_but_not_future_ones():
    now = 1_800_000_000
    old = s.stripe_header(b"{}", ["whsec_x"], now - 301)
    with pytest.raises(SignatureError, match="Timestamp outside the tolerance zone"):
        s.stripe_verify(b"{}", old, "whsec_x", now=now)
    future = s.stripe_header(b"{}", ["whsec_x"], now + 3600)
    assert s.stripe_verify(b"{}", future, "whsec_x", now=now) == now + 3600


def test_standard_webhooks_agree_with_the_reference_package():
    standardwebhooks = pytest.importorskip("standardwebhooks")
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    ts = int(time.time())
    body = b'{"type": "invoice.paid"}'
    ours = s.standard_signature("msg_1", ts, body, secret)
    wh = standardwebhooks.Webhook(secret)
    from datetime import datetime, timezone

    theirs = wh.sign("msg_1", datetime.fromtimestamp(ts, tz=timezone.utc), body.decode())
    assert ours == theirs
    headers = s.standard_headers("msg_1", body, [secret], ts)
    wh.verify(body, headers)
    s.standard_verify(body, headers, secret)
    with pytest.raises(SignatureError):
        s.standard_verify(body + b" ", headers, secret)


def test_standard_webhooks_refuse_a_secret_that_is_not_base64():
    with pytest.raises(SecretError, match="base64"):
        s.standard_signature("m", 1, b"{}", "whsec_not*base64")


def test_verify_takes_the_bare_signature_header_as_stripe_python_does():
    import hookmock

    ev = hookmock.stripe.event("invoice.paid", seed=1)
    sig = ev.headers(secret="whsec_x")["Stripe-Signature"]
    hookmock.verify("stripe", ev.body, sig, "whsec_x")
    gh = hookmock.github.event("push", seed=1)
    hookmock.verify("github", gh.body, gh.headers(secret="k")["X-Hub-Signature-256"], "k")
    with pytest.raises(SignatureError):
        hookmock.verify("stripe", ev.body + b" ", sig, "whsec_x")


def test_verify_refuses_headers_of_the_wrong_kind_clearly():
    import hookmock

    with pytest.raises(TypeError, match="must be a dict of the request's headers"):
        hookmock.verify("stripe", b"{}", ["t=1"], "whsec_x")  # type: ignore[arg-type]


def test_standard_webhooks_accept_one_secret_as_a_string():
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    headers = s.standard_headers("msg_1", b"{}", secret, 1_700_000_000)
    s.standard_verify(b"{}", headers, secret, now=1_700_000_000)


def test_verify_any_passes_when_one_rotated_secret_signed_the_body_and_else_raises() -> None:
    body = b'{"ok": true}'
    sent = s.hmac_hex("new-secret", body)

    def check(secret: str) -> None:
        if s.hmac_hex(secret, body) != sent:
            raise SignatureError(f"not signed with {secret[:3]}...")

    s.verify_any(["old-secret", "new-secret"], check)
    with pytest.raises(SignatureError, match="not signed with oth"):
        s.verify_any(["old-secret", "other-secret"], check)
