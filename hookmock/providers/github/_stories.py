"""GitHub's stories: the deliveries one action on GitHub produces, sharing ids, URLs and a clock.

Each event comes from the catalog's own builder; the story then makes the repository, the people
and the pull request (or issue, release...) the same in every event, and times move forward. GitHub
sends a story's events in the order they happen (``send_story(order="provider")``).
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta

from hookmock.authoring import Param, StoryDef

from ._objects import Cast, legacy_node_id

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from hookmock.authoring import Event, Teller

_LOGINS = (
    "octocat", "hubot", "monalisa", "mona-dev", "spacecat", "codercat", "linus-t", "ada-l",
    "grace-h", "kenthompson", "dmr", "bkernighan",
)  # fmt: skip
_ORGS = ("octo-org", "acme-corp", "initech", "hooli", "umbrella-dev", "pied-piper")
_REPOS = ("hello-world", "webhooks-app", "billing-service", "docs", "api-gateway", "infra")
_WORDS = ("fix", "add", "retry", "webhook", "signature", "timeout", "cache", "parser", "docs")


#: An ISO-8601 time as a whole JSON string, and a unix time (``push`` gives its repository's
#: times as ints) as the value of a ``*_at`` key, in compact JSON.
_ISO_VALUE = re.compile(r'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d))"')
_UNIX_VALUE = re.compile(r'_at":(\d{10})(?=[,}\]])')
_DECODER = json.JSONDecoder()


def _iso(ts: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _unix(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp).timestamp())


def _shifted(stamp: str, delta: int) -> str:
    if stamp.endswith("Z"):
        return _iso(_unix(stamp) + delta)
    return (datetime.fromisoformat(stamp) + timedelta(seconds=delta)).isoformat()


def _dump(value: Any) -> str:
    if type(value) is int:
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _retimed(text: str, delta: int) -> str:
    """Every time in the compact JSON ``text`` moved by ``delta`` seconds: the factory's clock
    to the story's, keeping how far apart its times are."""
    text = _ISO_VALUE.sub(lambda m: f'"{_shifted(m.group(1), delta)}"', text)
    return _UNIX_VALUE.sub(lambda m: f'_at":{int(m.group(1)) + delta}', text)


def _keyed(text: str, key: str, old: Any, new: Any) -> str:
    """``old`` replaced by ``new`` where it is the value of ``key`` in compact JSON."""
    was, now = f'"{key}":{_dump(old)}', f'"{key}":{_dump(new)}'
    for end in ",}]":
        text = text.replace(was + end, now + end)
    return text


def _spliced(text: str, key: str, value: str) -> str:
    """The value of the top-level ``key`` (the last ``,"key":`` in the text: top-level blocks
    such as ``sender`` come after the nested ones) replaced by the JSON ``value``."""
    marker = f',"{key}":'
    at = text.rfind(marker)
    if at == -1:
        return text
    start = at + len(marker)
    _, end = _DECODER.raw_decode(text, start)
    return text[:start] + value + text[end:]


def _at(payload: Any, path: str) -> Any:
    node: Any = payload
    for part in path.split("."):
        if type(node) is not dict or part not in node:
            return None
        node = node[part]
    return node


def user(login: str, uid: int, kind: str = "User") -> dict[str, Any]:
    """A GitHub user block, as every event's ``sender`` carries it."""
    api = f"https://api.github.com/users/{login}"
    return {
        "login": login,
        "id": uid,
        "node_id": legacy_node_id(kind, uid),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"https://github.com/{login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": kind,
        "user_view_type": "public",
        "site_admin": False,
    }


class _Flow:
    """One GitHub story being told: its repository, people, pull request and clock."""

    def __init__(self, t: Teller) -> None:
        self.t = t
        # Some repositories belong to organizations (a third, as single events draw them).
        org = t.rng.random() < 0.3
        logins = t.rng.sample(_LOGINS, 3)
        self.repo = t.obj(
            "repository",
            owner=t.rng.choice(_ORGS) if org else logins[0],
            name=t.rng.choice(_REPOS),
            id=t.int_id(),
            node_id=t.token("R_kgDO", 8),
        )
        self.people = [user(login, t.int_id(1_000, 200_000_000)) for login in logins]
        self.author, self.reviewer, self.maintainer = self.people
        login = self.repo["owner"]
        #: The repository's owner: the author's own user block on a personal repository.
        self.owner = user(login, t.int_id(1_000, 200_000_000), "Organization" if org else "User")
        if not org and login == self.author["login"]:
            self.owner = self.author
        self.sha = t.hexdigits(40)
        #: Values renamed to the story's wherever they occur (ids, URLs), by path (``same_as``).
        self.extra: dict[str, Any] = {}
        #: Short values (a branch, a number) put in only where the path's last key holds them,
        #: in every event: renamed everywhere, ``main`` would rename the default branch too.
        self.keyed: dict[str, Any] = {}
        #: The repository as the story's first event has it, by path: later events are built
        #: without overrides and renamed to it (far cheaper than overriding every event).
        self.identity: dict[str, Any] = {}
        #: Times that stay put through the story (when the repository was made, the pull
        #: request opened...), by path.
        self.pins: dict[str, Any] = {}
        #: Each actor's user block as JSON, made once.
        self._senders: dict[int, str] = {}
        #: The repository (with its owner) as the story's first event built it: the one every
        #: later event carries.
        self.cast_repo: dict[str, Any] | None = None
        #: The one webhook every event of the story reaches (X-GitHub-Hook-ID), so the hook's
        #: deliveries list shows the whole story.
        self.hook_id = t.int_id(100_000_000, 600_000_000)

    @property
    def full_name(self) -> str:
        return f"{self.repo['owner']}/{self.repo['name']}"

    def emit(
        self,
        type: str,
        gap: tuple[int, int] = (1, 5),
        *,
        actor: Mapping[str, Any] | None = None,
        traits: str | Iterable[str] = (),
        links: Mapping[str, Any] | None = None,
        then: Mapping[str, Any] | None = None,
        in_repo: bool = True,
        **fields: Any,
    ) -> Event:
        """One event ``gap`` seconds after the last, by ``actor``: ``fields`` (``a__b=...``) go
        to the factory as overrides; ``then`` (dotted paths, ``a.b|c.d`` for the first the event
        has) is put into the built event's text where the path's last key holds it, for fields
        nothing else derives from (far cheaper than overrides); ``links`` rename values as
        ``same_as``.

        The factory gets the story's clock, the actor and the repository (a :class:`Cast`), so
        the event comes built in the story's repository, by the actor, at the story's time.
        """
        t = self.t
        t.wait(*gap)
        values = {k.replace("__", "."): v for k, v in fields.items()}
        same: dict[str, Any] = {"repository.id": self.repo["id"]}
        same["repository.node_id"] = self.repo["node_id"]
        who = actor or self.author
        cast = Cast(now=t.now, sender=who)
        if in_repo:  # an App's installation events carry no repository
            if self.cast_repo is None:
                cast.owner, cast.name = self.owner, self.repo["name"]
                cast.repo_id, cast.node_id = self.repo["id"], self.repo["node_id"]
                # Named here too, so an override of them is checked in this event.
                same["repository.owner.login"] = self.repo["owner"]
                same["repository.name"] = self.repo["name"]
            cast.repo = self.cast_repo
            same.update(self.identity)
        same.update(self.extra)
        same.update(links or {})
        now, pins, later = t.now, self.pins, {**self.keyed, **(then or {})}

        def edit(text: str, built: Event) -> str:
            # A type without a hand factory ignores the cast: move its times to the story's
            # clock and make the actor its sender here.
            delta = 0 if cast.used else now - built.created
            if delta:
                text = _retimed(text, delta)
            if built.payload.get("sender") != who:
                text = _spliced(text, "sender", self._sender(who))
            for paths, value in later.items():
                # "a.b|c.d": the first of these fields the event has (none: nothing to put).
                path = next((p for p in paths.split("|") if _at(built.payload, p) is not None), "")
                old = _at(built.payload, path) if path else None
                if old is not None and old != value:
                    text = _keyed(text, path.rpartition(".")[2], old, value)
            for path, value in pins.items():
                old = _at(built.payload, path)
                # The pin's time as this event writes it: ISO text, or (push) a unix int.
                if isinstance(old, str):
                    old = _shifted(old, delta) if delta else old
                    value = value if isinstance(value, str) else _iso(value)
                elif isinstance(old, int):
                    old += delta
                    value = _unix(value) if isinstance(value, str) else value
                else:
                    continue
                if old != value:
                    text = _keyed(text, path.rpartition(".")[2], old, value)
            return text

        event = t.emit(
            type,
            set=values,
            same_as=same,
            edit=edit,
            traits=traits,
            cast=cast,
            carries=later,
            hook_id=self.hook_id,
        )
        if in_repo and not self.identity:
            self.cast_repo = cast.built
            self.identity = {path: _at(event.payload, path) for path in _IDENTITY}
            self.pins["repository.created_at"] = _at(event.payload, "repository.created_at")
        return event

    def _sender(self, who: Mapping[str, Any]) -> str:
        """The actor's user block as JSON, made once per actor."""
        got = self._senders.get(id(who))
        if got is None:
            got = self._senders[id(who)] = _dump(who)
        return got


#: What names a repository and its owner in every payload (URLs first: renamed whole).
_IDENTITY = (
    "repository.url",
    "repository.html_url",
    "repository.full_name",
    "repository.name",
    "repository.owner.url",
    "repository.owner.html_url",
    "repository.owner.avatar_url",
    "repository.owner.login",
    "repository.owner.id",
    "repository.owner.node_id",
)


# -- a pull request from open to merge -------------------------------------------------------------
_HEAD_SHA = (
    "pull_request.head.sha|check_suite.head_sha|check_run.head_sha|workflow_run.head_sha"
    "|workflow_job.head_sha"
)
_HEAD_REF = "check_suite.head_branch|workflow_run.head_branch|workflow_job.head_branch"
_PR_ID = "pull_request.id|check_suite.pull_requests.0.id|workflow_run.pull_requests.0.id"
_PR_NUMBER = "check_suite.pull_requests.0.number|workflow_run.pull_requests.0.number"
_PR_URL = "pull_request.url|check_suite.pull_requests.0.url|workflow_run.pull_requests.0.url"


def pull_request(t: Teller) -> None:
    f = _Flow(t)
    number = t.params["number"]
    pr = t.obj(
        "pull_request",
        title=f"{t.rng.choice(_WORDS).title()} {t.rng.choice(_WORDS)} {t.rng.choice(_WORDS)}",
        head=f"{t.rng.choice(_WORDS)}-{t.rng.choice(_WORDS)}",
        base="main",
    )
    api = f"https://api.github.com/repos/{f.full_name}"
    f.extra = {
        _PR_ID: t.int_id(),
        _PR_URL: f"{api}/pulls/{number}",
        "pull_request.html_url": f"https://github.com/{f.full_name}/pull/{number}",
        "pull_request.issue_url": f"{api}/issues/{number}",
    }
    f.keyed = {_PR_NUMBER: number, _HEAD_REF: pr["head"]}
    sha = {_HEAD_SHA: f.sha}
    block = {
        "pull_request.number": number,
        "pull_request.title": pr["title"],
        "pull_request.head.ref": pr["head"],
        "pull_request.base.ref": pr["base"],
    }
    opened = {"number": number, **block}
    bot = user("github-actions[bot]", 41898282, "Bot")
    f.emit("pull_request.opened", (0, 0), links=sha, **opened)
    f.pins["pull_request.created_at"] = _iso(t.now)
    f.emit("check_suite.requested", (1, 3), actor=bot, links=sha)
    f.emit("workflow_run.requested", (1, 3), actor=f.author, links=sha)
    f.emit("workflow_run.in_progress", (5, 30), actor=f.author, links=sha)
    f.emit("workflow_run.completed", (60, 600), actor=f.author, links=sha, traits="success")
    f.emit("check_suite.completed", (0, 3), actor=bot, links=sha, traits="success")
    f.emit(
        "pull_request_review.submitted", (600, 7200), actor=f.reviewer, links=sha,
        traits="approved", **block
    )  # fmt: skip
    for _ in range(t.params["pushes"]):
        new = t.hexdigits(40)
        moved = {"before": f.sha, "after": new, _HEAD_SHA: new}
        f.emit("pull_request.synchronize", (300, 3600), links=moved, **opened)
        f.sha = new
        sha = {_HEAD_SHA: new}
        f.emit("check_suite.requested", (1, 3), actor=bot, links=sha)
        f.emit("workflow_run.completed", (60, 600), links=sha, traits="success")
        f.emit("check_suite.completed", (0, 3), actor=bot, links=sha, traits="success")
    merge = t.hexdigits(40)
    f.emit(
        "pull_request.closed", (60, 3600), actor=f.maintainer,
        links={_HEAD_SHA: f.sha, "pull_request.merge_commit_sha": merge},
        traits="merged", **opened
    )  # fmt: skip
    f.emit(
        "push", (0, 2), actor=f.maintainer, ref=f"refs/heads/{pr['base']}",
        links={"after": merge}
    )  # fmt: skip
    f.emit("delete", (0, 3), actor=f.maintainer, ref=pr["head"])


def issue_triage(t: Teller) -> None:
    f = _Flow(t)
    number = t.params["number"]
    issue = t.obj("issue", title=f"{t.rng.choice(_WORDS).title()} fails on {t.rng.choice(_WORDS)}")
    api = f"https://api.github.com/repos/{f.full_name}/issues/{number}"
    f.extra = {"issue.id": t.int_id(), "issue.url": api,
               "issue.html_url": f"https://github.com/{f.full_name}/issues/{number}"}  # fmt: skip
    # Nothing in an issue event derives from its number and title but the URLs renamed above.
    then = {"issue.number": number, "issue.title": issue["title"]}
    f.emit("issues.opened", (0, 0), then=then)
    f.pins["issue.created_at"] = _iso(t.now)
    f.emit("issues.labeled", (60, 3600), actor=f.maintainer, then=then)
    f.emit("issues.assigned", (10, 600), actor=f.maintainer, then=then)
    for _ in range(t.params["comments"]):
        f.emit("issue_comment.created", (300, 86400), actor=t.rng.choice(f.people), then=then)
    f.emit("issues.closed", (3600, 3 * 86400), actor=f.reviewer, then=then)


def push_ci(t: Teller) -> None:
    f = _Flow(t)
    sha = {_HEAD_SHA + "|after|sha|check_run.head_sha|status.sha": f.sha}
    bot = user("github-actions[bot]", 41898282, "Bot")
    f.emit("push", (0, 0), ref="refs/heads/main", links=sha)
    f.emit("check_suite.requested", (1, 3), actor=bot, links=sha)
    f.emit("workflow_run.requested", (1, 3), links=sha)
    f.emit("workflow_job.queued", (0, 2), links=sha)
    f.emit("workflow_run.in_progress", (2, 20), links=sha)
    f.emit("workflow_job.in_progress", (0, 5), links=sha)
    f.emit("check_run.created", (0, 2), actor=bot, links=sha)
    f.emit("status", (30, 300), links=sha, traits="success")
    f.emit("workflow_job.completed", (30, 600), links=sha, traits="success")
    f.emit("check_run.completed", (0, 2), actor=bot, links=sha, traits="success")
    f.emit("workflow_run.completed", (0, 5), links=sha, traits="success")
    f.emit("check_suite.completed", (0, 3), actor=bot, links=sha, traits="success")


def release(t: Teller) -> None:
    f = _Flow(t)
    tag = t.obj("release", tag=t.params["tag"])
    f.extra = {"release.id": t.int_id()}
    fields = {"release.tag_name": tag["tag"]}
    f.emit("create", (0, 0), ref=tag["tag"], ref_type="tag")
    f.emit("release.created", (5, 120), **fields)
    f.emit("release.published", (0, 2), **fields)
    f.emit("release.released", (0, 2), **fields)


def app_installation(t: Teller) -> None:
    f = _Flow(t)
    f.extra = {"installation.id": t.int_id(1_000_000, 90_000_000)}
    f.emit("installation.created", (0, 0), in_repo=False)
    f.emit("installation_repositories.added", (60, 7 * 86400), in_repo=False)
    f.emit("installation_repositories.removed", (86400, 30 * 86400), in_repo=False)
    f.emit("installation.deleted", (86400, 30 * 86400), in_repo=False)


def fork_and_star(t: Teller) -> None:
    f = _Flow(t)
    f.emit("star.created", (0, 0), actor=f.reviewer)
    f.emit("watch.started", (0, 1), actor=f.reviewer)
    f.emit("fork", (60, 86400), actor=f.reviewer)


def discussion_answered(t: Teller) -> None:
    f = _Flow(t)
    f.extra = {"discussion.id": t.int_id(), "discussion.node_id": t.token("D_kwDO", 12)}
    f.emit("discussion.created", (0, 0))
    f.emit("discussion_comment.created", (600, 86400), actor=f.maintainer)
    f.emit("discussion_comment.created", (60, 3600))
    f.emit("discussion.answered", (60, 3600))


def deployment(t: Teller) -> None:
    f = _Flow(t)
    env = t.obj("deployment", environment=t.params["environment"])
    f.extra = {"deployment.id": t.int_id(), _HEAD_SHA + "|deployment.sha": f.sha}
    fields = {"deployment.environment": env["environment"]}
    f.emit("deployment.created", (0, 0), **fields)
    f.emit("deployment_status.created", (1, 10), traits="queued", **fields)
    f.emit("deployment_status.created", (5, 60), traits="in_progress", **fields)
    f.emit("deployment_status.created", (30, 900), traits="success", **fields)


def _stories() -> dict[str, StoryDef]:
    repo = {"repository": ("owner", "name", "id", "node_id")}
    defs = [
        StoryDef(
            "pull_request",
            "A pull request from open to merge: CI, a review, more pushes, the merge, the push to"
            " the base branch and the head branch's delete.",
            pull_request,
            (
                Param("number", 42, "the pull request's number", low=1),
                Param("pushes", 1, "pushes to the branch after the review", low=0, high=20),
            ),
            {**repo, "pull_request": ("title", "head", "base")},
        ),
        StoryDef(
            "issue_triage",
            "Issue triage: opened, labeled, assigned, comments, closed.",
            issue_triage,
            (
                Param("number", 7, "the issue's number", low=1),
                Param("comments", 2, "comments before it closes", low=0, high=20),
            ),
            {**repo, "issue": ("title",)},
        ),
        StoryDef(
            "push_ci",
            "A push and its CI: check_suite, check_run, workflow_run, workflow_job and status.",
            push_ci,
            (),
            repo,
        ),
        StoryDef(
            "release",
            "A release: the tag is created, the release created, published and released.",
            release,
            (Param("tag", "v1.2.0", "the tag name"),),
            {**repo, "release": ("tag",)},
        ),
        StoryDef(
            "app_installation",
            "An App installed, repositories added and removed, then uninstalled.",
            app_installation,
            (),
            repo,
        ),
        StoryDef(
            "fork_and_star",
            "Someone stars, watches and forks the repository.",
            fork_and_star,
            (),
            repo,
        ),
        StoryDef(
            "discussion_answered",
            "A discussion is started, commented on and answered.",
            discussion_answered,
            (),
            repo,
        ),
        StoryDef(
            "deployment",
            "A deployment with its statuses: queued, in_progress, success.",
            deployment,
            (Param("environment", "production", "the environment deployed to"),),
            {**repo, "deployment": ("environment",)},
        ),
    ]
    return {d.name: d for d in defs}


STORIES = _stories()
