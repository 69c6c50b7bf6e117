"""State rules: per-type facts set on a generated payload (``payment_intent.succeeded`` is paid).

A rules file maps type globs to ``{path: expression}``. Every glob matching the type applies, in
file order, after the schema-driven payload is made, so later rules see earlier ones' values.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from typing import Any

from ._expr import OMIT, Expr, ExpressionError, Gen, State, compile_expr, dig
from ._plan import Arr, Lazy, Nullable, Union, accepts_null

Step = tuple[tuple[str, ...], Expr]


class Rules:
    def __init__(self, spec: Mapping[str, Any], data: Any) -> None:
        if not isinstance(spec, Mapping):
            raise ExpressionError("`rules:` must map type globs to {path: expression}")
        self.entries: list[tuple[list[re.Pattern[str]], list[re.Pattern[str]], list[Step]]] = []
        self.role_entries: list[
            tuple[list[re.Pattern[str]], list[re.Pattern[str]], dict[str, str]]
        ] = []
        for globs, sets in spec.items():
            if not isinstance(sets, Mapping):
                raise ExpressionError(f"rule {globs!r} must map paths to expressions")
            names = [g.strip() for g in str(globs).split(",") if g.strip()]
            patterns = [re.compile(fnmatch.translate(g)) for g in names if not g.startswith("!")]
            excluded = [re.compile(fnmatch.translate(g[1:])) for g in names if g.startswith("!")]
            sets = dict(sets)
            roles = sets.pop("@roles", None)
            if roles is not None:
                if not isinstance(roles, Mapping):
                    raise ExpressionError(f"@roles of rule {globs!r} must map role: role")
                self.role_entries.append(
                    (patterns, excluded, {str(k): str(v) for k, v in roles.items()})
                )
            steps = [(tuple(str(p).split(".")), compile_expr(v, data)) for p, v in sets.items()]
            self.entries.append((patterns, excluded, steps))
        self._by_type: dict[str, list[Step]] = {}
        self._roles: dict[str, dict[str, str]] = {}
        self._compiled_steps: dict[tuple[int, str], list[Compiled]] = {}
        self._keep: list[Any] = []  # root plans whose id() keys the cache stay alive

    @staticmethod
    def _matches(
        type: str, patterns: list[re.Pattern[str]], excluded: list[re.Pattern[str]]
    ) -> bool:
        return any(p.match(type) for p in patterns) and not any(p.match(type) for p in excluded)

    def for_type(self, type: str) -> list[Step]:
        got = self._by_type.get(type)
        if got is None:
            got = [
                step
                for patterns, excluded, steps in self.entries
                if self._matches(type, patterns, excluded)
                for step in steps
            ]
            self._by_type[type] = got
        return got

    def roles_for(self, type: str) -> dict[str, str]:
        """Roles that share an entity in events of ``type`` (``{user: sender}``: the author
        is the sender)."""
        got = self._roles.get(type)
        if got is None:
            got = {}
            for patterns, excluded, roles in self.role_entries:
                if self._matches(type, patterns, excluded):
                    got.update(roles)
            self._roles[type] = got
        return got

    def steps_for(self, type: str, root: Any) -> list[Compiled]:
        """The type's steps with what the schema behind plan ``root`` says about each target,
        worked out once (callers may keep them and :meth:`run` them on every payload)."""
        key = (id(root), type)
        got = self._compiled_steps.get(key)
        if got is None:
            got = []
            for parts, expr in self.for_type(type):
                holder = _plan_at(root, parts)
                last = parts[-1]
                child = _child(holder, last)
                got.append(
                    (
                        parts,
                        parts[:-1] if "*" not in parts else None,
                        last,
                        expr,
                        child is not None,  # the schema defines the key
                        _required(holder, last),
                        None if child is None else _non_null(child),
                        child is None or accepts_null(child),
                    )
                )
            self._compiled_steps[key] = got
            self._keep.append(root)
        return got

    def apply(self, payload: dict[str, Any], type_: str, st: State, root: Any) -> None:
        """Set the rules of ``type_`` on ``payload``, made from plan ``root``."""
        steps = self.steps_for(type_, root)
        if steps:
            self.run(payload, steps, st)

    @staticmethod
    def run(payload: dict[str, Any], steps: list[Compiled], st: State) -> None:
        """Set compiled ``steps`` (from :meth:`steps_for`) on ``payload``."""

        def lookup(path: str) -> Any:
            return dig(payload, path)

        for parts, head, last, expr, defined, required, gen, nullable in steps:
            if head is not None:
                node: Any = payload
                for part in head:
                    if type(node) is dict:
                        node = node.get(part)
                    elif type(node) is list and part.lstrip("-").isdigit():
                        index = int(part)
                        node = node[index] if -len(node) <= index < len(node) else None
                    else:
                        node = None
                    if node is None:
                        break
                if node is None:
                    continue
                if type(node) is dict:
                    # The common case, one key of an object: as the loop below, without it.
                    if not defined and last not in node:
                        continue
                    try:
                        value = expr(st, lookup)
                    except KeyError:
                        continue
                    if value is OMIT:
                        if not required:
                            node.pop(last, None)
                    elif isinstance(value, Gen):
                        if gen is not None:
                            st.variant = value.variant
                            node[last] = gen.gen(st)
                            st.variant = None
                    elif value is not None or nullable:
                        node[last] = value
                    continue
                targets: list[tuple[Any, Any]] = [(node, last)]
            else:
                targets = _targets(payload, parts)
            for container, key in targets:
                if isinstance(container, dict):
                    # Only keys the schema defines are added (open schemas accept any key, so
                    # anything would validate; a rule for all types must not invent fields).
                    if not defined and key not in container:
                        continue
                elif isinstance(container, list) and isinstance(key, str):
                    if not key.lstrip("-").isdigit():
                        continue
                    key = int(key)
                else:
                    continue
                try:
                    value = expr(st, lookup)
                except KeyError:
                    continue  # a reference to a field this payload does not have
                if value is None and not nullable:
                    continue  # null where the schema wants a value: keep the payload valid
                if value is OMIT:
                    if isinstance(container, dict) and not required:
                        container.pop(key, None)
                    continue
                if isinstance(value, Gen):
                    if gen is None:
                        continue
                    st.variant = value.variant
                    value = gen.gen(st)
                    st.variant = None
                if isinstance(container, list):
                    if isinstance(key, int) and -len(container) <= key < len(container):
                        container[key] = value
                else:
                    container[key] = value


Compiled = tuple[tuple[str, ...], "tuple[str, ...] | None", str, Expr, bool, bool, Any, bool]


def _targets(payload: Any, parts: tuple[str, ...]) -> list[tuple[Any, Any]]:
    """The (container, key) pairs a path names; ``*`` fans out over items or keys."""
    nodes: list[Any] = [payload]
    last = len(parts) - 1
    found: list[tuple[Any, Any]] = []
    for i, part in enumerate(parts):
        nxt: list[Any] = []
        for node in nodes:
            if part == "*":
                keys: list[Any] = (
                    list(range(len(node)))
                    if isinstance(node, list)
                    else list(node)
                    if isinstance(node, dict)
                    else []
                )
            elif isinstance(node, dict):
                keys = [part]
            elif isinstance(node, list) and part.lstrip("-").isdigit():
                keys = [int(part)]
            else:
                continue
            if i == last:
                found.extend((node, key) for key in keys)
                continue
            for key in keys:
                try:
                    child = node[key]
                except (KeyError, IndexError):
                    continue
                if isinstance(child, (dict, list)):
                    nxt.append(child)
        nodes = nxt
    return found


def _plan_at(root: Any, parts: tuple[str, ...]) -> Any:
    """The plan of the container a path's last key sits in (None where the plans do not say)."""
    plan = root
    for part in parts[:-1]:
        if plan is None:
            return None
        plan = _child(plan, part)
    return plan


def _unwrap(plan: Any) -> Any:
    while True:
        if isinstance(plan, Lazy):
            plan = plan.resolve()
        elif isinstance(plan, Nullable):
            plan = plan.inner
        elif isinstance(plan, Union):
            objs = [b for b in plan.branches if hasattr(_unwrap(b), "plans")]
            plan = objs[0] if objs else plan.branches[0]
            if not objs:
                return plan
        else:
            return plan


def _child(plan: Any, key: Any) -> Any:
    if plan is None:
        return None
    plan = _unwrap(plan)
    if isinstance(plan, Arr):
        return plan.item
    plans = getattr(plan, "plans", None)
    if isinstance(plans, dict):
        return plans.get(key)
    return None


def _required(plan: Any, key: Any) -> bool:
    if plan is None:
        return True  # unknown: keep the key
    plan = _unwrap(plan)
    for name, _, required, _, _ in getattr(plan, "props", ()):
        if name == key:
            return bool(required)
    return False


def _non_null(plan: Any) -> Any:
    while isinstance(plan, (Nullable, Lazy)):
        plan = plan.inner if isinstance(plan, Nullable) else plan.resolve()
    return plan
