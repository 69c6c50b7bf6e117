"""The Stripe provider: event envelope, pretty-printed body, ``Stripe-Signature`` and headers."""

from __future__ import annotations

import datetime
import hashlib

from hookmock.authoring import (
    ArgumentTypeError,
    ConfigurationError,
    Provider,
    Violation,
    check_secret,
    did_you_mean,
    usable_id,
)
from hookmock.signing import header, verify_any

from . import _generated, _versions
from ._catalog import catalog, entries
from ._json import pretty
from ._load import load_signer
from ._maker import Maker
from ._signing import STRIPE_TOLERANCE, stripe_header, stripe_verify

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any, ClassVar

    from hookmock.authoring import BuildContext, Event

#: The API version stripe-python 16.1.0 pins (``stripe.api_version``); events carry it by default.
API_VERSION = "2026-10-28.endive"

_DELIVERY_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    "Accept": "*/*; q=0.5, application/xml",
    "Cache-Control": "no-cache",
}


class StripeProvider(Provider):
    """Stripe events (``payment_intent.succeeded`` ...) signed with ``Stripe-Signature``."""

    name: ClassVar[str] = "stripe"
    title: ClassVar[str] = "Stripe"
    signature_header: ClassVar[str] = "Stripe-Signature"
    signs_timestamp: ClassVar[bool | None] = True
    secret_rotation: ClassVar[bool | None] = True
    open_maps: ClassVar[frozenset[str]] = frozenset({"metadata", "previous_attributes"})
    option_defaults: ClassVar[dict[str, Any]] = {
        "api_version": API_VERSION,
        "livemode": False,
        "account": None,
    }
    #: Stripe publishes no timeout; 30 s is what the Stripe CLI's forwarder waits.
    timeout: ClassVar[float] = 30.0
    retries: ClassVar[bool] = True
    #: Stripe does not publish its intervals. Test mode retries "3 times over a few hours": 3
    #: retries, 30 minutes apart and doubling (+30 min, +1 h, +2 h; 3.5 h in all).
    retry_schedule: ClassVar[tuple[float, ...]] = (1800.0, 3600.0, 7200.0)
    #: Live mode retries "for up to 3 days with exponential backoff": from 5 minutes, doubling,
    #: each wait capped at 12 hours, until 3 days have passed. ``RetrySchedule.stripe_live()``.
    retry_schedules: ClassVar[Mapping[str, tuple[float, ...]]] = {
        "test": retry_schedule,
        "live": (300.0, 600.0, 1200.0, 2400.0, 4800.0, 9600.0, 19200.0, 38400.0) + (43200.0,) * 4,
    }
    example_secret: ClassVar[str] = "whsec_test_secret"
    #: ``hookmock_stripe_api_version`` in pytest's ini stamps generated events.
    ini_options: ClassVar[tuple[str, ...]] = ("api_version",)

    @classmethod
    def mask_header(cls, name: str, value: str) -> str:
        """``t=...,v1=<redacted>``: the timestamp stays readable, every signature is masked."""
        return ",".join(
            part if part.startswith("t=") else part.partition("=")[0] + "=<redacted>"
            for part in value.split(",")
        )

    def subject_ids(self, event: Event) -> dict[str, object]:
        """``data.object.id``: the object the event is about."""
        data = event.payload.get("data")
        obj = data.get("object") if isinstance(data, dict) else None
        if isinstance(obj, dict) and usable_id(obj.get("id")):
            return {"data.object.id": obj["id"]}
        return super().subject_ids(event)

    def stories(self) -> Mapping[str, Any]:
        """Stripe's stories (``hookmock.story("stripe", name)``), from ``_stories.py``."""
        # Import budget: the story definitions load when a story is asked for.
        from ._stories import STORIES

        return STORIES

    def api_mock(self) -> Any:
        """Stripe's REST API answered from delivered events (``api.stripe``)."""
        # Import budget: the API mock loads when a test asks for it, not with the provider.
        from ._api import StripeAPI

        return StripeAPI()

    # -- catalog ---------------------------------------------------------------------------
    def entries(self) -> Mapping[str, Mapping[str, Any]]:
        return entries()

    def area(self, type: str) -> str:
        """The compiled catalog's area (``connect``, ``billing``, ``issuing`` ...)."""
        return str(self._entry(type).get("area") or super().area(type))

    def traits_for(self, type: str) -> list[str]:
        """The hand catalog's traits, then those ``rules.yaml`` declares for the type."""
        got = _TRAITS.get(type) if isinstance(type, str) else None
        if got is None:
            own = list(self._entry(type).get("traits", ()))
            got = _TRAITS[type] = (*own, *(t for t in _generated.traits_for(type) if t not in own))
        return list(got)

    def exclusive_traits(self, type: str) -> list[list[str]]:
        got = _EXCLUSIVE.get(type) if isinstance(type, str) else None
        if got is None:
            groups = [list(g) for g in self._entry(type).get("exclusive", ())]
            allowed = set(self.traits_for(type))
            for group in _generated.exclusive_traits():
                mine = [t for t in group if t in allowed]
                if len(mine) > 1:
                    groups.append(mine)
            got = _EXCLUSIVE[type] = tuple(tuple(g) for g in groups)
        return [list(g) for g in got]

    # -- generation --------------------------------------------------------------------------
    def build(self, ctx: BuildContext) -> dict[str, Any]:
        _check_options(ctx.options)
        kind = entries()[ctx.type]
        if kind["kind"] == "thin":
            return self._build_thin(ctx)
        if not kind.get("hand"):
            return self._build_generated(ctx)
        payload = self._build_hand(ctx)
        # The hand factory's states, made whole against the pinned API version's schema.
        _generated.complete(payload, ctx)
        return payload

    def _build_generated(self, ctx: BuildContext) -> dict[str, Any]:
        payload = _generated.generate(ctx)
        got = ctx.pick(("created",), None)
        if isinstance(got, int) and not isinstance(got, bool):
            _shift_times(payload, got - payload["created"])
        options = ctx.options
        if options["account"] is not None:
            payload["account"] = options["account"]
        payload["api_version"] = options["api_version"]
        payload["livemode"] = options["livemode"]
        obj = payload.get("data", {}).get("object")
        if isinstance(obj, dict):
            if "livemode" in obj:
                obj["livemode"] = options["livemode"]
            payload["data"]["object"] = _ordered(obj, ("id", "object"))
        return _ordered(payload, _ENVELOPE_ORDER)

    def _build_thin(self, ctx: BuildContext) -> dict[str, Any]:
        """The notification Stripe POSTs for a thin event (the full event is the API mock's)."""
        made = _generated.generate(ctx)
        options = ctx.options
        made["livemode"] = options["livemode"]
        if options["account"] is not None:
            made["context"] = options["account"]
        related = _generated.related_object(ctx)
        if related is not None:
            made["related_object"] = related
        else:
            made.pop("related_object", None)
        return _ordered(made, _THIN_ORDER)

    def _build_hand(self, ctx: BuildContext) -> dict[str, Any]:
        entry = catalog()[ctx.type]
        created = ctx.timestamp()
        got = ctx.pick(("created",), None)
        if isinstance(got, int) and not isinstance(got, bool):
            created = got  # the object's times follow an overridden event time
        # Import budget: the factories load with the first event, not for listing or validating.
        from ._objects import BUILDERS

        maker = Maker(ctx, created)
        # The envelope's random values come first, so overriding a field of the object leaves
        # the event id as it was.
        event_id = maker.id("evt_")
        pending = ctx.rng.choice((1, 1, 1, 2, 3))
        if entry.get("request") == "auto":
            request: dict[str, Any] = {"id": None, "idempotency_key": None}
        else:
            request = {"id": maker.id("req_"), "idempotency_key": ctx.uuid()}
        obj, previous = BUILDERS[entry["object"]](maker, entry["state"])
        options = ctx.options
        payload: dict[str, Any] = {"id": event_id, "object": "event"}
        if options["account"] is not None:
            payload["account"] = options["account"]
        payload["api_version"] = options["api_version"]
        payload["created"] = created
        data: dict[str, Any] = {"object": obj}
        if previous is not None:
            data["previous_attributes"] = previous
        payload["data"] = data
        payload["livemode"] = options["livemode"]
        payload["pending_webhooks"] = pending
        payload["request"] = request
        payload["type"] = ctx.type
        return payload

    def finish(
        self, payload: dict[str, Any], ctx: BuildContext | None
    ) -> tuple[str, dict[str, Any]]:
        if ctx is not None and not ctx.overridden(("data", "previous_attributes")):
            data = payload.get("data")
            if isinstance(data, dict):
                _drop_unchanged(data.get("previous_attributes"), data.get("object"))
        event_id = payload.get("id")
        created = payload.get("created")
        if isinstance(created, str):  # a thin event's ISO 8601 time
            created = _unix(created)
        meta: dict[str, Any] = {
            "created": created if isinstance(created, int) else 0,
            "livemode": bool(payload.get("livemode", False)),
        }
        return (event_id if isinstance(event_id, str) else ""), meta

    def serialize(self, payload: dict[str, Any], meta: dict[str, Any]) -> bytes:
        """Stripe pretty-prints event bodies: ``json.dumps(payload, indent=2)``, byte for byte."""
        return pretty(payload).encode()

    # -- the wire ------------------------------------------------------------------------------
    def sign(
        self, body: bytes, secret: str | Sequence[str], *, timestamp: int | None = None, **kw: Any
    ) -> dict[str, str]:
        """``{"Stripe-Signature": "t=...,v1=..."}``, one ``v1`` per secret (rotation).

        ``v0=<hex>`` adds Stripe's test-mode entry, which verifiers ignore.
        """
        secrets = check_secret(secret, self.name)
        v0 = kw.pop("v0", None)
        if kw:
            raise ArgumentTypeError(
                f"unexpected keyword argument(s) for Stripe sign: {', '.join(kw)}"
            )
        return {"Stripe-Signature": stripe_header(body, secrets, timestamp, v0=v0)}

    def load_signer(
        self, secrets: Sequence[str], headers: Mapping[str, str]
    ) -> Callable[[bytes, int], Mapping[str, str]]:
        """``hookmock load``'s signer: HMACs keyed once, not per delivery."""
        return load_signer(secrets, headers)

    def verify(
        self,
        body: bytes,
        headers: Mapping[str, str],
        secret: str,
        *,
        tolerance: int | None = None,
        now: int | None = None,
    ) -> None:
        # A list of secrets (a rotation) passes when any one of them signed the body.
        signature = header(headers, "Stripe-Signature")
        limit = STRIPE_TOLERANCE if tolerance is None else tolerance
        verify_any(
            check_secret(secret, self.name),
            lambda candidate: stripe_verify(body, signature, candidate, tolerance=limit, now=now),
        )

    def headers(
        self,
        event: Event,
        secret: str | Sequence[str] | None,
        *,
        timestamp: int | None = None,
        **kw: Any,
    ) -> dict[str, str]:
        if kw:
            raise ArgumentTypeError(
                f"unexpected keyword argument(s) for Stripe headers: {', '.join(kw)}"
            )
        livemode = bool(event.meta.get("livemode", event.payload.get("livemode", False)))
        v0 = None if livemode else _dummy_v0(event.body)
        signed = self.sign(event.body, secret, timestamp=timestamp, v0=v0)  # type: ignore[arg-type]
        return {**signed, **_DELIVERY_HEADERS}

    def schema_variant(self, type: str, payload: Mapping[str, Any]) -> tuple[str, str] | None:
        """An event rendered at another API version (its ``api_version``) is checked against
        the pinned schemas relaxed for it (``_versions``): fields added since may be missing,
        renamed and moved fields may have their older form."""
        if entries().get(type, {}).get("kind") != "snapshot":  # thin notifications have none
            return None
        return _versions.variant(payload)

    def variant_documents(
        self, key: str, documents: Mapping[str, Mapping[str, Any]]
    ) -> Mapping[str, Mapping[str, Any]]:
        return _versions.documents(key, documents)

    def detect(
        self, payload: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> str | None:
        if payload.get("object") not in ("event", "v2.core.event"):
            return None
        kind = payload.get("type")
        if not isinstance(kind, str):
            return None

        return kind if kind in entries() else None

    def explain(
        self,
        payload: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
        *,
        headers_from: str = "headers=",
    ) -> tuple[str | None, list[Violation]] | None:
        """A second look at a payload :meth:`detect` passed over (see ``_validation.detect``).

        A catalog ``type`` with an incomplete envelope is still that type (its schema then
        names what is missing); an event (``object: "event"``, or a type close to a catalog
        one) with an unknown type is a finding at ``/type``.
        """
        kind = payload.get("type")
        if isinstance(kind, str) and kind in entries():
            return kind, []
        is_event = payload.get("object") in ("event", "v2.core.event")
        if not isinstance(kind, str):
            if not is_event:
                return None
            return None, [Violation("/type", "a Stripe event (object 'event') needs a \"type\"")]
        close = did_you_mean(kind, entries())
        if not (is_event or close):
            return None
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        return None, [
            Violation(
                "/type",
                f"{kind!r} is not a known Stripe event type.{hint}"
                " Run `hookmock list stripe` to see them all.",
            )
        ]


def _check_options(options: Mapping[str, Any]) -> None:
    version, livemode, account = options["api_version"], options["livemode"], options["account"]
    if version is not None and not isinstance(version, str):
        raise ConfigurationError(
            f"api_version must be a Stripe API version string such as {API_VERSION!r} (or None),"
            f" got {version!r}."
        )
    if isinstance(version, str) and not _utf8(version):
        raise ConfigurationError(
            "api_version holds a lone surrogate, which a UTF-8 body cannot carry; pass a Stripe"
            f" API version string such as {API_VERSION!r}."
        )
    if not isinstance(livemode, bool):
        raise ConfigurationError(f"livemode must be True or False, got {livemode!r}.")
    if account is not None and not (
        isinstance(account, str) and account.startswith("acct_") and _utf8(account)
    ):
        raise ConfigurationError(
            f"account must be a Connect account id such as 'acct_1032D82eZvKYlo2C', got {account!r}."
        )


#: Per type, worked out on its first event (every event checks the traits it is given).
_TRAITS: dict[str, tuple[str, ...]] = {}
_EXCLUSIVE: dict[str, tuple[tuple[str, ...], ...]] = {}

#: Key order of the bodies Stripe sends (the generator follows the schema's, alphabetical).
_ENVELOPE_ORDER = (
    "id",
    "object",
    "account",
    "api_version",
    "context",
    "created",
    "data",
    "livemode",
    "pending_webhooks",
    "request",
    "type",
)
_THIN_ORDER = ("id", "object", "type", "livemode", "created", "context", "related_object", "reason")


def _ordered(payload: dict[str, Any], first: tuple[str, ...]) -> dict[str, Any]:
    out = {key: payload[key] for key in first if key in payload}
    out.update((key, value) for key, value in payload.items() if key not in out)
    return out


def _unix(iso: str) -> int | None:
    try:
        return int(datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def _shift_times(payload: dict[str, Any], delta: int) -> None:
    """Move the event's and its object's times together (an overridden event ``created``)."""
    if not delta:
        return
    payload["created"] += delta
    obj = payload.get("data", {}).get("object")
    if isinstance(obj, dict):
        for key in ("created", "updated", "updated_at"):
            value = obj.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                obj[key] = value + delta


def _utf8(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _drop_unchanged(previous: object, current: object) -> None:
    """Remove ``previous_attributes`` entries an override made equal to the current value.

    Stripe lists only fields that changed; after ``data__object__status="active"`` on an update
    that reports the old status ``"active"``, keeping that entry would claim a change that is not.
    """
    if not isinstance(previous, dict) or not isinstance(current, dict):
        return
    for key in list(previous):
        old, now = previous[key], current.get(key)
        if isinstance(old, dict) and old and isinstance(now, dict):
            _drop_unchanged(old, now)
            if not previous[key]:  # every nested change was undone
                del previous[key]
        elif key in current and old == now:
            del previous[key]


def _dummy_v0(body: bytes) -> str:
    """A stand-in for the test-mode ``v0`` entry: deterministic per body, ignored by verifiers."""
    return hashlib.sha256(b"hookmock-v0:" + body).hexdigest()
