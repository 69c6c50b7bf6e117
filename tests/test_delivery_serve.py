"""hookmock.serve(): a real HTTPS endpoint on 127.0.0.1 with a throwaway CA, gone after the block."""

import socket
import ssl
import threading

import pytest
import requests
from _helpers_delivery import ASGICapture, WSGICapture

import hookmock

#: The signing secret these tests give their receivers (hookmock has no default).
SECRET = "whsec_test"


def test_serve_delivers_over_real_tls_and_leaves_no_threads_or_port_behind():
    app = WSGICapture()
    before = set(threading.enumerate())
    with hookmock.serve(app) as base_url:
        assert base_url.startswith("https://127.0.0.1:")
        receiver = hookmock.receiver(base_url + "/hooks", secret="whsec_tls")
        result = receiver.send("checkout.session.completed")
        receiver.close()
        port = base_url.port
    result.assert_ok()
    assert result.target == f"URL {base_url}/hooks"
    [seen] = app.requests
    assert seen["body"] == result.event.body
    assert seen["environ"]["PATH_INFO"] == "/hooks"
    hookmock.verify(
        "stripe",
        seen["body"],
        {"Stripe-Signature": seen["environ"]["HTTP_STRIPE_SIGNATURE"]},
        "whsec_tls",
    )
    assert set(threading.enumerate()) <= before
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", port))


def test_serve_runs_an_asgi_app_too():
    app = ASGICapture()
    with (
        hookmock.serve(app) as base_url,
        hookmock.receiver(base_url, provider="github", secret="s") as receiver,
    ):
        result = receiver.send("push")
    result.assert_ok()
    assert app.requests[0]["body"] == result.event.body
    assert app.lifespan == ["lifespan.startup", "lifespan.shutdown"]


def test_the_server_certificate_is_trusted_only_through_its_own_ca():
    with hookmock.serve(WSGICapture()) as base_url:
        with pytest.raises(requests.exceptions.SSLError):
            requests.post(base_url, data=b"{}", timeout=5)
        assert requests.post(base_url, data=b"{}", timeout=5, verify=base_url.ca_path).ok
        ctx = ssl.create_default_context(cafile=base_url.ca_path)
        with (
            socket.create_connection(("127.0.0.1", base_url.port)) as raw,
            ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
        ):
            assert tls.version() in ("TLSv1.2", "TLSv1.3")


def test_a_redirect_from_a_live_url_is_not_followed_and_counts_as_failure():
    app = WSGICapture("302 Found")
    with hookmock.serve(app) as base_url, hookmock.receiver(base_url, secret=SECRET) as receiver:
        result = receiver.send("charge.succeeded")
    assert result.status == 302
    assert len(app.requests) == 1
    with pytest.raises(hookmock.DeliveryError, match="302 Found"):
        result.assert_ok()


def test_a_slow_live_endpoint_times_out():
    with (
        hookmock.serve(WSGICapture(delay=0.6)) as base_url,
        hookmock.receiver(base_url, timeout=0.2, secret=SECRET) as receiver,
    ):
        result = receiver.send("charge.succeeded")
    assert result.timed_out
    assert "timed out" in result.explain("expected 2xx")


def test_a_connection_failure_is_a_failed_delivery_not_a_crash():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with hookmock.receiver(f"http://127.0.0.1:{port}/x", timeout=2, secret=SECRET) as receiver:
        result = receiver.send("charge.succeeded")
    assert result.status is None
    assert "ConnectionError" in result.error
