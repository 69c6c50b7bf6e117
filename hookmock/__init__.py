"""hookmock: contract-test webhook receivers with realistic, signed events of any provider.

Importing this package is nearly free: providers, Faker, jsonschema and the HTTP machinery load
only when first used.
"""

from __future__ import annotations

from ._errors import ArgumentTypeError as _ArgumentTypeError
from ._errors import (
    ConfigurationError,
    DeliveryError,
    HookmockError,
    OverrideError,
    PayloadError,
    SchemaError,
    SecretError,
    SignatureError,
    TraitError,
    UnknownProviderError,
    UnknownTypeError,
    UnsupportedEventError,
    Violation,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from . import signing
    from ._event import Event
    from ._overrides import new, replace
    from ._provider import (
        BuildContext,
        Provider,
        check_secret,
        register_provider,
        unregister_provider,
    )
    from ._registry import get_provider as provider
    from ._registry import provider_names
    from ._stories import Story, stories, story
    from .apimock import ApiMock, api_mock
    from .contracts import ContractError, ContractReport, load_contract, run_contract
    from .delivery import (
        DeliveryResult,
        Receiver,
        Request,
        Response,
        Transport,
        receiver,
        serve,
    )

    # Public facade typing: each built-in provider is a typed attribute (hookmock.<name>.event
    # returns the provider's own Event type), which type checkers see only through these names.
    # At run time __getattr__ serves any built-in by name, from the registry's table.
    from .providers.github import GitHubProvider
    from .providers.openapi import openapi_provider
    from .providers.standard import StandardProvider
    from .providers.stripe import StripeProvider
    from .signing import HmacScheme

    stripe: StripeProvider
    github: GitHubProvider
    standard: StandardProvider

del TYPE_CHECKING  # an import-time idiom, not part of the API

__version__ = "0.1.0"

__all__ = [
    "ApiMock",
    "BuildContext",
    "ConfigurationError",
    "ContractError",
    "ContractReport",
    "DeliveryError",
    "DeliveryResult",
    "Event",
    "HmacScheme",
    "HookmockError",
    "OverrideError",
    "PayloadError",
    "Provider",
    "Receiver",
    "Request",
    "Response",
    "SchemaError",
    "SecretError",
    "SignatureError",
    "Story",
    "TraitError",
    "Transport",
    "UnknownProviderError",
    "UnknownTypeError",
    "UnsupportedEventError",
    "Violation",
    "__version__",
    "api_mock",
    "check_secret",
    "event",
    "github",
    "load_contract",
    "new",
    "openapi_provider",
    "provider",
    "provider_names",
    "receiver",
    "register_provider",
    "replace",
    "run_contract",
    "schema",
    "serve",
    "sign",
    "signing",
    "standard",
    "stories",
    "story",
    "stripe",
    "types",
    "unregister_provider",
    "validate",
    "verify",
]


def event(provider_name: str, type: str, /, **kwargs: Any) -> Event:
    """Generate one event: ``hookmock.event(provider_name, type, seed=7, overrides={...})``."""
    return _get_provider(provider_name).event(type, **kwargs)


def types(provider_name: str) -> list[str]:
    """Sorted catalog type names of a provider."""
    return _get_provider(provider_name).types()


def schema(provider_name: str, type: str) -> dict[str, Any]:
    """The JSON Schema (2020-12) for one event type, as a dict."""
    from ._validation import schema as _schema

    _get_provider(provider_name).check_type(type)
    return _schema(provider_name, type)


def validate(
    payload: Mapping[str, Any] | bytes | str,
    *,
    provider: str | None = None,
    type: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[str, str]:
    """Validate a payload against hookmock's schemas; return ``(provider, type)``.

    Provider and type are detected when not given (a provider that names the type in a
    header needs ``headers``, or heuristics). Raises :class:`SchemaError` listing every
    violation.
    """
    from ._validation import validate as _validate

    return _validate(payload, provider=provider, type=type, headers=headers)


def sign(
    provider_name: str,
    body: bytes | str,
    secret: str | Sequence[str],
    timestamp: int | None = None,
    **kwargs: Any,
) -> dict[str, str]:
    """The signature header(s) a provider would send with ``body``, as a dict."""
    return _get_provider(provider_name).sign(_body(body), secret, timestamp=timestamp, **kwargs)


def verify(
    provider_name: str,
    body: bytes | str,
    headers: Mapping[str, str] | str,
    secret: str,
    *,
    tolerance: int | None = None,
    now: int | None = None,
) -> None:
    """Check a delivery's signature the way a careful receiver does; raise SignatureError if bad.

    ``headers`` is the request's headers (any case), or just the signature header's value
    (the provider's ``signature_header``, as an SDK's verify function takes it).
    """
    from ._signing import check_tolerance

    check_tolerance(tolerance, now)
    prov = _get_provider(provider_name)
    if isinstance(headers, str):
        if not prov.signature_header:
            raise _ArgumentTypeError(
                f"pass the request's headers as a dict; {provider_name} has no single signature"
                " header to take a bare value for."
            )
        headers = {prov.signature_header: headers}
    elif not hasattr(headers, "items"):
        raise _ArgumentTypeError(
            f"headers must be a dict of the request's headers (or the {prov.signature_header}"
            f" value as a str), got {type(headers).__name__}."
        )
    prov.verify(_body(body), headers, secret, tolerance=tolerance, now=now)


def _body(body: bytes | str) -> bytes:
    if isinstance(body, str):
        try:
            return body.encode()
        except UnicodeEncodeError:
            raise PayloadError(
                "body holds a lone surrogate and cannot be sent as UTF-8; pass the raw bytes."
            ) from None
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise _ArgumentTypeError(
        f"body must be the raw bytes that are sent, got {type(body).__name__};"
        " pass event.body, or json.dumps(payload).encode()."
    )


def _get_provider(name: str) -> Provider:
    # Import budget: the registry (and the built-ins' table) loads with the first provider used.
    from ._registry import get_provider

    return get_provider(name)


#: Where each name loaded on first use lives (``provider`` is the registry's get_provider).
_LAZY = {
    "Event": "._event",
    "new": "._overrides",
    "replace": "._overrides",
    "Provider": "._provider",
    "BuildContext": "._provider",
    "check_secret": "._provider",
    "register_provider": "._provider",
    "unregister_provider": "._provider",
    "provider": "._registry",
    "provider_names": "._registry",
    "DeliveryResult": ".delivery",
    "Receiver": ".delivery",
    "Request": ".delivery",
    "Response": ".delivery",
    "Transport": ".delivery",
    "receiver": ".delivery",
    "serve": ".delivery",
    "ContractError": ".contracts",
    "ContractReport": ".contracts",
    "load_contract": ".contracts",
    "run_contract": ".contracts",
    "ApiMock": ".apimock",
    "api_mock": ".apimock",
    "openapi_provider": ".providers.openapi",
    "HmacScheme": ".signing",
    "Story": "._stories",
    "stories": "._stories",
    "story": "._stories",
}


def __getattr__(name: str) -> Any:
    import importlib

    module = _LAZY.get(name)
    if module is not None:
        attr = "get_provider" if name == "provider" else name
        return getattr(importlib.import_module(module, __name__), attr)
    if name == "signing":
        return importlib.import_module(".signing", __name__)
    # Each built-in provider is an attribute of the package (hookmock.<name>).
    from ._registry import builtin_names

    if name in builtin_names():
        return _get_provider(name)
    raise AttributeError(f"module 'hookmock' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
