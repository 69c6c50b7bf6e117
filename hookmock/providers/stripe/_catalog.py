"""The Stripe catalog: which event types exist and what state each implies (``fixtures/stripe``)."""

from __future__ import annotations

import functools
import json

from hookmock.authoring import data_dir

from ._generated import snapshot_catalog, thin_catalog

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


@functools.cache
def entries() -> dict[str, dict[str, Any]]:
    """Every type the provider serves: the compiled snapshot and thin catalogs, with the hand
    catalog's entry (``hand: True``, its traits) where a hand-written factory builds the type.

    Each entry has ``description``, ``area`` (Connect, Billing ...: the compiled catalog's
    grouping) and ``kind`` (``snapshot`` or ``thin``).
    """
    hand = catalog()
    found: dict[str, dict[str, Any]] = {}
    for name, compiled in snapshot_catalog()["types"].items():
        entry: dict[str, Any] = {
            "description": compiled.get("description") or f"Stripe {name} event.",
            "area": compiled.get("area") or name.partition(".")[0],
            "kind": "snapshot",
        }
        mine = hand.get(name)
        if mine is not None:
            entry.update(mine)
            entry["hand"] = True
        found[name] = entry
    for name, mine in hand.items():  # a hand type the pinned SDK no longer lists
        found.setdefault(name, {**mine, "area": name.partition(".")[0], "kind": "snapshot"})
        found[name]["hand"] = True
    for name, compiled in thin_catalog()["types"].items():
        twin = compiled.get("snapshot_type")
        text = compiled.get("description") or (
            found[twin]["description"] if twin in found else f"Stripe {name} thin event."
        )
        found[name] = {
            "description": f"Thin event: {text}",
            "area": compiled.get("area") or name.split(".")[1],
            "kind": "thin",
        }
    return found
