"""``hookmock.serve(app)``: a real HTTPS server on 127.0.0.1 with a throwaway CA, for one block."""

from __future__ import annotations

import contextlib
import threading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from ._targets import Target

# base URL -> CA bundle path, while the server runs; HTTPTarget looks its URL up here.
_live: dict[str, str] = {}
_live_lock = threading.Lock()


def ca_for_url(url: str) -> str | None:
    with _live_lock:
        for base, ca in _live.items():
            if url == base or url.startswith(base + "/"):
                return ca
    return None


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
        import tempfile

        import trustme

        self._ca = trustme.CA()
        self._cert = self._ca.issue_cert("127.0.0.1", "localhost", "::1")
        self._dir = tempfile.TemporaryDirectory(prefix="hookmock-ca-")
        self.ca_path = f"{self._dir.name}/ca.pem"
        self._ca.cert_pem.write_to_path(self.ca_path)

    def server_context(self) -> Any:
        import ssl

        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._cert.configure_cert(ctx)
        return ctx

    def cleanup(self) -> None:
        self._dir.cleanup()


def _handler_class(target: Target) -> type:
    from http.server import BaseHTTPRequestHandler

    class Handler(BaseHTTPRequestHandler):
        # HTTP/1.0: one request per connection, so shutdown never waits on an idle keep-alive.
        protocol_version = "HTTP/1.0"
        server_version = "hookmock"
        sys_version = ""

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers: dict[str, str] = {}
            for name, value in self.headers.items():
                if name.lower() != "content-length":
                    headers[name] = value
            resp = target.call(self.command, self.path, headers, body, None)
            self.send_response(resp.status or 502)
            for name, value in resp.headers.items():
                if name.lower() not in ("content-length", "connection", "server", "date"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(resp.body)))
            self.end_headers()
            self.wfile.write(resp.body)

        do_POST = do_GET = do_PUT = do_PATCH = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean; results carry status and timing

    return Handler


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
    from http.server import ThreadingHTTPServer

    from ._targets import make_target

    target = make_target(app, interface=interface)
    own_authority = authority is None
    auth = authority or Authority()
    context = auth.server_context()

    class Server(ThreadingHTTPServer):
        daemon_threads = False
        block_on_close = True  # server_close() joins the request threads: nothing leaks

        def get_request(self) -> Any:
            sock, addr = self.socket.accept()
            # Handshake in the request thread, so a stalled client cannot block accept().
            return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

    server = Server(("127.0.0.1", 0), _handler_class(target))
    port = server.server_address[1]
    url = BaseURL(f"https://127.0.0.1:{port}", ca_path=auth.ca_path, port=port)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="hookmock-serve"
    )
    thread.start()
    with _live_lock:
        _live[str(url)] = auth.ca_path
    try:
        yield url
    finally:
        with _live_lock:
            _live.pop(str(url), None)
        server.shutdown()
        server.server_close()
        thread.join()
        target.close()
        if own_authority:
            auth.cleanup()
