"""GitHub schemas: every generated type validates; mutations fail with a pointer; real shapes pass."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from _helpers_github import TYPES

import hookmock
from hookmock import SchemaError
from hookmock._resources import schemas_dir
from hookmock._validation import schema_types, violations

SEEDS = range(50)


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
        assert doc["properties"]["action"] == {"const": action}
        payload = hookmock.github.event(type_, seed=1).payload
        payload["action"] = "not-an-action"
        found = violations(payload, "github", type_)
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
        ("push", ["after"], "not-a-sha"),
        ("push", ["after"], "ABCDEF" + "0" * 34),
        ("push", ["forced"], "yes"),
        ("pull_request.opened", ["number"], "12"),
        ("pull_request.opened", ["pull_request", "id"], 1.5),
        ("pull_request.opened", ["pull_request", "state"], "merged"),
        ("pull_request.opened", ["pull_request", "created_at"], "yesterday"),
        ("pull_request.opened", ["sender", "type"], "Organization"),
        ("workflow_run.completed", ["workflow_run", "conclusion"], "great"),
        ("workflow_run.completed", ["workflow_run", "conclusion"], None),
        ("check_run.completed", ["check_run", "status"], "queued"),
        ("issues.closed", ["issue", "state"], "open"),
        ("issues.closed", ["issue", "closed_at"], None),
        ("pull_request.closed", ["pull_request", "merged_at"], None),
        ("repository.archived", ["repository", "archived"], False),
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
    for path in (schemas_dir() / "github").rglob("*.json"):
        assert '"additionalProperties": false' not in path.read_text(), path


# -- real-world-shaped payloads, written by hand with the quirks real deliveries have -----------

USER = {
    "login": "octocat",
    "id": 583231,
    "node_id": "MDQ6VXNlcjU4MzIzMQ==",
    "avatar_url": "https://avatars.githubusercontent.com/u/583231?v=4",
    "gravatar_id": "",
    "url": "https://api.github.com/users/octocat",
    "html_url": "https://github.com/octocat",
    "type": "User",
    "user_view_type": "public",
    "site_admin": False,
}
ORG_OWNER = {
    **USER,
    "login": "acme-corp",
    "id": 9919,
    "node_id": "O_kgDOAAAmvw",
    "type": "Organization",
}


def _repo(owner: dict[str, Any], *, push: bool = False) -> dict[str, Any]:
    full = f"{owner['login']}/Hello-World"
    repo: dict[str, Any] = {
        "id": 1296269,
        "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
        "name": "Hello-World",
        "full_name": full,
        "private": False,
        "owner": dict(owner),
        "html_url": f"https://github.com/{full}",
        "description": None,
        "fork": False,
        "url": f"https://api.github.com/repos/{full}",
        "created_at": "2011-01-26T19:01:12Z",
        "updated_at": "2024-04-01T08:12:53Z",
        "pushed_at": "2024-04-02T10:00:00Z",
        "homepage": "",
        "size": 108,
        "stargazers_count": 80,
        "watchers_count": 80,
        "language": None,
        "has_issues": True,
        "forks_count": 9,
        "mirror_url": None,
        "archived": False,
        "disabled": False,
        "open_issues_count": 0,
        "license": None,
        "topics": [],
        "visibility": "public",
        "forks": 9,
        "open_issues": 0,
        "watchers": 80,
        "default_branch": "main",
        "custom_properties": {},
    }
    if push:
        repo["created_at"] = 1296068472
        repo["pushed_at"] = 1712052000
        repo["owner"]["name"] = owner["login"]
        repo["owner"]["email"] = None
        repo["stargazers"] = 80
        repo["master_branch"] = "main"
        repo["organization"] = owner["login"]
    return repo


def _real_push() -> dict[str, Any]:
    sha = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
    return {
        "ref": "refs/heads/main",
        "before": "0000000000000000000000000000000000000000",
        "after": sha,
        "repository": _repo(ORG_OWNER, push=True),
        "pusher": {"name": "octocat", "email": "583231+octocat@users.noreply.github.com"},
        "organization": {
            "login": "acme-corp",
            "id": 9919,
            "node_id": "O_kgDOAAAmvw",
            "url": "https://api.github.com/orgs/acme-corp",
            "repos_url": "https://api.github.com/orgs/acme-corp/repos",
            "avatar_url": "https://avatars.githubusercontent.com/u/9919?v=4",
            "description": None,
        },
        "enterprise": {
            "id": 1,
            "slug": "acme",
            "name": "Acme",
            "node_id": "E_kgDOAAAAAQ",
            "avatar_url": "https://avatars.githubusercontent.com/b/1?v=4",
            "description": None,
            "website_url": None,
            "html_url": "https://github.com/enterprises/acme",
            "created_at": "2019-05-14T19:31:12Z",
            "updated_at": "2024-01-04T12:00:00Z",
        },
        "installation": {
            "id": 2311213,
            "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMjMxMTIxMw==",
        },
        "sender": dict(USER),
        "created": True,
        "deleted": False,
        "forced": False,
        "base_ref": None,
        "compare": "https://github.com/acme-corp/Hello-World/compare/main",
        "commits": [
            {
                "id": sha,
                "tree_id": "f9d2a07e9488b91af2641b26b9407fe22a451433",
                "distinct": True,
                "message": "Update README.md\n\nCo-authored-by: Mona <mona@example.com>",
                "timestamp": "2024-04-02T12:00:00+02:00",
                "url": f"https://github.com/acme-corp/Hello-World/commit/{sha}",
                "author": {
                    "name": "The Octocat",
                    "email": "octocat@github.com",
                    "username": "octocat",
                },
                "committer": {
                    "name": "GitHub",
                    "email": "noreply@github.com",
                    "username": "web-flow",
                },
                "added": [],
                "removed": [],
                "modified": ["README.md"],
            }
        ],
        "head_commit": None,
    }


def _real_pull_request_opened() -> dict[str, Any]:
    repo = _repo(USER)
    base = "https://api.github.com/repos/octocat/Hello-World"
    return {
        "action": "opened",
        "number": 1347,
        "pull_request": {
            "url": f"{base}/pulls/1347",
            "id": 1,
            "node_id": "MDExOlB1bGxSZXF1ZXN0MQ==",
            "html_url": "https://github.com/octocat/Hello-World/pull/1347",
            "diff_url": "https://github.com/octocat/Hello-World/pull/1347.diff",
            "patch_url": "https://github.com/octocat/Hello-World/pull/1347.patch",
            "issue_url": f"{base}/issues/1347",
            "number": 1347,
            "state": "open",
            "locked": False,
            "title": "Amazing new feature",
            "user": dict(USER),
            "body": None,
            "created_at": "2011-01-26T19:01:12Z",
            "updated_at": "2011-01-26T19:01:12Z",
            "closed_at": None,
            "merged_at": None,
            "merge_commit_sha": None,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "labels": [],
            "milestone": None,
            "draft": False,
            "head": {
                "label": "octocat:new-topic",
                "ref": "new-topic",
                "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e",
                "user": dict(USER),
                "repo": None,
            },
            "base": {
                "label": "octocat:main",
                "ref": "main",
                "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e",
                "user": dict(USER),
                "repo": repo,
            },
            "_links": {"self": {"href": f"{base}/pulls/1347"}},
            "author_association": "FIRST_TIME_CONTRIBUTOR",
            "auto_merge": None,
            "active_lock_reason": None,
            "merged": False,
            "mergeable": None,
            "rebaseable": None,
            "mergeable_state": "unknown",
            "merged_by": None,
            "comments": 0,
            "review_comments": 0,
            "maintainer_can_modify": True,
            "commits": 1,
            "additions": 3,
            "deletions": 0,
            "changed_files": 1,
        },
        "repository": repo,
        "sender": {
            **USER,
            "login": "dependabot[bot]",
            "id": 49699333,
            "type": "Bot",
            "node_id": "MDM6Qm90NDk2OTkzMzM=",
        },
    }


def test_a_real_looking_push_with_extra_blocks_and_nulls_validates() -> None:
    payload = _real_push()
    assert violations(payload, "github", "push") == []
    assert hookmock.validate(payload, provider="github", type="push") == ("github", "push")


def test_a_real_looking_pull_request_opened_validates_and_is_detected() -> None:
    payload = _real_pull_request_opened()
    assert violations(payload, "github", "pull_request.opened") == []
    body = json.dumps(payload).encode()
    got = hookmock.validate(body, headers={"x-github-event": "pull_request"})
    assert got == ("github", "pull_request.opened")


def test_a_real_looking_payload_still_fails_on_a_real_mistake() -> None:
    payload = copy.deepcopy(_real_pull_request_opened())
    payload["pull_request"]["head"]["sha"] = "6dcb09b"
    assert "/pull_request/head/sha" in _pointers(payload, "pull_request.opened")


def test_every_schema_file_is_valid_json_schema_2020_12() -> None:
    from jsonschema import Draft202012Validator

    files = sorted((schemas_dir() / "github").rglob("*.json"))
    assert len(files) > len(TYPES)
    for path in files:
        doc = json.loads(path.read_text())
        Draft202012Validator.check_schema(doc)
        assert doc["$id"].startswith("https://hookmock.invalid/schemas/github/"), path
