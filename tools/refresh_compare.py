"""Compare a compiled refresh in build/refresh with the committed schemas and today's events.

    python tools/refresh.py --out build/refresh      # compile a bumped pin aside
    python tools/refresh_compare.py [--out build/refresh] [--seeds 10] [--provider github]

A review aid for a pin bump (it was written to wire the first compiled output into hookmock). It
prints, per provider:
1. events hookmock generates today that fail the newly compiled schema, grouped by field and
   message;
2. structural differences between the committed schemas in schemas/ and the newly compiled
   ones (fields only one side declares, differing types, differing required), grouped by field
   across event types;
3. for GitHub, the upstream examples checked against the committed schemas.
It imports hookmock from the working tree and only reads.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

REPO = Path(__file__).resolve().parent.parent
MAX_DEPTH = 4


def load_registry(root: Path) -> referencing.Registry[Any]:
    resources = []
    for path in sorted(root.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and "$id" in doc:
            resources.append((doc["$id"], DRAFT202012.create_resource(doc)))
    return referencing.Registry().with_resources(resources)


def _types(node: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    kind = node.get("type")
    if isinstance(kind, str):
        found.add(kind)
    elif isinstance(kind, list):
        found.update(str(k) for k in kind)
    values = list(node.get("enum", [])) + ([node["const"]] if "const" in node else [])
    for value in values:
        found.add(
            "null"
            if value is None
            else "boolean"
            if isinstance(value, bool)
            else "integer"
            if isinstance(value, int)
            else "number"
            if isinstance(value, float)
            else "string"
            if isinstance(value, str)
            else "object"
        )
    return found


Flat = dict[str, dict[str, Any]]


def flatten(node: Any, resolver: Any, path: str, depth: int, out: Flat, required: bool) -> None:
    """Record `path -> {types, required}` for every property reachable within MAX_DEPTH."""
    if not isinstance(node, dict):
        return
    if "$ref" in node:
        resolved = resolver.lookup(node["$ref"])
        flatten(resolved.contents, resolved.resolver, path, depth, out, required)
    slot = out.setdefault(path, {"types": set(), "required": False})
    slot["types"] |= _types(node)
    slot["required"] = slot["required"] or required
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in node.get(key, []):
            flatten(branch, resolver, path, depth, out, required and key == "allOf")
    if "items" in node:
        flatten(node["items"], resolver, f"{path}[]", depth, out, False)
    if depth >= MAX_DEPTH:
        return
    needed = set(node.get("required", []))
    for name, sub in node.get("properties", {}).items():
        flatten(sub, resolver, f"{path}.{name}" if path else name, depth + 1, out, name in needed)


def flat_schema(registry: referencing.Registry[Any], uri: str) -> Flat:
    resolver = registry.resolver()
    resolved = resolver.lookup(uri)
    out: Flat = {}
    flatten(resolved.contents, resolved.resolver, "", 0, out, True)
    for slot in out.values():
        if slot["types"] == set():
            slot["types"] = {"any"}
    return out


def _norm(types: set[str]) -> set[str]:
    found = set(types) - {"any"}
    if "integer" in found and "number" in found:
        found.discard("integer")
    return found


def structural(hand: Flat, compiled: Flat) -> Iterator[tuple[str, str]]:
    for path in sorted(set(hand) | set(compiled)):
        if path == "":
            continue
        parent = path.rsplit(".", 1)[0] if "." in path else ""
        if path not in compiled:
            if parent in compiled:
                yield path, "only the hand schema declares it"
            continue
        if path not in hand:
            if parent in hand and compiled[path]["required"]:
                yield path, "compiled requires it; the hand schema does not declare it"
            continue
        h, c = _norm(hand[path]["types"]), _norm(compiled[path]["types"])
        if h and c and h != c:
            yield path, f"type hand {sorted(h)} vs compiled {sorted(c)}"
        if hand[path]["required"] != compiled[path]["required"]:
            side = "compiled" if compiled[path]["required"] else "hand"
            yield path, f"only {side} requires it"


def _leaf(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """The most specific error under an anyOf/oneOf, skipping the `null` alternative."""
    while error.context:
        useful = [e for e in error.context if e.validator_value not in ("null", ["null"])]
        error = jsonschema.exceptions.best_match(useful or error.context) or error.context[0]
    return error


def _message(text: str) -> str:
    text = re.sub(
        r"^.*? is not (of type|one of|valid under|a |an )", r"value is not \1", text, flags=re.S
    )
    text = re.sub(
        r"^.*? (is too (long|short)|does not match|should not be valid)",
        r"value \1",
        text,
        flags=re.S,
    )
    return text[:120]


def real_shapes() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(test, provider, type, payload) for every payload tests/test_real_shapes.py accepts."""
    import importlib.util

    path = REPO / "tests" / "test_real_shapes.py"
    spec = importlib.util.spec_from_file_location("_real_shapes", path)
    if spec is None or spec.loader is None:
        return []
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: list[tuple[str, str, str, dict[str, Any]]] = []
    current = [""]

    def collect(payload: dict[str, Any], type_: str, provider: str = "github") -> None:
        found.append((current[0], provider, type_, copy.deepcopy(payload)))

    setattr(module, "_ok", collect)  # noqa: B010 - replace the helper in the loaded module
    for name in sorted(dir(module)):
        func = getattr(module, name)
        if name.startswith("test_") and callable(func) and func.__code__.co_argcount == 0:
            current[0] = name
            try:
                func()
            except Exception:  # other assertions in the test do not matter here
                continue
    return found


def _generalise(path: str) -> str:
    return re.sub(r"\.\d+(?=\.|$)", "[]", path)


def compare(provider: str, out: Path, seeds: int) -> None:
    import hookmock

    compiled_root = out / "schemas" / provider
    hand_root = REPO / "schemas" / provider
    compiled = load_registry(out / "schemas")
    hand = load_registry(REPO / "schemas")
    base = "https://hookmock.invalid/schemas"
    payload_errors: dict[tuple[str, str], set[str]] = defaultdict(set)
    shape: dict[tuple[str, str], set[str]] = defaultdict(set)
    missing: list[str] = []
    types = hookmock.types(provider)
    for type_name in types:
        if not (compiled_root / f"{type_name}.json").exists():
            missing.append(type_name)
            continue
        uri = f"{base}/{provider}/{type_name}.json"
        validator = jsonschema.Draft202012Validator(compiled.contents(uri), registry=compiled)
        for seed in range(seeds):
            payload = hookmock.event(provider, type_name, seed=seed).payload
            for error in validator.iter_errors(payload):
                best = _leaf(error)
                where = _generalise(".".join(str(p) for p in best.absolute_path))
                message = _message(best.message)
                payload_errors[(where, message)].add(type_name)
        if (hand_root / f"{type_name}.json").exists():
            for path, what in structural(flat_schema(hand, uri), flat_schema(compiled, uri)):
                shape[(path, what)].add(type_name)

    print(f"## {provider}: {len(types)} hookmock types, {len(missing)} without a compiled schema")
    if missing:
        print("   no compiled schema:", ", ".join(missing))
    print(f"### hookmock events failing the compiled schemas ({seeds} seeds per type)")
    for (where, message), names in sorted(
        payload_errors.items(), key=lambda kv: (-len(kv[1]), kv[0])
    ):
        print(
            f"- {where or '(root)'}: {message}  [{len(names)} types: {', '.join(sorted(names)[:4])}]"
        )
    print("### hand-made vs compiled schemas (fields up to depth 4)")
    grouped: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    examples: dict[tuple[str, str, int], list[str]] = {}
    for (path, what), names in shape.items():
        parent, _, leaf = path.rpartition(".")
        key = (parent, re.sub(r"type hand .*", "differing type", what), len(names))
        grouped[key].append(leaf if "type" not in what else f"{leaf} ({what[5:]})")
        examples[key] = sorted(names)[:3]
    for key, leaves in sorted(grouped.items(), key=lambda kv: (-kv[0][2], kv[0])):
        parent, what, count = key
        print(
            f"- {parent or '(root)'}: {what}: {', '.join(sorted(leaves))}  [{count} types: {', '.join(examples[key])}]"
        )
    print("### real shapes (tests/test_real_shapes.py) against the compiled schemas")
    for test, prov, type_name, payload in real_shapes():
        if prov != provider:
            continue
        uri = f"{base}/{provider}/{type_name}.json"
        try:
            schema = compiled.contents(uri)
        except Exception:
            print(f"- {test} {type_name}: no compiled schema")
            continue
        validator = jsonschema.Draft202012Validator(schema, registry=compiled)
        errors = list(validator.iter_errors(payload))
        for error in errors[:6]:
            best = _leaf(error)
            where = ".".join(str(p) for p in best.absolute_path)
            print(f"- {test} {type_name}: {where}: {_message(best.message)}")
    if provider == "github":
        catalog = json.loads((out / "fixtures/github/webhooks.json").read_text(encoding="utf-8"))
        document = _octokit_examples()
        print("### upstream examples against the hand-made schemas")
        for name, example in sorted(document.items()):
            if not (hand_root / f"{name}.json").exists():
                print(f"- {name}: hookmock has no schema")
                continue
            validator = jsonschema.Draft202012Validator(
                hand.contents(f"{base}/github/{name}.json"), registry=hand
            )
            errors = sorted(validator.iter_errors(example), key=lambda e: list(e.absolute_path))
            for error in errors[:8]:
                where = ".".join(str(p) for p in error.absolute_path)
                print(f"- {name}: {where}: {error.message[:120]}")
            if not errors:
                print(f"- {name}: valid")
        del catalog


def _octokit_examples() -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from refresh_lib import github, sources

    pins = sources.load_pins(REPO / "tools" / "pins.toml")
    archive = sources.open_pin(pins["github"], REPO / ".cache" / "refresh", offline=True)
    from refresh_lib.output import Tree

    return github.compile_github(github.load(archive, pins["github"]), pins["github"], Tree())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=REPO / "build" / "refresh")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--provider", choices=["github", "stripe"], action="append")
    args = parser.parse_args(argv)
    for provider in args.provider or ["github", "stripe"]:
        compare(provider, args.out, args.seeds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
