"""OpenAPIProvider: a provider whose types, schemas and headers come from an OpenAPI document.

Payloads are generated from the webhooks' schemas by hookmock's schema-driven generator; the
signature is Standard Webhooks' or a declared :class:`hookmock.signing.HmacScheme`.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import uuid
from pathlib import Path
from typing import Any, ClassVar

from referencing import Registry
from referencing.jsonschema import DRAFT202012

import hookmock
from hookmock.authoring import (
    ANCHOR,
    SPAN,
    ArgumentTypeError,
    ConfigurationError,
    HookmockError,
    Provider,
    SchemaError,
    Violation,
    check_secret,
    derive_seed,
    did_you_mean,
    schema_uri,
)
from hookmock.generator import ExpressionError, GeneratorData, SchemaGenerator
from hookmock.signing import (
    STANDARD_TOLERANCE,
    HmacScheme,
    standard_headers,
    standard_message_id,
    standard_verify,
    verify_any,
)

from ._document import Spec, WebhookType

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from hookmock.authoring import BuildContext, Event

#: The Standard Webhooks headers (standardwebhooks.com).
STANDARD_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")
#: The specification's example secret, shown in error messages.
STANDARD_EXAMPLE_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class OpenAPIProvider(Provider):
    """A provider read from an OpenAPI 3.1 document's ``webhooks:``; made by
    :func:`hookmock.openapi_provider`, which sets the class attributes per document."""

    #: None: Standard Webhooks; else the declared HMAC scheme.
    scheme: ClassVar[HmacScheme | None] = None
    #: The payload field that names the type (``type``), or empty.
    type_field: ClassVar[str] = ""
    #: The header that carries the event id (``X-GitHub-Delivery``), or empty.
    id_header: ClassVar[str] = ""

    def __init__(
        self,
        spec: Spec,
        *,
        extra_headers: Mapping[str, str] | None = None,
        pools: Path | None = None,
        rules: Path | None = None,
    ) -> None:
        self.spec = spec
        self.extra_headers = dict(extra_headers or {})
        self._data = _generator_data(pools, rules)
        self._entries = {
            name: {"description": t.description or f"The {t.event} webhook."}
            for name, t in spec.types.items()
        }
        self._events: dict[str, list[str]] = {}
        for name, t in spec.types.items():
            self._events.setdefault(t.event, []).append(name)
        self._generator: SchemaGenerator | None = None
        self._lock = threading.Lock()

    # -- catalog and schemas ------------------------------------------------------------------
    def entries(self) -> Mapping[str, Mapping[str, Any]]:
        return self._entries

    def schema_documents(self) -> Mapping[str, Mapping[str, Any]]:
        return self.spec.documents

    def webhook(self, type: str) -> WebhookType:
        """What the document says about ``type``: its webhook key, event, content type ..."""
        self.check_type(type)
        return self.spec.types[type]

    def events(self) -> list[str]:
        """The events (what the type header says), sorted."""
        return sorted(self._events)

    # -- generation ---------------------------------------------------------------------------
    def generator(self) -> SchemaGenerator:
        """The schema generator over this document's schemas: each type's plan is compiled
        once, on its first event."""
        got = self._generator
        if got is None:
            with self._lock:
                got = self._generator
                if got is None:
                    registry: Registry[Any] = Registry().with_resources(
                        (uri, DRAFT202012.create_resource(doc))
                        for uri, doc in self.spec.documents.items()
                    )
                    got = SchemaGenerator(registry, self._data)
                    self._generator = got
        return got

    def build(self, ctx: BuildContext) -> dict[str, Any]:
        hook = self.spec.types[ctx.type]
        try:
            payload = self.generator().generate(schema_uri(self.name, ctx.type), ctx, type=ctx.type)
        except HookmockError:
            raise
        except Exception as exc:  # the generator meets a schema it cannot satisfy
            raise SchemaError(
                f"hookmock could not generate {self.title} {ctx.type!r} from the schema of"
                f" webhook {hook.key!r} ({type(exc).__name__}: {exc}). Give the property"
                ' concerned "examples" (or an "enum"), or report the schema to hookmock.'
            ) from exc
        if not isinstance(payload, dict):
            raise SchemaError(
                f"webhook {hook.key!r} describes a body that is not a JSON object"
                f" ({type(payload).__name__}); hookmock sends objects. Give its schema"
                ' "type": "object".'
            )
        payload.update(hook.forced)
        return payload

    def finish(
        self, payload: dict[str, Any], ctx: BuildContext | None
    ) -> tuple[str, dict[str, Any]]:
        if ctx is not None:
            # Its own seeded stream: overriding a field never changes the delivery's id.
            rng = random.Random(derive_seed(f"{self.name}-delivery", ctx.type, ctx.seed))
        else:
            digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode())
            rng = random.Random(digest.digest())
        if self.scheme is None:
            event_id = standard_message_id(rng=rng)
        else:
            event_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        return event_id, {"id": event_id, "created": ANCHOR - rng.randrange(SPAN)}

    # -- the wire -----------------------------------------------------------------------------
    def sign(
        self, body: bytes, secret: str | Sequence[str], *, timestamp: int | None = None, **kw: Any
    ) -> dict[str, str]:
        """The signature header(s). With Standard Webhooks, ``msg_id=`` names the message
        (by default one derived from the body, since the signature covers it)."""
        msg_id = kw.pop("msg_id", None)
        if kw:
            raise ArgumentTypeError(
                f"unexpected keyword argument(s) for {self.title} sign: {', '.join(sorted(kw))};"
                " it takes the body, the secret(s) and timestamp=."
            )
        secrets = check_secret(secret, self)
        if self.scheme is not None:
            return self.scheme.sign(body, secrets, timestamp=timestamp)
        if msg_id is None:
            msg_id = standard_message_id(body)
        return standard_headers(str(msg_id), body, secrets, timestamp)

    def verify(
        self,
        body: bytes,
        headers: Mapping[str, str],
        secret: str,
        *,
        tolerance: int | None = None,
        now: int | None = None,
    ) -> None:
        """A list of secrets passes when any of them signed the body."""
        secrets = check_secret(secret, self)
        scheme = self.scheme
        if scheme is not None:
            verify_any(
                secrets,
                lambda s: scheme.verify(body, headers, s, tolerance=tolerance, now=now),
            )
            return
        limit = STANDARD_TOLERANCE if tolerance is None else tolerance
        verify_any(secrets, lambda s: standard_verify(body, headers, s, tolerance=limit, now=now))

    def headers(
        self,
        event: Event,
        secret: str | Sequence[str] | None,
        *,
        timestamp: int | None = None,
        **kw: Any,
    ) -> dict[str, str]:
        """The headers the document declares (with their examples), the type header, the
        event id header, the content type and the signature."""
        if kw:
            raise ArgumentTypeError(
                f"unexpected keyword argument(s) for {self.title} headers: {', '.join(sorted(kw))}"
            )
        hook = self.spec.types.get(event.type)
        out: dict[str, str] = {}

        def put(name: str, value: str) -> None:
            for key in [k for k in out if k.lower() == name.lower()]:
                del out[key]
            out[name] = value

        ours = {h.lower() for h in (*self.secret_header_names(), *STANDARD_HEADERS)}
        if self.scheme is not None and self.scheme.timestamp_header:
            ours.add(self.scheme.timestamp_header.lower())
        for name, value in (hook.headers if hook is not None else {}).items():
            # An example signature in the document would only mislead a receiver.
            if name.lower() not in ours and "signature" not in name.lower():
                put(name, value)
        for name, value in self.extra_headers.items():
            put(name, value)
        put("Content-Type", hook.content_type if hook is not None else "application/json")
        if self.type_header and hook is not None:
            put(self.type_header, hook.event)
        if self.id_header:
            put(self.id_header, event.id)
        msg = {"msg_id": event.id} if self.scheme is None else {}
        for name, value in self.sign(
            event.body, check_secret(secret, self), timestamp=timestamp, **msg
        ).items():
            put(name, value)
        return out

    # -- detection ----------------------------------------------------------------------------
    def names_event(self, type: str) -> bool:
        """An event the type header names, holding several types (``order`` for
        ``order.created`` and ``order.shipped``)."""
        return bool(self.type_header) and type not in self._entries and type in self._events

    def detect(
        self, payload: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> str | None:
        """The type of ``payload``: among the types of the event its type header names (when
        declared and given), the one whose fixed fields it has (``action``, ``type``);
        when several fit, the first it is valid for."""
        candidates = self._candidates(payload, headers)
        if candidates is None or not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        return self._first_valid(payload, candidates) or candidates[0]

    def _candidates(
        self, payload: Mapping[str, Any], headers: Mapping[str, str] | None
    ) -> list[str] | None:
        """Types that fit, best first; None when the payload says nothing of this provider."""
        event = self._header_event(headers)
        if event is not None:
            pool = self._events.get(event)
            if pool is None:
                return None
            by_header = True
        else:
            pool = list(self._entries)
            by_header = False
        scored: list[tuple[int, str]] = []
        for name in pool:
            hook = self.spec.types[name]
            fixed = {**hook.fixed, **hook.forced}
            if self.type_field:
                named = payload.get(self.type_field)
                if self.type_field in fixed:
                    if named != fixed[self.type_field]:
                        continue
                elif not by_header and named not in (name, hook.event):
                    continue
            matched = 0
            for key, value in fixed.items():
                if key in payload:
                    if payload[key] != value:
                        break
                    matched += 1
            else:
                if matched or by_header or self.type_field:
                    scored.append((-matched, name))
        if not scored:
            return [] if by_header else None
        scored.sort()
        best = scored[0][0]
        return [name for score, name in scored if score == best]

    def _header_event(self, headers: Mapping[str, str] | None) -> str | None:
        if not (self.type_header and headers):
            return None
        want = self.type_header.lower()
        for key, value in headers.items():
            if isinstance(key, str) and key.lower() == want and isinstance(value, str):
                return value
        return None

    def _first_valid(self, payload: Mapping[str, Any], candidates: list[str]) -> str | None:
        for name in candidates:
            try:
                hookmock.validate(dict(payload), provider=self.name, type=name)
            except SchemaError:
                continue
            return name
        return None

    def explain(
        self,
        payload: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
        *,
        headers_from: str = "headers=",
    ) -> tuple[str | None, list[Violation]] | None:
        """A type header naming an event the document does not have, or an event whose types
        none fits, is this provider's finding."""
        event = self._header_event(headers)
        if event is None:
            return None
        where = f"{self.type_header} (from {headers_from})"
        if event not in self._events:
            close = did_you_mean(event, self._events)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            return None, [
                Violation(
                    "/",
                    f"{where} names {event!r}, which is no webhook of {self.title}.{hint}"
                    f" Its events: {', '.join(self.events())}.",
                )
            ]
        names = self._events[event]
        if len(names) == 1:
            return names[0], []
        fields = sorted({k for n in names for k in self.spec.types[n].fixed})
        shown = ", ".join(f"/{f} = {payload.get(f)!r}" for f in fields) or "its fields"
        return None, [
            Violation(
                "/" + (fields[0] if fields else ""),
                f"{self.title} {event!r} payload with {shown} fits none of its types:"
                f" {', '.join(sorted(names))}.",
            )
        ]

    def detection_hint(self, *, cli: bool = False) -> str:
        hint = super().detection_hint(cli=cli)
        if self.type_field:
            field = f'for {self.title}, name the type in the payload\'s "{self.type_field}"'
            return f"{hint}; {field}" if hint else field
        return hint

    def check_type(self, type: str) -> str:
        if isinstance(type, str) and type not in self._entries and type in self._events:
            names = sorted(self._events[type])
            raise ConfigurationError(
                f"{type!r} is a {self.title} webhook with several types; name one of them:"
                f" {', '.join(names)}."
            )
        return super().check_type(type)


def _generator_data(pools: Path | None, rules: Path | None) -> GeneratorData | None:
    """The generator's pools and rules files, read now: a mistake in them is named at once,
    with the file, rather than blamed on a schema at the first event."""
    if pools is None and rules is None:
        return None
    try:
        return GeneratorData.from_files(pools, rules)
    except FileNotFoundError as exc:
        raise ConfigurationError(f"{exc.filename}: no such pools or rules file.") from None
    except (OSError, ValueError, ExpressionError) as exc:
        which = (
            f"pools={pools}"
            if rules is None
            else f"rules={rules}"
            if pools is None
            else (f"pools={pools} or rules={rules}")
        )
        raise ConfigurationError(
            f"{which}: {exc}. The files' format is described in hookmock.generator's docstring."
        ) from None
