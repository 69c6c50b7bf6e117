"""The delivery log (``--log FILE``): one NDJSON line per attempt, and a check against a receiver.

A line: ``{"id", "type", "attempt", "kind", "status", "ok", "ms", "t"}`` (plus ``"worker"``, the
index of the Locust worker that sent it, in a distributed run). ``status`` is the HTTP
status, or null when no answer came (then ``error`` says why); ``ok`` is a 2xx within the
provider's timeout, which is what the provider counts as delivered. :func:`compare_log` takes
the ids a receiver recorded and says what was lost and what was stored without an
acknowledgement.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from .._errors import ConfigurationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any


def log_line(
    event_id: str,
    type: str,
    attempt: int,
    kind: str,
    status: int | None,
    ok: bool,
    ms: float,
    t: float,
    error: str | None = None,
    worker: int | None = None,
) -> str:
    """One log line (without the newline); ``worker`` is the Locust worker's index, if any."""
    row: dict[str, Any] = {
        "id": event_id,
        "type": type,
        "attempt": attempt,
        "kind": kind,
        "status": status,
        "ok": ok,
        "ms": round(ms, 2),
        "t": round(t, 3),
    }
    if error:
        row["error"] = error
    if worker is not None:
        row["worker"] = worker
    return json.dumps(row, separators=(",", ":"))


def read_log(path: str | Path) -> Iterator[dict[str, Any]]:
    """The attempts in a delivery log, in file order."""
    with Path(path).open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                raise ConfigurationError(
                    f"{path}:{n}: not a JSON line; is this a `hookmock load --log` file?"
                ) from None
            yield row


@dataclasses.dataclass
class LogComparison:
    """What the load sent, next to what the receiver stored.

    ``lost`` is the one that matters: events the receiver acknowledged (2xx in time) but did not
    store. ``unacknowledged`` were stored although no attempt was acknowledged (an answer that
    came too late, or a 5xx after the write): the provider would deliver them again, so the
    receiver must deduplicate. ``unknown`` were stored but never sent by this run.
    """

    sent: int
    events: int
    accepted: set[str]
    recorded: set[str]
    lost: set[str]
    unacknowledged: set[str]
    unknown: set[str]
    #: Ids sent as first attempts more than once: should be empty (ids are unique).
    reused: set[str]

    @property
    def ok(self) -> bool:
        return not self.lost and not self.unknown and not self.reused

    def __str__(self) -> str:
        def some(ids: set[str]) -> str:
            shown = ", ".join(sorted(ids)[:5])
            return f"{len(ids)} ({shown}{', ...' if len(ids) > 5 else ''})" if ids else "0"

        return (
            f"{self.sent} deliveries of {self.events} events; {len(self.accepted)} accepted,"
            f" {len(self.recorded)} recorded; lost {some(self.lost)}; stored without"
            f" acknowledgement {some(self.unacknowledged)}; unknown {some(self.unknown)};"
            f" ids reused {some(self.reused)}"
        )


def compare_log(
    log: str | Path | Iterable[dict[str, Any]], recorded: Iterable[str]
) -> LogComparison:
    """Compare a ``--log`` file (or its rows) with the event ids a receiver recorded."""
    rows = read_log(log) if isinstance(log, (str, Path)) else log
    sent = 0
    firsts: set[str] = set()
    reused: set[str] = set()
    accepted: set[str] = set()
    for row in rows:
        sent += 1
        event_id = str(row["id"])
        if row.get("kind", "first") == "first":
            if event_id in firsts:
                reused.add(event_id)
            firsts.add(event_id)
        if row.get("ok"):
            accepted.add(event_id)
    stored = set(recorded)
    return LogComparison(
        sent=sent,
        events=len(firsts),
        accepted=accepted,
        recorded=stored,
        lost=accepted - stored,
        unacknowledged=(stored & firsts) - accepted,
        unknown=stored - firsts,
        reused=reused,
    )
