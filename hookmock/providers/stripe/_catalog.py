"""The Stripe catalog: which event types exist and what state each implies (``fixtures/stripe``)."""

from __future__ import annotations

import functools
import json

from hookmock.authoring import data_dir

#: Where the catalog lives: ``StripeProvider``'s ``data_package`` and ``name`` (the class is
#: built on this module, so the catalog cannot ask it).
DATA_PACKAGE = ""
NAME = "stripe"

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
    with (data_dir(DATA_PACKAGE, "fixtures", NAME) / "catalog.json").open("rb") as fh:
        raw: dict[str, Any] = json.load(fh)
    entries: dict[str, dict[str, Any]] = raw["types"]
    return entries


@functools.cache
def type_names() -> list[str]:
    return sorted(catalog())


@functools.cache
def pools() -> dict[str, Any]:
    """Value pools the factories draw from (card brands, currencies, decline codes ...)."""
    with (data_dir(DATA_PACKAGE, "fixtures", NAME) / "catalog.json").open("rb") as fh:
        raw: dict[str, Any] = json.load(fh)
    found: dict[str, Any] = raw["pools"]
    return found
