"""A provider's generator data: value pools, field conventions, entity kinds and state rules.

Read from the provider's ``pools`` and ``rules`` files (YAML or JSON); the format is described in
:mod:`hookmock.generator`. Everything is compiled once, when the files are loaded.
"""

from __future__ import annotations

import bisect
import fnmatch
import itertools
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ._expr import Expr, ExpressionError, Kind, compile_expr

#: What a pools file may leave out.
DEFAULT_SETTINGS: dict[str, Any] = {
    "optional": 0.6,  # chance that an optional property is present
    "optional_budget": 6,  # an object with many optional properties shows about this many
    "null": {"object": 0.6, "array": 0.4, "scalar": 0.25},  # chance a nullable value is null
    "max_depth": 8,  # below this many nested objects, only what the schema requires
    "array": [0, 2],  # items in an array the schema does not size
    "map": [0, 2],  # entries in a map (additionalProperties) the schema does not size
    "use_examples": True,  # draw strings from a schema's `examples` (open enums)
    "tag_property": None,  # names which optional object sibling is present (e.g. type)
}

JTYPES = ("string", "integer", "number", "boolean")


def read_file(path: Path) -> dict[str, Any]:
    """A YAML or JSON data file as a dict."""
    return read_text(path.read_text(encoding="utf-8"), str(path))


def read_text(text: str, name: str) -> dict[str, Any]:
    """The text of a YAML or JSON data file called ``name`` (JSON by its ``.json`` suffix)."""
    if name.endswith(".json"):
        doc = json.loads(text)
    else:
        # Import budget: yaml loads with the first data file, never with hookmock.
        import yaml

        doc = yaml.safe_load(text)
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise ExpressionError(f"{name} must hold a mapping at the top, not {type(doc).__name__}")
    return doc


class FieldTable:
    """Field name -> expression for one JSON type: exact names (or ``parent.name``), then globs."""

    def __init__(self, table: Mapping[str, Any], data: GeneratorData) -> None:
        self.exact: dict[str, Expr] = {}
        self.globs: list[tuple[re.Pattern[str], Expr]] = []
        self.fallback: Expr | None = None
        for key, value in table.items():
            expr = compile_expr(value, data)
            if key == "*":
                self.fallback = expr
            elif any(c in key for c in "*?["):
                self.globs.append((re.compile(fnmatch.translate(key)), expr))
            else:
                self.exact[key] = expr

    def exact_for(self, name: str | None, parent: str | None) -> Expr | None:
        if name is None:
            return None
        if parent is not None:
            got = self.exact.get(f"{parent}.{name}")
            if got is not None:
                return got
        return self.exact.get(name)

    def glob_for(self, name: str | None) -> Expr | None:
        if name is None:
            return None
        for pattern, expr in self.globs:
            if pattern.match(name):
                return expr
        return None


class GeneratorData:
    """The compiled contents of one provider's pools and rules files."""

    def __init__(
        self, pools: Mapping[str, Any] | None = None, rules: Mapping[str, Any] | None = None
    ):
        pools = dict(pools or {})
        settings = dict(DEFAULT_SETTINGS)
        settings.update(pools.get("settings") or {})
        nulls = dict(DEFAULT_SETTINGS["null"])
        nulls.update(settings.get("null") or {})
        self.optional = float(settings["optional"])
        self.optional_budget = float(settings["optional_budget"])
        self.null_object = float(nulls["object"])
        self.null_array = float(nulls["array"])
        self.null_scalar = float(nulls["scalar"])
        self.max_depth = int(settings["max_depth"])
        self.array_range = (int(settings["array"][0]), int(settings["array"][1]))
        self.map_range = (int(settings["map"][0]), int(settings["map"][1]))
        self.use_examples = bool(settings["use_examples"])
        tag = settings["tag_property"]
        self.tag_property: str | None = str(tag) if tag else None
        self.tag_weights: dict[str, float] = {
            str(k): float(v) for k, v in (settings.get("tag_weights") or {}).items()
        }
        self.presence: dict[str, float] = {
            str(k): float(v) for k, v in (pools.get("presence") or {}).items()
        }
        self.null_chance: dict[str, float] = {
            str(k): float(v) for k, v in (pools.get("nullable") or {}).items()
        }
        self._pools: dict[str, tuple[list[Any], list[float] | None]] = {}
        for name, values in (pools.get("pools") or {}).items():
            if isinstance(values, dict):
                items = list(values)
                cum = list(itertools.accumulate(float(w) for w in values.values()))
                self._pools[str(name)] = (items, cum)
            elif isinstance(values, list) and values:
                self._pools[str(name)] = (list(values), None)
            else:
                raise ExpressionError(
                    f"pool {name!r} must be a non-empty list or value: weight map"
                )
        ids = pools.get("ids") or {}
        self.kind_property: str | None = ids.get("kind_property")
        self.reference_keyword: str | None = ids.get("reference_keyword")
        self._prefixes: dict[str, str] = {
            str(k): str(v) for k, v in (ids.get("prefixes") or {}).items()
        }
        self._lengths: dict[str, int] = {
            str(k): int(v) for k, v in (ids.get("lengths") or {}).items()
        }
        self._default_length = int(ids.get("length", 24))
        self._id_specs: dict[str, tuple[str, int]] = {}
        self.roles: dict[str, str] = {str(k): str(v) for k, v in (pools.get("roles") or {}).items()}
        self.kinds: list[Kind] = []
        self._role_kinds: dict[str, Kind] = {}
        for kname, spec in (pools.get("kinds") or {}).items():
            kind = Kind(
                str(kname),
                spec.get("match") or (),
                {str(k): compile_expr(v, self) for k, v in (spec.get("identity") or {}).items()},
                {str(k): compile_expr(v, self) for k, v in (spec.get("derived") or {}).items()},
                [str(r) for r in spec.get("roles") or ()],
                {str(k): v for k, v in (spec.get("derived") or {}).items()},
            )
            self.kinds.append(kind)
            self._role_kinds.setdefault(kind.name, kind)
            for role in spec.get("roles") or ():
                self._role_kinds[str(role)] = kind
        self.fields = {t: FieldTable(pools.get(t + "s") or {}, self) for t in JTYPES}
        self.formats: dict[str, Expr] = {
            str(k): compile_expr(v, self) for k, v in (pools.get("formats") or {}).items()
        }
        from ._rules import Rules

        self.rules = Rules((rules or {}).get("rules") or {}, self)
        # Traits: named states a user asks for (``traits=["three_d_secure"]``), each a rules
        # table of its own, applied after the type's rules.
        traits = (rules or {}).get("traits") or {}
        if not isinstance(traits, Mapping):
            raise ExpressionError("`traits:` must map trait names to {type glob: {path: value}}")
        self.traits: dict[str, Rules] = {str(k): Rules(v, self) for k, v in traits.items()}
        self._traits_by_type: dict[str, tuple[str, ...]] = {}
        self.exclusive: list[list[str]] = [
            [str(t) for t in group] for group in (rules or {}).get("exclusive") or ()
        ]

    def traits_for(self, type: str) -> list[str]:
        """The traits whose rules match ``type``, in file order (worked out once per type:
        every event checks the traits it is asked for against them)."""
        got = self._traits_by_type.get(type)
        if got is None:
            got = tuple(name for name, rules in self.traits.items() if rules.for_type(type))
            self._traits_by_type[type] = got
        return list(got)

    @classmethod
    def from_files(cls, pools: Path | None = None, rules: Path | None = None) -> GeneratorData:
        return cls(read_file(pools) if pools else None, read_file(rules) if rules else None)

    # -- pools ------------------------------------------------------------------------------
    def pool_list(self, name: str) -> list[Any]:
        if name not in self._pools:
            if name == "words":
                return list(_FALLBACK_WORDS)
            raise ExpressionError(
                f"no pool named {name!r}; pools: {', '.join(sorted(self._pools))}"
            )
        return self._pools[name][0]

    def pool_drawer(self, name: str) -> Callable[[Any], Any]:
        items = self.pool_list(name)
        cum = self._pools[name][1] if name in self._pools else None
        if cum is None:
            n = len(items)
            return lambda rng: items[int(rng.random() * n)]
        total = cum[-1]

        def draw(rng: Any) -> Any:
            return items[bisect.bisect(cum, rng.random() * total)]

        return draw

    # -- ids --------------------------------------------------------------------------------
    def id_prefix(self, kind: str) -> str:
        got = self._prefixes.get(kind)
        if got is None:
            # An object hookmock has no prefix for: its initials (payment_intent: pi_).
            got = "".join(w[0] for w in re.split(r"[._]", kind) if w) or "obj"
        return got if got.endswith("_") else got + "_"

    def id_length(self, prefix: str) -> int:
        return self._lengths.get(prefix.rstrip("_"), self._default_length)

    def id_spec(self, kind: str) -> tuple[str, int]:
        """``(prefix, length)`` of the ids of ``kind``, worked out once per kind (every object
        of a payload draws one)."""
        got = self._id_specs.get(kind)
        if got is None:
            prefix = self.id_prefix(kind)
            got = self._id_specs[kind] = (prefix, self.id_length(prefix))
        return got

    # -- entities ---------------------------------------------------------------------------
    def kind_for_role(self, role: str) -> Kind | None:
        return self._role_kinds.get(role)

    def kind_for_object(self, names: set[str], role: str | None) -> Kind | None:
        """The kind whose ``match`` properties ``names`` holds, else the kind without ``match``
        that lists ``role`` (objects too small to recognise, such as an ``{id, node_id}`` stub)."""
        for kind in self.kinds:
            if kind.match and kind.match <= names:
                return kind
        for kind in self.kinds:
            if not kind.match and role is not None and role in kind.roles:
                return kind
        return None

    def role_of(self, name: str | None, parent: str | None) -> str | None:
        if name is None:
            return None
        if parent is not None:
            got = self.roles.get(f"{parent}.{name}")
            if got is not None:
                return got
        return self.roles.get(name, name)


_FALLBACK_WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "data",
    "value",
    "item",
    "record",
    "sample",
    "test",
    "order",
    "update",
    "build",
    "release",
    "deploy",
    "change",
    "review",
    "merge",
    "branch",
    "commit",
    "account",
    "payment",
    "invoice",
    "customer",
    "plan",
]
