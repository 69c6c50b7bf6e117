"""The signature schemes as plain functions over bytes, for code that signs or checks by hand.

The building blocks a provider's own ``sign``/``verify`` use: :func:`hmac_hex`, :func:`same`
(constant-time comparison), :func:`header` (case-insensitive lookup), :func:`check_timestamp`
(one meaning of ``timestamp=`` everywhere), :func:`check_tolerance` and :func:`verify_any`
(a rotation of secrets passes when any one of them signed the body).

The ``webhook-signature: v1,<base64>`` scheme (standardwebhooks.com, used by Svix and others) is
built in: ``standard_headers``, ``standard_verify``. Each built-in provider's own scheme lives in
its package's ``_signing`` module and is re-exported here as ``<provider>_<name>`` (the functions
that module names after its provider), loaded on first use.

:class:`HmacScheme` declares any other HMAC scheme (header, prefix, hex or base64, algorithm,
what is signed), for a provider that is described rather than written (``openapi_provider``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass

from ._errors import ConfigurationError, SignatureError
from ._registry import builtin_names
from ._signing import (
    STANDARD_TOLERANCE,
    check_timestamp,
    check_tolerance,
    header,
    hmac_hex,
    same,
    standard_headers,
    standard_message_id,
    standard_signature,
    standard_verify,
    verify_any,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    # Public facade typing: type checkers cannot see through __getattr__, so the documented
    # re-exports (hookmock.signing.<provider>_header ...) are named here and in __all__ below. At run
    # time __getattr__ finds them in any built-in provider's _signing module by their prefix.
    from .providers.github._signing import github_headers, github_verify
    from .providers.stripe._signing import stripe_header, stripe_v1, stripe_verify

__all__ = [
    "HMAC_ALGORITHMS",
    "STANDARD_TOLERANCE",
    "HmacScheme",
    "check_timestamp",
    "check_tolerance",
    "github_headers",
    "github_verify",
    "header",
    "hmac_hex",
    "same",
    "standard_headers",
    "standard_message_id",
    "standard_signature",
    "standard_verify",
    "stripe_header",
    "stripe_v1",
    "stripe_verify",
    "verify_any",
]

#: The digests an :class:`HmacScheme` may name.
HMAC_ALGORITHMS = ("sha1", "sha256", "sha384", "sha512")


@dataclass(frozen=True)
class HmacScheme:
    """An HMAC signature scheme, declared rather than coded.

    ``HmacScheme("X-Hub-Signature-256", prefix="sha256=")`` signs the hex HMAC-SHA256 of the
    body, keyed with the secret's UTF-8 bytes. ``message`` says what is signed, with
    ``{body}`` (the exact body bytes) and ``{timestamp}`` (unix seconds, sent in
    ``timestamp_header``): ``HmacScheme("X-Signature", prefix="v0=", message="v0:{timestamp}:{body}",
    timestamp_header="X-Request-Timestamp")``. With a ``separator`` the header carries one
    signature per secret (rotation); without one, a single signature.
    """

    #: The header that carries the signature.
    header: str
    #: Text before each signature, such as ``sha256=``.
    prefix: str = ""
    #: ``"hex"`` (lower-case) or ``"base64"``.
    encoding: str = "hex"
    #: ``"sha256"``, ``"sha1"``, ``"sha384"`` or ``"sha512"``.
    algorithm: str = "sha256"
    #: What is signed: ``{body}`` once, and optionally ``{timestamp}``.
    message: str = "{body}"
    #: The header that carries ``{timestamp}`` (required when the message has one).
    timestamp_header: str = ""
    #: Joins several signatures in the header (secret rotation); empty: one signature only.
    separator: str = ""
    #: Seconds a signed timestamp may be off, either way, when verifying.
    tolerance: int = STANDARD_TOLERANCE

    def __post_init__(self) -> None:
        for field in ("header", "prefix", "encoding", "algorithm", "message"):
            if not isinstance(getattr(self, field), str):
                raise ConfigurationError(
                    f"HmacScheme({field}=...) is a str, got {type(getattr(self, field)).__name__}."
                )
        if not self.header.strip():
            raise ConfigurationError(
                "HmacScheme needs the signature header's name, e.g."
                " HmacScheme('X-Hub-Signature-256', prefix='sha256=')."
            )
        if self.encoding not in ("hex", "base64"):
            raise ConfigurationError(
                f"HmacScheme(encoding={self.encoding!r}): pass 'hex' or 'base64'."
            )
        if self.algorithm not in HMAC_ALGORITHMS:
            raise ConfigurationError(
                f"HmacScheme(algorithm={self.algorithm!r}): pass one of"
                f" {', '.join(HMAC_ALGORITHMS)}."
            )
        if self.message.count("{body}") != 1:
            raise ConfigurationError(
                f"HmacScheme(message={self.message!r}) must hold {{body}} exactly once (what is"
                " signed: '{body}', or '{timestamp}.{body}' with a timestamp_header)."
            )
        if "{timestamp}" in self.message and not self.timestamp_header:
            raise ConfigurationError(
                f"HmacScheme(message={self.message!r}) signs a timestamp: name the header it"
                " travels in, timestamp_header='X-Timestamp'."
            )
        if self.timestamp_header and "{timestamp}" not in self.message:
            raise ConfigurationError(
                f"HmacScheme(timestamp_header={self.timestamp_header!r}) but the message"
                f" {self.message!r} does not sign the timestamp; add {{timestamp}} to it."
            )
        if isinstance(self.tolerance, bool) or not isinstance(self.tolerance, int):
            raise ConfigurationError(
                f"HmacScheme(tolerance=...) is whole seconds, got {self.tolerance!r}."
            )

    @property
    def signs_timestamp(self) -> bool:
        return "{timestamp}" in self.message

    def signature(self, body: bytes | str, secret: str, timestamp: int | None = None) -> str:
        """The header's value for one secret: prefix + encoded HMAC of the message."""
        raw = body.encode() if isinstance(body, str) else bytes(body)
        before, _, after = self.message.partition("{body}")
        stamp = str(timestamp if timestamp is not None else "")
        message = (
            before.replace("{timestamp}", stamp).encode()
            + raw
            + after.replace("{timestamp}", stamp).encode()
        )
        digest = hmac.new(secret.encode(), message, getattr(hashlib, self.algorithm)).digest()
        text = digest.hex() if self.encoding == "hex" else base64.b64encode(digest).decode()
        return self.prefix + text

    def sign(
        self, body: bytes | str, secrets: str | Sequence[str], *, timestamp: int | None = None
    ) -> dict[str, str]:
        """The signature header (and the timestamp header, if the scheme signs one)."""
        keys = [secrets] if isinstance(secrets, str) else list(secrets)
        if len(keys) > 1 and not self.separator:
            raise ConfigurationError(
                f"{self.header} carries one signature, so it cannot sign with {len(keys)}"
                " secrets at once; pass one secret, or declare the scheme's rotation with"
                " HmacScheme(separator=',')."
            )
        ts = check_timestamp(timestamp) if self.signs_timestamp else None
        out = {self.header: self.separator.join(self.signature(body, k, ts) for k in keys)}
        if ts is not None:
            out[self.timestamp_header] = str(ts)
        return out

    def verify(
        self,
        body: bytes | str,
        headers: Mapping[str, str],
        secret: str,
        *,
        tolerance: float | None = None,
        now: float | None = None,
    ) -> None:
        """Raise :class:`hookmock.SignatureError` unless ``headers`` sign ``body`` with ``secret``."""
        check_tolerance(tolerance, now)
        given = header(headers, self.header)
        if given is None:
            raise SignatureError(f"Missing {self.header} header.")
        ts: int | None = None
        if self.signs_timestamp:
            text = header(headers, self.timestamp_header)
            if text is None:
                raise SignatureError(f"Missing {self.timestamp_header} header.")
            try:
                ts = int(text.strip())
            except ValueError:
                raise SignatureError(
                    f"{self.timestamp_header} is not a unix time: {text[:40]!r}."
                ) from None
            limit = self.tolerance if tolerance is None else tolerance
            current = time.time() if now is None else now
            if abs(current - ts) > limit:
                raise SignatureError(
                    f"{self.timestamp_header} is {int(current - ts)} s away from now, outside the"
                    f" {limit:g} s tolerance."
                )
        expected = self.signature(body, secret, ts)
        entries = given.split(self.separator) if self.separator else [given]
        if not any(same(expected, entry.strip()) for entry in entries):
            raise SignatureError(f"{self.header} does not match the body for this secret.")


def __getattr__(name: str) -> Any:
    """``<provider>_<name>``: a function a built-in provider's ``_signing`` module defines and
    names after its provider, imported when first asked for (that module imports this one)."""
    import importlib

    prefix, sep, rest = name.partition("_")
    if sep and rest and prefix in builtin_names():
        path = f"{__package__}.providers.{prefix}._signing"
        try:
            module = importlib.import_module(path)
        except ModuleNotFoundError as exc:  # a built-in that signs with this module's schemes
            if exc.name != path:
                raise
            module = None
        found = getattr(module, name, None)
        if callable(found) and getattr(found, "__module__", None) == getattr(
            module, "__name__", ""
        ):
            return found
    raise AttributeError(f"module 'hookmock.signing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
