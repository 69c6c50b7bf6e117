"""The contract report: one row per delivery (what, expected, got, time, ok) and its assertion."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass

from .._errors import DeliveryError
from ..delivery import format_ms, format_virtual

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..delivery import DeliveryResult
    from ._model import Contract, Delivery

HEADER = ("check", "event", "expected", "got", "time", "result")


def attempts_text(result: DeliveryResult) -> str:
    """``503, 503, 200 (last at +1h30m00s)``, or ``timed out``: what each attempt got."""
    said = ", ".join(
        "timed out" if a.timed_out else (str(a.status) if a.status is not None else "no answer")
        for a in result.attempts
    )
    if len(result.attempts) > 1:
        said += f" (last at {format_virtual(result.attempts[-1].at)})"
    return said


@dataclass(eq=False, repr=False, slots=True)
class Row:
    """One delivered event, what its delivery expected, and what fell short (``problems``)."""

    delivery: Delivery
    result: DeliveryResult
    problems: list[str]
    _: KW_ONLY
    #: The contract file the delivery is written in.
    source: str = "<contract>"
    #: The "expected" column: what ``expect:`` says, or more (an implied "not handled").
    expected: str = ""

    def __post_init__(self) -> None:
        self.problems = list(self.problems)
        if not self.expected:
            self.expected = self.delivery.expect.describe()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def got(self) -> str:
        handled = {None: "", True: ", handled", False: ", not handled"}[self.result.handled]
        return attempts_text(self.result) + handled

    def cells(self, got: str | None = None) -> tuple[str, str, str, str, str, str]:
        ev = self.result.event
        return (
            self.delivery.label,
            f"{ev.provider} {ev.type}",
            self.expected,
            self.got if got is None else got,
            format_ms(self.result.elapsed),
            "ok" if self.ok else "FAILED",
        )

    def explain(self) -> str:
        """The delivery's full failure message: expectation, answer, headers sent, reproduction."""
        expect = self.delivery.expect
        line = f":{self.delivery.line}" if self.delivery.line else ""
        where = f"{self.source}{line}: {self.delivery.key}"
        problems = list(self.problems)
        if expect.status_ok(self.result) and problems:
            headline = problems.pop(0)
        else:
            headline = f"expected {expect.describe_status()}"
            problems = problems[1:]
        text = self.result.explain(headline)
        return f"{where}: {text}" + "".join(f"\n  also: {p}" for p in problems)

    def __repr__(self) -> str:
        return f"<contract Row {self.delivery.label} {self.result.event.type} ok={self.ok}>"


def table(rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> str:
    """Plain aligned columns (two spaces apart) with a dashed rule under the header."""
    all_rows = [tuple(header), *(tuple(r) for r in rows)]
    widths = [max(len(r[i]) for r in all_rows) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join(
        [line(all_rows[0]), line(tuple("-" * w for w in widths)), *(line(r) for r in all_rows[1:])]
    )


@dataclass(eq=False, repr=False, slots=True)
class ContractReport:
    """What running a contract did: ``rows`` (one per delivered event), ``ok``, ``failures``.

    ``str(report)`` is the table; :meth:`assert_ok` raises :class:`hookmock.DeliveryError` with
    the table and every failed delivery's details.
    """

    contract: Contract
    rows: list[Row]
    _: KW_ONLY
    #: The receiver's seed: the same seed sends the same events again.
    seed: int | None = None

    def __post_init__(self) -> None:
        self.rows = list(self.rows)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def failures(self) -> list[Row]:
        return [r for r in self.rows if not r.ok]

    @property
    def results(self) -> list[DeliveryResult]:
        return [r.result for r in self.rows]

    def table(self) -> str:
        return table([r.cells() for r in self.rows])

    def summary(self) -> str:
        what = self.contract.name or self.contract.source
        if self.ok:
            return f"{what}: all {len(self.rows)} checks passed."
        return f"{what}: {len(self.failures)} of {len(self.rows)} checks FAILED."

    def details(self) -> str:
        """Every failed delivery explained (empty when all passed)."""
        return "\n".join(r.explain() for r in self.failures)

    def assert_ok(self) -> ContractReport:
        """Raise :class:`hookmock.DeliveryError` unless every expectation held."""
        __tracebackhide__ = True  # pytest shows the test line, not hookmock's frames
        if not self.ok:
            raise DeliveryError(f"{self.summary()}\n{self.table()}\n\n{self.details()}")
        return self

    def __str__(self) -> str:
        return f"{self.table()}\n{self.summary()}"

    def __repr__(self) -> str:
        return f"<hookmock ContractReport {len(self.rows)} checks, {len(self.failures)} failing>"
