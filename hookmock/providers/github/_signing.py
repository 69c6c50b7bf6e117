"""GitHub's scheme: ``X-Hub-Signature-256: sha256=<hex>`` (and the legacy SHA-1 header)."""

from __future__ import annotations

from hookmock import SignatureError
from hookmock.signing import header, hmac_hex, same

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping


def github_headers(body: bytes | str, secret: str) -> dict[str, str]:
    """``X-Hub-Signature-256: sha256=<hex>`` and the legacy ``X-Hub-Signature: sha1=<hex>``."""
    return {
        "X-Hub-Signature-256": "sha256=" + hmac_hex(secret, body, "sha256"),
        "X-Hub-Signature": "sha1=" + hmac_hex(secret, body, "sha1"),
    }


def github_verify(body: bytes | str, headers: Mapping[str, str], secret: str) -> None:
    """Verify ``X-Hub-Signature-256`` as GitHub documents it (and gidgethub and githubkit do):
    the header must equal ``"sha256=" + lowercase hex`` exactly. The SHA-1 header is ignored."""
    got = header(headers, "X-Hub-Signature-256")
    if not got:
        raise SignatureError(
            "Missing X-Hub-Signature-256 header. GitHub sends it only when the hook has a secret."
        )
    if not got.startswith("sha256="):
        raise SignatureError(
            f"X-Hub-Signature-256 should look like 'sha256=<hex>', got {got[:80]!r}."
        )
    expected = "sha256=" + hmac_hex(secret, body, "sha256")
    if not same(expected, got):
        raise SignatureError(
            "X-Hub-Signature-256 does not match the body for this secret (GitHub's check is an"
            " exact comparison: lowercase hex, nothing around it)."
        )
