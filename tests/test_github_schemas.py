"""GitHub schemas: every generated type validates; mutations fail with a pointer; real shapes pass."""

from __future__ import annotations

import json
from typing import Any

import pytest
from _helpers_github import TYPES

import hookmock
from hookmock import SchemaError
from hookmock._resources import schemas_dir
from hookmock._validation import schema_types, violations

SEEDS = range(12)  # tests/test_github_githubkit.py covers every type with the SDKs too


def test_every_catalog_type_has_a_schema_file_and_nothing_else_does() -> None:
    assert schema_types("github") == TYPES


@pytest.mark.parametrize("type_", TYPES)
def test_every_type_validates_over_many_seeds(type_: str) -> None:
    traits = [()] + [(t,) for t in hookmock.github.traits_for(type_)]
    for seed in SEEDS:
        extra = {"with_installation": seed % 2 == 0, "with_enterprise": seed % 5 == 0}
        payload = hookmock.github.event(
            type_, seed=seed, traits=traits[seed % len(traits)], **extra
        ).payload
        assert violations(payload, "github", type_) == [], (type_, seed)


@pytest.mark.parametrize("type_", TYPES)
def test_each_schema_pins_its_action(type_: str) -> None:
    doc = hookmock.schema("github", type_)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["$id"] == f"https://hookmock.invalid/schemas/github/{type_}.json"
    action = type_.partition(".")[2]
    if action:
        # GitHub's description pins the action as a one-value enum (in each branch of a oneOf:
        # a review is requested from a user or a team).
        for branch in doc.get("oneOf", [doc]):
            assert branch["properties"]["action"]["enum"] == [action]
        payload = hookmock.github.event(type_, seed=1).payload
        payload["action"] = "not-an-action"
        found = violations(payload, "github", type_)
        if "oneOf" in doc:  # the report names the closest branch's first problem
            assert found
        else:
            assert any(v.pointer == "/action" for v in found), found


def _pointers(payload: dict[str, Any], type_: str) -> set[str]:
    return {v.pointer for v in violations(payload, "github", type_)}


@pytest.mark.parametrize(
    ("type_", "path", "required"),
    [
        ("push", ["ref"], "ref"),
        ("push", ["head_commit"], "head_commit"),
        ("pull_request.opened", ["number"], "number"),
        ("pull_request.opened", ["pull_request", "head"], "head"),
        ("issues.opened", ["issue"], "issue"),
        ("issue_comment.created", ["comment"], "comment"),
        ("workflow_run.completed", ["workflow_run"], "workflow_run"),
        ("installation.created", ["installation", "account"], "account"),
        ("release.published", ["release", "tag_name"], "tag_name"),
    ],
)
def test_removing_a_required_field_is_reported_at_its_parent(
    type_: str, path: list[str], required: str
) -> None:
    payload = hookmock.github.event(type_, seed=3).payload
    node = payload
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    found = violations(payload, "github", type_)
    parent = "".join(f"/{p}" for p in path[:-1])
    assert any(v.pointer == parent and repr(required) in v.message for v in found), found


@pytest.mark.parametrize(
    ("type_", "path", "value"),
    [
        ("push", ["forced"], "yes"),
        ("pull_request.opened", ["number"], "12"),
        ("pull_request.opened", ["pull_request", "id"], 1.5),
        ("pull_request.opened", ["pull_request", "state"], "merged"),
        ("pull_request.opened", ["pull_request", "created_at"], "yesterday"),
        ("check_run.completed", ["check_run", "started_at"], "25/04/2018 20:42"),
        ("workflow_run.completed", ["workflow_run", "conclusion"], "great"),
        ("status", ["state"], "ok"),
    ],
)
def test_a_wrong_value_is_rejected_with_its_pointer(
    type_: str, path: list[str], value: Any
) -> None:
    payload = hookmock.github.event(type_, seed=3).payload
    node = payload
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    assert "".join(f"/{p}" for p in path) in _pointers(payload, type_)


def test_validate_reports_every_violation_in_a_schema_error() -> None:
    payload = hookmock.github.event("push", seed=3).payload
    del payload["ref"]
    payload["before"] = 7
    with pytest.raises(SchemaError) as info:
        hookmock.validate(payload, provider="github", type="push")
    pointers = {v.pointer for v in info.value.errors}
    assert {"", "/before"} <= pointers


def test_schemas_stay_open_to_unknown_properties() -> None:
    payload = hookmock.github.event("pull_request.opened", seed=3).payload
    payload["brand_new_block"] = {"x": 1}
    payload["pull_request"]["some_future_field"] = [1, 2]
    payload["repository"]["owner"]["yet_another"] = None
    assert violations(payload, "github", "pull_request.opened") == []
    # Only GitHub's description closes objects (a few advisory and Dependabot ones); every
    # event's own root stays open.
    for type_ in TYPES:
        assert hookmock.schema("github", type_).get("additionalProperties") is not False, type_


# Hand-written "real-looking" payloads lived here while the schemas were hand-edited and lenient;
# GitHub's description requires every field a real delivery carries, so the description's own
# examples (checked by `python tools/refresh.py --verify`) now play that part.


def test_every_schema_file_is_valid_json_schema_2020_12() -> None:
    from jsonschema import Draft202012Validator

    files = sorted((schemas_dir() / "github").rglob("*.json"))
    assert len(files) > len(TYPES)
    for path in files:
        doc = json.loads(path.read_text())
        Draft202012Validator.check_schema(doc)
        assert doc["$id"].startswith("https://hookmock.invalid/schemas/github/"), path
