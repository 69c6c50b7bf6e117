"""GitHub events: consistent, realistic payloads that follow traits, options and overrides."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from _helpers_github import ISO, ISO_ANY, SHA, TYPES, repositories, walk

import hookmock
from hookmock import OverrideError, TraitError, UnknownTypeError

SEEDS = range(8)
#: Blocks that are commits: their string ``id`` is a SHA.
COMMITS = {"head_commit", "commits", "commit"}
#: Blocks whose ``id`` is text GitHub names them by.
TEXT_IDS = {"rule", "npm_metadata", "nuget_metadata"}


@pytest.mark.parametrize("type_", TYPES)
def test_every_type_is_internally_consistent(type_: str) -> None:
    for seed in SEEDS:
        ev = hookmock.github.event(type_, seed=seed)
        p = ev.payload
        action = type_.partition(".")[2]
        if action:
            assert p["action"] == action
        elif type_ == "repository_dispatch":
            assert p["action"], "a dispatch's action is the caller's event_type"
        else:
            assert "action" not in p
        sender = p["sender"]
        assert sender["type"] in {"User", "Bot"}
        assert isinstance(sender["id"], int)
        for path, repo in repositories(p):
            owner = repo["owner"]["login"]
            full = repo["full_name"]
            if "name" in repo:  # a few descriptions' repository shapes are minimal
                assert full == f"{owner}/{repo['name']}", path
            expected = {
                "html_url": f"https://github.com/{full}",
                "url": f"https://api.github.com/repos/{full}",
                "pulls_url": f"https://api.github.com/repos/{full}/pulls{{/number}}",
                "issues_url": f"https://api.github.com/repos/{full}/issues{{/number}}",
                "commits_url": f"https://api.github.com/repos/{full}/commits{{/sha}}",
            }
            for key, url in expected.items():
                assert repo.get(key, url) == url, (path, key)
        for path, value in walk(p):
            parent, _, key = path.rpartition("/")
            commit = parent.rstrip("/0123456789").rpartition("/")[2]
            if key == "id" and isinstance(value, str):
                if commit in COMMITS:
                    assert SHA.match(value), (path, value)  # commits are named by SHA
                elif commit in {"from", "to"} and "/field_value/" in path:
                    # a Projects (v2) single-select option or iteration: a short hex id
                    assert re.fullmatch(r"[0-9a-f]{8}", value), (path, value)
                else:  # a code scanning rule (js/sql-injection), a package version (name@1.2.3)
                    assert commit in TEXT_IDS, (path, value)
                    assert re.search(r"[/@]", value), (path, value)
            elif key in {"id", "number"}:
                assert isinstance(value, int), path
                assert not isinstance(value, bool), path
            if key in {"sha", "head_sha", "commit_id", "tree_id", "before", "after"} and value:
                assert SHA.match(value), (path, value)
            if key.endswith("_at") and isinstance(value, str):
                assert ISO.match(value), (path, value)
            if isinstance(value, dict) and ISO.match(str(value.get("created_at"))):
                created, updated = value["created_at"], value.get("updated_at")
                if isinstance(updated, str):
                    assert created <= updated, path
                for later in ("closed_at", "merged_at", "completed_at", "submitted_at"):
                    if isinstance(value.get(later), str):
                        assert created <= value[later], (path, later)
                        if isinstance(updated, str) and later != "completed_at":
                            assert value[later] <= updated, (path, later)
            if key == "node_id":
                assert isinstance(value, str)
                assert len(value) >= 8, (path, value)


def test_push_writes_repository_times_as_unix_integers() -> None:
    for seed in SEEDS:
        repo = hookmock.github.event("push", seed=seed).payload["repository"]
        assert isinstance(repo["created_at"], int)
        assert isinstance(repo["pushed_at"], int)
        assert repo["created_at"] < repo["pushed_at"]
        assert ISO.match(repo["updated_at"])


def test_push_commits_are_coherent() -> None:
    for seed in SEEDS:
        p = hookmock.github.event("push", seed=seed).payload
        assert p["ref"].startswith("refs/heads/")
        assert p["commits"], "a branch push carries commits"
        assert p["head_commit"] == p["commits"][-1]
        assert p["after"] == p["head_commit"]["id"]
        assert p["before"] != p["after"]
        for c in p["commits"]:
            assert SHA.match(c["id"])
            assert ISO_ANY.match(c["timestamp"])
            assert c["url"] == f"{p['repository']['html_url']}/commit/{c['id']}"
        assert p["pusher"]["name"] == p["sender"]["login"]


def test_push_traits_shape_the_ref_update() -> None:
    tag = hookmock.github.event("push", seed=1, traits="tag").payload
    assert tag["ref"].startswith("refs/tags/v")
    assert tag["created"] is True
    assert tag["before"] == "0" * 40
    deleted = hookmock.github.event("push", seed=1, traits="deleted").payload
    assert deleted["deleted"] is True
    assert deleted["after"] == "0" * 40
    assert deleted["head_commit"] is None
    assert deleted["commits"] == []
    forced = hookmock.github.event("push", seed=1, traits="forced").payload
    assert forced["forced"] is True
    plain = hookmock.github.event("push", seed=1).payload
    assert plain["forced"] is False
    assert plain["created"] is False
    created = hookmock.github.event("push", seed=1, traits="created").payload
    assert created["before"] == "0" * 40
    assert created["commits"]


def test_pull_request_number_agrees_everywhere() -> None:
    for seed in SEEDS:
        p = hookmock.github.event("pull_request.opened", seed=seed).payload
        pr = p["pull_request"]
        n = p["number"]
        assert pr["number"] == n
        full = p["repository"]["full_name"]
        assert pr["url"] == f"https://api.github.com/repos/{full}/pulls/{n}"
        assert pr["html_url"] == f"https://github.com/{full}/pull/{n}"
        assert pr["issue_url"] == f"https://api.github.com/repos/{full}/issues/{n}"
        assert pr["_links"]["self"]["href"] == pr["url"]
        assert pr["statuses_url"].endswith(pr["head"]["sha"])
        assert pr["head"]["label"] == f"{pr['head']['repo']['owner']['login']}:{pr['head']['ref']}"
        assert SHA.match(pr["head"]["sha"])
        assert SHA.match(pr["base"]["sha"])
        assert pr["base"]["ref"] == p["repository"]["default_branch"]
        assert pr["created_at"] <= pr["updated_at"]


def test_overriding_the_number_moves_the_pull_requests_urls() -> None:
    p = hookmock.github.event("pull_request.opened", seed=4, number=4242).payload
    assert p["number"] == 4242
    assert p["pull_request"]["number"] == 4242
    assert p["pull_request"]["url"].endswith("/pulls/4242")
    q = hookmock.github.event("pull_request.opened", seed=4, pull_request__number=99).payload
    assert q["number"] == 99
    assert q["pull_request"]["html_url"].endswith("/pull/99")


def test_overriding_owner_and_name_rebuilds_full_name_and_urls() -> None:
    p = hookmock.github.event(
        "pull_request.opened",
        seed=4,
        overrides={"repository": {"name": "widgets", "owner": {"login": "acme"}}},
    ).payload
    assert p["repository"]["full_name"] == "acme/widgets"
    assert p["repository"]["url"] == "https://api.github.com/repos/acme/widgets"
    assert p["pull_request"]["url"].startswith("https://api.github.com/repos/acme/widgets/pulls/")
    assert p["pull_request"]["base"]["repo"]["full_name"] == "acme/widgets"


def test_an_override_leaves_unrelated_values_unchanged() -> None:
    a = hookmock.github.event("pull_request.opened", seed=5).payload
    b = hookmock.github.event("pull_request.opened", seed=5, number=7, repository__name="x").payload
    assert a["pull_request"]["title"] == b["pull_request"]["title"]
    assert a["pull_request"]["head"]["sha"] == b["pull_request"]["head"]["sha"]
    assert a["sender"]["id"] == b["sender"]["id"]


def test_overriding_a_shared_object_changes_only_that_place() -> None:
    for seed in SEEDS:
        p = hookmock.github.event("push", seed=seed, sender__login="someone-else").payload
        assert p["sender"]["login"] == "someone-else"
        assert p["repository"]["owner"]["login"] != "someone-else"


def test_overrides_take_keyword_paths_nested_dicts_and_none() -> None:
    ev = hookmock.github.event(
        "pull_request.opened",
        seed=2,
        pull_request__title="Fix login",
        overrides={"pull_request": {"body": None}},
    )
    assert ev.payload["pull_request"]["title"] == "Fix login"
    assert ev.payload["pull_request"]["body"] is None
    assert json.loads(ev.body)["pull_request"]["title"] == "Fix login"


def test_a_typo_in_an_override_path_names_the_nearest_field() -> None:
    with pytest.raises(OverrideError, match=r"pull_request__title"):
        hookmock.github.event("pull_request.opened", seed=2, pull_request__titel="x")


def test_free_form_maps_accept_new_keys() -> None:
    ev = hookmock.github.event("workflow_dispatch", seed=2, inputs__version="1.2.3")
    assert ev.payload["inputs"]["version"] == "1.2.3"


def test_the_same_seed_gives_byte_identical_bodies_and_different_seeds_do_not() -> None:
    for type_ in ("push", "pull_request.opened", "workflow_run.completed", "issues.opened"):
        a = hookmock.github.event(type_, seed=21)
        b = hookmock.github.event(type_, seed=21)
        c = hookmock.github.event(type_, seed=22)
        assert a.body == b.body
        assert a.id == b.id
        assert a.body != c.body
        assert a.id != c.id
        assert a.payload["sender"]["id"] != c.payload["sender"]["id"]


def test_replace_rebuilds_with_the_same_seed_and_options() -> None:
    ev = hookmock.github.event("push", seed=9, with_installation=True, content_type="form")
    again = ev.replace(ref="refs/heads/release")
    assert again.payload["ref"] == "refs/heads/release"
    assert again.id == ev.id
    assert again.body.startswith(b"payload=")
    assert again.payload["installation"] == ev.payload["installation"]


def test_closed_pull_requests_are_merged_by_default_and_unmerged_on_request() -> None:
    merged = hookmock.github.event("pull_request.closed", seed=3).payload["pull_request"]
    assert merged["state"] == "closed"
    assert merged["merged"] is True
    assert merged["merged_at"] == merged["closed_at"]
    assert merged["merged_by"] is not None
    assert merged["created_at"] <= merged["merged_at"]
    unmerged = hookmock.github.event("pull_request.closed", seed=3, traits="unmerged").payload
    pr = unmerged["pull_request"]
    assert pr["state"] == "closed"
    assert pr["merged"] is False
    assert pr["merged_at"] is None
    assert pr["closed_at"] is not None


def test_draft_trait_opens_a_draft_pull_request() -> None:
    assert hookmock.github.event("pull_request.opened", seed=1, traits="draft").payload[
        "pull_request"
    ]["draft"]
    assert not hookmock.github.event("pull_request.opened", seed=1).payload["pull_request"]["draft"]


@pytest.mark.parametrize("conclusion", ["success", "failure", "cancelled", "timed_out"])
def test_conclusion_traits_set_run_and_check_conclusions(conclusion: str) -> None:
    run = hookmock.github.event("workflow_run.completed", seed=1, traits=conclusion).payload
    assert run["workflow_run"]["status"] == "completed"
    assert run["workflow_run"]["conclusion"] == conclusion
    check = hookmock.github.event("check_run.completed", seed=1, traits=conclusion).payload
    assert check["check_run"]["conclusion"] == conclusion
    assert check["check_run"]["completed_at"] >= check["check_run"]["started_at"]


def test_runs_in_progress_have_no_conclusion() -> None:
    run = hookmock.github.event("workflow_run.in_progress", seed=1).payload["workflow_run"]
    assert run["status"] == "in_progress"
    assert run["conclusion"] is None
    job = hookmock.github.event("workflow_job.queued", seed=1).payload["workflow_job"]
    assert job["status"] == "queued"
    assert job["conclusion"] is None
    assert job["steps"] == []


def test_exclusive_traits_are_refused_together() -> None:
    with pytest.raises(TraitError, match="exclude each other"):
        hookmock.github.event("workflow_run.completed", seed=1, traits=["success", "failure"])


def test_an_unknown_trait_suggests_the_close_one() -> None:
    with pytest.raises(TraitError, match="'merged'"):
        hookmock.github.event("pull_request.closed", seed=1, traits="merge")


def test_organization_trait_adds_the_organization_block() -> None:
    p = hookmock.github.event("issues.opened", seed=1, traits="organization").payload
    org = p["organization"]
    assert p["repository"]["owner"]["type"] == "Organization"
    assert org["login"] == p["repository"]["owner"]["login"]
    assert org["id"] == p["repository"]["owner"]["id"]
    assert org["url"] == f"https://api.github.com/orgs/{org['login']}"
    assert p["sender"]["type"] == "User"
    assert "organization" not in hookmock.github.event("issues.opened", seed=1).payload


def test_installation_and_enterprise_blocks_come_on_request() -> None:
    p = hookmock.github.event("push", seed=1, with_installation=True, with_enterprise=True).payload
    assert set(p["installation"]) == {"id", "node_id"}
    assert isinstance(p["installation"]["id"], int)
    assert p["enterprise"]["html_url"].endswith(p["enterprise"]["slug"])
    assert "installation" not in hookmock.github.event("push", seed=1).payload


def test_closed_issues_say_why() -> None:
    done = hookmock.github.event("issues.closed", seed=1).payload["issue"]
    assert (done["state"], done["state_reason"]) == ("closed", "completed")
    assert done["closed_at"] is not None
    skip = hookmock.github.event("issues.closed", seed=1, traits="not_planned").payload["issue"]
    assert skip["state_reason"] == "not_planned"


def test_labeled_events_carry_the_label_on_the_object_too() -> None:
    p = hookmock.github.event("issues.labeled", seed=1).payload
    assert p["label"] in p["issue"]["labels"]
    q = hookmock.github.event("pull_request.labeled", seed=1).payload
    assert q["label"] in q["pull_request"]["labels"]


def test_an_issue_comment_on_a_pull_request_links_the_pull() -> None:
    p = hookmock.github.event("issue_comment.created", seed=1, traits="on_pull_request").payload
    assert p["issue"]["pull_request"]["html_url"].endswith(f"/pull/{p['issue']['number']}")
    assert p["comment"]["issue_url"] == p["issue"]["url"]
    assert (
        "pull_request"
        not in hookmock.github.event("issue_comment.created", seed=1).payload["issue"]
    )


def test_ping_names_the_hook_the_headers_name() -> None:
    ev = hookmock.github.event("ping", seed=1)
    headers = ev.headers(secret="s")
    assert ev.payload["hook_id"] == ev.payload["hook"]["id"]
    assert headers["X-GitHub-Hook-ID"] == str(ev.payload["hook_id"])
    assert ev.payload["zen"]
    app = hookmock.github.event("ping", seed=1, traits="app", with_installation=True)
    assert "repository" not in app.payload
    assert app.payload["hook"]["type"] == "App"


def test_an_unknown_type_suggests_close_names() -> None:
    with pytest.raises(UnknownTypeError, match=r"pull_request\.opened"):
        hookmock.github.event("pull_request.openned", seed=1)
    with pytest.raises(UnknownTypeError) as info:
        hookmock.github.event("pull_request", seed=1)
    assert info.value.suggestions


def test_the_event_time_is_the_moment_the_payload_describes() -> None:
    from hookmock.providers.github._objects import unix

    for seed in SEEDS:
        pr = hookmock.github.event("pull_request.closed", seed=seed)
        assert unix(pr.payload["pull_request"]["updated_at"]) == pr.created
        assert unix(pr.payload["pull_request"]["merged_at"]) == pr.created
        push = hookmock.github.event("push", seed=seed)
        assert push.payload["repository"]["pushed_at"] == push.created
        assert push.created == hookmock.github.event("push", seed=seed, ref="refs/heads/x").created


def test_bodies_are_identical_across_processes_and_hash_seeds() -> None:
    import hashlib
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import hashlib, hookmock\n"
        "h = hashlib.sha256()\n"
        "for t in hookmock.types('github'):\n"
        "    ev = hookmock.github.event(t, seed=5, traits='organization', with_installation=True)\n"
        "    h.update(ev.body + ev.headers(secret='s')['X-GitHub-Delivery'].encode())\n"
        "print(h.hexdigest())\n"
    )
    root = Path(hookmock.__file__).resolve().parent.parent
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(root)}
        out = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        digests.add(out.stdout.strip())
    here = hashlib.sha256()
    for t in hookmock.types("github"):
        ev = hookmock.github.event(t, seed=5, traits="organization", with_installation=True)
        here.update(ev.body + ev.headers(secret="s")["X-GitHub-Delivery"].encode())
    assert digests == {here.hexdigest()}


def test_overriding_the_last_commit_moves_head_commit_with_it() -> None:
    for seed in range(6):
        last = len(hookmock.github.event("push", seed=seed).payload["commits"]) - 1
        p = hookmock.github.event(
            "push", seed=seed, overrides={"commits": {str(last): {"message": "fix: x"}}}
        ).payload
        assert p["commits"][-1]["message"] == "fix: x"
        assert p["head_commit"] == p["commits"][-1]


def test_overriding_head_commit_moves_the_last_commit_and_after_with_it() -> None:
    sha = "ab" * 20
    p = hookmock.github.event(
        "push", seed=1, head_commit__message="fix: y", head_commit__id=sha
    ).payload
    assert p["commits"][-1]["message"] == "fix: y"
    assert p["commits"][-1]["id"] == sha
    assert p["after"] == sha
    assert p["head_commit"] == p["commits"][-1]
    hookmock.validate(p, provider="github", type="push")


def test_a_typo_under_head_commit_is_still_an_error() -> None:
    with pytest.raises(hookmock.OverrideError):
        hookmock.github.event("push", seed=1, head_commit__mesage="fix: y")


# -- variety across seeds: what real deliveries sometimes carry, generated sometimes -------------


def _share(type_: str, check: Any, seeds: int = 200) -> float:
    return (
        sum(bool(check(hookmock.github.event(type_, seed=s).payload)) for s in range(seeds)) / seeds
    )


@pytest.mark.parametrize(
    ("type_", "check"),
    [
        ("pull_request.opened", lambda p: p["pull_request"]["labels"]),
        ("pull_request.opened", lambda p: p["pull_request"]["assignees"]),
        ("pull_request.opened", lambda p: p["pull_request"]["requested_reviewers"]),
        ("pull_request.opened", lambda p: p["pull_request"]["milestone"]),
        ("issues.opened", lambda p: p["issue"]["labels"]),
        ("issues.opened", lambda p: p["issue"]["assignee"]),
        ("issues.opened", lambda p: p["issue"]["milestone"]),
        ("issue_comment.created", lambda p: p["comment"]["user"]["type"] == "Bot"),
        ("issues.labeled", lambda p: p["sender"]["type"] == "Bot"),
        ("installation.created", lambda p: p["requester"]),
        (
            "check_suite.completed",
            lambda p: "username" in p["check_suite"]["head_commit"]["author"],
        ),
        ("release.published", lambda p: "discussion_url" in p["release"]),
    ],
)
def test_optional_content_appears_on_some_seeds_but_not_all(type_: str, check: Any) -> None:
    assert 0.03 < _share(type_, check) < 0.8


def test_a_pull_request_is_opened_by_its_author_a_user_unless_a_bot_opened_it() -> None:
    """Dependabot and Renovate open a share of PRs; the ``human`` trait rules them out."""
    kinds = set()
    for seed in range(100):
        p = hookmock.github.event("pull_request.opened", seed=seed).payload
        assert p["sender"] == p["pull_request"]["user"]
        kinds.add(p["sender"]["type"])
        human = hookmock.github.event("pull_request.opened", seed=seed, traits="human").payload
        assert human["sender"]["type"] == "User"
    assert kinds == {"User", "Bot"}


def test_bot_senders_carry_real_bot_identities() -> None:
    bots = [
        p["sender"]
        for s in range(200)
        if (p := hookmock.github.event("issue_comment.created", seed=s).payload)["sender"]["type"]
        == "Bot"
    ]
    assert bots
    for bot in bots:
        assert bot["login"].endswith("[bot]")
        assert bot["login"] in {
            "dependabot[bot]",
            "github-actions[bot]",
            "renovate[bot]",
            "codecov[bot]",
        }


def test_installation_times_are_unix_integers_as_github_sends_them() -> None:
    for seed in range(20):
        inst = hookmock.github.event("installation.created", seed=seed).payload["installation"]
        assert isinstance(inst["created_at"], int)
        assert isinstance(inst["updated_at"], int)
        assert inst["created_at"] <= inst["updated_at"]


def test_a_labeled_item_lists_its_label_once_and_demilestoned_has_none() -> None:
    for seed in range(40):
        p = hookmock.github.event("pull_request.labeled", seed=seed).payload
        names = [x["name"] for x in p["pull_request"]["labels"]]
        assert names.count(p["label"]["name"]) == 1
        u = hookmock.github.event("issues.unlabeled", seed=seed).payload
        assert u["label"]["name"] not in [x["name"] for x in u["issue"]["labels"]]
        d = hookmock.github.event("issues.demilestoned", seed=seed).payload
        assert d["issue"]["milestone"] is None
        a = hookmock.github.event("pull_request.assigned", seed=seed).payload
        assert a["assignee"] in a["pull_request"]["assignees"]
