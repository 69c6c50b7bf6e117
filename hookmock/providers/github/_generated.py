"""GitHub types made by hookmock's schema generator from the compiled description.

Every type of ``fixtures/github/webhooks.json`` without a hand-written factory comes from here:
its schema in ``schemas/github/`` gives the shape, ``fixtures/github/pools.yaml`` the values
(logins, ids, URLs that agree) and ``rules.yaml`` the states per type and the traits. All of it
loads with the first generated event, never with the provider.
"""

from __future__ import annotations

import functools
from typing import Any

from hookmock.authoring import schema_uri

from ._catalog import DATA_PACKAGE, NAME

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hookmock.authoring import BuildContext
    from hookmock.generator import SchemaGenerator


@functools.cache
def generator() -> SchemaGenerator:
    """One generator over every GitHub schema, with GitHub's pools and rules."""
    # Import budget: the generator pulls referencing and yaml; it loads with the first
    # generated event, never with the provider.
    from hookmock.authoring import provider_generator

    return provider_generator(DATA_PACKAGE, NAME)


def traits_for(type: str) -> list[str]:
    """The traits ``rules.yaml`` declares for ``type``."""
    return generator().data.traits_for(type)


def exclusive_traits() -> list[list[str]]:
    return generator().data.exclusive


def generate(ctx: BuildContext) -> dict[str, Any]:
    """A payload of ``ctx.type`` from its schema, the type's rules and the traits asked for."""
    payload: dict[str, Any] = generator().generate(schema_uri(NAME, ctx.type), ctx)
    agree_organization(payload)
    return payload


#: The organization's API URLs, from its login (as the pools' organization entity derives them).
_ORG_URLS = {
    "url": "https://api.github.com/orgs/{login}",
    "repos_url": "https://api.github.com/orgs/{login}/repos",
    "events_url": "https://api.github.com/orgs/{login}/events",
    "hooks_url": "https://api.github.com/orgs/{login}/hooks",
    "issues_url": "https://api.github.com/orgs/{login}/issues",
    "members_url": "https://api.github.com/orgs/{login}/members{{/member}}",
    "public_members_url": "https://api.github.com/orgs/{login}/public_members{{/member}}",
}


def agree_organization(payload: dict[str, Any]) -> None:
    """A delivery with an ``organization`` block comes from that organization's repository: the
    repository's owner is the organization (same login, id and node id, type Organization).

    The generator draws the two as separate entities; the organization takes the owner's
    identity, so every URL built from the repository's full name stays right.
    """
    org = payload.get("organization")
    repo = payload.get("repository")
    owner = repo.get("owner") if isinstance(repo, dict) else None
    if not (isinstance(org, dict) and isinstance(owner, dict) and "login" in owner):
        return
    login = owner["login"]
    for key in ("login", "id", "node_id", "avatar_url"):
        if key in owner:
            org[key] = owner[key]
    for key, template in _ORG_URLS.items():
        if key in org:
            org[key] = template.format(login=login)
    owner["type"] = "Organization"
