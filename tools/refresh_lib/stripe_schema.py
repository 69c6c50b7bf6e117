"""Turn stripe-python's annotated classes into JSON Schema, using the npm package's declarations to
tell fields that may be left out (`field?: X`) from fields sent as null (`field: X | null`).

Conventions of the compiled schemas:
- each resource class becomes `schemas/stripe/defs/<object name>.json`; its nested classes are
  `$defs` of that file, keyed by their dotted path below the resource (`DestinationDetails.Card`);
- `ExpandableField[X]` is the id string webhooks carry, with `x-stripe-expandable: <object name>`;
- a closed `Literal[...]` is an `enum`; an open one (`Union[Literal[...], str]`, which Stripe uses
  for values that may grow) is a string with the known values as `examples`;
- no `additionalProperties: false`: Stripe adds fields without a new API version.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from .output import ID_BASE, JSON, SCHEMA_DIALECT
from .sources import RefreshError
from .stripe_py import PyClass, PyIndex
from .stripe_ts import TsField, TsIndex

DEFS_DIR = "schemas/stripe/defs"
PRIMITIVES: dict[str, JSON] = {
    "Decimal": {"type": "string", "format": "decimal"},
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "Any": {},
    "object": {},
}
TYPE_NAMES = ("string", "integer", "number", "boolean", "object", "array", "null")


def def_name(cls: PyClass) -> str:
    """The def file's stem: the resource's object name, else the module's name.

    Brackets (``thin.v2.core.account[requirements].updated``) are percent-encoded: the stem is
    part of the file's ``$id`` and of ``$ref``s, and a URI path may not carry them.
    """
    if cls.object_name:
        stem = cls.object_name
    elif cls.file_stem:
        stem = cls.file_stem
    else:
        stem = cls.module.removeprefix("stripe.").replace("._", ".").lstrip("_")
    return stem.replace("[", "%5B").replace("]", "%5D")


@dataclass
class Stats:
    fields: int = 0
    without_ts: int = 0
    optional_not_nullable: int = 0
    unresolved: set[str] = field(default_factory=set)


def nullable(schema: JSON) -> JSON:
    """`schema` or null, folding null into `type` where that reads simply."""
    if schema == {}:
        return schema
    kind = schema.get("type")
    if isinstance(kind, str) and set(schema) <= {
        "type",
        "enum",
        "examples",
        "description",
        "format",
    }:
        out = dict(schema, type=[kind, "null"])
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        return out
    return {"anyOf": [schema, {"type": "null"}]}


class StripeSchemaCompiler:
    def __init__(self, py: PyIndex, ts: TsIndex) -> None:
        self.py = py
        self.ts = ts
        self.stats = Stats()
        self.pending: list[PyClass] = []
        self.files: dict[str, PyClass] = {}
        self._ts_names: dict[tuple[str, str], str | None] = {}

    # -- TypeScript lookup -------------------------------------------------------------------

    def _ts_top(self, cls: PyClass) -> list[str]:
        names: list[str] = []
        if cls.object_name:
            candidates = self.ts.by_object.get(cls.object_name, [])
            plain = [c for c in candidates if not c.rpartition(".")[2].startswith("Deleted")]
            names.extend(sorted(plain, key=lambda c: (c.rpartition(".")[2] != cls.path, c)))
        parts = cls.module.removeprefix("stripe.").split(".")[:-1]
        namespace = [p.title().replace("_", "") for p in parts]
        names.append(".".join([*namespace, cls.path]))
        return names

    def ts_name(self, cls: PyClass) -> str | None:
        """The qualified stripe-node interface that declares the same object as `cls`."""
        if cls.key in self._ts_names:
            return self._ts_names[cls.key]
        found: str | None = None
        top, _, rest = cls.path.partition(".")
        top_cls = self.py.cls(cls.module, top)
        for base in self._ts_top(top_cls):
            qualified = f"{base}.{rest}" if rest else base
            if qualified in self.ts.interfaces:
                found = qualified
                break
        if found is None and rest:
            found = self._ts_via_parent(cls)
        self._ts_names[cls.key] = found
        return found

    def _ts_via_parent(self, cls: PyClass) -> str | None:
        """stripe-node often declares a nested object with a shared type (`address: Address`)
        where stripe-python nests a class; follow the parent field's declared type."""
        parent_path, _, simple = cls.path.rpartition(".")
        parent = self.py.cls(cls.module, parent_path)
        parent_ts = self.ts_name(parent)
        if parent_ts is None:
            return None
        fields = self.ts.interfaces[parent_ts].fields
        for fld in parent.fields:
            mentioned = {n.id for n in ast.walk(fld.annotation) if isinstance(n, ast.Name)}
            mentioned |= {
                n.value
                for n in ast.walk(fld.annotation)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            }
            if simple not in mentioned or fld.name not in fields:
                continue
            members = [m for m in fields[fld.name].type.split("|") if m.strip() != "null"]
            type_name = (
                members[0].strip().removeprefix("Array<").removesuffix(">") if members else ""
            )
            scopes = parent_ts.split(".")
            for depth in range(len(scopes), -1, -1):
                candidate = ".".join([*scopes[:depth], type_name])
                if candidate in self.ts.interfaces:
                    return candidate
        return None

    def ts_fields(self, cls: PyClass) -> dict[str, TsField] | None:
        name = self.ts_name(cls)
        return self.ts.interfaces[name].fields if name else None

    # -- annotations -------------------------------------------------------------------------

    def _register(self, top_cls: PyClass) -> str:
        name = def_name(top_cls)
        if name not in self.files:
            self.files[name] = top_cls
            self.pending.append(top_cls)
        elif self.files[name].key != top_cls.key:
            raise RefreshError(f"two stripe-python classes compile to defs/{name}.json")
        return name

    def _ref(self, target: PyClass, here: PyClass) -> JSON:
        top, _, rest = target.path.partition(".")
        top_cls = self.py.cls(target.module, top)
        name = self._register(top_cls)
        here_top = self.py.cls(here.module, here.path.partition(".")[0])
        same_file = here_top.key == top_cls.key
        pointer = f"#/$defs/{rest}" if rest else ""
        if same_file:
            return {"$ref": pointer or "#"}
        return {"$ref": f"{name}.json{pointer}"}

    def _named(self, name: str, here: PyClass) -> JSON:
        if name in PRIMITIVES:
            return dict(PRIMITIVES[name])
        target = self.py.resolve(here.module, here.path, name)
        if target is None:
            self.stats.unresolved.add(f"{here.module}:{here.path} -> {name}")
            return {}
        return self._ref(target, here)

    def _expandable_target(self, node: ast.expr, here: PyClass) -> str | None:
        name = node.value if isinstance(node, ast.Constant) else getattr(node, "id", None)
        if not isinstance(name, str):
            return None
        target = self.py.resolve(here.module, here.path, name)
        return def_name(target) if target else None

    def convert(self, node: ast.expr, here: PyClass) -> tuple[JSON, bool]:
        """(schema, python_optional) for one annotation."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return self.convert(ast.parse(node.value, mode="eval").body, here)
        if isinstance(node, ast.Constant) and node.value is None:
            return {"type": "null"}, False
        if isinstance(node, ast.Name):
            return self._named(node.id, here), False
        if isinstance(node, ast.Attribute):
            return self._named(ast.unparse(node), here), False
        if not isinstance(node, ast.Subscript):
            raise RefreshError(
                f"{here.module}:{here.path}: cannot read annotation {ast.unparse(node)}"
            )
        head = ast.unparse(node.value)
        args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head in ("Optional", "NotRequired"):
            inner, _ = self.convert(args[0], here)
            return inner, True
        if head == "List":
            return {"type": "array", "items": self.convert(args[0], here)[0]}, False
        if head in ("Dict", "Mapping"):
            return {"type": "object", "additionalProperties": self.convert(args[1], here)[0]}, False
        if head == "UntypedStripeObject":
            value = self.convert(args[0], here)[0]
            return (
                {"type": "object", "additionalProperties": value} if value else {"type": "object"}
            ), False
        if head == "Literal":
            values = [a.value for a in args if isinstance(a, ast.Constant)]
            if len(values) == 1:
                return {"const": values[0]}, False
            return {"enum": values}, False
        if head == "ExpandableField":
            schema: dict[str, Any] = {"type": "string"}
            target = self._expandable_target(args[0], here)
            if target:
                schema["x-stripe-expandable"] = target
            return schema, False
        if head == "ListObject":
            return {
                "type": "object",
                "required": ["data", "has_more", "object", "url"],
                "properties": {
                    "object": {"const": "list"},
                    "data": {"type": "array", "items": self.convert(args[0], here)[0]},
                    "has_more": {"type": "boolean"},
                    "url": {"type": "string"},
                },
            }, False
        if head == "Union":
            return self._union(args, here), False
        self.stats.unresolved.add(f"{here.module}:{here.path}: {ast.unparse(node)}")
        return {}, False

    def _union(self, args: list[ast.expr], here: PyClass) -> JSON:
        literals = [
            a for a in args if isinstance(a, ast.Subscript) and ast.unparse(a.value) == "Literal"
        ]
        plain_str = [a for a in args if isinstance(a, ast.Name) and a.id == "str"]
        if literals and plain_str and len(literals) + len(plain_str) == len(args):
            known: list[JSON] = []
            for lit in literals:
                elts = list(lit.slice.elts) if isinstance(lit.slice, ast.Tuple) else [lit.slice]
                known.extend(e.value for e in elts if isinstance(e, ast.Constant))
            return {"type": "string", "examples": known}
        options: list[JSON] = []
        expandable = [
            a
            for a in args
            if isinstance(a, ast.Subscript) and ast.unparse(a.value) == "ExpandableField"
        ]
        if len(expandable) == len(args):
            targets = sorted(
                {t for a in expandable for t in [self._expandable_target(a.slice, here)] if t}
            )
            return {
                "type": "string",
                "x-stripe-expandable": targets[0] if len(targets) == 1 else targets,
            }
        for arg in args:
            schema, optional = self.convert(arg, here)
            options.append(nullable(schema) if optional else schema)
        return {"anyOf": options}

    # -- classes -----------------------------------------------------------------------------

    def class_schema(self, cls: PyClass) -> dict[str, Any]:
        ts = self.ts_fields(cls)
        properties: dict[str, JSON] = {}
        required: list[str] = []
        for fld in cls.fields:
            self.stats.fields += 1
            schema, py_optional = self.convert(fld.annotation, cls)
            info = ts.get(fld.name) if ts is not None else None
            if info is None:
                self.stats.without_ts += 1
                is_nullable, is_required = py_optional, not py_optional
            else:
                is_nullable, is_required = info.nullable, not info.optional
                if info.optional and not info.nullable:
                    self.stats.optional_not_nullable += 1
            if is_nullable:
                schema = nullable(schema)
            if fld.doc:
                schema = dict(schema, description=fld.doc)
            properties[fld.name] = schema
            if is_required:
                required.append(fld.name)
        out: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            out["required"] = sorted(required)
        if cls.doc:
            out["description"] = cls.doc
        if cls.object_name and "." not in cls.path:
            out["title"] = f"Stripe {cls.path}"
        return out

    def def_file(self, top: PyClass) -> dict[str, Any]:
        schema = self.class_schema(top)
        defs: dict[str, JSON] = {}
        prefix = top.path + "."
        for path in sorted(self.py.modules[top.module].classes):
            if path.startswith(prefix):
                nested = self.py.cls(top.module, path)
                if "StripeObject" not in nested.bases:
                    continue
                defs[path[len(prefix) :]] = self.class_schema(nested)
        if defs:
            schema["$defs"] = defs
        schema["$schema"] = SCHEMA_DIALECT
        schema["$id"] = f"{ID_BASE}{DEFS_DIR}/{def_name(top)}.json"
        return schema

    def require(self, cls: PyClass) -> JSON:
        """A `$ref` (from schemas/stripe/) to the def file of `cls`, queuing it for compilation."""
        top = self.py.cls(cls.module, cls.path.partition(".")[0])
        return {"$ref": f"defs/{self._register(top)}.json"}

    def compile_pending(self) -> dict[str, dict[str, Any]]:
        done: dict[str, dict[str, Any]] = {}
        while self.pending:
            top = self.pending.pop()
            name = def_name(top)
            if name not in done:
                done[name] = self.def_file(top)
        return done
