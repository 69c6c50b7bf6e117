"""Stripe's scheme: ``Stripe-Signature: t=<ts>,v1=<hex>``, verified as stripe-python does."""

from __future__ import annotations

import time

from hookmock import SignatureError
from hookmock.signing import check_timestamp, check_tolerance, hmac_hex, same

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

#: Stripe's default tolerance: signatures older than five minutes are refused.
STRIPE_TOLERANCE = 300


def stripe_v1(body: bytes | str, secret: str, timestamp: int) -> str:
    """HMAC-SHA256 of ``f"{t}.{body}"`` keyed with the whole ``whsec_...`` string, lowercase hex."""
    raw = body.encode() if isinstance(body, str) else bytes(body)
    return hmac_hex(secret, f"{timestamp}.".encode() + raw)


def stripe_header(
    body: bytes | str,
    secrets: Sequence[str],
    timestamp: int | None = None,
    *,
    v0: str | None = None,
) -> str:
    """The ``Stripe-Signature`` value: ``t=<ts>,v1=<hex>`` (one ``v1`` per secret, then ``v0``)."""
    ts = check_timestamp(timestamp)
    parts = [f"t={ts}"] + [f"v1={stripe_v1(body, s, ts)}" for s in secrets]
    if v0 is not None:
        parts.append(f"v0={v0}")
    return ",".join(parts)


def stripe_verify(
    body: bytes | str,
    sig_header: str | None,
    secret: str,
    *,
    tolerance: float | None = STRIPE_TOLERANCE,
    now: float | None = None,
) -> int:
    """Verify exactly as stripe-python's ``WebhookSignature.verify_header``; return the timestamp.

    Same parsing (items split on ``,`` with no trimming, the *first* ``t=``, ``int()`` of it),
    same message (``f"{t}.{body}"`` with the body as UTF-8 text), same tolerance (only old
    timestamps fail; 0 or None turns the check off). Raises :class:`SignatureError` with
    Stripe's own wording for each failure.
    """
    check_tolerance(tolerance, now)
    if not sig_header:
        raise SignatureError("Missing Stripe-Signature header.")
    if not isinstance(sig_header, str):
        raise SignatureError(
            f"The Stripe-Signature header must be text, got {type(sig_header).__name__}."
        )
    raw = body.encode() if isinstance(body, str) else bytes(body)
    try:
        raw.decode("utf-8")  # stripe-python decodes the body before it signs
    except UnicodeDecodeError:
        raise SignatureError(
            "The body is not UTF-8 text; stripe-python decodes it before checking and fails."
        ) from None
    items = [item.split("=", 2) for item in sig_header.split(",")]
    try:
        timestamp = int(next(item[1] for item in items if item[0] == "t"))
        v1 = [item[1] for item in items if item[0] == "v1"]
    except (StopIteration, IndexError, ValueError):
        raise SignatureError("Unable to extract timestamp and signatures from header") from None
    if not v1:
        raise SignatureError("No signatures found with expected scheme v1")
    expected = stripe_v1(raw, secret, timestamp)
    if not any(same(expected, sig) for sig in v1):
        raise SignatureError("No signatures found matching the expected signature for payload")
    current = time.time() if now is None else now
    if tolerance and timestamp < current - tolerance:
        raise SignatureError("Timestamp outside the tolerance zone")
    return timestamp
