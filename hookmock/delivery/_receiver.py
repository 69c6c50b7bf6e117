"""The Receiver: deliver events to one endpoint, with retries, timeouts and handled checks."""

from __future__ import annotations

import random
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

import hookmock

from .._errors import ArgumentTypeError, ConfigurationError, DeliveryError
from .._event import Event
from .._provider import Provider, check_secret
from .._redaction import redact_url, remember_url, secret_header_names
from .._registry import DEFAULT_PROVIDER, get_provider, provider_names
from .._seeding import derive_seed, random_seed
from ._attempts import (
    MAX_TIMEOUT,
    Attempts,
    check_headers,
    check_secret_count,
    check_timestamp,
    resolve_timeout,
    signs_timestamp,
    signs_with_every_secret,
)
from ._clock import VirtualClock, resolve_retries
from ._judge import PROBE_SAID_YES, Judge, check_probe, type_list, type_names
from ._ledger import KEEP_RESULTS, Ledger, check_keep
from ._result import DeliveryResult
from ._story import StoryReport, send_story
from ._targets import as_target

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections import deque
    from collections.abc import Callable, Mapping, Sequence
    from contextlib import AbstractContextManager
    from typing import Any

    from .._stories import Story
    from ..apimock import ApiMock
    from ..contracts import ContractReport
    from ._report import Report
    from ._shared import Target
    from ._spy import HandlerSpy
    from ._transport import Transport

    Probe = Callable[[Event], object]

__all__ = [  # the pieces' names, importable from here as before the split
    "DEFAULT_SOURCE",
    "KEEP_RESULTS",
    "MAX_TIMEOUT",
    "PROBE_SAID_YES",
    "Receiver",
    "check_headers",
    "check_keep",
    "check_probe",
    "check_secret_count",
    "check_timestamp",
    "resolve_provider",
    "resolve_timeout",
    "signs_timestamp",
    "signs_with_every_secret",
    "type_list",
    "unhappy_word",
]

_UNSET: Any = object()
#: Where a receiver's secret came from unless told otherwise (named in 4xx failures).
DEFAULT_SOURCE = "the secret= given to hookmock.receiver()"


class Receiver:
    """One webhook endpoint under test: ``send()`` events to it and check what it did.

    Build it with :func:`hookmock.receiver`. Every event it generates gets a seed derived from the
    receiver's ``seed`` and a counter, so the same receiver seed sends the same events again.

    It is three pieces, each its own object: ``attempts`` (:class:`Attempts`: signing, the
    transport call, retries and timeouts), ``judge`` (:class:`Judge`: status, the handled probe,
    handler spies) and ``ledger`` (:class:`Ledger`: results and the report).
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
        #: Provider options for every generated event (say, an ``api_version``).
        self.options = dict(options or {})
        #: Printed under failures: how to get the same data again (the plugin names its option).
        self.reproduce = (
            reproduce or f"reproduce the whole run: hookmock.receiver(..., seed={self.seed})"
        )
        #: The provider API mock active while each delivery is handled (``mock_api=True``).
        self.api = api
        #: The attempt loop: signs each attempt and sends it through the target.
        self.attempts = Attempts(self.target, provider=self.provider, secrets=self._secrets)
        #: The judgement: handled probe, handler spies, ignored types.
        self.judge = Judge(self.provider, handled=handled, ignore=ignore, secrets=self._secrets)
        #: The ledger: results (the last ``keep_results`` in full) and the report.
        self.ledger = Ledger(keep_results)
        self._counter = 0
        self._lock = threading.Lock()

    # -- events ----------------------------------------------------------------------------------
    def _next_seed(self) -> int:
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
        raise ArgumentTypeError(
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
        return self.attempts.headers_for(event, secret=secret, timestamp=timestamp, extra=extra)

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
        watch = self.judge.begin(event, handled, again=again)
        done = self.attempts.run(
            event,
            path=self.path,
            schedule=self.schedule,
            clock=self.clock,
            secret=secret,
            timestamp=timestamp,
            extra=extra,
            timeout=timeout,
            timer=time.perf_counter,  # looked up here, so a test can stand in for the clock
        )
        response = done.response
        result = DeliveryResult(
            event=event,
            status=None if response is None else response.status,
            body=b"" if response is None else response.body,
            headers={} if response is None else response.headers,
            elapsed=done.elapsed,
            attempts=done.attempts,
            sent_headers=done.sent,
            url=done.url,
            target=self.target.description,
            secrets=[*self._secrets, *_as_list(secret)],
            secret_source=(
                "the secret= passed to send()" if secret is not None else self.secret_source
            ),
            timed_out=done.timed_out,
            timeout=timeout,
            error=None if response is None else response.error,
            reproduce=self.reproduce,
        )
        result.rejected_as = unhappy_word(secret, timestamp, extra)
        self.judge.judge(result, watch)
        self.ledger.record(result)
        return result

    # -- the pieces' state, as attributes of the receiver ------------------------------------------
    @property
    def handled(self) -> Probe | None:
        """The ``handled=`` probe run after each 2xx (and each 4xx, for side effects)."""
        return self.judge.handled

    @handled.setter
    def handled(self, probe: Probe | None) -> None:
        self.judge.handled = check_probe(probe)

    @property
    def ignored(self) -> frozenset[str]:
        """Types that only need a 2xx (``ignore=`` given here or to ``assert_all_handled()``)."""
        return self.judge.ignored

    @ignored.setter
    def ignored(self, names: frozenset[str]) -> None:
        self.judge.ignored = frozenset(names)

    @property
    def results(self) -> deque[DeliveryResult]:
        """The most recent results, oldest first; older ones live on only in the report."""
        return self.ledger.results

    @property
    def delivered(self) -> dict[str, int]:
        """Per type, how many deliveries were made (kept in ``results`` or not)."""
        return self.ledger.delivered

    @property
    def keep_results(self) -> int:
        """How many recent results ``results`` holds in full (see :data:`KEEP_RESULTS`)."""
        return self.ledger.keep

    @property
    def _spies(self) -> list[HandlerSpy]:
        """``judge.spies``, under the name it had before the split."""
        return self.judge.spies

    def _api_scope(self, event: Event) -> AbstractContextManager[None]:
        mocks = sys.modules.get("hookmock.apimock._mock")
        if mocks is None:  # no API mock was ever made, so none can be active
            return nullcontext()
        scope: AbstractContextManager[None] = mocks.delivering(event, self.api)
        return scope

    def _check_rejected(self, result: DeliveryResult) -> None:
        """``judge.check_rejected(result)``, under the name it had before the split."""
        self.judge.check_rejected(result)

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

        with ThreadPoolExecutor(concurrency, thread_name_prefix="hookmock-send") as pool:
            return list(pool.map(one, events))

    def send_story(
        self,
        story: Story,
        *,
        order: str | Sequence[int] = "provider",
        duplicates: int | str | Sequence[int | str] | None = None,
        duplicate_timing: str = "mixed",
        drop: int | str | Sequence[int | str] | None = None,
        concurrency: int = 1,
        seed: int | None = None,
        handled: Probe | None = None,
    ) -> StoryReport:
        """Deliver a story's events (:func:`hookmock.story`) the way its provider does, or worse.

        ``order``: "provider" (the provider's habit), "given", "shuffled", "reversed" or a
        permutation of indices. ``duplicates``: a count, indices or types delivered twice, at
        once or later (``duplicate_timing``: "mixed", "at_once", "later"). ``drop``: indices or
        types never delivered (the API mock still lists them). ``concurrency``: parallel
        deliveries. ``seed`` fixes the order, duplicates and drops. Returns a
        :class:`StoryReport` (``assert_ok()``, ``assert_final(lambda: ...)``).
        """
        return send_story(
            self,
            story,
            order=order,
            duplicates=duplicates,
            duplicate_timing=duplicate_timing,
            drop=drop,
            concurrency=concurrency,
            seed=seed,
            handled=handled,
        )

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
        carries the event: its id (a delivery id, where the provider sends one), an object
        whose ``delivery_id``, ``event_id`` or ``id`` is it (the provider SDKs' event objects),
        the payload as a dict, an object whose ``.data`` is it, a pydantic model of it
        (an SDK's ``parse()``) or an SDK's object, or the raw body. A call carrying
        only the id of the object the event is about (``Provider.subject_ids``: say
        ``pull_request.id``, ``issue.id``...) counts when made during that delivery, since other
        events about the same object carry it too. Restored by :meth:`close`.

        ``once=True`` (the default) also demands at most one call per event, counted over the
        receiver's whole life: providers deliver at least once, so delivering the same event
        again (``replay()``, retries) must not run the handler again, and a second run fails
        as "handled more than once". Pass ``once=False`` when the handler is idempotent and
        running it per delivery is fine; then any number of calls >= 1 counts as handled.
        """
        return self.judge.expect_handler(dotted, types=types, once=once)

    def report(self, *, ignore: Iterable[str] = ()) -> Report:
        """Per type: status, handled?, time. Deliveries asserted as rejected are left out.

        Types in ``ignore`` only need the 2xx, as in :meth:`assert_all_handled`; the types
        already passed to ``assert_all_handled(ignore=...)`` on this receiver stay ignored here,
        so the table and the assertion always agree.
        """
        ignore = type_names(ignore, "report")
        return self.ledger.report(ignore=self.judge.ignored | ignore)

    def assert_all_handled(self, *, ignore: Iterable[str] = ()) -> Report:
        """Fail unless every type delivered so far got 2xx and passed its handled check.

        Types in ``ignore`` only need the 2xx (say, types the receiver deliberately ignores).
        The receiver remembers them (``receiver.ignored``): later :meth:`report` calls ignore
        them too.
        """
        __tracebackhide__ = True  # pytest shows the test line, not hookmock's frames
        self.judge.ignore(type_names(ignore, "assert_all_handled"))
        report = self.report()
        if not report.rows:
            raise DeliveryError(self.ledger.why_empty())
        if not report.ok:
            raise DeliveryError(
                f"{len(report.failures)} of {len(report.rows)} event types were not"
                f" answered 2xx and handled:\n{report}\n{self.reproduce}"
            )
        return report

    def run_contract(
        self, contract: Any, *, given: Mapping[str, Callable[..., object]] | None = None
    ) -> ContractReport:
        """Run a webhook contract (a YAML file's path, or its data) through this receiver.

        See :mod:`hookmock.contracts`. Returns the report; ``.assert_ok()`` fails on any miss.
        """
        # Contracts are built on the receiver, not it on them: it reaches them through the
        # package's lazy face (hookmock.__getattr__, one of the three seams), not an import.
        return hookmock.run_contract(self, contract, given=given)

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
        self.judge.restore()
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
    if isinstance(events, (str, bytes, dict)) or not isinstance(events, Iterable):
        hint = " (a type name? send(type) delivers a new event)" if isinstance(events, str) else ""
        raise ConfigurationError(
            "replay() takes an Event or a DeliveryResult (what send() returns), or a list of"
            f" them; got {type(events).__name__}{hint}."
        )
    return list(events)


def resolve_provider(provider: object) -> Provider:
    """``provider=``: a registered name (see ``hookmock.provider_names()``) or a Provider."""
    if isinstance(provider, str):
        return get_provider(provider)
    if isinstance(provider, Provider):
        return provider
    raise ArgumentTypeError(
        f"provider= takes a provider name ({', '.join(provider_names())}) or a hookmock"
        f" Provider; got {provider!r} ({type(provider).__name__})."
    )
