"""The GitHub catalog: which events and actions exist, their traits and blocks (fixtures data)."""

from __future__ import annotations

import functools
import json

from hookmock.authoring import data_dir

#: Where the catalog lives: ``GitHubProvider``'s ``data_package`` and ``name`` (the class is
#: built on this module, so the catalog cannot ask it).
DATA_PACKAGE = ""
NAME = "github"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@functools.cache
def catalog() -> dict[str, Any]:
    """``fixtures/github/catalog.json``, read once."""
    with (data_dir(DATA_PACKAGE, "fixtures", NAME) / "catalog.json").open("rb") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@functools.cache
def entries() -> dict[str, dict[str, Any]]:
    """One flat entry per type (``pull_request.opened``, ``push``), with its event and action."""
    out: dict[str, dict[str, Any]] = {}
    common = catalog().get("common_traits", [])
    for event, spec in catalog()["events"].items():
        actions = spec.get("actions")
        if actions is None:
            out[event] = _entry(event, None, spec, {}, common)
            continue
        for action, aspec in actions.items():
            out[f"{event}.{action}"] = _entry(event, action, spec, aspec, common)
    return dict(sorted(out.items()))


def _entry(
    event: str, action: str | None, spec: dict[str, Any], aspec: dict[str, Any], common: list[str]
) -> dict[str, Any]:
    traits = [*spec.get("traits", []), *aspec.get("traits", []), *common]
    return {
        "event": event,
        "action": action,
        "builder": spec.get("builder", event),
        "description": aspec.get("description") or spec.get("description", ""),
        "traits": sorted(dict.fromkeys(traits)),
        "default_traits": [*spec.get("default_traits", []), *aspec.get("default_traits", [])],
        "blocks": list(aspec.get("blocks", [])),
        # Groups of traits that contradict each other (merged/unmerged): at most one of each.
        "exclusive": [*spec.get("exclusive", []), *aspec.get("exclusive", [])],
        "state": dict(aspec.get("state", {})),
    }


@functools.cache
def events_with_actions() -> frozenset[str]:
    return frozenset(
        e for e, spec in catalog()["events"].items() if spec.get("actions") is not None
    )


@functools.cache
def event_names() -> list[str]:
    return sorted(catalog()["events"])
