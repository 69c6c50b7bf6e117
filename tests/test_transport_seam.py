"""The public transport seam: hookmock.Request, hookmock.Response, hookmock.Transport.

A user's transport gets the exact bytes that were signed, is given the delivery's deadline, and a
transport that raises or answers nonsense is a failed delivery that names it, never a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

import hookmock

SECRET = "whsec_transport_seam"


class Recording:
    """A transport that verifies with stripe-python, as a receiver would, and records calls."""

    description = "recording transport"

    def __init__(self) -> None:
        self.requests: list[hookmock.Request] = []
        self.timeouts: list[float | None] = []
        self.prepared = 0
        self.closed = 0

    def prepare(self) -> None:
        self.prepared += 1

    def close(self) -> None:
        self.closed += 1

    def handle(self, request: hookmock.Request, *, timeout: float | None) -> hookmock.Response:
        import stripe

        self.requests.append(request)
        self.timeouts.append(timeout)
        try:
            event = stripe.Webhook.construct_event(
                request.body, request.headers["Stripe-Signature"], SECRET
            )
        except stripe.SignatureVerificationError as exc:
            return hookmock.Response(400, {"Content-Type": "text/plain"}, str(exc).encode())
        body = json.dumps({"received": event["id"]}).encode()
        return hookmock.Response(200, {"Content-Type": "application/json"}, body)


def test_a_user_transport_gets_the_exact_signed_bytes_and_its_answer_is_judged():
    transport = Recording()
    receiver = hookmock.receiver(transport=transport, path="/hooks", secret=SECRET)
    result = receiver.send("charge.succeeded").assert_ok()
    [request] = transport.requests
    assert request.body == result.event.body  # the very bytes that were signed
    assert request.method == "POST"
    assert request.path == "/hooks"
    assert request.url == "https://localhost/hooks"
    assert dict(request.headers) == result.sent_headers
    assert result.json() == {"received": result.event.id}
    assert result.target == "recording transport"
    assert transport.prepared >= 1
    bad = receiver.send("charge.succeeded", secret="whsec_other")
    bad.assert_rejected()
    receiver.close()
    assert transport.closed == 1


def test_the_pytest_fixture_takes_a_transport(hookmock):
    transport = Recording()
    receiver = hookmock.receiver(transport=transport, secret=SECRET)
    result = receiver.send("charge.succeeded").assert_ok()
    assert transport.requests[0].body == result.event.body
    # the fixture closes it when the test ends


def test_an_object_with_handle_is_taken_as_a_transport_when_passed_as_the_target():
    transport = Recording()
    receiver = hookmock.receiver(transport, secret=SECRET)
    receiver.send("invoice.paid").assert_ok()
    assert len(transport.requests) == 1
    receiver.close()


def test_the_transport_is_given_the_providers_deadline_or_the_receivers():
    transport = Recording()
    with hookmock.receiver(transport=transport, secret=SECRET) as receiver:
        receiver.send("charge.succeeded")
    with hookmock.receiver(transport=transport, secret=SECRET, timeout=2.5) as receiver:
        receiver.send("charge.succeeded")
    with hookmock.receiver(transport=transport, secret=SECRET, timeout=False) as receiver:
        receiver.send("charge.succeeded")
    assert transport.timeouts == [hookmock.stripe.timeout, 2.5, None]


class Raising:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def handle(self, request: hookmock.Request, *, timeout: float | None) -> hookmock.Response:
        raise self.exc


def test_a_transport_raising_timeout_error_is_a_timed_out_delivery():
    with hookmock.receiver(transport=Raising(TimeoutError("slow")), secret=SECRET) as receiver:
        result = receiver.send("charge.succeeded")
    assert result.timed_out
    assert not result.ok
    assert result.status is None


def test_an_answer_after_the_deadline_counts_as_timed_out():
    class Late:
        def handle(self, request: hookmock.Request, *, timeout: float | None) -> hookmock.Response:
            time.sleep(0.2)
            return hookmock.Response(200)

    with hookmock.receiver(transport=Late(), secret=SECRET, timeout=0.05) as receiver:
        result = receiver.send("charge.succeeded")
    assert result.timed_out


def test_a_transport_that_raises_is_a_failed_delivery_naming_it():
    transport = Raising(ConnectionResetError("peer went away"))
    with hookmock.receiver(transport=transport, secret=SECRET) as receiver:
        result = receiver.send("charge.succeeded")
        assert not result.ok
        assert result.status is None
        assert result.error is not None
        assert "raised ConnectionResetError: peer went away" in result.error
        assert "Raising object" in result.error  # the transport is named
        with pytest.raises(AssertionError) as info:
            result.assert_ok()
    text = str(info.value)
    assert "peer went away" in text
    assert "Traceback" not in text


@pytest.mark.parametrize(
    ("answer", "complaint"),
    [
        ({"status": 200}, "returned dict, not a hookmock.Response"),
        (hookmock.Response(200, {}, "text"), "a body of type str, not bytes"),  # type: ignore[arg-type]
        (hookmock.Response(42), "the status 42"),
        (hookmock.Response(200, {"X": 1}), "not a dict of str to str"),  # type: ignore[dict-item]
        (hookmock.Response(None), "no status and no error"),
    ],
)
def test_a_transport_answering_nonsense_is_a_failed_delivery(answer, complaint):
    class Odd:
        description = "odd transport"

        def handle(self, request: hookmock.Request, *, timeout: float | None) -> object:
            return answer

    with hookmock.receiver(transport=Odd(), secret=SECRET) as receiver:
        result = receiver.send("charge.succeeded")
    assert not result.ok
    assert result.error is not None
    assert result.error.startswith("the odd transport ")
    assert complaint in result.error


def test_the_body_kept_is_capped_and_a_transports_own_elapsed_is_used():
    class Big:
        def handle(self, request: hookmock.Request, *, timeout: float | None) -> hookmock.Response:
            return hookmock.Response(200, {}, b"x" * 200_000, elapsed=0.125)

    with hookmock.receiver(transport=Big(), secret=SECRET) as receiver:
        result = receiver.send("charge.succeeded")
    assert len(result.body) == 64 * 1024
    assert result.elapsed == 0.125


def test_a_handle_without_timeout_is_refused_when_the_receiver_is_built():
    class NoTimeout:
        def handle(self, request: hookmock.Request) -> hookmock.Response:
            return hookmock.Response(200)

    with pytest.raises(hookmock.ConfigurationError, match=r"handle\(self, request, \*, timeout\)"):
        hookmock.receiver(transport=NoTimeout(), secret=SECRET)


def test_a_transport_and_an_app_together_are_refused():
    with pytest.raises(hookmock.ConfigurationError, match="pass one"):
        hookmock.receiver("https://example.com/", transport=Recording(), secret=SECRET)
    with pytest.raises(hookmock.ConfigurationError, match="needs what to deliver to"):
        hookmock.receiver(secret=SECRET)


def test_the_built_in_targets_are_transports_too():
    from hookmock.delivery._targets import make_target

    seen: list[bytes] = []

    def app(environ, start_response):
        seen.append(environ["wsgi.input"].read())
        start_response("201 Created", [("Content-Type", "text/plain")])
        return [b"made"]

    target = make_target(app)
    assert isinstance(target, hookmock.Transport)
    body = b'{"a": "\xc3\xa9"}'
    response = target.handle(
        hookmock.Request("POST", "https://localhost/x", "/x", {"X-A": "1"}, body), timeout=5
    )
    assert response == hookmock.Response(201, {"Content-Type": "text/plain"}, b"made")
    assert seen == [body]
    target.close()


def test_the_seam_names_are_public_and_importing_hookmock_loads_no_transport_library():
    assert {"Request", "Response", "Transport"} <= set(hookmock.__all__)
    assert isinstance(Recording(), hookmock.Transport)
    code = (
        "import sys, hookmock; hookmock.Request; hookmock.Transport;"
        " print([m for m in ('aiohttp', 'requests', 'aws_lambda_powertools') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
