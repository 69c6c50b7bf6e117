"""Hostile apps and servers against the delivery targets: every delivery ends, memory and threads
stay bounded, and a broken answer is a failed delivery naming the rule. Loopback only."""

from __future__ import annotations

import threading
import time

import pytest

import hookmock
from hookmock.delivery._targets import BODY_LIMIT

SECRET = "whsec_x"


def _threads_named(prefix):
    return [t for t in threading.enumerate() if t.name.startswith(prefix)]


# -- WSGI ------------------------------------------------------------------------------------------


def test_a_timed_out_streaming_wsgi_app_stops_being_read_at_the_timeout():
    pulled = []

    def endless(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        while True:
            pulled.append(1)
            time.sleep(0.001)
            yield b"x" * 1024

    r = hookmock.receiver(endless, secret=SECRET, timeout=0.3)
    result = r.send("invoice.paid")
    assert result.timed_out
    # The worker stops pulling the body at the timeout and its thread comes back.
    assert r.wait_for_handlers(2.0) == 0
    count = len(pulled)
    time.sleep(0.1)
    assert len(pulled) == count
    r.close()


def test_a_huge_wsgi_body_is_kept_only_up_to_the_limit():
    def huge(environ, start_response):
        start_response("200 OK", [])
        return [b"y" * (BODY_LIMIT + 10_000), b"z" * 5000]

    with hookmock.receiver(huge, secret=SECRET, timeout=5) as r:
        result = r.send("invoice.paid")
    assert result.status == 200
    assert len(result.body) == BODY_LIMIT
    assert BODY_LIMIT == 64 * 1024


def test_hung_wsgi_handlers_hold_a_bounded_number_of_threads():
    from hookmock.delivery import _workers

    release = threading.Event()

    def hangs(environ, start_response):
        release.wait(30)
        start_response("200 OK", [])
        return [b""]

    r = hookmock.receiver(hangs, secret=SECRET, timeout=0.005)
    try:
        results = r.send_many(["invoice.paid"] * 80)
        assert all(res.timed_out for res in results)
        assert len(_threads_named("hookmock-wsgi")) <= _workers.MAX_ABANDONED + 1
        assert _workers.abandoned() <= _workers.MAX_ABANDONED
    finally:
        release.set()
        assert r.wait_for_handlers(5.0) == 0
        r.close()
    assert _workers.abandoned() == 0


def _twice(second_exc_info=False, after_body=False):
    def app(environ, start_response):
        start_response("200 OK", [])
        if after_body:
            yield b"partial"
        try:
            raise ValueError("boom")
        except ValueError:
            import sys

            start_response("500 Oops", [], sys.exc_info() if second_exc_info else None)
        yield b"done"

    return app


@pytest.mark.parametrize(
    ("app", "message"),
    [
        (_twice(), "start_response() was called a second time without exc_info"),
        (_twice(after_body=True), "called again after body bytes were sent"),
        (_twice(second_exc_info=True, after_body=True), "called again after body bytes"),
    ],
)
def test_a_second_start_response_breaking_pep_3333_fails_the_delivery(app, message):
    with hookmock.receiver(app, secret=SECRET, timeout=5) as r:
        result = r.send("invoice.paid")
    assert not result.ok
    assert message in result.error
    assert "PEP 3333" in result.error


def test_a_second_start_response_with_exc_info_before_the_body_is_allowed():
    with hookmock.receiver(_twice(second_exc_info=True), secret=SECRET, timeout=5) as r:
        result = r.send("invoice.paid")
    assert result.status == 500
    assert result.error is None
    assert result.body == b"done"


@pytest.mark.parametrize(
    ("name", "value", "label"),
    [
        ("X-Evil", "a\r\nSet-Cookie: owned=1", "CR"),
        ("X-Evil", "a\nb", "LF"),
        ("X-Evil", "a\x00b", "NUL"),
        ("X-Evil\r\nSet-Cookie", "1", "CR"),
    ],
)
def test_a_wsgi_response_header_holding_cr_lf_or_nul_fails_the_delivery(name, value, label):
    def app(environ, start_response):
        start_response("200 OK", [(name, value)])
        return [b"ok"]

    with hookmock.receiver(app, secret=SECRET, timeout=5) as r:
        result = r.send("invoice.paid")
    assert not result.ok
    assert f"holds {label}" in result.error
    assert "RFC 9110" in result.error
