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
from ._overrides import new, replace
from ._registry import builtin_names as _builtin_names
from ._registry import get_provider as provider
from ._registry import provider_names

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from . import signing
    from ._event import Event
    from ._provider import (
        BuildContext,
        Provider,
        check_secret,
        register_provider,
        unregister_provider,
    )
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
    return provider(provider_name).event(type, **kwargs)


def types(provider_name: str) -> list[str]:
    """Sorted catalog type names of a provider."""
    return provider(provider_name).types()


def schema(provider_name: str, type: str) -> dict[str, Any]:
    """The JSON Schema (2020-12) for one event type, as a dict."""
    from ._validation import schema as _schema

    provider(provider_name).check_type(type)
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
    return provider(provider_name).sign(_body(body), secret, timestamp=timestamp, **kwargs)


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
    prov = provider(provider_name)
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


#: Each built-in provider is an attribute of the package (``hookmock.<name>``).
_BUILTIN_PROVIDERS = frozenset(_builtin_names())

_LAZY = {
    "Event": ("._event", "Event"),
    "Provider": ("._provider", "Provider"),
    "BuildContext": ("._provider", "BuildContext"),
    "check_secret": ("._provider", "check_secret"),
    "register_provider": ("._provider", "register_provider"),
    "unregister_provider": ("._provider", "unregister_provider"),
    "DeliveryResult": (".delivery", "DeliveryResult"),
    "Receiver": (".delivery", "Receiver"),
    "Request": (".delivery", "Request"),
    "Response": (".delivery", "Response"),
    "Transport": (".delivery", "Transport"),
    "receiver": (".delivery", "receiver"),
    "serve": (".delivery", "serve"),
    "ContractError": (".contracts", "ContractError"),
    "ContractReport": (".contracts", "ContractReport"),
    "load_contract": (".contracts", "load_contract"),
    "run_contract": (".contracts", "run_contract"),
    "ApiMock": (".apimock", "ApiMock"),
    "api_mock": (".apimock", "api_mock"),
    "openapi_provider": (".providers.openapi", "openapi_provider"),
    "HmacScheme": (".signing", "HmacScheme"),
    "Story": ("._stories", "Story"),
    "stories": ("._stories", "stories"),
    "story": ("._stories", "story"),
}


def __getattr__(name: str) -> Any:
    if name in _BUILTIN_PROVIDERS:
        return provider(name)
    if name == "signing":
        import importlib

        return importlib.import_module(".signing", __name__)
    target = _LAZY.get(name)
    if target is not None:
        import importlib

        return getattr(importlib.import_module(target[0], __name__), target[1])
    raise AttributeError(f"module 'hookmock' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
