"""The provider registry: built-in providers load lazily by name; others via entry points.

A third-party package registers a provider with an entry point in the ``hookmock.providers`` group
pointing at a :class:`hookmock.Provider` subclass, or calls :func:`hookmock.register_provider`.
"""

from __future__ import annotations

import _thread
import sys

from ._errors import ArgumentTypeError, ConfigurationError, HookmockError, UnknownProviderError
from .providers import BUILTIN as _BUILTIN
from .providers import DEFAULT

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._provider import Provider

ENTRY_POINT_GROUP = "hookmock.providers"

#: The provider ``hookmock.receiver()`` speaks unless told otherwise.
DEFAULT_PROVIDER: str = DEFAULT

_loaded: dict[str, Provider] = {}
_extra: dict[str, str] = {}
_scanned = False
# _thread, not threading: threading costs ~3 ms to import and every pytest run would pay it.
_lock = _thread.allocate_lock()


def _load(spec: str) -> Provider:
    # Import budget: importlib (the package, not its frozen core) loads with the first provider.
    import importlib

    module_name, _, attr = spec.partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    return cls() if isinstance(cls, type) else cls  # type: ignore[no-any-return]


def _scan_entry_points() -> None:
    global _scanned
    if _scanned:
        return
    # Import budget: importlib.metadata loads when entry points are first needed.
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name not in _BUILTIN:
            _extra.setdefault(ep.name, ep.value)
    _scanned = True


def builtin_names() -> list[str]:
    """The providers hookmock ships, in the order detection asks them."""
    return list(_BUILTIN)


def provider_names() -> list[str]:
    """Every provider hookmock knows: built-in, registered, and from entry points."""
    _scan_entry_points()
    return sorted({*_BUILTIN, *_extra, *_loaded})


def get_provider(name: str) -> Provider:
    """The provider registered as ``name`` (see :func:`provider_names`)."""
    if not isinstance(name, str) or not name:
        raise ArgumentTypeError(
            f"a provider is named by a non-empty str ({', '.join(provider_names())}), got {name!r}."
        )
    got = _loaded.get(name)
    if got is not None:
        return got
    with _lock:
        got = _loaded.get(name)
        if got is not None:
            return got
        spec = _BUILTIN.get(name)
        if spec is None:
            _scan_entry_points()
            spec = _extra.get(name)
        if spec is None:
            raise UnknownProviderError(name, provider_names())
        got = _load(spec)
        _loaded[name] = got
        return got


def put(name: str, provider: Provider, *, replace: bool) -> None:
    """Hold ``provider`` as ``name`` (see :func:`hookmock.register_provider`)."""
    with _lock:
        if not replace and (name in _loaded or name in _BUILTIN):
            raise ConfigurationError(
                f"A provider named {name!r} is already registered; pass replace=True to replace it."
            )
        _loaded[name] = provider
    _forget(name)


def pop(name: str) -> Provider | None:
    """Forget the provider loaded as ``name``; return it (see :func:`hookmock.unregister_provider`)."""
    with _lock:
        got = _loaded.pop(name, None)
    _forget(name)
    return got


def _forget(name: str) -> None:
    """Drop what hookmock cached for the provider ``name``: schemas and validators."""
    validation = sys.modules.get("hookmock._validation")
    if validation is not None:  # nothing was cached if validation never loaded
        validation.forget_schemas()


def provider_title(name: str) -> str:
    """A provider's human name (``Provider.title``) for messages; the name itself if the
    provider is unknown or untitled."""
    try:
        return get_provider(name).title or name
    except HookmockError:
        return name
