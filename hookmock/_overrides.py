"""Field overrides: keyword paths (``data__object__amount=1``) and nested dicts, applied strictly.

A path must name a field that exists in the generated payload; a typo is an error that names the
nearest existing field. New keys are allowed only when asked for explicitly: wrap the value in
:func:`new`, pass ``allow_new=True``, or write into a free-form map (``Provider.open_maps``, such as a ``metadata``).
"""

from __future__ import annotations

from ._errors import OverrideError, Path, did_you_mean

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

_MISSING = object()


class new:
    """Mark an override value as a field that may not exist yet: ``foo=hookmock.new(1)``."""

    # Hand-written, not a dataclass: `import hookmock` loads this module, and dataclasses (with
    # inspect and enum) would cost every import about 10 ms (benchmarks/bench_import.py).

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"hookmock.new({self.value!r})"


class replace:
    """Set a dict field wholesale instead of deep-merging into it: ``hookmock.replace({...})``."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"hookmock.replace({self.value!r})"


def split_path(path: str, sep: str = "__") -> list[str]:
    """``"data__object__amount"`` -> ``["data", "object", "amount"]``."""
    parts = path.split(sep)
    if not path or any(p == "" for p in parts):
        raise OverrideError(
            f"Override path {path!r} is malformed: it has an empty segment."
            f" Write segments separated by {sep!r}, for example 'data{sep}object{sep}amount'."
        )
    return parts


def normalize(
    overrides: Mapping[str, Any] | None = None,
    paths: Mapping[str, Any] | None = None,
    *,
    sep: str = "__",
) -> dict[str, Any]:
    """Merge a nested ``overrides`` dict and keyword ``paths`` into one nested tree.

    Later entries win; keyword paths are applied after the nested dict. Values are copied on the
    way in, so the tree never shares (or mutates) the caller's dicts and lists.
    """
    tree: dict[str, Any] = {}
    if overrides:
        if not isinstance(overrides, dict):
            raise OverrideError(
                f"overrides must be a dict of field names to values, got {type(overrides).__name__}."
            )
        for key, value in overrides.items():
            _put(tree, [str(key)], _named(copy_in(value, (str(key),), sep)))
    for path, value in (paths or {}).items():
        parts = split_path(path, sep)
        _put(tree, parts, _named(copy_in(value, tuple(parts), sep)))
    return tree


class _Named(dict):  # type: ignore[type-arg]
    """A dict given as the value of a path (``amount={...}``): it names the field itself, so it
    may replace a number or string there. Dicts nested inside it only merge."""

    __slots__ = ()


def _named(value: Any) -> Any:
    return _Named(value) if type(value) is dict else value


def copy_in(value: Any, where: tuple[str, ...] = (), sep: str = "__", depth: int = 0) -> Any:
    """A private copy of an override value: its dicts, lists and markers are new objects.

    Without it, merging a second override into a dict the caller passed would add keys to the
    caller's dict, and the same dict given at two paths would end up containing itself.
    Object keys must be strings (JSON has no others); the path names any that is not.
    """
    if depth > MAX_VALUE_DEPTH:
        raise OverrideError(
            f"Override {_where(list(where), sep)!r}: the value nests more than {MAX_VALUE_DEPTH}"
            " levels deep (or refers to itself); webhook payloads nest a few levels at most."
        )
    if isinstance(value, dict):
        out: dict[str, Any] = _Named() if isinstance(value, _Named) else {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise OverrideError(
                    f"Override {_where([*where, repr(k)], sep)!r}: JSON object keys are strings,"
                    f" got {type(k).__name__} {k!r:.40}; write the key as {str(k)[:40]!r}."
                )
            out[k] = copy_in(v, (*where, k), sep, depth + 1)
        return out
    if isinstance(value, (list, tuple)):
        return [copy_in(v, (*where, str(i)), sep, depth + 1) for i, v in enumerate(value)]
    if isinstance(value, new):
        return new(copy_in(value.value, where, sep, depth + 1))
    if isinstance(value, replace):
        return replace(copy_in(value.value, where, sep, depth + 1))
    return value


def _where(parts: list[str], sep: str) -> str:
    where = sep.join(parts) or "(top level)"
    return where if len(where) <= 100 else where[:97] + "..."


def _put(tree: dict[str, Any], parts: list[str], value: Any) -> None:
    node = tree
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    last = parts[-1]
    if isinstance(value, dict) and isinstance(node.get(last), dict):
        for k, v in value.items():
            _put(node[last], [str(k)], v)
    else:
        node[last] = value


def pick(tree: Mapping[str, Any], path: Iterable[str], default: Any = _MISSING) -> Any:
    """The override value at ``path`` in a normalized tree, or ``default``.

    Factories use this to build derived fields from the user's value (an overridden ``amount``
    also moves ``amount_received``).
    """
    node: Any = tree
    for part in path:
        if isinstance(node, (new, replace)):
            node = node.value
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    if isinstance(node, (new, replace)):
        return node.value
    return node


def has(tree: Mapping[str, Any], path: Iterable[str]) -> bool:
    return pick(tree, path) is not _MISSING


def apply(
    payload: dict[str, Any],
    tree: Mapping[str, Any],
    *,
    allow_new: bool = False,
    open_maps: frozenset[str] = frozenset(),
    sep: str = "__",
) -> dict[str, Any]:
    """Apply a normalized override tree to ``payload`` in place and return it."""
    _merge(payload, tree, [], allow_new=allow_new, open_maps=open_maps, sep=sep, open_=False)
    return payload


def _fmt(parts: list[str], sep: str) -> str:
    return sep.join(parts)


def _merge(
    target: Any,
    tree: Mapping[str, Any],
    where: list[str],
    *,
    allow_new: bool,
    open_maps: frozenset[str],
    sep: str,
    open_: bool,
) -> None:
    for key, value in tree.items():
        path = [*where, key]
        if isinstance(target, list):
            _merge_list_item(target, key, value, path, allow_new, open_maps, sep)
            continue
        if not isinstance(target, dict):  # pragma: no cover - guarded by callers
            raise OverrideError(
                template="Cannot override {path!r}: its parent is not an object.",
                path=path,
                sep=sep,
            )
        explicit = isinstance(value, new)
        if isinstance(value, new):
            value = value.value
        if key not in target and not (allow_new or explicit or open_):
            close = did_you_mean(key, [str(k) for k in target])
            existing = ", ".join(sorted(map(str, target))) or "(none)"
            raise OverrideError(
                template="Override {path!r} names a field that does not exist in this event."
                + (" Did you mean {close!r}?" if close else " Existing fields here: {existing}.")
                + " To add a new field on purpose, {fix}.",
                path=path,
                sep=sep,
                suggestions=close,
                argument="allow_new",
                close=Path([*where, close[0]] if close else []),
                existing=existing,
            )
        _assign(target, key, value, path, allow_new, open_maps, sep, open_ or key in open_maps)


def _assign(
    target: dict[str, Any] | list[Any],
    key: Any,
    value: Any,
    path: list[str],
    allow_new: bool,
    open_maps: frozenset[str],
    sep: str,
    open_: bool,
) -> None:
    if isinstance(value, replace):
        target[key] = _unwrap(value.value, path, sep)
        return
    current = target[key] if _contains(target, key) else _MISSING
    if isinstance(value, dict) and isinstance(current, (dict, list)) and value:
        _merge(current, value, path, allow_new=allow_new, open_maps=open_maps, sep=sep, open_=open_)
        return
    if (
        isinstance(value, dict)
        and not isinstance(value, _Named)
        and current is not _MISSING
        and current is not None
        and not isinstance(current, (dict, list))
    ):
        _refuse_field_of_scalar(path, value, current, sep)
    target[key] = _unwrap(value, path, sep)


def _refuse_field_of_scalar(path: list[str], value: dict[str, Any], current: Any, sep: str) -> None:
    """A path through a str/number/bool would silently turn it into an object."""
    inner = next(iter(value), "...")
    kind = {"str": "string", "int": "number", "float": "number", "bool": "boolean"}.get(
        type(current).__name__, type(current).__name__
    )
    # JSON reads the same in Python, on the command line and in a contract.
    example = f"{_json(value):.60}"
    raise OverrideError(
        template="Override {inner!r} sets a field inside {field!r}, but {field!r} is a {kind}"
        " ({current}), not an object. To make it an object on purpose, set the field itself:"
        " {field}={example} (or wrap the value in hookmock.replace(...)).",
        path=[*path, str(inner)],
        sep=sep,
        inner=Path([*path, str(inner)]),
        field=Path(path),
        kind=kind,
        current=f"{current!r:.40}",
        example=example,
    )


def _json(value: Any) -> str:
    # Import budget: json loads with the first message that shows a value.
    import json

    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def _contains(target: dict[str, Any] | list[Any], key: Any) -> bool:
    if isinstance(target, list):
        return isinstance(key, int) and -len(target) <= key < len(target)
    return key in target


def _merge_list_item(
    target: list[Any],
    key: str,
    value: Any,
    path: list[str],
    allow_new: bool,
    open_maps: frozenset[str],
    sep: str,
) -> None:
    try:
        index = int(key)
    except ValueError:
        raise OverrideError(
            template="Override {path!r}: {parent!r} is a list, so the next segment must be an"
            " index (0 to {last}), not {key!r}.",
            path=path,
            sep=sep,
            parent=Path(path[:-1]),
            last=len(target) - 1,
            key=key,
        ) from None
    if not -len(target) <= index < len(target):
        raise OverrideError(
            template="Override {path!r}: index {index} is out of range; {parent!r} has {count}"
            " item(s). To set the whole list, override the list itself with a new list.",
            path=path,
            sep=sep,
            parent=Path(path[:-1]),
            index=index,
            count=len(target),
        )
    if isinstance(value, new):
        value = value.value
    _assign(target, index, value, path, allow_new, open_maps, sep, False)


#: Deeper override values are refused (real webhook payloads nest a few levels).
MAX_VALUE_DEPTH = 64
#: About 4,000 decimal digits: Python's int/str conversion limit is 4,300.
_MAX_INT_BITS = 13_300


def _unwrap(value: Any, path: list[str] | None = None, sep: str = "__", depth: int = 0) -> Any:
    """Strip new()/replace() markers inside a value that is set wholesale, and check that what
    is left is JSON: anything else would fail later, far from the override that caused it."""
    where = _fmt(path or [], sep) or "(top level)"
    if len(where) > 100:
        where = where[:97] + "..."
    if depth > MAX_VALUE_DEPTH:
        raise OverrideError(
            f"Override {where!r}: the value nests more than {MAX_VALUE_DEPTH} levels deep"
            " (or refers to itself); webhook payloads nest a few levels at most."
        )
    if isinstance(value, (new, replace)):
        return _unwrap(value.value, path, sep, depth + 1)
    if isinstance(value, dict):
        out: dict[str, Any] = _Named() if isinstance(value, _Named) else {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise OverrideError(f"Override {where!r}: JSON object keys are strings, got {k!r}.")
            out[k] = _unwrap(v, [*(path or []), k], sep, depth + 1)
        return out
    if isinstance(value, (list, tuple)):
        return [_unwrap(v, [*(path or []), str(i)], sep, depth + 1) for i, v in enumerate(value)]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if value.bit_length() > _MAX_INT_BITS:
            raise OverrideError(
                f"Override {where!r}: the int has more than 4,000 digits; JSON parsers (Python's"
                " included) refuse numbers that long. Pass a shorter number, or a string."
            )
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise OverrideError(f"Override {where!r}: {value!r} is not a JSON number.")
        return value
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            raise OverrideError(
                f"Override {where!r}: the string holds a lone surrogate, which JSON bodies in"
                " UTF-8 cannot carry."
            ) from None
        return value
    raise OverrideError(
        f"Override {where!r}: a {type(value).__name__} is not a JSON value; use a str, int,"
        " float, bool, None, list or dict."
    )
