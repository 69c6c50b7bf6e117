"""Stripe's fast signer for ``hookmock load``: the ``Stripe-Signature`` of each delivery, its
HMACs keyed once per template rather than once per request (a load run signs thousands)."""

from __future__ import annotations

import hmac

from hookmock.signing import header

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence


def load_signer(
    secrets: Sequence[str], headers: Mapping[str, str]
) -> Callable[[bytes, int], dict[str, str]]:
    """``t=<now>,v1=...`` (one ``v1`` per secret, as ``stripe_header`` signs), keeping the
    test-mode ``v0=`` entry of the generated headers (verifiers ignore it)."""
    keyed = [hmac.new(s.encode(), digestmod="sha256") for s in secrets]
    signature = header(headers, "Stripe-Signature") or ""
    v0 = [p for p in signature.split(",") if p.startswith("v0=")]
    tail = "," + v0[0] if v0 else ""

    def sign(body: bytes, now: int) -> dict[str, str]:
        message = b"%d." % now
        v1 = ""
        for key in keyed:
            mac = key.copy()
            mac.update(message)
            mac.update(body)
            v1 += ",v1=" + mac.hexdigest()
        return {"Stripe-Signature": f"t={now}{v1}{tail}"}

    return sign
