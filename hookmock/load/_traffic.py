"""Webhook traffic for a load run: pooled realistic events, a fresh id and signature per delivery.

Generating an event with hookmock's factories takes about a millisecond, far more than a load
generator may spend per request. So each event kind of the mix gets a pool of events generated
once (seeded, so a run's traffic is reproducible), and each delivery takes one from the pool,
gives it a new unique id the way the provider does (Stripe: the ``evt_`` id inside the body;
GitHub: the ``X-GitHub-Delivery`` GUID) and is signed at the moment it is sent. No Locust here:
this module is what the benchmark measures and what the tests check without a load run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import time

from .._errors import ConfigurationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from .._event import Event
    from .._provider import Provider
    from ._mix import Mix, MixEntry

#: Events generated per mix entry: enough variety that a receiver cannot cache its way through.
DEFAULT_POOL = 32
#: How many recent deliveries a stream keeps to pick deliberate duplicates from.
RECENT = 64
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#: Counters are multiplied by these (coprime to the modulus, so still one id per count) to make
#: consecutive ids look as unrelated as real ones do.
_SPREAD_62 = 518_715_534_800_990_977
_SPREAD_32 = 0x9E3779B1
_MOD_62 = 62**10


def stable_int(*parts: object, bits: int = 64) -> int:
    """A stable integer from strings and ints (the same on every machine and run)."""
    text = "\x1f".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.sha256(text).digest(), "big") >> (256 - bits)


def _base62(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, 62)
        out.append(_BASE62[r])
    return "".join(reversed(out))


class Template:
    """One pooled event: its body cut around the id, and the headers that never change."""

    __slots__ = ("entry", "event", "prefix", "sign_options", "static", "suffix", "type")

    def __init__(
        self,
        event: Event,
        entry: MixEntry,
        static: dict[str, str],
        cut: int,
        sign_options: dict[str, Any],
    ) -> None:
        self.event = event
        self.entry = entry
        self.type = event.type
        self.static = static
        self.sign_options = sign_options
        body = event.body
        if cut >= 0:
            self.prefix, self.suffix = body[:cut], body[cut + len(event.id.encode()) :]
        else:
            self.prefix, self.suffix = body, b""


@dataclasses.dataclass
class Delivery:
    """One delivery attempt to send: the event's id, its exact body and what sent it."""

    id: str
    type: str
    body: bytes
    template: Template
    #: ``first``, ``retry`` or ``duplicate`` (a deliberate second delivery of an earlier event).
    kind: str = "first"
    #: 1 for the first attempt, 2 for the first retry, ...
    attempt: int = 1

    def again(self, kind: str = "retry") -> Delivery:
        """The same event sent once more (same id and body; it is signed anew when sent)."""
        attempt = self.attempt + 1 if kind == "retry" else 1
        return Delivery(self.id, self.type, self.body, self.template, kind, attempt)


class Identity:
    """How a provider makes each delivery unique: the default regenerates nothing (no id)."""

    #: Whether the id lives in the body (so the body changes per delivery).
    in_body = False

    def cut(self, event: Event) -> int:
        """Where the id sits in the body (-1: not in the body)."""
        return -1

    def header(self, event_id: str) -> dict[str, str]:
        """Headers that carry the delivery's id."""
        return {}

    def new_id(self, stream: IdStream) -> str:
        return stream.next_token()

    def sign_options(self, event: Event, headers: dict[str, str]) -> dict[str, Any]:
        return {}


class StripeIdentity(Identity):
    """Stripe: every event has a new ``evt_`` id, inside the body it signs."""

    in_body = True

    def cut(self, event: Event) -> int:
        return event.body.find(f'"{event.id}"'.encode()) + 1 if event.id else -1

    def new_id(self, stream: IdStream) -> str:
        return "evt_" + stream.next_token()

    def sign_options(self, event: Event, headers: dict[str, str]) -> dict[str, Any]:
        # Test-mode events carry a ``v0=`` entry (ignored by verifiers); keep it as generated.
        signature = headers.get("Stripe-Signature", "")
        v0 = [p[3:] for p in signature.split(",") if p.startswith("v0=")]
        return {"v0": v0[0]} if v0 else {}


class GitHubIdentity(Identity):
    """GitHub: every delivery has a new ``X-GitHub-Delivery`` GUID; the body has no id."""

    def header(self, event_id: str) -> dict[str, str]:
        return {"X-GitHub-Delivery": event_id}

    def new_id(self, stream: IdStream) -> str:
        value = stream.next_int128()
        # A version 4 GUID, as GitHub's are: version nibble 4, variant bits 10.
        value = (value & ~(0xF << 76)) | (0x4 << 76)
        value = (value & ~(0x3 << 62)) | (0x2 << 62)
        h = f"{value:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


IDENTITIES: dict[str, Identity] = {"stripe": StripeIdentity(), "github": GitHubIdentity()}


class IdStream:
    """Unique ids for one sender: a random-looking stem per stream plus a counter."""

    __slots__ = ("_count", "_stem", "_stem128")

    def __init__(self, seed: int, stream: object) -> None:
        stem = stable_int("hookmock-load-ids", seed, stream, bits=96)
        self._stem = _base62(stem, 14)
        self._stem128 = stem << 32
        self._count = 0

    def next_token(self) -> str:
        """24 base62 characters, as Stripe's ids have: 14 for the stream, 10 for the counter."""
        self._count += 1
        return self._stem + _base62(self._count * _SPREAD_62 % _MOD_62, 10)

    def next_int128(self) -> int:
        self._count += 1
        return self._stem128 | (self._count * _SPREAD_32 & 0xFFFFFFFF)


class Pool:
    """Pre-generated events for every entry of a mix, shared by all the senders of a process."""

    def __init__(
        self,
        provider: Provider,
        mix: Mix,
        secret: str | Sequence[str],
        *,
        seed: int,
        size: int = DEFAULT_POOL,
    ) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ConfigurationError(
                f"the pool size must be a whole number from 1 up, got {size!r}."
            )
        self.provider = provider
        self.mix = mix
        self.secret = secret
        self.seed = seed
        self.identity = IDENTITIES.get(provider.name, Identity())
        self.labels = [e.label for e in mix.entries]
        self.cum_weights: list[float] = []
        total = 0.0
        for e in mix.entries:
            total += e.weight
            self.cum_weights.append(total)
        self.templates: list[list[Template]] = [
            [self._template(e, n, i) for i in range(size)] for n, e in enumerate(mix.entries)
        ]

    def _template(self, entry: MixEntry, n: int, i: int) -> Template:
        import copy

        seed = stable_int("hookmock-load-pool", self.seed, n, entry.label, i, bits=32)
        event = self.provider.event(
            entry.type,
            seed=seed,
            traits=entry.traits,
            overrides=copy.deepcopy(dict(entry.overrides)),
        )
        headers = self.provider.headers(event, self.secret)
        signature = self.provider.sign(event.body, self.secret)
        static = {k: v for k, v in headers.items() if k not in signature}
        for name in self.identity.header(""):
            static.pop(name, None)
        options = self.identity.sign_options(event, headers)
        return Template(event, entry, static, self.identity.cut(event), options)


class Traffic:
    """One sender's stream of deliveries: the mix's choices, unique ids, deliberate duplicates."""

    def __init__(
        self, pool: Pool, *, stream: object = 0, duplicates: float = 0.0, seed: int | None = None
    ) -> None:
        import collections
        import math

        if (
            isinstance(duplicates, bool)
            or not isinstance(duplicates, (int, float))
            or not math.isfinite(duplicates)
            or not 0 <= duplicates < 1
        ):
            raise ConfigurationError(
                f"the duplicate rate is a share from 0 up to (not including) 1, e.g. 0.01 for"
                f" 1% of deliveries; got {duplicates!r}."
            )
        self.pool = pool
        self.duplicates = float(duplicates)
        base = pool.seed if seed is None else seed
        self.rng = random.Random(stable_int("hookmock-load-stream", base, stream))
        self.ids = IdStream(base, stream)
        self.recent: collections.deque[Delivery] = collections.deque(maxlen=RECENT)
        self._identity = pool.identity
        # GitHub's signatures cover no time (and its signer refuses one); Stripe's do.
        self._timed = pool.provider.signs_timestamp is not False

    def next(self) -> Delivery:
        """A new event, or (at the duplicate rate) an earlier one sent again."""
        rng = self.rng
        if self.duplicates and self.recent and rng.random() < self.duplicates:
            return rng.choice(self.recent).again("duplicate")
        pool = self.pool
        n = rng.choices(range(len(pool.templates)), cum_weights=pool.cum_weights)[0]
        templates = pool.templates[n]
        template = templates[rng.randrange(len(templates))]
        event_id = self._identity.new_id(self.ids)
        if self._identity.in_body:
            body = template.prefix + event_id.encode() + template.suffix
        else:
            body = template.prefix
        delivery = Delivery(event_id, template.type, body, template)
        self.recent.append(delivery)
        return delivery

    def headers(self, delivery: Delivery, now: int | None = None) -> dict[str, str]:
        """The full header set for sending ``delivery`` now: signed at this second."""
        pool = self.pool
        options = delivery.template.sign_options
        if self._timed:
            options = {**options, "timestamp": int(time.time()) if now is None else now}
        signed = pool.provider.sign(delivery.body, pool.secret, **options)
        return {
            **delivery.template.static,
            **self._identity.header(delivery.id),
            **signed,
        }
