"""Event builders: one function per GitHub event, composing objects into the event's payload.

Each builder gets the :class:`World` (shared repository, owner, sender), the catalog entry and
returns the event-specific keys; the provider adds ``repository``, ``organization``,
``installation`` and ``sender`` around them in GitHub's order.
"""

from __future__ import annotations

from hookmock.authoring import TraitError, new, replace

from . import _actions as actions
from . import _code as code
from . import _objects as objects
from ._objects import push_repository

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ._objects import World

    Builder = Callable[[World, dict[str, Any]], dict[str, Any]]

ZERO_SHA = "0" * 40
BUILDERS: dict[str, Builder] = {}
#: A builder sets a shared block (``repository``, ``sender``) to DROP when the event has none.
DROP: Any = object()


def builder(fn: Builder) -> Builder:
    BUILDERS[fn.__name__.rstrip("_")] = fn
    return fn


def _number(w: World, *paths: str) -> int:
    """A PR/issue number, taken from the user's override of any of ``paths`` if there is one."""
    drawn = w.rng.randrange(1, 5000)
    for path in paths:
        got = w.ctx.pick(path, None)
        if isinstance(got, int) and not isinstance(got, bool):
            return got
    return drawn


@builder
def push(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    traits = w.ctx.traits
    tag = "tag" in traits
    created = "created" in traits or (tag and "deleted" not in traits)
    deleted = "deleted" in traits
    repo = push_repository(w)
    default = repo["default_branch"]
    if tag:
        name = f"v{w.rng.randrange(0, 5)}.{w.rng.randrange(0, 20)}.{w.rng.randrange(0, 10)}"
        ref = f"refs/tags/{name}"
    else:
        ref = w.value(
            "ref",
            lambda: (
                f"refs/heads/{default}" if w.rng.random() < 0.6 else f"refs/heads/{code.branch(w)}"
            ),
        )
    before = ZERO_SHA if created else w.sha()
    count = 0 if deleted or tag else (1 if "single_commit" in traits else w.rng.randrange(1, 5))
    if created and not tag and not deleted:
        count = max(count, 1)
    ts = w.before(w.now, 3600 * 5, 60)
    commits = []
    for _ in range(count):
        ts = min(w.now, ts + w.rng.randrange(30, 3600))
        commits.append(code.push_commit(w, ts, w.sender))
    head = None
    if not deleted:
        head = commits[-1] if commits else code.push_commit(w, ts, w.sender)
        if commits and w.ctx.overrides:
            _sync_head_commit(w, head, len(commits) - 1)
    after = ZERO_SHA if deleted else head["id"] if head else w.sha()
    if created:
        compare = f"{repo['html_url']}/compare/{ref.rsplit('/', 1)[-1]}"
    else:
        compare = f"{repo['html_url']}/compare/{before[:12]}...{after[:12]}"
    return {
        "ref": ref,
        "before": before,
        "after": after,
        "repository": repo,
        "pusher": {
            "name": w.sender["login"],
            "email": f"{w.sender['id']}+{w.sender['login']}@users.noreply.github.com",
        },
        "created": created,
        "deleted": deleted,
        "forced": "forced" in traits,
        "base_ref": None,
        "compare": compare,
        "commits": commits,
        "head_commit": head,
    }


def _sync_head_commit(w: World, head: dict[str, Any], last: int) -> None:
    """``head_commit`` is the last commit: an override of either shows in both (and in ``after``).

    Only fields the commit has are merged here; a typo'd path is still left to the strict
    override check, which reports it.
    """
    listed = w.ctx.pick("commits", None)
    if isinstance(listed, list):
        if len(listed) == last + 1 and isinstance(listed[-1], dict):
            _merge_existing(head, listed[-1])
    else:
        _merge_existing(head, w.ctx.pick(["commits", str(last)], None))
    _merge_existing(head, w.ctx.pick("head_commit", None))


def _merge_existing(target: dict[str, Any], tree: Any) -> None:
    if not isinstance(tree, dict):
        return
    for key, value in tree.items():
        if key not in target:
            continue
        if isinstance(value, (new, replace)):
            target[key] = value.value
        elif isinstance(value, dict) and isinstance(target[key], dict):
            _merge_existing(target[key], value)
        else:
            target[key] = value


@builder
def pull_request(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    number = _number(w, "number", "pull_request.number")
    state = entry["state"]
    pr = code.pull_request(w, number=number, state=state, traits=w.ctx.traits)
    out: dict[str, Any] = {"number": number, "pull_request": pr}
    action = entry["action"]
    if action in ("labeled", "unlabeled"):
        w.maybe_bot(0.25)  # labeler workflows (github-actions[bot]) label pull requests
    blocks = entry["blocks"]
    if action == "ready_for_review":
        pr["draft"] = False
    if "before_after" in blocks:
        out["before"] = w.sha()
        out["after"] = pr["head"]["sha"]
    if "label" in blocks:
        lab = objects.label(w)
        pr["labels"] = [x for x in pr["labels"] if x["name"] != lab["name"]]
        if action == "labeled":
            pr["labels"].append(lab)
        out["label"] = lab
    if "assignee" in blocks:
        person = w.user()
        if action == "assigned":
            pr["assignees"].append(person)
            pr["assignee"] = pr["assignees"][0]
        out["assignee"] = person
    if "requested_reviewer" in blocks:
        person = w.user()
        if action == "review_requested":
            pr["requested_reviewers"].append(person)
        out["requested_reviewer"] = person
    if "milestone" in blocks:
        ms = objects.milestone(w)
        # Milestoned: the issue now has it; demilestoned: it has none left.
        pr["milestone"] = ms if state.get("milestone") else None
        out["milestone"] = ms
    if "reason" in blocks:
        out["reason"] = ""
    if "changes" in blocks:
        out["changes"] = {"title": {"from": code.commit_message(w)}}
    return out


def one_of(w: World, choices: list[str], default: str) -> str:
    """The single trait of ``choices`` the user asked for (``failure``), else ``default``."""
    chosen = [c for c in choices if c in w.ctx.traits]
    if len(chosen) > 1:
        raise TraitError(
            f"Traits {', '.join(map(repr, chosen))} exclude each other on {w.ctx.type!r};"
            " pass one of them."
        )
    return chosen[0] if chosen else default


@builder
def ping(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    app_hook = "app" in w.ctx.traits
    hook_id = w.ctx.options.get("hook_id") or w.int_id(100_000_000, 600_000_000)
    out: dict[str, Any] = {
        "zen": w.pick(
            [
                "Keep it logically awesome.",
                "Design for failure.",
                "Speak like a human.",
                "Favor focus over features.",
                "Non-blocking is better than blocking.",
                "Mind your words, they are important.",
                "Approachable is better than simple.",
                "Anything added dilutes everything else.",
                "Practicality beats purity.",
                "Avoid administrative distraction.",
                "Responsive is better than fast.",
                "Half measures are as bad as nothing at all.",
                "Encourage flow.",
                "It's not fully shipped until it's fast.",
            ]
        ),
        "hook_id": hook_id,
        "hook": actions.hook(w, hook_id, app_hook=app_hook),
    }
    if app_hook:
        out["repository"] = DROP
        out["organization"] = DROP
    return out


@builder
def create(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    tag = "tag" in w.ctx.traits
    ref = f"v{w.rng.randrange(0, 5)}.{w.rng.randrange(0, 20)}.0" if tag else code.branch(w)
    return {
        "ref": ref,
        "ref_type": "tag" if tag else "branch",
        "master_branch": w.repo["default_branch"],
        "description": w.repo["description"],
        "pusher_type": "user",
    }


@builder
def delete(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    tag = "tag" in w.ctx.traits
    ref = f"v{w.rng.randrange(0, 5)}.{w.rng.randrange(0, 20)}.0" if tag else code.branch(w)
    return {"ref": ref, "ref_type": "tag" if tag else "branch", "pusher_type": "user"}


@builder
def fork(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    new_owner = w.sender if w.sender is not w.owner else w.user()
    forkee = objects.repository(w, owner=new_owner, name=w.repo["name"])
    forkee.update(
        fork=True,
        created_at=objects.iso(w.now),
        updated_at=objects.iso(w.now),
        pushed_at=w.repo["pushed_at"],
        stargazers_count=0,
        watchers_count=0,
        watchers=0,
        forks_count=0,
        forks=0,
        open_issues_count=0,
        open_issues=0,
        private=w.repo["private"],
        visibility=w.repo["visibility"],
        description=w.repo["description"],
        language=None,
        license=w.repo["license"],
        # GitHub does not copy topics to a fork, and the description allows only an empty
        # list here (forkee.topics items are null-typed).
        topics=[],
        default_branch=w.repo["default_branch"],
        public=not w.repo["private"],
    )
    w.sender = new_owner
    return {"forkee": forkee}


@builder
def public(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    w.repo.update(private=False, visibility="public")
    return {}


@builder
def status(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    r = w.repo
    state = one_of(w, ["success", "failure", "error", "pending"], "success")
    sha = w.sha()
    sid = w.int_id(10_000_000_000, 40_000_000_000)
    created = w.before(w.now, 600, 5)
    person = w.git_person(w.sender)
    when = objects.iso(w.before(created, 3600, 30))
    git = {"name": person["name"], "email": person["email"], "date": when}
    commit_api = f"{r['url']}/commits/{sha}"
    parent = w.sha()
    context = w.pick(
        [
            "ci/circleci: build",
            "continuous-integration/jenkins",
            "codecov/patch",
            "netlify/deploy-preview",
            "security/snyk",
        ]
    )
    descriptions = {
        "success": "Your tests passed!",
        "failure": "Your tests failed.",
        "error": "The build errored.",
        "pending": "Your tests are queued.",
    }
    return {
        "id": sid,
        "sha": sha,
        "name": r["full_name"],
        "target_url": f"https://ci.example.com/{r['full_name']}/{w.rng.randrange(1, 9000)}",
        "avatar_url": f"https://avatars.githubusercontent.com/oa/{w.rng.randrange(1000, 99999)}?v=4",
        "context": context,
        "description": descriptions[state],
        "state": state,
        "commit": {
            "sha": sha,
            "node_id": objects.legacy_node_id("Commit", w.int_id())
            if w.rng.random() < 0.3
            else w.node_id("C"),
            "commit": {
                "author": git,
                "committer": git,
                "message": code.commit_message(w),
                "tree": {"sha": w.sha(), "url": f"{r['url']}/git/trees/{w.sha()}"},
                "url": f"{r['url']}/git/commits/{sha}",
                "comment_count": 0,
                "verification": {
                    "verified": False,
                    "reason": "unsigned",
                    "signature": None,
                    "payload": None,
                    "verified_at": None,
                },
            },
            "url": commit_api,
            "html_url": f"{r['html_url']}/commit/{sha}",
            "comments_url": f"{commit_api}/comments",
            "author": w.sender,
            "committer": w.sender,
            "parents": [
                {
                    "sha": parent,
                    "url": f"{r['url']}/commits/{parent}",
                    "html_url": f"{r['html_url']}/commit/{parent}",
                }
            ],
        },
        "branches": [
            {
                "name": r["default_branch"],
                "commit": {"sha": sha, "url": commit_api},
                "protected": w.rng.random() < 0.5,
            }
        ],
        "created_at": objects.iso(created),
        "updated_at": objects.iso(w.now),
    }


@builder
def gollum(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    pages = []
    for _ in range(w.rng.randrange(1, 3)):
        title = w.sentence().title()
        name = title.replace(" ", "-")
        pages.append(
            {
                "page_name": name,
                "title": title,
                "summary": None,
                "action": w.pick(["created", "edited"]),
                "sha": w.sha(),
                "html_url": f"{w.repo['html_url']}/wiki/{name}",
            }
        )
    return {"pages": pages}


@builder
def workflow_dispatch(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "inputs": {
            "environment": w.pick(["staging", "production"]),
            "dry_run": w.pick(["true", "false"]),
        },
        "ref": f"refs/heads/{w.repo['default_branch']}",
        "workflow": f".github/workflows/{w.pick(['deploy.yml', 'release.yml', 'ci.yml'])}",
    }


@builder
def watch(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    if w.sender is w.owner:
        w.sender = w.user()
    return {}


@builder
def star(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    if w.sender is w.owner:
        w.sender = w.user()
    return {"starred_at": objects.iso(w.now) if entry["action"] == "created" else None}


#: Only pull_request events carry these; review events get GitHub's "simple" pull request.
_FULL_PR_ONLY = (
    "merged",
    "mergeable",
    "rebaseable",
    "mergeable_state",
    "merged_by",
    "comments",
    "review_comments",
    "maintainer_can_modify",
    "commits",
    "additions",
    "deletions",
    "changed_files",
)


def _pr_for(w: World) -> dict[str, Any]:
    number = _number(w, "pull_request.number")
    pr = code.pull_request(w, number=number, state={}, traits=frozenset())
    for key in _FULL_PR_ONLY:
        pr.pop(key, None)
    return pr


@builder
def pull_request_review(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    pr = _pr_for(w)
    action = entry["action"]
    if action == "dismissed":
        state = "dismissed"
    elif action == "submitted":
        state = one_of(w, ["approved", "changes_requested", "commented"], "approved")
    else:
        state = w.pick(["approved", "commented", "changes_requested"])
    rv = code.review(w, pr, state=state)
    if action == "edited" and rv["body"] is None:
        rv["body"] = w.paragraph()
    out: dict[str, Any] = {"review": rv, "pull_request": pr}
    if "changes" in entry["blocks"]:
        out["changes"] = {"body": {"from": w.paragraph()}}
    return out


@builder
def pull_request_review_comment(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    pr = _pr_for(w)
    comment = code.review_comment(w, pr, edited=entry["action"] != "created")
    out: dict[str, Any] = {"comment": comment, "pull_request": pr}
    if "changes" in entry["blocks"]:
        out["changes"] = {"body": {"from": w.paragraph()}}
    return out


_BOT_ISSUE_ACTIONS = frozenset({"opened", "labeled", "unlabeled", "closed", "edited"})


@builder
def issues(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    number = _number(w, "issue.number")
    state = entry["state"]
    action = entry["action"]
    if action in _BOT_ISSUE_ACTIONS:
        # Workflows and apps open, label and close issues (a dependency dashboard, stale bots).
        w.maybe_bot(0.1)
    issue = code.issue(w, number=number, state=state, traits=w.ctx.traits)
    out: dict[str, Any] = {"issue": issue}
    blocks = entry["blocks"]
    if "label" in blocks:
        lab = objects.label(w)
        issue["labels"] = [x for x in issue["labels"] if x["name"] != lab["name"]]
        if action == "labeled":
            issue["labels"].append(lab)
        out["label"] = lab
    if "assignee" in blocks:
        person = w.user()
        if action == "assigned":
            issue["assignees"].append(person)
            issue["assignee"] = issue["assignees"][0]
        out["assignee"] = person
    if "milestone" in blocks:
        ms = objects.milestone(w)
        # Milestoned: the issue now has it; demilestoned: it has none left.
        issue["milestone"] = ms if state.get("milestone") else None
        out["milestone"] = ms
    if "changes" in blocks:
        out["changes"] = {"title": {"from": w.sentence()}}
    if "transfer" in blocks:
        new_repo = objects.repository(w)
        new_number = w.rng.randrange(1, 5000)
        saved = w.repo
        w.repo = new_repo
        new_issue = code.issue(w, number=new_number, state={}, traits=frozenset())
        w.repo = saved
        out["changes"] = {"new_issue": new_issue, "new_repository": new_repo}
    return out


@builder
def issue_comment(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    on_pr = "on_pull_request" in w.ctx.traits
    number = _number(w, "issue.number")
    issue = code.issue(w, number=number, state={}, traits=frozenset(), is_pull=on_pr)
    # Bots comment a lot (coverage reports, dependency updates, CI summaries).
    w.maybe_bot(0.15)
    comment = code.issue_comment(w, issue, edited=entry["action"] != "created")
    out: dict[str, Any] = {"issue": issue, "comment": comment}
    if "changes" in entry["blocks"]:
        out["changes"] = {"body": {"from": w.paragraph()}}
    return out


@builder
def commit_comment(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    return {"comment": code.commit_comment(w)}


@builder
def release(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    rel = code.release(w, state=entry["state"], action=entry["action"])
    out: dict[str, Any] = {"release": rel}
    if "changes" in entry["blocks"]:
        out["changes"] = {"body": {"from": "## What's changed\n* " + code.commit_message(w)}}
    return out


_RUN_CONCLUSIONS = [
    "success",
    "failure",
    "cancelled",
    "skipped",
    "timed_out",
    "neutral",
    "action_required",
]


@builder
def workflow_run(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    status_ = entry["state"]["status"]
    conclusion = one_of(w, _RUN_CONCLUSIONS, "success") if status_ == "completed" else None
    wf = actions.workflow(w)
    return {
        "workflow": wf,
        "workflow_run": actions.workflow_run(w, wf, status=status_, conclusion=conclusion),
    }


@builder
def workflow_job(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    status_ = entry["state"]["status"]
    conclusion = (
        one_of(w, ["success", "failure", "cancelled", "skipped"], "success")
        if status_ == "completed"
        else None
    )
    out: dict[str, Any] = {
        "workflow_job": actions.workflow_job(w, status=status_, conclusion=conclusion)
    }
    if status_ == "waiting":
        out["deployment"] = actions.deployment(w, environment="production")
    return out


@builder
def check_run(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    status_ = entry["state"]["status"]
    conclusion = one_of(w, _RUN_CONCLUSIONS, "success") if status_ == "completed" else None
    out: dict[str, Any] = {"check_run": actions.check_run(w, status=status_, conclusion=conclusion)}
    if "requested_action" in entry["blocks"]:
        out["requested_action"] = {"identifier": w.pick(["fix_lint", "rerun_flaky", "ignore"])}
    return out


@builder
def check_suite(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    status_ = entry["state"]["status"]
    conclusion = one_of(w, _RUN_CONCLUSIONS, "success") if status_ == "completed" else None
    return {"check_suite": actions.check_suite(w, status=status_, conclusion=conclusion)}


@builder
def installation(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    action = entry["action"]
    inst = actions.installation(w, suspended=bool(entry["state"].get("suspended")))
    out: dict[str, Any] = {"installation": inst, "repository": DROP}
    # Real new_permissions_accepted deliveries list the repositories too; the catalog (not
    # ours to edit) only names the block for created/deleted.
    if "repositories" in entry["blocks"] or action == "new_permissions_accepted":
        repos = [actions.installation_repo(w)]
        for _ in range(w.rng.randrange(0, 3)):
            repos.append(actions.installation_repo(w, objects.repository(w)))
        out["repositories"] = repos
    if action == "created":
        out["requester"] = _requester(w)
    return out


def _requester(w: World) -> dict[str, Any] | None:
    """Who asked an admin to install the app (or change its repositories): usually nobody."""
    return w.user() if w.rng.random() < 0.3 else None


@builder
def installation_repositories(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    inst = actions.installation(w)
    inst["repository_selection"] = "selected"
    repos = [actions.installation_repo(w)]
    added = entry["action"] == "added"
    return {
        "installation": inst,
        "repository_selection": "selected",
        "repositories_added": repos if added else [],
        "repositories_removed": [] if added else repos,
        "requester": _requester(w),
        "repository": DROP,
    }


@builder
def repository(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    r = w.repo
    action = entry["action"]
    state = entry["state"]
    if "archived" in state:
        r["archived"] = state["archived"]
    if "private" in state:
        r["private"] = state["private"]
        r["visibility"] = "private" if state["private"] else "public"
    if action == "created":
        r.update(
            created_at=objects.iso(w.now),
            updated_at=objects.iso(w.now),
            pushed_at=objects.iso(w.now),
            stargazers_count=0,
            watchers_count=0,
            watchers=0,
            forks_count=0,
            forks=0,
            open_issues_count=0,
            open_issues=0,
            size=0,
        )
    r["updated_at"] = objects.iso(w.now)
    out: dict[str, Any] = {}
    if action == "edited":
        out["changes"] = {"description": {"from": w.sentence()}}
    elif action == "renamed":
        out["changes"] = {"repository": {"name": {"from": w.slug()}}}
    elif action == "transferred":
        out["changes"] = {"owner": {"from": {"user": w.user()}}}
    return out


@builder
def member(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    action = entry["action"]
    out: dict[str, Any] = {"member": w.user()}
    if action == "added":
        out["changes"] = {"permission": {"to": w.pick(["write", "read", "admin"])}}
    elif action == "edited":
        old, new = w.rng.sample(["read", "triage", "write", "maintain", "admin"], 2)
        # old_permission is the older key (still sent next to permission); receivers read either.
        out["changes"] = {"old_permission": {"from": old}, "permission": {"from": old, "to": new}}
    return out


@builder
def deployment(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    return {"deployment": actions.deployment(w), "workflow": None, "workflow_run": None}


@builder
def deployment_status(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    state = one_of(
        w,
        ["success", "failure", "error", "pending", "in_progress", "queued", "inactive"],
        "success",
    )
    dep = actions.deployment(w)
    return {
        "deployment_status": actions.deployment_status(w, dep, state),
        "deployment": dep,
        "check_run": None,
        "workflow": None,
        "workflow_run": None,
    }


@builder
def label(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    lab = objects.label(w, created=entry["action"] == "created")
    out: dict[str, Any] = {"label": lab}
    if "changes" in entry["blocks"]:
        out["changes"] = {"color": {"from": w.ctx.hexdigits(6)}}
    return out


@builder
def milestone(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    state = "closed" if entry["state"].get("closed") else "open"
    ms = objects.milestone(w, state=state)
    out: dict[str, Any] = {"milestone": ms}
    if "changes" in entry["blocks"]:
        out["changes"] = {"description": {"from": w.sentence()}}
    return out


@builder
def discussion(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    number = _number(w, "discussion.number")
    disc = code.discussion(w, number=number, state=entry["state"])
    out: dict[str, Any] = {"discussion": disc}
    if "answer" in entry["blocks"]:
        answer = code.discussion_comment(w, disc)
        disc["answer_html_url"] = answer["html_url"]
        disc["answer_chosen_at"] = answer["updated_at"]
        disc["answer_chosen_by"] = w.sender
        out["answer"] = answer
    blocks = entry["blocks"]
    if "changes" in blocks:
        out["changes"] = {"title": {"from": w.sentence()}}
    if "label" in blocks:
        out["label"] = objects.label(w)
    if "old_answer" in blocks:
        out["old_answer"] = code.discussion_comment(w, disc, edited=True)
    if "category" in blocks:
        old = code.discussion(w, number=number, state={})["category"]
        old["id"] = disc["category"]["id"] + 1 + w.rng.randrange(1000)
        out["changes"] = {"category": {"from": old}}
    if "transfer" in blocks:
        target = objects.repository(w, name=f"{w.repo['name']}-{w.pick(['docs', 'community'])}")
        moved = code.discussion(w, number=w.rng.randrange(1, 500), state={})
        moved.update(
            repository_url=target["url"],
            html_url=f"{target['html_url']}/discussions/{moved['number']}",
            title=disc["title"],
            body=disc["body"],
            user=disc["user"],
            created_at=disc["created_at"],
        )
        moved["category"]["repository_id"] = target["id"]
        out["changes"] = {"new_discussion": moved, "new_repository": target}
    return out


@builder
def discussion_comment(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    number = _number(w, "discussion.number")
    disc = code.discussion(w, number=number, state={})
    comment = code.discussion_comment(w, disc, edited=entry["action"] != "created")
    out: dict[str, Any] = {"comment": comment, "discussion": disc}
    if "changes" in entry["blocks"]:
        out["changes"] = {"body": {"from": w.paragraph()}}
    return out


@builder
def team_add(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    return {"team": objects.team(w)}


@builder
def merge_group(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    r = w.repo
    sha = w.sha()
    number = w.rng.randrange(1, 5000)
    base = r["default_branch"]
    return {
        "merge_group": {
            "head_sha": sha,
            "head_ref": f"refs/heads/gh-readonly-queue/{base}/pr-{number}-{w.sha()}",
            "base_sha": w.sha(),
            "base_ref": f"refs/heads/{base}",
            "head_commit": actions.head_commit(w, sha, w.before(w.now, 600, 5)),
        }
    }


@builder
def page_build(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    bid = w.int_id(100_000_000, 900_000_000)
    failed = w.rng.random() < 0.1
    created = w.before(w.now, 120, 10)
    return {
        "id": bid,
        "build": {
            "url": f"{w.repo['url']}/pages/builds/{bid}",
            "status": "errored" if failed else "built",
            "error": {"message": "Page build failed." if failed else None},
            "pusher": w.sender,
            "commit": w.sha(),
            "duration": w.rng.randrange(500, 90_000),
            "created_at": objects.iso(created),
            "updated_at": objects.iso(w.now),
        },
    }


@builder
def repository_dispatch(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    # The action is the caller's ``event_type``; GitHub only delivers this to apps.
    return {
        "action": w.pick(["deploy", "on-demand-test", "rebuild-docs", "sync"]),
        "branch": w.repo["default_branch"],
        "client_payload": {"unit": w.pick([True, False]), "integration": True},
        "installation": objects.installation_ref(w),
    }


@builder
def meta(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    hook_id = w.ctx.options.get("hook_id") or w.int_id(100_000_000, 600_000_000)
    hook = actions.hook(w, hook_id)
    for key in ("url", "test_url", "ping_url", "deliveries_url", "last_response"):
        hook.pop(key, None)
    hook["created_at"] = objects.iso(w.before(w.now, 300 * 86400, 86400))
    return {"hook_id": hook_id, "hook": hook}


@builder
def pull_request_review_thread(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    pr = _pr_for(w)
    first = code.review_comment(w, pr, edited=True)
    comments = [first]
    for _ in range(w.rng.randrange(0, 3)):
        reply = code.review_comment(w, pr, edited=True)
        reply.update(
            path=first["path"],
            diff_hunk=first["diff_hunk"],
            line=first["line"],
            original_line=first["original_line"],
            in_reply_to_id=first["id"],
            user=w.user(),
        )
        comments.append(reply)
    return {"pull_request": pr, "thread": {"node_id": w.node_id("PRRT"), "comments": comments}}


_LEVELS = ["off", "non_admins", "everyone"]


@builder
def branch_protection_rule(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    created = w.before(w.now, 365 * 86400, 60) if entry["action"] != "created" else w.now
    checks = w.rng.sample(["build", "test", "lint", "ci/circleci", "codecov/patch"], 2)
    reviews = w.pick(_LEVELS)
    rule = {
        "id": w.int_id(1_000_000, 60_000_000),
        "repository_id": w.repo["id"],
        "name": w.pick([w.repo["default_branch"], "release/*", "main", "v*"]),
        "created_at": objects.iso(created),
        "updated_at": objects.iso(w.now),
        "pull_request_reviews_enforcement_level": reviews,
        "required_approving_review_count": 0 if reviews == "off" else w.rng.randrange(1, 3),
        "dismiss_stale_reviews_on_push": w.rng.random() < 0.5,
        "require_code_owner_review": w.rng.random() < 0.3,
        "authorized_dismissal_actors_only": False,
        "ignore_approvals_from_contributors": False,
        "require_last_push_approval": False,
        "required_status_checks": checks,
        "required_status_checks_enforcement_level": w.pick(_LEVELS),
        "strict_required_status_checks_policy": w.rng.random() < 0.5,
        "signature_requirement_enforcement_level": "off",
        "linear_history_requirement_enforcement_level": w.pick(_LEVELS),
        "lock_branch_enforcement_level": "off",
        "admin_enforced": w.rng.random() < 0.4,
        "create_protected": False,
        "allow_force_pushes_enforcement_level": "off",
        "allow_deletions_enforcement_level": "off",
        "merge_queue_enforcement_level": "off",
        "required_deployments_enforcement_level": "off",
        "required_conversation_resolution_level": w.pick(_LEVELS),
        "authorized_actors_only": False,
        "authorized_actor_names": [],
    }
    out: dict[str, Any] = {"rule": rule}
    if "changes" in entry["blocks"]:
        old = [c for c in _LEVELS if c != rule["required_status_checks_enforcement_level"]]
        out["changes"] = {
            "required_status_checks": {"from": checks[:1]},
            "required_status_checks_enforcement_level": {"from": w.pick(old)},
        }
    return out


@builder
def team(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    t = objects.team(w)
    out: dict[str, Any] = {"team": t}
    action = entry["action"]
    if action == "deleted":
        t["deleted"] = True
    if "changes" in entry["blocks"]:
        out["changes"] = w.pick(
            [
                {"name": {"from": w.slug().replace("-", " ").title()}},
                {"description": {"from": w.sentence()}},
                {"privacy": {"from": "secret" if t["privacy"] == "closed" else "closed"}},
            ]
        )
    if "repository" not in entry["blocks"]:
        # Team-wide actions belong to the organization, not to one repository.
        out["repository"] = DROP
    else:
        # The repository a team gains or loses comes with the team's permissions on it.
        repo = dict(w.repo)
        level = w.pick(["pull", "triage", "push", "maintain", "admin"])
        order = ["pull", "triage", "push", "maintain", "admin"]
        repo["permissions"] = {p: order.index(p) <= order.index(level) for p in order}
        if action == "removed_from_repository":
            repo["permissions"] = dict.fromkeys(order, False)
        out["repository"] = repo
    return out


@builder
def organization(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    org = w.owner["login"]
    out: dict[str, Any] = {"repository": DROP}
    blocks = entry["blocks"]
    if "membership" in blocks:
        member = w.user()
        out["membership"] = {
            "url": f"{objects.API}/orgs/{org}/memberships/{member['login']}",
            "state": "active",
            "role": w.pick(["member", "member", "admin"]),
            "organization_url": f"{objects.API}/orgs/{org}",
            "user": member,
        }
    if "invitation" in blocks:
        invitee = w.user()
        iid = w.int_id(10_000_000, 90_000_000)
        out["invitation"] = {
            "id": iid,
            "node_id": w.node_id("OI"),
            "login": invitee["login"],
            "email": None,
            "role": "direct_member",
            "created_at": objects.iso(w.now),
            "failed_at": None,
            "failed_reason": None,
            "inviter": w.sender,
            "team_count": 0,
            "invitation_teams_url": f"{objects.API}/organizations/{w.owner['id']}"
            f"/invitations/{iid}/teams",
            "invitation_source": "member",
        }
        out["user"] = invitee
    if "changes" in blocks:
        out["changes"] = {"login": {"from": w.login()}}
    return out


@builder
def membership(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "scope": "team",
        "member": w.user(),
        "team": objects.team(w),
        "repository": DROP,
    }


def fresh(payload: dict[str, Any], entry: dict[str, Any]) -> None:
    """A just-created pull request, issue, discussion or milestone (``"new"`` in the catalog's
    state) as GitHub sends it: no comments, reactions or review comments yet, no computed merge
    state, created_at == updated_at, and the sender is its author."""
    key = {"pull_request": "pull_request", "issues": "issue"}.get(entry["event"], entry["event"])
    obj = payload.get(key)
    if not isinstance(obj, dict):
        return
    obj["created_at"] = obj["updated_at"]
    for count in ("comments", "review_comments", "open_issues", "closed_issues"):
        if count in obj:
            obj[count] = 0
    reactions = obj.get("reactions")
    if isinstance(reactions, dict):
        for name, value in reactions.items():
            if isinstance(value, int):
                reactions[name] = 0
    if key == "pull_request":
        obj.update(
            mergeable=None,
            rebaseable=None,
            mergeable_state="unknown",
            merge_commit_sha=None,
            merged=False,
            merged_at=None,
            merged_by=None,
            closed_at=None,
        )
    author = obj.get("creator") if key == "milestone" else obj.get("user")
    if isinstance(author, dict):
        payload["sender"] = author
