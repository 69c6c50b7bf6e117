"""Load testing on Locust: provider-realistic webhook traffic, from one machine to many.

``hookmock load URL ...`` runs Locust with :data:`LOCUSTFILE`; in your own locustfile, subclass
:class:`WebhookUser`. Importing this package does not import Locust (which monkey-patches the
process with gevent); only touching ``WebhookUser`` does, so do that in a locustfile only.
"""

from __future__ import annotations

from pathlib import Path

from ._log import LogComparison, compare_log, read_log
from ._mix import Mix, MixEntry, MixError, load_mix
from ._summary import Threshold, ThresholdError, parse_threshold
from ._traffic import Delivery, Pool, Traffic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._locust import WebhookUser

#: The locustfile ``hookmock load`` runs (``locust -f`` takes it too).
LOCUSTFILE = str(Path(__file__).with_name("locustfile.py"))

__all__ = [
    "LOCUSTFILE",
    "Delivery",
    "LogComparison",
    "Mix",
    "MixEntry",
    "MixError",
    "Pool",
    "Threshold",
    "ThresholdError",
    "Traffic",
    "WebhookUser",
    "compare_log",
    "load_mix",
    "parse_threshold",
    "read_log",
]


def __getattr__(name: str) -> Any:
    if name == "WebhookUser":
        # Imports Locust, and with it gevent's monkey-patching: in a locustfile only.
        from ._locust import WebhookUser

        return WebhookUser
    raise AttributeError(f"module 'hookmock.load' has no attribute {name!r}")
