"""Shared bits for the GitHub tests: walking payloads and the catalog."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import hookmock

SHA = re.compile(r"^[0-9a-f]{40}$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
ISO_ANY = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
TYPES = hookmock.types("github")


def walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (json-pointer-ish path, value) pair in a payload."""
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}/{i}")


def repositories(payload: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every full repository object (one with an owner and a full_name) in a payload."""
    for path, value in walk(payload):
        if (
            isinstance(value, dict)
            and "full_name" in value
            and isinstance(value.get("owner"), dict)
        ):
            yield path, value
