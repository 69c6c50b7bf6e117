"""A contract as plain objects: the endpoint, its deliveries, and what each one expects."""

from __future__ import annotations

from dataclasses import dataclass, field

from .._errors import HookmockError
from ..delivery import status_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from ..delivery import DeliveryResult

#: ``timestamp: stale`` signs this many seconds in the past: far outside the providers' 5-minute
#: tolerances (and any sane receiver's), yet clearly "an hour ago" in a report.
STALE_SECONDS = 3600


class ContractError(HookmockError, ValueError):
    """A contract file cannot be read or does not describe a runnable contract.

    ``source`` is the file (or ``<contract>`` for a mapping), ``line`` the 1-based line when known,
    ``key`` the dotted location inside the contract (``deliveries[2].expect.status``).
    ``problems`` holds every problem found (this one alone, unless the contract had several:
    then the error lists them all in line order and its ``line`` and ``key`` are the first's).
    """

    def __init__(
        self, message: str, *, source: str = "<contract>", line: int | None = None, key: str = ""
    ) -> None:
        self.source = source
        self.line = line
        self.key = key
        self.message = message
        self.problems: tuple[ContractError, ...] = (self,)
        super().__init__(f"{self.where}: {message}")

    @property
    def where(self) -> str:
        """``file:line: key``, as the message starts."""
        where = self.source + (f":{self.line}" if self.line else "")
        return f"{where}: {self.key}" if self.key else where

    @classmethod
    def combine(cls, problems: Sequence[ContractError]) -> ContractError:
        """One error for all of ``problems``, in line order (a lone problem is returned as is),
        so a contract with five mistakes is fixed in one pass, not five runs."""
        unique: dict[str, ContractError] = {}
        for problem in problems:
            unique.setdefault(str(problem), problem)
        ordered = sorted(unique.values(), key=lambda p: p.line or 0)
        if len(ordered) == 1:
            return ordered[0]
        first = ordered[0]
        listed = "\n".join(f"  {p}" for p in ordered)
        error = cls(
            f"{len(ordered)} problems, in line order:\n{listed}", source=first.source, line=None
        )
        error.line, error.key, error.problems = first.line, first.key, tuple(ordered)
        return error


def status_matches(spec: int | str, status: int | None, timed_out: bool) -> bool:
    """Whether one status spec (``400``, ``"4xx"``, ``"timeout"``) matches an answer."""
    if spec == "timeout":
        return timed_out
    if status is None:
        return False
    if isinstance(spec, int):
        return status == spec
    return status // 100 == int(spec[0])


@dataclass(frozen=True)
class Expect:
    """What must happen: ``status`` (any of the specs), ``handled``, ``attempts``, ``body``."""

    status: tuple[int | str, ...] = ("2xx",)
    handled: bool | None = None
    attempts: int | tuple[int | str, ...] | None = None
    body: str | None = None

    def describe_status(self) -> str:
        return " or ".join(str(s) for s in self.status)

    def status_ok(self, result: DeliveryResult) -> bool:
        return any(status_matches(s, result.status, result.timed_out) for s in self.status)

    def describe(self) -> str:
        """Short text for the report's "expected" column: ``2xx, handled``."""
        parts = [self.describe_status()]
        if self.handled is not None:
            parts.append("handled" if self.handled else "not handled")
        if isinstance(self.attempts, int):
            parts.append(f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}")
        elif self.attempts is not None:
            parts.append("attempts " + ", ".join(str(s) for s in self.attempts))
        if self.body is not None:
            parts.append(f"body has {self.body!r}")
        return ", ".join(parts)

    def problems(self, result: DeliveryResult) -> list[str]:
        """What about ``result`` falls short of this expectation (empty when it all held)."""
        out = []
        if not self.status_ok(result):
            got = "timed out" if result.timed_out else status_text(result.status)
            out.append(f"expected status {self.describe_status()}, got {got}")
        if self.handled is not None and result.handled is None:
            # Unverified either way: a "not handled" that nothing checked proves nothing either.
            out.append(
                f"expected the event {'' if self.handled else 'not '}to be handled, but"
                " nothing checked that: pass handled=... or receiver.expect_handler(...) to the"
                " receiver that runs the contract"
            )
        elif self.handled is True and result.handled is not True:
            notes = "; ".join(result.handled_notes)
            why = f" ({notes})" if notes else ""
            out.append(f"expected the event to be handled, but it was not{why}")
        elif self.handled is False and result.handled is True:
            out.append("expected the event not to be handled, but it was")
        if self.attempts is not None:
            got_attempts = [
                "timeout" if a.timed_out else (a.status or "no answer") for a in result.attempts
            ]
            if isinstance(self.attempts, int):
                good = len(result.attempts) == self.attempts
            else:
                good = len(self.attempts) == len(result.attempts) and all(
                    status_matches(s, a.status, a.timed_out)
                    for s, a in zip(self.attempts, result.attempts, strict=True)
                )
            if not good:
                out.append(
                    f"expected {self.describe_attempts()}, got"
                    f" {', '.join(str(g) for g in got_attempts)}"
                )
        if self.body is not None and self.body not in result.text:
            out.append(f"expected the response body to contain {self.body!r}")
        return out

    def describe_attempts(self) -> str:
        if isinstance(self.attempts, int):
            return f"{self.attempts} attempt(s)"
        return "attempts " + ", ".join(str(s) for s in self.attempts or ())


@dataclass(frozen=True)
class Delivery:
    """One entry of ``deliveries:``. ``kind`` is ``send``, ``replay``, ``batch`` or ``story``."""

    kind: str
    #: The event type (send), the earlier delivery's index or ``as`` name (replay), the story.
    target: str | int = ""
    #: The event types of a batch.
    types: tuple[str, ...] = ()
    name: str = ""
    alias: str = ""
    overrides: Mapping[str, Any] = field(default_factory=dict)
    traits: tuple[str, ...] = ()
    allow_new: bool = False
    seed: int | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    secret: str | None = None
    signature: str | None = None
    timestamp: int | str | None = None
    headers: Mapping[str, str | None] = field(default_factory=dict)
    timeout: float | bool | None = None
    retries: bool | int | Sequence[float] | None = None
    #: A batch's order; a story's order name or permutation.
    order: str | tuple[int, ...] = "given"
    concurrency: int = 1
    #: A story's parameters and shared-object overrides (``customer__email``), as story() takes.
    story: Mapping[str, Any] = field(default_factory=dict)
    #: A story's events never delivered, and those delivered twice (indices, types or a count).
    drop: int | tuple[int | str, ...] | None = None
    duplicates: int | tuple[int | str, ...] | None = None
    given: Mapping[str, Any] = field(default_factory=dict)
    expect: Expect = field(default_factory=Expect)
    #: Where it is written: ``deliveries[3]`` and the file's line (None for a mapping).
    key: str = ""
    line: int | None = None
    #: What a replay re-sends, for its label: the ``as`` name it was given, or the event type.
    replays: str = ""

    @property
    def label(self) -> str:
        """The report's "check" column: the ``name``, or what the delivery sends (``push``,
        ``replay of paid``, ``batch``)."""
        if self.name:
            return self.name
        if self.kind == "replay":
            return f"replay of {self.replays or self.target}"
        if self.kind == "batch":
            return "batch" if self.order == "given" else f"batch ({self.order})"
        if self.kind == "story":
            order = self.order if isinstance(self.order, str) else "permutation"
            return f"story {self.target} ({order})"
        return str(self.target)


@dataclass(frozen=True)
class Contract:
    """A whole contract file: the endpoint (provider, path) and its deliveries in order."""

    provider: str
    deliveries: tuple[Delivery, ...]
    path: str | None = None
    name: str = ""
    secret: str | None = None
    seed: int | None = None
    timeout: float | bool | None = None
    retries: bool | int | Sequence[float] | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    #: The file it came from (``<contract>`` for a mapping).
    source: str = "<contract>"
    #: The target it names, if any: ``module:attr`` of an app, or a base URL.
    app: str | None = None
    url: str | None = None

    def error(self, delivery: Delivery | None, message: str) -> ContractError:
        """A :class:`ContractError` pointing at ``delivery`` in this contract's file."""
        if delivery is None:
            return ContractError(message, source=self.source)
        return ContractError(message, source=self.source, line=delivery.line, key=delivery.key)
