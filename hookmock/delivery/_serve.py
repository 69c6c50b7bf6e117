"""``hookmock.serve(app)``: a real HTTPS server on 127.0.0.1 with a throwaway CA, for one block."""

from __future__ import annotations

import contextlib
import socket
import ssl
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ._shared import DeliveryTimeout, Request, bad_header, trust, untrust
from ._targets import make_target

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from ._shared import Target


class BaseURL(str):
    """The server's ``https://127.0.0.1:<port>`` URL, with the CA bundle that trusts it."""

    ca_path: str
    port: int

    def __new__(cls, url: str, *, ca_path: str, port: int) -> BaseURL:
        self = super().__new__(cls, url)
        self.ca_path = ca_path
        self.port = port
        return self


class Authority:
    """A throwaway certificate authority and one server certificate for 127.0.0.1/localhost."""

    def __init__(self) -> None:
        # Import budget: trustme (cryptography) loads when serve() needs a certificate.
        import trustme

        self._ca = trustme.CA()
        self._cert = self._ca.issue_cert("127.0.0.1", "localhost", "::1")
        self._dir = tempfile.TemporaryDirectory(prefix="hookmock-ca-")
        self.ca_path = f"{self._dir.name}/ca.pem"
        self._ca.cert_pem.write_to_path(self.ca_path)

    def server_context(self) -> Any:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._cert.configure_cert(ctx)
        return ctx

    def cleanup(self) -> None:
        self._dir.cleanup()


#: Seconds a connection may sit between reads (TLS handshake, request line, headers, body).
REQUEST_TIMEOUT = 10.0
#: Seconds the app may take to answer one request before the client gets a 504.
APP_TIMEOUT = 60.0
#: Seconds closing the server waits for request threads before it leaves stuck ones behind.
CLOSE_TIMEOUT = 2.0
#: The largest request body accepted (no provider delivers webhook payloads over 25 MB).
MAX_BODY = 32 * 1024 * 1024


def _handler_class(target: Target) -> type:
    class Handler(BaseHTTPRequestHandler):
        # HTTP/1.0: one request per connection, so shutdown never waits on an idle keep-alive.
        protocol_version = "HTTP/1.0"
        server_version = "hookmock"
        sys_version = ""
        # Applied to the socket: a client that stalls mid-request frees its thread.
        timeout = REQUEST_TIMEOUT

        def _length(self) -> int | None:
            """The request's Content-Length, or None after answering 400/411 for a bad one."""
            if self.headers.get("Transfer-Encoding"):
                self.send_error(411, "Send the body with a Content-Length")
                return None
            values = self.headers.get_all("Content-Length") or []
            if not values:
                return 0
            text = values[0].strip()
            # Digits only: int() would take '-5', ' 5', '5_0' and a 4,300-digit number.
            if len(set(values)) > 1 or not (text.isascii() and text.isdigit()) or len(text) > 12:
                self.send_error(400, f"Bad Content-Length {values[0][:40]!r}")
                return None
            length = int(text)
            if length > MAX_BODY:
                self.send_error(
                    400, f"Content-Length {length} is over the {MAX_BODY // 2**20} MiB limit"
                )
                return None
            return length

        def _handle(self) -> None:
            length = self._length()
            if length is None:
                return
            body = self.rfile.read(length) if length else b""
            if len(body) < length:
                return  # the client went away mid-body
            headers: dict[str, str] = {}
            for name, value in self.headers.items():
                if name.lower() != "content-length":
                    headers[name] = value
            try:
                request = Request(self.command, target.url(self.path), self.path, headers, body)
                resp = target.handle(request, timeout=APP_TIMEOUT)
            except DeliveryTimeout:
                self.send_error(504, f"The app did not answer within {APP_TIMEOUT:g} s")
                return
            out = [
                (name, value)
                for name, value in resp.headers.items()
                if name.lower() not in ("content-length", "connection", "server", "date")
            ]
            if any(bad_header(name, value) for name, value in out):
                # Never written raw: a CR/LF would let the app inject headers or a response.
                self.send_error(502, "The app answered a header holding CR, LF or NUL")
                return
            self.send_response(resp.status or 502)
            for name, value in out:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(resp.body)))
            self.end_headers()
            self.wfile.write(resp.body)

        do_POST = do_GET = do_PUT = do_PATCH = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean; results carry status and timing

    return Handler


def _server_class(context: Any) -> type:
    class Server(ThreadingHTTPServer):
        """Threads per request, each tracked with its connection, so that closing is bounded:
        idle and stalled connections are shut down, and a request stuck in the app is left
        to its daemon thread after CLOSE_TIMEOUT."""

        daemon_threads = True
        block_on_close = False

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._open: dict[threading.Thread, Any] = {}
            self._open_lock = threading.Lock()

        def get_request(self) -> Any:
            sock, addr = self.socket.accept()
            # Handshake in the request thread, so a stalled client cannot block accept().
            return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

        def process_request(self, request: Any, client_address: Any) -> None:
            thread = threading.Thread(
                target=self._one,
                args=(request, client_address),
                name="hookmock-serve-request",
                daemon=True,
            )
            with self._open_lock:
                self._open[thread] = request
            thread.start()

        def _one(self, request: Any, client_address: Any) -> None:
            try:
                self.process_request_thread(request, client_address)
            finally:
                with self._open_lock:
                    self._open.pop(threading.current_thread(), None)

        def handle_error(self, request: Any, client_address: Any) -> None:
            """A client that hangs up, speaks plain HTTP to the TLS port or fails the TLS
            handshake has already got its answer (or none); no traceback on stderr."""

        def close_requests(self) -> None:
            deadline = time.monotonic() + CLOSE_TIMEOUT
            with self._open_lock:
                threads = list(self._open)
            for thread in threads:  # requests finishing their answer: a moment to do so
                thread.join(min(0.2, max(0.0, deadline - time.monotonic())))
            with self._open_lock:
                left = list(self._open.items())
            for _, conn in left:  # idle or stalled connections: wake their threads
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(conn, socket.SHUT_RDWR)
            for thread, _ in left:
                thread.join(max(0.0, deadline - time.monotonic()))

    return Server


@contextlib.contextmanager
def serve(
    app: Any,
    *,
    interface: str | None = None,
    authority: Authority | None = None,
) -> Iterator[BaseURL]:
    """Serve a WSGI or ASGI ``app`` over HTTPS on 127.0.0.1 (ephemeral port) for the block.

    Yields the base URL (``https://127.0.0.1:PORT``); ``hookmock.receiver(url)`` trusts this
    server's throwaway CA automatically, and ``url.ca_path`` is the CA bundle for other clients.
    The server, its threads and its port are gone when the block ends.
    """
    target = make_target(app, interface=interface)
    own_authority = authority is None
    auth = authority or Authority()
    server = _server_class(auth.server_context())(("127.0.0.1", 0), _handler_class(target))
    port = server.server_address[1]
    url = BaseURL(f"https://127.0.0.1:{port}", ca_path=auth.ca_path, port=port)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="hookmock-serve"
    )
    thread.start()
    trust(str(url), auth.ca_path)
    try:
        yield url
    finally:
        untrust(str(url))
        try:
            server.shutdown()
            server.server_close()
            thread.join()
            server.close_requests()
            target.close()
        finally:
            if own_authority:
                auth.cleanup()
