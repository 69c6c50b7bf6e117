"""A small, bounded generator of ``data`` from the common JSON Schema keywords.

It covers what event schemas mostly use: ``type`` (and type lists), ``properties``/``required``,
``items``, ``enum``/``const``, ``examples``/``default``, ``format``, ``pattern`` (by trying a few
candidates), lengths and bounds, ``allOf``/``anyOf``/``oneOf`` and local ``$ref`` (``#/$defs``).
Output is seeded by the build context and bounded in depth and size, so a recursive schema ends.
"""

from __future__ import annotations

import re

from ..._errors import SchemaError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from ..._provider import BuildContext

#: Below this depth objects carry their required properties only, and arrays are empty where
#: they may be: a recursive schema (a comment with replies) still ends.
MAX_DEPTH = 6
#: Items drawn for an array without bounds.
ARRAY_ITEMS = (1, 3)
#: Optional properties appear this often.
OPTIONAL = 0.5
_ISO = "%Y-%m-%dT%H:%M:%S"


class DataGenerator:
    """Values for one schema document (the root of ``$ref``) from one build context."""

    def __init__(self, root: Mapping[str, Any], ctx: BuildContext) -> None:
        self.root = root
        self.ctx = ctx
        self.rng = ctx.rng

    def value(self, schema: Any, path: str, depth: int = 0, name: str = "") -> Any:
        schema = self._resolve(schema, path)
        if schema is True or schema == {}:
            return self._free(depth)
        if schema is False:
            raise SchemaError(f"The schema allows no value at {path or '/'}; nothing fits.")
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self.rng.choice(schema["enum"])
        if isinstance(schema.get("examples"), list) and schema["examples"]:
            return self.rng.choice(schema["examples"])
        if "default" in schema and self.rng.random() < 0.5:
            return schema["default"]
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                merged = {k: v for k, v in schema.items() if k != key}
                chosen = [*merged.get("allOf", []), self.rng.choice(branches)]
                return self.value({**merged, "allOf": chosen}, path, depth, name)
        if isinstance(schema.get("allOf"), list):
            schema = self._merge_all(schema, path)
        kind = self._kind(schema, depth)
        if kind == "null":
            return None
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind in ("integer", "number"):
            return self._number(schema, kind)
        if kind == "string":
            return self._string(schema, path, name)
        if kind == "array":
            return self._array(schema, path, depth)
        return self._object(schema, path, depth)

    # -- kinds -----------------------------------------------------------------------------------
    def _kind(self, schema: Mapping[str, Any], depth: int) -> str:
        kind = schema.get("type")
        if isinstance(kind, list):
            real = [k for k in kind if k != "null"]
            if not real:
                return "null"
            # Nullable values are null now and then, as real payloads' are.
            if "null" in kind and self.rng.random() < 0.2:
                return "null"
            return str(self.rng.choice(real))
        if isinstance(kind, str):
            return kind
        if "properties" in schema or "required" in schema:
            return "object"
        if "items" in schema:
            return "array"
        if any(k in schema for k in ("pattern", "format", "minLength", "maxLength")):
            return "string"
        if any(k in schema for k in ("minimum", "maximum")):
            return "number"
        return "object"

    def _number(self, schema: Mapping[str, Any], kind: str) -> int | float:
        lo = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        hi = schema.get("maximum", schema.get("exclusiveMaximum", max(lo, 0) + 10_000))
        if "exclusiveMinimum" in schema and "minimum" not in schema:
            lo += 1 if kind == "integer" else 1e-6
        if "exclusiveMaximum" in schema and "maximum" not in schema:
            hi -= 1 if kind == "integer" else 1e-6
        if kind == "integer":
            import math

            lo_i, hi_i = math.ceil(lo), math.floor(hi)
            if lo_i > hi_i:
                raise SchemaError(f"No integer lies between {lo} and {hi}.")
            step = schema.get("multipleOf")
            if isinstance(step, int) and step > 0:
                first = -(-lo_i // step) * step
                if first <= hi_i:
                    return int(first + step * self.rng.randrange((hi_i - first) // step + 1))
            return self.rng.randint(lo_i, hi_i)
        return round(self.rng.uniform(lo, hi), 2)

    def _string(self, schema: Mapping[str, Any], path: str, name: str) -> str:
        fmt = schema.get("format")
        pattern = schema.get("pattern")
        lo = int(schema.get("minLength", 0))
        hi = int(schema.get("maxLength", max(lo, 40)))
        candidates = self._strings(fmt, name)
        if isinstance(pattern, str):
            try:
                rx = re.compile(pattern)
            except re.error:
                rx = None
            # An id pattern names its prefix (^in_[A-Za-z0-9]+$): try the shapes behind it too.
            literal = re.match(r"\^([A-Za-z0-9_\-:/.]+)", pattern)
            if literal is not None:
                head = literal.group(1)
                ids = [head + self.ctx.base62(24), head + str(self.rng.randrange(10**8))]
                candidates = ids + [head + text for text in candidates] + candidates
            for text in candidates:
                if rx is not None and rx.search(text) and lo <= len(text) <= hi:
                    return text
            raise SchemaError(
                f"hookmock cannot make a string for {path or '/'} that matches the pattern"
                f' {pattern!r}. Add "examples": [...] (or an "enum") to that property\'s'
                " schema, or override the field when you build the event."
            )
        text = candidates[0]
        if len(text) > hi:
            text = text[:hi]
        while len(text) < lo:
            text += self.ctx.base62(lo - len(text))
        return text

    def _strings(self, fmt: object, name: str) -> list[str]:
        """What a string could be: the format's value first, then shapes a pattern may want."""
        ctx, faker = self.ctx, self.ctx.faker
        first: list[str] = []
        lower = name.lower()
        if fmt == "date-time":
            first.append(self._iso(ctx.timestamp()))
        elif fmt == "date":
            first.append(self._iso(ctx.timestamp())[:10])
        elif fmt == "email" or lower.endswith("email"):
            first.append(faker.email())
        elif fmt in ("uri", "url", "iri") or lower.endswith("url"):
            first.append(f"https://example.com/{ctx.base62(10)}")
        elif fmt == "uuid":
            first.append(ctx.uuid())
        elif fmt == "ipv4":
            first.append(faker.ipv4())
        elif lower.endswith("name"):
            first.append(faker.name())
        elif lower == "id" or lower.endswith("_id"):
            first.append(f"{(lower[:-3] or 'obj')[:8]}_{ctx.base62(24)}")
        rest = [
            faker.word(),
            ctx.base62(24),
            str(self.rng.randrange(10**8)),
            ctx.uuid(),
            ctx.hexdigits(32),
            self._iso(ctx.timestamp()),
            faker.email(),
            f"https://example.com/{ctx.base62(10)}",
            faker.sentence(),
        ]
        return first + rest

    def _iso(self, unix: int) -> str:
        from datetime import datetime, timezone

        return datetime.fromtimestamp(unix, tz=timezone.utc).strftime(_ISO) + "Z"

    def _array(self, schema: Mapping[str, Any], path: str, depth: int) -> list[Any]:
        lo = int(schema.get("minItems", 0))
        hi = int(schema.get("maxItems", max(lo, ARRAY_ITEMS[1])))
        count = lo if depth >= MAX_DEPTH else self.rng.randint(max(lo, ARRAY_ITEMS[0]), hi)
        items = schema.get("items", {})
        prefix = schema.get("prefixItems")
        out: list[Any] = []
        for i in range(count):
            item = prefix[i] if isinstance(prefix, list) and i < len(prefix) else items
            out.append(self.value(item, f"{path}/{i}", depth + 1))
        if schema.get("uniqueItems"):
            unique: list[Any] = []
            for v in out:
                if v not in unique:
                    unique.append(v)
            out = unique
        return out

    def _object(self, schema: Mapping[str, Any], path: str, depth: int) -> dict[str, Any]:
        props = schema.get("properties")
        props = props if isinstance(props, dict) else {}
        required = [r for r in schema.get("required", ()) if isinstance(r, str)]
        if not props and not required:
            return self._free(depth)
        out: dict[str, Any] = {}
        for key, sub in props.items():
            if key not in required and (depth >= MAX_DEPTH or self.rng.random() >= OPTIONAL):
                continue
            out[key] = self.value(sub, f"{path}/{key}", depth + 1, key)
        for key in required:
            if key not in out:
                extra = schema.get("additionalProperties", {})
                out[key] = self.value(
                    extra if extra is not False else {}, f"{path}/{key}", depth + 1, key
                )
        return out

    def _free(self, depth: int) -> dict[str, Any]:
        """A free-form object: empty below the depth limit, else one id, as most events carry."""
        return {} if depth else {"id": f"obj_{self.ctx.base62(24)}"}

    # -- schema plumbing ------------------------------------------------------------------------
    def _resolve(self, schema: Any, path: str, seen: int = 0) -> Any:
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if seen > 32:
                raise SchemaError(f"$ref {ref!r} at {path or '/'} refers in a loop.")
            if not ref.startswith("#"):
                raise SchemaError(
                    f"$ref {ref!r} at {path or '/'} points outside the schema; hookmock's"
                    " Standard Webhooks schemas resolve local refs (#/$defs/...) only. Put the"
                    " definition under $defs in the same file."
                )
            target: Any = self.root
            for part in ref[1:].split("/")[1:]:
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or part not in target:
                    raise SchemaError(f"$ref {ref!r} at {path or '/'} names nothing.")
                target = target[part]
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**target, **rest} if rest and isinstance(target, dict) else target
            seen += 1
        return schema

    def _merge_all(self, schema: Mapping[str, Any], path: str) -> dict[str, Any]:
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            part = self._resolve(part, path)
            if not isinstance(part, dict):
                continue
            if isinstance(part.get("allOf"), list):
                part = self._merge_all(part, path)
            for key, value in part.items():
                if key == "properties" and isinstance(value, dict):
                    merged["properties"] = {**merged.get("properties", {}), **value}
                elif key == "required" and isinstance(value, list):
                    merged["required"] = [*merged.get("required", []), *value]
                else:
                    merged.setdefault(key, value)
        return merged


def generate(schema: Mapping[str, Any], ctx: BuildContext) -> Any:
    """``data`` for ``schema``, seeded by ``ctx``."""
    return DataGenerator(schema, ctx).value(schema, "/data", 0)
