"""The Event: one generated (or captured) webhook delivery, with the exact bytes that are signed."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._provider import Provider


class Event:
    """One webhook event as a provider would send it.

    ``body`` is computed once from ``payload`` and is exactly what is sent and signed; use
    :meth:`replace` (not in-place edits of ``payload``) to change a field.
    """

    __slots__ = ("_spec", "body", "created", "id", "meta", "payload", "provider", "seed", "type")

    def __init__(
        self,
        *,
        provider: str,
        type: str,
        id: str,
        payload: dict[str, Any],
        body: bytes,
        seed: int | None,
        created: int,
        meta: dict[str, Any] | None = None,
        spec: dict[str, Any] | None = None,
    ) -> None:
        self.provider = provider
        self.type = type
        self.id = id
        self.payload = payload
        self.body = body
        self.seed = seed
        self.created = created
        self.meta: dict[str, Any] = dict(meta or {})
        self._spec: dict[str, Any] = dict(spec or {})

    def _provider(self) -> Provider:
        from ._registry import get_provider

        return get_provider(self.provider)

    def headers(
        self, secret: str | None = None, *, timestamp: int | None = None, **options: Any
    ) -> dict[str, str]:
        """The provider's real header set for this event, signature included.

        Stripe: ``Stripe-Signature`` (``t=...,v1=...``) and Stripe's delivery headers.
        GitHub: ``X-GitHub-Event``, ``X-GitHub-Delivery``, ``X-Hub-Signature-256`` and the rest.
        ``secret`` is required; pass a list of secrets to sign with each (secret rotation).
        """
        return self._provider().headers(self, secret, timestamp=timestamp, **options)

    def replace(self, *, overrides: dict[str, Any] | None = None, **paths: Any) -> Event:
        """Build this event again, same seed and options, with more overrides on top."""
        if not self._spec:
            from ._overrides import apply, normalize

            tree = normalize(overrides, paths)
            prov = self._provider()
            payload = apply(_deepcopy(self.payload), tree, open_maps=prov.open_maps)
            return prov.from_payload(payload, type=self.type, meta=self.meta)
        from ._overrides import normalize

        spec = dict(self._spec)
        tree = _merge_trees(spec.pop("overrides_tree", {}), normalize(overrides, paths))
        return self._provider().event(self.type, seed=self.seed, _tree=tree, **spec)

    def json(self) -> dict[str, Any]:
        """A fresh parse of ``body`` (what a receiver sees), independent of ``payload``.

        A form-encoded GitHub body (``payload=<urlencoded JSON>``) is unwrapped first.
        """
        from ._validation import load_payload

        return load_payload(self.body)

    def __repr__(self) -> str:
        return (
            f"<hookmock.Event {self.provider} {self.type} id={self.id} seed={self.seed}"
            f" {len(self.body)} bytes>"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Event):
            return NotImplemented
        return (self.provider, self.type, self.id, self.body) == (
            other.provider,
            other.type,
            other.id,
            other.body,
        )

    def __hash__(self) -> int:
        return hash((self.provider, self.type, self.id, self.body))


def _deepcopy(value: Any) -> Any:
    import copy

    return copy.deepcopy(value)


def _merge_trees(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge_trees(out[k], v)
        else:
            out[k] = v
    return out
