"""The signature schemes as plain functions over bytes, for code that signs or checks by hand.

Stripe (``Stripe-Signature: t=...,v1=...``), GitHub (``X-Hub-Signature-256: sha256=...``) and
Standard Webhooks (``webhook-signature: v1,<base64>``, used by Svix and others).
"""

from __future__ import annotations

from ._signing import (
    github_headers,
    github_verify,
    header,
    standard_headers,
    standard_signature,
    standard_verify,
    stripe_header,
    stripe_v1,
    stripe_verify,
)

__all__ = [
    "github_headers",
    "github_verify",
    "header",
    "standard_headers",
    "standard_signature",
    "standard_verify",
    "stripe_header",
    "stripe_v1",
    "stripe_verify",
]
