"""In-process ASGI target: its own event loop thread, lifespan once per target, no sockets.

A timed-out call is cancelled; one that keeps the loop busy without ever suspending is stopped by
raising an exception in the loop's thread, and ``close()`` is bounded whatever the app does.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import ctypes
import sys
import threading
import weakref
from concurrent.futures import CancelledError as FutureCancelled
from concurrent.futures import TimeoutError as FutureTimeout
from urllib.parse import quote, unquote_to_bytes

from .._errors import ConfigurationError
from .._redaction import redact
from ._shared import (
    BODY_LIMIT,
    DeliveryTimeout,
    Request,
    Response,
    app_raised,
    bad_header,
    describe_app,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from concurrent.futures import Future
    from typing import Any, NoReturn

    Message = dict[str, Any]
    ASGIApp = Callable[
        [dict[str, Any], Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
        Awaitable[None],
    ]

_ASGI = {"version": "3.0", "spec_version": "2.3"}
#: How long lifespan startup/shutdown may take before hookmock gives up on them.
LIFESPAN_TIMEOUT = 30.0
#: After a timeout, how long the loop may stay unresponsive (an app that never suspends) before
#: hookmock raises an exception inside it, and how long ``close()`` waits for the loop thread.
STALL_GRACE = 0.5
STOP_TIMEOUT = 2.0
#: Set inside a request: tasks created there (and by them) belong to the request's handling.
_IN_REQUEST: contextvars.ContextVar[_Call | None] = contextvars.ContextVar(
    "hookmock_asgi_request", default=None
)


class ClientDisconnected(OSError):
    """Raised by ``send()`` once hookmock hung up at the timeout (uvicorn raises the same kind)."""


class _Stopped(BaseException):
    """Raised inside the loop's thread to stop an app that blocks it past its timeout."""


class ASGITarget:
    """Runs an ASGI app on a private event loop in a background thread.

    The loop starts on the first delivery and runs the app's lifespan startup once; ``close()``
    runs lifespan shutdown and stops the loop. Calls from any thread are safe.
    """

    in_process = True
    builtin_target = True

    def __init__(self, app: ASGIApp, *, host: str = "localhost") -> None:
        self.app = app
        self.host = host
        self.description = f"ASGI app {describe_app(app)}"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: _LoopThread | None = None
        self._lock = threading.Lock()
        self._state: dict[str, Any] = {}
        self._lifespan_queue: asyncio.Queue[Message] | None = None
        self._lifespan_task: asyncio.Task[None] | None = None
        self._lifespan_done: asyncio.Future[str | None] | None = None
        self._at_exit: weakref.finalize[Any, Any] | None = None
        #: Requests still being handled, including ones cancelled at the timeout whose sync
        #: handler still runs in a thread (see ``_Call.pending``).
        self._running = 0
        self._changed = threading.Condition()

    def url(self, path: str) -> str:
        return f"https://{self.host}{path}"

    def prepare(self) -> None:
        """Start the loop and run lifespan startup before a delivery's clock starts."""
        self._ensure_loop()

    # -- loop and lifespan -----------------------------------------------------------------------
    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        loop = self._loop
        if loop is not None:
            return loop
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                loop.set_task_factory(self._task_factory)
                thread = _LoopThread(loop)
                thread.start()
                self._thread = thread

                try:
                    failure = asyncio.run_coroutine_threadsafe(self._startup(), loop).result(
                        LIFESPAN_TIMEOUT
                    )
                except FutureTimeout:
                    self._abandon_lifespan(loop)
                    self._stop(loop, thread)
                    raise ConfigurationError(
                        f"The {self.description} did not finish its lifespan startup within"
                        f" {LIFESPAN_TIMEOUT:g} s (no 'lifespan.startup.complete' sent). Make"
                        " its startup finish, or have it return at once for a 'lifespan'"
                        " scope it does not support."
                    ) from None
                except BaseException:
                    self._stop(loop, thread)
                    raise
                if failure is not None:
                    self._stop(loop, thread)
                    raise ConfigurationError(
                        redact(
                            "The ASGI app's lifespan startup failed:"
                            f" {failure or '(no message)'}. Fix the app's startup, or pass"
                            " interface='asgi' to a wrapper that skips it."
                        )
                    )
                self._loop = loop
                # A receiver used outside ``with`` is never closed; at interpreter exit its loop
                # would die with the lifespan task pending ("Task was destroyed but it is
                # pending!"). Close it then instead: lifespan shutdown, loop stopped.
                self._at_exit = weakref.finalize(self, self.close)
            return self._loop

    async def _startup(self) -> str | None:
        """Run lifespan startup; return a failure message, or None when fine or unsupported."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Message] = asyncio.Queue()
        started: asyncio.Future[str | None] = loop.create_future()
        self._lifespan_done = loop.create_future()
        self._lifespan_queue = queue

        async def send(message: Message) -> None:
            kind = message["type"]
            if kind == "lifespan.startup.complete" and not started.done():
                started.set_result(None)
            elif kind == "lifespan.startup.failed" and not started.done():
                started.set_result(str(message.get("message", "")))
            elif (
                kind.startswith("lifespan.shutdown")
                and self._lifespan_done is not None
                and not self._lifespan_done.done()
            ):
                self._lifespan_done.set_result(message.get("message"))

        async def run() -> None:
            scope = {"type": "lifespan", "asgi": dict(_ASGI), "state": self._state}
            try:
                await self.app(scope, queue.get, send)
            except BaseException:
                # Apps without lifespan support raise here (Django does); the ASGI spec says a
                # server then carries on without lifespan.
                if not started.done():
                    started.set_result(None)
                    self._lifespan_task = None
            else:
                # Returning from the lifespan scope without a word is the other legal way to
                # say "no lifespan support" (``if scope["type"] != "http": return``).
                if not started.done():
                    started.set_result(None)
                    self._lifespan_task = None
            finally:
                if self._lifespan_done is not None and not self._lifespan_done.done():
                    self._lifespan_done.set_result(None)

        queue.put_nowait({"type": "lifespan.startup"})
        self._lifespan_task = loop.create_task(run())
        return await started

    def _abandon_lifespan(self, loop: asyncio.AbstractEventLoop) -> None:
        """Cancel a lifespan task that hung in startup, so no task dies pending with the loop."""

        async def cancel() -> None:
            task = self._lifespan_task
            self._lifespan_task = None
            if task is not None and not task.done():
                task.cancel()
                await asyncio.wait([task], timeout=1.0)

        # Best effort: the loop is being stopped anyway.
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(cancel(), loop).result(2.0)

    async def _shutdown(self) -> str | None:
        """Run lifespan shutdown; return the app's failure message, if it sent one."""
        if self._lifespan_task is None or self._lifespan_queue is None:
            return None
        self._lifespan_queue.put_nowait({"type": "lifespan.shutdown"})
        failure = None
        if self._lifespan_done is not None:
            failure = await self._lifespan_done
        task = self._lifespan_task
        if not task.done():
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return failure

    @staticmethod
    def _stop(loop: asyncio.AbstractEventLoop, thread: _LoopThread) -> None:
        """Stop the loop and its thread in bounded time, whatever the app is doing."""
        thread.closing = True

        async def cancel_the_rest() -> None:
            # Tasks the app left behind would die pending with the loop ("Task was destroyed
            # but it is pending!"): cancel them and give them a moment to unwind.
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.wait(tasks, timeout=STOP_TIMEOUT / 2)

        if thread.is_alive():
            try:
                asyncio.run_coroutine_threadsafe(cancel_the_rest(), loop).result(STOP_TIMEOUT)
            except (FutureTimeout, RuntimeError):
                _interrupt(thread)  # the loop is stuck in an app that never suspends
            except BaseException:  # best effort: the loop is stopped below anyway
                pass
            if not loop.is_closed():
                loop.call_soon_threadsafe(loop.stop)
            thread.join(STOP_TIMEOUT)
        if not thread.is_alive():
            loop.close()
        # Otherwise the app blocks its thread inside a call that no exception can interrupt
        # (time.sleep, a lock): the thread is a daemon and is left to it, the loop unclosed.

    def close(self) -> None:
        """Lifespan shutdown, then stop the loop. Always stops the loop; a shutdown that hangs
        or fails is then reported as a ConfigurationError."""
        with self._lock:
            loop, thread, self._loop = self._loop, self._thread, None
            at_exit, self._at_exit = self._at_exit, None
        if at_exit is not None:
            at_exit.detach()  # closed by hand: nothing left to do at exit
        if loop is None or thread is None:
            return
        problem = None
        if not _responsive(loop, thread, STOP_TIMEOUT):
            problem = (
                "kept its event loop busy: it did not run a callback within"
                f" {STOP_TIMEOUT:g} s, so its lifespan shutdown was skipped. Make the handler"
                " await instead of blocking (or run blocking work in a thread)"
            )
        else:
            future = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
            try:
                failure = future.result(LIFESPAN_TIMEOUT)
            except FutureTimeout:
                future.cancel()
                problem = (
                    f"did not finish its lifespan shutdown within {LIFESPAN_TIMEOUT:g} s (no"
                    " 'lifespan.shutdown.complete' sent). hookmock stopped its event loop anyway."
                    " Make the app's shutdown finish"
                )
            except BaseException as exc:
                problem = f"raised {type(exc).__name__} in its lifespan shutdown: {exc}. Fix it"
            else:
                if failure is not None:
                    problem = (
                        f"sent 'lifespan.shutdown.failed': {failure or '(no message)'}."
                        " Fix the app's shutdown"
                    )
        self._stop(loop, thread)
        if problem is not None:
            # The app's own message may quote its configuration: secrets, a database URL.
            raise ConfigurationError(redact(f"The {self.description} {problem}."))

    # -- one request ------------------------------------------------------------------------------
    def handle(self, request: Request, *, timeout: float | None) -> Response:
        loop = self._ensure_loop()
        thread = self._thread
        if thread is None or not thread.is_alive():
            return Response(None, {}, b"", error="the ASGI app's event loop thread has ended")
        handle = _Call()
        self._begin(handle)
        future = asyncio.run_coroutine_threadsafe(
            self._request(
                request.method, request.path, dict(request.headers), request.body, handle
            ),
            loop,
        )
        # Done only when the app call has returned: after a cancellation, a sync (def) endpoint
        # still runs in the app's thread pool until it finishes, and the call waits for it.
        future.add_done_callback(lambda _: self._end(handle))
        try:
            return future.result(timeout)
        except FutureTimeout:
            # A provider hangs up; cancelling the app call is the in-process analogue. From now
            # on the app's send() raises and receive() says the client disconnected, even if the
            # loop never gets to run the cancel (an app that never suspends).
            handle.timed_out = True
            answered = threading.Event()
            loop.call_soon_threadsafe(handle.cancel, future, answered)
            if not answered.wait(STALL_GRACE) and handle.blocking(loop) and thread is not None:
                # The loop has not run a callback for STALL_GRACE: this call's app code holds
                # it without ever suspending. Stop it with an exception raised in its thread.
                _interrupt(thread)
            raise DeliveryTimeout from None
        except FutureCancelled:
            # The app cancelled its own request task in a way it did not catch.
            return Response(500, {}, b"", error="the app's request task was cancelled")

    def _task_factory(
        self, loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any
    ) -> asyncio.Task[Any]:
        """Count tasks a request starts as part of its call: Django runs the view in a task of
        its own that outlives a cancelled request while the sync view's thread finishes."""
        task = asyncio.Task(coro, loop=loop, **kwargs)
        task.add_done_callback(_quiet_fatal)
        owner = _IN_REQUEST.get()
        if owner is not None:
            self._begin(owner)
            owner.tasks.add(task)
            task.add_done_callback(lambda _: self._end(owner, task))
        return task

    def _begin(self, call: _Call) -> None:
        with self._changed:
            call.pending += 1
            if call.pending == 1:
                self._running += 1

    def _end(self, call: _Call, task: asyncio.Task[Any] | None = None) -> None:
        with self._changed:
            call.tasks.discard(task)
            call.pending -= 1
            if call.pending == 0:
                self._running -= 1
                self._changed.notify_all()

    def wait_for_handlers(self, timeout: float) -> int:
        """Wait up to ``timeout`` seconds for app calls cancelled at their delivery timeout that
        still run (a sync endpoint in the app's thread pool); return how many still run."""
        with self._changed:
            self._changed.wait_for(lambda: self._running == 0, timeout)
            return self._running

    async def _request(
        self, method: str, path: str, headers: dict[str, str], body: bytes, handle: _Call
    ) -> Response:
        raw_path, _, query = path.partition("?")
        # What a client puts on the wire: non-ASCII in the target percent-encoded as UTF-8, the
        # host in its IDNA form; a header value beyond Latin-1 travels as UTF-8 bytes.
        raw_path_bytes = _wire(raw_path)
        raw_headers = [(b"host", _host_bytes(self.host))]
        raw_headers += [
            (_header_name(k), _header_value(v))
            for k, v in headers.items()
            if k.lower() not in ("host", "content-length")
        ]
        raw_headers.append((b"content-length", str(len(body)).encode()))
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": dict(_ASGI),
            "http_version": "1.1",
            "method": method,
            "scheme": "https",
            "path": unquote_to_bytes(raw_path_bytes).decode("utf-8", "replace"),
            "raw_path": raw_path_bytes,
            "query_string": _wire(query),
            "root_path": "",
            "headers": raw_headers,
            "client": ("127.0.0.1", 50000),
            "server": (self.host, 443),
            "state": dict(self._state),
        }
        done = asyncio.Event()
        body_sent = False
        status: list[int] = []
        out_headers: dict[str, str] = {}
        chunks: list[bytes] = []
        room = BODY_LIMIT

        async def receive() -> Message:
            nonlocal body_sent
            if not body_sent and not handle.timed_out:
                body_sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            if not handle.timed_out:
                await done.wait()
            return {"type": "http.disconnect"}

        violations: list[str] = []

        def broke(rule: str) -> NoReturn:
            # Kept even if the app swallows the error: a real server would drop the connection.
            violations.append(rule)
            raise RuntimeError(f"ASGI protocol violation: {rule}")

        async def send(message: Message) -> None:
            nonlocal room
            if handle.timed_out:
                # hookmock hung up at the timeout; also stops an app that streams forever
                # without suspending, which the cancel can never reach.
                raise ClientDisconnected("hookmock hung up: the delivery timed out")
            if not isinstance(message, dict) or not isinstance(message.get("type"), str):
                broke(f"send() got {message!r}, not a dict with a str 'type'")
            kind = message["type"]
            if kind == "http.response.start":
                if status:
                    broke("a second 'http.response.start' was sent")
                code = message.get("status")
                if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
                    broke(f"'http.response.start' has status {code!r}, not an int like 200")
                got: dict[str, str] = {}
                for pair in message.get("headers", ()):
                    if (
                        not isinstance(pair, (tuple, list))
                        or len(pair) != 2
                        or not all(isinstance(part, (bytes, bytearray)) for part in pair)
                    ):
                        broke(f"the response header {pair!r} is not a (name, value) pair of bytes")
                    name = bytes(pair[0]).decode("latin-1")
                    value = bytes(pair[1]).decode("latin-1")
                    problem = bad_header(name, value)
                    if problem is not None:
                        broke(problem)
                    got.setdefault(name, value)
                status.append(code)
                out_headers.update(got)
            elif kind == "http.response.body":
                if not status:
                    broke("'http.response.body' was sent before 'http.response.start'")
                data = message.get("body", b"")
                if not isinstance(data, (bytes, bytearray)):
                    broke(f"'http.response.body' has a body of {type(data).__name__}, not bytes")
                if room > 0 and data:
                    chunks.append(bytes(data[:room]))
                    room -= len(chunks[-1])
                if not message.get("more_body", False):
                    done.set()

        error = None
        try:
            _IN_REQUEST.set(handle)  # this task's own context: ends with it
            await handle.run(self.app(scope, receive, send))
        except _Stopped:
            return Response(
                None,
                {},
                b"",
                error="hookmock stopped the app: it held the event loop past its timeout"
                " without ever suspending",
            )
        except (SystemExit, KeyboardInterrupt) as exc:
            # As a WSGI app's: a failed delivery at once, not a dead loop and a timeout.
            return app_raised(exc)
        except asyncio.CancelledError as exc:
            if handle.timed_out:
                raise  # hookmock's own cancel at the delivery timeout
            if violations:
                return _broke(violations)
            if not status:
                return app_raised(exc)
            error = f"the app raised {type(exc).__name__}"
        except Exception as exc:
            if violations:
                return _broke(violations)
            if not status:
                return app_raised(exc)
            # Starlette and FastAPI answer a generic 500 page, then re-raise for the server to
            # log: keep the exception, the page alone does not say what went wrong.
            error = f"the app raised {type(exc).__name__}: {exc}"
        finally:
            done.set()
        if violations:
            return _broke(violations)
        if not status:
            return Response(500, {}, b"", error="the ASGI app returned without a response")
        return Response(status[0], out_headers, b"".join(chunks), error=error)


def _broke(violations: list[str]) -> Response:
    """A response that broke the ASGI spec fails the delivery, whatever status it claimed."""
    return Response(500, {}, b"", error=f"the app broke the ASGI protocol: {violations[0]}")


class _LoopThread(threading.Thread):
    """The loop's thread. A task raising SystemExit or KeyboardInterrupt (or the stop raised into
    a stuck app landing outside it) ends ``run_forever``; the loop itself is intact, so it runs
    on until ``closing`` is set."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(name="hookmock-asgi", daemon=True)
        self.loop = loop
        self.closing = False

    def run(self) -> None:
        loop = self.loop
        while True:
            # The app's own error is reported by its call; the loop carries on.
            with contextlib.suppress(BaseException):
                loop.run_forever()
            if loop.is_closed():
                return
            if self.closing:
                break
        # Closed here, by its own thread: close() may have left already if an app blocked this
        # thread past its wait, and an unclosed loop warns (ResourceWarning) when collected.
        with contextlib.suppress(BaseException):
            tasks = asyncio.all_tasks(loop)
            for task in tasks:
                task.cancel()
            if tasks:
                loop.run_until_complete(asyncio.wait(tasks, timeout=STOP_TIMEOUT / 2))
            else:  # run what is queued (a coroutine handed over but not started yet)
                loop.run_until_complete(asyncio.sleep(0))
        with contextlib.suppress(BaseException):
            loop.close()


def _quiet_fatal(task: asyncio.Task[Any]) -> None:
    """A task that raised SystemExit or KeyboardInterrupt already broke out of ``run_forever``
    (and the loop thread carried on): do not log it again when the task is collected. That log,
    run by the garbage collector in whatever thread allocates, can land inside another thread's
    ``ast.parse`` and make it fail with CPython 3.11's "AST constructor recursion depth
    mismatch"."""
    if not task.cancelled() and isinstance(task._exception, (SystemExit, KeyboardInterrupt)):
        task._log_traceback = False


def _responsive(loop: asyncio.AbstractEventLoop, thread: threading.Thread, wait: float) -> bool:
    """True when ``loop`` runs a callback within ``wait`` seconds (no app holds it)."""
    if not thread.is_alive() or loop.is_closed():
        return False
    ran = threading.Event()
    loop.call_soon_threadsafe(ran.set)
    return ran.wait(wait)


class _Call:
    """One app call on the loop, and how to cancel it at the delivery timeout.

    Apps built on anyio (Starlette, FastAPI) get an anyio cancel scope: it stops async code at
    its next await, but waits for a sync endpoint already running in the thread pool, so the
    call ends only when the handler does. A plain task cancel would abandon that thread, which
    then writes into whatever test runs next. Other apps get a task cancel (asgiref, Django's
    bridge, itself waits for its thread).
    """

    __slots__ = ("pending", "scope", "task", "tasks", "timed_out")

    def __init__(self) -> None:
        self.scope: Any = None
        #: Set when hookmock cancels the call at the delivery timeout (not the app itself).
        self.timed_out = False
        self.task: asyncio.Task[Any] | None = None
        #: The app call plus tasks it started that have not finished (the target's lock).
        self.pending = 0
        #: Tasks the call started that still run.
        self.tasks: set[asyncio.Task[Any]] = set()

    async def run(self, call: Awaitable[None]) -> None:
        self.task = asyncio.current_task()
        anyio = sys.modules.get("anyio")  # only an app that uses anyio has imported it
        if anyio is None:
            await call
            return
        with anyio.CancelScope() as self.scope:
            await call

    def blocking(self, loop: asyncio.AbstractEventLoop) -> bool:
        """True when the task running on ``loop`` right now is this call's (read from another
        thread: a loop stuck in one task step stays in it)."""
        running = getattr(asyncio.tasks, "_current_tasks", None)
        if running is None:  # a Python that keeps it elsewhere: the call timed out, trust that
            return True
        current = running.get(loop)
        return current is not None and (current is self.task or current in self.tasks)

    def cancel(self, future: Future[Any], answered: threading.Event) -> None:
        answered.set()
        self.timed_out = True
        if self.scope is not None:
            self.scope.cancel()
        elif self.task is not None:
            self.task.cancel()
        else:  # not started yet: it never will
            future.cancel()


def _interrupt(thread: threading.Thread) -> None:
    """Raise _Stopped in ``thread`` at its next Python instruction (CPython's
    PyThreadState_SetAsyncExc): the one way to stop code that never yields to the loop."""
    api = getattr(ctypes, "pythonapi", None)  # CPython only; elsewhere close() stays bounded
    if api is None or thread.ident is None or not thread.is_alive():
        return
    set_async_exc = api.PyThreadState_SetAsyncExc
    set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)
    set_async_exc(thread.ident, _Stopped)


_KEEP_IN_TARGET = "/%:@!$&'()*+,;=-._~?"


def _wire(text: str) -> bytes:
    """A request target as a client sends it: ASCII kept, anything else %-encoded as UTF-8."""
    if text.isascii():
        return text.encode("ascii")

    return quote(text, safe=_KEEP_IN_TARGET, errors="surrogatepass").encode("ascii")


def _host_bytes(host: str) -> bytes:
    try:
        return host.encode("ascii")
    except UnicodeEncodeError:
        pass
    try:
        return host.encode("idna")  # what a client sends for an internationalised name
    except UnicodeError:
        return host.encode("utf-8", "surrogatepass")


def _header_name(name: str) -> bytes:
    try:
        return name.lower().encode("ascii")
    except UnicodeEncodeError:
        raise ConfigurationError(
            f"The header name {name!r} is not ASCII; HTTP header names are ASCII tokens"
            " (RFC 9110 section 5.1). Rename the header."
        ) from None


def _header_value(value: str) -> bytes:
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")
