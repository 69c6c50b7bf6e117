"""The Receiver: deliver events to one endpoint, with retries, timeouts and handled checks."""

from __future__ import annotations

import threading
import time

from .._errors import ConfigurationError, DeliveryError, SecretError
from .._provider import check_secret
from .._redaction import redact, redact_url, remember_url, secret_header_names
from .._registry import DEFAULT_PROVIDER
from ._clock import VirtualClock, resolve_retries
from ._result import Attempt, DeliveryResult
from ._targets import DeliveryTimeout, Request, as_target

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from contextlib import AbstractContextManager
    from typing import Any

    from .._event import Event
    from .._provider import Provider
    from ..apimock import ApiMock
    from ..contracts import ContractReport
    from ._report import Report, Tally
    from ._spy import HandlerSpy
    from ._targets import Target
    from ._transport import Transport

    Probe = Callable[[Event], object]

_UNSET: Any = object()
#: Where a receiver's secret came from unless told otherwise (named in 4xx failures).
DEFAULT_SOURCE = "the secret= given to hookmock.receiver()"


def resolve_timeout(timeout: float | bool | None, provider: Provider) -> float | None:
    """None: the provider's own timeout. False or 0: wait forever. A number: that many seconds."""
    if timeout is None:
        return float(provider.timeout)
    if timeout is False or timeout == 0:
        return None
    import math

    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, (int, float))
        or not math.isfinite(timeout)
        or timeout < 0
    ):
        raise ConfigurationError(
            f"timeout is seconds (a finite number > 0), None for the provider's own, or False"
            f" for none; got {timeout!r}."
        )
    # Thread waits overflow past ~292 years; any timeout this long means "wait", not a limit.
    return min(float(timeout), MAX_TIMEOUT)


#: The longest timeout honoured (a week): longer ones are capped to it.
MAX_TIMEOUT = 7 * 24 * 3600.0


class Receiver:
    """One webhook endpoint under test: ``send()`` events to it and check what it did.

    Build it with :func:`hookmock.receiver`. Every event it generates gets a seed derived from the
    receiver's ``seed`` and a counter, so the same receiver seed sends the same events again.
    """

    def __init__(
        self,
        target: Target | Transport,
        *,
        path: str = "/",
        provider: str | Provider = DEFAULT_PROVIDER,
        secret: str | Sequence[str] | None = None,
        seed: int | None = None,
        timeout: float | bool | None = None,
        retries: object = False,
        handled: Probe | None = None,
        reproduce: str = "",
        options: Mapping[str, Any] | None = None,
        api: ApiMock | None = None,
        secret_source: str = "",
        ignore: Iterable[str] = (),
        keep_results: int | bool = True,
    ) -> None:
        from collections import deque

        from .._seeding import random_seed

        self.provider: Provider = resolve_provider(provider)
        self.target = as_target(target)
        remember_url(self.target.url("/"))  # a URL's password is redacted wherever it shows up
        if not isinstance(path, str):
            raise ConfigurationError(
                f"path= is the URL path the app serves webhooks on, a str like '/webhooks';"
                f" got {path!r} ({type(path).__name__})."
            )
        self.path = path if path.startswith("/") else "/" + path
        self.secret = secret
        # No default secret: signing with a made-up one only yields a puzzling 401 later.
        self._secrets = check_secret(secret, self.provider.name)
        check_secret_count(self.provider, self._secrets)
        #: Where the secret came from, named (never shown) in failure messages.
        self.secret_source = secret_source or DEFAULT_SOURCE
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ConfigurationError(f"seed must be an int, got {seed!r}.")
        self.seed: int = random_seed() if seed is None else seed
        self.timeout = resolve_timeout(timeout, self.provider)
        self.schedule = resolve_retries(retries, self.provider)
        self.clock = VirtualClock()
        self.handled = check_probe(handled)
        #: Provider options for every generated event (say, Stripe's ``api_version``).
        self.options = dict(options or {})
        #: Printed under failures: how to get the same data again (the plugin names its option).
        self.reproduce = (
            reproduce or f"reproduce the whole run: hookmock.receiver(..., seed={self.seed})"
        )
        #: The provider API mock active while each delivery is handled (``mock_api=True``).
        self.api = api
        #: How many recent results ``results`` holds in full (see :data:`KEEP_RESULTS`).
        self.keep_results = check_keep(keep_results)
        #: The most recent results, oldest first; older ones live on only in the report.
        self.results: deque[DeliveryResult] = deque()
        #: Per type, the results no longer kept, folded to what the report needs.
        self._folded: dict[str, Tally] = {}
        #: Per type, how many deliveries were made (kept or not).
        self.delivered: dict[str, int] = {}
        #: Types that only need a 2xx (``ignore=`` given here or to ``assert_all_handled()``).
        self.ignored: frozenset[str] = _names(ignore, "receiver")
        for name in sorted(self.ignored):
            self.provider.check_type(name)
        self._spies: list[HandlerSpy] = []
        self._counter = 0
        self._lock = threading.Lock()

    # -- events ----------------------------------------------------------------------------------
    def _next_seed(self) -> int:
        from .._seeding import derive_seed

        with self._lock:
            n = self._counter
            self._counter += 1
        return derive_seed(self.seed, n)

    def event(self, type: str, /, **overrides: Any) -> Event:
        """Generate an event the way ``send(type)`` would, without sending it."""
        seed = overrides.pop("seed", None)
        if self.options:
            overrides = {**self.options, **overrides}
        return self.provider.event(
            type, seed=self._next_seed() if seed is None else seed, **overrides
        )

    def _coerce(self, item: object, overrides: dict[str, Any], method: str = "send") -> Event:
        from .._event import Event

        if isinstance(item, Event):
            if item.provider != self.provider.name:
                raise ConfigurationError(
                    f"This receiver speaks {self.provider.name}, but the event is a"
                    f" {item.provider} event ({item.type}). Use hookmock.receiver(...,"
                    f" provider={item.provider!r}) for it."
                )
            return item.replace(**overrides) if overrides else item
        if isinstance(item, str):
            return self.event(item, **overrides)
        raise ConfigurationError(
            f"{method}() takes event type names or hookmock Events; got {type(item).__name__}."
        )

    # -- delivery --------------------------------------------------------------------------------
    def send(
        self,
        type_or_event: str | Event,
        /,
        *,
        handled: Probe | None = None,
        secret: str | Sequence[str] | None = None,
        timestamp: int | None = None,
        headers: Mapping[str, str | None] | None = None,
        timeout: float | bool | None = _UNSET,
        **overrides: Any,
    ) -> DeliveryResult:
        """Deliver one event (generated from a type name and overrides, or a prebuilt Event).

        ``secret`` signs with another secret (say, a wrong one to test rejection); ``timestamp``
        pins the signature time, in Unix seconds (an int: a stale one tests the tolerance check);
        ``headers`` is a mapping of header names to values that adds or replaces headers
        (``None`` removes one). Returns a :class:`DeliveryResult`; it does not
        raise on a bad status, call ``result.assert_ok()`` for that. A 4xx answer is judged for
        side effects (the probe, the spies' calls during this delivery): ``result.handled`` is
        True when the app acted on the event it refused, and ``assert_rejected()`` then fails.
        """
        check_headers(headers)
        check_timestamp(timestamp, self.provider)
        check_probe(handled)
        if secret is not None:
            check_secret_count(self.provider, check_secret(secret, self.provider.name))
        event = self._coerce(type_or_event, overrides)
        return self._deliver(
            event,
            handled=handled,
            secret=secret,
            timestamp=timestamp,
            extra=headers,
            timeout=self.timeout if timeout is _UNSET else resolve_timeout(timeout, self.provider),
            again=not isinstance(type_or_event, str),
        )

    def headers_for(
        self,
        event: Event,
        *,
        secret: str | Sequence[str] | None = None,
        timestamp: int | None = None,
        extra: Mapping[str, str | None] | None = None,
    ) -> dict[str, str]:
        """The exact headers a delivery of ``event`` sends (signed now, or at ``timestamp``)."""
        check_headers(extra)
        check_timestamp(timestamp, self.provider)
        use: Any = self._secrets if secret is None else secret
        sent = event.headers(use, timestamp=timestamp)
        if extra:
            lower = {k.lower(): k for k in sent}
            for name, value in extra.items():
                existing = lower.get(name.lower())
                if existing is not None:
                    del sent[existing]
                if value is not None:
                    sent[name] = value
        return sent

    def _deliver(self, event: Event, **options: Any) -> DeliveryResult:
        # The provider's API already knows the event when the receiver hears of it: an API mock
        # that is active (or this receiver's own) answers the app's calls back from it.
        mocks = self._api_mocks()
        marks = [(api, len(api.calls)) for api in mocks]
        with self._api_scope(event):
            result = self._deliver_now(event, **options)
        # What the app asked the provider's API while handling this event: a refused or failed
        # call there is often why it answered 500, and its message says what to change.
        result.api_calls = [call for api, start in marks for call in api.calls[start:]]
        return result

    def _api_mocks(self) -> list[ApiMock]:
        import sys

        mocks = sys.modules.get("hookmock.apimock._mock")
        found: list[ApiMock] = [] if mocks is None else mocks.active_mocks()
        if self.api is not None and self.api not in found:
            found.append(self.api)
        return found

    def _deliver_now(
        self,
        event: Event,
        *,
        handled: Probe | None,
        secret: str | Sequence[str] | None,
        timestamp: int | None,
        extra: Mapping[str, str | None] | None,
        timeout: float | None,
        again: bool = False,
    ) -> DeliveryResult:
        probe = None if event.type in self.ignored else (handled or self.handled)
        # An event built before (a replay, send(event)) may have been handled by an earlier
        # delivery: a probe that already says yes cannot tell whether a rejected one acted.
        before = again and probe is not None and _probe_says(probe, event)
        # Calls a handler makes from here on belong to this delivery (see HandlerSpy.count).
        marks = {id(spy): spy.mark() for spy in self._spies}
        attempts: list[Attempt] = []
        at = 0.0
        delays = self.schedule.delays
        response = None
        sent: dict[str, str] = {}
        timed_out = False
        elapsed = 0.0
        url = self.target.url(self.path)
        for number in range(1, len(delays) + 2):
            if number > 1:
                # Retries happen on the virtual clock: no real waiting, but each retry is signed
                # afresh, as a provider signs each attempt at the moment it sends it.
                wait = delays[number - 2]
                at += wait
                self.clock.advance(wait)
            sent = self.headers_for(event, secret=secret, timestamp=timestamp, extra=extra)
            # One-off setup (an HTTP session, an ASGI lifespan) is no part of the answer time.
            self.target.prepare()
            start = time.perf_counter()
            try:
                response = self.target.handle(
                    Request("POST", url, self.path, sent, event.body), timeout=timeout
                )
                timed_out = False
            except DeliveryTimeout:
                response = None
                timed_out = True
            elapsed = time.perf_counter() - start
            if response is not None and response.elapsed is not None:
                elapsed = response.elapsed  # the transport's own measure of the answer
            attempt = Attempt(
                number,
                at,
                None if response is None else response.status,
                elapsed,
                timed_out=timed_out,
                error=None if response is None else response.error,
            )
            attempts.append(attempt)
            if attempt.ok:
                break
        result = DeliveryResult(
            event=event,
            status=None if response is None else response.status,
            body=b"" if response is None else response.body,
            headers={} if response is None else response.headers,
            elapsed=elapsed,
            attempts=attempts,
            sent_headers=sent,
            url=url,
            target=self.target.description,
            secrets=[*self._secrets, *_as_list(secret)],
            secret_source=(
                "the secret= passed to send()" if secret is not None else self.secret_source
            ),
            timed_out=timed_out,
            timeout=timeout,
            error=None if response is None else response.error,
            reproduce=self.reproduce,
        )
        result._spy_marks = marks
        result.rejected_as = unhappy_word(secret, timestamp, extra)
        if result.ok:
            self._check_handled(result, probe, marks)
        elif result.status is not None and 400 <= result.status < 500:
            self._check_side_effects(result, probe, marks, probe_said_before=before)
        self._keep(result)
        return result

    def _keep(self, result: DeliveryResult) -> None:
        """Remember a result for the report; past ``keep_results``, fold the oldest into the
        per-type tallies, so memory stays flat however long the run."""
        with self._lock:
            self.delivered[result.event.type] = self.delivered.get(result.event.type, 0) + 1
            if self.keep_results == 0:
                self._fold(result)
                return
            self.results.append(result)
            while len(self.results) > self.keep_results:
                self._fold(self.results.popleft())

    def _fold(self, result: DeliveryResult) -> None:
        from ._report import Tally, counts

        if not counts(result):
            return
        tally = self._folded.get(result.event.type)
        if tally is None:
            tally = self._folded[result.event.type] = Tally(result.event.type)
        tally.add(result)

    def _api_scope(self, event: Event) -> AbstractContextManager[None]:
        import sys

        mocks = sys.modules.get("hookmock.apimock._mock")
        if mocks is None:  # no API mock was ever made, so none can be active
            from contextlib import nullcontext

            return nullcontext()
        scope: AbstractContextManager[None] = mocks.delivering(event, self.api)
        return scope

    def _check_handled(
        self, result: DeliveryResult, probe: Probe | None, marks: Mapping[int, int]
    ) -> None:
        event = result.event
        verdicts: list[bool] = []
        if probe is not None:
            try:
                got = bool(probe(event))
            except AssertionError as exc:
                got = False
                result.handled_notes.append(
                    redact(f"the handled= probe failed: {exc}".rstrip(": "), self._secrets)
                )
            except Exception as exc:
                # A broken probe says nothing about the app; report it with the delivery.
                got = False
                result.handled_notes.append(
                    redact(
                        f"the handled= probe raised {type(exc).__name__}: {exc}".rstrip(": "),
                        self._secrets,
                    )
                )
            else:
                if not got:
                    result.handled_notes.append("the handled= probe returned a false value")
                else:
                    result.side_effects.append(PROBE_SAID_YES)
            verdicts.append(bool(got))
        for spy in self._watching(event):
            hits = spy.hits_since(event, marks.get(id(spy), 0))
            if hits:  # what it did, for a test that wanted this delivery refused
                result.side_effects.append(_called_with(spy.dotted, hits))
            calls = spy.count(event, since=marks.get(id(spy), 0))
            if calls == 0:
                result.handled_notes.append(spy.explain_miss(event))
                verdicts.append(False)
            elif spy.once and calls > 1:
                result.handled_repeatedly = True
                result.handled_notes.append(
                    f"{spy.dotted} ran {calls} times for {event.id}: a redelivered event must"
                    " be deduplicated on its id (or pass expect_handler(..., once=False) if the"
                    " handler is idempotent and may run again)"
                )
                verdicts.append(False)
            else:
                verdicts.append(True)
        if verdicts:
            result.handled = all(verdicts)

    def _watching(self, event: Event) -> list[HandlerSpy]:
        """The spies that judge ``event``: those for its type; an ignored type only needs a 2xx,
        so only a spy that names it in ``types=`` judges it."""
        return [
            spy
            for spy in self._spies
            if spy.watches(event) and (spy.types is not None or event.type not in self.ignored)
        ]

    def _check_side_effects(
        self,
        result: DeliveryResult,
        probe: Probe | None,
        marks: Mapping[int, int],
        *,
        probe_said_before: bool = False,
    ) -> None:
        """Judge a rejected (4xx) delivery: did the app act on the event before refusing it?

        Only what happened during this delivery counts: the probe (unless it said yes already
        before, for an event delivered earlier) and the spies' calls since the delivery began.
        ``result.handled`` is True when any of them saw the event acted on.
        """
        event = result.event
        verdicts: list[bool] = []
        if probe is not None:
            if probe_said_before:
                result.handled_notes.append(
                    "the handled= probe already said yes before this delivery (an earlier"
                    " delivery of this event was handled), so it cannot tell whether this one"
                    " was acted on; expect_handler() can"
                )
            else:
                said = _probe_says(probe, event)
                if said:
                    result.side_effects.append(PROBE_SAID_YES)
                verdicts.append(said)
        for spy in self._watching(event):
            hits = spy.hits_since(event, marks.get(id(spy), 0))
            if hits:
                result.side_effects.append(_called_with(spy.dotted, hits))
            else:
                result.handled_notes.append(f"{spy.dotted} was not called during this delivery")
            verdicts.append(bool(hits))
        if verdicts:
            result.handled = any(verdicts)

    def _check_rejected(self, result: DeliveryResult) -> None:
        """Run the handled checks on a delivery that got no 2xx (they normally run only after
        one): a contract expecting "not handled" must see a forged event that was acted on."""
        if result.handled is None:
            self._check_handled(result, self.handled, result._spy_marks)

    def send_many(
        self,
        items: Iterable[str | Event],
        *,
        order: str = "given",
        shuffle: bool = False,
        concurrency: int = 1,
        handled: Probe | None = None,
        secret: str | Sequence[str] | None = None,
        timestamp: int | None = None,
        headers: Mapping[str, str | None] | None = None,
        timeout: float | bool | None = _UNSET,
    ) -> list[DeliveryResult]:
        """Deliver a batch. ``order="shuffled"`` (or ``shuffle=True``) delivers in a seeded random
        order, as providers do not guarantee order; ``concurrency=N`` delivers from N threads.
        ``secret``, ``timestamp``, ``headers``, ``timeout`` and ``handled`` sign and judge every
        delivery as in :meth:`send`. Results come back in delivery order (submission order when
        concurrent).
        """
        items = type_list(items, "send_many()", "send_many(['invoice.paid', 'invoice.paid'])")
        return self._batch(
            "send_many",
            items,
            order=order,
            shuffle=shuffle,
            concurrency=concurrency,
            handled=handled,
            secret=secret,
            timestamp=timestamp,
            headers=headers,
            timeout=timeout,
        )

    def _batch(
        self,
        method: str,
        items: Sequence[object],
        *,
        order: str,
        shuffle: bool,
        concurrency: int,
        handled: Probe | None,
        secret: str | Sequence[str] | None,
        timestamp: int | None,
        headers: Mapping[str, str | None] | None,
        timeout: float | bool | None,
    ) -> list[DeliveryResult]:
        """send_many() and replay(): arguments checked in the caller's name, then delivered."""
        import random

        from .._event import Event
        from .._seeding import derive_seed

        check_probe(handled)
        check_headers(headers)
        check_timestamp(timestamp, self.provider)
        if secret is not None:
            check_secret_count(self.provider, check_secret(secret, self.provider.name))
        if order not in ("given", "shuffled"):
            raise ConfigurationError(
                f"{method}(order=...) must be 'given' or 'shuffled', got {order!r}."
            )
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ConfigurationError(
                f"{method}(concurrency=...) must be an int >= 1, got {concurrency!r}."
            )
        wait = self.timeout if timeout is _UNSET else resolve_timeout(timeout, self.provider)
        # Build every event first, in the given order, so seeds do not depend on delivery order.
        events = [(self._coerce(item, {}, method), isinstance(item, Event)) for item in items]
        if shuffle or order == "shuffled":
            random.Random(derive_seed(self.seed, "order", self._next_seed())).shuffle(events)

        def one(pair: tuple[Event, bool]) -> DeliveryResult:
            return self._deliver(
                pair[0],
                handled=handled,
                secret=secret,
                timestamp=timestamp,
                extra=headers,
                timeout=wait,
                again=pair[1],
            )

        if concurrency == 1:
            return [one(pair) for pair in events]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(concurrency, thread_name_prefix="hookmock-send") as pool:
            return list(pool.map(one, events))

    def replay(
        self,
        events: Event | DeliveryResult | Iterable[Event | DeliveryResult],
        *,
        order: str = "given",
        shuffle: bool = False,
        concurrency: int = 1,
        handled: Probe | None = None,
        secret: str | Sequence[str] | None = None,
        timestamp: int | None = None,
        headers: Mapping[str, str | None] | None = None,
        timeout: float | bool | None = _UNSET,
        **unknown: Any,
    ) -> list[DeliveryResult]:
        """Deliver the same events again: same ids, same bodies (re-signed now, as a provider
        re-signs a retry). Takes one Event or DeliveryResult, or an iterable of them (say, the
        list ``send_many()`` returned). It signs as :meth:`send` does (``secret``,
        ``timestamp``: a stale replay must be rejected; ``headers``, ``timeout``, ``handled``)
        and batches as :meth:`send_many` (``order``, ``shuffle``, ``concurrency``). Returns a
        list.
        """
        from .._event import Event

        if unknown:
            names = ", ".join(f"{k}=" for k in sorted(unknown))
            raise ConfigurationError(
                f"replay() got {names}, which it does not take. It signs like send() (secret=,"
                " timestamp=, headers=, timeout=, handled=) and batches like send_many() (order=,"
                " shuffle=, concurrency=). A replay re-sends the same event, so field overrides"
                " do not apply: send(event.replace(...)) sends a changed copy."
            )
        items: list[object] = (
            [events] if isinstance(events, (Event, DeliveryResult)) else _replayable(events)
        )
        chosen: list[Event] = []
        for item in items:
            if isinstance(item, DeliveryResult):
                chosen.append(item.event)
            elif isinstance(item, Event):
                chosen.append(item)
            else:
                raise ConfigurationError(
                    "replay() takes an Event or a DeliveryResult (what send() returns), or a"
                    f" list of them; got a {type(item).__name__} in the list. To send a new"
                    " event of a type, use send(type) instead."
                )
        return self._batch(
            "replay",
            chosen,
            order=order,
            shuffle=shuffle,
            concurrency=concurrency,
            handled=handled,
            secret=secret,
            timestamp=timestamp,
            headers=headers,
            timeout=timeout,
        )

    # -- handled checks ----------------------------------------------------------------------------
    def expect_handler(
        self, dotted: str, *, types: Iterable[str] | None = None, once: bool = True
    ) -> HandlerSpy:
        """Spy on the app's handler at ``dotted`` (``"myapp.billing.on_paid"``, or a method:
        ``"myapp.billing.Billing.on_paid"``).

        The spy watches the function's code, so it sees every call however the app reaches it:
        by name, from a router or a dict of handlers, as a bound method, through a decorator
        registry that stored it at import time; sync or async. The real function still runs.
        A C function cannot be watched: that is a ConfigurationError saying what to spy on. After each delivery of one of ``types`` (all types when
        None), the event counts as handled only if the handler was called with something that
        carries the event: its id (GitHub: the delivery GUID), an object whose ``delivery_id``,
        ``event_id`` or ``id`` is it (gidgethub's ``sansio.Event``, stripe-python's ``Event``),
        the payload as a dict, an object whose ``.data`` is it, a pydantic model of it
        (githubkit's ``parse()``) or a stripe-python object, or the raw body. A call carrying
        only the id of the object the event is about (Stripe's ``data.object.id``, GitHub's
        ``pull_request.id``, ``issue.id``...) counts when made during that delivery, since other
        events about the same object carry it too. Restored by :meth:`close`.

        ``once=True`` (the default) also demands at most one call per event, counted over the
        receiver's whole life: providers deliver at least once, so delivering the same event
        again (``replay()``, retries) must not run the handler again, and a second run fails
        as "handled more than once". Pass ``once=False`` when the handler is idempotent and
        running it per delivery is fine; then any number of calls >= 1 counts as handled.
        """
        from ._spy import HandlerSpy

        if not isinstance(dotted, str):
            raise ConfigurationError(
                "expect_handler() takes the handler's dotted import path as a str, like"
                f" 'myapp.billing.on_paid'; got {dotted!r:.60} ({type(dotted).__name__})."
            )
        if types is not None:
            types = type_list(
                types, "expect_handler(types=...)", "types=['payment_intent.succeeded']"
            )
            for t in types:
                if not isinstance(t, str):
                    raise ConfigurationError(
                        f"expect_handler(types=...) takes event type names (str); got {t!r:.60}."
                    )
                self.provider.check_type(t)
        spy = HandlerSpy(dotted, types=types, once=once).install()
        self._spies.append(spy)
        return spy

    def report(self, *, ignore: Iterable[str] = ()) -> Report:
        """Per type: status, handled?, time. Deliveries asserted as rejected are left out.

        Types in ``ignore`` only need the 2xx, as in :meth:`assert_all_handled`; the types
        already passed to ``assert_all_handled(ignore=...)`` on this receiver stay ignored here,
        so the table and the assertion always agree.
        """
        from ._report import Report

        ignore = _names(ignore, "report")
        with self._lock:
            results = list(self.results)
            folded = {t: tally.copy() for t, tally in self._folded.items()}
            ignored = self.ignored | ignore
        return Report(results, ignore=ignored, folded=folded)

    def assert_all_handled(self, *, ignore: Iterable[str] = ()) -> Report:
        """Fail unless every type delivered so far got 2xx and passed its handled check.

        Types in ``ignore`` only need the 2xx (say, types the receiver deliberately ignores).
        The receiver remembers them (``receiver.ignored``): later :meth:`report` calls ignore
        them too.
        """
        names = _names(ignore, "assert_all_handled")
        with self._lock:
            self.ignored |= names
        report = self.report()
        if not report.rows:
            raise DeliveryError(self._why_empty())
        if not report.ok:
            raise DeliveryError(
                f"{len(report.failures)} of {len(report.rows)} event types were not"
                f" answered 2xx and handled:\n{report}\n{self.reproduce}"
            )
        return report

    def _why_empty(self) -> str:
        """What was delivered, when the table is empty: nothing, or only rejections."""
        with self._lock:
            delivered = dict(self.delivered)
        total = sum(delivered.values())
        if not total:
            return "assert_all_handled(): nothing has been delivered yet."
        what = ", ".join(f"{t} x{n}" if n > 1 else t for t, n in delivered.items())
        return (
            f"assert_all_handled(): the table is empty: all {total} deliveries so far ({what})"
            " were asserted as rejected (assert_rejected() or assert_status(4xx)), and a"
            " rejection that acted on nothing stays out of the table, which judges the events"
            " the receiver should accept. Send one it should accept and handle (say"
            f" receiver.send({next(iter(delivered))!r})) before asserting that all were handled."
        )

    def run_contract(
        self, contract: Any, *, given: Mapping[str, Callable[..., object]] | None = None
    ) -> ContractReport:
        """Run a webhook contract (a YAML file's path, or its data) through this receiver.

        See :mod:`hookmock.contracts`. Returns the report; ``.assert_ok()`` fails on any miss.
        """
        from ..contracts import load_contract
        from ..contracts._run import run

        return run(self, load_contract(contract), given=given)

    # -- lifecycle -------------------------------------------------------------------------------
    def wait_for_handlers(self, timeout: float = 10.0) -> int:
        """Wait up to ``timeout`` seconds for in-process handlers still running after their
        delivery timed out; return how many still run (0: none can touch later state).

        A WSGI handler cannot be stopped from outside: at the timeout hookmock hangs up, as a
        provider does, and the handler finishes in its background thread. An ASGI app is
        cancelled at the timeout, but a sync (def) endpoint it runs in its thread pool (FastAPI,
        Starlette, Django) cannot be and finishes there; this waits for those too. The pytest
        fixture calls this at teardown.
        """
        wait = getattr(self.target, "wait_for_handlers", None)
        return 0 if wait is None else int(wait(timeout))

    def close(self) -> None:
        """Restore handler spies and stop the target (ASGI lifespan shutdown, HTTP sessions)."""
        while self._spies:
            self._spies.pop().restore()
        self.target.close()

    def __enter__(self) -> Receiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"<hookmock.Receiver {self.provider.name} -> {redact_url(self.target.url(self.path))}"
            f" seed={self.seed}>"
        )


#: How many recent results a receiver keeps in full by default (``keep_results=True``). Older
#: ones are folded into per-type tallies: the report stays whole, memory stays flat.
KEEP_RESULTS = 1000


def check_keep(keep: object) -> int:
    """``keep_results=``: True (the default, :data:`KEEP_RESULTS`), False or 0 (none), or N."""
    if keep is True:
        return KEEP_RESULTS
    if keep is False:
        return 0
    if isinstance(keep, int) and keep >= 0:
        return keep
    raise ConfigurationError(
        "keep_results= is how many recent results receiver.results holds in full: True (the"
        f" default, the last {KEEP_RESULTS}), False or 0 for none (for long runs; the report"
        f" still covers every delivery), or an int >= 0; got {keep!r:.60}."
    )


PROBE_SAID_YES = "the handled= probe says it was handled (the side effect happened)"


def _called_with(dotted: str, hits: Sequence[str]) -> str:
    times = f" ({len(hits)} calls)" if len(hits) > 1 else ""
    return f"{dotted} was called with {hits[0]}{times}"


def _probe_says(probe: Probe, event: Event) -> bool:
    """The probe's answer, where an error (the side effect is not there to read) means no."""
    try:
        return bool(probe(event))
    except Exception:
        return False


def unhappy_word(
    secret: object, timestamp: int | None, extra: Mapping[str, str | None] | None
) -> str:
    """What a rejected event was, for messages: forged (another secret or signature, or a body
    the signature does not cover), unsigned, stale, or just rejected."""
    signatures = secret_header_names() - {"authorization"}
    changed = {k.lower(): v for k, v in (extra or {}).items() if k.lower() in signatures}
    if secret is not None or any(v is not None for v in changed.values()):
        return "forged"
    if changed:
        return "unsigned"
    if timestamp is not None:
        return "stale"
    return "rejected"


def _as_list(secret: str | Sequence[str] | None) -> list[str]:
    if secret is None:
        return []
    return [secret] if isinstance(secret, str) else [str(s) for s in secret]


def _replayable(events: object) -> list[object]:
    from collections.abc import Iterable

    if isinstance(events, (str, bytes, dict)) or not isinstance(events, Iterable):
        hint = " (a type name? send(type) delivers a new event)" if isinstance(events, str) else ""
        raise ConfigurationError(
            "replay() takes an Event or a DeliveryResult (what send() returns), or a list of"
            f" them; got {type(events).__name__}{hint}."
        )
    return list(events)


def check_headers(headers: object) -> None:
    """``headers=`` must map names to values (None removes a header): say so before sending."""
    from collections.abc import Mapping

    if headers is None:
        return
    if not isinstance(headers, Mapping):
        raise ConfigurationError(
            "headers= takes a mapping of header names to values, like"
            f" {{'X-Extra': '1'}} (None as a value removes that header); got"
            f" {type(headers).__name__} {headers!r:.60}."
        )
    for name, value in headers.items():
        if not isinstance(name, str) or not name:
            raise ConfigurationError(f"headers= names must be non-empty strings; got {name!r}.")
        if value is not None and not isinstance(value, str):
            raise ConfigurationError(
                f"headers= values must be strings (or None to remove the header); {name!r} is"
                f" {type(value).__name__} {value!r:.60}. Pass str(value) if you mean its text."
            )


def check_probe(probe: object) -> Probe | None:
    """``handled=`` is None or a callable ``(event) -> bool``; checked before any delivery."""
    if probe is not None and not callable(probe):
        raise ConfigurationError(
            f"handled= takes a function (event) -> bool that says whether the app acted on the"
            f" event; got {probe!r} ({type(probe).__name__})."
        )
    return probe


def check_timestamp(timestamp: object, provider: Provider | None = None) -> None:
    """``timestamp=`` is the signature time in Unix seconds: an int, checked before sending,
    and only for a provider whose signature carries a time."""
    if timestamp is None:
        return
    if provider is not None and not signs_timestamp(provider):
        title = provider.title or provider.name
        raise ConfigurationError(
            f"{title} signatures carry no timestamp, so timestamp= would change nothing (a"
            f" {title} receiver cannot reject a stale delivery by its signature). Leave it out;"
            " to test stale events, override the payload's own time fields instead."
        )
    if isinstance(timestamp, bool) or not isinstance(timestamp, int):
        raise ConfigurationError(
            "timestamp= is the signature time in Unix seconds, an int like"
            f" int(time.time()) - 600 (leave it out to sign now); got"
            f" {type(timestamp).__name__} {timestamp!r:.60}."
        )


def resolve_provider(provider: object) -> Provider:
    """``provider=``: a registered name (see ``hookmock.provider_names()``) or a Provider."""
    from .._provider import Provider
    from .._registry import get_provider, provider_names

    if isinstance(provider, str):
        return get_provider(provider)
    if isinstance(provider, Provider):
        return provider
    raise ConfigurationError(
        f"provider= takes a provider name ({', '.join(provider_names())}) or a hookmock"
        f" Provider; got {provider!r} ({type(provider).__name__})."
    )


def type_list(value: object, what: str, example: str) -> list[Any]:
    """A list argument of event types; a bare string would otherwise count as its letters."""
    from collections.abc import Iterable

    if isinstance(value, str):
        raise ConfigurationError(
            f"{what} takes a list of event types, not one string; pass a list: {example}."
        )
    if not isinstance(value, Iterable) or isinstance(value, (bytes, bytearray, dict)):
        raise ConfigurationError(
            f"{what} takes a list of event types; got {value!r:.60} ({type(value).__name__})."
            f" Example: {example}."
        )
    return list(value)


def _names(ignore: object, method: str) -> frozenset[str]:
    """``ignore=`` as a set of type names; a bare string would otherwise count as its letters."""
    if isinstance(ignore, str):
        return frozenset([ignore])
    from collections.abc import Iterable

    if not isinstance(ignore, Iterable) or not all(isinstance(t, str) for t in ignore):
        raise ConfigurationError(
            f"{method}(ignore=...) takes a list of event type names, like ignore=['ping'];"
            f" got {ignore!r:.60}."
        )
    return frozenset(ignore)


#: Body signed by the probes below; any bytes would do.
_PROBE = b'{"hookmock":"probe"}'
#: A secret most signers accept (Standard Webhooks wants whsec_ and base64).
_PROBE_SECRET = "whsec_aG9va21vY2stcHJvYmUtc2VjcmV0"


def signs_timestamp(provider: Provider) -> bool:
    """Whether the provider's signature carries the send time (Stripe, Standard Webhooks do)."""
    flag = getattr(provider, "signs_timestamp", None)
    if isinstance(flag, bool):
        return flag
    # No declared capability: ask the signer itself, a time that changes nothing is not signed.
    try:
        first = provider.sign(_PROBE, _PROBE_SECRET, timestamp=1_000_000_000)
        return first != provider.sign(_PROBE, _PROBE_SECRET, timestamp=1_000_000_001)
    except Exception:
        pass
    try:  # a signer that refuses any timestamp but signs without one has none to sign
        provider.sign(_PROBE, _PROBE_SECRET)
    except Exception:  # a signer with its own secret format: do not second-guess it
        return True
    return False


def signs_with_every_secret(provider: Provider) -> bool:
    """Whether a list of secrets signs with each (secret rotation) or only with one."""
    flag = getattr(provider, "secret_rotation", None)
    if isinstance(flag, bool):
        return flag
    other = "whsec_aG9va21vY2stcHJvYmUtb3RoZXI="
    try:
        one = provider.sign(_PROBE, [_PROBE_SECRET], timestamp=1_000_000_000)
        both = provider.sign(_PROBE, [_PROBE_SECRET, other], timestamp=1_000_000_000)
    except Exception:  # a signer with its own secret format: do not second-guess it
        return True
    return one != both


def check_secret_count(provider: Provider, secrets: Sequence[str]) -> None:
    """A list of secrets only where the provider signs with several (secret rotation)."""
    if len(secrets) > 1 and not signs_with_every_secret(provider):
        title = provider.title or provider.name
        raise SecretError(
            f"{title} has one secret per webhook and signs with it alone, so a list of"
            f" {len(secrets)} secrets would sign with the first and ignore the rest (a list is"
            " for providers that rotate secrets). Pass the hook's secret as a string:"
            " secret='...'."
        )
