"""Hand corrections: data files that patch the compiled tree where real payloads differ from the description.

A corrections file (`tools/corrections/<provider>.yaml`) holds a list under `corrections:`. Each
entry has:

- `target`: `<file in the output tree>#<JSON pointer>`, for example
  `schemas/github/defs/repository-webhooks.json#/properties/created_at`;
- one change: `set: <value>` (replace or add the value there), `merge: {..}` (add or replace
  keys of the object there), `remove: true` (delete it) or `unrequire: [names]` (the
  target is an object schema's `required` list, `...#/properties/workflow_job/required`: drop
  those names from it, so the fields stay described but a payload may leave them out; each
  name must be required there now);
- `expect:` (optional) the value the compiled description has there now; when upstream changes
  it, the correction stops applying and the refresh fails, so someone looks again;
- `reason`: why; `evidence`: a URL or a description of the real payload that shows it.

A correction that no longer applies (its target is gone, `expect` no longer matches, or the change
would do nothing because upstream already made it) is an error naming the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .output import JSON, Tree
from .sources import RefreshError

OPS = ("set", "merge", "remove", "unrequire")


@dataclass(frozen=True)
class Correction:
    source: str
    index: int
    file: str
    pointer: list[str]
    op: str
    value: JSON
    expect: JSON
    has_expect: bool
    reason: str
    evidence: str

    @property
    def label(self) -> str:
        return f"{self.source} entry {self.index} ({self.file}#/{'/'.join(self.pointer)})"


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def load(path: Path) -> list[Correction]:
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("corrections") or []
    result: list[Correction] = []
    for index, entry in enumerate(entries, start=1):
        where = f"{path.name} entry {index}"
        if not isinstance(entry, dict):
            raise RefreshError(f"{where}: expected a mapping")
        for key in ("target", "reason", "evidence"):
            if not str(entry.get(key, "")).strip():
                raise RefreshError(f"{where}: `{key}` is required")
        ops = [op for op in OPS if op in entry]
        if len(ops) != 1:
            raise RefreshError(f"{where}: give exactly one of {', '.join(OPS)}")
        file, hash_, pointer = str(entry["target"]).partition("#")
        if not hash_ or not pointer.startswith("/"):
            raise RefreshError(f"{where}: target must look like <file>#/json/pointer")
        result.append(
            Correction(
                source=path.name,
                index=index,
                file=file,
                pointer=[_unescape(t) for t in pointer[1:].split("/")],
                op=ops[0],
                value=entry[ops[0]],
                expect=entry.get("expect"),
                has_expect="expect" in entry,
                reason=str(entry["reason"]).strip(),
                evidence=str(entry["evidence"]).strip(),
            )
        )
    return result


def _step(node: JSON, token: str, correction: Correction) -> JSON:
    if isinstance(node, dict) and token in node:
        return node[token]
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    raise RefreshError(f"correction no longer applies: {correction.label}: /{token} is not there")


def apply(tree: Tree, corrections: list[Correction]) -> None:
    for correction in corrections:
        if correction.file not in tree.files:
            raise RefreshError(
                f"correction no longer applies: {correction.label}: no such compiled file"
            )
        parent: Any = tree.files[correction.file]
        for token in correction.pointer[:-1]:
            parent = _step(parent, token, correction)
        last = correction.pointer[-1]
        exists = (isinstance(parent, dict) and last in parent) or (
            isinstance(parent, list) and last.isdigit() and int(last) < len(parent)
        )
        current = _step(parent, last, correction) if exists else None
        if correction.has_expect and current != correction.expect:
            raise RefreshError(
                f"correction no longer applies: {correction.label}: expected {correction.expect!r}, "
                f"the description now has {current!r}"
            )
        key: Any = int(last) if isinstance(parent, list) else last
        if correction.op == "unrequire":
            _unrequire(parent, key, current, correction)
        elif correction.op == "remove":
            if not exists:
                raise RefreshError(
                    f"correction no longer applies: {correction.label}: nothing to remove"
                )
            del parent[key]
        elif correction.op == "set":
            if exists and current == correction.value:
                raise RefreshError(
                    f"correction no longer applies: {correction.label}: upstream already says this"
                )
            if isinstance(parent, list) and not exists:
                raise RefreshError(
                    f"correction no longer applies: {correction.label}: index out of range"
                )
            parent[key] = correction.value
        else:
            if not isinstance(current, dict) or not isinstance(correction.value, dict):
                raise RefreshError(
                    f"correction no longer applies: {correction.label}: merge needs objects"
                )
            if all(current.get(k) == v for k, v in correction.value.items()):
                raise RefreshError(
                    f"correction no longer applies: {correction.label}: upstream already says this"
                )
            current.update(correction.value)


def _unrequire(parent: Any, key: Any, required: JSON, correction: Correction) -> None:
    names = correction.value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise RefreshError(f"{correction.label}: `unrequire` takes a list of field names")
    if key != "required" or not isinstance(parent, dict) or not isinstance(required, list):
        raise RefreshError(
            f"correction no longer applies: {correction.label}: "
            "`unrequire` targets a schema's `required` list"
        )
    missing = [name for name in names if name not in required]
    if missing:
        raise RefreshError(
            f"correction no longer applies: {correction.label}: {', '.join(missing)} "
            "not required there (upstream already relaxed it, or the object changed)"
        )
    kept = [name for name in required if name not in names]
    if kept:
        parent["required"] = kept
    else:
        del parent["required"]
