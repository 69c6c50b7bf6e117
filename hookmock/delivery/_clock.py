"""A virtual clock and retry schedules: provider retry semantics without real sleeping."""

from __future__ import annotations

import math
import threading

from .._errors import ConfigurationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from .._provider import Provider

#: Stripe does not publish its retry intervals. Test mode retries "3 times over a few hours", so
#: the default is 3 retries, 30 minutes apart and doubling: +30 min, +1 h, +2 h (3.5 h in all).
STRIPE_TEST_FIRST = 1800.0
STRIPE_TEST_RETRIES = 3
#: Live mode retries "for up to 3 days with exponential backoff": from 5 minutes, doubling, each
#: wait capped at 12 hours, until 3 days have passed.
STRIPE_LIVE_SPAN = 3 * 24 * 3600.0


class VirtualClock:
    """Seconds that pass only when hookmock says so; retries advance it instead of sleeping."""

    __slots__ = ("_lock", "_now")

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` and return the new time."""
        if seconds < 0:
            raise ConfigurationError(f"A clock cannot go back; got advance({seconds}).")
        with self._lock:
            self._now += seconds
            return self._now

    def __repr__(self) -> str:
        return f"VirtualClock(now={self._now:g})"


#: Far beyond any provider (Stripe live: about 20 retries over 3 days), far below what would make
#: a test run for hours or virtual times overflow.
MAX_RETRIES = 100
#: The longest wait between two attempts: a year of virtual time.
MAX_DELAY = 365 * 24 * 3600.0


def _too_many(count: int) -> ConfigurationError:
    return ConfigurationError(
        f"{count} retries is more than hookmock simulates (at most {MAX_RETRIES}); no provider"
        " retries that often. Pass fewer, e.g. retries=[60, 300, 1800]."
    )


class RetrySchedule:
    """The waits (seconds) between delivery attempts; ``len(delays)`` is the number of retries."""

    __slots__ = ("delays",)

    def __init__(self, delays: Iterable[float] = ()) -> None:
        out: list[float] = []
        for d in delays:
            if (
                isinstance(d, bool)
                or not isinstance(d, (int, float))
                or not math.isfinite(d)
                or not 0 <= d <= MAX_DELAY
            ):
                raise ConfigurationError(
                    f"Retry delays are seconds (finite numbers from 0 to {MAX_DELAY:.0f}, a"
                    f" year); got {d!r}. Example: retries=[60, 300, 1800]."
                )
            if len(out) == MAX_RETRIES:
                raise _too_many(len(out) + 1) from None
            out.append(float(d))
        self.delays: tuple[float, ...] = tuple(out)

    @classmethod
    def exponential(
        cls,
        retries: int = STRIPE_TEST_RETRIES,
        *,
        first: float = STRIPE_TEST_FIRST,
        factor: float = 2.0,
        cap: float | None = None,
    ) -> RetrySchedule:
        """``retries`` waits: ``first``, ``first * factor``, ... each at most ``cap``."""
        if retries > MAX_RETRIES:
            raise _too_many(retries)
        delays = []
        wait = float(first)
        for _ in range(retries):
            # Doubling overflows a year after ~14 retries: later waits stay at the longest.
            delays.append(min(wait, MAX_DELAY if cap is None else cap))
            wait *= factor
        return cls(delays)

    @classmethod
    def stripe_test(cls) -> RetrySchedule:
        """hookmock's default for Stripe: 3 retries at +30 min, +1 h, +2 h (virtual time)."""
        return cls.exponential()

    @classmethod
    def stripe_live(cls) -> RetrySchedule:
        """Retries from 5 minutes, doubling, capped at 12 hours each, for up to 3 days."""
        delays: list[float] = []
        wait, total = 300.0, 0.0
        while total + wait <= STRIPE_LIVE_SPAN:
            delays.append(wait)
            total += wait
            wait = min(wait * 2, 12 * 3600.0)
        return cls(delays)

    @property
    def attempts(self) -> int:
        return len(self.delays) + 1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RetrySchedule) and self.delays == other.delays

    def __hash__(self) -> int:
        return hash(self.delays)

    def __repr__(self) -> str:
        return f"RetrySchedule({list(self.delays)!r})"


NO_RETRIES = RetrySchedule(())


def resolve_retries(retries: object, provider: Provider) -> RetrySchedule:
    """Turn the user's ``retries=`` into a schedule.

    ``False``/``None``: one attempt. ``True``: the provider's own schedule
    (:attr:`hookmock.Provider.retry_schedule`: Stripe +30 min, +1 h, +2 h; Standard Webhooks
    Svix's eight attempts). An int: that many retries, the provider's waits first, then each
    wait doubling the last. A list of seconds, or a :class:`RetrySchedule`: exactly those waits.
    A provider that never retries (GitHub) refuses ``True`` and a number, and takes an explicit
    list as a schedule of manual redeliveries.
    """
    if retries is None or retries is False:
        return NO_RETRIES
    title = provider.title or provider.name
    if retries is True:
        if not provider.retries:
            # Silently sending once would let a test believe it exercised retries.
            raise ConfigurationError(
                f"{title} does not retry failed deliveries, so retries=True has nothing to"
                " copy. Pass retries=[60, 300] (waits in seconds) to simulate manual"
                " redeliveries on that schedule, or leave retries out."
            )
        return RetrySchedule(own_schedule(provider))
    if isinstance(retries, RetrySchedule):
        return retries
    if isinstance(retries, int):
        if retries < 0:
            raise ConfigurationError(f"retries must be >= 0, got {retries}.")
        if retries and not provider.retries:
            raise ConfigurationError(
                f"{title} does not retry failed deliveries, so it has no backoff to copy for"
                f" retries={retries}. Pass retries=[60, 300] (waits in seconds) to simulate"
                " manual redeliveries on that schedule."
            )
        if retries > MAX_RETRIES:
            raise _too_many(retries)
        own = own_schedule(provider) if retries else ()
        delays = list(own[:retries])
        while len(delays) < retries:
            # Past the provider's own schedule, back off as Stripe's does: double the last wait.
            delays.append(min(delays[-1] * 2, MAX_DELAY))
        return RetrySchedule(delays)
    if isinstance(retries, (list, tuple)):
        return RetrySchedule(retries)
    raise ConfigurationError(
        f"retries must be True, False, a number of retries, a list of waits in seconds or a"
        f" hookmock.delivery.RetrySchedule; got {retries!r}."
    )


def own_schedule(provider: Provider) -> tuple[float, ...]:
    """The waits a provider that retries declares (``retry_schedule``), checked once here."""
    title = provider.title or provider.name
    declared: object = getattr(provider, "retry_schedule", ())
    if callable(declared):
        declared = declared()
    if isinstance(declared, RetrySchedule):
        declared = declared.delays
    if not isinstance(declared, (list, tuple)) or not declared:
        raise ConfigurationError(
            f"{title} says it retries (retries = True) but declares no retry_schedule to copy;"
            " give its class the waits in seconds, retry_schedule = (60.0, 300.0, 1800.0), or"
            " pass retries=[...] to the receiver."
        )
    return RetrySchedule(declared).delays
