"""The Teller: what a story's function uses to emit events that share objects, ids and a clock.

Each event is built by the provider's own ``event()`` (so a story works for any type the provider
can build), then linked: an id the factory drew for an object the story already has (the
customer, the subscription, the repository) is renamed to the story's everywhere in the payload,
URLs included. The renames are kept as overrides on the event, so ``event.replace()`` rebuilds the
same linked event.
"""

from __future__ import annotations

import functools
import json
import random
import re

from .._errors import ConfigurationError, HookmockError, OverrideError, SchemaError
from .._event import Event
from .._overrides import normalize
from .._render import Setting
from .._seeding import ANCHOR, BASE62, SPAN, derive_seed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

    from .._provider import Provider

#: An id drawn by a factory is renamed in a longer text (a URL) only when it is this long (and not
#: a plain word), so a short value (a login, a number) never rewrites prose or keys holding it.
_MIN_TOKEN = 8


class Teller:
    """Hands a story's function its parameters, seeded generators, clock and ``emit()``.

    ``now`` is the story's clock (unix seconds); :meth:`wait` moves it forward. Every event is
    stamped with ``now`` when it is emitted.
    """

    def __init__(
        self,
        provider: Provider,
        story: str,
        *,
        seed: int,
        params: Mapping[str, Any],
        overrides: Mapping[str, Mapping[str, Any]],
        objects: Mapping[str, tuple[str, ...]],
    ) -> None:
        self.provider = provider
        self.story = story
        self.seed = seed
        self.params: dict[str, Any] = dict(params)
        self.rng = random.Random(derive_seed("story", provider.name, story, seed))
        #: The story starts somewhere in the year before hookmock's anchor, like single events.
        self.now: int = ANCHOR - SPAN - self.rng.randrange(SPAN)
        self.events: list[Event] = []
        self._overrides = {k: dict(v) for k, v in overrides.items()}
        self._objects = objects
        #: (event index, "obj__field", path) for every place an overridden value was put.
        self._placed: list[tuple[int, str, str]] = []

    # -- generators ------------------------------------------------------------------------------
    def wait(self, low: int, high: int | None = None) -> int:
        """Move the clock forward by ``low`` to ``high`` seconds (seeded); return the new time."""
        self.now += low if high is None else self.rng.randint(low, high)
        return self.now

    def token(self, prefix: str = "", n: int = 24) -> str:
        """``prefix`` and ``n`` base62 characters: a new object id."""
        return prefix + "".join(self.rng.choices(BASE62, k=n))

    def hexdigits(self, n: int = 40) -> str:
        return f"{self.rng.getrandbits(4 * n):0{n}x}"

    def int_id(self, low: int = 1_000_000, high: int = 3_000_000_000) -> int:
        return self.rng.randrange(low, high)

    def declares(self, name: str) -> bool:
        """Whether the story shares an object ``name`` that users may override."""
        return name in self._objects

    def obj(self, name: str, /, **fields: Any) -> dict[str, Any]:
        """A shared object's values: ``fields`` with the user's overrides of ``name`` on top."""
        if name not in self._objects:  # pragma: no cover - a story definition's own mistake
            raise ConfigurationError(
                f"story {self.story!r} uses object {name!r} it does not declare in objects="
            )
        got = dict(fields)
        got.update(self._overrides.get(name, {}))
        return got

    # -- events ----------------------------------------------------------------------------------
    def emit(
        self,
        type: str,
        /,
        *,
        set: Mapping[str, Any] | None = None,
        prefixed: Mapping[str, str] | None = None,
        same_as: Mapping[str, Any] | None = None,
        edit: Callable[[str, Event], str] | None = None,
        traits: str | Iterable[str] = (),
        at: int | None = None,
        cast: Any = None,
        carries: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> Event:
        """Build one event of ``type`` and add it to the story.

        ``set``: fields by dotted path (``"data.object.status": "past_due"``), given to the
        provider's factory as overrides (what it derives from them follows). ``edit``: the last
        change, which the factory never sees: a function given the linked event as compact JSON
        text and the event as built, returning the text to use (cheaper than overrides, for a
        whole block nothing derives from, or times moved to the story's clock).

        ``prefixed``: ids by prefix (``{"sub_": sub_id}``): every id of that shape the factory
        drew is renamed to the story's, wherever it occurs (an event names one object of each
        linked kind). ``same_as``: the value at a dotted path is renamed to the story's wherever
        it occurs (``{"repository.id": repo_id}``; ``"a.b|c.d"`` takes the first of these fields
        the event has, and none is fine). ``at`` stamps the event (default: the story's clock).
        ``cast``: what the story shares with this event, for the provider's factories
        (``BuildContext.cast``), so that they build it already linked (fewer renames).
        ``carries``: the values ``edit`` puts in, by dotted path, so that a user override among
        them is checked in this event as if given in ``set``.
        """
        index = len(self.events)
        when = self.now if at is None else at
        paths = {p.replace(".", "__"): v for p, v in (set or {}).items()}
        # Renamed ids and edited-in values count as carried too ("~" + where), checked by schema
        # rather than by path.
        renames = {
            "~" + k: v
            for k, v in {**(prefixed or {}), **(same_as or {}), **(carries or {})}.items()
        }
        carried = self._carried({**paths, **renames})
        for name, path in carried:
            self._placed.append((index, name, path))
        seed = derive_seed(self.seed, "event", index, type)
        try:
            tree = normalize(None, paths)
            event = self.provider.event(
                type, seed=seed, traits=traits, _tree=tree, _cast=cast, **options
            )
            event = self._link(event, prefixed or {}, same_as or {}, edit, when)
        except HookmockError as exc:
            raise self._broken(index, type, carried, exc) from None
        self.events.append(event)
        return event

    def _carried(self, paths: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Which user overrides these field values carry, as ("customer__email", path)."""
        out = []
        for obj, fields in self._overrides.items():
            for field, value in fields.items():
                for path, v in paths.items():
                    if v == value and type(v) is type(value):
                        out.append((f"{obj}__{field}", path))
        return out

    def _broken(
        self, index: int, type: str, carried: list[tuple[str, str]], exc: HookmockError
    ) -> HookmockError:
        if not carried:
            return exc
        cls = SchemaError if isinstance(exc, SchemaError) else OverrideError
        return cls(**self._breaks(sorted({n for n, _ in carried}), index, type, _text(exc)))

    def _breaks(self, names: list[str], index: int, type: str, text: str) -> dict[str, Any]:
        """The fields of "the override customer__email=12345 breaks event 0 (...): ..."."""
        settings = [self._setting(n) for n in names]
        return {
            "template": "Story {story!r}: the override {settings} breaks event {index} ({type}):"
            " {text}",
            "story": self.story,
            "path": settings[0].path,
            "settings": settings,
            "index": index,
            "type": type,
            "text": text,
        }

    def _setting(self, name: str) -> Setting:
        obj, _, field = name.partition("__")
        return Setting((obj, field), self._overrides[obj][field])

    def _value(self, name: str) -> Any:
        obj, _, field = name.partition("__")
        return self._overrides[obj][field]

    def _link(
        self,
        event: Event,
        prefixed: Mapping[str, str],
        same_as: Mapping[str, Any],
        edit: Callable[[str, Event], str] | None,
        when: int,
    ) -> Event:
        payload = event.payload
        pairs: list[tuple[Any, Any]] = []
        if prefixed:
            for old, prefix in _prefixed(payload, tuple(prefixed)):
                if old != prefixed[prefix]:
                    pairs.append((old, prefixed[prefix]))
        for paths, value in same_as.items():
            # "a.b|c.d": the first of these fields the event has (none: nothing to rename).
            found = (_at(payload, path.split(".")) for path in paths.split("|"))
            old = next((v for v in found if v is not _MISSING), _MISSING)
            if old is not _MISSING and old is not None and old != value:
                pairs.append((old, value))
        if not pairs and edit is None and event.created == when:
            return event
        meta = dict(event.meta)
        meta["created"] = when
        spec = dict(event._spec)
        body = event.body
        if pairs or edit is not None:
            layout = _layout(self.provider, event)
            # Renaming in the body's own text gives the linked body as the provider writes it,
            # without serialising again: always for compact JSON; for JSON laid out otherwise
            # (an indented body, say), when only ASCII strings are renamed (so escaping
            # cannot differ) and no edit expects compact text.
            in_place = layout == "compact" or (
                layout == "json" and edit is None and all(map(_ascii_strings, pairs))
            )
            if in_place:
                built = body.decode()
                text = _renamed(built, pairs, ascii=False, spaced=layout == "json")
            else:
                built = json.dumps(payload, separators=(",", ":"))
                text = _renamed(built, pairs, ascii=True)
            if edit is not None:
                text = edit(text, event)
            if text != built:  # a factory given the story's cast may build it linked already
                payload = json.loads(text)
                body = text.encode() if in_place else self.provider.serialize(payload, meta)
            # The linked payload becomes the event's overrides (the story's own ones, with their
            # new()/replace() marks, on top), so event.replace() builds this same event again.
            spec["overrides_tree"] = _overlay(payload, spec.get("overrides_tree") or {})
        return Event(
            provider=event.provider,
            type=event.type,
            id=event.id,
            payload=payload,
            body=body,
            seed=event.seed,
            created=when,
            meta=meta,
            spec=spec,
        )

    def check(self, events: list[Event]) -> None:
        """Every overridden value is still where the story put it, and the events carrying one
        still pass the provider's schemas: else say which override breaks which event."""
        if not self._placed:
            return
        # Import budget: validation (jsonschema) loads only when a user overrides a story.
        from .._validation import validate

        used = {name for _, name, _ in self._placed}
        for obj, fields in self._overrides.items():
            for field in fields:
                if f"{obj}__{field}" not in used:
                    raise OverrideError(
                        template="Story {story!r}: the override {setting} has no effect: no event"
                        " of the story carries it.",
                        story=self.story,
                        path=(obj, field),
                        setting=self._setting(f"{obj}__{field}"),
                    )
        seen: set[int] = set()
        for index, name, path in self._placed:
            event = events[index]
            want = self._value(name)
            got = want if path.startswith("~") else _at(event.payload, path.split("__"))
            if got != want:
                setting = self._setting(name)
                raise OverrideError(
                    template="Story {story!r}: the override {setting} cannot hold in event"
                    " {index} ({type}): its {where} is {got!r} there.",
                    story=self.story,
                    path=setting.path,
                    setting=setting,
                    index=index,
                    type=event.type,
                    where=".".join(path.split("__")),  # a place in the payload: dotted everywhere
                    got=got,
                )
            if index in seen:
                continue
            seen.add(index)
            try:
                validate(event.payload, provider=event.provider, type=event.type)
            except SchemaError as exc:
                names = sorted({n for i, n, _ in self._placed if i == index})
                raise SchemaError(**self._breaks(names, index, event.type, _text(exc))) from None


def _text(exc: BaseException) -> str:
    return str(exc.args[0]) if exc.args else str(exc)


_MISSING: Any = object()


def _at(tree: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(tree, dict):
            if part not in tree:
                return _MISSING
            tree = tree[part]
        elif isinstance(tree, list):
            try:
                tree = tree[int(part)]
            except (ValueError, IndexError):
                return _MISSING
        else:
            return _MISSING
    return tree


@functools.lru_cache(maxsize=64)
def _id_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    # Longest prefix first: "cs_test_" before a shorter one it starts with.
    alternatives = "|".join(map(re.escape, sorted(prefixes, key=len, reverse=True)))
    return re.compile(f"({alternatives})[A-Za-z0-9]{{14,}}\\Z")


def _prefixed(tree: Any, prefixes: tuple[str, ...]) -> list[tuple[str, str]]:
    """Every (id, prefix) of these prefixes in the payload, in one walk."""
    match = _id_pattern(prefixes).match
    found: dict[str, str] = {}
    stack = [tree]
    push = stack.extend
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is str:
            m = match(node)
            if m is not None:
                found[node] = m.group(1)
        elif kind is dict:
            push(node.values())
        elif kind is list:
            push(node)
    return list(found.items())


#: Per (provider class, content type): how its body writes the payload. "compact":
#: ``json.dumps(payload, ensure_ascii=False, separators=(",", ":"))``; "json": the payload's JSON
#: laid out otherwise (indented); "other": anything else (a form-encoded body).
_LAYOUT: dict[tuple[type, object], str] = {}


def _layout(provider: Provider, event: Event) -> str:
    key = (type(provider), event.meta.get("content_type"))
    known = _LAYOUT.get(key)
    if known is None:
        text = json.dumps(event.payload, ensure_ascii=False, separators=(",", ":"))
        if event.body == text.encode():
            known = "compact"
        else:
            try:
                known = "json" if json.loads(event.body) == event.payload else "other"
            except ValueError:  # not JSON (nor UTF-8) at all
                known = "other"
        _LAYOUT[key] = known
    return known


def _ascii_strings(pair: tuple[Any, Any]) -> bool:
    old, new = pair
    return type(old) is str and type(new) is str and old.isascii() and new.isascii()


def _renamed(text: str, pairs: list[tuple[Any, Any]], *, ascii: bool, spaced: bool = False) -> str:
    """Compact JSON ``text`` with every old value renamed: a long string token (an id, a URL)
    wherever it occurs, inside longer strings too; a short string or an int where it is a whole
    value. Working on the text keeps linking as fast as the JSON codec. ``spaced``: the text is
    indented JSON, and only strings are renamed."""

    def dump(value: Any) -> str:
        if type(value) is int:
            return str(value)
        if (
            type(value) is str
            and value.isascii()
            and value.isprintable()
            and '"' not in value
            and "\\" not in value
        ):
            return f'"{value}"'  # what json.dumps gives, without its cost
        return json.dumps(value, ensure_ascii=ascii)

    # Longest first, so a URL is renamed whole before a shorter id inside it.
    for old, new in sorted(pairs, key=lambda pair: -len(str(pair[0]))):
        if type(old) is str and type(new) is str and _is_token(old):
            text = text.replace(dump(old)[1:-1], dump(new)[1:-1])
        elif type(old) is str or type(old) is int:
            text = _replace_value(text, dump(old), dump(new), spaced=spaced)
    return text


def _is_token(text: str) -> bool:
    """Whether ``text`` is renamed inside longer strings too: long, and not a plain lower-case
    word, which JSON keys (``organizations_url``) and prose are made of. Ids and URLs qualify."""
    return len(text) >= _MIN_TOKEN and _WORDLIKE.fullmatch(text) is None


_WORDLIKE = re.compile("[a-z_ ]+")


def _replace_value(text: str, old: str, new: str, *, spaced: bool = False) -> str:
    """``old`` replaced where it is a whole JSON value in compact JSON: after a colon, a bracket
    or a comma and before a comma or a closing bracket (a key is followed by a colon instead).
    ``spaced``: indented JSON, where spaces or a line break come between them (only for a
    quoted ``old``: a number could match inside prose)."""
    parts: list[str] = []
    start, size, end = 0, len(old), len(text)
    before, close = (":[,\n", ",]}\n") if spaced else (":[,", ",]}")
    at = text.find(old)
    while at != -1:
        after = at + size
        lead = at - 1
        if spaced:
            while lead >= 0 and text[lead] == " ":
                lead -= 1
        if lead >= 0 and text[lead] in before and after < end and text[after] in close:
            parts += (text[start:at], new)
            start = after
        at = text.find(old, after)
    if not parts:
        return text
    parts.append(text[start:])
    return "".join(parts)


def _overlay(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """``top`` deep-merged over ``base``, its leaves (and new()/replace() marks) winning; new
    dicts along ``top``'s paths only, so ``base`` is shared, never changed."""
    out = dict(base)
    for key, value in top.items():
        below = out.get(key)
        if isinstance(value, dict) and isinstance(below, dict):
            out[key] = _overlay(below, value)
        else:
            out[key] = value
    return out
