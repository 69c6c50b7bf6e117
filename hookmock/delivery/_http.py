"""Live URL target: POSTs over the network with requests, never following redirects."""

from __future__ import annotations

import contextlib
import heapq
import ipaddress
import os
import socket
import ssl
import threading
import time
from urllib.parse import urlsplit

from .._errors import ConfigurationError
from .._redaction import redact_url
from ._shared import BODY_LIMIT, DeliveryTimeout, Request, Response, ca_for_url

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    # Import budget: requests (~60 ms) loads with the first delivery to a URL.
    import requests

LOOPBACK_NAMES = ("localhost", "localhost.")


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, allow_insecure_http: bool) -> None:
    """Refuse what a provider refuses: anything but https, except plain http to loopback."""
    if not isinstance(allow_insecure_http, bool):  # "false" is truthy: never guess
        raise ConfigurationError(
            f"allow_insecure_http takes True or False, got {type(allow_insecure_http).__name__}"
            f" {allow_insecure_http!r:.40}."
        )

    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018 - parsing the port is what raises on a bad one
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        raise ConfigurationError(
            f"A receiver URL must look like https://host/path; {redact_url(url)!r} is not a valid"
            f" URL ({exc})."
        ) from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise ConfigurationError(
            f"A receiver URL must look like https://host/path; got {redact_url(url)!r}."
        )
    if parts.scheme == "http" and not is_loopback(hostname) and not allow_insecure_http:
        raise ConfigurationError(
            template="Refusing to send webhooks over plain http to {host!r}: providers deliver"
            " over https only. Use an https:// URL (hookmock.serve(app) gives you one), or pass"
            " {fix} if you really mean it.",
            argument="allow_insecure_http",
            host=hostname,
        )


class HTTPTarget:
    """Delivers to a live URL; a 3xx comes back as the failure it is for providers.

    ``timeout`` is a wall-clock deadline for the whole exchange (connect, TLS, headers and body):
    a watchdog shuts the socket down when it passes, so a server trickling bytes cannot stretch
    it. At most BODY_LIMIT bytes of the body are read. Sessions are pooled, one per concurrent
    call, so repeated concurrent batches reuse them instead of opening new sockets each time.
    """

    in_process = False
    builtin_target = True

    def __init__(self, base_url: str, *, allow_insecure_http: bool = False, verify: Any = None):
        check_url(base_url, allow_insecure_http=allow_insecure_http)
        self.base_url = base_url
        self.description = f"URL {base_url}"
        if verify is None:
            # A URL from hookmock.serve() trusts that server's throwaway CA and nothing else.
            verify = ca_for_url(base_url)
        self.verify: Any = True if verify is None else verify
        self._lock = threading.Lock()
        self._free: list[requests.Session] = []
        self._sessions: list[requests.Session] = []
        self._context: Any = None

    def url(self, path: str) -> str:
        if path in ("", "/") and urlsplit(self.base_url).path not in ("", "/"):
            return self.base_url
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def prepare(self) -> None:
        """One-off setup (importing requests, the session, the TLS context), done before a
        delivery's clock starts so that the first ``elapsed`` measures the request alone."""
        with self._lock:
            if self._sessions:
                return
        self._release(self._take())

    def _take(self) -> requests.Session:
        """A session no other call is using (requests' sessions are not thread-safe)."""
        with self._lock:
            if self._free:
                return self._free.pop()
        # Import budget: requests (~60 ms) loads with the first delivery to a URL.
        import requests

        session = requests.Session()
        # Send the provider's headers, not requests' defaults (python-requests UA, gzip).
        session.headers.clear()
        if isinstance(self.verify, str) and self._context is None:
            # A CA bundle path would be re-read for every new connection; load it once.
            self._context = _context_for(self.verify)
        adapter = _adapter(self._context)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        with self._lock:
            self._sessions.append(session)
        return session

    def _release(self, session: requests.Session) -> None:
        with self._lock:
            self._free.append(session)

    def handle(self, request: Request, *, timeout: float | None) -> Response:
        # Import budget: requests (~60 ms) loads with the first delivery to a URL.
        import requests

        method, headers, body = request.method, dict(request.headers), request.body

        call = _Exchange(None if timeout is None else time.monotonic() + timeout)
        session = self._take()
        _current.exchange = call
        if call.deadline is not None:
            _watchdog.arm(call, call.deadline)
        try:
            resp = session.request(
                method,
                request.url,
                data=body,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
                stream=True,
                # A CA path is already in the session's TLS context (see _adapter).
                verify=True if isinstance(self.verify, str) else self.verify,
            )
            try:
                content = _read_capped(resp)
            finally:
                resp.close()  # a body left unread closes the connection instead of reusing it
            if call.expired:
                raise DeliveryTimeout
            return Response(resp.status_code, dict(resp.headers), content)
        except requests.Timeout:
            raise DeliveryTimeout from None
        except Exception as exc:
            if call.expired:
                raise DeliveryTimeout from None  # the watchdog cut the connection
            if not isinstance(exc, (requests.RequestException, OSError)):
                raise
            return Response(None, {}, b"", error=f"{type(exc).__name__}: {exc}")
        finally:
            call.finish()
            if call.deadline is not None:
                _watchdog.disarm()
            _current.exchange = None
            self._release(session)

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions, self._free = self._sessions, [], []
        for session in sessions:
            session.close()


def _read_capped(resp: requests.Response) -> bytes:
    """The first BODY_LIMIT bytes of the body; the rest is never read."""
    got = bytearray()
    for chunk in resp.iter_content(16 * 1024):
        got += chunk
        if len(got) >= BODY_LIMIT:
            del got[BODY_LIMIT:]
            break
    return bytes(got)


class _Exchange:
    """One request's deadline and the connections it uses, which the watchdog shuts down at the
    deadline.

    Each connection is held through a duplicate of its descriptor, made when the exchange first
    sees it: shutting that down cuts the connection whatever wraps it by then (the TLS socket
    that replaces the plain one during the handshake), and the duplicate, closed only when the
    exchange ends, keeps its number from going to another socket meanwhile.
    """

    __slots__ = ("deadline", "dups", "expired", "finished", "lock")

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline
        self.expired = False
        self.finished = False
        #: Original descriptor number -> our duplicate of it.
        self.dups: dict[int, socket.socket] = {}
        self.lock = threading.Lock()

    def add(self, sock: socket.socket) -> None:
        with self.lock:
            fd = sock.fileno()
            if self.finished or fd < 0 or fd in self.dups:
                return
            try:
                dup = socket.socket(fileno=os.dup(fd))
            except OSError:
                return
            self.dups[fd] = dup
            if self.expired:  # the deadline passed while it was connecting
                _shut(dup)

    def expire(self) -> None:
        with self.lock:  # held, so that finish() cannot close a duplicate being shut down
            if self.finished:
                return
            self.expired = True
            for dup in self.dups.values():
                _shut(dup)

    def finish(self) -> None:
        with self.lock:
            self.finished = True
            dups, self.dups = list(self.dups.values()), {}
        for dup in dups:
            dup.close()


def _shut(sock: socket.socket) -> None:
    """Wake the thread blocked on this connection: shut it down (both ways); no close."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


#: The exchange running in this thread, for the connection classes below to register with.
_current = threading.local()


def _register(sock: socket.socket) -> None:
    call: _Exchange | None = getattr(_current, "exchange", None)
    if call is not None and call.deadline is not None:  # timeout=False: nothing to cut
        call.add(sock)


class _Watchdog:
    """One thread that expires exchanges at their deadlines while any is armed, then ends (no
    thread per request, and none left over once deliveries are done)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Exchange]] = []
        self._seq = 0
        self._active = 0
        self._thread: threading.Thread | None = None

    def arm(self, call: _Exchange, deadline: float) -> None:
        with self._cond:
            if len(self._heap) > 2 * self._active + 64:
                # Finished exchanges wait in the heap until their deadline; drop them now and
                # then so that long timeouts under steady concurrency do not pile them up.
                self._heap = [item for item in self._heap if not item[2].finished]
                heapq.heapify(self._heap)
            self._seq += 1
            self._active += 1
            heapq.heappush(self._heap, (deadline, self._seq, call))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="hookmock-http-deadline", daemon=True
                )
                self._thread.start()
            elif self._heap[0][2] is call:
                self._cond.notify()

    def disarm(self) -> None:
        with self._cond:
            self._active -= 1
            if self._active == 0:
                self._heap.clear()
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    while self._heap and self._heap[0][2].finished:
                        heapq.heappop(self._heap)
                    if not self._heap:
                        self._thread = None
                        return
                    left = self._heap[0][0] - time.monotonic()
                    if left <= 0:
                        call = heapq.heappop(self._heap)[2]
                        break
                    self._cond.wait(left)
            call.expire()
            del call


_watchdog = _Watchdog()


def _context_for(ca_path: str) -> Any:
    if os.path.isdir(ca_path):
        return ssl.create_default_context(capath=ca_path)
    return ssl.create_default_context(cafile=ca_path)


def _adapter(context: Any) -> Any:
    """An adapter whose connections register their sockets with the running exchange (for the
    deadline) and, given ``context``, whose TLS trusts that CA alone (built once)."""
    # Import budget: requests and urllib3 load with the first delivery to a URL.
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    global _ADAPTER_CLASS
    if _ADAPTER_CLASS is None:

        class _Registering:
            """Connection mixin: tell the running exchange which socket it uses."""

            sock: Any

            def _new_conn(self) -> socket.socket:
                sock: socket.socket = super()._new_conn()  # type: ignore[misc]
                _register(sock)  # before TLS: the deadline covers the handshake too
                return sock

            def request(self, *args: Any, **kwargs: Any) -> None:
                if self.sock is not None:
                    _register(self.sock)  # a kept-alive connection, reused for this exchange
                super().request(*args, **kwargs)  # type: ignore[misc]

        class _Plain(_Registering, HTTPConnection):
            pass

        class _Secure(_Registering, HTTPSConnection):
            pass

        class _PlainPool(HTTPConnectionPool):
            ConnectionCls = _Plain

        class _SecurePool(HTTPSConnectionPool):
            ConnectionCls = _Secure

        class _Adapter(HTTPAdapter):
            def __init__(self, context: Any) -> None:
                self.context = context  # read by init_poolmanager, which __init__ calls
                super().__init__()

            def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
                if self.context is not None:
                    kwargs["ssl_context"] = self.context
                super().init_poolmanager(*args, **kwargs)
                self.poolmanager.pool_classes_by_scheme = {
                    "http": _PlainPool,
                    "https": _SecurePool,
                }

            def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
                super().cert_verify(conn, url, verify, cert)  # type: ignore[no-untyped-call]
                if self.context is not None:
                    # The context already trusts the CA alone; a bundle named here would be
                    # loaded into it again on every connection (and would widen what it trusts).
                    conn.ca_certs = None
                    conn.ca_cert_dir = None

        _ADAPTER_CLASS = _Adapter
    return _ADAPTER_CLASS(context)


_ADAPTER_CLASS: Any = None
