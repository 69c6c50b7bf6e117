"""What a provider package imports from hookmock: one public module for provider authors.

The built-in providers (``hookmock/providers/*``) use these names and nothing private, so a
third-party provider can do all they do. Besides this module: :mod:`hookmock.signing` (HMAC and
header helpers, the built-in schemes), :mod:`hookmock.apimock` (``ApiRequest``, ``Reply`` and
``ProviderAPI`` for :meth:`Provider.api_mock`) and the error classes of :mod:`hookmock`.

Names load on first use, so importing a provider stays as cheap as the modules it needs.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._errors import (
        ArgumentTypeError,
        ConfigurationError,
        HookmockError,
        SchemaError,
        SecretError,
        SignatureError,
        TraitError,
        UnknownTypeError,
        UnsupportedEventError,
        Violation,
        did_you_mean,
    )
    from ._event import Event
    from ._overrides import new, replace
    from ._provider import BuildContext, Provider, check_secret, usable_id
    from ._resources import data_dir
    from ._seeding import ANCHOR, BASE62, SPAN, derive_seed
    from ._stories import Param, StoryDef, Teller
    from ._validation import (
        forget_schemas,
        form_json,
        is_valid,
        load_payload,
        schema_document,
        schema_ref,
        schema_uri,
    )
    from .generator._bundle import provider_generator

__all__ = [
    "ANCHOR",
    "BASE62",
    "SPAN",
    "ArgumentTypeError",
    "BuildContext",
    "ConfigurationError",
    "Event",
    "HookmockError",
    "Param",
    "Provider",
    "SchemaError",
    "SecretError",
    "SignatureError",
    "StoryDef",
    "Teller",
    "TraitError",
    "UnknownTypeError",
    "UnsupportedEventError",
    "Violation",
    "check_secret",
    "data_dir",
    "derive_seed",
    "did_you_mean",
    "forget_schemas",
    "form_json",
    "is_valid",
    "load_payload",
    "new",
    "provider_generator",
    "replace",
    "schema_document",
    "schema_ref",
    "schema_uri",
    "usable_id",
]

#: Where each name lives: errors and the Provider base are light; validation and seeding load
#: their modules (not jsonschema, which loads on the first validation).
_HOME = {
    **dict.fromkeys(
        (
            "ArgumentTypeError",
            "ConfigurationError",
            "HookmockError",
            "SchemaError",
            "SecretError",
            "SignatureError",
            "TraitError",
            "UnknownTypeError",
            "UnsupportedEventError",
            "Violation",
            "did_you_mean",
        ),
        "._errors",
    ),
    "Event": "._event",
    "new": "._overrides",
    "replace": "._overrides",
    **dict.fromkeys(("BuildContext", "Provider", "check_secret", "usable_id"), "._provider"),
    **dict.fromkeys(("ANCHOR", "BASE62", "SPAN", "derive_seed"), "._seeding"),
    "data_dir": "._resources",
    # The schema generator (referencing, yaml) loads with the first generated event.
    "provider_generator": ".generator._bundle",
    **dict.fromkeys(("Param", "StoryDef", "Teller"), "._stories"),
    **dict.fromkeys(
        (
            "forget_schemas",
            "form_json",
            "is_valid",
            "load_payload",
            "schema_document",
            "schema_ref",
            "schema_uri",
        ),
        "._validation",
    ),
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'hookmock.authoring' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(home, "hookmock"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
