"""Compile a JSON Schema once into a plan: a tree of small generator objects, walked per event.

All schema work happens here: ``$ref`` resolution, ``allOf`` merging, choosing value makers by
field name and format. A plan's ``gen(state)`` only draws random numbers and builds dicts.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from typing import Any

from ._data import GeneratorData
from ._expr import Expr, Kind, Literal, Lookup, State, compile_expr, copy_json, template_parts

Frag = tuple[Any, Any]  # (schema node, referencing resolver that reads its $refs)

#: What a schema relaxed to accept older real payloads keeps of the description: `required`
#: (names an older payload lacks; the refresh writes them from a provider's documented
#: examples) and `enum` (the values before older ones were added by a correction). The
#: generator follows these.
RELAXED = "x-hookmock-relaxed"

_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


class Plan:
    """Makes one JSON value. ``jtype`` is the JSON type it makes ("any" when it varies)."""

    __slots__ = ("jtype",)

    def __init__(self, jtype: str) -> None:
        self.jtype = jtype

    def gen(self, st: State) -> Any:
        raise NotImplementedError

    def accepts(self) -> tuple[type, ...] | None:
        """The Python types an entity value must have to stand in for this plan's value."""
        return _PY_TYPES.get(self.jtype)


class Const(Plan):
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        super().__init__("const")
        self.value = value

    def gen(self, st: State) -> Any:
        value = self.value
        if isinstance(value, (dict, list)):
            return copy_json(value)
        return value


class Impossible(Const):
    """A schema no value satisfies (``allOf`` of disjoint types): optional keys are left out,
    arrays stay empty, and a required one gets null."""

    def __init__(self) -> None:
        super().__init__(None)


class Choice(Plan):
    """One of fixed values: an enum (jtype "const", kept as drawn) or examples (a leaf's jtype,
    which entities and derived values may replace)."""

    __slots__ = ("values",)

    def __init__(self, values: list[Any], jtype: str = "const") -> None:
        super().__init__(jtype)
        self.values = values

    def gen(self, st: State) -> Any:
        values = self.values
        return values[int(st.random() * len(values))]


class Leaf(Plan):
    """A scalar from a value expression (pools), coerced to the schema's type and bounds."""

    __slots__ = ("expr", "hi", "lo", "maxlen", "pytype")

    def __init__(
        self,
        jtype: str,
        expr: Expr,
        *,
        lo: float | None = None,
        hi: float | None = None,
        maxlen: int | None = None,
    ) -> None:
        super().__init__(jtype)
        self.expr = expr
        self.lo = lo
        self.hi = hi
        self.maxlen = maxlen
        #: The Python type a value needs to be kept as it is (None: always coerced).
        self.pytype: type | None = _PY_TYPES[jtype][0] if self.plain else None

    def gen(self, st: State) -> Any:
        value = self.expr(st, st.global_lookup)
        if type(value) is self.pytype:
            return value
        return self.coerce(st, value)

    @property
    def plain(self) -> bool:
        """Whether a value of the right Python type needs no bounds: objects inline those."""
        return self.jtype in ("string", "integer", "boolean") and (
            self.maxlen is None and self.lo is None and self.hi is None
        )

    def fixed(self) -> Any:
        """The one value this leaf makes whatever is drawn (a literal of the schema's type,
        such as ``livemode: false``), else ``_NO``: objects write it in as a constant."""
        expr = self.expr
        if not isinstance(expr, Literal):
            return _NO
        value = expr.value
        types = _PY_TYPES.get(self.jtype)
        if types is None or not isinstance(value, types):
            return _NO
        if (type(value) is bool) != (self.jtype == "boolean"):
            return _NO
        if self.maxlen is not None and isinstance(value, str):
            value = value[: self.maxlen]
        if self.lo is not None and value < self.lo:
            value = type(value)(self.lo)
        if self.hi is not None and value > self.hi:
            value = type(value)(self.hi)
        return value

    def coerce(self, st: State, value: Any) -> Any:
        jtype = self.jtype
        if value is None:  # an entity field left null (a person without a phone)
            value = _DEFAULTS[jtype](st, st.global_lookup)
        if jtype == "string":
            if type(value) is str and self.maxlen is None:
                return value
            if type(value) is not str:
                value = str(value)
            if self.maxlen is not None:
                value = value[: self.maxlen]
            return value
        if jtype == "integer":
            if type(value) is not int:
                value = int(value) if isinstance(value, (int, float)) else st.rng.randint(0, 100)
        elif jtype == "number":
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                value = round(st.rng.uniform(0, 100), 2)
        elif jtype == "boolean":
            return bool(value)
        if self.lo is not None and value < self.lo:
            value = type(value)(self.lo)
        if self.hi is not None and value > self.hi:
            value = type(value)(self.hi)
        return value


class Nullable(Plan):
    __slots__ = ("chance", "inner", "nests")

    def __init__(self, inner: Plan, chance: float) -> None:
        super().__init__(inner.jtype)
        self.inner = inner
        self.chance = chance
        self.nests = inner.jtype in ("object", "array", "any")

    def gen(self, st: State) -> Any:
        if st.random() < self.chance or (self.nests and st.depth >= st.data.max_depth):
            return None
        return self.inner.gen(st)

    def accepts(self) -> tuple[type, ...] | None:
        got = self.inner.accepts()
        return None if got is None else (*got, type(None))


class Union(Plan):
    __slots__ = ("branches",)

    def __init__(self, branches: list[Plan]) -> None:
        kinds = {b.jtype for b in branches}
        super().__init__(kinds.pop() if len(kinds) == 1 else "any")
        self.branches = branches

    def gen(self, st: State) -> Any:
        branches = self.branches
        return branches[int(st.random() * len(branches))].gen(st)


class OneOf(Union):
    """``oneOf``: a value of one branch that fails the others. Where another object branch's
    required keys are all present, one of them this branch does not require is dropped (a
    user with a ``name`` would also pass as a team)."""

    __slots__ = ("clash",)

    def __init__(self, branches: list[Plan]) -> None:
        super().__init__(branches)
        required = [_required_keys(b) for b in branches]
        self.clash: list[list[tuple[frozenset[str], list[str]]]] = []
        for i, mine in enumerate(required):
            rows = []
            for j, theirs in enumerate(required):
                if i != j and mine is not None and theirs is not None and theirs - mine:
                    rows.append((theirs, sorted(theirs - mine)))
            self.clash.append(rows)

    def gen(self, st: State) -> Any:
        i = int(st.random() * len(self.branches))
        value = self.branches[i].gen(st)
        if isinstance(value, dict):
            for theirs, droppable in self.clash[i]:
                if theirs <= value.keys():
                    value.pop(droppable[0], None)
        return value


def _required_keys(plan: Plan) -> frozenset[str] | None:
    while isinstance(plan, Nullable):
        plan = plan.inner
    if isinstance(plan, Obj):
        return frozenset(name for name, _, required, _, _ in plan.props if required)
    return None


class Lazy(Plan):
    """A plan still being compiled when a recursive schema reached it again."""

    __slots__ = ("key", "plans", "target")

    def __init__(self, plans: dict[Any, Plan], key: Any) -> None:
        super().__init__("any")
        self.plans = plans
        self.key = key
        self.target: Plan | None = None

    def resolve(self) -> Plan:
        if self.target is None:
            self.target = self.plans[self.key]
        return self.target

    def gen(self, st: State) -> Any:
        target = self.target or self.resolve()
        if st.depth > st.data.max_depth + 6:  # a required cycle: stop (the value may be invalid)
            return {} if target.jtype == "object" else None
        return target.gen(st)


class Obj(Plan):
    """An object: its properties (with the chance each optional one appears) and its entity."""

    __slots__ = (
        "actions",
        "derived",
        "dpaths",
        "dtemplates",
        "early",
        "early_paths",
        "gen",
        "id_kind",
        "kind",
        "many",
        "pick_max",
        "plans",
        "props",
        "role",
        "tag",
    )

    def __init__(
        self,
        props: list[tuple[str, Plan, bool, float, tuple[type, ...] | None]],
        kind: Kind | None,
        role: str | None,
        derived: dict[str, Expr],
        id_kind: str | None,
        pick_max: int = 0,
    ) -> None:
        super().__init__("object")
        self.props = props
        # Optional properties whose chance is -1 are drawn together: up to ``pick_max`` of them
        # by one sample() rather than one coin each (some objects have 50).
        self.many = [name for name, _, required, chance, _ in props if not required and chance < 0]
        self.pick_max = min(pick_max, len(self.many))
        self.tag: _Tag | None = None
        # Derived values that are plain templates: one lookup per distinct path, one format each.
        self.dpaths: list[str] = []
        self.dtemplates: list[tuple[str, str, list[int]]] = []
        if kind is not None:
            for key in derived:
                parts = template_parts(kind.derived_src.get(key))
                if parts is None:
                    continue
                fmt, paths = parts
                index = []
                for path in paths:
                    if path not in self.dpaths:
                        self.dpaths.append(path)
                    index.append(self.dpaths.index(path))
                self.dtemplates.append((key, fmt, index))
        self.kind = kind
        self.role = role
        self.derived = derived
        self.id_kind = id_kind
        self.plans: dict[str, Plan] = {name: plan for name, plan, *_ in props}
        self.early: list[tuple[str, str, list[int]]] = []
        self.early_paths: list[str] = []
        if kind is not None:
            names = set(self.plans)
            for key in derived:
                parts = template_parts(kind.derived_src.get(key))
                if parts is not None and all(
                    p.partition(".")[0] in kind.identity or p.partition(".")[0] not in names
                    for p in parts[1]
                ):
                    index = []
                    for path in parts[1]:
                        if path not in self.early_paths:
                            self.early_paths.append(path)
                        index.append(self.early_paths.index(path))
                    self.early.append((key, parts[0], index))
        self.actions: dict[str, int] = {}
        for name, _, _, _, accepts in props:
            self.actions[name] = (
                _DERIVED
                if name in derived
                else _IDENTITY
                if kind is not None and accepts is not None and name in kind.identity
                else _PLAIN
            )
        self.gen = self._first_gen  # type: ignore[method-assign]

    def set_tag(self, tag: _Tag | None) -> None:
        self.tag = tag
        if tag is not None:
            for name in tag[2]:
                self.actions[name] = _TAGGED
            self.actions[tag[0]] = _TAG
        self.gen = self._first_gen  # type: ignore[method-assign]

    def _first_gen(self, st: State) -> Any:
        """Compile this object's gen when it is first used (a catalog has thousands of object
        schemas; an event reaches a few dozen)."""
        fn = self._build(st.data.max_depth)
        self.gen = fn  # type: ignore[method-assign,assignment]
        return fn(st)

    def _build(self, max_depth: int) -> Callable[[State], Any]:
        """This object's ``gen``, written out as Python source and compiled once: one statement
        per property, as a hand-written builder has, rather than a loop that decides the same
        things again for every event."""
        ns: dict[str, Any] = {"_NO": _NO, "bisect": bisect.bisect, "self": self, "Plan": Plan}
        src: list[str] = []
        if self.kind is not None:
            ns["kind"], ns["role"] = self.kind, self.role
            src.append(" ident = st.entity(role, kind)" if self.role else " ident = st.fresh(kind)")
        if self.many:
            ns["many"], ns["pick_max"] = self.many, self.pick_max
            src.append(
                f" picked = () if deep or not (k := int(rnd() * {self.pick_max + 1}))"
                " else set(st.rng.sample(many, k))"
            )
        tag = self.tag
        if tag is not None:
            ns["tnames"], ns["tplans"], ns["tcum"] = tag[1], tag[2], tag[3]
            src += [
                " variant = tnames[bisect(tcum, rnd() * tcum[-1])]",
                " if st.variant is not None and st.variant in tplans:",
                "  variant = st.variant",
                "  st.variant = None",
            ]
        early_names = {name for name, _, _ in self.early}
        if self.early:
            src.append(" early = st.derived_for(kind, role, ident)")
        claim = ' if "id" in out: out["id"] = st.claim_id(id_kind)'
        for i, (name, plan, required, chance, accepts) in enumerate(self.props):
            action = self.actions[name]
            key = repr(name)
            if not required and chance == 0:
                continue  # never present (a field only some types' rules add)
            made = _inline(plan, i, ns, max_depth)
            if name == "id" and self.id_kind is not None and action == _PLAIN:
                made = "None"  # a placeholder: claim_id() below gives the kind's id
                if required:
                    claim = ' out["id"] = st.claim_id(id_kind)'
            if action == _TAGGED and tag is not None:
                ns[f"g{i}"] = tag[2][name]  # the variant's plan, never null
                src.append(f" if variant == {key}: out[{key}] = g{i}.gen(st)")
                continue
            if action == _TAG:
                src.append(f" out[{key}] = variant")
                continue
            pad = " "
            if not required:
                if chance < 0:
                    src.append(f" if {key} in picked:")
                elif chance >= 1:
                    src.append(" if not deep:")
                else:
                    src.append(f" if not deep and rnd() < {chance!r}:")
                pad = "  "
            if action == _DERIVED:
                ns[f"p{i}"] = plan  # a placeholder the derived pass fills
                value = f"early.get({key}, p{i})" if name in early_names else f"p{i}"
                src.append(f"{pad}out[{key}] = {value}")
            elif action == _IDENTITY:
                ns[f"a{i}"] = accepts
                src.append(f"{pad}v = ident.get({key}, _NO)")
                src.append(
                    f"{pad}out[{key}] = v if v is not _NO and isinstance(v, a{i})"
                    f" and (type(v) is not bool or bool in a{i}) else {made}"
                )
            else:
                src.append(f"{pad}out[{key}] = {made}")
        if self.id_kind is not None:
            ns["id_kind"] = self.id_kind
            src.append(claim)
        if set(self.derived) - early_names:
            src.append(" self.late(st, out)")
        elif self.derived:
            src += [
                " for v in out.values():",
                "  if isinstance(v, Plan):",
                "   self.late(st, out)",
                "   break",
            ]
        # Only the locals the body reads (an attribute read and a bound method each).
        body = "\n".join(src)
        head = ["def gen(st):", " st.depth += 1"]
        if "deep" in body:
            head.append(f" deep = st.depth > {max_depth}")
        if "rnd()" in body:
            head.append(" rnd = st.random")
        if "gl)" in body:
            head.append(" gl = st.global_lookup")
        head.append(" out = {}")
        text = "\n".join([*head, body, " st.depth -= 1", " return out"])
        exec(compile(text, f"<hookmock plan {id(self):x}>", "exec"), ns)
        made_fn: Callable[[State], Any] = ns["gen"]
        return made_fn

    def late(self, st: State, out: dict[str, Any]) -> None:
        """Derived values that read the finished object (a PR's statuses_url reads head.sha)."""
        derived = self.derived
        lookup: Lookup = st.lookup_in(out)
        if self.dtemplates:
            values: list[Any] = []
            for path in self.dpaths:
                try:
                    values.append(lookup(path))
                except KeyError:
                    values.append(_NO)
            for name, fmt, index in self.dtemplates:
                held = out.get(name)
                if isinstance(held, Plan):
                    args = [values[i] for i in index]
                    out[name] = held.gen(st) if _NO in args else fmt.format(*args)
        for name, expr in derived.items():
            held = out.get(name)
            if isinstance(held, Plan):
                try:
                    out[name] = expr(st, lookup)
                except KeyError:
                    out[name] = held.gen(st)


_Tag = tuple[str, list[str], dict[str, Plan], list[float]]
_PLAIN, _DERIVED, _IDENTITY, _TAGGED, _TAG = range(5)


def _inline(plan: Plan, i: int, ns: dict[str, Any], max_depth: int) -> str:
    """Python source making ``plan``'s value in an object's gen (its names go into ``ns``):
    constants written in, draws and value expressions called directly, the rest through the
    plan (objects through the attribute: their gen is replaced once compiled)."""
    ns[f"g{i}"] = plan
    kind = type(plan)
    if isinstance(plan, Const) and kind is Const and not isinstance(plan.value, (dict, list)):
        ns[f"c{i}"] = plan.value
        return f"c{i}"
    if isinstance(plan, Choice) and kind is Choice:
        ns[f"v{i}"] = plan.values
        return f"v{i}[int(rnd() * {len(plan.values)})]"
    if isinstance(plan, Leaf) and kind is Leaf:
        fixed = plan.fixed()
        if fixed is not _NO:
            ns[f"c{i}"] = fixed
            return f"c{i}"
        return _leaf_source(plan, f"{i}", ns)
    if isinstance(plan, Fresh) and kind is Fresh:
        return "{}"
    if isinstance(plan, Arr) and kind is Arr:
        if plan.hi == 0:
            return "[]"
        # As Arr.gen: lo items below max_depth, else lo to hi.
        n = f"{plan.lo}" if plan.lo == plan.hi else f"{plan.lo} + int(rnd() * {plan.span})"
        count = f"(k := {plan.lo} if st.depth >= {max_depth} else {n})"
        item = plan.item
        if isinstance(item, Leaf) and type(item) is Leaf and item.fixed() is _NO:
            made = _leaf_source(item, f"{i}i", ns)
        else:
            ns[f"g{i}i"] = item
            made = f"g{i}i.gen(st)"
        # No list comprehension (a function call of its own) for an empty array.
        return f"([{made} for _ in range(k)] if {count} else [])"
    if isinstance(plan, Nullable) and kind is Nullable:
        if plan.chance >= 1:
            return "None"
        inner = _inline(plan.inner, i, ns, max_depth)
        ns[f"n{i}"] = plan.chance
        # As Nullable.gen: the coin, and no nested value below max_depth.
        guard = f" or st.depth >= {max_depth}" if plan.nests else ""
        return f"(None if rnd() < n{i}{guard} else {inner})"
    return f"g{i}.gen(st)"


def _leaf_source(plan: Leaf, i: str, ns: dict[str, Any]) -> str:
    """The value expression of a leaf, kept when it already has the schema's type and bounds
    (as ``Leaf.coerce`` would keep it), else coerced."""
    jtype = plan.jtype
    if jtype not in _PY_TYPES:
        ns[f"g{i}"] = plan
        return f"g{i}.gen(st)"
    ns[f"e{i}"], ns[f"l{i}"] = plan.expr, plan
    ns[f"t{i}"] = float if jtype == "number" else _PY_TYPES[jtype][0]
    checks = [f"type(v := e{i}(st, gl)) is t{i}"]
    if jtype == "string":
        if plan.maxlen is not None:
            checks.append(f"len(v) <= {plan.maxlen!r}")
    elif jtype != "boolean":
        if plan.lo is not None:
            checks.append(f"v >= {plan.lo!r}")
        if plan.hi is not None:
            checks.append(f"v <= {plan.hi!r}")
    return f"(v if {' and '.join(checks)} else l{i}.coerce(st, v))"


class Arr(Plan):
    __slots__ = ("hi", "item", "leaf", "lo", "span")

    def __init__(self, item: Plan, lo: int, hi: int) -> None:
        super().__init__("array")
        self.item = item
        self.lo = lo
        self.hi = hi
        self.span = hi - lo + 1
        # Items that are plain leaves (a list of words or ids) are made by their expression
        # directly, without a call per item.
        self.leaf = item if type(item) is Leaf and item.pytype is not None else None

    def gen(self, st: State) -> Any:
        lo = self.lo
        n = lo if st.depth >= st.data.max_depth else lo + int(st.random() * self.span)
        if not n:
            return []
        leaf = self.leaf
        if leaf is not None:
            expr, want, gl = leaf.expr, leaf.pytype, st.global_lookup
            return [v if type(v := expr(st, gl)) is want else leaf.coerce(st, v) for _ in range(n)]
        item = self.item
        return [item.gen(st) for _ in range(n)]


class Map(Plan):
    """An object whose keys are free (``additionalProperties``), such as a ``metadata`` map."""

    __slots__ = ("hi", "keys", "lo", "value")

    def __init__(self, value: Plan, keys: list[str], lo: int, hi: int) -> None:
        super().__init__("object")
        self.value = value
        self.keys = keys
        self.lo = lo
        self.hi = hi

    def gen(self, st: State) -> Any:
        if st.depth >= st.data.max_depth:
            return {}
        # random() scaled rather than randint() and sample(): most maps have none or one key.
        names = self.keys
        n = min(self.lo + int(st.random() * (self.hi - self.lo + 1)), len(names))
        if not n:
            return {}
        if n == 1:
            return {names[int(st.random() * len(names))]: self.value.gen(st)}
        return {k: self.value.gen(st) for k in st.rng.sample(names, n)}


class Fresh(Plan):
    """An empty object, new each time (callers and rules may fill it)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("object")

    def gen(self, st: State) -> Any:
        return {}


# -- the compiler ---------------------------------------------------------------------------------


def is_null_schema(node: Any) -> bool:
    return isinstance(node, dict) and (
        node.get("type") == "null" or ("const" in node and node["const"] is None)
    )


class Compiler:
    """Turns schema fragments into plans, caching each (schema, field name) once."""

    def __init__(self, data: GeneratorData) -> None:
        self.data = data
        self.plans: dict[Any, Plan] = {}
        self._busy: set[Any] = set()
        self._stripped: dict[tuple[int, tuple[str, ...]], dict[str, Any]] = {}
        self._keep: list[Any] = []  # nodes whose id() is in a cache key stay alive
        self._map_keys = self._pool_or(
            ["order_id", "customer_ref", "source", "campaign"], "map_keys"
        )

    def _pool_or(self, default: list[str], name: str) -> list[str]:
        try:
            return [str(v) for v in self.data.pool_list(name)]
        except ValueError:
            return default

    def compile(
        self,
        frags: list[Frag],
        name: str | None = None,
        parent: str | None = None,
        item: bool = False,
    ) -> Plan:
        flat: list[Frag] = []
        self._flatten(frags, flat, set())
        key = (tuple(id(n) for n, _ in flat), name, parent, item)
        plan = self.plans.get(key)
        if plan is not None:
            return plan
        if key in self._busy:
            return Lazy(self.plans, key)
        self._busy.add(key)
        try:
            plan = self._make(flat, name, parent, item)
        finally:
            self._busy.discard(key)
        self.plans[key] = plan
        return plan

    def _strip(self, node: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
        memo = (id(node), keys)
        got = self._stripped.get(memo)
        if got is None:
            got = {k: v for k, v in node.items() if k not in keys}
            self._stripped[memo] = got
            self._keep.append(node)
        return got

    def _flatten(self, frags: list[Frag], out: list[Frag], seen: set[int]) -> None:
        for node, res in frags:
            if not isinstance(node, dict) or id(node) in seen:
                continue
            seen.add(id(node))
            ref = node.get("$ref")
            if isinstance(ref, str):
                got = res.lookup(ref)
                self._flatten([(got.contents, got.resolver)], out, seen)
            all_of = node.get("allOf")
            if isinstance(all_of, list):
                self._flatten([(s, res) for s in all_of], out, seen)
            if ref is not None or all_of is not None:
                node = self._strip(node, ("$ref", "allOf"))
            out.append((node, res))

    def _make(self, flat: list[Frag], name: str | None, parent: str | None, item: bool) -> Plan:
        # anyOf / oneOf: one plan per branch, each merged with the rest of the schema.
        for node, res in flat:
            one_of = isinstance(node.get("oneOf"), list) and not node.get("anyOf")
            options = node.get("anyOf") or node.get("oneOf")
            if isinstance(options, list) and options:
                rest = [(self._strip(n, ("anyOf", "oneOf")), r) for n, r in flat]
                branches: list[Plan] = []
                nullable = False
                for option in options:
                    if is_null_schema(option):
                        nullable = True
                        continue
                    branch = self.compile([*rest, (option, res)], name, parent, item)
                    if not isinstance(branch, Impossible):
                        branches.append(branch)
                if not branches:
                    return Const(None) if nullable else Impossible()
                plan: Plan = (
                    branches[0]
                    if len(branches) == 1
                    else OneOf(branches)
                    if one_of
                    else Union(branches)
                )
                return self._nullable(plan, name) if nullable else plan
        view = _View(flat)
        if view.conflict:
            return Impossible()
        if view.const is not _NO:
            return Const(view.const)
        if view.enum is not None:
            values = [v for v in view.enum if v in view.upstream_enum] if view.upstream_enum else []
            values = values or list(view.enum)
            return Const(values[0]) if len(values) == 1 else Choice(values)
        types = view.types
        if types is None:
            if view.props or view.addl is not None:
                types = ["object"]
            elif view.items:
                types = ["array"]
            else:
                types = ["any"]
        nullable = "null" in types
        concrete = [t for t in types if t != "null"]
        if not concrete:
            return Const(None)
        plans = [self._typed(view, t, name, parent, item) for t in concrete]
        plan = plans[0] if len(plans) == 1 else Union(plans)
        return self._nullable(plan, name) if nullable else plan

    def _nullable(self, plan: Plan, name: str | None) -> Plan:
        data = self.data
        chance = data.null_chance.get(name or "")
        if chance is None:
            chance = (
                data.null_object
                if plan.jtype == "object"
                else data.null_array
                if plan.jtype == "array"
                else data.null_scalar
            )
        if chance <= 0:
            return plan
        return Nullable(plan, chance)

    def _typed(
        self, view: _View, jtype: str, name: str | None, parent: str | None, item: bool
    ) -> Plan:
        if jtype == "object":
            return self._object(view, name, parent, item)
        if jtype == "array":
            return self._array(view, name, parent)
        return self._leaf(view, jtype, name, parent)

    def _object(self, view: _View, name: str | None, parent: str | None, item: bool) -> Plan:
        data = self.data
        if not view.props:
            if isinstance(view.addl, dict):
                value = self.compile(view.addl_frags, name, parent, True)
                lo, hi = data.map_range
                return Map(value, self._map_keys, lo, hi)
            return Fresh()
        required = view.required
        optional = [k for k in view.props if k not in required]
        chance = data.optional
        pick_max = 0
        if len(optional) > 8 and len(optional) * chance > data.optional_budget:
            chance = -1.0  # drawn together, see Obj
            pick_max = round(2 * data.optional_budget)
        kp = data.kind_property
        id_kind = None
        const = view.props.get(kp) if kp is not None else None
        if const is not None:
            flat: list[Frag] = []
            self._flatten(const, flat, set())
            consts = [n["const"] for n, _ in flat if isinstance(n.get("const"), str)]
            if consts:
                id_kind = consts[0]
        # Children see their object's kind (its ``kind_property``, e.g. `object`) as parent name, else its key.
        ctx_name = id_kind or (name if name is not None else parent)
        props: list[tuple[str, Plan, bool, float, tuple[type, ...] | None]] = []
        plans: dict[str, Plan] = {}
        for key, frags in view.props.items():
            plan = self.compile(frags, key, ctx_name, False)
            if isinstance(plan, Impossible) and key not in required:
                continue
            plans[key] = plan
            props.append(
                (key, plan, key in required, data.presence.get(key, chance), plan.accepts())
            )
        role = None if item else data.role_of(name, parent)
        kind = data.kind_for_object(set(view.props), role)
        if kind is None or item:
            role = None
        derived: dict[str, Expr] = {}
        if kind is not None:
            for key, expr in kind.derived.items():
                target = plans.get(key)
                accepts = target.accepts() if target is not None else None
                if accepts is not None and str in accepts:
                    derived[key] = expr
        if "id" not in plans:
            id_kind = None
        result = Obj(props, kind, role, derived, id_kind, pick_max)
        result.set_tag(self._tag(plans, required))
        return result

    def _tag(self, plans: dict[str, Plan], required: set[str]) -> _Tag | None:
        """A tagged union (``{type: "card", card: {...}}``): the tag property names
        which one of several optional object siblings is present."""
        tp = self.data.tag_property
        if tp is None or tp not in plans:
            return None
        tag_plan = plans[tp]
        while isinstance(tag_plan, Nullable):
            tag_plan = tag_plan.inner
        allowed: set[Any] | None
        if isinstance(tag_plan, Choice):
            allowed = set(tag_plan.values)
        elif isinstance(tag_plan, Leaf) and tag_plan.jtype == "string":
            allowed = None
        else:
            return None
        variants: dict[str, Plan] = {}
        for key, plan in plans.items():
            inner = plan
            while isinstance(inner, Nullable):
                inner = inner.inner
            if (
                key != tp
                and key not in required
                and isinstance(inner, (Obj, Fresh))
                and (allowed is None or key in allowed)
            ):
                variants[key] = inner
        if len(variants) < 2:
            return None
        names = list(variants)
        weights = self.data.tag_weights
        default = float(weights.get("*", 1.0))
        cum = list(itertools.accumulate(float(weights.get(n, default)) for n in names))
        return (tp, names, variants, cum)

    def _array(self, view: _View, name: str | None, parent: str | None) -> Plan:
        item = self.compile(view.items, name, parent, True) if view.items else Const("item")
        if isinstance(item, Impossible):
            return Arr(item, 0, 0)
        lo_default, hi_default = self.data.array_range
        lo = int(view.get("minItems", lo_default))
        hi = int(view.get("maxItems", max(hi_default, lo)))
        lo = max(lo, 0)
        if hi < lo:
            hi = lo
        if "minItems" not in view.keywords and "maxItems" in view.keywords:
            lo = min(lo_default, hi)
        return Arr(item, lo, max(lo, min(hi, max(hi_default, lo))))

    def _leaf(self, view: _View, jtype: str, name: str | None, parent: str | None) -> Plan:
        data = self.data
        if jtype == "any":
            jtype = "string"
        fields = data.fields[jtype]
        expr: Expr | None = None
        refkw = data.reference_keyword
        if jtype == "string" and refkw is not None and isinstance(view.get(refkw), str):
            kind = str(view.get(refkw))
            expr = compile_expr(f"@ref({kind})", data)
        if expr is None:
            expr = fields.exact_for(name, parent)
        if expr is None and data.use_examples:
            examples = view.get("examples")
            if isinstance(examples, list):
                ok = [
                    e
                    for e in examples
                    if isinstance(e, _PY_TYPES[jtype])
                    and (type(e) is not bool or jtype == "boolean")
                ]
                if ok:
                    return Choice(ok, jtype)
        if expr is None:
            expr = fields.glob_for(name)
        if expr is None:
            fmt = view.get("format")
            if isinstance(fmt, str):
                expr = data.formats.get(fmt) or (
                    _DEFAULT_FORMATS.get(fmt) if jtype == "string" else None
                )
        if expr is None:
            expr = fields.fallback or _DEFAULTS[jtype]
        pattern = view.get("pattern")
        if jtype == "string" and isinstance(pattern, str):
            expr = _guarded(expr, pattern)
        lo = view.get("minimum")
        hi = view.get("maximum")
        maxlen = view.get("maxLength")
        return Leaf(
            jtype,
            expr,
            lo=lo if isinstance(lo, (int, float)) else None,
            hi=hi if isinstance(hi, (int, float)) else None,
            maxlen=maxlen if isinstance(maxlen, int) else None,
        )


def _guarded(expr: Expr, pattern: str) -> Expr:
    """``expr`` while its value matches ``pattern``; else an ISO time or a string made from the
    pattern itself, so a field with a ``pattern`` is always valid."""
    try:
        check = re.compile(pattern).search
    except re.error:
        return expr
    from_pattern = pattern_maker(pattern)
    iso = _DEFAULT_FORMATS["date-time"]

    def guarded(st: State, lookup: Lookup) -> Any:
        value = expr(st, lookup)
        if isinstance(value, str) and check(value):
            return value
        value = iso(st, lookup)
        if check(value) or from_pattern is None:
            return value
        return from_pattern(st, lookup)

    return guarded


def _default_string(st: State, lookup: Lookup) -> Any:
    return _WORDS[int(st.random() * len(_WORDS))]


_WORDS = ("alpha", "beta", "gamma", "delta", "sample", "value", "default", "primary")

_DEFAULTS: dict[str, Expr] = {
    "string": _default_string,
    "integer": lambda st, lookup: int(st.random() * 101),
    "number": lambda st, lookup: round(st.rng.uniform(0, 100), 2),
    "boolean": lambda st, lookup: st.random() < 0.5,
}

_NO: Any = object()
_DEFAULT_FORMATS: dict[str, Expr] = {
    fmt: compile_expr(expr, None)
    for fmt, expr in {
        "date-time": "@iso(-2592000, 0)",
        "date": "@date(-2592000, 0)",
        "uuid": "@uuid",
        "email": "user${@digits(4)}@example.com",
        "uri": "https://example.com/${@b62(8)}",
        "uri-template": "https://example.com/${@b62(8)}",
        "hostname": "host${@digits(3)}.example.com",
        "ipv4": "192.0.2.${@int(1, 254)}",
    }.items()
}


def _intersect(have: list[str], more: list[str]) -> list[str]:
    """Types both allow (an integer is a number); the first list when they share none."""
    out = [t for t in have if t in more or (t == "integer" and "number" in more)]
    out += [t for t in more if t == "integer" and "number" in have and t not in out]
    if "integer" in out and "number" in out and not ("number" in have and "number" in more):
        out.remove("number")
    return out


class _View:
    """The keywords of several schema fragments taken together (what allOf means)."""

    __slots__ = (
        "addl",
        "addl_frags",
        "conflict",
        "const",
        "enum",
        "items",
        "keywords",
        "props",
        "required",
        "types",
        "upstream_enum",
    )

    def __init__(self, flat: list[Frag]) -> None:
        self.keywords: dict[str, Any] = {}
        self.props: dict[str, list[Frag]] = {}
        self.required: set[str] = set()
        self.items: list[Frag] = []
        self.addl: Any = None
        self.addl_frags: list[Frag] = []
        self.const: Any = _NO
        self.enum: list[Any] | None = None
        self.upstream_enum: list[Any] | None = None
        self.conflict = False
        types: list[str] | None = None
        for node, res in flat:
            t = node.get("type")
            if t is not None:
                ts = [t] if isinstance(t, str) else list(t)
                if types is not None and not _intersect(types, ts):
                    self.conflict = True
                types = ts if types is None else _intersect(types, ts) or types
            if "const" in node:
                self.const = node["const"]
            if isinstance(node.get("enum"), list):
                self.enum = (
                    node["enum"]
                    if self.enum is None
                    else [v for v in self.enum if v in node["enum"]] or self.enum
                )
            for key, sub in (node.get("properties") or {}).items():
                self.props.setdefault(key, []).append((sub, res))
            self.required.update(node.get("required") or ())
            # Generation follows the description, validation accepts history: a field relaxed
            # because an older real payload lacks it is still generated as required, and an enum
            # widened with older values is drawn from the description's values only.
            relaxed = node.get(RELAXED)
            if isinstance(relaxed, dict):
                self.required.update(relaxed.get("required") or ())
                if isinstance(relaxed.get("enum"), list):
                    self.upstream_enum = relaxed["enum"]
            if "items" in node and isinstance(node["items"], dict):
                self.items.append((node["items"], res))
            addl = node.get("additionalProperties")
            if addl is not None and self.addl is None:
                self.addl = addl
                if isinstance(addl, dict):
                    self.addl_frags = [(addl, res)]
            for key, value in node.items():
                self.keywords.setdefault(key, value)
        self.types = types

    def get(self, key: str, default: Any = None) -> Any:
        return self.keywords.get(key, default)


# -- patterns ---------------------------------------------------------------------------------------


def pattern_maker(pattern: str) -> Expr | None:
    """A maker for strings matching a simple regular expression, or None when it is not simple."""
    try:
        import re._parser as sre  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_parse as sre
    try:
        parsed = sre.parse(pattern)
    except re.error:
        return None
    constants = sre  # the opcode names live beside the parser
    try:
        from re import _constants as consts  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover
        consts = constants
    alnum = (
        [chr(c) for c in range(48, 58)]
        + [chr(c) for c in range(65, 91)]
        + [chr(c) for c in range(97, 123)]
    )

    def chars_of(items: Any) -> list[str]:
        out: list[str] = []
        for op, arg in items:
            if op == consts.LITERAL:
                out.append(chr(arg))
            elif op == consts.RANGE:
                out.extend(chr(c) for c in range(arg[0], arg[1] + 1))
            elif op == consts.CATEGORY:
                if arg == consts.CATEGORY_DIGIT:
                    out.extend("0123456789")
                else:
                    out.extend(alnum)
            elif op == consts.NEGATE:
                return alnum
        return out or alnum

    def build(seq: Any) -> list[Any] | None:
        steps: list[Any] = []
        for op, arg in seq:
            if op == consts.LITERAL:
                steps.append(("lit", chr(arg)))
            elif op == consts.IN:
                steps.append(("any", chars_of(arg)))
            elif op == consts.ANY:
                steps.append(("any", alnum))
            elif op in (consts.MAX_REPEAT, consts.MIN_REPEAT):
                lo, hi, sub = arg
                inner = build(sub)
                if inner is None:
                    return None
                hi = min(hi, lo + 12) if hi != consts.MAXREPEAT else lo + 12
                steps.append(("rep", max(lo, 1) if lo == 0 and hi > 0 else lo, hi, inner))
            elif op == consts.SUBPATTERN:
                inner = build(arg[-1])
                if inner is None:
                    return None
                steps.extend(inner)
            elif op == consts.BRANCH:
                alternatives = [build(b) for b in arg[1]]
                if any(a is None for a in alternatives):
                    return None
                steps.append(("alt", alternatives))
            elif op == consts.AT:
                continue
            else:
                return None
        return steps

    steps = build(parsed)
    if steps is None:
        return None

    def emit(st: State, plan: list[Any], out: list[str]) -> None:
        for step in plan:
            if step[0] == "lit":
                out.append(step[1])
            elif step[0] == "any":
                out.append(st.rng.choice(step[1]))
            elif step[0] == "alt":
                emit(st, st.rng.choice(step[1]), out)
            else:
                for _ in range(st.rng.randint(step[1], step[2])):
                    emit(st, step[3], out)

    def make(st: State, lookup: Lookup) -> Any:
        out: list[str] = []
        emit(st, steps, out)
        return "".join(out)

    return make


def accepts_null(plan: Plan) -> bool:
    """Whether the schema behind ``plan`` accepts null (a nullable value, a union with a null
    branch, a null const or a choice holding null)."""
    while isinstance(plan, Lazy):
        plan = plan.resolve()
    if isinstance(plan, Nullable):
        return True
    if isinstance(plan, Union):
        return any(accepts_null(b) for b in plan.branches)
    if isinstance(plan, Const):
        return plan.value is None
    if isinstance(plan, Choice):
        return None in plan.values
    return False
