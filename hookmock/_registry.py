"""The provider registry: built-in providers load lazily by name; others via entry points.

A third-party package registers a provider with an entry point in the ``hookmock.providers`` group
pointing at a :class:`hookmock.Provider` subclass, or calls :func:`hookmock.register_provider`.
"""

from __future__ import annotations

import _thread

from ._errors import ArgumentTypeError, UnknownProviderError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._provider import Provider

ENTRY_POINT_GROUP = "hookmock.providers"

_BUILTIN = {
    "stripe": "hookmock.providers.stripe:StripeProvider",
    "github": "hookmock.providers.github:GitHubProvider",
    "standard": "hookmock.providers.standard:StandardProvider",
}
_loaded: dict[str, Provider] = {}
_extra: dict[str, str] = {}
_scanned = False
# _thread, not threading: threading costs ~3 ms to import and every pytest run would pay it.
_lock = _thread.allocate_lock()


def _load(spec: str) -> Provider:
    import importlib

    module_name, _, attr = spec.partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    return cls() if isinstance(cls, type) else cls  # type: ignore[no-any-return]


def _scan_entry_points() -> None:
    global _scanned
    if _scanned:
        return
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name not in _BUILTIN:
            _extra.setdefault(ep.name, ep.value)
    _scanned = True


def provider_names() -> list[str]:
    """Every provider hookmock knows: built-in, registered, and from entry points."""
    _scan_entry_points()
    return sorted({*_BUILTIN, *_extra, *_loaded})


def get_provider(name: str) -> Provider:
    """The provider registered as ``name`` (``"stripe"``, ``"github"``, ...)."""
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


def register_provider(provider: Provider, *, replace: bool = False) -> Provider:
    """Register a provider instance under ``provider.name`` (for plugins and tests)."""
    from ._errors import ConfigurationError

    name = provider.name
    if not name:
        raise ConfigurationError("A provider needs a non-empty class attribute `name`.")
    if not replace and (name in _loaded or name in _BUILTIN):
        raise ConfigurationError(
            f"A provider named {name!r} is already registered; pass replace=True to replace it."
        )
    _loaded[name] = provider
    return provider
