"""The Stripe catalog: which event types exist and what state each implies (``fixtures/stripe``)."""

from __future__ import annotations

import functools

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@functools.cache
def catalog() -> dict[str, dict[str, Any]]:
    """Every catalog entry by type name, loaded once from ``fixtures/stripe/catalog.json``.

    An entry names the ``object`` kind the event carries, the ``state`` that object is in,
    whether an API ``request`` triggered it (``api``) or Stripe did on its own (``auto``), the
    ``previous`` attributes an update event reports, and the ``traits`` it accepts.
    """
    import json

    from ._provider import StripeProvider

    with (StripeProvider.data_dir("fixtures") / "catalog.json").open("rb") as fh:
        raw: dict[str, Any] = json.load(fh)
    entries: dict[str, dict[str, Any]] = raw["types"]
    return entries


@functools.cache
def type_names() -> list[str]:
    return sorted(catalog())


@functools.cache
def pools() -> dict[str, Any]:
    """Value pools the factories draw from (card brands, currencies, decline codes ...)."""
    import json

    from ._provider import StripeProvider

    with (StripeProvider.data_dir("fixtures") / "catalog.json").open("rb") as fh:
        raw: dict[str, Any] = json.load(fh)
    found: dict[str, Any] = raw["pools"]
    return found
