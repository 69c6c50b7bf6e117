"""Make a hand-built payload whole against its schema: add what is required, drop bad nulls.

A provider's hand-written factory knows its object's states better than a schema does, but the
schema (compiled from the provider's SDK) knows every field of the pinned API version. This walks
both together, keeping every value the factory made.
"""

from __future__ import annotations

from typing import Any

from ._expr import State
from ._plan import Arr, Choice, Const, Lazy, Map, Nullable, Obj, Plan, Union, accepts_null


def _resolve(plan: Plan) -> Plan:
    while isinstance(plan, Lazy):
        plan = plan.resolve()
    return plan


def _objects(plan: Plan) -> list[Obj]:
    plan = _resolve(plan)
    if isinstance(plan, Nullable):
        return _objects(plan.inner)
    if isinstance(plan, Union):
        return [o for b in plan.branches for o in _objects(b)]
    return [plan] if isinstance(plan, Obj) else []


def _branch_for(plan: Union, value: dict[str, Any]) -> Obj | None:
    """The object branch ``value`` was made from: the one whose ``object`` constant it carries,
    else the one naming most of its keys."""
    objs = _objects(plan)
    if not objs:
        return None
    kind = value.get("object")
    if kind is not None:
        for obj in objs:
            const = obj.plans.get("object")
            if isinstance(const, Const) and const.value == kind:
                return obj
            if isinstance(const, Choice) and kind in const.values:
                return obj
    return max(objs, key=lambda o: sum(1 for k in value if k in o.plans))


def _fresh(plan: Plan, st: State) -> Any:
    """A non-null value of ``plan``."""
    plan = _resolve(plan)
    while isinstance(plan, Nullable):
        plan = _resolve(plan.inner)
    return plan.gen(st)


def complete(plan: Plan, value: Any, st: State) -> Any:
    """``value`` with what ``plan`` requires added and forbidden nulls removed (in place)."""
    plan = _resolve(plan)
    if value is None:
        return value
    if isinstance(plan, Nullable):
        return complete(plan.inner, value, st)
    if isinstance(plan, Union):
        if not isinstance(value, dict):
            return value
        branch = _branch_for(plan, value)
        return value if branch is None else complete(branch, value, st)
    if isinstance(plan, Obj) and isinstance(value, dict):
        for name, sub, required, _, _ in plan.props:
            if name in value:
                held = value[name]
                if held is None and not accepts_null(sub):
                    if required:
                        value[name] = _fresh(sub, st)
                    else:
                        del value[name]
                elif held is not None:
                    value[name] = complete(sub, held, st)
            elif required:
                if name == "id" and plan.id_kind is not None:
                    value[name] = st.new_id(plan.id_kind)  # its kind's prefix and length
                else:
                    value[name] = sub.gen(st)
        return value
    if isinstance(plan, Arr) and isinstance(value, list):
        for i, item in enumerate(value):
            value[i] = complete(plan.item, item, st)
    elif isinstance(plan, Map) and isinstance(value, dict):
        for key, item in value.items():
            value[key] = complete(plan.value, item, st)
    return value
