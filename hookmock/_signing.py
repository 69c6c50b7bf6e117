"""Signing primitives (HMAC, constant-time comparison, timestamps, header lookup) and the
Standard Webhooks scheme (``v1,``).

Pure functions over bytes; every signature covers the exact body bytes that are sent. Each
provider's own scheme lives in its package (``providers/<name>/_signing.py``), built from the
public helpers of :mod:`hookmock.signing`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import time
from datetime import datetime, timezone

from ._errors import (
    ArgumentTypeError,
    ConfigurationError,
    SecretError,
    SecretTypeError,
    SignatureError,
)
from ._redaction import remember
from ._seeding import BASE62

TYPE_CHECKING = False
if TYPE_CHECKING:
    import random
    from collections.abc import Callable, Iterable, Mapping, Sequence

STANDARD_TOLERANCE = 300


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup (HTTP header names are case-insensitive)."""
    if not hasattr(headers, "items"):
        raise ArgumentTypeError(
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
        raise ArgumentTypeError(f"the {name} header must be a str, got {type(found).__name__}.")
    return found


def _same(expected: str, given: str) -> bool:
    """Constant-time comparison that never raises on odd input (the header is attacker-controlled)."""
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


#: Signature times past the year 9999 are refused (they would not even print).
MAX_TIMESTAMP = 253_402_300_799


def check_timestamp(timestamp: object) -> int:
    """A signature time, resolved to unix seconds.

    One meaning everywhere (Python, the CLI's ``--timestamp``, a contract's ``timestamp:``):
    None signs now; a negative int is that many seconds ago (``-600``: ten minutes ago); a
    positive int is a unix time. 0 would read either way (now, or 1970), so it is refused.
    """
    if timestamp is None:
        return int(time.time())
    if isinstance(timestamp, bool) or not isinstance(timestamp, int):
        raise ArgumentTypeError(
            f"timestamp must be unix seconds as an int (or None for now), got {timestamp!r:.60}."
        )
    if timestamp == 0:
        raise ConfigurationError(
            "timestamp=0 is ambiguous: it could mean now or 1970. Leave it out (or pass None)"
            " to sign now, pass a negative number for seconds ago (timestamp=-600: ten minutes"
            " ago), or a positive unix time (timestamp=1700000000)."
        )
    if not -MAX_TIMESTAMP <= timestamp <= MAX_TIMESTAMP:
        shown = f"{timestamp}" if timestamp.bit_length() <= 64 else "a far larger number"
        raise ConfigurationError(
            "timestamp is out of range: pass a unix time before the year 10000, or a negative"
            f" number of seconds ago; got {shown}."
        )
    if timestamp < 0:
        return int(time.time()) + timestamp
    return timestamp


def hmac_hex(secret: str, body: bytes | str, digest: str = "sha256") -> str:
    """The hex HMAC of ``body`` keyed with ``secret`` (UTF-8): the core of most schemes."""
    return hmac.new(secret.encode(), _as_bytes(body), digest).hexdigest()


def verify_any(secrets: Iterable[str], check: Callable[[str], object]) -> None:
    """Pass when ``check(secret)`` passes for any one of ``secrets`` (a rotation: the receiver
    holds the old and the new secret); else raise the last :class:`SignatureError`."""
    failure: SignatureError | None = None
    for secret in secrets:
        try:
            check(secret)
        except SignatureError as exc:
            failure = exc
        else:
            return
    if failure is not None:
        raise failure


def same(expected: str, given: str) -> bool:
    """Whether a signature read from a request equals the expected one, in constant time and
    without raising on odd input (the header is attacker-controlled)."""
    return _same(expected, given)


def _hmac_hex(key: str, message: bytes, digest: str = "sha256") -> str:
    return hmac.new(key.encode(), message, digest).hexdigest()


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode() if isinstance(body, str) else bytes(body)


def check_tolerance(tolerance: object, now: object = None) -> None:
    """``tolerance=`` and ``now=`` are seconds (int or float) or None; say so, not TypeError."""
    for name, value in (("tolerance", tolerance), ("now", now)):
        if value is None:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            example = "tolerance=300" if name == "tolerance" else "now=1700000000"
            raise ConfigurationError(
                f"{name}= takes seconds as a number ({example}) or None, got"
                f" {type(value).__name__} {value!r:.40}."
            )


# -- Standard Webhooks --------------------------------------------------------------------------


def _standard_key(secret: str) -> bytes:
    """The HMAC key: the base64 after ``whsec_``, decoded as ``standardwebhooks`` does (padding
    optional, characters outside the alphabet skipped)."""
    if not isinstance(secret, str) or not secret.strip():
        got = "a blank string" if isinstance(secret, str) else f"a {type(secret).__name__}"
        raise (SecretError if isinstance(secret, str) else SecretTypeError)(
            "A Standard Webhooks secret is 'whsec_' followed by base64 (24 to 64 random bytes);"
            f" got {got}."
        )
    raw = secret[len("whsec_") :] if secret.startswith("whsec_") else secret
    try:
        key = base64.b64decode(raw + "==")
    except (binascii.Error, ValueError):
        key = b""
    if not key:
        raise SecretError(
            "A Standard Webhooks secret is 'whsec_' followed by base64 (24 to 64 random bytes);"
            " the one given is not valid base64 of at least one byte."
        )

    remember(secret)
    return key


def standard_signature(msg_id: str, timestamp: int, body: bytes | str, secret: str) -> str:
    """``v1,<base64 HMAC-SHA256 of f"{id}.{timestamp}.{body}">``, key = base64-decoded secret."""
    message = f"{msg_id}.{timestamp}.".encode() + _as_bytes(body)
    digest = hmac.new(_standard_key(secret), message, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def standard_message_id(
    body: bytes | str | None = None, *, rng: random.Random | None = None
) -> str:
    """A ``msg_`` id as Svix makes them (27 base62 characters): derived from ``body`` (stable for
    one body, different for another: a signature covers the id, so a body re-signed later keeps
    it), or drawn from ``rng`` (a ``random.Random``)."""
    if rng is not None:
        return "msg_" + "".join(rng.choice(BASE62) for _ in range(27))
    n = int.from_bytes(hashlib.sha256(b"hookmock-msg:" + _as_bytes(body or b"")).digest(), "big")
    chars = []
    for _ in range(27):
        n, r = divmod(n, 62)
        chars.append(BASE62[r])
    return "msg_" + "".join(chars)


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
    tolerance: float | None = STANDARD_TOLERANCE,
    now: float | None = None,
) -> None:
    """Verify exactly as the reference ``standardwebhooks.Webhook.verify`` does.

    ``webhook-timestamp`` is read as a float and signed floored to whole seconds; signatures are
    space-separated ``version,base64`` entries checked in order, and a malformed entry before
    the matching one fails the check, as in the reference.
    """
    check_tolerance(tolerance, now)
    key = _standard_key(secret)
    raw = _as_bytes(body)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SignatureError(
            "The body is not UTF-8 text; standardwebhooks decodes it before checking and fails."
        ) from None
    msg_id = header(headers, "webhook-id")
    ts_text = header(headers, "webhook-timestamp")
    sigs = header(headers, "webhook-signature")
    if not msg_id or not ts_text or not sigs:
        raise SignatureError("Missing webhook-id, webhook-timestamp or webhook-signature header.")
    ts = _standard_time(ts_text)
    current = time.time() if now is None else now
    if tolerance is not None and ts < current - tolerance:
        raise SignatureError("Message timestamp too old (Standard Webhooks allows 5 minutes).")
    if tolerance is not None and ts > current + tolerance:
        raise SignatureError("Message timestamp too new (Standard Webhooks allows 5 minutes).")
    message = f"{msg_id}.{math.floor(ts)}.".encode() + raw
    expected = hmac.new(key, message, hashlib.sha256).digest()
    for entry in sigs.split(" "):
        parts = entry.split(",")
        if len(parts) != 2:
            raise SignatureError(
                f"webhook-signature entry {entry[:40]!r} is not 'version,signature'."
            )
        version, sig = parts
        if version != "v1":
            continue
        try:
            given = base64.b64decode(sig)
        except (binascii.Error, ValueError):
            raise SignatureError(
                f"webhook-signature entry {entry[:40]!r} is not valid base64."
            ) from None
        if hmac.compare_digest(expected, given):
            return
    raise SignatureError("No matching v1 signature in webhook-signature.")


def _standard_time(text: str) -> float:
    """``webhook-timestamp`` as the reference reads it: ``datetime.fromtimestamp(float(text))``."""
    try:
        return datetime.fromtimestamp(float(text), tz=timezone.utc).timestamp()
    except (ValueError, OverflowError, OSError):
        raise SignatureError(f"webhook-timestamp is not a unix time: {text[:40]!r}.") from None
