"""The judgement: was an accepted delivery handled, and was a refused one acted on anyway?

A 2xx is judged by the ``handled=`` probe and the handler spies (``expect_handler``); a 4xx is
judged for side effects, so ``assert_rejected()`` fails for an app that acted on an event before
refusing it. Types the receiver ignores only need the 2xx.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from .._errors import ArgumentTypeError, ConfigurationError
from .._redaction import redact
from ._spy import HandlerSpy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any

    from .._event import Event
    from .._provider import Provider
    from ._result import DeliveryResult

    Probe = Callable[[Event], object]

PROBE_SAID_YES = "the handled= probe says it was handled (the side effect happened)"


def check_probe(probe: object) -> Probe | None:
    """``handled=`` is None or a callable ``(event) -> bool``; checked before any delivery."""
    if probe is not None and not callable(probe):
        raise ConfigurationError(
            f"handled= takes a function (event) -> bool that says whether the app acted on the"
            f" event; got {probe!r} ({type(probe).__name__})."
        )
    return probe


def type_list(value: object, what: str, example: str) -> list[Any]:
    """A list argument of event types; a bare string would otherwise count as its letters."""
    if isinstance(value, str):
        raise ArgumentTypeError(
            f"{what} takes a list of event types, not one string; pass a list: {example}."
        )
    if not isinstance(value, Iterable) or isinstance(value, (bytes, bytearray, dict)):
        raise ArgumentTypeError(
            f"{what} takes a list of event types; got {value!r:.60} ({type(value).__name__})."
            f" Example: {example}."
        )
    return list(value)


def type_names(ignore: object, method: str) -> frozenset[str]:
    """``ignore=`` as a set of type names; a bare string would otherwise count as its letters."""
    if isinstance(ignore, str):
        return frozenset([ignore])

    if not isinstance(ignore, Iterable) or not all(isinstance(t, str) for t in ignore):
        raise ConfigurationError(
            f"{method}(ignore=...) takes a list of event type names, like ignore=['ping'];"
            f" got {ignore!r:.60}."
        )
    return frozenset(ignore)


@dataclass
class Watch:
    """What the judgement needs from before a delivery: the probe that judges it, whether that
    probe already said yes (an event delivered before), and where each spy's record stood."""

    probe: Probe | None
    said_before: bool = False
    marks: dict[int, int] = field(default_factory=dict)


class Judge:
    """Judges a receiver's deliveries: its ``handled=`` probe, its handler spies and the types it
    ignores. Thread-safe for concurrent deliveries."""

    def __init__(
        self,
        provider: Provider,
        *,
        handled: Probe | None = None,
        ignore: Iterable[str] = (),
        secrets: Sequence[str] = (),
    ) -> None:
        self.provider = provider
        #: The probe ``(event) -> bool`` run after each 2xx (and each 4xx, for side effects).
        self.handled = check_probe(handled)
        #: Types that only need a 2xx (``ignore=`` given to the receiver or ``assert_all_handled``).
        self.ignored: frozenset[str] = type_names(ignore, "receiver")
        for name in sorted(self.ignored):
            provider.check_type(name)
        #: The handler spies installed by :meth:`expect_handler`, restored by :meth:`restore`.
        self.spies: list[HandlerSpy] = []
        self._secrets = list(secrets)
        self._lock = threading.Lock()

    def ignore(self, names: Iterable[str]) -> None:
        """Ignore these types from now on (they only need a 2xx)."""
        with self._lock:
            self.ignored |= frozenset(names)

    # -- before and after one delivery ------------------------------------------------------------
    def begin(self, event: Event, handled: Probe | None = None, *, again: bool = False) -> Watch:
        """Note what the judgement will compare against, just before ``event`` is delivered.
        ``handled`` overrides the receiver's probe; ``again`` says the event may have been
        delivered (and handled) before."""
        probe = None if event.type in self.ignored else (handled or self.handled)
        # An event built before (a replay, send(event)) may have been handled by an earlier
        # delivery: a probe that already says yes cannot tell whether a rejected one acted.
        before = again and probe is not None and _probe_says(probe, event)
        # Calls a handler makes from here on belong to this delivery (see HandlerSpy.count).
        return Watch(probe, before, {id(spy): spy.mark() for spy in self.spies})

    def judge(self, result: DeliveryResult, watch: Watch) -> None:
        """Set ``result.handled`` (and its notes): a 2xx is checked for handling, a 4xx for side
        effects; other failures are not judged (see :meth:`check_rejected`)."""
        result._spy_marks = watch.marks
        if result.ok:
            self._check_handled(result, watch.probe, watch.marks)
        elif result.status is not None and 400 <= result.status < 500:
            self._check_side_effects(
                result, watch.probe, watch.marks, probe_said_before=watch.said_before
            )

    def check_rejected(self, result: DeliveryResult) -> None:
        """Run the handled checks on a delivery that got no 2xx (they normally run only after
        one): a contract expecting "not handled" must see a forged event that was acted on."""
        if result.handled is None:
            self._check_handled(result, self.handled, result._spy_marks)

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
            for spy in self.spies
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

    # -- spies ------------------------------------------------------------------------------------
    def expect_handler(
        self, dotted: str, *, types: Iterable[str] | None = None, once: bool = True
    ) -> HandlerSpy:
        """Install a spy on the handler at ``dotted`` (see ``Receiver.expect_handler``)."""
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
                    raise ArgumentTypeError(
                        f"expect_handler(types=...) takes event type names (str); got {t!r:.60}."
                    )
                self.provider.check_type(t)
        spy = HandlerSpy(dotted, types=types, once=once).install()
        self.spies.append(spy)
        return spy

    def restore(self) -> None:
        """Put back every spied-on handler."""
        while self.spies:
            self.spies.pop().restore()


def _called_with(dotted: str, hits: Sequence[str]) -> str:
    times = f" ({len(hits)} calls)" if len(hits) > 1 else ""
    return f"{dotted} was called with {hits[0]}{times}"


def _probe_says(probe: Probe, event: Event) -> bool:
    """The probe's answer, where an error (the side effect is not there to read) means no."""
    try:
        return bool(probe(event))
    except Exception:
        return False
