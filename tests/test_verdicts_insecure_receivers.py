"""Receivers with the security bugs real ones have: each verdict fails as it should, naming the
handler and the event. A secure receiver passes the same checks (no false alarms)."""

import json
import time

import pytest

import hookmock

SECRET = "whsec_insecure_receivers"
paid: list[str] = []


def mark_paid(event):
    """The handler: marks the order paid (records the event id)."""
    paid.append(event["id"])


def _probe(event):
    return event.id in paid


@pytest.fixture(autouse=True)
def _clear():
    paid.clear()


def _wsgi(handle):
    """A WSGI app around ``handle(body, signature) -> status``."""

    def app(environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        status = handle(body, environ.get("HTTP_STRIPE_SIGNATURE", ""))
        start_response(status, [("Content-Type", "text/plain")])
        return [status.encode()]

    return app


def _verify(body, signature, tolerance=300):
    import stripe

    try:
        return stripe.Webhook.construct_event(body, signature, SECRET, tolerance=tolerance)
    except (stripe.SignatureVerificationError, ValueError):
        return None


@_wsgi
def acts_before_verifying(body, signature):
    mark_paid(json.loads(body))
    if _verify(body, signature) is None:
        return "400 Bad Request"
    return "200 OK"


@_wsgi
def verifies_reserialised_json(body, signature):
    event = json.loads(body)
    # The bug: the signature covers the bytes sent, not Python's re-serialisation of them.
    if _verify(json.dumps(event), signature) is None:
        return "400 Bad Request"
    mark_paid(event)
    return "200 OK"


@_wsgi
def accepts_stale_timestamps(body, signature):
    if _verify(body, signature, tolerance=None) is None:  # the bug: no tolerance check
        return "400 Bad Request"
    mark_paid(json.loads(body))
    return "200 OK"


@_wsgi
def acts_twice_on_a_duplicate(body, signature):
    if _verify(body, signature) is None:
        return "400 Bad Request"
    mark_paid(json.loads(body))  # the bug: no deduplication on the event id
    return "200 OK"


@_wsgi
def secure(body, signature):
    event = _verify(body, signature)
    if event is None:
        return "400 Bad Request"
    if event["id"] not in paid:
        mark_paid(json.loads(body))
    return "200 OK"


HANDLER = f"{__name__}.mark_paid"
TYPE = "payment_intent.succeeded"


def _receiver(app, check):
    receiver = hookmock.receiver(app, secret=SECRET, handled=_probe if check == "probe" else None)
    if check == "spy":
        receiver.expect_handler(HANDLER, types=[TYPE])
    return receiver


def _stale():
    return int(time.time()) - 3600


def _tampered(receiver):
    """A body changed after signing: the original's signature headers, another amount."""
    event = receiver.event(TYPE)
    forged = event.replace(data__object__amount=1)
    return forged, {"headers": receiver.headers_for(event)}


UNHAPPY = {
    "bad secret": lambda r: (TYPE, {"secret": "whsec_not_the_one"}),
    "stale timestamp": lambda r: (TYPE, {"timestamp": _stale()}),
    "tampered body": _tampered,
    "missing header": lambda r: (TYPE, {"headers": {"Stripe-Signature": None}}),
}
WORD = {
    "bad secret": "forged",
    "stale timestamp": "stale",
    "tampered body": "forged",
    "missing header": "unsigned",
}


@pytest.mark.parametrize("check", ["spy", "probe"])
@pytest.mark.parametrize("path", list(UNHAPPY))
def test_acting_before_verifying_fails_every_rejection_naming_the_handler_and_event(path, check):
    with _receiver(acts_before_verifying, check) as receiver:
        what, options = UNHAPPY[path](receiver)
        result = receiver.send(what, **options)
        assert result.status == 400
        assert result.handled is True  # judged although rejected
        with pytest.raises(hookmock.DeliveryError) as info:
            result.assert_rejected()
    text = str(info.value)
    first = text.splitlines()[0]
    assert f"({result.event.id}): answered 400 Bad Request but handled the {WORD[path]}" in first
    if check == "spy":
        assert f"{HANDLER} was called with {result.event.id}" in first
    else:
        assert "the handled= probe says it was handled" in first
    assert "verify the signature (and the timestamp) of the raw body before it acts" in text
    with pytest.raises(hookmock.DeliveryError, match=r"handled the .* event first"):
        result.assert_status(400)


@pytest.mark.parametrize("check", ["spy", "probe"])
@pytest.mark.parametrize("path", list(UNHAPPY))
def test_a_secure_receiver_passes_every_rejection(path, check):
    with _receiver(secure, check) as receiver:
        what, options = UNHAPPY[path](receiver)
        result = receiver.send(what, **options).assert_rejected()
        assert result.handled is False
        assert paid == []
        receiver.send(TYPE).assert_ok()
        receiver.assert_all_handled()


def test_acting_before_verifying_fails_the_table_too_even_when_the_test_moved_on():
    with _receiver(acts_before_verifying, "spy") as receiver:
        forged = receiver.send(TYPE, secret="whsec_not_the_one")
        with pytest.raises(hookmock.DeliveryError):
            forged.assert_rejected()
        receiver.send(TYPE)  # a genuine one, handled
        with pytest.raises(hookmock.DeliveryError) as info:
            receiver.assert_all_handled()
    text = str(info.value)
    assert "ACTED ON 4xx" in text
    assert (
        f"FAILED {TYPE}: answered 400 Bad Request but handled the forged event first"
        f" ({forged.event.id}): {HANDLER} was called with {forged.event.id}"
    ) in text


def test_acting_before_verifying_fails_a_contract_expecting_4xx_without_saying_handled():
    contract = {
        "provider": "stripe",
        "deliveries": [
            {"send": TYPE, "signature": "wrong", "expect": {"status": "4xx"}},
            {"send": TYPE, "timestamp": "stale", "expect": {"status": 400}},
            {"send": TYPE, "signature": "missing", "expect": {"status": "4xx", "handled": True}},
        ],
    }
    with _receiver(acts_before_verifying, "spy") as receiver:
        report = receiver.run_contract(contract)
    forged, stale, allowed = report.rows
    assert forged.expected == "4xx, not handled"
    assert forged.problems[0].startswith(
        f"answered 400 Bad Request but handled the forged event first: {HANDLER} was called"
        f" with {forged.result.event.id}"
    )
    assert "handled the stale event first" in stale.problems[0]
    assert allowed.ok  # the contract said acting on it is intended
    with _receiver(secure, "spy") as receiver:
        receiver.run_contract({**contract, "deliveries": contract["deliveries"][:2]}).assert_ok()


@pytest.mark.parametrize("check", ["spy", "probe"])
def test_verifying_reserialised_json_rejects_genuine_events_naming_the_event(check):
    with _receiver(verifies_reserialised_json, check) as receiver:
        result = receiver.send(TYPE)
        with pytest.raises(hookmock.DeliveryError) as info:
            result.assert_ok()
    text = str(info.value)
    assert f"({result.event.id}): expected a 2xx answer, got 400 Bad Request" in text
    if check == "spy":
        assert f"handled check: {HANDLER} was not called during this delivery" in text


@pytest.mark.parametrize("check", ["spy", "probe"])
def test_accepting_a_stale_timestamp_fails_naming_what_it_did(check):
    with _receiver(accepts_stale_timestamps, check) as receiver:
        result = receiver.send(TYPE, timestamp=_stale())
        with pytest.raises(hookmock.DeliveryError) as info:
            result.assert_rejected()
    text = str(info.value)
    assert f"({result.event.id}): expected the receiver to reject it with a 4xx, got 200 OK" in text
    did = (
        f"{HANDLER} was called with {result.event.id}"
        if check == "spy"
        else "the handled= probe says it was handled"
    )
    assert f"and it acted on the stale event: {did}" in text


def test_acting_twice_on_a_duplicate_fails_naming_the_handler_and_event():
    with _receiver(acts_twice_on_a_duplicate, "spy") as receiver:
        first = receiver.send(TYPE).assert_ok()
        [again] = receiver.replay(first)
        with pytest.raises(hookmock.DeliveryError) as info:
            again.assert_ok()
        assert f"{HANDLER} ran 2 times for {first.event.id}" in str(info.value)
        assert "handled more than once" in str(info.value)
    with _receiver(secure, "spy") as receiver:
        first = receiver.send(TYPE).assert_ok()
        receiver.replay(first)[0].assert_ok()


def test_a_stale_replay_of_a_handled_event_is_not_blamed_on_the_earlier_delivery():
    with _receiver(secure, "probe") as receiver:
        first = receiver.send(TYPE).assert_ok()
        # The probe already says yes (the first delivery paid the order): that is no side
        # effect of the rejected replay.
        [stale] = receiver.replay(first, timestamp=_stale())
        stale.assert_rejected()
        assert stale.handled is None
        assert "already said yes before this delivery" in stale.handled_notes[0]
    with _receiver(secure, "spy") as receiver:
        first = receiver.send(TYPE).assert_ok()
        [stale] = receiver.replay(first, timestamp=_stale())
        assert stale.assert_rejected().handled is False
