"""GitHub: relax the compiled schemas to accept every payload GitHub documented (`@octokit/webhooks-examples`).

The webhook description requires what api.github.com sends today; GitHub adds fields over the
years, so a payload documented (or captured) a few years ago lacks some of them. The npm package
`@octokit/webhooks-examples` collects the payloads GitHub documented, for api.github.com and for
several GHES releases (`<folder>/index.json`: a list of `{name, actions, examples}` per event).

Each example is walked against the compiled schema of its type (the event from the entry's
`name`, the action from the payload). Wherever an object lacks a property that the schema it
meets there requires (a `defs/` file or an inline object schema, in `allOf`, the best-fitting
`oneOf`/`anyOf` branch or an `if`'s `then`), that name is dropped from that schema's `required`
and listed in its `x-hookmock-relaxed` keyword with the examples that lack it:

    "x-hookmock-relaxed": {"required": ["disabled"], "missing_in": {"disabled": ["ghes-34/issues[2]"]}}

An example is named `<folder>/<event>[<index>]`: entry `<event>` of `<folder>/index.json` in the
pinned package, its `examples[<index>]`. The field stays described (its type is still checked when
present), and the generator reads `x-hookmock-relaxed.required` to keep emitting it, so generated
payloads stay as complete as the description. Values of a type, enum, const or pattern the schema
does not allow are not widened: they are returned as findings for a person to judge (and, when
real, to correct in tools/corrections/github.yaml with evidence).
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from .output import JSON, Tree
from .sources import Archive, Pin, RefreshError

SCHEMA_DIR = "schemas/github"
KEYWORD = "x-hookmock-relaxed"
#: Past this many mismatches a branch counts as not fitting at all (keeps scoring cheap).
_FAR = 1_000_000


@dataclass(frozen=True)
class Mismatch:
    """A value the schema does not allow, found in a documented example."""

    example: str
    pointer: str  # where in the payload
    schema: str  # file#pointer of the schema that refuses it
    keyword: str  # type, enum, const or pattern
    expected: JSON
    found: JSON

    def __str__(self) -> str:
        shown = json.dumps(self.found)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return (
            f"{self.example} {self.pointer or '/'}: {self.keyword} {json.dumps(self.expected)} "
            f"does not allow {shown} ({self.schema})"
        )


@dataclass
class Report:
    """What the walk found: the relaxations it made, the mismatches it left, the examples it skipped."""

    examples: int = 0
    relaxed: dict[tuple[str, str], dict[str, set[str]]] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        fields = sum(len(names) for names in self.relaxed.values())
        lines = [
            f"github examples: {self.examples} walked, {fields} required fields relaxed in "
            f"{len(self.relaxed)} schemas, {len(self.mismatches)} value mismatches left, "
            f"{len(self.skipped)} skipped"
        ]
        lines += [f"github example skipped: {line}" for line in self.skipped]
        lines += [f"github example mismatch: {m}" for m in self.mismatches]
        return lines


@dataclass(frozen=True)
class Example:
    label: str
    type: str
    payload: JSON


def load_examples(archive: Archive, types: dict[str, Any]) -> tuple[list[Example], list[str]]:
    """The package's examples with the catalog type each belongs to, and those with no type."""
    found: list[Example] = []
    skipped: list[str] = []
    indexes = list(archive.names("package/", "/index.json"))
    if not indexes:
        raise RefreshError(f"{archive.name} has no <folder>/index.json of examples")
    for member in indexes:
        folder = member[len("package/") : -len("/index.json")]
        entries = json.loads(archive.read(member))
        if not isinstance(entries, list):
            raise RefreshError(f"{archive.name}:{member} is not a list of event entries")
        for entry in entries:
            event = str(entry["name"])
            for index, payload in enumerate(entry.get("examples") or []):
                label = f"{folder}/{event}[{index}]"
                action = payload.get("action") if isinstance(payload, dict) else None
                name = f"{event}.{action}" if isinstance(action, str) else event
                if name not in types and event in types:
                    name = event  # an event without actions, or repository_dispatch's free one
                only = [t for t in types if t.startswith(f"{event}.")]
                if action is None and len(only) == 1:
                    # GHES 3.1-3.5 sent deployment(_status) without an action; as hookmock's
                    # detection does, an event with a single action can only be that one.
                    name = only[0]
                if name not in types:
                    skipped.append(f"{label}: no compiled type {name}")
                    continue
                found.append(Example(label, name, payload))
    return found, skipped


def _json_type(value: JSON) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_ok(value: JSON, allowed: JSON) -> bool:
    names = [allowed] if isinstance(allowed, str) else list(allowed)
    actual = _json_type(value)
    if actual in names:
        return True
    if actual == "integer" and "number" in names:
        return True
    return actual == "number" and "integer" in names and float(value).is_integer()


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class _Walker:
    """Walk one payload against the tree's schemas, following relative `$ref`s between files.

    With `record` off it only counts what does not fit (to pick a `oneOf` branch or test an
    `if`); with it on it notes missing required names and value mismatches.
    """

    def __init__(self, tree: Tree, report: Report, example: str) -> None:
        self.tree = tree
        self.report = report
        self.example = example

    def resolve(self, file: str, ref: str) -> tuple[str, str, JSON]:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(file), ref))
        if "#" in ref or target not in self.tree.files:
            raise RefreshError(f"{file}: cannot follow $ref {ref!r} while walking the examples")
        return target, "", self.tree.files[target]

    def walk(self, file: str, where: str, node: JSON, value: JSON, at: str, record: bool) -> int:
        """The number of things in `value` that `node` does not allow (0: it fits)."""
        if not isinstance(node, dict):
            return 0
        bad = 0
        if "$ref" in node:
            rfile, rwhere, rnode = self.resolve(file, node["$ref"])
            bad += self.walk(rfile, rwhere, rnode, value, at, record)
        if "type" in node and not _type_ok(value, node["type"]):
            self._mismatch(record, file, where, at, "type", node["type"], value)
            return bad + _FAR
        if "const" in node and value != node["const"]:
            self._mismatch(record, file, where, at, "const", node["const"], value)
            return bad + _FAR
        if "enum" in node and value not in node["enum"]:
            # Unlike a type, an unknown enum value is a small miss: GitHub's enums grow.
            self._mismatch(record, file, where, at, "enum", node["enum"], value)
            bad += 1
        if isinstance(value, str) and "pattern" in node and not re.search(node["pattern"], value):
            self._mismatch(record, file, where, at, "pattern", node["pattern"], value)
            bad += 1
        for i, sub in enumerate(node.get("allOf") or []):
            bad += self.walk(file, f"{where}/allOf/{i}", sub, value, at, record)
        for key in ("oneOf", "anyOf"):
            if key in node:
                bad += self._branch(file, f"{where}/{key}", node[key], value, at, record)
        if "if" in node:
            fits = self.walk(file, f"{where}/if", node["if"], value, at, False) == 0
            branch = "then" if fits else "else"
            if branch in node:
                bad += self.walk(file, f"{where}/{branch}", node[branch], value, at, record)
        if isinstance(value, dict):
            bad += self._object(file, where, node, value, at, record)
        elif isinstance(value, list) and isinstance(node.get("items"), dict):
            for i, item in enumerate(value):
                bad += self.walk(file, f"{where}/items", node["items"], item, f"{at}/{i}", record)
        return bad

    def _object(
        self,
        file: str,
        where: str,
        node: dict[str, Any],
        value: dict[str, Any],
        at: str,
        record: bool,
    ) -> int:
        bad = 0
        missing = [name for name in node.get("required") or () if name not in value]
        if missing:
            bad += len(missing)
            if record:
                names = self.report.relaxed.setdefault((file, where), {})
                for name in missing:
                    names.setdefault(name, set()).add(self.example)
        props = node.get("properties") or {}
        extra = node.get("additionalProperties")
        for key in sorted(value):
            if key in props:
                sub, sub_where = props[key], f"{where}/properties/{_escape(key)}"
            elif isinstance(extra, dict):
                sub, sub_where = extra, f"{where}/additionalProperties"
            else:
                if extra is False:
                    self._mismatch(
                        record,
                        file,
                        where,
                        f"{at}/{_escape(key)}",
                        "additionalProperties",
                        False,
                        value[key],
                    )
                    bad += 1
                continue
            bad += self.walk(file, sub_where, sub, value[key], f"{at}/{_escape(key)}", record)
        return bad

    def _branch(
        self, file: str, where: str, branches: list[JSON], value: JSON, at: str, record: bool
    ) -> int:
        """Walk the branch that fits best: the fewest misses, then the most of the value's keys
        described, then the first."""
        scores = [
            self.walk(file, f"{where}/{i}", branch, value, at, False)
            for i, branch in enumerate(branches)
        ]
        keys = set(value) if isinstance(value, dict) else set()
        described = [len(keys & self._names(file, branch)) for branch in branches]
        best = min(range(len(branches)), key=lambda i: (scores[i], -described[i], i))
        if scores[best] and record:
            self.walk(file, f"{where}/{best}", branches[best], value, at, True)
        return scores[best]

    def _names(self, file: str, node: JSON) -> set[str]:
        """The property names `node` describes, through `$ref` and `allOf`."""
        if not isinstance(node, dict):
            return set()
        names = set(node.get("properties") or ())
        if "$ref" in node:
            rfile, _, rnode = self.resolve(file, node["$ref"])
            names |= self._names(rfile, rnode)
        for sub in node.get("allOf") or []:
            names |= self._names(file, sub)
        return names

    def _mismatch(
        self,
        record: bool,
        file: str,
        where: str,
        at: str,
        keyword: str,
        expected: JSON,
        found: JSON,
    ) -> None:
        if record:
            self.report.mismatches.append(
                Mismatch(self.example, at, f"{file}#{where}", keyword, expected, found)
            )


def _node(tree: Tree, file: str, where: str) -> dict[str, Any]:
    node: Any = tree.files[file]
    for token in where.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    if not isinstance(node, dict):
        raise RefreshError(f"{file}#{where} is not a schema object")
    return node


def relax(tree: Tree, archive: Archive, pin: Pin, types: dict[str, Any]) -> Report:
    """Walk every documented example and drop from `required` what any of them lacks."""
    report = Report()
    examples, report.skipped = load_examples(archive, types)
    report.examples = len(examples)
    for example in examples:
        schema = f"{SCHEMA_DIR}/{types[example.type]['schema'].partition('/')[2]}"
        walker = _Walker(tree, report, example.label)
        walker.walk(schema, "", tree.files[schema], example.payload, "", True)
    source = f"{pin.package} {pin.version}"
    for (file, where), names in sorted(report.relaxed.items()):
        node = _node(tree, file, where)
        node["required"] = [name for name in node["required"] if name not in names]
        if not node["required"]:
            del node["required"]
        # Merged: a correction may have put an `enum` there (older values it accepts).
        node.setdefault(KEYWORD, {}).update(
            {
                "required": sorted(names),
                "missing_in": {
                    name: sorted(labels, key=_label_key) for name, labels in sorted(names.items())
                },
                "source": source,
                "$comment": (
                    "Required by the description, but missing from these payloads GitHub documented "
                    "(<folder>/<event>[<index>] of the source package), so not required here; "
                    "generated payloads still include them."
                ),
            }
        )
    report.mismatches.sort(key=lambda m: (_label_key(m.example), m.pointer, m.keyword))
    return report


def _label_key(label: str) -> tuple[str, str, int]:
    head, _, index = label.rpartition("[")
    folder, _, event = head.partition("/")
    return folder, event, int(index.rstrip("]"))
