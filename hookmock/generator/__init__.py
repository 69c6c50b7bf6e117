"""A realistic payload for any JSON Schema, steered by a provider's value pools and state rules.

    gen = SchemaGenerator.from_folder(schemas_root, pools=..., rules=...)
    payload = gen.generate("https://hookmock.invalid/schemas/acme/order.paid.json", ctx)

``ctx`` is a :class:`hookmock.BuildContext` (or anything with its ``rng``, ``faker`` and ``type``).
Each schema is compiled once into a plan (see ``_plan.py``) and cached; an event only walks the
plan. Then the rules of its type are applied. Nothing here is imported by ``import hookmock``.

The schema drives the shape: ``$ref`` (local ``$defs`` and other files, through ``referencing``),
``allOf`` (merged; disjoint types mean no value: left out, or an empty array),
``anyOf``/``oneOf`` (one branch drawn; a ``oneOf`` value is kept out of the other branches),
``type`` lists with ``null``,
``enum``/``const``, ``examples`` (open enums), ``format``, simple ``pattern``s, ``minimum``/
``maximum``, ``minItems``/``maxItems``, ``maxLength``, ``required`` against optional properties,
and ``additionalProperties`` maps. Optional properties appear with a chance (capped so that an
object with many optional ones shows a few), nullable values are null with a chance, and below
``max_depth`` nested objects only what is required is made, so recursive schemas end.

**Pools file** (``fixtures/<provider>/pools.yaml``), every section optional:

- ``settings``: ``optional``, ``optional_budget``, ``null: {object, array, scalar}``,
  ``max_depth``, ``array: [lo, hi]``, ``map: [lo, hi]``, ``use_examples`` (draw strings from a
  schema's ``examples``: right where a provider's examples list an open enum's values, wrong
  where they are only samples), ``tag_property`` and
  ``tag_weights`` (tagged unions: in ``{type: card, card: {..}, sepa_debit: {..}}`` the tag
  names the one optional object sibling present, drawn by weight, ``"*"`` for the rest);
- ``presence: {field: chance}`` and ``nullable: {field: chance}``: per field name;
- ``pools: {name: [values] | {value: weight}}``: what ``@pool``/``@same`` draw from;
- ``strings``, ``integers``, ``numbers``, ``booleans``: ``{field: expression}`` for fields of
  that JSON type, by exact name, ``parent.name``, or glob (``"*_url"``); ``"*"`` is the fallback;
- ``formats: {format: expression}`` for strings no field entry names;
- ``ids``: ``kind_property`` (the const property naming an object's kind, such as ``object``),
  ``reference_keyword`` (the keyword naming the kind a string id points at,
  a vendor extension such as ``x-<provider>-expandable``), ``prefixes: {kind: prefix}``, ``lengths: {prefix: n}``, ``length``;
- ``kinds: {kind: {match: [props], roles: [..], identity: {..}, derived: {..}}}``: entities. An
  object schema holding all ``match`` properties is of that kind. Its ``identity`` values are
  drawn once per role per build (the role is the property name, renamed by ``roles``:
  ``{repo: repository, "head.user": owner}``), so every mention agrees; array items get their
  own. ``derived`` values (URLs) are computed from the object's own fields afterwards.

Order for a string field: the reference keyword, the exact field entry, the schema's
``examples``, a glob entry, the format entry, the pattern, the fallback.

**Rules file** (``fixtures/<provider>/rules.yaml``)::

    rules:
      "payment_intent.*": {data.object.amount_capturable: 0}
      payment_intent.succeeded:
        data.object.status: succeeded
        data.object.amount_received: "=data.object.amount"

Every glob (comma-separated; ``!glob`` excludes) that matches the type applies, in file order.
A path is dotted keys; ``*`` is every item or key; a path whose parent is absent or null is
skipped, a key is only added where the schema defines it, and null is only set where the schema
allows it. ``"@roles": {user: sender}`` in a
rule makes two roles one entity for those types (the author of a new PR is its sender).

**Expressions** (values in both files):

- a literal: any YAML value; a string starting with ``\\`` is literal without it;
- ``=path``: a copy of the value at ``path`` (rules: from the payload root);
- ``"text ${path} text"``: a template; alone, ``${path}`` keeps the value's type. In pools a
  path is the object's own field or ``role.field`` of an entity;
- ``@maker(args)``: ``@id(prefix[, n])``, ``@ref(kind)`` (the id references to ``kind`` share),
  ``@pool(name)``, ``@same(name)`` (drawn once per build), ``@int(lo, hi)``,
  ``@float(lo, hi)``, ``@hex(n)``, ``@b62(n)``, ``@digits(n)``, ``@uuid``,
  ``@time(lo, hi)`` / ``@iso(lo, hi)`` / ``@date(lo, hi)`` (seconds around the build's time),
  ``@now``, ``@after(path, lo, hi)``, ``@node_id(prefix[, n])``, ``@words(lo, hi)``,
  ``@sentence``, ``@numerify(+1###)``, ``@email``, ``@faker(method)``; in rules also ``@omit``
  (drop the key unless the schema requires it) and ``@gen`` / ``@gen(variant)`` (a fresh
  non-null value from the schema at that path, of that tagged-union variant);
- ``{"@choice": {value: weight, ...}}`` or ``{"@choice": [[weight, value], ...]}``;
- a mapping or list of expressions: built item by item.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from referencing.jsonschema import DRAFT202012

from ._complete import complete
from ._data import GeneratorData
from ._expr import ExpressionError, State
from ._plan import Compiler, Plan
from ._rules import Compiled
from ._schemas import BASE_URI, load_folder, registry_of

__all__ = ["BASE_URI", "ExpressionError", "GeneratorData", "SchemaGenerator"]

#: A (schema, type) pair's plan, entity roles and compiled rule steps (see ``_recipe``).
_Recipe = tuple[Plan, dict[str, str], list[Compiled]]


class SchemaGenerator:
    """Generates payloads for the schemas of one registry with one provider's data."""

    def __init__(self, registry: Any, data: GeneratorData | None = None) -> None:
        self.registry = registry
        self.data = data or GeneratorData()
        self._compiler = Compiler(self.data)
        self._roots: dict[Any, Plan] = {}
        self._recipes: dict[tuple[Any, str | None], _Recipe] = {}
        self._keep: list[Any] = []

    @classmethod
    def from_folder(
        cls,
        schemas: Path,
        *,
        pools: Path | None = None,
        rules: Path | None = None,
        base: str = BASE_URI,
    ) -> SchemaGenerator:
        """A generator over every schema under ``schemas`` (a ``schemas/`` folder)."""
        return cls(
            registry_of(load_folder(schemas, base=base)), GeneratorData.from_files(pools, rules)
        )

    def plan(self, schema: str | dict[str, Any]) -> Plan:
        """The compiled plan of ``schema`` (its URI in the registry, or a schema dict)."""
        key: Any = schema if isinstance(schema, str) else id(schema)
        got = self._roots.get(key)
        if got is not None:
            return got
        if isinstance(schema, str):
            resolver = self.registry.resolver()
            found = resolver.lookup(schema)
            frag = (found.contents, found.resolver)
        else:
            uri = schema.get("$id")
            registry = self.registry
            if not (isinstance(uri, str) and uri in registry):
                uri = uri if isinstance(uri, str) else f"urn:hookmock:generator:{id(schema)}"
                registry = registry.with_resource(uri, DRAFT202012.create_resource(schema))
            resolver = registry.resolver(base_uri=uri)
            frag = (schema, resolver)
            self._keep.append(schema)
        got = self._compiler.compile([frag])
        self._roots[key] = got
        return got

    def generate(
        self,
        schema: str | dict[str, Any],
        ctx: Any,
        *,
        type: str | None = None,
        traits: Iterable[str] | None = None,
    ) -> Any:
        """A payload for ``schema``, then the rules of ``type`` (default ``ctx.type``), then
        those of each trait in ``traits`` (default ``ctx.traits``) in the rules file's order."""
        kind = type if type is not None else getattr(ctx, "type", None)
        recipe = self._recipes.get((schema if isinstance(schema, str) else id(schema), kind))
        if recipe is None:
            recipe = self._recipe(schema, kind)
        plan, alias, steps = recipe
        st = State(self.data, ctx)
        if alias:
            st.alias = alias
        payload = plan.gen(st)
        if kind and isinstance(payload, dict):
            if steps:
                self.data.rules.run(payload, steps, st)
            wanted = traits if traits is not None else getattr(ctx, "traits", None)
            if wanted:
                self._apply_traits(payload, kind, wanted, ctx, st, plan)
        return payload

    def _recipe(self, schema: str | dict[str, Any], kind: str | None) -> _Recipe:
        """What every event of ``kind`` from ``schema`` shares, worked out on its first event:
        the plan, the roles its rules make one entity, and its rule steps."""
        plan = self.plan(schema)
        rules = self.data.rules
        recipe: _Recipe = (
            plan,
            rules.roles_for(kind) if kind else {},
            rules.steps_for(kind, plan) if kind else [],
        )
        self._recipes[(schema if isinstance(schema, str) else id(schema), kind)] = recipe
        return recipe

    def apply_traits(
        self, payload: dict[str, Any], schema: str | dict[str, Any], ctx: Any, traits: Iterable[str]
    ) -> None:
        """Apply the rules of ``traits`` for ``ctx.type`` to a payload made elsewhere (a
        provider's hand-written factory)."""
        plan = self.plan(schema)
        st = State(self.data, ctx)
        self._apply_traits(payload, ctx.type, traits, ctx, st, plan)

    def _apply_traits(
        self,
        payload: dict[str, Any],
        kind: str,
        traits: Iterable[str] | None,
        ctx: Any,
        st: State,
        plan: Plan,
    ) -> None:
        wanted = set(traits if traits is not None else getattr(ctx, "traits", ()))
        if not wanted:
            return
        for name, rules in self.data.traits.items():  # file order, not the caller's
            if name in wanted:
                rules.apply(payload, kind, st, plan)

    def complete(self, value: Any, schema: str | dict[str, Any], ctx: Any) -> Any:
        """``value`` (made by a hand-written factory) made whole against ``schema``: each
        required property it lacks is generated, and a null where the schema wants no null is
        removed (an optional key: a provider that leaves such keys out) or generated (a required one).
        Values already there are kept. Returns ``value``, changed in place."""
        st = State(self.data, ctx)
        return complete(self.plan(schema), value, st)
