"""The ledger: what a receiver delivered (the recent results in full, older ones folded) and its
report."""

from __future__ import annotations

import threading
from collections import deque

from .._errors import ConfigurationError
from ._report import Report, Tally, counts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._result import DeliveryResult

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


class Ledger:
    """Every delivery a receiver made: ``results`` holds the last ``keep`` in full, older ones
    are folded into per-type tallies, and ``delivered`` counts each type. Thread-safe."""

    def __init__(self, keep_results: int | bool = True) -> None:
        #: How many recent results ``results`` holds in full (see :data:`KEEP_RESULTS`).
        self.keep = check_keep(keep_results)
        #: The most recent results, oldest first; older ones live on only in the report.
        self.results: deque[DeliveryResult] = deque()
        #: Per type, how many deliveries were made (kept or not).
        self.delivered: dict[str, int] = {}
        #: Per type, the results no longer kept, folded to what the report needs.
        self._folded: dict[str, Tally] = {}
        self._lock = threading.Lock()

    def record(self, result: DeliveryResult) -> None:
        """Remember a result for the report; past ``keep``, fold the oldest into the per-type
        tallies, so memory stays flat however long the run."""
        with self._lock:
            self.delivered[result.event.type] = self.delivered.get(result.event.type, 0) + 1
            if self.keep == 0:
                self._fold(result)
                return
            self.results.append(result)
            while len(self.results) > self.keep:
                self._fold(self.results.popleft())

    def _fold(self, result: DeliveryResult) -> None:
        if not counts(result):
            return
        tally = self._folded.get(result.event.type)
        if tally is None:
            tally = self._folded[result.event.type] = Tally(result.event.type)
        tally.add(result)

    def report(self, *, ignore: Iterable[str] = ()) -> Report:
        """Per type: status, handled?, time, over every delivery so far (folded ones too).
        Types in ``ignore`` only need the 2xx."""
        with self._lock:
            results = list(self.results)
            folded = {t: tally.copy() for t, tally in self._folded.items()}
        return Report(results, ignore=frozenset(ignore), folded=folded)

    def why_empty(self) -> str:
        """What was delivered, when the report's table is empty: nothing, or only rejections."""
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
