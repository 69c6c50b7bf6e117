"""What every delivery target shares: the timeout signal, the body limit, header checks, how an
app is described, and which live ``serve()`` servers' CAs a URL trusts."""

from __future__ import annotations

import threading
import traceback

from ._transport import Request, Response

__all__ = [
    "BODY_LIMIT",
    "DeliveryTimeout",
    "Request",
    "Response",
    "app_raised",
    "bad_header",
    "ca_for_url",
    "describe_app",
    "trust",
    "untrust",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    class Target(Protocol):
        """A transport with what the receiver needs besides ``handle`` (built-ins have it all;
        a user's transport gets it from :class:`UserTransport`)."""

        #: Short human description for failure messages ("WSGI app <Flask 'shop'>").
        description: str
        #: True when the app runs in this process (handler spies can see its calls).
        in_process: bool

        def handle(self, request: Request, *, timeout: float | None) -> Response: ...

        def url(self, path: str) -> str: ...

        def prepare(self) -> None:
            """One-off setup, run before each delivery is timed (cheap once done)."""

        def close(self) -> None: ...


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

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return Response(
        500,
        {"Content-Type": "text/plain"},
        text.encode("utf-8", "replace"),
        error=f"the app raised {type(exc).__name__}: {exc}",
    )


# base URL -> CA bundle path, while the server runs; HTTPTarget looks its URL up here.
_live: dict[str, str] = {}
_live_lock = threading.Lock()


def ca_for_url(url: str) -> str | None:
    with _live_lock:
        for base, ca in _live.items():
            if url == base or url.startswith(base + "/"):
                return ca
    return None


def trust(url: str, ca_path: str) -> None:
    """While ``serve()`` runs: a URL under ``url`` trusts the CA bundle at ``ca_path``."""
    with _live_lock:
        _live[url] = ca_path


def untrust(url: str) -> None:
    with _live_lock:
        _live.pop(url, None)


def describe_app(app: Any) -> str:
    text = repr(app)
    return text if len(text) <= 80 else text[:77] + "..."
