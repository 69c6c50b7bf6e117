"""The per-type delivery report: type | status | handled? | time, and what failed."""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field, replace

from ._result import format_ms, status_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from ._result import DeliveryResult


def counts(result: DeliveryResult) -> bool:
    """Whether a result belongs in the report: all but rejections asserted as such, unless the
    receiver acted on the event it rejected."""
    return not result.expected_failure or result.handled is True


@dataclass(eq=False, slots=True)
class Tally:
    """What the report needs of one type's deliveries, folded one result at a time: a few
    counters and the first failure of each kind, whatever the number of deliveries."""

    type: str
    count: int = 0
    statuses: set[int] = field(default_factory=set)
    time: float = 0.0
    timed_out: bool = False
    #: The first delivery that was not answered 2xx: "answered 500 ... (evt_...)".
    first_bad: str | None = None
    #: The first rejected delivery the app acted on anyway, described.
    acted: str | None = None
    #: Handled verdicts of the 2xx deliveries.
    handled_true: int = 0
    handled_false: int = 0
    handled_none: int = 0
    first_note: str | None = None
    repeated: bool = False
    #: 2xx deliveries judged not handled for another reason than a repeat.
    unrepeated_false: int = 0

    def add(self, r: DeliveryResult) -> None:
        self.count += 1
        self.statuses.add(r.status or 0)
        self.time = max(self.time, r.elapsed)
        self.timed_out = self.timed_out or r.timed_out
        if not r.ok:
            if self.first_bad is None:
                what = "timed out" if r.timed_out else f"answered {status_text(r.status)}"
                self.first_bad = f"{what} ({r.event.id})"
            if r.handled is True and self.acted is None:
                self.acted = (
                    f"answered {status_text(r.status)} but handled the {r.rejected_as} event"
                    f" first ({r.event.id}): {'; '.join(r.side_effects) or 'handled check said so'}"
                )
            return
        if r.handled is None:
            self.handled_none += 1
        elif r.handled:
            self.handled_true += 1
        else:
            self.handled_false += 1
            if self.first_note is None and r.handled_notes:
                self.first_note = r.handled_notes[0]
            self.repeated = self.repeated or r.handled_repeatedly
            if not r.handled_repeatedly:
                self.unrepeated_false += 1

    def copy(self) -> Tally:
        return replace(self, statuses=set(self.statuses))


@dataclass(eq=False, repr=False, slots=True)
class Row:
    """All deliveries of one event type, summed up (``results``: those still kept in full)."""

    type: str
    results: list[DeliveryResult]
    folded: InitVar[Tally | None] = field(default=None, kw_only=True)
    tally: Tally = field(init=False)
    count: int = field(init=False)
    statuses: list[int] = field(init=False)
    time: float = field(init=False)
    handled: bool | None = field(init=False)

    def __post_init__(self, folded: Tally | None) -> None:
        tally = folded.copy() if folded is not None else Tally(self.type)
        for r in self.results:
            tally.add(r)
        self.tally = tally
        self.results = list(self.results)
        self.count = tally.count
        self.statuses = sorted(tally.statuses)
        self.time = tally.time
        # Judged on the 2xx deliveries: a rejected one is not meant to be handled.
        judged = tally.handled_true + tally.handled_false
        self.handled = None if not judged else tally.handled_false == 0

    @property
    def ok(self) -> bool:
        return self.tally.first_bad is None

    def problem(self, ignore: Iterable[str] = ()) -> str | None:
        """Why this type fails the "2xx and handled" bar, or None."""
        t = self.tally
        if t.acted is not None:
            # Acting on an event it refused is worse than any other answer: say that first.
            return f"{self.type}: {t.acted}"
        if t.first_bad is not None:
            return f"{self.type}: {t.first_bad}"
        if self.type in ignore:
            return None
        if self.handled is None:
            return (
                f"{self.type}: answered 2xx but nothing checked that it was handled; pass"
                " handled=... or receiver.expect_handler(..., types=[...]), or list the type"
                " in ignore=[...]"
            )
        if not self.handled:
            repeated = t.repeated and t.unrepeated_false == 0
            what = "was handled more than once" if repeated else "was not handled"
            note = f" ({t.first_note})" if t.first_note else ""
            return f"{self.type}: answered 2xx but {what}{note}"
        return None

    def cells(self, ignore: Iterable[str] = ()) -> tuple[str, str, str, str]:
        status = ",".join(str(s) if s else "none" for s in self.statuses)
        if self.tally.timed_out:
            status += " (timeout)"
        if self.count > 1:
            status += f" x{self.count}"
        handled = {None: "?", True: "yes", False: "NO"}[self.handled]
        if self.tally.acted is not None:
            handled = "ACTED ON 4xx"
        elif self.type in ignore:
            # An ignored type only needs its 2xx, whatever a probe said: as report().ok judges.
            handled = "ignored"
        return self.type, status, handled, format_ms(self.time)


class Report:
    """The table ``receiver.report()`` prints; ``failures`` lists types that fell short.

    ``folded`` holds, per type, the deliveries the receiver no longer keeps in full.
    """

    def __init__(
        self,
        results: Sequence[DeliveryResult],
        *,
        ignore: Iterable[str] = (),
        folded: Mapping[str, Tally] | None = None,
    ) -> None:
        by_type: dict[str, list[DeliveryResult]] = {t: [] for t in folded or {}}
        for r in results:
            if counts(r):
                by_type.setdefault(r.event.type, []).append(r)
        self.ignore = frozenset(ignore)
        self.rows = [
            Row(t, rs, folded=(folded or {}).get(t))
            for t, rs in by_type.items()
            if rs or (folded or {}).get(t)
        ]
        self.failures = [p for row in self.rows if (p := row.problem(self.ignore))]

    @property
    def ok(self) -> bool:
        return not self.failures

    def table(self) -> str:
        header = ("type", "status", "handled?", "time")
        cells = [row.cells(self.ignore) for row in self.rows]
        rows = [header, *cells]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]

        def line(cells: Sequence[str]) -> str:
            return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

        sep = "| " + " | ".join("-" * w for w in widths) + " |"
        return "\n".join([line(header), sep, *(line(c) for c in cells)])

    def __str__(self) -> str:
        text = self.table()
        if self.failures:
            text += "\n" + "\n".join(f"FAILED {p}" for p in self.failures)
        return text

    def __repr__(self) -> str:
        return f"<hookmock Report {len(self.rows)} types, {len(self.failures)} failing>"
