"""Handler spies: wrap a receiver's real handler function and see which events reached it."""

from __future__ import annotations

import functools
import importlib
import inspect
import threading
import types
from collections import OrderedDict, deque
from dataclasses import dataclass, field

from .._errors import ConfigurationError, HookmockError
from .._provider import Provider
from .._registry import get_provider

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

    from .._event import Event

    Call = tuple[tuple[Any, ...], dict[str, Any]]

_MAX_DEPTH = 4
#: Calls a spy keeps in full (``spy.calls``); older ones live on as per-event-id counts.
KEEP_CALLS = 1000
#: Event ids whose folded calls a spy remembers, for "handled more than once" on redelivery.
KEEP_EVENT_IDS = 10_000
#: How sure a call is that it carries an event: not at all, by the id of the object the event is
#: about (another event about the same object carries it too), or by the event itself.
NONE, OBJECT, EVENT = 0, 1, 2
#: Attributes that hold an event's id on the objects SDKs hand to handlers (a delivery id, an
#: event object's ``id``).
_ID_ATTRS = ("delivery_id", "event_id", "id")
#: Calls described in a failure message.
_CALLS_SHOWN = 3


@dataclass(frozen=True, eq=False, slots=True)
class Identity:
    """What names one event in a handler's arguments."""

    event_id: str
    payload: dict[str, Any] = field(repr=False)
    body: bytes = field(repr=False)
    #: Where the object ids came from, for messages: ``{"pull_request.id": 123}``.
    objects: dict[str, object]
    object_ids: frozenset[object]

    @classmethod
    def of(cls, event: Event) -> Identity:
        objects = main_objects(event)
        return cls(event.id, event.payload, event.body, objects, frozenset(objects.values()))


def main_objects(event: Event) -> dict[str, object]:
    """The ids of the object an event is about, as its provider says
    (:meth:`hookmock.Provider.subject_ids`)."""
    try:
        provider = get_provider(event.provider)
    except HookmockError:  # an event of a provider passed as an instance, never registered
        return Provider.subject_ids(Provider(), event)
    return provider.subject_ids(event)


def _usable_id(value: object) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool) and value != ""


class Facts:
    """What one call carried, read once: scalars (ids anywhere), dicts (payload candidates) and
    byte strings (raw bodies). Matching every later event against them is then cheap."""

    __slots__ = ("bodies", "dicts", "scalars")

    def __init__(self, values: Iterable[Any]) -> None:
        self.scalars: set[str | int] = set()
        self.dicts: list[dict[str, Any]] = []
        self.bodies: set[bytes] = set()
        for value in values:
            self._walk(value, 0)

    def _walk(self, value: Any, depth: int) -> None:
        if value is None or isinstance(value, (bool, float)):
            return
        if isinstance(value, (str, int)):
            self.scalars.add(value)
            return
        if isinstance(value, (bytes, bytearray, memoryview)):
            self.bodies.add(bytes(value))
            return
        if depth > _MAX_DEPTH:
            return
        if isinstance(value, dict):
            self.dicts.append(value)
            for item in value.values():
                self._walk(item, depth + 1)
        elif isinstance(value, (list, tuple)):
            for item in value:
                self._walk(item, depth + 1)
        else:
            for attr in _ID_ATTRS:
                found = _attribute(value, attr)
                if _usable_id(found):
                    self.scalars.add(found)
            data = _attribute(value, "data")
            if data is not None and not callable(data):
                self._walk(data, depth + 1)
            as_dict = _as_dict(value)
            if as_dict is not None:
                self._walk(as_dict, depth + 1)

    def match(self, ident: Identity) -> int:
        """How surely this call carried the event (``EVENT``, ``OBJECT`` or ``NONE``)."""
        if (
            ident.event_id in self.scalars
            or ident.body in self.bodies
            or any(d == ident.payload for d in self.dicts)
        ):
            return EVENT
        return OBJECT if not ident.object_ids.isdisjoint(self.scalars) else NONE


def _attribute(value: object, name: str) -> Any:
    try:
        return getattr(value, name, None)
    except Exception:  # a property that fails (a lazy load, say) carries nothing we can read
        return None


def _as_dict(value: object) -> dict[str, Any] | None:
    """A model's data as JSON-like dict: pydantic v2 ``model_dump``, v1 ``dict``, or
    ``to_dict()`` (SDK event objects are often not dicts)."""
    attempts: list[tuple[str, dict[str, Any]]] = []
    if callable(_attribute(value, "model_dump")):
        # The payload's own keys and JSON forms: aliases (``from`` -> ``from_``), set fields only.
        attempts += [("model_dump", {"mode": "json", "by_alias": True, "exclude_unset": True})]
        attempts += [("model_dump", {})]
    elif callable(_attribute(value, "dict")) and _attribute(value, "__fields__") is not None:
        attempts += [("dict", {"by_alias": True, "exclude_unset": True}), ("dict", {})]
    elif callable(_attribute(value, "to_dict")):
        attempts += [("to_dict", {})]
    for name, kwargs in attempts:
        try:
            got = getattr(value, name)(**kwargs)
        except Exception:
            continue
        if isinstance(got, dict):
            return got
    return None


def describe_call(name: str, call: Call) -> str:
    """``on_pr(str, WebhookPullRequestOpened, sender=dict)``: what a call carried, by type."""
    args, kwargs = call
    parts = [type(a).__name__ for a in args]
    parts += [f"{k}={type(v).__name__}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


class HandlerSpy:
    """Watches the code of ``module.function``: every call counts, however the app reached it.

    The function object itself is patched (its ``__code__``), not the name it is bound to, so a
    call through a reference stored before the spy existed (a gidgethub ``Router``, a dict of
    handlers, a decorator registry, a bound method) is seen too. The real function still runs.
    """

    def __init__(self, dotted: str, *, types: Iterable[str] | None = None, once: bool = True):
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
        #: The most recent calls (at most :data:`KEEP_CALLS`), oldest first, as (args, kwargs).
        self.calls: deque[Call] = deque()
        #: Every call ever seen, kept or not.
        self.call_count = 0
        self._lock = threading.Lock()
        self._owner = owner
        self._attr = attr
        self._original: Callable[..., Any] = original
        #: The Python function whose code is watched (the one under decorators and bound methods).
        self.function = watched_function(dotted, original, attr)
        self._installed = False
        #: Calls matched only by an object id, by index: the event id each was counted for.
        self._claimed: dict[int, str] = {}
        #: Facts of the kept calls, from the oldest (``calls[0]``) on, read once each.
        self._facts: deque[Facts] = deque()
        #: By call number: the event ids a kept call was counted for (it carried them).
        self._carried: dict[int, set[str]] = {}
        #: Calls no longer kept, counted per event id they carried (for redeliveries), newest
        #: ids last and at most :data:`KEEP_EVENT_IDS` of them.
        self._folded: OrderedDict[str, int] = OrderedDict()
        self._count_lock = threading.Lock()

    def install(self) -> HandlerSpy:
        _CodePatch.add(self.function, self._record)
        self._installed = True
        return self

    def _record(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        with self._lock:
            self.calls.append((args, kwargs))
            self.call_count += 1

    def restore(self) -> None:
        if self._installed:
            _CodePatch.remove(self.function, self._record)
            self._installed = False

    def watches(self, event: Event) -> bool:
        return self.types is None or event.type in self.types

    def mark(self) -> int:
        """Where the calls stand now (a call number): pass it to :meth:`count` after the
        delivery. Calls past the last :data:`KEEP_CALLS` are folded away here, between
        deliveries, so a long run keeps memory flat."""
        with self._count_lock:
            self._fold_old_calls()
            with self._lock:
                return self.call_count

    @property
    def _first(self) -> int:
        """The call number of ``calls[0]``."""
        return self.call_count - len(self.calls)

    def _fold_old_calls(self) -> None:
        with self._lock:
            dropped = []
            while len(self.calls) > KEEP_CALLS:
                dropped.append(self._first)
                self.calls.popleft()
                if self._facts:
                    self._facts.popleft()
        for number in dropped:
            ids = self._carried.pop(number, set())
            owner = self._claimed.pop(number, None)
            if owner is not None:
                ids.add(owner)
            for event_id in ids:
                self._folded[event_id] = self._folded.get(event_id, 0) + 1
                self._folded.move_to_end(event_id)
            while len(self._folded) > KEEP_EVENT_IDS:
                self._folded.popitem(last=False)

    def count(self, event: Event, since: int = 0) -> int:
        """Calls that carried ``event``.

        A call carrying the event itself (its id, payload or body) counts whenever it was made.
        One carrying only the id of the object the event is about counts if it was made since
        ``since`` (during this delivery) and was not already counted for another event: two
        events about one pull request both carry its id.
        """
        ident = Identity.of(event)
        with self._count_lock:
            total = self._folded.get(event.id, 0)
            first, facts = self._facts_so_far()
            for offset, fact in enumerate(facts):
                number = first + offset
                how = fact.match(ident)
                if how == EVENT:
                    total += 1
                    self._carried.setdefault(number, set()).add(event.id)
                elif how == OBJECT and number >= since:
                    self._claimed.setdefault(number, event.id)
            # A redelivery of the same event (same id) counts the calls claimed for it before.
            total += sum(1 for owner in self._claimed.values() if owner == event.id)
        return total

    def _facts_so_far(self) -> tuple[int, deque[Facts]]:
        """The number of the first kept call, and the facts of every kept call; each call is
        read once (a model dump is not free). Call with ``_count_lock`` held."""
        with self._lock:
            first = self._first
            new = list(self.calls)[len(self._facts) :]
        self._facts.extend(Facts((*args, *kwargs.values())) for args, kwargs in new)
        return first, self._facts

    def explain_miss(self, event: Event) -> str:
        """Why no call counted for ``event``: what the calls carried, and what would count."""
        ident = Identity.of(event)
        with self._lock:
            calls = list(self.calls)
            total = self.call_count
        name = self.dotted.rpartition(".")[2]
        objects = ", ".join(f"{k} = {v!r}" for k, v in ident.objects.items())
        how = (
            f"the spy counts a call when an argument is the event's id {event.id!r} (or an"
            " object whose .delivery_id, .event_id or .id is it), its payload (a dict, an"
            " object whose .data is it, a pydantic model or an SDK object with to_dict()), its raw"
            " body" + (f", or, for a call made during this delivery, {objects}" if objects else "")
        )
        if not calls:
            return f"{self.dotted} was never called ({self._never_why()}; {how})"
        shown = [describe_call(name, c) for c in calls[-_CALLS_SHOWN:]]
        more = f" (the last {_CALLS_SHOWN})" if total > _CALLS_SHOWN else ""
        return (
            f"{self.dotted} was called {total} time(s), but no call carried this event:"
            f" the calls were{more} {'; '.join(shown)}; {how}"
        )

    def _never_why(self) -> str:
        """Why no call was seen: none was made by any route, or the name now holds another
        function (reloaded or patched after the spy was set), whose code hookmock does not
        watch."""
        now = getattr(self._owner, self._attr, None)
        if now is self._original or now is None:
            return (
                "by any route: the spy watches the function's code, so calls by name, from a"
                " router or dict, as a bound method or through a decorator registry all count"
            )
        return (
            f"the name {self.dotted} now holds another function ({now!r:.60}) than when the"
            " spy was set (a module reloaded or patched since?); the app may run that one"
        )

    def hits_since(self, event: Event, since: int) -> list[str]:
        """What the calls made since ``since`` (during one delivery) carried of ``event``: the
        event id, or the id of the object it is about. Empty when no such call was made."""
        ident = Identity.of(event)
        with self._count_lock:
            first, kept = self._facts_so_far()
            facts = list(kept)[max(0, since - first) :]
        found: list[str] = []
        for fact in facts:
            how = fact.match(ident)
            if how == EVENT:
                found.append(event.id)
            elif how == OBJECT:
                ids = sorted(str(i) for i in ident.object_ids & fact.scalars)
                found.append(f"{ids[0]} (the object {event.id} is about)")
        return found


def watched_function(dotted: str, found: object, attr: str) -> Any:
    """The Python function whose code a spy on ``found`` watches, or a ConfigurationError that
    says why no call to it could be seen and what to spy on instead."""
    target: Any = found
    for _ in range(100):  # bound methods, partials and decorator wrappers, in any nesting
        if isinstance(target, types.MethodType):
            target = target.__func__
        elif isinstance(target, functools.partial):
            target = target.func
        elif isinstance(target, (staticmethod, classmethod)):
            target = target.__func__
        elif isinstance(target, types.FunctionType) and hasattr(target, "__wrapped__"):
            target = target.__wrapped__
        else:
            break
    if isinstance(target, types.FunctionType):
        # A wrapper made without functools.wraps (named "wrapper", not like the attribute) that
        # closes over the real handler: watch the handler, which a registry may call directly.
        if target.__name__ != attr and target.__closure__:
            for cell in target.__closure__:
                try:
                    inner = cell.cell_contents
                except ValueError:
                    continue
                if isinstance(inner, types.FunctionType) and inner.__name__ == attr:
                    return inner
        return target
    if inspect.isclass(target):
        init = target.__dict__.get("__init__")
        if isinstance(init, types.FunctionType):
            return init
        raise ConfigurationError(
            f"expect_handler({dotted!r}) names a class with no __init__ of its own to watch."
            f" Spy on the method that handles the event instead, like '{dotted}.handle'."
        )
    call = inspect.getattr_static(type(target), "__call__", None)
    if isinstance(call, types.FunctionType):
        return call  # a callable object: its class's __call__ runs for every call
    kind = type(target).__name__
    raise ConfigurationError(
        f"expect_handler({dotted!r}): it is a {kind} implemented in C (not Python code), so"
        " hookmock cannot see calls made to it through references the app stored; it could"
        " only swap the name, which misses routers and dicts. Spy on the Python function of"
        " your app that receives the event (the handler that calls it, or the view)."
    )


#: Flags of code objects that need a wrapper of the same kind (async def, generators).
_CO_GENERATOR, _CO_COROUTINE, _CO_ASYNC_GENERATOR = 0x20, 0x80, 0x200
_SPY_KWARG = "_hookmock_spy_"


class _CodePatch:
    """One function whose ``__code__`` is swapped for a trampoline that tells every listening
    spy about the call, then runs a copy of the original function (same globals, closure and
    defaults). Every reference to the function object sees it; ``remove`` restores it exactly."""

    _active: dict[int, _CodePatch] = {}
    _lock = threading.Lock()

    def __init__(self, func: Any) -> None:
        self.func = func
        self.code = func.__code__
        self.kwdefaults = func.__kwdefaults__
        self.had_signature = "__signature__" in func.__dict__
        self.signature = func.__dict__.get("__signature__")
        self.listeners: list[Callable[[tuple[Any, ...], dict[str, Any]], None]] = []
        copy = types.FunctionType(
            self.code, func.__globals__, func.__name__, func.__defaults__, func.__closure__
        )
        copy.__kwdefaults__ = dict(self.kwdefaults) if self.kwdefaults else None
        copy.__qualname__ = func.__qualname__
        self.copy = copy

    @classmethod
    def add(cls, func: Any, listener: Callable[[tuple[Any, ...], dict[str, Any]], None]) -> None:
        with cls._lock:
            patch = cls._active.get(id(func))
            if patch is None:
                patch = cls(func)
                patch.apply()
                cls._active[id(func)] = patch
            patch.listeners.append(listener)

    @classmethod
    def remove(cls, func: Any, listener: Callable[[tuple[Any, ...], dict[str, Any]], None]) -> None:
        with cls._lock:
            patch = cls._active.get(id(func))
            if patch is None:
                return
            if listener in patch.listeners:
                patch.listeners.remove(listener)
            if not patch.listeners:
                patch.undo()
                del cls._active[id(func)]

    def dispatch(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        for listener in list(self.listeners):
            listener(args, kwargs)
        return self.copy(*args, **kwargs)

    def apply(self) -> None:
        func = self.func
        try:
            # Frameworks that read a handler's parameters (dependency injection) still see the
            # real ones, not the trampoline's (*args, **kwargs).
            signature = inspect.signature(func)
        except (TypeError, ValueError):
            signature = None
        func.__code__ = trampoline(self.code)
        func.__kwdefaults__ = {_SPY_KWARG: self.dispatch}
        if signature is not None:
            func.__signature__ = signature

    def undo(self) -> None:
        func = self.func
        func.__code__ = self.code
        func.__kwdefaults__ = self.kwdefaults
        if self.had_signature:
            func.__signature__ = self.signature
        else:
            func.__dict__.pop("__signature__", None)


def trampoline(code: Any) -> Any:
    """A code object that passes its call to ``_hookmock_spy_`` (a keyword default the patched
    function carries), of the same kind as ``code`` (plain, async, generator) and with as many
    free variables, as Python demands of a function's ``__code__``."""
    names = code.co_freevars
    free = ", ".join(names)
    touch = f"        if 0:\n            ({free},)\n" if names else ""
    params = f"*_hookmock_args_, {_SPY_KWARG}=None, **_hookmock_kwargs_"
    call = f"{_SPY_KWARG}(_hookmock_args_, _hookmock_kwargs_)"
    if code.co_flags & _CO_COROUTINE:
        head, body = "async def", f"return await {call}"
    elif code.co_flags & _CO_ASYNC_GENERATOR:
        head, body = "async def", f"async for item in {call}:\n            yield item"
    elif code.co_flags & _CO_GENERATOR:
        head, body = "def", f"return (yield from {call})"
    else:
        head, body = "def", f"return {call}"
    source = (
        f"def _hookmock_factory_({free}):\n"
        f"    {head} _hookmock_trampoline_({params}):\n"
        f"{touch}"
        f"        {body}\n"
        f"    return _hookmock_trampoline_\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<hookmock spy on {code.co_name}>", "exec"), namespace)
    made = namespace["_hookmock_factory_"](*([None] * len(names))).__code__
    # Tracebacks through the trampoline name the handler, not the factory.
    return made.replace(co_name=code.co_name)
