"""JSON Schema validation: schemas loaded from ``schemas/``, validators built once and cached.

The yes/no check runs on ``jsonschema-rs`` when it is installed (fast); the detailed report for an
invalid payload always comes from ``jsonschema`` with ``referencing``, which is the reference.
"""

from __future__ import annotations

import copy
import functools
import json
import threading
from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import parse_qs, urljoin

from ._errors import (
    ArgumentTypeError,
    ConfigurationError,
    PayloadError,
    SchemaError,
    UnknownTypeError,
    Violation,
    did_you_mean,
)
from ._registry import get_provider, provider_names
from ._resources import walk_files

TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.abc import Traversable
    from typing import Any


#: Base of every schema's ``$id``; ``.invalid`` is reserved, so nothing is ever fetched from it.
BASE_URI = "https://hookmock.invalid/schemas/"
#: Deeper payloads are refused before validation (real webhook payloads nest < 15 levels).
MAX_DEPTH = 128

_lock = threading.RLock()


def load_payload(
    data: bytes | bytearray | str | Mapping[str, Any], *, source: str = "payload"
) -> dict[str, Any]:
    """Parse bytes/str as JSON and check it is an object of sane depth."""
    if isinstance(data, (bytes, bytearray, str)):
        text = data
        if not text.strip():
            raise PayloadError(f"{source} is empty; expected a JSON object (an event).")
        if text[:8] in (b"payload=", "payload="):
            # A form-encoded delivery: payload=<urlencoded JSON>.
            text = form_json(text, source=source)
        if isinstance(text, (bytes, bytearray)):
            try:
                text = bytes(text).decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise PayloadError(
                    f"{source} is not UTF-8 text (byte {exc.start}); is it a binary file?"
                ) from None
        try:
            value = json.loads(text, parse_constant=reject_json_constant)
        except json.JSONDecodeError as exc:
            raise PayloadError(
                f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
            ) from None
        except RecursionError:
            raise PayloadError(
                f"{source} nests too deeply to parse; webhook payloads nest a few levels at most."
            ) from None
        except ValueError as exc:  # Python's int digit limit, or NaN/Infinity (not JSON)
            raise PayloadError(f"{source} is not valid JSON: {json_value_problem(exc)}") from None
        parsed = True
    else:
        value = data
        parsed = False
    if not isinstance(value, dict):
        raise PayloadError(f"{source} must be a JSON object (an event), got {json_type(value)}.")
    depth = _depth(value, source=source, check_types=not parsed)
    if depth > MAX_DEPTH:
        raise PayloadError(
            f"{source} nests {depth}+ levels deep (limit {MAX_DEPTH}); no real webhook payload does."
        )
    return value


def json_value_problem(exc: ValueError) -> str:
    if "digits" in str(exc):
        return "it holds a number of more than 4300 digits, which no webhook payload does."
    return str(exc)


def reject_json_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON value (JSON has no NaN or Infinity).")


def form_json(body: bytes | bytearray | str, *, source: str = "payload") -> str:
    """The JSON text inside a form-encoded body (``payload=<urlencoded JSON>``)."""
    try:
        text = body if isinstance(body, str) else bytes(body).decode()
        values = parse_qs(text, strict_parsing=True).get("payload", [])
    except (UnicodeDecodeError, ValueError):
        values = []
    if len(values) != 1:
        raise PayloadError(
            f"{source} is form-encoded but does not hold exactly one payload=<urlencoded JSON>"
            f" field; it starts {bytes(body[:60]) if not isinstance(body, str) else body[:60]!r}."
        )
    return values[0]


def json_type(value: object) -> str:
    """How a JSON value reads in an error message: 'an array', 'a string', 'null' ..."""
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__


def _depth(value: Any, *, source: str = "payload", check_types: bool = False) -> int:
    """Nesting depth, iteratively (no recursion limit), stopping just past MAX_DEPTH.

    With ``check_types``, also refuse what JSON cannot hold (a dict passed in, not parsed).
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, d = stack.pop()
        if d > deepest:
            deepest = d
            if deepest > MAX_DEPTH:
                return deepest
        if isinstance(node, dict):
            if check_types:
                for k, v in node.items():
                    if not isinstance(k, str):
                        raise PayloadError(f"{source} has a key that is not a str: {k!r}.")
                    _check_scalar(v, source)
            stack.extend((v, d + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            if check_types:
                for v in node:
                    _check_scalar(v, source)
            stack.extend((v, d + 1) for v in node if isinstance(v, (dict, list)))
    return deepest


def _check_scalar(value: Any, source: str) -> None:
    if value is None or isinstance(value, (str, int, dict, list)):  # bool is an int
        return
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return
    raise PayloadError(
        f"{source} holds {value!r}, which is not a JSON value; pass parsed JSON or the raw bytes."
    )


# -- schema files ---------------------------------------------------------------------------------


def _schema_dir(provider: str) -> Traversable:
    return get_provider(provider).schema_dir()


@functools.cache
def _documents(provider: str, variant: str = "") -> dict[str, dict[str, Any]]:
    """Every schema document of a provider, by ``$id``; of a variant of them
    (``Provider.schema_variant``) when ``variant`` is given."""
    if variant:
        made = get_provider(provider).variant_documents(variant, _documents(provider))
        return {uri: dict(doc) for uri, doc in made.items()}
    held = get_provider(provider).schema_documents()
    if held is not None:  # made in memory (types the user registered), not read from files
        return {uri: dict(doc) for uri, doc in held.items()}

    docs: dict[str, dict[str, Any]] = {}
    for rel, file in walk_files(_schema_dir(provider), ".json"):
        with file.open("rb") as fh:
            doc = json.load(fh)
        uri = doc.get("$id") or f"{BASE_URI}{provider}/{rel}"
        # A schema without ``$id`` gets its file's: relative ``$ref``s then resolve beside it.
        docs[uri] = doc if "$id" in doc else {"$id": uri, **doc}
    return docs


def forget_schemas() -> None:
    """Drop every cached schema and validator, after a provider's schemas changed (a type was
    registered): the next validation reads them afresh."""
    with _lock:
        for cached in (_documents, _registry, _detailed_validator, _fast_registry, _fast_validator):
            cached.cache_clear()


def schema_uri(provider: str, type: str) -> str:
    # Brackets in a type (``v2.core.account[requirements].updated``) may not stand in a URI path.
    return f"{BASE_URI}{provider}/{type.replace('[', '%5B').replace(']', '%5D')}.json"


def schema_types(provider: str) -> list[str]:
    """Types that have a schema file (``schemas/<provider>/<type>.json``)."""
    prefix = f"{BASE_URI}{provider}/"
    return sorted(
        uri[len(prefix) : -len(".json")].replace("%5B", "[").replace("%5D", "]")
        for uri in _documents(provider)
        if uri.startswith(prefix) and "/" not in uri[len(prefix) :]
    )


def schema(provider: str, type: str) -> dict[str, Any]:
    """The JSON Schema document of ``provider``/``type`` (a copy; ``$ref`` left as written)."""
    doc = _documents(provider).get(schema_uri(provider, type))
    if doc is None:
        raise UnknownTypeError(provider, type, get_provider(provider).types())
    return copy.deepcopy(doc)


@functools.cache
def _registry(provider: str, variant: str = "") -> Any:
    # Import budget: referencing loads with the first validation (hookmock.authoring stays light).
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    return Registry().with_resources(
        (uri, DRAFT202012.create_resource(doc))
        for uri, doc in _documents(provider, variant).items()
    )


@functools.cache
def _detailed_validator(provider: str, type: str, variant: str = "") -> Any:
    # Import budget: jsonschema loads with the first validation (hookmock.authoring stays light).
    from jsonschema import Draft202012Validator

    doc = _documents(provider, variant)[schema_uri(provider, type)]
    return Draft202012Validator(doc, registry=_registry(provider, variant))


@functools.cache
def _fast_registry(provider: str, variant: str = "") -> Any:
    # Import budget: jsonschema-rs loads with the first validation.
    import jsonschema_rs

    return jsonschema_rs.Registry(list(_documents(provider, variant).items()))


@functools.cache
def _fast_validator(provider: str, type: str, variant: str = "") -> Any:
    try:  # Import budget: jsonschema-rs loads with the first validation.
        import jsonschema_rs
    except ImportError:  # optional fast path
        return None
    doc = _documents(provider, variant)[schema_uri(provider, type)]
    return jsonschema_rs.validator_for(doc, registry=_fast_registry(provider, variant))


def _ensure_type(provider: str, type: str) -> None:
    if schema_uri(provider, type) not in _documents(provider):
        raise UnknownTypeError(provider, type, get_provider(provider).types())


def violations(payload: Mapping[str, Any], provider: str, type: str) -> list[Violation]:
    """Every violation of ``payload`` against the schema, sorted by location (empty = valid).

    A provider may check a payload against a variant of its schemas (``Provider.schema_variant``:
    say, one rendered for an older API version); each finding then ends with the variant's note.
    """
    _ensure_type(provider, type)
    variant, note = get_provider(provider).schema_variant(type, payload) or ("", "")
    fast = _fast_validator(provider, type, variant)
    try:
        if fast is not None and fast.is_valid(payload):
            return []
    except (ValueError, TypeError) as exc:  # a dict holding bytes, sets, non-str keys ...
        raise PayloadError(
            f"payload holds a value that is not JSON ({exc}); pass parsed JSON or the raw bytes."
        ) from None
    validator = _detailed_validator(provider, type, variant)
    found: list[Violation] = []
    try:
        for err in validator.iter_errors(payload):
            found.extend(_flatten(err))
    except RecursionError:
        raise PayloadError("payload nests too deeply to validate.") from None
    found.sort(key=lambda v: (v.pointer, v.message))
    # A type's schema pins a field (``const``) that a shared definition also lists (``enum``):
    # one wrong value would be reported twice at one pointer; the const says more.
    pinned = {v.pointer for v in found if v.schema_path.endswith("/const")}
    kept = [
        v
        for v in dict.fromkeys(found)
        if not (v.pointer in pinned and v.schema_path.endswith("/enum"))
    ]
    if note:
        return [Violation(v.pointer, f"{v.message} ({note})", v.schema_path) for v in kept]
    return kept


def _flatten(err: Any) -> list[Violation]:
    """Report the most specific cause of a oneOf/anyOf failure rather than a vague summary.

    A "null or object" field that holds a non-null value failed its object branch: that
    branch's own errors are the finding, never "is not of type null".
    """
    if err.context:
        # Import budget: jsonschema loads with the first validation (hookmock.authoring stays light).
        from jsonschema.exceptions import best_match

        causes = list(err.context)
        branches = err.validator_value if err.validator in ("anyOf", "oneOf") else None
        if isinstance(branches, list) and err.instance is not None:
            nulls = {i for i, b in enumerate(branches) if _is_null_schema(b)}
            kept = [c for c in causes if c.schema_path and c.schema_path[0] not in nulls]
            if nulls and kept:
                others = {c.schema_path[0] for c in kept}
                if len(others) == 1:
                    # One real branch: every error in it counts, most specific first.
                    return [v for c in kept for v in _flatten(c)]
                causes = kept
        best = best_match(causes)
        if best is not None:
            return _flatten(best)
    schema_path = "/".join(map(str, err.absolute_schema_path))
    return [Violation(_pointer(err.absolute_path), _message(err), schema_path)]


def _is_null_schema(branch: Any) -> bool:
    return isinstance(branch, dict) and branch.get("type") == "null" and len(branch) <= 2


def _message(err: Any) -> str:
    """A message with values spelled as JSON (``null``, ``"x"``), never Python reprs or schemas."""
    kind, expected, got = err.validator, err.validator_value, err.instance
    if kind == "enum" and isinstance(expected, list):
        return f"{_json(got)} is not one of {', '.join(map(_json, expected))}"
    if kind == "const":
        return f"must be {_json(expected)} (this type implies it), got {_json(got)}"
    if kind == "type":
        names = expected if isinstance(expected, list) else [expected]
        return f"{_json(got)} is not of type {' or '.join(map(_json, names))}"
    if kind == "not":
        if _is_null_schema(expected):
            return "must not be null"
        return f"{_json(got)} is not allowed here"
    if kind == "pattern":
        described = err.schema.get("description") if isinstance(err.schema, dict) else None
        if isinstance(described, str):
            return f"{_json(got)} is not in the expected format: {described.rstrip('.')}"
        return f"{_json(got)} does not match the pattern {expected}"
    if kind in ("anyOf", "oneOf"):
        return f"{_json(got)} matches none of the shapes allowed here"
    if kind in ("minLength", "minItems"):
        return f"{_json(got)} is shorter than the minimum of {expected}"
    if kind in ("maxLength", "maxItems"):
        return f"{_json(got)} is longer than the maximum of {expected}"
    return str(err.message)


def _json(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _pointer(parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def is_valid(payload: Mapping[str, Any], provider: str, type: str) -> bool:
    """Whether the schema of ``provider``/``type`` accepts ``payload``: the fast yes/no of
    :func:`violations` (no report is built, so asking many types about one payload is cheap)."""
    _ensure_type(provider, type)
    variant, _ = get_provider(provider).schema_variant(type, payload) or ("", "")
    fast = _fast_validator(provider, type, variant)
    try:
        if fast is not None:
            return bool(fast.is_valid(payload))
        return bool(_detailed_validator(provider, type, variant).is_valid(payload))
    except (ValueError, TypeError) as exc:  # a dict holding bytes, sets, non-str keys ...
        raise PayloadError(
            f"payload holds a value that is not JSON ({exc}); pass parsed JSON or the raw bytes."
        ) from None
    except RecursionError:
        raise PayloadError("payload nests too deeply to validate.") from None


def schema_document(provider: str, type: str) -> Mapping[str, Any]:
    """The schema document of ``provider``/``type`` as loaded, not copied (unlike
    :func:`schema`): for a provider that reads its own schemas' outline, such as the keys a
    type requires. Read-only; ``$ref`` left as written (resolve it with :func:`schema_ref`)."""
    doc = _documents(provider).get(schema_uri(provider, type))
    if doc is None:
        raise UnknownTypeError(provider, type, get_provider(provider).types())
    return MappingProxyType(doc)


def schema_ref(provider: str, base: str, ref: str) -> Mapping[str, Any] | None:
    """The document a ``$ref`` (``defs/user.json``) in the document whose ``$id`` is ``base``
    points at, read-only, or None when it points elsewhere (a fragment, another provider)."""
    uri = urljoin(base, ref)
    doc = _documents(provider).get(uri)
    return None if doc is None else MappingProxyType(doc)


def detect(
    payload: Mapping[str, Any],
    *,
    provider: str | None = None,
    headers: Mapping[str, str] | None = None,
    headers_from: str = "headers=",
    cli: bool = False,
) -> tuple[str, str]:
    """(provider, type) of a payload, from its content and optional delivery headers.

    When no provider recognises the payload outright, each is asked to ``explain`` it: a payload
    that names a catalog type but lacks part of the envelope is validated against that type (the
    schema then lists what is missing); one that is recognisably a provider's but names an
    unknown type (or whose type header does not fit) raises :class:`SchemaError`
    with that finding in ``errors``. ``headers_from`` says where ``headers`` came from (a sidecar
    file name) and ``cli`` words the messages with command-line flags.
    """
    headers = header_dict(headers)
    names = [provider] if provider else provider_names()
    for name in names:
        found = get_provider(name).detect(payload, headers)
        if found is not None:
            return name, found
    for name in names:
        claim = _explain(name, payload, headers, headers_from)
        if claim is None:
            continue
        type, findings = claim
        if type is not None:
            return name, type
        raise SchemaError(
            f"Payload does not fit any {name} event type:",
            findings,
            provider=name,
        )
    if provider:
        flag = f"--provider {provider}" if cli else f"provider={provider!r}"
        for other in provider_names():
            if other == provider:
                continue
            found = get_provider(other).detect(payload, headers)
            claim = None if found else _explain(other, payload, headers, headers_from)
            if found or claim is not None:
                what = f" ({found!r})" if found else ""
                raise SchemaError(f"this is a {other} event{what}; {flag} excludes it.")
    for name in names:
        why = get_provider(name).unidentified(payload, cli=cli)
        if why is not None:
            raise UnidentifiedEventError(why, provider=name)
    where = f"an event of provider {provider!r}" if provider else "an event of any known provider"
    hints = [h for name in names if (h := get_provider(name).detection_hint(cli=cli))]
    if cli:
        hints.append(
            'a {"headers": ..., "payload": ...} envelope, or pass --provider P --type TYPE'
        )
        raise SchemaError(
            f"cannot tell which event type this is: it does not look like {where}. Events that"
            f' say their type in the payload ("type") are found by it; {"; ".join(hints)}.'
        )
    hint = f"; {'; '.join(hints)} instead" if hints else ""
    raise SchemaError(
        f"Cannot tell which event type this payload is: it does not look like {where}."
        f" Pass the type explicitly (validate(payload, provider=..., type=...)){hint}."
    )


class UnidentifiedEventError(SchemaError):
    """A payload that is recognisably a provider's, of an event hookmock cannot name (its
    provider names it only in a header). Like an unsupported event, it cannot be checked."""


#: The headers a WSGI environ holds without the ``HTTP_`` prefix.
_ENVIRON_HEADERS = frozenset({"CONTENT_TYPE", "CONTENT_LENGTH"})


def header_dict(headers: object) -> dict[str, str] | None:
    """Headers as a plain dict, from any mapping of names to values: a dict, Starlette's or
    Django's ``request.headers``, Werkzeug's (Flask's) ``Headers``, which has ``items()`` but
    is no ``Mapping``, or a WSGI environ (``request.META``). Anything else is a caller's
    mistake, named."""
    if headers is None:
        return None
    items = getattr(headers, "items", None)
    if isinstance(headers, (str, bytes)) or not (
        isinstance(headers, Mapping) or (callable(items) and hasattr(headers, "__getitem__"))
    ):
        raise ArgumentTypeError(
            "headers must be a dict of header names to values (or any mapping of them, such"
            " as flask.request.headers), e.g. {'Content-Type': 'application/json'}; got"
            f" {type(headers).__name__}. (A list of pairs converts with dict(pairs).)"
        )
    pairs = list(headers.items())  # type: ignore[attr-defined]
    if any(isinstance(k, str) and k.startswith("HTTP_") for k, _ in pairs):
        # A WSGI environ (Django's request.META, Flask's request.environ): its headers are
        # HTTP_X_EVENT_TYPE and CONTENT_TYPE; the rest (wsgi.input ...) are not headers.
        pairs = [
            (k[5:].replace("_", "-") if k.startswith("HTTP_") else k.replace("_", "-"), v)
            for k, v in pairs
            if isinstance(k, str) and (k.startswith("HTTP_") or k in _ENVIRON_HEADERS)
        ]
    out: dict[str, str] = {}
    for name, value in pairs:
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(name, bytes):
            name = name.decode("latin-1")
        if not isinstance(name, str) or not isinstance(value, str):
            raise ArgumentTypeError(
                f"headers must map names to str values; {name!r} maps to {type(value).__name__}."
            )
        out[name] = value
    return out


def _explain(
    provider: str,
    payload: Mapping[str, Any],
    headers: Mapping[str, str] | None,
    headers_from: str,
) -> tuple[str | None, list[Violation]] | None:
    """A provider's second look at a payload its ``detect`` passed over (``Provider.explain``)."""
    return get_provider(provider).explain(payload, headers, headers_from=headers_from)


def _type_name(value: object) -> str:
    return "None" if value is None else f"{type(value).__name__} {value!r}"[:60]


def event_provider(provider: str | None, type: str) -> str | None:
    """The provider for which a bare ``type`` names an event in its type header rather than a
    catalog type (``Provider.names_event``: an event with actions), or None."""
    for name in [provider] if provider else provider_names():
        got = get_provider(name)
        if got.type_header and got.names_event(type):
            return name
    return None


def owner_of(type: str, *, cli: bool = False) -> str:
    """The one provider whose catalog has ``type``; a :class:`SchemaError` if none or several.

    ``cli`` words the advice for the command line (``--provider``, ``hookmock list``).
    """
    owners = [name for name in provider_names() if type in get_provider(name).types()]
    if len(owners) == 1:
        return owners[0]
    name = f"--type {type!r}" if cli else f"type {type!r}"
    if owners:
        flag = "add --provider" if cli else "pass provider="
        raise SchemaError(f"{name} exists for {' and '.join(owners)}; {flag} to say which.")
    known = [t for name in provider_names() for t in get_provider(name).types()]
    close = did_you_mean(type, known)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    see = "Run `hookmock list` to see them all." if cli else "hookmock.types(provider) lists them."
    raise SchemaError(f"{name} is not an event type of any provider.{hint} {see}")


def validate(
    payload: Mapping[str, Any] | bytes | str,
    *,
    provider: str | None = None,
    type: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[str, str]:
    """Validate ``payload``; return ``(provider, type)``; raise :class:`SchemaError` if invalid.

    Without ``type`` the type is detected (see :func:`detect`); ``type`` without ``provider``
    names the one provider that has it.
    """
    headers = header_dict(headers)
    named: object = type
    if named is not None and not isinstance(named, str):
        raise ArgumentTypeError(
            f"validate(type=...) takes an event type name as a str, such as"
            f" type='charge.refunded'; got {_type_name(named)}."
        )
    if type is not None and not type.strip():
        raise ConfigurationError("validate(type='') names no type; leave type out to detect it.")
    if provider is not None:
        get_provider(provider)  # a clear error for '' or a misspelt name, before any work
    doc = load_payload(payload)
    owner = event_provider(provider, type) if type is not None else None
    if owner is not None and type is not None:
        # type= names the event, as the provider's type header does: the action is the payload's.

        header = get_provider(owner).type_header
        provider, type = detect(doc, provider=owner, headers={header: type}, headers_from="type=")
    elif type is None:
        provider, type = detect(doc, provider=provider, headers=headers)
    elif provider is None:
        provider = owner_of(type)
    found = violations(doc, provider, type)
    if found:
        raise SchemaError(
            f"Payload is not a valid {provider} {type!r} event ({len(found)} problem(s)):",
            found,
            provider=provider,
            type=type,
        )
    return provider, type
