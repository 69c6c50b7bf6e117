"""The Provider base class: one provider = catalog + factories + envelope + signer + headers.

A provider subclass implements the abstract hooks below; everything users call (``event``,
``types``, ``schema``, ``sign``, ``verify``) is shared here, so adding a provider means adding one
module and its data (schemas, catalog), not editing the rest of hookmock.
"""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, field

from . import _registry
from ._errors import (
    ArgumentTypeError,
    ConfigurationError,
    HookmockError,
    OverrideError,
    SchemaError,
    SecretError,
    SecretTypeError,
    TraitError,
    UnknownTypeError,
    did_you_mean,
)
from ._event import Event
from ._overrides import apply, copy_in, new, normalize, pick
from ._redaction import add_secret_headers, mask_scheme, remember
from ._registry import get_provider
from ._resources import data_dir, package_root
from ._seeding import ANCHOR, BASE62, SPAN, derive_seed, faker_for, random_seed
from ._validation import load_payload, schema

TYPE_CHECKING = False
if TYPE_CHECKING:
    import random
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from importlib.abc import Traversable
    from typing import Any, ClassVar

    from faker import Faker

    from ._errors import Violation
    from ._stories import StoryDef
    from .apimock import ProviderAPI

_MISSING: Any = object()
#: What a factory raises when an override gives a field a type it did not expect.
_FACTORY_ERRORS = (TypeError, ValueError, AttributeError, KeyError, IndexError, ArithmeticError)


@dataclass(eq=False, slots=True, kw_only=True)
class BuildContext:
    """What a factory gets: the type, its seeded generators, traits, options and overrides."""

    type: str
    seed: int
    faker: Faker = field(repr=False)
    traits: frozenset[str]
    options: dict[str, Any]
    overrides: dict[str, Any]
    #: The seeded random stream of :attr:`faker` (one stream for both).
    rng: random.Random = field(init=False, repr=False)
    #: What a story shares with the event (its clock, objects, actor), in a form the provider's
    #: stories and factories agree on; None outside stories. A factory builds from it instead of
    #: drawing what the story already has. ``Event.replace()`` passes it again.
    cast: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.rng = self.faker.random

    def pick(self, path: str | Sequence[str], default: Any = _MISSING) -> Any:
        """The user's override at ``path`` ("data.object.amount" or a sequence), else ``default``.

        Factories read the fields that others derive from through this, so that an overridden
        ``amount`` also moves ``amount_received``.
        """
        parts = path.split(".") if isinstance(path, str) else path
        return pick(self.overrides, parts, default)

    def overridden(self, path: str | Sequence[str]) -> bool:
        return self.pick(path) is not _MISSING

    def value(self, path: str | Sequence[str], make: Any) -> Any:
        """The override at ``path`` if there is one, else ``make()`` (or ``make`` itself)."""
        got = self.pick(path)
        if got is not _MISSING:
            return got
        return make() if callable(make) else make

    def base62(self, n: int = 24) -> str:
        choice = self.rng.choice
        return "".join(choice(BASE62) for _ in range(n))

    def hexdigits(self, n: int = 40) -> str:
        return f"{self.rng.getrandbits(4 * n):0{n}x}"

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def timestamp(self) -> int:
        """A unix time in the year before hookmock's fixed anchor (see ``_seeding.ANCHOR``)."""
        return ANCHOR - self.rng.randrange(SPAN)


class Provider:
    """Base class for a webhook provider. Subclasses set the class attributes and hooks."""

    #: Registry name, e.g. "acme".
    name: ClassVar[str] = ""
    #: Human name, e.g. "Acme".
    title: ClassVar[str] = ""
    #: The header that carries the signature (``Acme-Signature``).
    signature_header: ClassVar[str] = ""
    #: Whether the signature covers the send time (a ``t=`` in it). None: hookmock
    #: finds out by asking the signer.
    signs_timestamp: ClassVar[bool | None] = None
    #: Whether a list of secrets signs with each (secret rotation). None: ask the signer.
    secret_rotation: ClassVar[bool | None] = None
    #: Keys whose dict values accept any new key in overrides (free-form maps like ``metadata``).
    open_maps: ClassVar[frozenset[str]] = frozenset()
    #: Options ``event()`` accepts besides overrides, with their defaults.
    option_defaults: ClassVar[dict[str, Any]] = {}
    #: Seconds the provider waits for an answer before it counts the delivery as failed.
    timeout: ClassVar[float] = 10.0
    #: Whether the provider retries failed deliveries on its own.
    retries: ClassVar[bool] = False
    #: The waits (seconds) between its own attempts, each counted from the previous failure:
    #: what ``retries=True`` replays on the virtual clock. Empty when it never retries.
    retry_schedule: ClassVar[tuple[float, ...]] = ()
    #: Other schedules the provider publishes, by name (``{"live": (300.0, 600.0, ...)}``):
    #: ``RetrySchedule.published(name, "live")``, also spelled ``RetrySchedule.<name>_live()``.
    retry_schedules: ClassVar[Mapping[str, tuple[float, ...]]] = {}
    #: Headers whose values carry a signature or a secret: masked in every message and report
    #: hookmock prints (see :meth:`mask_header`). Empty: just ``signature_header``.
    secret_headers: ClassVar[frozenset[str]] = frozenset()
    #: The delivery header that names the event type when the body does not
    #: (say, ``X-Acme-Event``); empty when the payload names its own type.
    type_header: ClassVar[str] = ""
    #: The delivery header that carries the delivery's id (``X-Acme-Delivery``), which a
    #: receiver deduplicates on; empty when the payload's own ``id`` is that id.
    id_header: ClassVar[str] = ""
    #: A secret shown in error messages' examples (``secret=...``).
    example_secret: ClassVar[str] = "my-webhook-secret"
    #: Event options (keys of ``option_defaults``) the pytest plugin reads from the ini
    #: options ``hookmock_<name>_<option>``, e.g. ``("api_version",)``.
    ini_options: ClassVar[tuple[str, ...]] = ()
    #: The importable package whose ``schemas/<name>/`` (and ``fixtures/<name>/``) hold this
    #: provider's JSON Schemas (and data): see :meth:`data_dir`. A third-party provider names
    #: its own package (``"acme_hooks"``); empty means hookmock's own data.
    data_package: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)

        # Known from the moment the class exists: any text hookmock prints after that masks
        # the provider's signature, whether or not the provider was registered.
        add_secret_headers(cls.secret_header_names(), cls.mask_header)

    @classmethod
    def secret_header_names(cls) -> frozenset[str]:
        """The lower-cased :attr:`secret_headers` (or :attr:`signature_header`)."""
        names = cls.secret_headers or ({cls.signature_header} if cls.signature_header else set())
        return frozenset(n.lower() for n in names)

    @classmethod
    def mask_header(cls, name: str, value: str) -> str:
        """``value`` of secret header ``name`` with its secret parts replaced by ``<redacted>``,
        keeping what helps to read it (a scheme such as ``sha256=``, a ``v1,``)."""
        return mask_scheme(value)

    # -- catalog ---------------------------------------------------------------------------
    def entries(self) -> Mapping[str, Mapping[str, Any]]:
        """The catalog: one entry per type, loaded from the provider's data file and cached.

        An entry may carry ``description`` (one line), ``traits`` (named states it accepts) and
        ``exclusive`` (groups of traits of which one at most may be chosen); the methods below
        read them, so most providers only implement this one.
        """
        raise NotImplementedError

    def open_maps_for(self, type: str) -> frozenset[str]:
        """The free-form maps of ``type`` (default: ``open_maps``), for a provider whose types
        differ: a type registered without a schema may have a free-form ``data``."""
        return self.open_maps

    def types(self) -> list[str]:
        """Sorted catalog type names."""
        return sorted(self.entries())

    def _entry(self, type: str) -> Mapping[str, Any]:
        self.check_type(type)
        return self.entries()[type]

    def describe(self, type: str) -> str:
        """A one-line description of a catalog type."""
        return str(self._entry(type).get("description", ""))

    def area(self, type: str) -> str:
        """The part of the product a type belongs to, for grouping lists (``hookmock list``).

        The default is the text before the first dot (``invoice`` for ``invoice.paid``); a
        provider overrides it where its names group differently.
        """
        return type.split(".", 1)[0]

    def traits_for(self, type: str) -> list[str]:
        """Named states (traits) this type accepts, e.g. ``merged`` for ``pull_request.closed``."""
        return list(self._entry(type).get("traits", ()))

    def exclusive_traits(self, type: str) -> list[list[str]]:
        """Groups of traits of which an event may have one at most (``merged``/``unmerged``)."""
        return [list(group) for group in self._entry(type).get("exclusive", ())]

    # -- generation --------------------------------------------------------------------------
    def build(self, ctx: BuildContext) -> dict[str, Any]:
        """The payload for ``ctx.type`` before overrides are applied."""
        raise NotImplementedError

    def finish(
        self, payload: dict[str, Any], ctx: BuildContext | None
    ) -> tuple[str, dict[str, Any]]:
        """After overrides: return the event id and provider metadata (header inputs)."""
        raise NotImplementedError

    def serialize(self, payload: dict[str, Any], meta: dict[str, Any]) -> bytes:
        """The body bytes, formatted the way the provider formats them."""
        return json.dumps(payload, ensure_ascii=False).encode()

    def created_of(self, payload: dict[str, Any], meta: dict[str, Any]) -> int:
        return int(meta.get("created", 0))

    # -- the wire ------------------------------------------------------------------------------
    def sign(
        self, body: bytes, secret: str | Sequence[str], *, timestamp: int | None = None, **kw: Any
    ) -> dict[str, str]:
        """The signature header(s) for ``body``."""
        raise NotImplementedError

    def verify(
        self,
        body: bytes,
        headers: Mapping[str, str],
        secret: str,
        *,
        tolerance: int | None = None,
        now: int | None = None,
    ) -> None:
        """Raise :class:`hookmock.SignatureError` unless ``headers`` sign ``body`` with ``secret``."""
        raise NotImplementedError

    def headers(
        self,
        event: Event,
        secret: str | Sequence[str] | None,
        *,
        timestamp: int | None = None,
        **kw: Any,
    ) -> dict[str, str]:
        """The full header set the provider sends with ``event``."""
        raise NotImplementedError

    def detect(
        self, payload: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> str | None:
        """The catalog type of ``payload`` if it looks like this provider's, else None."""
        return None

    def explain(
        self,
        payload: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
        *,
        headers_from: str = "headers=",
    ) -> tuple[str | None, list[Violation]] | None:
        """A second look at a payload :meth:`detect` passed over, to say why.

        None: not this provider's. ``(type, [])``: validate it as ``type``. ``(None, findings)``:
        this provider's, but wrong in the ways listed.
        """
        return None

    @classmethod
    def data_dir(cls, kind: str) -> Traversable:
        """The folder ``<kind>/<name>`` (``kind``: ``"schemas"`` or ``"fixtures"``) inside
        :attr:`data_package`, read with :mod:`importlib.resources`: the same lookup in a
        checkout, an editable install and a wheel."""
        return data_dir(cls.data_package, kind, cls.name)

    def schema_dir(self) -> Traversable:
        """Where this provider's JSON Schemas live: ``data_dir("schemas")``."""
        return self.data_dir("schemas")

    def schema_documents(self) -> Mapping[str, Mapping[str, Any]] | None:
        """Schema documents made in memory, by ``$id`` (``schema_uri(name, type)`` for each
        type's own), for a provider whose types are registered at run time. None (the
        default): read every ``*.json`` under :meth:`schema_dir`."""
        return None

    def schema_variant(self, type: str, payload: Mapping[str, Any]) -> tuple[str, str] | None:
        """Which variant of this provider's schemas checks ``payload``: None (the default) for
        the schemas as written, else ``(key, note)``: ``key`` names a variant that
        :meth:`variant_documents` makes, and ``note`` says what it checked, for each finding
        (a payload rendered for another API version than the one the schemas describe)."""
        return None

    def variant_documents(
        self, key: str, documents: Mapping[str, Mapping[str, Any]]
    ) -> Mapping[str, Mapping[str, Any]]:
        """The schema documents of variant ``key`` (by ``$id``), made from the provider's own
        ``documents`` (which it must not change). Only asked for keys :meth:`schema_variant`
        gave."""
        raise NotImplementedError(f"{self.name} has no schema variant {key!r}")

    # -- what the rest of hookmock asks --------------------------------------------------------
    def subject_ids(self, event: Event) -> dict[str, object]:
        """Ids of the object ``event`` is about, by where they sit (``{"pull_request.id": 7}``):
        what a handler spy looks for in a call that carries neither the event nor its id.

        The default takes the block named after the type's first part (``issue`` for
        ``issue.opened``, ``check_run`` for ``check_run.completed``).
        """
        payload = event.payload
        root = event.type.partition(".")[0]
        for name in (root, root[:-1] if root.endswith("s") else "", root.rpartition("_")[2]):
            block = payload.get(name) if name else None
            if isinstance(block, dict) and usable_id(block.get("id")):
                return {f"{name}.id": block["id"]}
        return {}

    def delivery_id(self, payload: Mapping[str, Any], headers: Mapping[str, str]) -> str | None:
        """The id a receiver deduplicates a delivery on: :attr:`id_header`'s value, or the
        payload's ``id``; None when the delivery carries none."""
        if self.id_header:
            wanted = self.id_header.lower()
            return next((v for k, v in headers.items() if k.lower() == wanted), None)
        value = payload.get("id")
        return str(value) if value is not None else None

    @classmethod
    def demo_contract(cls) -> Traversable | None:
        """The contract ``hookmock demo`` runs for this provider against its reference
        receiver: ``fixtures/demo-<name>.yaml`` in :attr:`data_package`, or None (no demo)."""
        source = package_root(cls.data_package) / "fixtures" / f"demo-{cls.name}.yaml"
        return source if source.is_file() else None

    def load_signer(
        self, secrets: Sequence[str], headers: Mapping[str, str]
    ) -> Callable[[bytes, int], Mapping[str, str]] | None:
        """A fast signer for ``hookmock load``: ``(body, now) -> signature headers`` for
        deliveries like the one whose generated ``headers`` are given, its HMACs keyed once
        rather than per delivery. None (the default): each delivery is signed with :meth:`sign`.
        """
        return None

    def names_event(self, type: str) -> bool:
        """Whether a bare ``type`` stands for a value of :attr:`type_header` rather than a
        catalog type (an event with actions: the payload's action decides the type)."""
        return False

    def unidentified(self, payload: Mapping[str, Any], *, cli: bool = False) -> str | None:
        """Why ``payload``, recognisably this provider's, cannot be named (an event outside the
        catalog whose type only a header says), or None."""
        return None

    def detection_hint(self, *, cli: bool = False) -> str:
        """How a user makes this provider's payload recognisable, for "cannot tell" messages."""
        if self.type_header:
            if cli:
                return (
                    f"for {self.title or self.name} add a headers sidecar (foo.headers.json"
                    f" with {self.type_header})"
                )
            return f"for {self.title or self.name}, pass headers={{{self.type_header!r}: ...}}"
        return ""

    def api_mock(self) -> ProviderAPI | None:
        """A fresh API-mock state for this provider's REST API, or None (no API to mock).

        :class:`hookmock.ApiMock` asks every provider once and answers requests to the
        returned object's ``hosts`` with its ``handle``.
        """
        return None

    def stories(self) -> Mapping[str, StoryDef]:
        """The stories this provider can tell (:func:`hookmock.story`), by name: the chains of
        events one real action produces. None by default."""
        return {}

    # -- shared behaviour ------------------------------------------------------------------------
    def check_type(self, type: str) -> str:
        if not isinstance(type, str):
            raise ArgumentTypeError(
                f"the event type must be a str such as {self.types()[0]!r}, got {type!r}."
            )
        if type not in self.entries():
            raise UnknownTypeError(self.name, type, self.types())
        return type

    def event(
        self,
        type: str,
        /,
        *,
        seed: int | None = None,
        overrides: dict[str, Any] | None = None,
        traits: str | Iterable[str] = (),
        allow_new: bool = False,
        _tree: dict[str, Any] | None = None,
        _cast: Any = None,
        **paths: Any,
    ) -> Event:
        """Generate one event of ``type``.

        ``seed`` makes it reproducible (byte-identical body). Field overrides come as keyword paths
        (``data__object__amount=4999``) or a nested ``overrides`` dict, deep-merged. ``traits``
        names states such as ``"merged"``. Provider options (see ``option_defaults``) are keywords
        too.
        """
        self.check_type(type)
        if not isinstance(allow_new, bool):
            raise ArgumentTypeError(f"allow_new must be True or False, got {allow_new!r}.")
        options = dict(self.option_defaults)
        for key in list(paths):
            if key in options:
                options[key] = paths.pop(key)
        if isinstance(traits, str):
            traits = [traits]
        elif not isinstance(traits, (list, tuple, set, frozenset)):
            raise ArgumentTypeError(f"traits must be a str or a list of str, got {traits!r}.")
        if not all(isinstance(t, str) for t in traits):
            raise ArgumentTypeError(f"traits are names (str), got {list(traits)!r}.")
        trait_set = frozenset(traits)
        allowed = self.traits_for(type)
        for t in sorted(trait_set):
            if t not in allowed:
                close = did_you_mean(t, allowed)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise TraitError(
                    f"{self.title or self.name} type {type!r} has no trait {t!r}.{hint}"
                    f" Its traits: {', '.join(allowed) or '(none)'}."
                )
        for group in self.exclusive_traits(type):
            chosen = [t for t in group if t in trait_set]
            if len(chosen) > 1:
                raise TraitError(
                    f"Traits {', '.join(map(repr, chosen))} exclude each other on {type!r};"
                    " pass one of them."
                )
        tree = _tree if _tree is not None else normalize(overrides, paths)
        if _tree is not None and (overrides or paths):
            raise ArgumentTypeError("_tree is internal; pass overrides or keyword paths")
        if seed is None:
            seed = random_seed()
        elif not isinstance(seed, int) or isinstance(seed, bool):
            raise ArgumentTypeError(f"seed must be an int, got {type_name(seed)}")
        elif seed.bit_length() > 64:
            raise ConfigurationError(
                "seed must fit in 64 bits (any int from -2**64 to 2**64); got a"
                f" {seed.bit_length()}-bit int. Pass a smaller seed, such as 42."
            )
        ctx = BuildContext(
            type=type,
            seed=seed,
            # Mixing the type in gives two types built from one seed distinct ids and values.
            faker=faker_for(derive_seed(seed, type)),
            traits=trait_set,
            options=options,
            overrides=tree,
            cast=_cast,
        )
        try:
            payload = self.build(ctx)
        except HookmockError:
            raise
        except _FACTORY_ERRORS:
            if not tree:
                raise
            # A wrongly typed override (an int login, a None commit id) broke a factory that
            # derives other fields from it. Overrides may carry bad data on purpose: build the
            # event without them, then set them strictly where the user put them.
            ctx.overrides = {}
            # Start the seeded streams again: ids and values match the event without overrides.
            ctx.faker = faker_for(derive_seed(seed, type))
            ctx.rng = ctx.faker.random
            payload = self.build(ctx)
            ctx.overrides = tree
        self._check_option_typos(tree, payload, options)
        apply(payload, tree, allow_new=allow_new, open_maps=self.open_maps_for(type))
        try:
            event_id, meta = self.finish(payload, ctx)
        except HookmockError:
            raise
        except _FACTORY_ERRORS:
            if not tree:
                raise
            event_id, meta = self._finish_without_overrides(payload, ctx)
        body = self.serialize(payload, meta)
        spec = {
            # Its own copy: the payload may hold the tree's values, and users may edit payloads.
            "overrides_tree": copy_in(tree) if tree else tree,
            "traits": sorted(trait_set),
            "allow_new": allow_new,
            **({"_cast": _cast} if _cast is not None else {}),
            **{k: v for k, v in options.items() if v != self.option_defaults.get(k)},
        }
        return Event(
            provider=self.name,
            type=type,
            id=event_id,
            payload=payload,
            body=body,
            seed=seed,
            created=self.created_of(payload, meta),
            meta=meta,
            spec=spec,
        )

    def _finish_without_overrides(
        self, payload: dict[str, Any], ctx: BuildContext
    ) -> tuple[str, dict[str, Any]]:
        """``finish`` choked on a field an override made the wrong type: finish as for a
        captured payload (which may hold anything), keeping the event's seeded metadata where
        it can."""
        ctx.overrides, tree = {}, ctx.overrides
        try:
            return self.finish(payload, ctx)
        except _FACTORY_ERRORS:
            return self.finish(payload, None)
        finally:
            ctx.overrides = tree

    def _check_option_typos(
        self, tree: Mapping[str, Any], payload: Mapping[str, Any], options: Mapping[str, Any]
    ) -> None:
        """A top-level override that is no field but looks like an option is a misspelt option.

        Without this, ``with_instalation=True`` reads as a missing field (or, with
        ``allow_new=True``, lands in the payload while the option silently stays off).
        """
        for key, value in tree.items():
            if key in payload or isinstance(value, new):
                continue
            close = did_you_mean(key, list(options))
            if close:
                raise OverrideError(
                    f"{key!r} is neither a field of this {self.title or self.name} event nor an"
                    f" option. Did you mean the option {close[0]!r}? Options:"
                    f" {', '.join(sorted(options))}.",
                    provider=self.name,
                    path=[key],
                    suggestions=close,
                )

    def from_payload(
        self,
        payload: dict[str, Any] | bytes | str,
        *,
        type: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Event:
        """Wrap a payload you already have (say, captured from production) as an Event.

        Bytes are kept exactly as given, so a captured body is re-sent byte for byte.
        """
        body: bytes | None = None
        if not isinstance(payload, (dict, bytes, str)):
            raise ArgumentTypeError(
                f"from_payload takes the payload as a dict, or its raw body as bytes or str;"
                f" got {type_name(payload)}."
            )
        if isinstance(payload, (bytes, str)):
            body = payload.encode() if isinstance(payload, str) else payload
            payload = load_payload(body)
        else:
            # The caller may go on editing their dict; the event (and replace()) must not see it.
            payload = copy.deepcopy(payload)
        skipped = False
        if type is not None:
            if not isinstance(type, str) or type in self.entries():
                self.check_type(type)
            elif self.outside_catalog(type, payload):
                # A real event hookmock has no schema for: resending bytes needs none.
                skipped = True
            else:
                self.check_type(type)
        detected = type or self.detect(payload, _headers_from_meta(meta))
        if detected is None:
            raise SchemaError(
                f"Cannot tell which {self.title or self.name} event type this payload is."
                " Pass type=... explicitly."
            )
        event_id, new_meta = self.finish(payload, None)
        new_meta.update(meta or {})
        if skipped:
            new_meta["validation"] = (
                f"skipped: {detected!r} is a real {self.title or self.name} event outside"
                " hookmock's catalog, so there is no schema to check it against"
            )
        return Event(
            provider=self.name,
            type=detected,
            id=str(new_meta.get("id", event_id)),
            payload=payload,
            body=body if body is not None else self.serialize(payload, new_meta),
            seed=None,
            created=self.created_of(payload, new_meta),
            meta=new_meta,
        )

    def outside_catalog(self, type: str, payload: Mapping[str, Any]) -> bool:
        """Whether ``type``, not in the catalog, is still a real event of this provider.

        :meth:`from_payload` then wraps a captured payload of it (validation skipped) instead
        of refusing it. By default a payload that names its own type (``"type": ...``, as
        many providers' do) vouches for it; a provider with a list of real events overrides this.
        """
        return bool(type) and payload.get("type") == type

    def schema(self, type: str) -> dict[str, Any]:
        return schema(self.name, type)

    def __repr__(self) -> str:
        return f"<hookmock provider {self.name!r}>"


def type_name(value: object) -> str:
    return type(value).__name__


def _headers_from_meta(meta: Mapping[str, Any] | None) -> dict[str, str] | None:
    if not meta:
        return None
    headers = meta.get("headers")
    return dict(headers) if isinstance(headers, dict) else None


def check_secret(secret: object, provider: str | Provider) -> list[str]:
    """Normalise a secret or a list of secrets (rotation); reject missing or empty ones clearly.

    ``provider`` (a name or a :class:`Provider`) words the messages. Every secret returned is
    remembered for redaction, so no text hookmock prints afterwards shows it.
    """
    prov = _provider_for_hints(provider)
    name = prov.name if prov is not None else str(provider)
    provider = name
    example = prov.example_secret if prov is not None else Provider.example_secret
    if secret is None:
        raise SecretError(
            template="No {provider} signing secret given. {fix}.",
            provider=provider,
            argument="secret_missing",
            value=example,
        )
    if isinstance(secret, (str, bytes)):
        secrets: list[object] = [secret]
    elif isinstance(secret, (list, tuple)):
        secrets = list(secret)
    else:
        raise SecretTypeError(
            f"A {provider} secret must be a string (or, for rotation, a list of strings),"
            f" got {type_name(secret)}."
        )
    if not secrets:
        raise SecretError(f"An empty list of {provider} secrets was given; pass at least one.")
    out: list[str] = []
    for s in secrets:
        if isinstance(s, bytes):
            s = s.decode()
        if not isinstance(s, str):
            raise SecretTypeError(f"A {provider} secret must be a string, got {type_name(s)}.")
        if not s.strip():
            raise SecretError(
                template="The {provider} signing secret is empty. Pass the endpoint's real"
                " secret, for example {fix}.",
                provider=provider,
                argument="secret",
                value=example,
            )
        try:
            s.encode()
        except UnicodeEncodeError:
            raise SecretError(
                f"The {provider} signing secret holds characters that are not UTF-8 (a lone"
                " surrogate); a secret is signed as UTF-8 bytes."
            ) from None
        out.append(s)

    remember(*out)  # whatever hookmock signs or checks with is redacted from what it prints
    return out


def _provider_for_hints(provider: str | Provider) -> Provider | None:
    if isinstance(provider, Provider):
        return provider

    try:
        return get_provider(provider)
    except HookmockError:
        return None


def usable_id(value: object) -> bool:
    """Whether ``value`` can name an object: a non-empty str or an int (not a bool)."""
    return isinstance(value, (str, int)) and not isinstance(value, bool) and value != ""


def register_provider(provider: Provider, *, replace: bool = False) -> Provider:
    """Register a provider instance under ``provider.name`` (for plugins and tests).

    With ``replace=True`` it takes the place of a provider of that name, built-in or not: from
    the next call on, generation, validation and ``types()`` serve the new provider's catalog
    and schemas (every cache keyed by the name is dropped).
    """
    if not isinstance(provider, Provider):
        raise ArgumentTypeError(
            "register_provider() takes an instance of a hookmock.Provider subclass, got"
            f" {type(provider).__name__}; pass MyProvider(), not the class."
            if isinstance(provider, type)
            else "register_provider() takes an instance of a hookmock.Provider subclass, got"
            f" {type(provider).__name__}."
        )
    name = provider.name
    if not name or not isinstance(name, str):
        raise ConfigurationError("A provider needs a non-empty class attribute `name`.")
    _registry.put(name, provider, replace=replace)
    return provider


def unregister_provider(name: str) -> Provider | None:
    """Forget the provider registered as ``name``; return it (None if none was loaded).

    A built-in or entry-point provider of that name is loaded afresh on next use; a provider
    only registered by hand is gone (:class:`hookmock.UnknownProviderError` from then on).
    """
    if not isinstance(name, str) or not name:
        raise ArgumentTypeError(f"unregister_provider() takes a provider name (str), got {name!r}.")
    return _registry.pop(name)
