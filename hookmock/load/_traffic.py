"""Webhook traffic for a load run: pooled realistic events, a fresh id and signature per delivery.

Generating an event with hookmock's factories takes about a millisecond, far more than a load
generator may spend per request. So each event kind of the mix gets a pool of events generated
once (seeded, so a run's traffic is reproducible), and each delivery takes one from the pool,
gives it a new unique id the way the provider does (an id inside the body, or a delivery-id
header) and is signed at the moment it is sent. No Locust here:
this module is what the benchmark measures and what the tests check without a load run.
"""

from __future__ import annotations

import bisect
import collections
import copy
import dataclasses
import hashlib
import math
import random
import re
import time

from .._errors import ConfigurationError
from .._seeding import derive_seed
from ..delivery import plan_order
from ._mix import tell

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from .._event import Event
    from .._provider import Provider
    from ._mix import Mix, MixEntry

#: Events generated per mix entry: enough variety that a receiver cannot cache its way through.
DEFAULT_POOL = 32
#: Stories told per ``story:`` entry (each is several events, so fewer are needed for variety).
STORY_POOL = 8
#: How many recently accepted events a stream keeps to pick deliberate duplicates from.
RECENT = 64
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#: Counters are multiplied by these odd numbers (so, modulo a power of two, still one id per
#: count) to make consecutive ids look as unrelated as real ones do.
_SPREAD_40 = 0x9E3779B97F
_SPREAD_32 = 0x9E3779B1


def stable_int(*parts: object, bits: int = 64) -> int:
    """A stable integer from strings and ints (the same on every machine and run)."""
    text = "\x1f".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.sha256(text).digest(), "big") >> (256 - bits)


_PAIRS = [a + b for a in _BASE62 for b in _BASE62]


def _base62(n: int, width: int) -> str:
    """``n`` in ``width`` base62 digits (``width`` even), two digits per step: ids are hot."""
    out = []
    for _ in range(width // 2):
        n, r = divmod(n, 3844)
        out.append(_PAIRS[r])
    return "".join(reversed(out))


@dataclasses.dataclass(eq=False, slots=True)
class Template:
    """One pooled event: its body cut around the id, and the headers that never change."""

    event: Event
    entry: MixEntry
    static: dict[str, str]
    #: Where the id sits in the body (-1: not in the body).
    cut: dataclasses.InitVar[int]
    sign_options: dict[str, Any]
    type: str = dataclasses.field(init=False)
    #: The headers of its own: ``static`` less the pool's shared ones (see :class:`Pool`).
    own: dict[str, str] = dataclasses.field(init=False)
    #: The request names in Locust's statistics, per kind of attempt: retries apart.
    names: dict[str, str] = dataclasses.field(init=False)
    prefix: bytes = dataclasses.field(init=False)
    suffix: bytes = dataclasses.field(init=False)

    def __post_init__(self, cut: int) -> None:
        self.type = self.event.type
        self.own = self.static
        label = self.entry.label
        self.names = {
            "first": label,
            "retry": f"{label} (retry)",
            "duplicate": f"{label} (duplicate)",
        }
        body = self.event.body
        if cut >= 0:
            self.prefix, self.suffix = body[:cut], body[cut + len(self.event.id.encode()) :]
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


#: A GUID as delivery-id headers carry them (8-4-4-4-12 hex digits).
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Identity:
    """How a provider makes each delivery unique, read off the provider and one generated event.

    The new id goes where the provider puts it: in :attr:`hookmock.Provider.id_header` when it
    has one, else inside the body where the generated id sits (then the body changes per
    delivery); with neither, nothing is regenerated. A new id has the generated one's shape: a
    version 4 GUID, or the same ``prefix_`` followed by 24 base62 characters.
    """

    def __init__(self, provider: Provider, sample: Event) -> None:
        self.provider = provider
        self.id_header = provider.id_header
        sample_id = sample.id or ""
        #: Whether the id lives in the body (so the body changes per delivery).
        self.in_body = (
            not self.id_header and bool(sample_id) and f'"{sample_id}"'.encode() in sample.body
        )
        self.guid = _GUID.fullmatch(sample_id) is not None
        self.prefix = sample_id.rpartition("_")[0] + "_" if "_" in sample_id else ""

    def cut(self, event: Event) -> int:
        """Where the id sits in the body (-1: not in the body)."""
        return event.body.find(f'"{event.id}"'.encode()) + 1 if self.in_body and event.id else -1

    def header(self, event_id: str) -> dict[str, str]:
        """Headers that carry the delivery's id."""
        return {self.id_header: event_id} if self.id_header else {}

    def new_id(self, stream: IdStream) -> str:
        if not self.guid:
            return self.prefix + stream.next_token()
        value = stream.next_int128()
        # A version 4 GUID: version nibble 4, variant bits 10.
        value = (value & ~(0xF << 76)) | (0x4 << 76)
        value = (value & ~(0x3 << 62)) | (0x2 << 62)
        h = f"{value:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def sign_options(self, pool: Pool, headers: dict[str, str]) -> dict[str, Any]:
        """Per template: the provider's fast signer for deliveries like this one, if it has one
        (:meth:`hookmock.Provider.load_signer`: HMACs keyed once, not per delivery)."""
        return {"signer": self.provider.load_signer(pool.secrets, headers)}

    def sign(self, pool: Pool, body: bytes, now: int, options: dict[str, Any]) -> dict[str, str]:
        """The signature headers: the provider's fast signer, else its own ``sign``."""
        signer = options.get("signer")
        if signer is not None:
            return dict(signer(body, now))
        provider, secrets = pool.provider, pool.secrets
        extra = {"timestamp": now} if provider.signs_timestamp is not False else {}
        return provider.sign(body, secrets if len(secrets) > 1 else secrets[0], **extra)


class IdStream:
    """Unique ids for one sender: a random-looking stem per stream plus a counter."""

    __slots__ = ("_count", "_stem", "_stem128")

    def __init__(self, seed: int, stream: object) -> None:
        stem = stable_int("hookmock-load-ids", seed, stream, bits=96)
        self._stem = _base62(stem, 14)
        self._stem128 = stem << 32
        self._count = 0

    def next_token(self) -> str:
        """24 base62 characters, as provider ids often have: 14 for the stream, then the counter.

        The counter's 10 characters are hex (a subset of base62, and four times faster to
        write): 2**40 ids per stream before one repeats.
        """
        self._count += 1
        return f"{self._stem}{self._count * _SPREAD_40 & 0xFFFFFFFFFF:010x}"

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
        self.secrets = [secret] if isinstance(secret, str) else list(secret)
        self.seed = seed
        #: Known from the first generated event (see :class:`Identity`).
        self._identity: Identity | None = None
        self.labels = [e.label for e in mix.entries]
        self.cum_weights: list[float] = []
        total = 0.0
        for e in mix.entries:
            total += e.weight
            self.cum_weights.append(total)
        #: Per story entry (by index): its told stories, each its templates in provider order.
        self.stories: dict[int, list[list[Template]]] = {
            n: [self._story(e, n, i) for i in range(min(size, STORY_POOL))]
            for n, e in enumerate(mix.entries)
            if e.story
        }
        self.templates: list[list[Template]] = [
            [t for told in self.stories[n] for t in told]
            if e.story
            else [self._template(e, n, i) for i in range(size)]
            for n, e in enumerate(mix.entries)
        ]
        self.identity: Identity = self._found_identity()
        #: Headers every delivery carries with the same value (a User-Agent, ...). A
        #: sender can set them once (Locust's default_headers) and add :meth:`Traffic.own` only.
        every = [t.static for templates in self.templates for t in templates]
        self.shared = {k: v for k, v in every[0].items() if all(h.get(k) == v for h in every)}
        for templates in self.templates:
            for t in templates:
                t.own = {k: v for k, v in t.static.items() if k not in self.shared}

    def _found_identity(self) -> Identity:
        """The identity the first template found (a mix always has an entry)."""
        if self._identity is None:
            raise ConfigurationError("a load mix needs at least one event type or story.")
        return self._identity

    def _story(self, entry: MixEntry, n: int, i: int) -> list[Template]:
        """One told story of a ``story:`` entry: its events' templates, in provider order."""
        seed = stable_int("hookmock-load-pool", self.seed, n, entry.label, i, bits=32)
        told = tell(entry, self.provider, seed)
        definition = self.provider.stories().get(entry.story)
        swaps = definition.swaps if definition is not None else 0.0
        order = plan_order(told, "provider", random.Random(derive_seed(seed, "order")), swaps)
        return [self._template(entry.of(told[k].type), n, i, told[k]) for k in order]

    def _template(self, entry: MixEntry, n: int, i: int, event: Event | None = None) -> Template:
        seed = stable_int("hookmock-load-pool", self.seed, n, entry.label, i, bits=32)
        if event is None:
            event = self.provider.event(
                entry.type,
                seed=seed,
                traits=entry.traits,
                overrides=copy.deepcopy(dict(entry.overrides)),
            )
        if self._identity is None:
            self._identity = Identity(self.provider, event)
        identity = self._identity
        headers = self.provider.headers(event, self.secret)
        signature = self.provider.sign(event.body, self.secret)
        static = {k: v for k, v in headers.items() if k not in signature}
        for name in identity.header(""):
            static.pop(name, None)
        options = identity.sign_options(self, headers)
        return Template(event, entry, static, identity.cut(event), options)


class Traffic:
    """One sender's stream of deliveries: the mix's choices, unique ids, deliberate duplicates."""

    def __init__(
        self, pool: Pool, *, stream: object = 0, duplicates: float = 0.0, seed: int | None = None
    ) -> None:
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
        #: The rest of the story being sent: a story's events go out one after another.
        self._story: collections.deque[Template] = collections.deque()
        self._identity = pool.identity
        # An id in the body: a delivery's own headers are its signature alone.
        self._bare = not pool.identity.header("x")

    def next(self) -> Delivery:
        """A new event, or (at the duplicate rate) an accepted one sent again."""
        rng = self.rng
        if self.duplicates and self.recent and rng.random() < self.duplicates:
            return rng.choice(self.recent).again("duplicate")
        if self._story:
            return self._fresh(self._story.popleft())
        pool = self.pool
        cum = pool.cum_weights
        n = bisect.bisect(cum, rng.random() * cum[-1]) if len(cum) > 1 else 0
        told = pool.stories.get(n)
        if told is not None:
            self._story.extend(told[int(rng.random() * len(told))])
            return self._fresh(self._story.popleft())
        templates = pool.templates[n]
        return self._fresh(templates[int(rng.random() * len(templates))])

    def _fresh(self, template: Template) -> Delivery:
        """A first delivery of ``template``'s event under a new id."""
        event_id = self._identity.new_id(self.ids)
        if self._identity.in_body:
            body = template.prefix + event_id.encode() + template.suffix
        else:
            body = template.prefix
        return Delivery(event_id, template.type, body, template)

    def accepted(self, delivery: Delivery) -> None:
        """Note an accepted event: duplicates re-send events the receiver already took, as a
        provider's duplicate deliveries do."""
        if delivery.kind != "duplicate":
            self.recent.append(delivery)

    def headers(self, delivery: Delivery, now: int | None = None) -> dict[str, str]:
        """The full header set for sending ``delivery`` now: signed at this second."""
        return {**self.pool.shared, **self.own(delivery, now)}

    def own(self, delivery: Delivery, now: int | None = None) -> dict[str, str]:
        """The headers of ``delivery`` besides the pool's :attr:`Pool.shared` ones, signed now."""
        pool = self.pool
        identity = self._identity
        template = delivery.template
        signed = identity.sign(
            pool, delivery.body, int(time.time()) if now is None else now, template.sign_options
        )
        if template.own or not self._bare:
            return {**template.own, **identity.header(delivery.id), **signed}
        return signed
