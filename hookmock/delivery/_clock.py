"""A virtual clock and retry schedules: provider retry semantics without real sleeping."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from .._errors import ArgumentTypeError, ConfigurationError
from .._registry import get_provider

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .._provider import Provider

#: :meth:`RetrySchedule.exponential`'s defaults: 3 retries, 30 minutes apart and doubling.
EXPONENTIAL_FIRST = 1800.0
EXPONENTIAL_RETRIES = 3


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


#: Far beyond any provider (the longest publish about 20 retries over 3 days), far below what would make
#: a test run for hours or virtual times overflow.
MAX_RETRIES = 100
#: The longest wait between two attempts: a year of virtual time.
MAX_DELAY = 365 * 24 * 3600.0


def _too_many(count: int) -> ConfigurationError:
    return ConfigurationError(
        f"{count} retries is more than hookmock simulates (at most {MAX_RETRIES}); no provider"
        " retries that often. Pass fewer, e.g. retries=[60, 300, 1800]."
    )


class _Named(type):
    """``RetrySchedule.<provider>_<name>()``: a schedule a provider publishes, by its name.

    The provider declares it (:attr:`hookmock.Provider.retry_schedules`, and ``retry_schedule``
    as ``default``); this keeps spellings such as ``RetrySchedule.acme_live()`` working without
    the core knowing any provider.
    """

    def __getattr__(cls, attr: str) -> Callable[[], RetrySchedule]:
        provider, sep, name = attr.partition("_")
        if not sep or attr.startswith("__"):
            raise AttributeError(attr)
        return lambda: RetrySchedule.published(provider, name)


@dataclass(frozen=True, repr=False, slots=True)
class RetrySchedule(metaclass=_Named):
    """The waits (seconds) between delivery attempts; ``len(delays)`` is the number of retries.

    Equal and hashed by its waits.
    """

    #: The waits, as a tuple of floats whatever sequence was given.
    delays: Sequence[float] = ()

    def __post_init__(self) -> None:
        out: list[float] = []
        for d in self.delays:
            if isinstance(d, bool) or not isinstance(d, (int, float)):
                raise ArgumentTypeError(
                    f"Retry delays are seconds (finite numbers from 0 to {MAX_DELAY:.0f}, a"
                    f" year); got {d!r}. Example: retries=[60, 300, 1800]."
                )
            if not math.isfinite(d) or not 0 <= d <= MAX_DELAY:
                raise ConfigurationError(
                    f"Retry delays are seconds (finite numbers from 0 to {MAX_DELAY:.0f}, a"
                    f" year); got {d!r}. Example: retries=[60, 300, 1800]."
                )
            if len(out) == MAX_RETRIES:
                raise _too_many(len(out) + 1) from None
            out.append(float(d))
        object.__setattr__(self, "delays", tuple(out))

    @classmethod
    def exponential(
        cls,
        retries: int = EXPONENTIAL_RETRIES,
        *,
        first: float = EXPONENTIAL_FIRST,
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
    def published(cls, provider: str | Provider, name: str = "default") -> RetrySchedule:
        """A schedule ``provider`` publishes: ``"default"`` is what ``retries=True`` replays
        (:attr:`hookmock.Provider.retry_schedule`), other names are its
        :attr:`hookmock.Provider.retry_schedules` (say, ``"live"``)."""
        p = get_provider(provider) if isinstance(provider, str) else provider
        title = p.title or p.name
        if name == "default":
            return cls(own_schedule(p))
        named = p.retry_schedules
        if name not in named:
            known = ", ".join(sorted({"default", *named}))
            raise ConfigurationError(
                f"{title} publishes no retry schedule named {name!r}; it has: {known}."
            )
        return cls(named[name])

    @property
    def attempts(self) -> int:
        return len(self.delays) + 1

    def __repr__(self) -> str:
        return f"RetrySchedule({list(self.delays)!r})"


NO_RETRIES = RetrySchedule(())


def resolve_retries(retries: object, provider: Provider) -> RetrySchedule:
    """Turn the user's ``retries=`` into a schedule.

    ``False``/``None``: one attempt. ``True``: the provider's own schedule
    (:attr:`hookmock.Provider.retry_schedule`). An int: that many retries, the provider's waits first, then each
    wait doubling the last. A list of seconds, or a :class:`RetrySchedule`: exactly those waits.
    A provider that never retries (``Provider.retries`` false) refuses ``True`` and a number, and takes an explicit
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
            # Past the provider's own schedule, back off exponentially: double the last wait.
            delays.append(min(delays[-1] * 2, MAX_DELAY))
        return RetrySchedule(delays)
    if isinstance(retries, (list, tuple)):
        return RetrySchedule(retries)
    raise ArgumentTypeError(
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
    return tuple(RetrySchedule(declared).delays)
