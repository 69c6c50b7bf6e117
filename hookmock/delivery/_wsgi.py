"""In-process WSGI target: builds the PEP 3333 environ itself and calls the app, no sockets."""

from __future__ import annotations

import io
import sys
import threading

from ._targets import Response, app_raised, describe_app
from ._workers import Workers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

_SPECIAL = {"CONTENT-TYPE": "CONTENT_TYPE", "CONTENT-LENGTH": "CONTENT_LENGTH"}


def build_environ(
    method: str, path: str, headers: dict[str, str], body: bytes, host: str
) -> dict[str, Any]:
    """The environ a real HTTPS server would give the app for this request."""
    from urllib.parse import unquote_to_bytes

    raw_path, _, query = path.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(raw_path).decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": host,
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        upper = name.upper()
        key = _SPECIAL.get(upper) or "HTTP_" + upper.replace("-", "_")
        if key == "CONTENT_LENGTH":
            continue  # always the real length of the bytes sent
        environ[key] = f"{environ[key]},{value}" if key in environ and key != "HTTP_HOST" else value
    return environ


def call_wsgi(app: Callable[..., Iterable[bytes]], environ: dict[str, Any]) -> Response:
    state: dict[str, Any] = {}
    chunks: list[bytes] = []

    def start_response(
        status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        if exc_info is not None and state.get("sent"):
            raise exc_info[1].with_traceback(exc_info[2])
        state["status"] = status
        state["headers"] = response_headers
        return chunks.append

    try:
        result = app(environ, start_response)
        try:
            for chunk in result:
                if chunk:
                    state["sent"] = True
                    chunks.append(chunk)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
    except Exception as exc:
        return app_raised(exc)
    status_line = state.get("status")
    if status_line is None:
        return Response(
            500, {}, b"", error="the WSGI app returned without calling start_response()"
        )
    headers: dict[str, str] = {}
    for name, value in state["headers"]:
        headers.setdefault(name, value)
    return Response(int(status_line.split(" ", 1)[0]), headers, b"".join(chunks))


class WSGITarget:
    """Calls a WSGI app in this process; a worker thread enforces the delivery timeout."""

    in_process = True

    def __init__(self, app: Callable[..., Iterable[bytes]], *, host: str = "localhost") -> None:
        self.app = app
        self.host = host
        self.description = f"WSGI app {describe_app(app)}"
        self._pool: Workers | None = None
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return f"https://{self.host}{path}"

    def call(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes,
        timeout: float | None,
    ) -> Response:
        environ = build_environ(method, path, headers, body, self.host)
        if timeout is None:
            return call_wsgi(self.app, environ)
        # The app runs in a worker thread so that a slow handler can be abandoned at the timeout,
        # the way a provider hangs up; the thread finishes the call on its own.
        return self._workers().run(self._call, environ, timeout)  # type: ignore[no-any-return]

    def prepare(self) -> None:
        """Nothing to set up: the worker threads start with the first timed call's."""

    def _call(self, environ: dict[str, Any]) -> Response:
        return call_wsgi(self.app, environ)

    def _workers(self) -> Workers:
        workers = self._pool
        if workers is None:
            with self._lock:
                if self._pool is None:
                    self._pool = Workers("hookmock-wsgi")
                workers = self._pool
        return workers

    def wait_for_handlers(self, timeout: float) -> int:
        """Wait up to ``timeout`` seconds for handlers that outlived their delivery timeout;
        return how many are still running."""
        workers = self._pool
        return 0 if workers is None else workers.wait(timeout)

    def close(self) -> None:
        workers, self._pool = self._pool, None
        if workers is not None:
            workers.close()
