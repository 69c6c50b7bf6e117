"""Read an OpenAPI 3.1 document's ``webhooks:`` into event types and JSON Schema documents.

Each webhook (a key of ``webhooks:``) is an *event*. Its JSON request body is one type, or, when
the body is a ``oneOf``/``anyOf`` whose branches each fix a discriminating field to a value of
their own, one type per branch. Component schemas become documents of their own
(``schemas/<provider>/defs/<name>.json``), their ``#/components/schemas/...`` references
rewritten to them, so validation and generation resolve them through ``referencing``.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from hookmock.authoring import ArgumentTypeError, ConfigurationError, SchemaError, schema_uri

DIALECT = "https://json-schema.org/draft/2020-12/schema"
COMPONENT = "/components/schemas/"
#: What a type name may hold (it names a schema file and reads well in messages).
TYPE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,254}")
#: The HTTP methods of a path item, in the order a webhook's operation is looked for.
METHODS = ("post", "put", "patch", "get", "delete", "options", "head", "trace")

#: ``event_name=``: how a webhook's event is named from its key and its operation object.
EventName = Callable[[str, Mapping[str, Any]], str]


class OpenAPIError(ConfigurationError):
    """An OpenAPI document hookmock cannot make a provider of: what is wrong, where, the fix."""


@dataclass(frozen=True)
class WebhookType:
    """One catalog type read from a webhook."""

    name: str
    #: What the provider's type header says for it (the webhook's event).
    event: str
    #: The key under ``webhooks:`` it comes from.
    key: str
    description: str
    content_type: str
    #: Top-level fields its schema fixes to one value (``action: opened``): detection reads them.
    fixed: Mapping[str, Any]
    #: Fields set after generation: a discriminator value its branch schema does not fix.
    forced: Mapping[str, Any]
    #: Header parameters the document declares, with an example value each.
    headers: Mapping[str, str]


@dataclass
class Spec:
    """What a document describes: its title, its types, and the schema documents by ``$id``."""

    title: str
    types: dict[str, WebhookType]
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)


def read_document(document: object) -> tuple[dict[str, Any], str]:
    """The document as a dict, and how messages name it: a path (YAML or JSON), a dict, or a
    package resource (``importlib.resources.files(pkg) / "openapi.yaml"``)."""
    if isinstance(document, Mapping):
        return copy.deepcopy(dict(document)), "the OpenAPI document"
    if isinstance(document, (str, os.PathLike)):
        source = os.fspath(document)
        reader: Any = Path(source)
    elif callable(getattr(document, "read_text", None)) and isinstance(
        getattr(document, "name", None), str
    ):
        source = str(document)
        reader = document
    else:
        raise ArgumentTypeError(
            "openapi_provider() takes the document as a path (str or pathlib.Path), a dict, or a"
            " package resource (importlib.resources.files(pkg) / 'openapi.yaml'); got"
            f" {type(document).__name__}."
        )
    try:
        text = reader.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OpenAPIError(
            f"{source}: no such file; pass the path of your OpenAPI 3.1 document."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OpenAPIError(f"{source}: cannot read it ({exc}).") from None
    try:
        # YAML reads JSON too; a .json file gets JSON's own (stricter, faster) parser.
        doc = json.loads(text) if source.endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise OpenAPIError(f"{source} is not valid JSON or YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise OpenAPIError(
            f"{source} holds {type(doc).__name__}, not an OpenAPI document (a mapping with"
            " openapi: 3.1.0 and webhooks:)."
        )
    return doc, source


def compile_spec(
    doc: dict[str, Any],
    source: str,
    *,
    provider: str,
    event_name: str | EventName | None = None,
    action_field: str = "action",
    type_field: str = "",
    exclude: Iterable[str] = (),
) -> Spec:
    """The types and schema documents of ``doc``'s webhooks, for the provider ``provider``."""
    version = str(doc.get("openapi", ""))
    if version.startswith("3.0"):
        raise OpenAPIError(
            f"{source} is OpenAPI {version}, which has no webhooks: section. hookmock reads"
            " OpenAPI 3.1 (webhooks:, schemas in JSON Schema 2020-12); set openapi: 3.1.0 and"
            " describe each webhook under webhooks:."
        )
    if "swagger" in doc or (version and not version.startswith("3.")):
        raise OpenAPIError(
            f"{source} is not OpenAPI 3.1 (openapi: {version or doc.get('swagger')!r});"
            " hookmock reads OpenAPI 3.1 documents (webhooks:, JSON Schema 2020-12)."
        )
    hooks = doc.get("webhooks")
    if not isinstance(hooks, dict) or not hooks:
        hint = (
            " It has paths:, which are the API's own operations, not the events it sends."
            if doc.get("paths")
            else ""
        )
        raise OpenAPIError(
            f"{source} has no webhooks: section, so it describes no events to send.{hint}"
            " Describe each webhook under the top-level webhooks: key (OpenAPI 3.1), with a"
            " requestBody whose content is application/json."
        )
    skip = set(exclude)
    unknown = sorted(skip - set(hooks))
    if unknown:
        raise OpenAPIError(
            f"exclude= names {', '.join(map(repr, unknown))}, which {source} does not have under"
            f" webhooks: (it has {', '.join(sorted(hooks)[:8])}{', ...' if len(hooks) > 8 else ''})."
        )
    reader = _Reader(doc, source, provider)
    types: dict[str, WebhookType] = {}
    for key in sorted(hooks):
        if key in skip:
            continue
        for made in reader.webhook(key, event_name, action_field, type_field):
            other = types.get(made.name)
            if other is not None:
                raise OpenAPIError(
                    f"webhooks {other.key!r} and {made.key!r} of {source} both make the type"
                    f" {made.name!r}; name their events apart with event_name=..., or leave one"
                    " out with exclude=[...]."
                )
            types[made.name] = made
    info = doc.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    return Spec(
        title=title if isinstance(title, str) else provider,
        types=types,
        documents=reader.documents(),
    )


class _Reader:
    """Walks one document: webhooks to types, their schemas to rewritten documents."""

    def __init__(self, doc: dict[str, Any], source: str, provider: str) -> None:
        self.doc = doc
        self.source = source
        self.provider = provider
        self.base = schema_uri(provider, "x")[: -len("x.json")]
        #: Rewritten schemas by ``$id``; components are added as they are reached.
        self._docs: dict[str, dict[str, Any]] = {}
        self._pending: list[str] = []
        self._seen: set[str] = set()
        self._whole = False

    # -- pointers and references ---------------------------------------------------------------
    def at(self, pointer: str, where: str) -> Any:
        """The value at a JSON pointer (``/components/schemas/x``) of the document."""
        node: Any = self.doc
        for raw in pointer.split("/")[1:]:
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise SchemaError(
                    f"{self.source}: the $ref '#{pointer}' (at {where}) points at nothing: the"
                    f" document has no {token!r} there. Fix the reference, or add what it names"
                    " (a schema goes under components: schemas:)."
                )
        return node

    def follow(self, node: Any, where: str) -> tuple[Any, str]:
        """``node`` with its local ``$ref``s followed (path items, request bodies, schemas),
        and the pointer it was found at."""
        for _ in range(32):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node, where
            ref = node["$ref"]
            if not ref.startswith("#"):
                raise SchemaError(
                    f"{self.source}: the $ref {ref!r} (at {where}) points outside the document;"
                    " hookmock reads one self-contained document. Bundle it first (for example"
                    " with `redocly bundle`), or move what it names under components:."
                )
            pointer = ref[1:]
            node = self.at(pointer, where)
            where = "#" + pointer
        raise SchemaError(f"{self.source}: the $refs at {where} go round in a circle.")

    def rewrite(self, node: Any, where: str, *, names: bool = False) -> Any:
        """A copy of a schema whose local ``$ref``s point at the component documents.

        ``names``: ``node`` maps names to schemas (``properties``), so no key is a keyword.
        """
        if isinstance(node, list):
            return [self.rewrite(item, f"{where}/{i}") for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        if not names:
            node = _nullable_ref(node)
        out: dict[str, Any] = {}
        for key, value in node.items():
            at = f"{where}/{_escape(key)}"
            if names:
                out[key] = self.rewrite(value, at)
            elif key == "$ref" and isinstance(value, str):
                out[key] = self.target(value, where)
            elif key in _VALUES:  # data, not schemas: a "$ref" in an example is text
                out[key] = copy.deepcopy(value)
            else:
                out[key] = self.rewrite(value, at, names=key in _MAPS)
        return out

    def target(self, ref: str, where: str) -> str:
        """Where a local ``$ref`` points once components are documents of their own."""
        if not ref.startswith("#"):
            self.follow({"$ref": ref}, where)  # raises: outside the document
        pointer = ref[1:]
        self.at(pointer, where)  # a broken reference fails here, naming where it is
        if pointer.startswith(COMPONENT):
            name, _, rest = pointer[len(COMPONENT) :].partition("/")
            component = name.replace("~1", "/").replace("~0", "~")
            self._need(component)
            return f"{self._component_uri(component)}{'#' + _fragment('/' + rest) if rest else ''}"
        # Rare: a schema elsewhere in the document (say, inside a webhook). The whole document
        # is then a resource too, its references rewritten the same way.
        self._whole = True
        return f"{self.base}defs/_document.json#{_fragment(pointer)}"

    def _component_uri(self, name: str) -> str:
        return f"{self.base}defs/{quote(name, safe='-_.~')}.json"

    def _need(self, name: str) -> None:
        if name not in self._seen:
            self._seen.add(name)
            self._pending.append(name)

    def documents(self) -> dict[str, dict[str, Any]]:
        """Every schema document: the types' roots (already added) and the components they
        reach, transitively."""
        while self._pending:
            name = self._pending.pop()
            pointer = COMPONENT + name.replace("~", "~0").replace("/", "~1")
            schema = self.rewrite(self.at(pointer, "#" + pointer), "#" + pointer)
            uri = self._component_uri(name)
            self._docs[uri] = _as_document(schema, uri)
        uri = f"{self.base}defs/_document.json"
        if self._whole and uri not in self._docs:
            self._docs[uri] = {}  # taken: the rewrite below may ask for it again
            whole = self.rewrite(self.doc, "#")
            self._docs[uri] = {**whole, "$schema": DIALECT, "$id": uri}
            self.documents()  # components the whole document reaches
        return self._docs

    # -- webhooks ------------------------------------------------------------------------------
    def webhook(
        self,
        key: str,
        event_name: str | EventName | None,
        action_field: str,
        type_field: str,
    ) -> list[WebhookType]:
        where = "#/webhooks/" + _escape(key)
        item, item_at = self.follow(self.doc["webhooks"][key], where)
        if not isinstance(item, dict):
            raise OpenAPIError(f"{self.source}: webhook {key!r} is not a path item (a mapping).")
        method = next((m for m in METHODS if isinstance(item.get(m), dict)), None)
        if method is None:
            raise OpenAPIError(
                f"{self.source}: webhook {key!r} has no operation; describe the request the"
                " sender makes under post: (with its requestBody)."
            )
        op = item[method]
        op_at = f"{item_at}/{method}"
        body, body_at = self.follow(op.get("requestBody"), f"{op_at}/requestBody")
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict) or not content:
            raise OpenAPIError(
                f"{self.source}: webhook {key!r} has no request body, so there is no payload to"
                f" make. Describe it under webhooks: {key}: {method}: requestBody: content:"
                " application/json: schema:, or leave the webhook out with"
                f" exclude=[{key!r}]."
            )
        media = _json_media(content)
        if media is None or not isinstance(content[media], dict) or "schema" not in content[media]:
            found = ", ".join(sorted(content))
            raise OpenAPIError(
                f"{self.source}: webhook {key!r} has no JSON request body schema (its body is"
                f" {found}); hookmock makes JSON payloads. Describe it under requestBody:"
                " content: application/json: schema:, or leave the webhook out with"
                f" exclude=[{key!r}]."
            )
        schema_at = f"{body_at}/content/{_escape(media)}/schema"
        event = self.event_of(key, op, event_name)
        description = _one_line(op.get("description") or op.get("summary") or "")
        headers = self.header_examples([*item.get("parameters", []), *op.get("parameters", [])])
        made: list[WebhookType] = []
        for branch_at, fixed, forced in self.branches(schema_at, action_field, type_field):
            name, branch_event = _type_name(event, {**fixed, **forced}, action_field, type_field)
            name = _safe_name(name)
            uri = schema_uri(self.provider, name)
            if branch_at.startswith("#" + COMPONENT):
                shape: dict[str, Any] = {"$ref": self.target(branch_at, schema_at)}
            else:
                # A schema written inline in the webhook is the type's own document.
                inline = self.rewrite(self.at(branch_at[1:], schema_at), branch_at)
                shape = inline if isinstance(inline, dict) else _as_document(inline, uri)
            head = {
                "$schema": DIALECT,
                "$id": uri,
                "title": name,
                "description": description or f"The {event} webhook.",
            }
            self._docs[uri] = {**head, **{k: v for k, v in shape.items() if k not in head}}
            made.append(
                WebhookType(
                    name=name,
                    event=branch_event,
                    key=key,
                    description=description,
                    content_type=media,
                    fixed=fixed,
                    forced=forced,
                    headers=headers,
                )
            )
        return made

    def event_of(self, key: str, op: Mapping[str, Any], event_name: str | EventName | None) -> str:
        if event_name is None:
            return key
        if callable(event_name):
            got = event_name(key, op)
            if not isinstance(got, str) or not got:
                raise OpenAPIError(
                    f"event_name(...) returned {got!r} for webhook {key!r}; return the event's"
                    " name as a non-empty str."
                )
            return got
        node: Any = op
        for part in event_name.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, str) or not node:
            raise OpenAPIError(
                f"{self.source}: webhook {key!r} has no {event_name!r} in its operation to name"
                f" its event; add it, or pass event_name= another field (or a function of the"
                " key and the operation)."
            )
        return node

    def branches(
        self, schema_at: str, action_field: str, type_field: str
    ) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        """``(pointer, fixed fields, forced fields)`` per type: the schema itself, or each branch
        of a discriminated ``oneOf``/``anyOf``."""
        schema, at = self.follow(self.at(schema_at[1:], schema_at), schema_at)
        if not isinstance(schema, dict):
            raise OpenAPIError(f"{self.source}: the schema at {schema_at} is not a JSON Schema.")
        union_key = next(
            (k for k in ("oneOf", "anyOf") if isinstance(schema.get(k), list) and schema[k]), None
        )
        if union_key is not None and len(schema[union_key]) > 1:
            split = self.split(schema, at, union_key, action_field, type_field)
            if split is not None:
                return split
        fixed = self.fixed(schema, at)
        if union_key is not None:
            # Branches that all fix a field to one value (two shapes of one action) fix it.
            shared: dict[str, Any] | None = None
            for i, variant in enumerate(schema[union_key]):
                got = self.fixed(*self.follow(variant, f"{at}/{union_key}/{i}"))
                shared = (
                    got
                    if shared is None
                    else {k: v for k, v in shared.items() if k in got and got[k] == v}
                )
            fixed = {**(shared or {}), **fixed}
        return [("#" + at[1:], fixed, {})]

    def split(
        self,
        schema: dict[str, Any],
        at: str,
        union_key: str,
        action_field: str,
        type_field: str,
    ) -> list[tuple[str, dict[str, Any], dict[str, Any]]] | None:
        found = schema.get("discriminator")
        disc: dict[str, Any] = found if isinstance(found, dict) else {}
        by_ref: dict[str, str] = {}
        for value, ref in (disc.get("mapping") or {}).items():
            ref = str(ref)
            by_ref[ref if ref.startswith("#") else f"#{COMPONENT}{ref}"] = str(value)
        fields = [f for f in (disc.get("propertyName"), action_field, type_field) if f]
        variants = schema[union_key]
        for name in dict.fromkeys(fields):
            rows: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
            for i, variant in enumerate(variants):
                branch_at = f"{at}/{union_key}/{i}"
                resolved, resolved_at = self.follow(variant, branch_at)
                fixed = self.fixed(resolved, resolved_at)
                forced: dict[str, Any] = {}
                if name not in fixed and name == disc.get("propertyName"):
                    mapped = (
                        by_ref.get(variant.get("$ref", "")) if isinstance(variant, dict) else None
                    )
                    if mapped is None:
                        break
                    forced[name] = mapped
                elif name not in fixed:
                    break
                rows.append((f"{i}:{resolved_at}", fixed, forced))
            else:
                values = [{**f, **g}[name] for _, f, g in rows]
                if all(isinstance(v, (str, int)) for v in values) and len(set(values)) == len(
                    values
                ):
                    return [(self._branch(schema, at, union_key, b), f, g) for b, f, g in rows]
        return None

    def _branch(self, schema: dict[str, Any], at: str, union_key: str, row: str) -> str:
        """The pointer of one branch's type (``row``: its index and where its schema is); the
        union's own other keywords (``properties`` beside ``oneOf``) apply to each branch, so
        then a small ``allOf`` schema joins them."""
        index, _, branch_at = row.partition(":")
        rest = {k: v for k, v in schema.items() if k not in (union_key, "discriminator")}
        if not any(k not in ("title", "description", "type", "example", "examples") for k in rest):
            return branch_at
        joint_at = f"{at}/x-hookmock-{union_key}-{index}"
        container = self.at(at[1:], at)
        container[joint_at.rsplit("/", 1)[1]] = {
            "allOf": [{"$ref": "#" + at[1:] + "/x-hookmock-shared"}, {"$ref": "#" + branch_at[1:]}]
        }
        container["x-hookmock-shared"] = rest
        return joint_at

    def fixed(self, schema: Any, at: str) -> dict[str, Any]:
        """Top-level fields a schema fixes to one value (``const``, or a one-value ``enum``),
        through ``$ref`` and ``allOf``."""
        out: dict[str, Any] = {}
        stack = [(schema, at)]
        for _ in range(64):
            if not stack:
                break
            node, where = stack.pop()
            node, where = self.follow(node, where)
            if not isinstance(node, dict):
                continue
            props = node.get("properties")
            if isinstance(props, dict):
                for name, prop in props.items():
                    prop, _ = self.follow(prop, f"{where}/properties/{_escape(name)}")
                    value = _single(prop)
                    if value is not _NONE:
                        out.setdefault(name, value)
            for i, part in enumerate(node.get("allOf") or ()):
                stack.append((part, f"{where}/allOf/{i}"))
        return out

    def header_examples(self, params: list[Any]) -> dict[str, str]:
        """Header parameters with a value to send: an example, a default, a const or an enum's
        first value."""
        out: dict[str, str] = {}
        for i, raw in enumerate(params):
            param, _ = self.follow(raw, f"parameters/{i}")
            if not isinstance(param, dict) or param.get("in") != "header":
                continue
            name = param.get("name")
            if not isinstance(name, str) or not name:
                continue
            given = param.get("schema")
            schema: dict[str, Any] = given if isinstance(given, dict) else {}
            value = _first(
                param.get("example"),
                _first_example(param.get("examples")),
                schema.get("const"),
                schema.get("default"),
                schema.get("example"),
                (schema.get("examples") or [None])[0]
                if isinstance(schema.get("examples"), list)
                else None,
                (schema.get("enum") or [None])[0] if isinstance(schema.get("enum"), list) else None,
            )
            if value is not None and not isinstance(value, (dict, list)):
                out[name] = str(value).lower() if isinstance(value, bool) else str(value)
        return out


def _as_document(schema: Any, uri: str) -> dict[str, Any]:
    if isinstance(schema, bool):
        return {"$schema": DIALECT, "$id": uri, **({} if schema else {"not": {}})}
    if not isinstance(schema, dict):
        raise SchemaError(f"the component schema {uri} is not a JSON Schema (a mapping).")
    # Its own $schema (OpenAPI's dialect URI) is dropped: 2020-12 is what validators know.
    return {**schema, "$schema": DIALECT, "$id": uri}


_NONE = object()
#: Keywords whose values are data (examples, enums), copied as they are.
_VALUES = frozenset({"const", "default", "enum", "example", "examples"})
#: Keywords whose values map names to schemas: their keys are names, not keywords.
_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


def _nullable_ref(node: dict[str, Any]) -> dict[str, Any]:
    """``{"type": ["null"], "allOf": [{"$ref": ...}]}`` read as "null, or what allOf says".

    That is how converters often turn OpenAPI 3.0's ``nullable: true`` beside an ``allOf`` into
    3.1; read literally nothing satisfies it (null, and an object), so no payload could be
    made or pass. Any other schema is kept as written.
    """
    kind = node.get("type")
    if kind not in ("null", ["null"]) or "anyOf" in node:
        return node
    inner = {k: v for k, v in node.items() if k in ("allOf", "$ref")}
    if not inner:
        return node
    outer = {k: v for k, v in node.items() if k not in ("allOf", "$ref", "type")}
    return {**outer, "anyOf": [inner, {"type": "null"}]}


def _single(prop: Any) -> Any:
    if not isinstance(prop, dict):
        return _NONE
    if "const" in prop:
        return prop["const"]
    enum = prop.get("enum")
    if isinstance(enum, list) and len(enum) == 1:
        return enum[0]
    return _NONE


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def _first_example(examples: Any) -> Any:
    if isinstance(examples, dict):
        for example in examples.values():
            if isinstance(example, dict) and "value" in example:
                return example["value"]
    return None


def _json_media(content: Mapping[str, Any]) -> str | None:
    """The JSON media type of a request body: application/json, else any ``+json``."""
    kinds = list(content)
    for kind in kinds:
        if kind.split(";")[0].strip().lower() == "application/json":
            return kind
    for kind in kinds:
        if kind.split(";")[0].strip().lower().endswith("+json"):
            return kind
    return None


def _type_name(
    event: str, fixed: Mapping[str, Any], action_field: str, type_field: str
) -> tuple[str, str]:
    """(type, event): the payload's own type field's value; else ``<event>.<action>`` when the
    action is fixed (a key that already ends in it, ``pull-request-opened``, loses that end);
    else the event."""
    named = fixed.get(type_field) if type_field else None
    if isinstance(named, str) and named:
        return named, event
    action = fixed.get(action_field) if action_field else None
    if isinstance(action, (str, int)) and not isinstance(action, bool) and str(action):
        act = str(action)
        for sep in "-_.":
            if event.endswith(sep + act) and len(event) > len(act) + 1:
                event = event[: -len(act) - 1]
                break
        return f"{event}.{act}", event
    return event, event


def _safe_name(name: str) -> str:
    """A type name usable as a file name: other characters become ``_``."""
    if TYPE_NAME.fullmatch(name) and name != "defs":
        return name
    cleaned = re.sub(r"[^A-Za-z0-9_.:\-]", "_", name).lstrip("_.:-")[:255]
    return cleaned if cleaned and cleaned != "defs" else f"webhook_{cleaned or 'x'}"


def _fragment(pointer: str) -> str:
    """A JSON pointer as a URI fragment: characters a URI may not hold (a space in
    ``application/json; charset=utf-8``) percent-encoded."""
    return quote(pointer, safe="/~-_.!$&'()*+,;=:@")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _one_line(text: object) -> str:
    if not isinstance(text, str):
        return ""
    return text.strip().split("\n\n")[0].replace("\n", " ").strip()
