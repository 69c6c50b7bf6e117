"""The signature schemes as plain functions over bytes, for code that signs or checks by hand.

The building blocks a provider's own ``sign``/``verify`` use: :func:`hmac_hex`, :func:`same`
(constant-time comparison), :func:`header` (case-insensitive lookup), :func:`check_timestamp`
(one meaning of ``timestamp=`` everywhere), :func:`check_tolerance` and :func:`verify_any`
(a rotation of secrets passes when any one of them signed the body).

The built-in schemes: Stripe (``Stripe-Signature: t=...,v1=...``), GitHub
(``X-Hub-Signature-256: sha256=...``) and Standard Webhooks (``webhook-signature: v1,<base64>``,
used by Svix and others). Each built-in provider's scheme lives in its own package and is
re-exported here by name, loaded on first use.
"""

from __future__ import annotations

from ._signing import (
    STANDARD_TOLERANCE,
    check_timestamp,
    check_tolerance,
    header,
    hmac_hex,
    same,
    standard_headers,
    standard_signature,
    standard_verify,
    verify_any,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .providers.github._signing import github_headers, github_verify
    from .providers.stripe._signing import stripe_header, stripe_v1, stripe_verify

__all__ = [
    "STANDARD_TOLERANCE",
    "check_timestamp",
    "check_tolerance",
    "github_headers",
    "github_verify",
    "header",
    "hmac_hex",
    "same",
    "standard_headers",
    "standard_signature",
    "standard_verify",
    "stripe_header",
    "stripe_v1",
    "stripe_verify",
    "verify_any",
]

#: Scheme functions of the built-in providers: ``<provider>_...`` lives in that provider's
#: ``_signing`` module, imported when first asked for (it imports this module's helpers).
_SCHEME_PREFIXES = ("stripe_", "github_")


def __getattr__(name: str) -> Any:
    import importlib

    prefix = name.partition("_")[0]
    if name in __all__ and f"{prefix}_" in _SCHEME_PREFIXES:
        module = importlib.import_module(f"hookmock.providers.{prefix}._signing")
        return getattr(module, name)
    raise AttributeError(f"module 'hookmock.signing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
