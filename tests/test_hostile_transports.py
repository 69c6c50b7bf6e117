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

    before = len(_threads_named("hookmock-wsgi"))
    held = _workers.abandoned()  # by earlier tests' handlers, if any still run
    r = hookmock.receiver(hangs, secret=SECRET, timeout=0.005)
    try:
        results = r.send_many(["invoice.paid"] * 80)
        assert all(res.timed_out for res in results)
        assert len(_threads_named("hookmock-wsgi")) - before <= _workers.MAX_ABANDONED + 1
        assert _workers.abandoned() <= _workers.MAX_ABANDONED
    finally:
        release.set()
        assert r.wait_for_handlers(5.0) == 0
        r.close()
    assert _workers.abandoned() <= held


def test_a_wsgi_receiver_dropped_without_close_lets_its_idle_threads_go():
    import gc

    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"ok"]

    before = len(_threads_named("hookmock-wsgi"))
    for _ in range(20):
        hookmock.receiver(app, secret=SECRET, timeout=5).send("invoice.paid")
    gc.collect()
    deadline = time.monotonic() + 5
    while len(_threads_named("hookmock-wsgi")) > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(_threads_named("hookmock-wsgi")) <= before


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


# Inline (timeout=False) in the main thread, a KeyboardInterrupt may be the user's Ctrl-C.
@pytest.mark.parametrize(
    ("exc", "timeout"), [(SystemExit, 5), (SystemExit, False), (KeyboardInterrupt, 5)]
)
def test_a_wsgi_app_raising_system_exit_is_a_failed_delivery_not_the_end_of_the_run(exc, timeout):
    def app(environ, start_response):
        raise exc(3)

    with hookmock.receiver(app, secret=SECRET, timeout=timeout) as r:
        result = r.send("invoice.paid")
    assert result.status == 500
    assert f"the app raised {exc.__name__}" in result.error


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


# -- ASGI ------------------------------------------------------------------------------------------


def _asgi_threads():
    return [t for t in _threads_named("hookmock-asgi") if t.is_alive()]


def _lifespan_or(handler, *, shutdown=None):
    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    if shutdown is not None:
                        await shutdown()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        await handler(scope, receive, send)

    return app


def _closes_quickly(receiver, limit=4.0):
    start = time.monotonic()
    receiver.close()
    return time.monotonic() - start < limit


def test_an_asgi_app_streaming_forever_without_suspending_is_stopped_at_the_timeout():
    sent = []

    async def endless(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        while True:  # send() never suspends in-process, so the loop never gets control back
            sent.append(1)
            await send({"type": "http.response.body", "body": b"x" * 1024, "more_body": True})

    before = len(_asgi_threads())
    r = hookmock.receiver(_lifespan_or(endless), secret=SECRET, timeout=0.3)
    start = time.monotonic()
    result = r.send("invoice.paid")
    assert result.timed_out
    assert time.monotonic() - start < 2.0
    assert r.wait_for_handlers(2.0) == 0
    count = len(sent)
    time.sleep(0.05)
    assert len(sent) == count
    assert _closes_quickly(r)
    assert len(_asgi_threads()) <= before


def test_an_asgi_app_spinning_without_ever_awaiting_is_stopped_and_closes():
    spins = [0]

    async def spins_forever(scope, receive, send):
        if spins[0] == 0:
            while True:
                spins[0] += 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    before = len(_asgi_threads())
    r = hookmock.receiver(_lifespan_or(spins_forever), secret=SECRET, timeout=0.3)
    result = r.send("invoice.paid")
    assert result.timed_out
    assert r.wait_for_handlers(2.0) == 0
    count = spins[0]
    time.sleep(0.05)
    assert spins[0] == count  # no longer burning CPU
    # The loop survived: the next delivery is answered.
    assert r.send("invoice.paid").ok
    assert _closes_quickly(r)
    assert len(_asgi_threads()) <= before


def test_an_asgi_app_blocking_its_loop_in_a_call_is_left_behind_and_reported_at_close(
    monkeypatch,
):
    from hookmock.delivery import _asgi

    monkeypatch.setattr(_asgi, "STOP_TIMEOUT", 0.3)

    async def blocks(scope, receive, send):
        time.sleep(2.5)  # blocking, in C: no exception can interrupt it

    r = hookmock.receiver(_lifespan_or(blocks), secret=SECRET, timeout=0.2)
    assert r.send("invoice.paid").timed_out
    start = time.monotonic()
    with pytest.raises(hookmock.ConfigurationError, match="kept its event loop busy"):
        r.close()
    assert time.monotonic() - start < 1.5


def test_a_starlette_stream_that_never_suspends_is_stopped_at_the_timeout():
    from starlette.applications import Starlette
    from starlette.responses import StreamingResponse
    from starlette.routing import Route

    produced = []

    async def forever():
        while True:
            produced.append(1)
            yield b"chunk" * 100

    async def hook(request):
        return StreamingResponse(forever())

    app = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    r = hookmock.receiver(app, path="/hook", secret=SECRET, timeout=0.3)
    result = r.send("invoice.paid")
    assert result.timed_out
    assert r.wait_for_handlers(2.0) == 0
    count = len(produced)
    time.sleep(0.05)
    assert len(produced) == count
    assert _closes_quickly(r)


def test_an_asgi_body_is_kept_only_up_to_the_limit():
    async def huge(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for _ in range(100):
            await send({"type": "http.response.body", "body": b"y" * 10_000, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    with hookmock.receiver(_lifespan_or(huge), secret=SECRET, timeout=5) as r:
        result = r.send("invoice.paid")
    assert result.status == 200
    assert len(result.body) == BODY_LIMIT


def test_a_stuck_asgi_lifespan_shutdown_is_a_hookmock_error_and_the_loop_still_stops(
    monkeypatch,
):
    import asyncio

    from hookmock.delivery import _asgi

    monkeypatch.setattr(_asgi, "LIFESPAN_TIMEOUT", 0.3)

    async def ok(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def hangs():
        await asyncio.sleep(3600)

    before = len(_asgi_threads())
    r = hookmock.receiver(_lifespan_or(ok, shutdown=hangs), secret=SECRET, timeout=5)
    assert r.send("invoice.paid").ok
    start = time.monotonic()
    with pytest.raises(hookmock.ConfigurationError, match="did not finish its lifespan shutdown"):
        r.close()
    assert time.monotonic() - start < 3.0
    assert len(_asgi_threads()) <= before


def test_a_failed_asgi_lifespan_shutdown_is_reported_at_close():
    async def ok(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.failed", "message": "db pool stuck"})
            return
        await ok(scope, receive, send)

    r = hookmock.receiver(app, secret=SECRET, timeout=5)
    assert r.send("invoice.paid").ok
    with pytest.raises(hookmock.ConfigurationError, match=r"shutdown\.failed': db pool stuck"):
        r.close()


@pytest.mark.parametrize("exc", [SystemExit, KeyboardInterrupt])
def test_an_asgi_app_raising_system_exit_is_a_failed_delivery_at_once(exc):
    calls = []

    async def app(scope, receive, send):
        calls.append(1)
        if len(calls) == 1:
            raise exc(3)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    r = hookmock.receiver(_lifespan_or(app), secret=SECRET, timeout=5)
    start = time.monotonic()
    result = r.send("invoice.paid")
    assert time.monotonic() - start < 1.0
    assert not result.ok
    assert not result.timed_out
    assert f"the app raised {exc.__name__}" in result.error
    assert r.send("invoice.paid").ok  # the loop survived
    assert _closes_quickly(r, 1.0)


def test_an_asgi_background_task_raising_system_exit_does_not_kill_the_loop():
    import asyncio

    async def app(scope, receive, send):
        async def bye():
            raise SystemExit(1)

        asyncio.get_running_loop().create_task(bye())
        await asyncio.sleep(0.01)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    r = hookmock.receiver(_lifespan_or(app), secret=SECRET, timeout=5)
    assert r.send("invoice.paid").ok
    assert r.send("invoice.paid").ok
    assert _closes_quickly(r, 1.0)


def test_an_asgi_app_gets_non_latin_1_paths_hosts_and_headers_encoded_as_on_the_wire():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    r = hookmock.receiver(
        _lifespan_or(app), path="/hoök/✓?q=é", host="bücher.example", secret=SECRET, timeout=5
    )
    with r:
        assert r.send("invoice.paid", headers={"X-Note": "ünï ✓"}).ok
    scope = seen[0]
    assert scope["path"] == "/hoök/✓"
    assert scope["raw_path"] == b"/ho%C3%B6k/%E2%9C%93"
    assert scope["query_string"] == b"q=%C3%A9"
    headers = dict(scope["headers"])
    assert headers[b"host"] == b"xn--bcher-kva.example"
    assert headers[b"x-note"] == "ünï ✓".encode()


def test_a_non_ascii_header_name_is_refused_with_a_clear_error():
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    r = hookmock.receiver(_lifespan_or(app), secret=SECRET, timeout=5)
    with r, pytest.raises(hookmock.ConfigurationError, match="header name 'X-Nöte' is not ASCII"):
        r.send("invoice.paid", headers={"X-Nöte": "1"})


@pytest.mark.parametrize(
    ("name", "value", "label"),
    [(b"x-evil", b"a\r\nset-cookie: owned=1", "CR"), (b"x-evil", b"a\nb", "LF")],
)
def test_an_asgi_response_header_holding_cr_or_lf_fails_the_delivery(name, value, label):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(name, value)]})
        await send({"type": "http.response.body", "body": b"ok"})

    with hookmock.receiver(_lifespan_or(app), secret=SECRET, timeout=5) as r:
        result = r.send("invoice.paid")
    assert not result.ok
    assert f"holds {label}" in result.error
    assert "ASGI protocol" in result.error


# -- URL targets against hostile servers ----------------------------------------------------------


class _RawServer:
    """A loopback TCP server running ``handler(conn)`` per connection in daemon threads; closing
    it shuts every connection down, so no handler outlives the test."""

    def __init__(self, handler, tls=None):
        import socket

        self.handler = handler
        self.tls = tls
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.sock.getsockname()[1]}"
        self.conns = []
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:  # the 0.1 s accept timeout, or the socket closed
                continue
            conn.settimeout(10)
            self.conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        import contextlib

        with contextlib.suppress(OSError):
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            self.handler(conn, self.closed)
        with contextlib.suppress(OSError):
            conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        import contextlib
        import socket

        self.closed.set()
        self.thread.join(2)
        self.sock.close()
        for conn in self.conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
                conn.close()


def _read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(rest) < length:
        rest += conn.recv(65536)
    return head


def _trickle(text):
    def handler(conn, closed):
        _read_request(conn)
        for byte in text:
            if closed.wait(0.3):
                return
            conn.sendall(bytes([byte]))

    return handler


def test_a_server_trickling_its_headers_cannot_stretch_the_timeout():
    with _RawServer(_trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200)) as server:
        r = hookmock.receiver(server.url + "/hook", secret=SECRET, timeout=1)
        start = time.monotonic()
        result = r.send("invoice.paid")
        took = time.monotonic() - start
        r.close()
    assert result.timed_out
    assert took < 2.0


def test_a_tls_server_trickling_its_headers_cannot_stretch_the_timeout():
    from hookmock.delivery._serve import Authority

    authority = Authority()
    try:
        handler = _trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200)
        with _RawServer(handler, tls=authority.server_context()) as server:
            r = hookmock.receiver(
                server.url + "/hook", secret=SECRET, timeout=1, verify=authority.ca_path
            )
            start = time.monotonic()
            result = r.send("invoice.paid")
            took = time.monotonic() - start
            r.close()
    finally:
        authority.cleanup()
    assert result.timed_out
    assert took < 2.0


def test_a_server_trickling_its_body_cannot_stretch_the_timeout():
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"

    def handler(conn, closed):
        _read_request(conn)
        conn.sendall(head)
        while not closed.wait(0.3):
            conn.sendall(b"x")

    with _RawServer(handler) as server:
        r = hookmock.receiver(server.url + "/hook", secret=SECRET, timeout=1)
        start = time.monotonic()
        result = r.send("invoice.paid")
        took = time.monotonic() - start
        r.close()
    assert result.timed_out
    assert took < 2.0


def test_an_endless_response_body_is_cut_at_the_limit():
    def handler(conn, closed):
        _read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
        block = b"z" * 65536
        while not closed.is_set():
            conn.sendall(block)

    with _RawServer(handler) as server:
        r = hookmock.receiver(server.url + "/hook", secret=SECRET, timeout=5)
        start = time.monotonic()
        result = r.send("invoice.paid")
        took = time.monotonic() - start
        r.close()
    assert result.status == 200
    assert len(result.body) == BODY_LIMIT
    assert took < 2.0


def test_cli_send_timeout_is_a_total_deadline_against_a_trickling_server():
    import io

    from hookmock.cli import main

    out, err = io.StringIO(), io.StringIO()
    with _RawServer(_trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200)) as server:
        start = time.monotonic()
        argv = ["send", server.url + "/hook", "stripe", "invoice.paid", "--secret", "w"]
        code = main(
            [*argv, "--timeout", "1"],
            stdout=out,
            stderr=err,
        )
        took = time.monotonic() - start
    assert code == 1, err.getvalue()
    assert "1 s" in out.getvalue() + err.getvalue()
    assert took < 2.5


def _keep_alive(conn, closed):
    while not closed.is_set():
        if _read_request(conn) is None:
            return
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")


def _open_fds():
    import os

    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not __import__("os").path.isdir("/proc/self/fd"), reason="needs /proc")
def test_repeated_concurrent_batches_to_a_url_reuse_their_connections():
    with _RawServer(_keep_alive) as server:
        r = hookmock.receiver(server.url + "/hook", secret=SECRET, timeout=5)
        r.send_many(["invoice.paid"] * 8, concurrency=4)
        before = _open_fds()
        for _ in range(15):
            results = r.send_many(["invoice.paid"] * 8, concurrency=4)
            assert all(res.ok for res in results)
        grown = _open_fds() - before
        r.close()
    # Without reuse each batch opened 4 new sessions (and 4 connections on each side).
    assert grown <= 8


# -- serve() against hostile clients and stuck apps -----------------------------------------------


def _ok_wsgi(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def _tls_exchange(url, raw):
    import socket
    import ssl

    context = ssl.create_default_context(cafile=url.ca_path)
    with (
        socket.create_connection(("127.0.0.1", url.port), timeout=5) as sock,
        context.wrap_socket(sock, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(raw)
        data = b""
        while chunk := tls.recv(65536):
            data += chunk
    return data


def _tls_half(url):
    import socket
    import ssl

    context = ssl.create_default_context(cafile=url.ca_path)
    with (
        socket.create_connection(("127.0.0.1", url.port), timeout=5) as sock,
        context.wrap_socket(sock, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(b"POST /hook HTTP/1.0\r\nContent-Length: 10\r\n\r\nabc")


def _request_threads():
    return [t for t in _threads_named("hookmock-serve") if t.is_alive()]


def test_serve_shuts_down_in_bounded_time_with_an_idle_connection_open():
    import socket

    before = len(_request_threads())
    with hookmock.serve(_ok_wsgi) as url:
        idle = socket.create_connection(("127.0.0.1", url.port), timeout=5)
        time.sleep(0.1)  # accepted: a request thread now waits for bytes that never come
        start = time.monotonic()
    took = time.monotonic() - start
    idle.close()
    assert took < 3.0
    assert len(_request_threads()) == before


def test_serve_shuts_down_in_bounded_time_while_a_request_is_stuck_in_the_app():
    release = threading.Event()
    entered = threading.Event()

    def stuck(environ, start_response):
        entered.set()
        release.wait(30)
        start_response("200 OK", [])
        return [b"late"]

    try:
        with hookmock.serve(stuck) as url:
            r = hookmock.receiver(url + "/hook", secret=SECRET, timeout=0.5)
            assert r.send("invoice.paid").timed_out
            r.close()
            assert entered.wait(5)
            start = time.monotonic()
        assert time.monotonic() - start < 5.0
    finally:
        release.set()


def test_hostile_clients_get_no_server_traceback_on_stderr(capfd):
    import socket

    with hookmock.serve(_ok_wsgi) as url:
        # Connect and hang up before the TLS handshake (SSL EOF).
        socket.create_connection(("127.0.0.1", url.port), timeout=5).close()
        # Plain HTTP to the TLS port.
        with socket.create_connection(("127.0.0.1", url.port), timeout=5) as plain:
            plain.sendall(b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
            plain.settimeout(5)
            try:
                while plain.recv(65536):
                    pass
            except OSError:
                pass
        # TLS, then half a request and a hang-up.
        _tls_half(url)
        result = hookmock.receiver(url + "/hook", secret=SECRET, timeout=5).send("invoice.paid")
        time.sleep(0.2)
    assert result.ok
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("length", ["abc", "-5", str(10**15), "40000000", "1_0", "٣"])
def test_a_bad_content_length_gets_a_400_without_reading_a_body(capfd, length):
    with hookmock.serve(_ok_wsgi) as url:
        raw = f"POST /hook HTTP/1.0\r\nHost: x\r\nContent-Length: {length}\r\n\r\n"
        answer = _tls_exchange(url, raw.encode())
    assert answer.startswith(b"HTTP/1.0 400 "), answer[:200]
    assert "Traceback" not in capfd.readouterr().err


def test_a_response_header_holding_crlf_is_never_written_raw_by_serve():
    def injects(environ, start_response):
        start_response("200 OK", [("X-Evil", "a\r\nSet-Cookie: owned=1")])
        return [b"ok"]

    with hookmock.serve(injects) as url:
        raw = b"POST /hook HTTP/1.0\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
        answer = _tls_exchange(url, raw)
    head = answer.partition(b"\r\n\r\n")[0]
    assert head.startswith(b"HTTP/1.0 500 ")
    assert b"Set-Cookie" not in head


def test_serve_answers_504_when_the_app_outlives_its_time(monkeypatch):
    from hookmock.delivery import _serve

    monkeypatch.setattr(_serve, "APP_TIMEOUT", 0.3)
    release = threading.Event()

    def stuck(environ, start_response):
        release.wait(10)
        start_response("200 OK", [])
        return [b"late"]

    try:
        with hookmock.serve(stuck) as url:
            result = hookmock.receiver(url + "/hook", secret=SECRET, timeout=5).send("invoice.paid")
    finally:
        release.set()
    assert result.status == 504


def test_serve_refuses_a_chunked_body_with_411():
    with hookmock.serve(_ok_wsgi) as url:
        raw = b"POST /hook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
        answer = _tls_exchange(url, raw)
    assert answer.startswith(b"HTTP/1.0 411 ")
