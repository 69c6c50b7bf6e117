"""Contract deliveries that tell a story: ``story: NAME`` checked when loaded, sent with send_story.

A story delivery takes ``params:`` (the story's parameters), ``set:`` (shared-object overrides,
``customer.email: ...``), ``seed:``, ``order:`` (provider, given, shuffled, reversed, or a
permutation), ``duplicates:`` and ``drop:`` (indices or event types, or a count for duplicates),
``concurrency:``; every delivered event becomes a report row judged by the delivery's ``expect``.
"""

from __future__ import annotations

from .._errors import HookmockError, did_you_mean
from .._seeding import derive_seed
from .._stories import stories, story

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any, Protocol

    from .._provider import Provider
    from .._stories import Story
    from ..delivery import DeliveryResult, Receiver
    from ._model import Contract, Delivery

    class _Source(Protocol):
        def add(self, message: str, path: Sequence[str | int] = ...) -> None: ...


#: The orders a story delivery takes by name (or a permutation: a list of 0-based indices).
ORDERS = ("provider", "given", "shuffled", "reversed")


def check_story(
    src: _Source, provider: Provider, item: Mapping[str, Any], at: list[str | int]
) -> tuple[str, dict[str, Any]] | None:
    """Check a ``story:`` delivery the way it will run: the story exists, its parameters and
    overrides tell it, ``order``/``drop``/``duplicates`` fit its events. Every problem goes to
    ``src`` at its key; returns the story name and its keyword arguments, or None."""
    name = item["story"]
    title = provider.title or provider.name
    known = stories(provider.name)
    if name not in known:
        close = did_you_mean(name, list(known))
        hint = f" Did you mean {close[0]!r}?" if close else ""
        src.add(
            f"{title} has no story {name!r}.{hint} Its stories: {', '.join(known) or '(none)'}"
            f" (`hookmock generate --story NAME` prints one).",
            [*at, "story"],
        )
        return None
    params = item.get("params") or {}
    overrides = item.get("set") or {}
    if not isinstance(params, dict) or not isinstance(overrides, dict):
        return None  # the schema reported it
    kwargs: dict[str, Any] = {str(k): v for k, v in params.items()}
    kwargs.update({str(k).replace(".", "__"): v for k, v in overrides.items()})
    seed = item.get("seed")
    try:
        told = story(provider.name, name, seed=seed if isinstance(seed, int) else 0, **kwargs)
    except HookmockError as exc:
        # An error about an override carries its path; any other is about the parameters.
        key = "set" if overrides and exc.path else "params"
        src.add(f"{key}: {exc.render('yaml')}", [*at, key if key in item else "story"])
        return None
    _check_order(src, told, item.get("order", "provider"), [*at, "order"])
    for key in ("drop", "duplicates"):
        if key in item:
            _check_picks(src, told, key, item[key], [*at, key])
    return name, kwargs


def _check_order(src: _Source, told: Story, order: Any, path: list[str | int]) -> None:
    n = len(told)
    if isinstance(order, str):
        if order not in ORDERS:
            close = did_you_mean(order, ORDERS)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            src.add(
                f"order: {order!r} is not a story order.{hint} Give one of"
                f" {', '.join(ORDERS)}, or a permutation of 0..{n - 1}.",
                path,
            )
    elif isinstance(order, list) and sorted(order) != list(range(n)):
        src.add(
            f"order: {order} is not a permutation of the story's {n} events: each index 0 to"
            f" {n - 1} exactly once (the story: {_listing(told)}).",
            path,
        )


def _check_picks(src: _Source, told: Story, key: str, spec: Any, path: list[str | int]) -> None:
    n = len(told)
    if isinstance(spec, int) and not isinstance(spec, bool):
        if key == "drop" and spec >= n:
            src.add(f"drop: {spec} is not an index of the story's {n} events (0 to {n - 1}).", path)
        elif key == "duplicates" and spec > n:
            src.add(f"duplicates: {spec} is more than the story's {n} events.", path)
        return
    picks = spec if isinstance(spec, list) else [spec]
    types = told.types()
    for n_pick, pick in enumerate(picks):
        where = [*path, n_pick] if isinstance(spec, list) else path
        if isinstance(pick, int) and not isinstance(pick, bool) and not 0 <= pick < n:
            src.add(
                f"{key}: {pick} is not an index of the story's {n} events (0 to {n - 1}).", where
            )
        elif isinstance(pick, str) and pick not in types:
            close = did_you_mean(pick, sorted(set(types)))
            hint = f" Did you mean {close[0]!r}?" if close else ""
            src.add(
                f"{key}: {pick!r} names no event of story {told.name!r}.{hint} Its events:"
                f" {_listing(told)}.",
                where,
            )


def _listing(told: Story) -> str:
    return ", ".join(f"{i} {t}" for i, t in enumerate(told.types()))


def deliver_story(
    receiver: Receiver, contract: Contract, d: Delivery, timeout: float | None
) -> list[DeliveryResult]:
    """Tell the delivery's story (seeded from the receiver's seed unless it pins ``seed:``)
    and deliver it; one result per delivered event, in delivery order."""
    seed = d.seed if d.seed is not None else derive_seed(receiver.seed, "contract-story", d.key)
    told = story(contract.provider, str(d.target), seed=seed, **dict(d.story))
    order = list(d.order) if isinstance(d.order, tuple) else d.order
    old = receiver.timeout
    if timeout is not None:
        receiver.timeout = timeout
    try:
        report = receiver.send_story(
            told,
            order=order,
            duplicates=_spec(d.duplicates),
            drop=_spec(d.drop),
            concurrency=d.concurrency,
            seed=derive_seed(seed, "contract-order"),
        )
    finally:
        receiver.timeout = old
    return [s.result for s in report.delivered if s.result is not None]


def _spec(value: int | tuple[int | str, ...] | None) -> int | list[int | str] | None:
    return list(value) if isinstance(value, tuple) else value
