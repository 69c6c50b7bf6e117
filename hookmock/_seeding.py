"""Seeds and seeded generators: one Faker per thread, re-seeded for every event, never the global one."""

from __future__ import annotations

import hashlib
import random
import threading

TYPE_CHECKING = False
if TYPE_CHECKING:
    # Import budget: Faker (~100 ms) loads with the first generated event.
    from faker import Faker

_local = threading.local()

#: Generated timestamps fall in the year before this instant (2026-10-28T00:00:00Z), so that the
#: same seed gives the same bytes on any day. Override ``created`` to pin another time.
ANCHOR = 1793145600
SPAN = 365 * 24 * 3600

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def random_seed() -> int:
    """A fresh seed for callers who did not pass one; recorded on the event to reproduce it."""
    return random.SystemRandom().randrange(2**32)


def faker_for(seed: int) -> Faker:
    """This thread's Faker instance, re-seeded with ``seed``."""
    fk: Faker | None = getattr(_local, "faker", None)
    if fk is None:
        # Import budget: Faker (~100 ms) loads with the first generated event.
        from faker import Faker

        fk = Faker("en_US")
        _local.faker = fk
    fk.seed_instance(seed)
    return fk


def derive_seed(*parts: object) -> int:
    """A stable 32-bit seed from any strings/ints (for per-test and per-event seeds)."""
    # A huge int (over 4,300 digits) has no str(); its hex form has no limit.
    text = "\x1f".join(
        hex(p) if isinstance(p, int) and p.bit_length() > 14_000 else str(p) for p in parts
    ).encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:4], "big")
