"""Checks on a compiled tree: valid 2020-12 schemas, resolvable `$ref`s, upstream examples valid."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import referencing
import referencing.exceptions
from referencing.jsonschema import DRAFT202012

from .output import JSON, Tree


def _refs(node: JSON, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield path, value
            elif key not in ("examples", "enum", "const", "default"):
                yield from _refs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _refs(item, f"{path}/{index}")


def registry(tree: Tree) -> referencing.Registry[Any]:
    resources = [
        (doc["$id"], DRAFT202012.create_resource(doc))
        for path, doc in sorted(tree.files.items())
        if path.startswith("schemas/") and isinstance(doc, dict) and "$id" in doc
    ]
    return referencing.Registry().with_resources(resources)


def verify(tree: Tree, examples: dict[str, JSON]) -> list[str]:
    problems: list[str] = []
    reg = registry(tree)
    schemas = {p: d for p, d in tree.files.items() if p.startswith("schemas/")}
    for path, doc in sorted(schemas.items()):
        try:
            jsonschema.Draft202012Validator.check_schema(doc)
        except jsonschema.SchemaError as exc:
            problems.append(f"{path}: not a valid 2020-12 schema: {exc.message}")
            continue
        resolver = reg.resolver(base_uri=doc["$id"])
        for where, ref in _refs(doc):
            try:
                resolver.lookup(ref)
            except referencing.exceptions.Unresolvable as exc:
                problems.append(f"{path}#{where}: $ref {ref} does not resolve ({exc})")
    for name, example in sorted(examples.items()):
        provider, _, type_name = name.partition("/")
        doc = schemas.get(f"schemas/{provider}/{type_name}.json")
        if doc is None:
            problems.append(f"example for {name}: no compiled schema")
            continue
        validator = jsonschema.Draft202012Validator(doc, registry=reg)
        for error in sorted(validator.iter_errors(example), key=lambda e: list(e.absolute_path))[
            :5
        ]:
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"upstream example {name} fails at /{where}: {error.message[:200]}")
    return problems
