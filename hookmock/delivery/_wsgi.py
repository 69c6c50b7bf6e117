"""In-process WSGI target: builds the PEP 3333 environ itself and calls the app, no sockets."""

from __future__ import annotations

import io
import sys
import threading
from urllib.parse import unquote_to_bytes

from ._shared import (
    BODY_LIMIT,
    DeliveryTimeout,
    Request,
    Response,
    app_raised,
    bad_header,
    describe_app,
)
from ._workers import LazyWorkers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

_SPECIAL = {"CONTENT-TYPE": "CONTENT_TYPE", "CONTENT-LENGTH": "CONTENT_LENGTH"}


def build_environ(
    method: str, path: str, headers: dict[str, str], body: bytes, host: str
) -> dict[str, Any]:
    """The environ a real HTTPS server would give the app for this request."""
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


class _Violation(Exception):
    """The app broke PEP 3333; reported as a failed delivery that names the rule."""


def _check_status(status: object) -> int:
    if not isinstance(status, str):
        raise _Violation(
            f"start_response() got the status {status!r} ({type(status).__name__}), not a str"
            " status line like '200 OK'"
        )
    code, space, _ = status.partition(" ")
    if not (space and len(code) == 3 and code.isascii() and code.isdigit()):
        raise _Violation(
            f"bad status line {status!r}: it must be a 3-digit code, a space and a reason,"
            " like '200 OK'"
        )
    return int(code)


def _check_headers(headers: object) -> dict[str, str]:
    if not isinstance(headers, (list, tuple)):
        raise _Violation(
            f"start_response() got headers of type {type(headers).__name__}, not a list of"
            " (name, value) tuples of str"
        )
    out: dict[str, str] = {}
    for item in headers:
        if (
            not isinstance(item, (tuple, list))
            or len(item) != 2
            or not all(isinstance(part, str) for part in item)
        ):
            raise _Violation(
                f"start_response() got the header {item!r}; each header must be a (name, value)"
                " tuple of two str"
            )
        problem = bad_header(item[0], item[1])
        if problem is not None:
            raise _Violation(f"{problem} (PEP 3333 forbids control characters in headers)")
        out.setdefault(item[0], item[1])
    return out


def _as_bytes(chunk: object, where: str) -> bytes:
    if isinstance(chunk, bytes):
        return chunk
    if isinstance(chunk, bytearray):
        return bytes(chunk)
    raise _Violation(f"the WSGI app {where} {type(chunk).__name__}, not bytes")


class Abandoned(Exception):
    """Raised into a WSGI app's ``write()`` once hookmock has hung up on it at the timeout."""


class Call:
    """One app call; ``abandoned`` is set (from the caller's thread) at the delivery timeout."""

    __slots__ = ("abandoned", "environ")

    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ
        self.abandoned = False


def call_wsgi(app: Callable[..., Iterable[bytes]], call: Call) -> Response:
    """Run the app once and collect its answer: at most BODY_LIMIT bytes of it, and nothing
    after ``call.abandoned`` is set (a provider that hung up reads no more)."""
    state: dict[str, Any] = {}
    chunks: list[bytes] = []
    room = BODY_LIMIT

    def keep(data: bytes) -> None:
        nonlocal room
        state["sent"] = True
        if room > 0:
            chunks.append(data[:room])
            room -= len(chunks[-1])

    def broke(rule: str) -> _Violation:
        exc = _Violation(rule)
        state.setdefault("violation", exc)  # kept even if the app swallows the error
        return exc

    def write(data: bytes) -> None:
        if call.abandoned:
            raise Abandoned("hookmock stopped reading: the delivery timed out")
        if "status" not in state:
            raise broke("write() was called before start_response() (PEP 3333)")
        try:
            data = _as_bytes(data, "passed write()")
        except _Violation as exc:
            raise broke(str(exc)) from None
        if data:
            keep(data)

    def start_response(
        status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        if state.get("sent"):
            # PEP 3333: once body bytes are out, the headers are too; start_response must
            # re-raise the error the app is handling (or refuse, without exc_info).
            exc = broke(
                "start_response() was called again after body bytes were sent; the status"
                " and headers had already gone out (PEP 3333)"
            )
            if exc_info is not None:
                raise exc_info[1].with_traceback(exc_info[2])
            raise exc
        if "status" in state and exc_info is None:
            raise broke(
                "start_response() was called a second time without exc_info; PEP 3333 allows"
                " a second call only from an error handler, passing exc_info"
            )
        state["status"] = status
        state["headers"] = response_headers
        return write

    try:
        result = app(call.environ, start_response)
        if result is None:
            raise _Violation("the WSGI app returned None, not an iterable of bytes")
        try:
            for chunk in result:
                if call.abandoned:
                    break  # hung up at the timeout: stop pulling the app's body
                data = _as_bytes(chunk, "yielded")
                if data:
                    if "status" not in state:
                        raise broke(
                            "the app yielded body bytes before calling start_response() (PEP 3333)"
                        )
                    keep(data)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if "violation" in state:
            raise state["violation"]
        status_line = state.get("status")
        if status_line is None:
            return Response(
                500, {}, b"", error="the WSGI app returned without calling start_response()"
            )
        status = _check_status(status_line)
        headers = _check_headers(state["headers"])
    except _Violation as exc:
        return Response(500, {}, b"", error=f"the app broke the WSGI protocol: {exc}")
    except Exception as exc:
        if "violation" in state:
            return Response(
                500, {}, b"", error=f"the app broke the WSGI protocol: {state['violation']}"
            )
        return app_raised(exc)
    except (SystemExit, KeyboardInterrupt) as exc:
        # The app's own raise, as a server would report it (gunicorn answers 500), not the end
        # of the test run. A KeyboardInterrupt in the main thread may be the user's Ctrl-C.
        if isinstance(exc, KeyboardInterrupt) and threading.current_thread() is _MAIN:
            raise
        return app_raised(exc)
    return Response(status, headers, b"".join(chunks))


_MAIN = threading.main_thread()


class WSGITarget:
    """Calls a WSGI app in this process; a worker thread enforces the delivery timeout."""

    in_process = True
    builtin_target = True

    def __init__(self, app: Callable[..., Iterable[bytes]], *, host: str = "localhost") -> None:
        self.app = app
        self.host = host
        self.description = f"WSGI app {describe_app(app)}"
        self._pool = LazyWorkers("hookmock-wsgi", self)

    def url(self, path: str) -> str:
        return f"https://{self.host}{path}"

    def handle(self, request: Request, *, timeout: float | None) -> Response:
        call = Call(
            build_environ(
                request.method, request.path, dict(request.headers), request.body, self.host
            )
        )
        if timeout is None:
            return call_wsgi(self.app, call)
        # The app runs in a worker thread so that a slow handler can be abandoned at the timeout,
        # the way a provider hangs up; the thread finishes the call on its own, but no longer
        # collects its body.
        try:
            return self._pool.get().run(self._call, call, timeout)  # type: ignore[no-any-return]
        except DeliveryTimeout:
            call.abandoned = True
            raise

    def prepare(self) -> None:
        """Nothing to set up: the worker threads start with the first timed call's."""

    def _call(self, call: Call) -> Response:
        return call_wsgi(self.app, call)

    def wait_for_handlers(self, timeout: float) -> int:
        """Wait up to ``timeout`` seconds for handlers that outlived their delivery timeout;
        return how many are still running."""
        return self._pool.wait(timeout)

    def close(self) -> None:
        self._pool.close()
