"""Read the npm `stripe` package's declarations: which event carries which object, and which fields
may be left out (`field?: X`) or sent as null (`field: X | null`).

This is a line scanner for the generated `cjs/resources/**/*.d.ts` files, not a TypeScript parser:
it tracks `namespace`/`interface`/`class` blocks and reads one field per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .sources import Archive, RefreshError

RESOURCES = "package/cjs/resources/"
BLOCK = re.compile(
    r"^\s*(?:export\s+)?(?:declare\s+)?(interface|namespace|class)\s+(\w+)\b[^{]*\{\s*$"
)
FIELD = re.compile(r"^\s*(\w+)(\?)?:\s*(.*)$")
TYPE_ALIAS = re.compile(r"^\s*(?:export\s+)?type\s+(\w+)\s*=\s*(.*);\s*$")
EVENT = re.compile(
    r"(?:/\*\*(?P<doc>(?:(?!\*/).)*?)\*/\s*)?export interface (?P<name>\w+) extends EventBase \{\s*"
    r"type: '(?P<type>[^']+)';",
    re.S,
)
EVENT_DATA = re.compile(
    r"export declare namespace (?P<name>\w+) \{\s*interface Data extends Event\.Data \{(?P<body>.*?)\n    \}",
    re.S,
)


@dataclass(frozen=True)
class TsField:
    optional: bool
    nullable: bool
    type: str


@dataclass
class TsInterface:
    name: str
    fields: dict[str, TsField] = field(default_factory=dict)


@dataclass(frozen=True)
class TsEvent:
    type: str
    object_type: str
    previous_attributes: bool
    description: str


def _top_level_union(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current = ""
    for char in text:
        if char in "<({[":
            depth += 1
        elif char in ">)}]":
            depth -= 1
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [p for p in parts if p]


def _balance(text: str) -> int:
    return text.count("{") + text.count("<") - text.count("}") - text.count(">") + text.count("=>")


class TsIndex:
    """Interfaces by qualified name (`Issuing.Authorization.AmountDetails`) and type aliases."""

    def __init__(self) -> None:
        self.interfaces: dict[str, TsInterface] = {}
        self.aliases: dict[str, str] = {}
        self.by_object: dict[str, list[str]] = {}

    def parse_file(self, prefix: list[str], text: str) -> None:
        stack: list[tuple[str, str]] = []
        pending_type = ""
        depth = 0
        skip = 0
        in_comment = False
        for raw in text.splitlines():
            line = raw.strip()
            if in_comment:
                in_comment = "*/" not in line
                continue
            if line.startswith("/*"):
                in_comment = "*/" not in line
                continue
            if not line or line.startswith(("//", "import ")):
                continue
            if skip > 0:
                skip += _balance(line)
                continue
            if depth > 0:
                pending_type += " " + line
                depth += _balance(line)
                if depth <= 0:
                    self._field_done(stack, prefix, pending_type)
                    depth = 0
                continue
            block = BLOCK.match(raw)
            if block:
                stack.append((block.group(1), block.group(2)))
                if block.group(1) == "interface":
                    self.interfaces.setdefault(
                        self._qualified(prefix, stack), TsInterface(block.group(2))
                    )
                continue
            if line == "}" or line == "};":
                if stack:
                    stack.pop()
                continue
            if re.match(r"^(?:export\s+)?(?:declare\s+)?type\s", line) and _balance(line) > 0:
                skip = _balance(line)
                continue
            alias = TYPE_ALIAS.match(raw)
            if alias:
                qual = self._qualified(prefix, [*stack, ("type", alias.group(1))])
                self.aliases[qual] = alias.group(2)
                continue
            if stack and stack[-1][0] == "interface":
                match = FIELD.match(raw)
                if match:
                    pending_type = raw
                    depth = _balance(match.group(3))
                    if depth <= 0:
                        depth = 0
                        self._field_done(stack, prefix, pending_type)

    @staticmethod
    def _qualified(prefix: list[str], stack: list[tuple[str, str]]) -> str:
        return ".".join(prefix + [name for kind, name in stack if kind != "class"])

    def _field_done(self, stack: list[tuple[str, str]], prefix: list[str], text: str) -> None:
        match = FIELD.match(text)
        if match is None:
            return
        name, question, type_text = match.groups()
        type_text = type_text.strip().rstrip(";").strip()
        qual = self._qualified(prefix, stack)
        members = _top_level_union(type_text)
        iface = self.interfaces[qual]
        iface.fields[name] = TsField(
            optional=bool(question), nullable="null" in members, type=type_text
        )
        if name == "object" and len(stack) == 1:
            literal = re.fullmatch(r"'([^']+)'", type_text)
            if literal:
                self.by_object.setdefault(literal.group(1), []).append(qual)


def load(archive: Archive) -> TsIndex:
    index = TsIndex()
    for member in archive.names(RESOURCES, ".d.ts"):
        relative = member[len(RESOURCES) :]
        prefix = relative.split("/")[:-1]
        index.parse_file(prefix, archive.text(member))
    index.parse_file([], archive.text("package/cjs/shared.d.ts"))
    if not index.interfaces:
        raise RefreshError(f"{archive.name} has no declarations under {RESOURCES}")
    return index


def api_version(archive: Archive) -> str:
    match = re.search(r"ApiVersion = '([^']+)'", archive.text("package/cjs/apiVersion.js"))
    if not match:
        raise RefreshError(f"{archive.name}: cannot read apiVersion.js")
    return match.group(1)


def events(archive: Archive) -> dict[str, TsEvent]:
    text = archive.text(RESOURCES + "Events.d.ts")
    names: dict[str, tuple[str, str]] = {}
    for match in EVENT.finditer(text):
        doc = " ".join(
            line.strip().lstrip("*").strip() for line in (match.group("doc") or "").splitlines()
        ).strip()
        names[match.group("name")] = (match.group("type"), doc)
    result: dict[str, TsEvent] = {}
    for match in EVENT_DATA.finditer(text):
        name = match.group("name")
        if name not in names:
            continue
        body = match.group("body")
        obj = re.search(r"^\s*object: ([^;]+);", body, re.M)
        if obj is None:
            raise RefreshError(f"Events.d.ts: {name}.Data has no object field")
        type_name, doc = names[name]
        result[type_name] = TsEvent(
            type=type_name,
            object_type=obj.group(1).strip(),
            previous_attributes=re.search(r"^\s*previous_attributes\??:", body, re.M) is not None,
            description=doc,
        )
    missing = sorted({t for t, _ in names.values()} - set(result))
    if missing:
        raise RefreshError(f"Events.d.ts: no Data declaration for {', '.join(missing[:5])}")
    return result
