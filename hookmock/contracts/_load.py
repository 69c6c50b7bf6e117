"""Read a contract: YAML (with line numbers), checked against ``schemas/_hookmock/contract.json``
and the provider's catalog, into :class:`Contract` objects."""

from __future__ import annotations

import datetime
import functools
import json
import math
import os
from collections.abc import Mapping

from .._errors import ArgumentTypeError, HookmockError, did_you_mean
from .._inputs import read_file
from .._overrides import normalize
from .._registry import DEFAULT_PROVIDER, get_provider
from .._resources import schemas_dir
from ..delivery import signs_timestamp
from ._model import Contract, ContractError, Delivery, Expect
from ._story import check_story

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any, TypeVar

    _T = TypeVar("_T")

    from .._provider import Provider

_KINDS = ("send", "replay", "batch", "story")
#: Keys that only make sense on one kind of delivery.
_ONLY = {
    "as": ("send",),
    "set": ("send", "story"),
    "traits": ("send",),
    "allow_new": ("send",),
    "seed": ("send", "story"),
    "options": ("send", "batch"),
    "order": ("batch", "story"),
    "concurrency": ("batch", "story"),
    "params": ("story",),
    "drop": ("story",),
    "duplicates": ("story",),
    "secret": ("send", "replay"),
    "signature": ("send", "replay"),
    "timestamp": ("send", "replay"),
    "headers": ("send", "replay"),
}


@functools.cache
def contract_schema() -> dict[str, Any]:
    """The JSON Schema of the contract format itself."""
    with (schemas_dir() / "_hookmock" / "contract.json").open("rb") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


class _Source:
    """The contract's data plus a way to find the line of any key in it."""

    def __init__(self, name: str, data: Any, root: Any = None) -> None:
        self.name = name
        self.data = data
        self.root = root
        #: Every problem found so far; all are reported together (see ``ContractError.combine``).
        self.problems: list[ContractError] = []

    def line(self, path: Sequence[str | int], *, key_of: bool = False) -> int | None:
        """The 1-based line of the value at ``path`` (of its key, with ``key_of``)."""
        node = self.root
        if node is None:
            return None
        line: int = node.start_mark.line + 1
        for i, part in enumerate(path):
            last = i == len(path) - 1
            if isinstance(part, str) and node.id == "mapping":
                for k, v in node.value:
                    if k.value == part:
                        node = k if (last and key_of) else v
                        break
                else:
                    return line
            elif isinstance(part, int) and node.id == "sequence" and part < len(node.value):
                node = node.value[part]
            else:
                return line
            line = node.start_mark.line + 1
        return line

    def error(
        self, message: str, path: Sequence[str | int] = (), *, key_of: bool = False
    ) -> ContractError:
        return ContractError(
            message, source=self.name, line=self.line(path, key_of=key_of), key=dotted(path)
        )

    def add(
        self,
        message: str,
        path: Sequence[str | int] = (),
        *,
        key_of: bool = False,
        cause: BaseException | None = None,
    ) -> None:
        """Note a problem and go on checking."""
        problem = self.error(message, path, key_of=key_of)
        problem.__cause__ = cause
        self.problems.append(problem)

    def raise_problems(self) -> None:
        if self.problems:
            raise ContractError.combine(self.problems)


def dotted(path: Iterable[str | int]) -> str:
    """``["deliveries", 2, "expect"]`` -> ``deliveries[2].expect``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def load_contract(source: str | os.PathLike[str] | Mapping[str, Any] | Contract) -> Contract:
    """Read and check a contract: a YAML file's path, or the same data as a mapping.

    Raises :class:`ContractError` naming the file, the line and the key for anything wrong: bad
    YAML, an unknown key ("did you mean"), an unknown provider, event type or trait.
    """
    if isinstance(source, Contract):
        return source

    if not isinstance(source, (str, os.PathLike, Mapping)):
        raise ArgumentTypeError(
            "load_contract() takes the path of a contract YAML file (a str or pathlib.Path), or"
            f" the contract as a dict; got {source!r:.60} ({type(source).__name__})."
        )
    if isinstance(source, Mapping):
        src = _Source("<contract>", None)
        try:
            src.data = _plain(dict(source))
        except _NotJSON as exc:
            raise src.error(exc.message, exc.path) from None
    else:
        src = _read(source)
    bad = _check_schema(src)
    contract = _build(src, bad)
    src.raise_problems()
    assert contract is not None  # no problems, so it was built
    return contract


def _read(path: str | os.PathLike[str]) -> _Source:
    name = os.fsdecode(os.fspath(path))
    if not os.path.lexists(name):
        raise ContractError(
            "no such file. Pass the path of a contract YAML file, e.g. tests/webhooks.yaml.",
            source=name,
        )
    # validate's reader: a FIFO or a device is refused before it is opened (it would block or
    # never end), and a file over the cap before it is read.
    data = read_file(
        name,
        limit=MAX_BYTES,
        kind="contract YAML",
        too_big=f"over the {MAX_BYTES // 1024:,} KB a contract may hold; split it into several"
        " contract files",
    )
    if isinstance(data, str):
        if data == "is a directory":
            data += "; pass one contract YAML file"
        raise ContractError(f"{data}.", source=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContractError(f"is not UTF-8 text (byte {exc.start}).", source=name) from None
    # Import budget: PyYAML loads when a contract file is read (hookmock.contracts stays light).
    import yaml

    try:
        # The pure-Python loader: contracts are small, and it has the marks that give line
        # numbers. Built inside the try: it reads the text at once and refuses a NUL byte.
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:
        raise ContractError(f"invalid YAML: {exc}", source=name) from None
    src = _Source(name, None)
    try:
        root = src.root = loader.get_single_node()
        if root is not None:
            # Before anything expands the aliases: a recursive or exploding one would hang.
            _check_nodes(src, root)
        value = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = str(exc.problem or exc.context or "")
        if exc.context and exc.problem:
            where = f" on line {exc.context_mark.line + 1}" if exc.context_mark else ""
            what += f" ({exc.context}{where})"
        raise ContractError(f"invalid YAML: {what}", source=name, line=line) from None
    except yaml.YAMLError as exc:
        raise ContractError(f"invalid YAML: {exc}", source=name) from None
    except RecursionError:
        raise ContractError(
            f"is nested too deeply to be a contract (more than {MAX_DEPTH} levels).", source=name
        ) from None
    except ContractError as exc:  # one that stops the reading: with the duplicates found so far
        raise ContractError.combine([*src.problems, exc]) from None
    except ValueError as exc:  # a constructor refusing a value the node check let through
        raise ContractError(f"invalid value: {exc}", source=name) from None
    finally:
        loader.dispose()
    if value is None:
        raise ContractError(
            "is empty; a contract needs at least `provider:` and `deliveries:`.", source=name
        )
    try:
        src.data = _plain(value)
    except _NotJSON as exc:
        src.add(exc.message, exc.path)
        src.raise_problems()
    return src


#: The largest contract file read: real ones are a few KB, and YAML is parsed in pure Python.
MAX_BYTES = 1024 * 1024
#: How deep a contract may nest, and how many values it may hold once aliases are expanded:
#: far beyond any real contract, far below what would hang the loader ("billion laughs").
MAX_DEPTH = 64
MAX_NODES = 100_000
_INT_TAG = "tag:yaml.org,2002:int"
#: Python refuses to parse longer decimal integers (``sys.get_int_max_str_digits``).
_MAX_DIGITS = 4300


def _check_nodes(src: _Source, root: Any) -> None:
    """Walk the YAML node graph once: refuse an alias that contains itself, aliases that expand
    past ``MAX_NODES``, nesting past ``MAX_DEPTH``, integers too long to parse, and duplicate
    keys (YAML keeps the last of two equal keys without a word; a contract says so instead).

    Duplicate keys are noted in ``src.problems``; the rest stop the reading at once."""
    name = src.name
    checked: set[int] = set()
    on_path: set[int] = set()
    expanded = 0
    # (node, depth, leaving): ``leaving`` pops the node off the current path.
    stack: list[tuple[Any, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, leaving = stack.pop()
        if leaving:
            on_path.discard(id(node))
            continue
        line = node.start_mark.line + 1
        if id(node) in on_path:
            raise ContractError(
                "an alias refers to a value that contains it, so it never ends; write the"
                " value out instead of the recursive `*alias`.",
                source=name,
                line=line,
            )
        expanded += 1
        if expanded > MAX_NODES:
            raise ContractError(
                f"aliases expand to more than {MAX_NODES} values; a contract has no use for"
                " that many. Write the values out, or share fewer of them through `*alias`.",
                source=name,
                line=line,
            )
        if depth > MAX_DEPTH:
            raise ContractError(
                f"is nested too deeply to be a contract (more than {MAX_DEPTH} levels).",
                source=name,
                line=line,
            )
        if node.id == "scalar":
            digits = node.value.lstrip("+-").replace("_", "")
            if node.tag == _INT_TAG and len(digits) > _MAX_DIGITS:
                raise ContractError(
                    f"a number of {len(digits)} digits is too long (at most {_MAX_DIGITS});"
                    " quote it if it is meant as text.",
                    source=name,
                    line=line,
                )
            continue
        first = id(node) not in checked
        checked.add(id(node))
        on_path.add(id(node))
        stack.append((node, depth, True))
        if node.id == "mapping":
            seen: dict[object, int] = {}
            for key, value in node.value:
                key_line = key.start_mark.line + 1
                if first and key.id == "scalar":
                    if key.value in seen:
                        src.problems.append(
                            ContractError(
                                f"the key {key.value!r} appears twice in one mapping (first on"
                                f" line {seen[key.value]}); YAML would silently keep only the"
                                " last one.",
                                source=name,
                                line=key_line,
                            )
                        )
                    else:
                        seen[key.value] = key_line
                stack.append((key, depth + 1, False))
                stack.append((value, depth + 1, False))
        elif node.id == "sequence":
            stack.extend((item, depth + 1, False) for item in node.value)


class _NotJSON(Exception):
    """A value JSON cannot hold, at ``path``; turned into a ContractError with its line."""

    def __init__(self, message: str, path: list[str | int]) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def _plain(value: Any, path: list[str | int] | None = None) -> Any:
    """YAML's extras as JSON: keys are strings, dates are ISO strings (``api_version: 2024-06-20``).

    Sets, binary, timestamps and non-finite numbers have no JSON form and are refused.
    """
    path = [] if path is None else path
    if len(path) > MAX_DEPTH:  # a mapping given in Python may even contain itself
        raise _NotJSON(
            f"is nested too deeply to be a contract (more than {MAX_DEPTH} levels, or a value"
            " that contains itself).",
            path[:MAX_DEPTH],
        )
    if isinstance(value, dict):
        return {_key(k): _plain(v, [*path, _key(k)]) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, [*path, i]) for i, v in enumerate(value)]
    if isinstance(value, datetime.datetime):
        raise _NotJSON(
            f"{value.isoformat()} is a YAML timestamp, which JSON has no type for; quote it"
            " to send it as a string, or give Unix seconds as a number.",
            path,
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        raise _NotJSON(
            f"{value} is not a finite number; JSON (and a webhook) has no NaN or infinity."
            " Give a real number.",
            path,
        )
    if isinstance(value, (set, frozenset, bytes, bytearray)):
        kind = "a set (!!set)" if isinstance(value, (set, frozenset)) else "binary (!!binary)"
        raise _NotJSON(
            f"is {kind}, which JSON has no type for; write a list or a string instead.", path
        )
    return value


def _key(key: Any) -> str:
    return key.isoformat() if isinstance(key, datetime.date) else str(key)


# -- the format -----------------------------------------------------------------------------------


def _check_schema(src: _Source) -> set[int]:
    """Note every schema error; return the indexes of the deliveries that have one."""
    # Import budget: jsonschema loads when a contract is checked (hookmock.contracts stays light).
    import jsonschema

    validator = jsonschema.Draft202012Validator(contract_schema())
    # On one line, a missing key is most often the misspelled one reported next to it: show
    # the unknown key first.
    errors = sorted(
        validator.iter_errors(src.data),
        key=lambda e: (
            src.line(list(e.absolute_path)) or 0,
            e.validator == "required",
            list(map(str, e.absolute_path)),
        ),
    )
    bad: set[int] = set()
    for err in errors:
        src.problems.extend(_explain(src, err))
        path = list(err.absolute_path)
        if len(path) >= 2 and path[0] == "deliveries" and isinstance(path[1], int):
            bad.add(path[1])
    return bad


def _explain(src: _Source, err: Any) -> list[ContractError]:
    path = list(err.absolute_path)
    schema = err.schema if isinstance(err.schema, dict) else {}
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        allowed = sorted(schema.get("properties", {}))
        where = "at the top level" if not path else f"in {dotted(path)}"
        found = []
        for unknown in (str(k) for k in err.instance if k not in allowed):
            close = did_you_mean(unknown, allowed)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            found.append(
                src.error(
                    f"unknown key {unknown!r} {where}.{hint} Allowed keys: {', '.join(allowed)}.",
                    [*path, unknown],
                    key_of=True,
                )
            )
        return found
    if err.validator == "required":
        # jsonschema reports each missing key once, in the same words; say them all, each once.
        missing = [k for k in schema.get("required", []) if k not in err.instance]
        examples = {"provider": f" (e.g. provider: {DEFAULT_PROVIDER})"}
        return [src.error(f"missing key {k!r}{examples.get(k, '')}.", path) for k in missing] or [
            src.error(err.message, path)
        ]
    described = _description(err)
    if err.validator in ("oneOf", "anyOf", "const") and described:
        return [src.error(f"{_show(err.instance)} is not allowed here: {described}", path)]
    return [src.error(err.message + (f" ({described})" if described else ""), path)]


def _description(err: Any) -> str:
    """The nearest ``description`` in the schema path of an error, to say what is expected."""
    node: Any = contract_schema()
    found = ""
    for part in [*err.absolute_schema_path, None]:
        if isinstance(node, dict) and "$ref" in node and part not in node:
            node = _resolve(node["$ref"])
        if isinstance(node, dict) and "description" in node:
            found = node["description"]
        if part is None:
            break
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return str(found)


def _resolve(ref: str) -> Any:
    node: Any = contract_schema()
    for part in ref.lstrip("#/").split("/"):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node


def _show(value: Any) -> str:
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- meaning: provider, types, traits, references ------------------------------------------------


def _build(src: _Source, bad: set[int]) -> Contract | None:
    """Check what the schema cannot (provider, types, traits, references) and build the
    contract. Every problem is noted in ``src.problems``; None when there were any.

    Parts the schema already found wrong are checked as far as their shape allows, so a typo
    does not hide the next mistake, nor cause a second report of itself."""
    data = src.data if isinstance(src.data, dict) else {}
    provider: Provider | None = None
    if isinstance(data.get("provider"), str):
        try:
            provider = get_provider(data["provider"])
        except HookmockError as exc:
            src.add(str(exc), ["provider"], cause=exc)
    if "app" in data and "url" in data:
        src.add(
            "give the contract's target as app: (module:attr) or url:, not both.",
            ["url"],
            key_of=True,
        )
    if provider is not None:
        _guarded(_check_delivery_options, src, provider, data, [])
    items = data.get("deliveries")
    deliveries: list[Delivery | None] = []
    names: dict[str, int] = {}
    for i, item in enumerate(items if isinstance(items, list) else []):
        delivery = None
        if isinstance(item, dict):
            delivery = _guarded(_delivery, src, provider, i, item, names, deliveries, i in bad)
            alias = item.get("as")
            if isinstance(alias, str) and alias and alias not in names:
                # Named even when the delivery is wrong: a later replay of it is not a problem.
                names[alias] = i
        deliveries.append(delivery)
    if src.problems or provider is None:
        return None
    return Contract(
        provider=provider.name,
        deliveries=tuple(d for d in deliveries if d is not None),
        path=data.get("path"),
        name=data.get("name", ""),
        secret=data.get("secret"),
        seed=data.get("seed"),
        timeout=data.get("timeout"),
        retries=data.get("retries"),
        options=dict(data.get("options") or {}),
        source=src.name,
        app=data.get("app"),
        url=data.get("url"),
    )


def _guarded(check: Callable[..., _T], src: _Source, *args: Any) -> _T | None:
    """Run one check; a Python error from data the schema already found malformed is that
    schema problem again, not a new one (without a schema problem it is a bug: re-raised)."""
    try:
        return check(src, *args)
    except (TypeError, AttributeError, KeyError, IndexError, ValueError):
        if not src.problems:
            raise
        return None


def _delivery(
    src: _Source,
    provider: Provider | None,
    i: int,
    item: dict[str, Any],
    names: Mapping[str, int],
    earlier: Sequence[Delivery | None],
    schema_bad: bool,
) -> Delivery | None:
    before = len(src.problems)
    at: list[str | int] = ["deliveries", i]
    kinds = [k for k in _KINDS if k in item]
    kind = kinds[0] if len(kinds) == 1 else ""
    if not kind and not (schema_bad and not kinds):  # a misspelt `send:` is reported already
        found = f"found {' and '.join(kinds)}" if kinds else "found none"
        src.add(
            "a delivery needs exactly one of send: TYPE, replay: N, batch: [TYPES] or"
            f" story: NAME; {found}.",
            at,
        )
    for key, kinds_ok in _ONLY.items():
        if kind and key in item and kind not in kinds_ok:
            src.add(
                f"{key!r} does not apply to a {kind} delivery (only to {' and '.join(kinds_ok)}).",
                [*at, key],
                key_of=True,
            )
    if "secret" in item and "signature" in item:
        src.add(
            "give either secret: (sign with that secret) or signature: (wrong or missing), not both.",
            [*at, "signature"],
        )
    if provider is not None:
        _check_delivery_options(src, provider, item, at)

    target: str | int | None = None
    types: tuple[str | None, ...] = ()
    told: tuple[str, dict[str, Any]] | None = None
    if kind == "send" and provider is not None and isinstance(item["send"], str):
        target = _check_type(src, provider, item["send"], [*at, "send"])
    elif kind == "batch" and provider is not None and isinstance(item["batch"], list):
        types = tuple(
            _check_type(src, provider, t, [*at, "batch", n])
            for n, t in enumerate(item["batch"])
            if isinstance(t, str)
        )
    elif kind == "replay" and isinstance(item["replay"], (str, int)):
        target = _replay_target(src, item["replay"], [*at, "replay"], names, earlier)
    elif kind == "story" and provider is not None and isinstance(item["story"], str):
        told = check_story(src, provider, item, at)
        target = None if told is None else told[0]
    if kind == "batch" and item.get("order") not in (None, "given", "shuffled"):
        src.add(
            f"a batch's order is given or shuffled; {item['order']!r} is for story: deliveries.",
            [*at, "order"],
        )

    traits = item.get("traits", ())
    traits = (traits,) if isinstance(traits, str) else tuple(traits)
    if traits and provider is not None and kind == "send" and isinstance(target, str):
        _check_traits(src, provider, target, traits, [*at, "traits"])
    alias = item.get("as", "")
    if alias and alias in names:
        src.add(
            f"the name {alias!r} is already used by deliveries[{names[alias]}]; names must be"
            " unique.",
            [*at, "as"],
        )
    overrides: dict[str, Any] = {}
    try:
        if kind != "story":  # a story's set: names shared objects (checked with the story)
            overrides = normalize(None, item.get("set") or {}, sep=".")
    except HookmockError as exc:
        src.add(str(exc), [*at, "set"], cause=exc)
    if schema_bad or len(src.problems) > before:
        return None
    given = item.get("given") or {}
    if isinstance(given, str):
        given = {given: None}
    elif isinstance(given, list):
        given = dict.fromkeys(given)
    replayed = earlier[int(target)] if kind == "replay" and target is not None else None
    return Delivery(
        kind=kind,
        target=target if target is not None else "",
        types=tuple(t for t in types if t is not None),
        name=item.get("name") or "",
        alias=alias,
        overrides=overrides,
        traits=traits,
        allow_new=bool(item.get("allow_new", False)),
        seed=item.get("seed"),
        options=dict(item.get("options") or {}),
        secret=item.get("secret"),
        signature=item.get("signature"),
        timestamp=item.get("timestamp"),
        headers=dict(item.get("headers") or {}),
        timeout=item.get("timeout"),
        retries=item.get("retries"),
        order=_order(item.get("order", "provider" if kind == "story" else "given")),
        concurrency=item.get("concurrency", 1),
        story=told[1] if kind == "story" and told is not None else {},
        drop=_picks(item.get("drop")),
        duplicates=_picks(item.get("duplicates")),
        given=given,
        expect=_expect(item.get("expect") or {}),
        key=dotted(at),
        line=src.line(at),
        replays=(
            (item["replay"] if isinstance(item["replay"], str) else str(replayed.target))
            if replayed is not None
            else ""
        ),
    )


def _check_delivery_options(
    src: _Source, provider: Provider, data: Mapping[str, Any], at: list[str | int]
) -> None:
    """What the schema cannot know: whether this provider retries, signs a timestamp, and
    which event options it has. Said here, with the line, rather than mid-run in Python terms."""
    title = provider.title or provider.name
    retries = data.get("retries")
    counted = isinstance(retries, int) and not isinstance(retries, bool) and retries > 0
    if not provider.retries and (retries is True or counted):
        written = "true" if retries is True else str(retries)
        src.add(
            f"{title} does not retry failed deliveries, so `retries: {written}` has no backoff"
            " to copy. Write the waits in seconds to simulate manual redeliveries on that"
            " schedule (`retries: [600, 3600]`), or leave retries out.",
            [*at, "retries"],
        )
    if data.get("timestamp") is not None and not signs_timestamp(provider):
        src.add(
            f"{title} signatures carry no timestamp, so `timestamp:` would change nothing"
            f" (a {title} receiver cannot reject a stale delivery by its signature). Leave"
            " it out; to test stale events, `set:` the payload's own time fields instead.",
            [*at, "timestamp"],
        )
    options = data.get("options") or {}
    known = list(provider.option_defaults)
    for key in options if isinstance(options, dict) else ():
        if key not in provider.option_defaults:
            close = did_you_mean(key, known)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            theirs = ", ".join(known) or "(none)"
            src.add(
                f"{title} has no event option {key!r}.{hint} Its options: {theirs}. Payload"
                " fields go under `set:` instead.",
                [*at, "options", key],
                key_of=True,
            )


def _check_type(src: _Source, provider: Provider, type: str, path: list[str | int]) -> str | None:
    try:
        return provider.check_type(type)
    except HookmockError as exc:
        src.add(str(exc), path, cause=exc)
        return None


def _check_traits(
    src: _Source, provider: Provider, type: str, traits: Sequence[str], path: list[str | int]
) -> None:
    allowed = provider.traits_for(type)
    for trait in traits:
        if trait not in allowed:
            close = did_you_mean(trait, allowed)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            src.add(
                f"{provider.title or provider.name} type {type!r} has no trait {trait!r}.{hint}"
                f" Its traits: {', '.join(allowed) or '(none)'}.",
                path,
            )


def _replay_target(
    src: _Source,
    ref: str | int,
    path: list[str | int],
    names: Mapping[str, int],
    earlier: Sequence[Delivery | None],
) -> int | None:
    if isinstance(ref, str):
        if ref not in names:
            close = did_you_mean(ref, names)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            known = ", ".join(names) or "(none yet)"
            src.add(
                f"replay: {ref!r} names no earlier delivery.{hint} Give the delivery to replay"
                f" `as: {ref}`, or replay it by its 0-based index. Names so far: {known}.",
                path,
            )
            return None
        ref = names[ref]
    elif ref < 0 or ref >= len(earlier):
        src.add(
            f"replay: {ref} must name an earlier delivery (0 to {len(earlier) - 1}, 0-based)"
            if earlier
            else "replay: needs an earlier delivery to replay; this is the first one.",
            path,
        )
        return None
    replayed = earlier[ref]
    if replayed is not None and replayed.kind != "send":
        src.add(
            f"replay: {ref} is a {replayed.kind} delivery; only a send: delivery can be replayed.",
            path,
        )
        return None
    return ref


def _order(value: str | list[int]) -> str | tuple[int, ...]:
    return tuple(value) if isinstance(value, list) else value


def _picks(value: Any) -> int | tuple[int | str, ...] | None:
    """``drop:``/``duplicates:``: a count (duplicates) or index, a type, or a list of those."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    return tuple(value) if isinstance(value, list) else (value,)


def _expect(data: Mapping[str, Any]) -> Expect:
    status = data.get("status", "2xx")
    attempts = data.get("attempts")
    return Expect(
        status=tuple(status) if isinstance(status, list) else (status,),
        handled=data.get("handled"),
        attempts=tuple(attempts) if isinstance(attempts, list) else attempts,
        body=data.get("body"),
    )
