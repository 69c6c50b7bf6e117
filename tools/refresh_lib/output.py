"""The compiled tree: relative path -> JSON document, written and compared byte for byte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

JSON = Any
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_BASE = "https://hookmock.invalid/"


class Tree:
    """Files to write under the output folder, plus the folders the refresh owns outright."""

    def __init__(self) -> None:
        self.files: dict[str, JSON] = {}
        self.owned_dirs: set[str] = set()

    def add(self, path: str, document: JSON) -> None:
        if path in self.files:
            raise ValueError(f"two documents compile to {path}")
        self.files[path] = document

    def own(self, directory: str) -> None:
        """Files under `directory` that the refresh did not produce are stale."""
        self.owned_dirs.add(directory.rstrip("/") + "/")


def render(document: JSON) -> bytes:
    """One canonical serialisation, so a rerun over the same pins gives the same bytes."""
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _existing(out: Path, tree: Tree) -> set[str]:
    found: set[str] = set()
    for directory in tree.owned_dirs:
        root = out / directory
        if root.is_dir():
            found.update(p.relative_to(out).as_posix() for p in root.rglob("*") if p.is_file())
    return found


def differences(out: Path, tree: Tree) -> list[str]:
    """Lines naming each file that would change: `changed`, `missing` or `stale`."""
    lines: list[str] = []
    for path in sorted(tree.files):
        target = out / path
        if not target.is_file():
            lines.append(f"missing  {path}")
        elif target.read_bytes() != render(tree.files[path]):
            lines.append(f"changed  {path}")
    for path in sorted(_existing(out, tree) - set(tree.files)):
        lines.append(f"stale    {path}")
    return lines


def write(out: Path, tree: Tree) -> tuple[int, int]:
    """Write changed files and remove stale ones; return (written, removed)."""
    written = 0
    stale = _existing(out, tree) - set(tree.files)
    for path in sorted(tree.files):
        target = out / path
        data = render(tree.files[path])
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    for path in sorted(stale):
        (out / path).unlink()
    return written, len(stale)
