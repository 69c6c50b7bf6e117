"""The per-type delivery report: type | status | handled? | time, and what failed."""

from __future__ import annotations

from ._result import format_ms, status_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ._result import DeliveryResult


class Row:
    """All deliveries of one event type, summed up."""

    __slots__ = ("count", "handled", "results", "statuses", "time", "type")

    def __init__(self, type: str, results: Sequence[DeliveryResult]) -> None:
        self.type = type
        self.results = list(results)
        self.count = len(results)
        self.statuses = sorted({r.status or 0 for r in results})
        self.time = max(r.elapsed for r in results)
        flags = [r.handled for r in results]
        self.handled: bool | None = (
            None if all(f is None for f in flags) else all(f is not False for f in flags)
        )

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def problem(self, ignore: Iterable[str] = ()) -> str | None:
        """Why this type fails the "2xx and handled" bar, or None."""
        bad = [r for r in self.results if not r.ok]
        if bad:
            r = bad[0]
            what = "timed out" if r.timed_out else f"answered {status_text(r.status)}"
            return f"{self.type}: {what} ({r.event.id})"
        if self.type in ignore:
            return None
        if self.handled is None:
            return (
                f"{self.type}: answered 2xx but nothing checked that it was handled; pass"
                " handled=... or receiver.expect_handler(..., types=[...]), or list the type"
                " in ignore=[...]"
            )
        if not self.handled:
            notes = [n for r in self.results for n in r.handled_notes]
            repeated = any(r.handled_repeatedly for r in self.results) and all(
                r.handled is not False or r.handled_repeatedly for r in self.results
            )
            what = "was handled more than once" if repeated else "was not handled"
            return f"{self.type}: answered 2xx but {what}" + (f" ({notes[0]})" if notes else "")
        return None

    def cells(self, ignore: Iterable[str] = ()) -> tuple[str, str, str, str]:
        status = ",".join(str(s) if s else "none" for s in self.statuses)
        if any(r.timed_out for r in self.results):
            status += " (timeout)"
        if self.count > 1:
            status += f" x{self.count}"
        handled = {None: "?", True: "yes", False: "NO"}[self.handled]
        if self.handled is None and self.type in ignore:
            handled = "ignored"
        return self.type, status, handled, format_ms(self.time)


class Report:
    """The table ``receiver.report()`` prints; ``failures`` lists types that fell short."""

    def __init__(self, results: Sequence[DeliveryResult], *, ignore: Iterable[str] = ()) -> None:
        counted = [r for r in results if not r.expected_failure]
        by_type: dict[str, list[DeliveryResult]] = {}
        for r in counted:
            by_type.setdefault(r.event.type, []).append(r)
        self.ignore = frozenset(ignore)
        self.rows = [Row(t, rs) for t, rs in by_type.items()]
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
