"""Check generated Stripe objects against stripe-python's typed resource classes.

stripe-python annotates every field of every resource with its type, ``Literal[...]`` enums
included, for the API version it pins. This walks a payload next to those annotations and lists
each field the class does not know and each enum value outside its ``Literal``.
"""

from __future__ import annotations

import ast
import decimal
import functools
import importlib
import sys
import types
import typing

import stripe


@functools.cache
def _imports_of(module_name: str) -> dict[str, tuple[str, str]]:
    """Names bound by ``from x import y [as z]`` anywhere in a module (TYPE_CHECKING blocks too)."""
    module = sys.modules[module_name]
    with open(module.__file__ or "", encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    found: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                found[alias.asname or alias.name] = (node.module, alias.name)
    return found


class _Namespace(dict):  # type: ignore[type-arg]
    """Locals for evaluating annotations: the class bodies, then type-only imports on demand."""

    def __init__(self, module_name: str) -> None:
        super().__init__()
        self.module_name = module_name

    def __missing__(self, key: str) -> object:
        spec = _imports_of(self.module_name).get(key)
        if spec is None:
            # Names stripe-python's annotations use without importing them in that module
            # (StripeObject in application_fee.refund's module ...): its public namespace.
            if hasattr(stripe, key):
                return getattr(stripe, key)
            raise KeyError(key)
        return getattr(importlib.import_module(spec[0]), spec[1])


@functools.cache
def hints(cls: type) -> dict[str, object]:
    """``typing.get_type_hints`` for a stripe class, resolving its type-only imports."""
    module = sys.modules[cls.__module__]
    local = _Namespace(cls.__module__)
    node: object = module
    for part in cls.__qualname__.split("."):
        node = getattr(node, part)
        local.update(vars(node))
    got = typing.get_type_hints(cls, globalns=dict(vars(module)), localns=local)
    return {k: v for k, v in got.items() if not k.startswith("_") and k != "OBJECT_NAME"}


def _union_args(tp: object) -> tuple[object, ...]:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return typing.get_args(tp)
    return (tp,)


def _is_stripe_class(tp: object) -> bool:
    return isinstance(tp, type) and issubclass(tp, stripe.StripeObject)


def problems(value: object, tp: object, path: str = "") -> list[str]:
    """Every field name unknown to ``tp`` and every value outside a ``Literal`` in ``value``."""
    out: list[str] = []
    args = _union_args(tp)
    if value is None:
        if type(None) in args or typing.Any in args:
            return out
        return [f"{path}: null but annotated {tp!r}"]
    literals: list[object] = []
    for a in args:
        if typing.get_origin(a) is typing.Literal:
            literals.extend(typing.get_args(a))
    if literals and isinstance(value, (str, bool)) and not isinstance(value, dict):
        if value not in literals:
            out.append(f"{path}: {value!r} not in Literal{sorted(map(str, literals))[:12]}")
        return out
    if isinstance(value, dict):
        classes = [a for a in args if _is_stripe_class(a)]
        for a in args:
            origin = typing.get_origin(a)
            if isinstance(origin, type) and issubclass(origin, stripe.ListObject):
                (item,) = typing.get_args(a)
                for i, v in enumerate(value.get("data", [])):
                    out.extend(problems(v, item, f"{path}/data/{i}"))
                return out
            if isinstance(origin, type) and issubclass(origin, stripe.StripeObject):
                return out  # an untyped free-form map such as metadata
        if not classes:
            return out
        cls = classes[0]
        kind = value.get("object")
        for c in classes:
            if getattr(c, "OBJECT_NAME", None) == kind:
                cls = c
        known = hints(cls)
        for key, sub in value.items():
            if key not in known:
                out.append(f"{path}/{key}: not a field of {cls.__qualname__}")
            else:
                out.extend(problems(sub, known[key], f"{path}/{key}"))
        return out
    if isinstance(value, list):
        for a in args:
            if typing.get_origin(a) in (list, typing.List):  # noqa: UP006
                (item,) = typing.get_args(a)
                for i, v in enumerate(value):
                    out.extend(problems(v, item, f"{path}/{i}"))
                return out
        return [f"{path}: a list but annotated {tp!r}"]
    scalar = {bool: bool, int: int, float: (int, float), str: str, decimal.Decimal: str}
    for a in args:
        want = scalar.get(a)  # type: ignore[call-overload]
        if want is None:
            continue
        if isinstance(value, want) and not (a is int and isinstance(value, bool)):
            return out
    if any(a in scalar or _is_stripe_class(a) for a in args):
        if isinstance(value, str) and any(_is_stripe_class(a) for a in args) and str in args:
            return out
        return [f"{path}: {value!r} does not fit {tp!r}"]
    return out


def resource_class(kind: str) -> type:
    """The stripe-python class for an ``object`` value such as ``"checkout.session"``."""
    from stripe._object_classes import OBJECT_CLASSES

    cls = OBJECT_CLASSES[kind]
    if isinstance(cls, tuple):  # newer stripe-python registers (module, name) pairs
        cls = getattr(importlib.import_module(cls[0]), cls[1])
    return cls  # type: ignore[no-any-return]
