"""Hand-written payloads with the quirks real deliveries have: hookmock must accept them.

Each shape mirrors something seen in captured GitHub and Stripe deliveries (bots and organizations
as senders, GHES payloads, older Actions and Stripe API versions, short legacy ids, Connect
events); a few real shapes with a required field removed must still be rejected.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import hookmock
from hookmock._validation import detect, violations

SHA = "9049f1265b7d61be4a8904a9a27120d2064dab3b"
OLD_SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246"
API = "https://api.github.com"


# -- GitHub building blocks (only what the shapes need, plus a few realistic extras) -------------


def _user(login: str = "Codertocat", uid: int = 21031067, kind: str = "User") -> dict[str, Any]:
    prefix = {"User": "MDQ6VXNlcj", "Bot": "MDM6Qm90", "Organization": "MDEyOk9yZ2FuaXphdGlvbj"}
    return {
        "login": login,
        "id": uid,
        "node_id": prefix[kind] + "IxMDMxMDY3",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "gravatar_id": "",
        "url": f"{API}/users/{login}",
        "html_url": f"https://github.com/{login}",
        "followers_url": f"{API}/users/{login}/followers",
        "following_url": f"{API}/users/{login}/following{{/other_user}}",
        "gists_url": f"{API}/users/{login}/gists{{/gist_id}}",
        "starred_url": f"{API}/users/{login}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{API}/users/{login}/subscriptions",
        "organizations_url": f"{API}/users/{login}/orgs",
        "repos_url": f"{API}/users/{login}/repos",
        "events_url": f"{API}/users/{login}/events{{/privacy}}",
        "received_events_url": f"{API}/users/{login}/received_events",
        "type": kind,
        "site_admin": False,
    }


BOT = _user("github-actions[bot]", 41898282, "Bot")
ORG = _user("Octocoders", 33, "Organization")


def _repo(owner: dict[str, Any] | None = None, name: str = "Hello-World") -> dict[str, Any]:
    owner = owner or _user()
    full = f"{owner['login']}/{name}"
    return {
        "id": 186853002,
        "node_id": "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=",
        "name": name,
        "full_name": full,
        "private": False,
        "owner": owner,
        "html_url": f"https://github.com/{full}",
        "description": None,
        "fork": False,
        "url": f"{API}/repos/{full}",
        "created_at": "2019-05-15T15:19:25Z",
        "updated_at": "2019-05-15T15:21:03Z",
        "pushed_at": "2019-05-15T15:20:57Z",
        "homepage": None,
        "language": "Ruby",
        "mirror_url": None,
        "license": None,
        "default_branch": "master",
        **_repo_urls(full),
        "size": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "watchers": 0,
        "forks_count": 0,
        "forks": 0,
        "open_issues_count": 1,
        "open_issues": 1,
        "has_issues": True,
        "has_projects": True,
        "has_downloads": True,
        "has_wiki": True,
        "has_pages": True,
        "has_discussions": False,
        "archived": False,
        "disabled": False,
        "topics": [],
        "visibility": "public",
    }


def _repo_urls(full: str) -> dict[str, str]:
    """Every URL a full repository object carries (real deliveries send them all)."""
    api = f"{API}/repos/{full}"
    return {
        "forks_url": f"{api}/forks",
        "keys_url": f"{api}/keys{{/key_id}}",
        "collaborators_url": f"{api}/collaborators{{/collaborator}}",
        "teams_url": f"{api}/teams",
        "hooks_url": f"{api}/hooks",
        "issue_events_url": f"{api}/issues/events{{/number}}",
        "events_url": f"{api}/events",
        "assignees_url": f"{api}/assignees{{/user}}",
        "branches_url": f"{api}/branches{{/branch}}",
        "tags_url": f"{api}/tags",
        "blobs_url": f"{api}/git/blobs{{/sha}}",
        "git_tags_url": f"{api}/git/tags{{/sha}}",
        "git_refs_url": f"{api}/git/refs{{/sha}}",
        "trees_url": f"{api}/git/trees{{/sha}}",
        "statuses_url": f"{api}/statuses/{{sha}}",
        "languages_url": f"{api}/languages",
        "stargazers_url": f"{api}/stargazers",
        "contributors_url": f"{api}/contributors",
        "subscribers_url": f"{api}/subscribers",
        "subscription_url": f"{api}/subscription",
        "commits_url": f"{api}/commits{{/sha}}",
        "git_commits_url": f"{api}/git/commits{{/sha}}",
        "comments_url": f"{api}/comments{{/number}}",
        "issue_comment_url": f"{api}/issues/comments{{/number}}",
        "contents_url": f"{api}/contents/{{+path}}",
        "compare_url": f"{api}/compare/{{base}}...{{head}}",
        "merges_url": f"{api}/merges",
        "archive_url": f"{api}/{{archive_format}}{{/ref}}",
        "downloads_url": f"{api}/downloads",
        "issues_url": f"{api}/issues{{/number}}",
        "pulls_url": f"{api}/pulls{{/number}}",
        "milestones_url": f"{api}/milestones{{/number}}",
        "notifications_url": f"{api}/notifications{{?since,all,participating}}",
        "labels_url": f"{api}/labels{{/name}}",
        "releases_url": f"{api}/releases{{/id}}",
        "deployments_url": f"{api}/deployments",
        "git_url": f"git://github.com/{full}.git",
        "ssh_url": f"git@github.com:{full}.git",
        "clone_url": f"https://github.com/{full}.git",
        "svn_url": f"https://github.com/{full}",
    }


def _org_blocks() -> dict[str, Any]:
    """The extra blocks an org-owned repository in an enterprise, seen by an app, carries."""
    return {
        "organization": {
            "login": "Octocoders",
            "id": 33,
            "node_id": "MDEyOk9yZ2FuaXphdGlvbjMz",
            "url": f"{API}/orgs/Octocoders",
            "repos_url": f"{API}/orgs/Octocoders/repos",
            "events_url": f"{API}/orgs/Octocoders/events",
            "hooks_url": f"{API}/orgs/Octocoders/hooks",
            "issues_url": f"{API}/orgs/Octocoders/issues",
            "members_url": f"{API}/orgs/Octocoders/members{{/member}}",
            "public_members_url": f"{API}/orgs/Octocoders/public_members{{/member}}",
            "avatar_url": "https://avatars.githubusercontent.com/u/33?v=4",
            "description": "",
        },
        "enterprise": {
            "id": 1,
            "slug": "github",
            "name": "GitHub",
            "node_id": "MDg6QnVzaW5lc3Mx",
            "avatar_url": "https://avatars.githubusercontent.com/b/1?v=4",
            "description": None,
            "website_url": None,
            "html_url": "https://github.com/enterprises/github",
            "created_at": "2019-05-14T19:31:12Z",
            "updated_at": "2019-05-14T19:31:12Z",
        },
        "installation": {"id": 5, "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNQ=="},
    }


def _issue(number: int = 1, **extra: Any) -> dict[str, Any]:
    base = f"{API}/repos/Codertocat/Hello-World/issues/{number}"
    issue: dict[str, Any] = {
        "url": base,
        "repository_url": f"{API}/repos/Codertocat/Hello-World",
        "labels_url": f"{base}/labels{{/name}}",
        "comments_url": f"{base}/comments",
        "events_url": f"{base}/events",
        "html_url": f"https://github.com/Codertocat/Hello-World/issues/{number}",
        "id": 444500041,
        "node_id": "MDU6SXNzdWU0NDQ1MDAwNDE=",
        "number": number,
        "title": "Spelling error in the README file",
        "user": _user(),
        "labels": [],
        "state": "open",
        "locked": False,
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": 0,
        "created_at": "2019-05-15T15:20:18Z",
        "updated_at": "2019-05-15T15:20:18Z",
        "closed_at": None,
        "author_association": "OWNER",
        "active_lock_reason": None,
        "body": None,
        "reactions": _reactions(f"{base}/reactions"),
    }
    issue.update(extra)
    return issue


def _reactions(url: str) -> dict[str, Any]:
    """The reaction rollup issues and comments carry (api.github.com and GHES 3.14 on)."""
    kinds = ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes")
    return {"url": url, "total_count": 0, **dict.fromkeys(kinds, 0)}


def _milestone() -> dict[str, Any]:
    return {
        "url": f"{API}/repos/Codertocat/Hello-World/milestones/1",
        "html_url": "https://github.com/Codertocat/Hello-World/milestone/1",
        "labels_url": f"{API}/repos/Codertocat/Hello-World/milestones/1/labels",
        "id": 4317517,
        "node_id": "MDk6TWlsZXN0b25lNDMxNzUxNw==",
        "number": 1,
        "title": "v1.0",
        "description": "Add new space flight simulator",
        "creator": _user(),
        "open_issues": 1,
        "closed_issues": 0,
        "state": "open",
        "created_at": "2019-05-15T15:20:17Z",
        "updated_at": "2019-05-15T15:20:18Z",
        "due_on": "2019-05-23T07:00:00Z",
        "closed_at": None,
    }


def _branch(ref: str, sha: str) -> dict[str, Any]:
    return {"label": f"Codertocat:{ref}", "ref": ref, "sha": sha, "user": _user(), "repo": _repo()}


def _review_pull_request() -> dict[str, Any]:
    """The pull request as review events carry it: no merged/counters; older ones no draft."""
    base = f"{API}/repos/Codertocat/Hello-World/pulls/2"
    return {
        "url": base,
        "id": 279147437,
        "node_id": "MDExOlB1bGxSZXF1ZXN0Mjc5MTQ3NDM3",
        "html_url": "https://github.com/Codertocat/Hello-World/pull/2",
        "number": 2,
        "state": "open",
        "locked": False,
        "title": "Update the README with new information.",
        "user": _user(),
        "body": "This is a pretty simple change that we need to pull into master.",
        "created_at": "2019-05-15T15:20:33Z",
        "updated_at": "2019-05-15T15:20:38Z",
        "closed_at": None,
        "merged_at": None,
        "merge_commit_sha": "c4295bd74fb0f4fda03689c3df3f2803b658fd85",
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "labels": [],
        "milestone": None,
        "head": _branch("changes", "ec26c3e57ca3a959ca5aad62de7213c562f8c821"),
        "base": _branch("master", "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"),
        "_links": {
            "self": {"href": base},
            "html": {"href": "https://github.com/Codertocat/Hello-World/pull/2"},
            "issue": {"href": f"{API}/repos/Codertocat/Hello-World/issues/2"},
            "comments": {"href": f"{API}/repos/Codertocat/Hello-World/issues/2/comments"},
            "review_comments": {"href": f"{base}/comments"},
            "review_comment": {
                "href": f"{API}/repos/Codertocat/Hello-World/pulls/comments{{/number}}"
            },
            "commits": {"href": f"{base}/commits"},
            "statuses": {"href": f"{API}/repos/Codertocat/Hello-World/statuses/ec26c3e"},
        },
        "diff_url": "https://github.com/Codertocat/Hello-World/pull/2.diff",
        "patch_url": "https://github.com/Codertocat/Hello-World/pull/2.patch",
        "issue_url": f"{API}/repos/Codertocat/Hello-World/issues/2",
        "commits_url": f"{base}/commits",
        "review_comments_url": f"{base}/comments",
        "review_comment_url": f"{API}/repos/Codertocat/Hello-World/pulls/comments{{/number}}",
        "comments_url": f"{API}/repos/Codertocat/Hello-World/issues/2/comments",
        "statuses_url": f"{API}/repos/Codertocat/Hello-World/statuses/ec26c3e",
        "author_association": "OWNER",
        "active_lock_reason": None,
        "auto_merge": None,
        # GitHub's description requires draft here; the hand schemas accepted older deliveries
        # without it.
        "draft": False,
    }


def _workflow_run(status: str, conclusion: str | None, **extra: Any) -> dict[str, Any]:
    """A run as 2021-2022 deliveries send it: no actor, path, display_title or check suite node id."""
    api = f"{API}/repos/octo-org/octo-repo"
    repository = {**_repo(ORG, "octo-repo"), "private": True, "visibility": "private"}
    run: dict[str, Any] = {
        "id": 30433642,
        "name": "Build",
        "node_id": "MDEyOldvcmtmbG93IFJ1bjI2OTI4OQ==",
        "head_branch": "master",
        "head_sha": SHA,
        "run_number": 562,
        "event": "repository_dispatch",
        "status": status,
        "conclusion": conclusion,
        "workflow_id": 159038,
        "check_suite_id": 414944374,
        "url": f"{api}/actions/runs/30433642",
        "html_url": "https://github.com/octo-org/octo-repo/actions/runs/30433642",
        "jobs_url": f"{api}/actions/runs/30433642/jobs",
        "logs_url": f"{api}/actions/runs/30433642/logs",
        "check_suite_url": f"{api}/check-suites/414944374",
        "artifacts_url": f"{api}/actions/runs/30433642/artifacts",
        "cancel_url": f"{api}/actions/runs/30433642/cancel",
        "rerun_url": f"{api}/actions/runs/30433642/rerun",
        "workflow_url": f"{api}/actions/workflows/159038",
        "pull_requests": [],
        "created_at": "2020-01-22T19:33:08Z",
        "updated_at": "2020-01-22T19:33:08Z",
        "run_attempt": 1,
        "run_started_at": "2020-01-22T19:33:08Z",
        "head_commit": {
            "id": SHA,
            "tree_id": "31b122c26a97cf9af023e9ddab94a82c6e77b0ea",
            "message": "Update main.yaml",
            "timestamp": "2020-01-22T19:33:05Z",
            "author": {"name": "Codertocat", "email": "octocat@github.com"},
            "committer": {"name": "GitHub", "email": "noreply@github.com"},
        },
        "repository": repository,
        "head_repository": repository,
    }
    run.update(extra)
    return run


def _workflow() -> dict[str, Any]:
    return {
        "id": 159038,
        "node_id": "MDg6V29ya2Zsb3cxNTkwMzg=",
        "name": "Build",
        "path": ".github/workflows/build.yml",
        "state": "active",
        "created_at": "2020-01-08T23:48:37.000-08:00",
        "updated_at": "2020-01-08T23:50:21.000-08:00",
        "url": f"{API}/repos/octo-org/octo-repo/actions/workflows/159038",
        "html_url": "https://github.com/octo-org/octo-repo/blob/master/.github/workflows/build.yml",
        "badge_url": "https://github.com/octo-org/octo-repo/workflows/Build/badge.svg",
    }


def _workflow_job(status: str, conclusion: str | None = None) -> dict[str, Any]:
    """A job as 2021 deliveries and GHES up to 3.5 send it: no run_attempt yet."""
    return {
        "id": 2832853555,
        "run_id": 940463255,
        "run_url": f"{API}/repos/octo-org/example-workflow/actions/runs/940463255",
        "node_id": "MDg6Q2hlY2tSdW4yODMyODUzNTU1",
        "head_sha": SHA,
        "url": f"{API}/repos/octo-org/example-workflow/actions/jobs/2832853555",
        "html_url": "https://github.com/octo-org/example-workflow/runs/2832853555",
        "status": status,
        "conclusion": conclusion,
        "started_at": "2021-06-15T19:22:27Z",
        "completed_at": None,
        "name": "Test workflow",
        "steps": [],
        "check_run_url": f"{API}/repos/octo-org/example-workflow/check-runs/2832853555",
        "labels": ["gpu", "db-app", "dc-03"],
        "runner_id": None,
        "runner_name": None,
        "runner_group_id": None,
        "runner_group_name": None,
    }


def _deployment() -> dict[str, Any]:
    return {
        "url": f"{API}/repos/Codertocat/Hello-World/deployments/145988746",
        "id": 145988746,
        "node_id": "MDEwOkRlcGxveW1lbnQxNDU5ODg3NDY=",
        "sha": OLD_SHA,
        "ref": "master",
        "task": "deploy",
        "payload": {},
        "original_environment": "production",
        "environment": "production",
        "description": None,
        "creator": _user(),
        "created_at": "2019-05-15T15:20:53Z",
        "updated_at": "2019-05-15T15:20:53Z",
        "statuses_url": f"{API}/repos/Codertocat/Hello-World/deployments/145988746/statuses",
        "repository_url": f"{API}/repos/Codertocat/Hello-World",
    }


def _deployment_status() -> dict[str, Any]:
    return {
        "url": f"{API}/repos/Codertocat/Hello-World/deployments/145988746/statuses/209916254",
        "id": 209916254,
        "node_id": "MDE2OkRlcGxveW1lbnRTdGF0dXMyMDk5MTYyNTQ=",
        "state": "success",
        "creator": _user(),
        "description": "",
        "environment": "production",
        "target_url": "",
        "created_at": "2019-05-15T15:20:55Z",
        "updated_at": "2019-05-15T15:20:55Z",
        "deployment_url": f"{API}/repos/Codertocat/Hello-World/deployments/145988746",
        "repository_url": f"{API}/repos/Codertocat/Hello-World",
    }


def _ok(payload: dict[str, Any], type_: str, provider: str = "github") -> None:
    assert violations(payload, provider, type_) == []
    assert hookmock.validate(payload, provider=provider, type=type_) == (provider, type_)


def _pointers(payload: dict[str, Any], type_: str, provider: str = "github") -> set[str]:
    found = violations(payload, provider, type_)
    assert found, "expected the schema to reject this payload"
    return {v.pointer for v in found}


# -- GitHub: senders and extra blocks ------------------------------------------------------------


def test_a_bot_commenting_on_an_org_repo_in_an_enterprise_validates() -> None:
    payload = {
        "action": "created",
        "issue": _issue(performed_via_github_app=None),
        "comment": {
            "url": f"{API}/repos/Octocoders/Hello-World/issues/comments/492700400",
            "html_url": "https://github.com/Octocoders/Hello-World/issues/1#issuecomment-492700400",
            "issue_url": f"{API}/repos/Octocoders/Hello-World/issues/1",
            "id": 492700400,
            "node_id": "MDEyOklzc3VlQ29tbWVudDQ5MjcwMDQwMA==",
            "user": BOT,
            "created_at": "2019-05-15T15:20:21Z",
            "updated_at": "2019-05-15T15:20:21Z",
            "author_association": "NONE",
            "body": "Deployed to staging :rocket:",
            "performed_via_github_app": None,
            "reactions": _reactions(
                f"{API}/repos/Octocoders/Hello-World/issues/comments/492700400/reactions"
            ),
        },
        "repository": _repo(ORG),
        "sender": BOT,
        **_org_blocks(),
    }
    _ok(payload, "issue_comment.created")
    body = json.dumps(payload).encode()
    assert hookmock.validate(body, headers={"X-GitHub-Event": "issue_comment"})[1] == (
        "issue_comment.created"
    )


def test_a_fork_sent_by_an_organization_validates() -> None:
    # A new fork has no language yet (GitHub detects it later): the description says null.
    forkee = {**_repo(ORG), "fork": True, "id": 186853261, "public": True, "language": None}
    payload = {"forkee": forkee, "repository": _repo(), "sender": ORG}
    _ok(payload, "fork")


# -- GitHub: reduced objects some events carry ---------------------------------------------------


def test_a_review_carries_the_simple_pull_request_without_merged_or_counters() -> None:
    payload = {
        "action": "submitted",
        "review": {
            "id": 237895671,
            "node_id": "MDE3OlB1bGxSZXF1ZXN0UmV2aWV3MjM3ODk1Njcx",
            "user": _user(),
            "body": None,
            "commit_id": "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
            "submitted_at": "2019-05-15T15:20:38Z",
            "state": "commented",
            "html_url": "https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671",
            "pull_request_url": f"{API}/repos/Codertocat/Hello-World/pulls/2",
            "author_association": "OWNER",
            "_links": {
                "html": {
                    "href": "https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671"
                },
                "pull_request": {"href": f"{API}/repos/Codertocat/Hello-World/pulls/2"},
            },
        },
        "pull_request": _review_pull_request(),
        "repository": _repo(),
        "sender": _user(),
    }
    _ok(payload, "pull_request_review.submitted")
    broken = copy.deepcopy(payload)
    del broken["pull_request"]["head"]
    assert "/pull_request" in _pointers(broken, "pull_request_review.submitted")


def test_an_opened_pull_request_still_needs_merged_and_draft() -> None:
    payload = hookmock.github.event("pull_request.opened", seed=4).payload
    del payload["pull_request"]["merged"]
    assert "/pull_request" in _pointers(payload, "pull_request.opened")


def test_a_pinned_issue_without_state_labels_or_locked_validates() -> None:
    issue = _issue(draft=False, performed_via_github_app=None)
    for key in ("state", "labels", "locked", "assignee"):
        del issue[key]
    for action in ("pinned", "unpinned"):
        payload = {"action": action, "issue": issue, "repository": _repo(), "sender": _user()}
        _ok(payload, f"issues.{action}")
    opened = {"action": "opened", "issue": issue, "repository": _repo(), "sender": _user()}
    assert "/issue" in _pointers(opened, "issues.opened")


def test_a_ghes_milestoned_issue_gives_the_milestone_only_on_the_issue() -> None:
    payload: dict[str, Any] = {
        "action": "milestoned",
        "issue": _issue(milestone=_milestone()),
        "repository": _repo(),
        "sender": _user(),
        **_org_blocks(),
    }
    _ok(payload, "issues.milestoned")
    payload["issue"]["milestone"] = None
    # Neither the top-level block nor the issue names a milestone: nothing says which one.
    assert _pointers(payload, "issues.milestoned") & {"", "/issue/milestone"}
    payload["action"] = "demilestoned"
    _ok(payload, "issues.demilestoned")


def test_installation_repositories_without_a_requester_validates() -> None:
    installation = {
        "id": 2,
        "account": _user("octocat", 1),
        "repository_selection": "selected",
        "access_tokens_url": f"{API}/installations/2/access_tokens",
        "repositories_url": f"{API}/installation/repositories",
        "html_url": "https://github.com/settings/installations/2",
        "app_id": 5725,
        "target_id": 3880403,
        "target_type": "User",
        "permissions": {"metadata": "read", "contents": "read", "issues": "write"},
        "events": ["push", "pull_request"],
        "created_at": 1501449845,
        "updated_at": 1501449845,
        "single_file_name": "config.yml",
    }
    added = {
        "id": 1296269,
        "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
        "name": "Hello-World",
        "full_name": "octocat/Hello-World",
        "private": False,
    }
    payload = {
        "action": "added",
        "installation": installation,
        "repository_selection": "selected",
        "repositories_added": [added],
        "repositories_removed": [],
        "sender": _user("octocat", 1),
    }
    _ok(payload, "installation_repositories.added")
    del payload["repositories_added"]
    assert "" in _pointers(payload, "installation_repositories.added")


# -- GitHub: Actions payloads from other eras ----------------------------------------------------


def test_older_workflow_job_payloads_without_run_attempt_validate() -> None:
    base = {"repository": _repo(), "sender": _user(), **_org_blocks()}
    _ok(
        {"action": "in_progress", "workflow_job": _workflow_job("in_progress"), **base},
        "workflow_job.in_progress",
    )
    _ok(
        {"action": "queued", "workflow_job": _workflow_job("queued"), **base}, "workflow_job.queued"
    )


def test_a_queued_job_already_waiting_for_an_environment_validates() -> None:
    payload = {
        "action": "queued",
        "workflow_job": _workflow_job("waiting"),
        "repository": _repo(),
        "sender": _user(),
    }
    _ok(payload, "workflow_job.queued")
    # GitHub's description lets a queued delivery report any job status (the job may have moved
    # on before the delivery left); a word that is no job status is still rejected.
    payload["workflow_job"]["status"] = "finished"
    assert "/workflow_job/status" in _pointers(payload, "workflow_job.queued")


def test_a_requested_run_can_arrive_completed_needing_approval() -> None:
    run = _workflow_run("completed", "action_required")
    payload = {
        "action": "requested",
        "workflow": _workflow(),
        "workflow_run": run,
        "repository": _repo(),
        "sender": _user(),
    }
    _ok(payload, "workflow_run.requested")
    payload["workflow_run"]["conclusion"] = None
    assert "/workflow_run" in " ".join(_pointers(payload, "workflow_run.requested"))


def test_a_completed_run_without_path_validates_but_needs_a_conclusion() -> None:
    run = _workflow_run("completed", "success", event="push")
    payload = {
        "action": "completed",
        "workflow": _workflow(),
        "workflow_run": run,
        "repository": _repo(),
        "sender": _user(),
    }
    assert "path" not in run
    _ok(payload, "workflow_run.completed")
    run["conclusion"] = None
    assert "/workflow_run/conclusion" in _pointers(payload, "workflow_run.completed")


# -- GitHub: deployments -------------------------------------------------------------------------


def test_ghes_deployments_without_an_action_validate_and_are_detected() -> None:
    ghes = {"repository": _repo(), "sender": _user(), **_org_blocks()}
    deployment = {"deployment": _deployment(), **ghes}
    status = {"deployment_status": _deployment_status(), "deployment": _deployment(), **ghes}
    _ok(deployment, "deployment.created")
    _ok(status, "deployment_status.created")
    assert detect(deployment, provider="github") == ("github", "deployment.created")
    headers = {"X-GitHub-Event": "deployment_status"}
    assert detect(status, provider="github", headers=headers) == (
        "github",
        "deployment_status.created",
    )
    status["action"] = "deleted"
    assert "/action" in _pointers(status, "deployment_status.created")


def test_deployments_made_by_actions_are_not_mistaken_for_runs_or_checks() -> None:
    # Deployment events carry the run without its head commit (GitHub's description: null).
    run = _workflow_run("in_progress", None, event="push", head_commit=None)
    deployment = {
        "action": "created",
        "deployment": _deployment(),
        "workflow": _workflow(),
        "workflow_run": run,
        "repository": _repo(),
        "sender": _user(),
    }
    assert detect(deployment, provider="github") == ("github", "deployment.created")
    check_run = hookmock.github.event("check_run.created", seed=2).payload["check_run"]
    status = {
        "action": "created",
        "deployment_status": _deployment_status(),
        "deployment": _deployment(),
        "check_run": check_run,
        "workflow_run": run,
        "repository": _repo(),
        "sender": _user(),
    }
    assert detect(status, provider="github") == ("github", "deployment_status.created")
    _ok(status, "deployment_status.created")


# -- GitHub: what generated payloads carry -------------------------------------------------------


def test_generated_repositories_carry_custom_properties_like_real_ones() -> None:
    for type_ in ("push", "issues.opened", "check_run.completed", "workflow_run.completed"):
        payload = hookmock.github.event(type_, seed=1).payload
        assert payload["repository"]["custom_properties"] == {}


# -- Stripe ---------------------------------------------------------------------------------------


def _stripe_event(obj: dict[str, Any], type_: str, **envelope: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": "evt_3N0LoOB9kJ5FDFAy1BRLwoaK",
        "object": "event",
        "api_version": "2022-11-15",
        "created": 1682328999,
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {
            "id": "req_sePcTTxLcGKTeS",
            "idempotency_key": "187d5349-fe3e-4150-b02b-f5bd552f5150",
        },
        "type": type_,
    }
    event.update(envelope)
    return event


def _payment_intent_2022() -> dict[str, Any]:
    """A succeeded payment intent as API version 2022-11-15 sends it (invoice still on it)."""
    return {
        "id": "pi_3N0LoOB9kJ5FDFAy1yipaNO3",
        "object": "payment_intent",
        "amount": 150000,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": 150000,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic",
        "client_secret": "pi_3N0LoOB9kJ5FDFAy1yipaNO3_secret_mkRYCIHepFLpkKwEf5FJkelvG",
        "confirmation_method": "automatic",
        "created": 1682328956,
        "currency": "lkr",
        "customer": "cus_NgffrmLRGg2F7f",
        "description": None,
        "invoice": None,
        "last_payment_error": None,
        "latest_charge": "ch_3N0LoOB9kJ5FDFAy1ePq8RIv",
        "livemode": False,
        "metadata": {"appointment_id": "46"},
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": "pm_1N0Lp4B9kJ5FDFAyUFVYKwRP",
        "payment_method_options": {
            "card": {"installments": None, "network": None, "request_three_d_secure": "automatic"}
        },
        "payment_method_types": ["card"],
        "processing": None,
        "receipt_email": None,
        "review": None,
        "setup_future_usage": None,
        "shipping": None,
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "succeeded",
        "transfer_data": None,
        "transfer_group": None,
    }


def test_an_older_api_version_payment_intent_with_short_ids_validates() -> None:
    _ok(
        _stripe_event(_payment_intent_2022(), "payment_intent.succeeded"),
        "payment_intent.succeeded",
        "stripe",
    )


def test_a_connect_event_with_account_and_an_automatic_request_validates() -> None:
    event = _stripe_event(
        _payment_intent_2022(),
        "payment_intent.succeeded",
        account="acct_1EaetYCOCguPTL2B",
        request={"id": None, "idempotency_key": None},
        livemode=True,
    )
    _ok(event, "payment_intent.succeeded", "stripe")
    assert detect(event) == ("stripe", "payment_intent.succeeded")


def test_a_2019_invoice_paid_with_billing_and_a_plan_line_validates() -> None:
    invoice = {
        "id": "in_1EaeuMCOCguPTL2BHIsx4Q4R",
        "object": "invoice",
        "amount_due": 2000,
        "amount_paid": 2000,
        "amount_remaining": 0,
        "attempt_count": 1,
        "attempted": True,
        "auto_advance": False,
        "billing": "charge_automatically",
        "billing_reason": "subscription_create",
        "charge": "ch_1EaeuNCOCguPTL2BrfmkoOm9",
        "collection_method": "charge_automatically",
        "created": 1557995176,
        "currency": "usd",
        "customer": "cus_6lsBvm5rJ0zyHc",
        "discount": None,
        "ending_balance": 0,
        "lines": {
            "object": "list",
            "data": [
                {
                    "id": "sli_3445f2b5e035b0",
                    "object": "line_item",
                    "amount": 2000,
                    "currency": "usd",
                    "livemode": False,
                    "period": {"end": 1562137289, "start": 1559545289},
                    "plan": {
                        "id": "gold21323",
                        "object": "plan",
                        "amount": 2000,
                        "interval": "month",
                    },
                    "proration": False,
                    "quantity": 1,
                    "subscription": "sub_F4oXE3hDqP4O9v",
                    "subscription_item": "si_FBXFzo2zBOeeMy",
                    "type": "subscription",
                }
            ],
            "has_more": False,
            "total_count": 1,
            "url": "/v1/invoices/in_1EaeuMCOCguPTL2BHIsx4Q4R/lines",
        },
        "livemode": False,
        "paid": True,
        "payment_intent": "pi_1EaeuNCOCguPTL2BzBW2gR6r",
        "period_end": 1557995176,
        "period_start": 1557995176,
        "status": "paid",
        "status_transitions": {
            "finalized_at": 1559545289,
            "marked_uncollectible_at": None,
            "paid_at": 1559545289,
            "voided_at": None,
        },
        "subscription": "sub_F4oXE3hDqP4O9v",
        "subtotal": 2000,
        "tax": None,
        "tax_percent": None,
        "total": 2000,
    }
    event = _stripe_event(invoice, "invoice.paid", api_version="2019-05-16")
    _ok(event, "invoice.paid", "stripe")
    invoice["status"] = "open"
    assert "/data/object/status" in _pointers(event, "invoice.paid", "stripe")


def test_an_async_checkout_session_completes_unpaid() -> None:
    session = hookmock.stripe.event("checkout.session.completed", seed=3).payload
    session["data"]["object"]["payment_status"] = "unpaid"
    session["data"]["object"]["customer"] = "cus_4QWKsZuuTHcs7X"
    _ok(session, "checkout.session.completed", "stripe")


def test_real_stripe_shapes_still_fail_without_required_fields() -> None:
    event = _stripe_event(_payment_intent_2022(), "payment_intent.succeeded")
    del event["pending_webhooks"]
    assert "" in _pointers(event, "payment_intent.succeeded", "stripe")
    event = _stripe_event(_payment_intent_2022(), "payment_intent.succeeded")
    del event["data"]["object"]["currency"]
    assert "/data/object" in _pointers(event, "payment_intent.succeeded", "stripe")


@pytest.mark.parametrize(
    "legacy_id", ["cus_4QWKsZuuTHcs7X", "cus_6lsBvm5rJ0zyHc", "cus_NZbFQAsc0ptasX"]
)
def test_legacy_short_customer_ids_validate(legacy_id: str) -> None:
    customer = {
        "id": legacy_id,
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": 1401123456,
        "currency": "usd",
        "default_source": None,
        "delinquent": False,
        "email": None,
        "invoice_prefix": "48E15F3",
        "invoice_settings": {"custom_fields": None, "default_payment_method": None, "footer": None},
        "livemode": False,
        "metadata": {},
        "name": None,
        "tax_exempt": "none",
    }
    _ok(
        _stripe_event(customer, "customer.created", api_version="2014-03-28"),
        "customer.created",
        "stripe",
    )


@pytest.mark.parametrize(
    "type_", ["pull_request_review.submitted", "pull_request_review_comment.created"]
)
def test_generated_review_events_carry_the_simple_pull_request(type_: str) -> None:
    pr = hookmock.github.event(type_, seed=6).payload["pull_request"]
    assert not {"merged", "mergeable", "additions", "commits", "maintainer_can_modify"} & set(pr)
    assert {"number", "head", "base", "state", "draft"} <= set(pr)


# -- Stripe: older API versions and custom ids ----------------------------------------------------


def _plan_2019(plan_id: str = "gold21323", product: str = "prod_EvJLfUuAYvAKHX") -> dict[str, Any]:
    return {
        "id": plan_id,
        "object": "plan",
        "active": True,
        "aggregate_usage": None,
        "amount": 2000,
        "billing_scheme": "per_unit",
        "created": 1556582400,
        "currency": "usd",
        "interval": "month",
        "interval_count": 1,
        "livemode": False,
        "metadata": {},
        "nickname": None,
        "product": product,
        "tiers": None,
        "tiers_mode": None,
        "transform_usage": None,
        "trial_period_days": None,
        "usage_type": "licensed",
    }


def _price_2024(price_id: str = "price_1PTfXhB9kJ5FDFAyM8b4vD3e") -> dict[str, Any]:
    return {
        "id": price_id,
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": 1718800000,
        "currency": "usd",
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "nickname": None,
        "product": "prod_QKLCMpNkGN4dSX",
        "recurring": {
            "aggregate_usage": None,
            "interval": "month",
            "interval_count": 1,
            "meter": None,
            "trial_period_days": None,
            "usage_type": "licensed",
        },
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring",
        "unit_amount": 2000,
        "unit_amount_decimal": "2000",
    }


def _subscription_2024_06_20() -> dict[str, Any]:
    """A subscription as API version 2024-06-20 sends it: the current period on the subscription."""
    return {
        "id": "sub_1PTfYJB9kJ5FDFAyhU4ljR1x",
        "object": "subscription",
        "application": None,
        "billing_cycle_anchor": 1718800100,
        "cancel_at": None,
        "cancel_at_period_end": True,
        "canceled_at": 1719400000,
        "cancellation_details": {
            "comment": None,
            "feedback": None,
            "reason": "cancellation_requested",
        },
        "collection_method": "charge_automatically",
        "created": 1718800100,
        "currency": "usd",
        "current_period_end": 1721392100,
        "current_period_start": 1718800100,
        "customer": "cus_QKLDt4s2Kj0bVZ",
        "default_payment_method": "pm_1PTfYHB9kJ5FDFAyVJgMxjR4",
        "ended_at": None,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": "si_QKLEGb3cdS3cIu",
                    "object": "subscription_item",
                    "billing_thresholds": None,
                    "created": 1718800101,
                    "discounts": [],
                    "metadata": {},
                    "plan": {
                        **_plan_2019("price_1PTfXhB9kJ5FDFAyM8b4vD3e"),
                        "amount_decimal": "2000",
                    },
                    "price": _price_2024(),
                    "quantity": 1,
                    "subscription": "sub_1PTfYJB9kJ5FDFAyhU4ljR1x",
                    "tax_rates": [],
                }
            ],
            "has_more": False,
            "total_count": 1,
            "url": "/v1/subscription_items?subscription=sub_1PTfYJB9kJ5FDFAyhU4ljR1x",
        },
        "latest_invoice": "in_1PTfYJB9kJ5FDFAyS6Mcv0hP",
        "livemode": False,
        "metadata": {},
        "plan": _plan_2019("price_1PTfXhB9kJ5FDFAyM8b4vD3e"),
        "quantity": 1,
        "start_date": 1718800100,
        "status": "active",
        "trial_end": None,
        "trial_start": None,
    }


def test_a_2024_subscription_update_with_the_period_on_the_subscription_validates() -> None:
    sub = _subscription_2024_06_20()
    event = _stripe_event(
        sub,
        "customer.subscription.updated",
        api_version="2024-06-20",
        data={"object": sub, "previous_attributes": {"cancel_at_period_end": False}},
    )
    _ok(event, "customer.subscription.updated", "stripe")


def test_a_subscription_with_its_period_nowhere_is_rejected() -> None:
    sub = _subscription_2024_06_20()
    del sub["current_period_end"]
    event = _stripe_event(sub, "customer.subscription.updated", api_version="2024-06-20")
    assert _pointers(event, "customer.subscription.updated", "stripe")
    # Since 2025-03-31.basil the period is on each item instead: that shape is valid too.
    del sub["current_period_start"]
    item = sub["items"]["data"][0]
    item.update(current_period_end=1721392100, current_period_start=1718800100)
    _ok(event, "customer.subscription.updated", "stripe")
    del item["current_period_start"]
    assert _pointers(event, "customer.subscription.updated", "stripe")


def _subscription_2019() -> dict[str, Any]:
    """A 2019 subscription: billing instead of collection_method, no currency, plan-only items."""
    return {
        "id": "sub_F4oXE3hDqP4O9v",
        "object": "subscription",
        "application_fee_percent": None,
        "billing": "charge_automatically",
        "billing_cycle_anchor": 1557995176,
        "billing_thresholds": None,
        "cancel_at_period_end": False,
        "canceled_at": None,
        "created": 1557995176,
        "current_period_end": 1560673576,
        "current_period_start": 1557995176,
        "customer": "cus_6lsBvm5rJ0zyHc",
        "days_until_due": None,
        "default_source": None,
        "discount": None,
        "ended_at": None,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": "si_FBXFzo2zBOeeMy",
                    "object": "subscription_item",
                    "billing_thresholds": None,
                    "created": 1557995177,
                    "metadata": {},
                    "plan": _plan_2019(),
                    "quantity": 1,
                    "subscription": "sub_F4oXE3hDqP4O9v",
                    "tax_rates": [],
                }
            ],
            "has_more": False,
            "total_count": 1,
            "url": "/v1/subscription_items?subscription=sub_F4oXE3hDqP4O9v",
        },
        "livemode": False,
        "metadata": {},
        "plan": _plan_2019(),
        "quantity": 1,
        "start": 1557995176,
        "start_date": 1557995176,
        "status": "active",
        "tax_percent": None,
        "trial_end": None,
        "trial_start": None,
    }


def test_a_2019_subscription_with_billing_and_plan_only_items_validates() -> None:
    event = _stripe_event(
        _subscription_2019(), "customer.subscription.created", api_version="2019-05-16"
    )
    _ok(event, "customer.subscription.created", "stripe")


def test_a_2019_subscription_still_needs_a_plan_or_price_and_a_collection_method() -> None:
    sub = _subscription_2019()
    del sub["items"]["data"][0]["plan"]
    event = _stripe_event(sub, "customer.subscription.created", api_version="2019-05-16")
    assert _pointers(event, "customer.subscription.created", "stripe")
    sub = _subscription_2019()
    del sub["billing"]
    event = _stripe_event(sub, "customer.subscription.created", api_version="2019-05-16")
    assert _pointers(event, "customer.subscription.created", "stripe")
    sub = _subscription_2019()
    sub["billing"] = "by_carrier_pigeon"
    event = _stripe_event(sub, "customer.subscription.created", api_version="2019-05-16")
    assert "/data/object/billing" in _pointers(event, "customer.subscription.created", "stripe")


def test_an_upcoming_invoice_with_temporary_line_ids_validates() -> None:
    event = hookmock.stripe.event("invoice.upcoming", seed=4).payload
    line = event["data"]["object"]["lines"]["data"][0]
    line["id"] = "il_tmp_1MoqxMLgUG5tbmjcomPf5R4Q"
    _ok(event, "invoice.upcoming", "stripe")
    line["id"] = "il_temp_1MoqxMLgUG5tbmjcomPf5R4Q"
    assert "/data/object/lines/data/0/id" in _pointers(event, "invoice.upcoming", "stripe")


def test_a_legacy_plan_backed_price_and_custom_product_ids_validate() -> None:
    price = {**_price_2024("gold21323"), "product": "gold-membership"}
    _ok(_stripe_event(price, "price.updated", api_version="2020-08-27"), "price.updated", "stripe")
    plan = _plan_2019(product="gold-membership")
    _ok(_stripe_event(plan, "plan.created", api_version="2019-05-16"), "plan.created", "stripe")
    product = {
        "id": "gold-membership",
        "object": "product",
        "active": True,
        "created": 1556582000,
        "default_price": "gold21323",
        "description": None,
        "images": [],
        "livemode": False,
        "metadata": {},
        "name": "Gold membership",
        "type": "service",
        "updated": 1556582000,
        "url": None,
    }
    _ok(_stripe_event(product, "product.created"), "product.created", "stripe")


def test_custom_ids_must_still_look_like_ids() -> None:
    price = {**_price_2024(), "product": "gold membership!"}
    event = _stripe_event(price, "price.updated")
    assert "/data/object/product" in _pointers(event, "price.updated", "stripe")
    price = _price_2024("")
    event = _stripe_event(price, "price.updated")
    assert "/data/object/id" in _pointers(event, "price.updated", "stripe")


@pytest.mark.parametrize("request_", ["req_8TWYdb1t0GbvXz", None])
def test_a_pre_2017_event_with_a_plain_request_id_validates(request_: str | None) -> None:
    event = _stripe_event(
        _payment_intent_2022(),
        "payment_intent.succeeded",
        api_version="2017-02-14",
        request=request_,
    )
    _ok(event, "payment_intent.succeeded", "stripe")


def test_a_plain_request_id_must_still_be_a_request_id() -> None:
    event = _stripe_event(_payment_intent_2022(), "payment_intent.succeeded", request="1234")
    assert "/request" in _pointers(event, "payment_intent.succeeded", "stripe")


def _invoice_2018() -> dict[str, Any]:
    """An invoice before 2019-03-14: ``date`` not ``created``, ``billing`` not ``collection_method``."""
    return {
        "id": "in_1DaB2cCOCguPTL2B",
        "object": "invoice",
        "amount_due": 2000,
        "amount_paid": 2000,
        "amount_remaining": 0,
        "attempt_count": 1,
        "attempted": True,
        "billing": "charge_automatically",
        "billing_reason": "subscription_cycle",
        "charge": "ch_1DaB2dCOCguPTL2B",
        "closed": True,
        "currency": "usd",
        "customer": "cus_6lsBvm5rJ0zyHc",
        "date": 1543000000,
        "forgiven": False,
        "lines": {
            "object": "list",
            "data": [
                {
                    "id": "sli_a1b2c3d4e5f6a7",
                    "object": "line_item",
                    "amount": 2000,
                    "currency": "usd",
                    "period": {"end": 1545592000, "start": 1543000000},
                    "plan": _plan_2019(),
                    "quantity": 1,
                    "type": "subscription",
                }
            ],
            "has_more": False,
            "total_count": 1,
            "url": "/v1/invoices/in_1DaB2cCOCguPTL2B/lines",
        },
        "livemode": False,
        "paid": True,
        "period_end": 1543000000,
        "period_start": 1540408000,
        "status": "paid",
        "status_transitions": {"finalized_at": 1543003600, "paid_at": 1543003700},
        "subscription": "sub_F4oXE3hDqP4O9v",
        "subtotal": 2000,
        "total": 2000,
    }


def test_a_2018_invoice_with_date_and_billing_validates() -> None:
    event = _stripe_event(_invoice_2018(), "invoice.payment_succeeded", api_version="2018-02-28")
    _ok(event, "invoice.payment_succeeded", "stripe")


def test_an_invoice_without_created_or_date_is_rejected() -> None:
    invoice = _invoice_2018()
    del invoice["date"]
    event = _stripe_event(invoice, "invoice.payment_succeeded", api_version="2018-02-28")
    assert _pointers(event, "invoice.payment_succeeded", "stripe")
    invoice = _invoice_2018()
    invoice["date"] = "2018-11-23"
    event = _stripe_event(invoice, "invoice.payment_succeeded", api_version="2018-02-28")
    assert "/data/object/date" in _pointers(event, "invoice.payment_succeeded", "stripe")


# -- GitHub: 2018 check runs and runs completed while queued ---------------------------------------


def _check_run_2018() -> dict[str, Any]:
    """A 2018 check_run: no details_url or node_id yet, the app's times without a T or zone."""
    app = {
        "id": 2,
        "node_id": "MDExOkludGVncmF0aW9uMQ==",
        "owner": ORG,
        "name": "Super Duper",
        "description": None,
        "external_url": "http://super-duper.example.com",
        "html_url": "http://github.com/apps/super-duper",
        "created_at": "2018-04-25 20:42:10",
        "updated_at": "2018-04-25 20:42:10",
    }
    return {
        "action": "rerequested",
        "check_run": {
            "id": 128620228,
            "head_sha": SHA,
            "external_id": "",
            "url": f"{API}/repos/Codertocat/Hello-World/check-runs/128620228",
            "html_url": "https://github.com/Codertocat/Hello-World/runs/128620228",
            "status": "completed",
            "conclusion": "success",
            "started_at": "2018-05-04T01:14:52Z",
            "completed_at": "2018-05-04T01:14:52Z",
            "output": {
                "title": "Mighty Readme Report",
                "summary": "",
                "text": "",
                "annotations_count": 2,
                "annotations_url": f"{API}/repos/Codertocat/Hello-World/check-runs/128620228/annotations",
            },
            "name": "randscape",
            "check_suite": {"id": 118578147, "head_sha": SHA, "status": "completed"},
            "app": app,
            "pull_requests": [],
        },
        "repository": _repo(),
        "sender": _user(),
    }


def test_a_2018_check_run_without_details_url_or_node_id_validates() -> None:
    _ok(_check_run_2018(), "check_run.rerequested")


@pytest.mark.parametrize("stamp", ["2018-04-25", "25/04/2018 20:42", "yesterday"])
def test_an_app_time_must_still_be_a_time(stamp: str) -> None:
    payload = _check_run_2018()
    payload["check_run"]["app"]["created_at"] = stamp
    assert "/check_run/app/created_at" in _pointers(payload, "check_run.rerequested")


def test_a_run_completed_while_still_queued_validates_with_no_conclusion() -> None:
    payload = {
        "action": "completed",
        "workflow": _workflow(),
        "workflow_run": _workflow_run("queued", None),
        "repository": _repo(),
        "sender": _user(),
    }
    _ok(payload, "workflow_run.completed")
    payload["workflow_run"]["status"] = "finished"
    assert "/workflow_run/status" in _pointers(payload, "workflow_run.completed")


# -- GitHub: organization-level events (teams, members) and more discussion actions ---------------


def _team(**extra: Any) -> dict[str, Any]:
    url = f"{API}/organizations/33/team/2723476"
    return {
        "name": "github",
        "id": 2723476,
        "node_id": "MDQ6VGVhbTI3MjM0NzY=",
        "slug": "github",
        "description": "",
        "privacy": "closed",
        "url": url,
        "html_url": "https://github.com/orgs/Octocoders/teams/github",
        "members_url": f"{url}/members{{/member}}",
        "repositories_url": f"{url}/repos",
        "permission": "pull",
        **extra,
    }


def test_org_level_team_and_membership_events_validate_without_a_repository() -> None:
    org = _org_blocks()["organization"]
    _ok(
        {"action": "created", "team": _team(), "organization": org, "sender": _user()},
        "team.created",
    )
    added = {"action": "added_to_repository", "team": _team(), "repository": _repo(ORG)}
    _ok({**added, "organization": org, "sender": _user()}, "team.added_to_repository")
    # A membership removed after its team was deleted names the team by id and name only.
    gone = {"id": 2723476, "name": "github", "deleted": True}
    member = {"action": "removed", "scope": "team", "member": _user("octocat", 583231)}
    _ok({**member, "team": gone, "organization": org, "sender": _user()}, "membership.removed")
    joined = {
        "url": f"{API}/orgs/Octocoders/memberships/octocat",
        "state": "active",
        "role": "member",
        "organization_url": f"{API}/orgs/Octocoders",
        "user": _user("octocat", 583231),
    }
    org_event = {"action": "member_added", "membership": joined, "organization": org}
    _ok({**org_event, "sender": _user()}, "organization.member_added")
    renamed = {"action": "renamed", "changes": {"login": {"from": "Octocoders-old"}}}
    payload = {**renamed, "organization": org, "sender": _user()}
    assert detect(payload) == ("github", "organization.renamed")
    _ok(payload, "organization.renamed")
    del payload["organization"]
    assert "" in _pointers(payload, "organization.renamed")


def test_discussion_labeled_and_unanswered_validate() -> None:
    discussion = hookmock.github.event("discussion.created", seed=5).payload["discussion"]
    label = {
        "id": 2638092321,
        "node_id": "MDU6TGFiZWwyNjM4MDkyMzIx",
        "url": f"{API}/repos/Codertocat/Hello-World/labels/help%20wanted",
        "name": "help wanted",
        "color": "008672",
        "default": True,
        "description": "Extra attention is needed",
    }
    base = {"discussion": discussion, "repository": _repo(), "sender": _user()}
    _ok({"action": "labeled", "label": label, **base}, "discussion.labeled")
    assert detect({"action": "unlabeled", "label": label, **base}) == (
        "github",
        "discussion.unlabeled",
    )
    answer = hookmock.github.event("discussion.answered", seed=5).payload["answer"]
    _ok({"action": "unanswered", "old_answer": answer, **base}, "discussion.unanswered")
    assert "" in _pointers({"action": "unanswered", **base}, "discussion.unanswered")
