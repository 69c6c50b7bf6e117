"""GitHub's fast signer for ``hookmock load``: both signature headers of each delivery, the
HMACs keyed once per template rather than once per request (a load run signs thousands)."""

from __future__ import annotations

import hmac

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence


def load_signer(
    secrets: Sequence[str], headers: Mapping[str, str]
) -> Callable[[bytes, int], dict[str, str]]:
    """``X-Hub-Signature-256`` and ``X-Hub-Signature``, as ``github_headers`` signs them."""
    secret = secrets[0].encode()
    sha256 = hmac.new(secret, digestmod="sha256")
    sha1 = hmac.new(secret, digestmod="sha1")

    def sign(body: bytes, now: int) -> dict[str, str]:
        a, b = sha256.copy(), sha1.copy()
        a.update(body)
        b.update(body)
        return {
            "X-Hub-Signature-256": "sha256=" + a.hexdigest(),
            "X-Hub-Signature": "sha1=" + b.hexdigest(),
        }

    return sign
