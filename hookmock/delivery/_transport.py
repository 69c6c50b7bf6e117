"""The transport seam: one delivery attempt as a :class:`Request`, its answer as a :class:`Response`.

Every target hookmock delivers to (an in-process WSGI, ASGI or aiohttp app, an AWS Lambda handler,
a live URL) is a transport: ``handle(request, *, timeout) -> Response``, as httpx's
``BaseTransport.handle_request`` is for httpx. A user's own transport is passed to
``hookmock.receiver(transport=...)`` (or as the target) and gets the very bytes that were signed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class Request:
    """One delivery attempt, as the provider sends it.

    ``url`` is the full URL the provider posts to (``https://localhost/webhooks`` for an in-process
    app, set by ``receiver(host=..., path=...)``); ``path`` is its path and query string.
    ``headers`` are the provider's headers as sent (signature included); ``body`` is the exact
    bytes the signature covers: pass them on untouched, never re-serialise them.
    """

    method: str
    url: str
    path: str
    headers: Mapping[str, str]
    body: bytes


@dataclass
class Response:
    """What a transport got back.

    ``status`` is the HTTP status code, or None when no answer arrived (then ``error`` says why).
    ``headers`` holds the first value per name, as sent; ``body`` the answer's bytes (hookmock keeps
    the first 64 KiB). ``error`` names what went wrong besides the status (the app raised, broke
    its protocol, the connection failed): the delivery then fails with that message.
    ``elapsed`` is the answer time in seconds when the transport measured it itself; left as None,
    hookmock times the ``handle()`` call.
    """

    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    elapsed: float | None = None


@runtime_checkable
class Transport(Protocol):
    """Carries one :class:`Request` to the receiver under test and returns its :class:`Response`.

    ``timeout`` is the delivery's deadline in seconds from the call (the provider's, or the
    receiver's ``timeout=``), or None for no limit. A transport honours it the way a provider
    hangs up: it stops waiting and raises :class:`TimeoutError` (the built-in; ``socket.timeout``
    is one). hookmock counts that, and an answer that comes back after the deadline, as a timed-out
    delivery. Any other exception is a failed delivery whose message names the transport and the
    error. Optional members hookmock uses when present: ``description`` (named in failure
    messages), ``prepare()`` (one-off setup run before the first attempt is timed) and ``close()``
    (run when the receiver closes).
    """

    def handle(self, request: Request, *, timeout: float | None) -> Response: ...
