"""Stripe: a catalog of event types, object factories, the event envelope and ``Stripe-Signature``."""

from __future__ import annotations

from ._provider import API_VERSION, StripeProvider

__all__ = ["API_VERSION", "StripeProvider"]
