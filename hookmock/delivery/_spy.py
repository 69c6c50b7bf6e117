"""Handler spies: wrap a receiver's real handler function and see which events reached it."""

from __future__ import annotations

import threading

from .._errors import ConfigurationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

    from .._event import Event

_MAX_DEPTH = 4


def identities(event: Event) -> frozenset[str]:
    """Strings that name this event: its id (GitHub: the delivery GUID) and, for envelopes like
    Stripe's, the id of the object it is about (``data.object.id``)."""
    ids = {event.id}
    data = event.payload.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if isinstance(obj, dict) and isinstance(obj.get("id"), str):
        ids.add(obj["id"])
    return frozenset(ids)


def carries(value: Any, event: Event, ids: frozenset[str], depth: int = 0) -> bool:
    """Whether a handler argument is, or contains, this event: one of its ids, its payload
    (as a dict, or an SDK object with ``to_dict()``) or its raw body."""
    if isinstance(value, str):
        return value in ids
    if isinstance(value, (bytes, bytearray)):
        return bytes(value) == event.body
    if depth > _MAX_DEPTH:
        return False
    if isinstance(value, dict):
        if value.get("id") in ids or value == event.payload:
            return True
        return any(carries(v, event, ids, depth + 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(carries(v, event, ids, depth + 1) for v in value)
    if getattr(value, "id", None) in ids:
        return True
    to_dict = getattr(value, "to_dict", None)  # stripe-python objects are not dicts
    if callable(to_dict):
        try:
            as_dict = to_dict()
        except Exception:
            return False
        return isinstance(as_dict, dict) and carries(as_dict, event, ids, depth + 1)
    return False


class HandlerSpy:
    """Replaces ``module.function`` with a wrapper that records calls and runs the original."""

    def __init__(self, dotted: str, *, types: Iterable[str] | None = None, once: bool = True):
        import importlib

        module_name, _, attr = dotted.rpartition(".")
        if not module_name:
            raise ConfigurationError(
                f"expect_handler() needs a dotted path like 'myapp.billing.on_paid'; got {dotted!r}."
            )
        try:
            owner: Any = importlib.import_module(module_name)
        except ImportError:
            # "pkg.module.Class.method": import the module, then walk attributes.
            parent, _, cls = module_name.rpartition(".")
            try:
                owner = getattr(importlib.import_module(parent), cls)
            except (ImportError, AttributeError, ValueError):
                raise ConfigurationError(
                    f"expect_handler({dotted!r}): cannot import {module_name!r}."
                ) from None
        original = getattr(owner, attr, None)
        if not callable(original):
            raise ConfigurationError(
                f"expect_handler({dotted!r}): {module_name} has no function {attr!r}. Spy on the"
                " name the app actually calls (where it is looked up, not where it is defined)."
            )
        self.dotted = dotted
        self.types = frozenset(types) if types is not None else None
        self.once = once
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        self._lock = threading.Lock()
        self._owner = owner
        self._attr = attr
        self._original: Callable[..., Any] = original
        self._installed = False

    def install(self) -> HandlerSpy:
        import functools

        original = self._original

        @functools.wraps(original)
        def spy(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self.calls.append((args, kwargs))
            return original(*args, **kwargs)

        setattr(self._owner, self._attr, spy)
        self._installed = True
        return self

    def restore(self) -> None:
        if self._installed:
            setattr(self._owner, self._attr, self._original)
            self._installed = False

    def watches(self, event: Event) -> bool:
        return self.types is None or event.type in self.types

    def count(self, event: Event) -> int:
        with self._lock:
            calls = list(self.calls)
        ids = identities(event)
        return sum(
            1
            for args, kwargs in calls
            if any(carries(a, event, ids) for a in args)
            or any(carries(v, event, ids) for v in kwargs.values())
        )
