"""Builders for code-review objects: commits, pull requests, reviews, issues, comments, releases."""

from __future__ import annotations

import random

from ._objects import iso, label, legacy_node_id, milestone, repository, unix

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._objects import World

_PREFIXES = ["feature", "fix", "chore", "docs", "refactor", "deps"]
_FILES = [
    "README.md",
    "src/app.py",
    "src/models.py",
    "tests/test_app.py",
    "pyproject.toml",
    "docs/index.md",
    "src/api/routes.py",
    ".github/workflows/ci.yml",
]


def branch(w: World) -> str:
    return f"{w.pick(_PREFIXES)}/{w.slug()}"


def commit_message(w: World) -> str:
    verb = w.pick(["Fix", "Add", "Update", "Remove", "Refactor", "Bump"])
    return f"{verb} {w.sentence().lower()}"


def push_commit(w: World, ts: int, author: dict[str, Any]) -> dict[str, Any]:
    """A commit as ``push`` lists it (``id``, ``tree_id``, file lists, git author/committer)."""
    sha = w.sha()
    person = w.git_person(author)
    files = list(_FILES)
    w.rng.shuffle(files)
    k = w.rng.randrange(0, 3)
    offset = w.pick(["Z", "+00:00", "+01:00", "+02:00", "-05:00", "-07:00", "+05:30"])
    stamp = iso(ts)
    if offset != "Z":
        # Git records the committer's local offset; GitHub shows local time with it.
        sign = 1 if offset[0] == "+" else -1
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        stamp = iso(ts + sign * (hours * 3600 + minutes * 60))[:-1] + offset
    message = commit_message(w)
    if w.rng.random() < 0.3:
        message += "\n\n" + w.paragraph()
    return {
        "id": sha,
        "tree_id": w.sha(),
        "distinct": True,
        "message": message,
        "timestamp": stamp,
        "url": f"{w.repo['html_url']}/commit/{sha}",
        "author": dict(person),
        "committer": dict(person),
        "added": files[:k],
        "removed": [],
        "modified": files[k : k + w.rng.randrange(1, 4)],
    }


def pull_request(
    w: World,
    *,
    number: int,
    state: dict[str, Any],
    traits: frozenset[str],
) -> dict[str, Any]:
    repo = w.repo
    api = repo["url"]
    html = f"{repo['html_url']}/pull/{number}"
    pid = w.int_id(100_000_000, 2_600_000_000)
    author = w.sender if w.rng.random() < 0.6 else w.user()
    if "bot" in traits or ("human" not in traits and w.rng.random() < 0.12):
        # Dependency and automation bots (dependabot, renovate) open a good share of PRs.
        author = w.bot()
    # Some PRs come from a fork: its owner (the author) pushed the head branch there.
    from_fork = "from_fork" in traits or (
        "from_branch" not in traits and author["type"] == "User" and w.rng.random() < 0.25
    )
    if from_fork and author is repo["owner"]:
        author = w.user()
    created = w.before(w.now, 20 * 86400, 3600)
    closed = bool(state.get("closed"))
    merged = closed and "unmerged" not in traits
    draft = "draft" in traits or bool(state.get("draft"))
    head_ref = str(w.value("pull_request.head.ref", lambda: branch(w)))
    commits = w.rng.randrange(1, 12)
    additions = w.rng.randrange(1, 800)
    deletions = w.rng.randrange(0, additions + 50)
    merger = w.sender if merged else None
    auto_merge = None
    if state.get("auto_merge"):
        auto_merge = {
            "enabled_by": w.sender,
            "merge_method": w.pick(["merge", "squash", "rebase"]),
            "commit_title": None,
            "commit_message": None,
        }
    pr: dict[str, Any] = {
        "url": f"{api}/pulls/{number}",
        "id": pid,
        "node_id": legacy_node_id("PullRequest", pid) if pid < 700_000_000 else w.node_id("PR"),
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": f"{api}/issues/{number}",
        "number": number,
        "state": "closed" if closed else "open",
        "locked": bool(state.get("locked")),
        "title": commit_message(w),
        "user": author,
        "body": w.paragraph() if w.rng.random() < 0.8 else None,
        "created_at": iso(created),
        "updated_at": iso(w.now),
        "closed_at": iso(w.now) if closed else None,
        "merged_at": iso(w.now) if merged else None,
        "merge_commit_sha": w.sha(),
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "labels": [],
        "milestone": None,
        "draft": draft,
        "commits_url": f"{api}/pulls/{number}/commits",
        "review_comments_url": f"{api}/pulls/{number}/comments",
        "review_comment_url": f"{api}/pulls/comments{{/number}}",
        "comments_url": f"{api}/issues/{number}/comments",
        "statuses_url": "",
        "head": {
            "label": f"{repo['owner']['login']}:{head_ref}",
            "ref": head_ref,
            "sha": w.sha(),
            "user": repo["owner"],
            "repo": pr_repository(repo),
        },
        "base": {
            "label": f"{repo['owner']['login']}:{repo['default_branch']}",
            "ref": repo["default_branch"],
            "sha": w.sha(),
            "user": repo["owner"],
            "repo": pr_repository(repo),
        },
        "_links": {},
        "author_association": w.association(),
        "auto_merge": auto_merge,
        "active_lock_reason": w.pick(["resolved", "off-topic", "too heated", "spam"])
        if state.get("locked")
        else None,
        "merged": merged,
        "mergeable": None if closed else w.pick([True, True, False, None]),
        "rebaseable": None if closed else w.pick([True, False, None]),
        "mergeable_state": "unknown"
        if closed
        else w.pick(["clean", "unstable", "blocked", "dirty", "unknown"]),
        "merged_by": merger,
        "comments": w.rng.randrange(0, 15),
        "review_comments": w.rng.randrange(0, 25),
        "maintainer_can_modify": False,
        "commits": commits,
        "additions": additions,
        "deletions": deletions,
        "changed_files": w.rng.randrange(1, 30),
    }
    if from_fork:
        fork = repository(w, owner=author, name=repo["name"])
        fork.update(fork=True, private=repo["private"], visibility=repo["visibility"])
        pr["head"].update(label=f"{author['login']}:{head_ref}", user=author)
        pr["head"]["repo"] = pr_repository(fork)
        pr["maintainer_can_modify"] = w.rng.random() < 0.7
        pr["author_association"] = w.pick(["CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "NONE"])
    pr["statuses_url"] = f"{api}/statuses/{pr['head']['sha']}"
    pr["_links"] = {
        "self": {"href": pr["url"]},
        "html": {"href": html},
        "issue": {"href": pr["issue_url"]},
        "comments": {"href": pr["comments_url"]},
        "review_comments": {"href": pr["review_comments_url"]},
        "review_comment": {"href": pr["review_comment_url"]},
        "commits": {"href": pr["commits_url"]},
        "statuses": {"href": pr["statuses_url"]},
    }
    if not merged:
        pr["merge_commit_sha"] = w.sha() if w.rng.random() < 0.7 else None
    _triage(w, pr, reviewers=not closed)
    return pr


#: Merge settings a pull request's head and base repositories carry, GitHub's defaults first.
_MERGE_SETTINGS: tuple[tuple[str, tuple[Any, ...]], ...] = (
    ("allow_merge_commit", (True, True, False)),
    ("allow_squash_merge", (True, True, False)),
    ("allow_rebase_merge", (True, True, False)),
    ("allow_auto_merge", (False, False, True)),
    ("delete_branch_on_merge", (False, True)),
    ("allow_update_branch", (False, True)),
    ("use_squash_pr_title_as_default", (False, False, True)),
    ("squash_merge_commit_title", ("COMMIT_OR_PR_TITLE", "PR_TITLE")),
    ("squash_merge_commit_message", ("COMMIT_MESSAGES", "PR_BODY", "BLANK")),
    ("merge_commit_title", ("MERGE_MESSAGE", "PR_TITLE")),
    ("merge_commit_message", ("PR_TITLE", "PR_BODY", "BLANK")),
)


def pr_repository(repo: dict[str, Any]) -> dict[str, Any]:
    """A repository as a pull request's ``head.repo``/``base.repo`` carries it: with its merge
    settings, and without ``custom_properties`` (which GitHub's description has only on the
    event's own ``repository``).

    The settings are drawn from the repository's id, so every mention of one repository agrees
    and no draw of the event shifts.
    """
    pick = random.Random(repo["id"]).choice
    out = {k: v for k, v in repo.items() if k != "custom_properties"}
    out.update((key, pick(choices)) for key, choices in _MERGE_SETTINGS)
    if not out["allow_squash_merge"] and not out["allow_rebase_merge"]:
        out["allow_merge_commit"] = True  # GitHub keeps one merge method enabled
    return out


def _triage(w: World, item: dict[str, Any], *, reviewers: bool = False) -> None:
    """Labels, assignees, a milestone (and reviewers on an open PR), each on some items only."""
    if w.rng.random() < 0.4:
        seen: dict[str, dict[str, Any]] = {}
        for _ in range(w.rng.randrange(1, 4)):
            lab = label(w)
            seen.setdefault(lab["name"], lab)
        item["labels"] = list(seen.values())
    if w.rng.random() < 0.3:
        people = [item["user"] if w.rng.random() < 0.5 else w.user()]
        if w.rng.random() < 0.3:
            people.append(w.user())
        item["assignees"] = people
        item["assignee"] = people[0]
    if w.rng.random() < 0.2:
        item["milestone"] = milestone(w)
    if reviewers and w.rng.random() < 0.35:
        item["requested_reviewers"] = [w.user() for _ in range(w.rng.randrange(1, 3))]


def _reactions(w: World, url: str) -> dict[str, Any]:
    counts = {
        k: (w.rng.randrange(0, 4) if w.rng.random() < 0.2 else 0)
        for k in ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes")
    }
    return {"url": url, "total_count": sum(counts.values()), **counts}


def issue(
    w: World,
    *,
    number: int,
    state: dict[str, Any],
    traits: frozenset[str],
    is_pull: bool = False,
) -> dict[str, Any]:
    repo = w.repo
    api = f"{repo['url']}/issues/{number}"
    iid = w.int_id(100_000_000, 3_600_000_000)
    author = w.sender if w.rng.random() < 0.6 else w.user()
    created = w.before(w.now, 60 * 86400, 3600)
    closed = bool(state.get("closed"))
    html = f"{repo['html_url']}/{'pull' if is_pull else 'issues'}/{number}"
    reason = None
    if closed:
        reason = "not_planned" if "not_planned" in traits else "completed"
    elif state.get("reopened"):
        reason = "reopened"
    out: dict[str, Any] = {
        "url": api,
        "repository_url": repo["url"],
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": html,
        "id": iid,
        "node_id": legacy_node_id("Issue", iid) if iid < 800_000_000 else w.node_id("I"),
        "number": number,
        "title": w.sentence(),
        "user": author,
        "labels": [],
        "state": "closed" if closed else "open",
        "locked": bool(state.get("locked")),
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": w.rng.randrange(0, 20),
        "created_at": iso(created),
        "updated_at": iso(w.now),
        "closed_at": iso(w.now) if closed else None,
        "author_association": w.association(),
        "active_lock_reason": "resolved" if state.get("locked") else None,
        "body": w.paragraph() if w.rng.random() < 0.85 else None,
        "reactions": _reactions(w, f"{api}/reactions"),
        "timeline_url": f"{api}/timeline",
        "performed_via_github_app": None,
        "state_reason": reason,
    }
    _triage(w, out)
    if is_pull:
        out["draft"] = False
        out["pull_request"] = {
            "url": f"{repo['url']}/pulls/{number}",
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "merged_at": None,
        }
    return out


def issue_comment(w: World, issue_obj: dict[str, Any], *, edited: bool = False) -> dict[str, Any]:
    cid = w.int_id(1_000_000_000, 3_500_000_000)
    created = w.before(w.now, 3 * 86400, 30) if edited else w.now
    api = f"{w.repo['url']}/issues/comments/{cid}"
    return {
        "url": api,
        "html_url": f"{issue_obj['html_url']}#issuecomment-{cid}",
        "issue_url": issue_obj["url"],
        "id": cid,
        "node_id": w.node_id("IC"),
        "user": w.sender,
        "created_at": iso(created),
        "updated_at": iso(w.now),
        "author_association": w.association(),
        "body": w.paragraph(),
        "reactions": _reactions(w, f"{api}/reactions"),
        "performed_via_github_app": None,
    }


def review(w: World, pr: dict[str, Any], *, state: str) -> dict[str, Any]:
    rid = w.int_id(1_000_000_000, 3_000_000_000)
    html = f"{pr['html_url']}#pullrequestreview-{rid}"
    return {
        "id": rid,
        "node_id": w.node_id("PRR"),
        "user": w.sender,
        "body": w.paragraph() if state != "approved" or w.rng.random() < 0.3 else None,
        "commit_id": pr["head"]["sha"],
        "submitted_at": iso(w.now),
        "state": state,
        "html_url": html,
        "pull_request_url": pr["url"],
        "author_association": w.association(),
        "_links": {"html": {"href": html}, "pull_request": {"href": pr["url"]}},
    }


def review_comment(w: World, pr: dict[str, Any], *, edited: bool = False) -> dict[str, Any]:
    cid = w.int_id(1_000_000_000, 2_500_000_000)
    api = f"{w.repo['url']}/pulls/comments/{cid}"
    html = f"{pr['html_url']}#discussion_r{cid}"
    created = w.before(w.now, 3 * 86400, 30) if edited else w.now
    line = w.rng.randrange(1, 400)
    return {
        "url": api,
        "pull_request_review_id": w.int_id(1_000_000_000, 3_000_000_000),
        "id": cid,
        "node_id": w.node_id("PRRC"),
        "diff_hunk": f"@@ -{line},6 +{line},8 @@ def handler(event):",
        "path": w.pick(_FILES),
        "commit_id": pr["head"]["sha"],
        "original_commit_id": pr["head"]["sha"],
        "user": w.sender,
        "body": w.paragraph(),
        "created_at": iso(created),
        "updated_at": iso(w.now),
        "html_url": html,
        "pull_request_url": pr["url"],
        "author_association": w.association(),
        "_links": {
            "self": {"href": api},
            "html": {"href": html},
            "pull_request": {"href": pr["url"]},
        },
        "reactions": _reactions(w, f"{api}/reactions"),
        "start_line": None,
        "original_start_line": None,
        "start_side": None,
        "line": line,
        "original_line": line,
        "side": "RIGHT",
        "original_position": w.rng.randrange(1, 50),
        "position": w.rng.randrange(1, 50),
        "subject_type": "line",
    }


def commit_comment(w: World) -> dict[str, Any]:
    cid = w.int_id(100_000_000, 160_000_000)
    sha = w.sha()
    api = f"{w.repo['url']}/comments/{cid}"
    return {
        "url": api,
        "html_url": f"{w.repo['html_url']}/commit/{sha}#commitcomment-{cid}",
        "id": cid,
        "node_id": w.node_id("CC"),
        "user": w.sender,
        "position": None,
        "line": None,
        "path": None,
        "commit_id": sha,
        "created_at": iso(w.now),
        "updated_at": iso(w.now),
        "author_association": w.association(),
        "body": w.paragraph(),
        "reactions": _reactions(w, f"{api}/reactions"),
    }


def release(w: World, *, state: dict[str, Any], action: str) -> dict[str, Any]:
    rid = w.int_id(10_000_000, 260_000_000)
    major, minor, patch = w.rng.randrange(0, 5), w.rng.randrange(0, 30), w.rng.randrange(0, 15)
    prerelease = bool(state.get("prerelease"))
    tag = f"v{major}.{minor}.{patch}" + (f"-rc.{w.rng.randrange(1, 4)}" if prerelease else "")
    draft = bool(state.get("draft"))
    api = f"{w.repo['url']}/releases/{rid}"
    html = f"{w.repo['html_url']}/releases/tag/{tag}"
    created = w.before(w.now, 3 * 86400, 60)
    published = (
        None
        if draft
        else iso(
            w.now
            if action in {"published", "released", "prereleased", "created"}
            else w.before(w.now, 86400, 30)
        )
    )
    author = w.sender
    out: dict[str, Any] = {
        "url": api,
        "assets_url": f"{api}/assets",
        "upload_url": f"https://uploads.github.com/repos/{w.repo['full_name']}/releases/{rid}/assets{{?name,label}}",
        "html_url": html,
        "id": rid,
        "author": author,
        "node_id": w.node_id("RE"),
        "tag_name": tag,
        "target_commitish": w.repo["default_branch"],
        "name": tag,
        "draft": draft,
        "immutable": False,
        "prerelease": prerelease,
        "created_at": iso(created),
        "updated_at": iso(w.now),
        "published_at": published,
        "assets": [],
        "tarball_url": None if draft else f"{w.repo['url']}/tarball/{tag}",
        "zipball_url": None if draft else f"{w.repo['url']}/zipball/{tag}",
        "body": "## What's changed\n* " + commit_message(w),
    }
    if not draft and w.rng.random() < 0.25:
        # A release published with "Create a discussion for this release" links to it.
        out["discussion_url"] = f"{w.repo['html_url']}/discussions/{w.rng.randrange(1, 400)}"
    return out


_CATEGORIES = [
    ("General", "general", ":speech_balloon:", "Chat about anything and everything here", False),
    ("Q&A", "q-a", ":pray:", "Ask the community for help", True),
    ("Ideas", "ideas", ":bulb:", "Share ideas for new features", False),
    ("Show and tell", "show-and-tell", ":raised_hands:", "Show off something you've made", False),
]


def discussion(w: World, *, number: int, state: dict[str, Any]) -> dict[str, Any]:
    repo = w.repo
    did = w.int_id(1_000_000, 9_000_000)
    name, slug, emoji, desc, answerable = w.pick(_CATEGORIES)
    if state.get("answered"):
        name, slug, emoji, desc, answerable = _CATEGORIES[1]
    cat_time = iso(w.before(w.now, 2 * 365 * 86400, 30 * 86400))
    created = w.before(w.now, 30 * 86400, 600)
    html = f"{repo['html_url']}/discussions/{number}"
    closed = bool(state.get("closed"))
    return {
        "repository_url": repo["url"],
        "category": {
            "id": w.int_id(10_000_000, 50_000_000),
            "node_id": w.node_id("DIC"),
            "repository_id": repo["id"],
            "emoji": emoji,
            "name": name,
            "description": desc,
            "created_at": cat_time,
            "updated_at": cat_time,
            "slug": slug,
            "is_answerable": answerable,
        },
        "answer_html_url": None,
        "answer_chosen_at": None,
        "answer_chosen_by": None,
        "html_url": html,
        "id": did,
        "node_id": w.node_id("D"),
        "number": number,
        "title": w.sentence(),
        "user": w.sender if w.rng.random() < 0.5 else w.user(),
        "state": "closed" if closed else ("locked" if state.get("locked") else "open"),
        "state_reason": "resolved" if closed else ("reopened" if state.get("reopened") else None),
        "locked": bool(state.get("locked")),
        "comments": w.rng.randrange(0, 30),
        "created_at": iso(created),
        "updated_at": iso(w.now),
        "author_association": w.association(),
        "active_lock_reason": None,
        "body": w.paragraph(),
        "reactions": _reactions(w, f"{repo['url']}/discussions/{number}/reactions"),
        "timeline_url": f"{repo['url']}/discussions/{number}/timeline",
    }


def discussion_comment(w: World, disc: dict[str, Any], *, edited: bool = False) -> dict[str, Any]:
    cid = w.int_id(1_000_000, 15_000_000)
    created = w.before(w.now, 3 * 86400, 30) if edited else w.now
    created = max(created, _unix(disc["created_at"]))
    return {
        "id": cid,
        "node_id": w.node_id("DC"),
        "html_url": f"{disc['html_url']}#discussioncomment-{cid}",
        "parent_id": None,
        "child_comment_count": 0,
        "repository_url": w.repo["full_name"],
        "discussion_id": disc["id"],
        "author_association": w.association(),
        "user": w.sender,
        "created_at": iso(created),
        "updated_at": iso(w.now),
        "body": w.paragraph(),
        "reactions": _reactions(w, f"{w.repo['url']}/discussions/comments/{cid}/reactions"),
    }


def _unix(stamp: str) -> int:
    return unix(stamp)
