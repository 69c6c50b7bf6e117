"""Signature schemes: Stripe (``t=,v1=``), GitHub (``sha256=``) and Standard Webhooks (``v1,``).

Pure functions over bytes; every signature covers the exact body bytes that are sent.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from ._errors import SignatureError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

STRIPE_TOLERANCE = 300
STANDARD_TOLERANCE = 300


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup (HTTP header names are case-insensitive)."""
    if not hasattr(headers, "items"):
        raise TypeError(
            f"headers must be a dict of header names to values, got {type(headers).__name__}."
        )
    found: object = None
    if name in headers:
        found = headers[name]
    else:
        lower = name.lower()
        for key, value in headers.items():
            if isinstance(key, str) and key.lower() == lower:
                found = value
                break
    if found is None:
        return None
    if isinstance(found, bytes):
        return found.decode("latin-1")  # what an HTTP server hands over for raw header bytes
    if not isinstance(found, str):
        raise TypeError(f"the {name} header must be a str, got {type(found).__name__}.")
    return found


def _same(expected: str, given: str) -> bool:
    """Constant-time comparison that never raises on odd input (the header is attacker-controlled)."""
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


def check_timestamp(timestamp: object) -> int:
    """A signature time: None (now) or whole unix seconds."""
    if timestamp is None:
        return int(time.time())
    if isinstance(timestamp, bool) or not isinstance(timestamp, int):
        raise TypeError(
            f"timestamp must be unix seconds as an int (or None for now), got {timestamp!r}."
        )
    return timestamp


def _hmac_hex(key: str, message: bytes, digest: str = "sha256") -> str:
    return hmac.new(key.encode(), message, digest).hexdigest()


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode() if isinstance(body, str) else bytes(body)


# -- Stripe -------------------------------------------------------------------------------------


def stripe_v1(body: bytes | str, secret: str, timestamp: int) -> str:
    """HMAC-SHA256 of ``f"{t}.{body}"`` keyed with the whole ``whsec_...`` string, lowercase hex."""
    return _hmac_hex(secret, f"{timestamp}.".encode() + _as_bytes(body))


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
    tolerance: int | None = STRIPE_TOLERANCE,
    now: int | None = None,
) -> int:
    """Verify like stripe-python's ``WebhookSignature.verify_header``; return the timestamp.

    Raises :class:`SignatureError` with Stripe's own wording for each failure.
    """
    if not sig_header:
        raise SignatureError("Missing Stripe-Signature header.")
    timestamp: int | None = None
    v1: list[str] = []
    for item in sig_header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                timestamp = None
        elif key == "v1":
            v1.append(value)
    if timestamp is None:
        raise SignatureError("Unable to extract timestamp and signatures from header")
    if not v1:
        raise SignatureError("No signatures found with expected scheme v1")
    expected = stripe_v1(body, secret, timestamp)
    if not any(_same(expected, sig) for sig in v1):
        raise SignatureError("No signatures found matching the expected signature for payload")
    current = int(time.time()) if now is None else now
    if tolerance and timestamp < current - tolerance:
        raise SignatureError("Timestamp outside the tolerance zone")
    return timestamp


# -- GitHub -------------------------------------------------------------------------------------


def github_headers(body: bytes | str, secret: str) -> dict[str, str]:
    """``X-Hub-Signature-256: sha256=<hex>`` and the legacy ``X-Hub-Signature: sha1=<hex>``."""
    raw = _as_bytes(body)
    return {
        "X-Hub-Signature-256": "sha256=" + _hmac_hex(secret, raw, "sha256"),
        "X-Hub-Signature": "sha1=" + _hmac_hex(secret, raw, "sha1"),
    }


def github_verify(body: bytes | str, headers: Mapping[str, str], secret: str) -> None:
    """Verify ``X-Hub-Signature-256`` (as GitHub recommends; the SHA-1 header is ignored)."""
    got = header(headers, "X-Hub-Signature-256")
    if not got:
        raise SignatureError(
            "Missing X-Hub-Signature-256 header. GitHub sends it only when the hook has a secret."
        )
    algo, sep, digest = got.partition("=")
    if algo != "sha256" or not sep:
        raise SignatureError(
            f"X-Hub-Signature-256 should look like 'sha256=<hex>', got {got[:80]!r}."
        )
    expected = _hmac_hex(secret, _as_bytes(body), "sha256")
    if not _same(expected, digest.strip().lower()):
        raise SignatureError("X-Hub-Signature-256 does not match the body for this secret.")


# -- Standard Webhooks --------------------------------------------------------------------------


def _standard_key(secret: str) -> bytes:
    import base64
    import binascii

    from ._errors import SecretError

    if not isinstance(secret, str) or not secret.strip():
        raise SecretError(
            "A Standard Webhooks secret is 'whsec_' followed by base64 (24 to 64 random bytes);"
            f" got {secret!r}."
        )
    raw = secret[len("whsec_") :] if secret.startswith("whsec_") else secret
    try:
        key = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not key:
        raise SecretError(
            "A Standard Webhooks secret is 'whsec_' followed by base64 (24 to 64 random bytes);"
            f" {secret[:10]}... is not valid base64 of at least one byte."
        )
    return key


def standard_signature(msg_id: str, timestamp: int, body: bytes | str, secret: str) -> str:
    """``v1,<base64 HMAC-SHA256 of f"{id}.{timestamp}.{body}">``, key = base64-decoded secret."""
    import base64

    message = f"{msg_id}.{timestamp}.".encode() + _as_bytes(body)
    digest = hmac.new(_standard_key(secret), message, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def standard_headers(
    msg_id: str, body: bytes | str, secrets: str | Sequence[str], timestamp: int | None = None
) -> dict[str, str]:
    """``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (one ``v1,`` per secret)."""
    if isinstance(secrets, str):
        secrets = [secrets]
    ts = check_timestamp(timestamp)
    sigs = " ".join(standard_signature(msg_id, ts, body, s) for s in secrets)
    return {"webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": sigs}


def standard_verify(
    body: bytes | str,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: int | None = STANDARD_TOLERANCE,
    now: int | None = None,
) -> None:
    msg_id = header(headers, "webhook-id")
    ts_text = header(headers, "webhook-timestamp")
    sigs = header(headers, "webhook-signature")
    if not msg_id or not ts_text or not sigs:
        raise SignatureError("Missing webhook-id, webhook-timestamp or webhook-signature header.")
    try:
        ts = int(ts_text)
    except ValueError:
        raise SignatureError(f"webhook-timestamp is not a unix time: {ts_text[:40]!r}.") from None
    current = int(time.time()) if now is None else now
    if tolerance is not None and abs(current - ts) > tolerance:
        raise SignatureError(
            "Message timestamp too old or too new (Standard Webhooks allows 5 minutes)."
        )
    expected = standard_signature(msg_id, ts, body, secret).partition(",")[2]
    for entry in sigs.split(" "):
        version, _, sig = entry.partition(",")
        if version == "v1" and _same(expected, sig):
            return
    raise SignatureError("No matching v1 signature in webhook-signature.")
