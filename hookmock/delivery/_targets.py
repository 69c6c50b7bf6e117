"""Delivery targets: what a receiver posts to (in-process WSGI/ASGI app, or a URL), chosen here."""

from __future__ import annotations

import inspect
import time

from .._errors import ArgumentTypeError, ConfigurationError
from ._aiohttp import AiohttpTarget
from ._asgi import ASGITarget
from ._http import HTTPTarget
from ._lambda import LambdaTarget, resolve_handler
from ._shared import BODY_LIMIT, DeliveryTimeout, app_raised, bad_header, describe_app
from ._transport import Request, Response
from ._wsgi import WSGITarget

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._shared import Target

__all__ = [
    "BODY_LIMIT",
    "DeliveryTimeout",
    "Request",
    "Response",
    "app_raised",
    "bad_header",
    "describe_app",
    "make_target",
]


def detect_interface(app: Any) -> str:
    """``"asgi"`` or ``"wsgi"`` for an app object (pass ``interface=`` to override)."""
    names = {c.__name__ for c in type(app).__mro__}
    if "ASGIHandler" in names:  # Django
        return "asgi"
    if "WSGIHandler" in names:  # Django
        return "wsgi"
    if hasattr(app, "asgi_app"):  # Quart
        return "asgi"
    if hasattr(app, "wsgi_app"):  # Flask
        return "wsgi"
    call = app if inspect.isfunction(app) or inspect.ismethod(app) else type(app).__call__
    if inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(app):
        return "asgi"
    try:
        params = [
            p
            for p in inspect.signature(app).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        return "wsgi"
    # An ASGI callable takes (scope, receive, send); WSGI takes (environ, start_response).
    return "asgi" if len(params) == 3 else "wsgi"


#: ``interface=`` values, named in error messages.
INTERFACES = ("wsgi", "asgi", "aiohttp", "lambda", "transport")


def is_transport(obj: Any) -> bool:
    """An object hookmock delivers through rather than calls: it has ``handle(request, ...)`` and
    is not itself an app (apps are callable)."""
    return callable(getattr(obj, "handle", None)) and not callable(obj)


def is_aiohttp_app(obj: Any) -> bool:
    """An ``aiohttp.web.Application``, recognised without importing aiohttp."""
    return any(
        cls.__name__ == "Application" and cls.__module__.split(".")[0] == "aiohttp"
        for cls in type(obj).__mro__
    )


def make_target(
    app_or_url: Any,
    *,
    interface: str | None = None,
    allow_insecure_http: bool = False,
    verify: Any = None,
    host: str = "localhost",
) -> Target:
    """Pick the target for an app object, a Lambda handler, a transport or a URL string."""
    if interface is not None and interface not in (*INTERFACES, "http"):
        raise ConfigurationError(
            f"interface must be 'wsgi' or 'asgi' (or 'aiohttp', 'lambda', 'transport'; None"
            f" detects it); got {interface!r}."
        )
    if interface == "lambda":
        return LambdaTarget(resolve_handler(app_or_url), host=host)
    if isinstance(app_or_url, str):
        if interface not in (None, "http"):
            raise ConfigurationError(
                f"interface={interface!r} is for app objects; {app_or_url!r} is a URL."
                " A Lambda handler named by its module takes interface='lambda'."
            )
        return HTTPTarget(app_or_url, allow_insecure_http=allow_insecure_http, verify=verify)
    if interface == "transport" or (interface is None and is_transport(app_or_url)):
        return UserTransport(app_or_url, host=host)
    if interface == "aiohttp" or (interface is None and is_aiohttp_app(app_or_url)):
        return AiohttpTarget(app_or_url, host=host)
    if not callable(app_or_url):
        raise ArgumentTypeError(
            f"hookmock.receiver() needs a WSGI or ASGI app, an aiohttp app, a Lambda handler"
            f" with interface='lambda', a transport (an object with handle(request, *, timeout)),"
            f" or an https:// URL; got {type(app_or_url).__name__}."
        )
    kind = interface or detect_interface(app_or_url)
    if kind == "wsgi":
        return WSGITarget(app_or_url, host=host)
    if kind == "asgi":
        return ASGITarget(app_or_url, host=host)
    raise ConfigurationError(f"interface={interface!r} is for URLs; pass an https:// URL string.")


def as_target(obj: Any) -> Target:
    """What ``Receiver`` delivers through: a built-in target as it is, a user's transport wrapped
    in :class:`UserTransport`, and an older-style target with ``call(method, path, headers, body,
    timeout)`` adapted to ``handle``."""
    if getattr(type(obj), "builtin_target", False):
        return obj  # type: ignore[no-any-return]
    if callable(getattr(obj, "handle", None)):
        return UserTransport(obj)
    if callable(getattr(obj, "call", None)) and callable(getattr(obj, "url", None)):
        return _CallTarget(obj)
    raise ConfigurationError(
        f"hookmock.Receiver() needs a target or a transport (an object with"
        f" handle(request, *, timeout) returning a hookmock.Response); got"
        f" {type(obj).__name__}. hookmock.receiver(app_or_url) builds one from an app or a URL."
    )


class _CallTarget:
    """A target written against the earlier ``call(method, path, headers, body, timeout)``."""

    builtin_target = True

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.description = str(getattr(inner, "description", describe_app(inner)))
        self.in_process = bool(getattr(inner, "in_process", False))

    def handle(self, request: Request, *, timeout: float | None) -> Response:
        return self.inner.call(  # type: ignore[no-any-return]
            request.method, request.path, dict(request.headers), request.body, timeout
        )

    def url(self, path: str) -> str:
        return str(self.inner.url(path))

    def prepare(self) -> None:
        prepare = getattr(self.inner, "prepare", None)
        if prepare is not None:
            prepare()

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()


class UserTransport:
    """A user's :class:`hookmock.Transport`, held to the contract hookmock promises its reports.

    The transport is given the deadline as ``timeout=``; a :class:`TimeoutError` it raises, or an
    answer after the deadline, is a timed-out delivery (a provider has hung up by then). Any other
    exception, or something other than a :class:`hookmock.Response` coming back, is a failed
    delivery naming the transport. hookmock does not run the transport in a thread of its own:
    the transport's code runs in the caller's thread, as its ``handle`` would in httpx.
    """

    builtin_target = True
    in_process = False

    def __init__(self, transport: Any, *, host: str = "localhost") -> None:
        handle = getattr(transport, "handle", None)
        if not callable(handle):
            raise ConfigurationError(
                f"A transport needs a method handle(request, *, timeout) returning a"
                f" hookmock.Response; {type(transport).__name__} has none."
            )
        try:
            params = inspect.signature(handle).parameters
        except (TypeError, ValueError):
            params = None
        if params is not None and not (
            "timeout" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
        ):
            raise ConfigurationError(
                f"{type(transport).__name__}.handle{inspect.signature(handle)} takes no timeout;"
                " a transport's handle is handle(self, request, *, timeout), timeout being the"
                " delivery's deadline in seconds (None for none). Honour it, or accept and"
                " ignore it."
            )
        self.transport = transport
        self.host = host
        given = getattr(transport, "description", None)
        self.description = (
            given if isinstance(given, str) and given else f"transport {describe_app(transport)}"
        )

    def url(self, path: str) -> str:
        return f"https://{self.host}{path}"

    def prepare(self) -> None:
        prepare = getattr(self.transport, "prepare", None)
        if callable(prepare):
            prepare()

    def close(self) -> None:
        close = getattr(self.transport, "close", None)
        if callable(close):
            close()

    def wait_for_handlers(self, timeout: float) -> int:
        wait = getattr(self.transport, "wait_for_handlers", None)
        return int(wait(timeout)) if callable(wait) else 0

    def handle(self, request: Request, *, timeout: float | None) -> Response:
        start = time.perf_counter()
        try:
            got = self.transport.handle(request, timeout=timeout)
        except TimeoutError:
            raise DeliveryTimeout from None
        except Exception as exc:
            return Response(
                None,
                error=f"the {self.description} raised {type(exc).__name__}: {exc}",
            )
        took = time.perf_counter() - start
        if timeout is not None and took > timeout:
            raise DeliveryTimeout  # the provider hung up before this answer came
        return self._checked(got)

    def _checked(self, got: object) -> Response:
        def broke(rule: str) -> Response:
            return Response(None, error=f"the {self.description} {rule}")

        if not isinstance(got, Response):
            return broke(
                f"returned {type(got).__name__}, not a hookmock.Response(status, headers, body)"
            )
        status: object = got.status
        if status is not None and (
            isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599
        ):
            return broke(f"returned the status {status!r}; it must be an int from 100 to 599")
        if status is None and not got.error:
            return broke("returned no status and no error saying why")
        headers: object = got.headers
        if not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            return broke("returned headers that are not a dict of str to str")
        body: object = got.body
        if isinstance(body, bytearray):
            body = bytes(body)
        if not isinstance(body, bytes):
            return broke(f"returned a body of type {type(body).__name__}, not bytes")
        elapsed: object = got.elapsed
        if elapsed is not None and (
            isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)) or elapsed < 0
        ):
            return broke(f"returned elapsed={elapsed!r}; it must be seconds (a float >= 0)")
        return Response(got.status, dict(got.headers), body[:BODY_LIMIT], got.error, got.elapsed)
