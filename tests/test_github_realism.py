"""GitHub realism by default (issue 10 part 4): each item of the audit against real payloads.

Each test walks several seeds, so a default that holds only sometimes fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from _helpers_github import ISO, ISO_ANY, walk

import hookmock
from hookmock._validation import _registry

SEEDS = range(24)
gh = hookmock.github


def _events(type_: str, seeds: range = SEEDS, **kw: Any) -> list[hookmock.Event]:
    return [gh.event(type_, seed=s, **kw) for s in seeds]


# -- new objects -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "key", "author"),
    [
        ("pull_request.opened", "pull_request", "user"),
        ("issues.opened", "issue", "user"),
        ("discussion.created", "discussion", "user"),
        ("milestone.created", "milestone", "creator"),
    ],
)
def test_a_new_object_has_no_activity_yet_and_its_author_sent_it(
    type_: str, key: str, author: str
) -> None:
    for ev in _events(type_):
        obj = ev.payload[key]
        assert obj["created_at"] == obj["updated_at"], ev
        for count in ("comments", "review_comments", "open_issues", "closed_issues"):
            assert obj.get(count, 0) == 0, (ev, count)
        reactions = obj.get("reactions") or {}
        assert all(v == 0 for v in reactions.values() if isinstance(v, int)), ev
        assert ev.payload["sender"] == obj[author], ev


def test_a_new_pull_request_has_no_computed_merge_state() -> None:
    for ev in _events("pull_request.opened"):
        pr = ev.payload["pull_request"]
        assert pr["mergeable"] is None
        assert pr["rebaseable"] is None
        assert pr["mergeable_state"] == "unknown"
        assert pr["merge_commit_sha"] is None
        assert pr["merged"] is False
        assert pr["merged_at"] is None


def test_a_later_pull_request_event_still_has_a_merge_state_sometimes() -> None:
    """The fresh-object rule is for the opening delivery only: a synchronize carries one."""
    states = {
        ev.payload["pull_request"]["mergeable_state"] for ev in _events("pull_request.synchronize")
    }
    assert states - {"unknown"}


# -- App-only actions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "type_",
    [
        "check_suite.requested",
        "check_suite.rerequested",
        "check_run.rerequested",
        "check_run.requested_action",
    ],
)
def test_app_only_actions_arrive_as_github_app_deliveries(type_: str) -> None:
    for ev in _events(type_, range(8)):
        assert isinstance(ev.payload["installation"]["id"], int), ev
        headers = ev.headers(secret="s")
        assert headers["X-GitHub-Hook-Installation-Target-Type"] == "integration"
        assert headers["X-GitHub-Hook-Installation-Target-ID"] == str(
            ev.payload["installation"]["id"]
        )


def test_other_check_actions_come_from_a_repository_hook_unless_asked() -> None:
    ev = gh.event("check_run.completed", seed=1)
    assert "installation" not in ev.payload
    assert ev.headers(secret="s")["X-GitHub-Hook-Installation-Target-Type"] == "repository"


# -- team repositories, nested repositories ----------------------------------------------------


@pytest.mark.parametrize("type_", ["team.added_to_repository", "team.removed_from_repository"])
def test_a_team_events_repository_carries_the_teams_permissions(type_: str) -> None:
    levels = set()
    for ev in _events(type_, range(12)):
        perms = ev.payload["repository"]["permissions"]
        assert set(perms) == {"admin", "maintain", "push", "triage", "pull"}
        levels.add(sum(perms.values()))
    if type_ == "team.added_to_repository":
        assert len(levels) > 1  # pull-only teams and admin teams alike
        assert 0 not in levels


def _defined_keys(type_: str, path: list[str]) -> set[str]:
    """The properties GitHub's description defines at ``path`` of ``type_``'s payload."""
    resolver = _registry("github").resolver()
    found = resolver.lookup(f"https://hookmock.invalid/schemas/github/{type_}.json")
    nodes = [(found.contents, found.resolver)]
    for part in [*path, None]:
        expanded: list[tuple[Any, Any]] = []
        stack = list(nodes)
        while stack:
            node, res = stack.pop()
            if not isinstance(node, dict):
                continue
            if "$ref" in node:
                got = res.lookup(node["$ref"])
                stack.append((got.contents, got.resolver))
            stack.extend((sub, res) for k in ("allOf", "anyOf", "oneOf") for sub in node.get(k, []))
            expanded.append((node, res))
        if part is None:
            return {k for node, _ in expanded for k in node.get("properties", {})}
        nodes = [
            (node["properties"][part], res)
            for node, res in expanded
            if part in node.get("properties", {})
        ]
    raise AssertionError("unreachable")


MERGE_SETTINGS = {
    "allow_merge_commit",
    "allow_squash_merge",
    "allow_rebase_merge",
    "allow_auto_merge",
    "delete_branch_on_merge",
    "use_squash_pr_title_as_default",
}


@pytest.mark.parametrize(
    "type_", ["pull_request.opened", "pull_request.closed", "pull_request_review.submitted"]
)
def test_nested_pr_repositories_carry_merge_settings_and_only_described_keys(type_: str) -> None:
    for end in ("head", "base"):
        allowed = _defined_keys(type_, ["pull_request", end, "repo"])
        for ev in _events(type_, range(8)):
            repo = ev.payload["pull_request"][end]["repo"]
            assert set(repo) >= MERGE_SETTINGS, (ev, end)
            assert set(repo) <= allowed, (ev, end, sorted(set(repo) - allowed))
    # One repository, one set of settings, wherever it is mentioned.
    same = 0
    for ev in _events(type_, range(8)):
        head, base = (ev.payload["pull_request"][e]["repo"] for e in ("head", "base"))
        if head["full_name"] == base["full_name"]:
            same += 1
            assert {k: head[k] for k in MERGE_SETTINGS} == {k: base[k] for k in MERGE_SETTINGS}
    assert same


@pytest.mark.parametrize("key", ["repository", "head_repository"])
def test_workflow_run_repositories_have_no_clone_urls(key: str) -> None:
    allowed = _defined_keys("workflow_run.completed", ["workflow_run", key])
    for ev in _events("workflow_run.completed", range(6)):
        repo = ev.payload["workflow_run"][key]
        assert not {"clone_url", "ssh_url", "git_url", "svn_url", "mirror_url"} & set(repo)
        assert set(repo) <= allowed


# -- timestamps --------------------------------------------------------------------------------


def test_timestamps_take_the_form_github_uses_in_each_place() -> None:
    offsets = 0
    for ev in _events("push"):
        p = ev.payload
        # push's repository: created_at and pushed_at unix seconds, updated_at ISO with Z.
        assert isinstance(p["repository"]["created_at"], int)
        assert isinstance(p["repository"]["pushed_at"], int)
        assert ISO.match(p["repository"]["updated_at"])
        # Commit times are the committer's local time with its UTC offset.
        for commit in p["commits"]:
            assert ISO_ANY.match(commit["timestamp"])
            offsets += not commit["timestamp"].endswith("Z")
    assert offsets  # not always Z
    for ev in _events("installation.created", range(6)):
        assert isinstance(ev.payload["installation"]["created_at"], int)
    for ev in _events("pull_request.closed", range(6)):
        for path, value in walk(ev.payload["pull_request"]):
            if path.endswith("_at") and isinstance(value, str):
                assert ISO.match(value), path


# -- variety -----------------------------------------------------------------------------------


def test_some_pull_requests_come_from_forks_and_traits_choose() -> None:
    forks = 0
    for ev in _events("pull_request.opened", range(40)):
        pr = ev.payload["pull_request"]
        if pr["head"]["repo"]["full_name"] != pr["base"]["repo"]["full_name"]:
            forks += 1
            assert pr["head"]["repo"]["fork"] is True
            assert pr["head"]["user"] == pr["user"]
            assert pr["head"]["label"].startswith(pr["user"]["login"] + ":")
            assert pr["head"]["repo"]["owner"]["login"] == pr["user"]["login"]
    assert 0 < forks < 40
    for seed in range(6):
        pr = gh.event("pull_request.opened", seed=seed, traits="from_fork").payload["pull_request"]
        assert pr["head"]["repo"]["full_name"] != pr["base"]["repo"]["full_name"]
        pr = gh.event("pull_request.opened", seed=seed, traits="from_branch").payload[
            "pull_request"
        ]
        assert pr["head"]["repo"]["full_name"] == pr["base"]["repo"]["full_name"]


def test_some_authors_are_bots_and_traits_choose() -> None:
    kinds = {
        ev.payload["pull_request"]["user"]["type"]
        for ev in _events("pull_request.opened", range(40))
    }
    assert kinds == {"User", "Bot"}
    for seed in range(6):
        bot = gh.event("pull_request.opened", seed=seed, traits="bot").payload
        assert bot["pull_request"]["user"]["type"] == "Bot"
        assert bot["pull_request"]["user"]["login"].endswith("[bot]")
        human = gh.event("pull_request.opened", seed=seed, traits="human").payload
        assert human["pull_request"]["user"]["type"] == "User"


def test_some_repositories_belong_to_organizations_and_agree_with_the_organization_block() -> None:
    owners = set()
    for ev in _events("sub_issues.sub_issue_added", range(40)):
        p = ev.payload
        owner = p["repository"]["owner"]
        owners.add(owner["type"])
        if "organization" in p:
            assert owner["type"] == "Organization"
            assert p["organization"]["login"] == owner["login"]
            assert p["organization"]["id"] == owner["id"]
            assert p["repository"]["full_name"].startswith(owner["login"] + "/")
    assert owners == {"User", "Organization"}
    for seed in range(4):
        p = gh.event("issues.typed", seed=seed, traits="organization").payload
        assert p["repository"]["owner"]["type"] == "Organization"
        assert p["organization"]["login"] == p["repository"]["owner"]["login"]
