"""The per-type delivery report: type | status | handled? | time, and what failed."""

from __future__ import annotations

from ._result import format_ms, status_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from ._result import DeliveryResult


def counts(result: DeliveryResult) -> bool:
    """Whether a result belongs in the report: all but rejections asserted as such, unless the
    receiver acted on the event it rejected."""
    return not result.expected_failure or result.handled is True


class Tally:
    """What the report needs of one type's deliveries, folded one result at a time: a few
    counters and the first failure of each kind, whatever the number of deliveries."""

    __slots__ = (
        "acted",
        "count",
        "first_bad",
        "first_note",
        "handled_false",
        "handled_none",
        "handled_true",
        "repeated",
        "statuses",
        "time",
        "timed_out",
        "type",
        "unrepeated_false",
    )

    def __init__(self, type: str) -> None:
        self.type = type
        self.count = 0
        self.statuses: set[int] = set()
        self.time = 0.0
        self.timed_out = False
        #: The first delivery that was not answered 2xx: "answered 500 ... (evt_...)".
        self.first_bad: str | None = None
        #: The first rejected delivery the app acted on anyway, described.
        self.acted: str | None = None
        #: Handled verdicts of the 2xx deliveries.
        self.handled_true = self.handled_false = self.handled_none = 0
        self.first_note: str | None = None
        self.repeated = False
        #: 2xx deliveries judged not handled for another reason than a repeat.
        self.unrepeated_false = 0

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
        other = Tally(self.type)
        for name in self.__slots__:
            setattr(other, name, getattr(self, name))
        other.statuses = set(self.statuses)
        return other


class Row:
    """All deliveries of one event type, summed up (``results``: those still kept in full)."""

    __slots__ = ("count", "handled", "results", "statuses", "tally", "time", "type")

    def __init__(
        self, type: str, results: Sequence[DeliveryResult], *, folded: Tally | None = None
    ) -> None:
        tally = folded.copy() if folded is not None else Tally(type)
        for r in results:
            tally.add(r)
        self.tally = tally
        self.type = type
        self.results = list(results)
        self.count = tally.count
        self.statuses = sorted(tally.statuses)
        self.time = tally.time
        # Judged on the 2xx deliveries: a rejected one is not meant to be handled.
        judged = tally.handled_true + tally.handled_false
        self.handled: bool | None = None if not judged else tally.handled_false == 0

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
