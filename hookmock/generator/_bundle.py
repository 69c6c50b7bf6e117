"""A generator over one provider's data: every schema of ``schemas/<name>/`` with the
``pools.yaml`` and ``rules.yaml`` of ``fixtures/<name>/`` (each optional), from its data package.

The built-in providers and third-party ones make theirs the same way
(``hookmock.authoring.provider_generator``), so none walks a schema folder by hand.
"""

from __future__ import annotations

import json
from typing import Any

from .._resources import data_dir, walk_files
from . import SchemaGenerator
from ._data import GeneratorData, read_text
from ._schemas import BASE_URI, registry_of


def provider_generator(data_package: str, name: str) -> SchemaGenerator:
    """One generator over every schema of provider ``name`` in ``data_package`` (``""``: hookmock's
    own data), steered by that provider's pools and rules files where they exist."""
    docs: dict[str, dict[str, Any]] = {}
    for rel, path in walk_files(data_dir(data_package, "schemas", name), ".json"):
        with path.open("rb") as fh:
            doc = json.load(fh)
        if isinstance(doc, dict):
            # Without an ``$id``, a schema is named by its place, as validation names it.
            uri = doc.get("$id")
            docs[uri if isinstance(uri, str) else f"{BASE_URI}{name}/{rel}"] = doc
    fixtures = data_dir(data_package, "fixtures", name)
    parts: list[dict[str, Any] | None] = []
    for kind in ("pools", "rules"):
        found = [fixtures / f"{kind}.{ext}" for ext in ("yaml", "yml", "json")]
        file = next((f for f in found if f.is_file()), None)
        parts.append(read_text(file.read_text(encoding="utf-8"), file.name) if file else None)
    return SchemaGenerator(registry_of(docs), GeneratorData(parts[0], parts[1]))
