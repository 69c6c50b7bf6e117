"""GitHub's stories: the deliveries one action on GitHub produces, sharing ids, URLs and a clock.

Each event comes from the catalog's own builder; the story then makes the repository, the people
and the pull request (or issue, release...) the same in every event, and times move forward. GitHub
sends a story's events in the order they happen (``send_story(order="provider")``).
"""

from __future__ import annotations

from hookmock.authoring import Param, StoryDef, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from hookmock.authoring import Event, Teller

_LOGINS = (
    "octocat", "hubot", "monalisa", "mona-dev", "spacecat", "codercat", "linus-t", "ada-l",
    "grace-h", "kenthompson", "dmr", "bkernighan",
)  # fmt: skip
_REPOS = ("hello-world", "webhooks-app", "billing-service", "docs", "api-gateway", "infra")
_WORDS = ("fix", "add", "retry", "webhook", "signature", "timeout", "cache", "parser", "docs")


def _iso(ts: int) -> str:
    # Import budget: time is cheap, but keep it with the function that needs it.
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def user(login: str, uid: int, kind: str = "User") -> dict[str, Any]:
    """A GitHub user block, as every event's ``sender`` carries it."""
    from base64 import b64encode  # Import budget: only stories need it.

    api = f"https://api.github.com/users/{login}"
    node = b64encode(f"04:{kind}{uid}".encode()).decode()
    return {
        "login": login,
        "id": uid,
        "node_id": node,
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
        logins = t.rng.sample(_LOGINS, 3)
        self.repo = t.obj(
            "repository",
            owner=logins[0],
            name=t.rng.choice(_REPOS),
            id=t.int_id(),
            node_id=t.token("R_kgDO", 8),
        )
        self.people = [user(login, t.int_id(1_000, 200_000_000)) for login in logins]
        self.author, self.reviewer, self.maintainer = self.people
        self.sha = t.hexdigits(40)
        self.extra: dict[str, Any] = {}

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
        **fields: Any,
    ) -> Event:
        t = self.t
        t.wait(*gap)
        values: dict[str, Any] = {
            "repository.owner.login": self.repo["owner"],
            "repository.name": self.repo["name"],
            "sender": replace(actor or self.author),
        }
        values.update({k.replace("__", "."): v for k, v in fields.items()})
        same: dict[str, Any] = {"repository.id": self.repo["id"]}
        same["repository.node_id"] = self.repo["node_id"]
        same.update(self.extra)
        same.update(links or {})
        return t.emit(type, set=values, same_as=same, traits=traits)


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
        _PR_NUMBER: number,
        _PR_URL: f"{api}/pulls/{number}",
        "pull_request.html_url": f"https://github.com/{f.full_name}/pull/{number}",
        "pull_request.issue_url": f"{api}/issues/{number}",
        _HEAD_REF: pr["head"],
    }
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
    f.emit("check_suite.requested", (1, 3), actor=bot, links=sha)
    f.emit("workflow_run.requested", (1, 3), actor=f.author, links=sha)
    f.emit("workflow_run.in_progress", (5, 30), actor=f.author, links=sha)
    f.emit("workflow_run.completed", (60, 600), actor=f.author, links=sha, traits="success")
    f.emit(
        "pull_request_review.submitted", (600, 7200), actor=f.reviewer, links=sha,
        traits="approved", **block
    )  # fmt: skip
    for _ in range(t.params["pushes"]):
        new = t.hexdigits(40)
        f.emit("pull_request.synchronize", (300, 3600), links={_HEAD_SHA: new}, **opened)
        f.sha = new
        f.emit("workflow_run.completed", (60, 600), links={_HEAD_SHA: new}, traits="success")
    f.emit(
        "pull_request.closed", (60, 3600), actor=f.maintainer, links={_HEAD_SHA: f.sha},
        traits="merged", **opened
    )  # fmt: skip
    merge = t.hexdigits(40)
    f.emit(
        "push", (0, 2), actor=f.maintainer, ref=f"refs/heads/{pr['base']}",
        links={"after": merge}
    )  # fmt: skip
    f.emit("delete", (0, 3), actor=f.maintainer, ref=pr["head"])


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
    ]
    return {d.name: d for d in defs}


STORIES = _stories()
