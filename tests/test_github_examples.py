"""GitHub's documented payloads (`@octokit/webhooks-examples`) validate; generation stays complete.

The refresh drops from `required` what a documented payload lacks and names it under
`x-hookmock-relaxed` (tools/refresh_lib/github_examples.py). The package is read from the
download cache (`.cache/refresh/`, filled by `python tools/refresh.py`, as `.ci/run` does before
the tests); without it the tests that need it skip and say so.
"""

from __future__ import annotations

import copy
import io
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from _helpers_cli import cli
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

import hookmock
from hookmock._validation import violations

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

from refresh_lib import github_examples, output, sources  # noqa: E402  (tools/ is not a package)

PIN = sources.load_pins(TOOLS / "pins.toml")["github-examples"]
CACHED = ROOT / ".cache" / "refresh" / PIN.file
RELAXED = github_examples.KEYWORD
#: Documented events GitHub no longer sends and hookmock has no schema for.
RETIRED = {"content_reference"}

needs_examples = pytest.mark.skipif(
    not CACHED.exists(),
    reason=f"{CACHED.relative_to(ROOT)} is missing: run `python tools/refresh.py` once to fetch "
    f"{PIN.package} {PIN.version}",
)


def _documented() -> list[tuple[str, str, dict[str, Any]]]:
    """(label, event, payload) of every example in the pinned package."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    with tarfile.open(CACHED) as tf:
        for member in sorted(tf.getmembers(), key=lambda m: m.name):
            if not member.name.endswith("/index.json"):
                continue
            folder = member.name.split("/")[1]
            handle = tf.extractfile(member)
            assert handle is not None
            for entry in json.load(handle):
                for i, payload in enumerate(entry["examples"]):
                    found.append((f"{folder}/{entry['name']}[{i}]", entry["name"], payload))
    return found


@needs_examples
def test_every_documented_payload_validates_with_hookmock_validate(tmp_path: Path) -> None:
    examples = _documented()
    # One .ndjson per folder, each line an envelope naming the event as GitHub's header does.
    labels: dict[tuple[str, int], str] = {}
    for folder in sorted({label.partition("/")[0] for label, _, _ in examples}):
        lines = []
        for label, event, payload in examples:
            if label.startswith(folder + "/"):
                labels[(str(tmp_path / f"{folder}.ndjson"), len(lines) + 1)] = label
                lines.append(json.dumps({"headers": {"X-GitHub-Event": event}, "payload": payload}))
        (tmp_path / f"{folder}.ndjson").write_text("\n".join(lines) + "\n")
    run = cli("validate", str(tmp_path), "--format", "json")
    report = json.loads(run.out)
    bad = [
        f"{labels.get((r['file'], r['line']), r['file'])}: {r['status']} {r['errors'][:2]}"
        for r in report["results"]
        if r["status"] not in ("valid", "skipped")
    ]
    assert bad == [], "\n".join(bad)
    assert run.code == 0, run
    skipped = {r["type"] for r in report["results"] if r["status"] == "skipped"}
    assert skipped == RETIRED
    assert report["summary"]["events"] == len(examples) > 700
    assert report["summary"]["valid"] >= len(examples) - 3


def _schemas() -> dict[str, Any]:
    return {
        str(p.relative_to(ROOT / "schemas")): json.loads(p.read_text())
        for p in sorted((ROOT / "schemas" / "github").rglob("*.json"))
    }


def test_a_relaxed_schema_names_the_fields_and_the_documented_payloads_that_lack_them() -> None:
    repo = json.loads((ROOT / "schemas/github/defs/repository-webhooks.json").read_text())
    relaxed = repo[RELAXED]
    assert "disabled" in relaxed["required"]
    assert "disabled" not in repo["required"]
    assert "disabled" in repo["properties"]  # still described
    assert relaxed["source"] == f"{PIN.package} {PIN.version}"
    lacking = relaxed["missing_in"]["disabled"]
    assert lacking == sorted(lacking, key=github_examples._label_key)
    assert any(label.startswith("ghes-3") for label in lacking)
    # Every relaxation names at least one example for each field it relaxes, and only those.
    found = 0
    for name, doc in _schemas().items():
        for node in _nodes(doc):
            if RELAXED in node and "required" in node[RELAXED]:
                found += 1
                entry = node[RELAXED]
                assert sorted(entry["missing_in"]) == entry["required"], name
                assert all(entry["missing_in"].values()), name
                assert not set(entry["required"]) & set(node.get("required", [])), name
    assert found > 50


def _nodes(node: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if isinstance(node, dict):
        out.append(node)
        for value in node.values():
            out.extend(_nodes(value))
    elif isinstance(node, list):
        for item in node:
            out.extend(_nodes(item))
    return out


def test_a_relaxed_field_is_still_type_checked_when_present() -> None:
    payload = hookmock.github.event("push", seed=3).payload
    assert violations(payload, "github", "push") == []
    del payload["repository"]["has_discussions"]
    assert violations(payload, "github", "push") == []
    payload["repository"]["has_discussions"] = "yes"
    assert {v.pointer for v in violations(payload, "github", "push")} == {
        "/repository/has_discussions"
    }


def _strict(node: Any) -> Any:
    """`node` with the relaxed names required again: the description's own required lists."""
    if isinstance(node, dict):
        out = {k: _strict(v) for k, v in node.items() if k != RELAXED}
        names = (node.get(RELAXED) or {}).get("required")
        if names:
            out["required"] = [*out.get("required", []), *names]
        return out
    if isinstance(node, list):
        return [_strict(item) for item in node]
    return node


def test_generated_events_still_carry_every_field_the_description_requires() -> None:
    # Validation accepts history, generation follows the description: against the schemas with
    # the relaxed names required again, no generated event lacks one.
    docs = {name: _strict(doc) for name, doc in _schemas().items()}
    registry: Registry[Any] = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc)) for doc in docs.values()
    )
    catalog = json.loads((ROOT / "fixtures/github/webhooks.json").read_text())
    missing = []
    for type_, entry in sorted(catalog["types"].items()):
        validator = Draft202012Validator(docs[entry["schema"]], registry=registry)
        for seed in (0, 1):
            payload = hookmock.github.event(type_, seed=seed).payload
            missing += [
                f"{type_} seed {seed} /{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in validator.iter_errors(payload)
                if e.validator == "required"
            ]
    assert missing == [], "\n".join(missing[:20])


# -- the walk itself, on a small tree ------------------------------------------------------------


def _archive(tmp_path: Path, entries: list[dict[str, Any]]) -> sources.Archive:
    data = json.dumps(entries).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tf:
        info = tarfile.TarInfo("package/ghes-31/index.json")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    return sources.Archive("examples.tgz", buffer.getvalue())


USER = {
    "type": "object",
    "properties": {"login": {"type": "string"}, "node_id": {"type": "string"}},
    "required": ["login", "node_id"],
}
PING = {
    "type": "object",
    "properties": {
        "action": {"type": "string", "enum": ["created"]},
        "sender": {"$ref": "defs/user.json"},
        "hook": {
            "oneOf": [
                {"type": "null"},
                {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
                {
                    "type": "object",
                    "properties": {"url": {"type": "string"}, "kind": {"type": "string"}},
                    "required": ["url", "kind"],
                },
            ]
        },
        "state": {
            "type": "string",
            "if": {"required": ["never"]},
            "then": {"required": ["x"]},
        },
    },
    "required": ["action", "sender", "hook"],
}


def _small_tree() -> output.Tree:
    tree = output.Tree()
    tree.add("schemas/github/ping.created.json", copy.deepcopy(PING))
    tree.add("schemas/github/defs/user.json", copy.deepcopy(USER))
    return tree


TYPES = {"ping.created": {"schema": "github/ping.created.json"}}
OLD_PING = {"action": "created", "sender": {"login": "octocat"}, "hook": {"url": "https://x"}}


def test_the_walk_relaxes_what_an_example_lacks_where_the_best_fitting_branch_requires_it(
    tmp_path: Path,
) -> None:
    tree = _small_tree()
    archive = _archive(tmp_path, [{"name": "ping", "examples": [OLD_PING, OLD_PING]}])
    report = github_examples.relax(tree, archive, PIN, TYPES)
    user = tree.files["schemas/github/defs/user.json"]
    assert user["required"] == ["login"]
    assert user[RELAXED]["missing_in"] == {"node_id": ["ghes-31/ping[0]", "ghes-31/ping[1]"]}
    hook = tree.files["schemas/github/ping.created.json"]["properties"]["hook"]["oneOf"]
    assert hook[1]["required"] == ["id"]  # the branch the example does not take stays as it was
    assert hook[2]["required"] == ["url"]
    assert hook[2][RELAXED]["required"] == ["kind"]
    assert report.examples == 2
    assert report.mismatches == []
    assert report.skipped == []


def test_a_value_of_the_wrong_type_is_reported_and_never_widened(tmp_path: Path) -> None:
    tree = _small_tree()
    wrong = {**OLD_PING, "sender": {"login": 7, "node_id": "U_1"}, "action": "made"}
    archive = _archive(tmp_path, [{"name": "ping", "examples": [wrong]}])
    before = copy.deepcopy(tree.files)
    report = github_examples.relax(tree, archive, PIN, TYPES)
    # `made` names no compiled type: the example is skipped, not walked.
    assert report.skipped == ["ghes-31/ping[0]: no compiled type ping.made"]
    wrong["action"] = "created"
    archive = _archive(tmp_path, [{"name": "ping", "examples": [wrong]}])
    report = github_examples.relax(tree, archive, PIN, TYPES)
    assert [str(m) for m in report.mismatches] == [
        'ghes-31/ping[0] /sender/login: type "string" does not allow 7 '
        "(schemas/github/defs/user.json#/properties/login)"
    ]
    assert tree.files["schemas/github/defs/user.json"] == before["schemas/github/defs/user.json"]


def test_the_relaxed_output_is_deterministic(tmp_path: Path) -> None:
    a, b = {**OLD_PING, "hook": None}, OLD_PING
    rendered, relaxed = [], []
    for order in ([a, b], [b, a], [a, b]):
        tree = _small_tree()
        archive = _archive(tmp_path, [{"name": "ping", "examples": order}])
        github_examples.relax(tree, archive, PIN, TYPES)
        rendered.append([output.render(doc) for doc in tree.files.values()])
        relaxed.append(
            [
                (n.get("required"), n[RELAXED]["required"])
                for n in _nodes(tree.files)
                if RELAXED in n
            ]
        )
    assert rendered[0] == rendered[2]
    # Reordered, only the example labels change: what is relaxed, and where, does not.
    assert rendered[0] != rendered[1]
    assert relaxed[0] == relaxed[1] == [(["url"], ["kind"]), (["login"], ["node_id"])]
