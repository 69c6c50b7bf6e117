"""Schema documents for the generator: load a folder of JSON Schemas into a ``referencing`` registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

#: The base every hookmock schema's ``$id`` starts with (``schemas/<provider>/<type>.json``).
BASE_URI = "https://hookmock.invalid/schemas/"


def load_folder(root: Path, *, base: str = BASE_URI) -> dict[str, dict[str, Any]]:
    """Every ``*.json`` under ``root`` (a ``schemas/`` folder) by its ``$id``.

    A document without ``$id`` gets ``base`` + its path below ``root``, as hookmock's validation
    names them.
    """
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(root.rglob("*.json")):
        with path.open("rb") as fh:
            doc = json.load(fh)
        if isinstance(doc, dict):
            docs[doc.get("$id") or base + path.relative_to(root).as_posix()] = doc
    return docs


def registry_of(docs: dict[str, dict[str, Any]]) -> Registry[Any]:
    """A registry holding ``docs`` (uri -> schema), read as JSON Schema 2020-12."""
    resources: list[tuple[str, Resource[Any]]] = [
        (uri, DRAFT202012.create_resource(doc)) for uri, doc in docs.items()
    ]
    return Registry().with_resources(resources)
