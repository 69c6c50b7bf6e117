"""The seeds catalog-wide SDK checks run over, the same for every provider.

Three fixed seeds per type in the normal run. ``HOOKMOCK_CATALOG_SEEDS=N`` adds N more, starting
at ``HOOKMOCK_CATALOG_SEED_BASE`` (default: a number that changes every day, shown in any
failure's test id), so a nightly run meets new data and a failure reruns with the same seed.
"""

from __future__ import annotations

import datetime
import os


def catalog_seeds() -> list[int]:
    extra = int(os.environ.get("HOOKMOCK_CATALOG_SEEDS", "0"))
    default_base = datetime.date.today().toordinal() * 1000
    base = int(os.environ.get("HOOKMOCK_CATALOG_SEED_BASE", default_base))
    return [0, 1, 2, *range(base, base + extra)]
