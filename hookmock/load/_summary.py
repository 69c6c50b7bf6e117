"""What a load run adds up to: counters that merge across workers, the summary and thresholds.

Workers keep a :class:`Tally` and ship it to the master, which merges them; the master turns the
total (plus Locust's latency percentiles) into the summary dict that ``--summary-json`` writes.
``hookmock load`` prints it with :func:`render` and judges it with :func:`parse_threshold`.
"""

from __future__ import annotations

import dataclasses
import re

from .._errors import ConfigurationError, did_you_mean

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class ThresholdError(ConfigurationError):
    """A ``--threshold`` that cannot be read."""


@dataclasses.dataclass
class Tally:
    """Counts of one process (or, merged, of the whole run). Deliveries are HTTP requests."""

    #: Delivery attempts sent: first attempts, retries and duplicates.
    sent: int = 0
    #: Distinct events (first attempts).
    events: int = 0
    #: Distinct events that got a 2xx within the timeout on some attempt.
    accepted: int = 0
    retries: int = 0
    duplicates: int = 0
    #: Attempts with no answer in time, or a late one (past the provider's timeout).
    timed_out: int = 0
    #: Events whose every attempt failed (the provider gave up).
    gave_up: int = 0
    #: Events with a retry still scheduled when the run stopped.
    unfinished: int = 0
    #: Attempts by answer: "200", "503", "timeout", "connection error", ...
    by_status: dict[str, int] = dataclasses.field(default_factory=dict)

    def count(self, status: str) -> None:
        self.by_status[status] = self.by_status.get(status, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def merge(self, other: dict[str, Any]) -> None:
        """Add another tally's :meth:`as_dict` (as a worker sends it) to this one."""
        for field in dataclasses.fields(self):
            value = other.get(field.name)
            if field.name == "by_status":
                for status, n in (value or {}).items():
                    self.by_status[str(status)] = self.by_status.get(str(status), 0) + int(n)
            elif value:
                setattr(self, field.name, getattr(self, field.name) + int(value))

    def take(self) -> dict[str, Any]:
        """This tally's counts, resetting it: what a worker ships with each report."""
        out = self.as_dict()
        for field in dataclasses.fields(self):
            setattr(self, field.name, {} if field.name == "by_status" else 0)
        return out


def summarize(
    tally: Tally,
    *,
    duration: float,
    percentiles: dict[str, float | None],
    provider: str,
    timeout: float,
    url: str = "",
    seed: int | None = None,
    complete: bool = True,
) -> dict[str, Any]:
    """The summary dict (``--summary-json``) of a run."""
    sent = tally.sent
    never = tally.events - tally.accepted
    non_2xx = sum(n for status, n in tally.by_status.items() if not status.startswith("2"))
    return {
        "provider": provider,
        "url": url,
        "seed": seed,
        "duration_s": round(duration, 3),
        "timeout_s": timeout,
        "sent": sent,
        "events": tally.events,
        "accepted": tally.accepted,
        "accepted_per_s": round(tally.accepted / duration, 2) if duration > 0 else 0.0,
        "never_accepted": never,
        "never_accepted_share": _share(never, tally.events),
        "gave_up": tally.gave_up,
        "unfinished": tally.unfinished,
        "retries": tally.retries,
        "duplicates": tally.duplicates,
        "timed_out": tally.timed_out,
        "timed_out_share": _share(tally.timed_out, sent),
        "non_2xx": non_2xx,
        "non_2xx_share": _share(non_2xx, sent),
        "p50_ms": percentiles.get("p50_ms"),
        "p95_ms": percentiles.get("p95_ms"),
        "p99_ms": percentiles.get("p99_ms"),
        "by_status": dict(sorted(tally.by_status.items())),
        # False when a worker's last counts did not reach the master in time.
        "complete": complete,
    }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 6) if whole else 0.0


# -- thresholds --------------------------------------------------------------------------------

#: Metric name -> (summary key, kind). Kinds decide the units a value may carry.
METRICS: dict[str, tuple[str, str]] = {
    "p50": ("p50_ms", "ms"),
    "p95": ("p95_ms", "ms"),
    "p99": ("p99_ms", "ms"),
    "timed_out": ("timed_out_share", "share"),
    "never_accepted": ("never_accepted_share", "share"),
    "non_2xx": ("non_2xx_share", "share"),
    "accepted_per_s": ("accepted_per_s", "rate"),
    "retries": ("retries", "count"),
    "gave_up": ("gave_up", "count"),
}
_ALIASES = {v[0]: k for k, v in METRICS.items()}
_OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
_PATTERN = re.compile(r"^\s*([a-z0-9_]+)\s*(<=|>=|<|>)\s*([0-9]*\.?[0-9]+)\s*(ms|s|%|/s)?\s*$")
EXAMPLE = "--threshold 'p95<500ms' --threshold 'timed_out<1%' --threshold 'accepted_per_s>=100'"


@dataclasses.dataclass(frozen=True)
class Threshold:
    """``p95<500ms``: a summary figure, a comparison, and a limit in the figure's own unit."""

    text: str
    key: str
    op: str
    limit: float
    kind: str

    def check(self, summary: dict[str, Any]) -> tuple[bool, str]:
        """(held, what the run measured, in the threshold's units)."""
        value = summary.get(self.key)
        if value is None:
            return False, "no data"
        held = bool(_OPS[self.op](float(value), self.limit))
        return held, _shown(float(value), self.kind)


def parse_threshold(text: str) -> Threshold:
    """Read ``METRIC<VALUE`` (``p95<500ms``, ``timed_out<1%``, ``accepted_per_s>=100``)."""
    m = _PATTERN.match(text.lower())
    names = ", ".join(METRICS)
    if not m:
        raise ThresholdError(
            f"cannot read threshold {text!r}: write METRIC<VALUE (or <=, >, >=) such as"
            f" {EXAMPLE}; metrics: {names}."
        )
    name, op, number, unit = m.groups()
    name = _ALIASES.get(name, name)
    if name not in METRICS:
        close = did_you_mean(name, METRICS)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ThresholdError(
            f"threshold {text!r}: unknown metric {name!r}.{hint} Metrics: {names}."
        )
    key, kind = METRICS[name]
    value = float(number)
    allowed = {"ms": ("ms", "s", None), "share": ("%", None), "rate": ("/s", None)}.get(
        kind, (None,)
    )
    if unit not in allowed:
        wanted = {
            "ms": "milliseconds (500ms) or seconds (2s)",
            "share": "a percentage (1%) or a fraction (0.01)",
            "rate": "events per second (100 or 100/s)",
            "count": "a plain number",
        }[kind]
        raise ThresholdError(f"threshold {text!r}: {name} takes {wanted}, not {unit!r}.")
    if unit == "s":
        value *= 1000
    elif unit == "%":
        value /= 100
    if kind == "share" and value > 1:
        raise ThresholdError(
            f"threshold {text!r}: a share is at most 100%; write {name}<{number}% for percent."
        )
    return Threshold(text.strip(), key, op, value, kind)


def _shown(value: float, kind: str) -> str:
    if kind == "ms":
        return f"{value:.0f} ms"
    if kind == "share":
        return f"{value * 100:.2f}%"
    if kind == "rate":
        return f"{value:.1f}/s"
    return f"{value:.0f}"


def judge(summary: dict[str, Any], thresholds: list[Threshold]) -> tuple[bool, str]:
    """(passed, the closing PASS/FAIL line)."""
    if not thresholds:
        return True, f"PASS (no thresholds set; gate CI with e.g. {EXAMPLE})"
    results = [(t, *t.check(summary)) for t in thresholds]
    failed = [f"{t.text} (was {got})" for t, held, got in results if not held]
    if failed:
        return False, "FAIL: " + ", ".join(failed)
    return True, "PASS: " + ", ".join(f"{t.text} ({got})" for t, _, got in results)


# -- the printed summary ---------------------------------------------------------------------------


def render(summary: dict[str, Any], title: str) -> str:
    """The summary as ``hookmock load`` prints it (the PASS/FAIL line is added by the caller)."""
    s = summary
    lines = [
        f"hookmock load: {s['provider']} -> {s['url']} for {s['duration_s']:.1f} s"
        + (f", seed {s['seed']}" if s.get("seed") is not None else ""),
        f"  sent         {s['sent']:,} deliveries: {s['events']:,} events,"
        f" {s['retries']:,} retries, {s['duplicates']:,} deliberate duplicates",
        f"  accepted     {s['accepted']:,} events, {s['accepted_per_s']:,.1f}/s",
        f"  not accepted {s['never_accepted']:,} events ({s['never_accepted_share'] * 100:.2f}%):"
        f" {s['gave_up']:,} failed every attempt, {s['unfinished']:,} still had a retry due"
        " at the end",
        "  latency      "
        + ", ".join(f"{p} {_ms(s.get(p + '_ms'))}" for p in ("p50", "p95", "p99"))
        + f" ({title} waits {s['timeout_s']:g} s)",
        f"  timed out    {s['timed_out_share'] * 100:.2f}% of deliveries would have timed out at"
        f" {title} ({s['timed_out']:,})",
    ]
    bad = {k: v for k, v in s["by_status"].items() if not k.startswith("2")}
    lines.append(
        "  non-2xx      " + (", ".join(f"{k}: {v:,}" for k, v in bad.items()) if bad else "none")
    )
    if not s.get("complete", True):
        lines.append("  warning      a worker's last counts did not reach the master in time")
    return "\n".join(lines)


def _ms(value: object) -> str:
    return "-" if value is None else f"{float(value):.0f} ms"  # type: ignore[arg-type]
