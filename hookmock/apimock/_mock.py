"""ApiMock: answer a receiver's calls back to its providers' APIs from delivered events.

This module stays light (standard library only) so a Receiver can look for active mocks on every
delivery; ``responses`` and ``requests`` load in ``_glue`` when a mock first starts.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import fnmatch
import itertools
import threading

from .._errors import ArgumentTypeError, ConfigurationError
from .._event import Event
from .._registry import get_provider, provider_names
from ._http import ApiCall, ApiRequest, Position, Reply

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping
    from typing import Any

    import httpx
    import responses

    from ._http import ProviderAPI

_ACTIVE: list[ApiMock] = []
_ACTIVE_LOCK = threading.Lock()
#: The event this thread (or task) is delivering; an app called in the same context sees it.
_HANDLING: contextvars.ContextVar[Event | None] = contextvars.ContextVar(
    "hookmock_apimock_handling", default=None
)


@dataclasses.dataclass
class Fed:
    """One event of a story as the mock knows it: where it sits and whether it was delivered."""

    event: Event
    #: ``(created, order fed)``: the position requests made while handling it are answered at.
    at: Position
    #: False while the story dropped it (never delivered); True once delivered (or redelivered).
    delivered: bool


class ApiMock:
    """A mock of the provider APIs a webhook receiver calls back, built on ``responses``.

    While active (``with api:`` or ``start()``/``stop()``), every request made through
    ``requests`` (most provider SDKs use it) is answered here:

    - each provider's API hosts, answered by the API its package offers
      (:meth:`hookmock.Provider.api_mock`), from the events delivered so far; each is
      ``api.<provider name>`` (the built-in providers' are described in the README);
    - routes you add with :meth:`add` (they win over the built-in ones);
    - loopback URLs (``hookmock.serve()``) go through untouched;
    - anything else is refused with :class:`UnmockedRequestError` (a ``ConnectionError``).

    Every delivery a receiver makes while a mock is active feeds the mock the event first.
    ``receiver.send_story()`` feeds it the whole story first (see :meth:`feed`): a request made
    while the app handles a story event is answered as of that event, and the events the story
    dropped stay listed (as the provider's API lists undelivered events, e.g. an events
    endpoint filtered on failed deliveries), so a reconciliation job can be tested. With ``concurrency=`` and an
    app that runs in a worker thread, a request is answered as of the latest story event being
    delivered at that moment.
    """

    def __init__(self, events: Iterable[Event | Mapping[str, Any]] = ()) -> None:
        #: Each provider's API state by provider name, also reachable as ``api.<name>``.
        self.providers: dict[str, ProviderAPI] = {}
        for name in provider_names():
            made = get_provider(name).api_mock()
            if made is not None:
                self.providers[name] = made
        self._apis = {host: api for api in self.providers.values() for host in api.hosts}
        #: Every request answered or refused while active, in order.
        self.calls: list[ApiCall] = []
        self._lock = threading.RLock()
        self._depth = 0
        #: Story events by (provider, event id): what feed(event, delivered=...) told the mock.
        self._timeline: dict[tuple[str, str], Fed] = {}
        self._order = itertools.count()
        #: Events being delivered right now (a request from another thread is answered as of
        #: the latest of them: an app's worker thread cannot see the delivering thread's context).
        self._inflight: list[Event] = []
        self._responses: responses.RequestsMock | None = None
        if isinstance(events, (Event, dict, str, bytes)) or not hasattr(events, "__iter__"):
            one = isinstance(events, (Event, dict))
            raise ArgumentTypeError(
                "api_mock(events) takes a list of hookmock Events or payload dicts"
                + (", not a single one: pass [event]." if one else f"; got {events!r:.60}."),
                argument="events",
            )
        for item in events:
            self.feed(item)

    # -- state -----------------------------------------------------------------------------------
    def feed(self, event: Event | Mapping[str, Any], *, delivered: bool | None = None) -> None:
        """Tell the API about an event (a hookmock Event, or a delivered payload dict).

        ``delivered=True`` or ``False`` makes the event part of a story's timeline
        (``receiver.send_story()`` feeds every event of the story this way before delivering
        any, the dropped ones with ``delivered=False``):

        - a request the app makes while handling a story event is answered as of that event:
          the objects as the latest timeline event at or before it (by ``created``, then by the
          order fed) left them, and nothing from later events;
        - the events dropped stay listed by the API (as the provider lists failed
          deliveries: an events endpoint's filter, a hook's delivery log), so a reconciliation
          job can find them.

        Left out (a plain ``send()``), the event is delivered and the API keeps its latest state.
        Feeding a story event again changes nothing, except that a dropped event delivered
        later (a redelivery) now counts as delivered.
        """
        if delivered is not None and not isinstance(delivered, bool):
            raise ArgumentTypeError(
                f"feed(delivered=...) takes True or False (or leave it out); got {delivered!r:.60}."
            )
        if isinstance(event, Event):
            self._feed_event(event, delivered)
        elif delivered is not None:
            raise ConfigurationError(
                "feed(delivered=...) places a story's hookmock Event on the timeline; a payload"
                f" dict has no story position. Feed the Event itself (got a {type(event).__name__})."
            )
        elif isinstance(event, dict):
            # A bare payload: the first API (in provider order) that claims it learns from it.
            for api in self.providers.values():
                if api.claims(event):
                    api.feed(event, None)
                    break
        else:
            raise ArgumentTypeError(
                f"feed() takes a hookmock Event or a payload dict; got {type(event).__name__}."
            )

    def _feed_event(self, event: Event, delivered: bool | None) -> None:
        key = (event.provider, event.id)
        at: Position | None = None
        with self._lock:
            known = self._timeline.get(key)
            if known is not None:
                if delivered is False or known.delivered:
                    return  # already known as it is: feeding it again changes nothing
                known.delivered = True  # dropped, now delivered after all
                at = known.at
            elif delivered is not None:
                at = (int(event.created), next(self._order))
                self._timeline[key] = Fed(event, at, delivered)
        api = self.providers.get(event.provider)
        if api is None:
            return
        feed_event = getattr(api, "feed_event", None)
        if callable(feed_event):
            feed_event(event, at=at, delivered=delivered is not False)
        elif known is None:
            api.feed(event.payload, event.type)

    def timeline(self) -> list[Fed]:
        """The story events fed with ``delivered=``, in story position order."""
        with self._lock:
            return sorted(self._timeline.values(), key=lambda fed: fed.at)

    def position(self) -> Position | None:
        """The story position a request made now is answered at: that of the story event this
        context is delivering, else of the latest story event being delivered; None (the
        latest state) outside any story delivery."""
        handling = _HANDLING.get()
        with self._lock:
            if handling is not None:
                fed = self._timeline.get((handling.provider, handling.id))
                return None if fed is None else fed.at
            positions = [
                fed.at
                for fed in (self._timeline.get((e.provider, e.id)) for e in self._inflight)
                if fed is not None
            ]
        return max(positions) if positions else None

    def _enter(self, event: Event) -> None:
        with self._lock:
            self._inflight.append(event)

    def _leave(self, event: Event) -> None:
        with self._lock:
            if event in self._inflight:
                self._inflight.remove(event)

    def __getattr__(self, name: str) -> Any:
        """``api.<provider>``: that provider's API state (what its ``api_mock()`` made)."""
        providers = self.__dict__.get("providers")
        if providers is not None and name in providers:
            return providers[name]
        raise AttributeError(
            f"ApiMock has no attribute {name!r}; the mocked provider APIs are"
            f" {', '.join(sorted(providers or ())) or '(none)'}."
        )

    def hosts(self) -> list[str]:
        """Every host the provider APIs answer."""
        return sorted(self._apis)

    # -- routes ----------------------------------------------------------------------------------
    @property
    def responses(self) -> responses.RequestsMock:
        """The underlying ``responses.RequestsMock``, for anything :meth:`add` does not cover."""
        with self._lock:
            if self._responses is None:
                # Import budget: _glue loads requests and responses; only a started mock needs them.
                from ._glue import make_requests_mock

                self._responses = make_requests_mock(self)
            return self._responses

    def add(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        body: str | bytes | None = None,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer ``method url`` with this reply instead of the built-in one.

        ``url`` is a full URL, or a path, which means the API whose ``paths`` prefix it longest
        (a provider API with the prefix ``/`` takes any path no other claims):
        ``api.add("POST", "/v1/refunds", json={"id": "re_1", "object": "refund"})``.
        """
        if not isinstance(method, str) or not method.isalpha():
            raise ConfigurationError(
                f"api.add() takes an HTTP method first, like 'GET' or 'POST'; got {method!r:.60}."
            )
        if not isinstance(url, str):
            raise ConfigurationError(
                f"api.add() takes a full URL or a path starting with '/' as a str; got"
                f" {url!r:.60} ({type(url).__name__})."
            )
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            raise ConfigurationError(f"api.add(status=...) takes an HTTP status; got {status!r}.")
        if url.startswith("/"):
            url = self._base_for(url) + url
        elif not url.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"api.add() takes a full URL or a path starting with '/'; got {url!r}."
            )
        if json is not None and body is not None:
            raise ConfigurationError("api.add() takes json= or body=, not both.")
        kwargs: dict[str, Any] = {"status": status, "headers": dict(headers or {})}
        if body is not None:
            kwargs["body"] = body
        else:
            kwargs["json"] = {} if json is None else json
        self.responses.add(method.upper(), url, **kwargs)

    def _base_for(self, path: str) -> str:
        """``https://<host>`` of the API whose ``paths`` prefix ``path`` longest."""
        best: tuple[int, str] | None = None
        for api in self.providers.values():
            for prefix in api.paths:
                if path.startswith(prefix) and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), api.hosts[0])
        if best is None:
            raise ConfigurationError(
                f"api.add() got the path {path!r}, which no mocked provider API claims; give"
                f" the full URL (the mocked hosts: {', '.join(self.hosts()) or '(none)'})."
            )
        return f"https://{best[1]}"

    def find(self, method: str | None = None, path: str | None = None) -> list[ApiCall]:
        """The calls with this method and a path matching ``path`` (``*`` globs allowed)."""
        for name, value in (("method", method), ("path", path)):
            if value is not None and not isinstance(value, str):
                raise ConfigurationError(
                    f"api.find({name}=...) takes a str (or None for any), like"
                    f" find('POST', '/v1/refunds*'); got {value!r:.60}."
                )
        with self._lock:
            calls = list(self.calls)
        return [
            c
            for c in calls
            if (method is None or c.method == method.upper())
            and (path is None or fnmatch.fnmatchcase(c.path, path))
        ]

    def httpx_transport(self) -> httpx.MockTransport:
        """An ``httpx.MockTransport`` giving the same answers, for httpx-based clients that
        ``responses`` cannot see: an SDK client built with ``transport=t`` (for async clients
        that take one, ``async_transport=t`` too).

        It answers while the mock is active, as the ``requests`` interception does: during
        each delivery of a receiver with ``mock_api=True``, inside ``with api:``, and after the
        fixture's ``hookmock.api_mock()``. Outside, it refuses with ``httpx.ConnectError``."""
        # Import budget: _glue loads requests and responses; only a started mock needs them.
        from ._glue import httpx_transport

        return httpx_transport(self)

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self._depth > 0

    def start(self) -> ApiMock:
        """Start intercepting (nested starts are counted; each needs its stop)."""
        with self._lock:
            self._depth += 1
            if self._depth == 1:
                self.responses.start()
                with _ACTIVE_LOCK:
                    _ACTIVE.append(self)
        return self

    def stop(self) -> None:
        with self._lock:
            if self._depth == 0:
                return
            self._depth -= 1
            if self._depth == 0:
                with _ACTIVE_LOCK:
                    if self in _ACTIVE:
                        _ACTIVE.remove(self)
                self.responses.stop(allow_assert=False)

    def __enter__(self) -> ApiMock:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "active" if self.active else "inactive"
        return f"<hookmock.ApiMock {state}, {len(self.calls)} call(s)>"

    # -- answering (called by _glue) -------------------------------------------------------------
    def answer(self, request: ApiRequest) -> Reply | None:
        """The built-in answer for a provider API host, or None for another host."""
        api = self._apis.get(request.host)
        if api is None:
            return None

        head = request.method == "HEAD"
        if head:  # a HEAD answers what GET would, without the body
            request = ApiRequest("GET", request.url, request.headers, None)
        request.at = self.position()
        try:
            reply = api.handle(request)
        except Exception as exc:
            # Odd input the built-in answers did not foresee: a server error for the app to
            # handle, never an exception raised inside the app's HTTP client.
            reply = Reply(
                500,
                {
                    "message": f"hookmock's {api.name} API mock could not answer"
                    f" {request.method} {request.path}: {type(exc).__name__}: {exc}. Register"
                    " the answer you need with api.add(...)."
                },
            )
        if head:
            reply = Reply(reply.status, None, reply.headers)
        return reply

    def provider_of(self, host: str) -> str | None:
        api = self._apis.get(host.lower())
        return None if api is None else api.name

    def record(self, call: ApiCall) -> None:
        with self._lock:
            self.calls.append(call)


def active_mocks() -> list[ApiMock]:
    with _ACTIVE_LOCK:
        return list(_ACTIVE)


@contextlib.contextmanager
def delivering(event: Event, own: ApiMock | None) -> Iterator[None]:
    """Around one delivery: feed the event to every active mock (and the receiver's own), and
    keep the receiver's own mock active while the app handles it."""
    mocks = active_mocks()
    if own is not None and own not in mocks:
        mocks.append(own)
    for api in mocks:
        api.feed(event)
        api._enter(event)
    token = _HANDLING.set(event)
    try:
        if own is None:
            yield
            return
        own.start()
        try:
            yield
        finally:
            own.stop()
    finally:
        _HANDLING.reset(token)
        for api in mocks:
            api._leave(event)


def api_mock(events: Iterable[Event | Mapping[str, Any]] = ()) -> ApiMock:
    """A new :class:`ApiMock`: ``with hookmock.api_mock() as api: ...``."""
    return ApiMock(events)
