"""The event mix of a load run: which event types are sent, in what proportion.

A mix is a list of entries, each one ``type:`` or ``story:`` with a relative ``weight`` and
optional ``traits`` and ``overrides`` (a story takes ``params`` and shared-object ``overrides``
instead: its events go out one after another, in the provider's order, as one entry);
``{type: weight}`` is the short form, ``{"story:NAME": weight}`` a story's. It comes from a YAML/JSON file, an inline ``"invoice.paid=3,charge.refunded=1"``, or
Python data, and is checked against the provider's catalog before any traffic is sent.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from importlib.resources import files
from pathlib import Path

import yaml

from .._errors import ConfigurationError, HookmockError, did_you_mean
from .._stories import stories, story

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from .._provider import Provider

#: Keys an entry may have (``params`` for a story only, ``traits`` for a type only).
ENTRY_KEYS = ("type", "story", "weight", "traits", "overrides", "params")
#: The short form's key for a story: ``{"story:checkout_subscription": 2}``.
STORY_PREFIX = "story:"


class MixError(ConfigurationError):
    """A mix that cannot be sent: an unknown type, a bad weight, an unreadable file."""


@dataclasses.dataclass(frozen=True)
class MixEntry:
    """One kind of event in the mix: a catalog type with a weight, traits and field overrides;
    or a story (``story``, its ``params`` and shared-object ``overrides``), whose events are
    sent one after another; ``type`` is then the event type of one of them (see :meth:`of`)."""

    type: str
    weight: float = 1.0
    traits: tuple[str, ...] = ()
    overrides: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    story: str = ""
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def label(self) -> str:
        """How the entry is named in Locust's statistics and the log: the type and its traits;
        a story's events as ``story:NAME/TYPE`` (the story itself as ``story:NAME``)."""
        if self.story:
            return f"{STORY_PREFIX}{self.story}" + (f"/{self.type}" if self.type else "")
        return self.type + "".join(f"+{t}" for t in self.traits)

    def of(self, type: str) -> MixEntry:
        """This story entry, for one of its events (so each type keeps its own statistics)."""
        return dataclasses.replace(self, type=type)


@dataclasses.dataclass(frozen=True)
class Mix:
    """The entries of a mix, with their weights; :meth:`shares` gives each one's proportion."""

    provider: str
    entries: tuple[MixEntry, ...]
    source: str = "<mix>"

    def shares(self) -> dict[str, float]:
        total = sum(e.weight for e in self.entries)
        return {e.label: e.weight / total for e in self.entries}


def default_mix(provider: Provider) -> Mix:
    """hookmock's mix for ``provider`` (``mixes/<name>.yaml``), else every type at equal weight."""
    data = files(__package__) / "mixes" / f"{provider.name}.yaml"
    if data.is_file():
        return parse_mix(
            _parse_text(data.read_text(encoding="utf-8"), "default mix"),
            provider,
            f"hookmock's {provider.name} mix",
        )
    return Mix(provider.name, tuple(MixEntry(t) for t in provider.types()), "every type")


def load_mix(source: object, provider: Provider) -> Mix:
    """A mix from a file path, an inline ``"type=weight,..."`` string, or Python data.

    None gives hookmock's default mix for the provider.
    """
    if source is None:
        return default_mix(provider)
    if isinstance(source, Path) or (isinstance(source, str) and _looks_like_path(source)):
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise MixError(
                f"mix file {str(path)!r} does not exist; pass a YAML file of type: weight lines,"
                " or an inline mix such as 'invoice.paid=3,charge.refunded=1'."
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise MixError(f"cannot read mix file {str(path)!r}: {exc}") from None
        return parse_mix(_parse_text(text, str(path)), provider, str(path))
    if isinstance(source, str):
        return parse_mix(_parse_inline(source), provider, "--mix")
    return parse_mix(source, provider, "mix")


def _looks_like_path(text: str) -> bool:
    return "=" not in text or text.endswith((".yaml", ".yml", ".json")) or Path(text).is_file()


def _parse_text(text: str, where: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise MixError(f"{where}{at}: not valid YAML ({problem}).") from None


def _parse_inline(text: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in text.split(","):
        name, sep, weight = part.strip().partition("=")
        if not sep or not name.strip():
            raise MixError(
                f"--mix {text!r}: write TYPE=WEIGHT pairs separated by commas, for example"
                " 'invoice.paid=3,charge.refunded=1', or pass a YAML file."
            )
        try:
            out[name.strip()] = float(weight)
        except ValueError:
            raise MixError(
                f"--mix {text!r}: the weight of {name.strip()!r} is {weight!r}, not a number."
            ) from None
    return out


def parse_mix(data: object, provider: Provider, where: str = "mix") -> Mix:
    """Check ``data`` (a ``{type: weight}`` dict or a list of entries) against the catalog."""
    if isinstance(data, dict) and "mix" in data and len(data) == 1:
        data = data["mix"]
    if isinstance(data, dict):
        items: list[Any] = [
            {"story": k[len(STORY_PREFIX) :], "weight": v}
            if isinstance(k, str) and k.startswith(STORY_PREFIX)
            else {"type": k, "weight": v}
            for k, v in data.items()
        ]
    elif isinstance(data, (list, tuple)):
        items = list(data)
    else:
        raise MixError(
            f"{where}: a mix is a mapping of event type to weight, or a list of entries like"
            f" {{type: invoice.paid, weight: 3}}; got {type(data).__name__}."
        )
    if not items:
        raise MixError(f"{where}: the mix is empty; name at least one event type.")
    entries = tuple(_entry(item, i, provider, where) for i, item in enumerate(items, 1))
    if not any(e.weight > 0 for e in entries):
        raise MixError(f"{where}: every weight is 0; give at least one entry a weight above 0.")
    return Mix(provider.name, tuple(e for e in entries if e.weight > 0), where)


def _entry(item: object, n: int, provider: Provider, where: str) -> MixEntry:
    at = f"{where}: entry {n}"
    if isinstance(item, str):
        item = {"type": item}
    if not isinstance(item, dict):
        raise MixError(f"{at}: expected {{type: ..., weight: ...}}, got {item!r:.60}.")
    unknown = [k for k in item if k not in ENTRY_KEYS]
    if unknown:
        close = did_you_mean(str(unknown[0]), ENTRY_KEYS)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise MixError(
            f"{at}: unknown key {unknown[0]!r}.{hint} An entry takes {', '.join(ENTRY_KEYS)}."
        )
    if "story" in item:
        return _story_entry(item, at, provider, where)
    if "params" in item:
        raise MixError(f"{at}: params belong to a story: entry; a type: entry takes overrides.")
    kind = item.get("type")
    if not isinstance(kind, str):
        raise MixError(f"{at}: needs a type, e.g. {{type: {provider.types()[0]}, weight: 1}}.")
    if kind not in provider.entries():
        close = did_you_mean(kind, provider.types())
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise MixError(
            f"{where}: unknown {provider.name} event type {kind!r}.{hint}"
            f" Run `hookmock list {provider.name}` to see them all."
        )
    weight = _weight(item, f"{at} ({kind})")
    traits = item.get("traits", ())
    if isinstance(traits, str):
        traits = (traits,)
    if not isinstance(traits, (list, tuple)) or not all(isinstance(t, str) for t in traits):
        raise MixError(f"{at} ({kind}): traits is a list of names, e.g. [merged].")
    overrides = item.get("overrides") or {}
    if not isinstance(overrides, dict):
        raise MixError(f"{at} ({kind}): overrides is a mapping of field paths to values.")
    entry = MixEntry(kind, weight, tuple(traits), overrides)
    try:
        # Build one event now, so a bad trait or override fails here, not in the middle of a run.
        provider.event(kind, seed=0, traits=entry.traits, overrides=_copy(overrides))
    except (HookmockError, TypeError, ValueError) as exc:
        raise MixError(f"{at} ({kind}): {exc}") from None
    return entry


def _weight(item: dict[str, Any], where: str) -> float:
    """An entry's ``weight`` (1 when left out): a finite number from 0 up."""
    weight = item.get("weight", 1)
    if (
        isinstance(weight, bool)
        or not isinstance(weight, (int, float))
        or not math.isfinite(weight)
        or weight < 0
    ):
        raise MixError(f"{where}: weight must be a number from 0 up, got {weight!r}.")
    return float(weight)


def _story_entry(item: dict[str, Any], at: str, provider: Provider, where: str) -> MixEntry:
    """A ``story:`` entry, checked by telling the story once (name, params, overrides)."""
    name = item["story"]
    if "type" in item or "traits" in item:
        key = "type" if "type" in item else "traits"
        raise MixError(f"{at}: a story: entry takes no {key} (the story sends its own events).")
    known = stories(provider.name)
    if not isinstance(name, str) or name not in known:
        close = did_you_mean(str(name), list(known))
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise MixError(
            f"{where}: {provider.title or provider.name} has no story {name!r}.{hint} Its"
            f" stories: {', '.join(known) or '(none)'}."
        )
    weight = _weight(item, f"{at} (story {name})")
    params = item.get("params") or {}
    overrides = item.get("overrides") or {}
    if not isinstance(params, dict) or not isinstance(overrides, dict):
        raise MixError(f"{at} (story {name}): params and overrides are mappings.")
    entry = MixEntry("", weight, (), overrides, story=name, params=params)
    try:
        tell(entry, provider, 0)  # a bad parameter or override fails here, not mid-run
    except HookmockError as exc:
        raise MixError(f"{at} (story {name}): {exc}") from None
    return entry


def tell(entry: MixEntry, provider: Provider, seed: int) -> Any:
    """The story a ``story:`` entry names, told with this seed (a :class:`hookmock.Story`)."""
    kwargs = dict(_copy(dict(entry.params)))
    if entry.overrides:
        kwargs["overrides"] = _copy(dict(entry.overrides))
    return story(provider.name, entry.story, seed=seed, **kwargs)


def _copy(value: Any) -> Any:
    return copy.deepcopy(value)
