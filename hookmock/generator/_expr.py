"""The value expressions of pools and rules files, compiled once into small functions.

An expression is evaluated with the build's :class:`State` and a ``lookup(path)`` that reads
other values (the payload for rules; the object and the build's entities for pools). The
language is described in :mod:`hookmock.generator`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .._seeding import ANCHOR, BASE62, SPAN


class Omit:
    """The value of ``@omit``: leave the key out (where the schema does not require it)."""

    def __repr__(self) -> str:
        return "@omit"


class Gen:
    """The value of ``@gen``: a fresh value from the schema at that path, never null.
    ``@gen(variant)`` also picks the variant of a tagged union (``@gen(us_bank_account)``)."""

    __slots__ = ("variant",)

    def __init__(self, variant: str | None = None) -> None:
        self.variant = variant

    def __repr__(self) -> str:
        return f"@gen({self.variant})" if self.variant else "@gen"


OMIT = Omit()
GEN = Gen()

Lookup = Callable[[str], Any]
Expr = Callable[["State", Lookup], Any]


class ExpressionError(ValueError):
    """A pools or rules file holds an expression hookmock cannot read."""


class Literal:
    """A constant expression (``livemode: false``): plans write its value in once instead of
    calling it for every event."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, st: State, lookup: Lookup) -> Any:
        return self.value


class Kind:
    """An entity kind from a pools file: how to recognise its objects and fill their fields."""

    __slots__ = (
        "derived",
        "derived_src",
        "identity",
        "match",
        "name",
        "roles",
        "template_paths",
        "templates",
    )

    def __init__(
        self,
        name: str,
        match: Sequence[str],
        identity: dict[str, Expr],
        derived: dict[str, Expr],
        roles: Sequence[str] = (),
        derived_src: dict[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.roles = frozenset(roles)
        self.match = frozenset(match)
        self.identity = identity
        self.derived = derived
        self.derived_src = derived_src or {}
        # Plain templates among the derived values, read from one lookup per distinct path.
        self.template_paths: list[str] = []
        self.templates: list[tuple[str, str, list[int]]] = []
        for key, src in self.derived_src.items():
            parts = template_parts(src)
            if parts is None:
                continue
            index = []
            for path in parts[1]:
                if path not in self.template_paths:
                    self.template_paths.append(path)
                index.append(self.template_paths.index(path))
            self.templates.append((key, parts[0], index))


class State:
    """One build: the seeded generators, the time it happens at, and its entity table.

    Entities are the things a payload mentions several times (a repository, its owner, a
    customer). Each is keyed by its role and filled once, so every mention agrees.
    """

    __slots__ = (
        "alias",
        "claimed",
        "ctx",
        "data",
        "depth",
        "derived",
        "entities",
        "ids",
        "now",
        "random",
        "rng",
        "same",
        "variant",
    )

    def __init__(self, data: Any, ctx: Any) -> None:
        self.ctx = ctx
        self.rng = rng = ctx.rng
        self.random = random = rng.random
        self.data = data
        self.depth = 0
        # random() scaled rather than randrange(): a third of the cost, once per event.
        self.now = ANCHOR - int(random() * SPAN)
        self.entities: dict[str, dict[str, Any]] = {}
        self.ids: dict[str, str] = {}
        self.claimed: set[str] = set()
        self.same: dict[str, Any] = {}
        self.alias: dict[str, str] = {}
        self.variant: str | None = None  # a tagged union's variant a rule asked for
        self.derived: dict[str, dict[str, str]] = {}

    # -- ids --------------------------------------------------------------------------------
    def b62(self, n: int) -> str:
        # One draw of random bytes mapped onto the alphabet: ids are most of a payload's draws.
        raw: int = self.rng.getrandbits(8 * n)
        return raw.to_bytes(n, "little").translate(_B62_BYTES).decode()

    def new_id(self, kind: str) -> str:
        spec: tuple[str, int] = self.data.id_spec(kind)
        n = spec[1]  # as b62(), without the call: every object draws an id
        raw: int = self.rng.getrandbits(8 * n)
        return spec[0] + raw.to_bytes(n, "little").translate(_B62_BYTES).decode()

    def ref_id(self, kind: str) -> str:
        """The id every reference to ``kind`` in this payload carries."""
        got = self.ids.get(kind)
        if got is None:
            got = self.ids[kind] = self.new_id(kind)
        return got

    def claim_id(self, kind: str) -> str:
        """The id of an object of ``kind``: the first one is the one references point at."""
        if kind in self.claimed:
            return self.new_id(kind)
        self.claimed.add(kind)
        got = self.ids.get(kind)
        if got is None:
            got = self.ids[kind] = self.new_id(kind)
        return got

    # -- entities ---------------------------------------------------------------------------
    def entity(self, role: str, kind: Kind | None = None) -> dict[str, Any]:
        if self.alias:
            role = self.alias.get(role, role)
        got = self.entities.get(role)
        if got is not None:
            return got
        if kind is None:
            kind = self.data.kind_for_role(role)
        out: dict[str, Any] = {}
        self.entities[role] = out  # before filling: identities may point at each other
        if kind is not None:
            self.fill(kind.identity, out)
        return out

    def derived_for(self, kind: Kind, role: str | None, ident: dict[str, Any]) -> dict[str, str]:
        """The kind's template values (URLs) for this entity: made once per role per build,
        since every mention of the entity renders the same ones."""
        if role is not None:
            role = self.alias.get(role, role) if self.alias else role
            got = self.derived.get(role)
            if got is not None:
                return got
        look = self.lookup_in(ident)
        values: list[Any] = []
        for path in kind.template_paths:
            try:
                values.append(look(path))
            except KeyError:
                values.append(OMIT)
        out: dict[str, str] = {}
        for name, fmt, index in kind.templates:
            args = [values[i] for i in index]
            if OMIT not in args:
                out[name] = fmt.format(*args)
        if role is not None:
            self.derived[role] = out
        return out

    def fresh(self, kind: Kind) -> dict[str, Any]:
        """An identity of ``kind`` that no other mention shares (array items)."""
        out: dict[str, Any] = {}
        self.fill(kind.identity, out)
        return out

    def fill(self, exprs: Mapping[str, Expr], out: dict[str, Any]) -> None:
        lookup = self.lookup_in(out)
        for key, expr in exprs.items():
            out[key] = expr(self, lookup)

    def lookup_in(self, own: Mapping[str, Any]) -> Lookup:
        """Read ``name`` or ``name.sub`` from ``own``, else from the entity of that role."""

        def lookup(path: str) -> Any:
            head, _, rest = path.partition(".")
            if head in own:
                value = own[head]
            else:
                value = self.entity(head)
                if not rest:
                    raise KeyError(path)
            return dig(value, rest) if rest else value

        return lookup

    def global_lookup(self, path: str) -> Any:
        head, _, rest = path.partition(".")
        value = self.entity(head)
        if not rest:
            raise KeyError(path)
        return dig(value, rest)


#: byte -> a base62 character (256 is not a multiple of 62: the first 8 are a little likelier).
_B62_BYTES = bytes(ord(BASE62[i % 62]) for i in range(256))


#: Dotted path -> its keys (paths come from pools and rules files: a bounded set).
_PARTS: dict[str, list[str]] = {}


def dig(value: Any, path: str) -> Any:
    """The value at dotted ``path`` below ``value`` (list items by index); KeyError if absent."""
    parts = _PARTS.get(path)
    if parts is None:
        parts = _PARTS[path] = path.split(".")
    for part in parts:
        if isinstance(value, dict):
            value = value[part]
        elif isinstance(value, list) and part.lstrip("-").isdigit():
            try:
                value = value[int(part)]
            except IndexError:
                raise KeyError(path) from None
        else:
            raise KeyError(path)
    return value


def copy_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value


# -- makers ------------------------------------------------------------------------------------

_CALL = re.compile(r"^@([a-z_0-9]+)(?:\((.*)\))?$", re.S)
_TEMPLATE = re.compile(r"\$\{([^}]+)\}")


def _arg(text: str) -> Any:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


_V4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_V4_SET = (0x4000 << 64) | (0x8000 << 48)


def _uuid4(bits: int) -> str:
    """``str(uuid.UUID(int=bits, version=4))`` without building the object (ids are hot)."""
    h = f"{(bits & _V4_CLEAR) | _V4_SET:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


#: Day number -> "YYYY-MM-DD": generated times fall in about a year, so this stays small.
_DAYS: dict[int, str] = {}
_HOURS_MINUTES = [f"T{h:02d}:{m:02d}:" for h in range(24) for m in range(60)]
_SECONDS = [f"{s:02d}Z" for s in range(60)]


def _date(ts: int) -> str:
    day = ts // 86400
    got = _DAYS.get(day)
    if got is None:
        midnight = datetime.datetime.fromtimestamp(day * 86400, datetime.timezone.utc)
        got = _DAYS[day] = midnight.strftime("%Y-%m-%d")
    return got


def _iso(ts: int) -> str:
    # The day's text cached and the time of day from two tables: a sixth of time.gmtime and a
    # format (a thin notification's one time is a tenth of its build).
    rest = ts % 86400
    return _date(ts) + _HOURS_MINUTES[rest // 60] + _SECONDS[rest % 60]


def _time_bounds(args: list[Any]) -> tuple[int, int]:
    lo = int(args[0]) if args else -30 * 86400
    hi = int(args[1]) if len(args) > 1 else 0
    return lo, hi


def _maker(name: str, args: list[Any], data: Any) -> Expr:
    if name == "id":
        prefix = str(args[0])
        if not prefix.endswith("_"):
            prefix += "_"
        fixed = int(args[1]) if len(args) > 1 else None

        def make_id(st: State, lookup: Lookup) -> Any:
            return prefix + st.b62(fixed or st.data.id_length(prefix))

        return make_id
    if name == "ref":
        kind = str(args[0])
        return lambda st, lookup: st.ref_id(kind)
    if name in ("hex", "b62", "digits"):
        n = int(args[0]) if args else 16
        if name == "hex":
            return lambda st, lookup: f"{st.rng.getrandbits(4 * n):0{n}x}"
        if name == "b62":
            return lambda st, lookup: st.b62(n)
        return lambda st, lookup: "".join(st.rng.choices("0123456789", k=n))
    if name == "int":
        lo, hi = int(args[0]), int(args[1])
        span = hi - lo + 1
        # random() scaled rather than randint(): a third of the cost, and ints are everywhere.
        return lambda st, lookup: lo + int(st.random() * span)
    if name == "float":
        flo, fhi = float(args[0]), float(args[1])
        return lambda st, lookup: round(st.rng.uniform(flo, fhi), 2)
    if name == "pool":
        draw = data.pool_drawer(str(args[0]))
        return lambda st, lookup: draw(st.rng)
    if name == "same":
        key = str(args[0])
        draw = data.pool_drawer(key)

        def same(st: State, lookup: Lookup) -> Any:
            got = st.same.get(key, OMIT)
            if got is OMIT:
                got = st.same[key] = draw(st.rng)
            return got

        return same
    if name == "faker":
        method = str(args[0])
        extra = args[1:]
        return lambda st, lookup: getattr(st.ctx.faker, method)(*extra)
    if name == "uuid":
        return lambda st, lookup: _uuid4(st.rng.getrandbits(128))
    if name in ("time", "iso", "date"):
        lo, hi = _time_bounds(args)
        tspan = hi - lo + 1
        if name == "time":
            return lambda st, lookup: st.now + lo + int(st.random() * tspan)
        fmt = _iso if name == "iso" else _date
        return lambda st, lookup: fmt(st.now + lo + int(st.random() * tspan))
    if name == "now":
        return lambda st, lookup: st.now
    if name == "after":
        path = str(args[0])
        alo, ahi = (int(args[1]), int(args[2])) if len(args) > 2 else (0, 2)
        aspan = ahi - alo + 1

        def after(st: State, lookup: Lookup) -> Any:
            base = lookup(path)
            return base + alo + int(st.random() * aspan) if isinstance(base, int) else base

        return after
    if name == "node_id":
        prefix = str(args[0]) if args else "MDQ6"
        n = int(args[1]) if len(args) > 1 else 8
        return lambda st, lookup: prefix + st.b62(n)
    if name in ("words", "sentence"):
        wlo = int(args[0]) if args else (1 if name == "words" else 4)
        whi = int(args[1]) if len(args) > 1 else (3 if name == "words" else 9)
        words = data.pool_list("words")

        nwords = len(words)
        table = _word_table(words, wlo, whi) if name == "words" else None
        if table is not None:
            size = len(table)
            return lambda st, lookup: table[int(st.random() * size)]

        def make_words(st: State, lookup: Lookup) -> Any:
            rnd = st.random
            count = wlo + int(rnd() * (whi - wlo + 1))
            if name == "words" and 0 < count < 3:  # the fallback for free text: most strings
                first = words[int(rnd() * nwords)]
                return first if count == 1 else first + " " + words[int(rnd() * nwords)]
            text = " ".join([words[int(rnd() * nwords)] for _ in range(count)])
            return text[:1].upper() + text[1:] + "." if name == "sentence" else text

        return make_words
    if name == "numerify":
        pattern = str(args[0]) if args else "####"
        slots = pattern.count("#")
        template = pattern.replace("{", "{{").replace("}", "}}").replace("#", "{}")

        def numerify(st: State, lookup: Lookup) -> Any:
            # One draw for all the digits (randrange per digit costs ten times as much).
            digits = f"{st.rng.getrandbits(4 * slots + 8) % 10**slots:0{slots}d}"
            return template.format(*digits)

        return numerify
    if name == "email":
        firsts = data.pool_list("first_names")
        lasts = data.pool_list("last_names")
        domains = data.pool_list("email_domains")

        def email(st: State, lookup: Lookup) -> Any:
            try:
                first, last = str(lookup("first")), str(lookup("last"))
            except KeyError:
                rnd = st.random
                first = firsts[int(rnd() * len(firsts))]
                last = lasts[int(rnd() * len(lasts))]
            return f"{first.lower()}.{last.lower()}@{domains[int(st.random() * len(domains))]}"

        return email
    if name == "omit":
        return lambda st, lookup: OMIT
    if name == "gen":
        made = Gen(str(args[0])) if args else GEN
        return lambda st, lookup: made
    raise ExpressionError(f"unknown maker @{name}; see hookmock.generator's docstring")


def _word_table(words: Sequence[Any], lo: int, hi: int) -> list[str] | None:
    """Every text ``@words(lo, hi)`` can make, each as often as it is drawn (each count alike,
    then each word alike), so that one draw picks one; None when there would be too many
    (the fallback for free text, ``@words(1, 2)``, is most of a payload's strings)."""
    if lo < 0 or hi < lo:
        return None
    n = len(words)
    block = n**hi  # texts of every count fill blocks of one size: a shorter one repeats
    if not n or (hi - lo + 1) * block > 20_000:
        return None
    table: list[str] = []
    for count in range(lo, hi + 1):
        texts = [""] if count == 0 else [str(w) for w in words]
        for _ in range(count - 1):
            texts = [f"{t} {w}" for t in texts for w in words]
        repeat = block // len(texts)
        table.extend(t for t in texts for _ in range(repeat))
    return table


def compile_expr(value: Any, data: Any) -> Expr:
    """Compile one expression of a pools or rules file (see the package docstring)."""
    if isinstance(value, str):
        return _compile_str(value, data)
    if isinstance(value, dict):
        if len(value) == 1 and "@choice" in value:
            return _compile_choice(value["@choice"], data)
        parts = {str(k): compile_expr(v, data) for k, v in value.items()}
        return lambda st, lookup: {k: e(st, lookup) for k, e in parts.items()}
    if isinstance(value, list):
        items = [compile_expr(v, data) for v in value]
        return lambda st, lookup: [e(st, lookup) for e in items]
    return Literal(value)


def _compile_str(text: str, data: Any) -> Expr:
    if text.startswith("\\"):
        return Literal(text[1:])
    if text.startswith("@"):
        m = _CALL.match(text)
        if m is None:
            raise ExpressionError(f"cannot read {text!r}: a maker is @name or @name(args)")
        args = [_arg(a) for a in m.group(2).split(",")] if m.group(2) else []
        return _maker(m.group(1), args, data)
    if text.startswith("="):
        path = text[1:].strip()
        return lambda st, lookup: copy_json(lookup(path))
    if "${" in text:
        return _compile_template(text, data)
    return Literal(text)


def _compile_template(text: str, data: Any) -> Expr:
    whole = _TEMPLATE.fullmatch(text)
    if whole is not None and not whole.group(1).strip().startswith("@"):
        path = whole.group(1).strip()
        return lambda st, lookup: lookup(path)
    # One str.format call per render: literal text (braces escaped) around one getter per ${}.
    fmt: list[str] = []
    getters: list[Expr] = []
    pos = 0
    for m in _TEMPLATE.finditer(text):
        fmt.append(text[pos : m.start()].replace("{", "{{").replace("}", "}}"))
        fmt.append("{}")
        inner = m.group(1).strip()
        getters.append(_compile_str(inner, data) if inner.startswith("@") else _getter(inner))
        pos = m.end()
    fmt.append(text[pos:].replace("{", "{{").replace("}", "}}"))
    form = "".join(fmt).format
    if len(getters) == 1:
        only = getters[0]
        return lambda st, lookup: form(only(st, lookup))

    def render(st: State, lookup: Lookup) -> Any:
        return form(*[g(st, lookup) for g in getters])

    return render


def template_parts(text: Any) -> tuple[str, list[str]] | None:
    """``(format string, paths)`` of a plain template (``${path}`` only, no makers), else None:
    objects render their derived URLs from one lookup per distinct path."""
    if not isinstance(text, str) or text.startswith(("@", "=", "\\")) or "${" not in text:
        return None
    fmt: list[str] = []
    paths: list[str] = []
    pos = 0
    for m in _TEMPLATE.finditer(text):
        inner = m.group(1).strip()
        if inner.startswith("@"):
            return None
        fmt.append(text[pos : m.start()].replace("{", "{{").replace("}", "}}"))
        fmt.append("{}")
        paths.append(inner)
        pos = m.end()
    fmt.append(text[pos:].replace("{", "{{").replace("}", "}}"))
    return "".join(fmt), paths


def _getter(path: str) -> Expr:
    return lambda st, lookup: lookup(path)


def _compile_choice(spec: Any, data: Any) -> Expr:
    if isinstance(spec, dict):
        pairs = [(float(w), compile_expr(v, data)) for v, w in spec.items()]
    elif isinstance(spec, list) and all(isinstance(p, list) and len(p) == 2 for p in spec):
        pairs = [(float(w), compile_expr(v, data)) for w, v in spec]
    else:
        raise ExpressionError(
            f"@choice takes {{value: weight, ...}} or [[weight, value], ...], got {spec!r}"
        )
    weights = [w for w, _ in pairs]
    exprs = [e for _, e in pairs]
    indices = range(len(exprs))
    if len(set(weights)) == 1:
        n = len(exprs)
        return lambda st, lookup: exprs[int(st.random() * n)](st, lookup)

    def choose(st: State, lookup: Lookup) -> Any:
        return exprs[st.rng.choices(indices, weights)[0]](st, lookup)

    return choose
