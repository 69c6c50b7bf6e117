"""Delivery targets: what a receiver posts to (in-process WSGI/ASGI app, or a URL), chosen here."""

from __future__ import annotations

from .._errors import ConfigurationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    class Target(Protocol):
        """Something that takes one HTTP request and gives back a response."""

        #: Short human description for failure messages ("WSGI app <Flask 'shop'>").
        description: str
        #: True when the app runs in this process (handler spies can see its calls).
        in_process: bool

        def call(
            self,
            method: str,
            path: str,
            headers: dict[str, str],
            body: bytes,
            timeout: float | None,
        ) -> Response: ...

        def url(self, path: str) -> str: ...

        def prepare(self) -> None:
            """One-off setup, run before each delivery is timed (cheap once done)."""

        def close(self) -> None: ...


class Response:
    """What came back: status, headers (first value per name, as sent) and body bytes."""

    __slots__ = ("body", "error", "headers", "status")

    def __init__(
        self,
        status: int | None,
        headers: dict[str, str],
        body: bytes,
        error: str | None = None,
    ) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        #: Set when no proper HTTP answer arrived (the app raised, the connection failed).
        self.error = error


class DeliveryTimeout(Exception):
    """Internal: the target did not answer within the timeout."""


#: How much of a response body is kept (the first 64 KiB): enough for any report or assertion
#: on a webhook answer, and an endless or huge body cannot fill memory.
BODY_LIMIT = 64 * 1024


def bad_header(name: str, value: str) -> str | None:
    """Why a response header could not go on the wire as it is, or None when it can.

    A CR or LF in a value would split the response (header injection), and a NUL is refused
    by every server; RFC 9110 section 5.5 allows none of them in a field value.
    """
    for char, label in (("\r", "CR"), ("\n", "LF"), ("\0", "NUL")):
        if char in name or char in value:
            return (
                f"the response header {name!r}: {value!r} holds {label}; header names and"
                " values must not contain CR, LF or NUL (RFC 9110 section 5.5), so it would"
                " split the response"
            )
    return None


def app_raised(exc: BaseException) -> Response:
    """A real server answers 500 when the app raises; report it the same way, traceback shown."""
    import traceback

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return Response(
        500,
        {"Content-Type": "text/plain"},
        text.encode("utf-8", "replace"),
        error=f"the app raised {type(exc).__name__}: {exc}",
    )


def detect_interface(app: Any) -> str:
    """``"asgi"`` or ``"wsgi"`` for an app object (pass ``interface=`` to override)."""
    import inspect

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


def make_target(
    app_or_url: Any,
    *,
    interface: str | None = None,
    allow_insecure_http: bool = False,
    verify: Any = None,
    host: str = "localhost",
) -> Target:
    """Pick the target for an app object or a URL string."""
    if isinstance(app_or_url, str):
        from ._http import HTTPTarget

        if interface not in (None, "http"):
            raise ConfigurationError(
                f"interface={interface!r} is for app objects; {app_or_url!r} is a URL."
            )
        return HTTPTarget(app_or_url, allow_insecure_http=allow_insecure_http, verify=verify)
    if not callable(app_or_url):
        raise ConfigurationError(
            f"hookmock.receiver() needs a WSGI or ASGI app or an https:// URL;"
            f" got {type(app_or_url).__name__}."
        )
    kind = interface or detect_interface(app_or_url)
    if kind == "wsgi":
        from ._wsgi import WSGITarget

        return WSGITarget(app_or_url, host=host)
    if kind == "asgi":
        from ._asgi import ASGITarget

        return ASGITarget(app_or_url, host=host)
    raise ConfigurationError(f"interface must be 'wsgi' or 'asgi', got {interface!r}.")


def describe_app(app: Any) -> str:
    text = repr(app)
    return text if len(text) <= 80 else text[:77] + "..."
