"""Faker-based builders for GitHub objects (users, repositories, pull requests, runs, ...).

Every builder takes a :class:`World`: the seeded generators plus the repository, owner and sender
an event is about, so that URLs, ids and times agree across one payload. A story hands the World
its :class:`Cast` (clock, repository, actor), so that its events are built already linked.
"""

from __future__ import annotations

import base64
import calendar
import copy
import functools
import random
import time
from dataclasses import dataclass

from hookmock.authoring import ANCHOR, BASE62, SPAN, derive_seed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from faker import Faker

    from hookmock.authoring import BuildContext

API = "https://api.github.com"
_UNSET: Any = object()
WEB = "https://github.com"

_LANGUAGES = ["Python", "TypeScript", "Go", "Rust", "JavaScript", "Ruby", "Java", "C++", None]
_LICENSES = [
    ("mit", "MIT License", "MIT", "MDc6TGljZW5zZTEz"),
    ("apache-2.0", "Apache License 2.0", "Apache-2.0", "MDc6TGljZW5zZTI="),
    ("bsd-3-clause", 'BSD 3-Clause "New" or "Revised" License', "BSD-3-Clause", "MDc6TGljZW5zZTU="),
]
_ASSOCIATIONS = ["OWNER", "MEMBER", "COLLABORATOR", "CONTRIBUTOR", "NONE"]
_LABELS = [
    ("bug", "d73a4a", "Something isn't working"),
    ("enhancement", "a2eeef", "New feature or request"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("good first issue", "7057ff", "Good for newcomers"),
    ("help wanted", "008672", "Extra attention is needed"),
    ("dependencies", "0366d6", "Pull requests that update a dependency file"),
]


def iso(ts: int) -> str:
    """GitHub's timestamp format: ISO-8601 in UTC with a ``Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def event_time(seed: int) -> int:
    """When the event of ``seed`` happens: a unix time in the year before hookmock's anchor.

    It has its own seeded stream so the provider can name it (``Event.created``) without
    rebuilding the payload.
    """
    return ANCHOR - random.Random(derive_seed("github-time", seed)).randrange(SPAN)


def unix(stamp: str) -> int:
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


def legacy_node_id(kind: str, number: int) -> str:
    """A v1 global node id, as older GitHub objects carry: base64 of ``"0<len>:<Kind><id>"``."""
    raw = f"0{len(kind)}:{kind}{number}"
    return base64.b64encode(raw.encode()).decode()


@dataclass
class Cast:
    """What a story shares with the event being built (``BuildContext.cast``): its clock, who
    acts, and the repository.

    The story's first event names the repository (:attr:`owner`'s user block, :attr:`name`,
    :attr:`repo_id`, :attr:`node_id`) and the World builds it from these, keeping it in
    :attr:`built`; later events get it as :attr:`repo` and carry it as is. Building an event already linked is far cheaper
    than drawing a random cast and renaming it after. The World never changes what it is given,
    so ``Event.replace()`` builds the same event again from the same cast.
    """

    #: When the event happens (unix seconds): the story's clock.
    now: int
    #: Who acts: the event's ``sender``.
    sender: Mapping[str, Any]
    #: The repository (with its owner) every event carries; None: build it from the names below.
    repo: Mapping[str, Any] | None = None
    #: The owner's user block (``type`` ``"Organization"`` for an organization's repository).
    owner: Mapping[str, Any] | None = None
    name: Any = None
    repo_id: Any = None
    node_id: Any = None
    # -- what the World reports back --
    #: Whether a World took this cast (a type without a hand factory ignores it).
    used: bool = False
    #: The repository the World built from the names, before any builder changed it.
    built: dict[str, Any] | None = None


class World:
    """The seeded generators and the shared cast (repository, owner, sender) of one event."""

    #: When the event happens; every other time in the payload is at or before it.
    now: int
    org_owned: bool
    owner: dict[str, Any]
    repo: dict[str, Any]
    sender: dict[str, Any]

    def __init__(self, ctx: BuildContext, cast: Cast | None = None) -> None:
        self.ctx = ctx
        self.fk: Faker = ctx.faker
        self.rng: random.Random = ctx.rng
        #: Whether the sender is the story's actor, never swapped for a bot.
        self.fixed_sender = cast is not None
        if cast is not None:
            self._cast(cast)
            return
        self.now = event_time(ctx.seed)
        # Some repositories belong to organizations; the traits choose one shape.
        self.org_owned = "organization" in ctx.traits or (
            "personal" not in ctx.traits and self.rng.random() < 0.3
        )
        self.owner = self.user(
            login=self.value("repository.owner.login", self.login),
            type="Organization" if self.org_owned else "User",
        )
        self.repo = repository(self)
        # On a personal repository the owner often acts; on an org's, a member always does.
        self.sender = self.owner if not self.org_owned and self.rng.random() < 0.5 else self.user()

    def _cast(self, cast: Cast) -> None:
        """Take a story's clock, actor and repository instead of drawing them."""
        cast.used = True
        self.now = cast.now
        self.sender = dict(cast.sender)
        if cast.repo is not None:
            # Copies, one level down too: builders change their event's repository
            # (publicized, renamed ...), and no two events' payloads share an object.
            self.repo = {k: _copied(v) for k, v in cast.repo.items()}
            self.owner = self.repo["owner"]
            self.org_owned = self.owner.get("type") == "Organization"
            return
        if cast.owner is not None:
            self.owner = dict(cast.owner)
            self.org_owned = self.owner.get("type") == "Organization"
        else:
            self.org_owned = "organization" in self.ctx.traits or (
                "personal" not in self.ctx.traits and self.rng.random() < 0.3
            )
            self.owner = self.user(type="Organization" if self.org_owned else "User")
        ident = None if cast.repo_id is None else (cast.repo_id, cast.node_id)
        self.repo = repository(self, name=cast.name, ident=ident)
        cast.built = copy.deepcopy(self.repo)

    # -- primitives ---------------------------------------------------------------------------
    def value(self, path: str, make: Any) -> Any:
        """The user's override at ``path`` if any, else ``make()``.

        ``make()`` runs either way, so an override never shifts the values drawn after it.
        """
        made = make()
        got = self.ctx.pick(path, _UNSET)
        return made if got is _UNSET else got

    def int_id(self, low: int = 1_000_000, high: int = 3_000_000_000) -> int:
        return self.rng.randrange(low, high)

    def sha(self) -> str:
        return self.ctx.hexdigits(40)

    def node_id(self, prefix: str) -> str:
        """A newer-style node id such as ``PR_kwDOAbCd...`` (opaque base64-like text)."""
        tail = "".join(self.rng.choice(BASE62 + "-_") for _ in range(12))
        return f"{prefix}_kwDO{tail}"

    def before(self, ts: int, most: int = 30 * 86400, least: int = 60) -> int:
        return ts - self.rng.randrange(least, max(least + 1, most))

    def login(self) -> str:
        # Built from Faker's name lists directly: user_name() and its frequency-weighted name
        # draws were a third of pull_request generation time.
        firsts, lasts = _name_pools()
        first = self.rng.choice(firsts).lower()
        last = self.rng.choice(lasts).lower()
        style = self.rng.randrange(4)
        raw = (first + last, first[:1] + last, f"{first}-{last}", last + first[:1])[style]
        name = "".join(c for c in raw if c.isascii() and (c.isalnum() or c == "-")).strip("-")
        if self.rng.random() < 0.3:
            name += str(self.rng.randrange(1, 999))
        return name or "octocat"

    def slug(self) -> str:
        words = self.fk.words(self.rng.randrange(1, 3))
        return "-".join(w.lower() for w in words)

    def sentence(self) -> str:
        return str(self.fk.sentence(nb_words=self.rng.randrange(3, 8))).rstrip(".")

    def paragraph(self) -> str:
        return str(self.fk.paragraph(nb_sentences=self.rng.randrange(1, 4)))

    def pick(self, items: list[Any]) -> Any:
        return self.rng.choice(items)

    def association(self) -> str:
        return str(self.rng.choice(_ASSOCIATIONS))

    # -- people ------------------------------------------------------------------------------
    def user(self, login: str | None = None, type: str = "User") -> dict[str, Any]:
        drawn = self.login()
        login = login or drawn
        uid = self.int_id(1000, 190_000_000)
        kind = "Organization" if type == "Organization" else "User"
        if type == "Bot":
            login = login if login.endswith("[bot]") else f"{login}[bot]"
            node = self.node_id("BOT").replace("_kwDO", "_kgDO")
        elif uid < 60_000_000:
            node = legacy_node_id(kind, uid)
        else:
            node = self.node_id("U" if kind == "User" else "O").replace("_kwDO", "_kgDO")
        url = f"{API}/users/{login}"
        return {
            "login": login,
            "id": uid,
            "node_id": node,
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "gravatar_id": "",
            "url": url,
            "html_url": f"{WEB}/{login}",
            "followers_url": f"{url}/followers",
            "following_url": f"{url}/following{{/other_user}}",
            "gists_url": f"{url}/gists{{/gist_id}}",
            "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{url}/subscriptions",
            "organizations_url": f"{url}/orgs",
            "repos_url": f"{url}/repos",
            "events_url": f"{url}/events{{/privacy}}",
            "received_events_url": f"{url}/received_events",
            "type": type,
            "user_view_type": "public",
            "site_admin": False,
        }

    def bot(self) -> dict[str, Any]:
        """One of the app bots that really act on repositories (their real logins and ids)."""
        login, uid = self.pick(list(_BOTS))
        user = self.user(login=login, type="Bot")
        user.update(
            id=uid,
            node_id=legacy_node_id("Bot", uid),
            avatar_url=f"https://avatars.githubusercontent.com/in/{uid % 100_000}?v=4",
        )
        return user

    def maybe_bot(self, chance: float) -> None:
        """With ``chance``, a bot is this event's sender (it commented, labelled, opened)."""
        if self.fixed_sender:
            return
        if self.rng.random() < chance and not self.ctx.overridden("sender"):
            self.sender = self.bot()

    def git_person(self, user: dict[str, Any] | None = None) -> dict[str, Any]:
        name = self.fk.name()
        login = user["login"] if user else self.login()
        return {
            "name": name,
            "email": f"{login.lower()}@users.noreply.github.com",
            "username": login,
        }


def _copied(value: Any) -> Any:
    kind = type(value)
    return dict(value) if kind is dict else list(value) if kind is list else value


#: Bots seen acting on repositories: (login, user id).
_BOTS = (
    ("dependabot[bot]", 49699333),
    ("github-actions[bot]", 41898282),
    ("renovate[bot]", 29139614),
    ("codecov[bot]", 22429695),
)


def organization(w: World) -> dict[str, Any]:
    """The top-level ``organization`` block (not the same shape as a user)."""
    o = w.owner
    login = o["login"]
    url = f"{API}/orgs/{login}"
    return {
        "login": login,
        "id": o["id"],
        "node_id": o["node_id"],
        "url": url,
        "repos_url": f"{url}/repos",
        "events_url": f"{url}/events",
        "hooks_url": f"{url}/hooks",
        "issues_url": f"{url}/issues",
        "members_url": f"{url}/members{{/member}}",
        "public_members_url": f"{url}/public_members{{/member}}",
        "avatar_url": o["avatar_url"],
        "description": w.sentence() if w.rng.random() < 0.7 else None,
    }


def license_(w: World) -> dict[str, Any] | None:
    if w.rng.random() < 0.15:
        return None
    key, name, spdx, node = w.pick(_LICENSES)
    return {
        "key": key,
        "name": name,
        "spdx_id": spdx,
        "url": f"{API}/licenses/{key}",
        "node_id": node,
    }


def repository(
    w: World,
    *,
    owner: dict[str, Any] | None = None,
    name: str | None = None,
    ident: tuple[Any, Any] | None = None,
) -> dict[str, Any]:
    """A repository as webhooks carry it; every URL derives from ``full_name``. ``ident``: its
    (id, node_id), when a story names them."""
    owner = owner or w.owner
    if name is None:
        name = str(w.value("repository.name", w.slug))
    full = f"{owner['login']}/{name}"
    if ident is not None:
        rid, node = ident
    else:
        rid = w.int_id(10_000, 1_100_000_000)
        node = (
            legacy_node_id("Repository", rid)
            if rid < 300_000_000
            else w.node_id("R").replace("_kwDO", "_kgDO")
        )
    api = f"{API}/repos/{full}"
    created = w.before(w.now, 6 * 365 * 86400, 40 * 86400)
    pushed = w.before(w.now, 3 * 86400, 30)
    updated = max(created, w.before(w.now, 20 * 86400, 60))
    private = w.rng.random() < 0.3
    stars = w.rng.randrange(0, 5000)
    forks = w.rng.randrange(0, stars // 4 + 1)
    issues = w.rng.randrange(0, 200)
    default = "main" if w.rng.random() < 0.8 else "master"
    return {
        "id": rid,
        "node_id": node,
        "name": name,
        "full_name": full,
        "private": private,
        "owner": owner,
        "html_url": f"{WEB}/{full}",
        "description": w.sentence() if w.rng.random() < 0.8 else None,
        "fork": False,
        "url": api,
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
        "created_at": iso(created),
        "updated_at": iso(updated),
        "pushed_at": iso(pushed),
        "git_url": f"git://github.com/{full}.git",
        "ssh_url": f"git@github.com:{full}.git",
        "clone_url": f"{WEB}/{full}.git",
        "svn_url": f"{WEB}/{full}",
        "homepage": None if w.rng.random() < 0.6 else f"https://{name}.readthedocs.io",
        "size": w.rng.randrange(10, 200_000),
        "stargazers_count": stars,
        "watchers_count": stars,
        "language": w.pick(_LANGUAGES),
        "has_issues": True,
        "has_projects": True,
        "has_downloads": True,
        "has_wiki": w.rng.random() < 0.5,
        "has_pages": False,
        "has_discussions": w.rng.random() < 0.3,
        "forks_count": forks,
        "mirror_url": None,
        "archived": False,
        "disabled": False,
        "open_issues_count": issues,
        "license": license_(w),
        "allow_forking": True,
        "is_template": False,
        "web_commit_signoff_required": False,
        "topics": sorted({w.fk.word() for _ in range(w.rng.randrange(0, 4))}),
        "visibility": "private" if private else "public",
        "forks": forks,
        "open_issues": issues,
        "watchers": stars,
        "default_branch": default,
        # Sent on every repository since 2023; filled only when an org defines properties.
        "custom_properties": {},
    }


def push_repository(w: World) -> dict[str, Any]:
    """``push`` payloads carry the repository with unix-int times and a few extra keys."""
    repo = dict(w.repo)
    repo["created_at"] = unix(repo["created_at"])
    repo["pushed_at"] = w.now
    owner = dict(repo["owner"])
    owner["name"] = owner["login"]
    owner["email"] = (
        None if owner["type"] == "Organization" else f"{owner['login']}@users.noreply.github.com"
    )
    repo["owner"] = owner
    repo["stargazers"] = repo["stargazers_count"]
    repo["master_branch"] = repo["default_branch"]
    if w.org_owned:
        repo["organization"] = owner["login"]
    return repo


def installation_ref(w: World) -> dict[str, Any]:
    """The short ``installation`` block GitHub App deliveries carry."""
    iid = w.int_id(1_000_000, 90_000_000)
    return {"id": iid, "node_id": legacy_node_id("Integration::Installation", iid)}


def enterprise(w: World) -> dict[str, Any]:
    eid = w.int_id(1, 400_000)
    slug = w.slug()
    stamp = iso(w.before(w.now, 4 * 365 * 86400, 400 * 86400))
    return {
        "id": eid,
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "node_id": w.node_id("E").replace("_kwDO", "_kgDO"),
        "avatar_url": f"https://avatars.githubusercontent.com/b/{eid}?v=4",
        "description": None,
        "website_url": None,
        "html_url": f"{WEB}/enterprises/{slug}",
        "created_at": stamp,
        "updated_at": stamp,
    }


def label(w: World, created: bool = False) -> dict[str, Any]:
    name, color, desc = w.pick(_LABELS)
    if created:
        name = w.fk.word()
        color = w.ctx.hexdigits(6)
    lid = w.int_id(1_000_000_000, 9_000_000_000)
    quoted = name.replace(" ", "%20")
    return {
        "id": lid,
        "node_id": legacy_node_id("Label", lid) if lid < 5_000_000_000 else w.node_id("LA"),
        "url": f"{w.repo['url']}/labels/{quoted}",
        "name": name,
        "color": color,
        "default": not created and name in {"bug", "enhancement", "documentation"},
        "description": desc,
        "archived_at": None,
        "archived_by": None,
    }


def milestone(w: World, state: str = "open") -> dict[str, Any]:
    number = w.rng.randrange(1, 40)
    mid = w.int_id(1_000_000, 14_000_000)
    created = w.before(w.now, 200 * 86400, 3600)
    updated = w.before(w.now, max(61, w.now - created), 0)
    closed = w.before(w.now, max(61, w.now - updated), 0) if state == "closed" else None
    if closed is not None:
        updated = max(updated, closed)
    api = w.repo["url"]
    opened = w.rng.randrange(0, 30)
    return {
        "url": f"{api}/milestones/{number}",
        "html_url": f"{w.repo['html_url']}/milestone/{number}",
        "labels_url": f"{api}/milestones/{number}/labels",
        "id": mid,
        "node_id": legacy_node_id("Milestone", mid),
        "number": number,
        "title": f"v{w.rng.randrange(0, 5)}.{w.rng.randrange(0, 20)}",
        "description": w.sentence() if w.rng.random() < 0.5 else None,
        "creator": w.owner if w.owner["type"] == "User" else w.sender,
        "open_issues": opened if state == "open" else 0,
        "closed_issues": w.rng.randrange(0, 40),
        "state": state,
        "created_at": iso(created),
        "updated_at": iso(updated),
        "due_on": iso(w.now + w.rng.randrange(1, 90) * 86400) if w.rng.random() < 0.5 else None,
        "closed_at": iso(closed) if closed is not None else None,
    }


def team(w: World) -> dict[str, Any]:
    tid = w.int_id(1_000_000, 12_000_000)
    slug = w.slug()
    org = w.owner["login"]
    url = f"{API}/organizations/{w.owner['id']}/team/{tid}"
    return {
        "name": slug.replace("-", " ").title(),
        "id": tid,
        "node_id": legacy_node_id("Team", tid),
        "slug": slug,
        "description": w.sentence() if w.rng.random() < 0.5 else None,
        "privacy": w.pick(["closed", "secret"]),
        "notification_setting": "notifications_enabled",
        "url": url,
        "html_url": f"{WEB}/orgs/{org}/teams/{slug}",
        "members_url": f"{url}/members{{/member}}",
        "repositories_url": f"{url}/repos",
        "permission": "pull",
        "parent": None,
    }


@functools.cache
def _name_pools() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Faker's en_US first and last names, for logins."""
    # Import budget: Faker's name lists load with the first login generated.
    from faker.providers.person.en_US import Provider

    return tuple(Provider.first_names), tuple(Provider.last_names)
