"""Standard Webhooks signatures agree with the `standardwebhooks` and `svix` packages, both ways,
and receivers that verify with them accept what hookmock sends and reject what they should."""

from __future__ import annotations

import base64
import time
from datetime import datetime, timezone

import flask
import pytest
import standardwebhooks
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from svix.webhooks import Webhook as SvixWebhook
from svix.webhooks import WebhookVerificationError as SvixError

import hookmock
from hookmock import SignatureError
from hookmock.providers.standard import SVIX_RETRY_SCHEDULE

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#: Rotation: the endpoint's new secret next to the old one.
NEW_SECRET = "whsec_" + base64.b64encode(b"a-new-secret-of-32-random-bytes!").decode()
#: The published test vector (standard-webhooks' and Svix's libraries test with it).
VECTOR = {
    "msg_id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "timestamp": 1614265330,
    "body": b'{"test": 2432232314}',
    "signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}


@pytest.fixture(autouse=True)
def empty_catalog():
    """Each test starts and ends with no Standard Webhooks types (the README's examples, run in
    the same process, register some)."""
    for t in hookmock.standard.types():
        hookmock.standard.unregister(t)
    yield
    for t in hookmock.standard.types():
        hookmock.standard.unregister(t)


@pytest.fixture
def standard():
    hookmock.standard.register(
        "invoice.paid",
        {
            "type": "object",
            "required": ["id", "amount"],
            "properties": {
                "id": {"type": "string", "pattern": "^in_[A-Za-z0-9]{24}$"},
                "amount": {"type": "integer", "minimum": 1},
                "customer": {"type": "string", "format": "email"},
            },
        },
    )
    yield hookmock.standard
    hookmock.standard.unregister("invoice.paid")


def _at(unix: int) -> datetime:
    return datetime.fromtimestamp(unix, tz=timezone.utc)


# -- signatures, both ways -------------------------------------------------------------------------


def test_the_published_test_vector():
    headers = hookmock.sign(
        "standard", VECTOR["body"], SECRET, VECTOR["timestamp"], msg_id=VECTOR["msg_id"]
    )
    assert headers["webhook-signature"] == VECTOR["signature"]
    lib = standardwebhooks.Webhook(SECRET)
    assert (
        lib.sign(VECTOR["msg_id"], _at(VECTOR["timestamp"]), VECTOR["body"].decode())
        == VECTOR["signature"]
    )


def test_what_hookmock_signs_both_libraries_accept(standard):
    ev = standard.event("invoice.paid", seed=1)
    headers = ev.headers(SECRET)
    assert standardwebhooks.Webhook(SECRET).verify(ev.body, headers) == ev.payload
    SvixWebhook(SECRET).verify(ev.body, headers)  # raises if it disagrees
    # Over the wire header names arrive in any case.
    SvixWebhook(SECRET).verify(ev.body, {k.title(): v for k, v in headers.items()})


def test_what_both_libraries_sign_hookmock_accepts(standard):
    ev = standard.event("invoice.paid", seed=2)
    now = int(time.time())
    for signer in (standardwebhooks.Webhook(SECRET), SvixWebhook(SECRET)):
        headers = {
            "webhook-id": ev.id,
            "webhook-timestamp": str(now),
            "webhook-signature": signer.sign(ev.id, _at(now), ev.body.decode()),
        }
        hookmock.verify("standard", ev.body, headers, SECRET)
        with pytest.raises(SignatureError, match="No matching v1 signature"):
            hookmock.verify("standard", ev.body, headers, NEW_SECRET)


def test_an_unpadded_secret_means_the_same_key_everywhere():
    unpadded = "whsec_" + base64.b64encode(b"twenty-five-random-bytes!").decode().rstrip("=")
    assert not unpadded.endswith("=")
    body = b'{"type":"a.b","timestamp":"2024-01-01T00:00:00Z","data":{}}'
    headers = hookmock.sign("standard", body, unpadded)
    standardwebhooks.Webhook(unpadded).verify(body, headers)
    SvixWebhook(unpadded).verify(body, headers)
    hookmock.verify("standard", body, headers, unpadded)


def test_rotation_signs_with_each_secret_and_either_verifies(standard):
    ev = standard.event("invoice.paid", seed=3)
    headers = ev.headers([SECRET, NEW_SECRET])
    entries = headers["webhook-signature"].split(" ")
    assert len(entries) == 2
    assert all(e.startswith("v1,") for e in entries)
    for secret in (SECRET, NEW_SECRET):
        standardwebhooks.Webhook(secret).verify(ev.body, headers)
        SvixWebhook(secret).verify(ev.body, headers)
        hookmock.verify("standard", ev.body, headers, secret)


@pytest.mark.parametrize(
    ("offset", "reason"), [(-600, "too old"), (600, "too new")], ids=["stale", "future"]
)
def test_a_stale_or_future_timestamp_is_one_keyword_away(standard, offset, reason):
    ev = standard.event("invoice.paid", seed=4)
    when = -600 if offset < 0 else int(time.time()) + offset  # a negative one is seconds ago
    headers = ev.headers(SECRET, timestamp=when)
    assert abs(int(headers["webhook-timestamp"]) - (int(time.time()) + offset)) <= 2
    with pytest.raises(standardwebhooks.WebhookVerificationError, match=reason):
        standardwebhooks.Webhook(SECRET).verify(ev.body, headers)
    with pytest.raises(SvixError, match=reason):
        SvixWebhook(SECRET).verify(ev.body, headers)
    with pytest.raises(SignatureError, match=reason):
        hookmock.verify("standard", ev.body, headers, SECRET)
    # Inside the 5-minute window either way, all three accept it.
    near = ev.headers(SECRET, timestamp=int(time.time()) + (240 if offset > 0 else -240))
    standardwebhooks.Webhook(SECRET).verify(ev.body, near)
    hookmock.verify("standard", ev.body, near, SECRET)


def test_a_tampered_body_or_a_missing_header_fails_everywhere(standard):
    ev = standard.event("invoice.paid", seed=5)
    headers = ev.headers(SECRET)
    tampered = ev.body.replace(b'"amount":', b'"amount":1')
    for check in (
        lambda b, h: standardwebhooks.Webhook(SECRET).verify(b, h),
        lambda b, h: SvixWebhook(SECRET).verify(b, h),
        lambda b, h: hookmock.verify("standard", b, h, SECRET),
    ):
        with pytest.raises((standardwebhooks.WebhookVerificationError, SvixError, SignatureError)):
            check(tampered, headers)
        for missing in ("webhook-id", "webhook-timestamp", "webhook-signature"):
            partial = {k: v for k, v in headers.items() if k != missing}
            with pytest.raises(
                (standardwebhooks.WebhookVerificationError, SvixError, SignatureError)
            ):
                check(ev.body, partial)


# -- receivers that verify with the reference package ----------------------------------------------


def flask_app(secret: str) -> tuple[flask.Flask, list[dict]]:
    """A Flask receiver verifying with standardwebhooks, as its README shows."""
    app = flask.Flask(__name__)
    handled: list[dict] = []
    wh = standardwebhooks.Webhook(secret)

    @app.post("/webhooks")
    def receive() -> tuple[str, int]:
        try:
            payload = wh.verify(flask.request.get_data(), dict(flask.request.headers))
        except standardwebhooks.WebhookVerificationError:
            return "bad signature", 400
        handled.append(payload)
        return "", 204

    return app, handled


def starlette_app(secret: str) -> tuple[Starlette, list[dict]]:
    handled: list[dict] = []
    wh = standardwebhooks.Webhook(secret)

    async def receive(request: Request) -> Response:
        try:
            payload = wh.verify(await request.body(), dict(request.headers))
        except standardwebhooks.WebhookVerificationError:
            return Response("bad signature", status_code=401)
        handled.append(payload)
        return Response(status_code=200)

    return Starlette(routes=[Route("/webhooks", receive, methods=["POST"])]), handled


@pytest.mark.parametrize("make", [flask_app, starlette_app], ids=["flask", "starlette"])
def test_a_verifying_receiver_accepts_what_hookmock_sends(standard, make):
    app, handled = make(SECRET)
    receiver = hookmock.receiver(app, path="/webhooks", provider="standard", secret=SECRET)
    result = receiver.send("invoice.paid", data__amount=4999)
    result.assert_ok()
    assert handled[-1]["data"]["amount"] == 4999
    assert result.sent_headers["webhook-id"] == result.event.id


@pytest.mark.parametrize("make", [flask_app, starlette_app], ids=["flask", "starlette"])
def test_a_verifying_receiver_rejects_what_assert_rejected_expects_it_to(standard, make):
    app, handled = make(SECRET)
    receiver = hookmock.receiver(app, path="/webhooks", provider="standard", secret=SECRET)
    receiver.send("invoice.paid", secret=NEW_SECRET).assert_rejected()  # bad secret
    receiver.send("invoice.paid", timestamp=-600).assert_rejected()  # stale
    receiver.send("invoice.paid", timestamp=int(time.time()) + 600).assert_rejected()  # future
    event = receiver.event("invoice.paid")
    tampered = event.replace(data__amount=1)
    receiver.send(tampered, headers=receiver.headers_for(event)).assert_rejected()
    for header in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        receiver.send("invoice.paid", headers={header: None}).assert_rejected()
    assert handled == []


def test_a_receiver_still_on_the_old_secret_accepts_a_rotation(standard):
    app, handled = flask_app(SECRET)
    receiver = hookmock.receiver(
        app, path="/webhooks", provider="standard", secret=[SECRET, NEW_SECRET]
    )
    receiver.send("invoice.paid").assert_ok()
    app_on_new, _ = flask_app(NEW_SECRET)
    hookmock.receiver(
        app_on_new, path="/webhooks", provider="standard", secret=[SECRET, NEW_SECRET]
    ).send("invoice.paid").assert_ok()
    assert len(handled) == 1


def test_a_receiver_that_skips_verification_fails_assert_rejected(standard):
    app = flask.Flask(__name__)

    @app.post("/webhooks")
    def receive() -> tuple[str, int]:
        return "", 200

    receiver = hookmock.receiver(app, path="/webhooks", provider="standard", secret=SECRET)
    result = receiver.send("invoice.paid", secret=NEW_SECRET)
    with pytest.raises(hookmock.DeliveryError, match="expected the receiver to reject it") as info:
        result.assert_rejected()
    assert "webhook-signature" in str(info.value)
    assert NEW_SECRET not in str(info.value)  # the secret is redacted from the report


def test_retries_follow_svix_schedule_and_every_attempt_verifies(standard):
    app = flask.Flask(__name__)
    wh = standardwebhooks.Webhook(SECRET)
    seen: list[str] = []

    @app.post("/webhooks")
    def receive() -> tuple[str, int]:
        wh.verify(flask.request.get_data(), dict(flask.request.headers))  # each attempt is signed
        seen.append(flask.request.headers["webhook-id"])
        return ("busy", 503) if len(seen) < 5 else ("", 200)

    receiver = hookmock.receiver(
        app, path="/webhooks", provider="standard", secret=SECRET, retries=True
    )
    result = receiver.send("invoice.paid")
    result.assert_ok()
    waits = SVIX_RETRY_SCHEDULE[:4]
    assert [a.at for a in result.attempts] == [sum(waits[:i]) for i in range(5)]
    assert len(set(seen)) == 1  # one message id across retries: the receiver deduplicates on it
