"""Event builders: one function per GitHub event, composing objects into the event's payload.

Each builder gets the :class:`World` (shared repository, owner, sender), the catalog entry and
returns the event-specific keys; the provider adds ``repository``, ``organization``,
``installation`` and ``sender`` around them in GitHub's order.
"""

from __future__ import annotations

from . import _code as code
from ._objects import push_repository

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ._objects import World

    Builder = Callable[[World, dict[str, Any]], dict[str, Any]]

ZERO_SHA = "0" * 40
BUILDERS: dict[str, Builder] = {}


def builder(fn: Builder) -> Builder:
    BUILDERS[fn.__name__.rstrip("_")] = fn
    return fn


def _number(w: World, *paths: str) -> int:
    """A PR/issue number, taken from the user's override of any of ``paths`` if there is one."""
    for path in paths:
        got = w.ctx.pick(path, None)
        if isinstance(got, int) and not isinstance(got, bool):
            return got
    return w.rng.randrange(1, 5000)


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
        ref = w.ctx.pick("ref", None) or (
            f"refs/heads/{default}" if w.rng.random() < 0.6 else f"refs/heads/{code.branch(w)}"
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


@builder
def pull_request(w: World, entry: dict[str, Any]) -> dict[str, Any]:
    number = _number(w, "number", "pull_request.number")
    state = entry["state"]
    pr = code.pull_request(w, number=number, state=state, traits=w.ctx.traits)
    out: dict[str, Any] = {"number": number, "pull_request": pr}
    action = entry["action"]
    blocks = entry["blocks"]
    if action == "ready_for_review":
        pr["draft"] = False
    if "before_after" in blocks:
        out["before"] = w.sha()
        out["after"] = pr["head"]["sha"]
    if "label" in blocks:
        lab = _label(w)
        if action == "labeled":
            pr["labels"].append(lab)
        out["label"] = lab
    if "assignee" in blocks:
        person = w.user()
        if action == "assigned":
            pr["assignee"] = person
            pr["assignees"] = [person]
        out["assignee"] = person
    if "requested_reviewer" in blocks:
        person = w.user()
        if action == "review_requested":
            pr["requested_reviewers"] = [person]
        out["requested_reviewer"] = person
    if "milestone" in blocks:
        from ._objects import milestone

        ms = milestone(w)
        if state.get("milestone"):
            pr["milestone"] = ms
        out["milestone"] = ms
    if "reason" in blocks:
        out["reason"] = ""
    if "changes" in blocks:
        out["changes"] = {"title": {"from": code.commit_message(w)}}
    return out


def _label(w: World) -> dict[str, Any]:
    from ._objects import label

    return label(w)
