"""StandardProvider: the ``{type, timestamp, data}`` envelope, ``webhook-*`` headers, Svix's retries.

The specification (standardwebhooks.com) fixes the envelope, the three headers and the
signature (``v1,`` + base64 HMAC-SHA256 of ``f"{id}.{timestamp}.{body}"``, keyed with the
base64-decoded ``whsec_`` secret); the event types are the sender's own, registered by the user.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import threading
from datetime import datetime, timezone

from hookmock.authoring import (
    ArgumentTypeError,
    ConfigurationError,
    HookmockError,
    Provider,
    SchemaError,
    UnknownTypeError,
    Violation,
    check_secret,
    derive_seed,
    forget_schemas,
    load_payload,
    schema_uri,
)
from hookmock.signing import (
    STANDARD_TOLERANCE,
    standard_headers,
    standard_message_id,
    standard_verify,
    verify_any,
)

from ._catalog import Catalog

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any, ClassVar

    from hookmock.authoring import BuildContext, Event

#: Svix's published retry schedule (docs.svix.com, "Retry Schedule"): after the first attempt,
#: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, each counted from the previous failure.
SVIX_RETRY_SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)
#: Svix counts an answer that is not a 2xx within 15 seconds as a failure.
SVIX_TIMEOUT = 15.0
#: The envelope's ``timestamp``: ISO-8601 with seconds, optional fraction, and a zone.
ISO_8601 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


class UnregisteredTypeError(UnknownTypeError):
    """A type the Standard Webhooks catalog does not hold: the user registers their own."""

    def __init__(self, provider: StandardProvider, type: str) -> None:
        super().__init__(provider.name, type, provider.types())
        name = "standard" if provider.name == "standard" else provider.name
        register = (
            "hookmock.standard.register(type, schema=...)"
            if name == "standard"
            else f"hookmock.provider({name!r}).register(type, schema=...)"
        )
        what = (
            "has no event types yet"
            if not provider.types()
            else f"has no event type {type!r}{self._hint()}"
        )
        self.cli_hint = (
            f"Its types are yours: set {provider.folder_env()}=<folder> (one <type>.json"
            " schema each) to load them."
        )
        self.args = (
            f"{provider.title} provider {name!r} {what}: its types are yours. Register"
            f" them with {register} or .register_folder('schemas/') (one <type>.json each); for"
            f" the command line, set {provider.folder_env()}=<folder>.",
        )

    def _hint(self) -> str:
        return f" (did you mean {self.suggestions[0]!r}?)" if self.suggestions else ""


class StandardProvider(Provider):
    """Standard Webhooks (Svix and others): your event types, signed with ``webhook-signature``.

    Types come from :meth:`register`, :meth:`register_folder`, or a subclass that names its own
    provider and sets ``event_types`` or ``schema_folder``::

        class AcmeWebhooks(hookmock.standard.__class__):
            name = "acme"
            title = "Acme"
            schema_folder = Path(__file__).parent / "schemas"
    """

    name: ClassVar[str] = "standard"
    title: ClassVar[str] = "Standard Webhooks"
    signature_header: ClassVar[str] = "webhook-signature"
    signs_timestamp: ClassVar[bool | None] = True
    secret_rotation: ClassVar[bool | None] = True
    timeout: ClassVar[float] = SVIX_TIMEOUT
    retries: ClassVar[bool] = True
    retry_schedule: ClassVar[tuple[float, ...]] = SVIX_RETRY_SCHEDULE
    #: The specification's example secret: ``whsec_`` and base64, as error messages show it.
    example_secret: ClassVar[str] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    #: Types built in to a subclass: ``{type: schema}`` or ``{type: {"schema": ...,
    #: "description": ...}}``; a schema of None makes ``data`` free-form.
    event_types: ClassVar[Mapping[str, Any]] = {}
    #: A folder of ``<type>.json`` schemas a subclass loads on first use.
    schema_folder: ClassVar[str | os.PathLike[str] | None] = None

    def __init__(self) -> None:
        self._catalog = Catalog()
        self._generator: tuple[int, Any] | None = None
        self._started = False
        self._start_lock = threading.Lock()

    # -- the user's catalog ---------------------------------------------------------------------
    def register(
        self,
        type: str,
        schema: Mapping[str, Any] | None = None,
        *,
        description: str = "",
        replace: bool = False,
    ) -> None:
        """Add an event type. ``schema`` (a JSON Schema dict) describes its ``data``: events are
        generated from it and validated against it; without one ``data`` is free-form."""
        self._start()
        self._catalog.add(type, schema, description=description, replace=replace)
        self._changed()

    def register_folder(
        self, folder: str | os.PathLike[str], *, replace: bool = False
    ) -> list[str]:
        """Add one type per ``<type>.json`` schema in ``folder``; return the types added."""
        self._start()
        added = self._catalog.add_folder(folder, replace=replace)
        self._changed()
        return added

    def unregister(self, type: str) -> None:
        """Remove a registered type (nothing happens for a type that is not registered)."""
        self._start()
        self._catalog.remove(type)
        self._changed()

    @classmethod
    def folder_env(cls) -> str:
        """The environment variable naming a schema folder to load (for the command line)."""
        return f"HOOKMOCK_{re.sub(r'[^A-Za-z0-9]', '_', cls.name).upper()}_SCHEMAS"

    def _start(self) -> None:
        """Load the subclass's own types and the environment's folder, once, on first use."""
        if self._started:
            return
        with self._start_lock:
            if not self._started:
                self._load_own_types()
                self._started = True
        if self._catalog.version:
            self._changed()

    def _load_own_types(self) -> None:
        # replace=True throughout: after a bad folder fails the first use, the next use fails
        # the same way instead of on the types loaded before it.
        for type, spec in self.event_types.items():
            if isinstance(spec, dict) and ("schema" in spec or "description" in spec):
                described = spec.get("description", "")
                self._catalog.add(type, spec.get("schema"), description=described, replace=True)
            else:
                self._catalog.add(type, spec, replace=True)
        if self.schema_folder is not None:
            self._catalog.add_folder(self.schema_folder, replace=True)
        folder = os.environ.get(self.folder_env())
        if folder:
            self._catalog.add_folder(folder, replace=True)

    def _changed(self) -> None:
        forget_schemas()

    def entries(self) -> Mapping[str, Mapping[str, Any]]:
        self._start()
        return self._catalog.entries()

    def check_type(self, type: str) -> str:
        if not isinstance(type, str):
            raise ArgumentTypeError(
                f"the event type must be a str such as 'invoice.paid', got {type!r}."
            )
        if type not in self.entries():
            raise UnregisteredTypeError(self, type)
        return type

    def open_maps_for(self, type: str) -> frozenset[str]:
        """Without a schema ``data`` is free-form: any key may be set in it."""
        entry = self.entries().get(type)
        return frozenset({"data"}) if entry is not None and entry["schema"] is None else frozenset()

    # -- schemas --------------------------------------------------------------------------------
    def schema_documents(self) -> Mapping[str, Mapping[str, Any]]:
        """One envelope schema per type, and each type's ``data`` schema beside it (so that its
        local ``$ref``s resolve against its own root)."""
        docs: dict[str, dict[str, Any]] = dict(self._data_documents())
        for type, entry in self.entries().items():
            data = {"type": "object"} if entry["schema"] is None else {"$ref": self._data_uri(type)}
            uri = schema_uri(self.name, type)
            docs[uri] = envelope_schema(uri, type, entry["description"], data)
        return docs

    def _data_uri(self, type: str) -> str:
        own = self.entries()[type]["schema"].get("$id")
        return own if isinstance(own, str) and own else schema_uri(self.name, type + ".data")

    def _data_documents(self) -> dict[str, dict[str, Any]]:
        return {
            self._data_uri(type): {**entry["schema"], "$id": self._data_uri(type)}
            for type, entry in self.entries().items()
            if entry["schema"] is not None
        }

    # -- generation -----------------------------------------------------------------------------
    def build(self, ctx: BuildContext) -> dict[str, Any]:
        entry = self.entries()[ctx.type]
        created = ctx.timestamp()
        stamp = iso_time(created, ctx.rng.randrange(1_000_000))
        if entry["schema"] is None:
            data: Any = {"id": f"{_noun(ctx.type)}_{ctx.base62(24)}"}
        else:
            data = self._generate(ctx)
        return {"type": ctx.type, "timestamp": stamp, "data": data}

    def _generate(self, ctx: BuildContext) -> Any:
        """``data`` from the type's schema, by hookmock's schema-driven generator (one per
        catalog version: it compiles each schema once)."""
        version = self._catalog.version
        got = self._generator
        if got is None or got[0] != version:
            # Import budget: the schema generator (and referencing) loads with the first event.
            from hookmock.generator import SchemaGenerator

            from ...generator._schemas import registry_of

            got = (version, SchemaGenerator(registry_of(self._data_documents())))
            self._generator = got
        try:
            return got[1].generate(self._data_uri(ctx.type), ctx, type=ctx.type)
        except HookmockError:
            raise
        except Exception as exc:  # the generator meets a schema it cannot satisfy
            raise SchemaError(
                f"hookmock could not generate data for {self.title} {ctx.type!r} from its"
                f' schema ({type(exc).__name__}: {exc}). Add "examples" (or an "enum") to the'
                " property concerned."
            ) from exc

    def finish(
        self, payload: dict[str, Any], ctx: BuildContext | None
    ) -> tuple[str, dict[str, Any]]:
        if ctx is not None:
            # The message id has its own seeded stream: overriding data never changes it.
            rng = random.Random(derive_seed(f"{self.name}-message", ctx.type, ctx.seed))
        else:
            digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode())
            rng = random.Random(digest.digest())
        msg_id = standard_message_id(rng=rng)
        return msg_id, {"created": unix_time(payload.get("timestamp"))}

    def serialize(self, payload: dict[str, Any], meta: dict[str, Any]) -> bytes:
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()

    def from_payload(
        self,
        payload: dict[str, Any] | bytes | str,
        *,
        type: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Event:
        """Wrap a captured payload; its ``webhook-id`` (``meta={"id": ...}``) is kept if given.

        A payload in the envelope whose type is not registered is still wrapped (unvalidated),
        so that ``hookmock sign --all-headers`` signs any Standard Webhooks body.
        """
        if type is None:
            try:
                doc = load_payload(payload) if not isinstance(payload, dict) else payload
            except Exception:
                doc = {}
            kind = doc.get("type")
            if envelope_shaped(doc) and isinstance(kind, str) and kind not in self.entries():
                type = kind
        return super().from_payload(payload, type=type, meta=meta)

    # -- the wire -------------------------------------------------------------------------------
    def sign(
        self, body: bytes, secret: str | Sequence[str], *, timestamp: int | None = None, **kw: Any
    ) -> dict[str, str]:
        """``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (one ``v1,`` per secret,
        space-separated: a rotation). ``msg_id=`` names the message; by default it is derived
        from the body, since the signature covers it."""
        msg_id = kw.pop("msg_id", None)
        if kw:
            raise ArgumentTypeError(
                f"unexpected keyword argument(s) for {self.title} sign: {', '.join(sorted(kw))};"
                " it takes the body, the secret(s), timestamp= and msg_id=."
            )
        if msg_id is None:
            msg_id = standard_message_id(body)
        elif not isinstance(msg_id, str) or not msg_id or any(c in msg_id for c in " \r\n"):
            raise ConfigurationError(
                f"msg_id= is the webhook-id header, a str such as 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';"
                f" got {msg_id!r:.60}."
            )
        return standard_headers(msg_id, body, check_secret(secret, self.name), timestamp)

    def verify(
        self,
        body: bytes,
        headers: Mapping[str, str],
        secret: str,
        *,
        tolerance: int | None = None,
        now: int | None = None,
    ) -> None:
        """As ``standardwebhooks.Webhook.verify``: 5 minutes of skew either way by default. A
        list of secrets passes when any of them signed the body."""
        limit = STANDARD_TOLERANCE if tolerance is None else tolerance
        verify_any(
            check_secret(secret, self.name),
            lambda candidate: standard_verify(body, headers, candidate, tolerance=limit, now=now),
        )

    def headers(
        self,
        event: Event,
        secret: str | Sequence[str] | None,
        *,
        timestamp: int | None = None,
        **kw: Any,
    ) -> dict[str, str]:
        """The three ``webhook-*`` headers (signed now, or at ``timestamp``) and the JSON type.

        Each attempt is signed afresh, as Svix signs each retry at the moment it sends it; the
        ``webhook-id`` stays the event's, so a receiver can deduplicate on it.
        """
        if kw:
            raise ArgumentTypeError(
                f"unexpected keyword argument(s) for {self.title} headers: {', '.join(sorted(kw))}"
            )
        msg_id = str(event.meta.get("id") or event.id or standard_message_id(event.body))
        signed = self.sign(
            event.body, check_secret(secret, self.name), timestamp=timestamp, msg_id=msg_id
        )
        return {**signed, "Content-Type": "application/json"}

    # -- detection ------------------------------------------------------------------------------
    def detect(
        self, payload: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> str | None:
        """A registered type, for a payload in the envelope (``type``, ``timestamp``, ``data``)
        that, when headers are given, came with the ``webhook-*`` ones."""
        kind = payload.get("type")
        if not isinstance(kind, str) or not envelope_shaped(payload):
            return None
        if headers and not _has_webhook_headers(headers):
            return None
        return kind if kind in self.entries() else None

    def explain(
        self,
        payload: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
        *,
        headers_from: str = "headers=",
    ) -> tuple[str | None, list[Violation]] | None:
        """An envelope of a type that is not registered is a finding at ``/type``; a registered
        type with a broken envelope is that type (its schema says what is wrong)."""
        kind = payload.get("type")
        if (
            isinstance(kind, str)
            and kind in self.entries()
            and {"timestamp", "data"} <= set(payload)
        ):
            return kind, []
        if not (isinstance(kind, str) and envelope_shaped(payload)):
            return None
        if headers and not _has_webhook_headers(headers):
            return None
        return None, [Violation("/type", str(UnregisteredTypeError(self, kind)))]


def envelope_schema(uri: str, type: str, description: str, data: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of one type's envelope (the specification's payload structure)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": uri,
        "title": type,
        "description": description or f"A {type} event (Standard Webhooks envelope).",
        "type": "object",
        "required": ["type", "timestamp", "data"],
        "properties": {
            "type": {"const": type},
            "timestamp": {
                "type": "string",
                "format": "date-time",
                "pattern": ISO_8601,
                "description": "an ISO-8601 time such as 2022-11-03T20:26:10.344522Z",
            },
            "data": data,
        },
    }


def envelope_shaped(payload: Mapping[str, Any]) -> bool:
    return (
        isinstance(payload.get("type"), str)
        and isinstance(payload.get("timestamp"), str)
        and isinstance(payload.get("data"), dict)
    )


def _has_webhook_headers(headers: Mapping[str, str]) -> bool:
    names = {str(k).lower() for k in headers}
    return any(h in names for h in _HEADERS)


def iso_time(unix: int, micro: int = 0) -> str:
    """``2022-11-03T20:26:10.344522Z``, the specification's example format."""
    moment = datetime.fromtimestamp(unix, tz=timezone.utc).replace(microsecond=micro)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def unix_time(stamp: object) -> int:
    """The envelope's ISO time as unix seconds; 0 when it is missing or unreadable."""
    if not isinstance(stamp, str):
        return 0
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def _noun(type: str) -> str:
    """``invoice`` for ``invoice.paid``: the prefix of a free-form object's id."""
    head = re.split(r"[.:]", type, maxsplit=1)[0].lower()
    return re.sub(r"[^a-z0-9]", "_", head)[:16] or "obj"
