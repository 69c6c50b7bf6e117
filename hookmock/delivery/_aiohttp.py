"""In-process aiohttp target: serves an ``aiohttp.web.Application`` on aiohttp's own test server.

aiohttp apps are neither WSGI nor ASGI. The app runs on ``aiohttp.test_utils.TestServer`` (on
127.0.0.1, a free port) in a private event loop on a background thread, and each delivery is posted
to it with ``TestClient``: the app sees a real aiohttp request whose body is the exact bytes that
were signed. The app's startup hooks run before the first delivery is timed, its cleanup at
``close()``. A handler still running at the timeout is cancelled, as aiohttp cancels one whose
client hung up (``handler_cancellation``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import weakref
from concurrent.futures import CancelledError as FutureCancelled
from concurrent.futures import TimeoutError as FutureTimeout

from .._errors import ConfigurationError
from ._shared import BODY_LIMIT, DeliveryTimeout, Request, Response, describe_app

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Seconds the app's startup (on_startup, cleanup_ctx) may take before hookmock gives up.
STARTUP_TIMEOUT = 30.0
#: Seconds the app's shutdown and cleanup may take at close().
STOP_TIMEOUT = 10.0
#: Headers aiohttp's client would add on its own; the provider sends only its own.
_AUTO_HEADERS = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")


def _aiohttp_test_utils() -> Any:
    try:  # Optional: aiohttp is an extra; only an aiohttp app's delivery needs it.
        from aiohttp import test_utils
    except ImportError:  # pragma: no cover - the app's class came from aiohttp
        raise ConfigurationError(
            "Serving an aiohttp app needs aiohttp: pip install 'hookmock[aiohttp]'."
        ) from None
    return test_utils


class _ErrorLog(logging.Logger):
    """The logger handed to the app's server: it keeps the exceptions aiohttp logs when a handler
    raises (and answers 500), so the delivery can say what the app raised."""

    def __init__(self) -> None:
        super().__init__("hookmock.aiohttp.server")
        self.propagate = False
        self.raised: list[tuple[float, BaseException]] = []
        self._guard = threading.Lock()

    def exception(self, msg: object, *args: object, exc_info: Any = True, **kwargs: Any) -> None:
        exc = exc_info[1] if isinstance(exc_info, tuple) else exc_info
        if isinstance(exc, BaseException):
            with self._guard:
                self.raised.append((time.monotonic(), exc))
                del self.raised[:-64]  # bounded, whatever nobody collects

    def take(self, since: float) -> BaseException | None:
        """The first exception logged at or after ``since`` (monotonic), removed."""
        with self._guard:
            for i, (at, exc) in enumerate(self.raised):
                if at >= since:
                    del self.raised[i]
                    return exc
        return None


class AiohttpTarget:
    """Runs an aiohttp app on a private event loop in a background thread; calls from any thread
    are safe."""

    in_process = True
    builtin_target = True

    def __init__(self, app: Any, *, host: str = "localhost") -> None:
        self.app = app
        self.host = host
        self.description = f"aiohttp app {describe_app(app)}"
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._client: Any = None
        self._pending: set[asyncio.Future[Any]] = set()
        self._at_exit: weakref.finalize[Any, Any] | None = None
        self._errors = _ErrorLog()

    def url(self, path: str) -> str:
        return f"https://{self.host}{path}"

    def prepare(self) -> None:
        """Start the loop and the test server (the app's startup hooks) before timing."""
        self._ensure_started()

    def _ensure_started(self) -> asyncio.AbstractEventLoop:
        loop = self._loop
        if loop is not None:
            return loop
        with self._lock:
            if self._loop is not None:
                return self._loop
            test_utils = _aiohttp_test_utils()
            loop, thread = _shared_loop()

            async def start() -> Any:
                server = test_utils.TestServer(self.app)
                client = test_utils.TestClient(server)
                try:
                    # TestServer cancels a handler whose client hung up (handler_cancellation);
                    # these go to the app's runner and request handlers.
                    await server.start_server(
                        shutdown_timeout=STOP_TIMEOUT / 2, logger=self._errors
                    )
                    await client.start_server()
                except BaseException:
                    await client.close()
                    raise
                return client

            future = asyncio.run_coroutine_threadsafe(start(), loop)
            try:
                self._client = future.result(STARTUP_TIMEOUT)
            except FutureTimeout:
                future.cancel()
                raise ConfigurationError(
                    f"The {self.description} did not start within {STARTUP_TIMEOUT:g} s (its"
                    " on_startup or cleanup_ctx hooks). Make them finish, or start slow work in"
                    " a background task."
                ) from None
            except Exception as exc:
                raise ConfigurationError(
                    f"The {self.description} failed to start: {type(exc).__name__}: {exc}."
                    " Fix its on_startup or cleanup_ctx hooks (an app still served by another"
                    " receiver must be closed first: receiver.close())."
                ) from None
            self._thread = thread
            self._loop = loop
            # A receiver dropped without close() still shuts the app's server down.
            self._at_exit = weakref.finalize(self, _close_client, loop, self._client)
            return loop

    def handle(self, request: Request, *, timeout: float | None) -> Response:
        loop = self._ensure_started()
        future = asyncio.run_coroutine_threadsafe(self._post(request), loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            # Hang up, as a provider does: closing the connection makes aiohttp cancel the
            # handler (handler_cancellation).
            future.cancel()
            raise DeliveryTimeout from None
        except FutureCancelled:
            return Response(None, error=f"the request to the {self.description} was cancelled")

    async def _post(self, request: Request) -> Response:
        # Optional: aiohttp is an extra; only an aiohttp app's delivery needs it.
        import aiohttp

        client = self._client
        began = time.monotonic()
        try:
            async with client.request(
                request.method,
                request.path,
                data=request.body,
                headers=dict(request.headers),
                skip_auto_headers=_AUTO_HEADERS,
                allow_redirects=False,
            ) as resp:
                got = bytearray()
                while len(got) < BODY_LIMIT:
                    chunk = await resp.content.read(BODY_LIMIT - len(got))
                    if not chunk:
                        break
                    got += chunk
                headers: dict[str, str] = {}
                for name, value in resp.headers.items():
                    headers.setdefault(name, value)
                error = None
                if resp.status >= 500:
                    exc = self._errors.take(began)
                    if exc is not None:
                        error = f"the app raised {type(exc).__name__}: {exc}"
                return Response(resp.status, headers, bytes(got), error=error)
        except (aiohttp.ClientError, OSError) as exc:
            return Response(None, error=f"{type(exc).__name__}: {exc}")

    def wait_for_handlers(self, timeout: float) -> int:
        """Cancelled handlers end at their next await; nothing is left to wait for."""
        return 0

    def close(self) -> None:
        with self._lock:
            loop, thread, client = self._loop, self._thread, self._client
            self._loop = self._thread = self._client = None
            at_exit, self._at_exit = self._at_exit, None
        if at_exit is not None:
            at_exit.detach()
        if loop is None or thread is None:
            return
        if client is not None and thread.is_alive():
            # Runs the app's on_shutdown and on_cleanup hooks.
            _close_client(loop, client)


def _close_client(loop: asyncio.AbstractEventLoop, client: Any) -> None:
    if loop.is_closed() or client is None:
        return
    future = asyncio.run_coroutine_threadsafe(client.close(), loop)
    with contextlib.suppress(Exception):
        future.result(STOP_TIMEOUT)


#: One event loop thread serves every aiohttp app in the process. An aiohttp Application is
#: bound to the first loop it runs on, so a module-level app served by one receiver per test
#: must always run on the same loop (closed in between, started again by the next receiver).
_LOOP: tuple[asyncio.AbstractEventLoop, threading.Thread] | None = None
_LOOP_LOCK = threading.Lock()


def _shared_loop() -> tuple[asyncio.AbstractEventLoop, threading.Thread]:
    global _LOOP
    with _LOOP_LOCK:
        if _LOOP is None or not _LOOP[1].is_alive():
            loop = asyncio.new_event_loop()
            thread = threading.Thread(
                target=_run_loop, args=(loop,), name="hookmock-aiohttp", daemon=True
            )
            thread.start()
            _LOOP = (loop, thread)
        return _LOOP


def _run_loop(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    with contextlib.suppress(BaseException):
        loop.run_forever()
