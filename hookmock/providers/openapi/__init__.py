"""Any provider that describes its webhooks in OpenAPI 3.1: ``hookmock.openapi_provider(...)``.

The document's ``webhooks:`` give the types and their schemas (components resolved); payloads
are generated from the schemas; the signature is Standard Webhooks' or a declared HMAC scheme
(:class:`hookmock.signing.HmacScheme`). Nothing here names a particular provider.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import hookmock
from hookmock.authoring import ArgumentTypeError, ConfigurationError, Provider
from hookmock.signing import HmacScheme

from ._document import EventName, OpenAPIError, Spec, WebhookType, compile_spec, read_document
from ._provider import STANDARD_EXAMPLE_SECRET, OpenAPIProvider

TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = [
    "OpenAPIError",
    "OpenAPIProvider",
    "Spec",
    "WebhookType",
    "openapi_provider",
    "read_document",
]


def openapi_provider(
    document: str | os.PathLike[str] | Mapping[str, Any] | Traversable,
    *,
    name: str,
    signing: str | HmacScheme = "standard",
    title: str = "",
    type_header: str = "",
    type_field: str = "",
    event_name: str | EventName | None = None,
    action_field: str = "action",
    id_header: str = "",
    headers: Mapping[str, str] | None = None,
    exclude: Iterable[str] = (),
    timeout: float = 10.0,
    retry_schedule: Sequence[float] = (),
    example_secret: str = "",
    pools: str | os.PathLike[str] | None = None,
    rules: str | os.PathLike[str] | None = None,
    register: bool = False,
    replace: bool = False,
) -> OpenAPIProvider:
    """A provider made from the ``webhooks:`` of an OpenAPI 3.1 document.

    ``document`` is a path (YAML or JSON), a dict, or a package resource. Each webhook is an
    event; its JSON request body's schema is its type's (split into one type per branch when it
    is a ``oneOf`` whose branches fix ``action_field``, ``type_field`` or the discriminator).
    Types are named by the payload's own ``type_field`` value when the schema fixes it, else
    ``<event>.<action>`` when the action is fixed, else by the event: the webhook's key, or
    ``event_name`` (a dotted field of the operation, ``"x-github.subcategory"``, or a function
    of the key and the operation).

    ``signing`` is ``"standard"`` (Standard Webhooks: ``webhook-id``, ``webhook-timestamp``,
    ``webhook-signature``) or an :class:`~hookmock.signing.HmacScheme`. ``type_header`` names
    the header that carries the event (``X-Acme-Event``): sent with each event, and read by
    detection; ``id_header`` one that carries the delivery id; ``headers`` adds fixed ones
    (``User-Agent``). ``timeout`` and ``retry_schedule`` are the sender's. ``pools`` and
    ``rules`` are generator data files (see :mod:`hookmock.generator`). ``register=True``
    registers the provider (``replace=True`` takes an existing name over).
    """
    if not isinstance(name, str) or not name.strip():
        raise ArgumentTypeError(
            "openapi_provider(name=...) is the provider's name, a non-empty str such as 'acme'."
        )
    if signing == "standard":
        scheme: HmacScheme | None = None
    elif isinstance(signing, HmacScheme):
        scheme = signing
    else:
        raise ConfigurationError(
            f"signing={signing!r}: pass 'standard' (Standard Webhooks) or a"
            " hookmock.signing.HmacScheme(header, prefix=..., encoding='hex'|'base64',"
            " algorithm=..., message='{body}')."
        )
    for label, value in (
        ("type_header", type_header),
        ("type_field", type_field),
        ("action_field", action_field),
        ("id_header", id_header),
        ("title", title),
        ("example_secret", example_secret),
    ):
        if not isinstance(value, str):
            raise ArgumentTypeError(f"{label}= is a str, got {type(value).__name__}.")
    if isinstance(exclude, str):
        exclude = [exclude]
    doc, source = read_document(document)
    spec = compile_spec(
        doc,
        source,
        provider=name,
        event_name=event_name,
        action_field=action_field,
        type_field=type_field,
        exclude=exclude,
    )
    if not spec.types:
        raise OpenAPIError(f"{source}: exclude= leaves no webhook; keep at least one.")
    secret_headers = (
        frozenset({"webhook-signature"}) if scheme is None else frozenset({scheme.header})
    )
    attrs: dict[str, Any] = {
        "name": name,
        "title": title or spec.title or name,
        "signature_header": "webhook-signature" if scheme is None else scheme.header,
        "secret_headers": secret_headers,
        "signs_timestamp": True if scheme is None else scheme.signs_timestamp,
        "secret_rotation": True if scheme is None else bool(scheme.separator),
        "type_header": type_header,
        "type_field": type_field,
        "id_header": id_header,
        "scheme": scheme,
        "timeout": float(timeout),
        "retries": bool(retry_schedule),
        "retry_schedule": tuple(float(s) for s in retry_schedule),
        "example_secret": example_secret
        or (STANDARD_EXAMPLE_SECRET if scheme is None else Provider.example_secret),
        "__module__": __name__,
        "__qualname__": f"OpenAPIProvider[{name}]",
    }
    cls = type(f"OpenAPIProvider[{name}]", (OpenAPIProvider,), attrs)
    provider: OpenAPIProvider = cls(
        spec,
        extra_headers=headers,
        pools=Path(pools) if pools is not None else None,
        rules=Path(rules) if rules is not None else None,
    )
    if register:
        hookmock.register_provider(provider, replace=replace)
    return provider
