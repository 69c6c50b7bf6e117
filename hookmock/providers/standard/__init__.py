"""Standard Webhooks (standardwebhooks.com, as Svix sends them): ``hookmock.standard``.

The envelope, headers, signature and Svix's retry schedule are built in; the event types are the
user's: ``hookmock.standard.register("invoice.paid", schema={...})``.
"""

from __future__ import annotations

from ._provider import SVIX_RETRY_SCHEDULE, SVIX_TIMEOUT, StandardProvider, UnregisteredTypeError

__all__ = ["SVIX_RETRY_SCHEDULE", "SVIX_TIMEOUT", "StandardProvider", "UnregisteredTypeError"]
