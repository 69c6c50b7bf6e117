"""``hookmock.story()``: a provider's story told with a seed, parameters and overrides."""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

from .._errors import ArgumentTypeError, ConfigurationError, OverrideError, Path, did_you_mean
from .._event import Event
from .._registry import get_provider
from .._seeding import random_seed
from ._tell import Teller

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from typing import Any

    from .._provider import Provider
    from ._define import StoryDef


class Story(Sequence[Event]):
    """The events one real action produces, in causal order, sharing their objects and clock.

    Iterate it, index it, or hand it to ``receiver.send_story(story, order=...)``.
    ``params`` are the story's parameters (defaults filled in), ``overrides`` the shared-object
    overrides it was told with (``{"customer": {"email": ...}}``).
    """

    __slots__ = ("events", "name", "overrides", "params", "provider", "seed")

    def __init__(
        self,
        *,
        provider: str,
        name: str,
        seed: int,
        params: Mapping[str, Any],
        overrides: Mapping[str, Mapping[str, Any]],
        events: Sequence[Event],
    ) -> None:
        self.provider = provider
        self.name = name
        self.seed = seed
        self.params: dict[str, Any] = dict(params)
        self.overrides: dict[str, dict[str, Any]] = {k: dict(v) for k, v in overrides.items()}
        self.events: tuple[Event, ...] = tuple(events)

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Event]: ...
    def __getitem__(self, index: int | slice) -> Event | Sequence[Event]:
        return self.events[index]

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def types(self) -> list[str]:
        """The event types in story order (a type may repeat: ``invoice.payment_failed`` three times)."""
        return [e.type for e in self.events]

    def override(self, overrides: Mapping[str, Any] | None = None, /, **paths: Any) -> Story:
        """The same story (seed and parameters) told again with more shared-object overrides:
        ``story.override(customer__email="ops@example.com")``; the value flows into every event
        that carries the object."""
        merged = {k: dict(v) for k, v in self.overrides.items()}
        for obj, fields in _split_overrides(self.name, overrides, paths).items():
            merged.setdefault(obj, {}).update(fields)
        return tell(self.provider, self.name, seed=self.seed, params=self.params, overrides=merged)

    def describe(self) -> str:
        """One line per event: index, type, id and time."""
        start = self.events[0].created if self.events else 0
        return "\n".join(
            f"  [{i}] +{e.created - start:>7}s {e.type} {e.id}" for i, e in enumerate(self.events)
        )

    def __repr__(self) -> str:
        return (
            f"<hookmock.Story {self.provider} {self.name} seed={self.seed}"
            f" {len(self.events)} events>"
        )


def stories(provider: str) -> dict[str, str]:
    """The stories ``provider`` can tell: name -> one-line description, sorted by name."""
    defs = _definitions(get_provider(provider))
    return {name: defs[name].description for name in sorted(defs)}


def story(provider: str, name: str, *, seed: int | None = None, **params: Any) -> Story:
    """Tell one of ``provider``'s stories: ``hookmock.story(provider, "checkout_subscription",
    seed=7, amount=4900, customer__email="a@example.com")``.

    Keywords are the story's parameters (see :func:`stories` and the how-to) and overrides of
    its shared objects as ``object__field`` paths.
    """
    overrides = _split_overrides(name, params.pop("overrides", None), params, keep_plain=True)
    return tell(provider, name, seed=seed, params=params, overrides=overrides)


def tell(
    provider: str,
    name: str,
    *,
    seed: int | None,
    params: Mapping[str, Any],
    overrides: Mapping[str, Mapping[str, Any]],
) -> Story:
    prov = get_provider(provider)
    if not isinstance(name, str):
        raise ArgumentTypeError(f"a story name is a str, got {type(name).__name__}.")
    defs = _definitions(prov)
    definition = defs.get(name)
    if definition is None:
        close = did_you_mean(name, list(defs))
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ConfigurationError(
            f"{prov.title or prov.name} has no story {name!r}.{hint} Its stories:"
            f" {', '.join(sorted(defs)) or '(none)'}.",
            provider=prov.name,
            suggestions=close,
        )
    if seed is None:
        seed = random_seed()
    elif isinstance(seed, bool) or not isinstance(seed, int):
        raise ArgumentTypeError(f"seed must be an int, got {seed!r}.")
    values = _check_params(definition, params)
    _check_objects(definition, overrides)
    teller = Teller(
        prov, name, seed=seed, params=values, overrides=overrides, objects=definition.objects
    )
    definition.tell(teller)
    teller.check(teller.events)
    return Story(
        provider=prov.name,
        name=name,
        seed=seed,
        params=values,
        overrides=overrides,
        events=teller.events,
    )


def _definitions(prov: Provider) -> Mapping[str, StoryDef]:
    return prov.stories()


def _check_params(definition: StoryDef, params: Mapping[str, Any]) -> dict[str, Any]:
    values = {p.name: p.default for p in definition.params}
    for key, value in params.items():
        param = definition.param(key)
        if param is None:
            choices = [p.name for p in definition.params]
            close = did_you_mean(key, [*choices, *definition.objects])
            hint = f" Did you mean {close[0]!r}?" if close else ""
            examples = [Path((o, f)) for o, fs in definition.objects.items() for f in fs[:1]]
            raise ConfigurationError(
                template="Story {story!r} has no parameter {param!r}.{close} Its parameters:"
                " {params}; shared objects are overridden as {form} (for example {examples}).",
                story=definition.name,
                param=key,
                close=hint,
                params=", ".join(choices) or "(none)",
                form=Path(("object", "field")),
                examples=examples or "(none)",
                suggestions=close,
            )
        values[key] = param.check(definition.name, value)
    return values


def _check_objects(definition: StoryDef, overrides: Mapping[str, Mapping[str, Any]]) -> None:
    for obj, fields in overrides.items():
        known = definition.objects.get(obj)
        if known is None:
            close = did_you_mean(obj, list(definition.objects))
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise OverrideError(
                f"Story {definition.name!r} shares no object {obj!r}.{hint} Its objects:"
                f" {', '.join(sorted(definition.objects)) or '(none)'}.",
                path=(obj,),
                suggestions=close,
            )
        for field in fields:
            if field not in known:
                close = did_you_mean(field, list(known))
                raise OverrideError(
                    template="Story {story!r}: {path} is not a field the story shares."
                    + (" Did you mean {close}?" if close else "")
                    + " Fields of {obj}: {known}.",
                    story=definition.name,
                    path=(obj, field),
                    close=Path((obj, close[0])) if close else "",
                    obj=obj,
                    known=", ".join(known),
                    suggestions=[f"{obj}__{c}" for c in close],
                )


def _split_overrides(
    story: str,
    overrides: Mapping[str, Any] | None,
    paths: dict[str, Any],
    *,
    keep_plain: bool = False,
) -> dict[str, dict[str, Any]]:
    """Pull ``object__field`` keywords (and a nested ``overrides`` dict) out of ``paths``;
    plain keywords stay in ``paths`` (parameters) when ``keep_plain``."""
    out: dict[str, dict[str, Any]] = {}
    if overrides is not None:
        if not isinstance(overrides, dict):
            raise OverrideError(
                f"overrides= takes a dict such as {{'customer': {{'email': ...}}}}, got"
                f" {type(overrides).__name__}."
            )
        for obj, fields in overrides.items():
            if not isinstance(fields, dict):
                raise OverrideError(
                    template="Story {story!r}: override {path!r} must name a field of a shared"
                    " object, {form}=... (got {got!r}).",
                    story=story,
                    path=(str(obj),),
                    form=Path((str(obj), "<field>")),
                    got=fields,
                )
            out.setdefault(str(obj), {}).update(fields)
    for key in list(paths):
        if "__" not in key:
            if keep_plain:
                continue
            raise OverrideError(
                template="Story {story!r}: override {path!r} names no field; write {form}, for"
                " example {example}='a@example.com'.",
                story=story,
                path=(key,),
                form=Path(("object", "field")),
                example=Path(("customer", "email")),
            )
        obj, _, field = key.partition("__")
        if not obj or not field or "__" in field:
            raise OverrideError(
                template="Story {story!r}: override {path!r} must be {form} (one level), for"
                " example {example}='a@example.com'.",
                story=story,
                path=tuple(key.split("__")),
                form=Path(("object", "field")),
                example=Path(("customer", "email")),
            )
        out.setdefault(obj, {})[field] = paths.pop(key)
    return out
