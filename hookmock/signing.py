"""The signature schemes as plain functions over bytes, for code that signs or checks by hand.

The built-in schemes: Stripe (``Stripe-Signature: t=...,v1=...``), GitHub
(``X-Hub-Signature-256: sha256=...``) and Standard Webhooks (``webhook-signature: v1,<base64>``,
used by Svix and others). The building blocks a provider's own ``sign``/``verify`` use:
:func:`hmac_hex`, :func:`same` (constant-time comparison), :func:`header` (case-insensitive
lookup) and :func:`check_timestamp` (one meaning of ``timestamp=`` everywhere).
"""

from __future__ import annotations

from ._signing import (
    check_timestamp,
    github_headers,
    github_verify,
    header,
    hmac_hex,
    same,
    standard_headers,
    standard_signature,
    standard_verify,
    stripe_header,
    stripe_v1,
    stripe_verify,
)

__all__ = [
    "check_timestamp",
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
]
