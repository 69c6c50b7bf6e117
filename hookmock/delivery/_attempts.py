"""The attempt loop: sign an event, hand it to the transport, retry on the virtual clock.

Each attempt is signed afresh (a provider signs each one when it sends it), sent through the
target's ``handle(request, timeout=...)`` and timed; a failed attempt is retried after the next
wait of the retry schedule, on the receiver's virtual clock, until one gets a 2xx.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from .._errors import ArgumentTypeError, ConfigurationError, SecretError
from ._result import Attempt
from ._shared import DeliveryTimeout, Request

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from .._event import Event
    from .._provider import Provider
    from ._clock import RetrySchedule, VirtualClock
    from ._shared import Target
    from ._transport import Response

#: The longest timeout honoured (a week): longer ones are capped to it.
MAX_TIMEOUT = 7 * 24 * 3600.0


def resolve_timeout(timeout: float | bool | None, provider: Provider) -> float | None:
    """None: the provider's own timeout. False or 0: wait forever. A number: that many seconds."""
    if timeout is None:
        return float(provider.timeout)
    if timeout is False or timeout == 0:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise ArgumentTypeError(
            f"timeout is seconds (a finite number > 0), None for the provider's own, or False"
            f" for none; got {timeout!r}.",
            argument="timeout",
        )
    if not math.isfinite(timeout) or timeout < 0:
        raise ConfigurationError(
            f"timeout is seconds (a finite number > 0), None for the provider's own, or False"
            f" for none; got {timeout!r}.",
            argument="timeout",
        )
    # Thread waits overflow past ~292 years; any timeout this long means "wait", not a limit.
    return min(float(timeout), MAX_TIMEOUT)


@dataclass
class Delivered:
    """What the attempts of one delivery came to: the last answer (None when it timed out), the
    headers the last attempt sent, and each attempt."""

    url: str
    response: Response | None
    sent: dict[str, str]
    attempts: list[Attempt] = field(default_factory=list)
    timed_out: bool = False
    elapsed: float = 0.0


class Attempts:
    """Signs and sends deliveries of a provider's events to one target."""

    def __init__(self, target: Target, *, provider: Provider, secrets: Sequence[str]) -> None:
        self.target = target
        self.provider = provider
        #: The receiver's secrets (checked), which sign unless a delivery passes its own.
        self.secrets = list(secrets)

    def headers_for(
        self,
        event: Event,
        *,
        secret: str | Sequence[str] | None = None,
        timestamp: int | None = None,
        extra: Mapping[str, str | None] | None = None,
    ) -> dict[str, str]:
        """The exact headers a delivery of ``event`` sends (signed now, or at ``timestamp``)."""
        check_headers(extra)
        check_timestamp(timestamp, self.provider)
        use: Any = self.secrets if secret is None else secret
        sent = event.headers(use, timestamp=timestamp)
        if extra:
            lower = {k.lower(): k for k in sent}
            for name, value in extra.items():
                existing = lower.get(name.lower())
                if existing is not None:
                    del sent[existing]
                if value is not None:
                    sent[name] = value
        return sent

    def run(
        self,
        event: Event,
        *,
        path: str,
        schedule: RetrySchedule,
        clock: VirtualClock,
        secret: str | Sequence[str] | None = None,
        timestamp: int | None = None,
        extra: Mapping[str, str | None] | None = None,
        timeout: float | None = None,
        timer: Callable[[], float] = time.perf_counter,
    ) -> Delivered:
        """Deliver ``event``: the first attempt now, each retry after the schedule's next wait
        on ``clock`` (no real waiting), until an attempt gets a 2xx or the schedule runs out.
        ``timer`` times each answer (seconds, monotonic)."""
        out = Delivered(self.target.url(path), None, {})
        at = 0.0
        delays = schedule.delays
        for number in range(1, len(delays) + 2):
            if number > 1:
                # Retries happen on the virtual clock: no real waiting, but each retry is signed
                # afresh, as a provider signs each attempt at the moment it sends it.
                wait = delays[number - 2]
                at += wait
                clock.advance(wait)
            out.sent = self.headers_for(event, secret=secret, timestamp=timestamp, extra=extra)
            # One-off setup (an HTTP session, an ASGI lifespan) is no part of the answer time.
            self.target.prepare()
            start = timer()
            try:
                out.response = self.target.handle(
                    Request("POST", out.url, path, out.sent, event.body), timeout=timeout
                )
                out.timed_out = False
            except DeliveryTimeout:
                out.response = None
                out.timed_out = True
            out.elapsed = timer() - start
            response = out.response
            if response is not None and response.elapsed is not None:
                out.elapsed = response.elapsed  # the transport's own measure of the answer
            attempt = Attempt(
                number,
                at,
                None if response is None else response.status,
                out.elapsed,
                timed_out=out.timed_out,
                error=None if response is None else response.error,
            )
            out.attempts.append(attempt)
            if attempt.ok:
                break
        return out


def check_headers(headers: object) -> None:
    """``headers=`` must map names to values (None removes a header): say so before sending."""
    if headers is None:
        return
    if not isinstance(headers, Mapping):
        raise ConfigurationError(
            "headers= takes a mapping of header names to values, like"
            f" {{'X-Extra': '1'}} (None as a value removes that header); got"
            f" {type(headers).__name__} {headers!r:.60}."
        )
    for name, value in headers.items():
        if not isinstance(name, str) or not name:
            raise ConfigurationError(f"headers= names must be non-empty strings; got {name!r}.")
        if value is not None and not isinstance(value, str):
            raise ConfigurationError(
                f"headers= values must be strings (or None to remove the header); {name!r} is"
                f" {type(value).__name__} {value!r:.60}. Pass str(value) if you mean its text."
            )


def check_timestamp(timestamp: object, provider: Provider | None = None) -> None:
    """``timestamp=`` is the signature time in Unix seconds: an int, checked before sending,
    and only for a provider whose signature carries a time."""
    if timestamp is None:
        return
    if provider is not None and not signs_timestamp(provider):
        title = provider.title or provider.name
        raise ConfigurationError(
            f"{title} signatures carry no timestamp, so timestamp= would change nothing (a"
            f" {title} receiver cannot reject a stale delivery by its signature). Leave it out;"
            " to test stale events, override the payload's own time fields instead."
        )
    if isinstance(timestamp, bool) or not isinstance(timestamp, int):
        raise ArgumentTypeError(
            "timestamp= is the signature time in Unix seconds, an int like"
            f" int(time.time()) - 600 (leave it out to sign now); got"
            f" {type(timestamp).__name__} {timestamp!r:.60}."
        )


#: Body signed by the probes below; any bytes would do.
_PROBE = b'{"hookmock":"probe"}'
#: A secret most signers accept (a whsec_ prefix, then base64: the strictest form signers ask for).
_PROBE_SECRET = "whsec_aG9va21vY2stcHJvYmUtc2VjcmV0"


def signs_timestamp(provider: Provider) -> bool:
    """Whether the provider's signature carries the send time (``Provider.signs_timestamp``)."""
    flag = getattr(provider, "signs_timestamp", None)
    if isinstance(flag, bool):
        return flag
    # No declared capability: ask the signer itself, a time that changes nothing is not signed.
    try:
        first = provider.sign(_PROBE, _PROBE_SECRET, timestamp=1_000_000_000)
        return first != provider.sign(_PROBE, _PROBE_SECRET, timestamp=1_000_000_001)
    except Exception:
        pass
    try:  # a signer that refuses any timestamp but signs without one has none to sign
        provider.sign(_PROBE, _PROBE_SECRET)
    except Exception:  # a signer with its own secret format: do not second-guess it
        return True
    return False


def signs_with_every_secret(provider: Provider) -> bool:
    """Whether a list of secrets signs with each (secret rotation) or only with one."""
    flag = getattr(provider, "secret_rotation", None)
    if isinstance(flag, bool):
        return flag
    other = "whsec_aG9va21vY2stcHJvYmUtb3RoZXI="
    try:
        one = provider.sign(_PROBE, [_PROBE_SECRET], timestamp=1_000_000_000)
        both = provider.sign(_PROBE, [_PROBE_SECRET, other], timestamp=1_000_000_000)
    except Exception:  # a signer with its own secret format: do not second-guess it
        return True
    return one != both


def check_secret_count(provider: Provider, secrets: Sequence[str]) -> None:
    """A list of secrets only where the provider signs with several (secret rotation)."""
    if len(secrets) > 1 and not signs_with_every_secret(provider):
        title = provider.title or provider.name
        raise SecretError(
            template="{title} has one secret per webhook and signs with it alone, so a list of"
            " {count} secrets would sign with the first and ignore the rest (a list is for"
            " providers that rotate secrets). Pass the hook's secret as a string: {fix}.",
            provider=provider.name,
            argument="secret",
            value="...",
            title=title,
            count=len(secrets),
        )
