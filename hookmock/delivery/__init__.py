"""Delivery: send signed events to an app under test (in-process WSGI/ASGI or a URL) and judge.

``hookmock.receiver(...)`` and ``hookmock.serve(...)`` are the entry points; the pieces live in
small modules: the transport seam (``_transport``) and the targets behind it (``_wsgi``,
``_asgi``, ``_aiohttp``, ``_lambda``, ``_http``), ``_serve``, the ``Receiver`` (``_receiver``) and
its three pieces, the attempt loop (``_attempts``), the judgement (``_judge``) and the ledger
(``_ledger``), then ``_result``, ``_report``, ``_spy`` and ``_clock``. Code outside this package
uses the names exported here, never the private modules.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._errors import ConfigurationError, did_you_mean
from .._registry import DEFAULT_PROVIDER
from ..apimock import ApiMock
from ._attempts import (
    Attempts,
    Delivered,
    resolve_timeout,
    signs_timestamp,
    signs_with_every_secret,
)
from ._clock import RetrySchedule, VirtualClock, resolve_retries
from ._judge import Judge, Watch
from ._ledger import Ledger
from ._receiver import DEFAULT_SOURCE, Receiver, resolve_provider
from ._report import Report
from ._result import Attempt, DeliveryResult, format_ms, format_virtual, status_text
from ._serve import Authority, BaseURL, serve
from ._story import StoryDelivery, StoryReport, plan_order
from ._targets import make_target
from ._transport import Request, Response, Transport

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any

    from .._event import Event
    from .._provider import Provider

__all__ = [
    "DEFAULT_SOURCE",
    "Attempt",
    "Attempts",
    "Authority",
    "BaseURL",
    "Delivered",
    "DeliveryResult",
    "Judge",
    "Ledger",
    "Receiver",
    "Report",
    "Request",
    "Response",
    "RetrySchedule",
    "StoryDelivery",
    "StoryReport",
    "Transport",
    "VirtualClock",
    "Watch",
    "format_ms",
    "format_virtual",
    "plan_order",
    "receiver",
    "resolve_retries",
    "resolve_timeout",
    "serve",
    "signs_timestamp",
    "signs_with_every_secret",
    "status_text",
]


def receiver(
    app_or_url: Any = None,
    *,
    transport: Transport | None = None,
    path: str = "/",
    provider: str | Provider = DEFAULT_PROVIDER,
    secret: str | Sequence[str] | None = None,
    seed: int | None = None,
    timeout: float | bool | None = None,
    retries: object = False,
    allow_insecure_http: bool = False,
    verify: Any = None,
    handled: Callable[[Event], object] | None = None,
    interface: str | None = None,
    host: str = "localhost",
    options: Mapping[str, Any] | None = None,
    mock_api: bool | ApiMock = False,
    ignore: Iterable[str] = (),
    keep_results: int | bool = True,
    **provider_options: Any,
) -> Receiver:
    """A :class:`Receiver` that delivers ``provider`` events to an app or a URL.

    ``secret`` is required: the endpoint's signing secret (a list while secrets rotate, for a
    provider that signs with several); without it, :class:`hookmock.SecretError`. ``app_or_url``: a WSGI app
    (Flask, Django, Falcon), an ASGI app (FastAPI, Starlette, Django ASGI, Quart) or an aiohttp
    ``web.Application`` called in-process, an AWS Lambda handler ``(event, context)`` or its
    ``"module:function"`` name with ``interface="lambda"`` (given API Gateway HTTP API events),
    an ``https://`` URL, or a :class:`hookmock.Transport` of your own (also ``transport=``), whose
    ``handle(request, *, timeout)`` gets each :class:`hookmock.Request` with the signed bytes.
    ``timeout`` defaults to the provider's (``Provider.timeout``; ``False`` for none; NaN
    and infinity are refused, more than a week is capped to a week). At the timeout hookmock
    stops waiting, as a provider hangs up, and reports a failed delivery; an async ASGI handler is cancelled, but a WSGI handler or a sync
    (def) endpoint in an ASGI app's thread pool cannot be and keeps running in its thread, where
    it can still change shared state after the test moved on. The pytest fixture waits for such
    handlers at teardown (``receiver.wait_for_handlers()`` does it by hand). ``retries=True``
    gives the provider's retry behaviour on a virtual clock (at most 100 retries, each wait
    at most a year). ``handled`` is a probe ``(event) -> bool`` run after each 2xx (one that
    raises marks the delivery not handled and names the error) and after each 4xx, where a yes
    fails ``assert_rejected()``: the app acted on an event it refused. Types in ``ignore`` only
    need a 2xx: the probe is not run for them. ``options`` are provider
    options for every generated event (``Provider.option_defaults`` names them).
    ``mock_api=True`` answers the app's calls back to the provider's API from the delivered
    events while it handles each one (see :func:`hookmock.api_mock`; pass an ``ApiMock`` to share
    one); the mock is ``receiver.api``. ``keep_results`` bounds ``receiver.results`` to the
    last 1,000 results (True), N, or none (False or 0, for long runs); the report still covers
    every delivery, so memory stays flat however many events are sent.
    """
    if transport is not None:
        if app_or_url is not None:
            raise ConfigurationError(
                "hookmock.receiver() got both an app or URL and transport=; pass one: the"
                " transport is what delivers to the app."
            )
        if interface not in (None, "transport"):
            raise ConfigurationError(
                f"interface={interface!r} does not go with transport=; drop interface=."
            )
        app_or_url, interface = transport, "transport"
    elif app_or_url is None:
        raise ConfigurationError(
            "hookmock.receiver() needs what to deliver to: a WSGI, ASGI or aiohttp app, a Lambda"
            " handler (interface='lambda'), an https:// URL, or transport=YourTransport()."
        )
    prov = resolve_provider(provider)
    options = provider_options_for(prov, options, provider_options)
    target = make_target(
        app_or_url,
        interface=interface,
        allow_insecure_http=allow_insecure_http,
        verify=verify,
        host=host,
    )
    try:
        return Receiver(
            target,
            path=path,
            provider=prov,
            secret=secret,
            seed=seed,
            timeout=timeout,
            retries=retries,
            handled=handled,
            options=options,
            api=_api_for(mock_api),
            ignore=ignore,
            keep_results=keep_results,
        )
    except BaseException:
        target.close()
        raise


def _api_for(mock_api: object) -> ApiMock | None:
    if mock_api is False or mock_api is None:
        return None

    if mock_api is True:
        return ApiMock()
    if isinstance(mock_api, ApiMock):
        return mock_api
    raise ConfigurationError(
        f"mock_api takes True, False or a hookmock.ApiMock; got {type(mock_api).__name__}."
    )


#: The keywords :func:`receiver` takes besides provider options (named in error messages).
RECEIVER_KEYWORDS = (
    "transport",
    "path",
    "provider",
    "secret",
    "seed",
    "timeout",
    "retries",
    "allow_insecure_http",
    "verify",
    "handled",
    "interface",
    "host",
    "options",
    "mock_api",
    "ignore",
    "keep_results",
)


def provider_options_for(
    provider: Provider, options: Mapping[str, Any] | None, keywords: Mapping[str, Any]
) -> dict[str, Any]:
    """``options=`` and option keywords merged, each name checked against the provider's."""
    known = list(provider.option_defaults)
    title = provider.title or provider.name
    if options is not None and not isinstance(options, Mapping):
        raise ConfigurationError(
            f"options= takes a dict of {title} options, like"
            f" {{{known[0]!r}: ...}}; got {type(options).__name__}."
            if known
            else f"options= takes a dict; got {type(options).__name__}."
        )
    merged = dict(options or {})
    for key, value in keywords.items():
        if key in merged and merged[key] != value:
            raise ConfigurationError(
                f"hookmock.receiver() got {key}= both as a keyword and in options=; pass it once."
            )
        merged[key] = value
    for key in merged:
        if key in provider.option_defaults:
            continue
        where = (
            f"option {key!r} in options="
            if options is not None and key in options
            else f"keyword {key!r}"
        )
        accepted = [*RECEIVER_KEYWORDS, *known]
        close = did_you_mean(key, accepted, limit=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        theirs = ", ".join(f"{k}=" for k in known) or "(none)"
        raise ConfigurationError(
            f"hookmock.receiver() got an unknown {where}.{hint} It accepts"
            f" {', '.join(f'{k}=' for k in RECEIVER_KEYWORDS)}, and {title}'s event options"
            f" {theirs}. Field overrides go to send(type, **overrides), not to the receiver."
        )
    return merged
