"""The GitHub catalog: every event/action pair GitHub's description has, and the hand data.

Two files in ``fixtures/github/``:

- ``webhooks.json``, compiled by ``tools/refresh.py`` from ``@octokit/openapi-webhooks``: every
  pair of api.github.com's description, plus the GHES-only pairs of the newest GHES description
  (``"plan": "ghes"``). Never edited by hand.
- ``catalog.json``, written by hand: the types whose payloads hand-written factories build
  (``_events.py``), with their short descriptions, traits, default traits and state.

A type of the first without an entry in the second is made by ``hookmock.generator`` from its
schema and ``pools.yaml``/``rules.yaml`` (whose ``traits:`` name its traits).
"""

from __future__ import annotations

import functools
import json

from hookmock.authoring import data_dir

#: Where the catalog lives: ``GitHubProvider``'s ``data_package`` and ``name`` (the class is
#: built on this module, so the catalog cannot ask it).
DATA_PACKAGE = ""
NAME = "github"
HAND_CATALOG = "catalog.json"
COMPILED_CATALOG = "webhooks.json"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _read(name: str) -> dict[str, Any]:
    with (data_dir(DATA_PACKAGE, "fixtures", NAME) / name).open("rb") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@functools.cache
def catalog() -> dict[str, Any]:
    """``fixtures/github/catalog.json`` (the hand-built types), read once."""
    return _read(HAND_CATALOG)


@functools.cache
def compiled() -> dict[str, Any]:
    """``fixtures/github/webhooks.json`` (compiled from GitHub's description), read once."""
    return _read(COMPILED_CATALOG)


@functools.cache
def entries() -> dict[str, dict[str, Any]]:
    """One flat entry per type (``pull_request.opened``, ``push``), with its event and action.

    ``builder`` names the hand factory, or is None for a type the generator makes.
    """
    out: dict[str, dict[str, Any]] = {}
    common = catalog().get("common_traits", [])
    for event, spec in catalog()["events"].items():
        actions = spec.get("actions")
        if actions is None:
            out[event] = _entry(event, None, spec, {}, common)
            continue
        for action, aspec in actions.items():
            out[f"{event}.{action}"] = _entry(event, action, spec, aspec, common)
    for name, spec in compiled()["types"].items():
        entry = out.get(name)
        if entry is None:
            entry = out[name] = _generated_entry(spec)
        entry["plan"] = spec.get("plan", "github.com")
        if entry["plan"] == "ghes":
            entry["description"] += " (GitHub Enterprise Server only.)"
        entry["docs"] = compiled()["events"][spec["event"]].get("docs")
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
        "exclusive": [
            *spec.get("exclusive", []),
            *aspec.get("exclusive", []),
            *catalog().get("common_exclusive", []),
        ],
        "state": dict(aspec.get("state", {})),
    }


def _generated_entry(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "event": spec["event"],
        "action": spec["action"],
        "builder": None,
        "description": _first_sentence(str(spec.get("description", ""))),
        # Traits of generated types come from rules.yaml, read when asked (it needs yaml).
        "traits": [],
        "default_traits": [],
        "blocks": [],
        "exclusive": [],
        "state": {},
    }


def _first_sentence(text: str) -> str:
    """The description's first sentence, without its Markdown links."""
    head = " ".join(text.split()).split(". ", 1)[0].rstrip(".").strip()
    while "](" in head:
        start = head.rfind("[", 0, head.index("]("))
        end = head.find(")", head.index("]("))
        if start < 0 or end < 0:
            break
        head = head[:start] + head[start + 1 : head.index("](")] + head[end + 1 :]
    return head + "." if head else ""


@functools.cache
def events_with_actions() -> frozenset[str]:
    return frozenset(e["event"] for e in entries().values() if e["action"] is not None)


@functools.cache
def event_names() -> list[str]:
    return sorted({e["event"] for e in entries().values()})


def is_ghes_only(type: str) -> bool:
    """Whether only GitHub Enterprise Server sends ``type`` (api.github.com's description lacks it)."""
    return entries()[type].get("plan") == "ghes"
