"""The SDKs receivers use accept every GitHub type, over several seeds.

For each type (api.github.com's and the GHES-only ones): the event generates, validates against
its schema, githubkit parses it into that type's own model and verifies the signature hookmock
sends, and gidgethub's ``Event.from_http`` accepts the delivery (signature checked). githubkit
is generated from api.github.com's description, so it knows no GHES-only event: those are
checked against their schema and gidgethub only.

The normal run takes 3 seeds per type. ``HOOKMOCK_CATALOG_SEEDS=N`` adds N more, starting at
``HOOKMOCK_CATALOG_SEED_BASE`` (default: a number that changes every day, shown in failures), so a
nightly job covers new seeds without slowing the normal run.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from _catalog_seeds import catalog_seeds
from _helpers_github import TYPES

import hookmock
from hookmock._validation import violations
from hookmock.providers.github._catalog import is_ghes_only

SECRET = "It's a Secret to Everybody"


SEEDS = catalog_seeds()


@pytest.fixture(scope="module")
def webhooks() -> Any:
    # githubkit's import is slow; pay for it once per module.
    return pytest.importorskip("githubkit.webhooks")


@pytest.fixture(scope="module")
def sansio() -> Any:
    return pytest.importorskip("gidgethub.sansio")


def _model_suffix(type_: str) -> str:
    """githubkit names models like WebhookPullRequestReviewRequestedOneof0."""
    return "".join(part.capitalize() for part in re.split(r"[._]", type_))


#: githubkit's model names that do not spell the event as hookmock does.
_NAMES = {
    f"WebhookProjectsV2Project{a}": f"WebhookProjectsV2{a}"
    for a in ("Closed", "Created", "Deleted", "Edited", "Reopened")
}


def _options(type_: str, seed: int) -> dict[str, Any]:
    """Vary traits and delivery options across seeds, so each is seen for every type."""
    traits = [(), *[(t,) for t in hookmock.github.traits_for(type_)]]
    return {
        "traits": traits[seed % len(traits)],
        "with_installation": seed % 3 == 1,
        "with_enterprise": seed % 4 == 2,
    }


@pytest.mark.parametrize("type_", TYPES)
def test_every_type_validates_and_passes_githubkit_and_gidgethub(
    webhooks: Any, sansio: Any, type_: str
) -> None:
    ghes_only = is_ghes_only(type_)
    action = type_.partition(".")[2] or type_ == "repository_dispatch"
    for seed in SEEDS:
        ev = hookmock.github.event(type_, seed=seed, **_options(type_, seed))
        where = f"{type_} seed={seed}"
        assert violations(ev.payload, "github", type_) == [], where
        headers = ev.headers(secret=SECRET)
        assert webhooks.verify(SECRET, ev.body, headers["X-Hub-Signature-256"]), where
        if not ghes_only:
            model = webhooks.parse(headers["X-GitHub-Event"], ev.body)
            # The right model: the event's (githubkit names a few differently, such as
            # WebhookProjectsV2ProjectEdited), picked by the action it declares.
            assert type(model).__name__.startswith("Webhook"), where
            assert getattr(model, "action", None) == (ev.payload.get("action") if action else None)
            assert _model_suffix(type_.partition(".")[0]) in _NAMES.get(
                type(model).__name__, type(model).__name__
            ), where
        # gidgethub reads the lowercase header names an HTTP server hands it.
        got = sansio.Event.from_http(
            {k.lower(): v for k, v in headers.items()}, ev.body, secret=SECRET
        )
        assert got.event == type_.partition(".")[0], where
        assert got.delivery_id == ev.id, where
        assert got.data == ev.payload, where


def test_githubkit_knows_no_ghes_only_event(webhooks: Any) -> None:
    """The GHES-only types are exactly those githubkit (api.github.com's SDK) lacks, so the test
    above skips githubkit for no type it could check."""
    ghes = [t for t in TYPES if is_ghes_only(t)]
    assert {"cache_sync", "user.created", "enterprise.anonymous_access_enabled"} <= set(ghes)
    for type_ in ghes:
        ev = hookmock.github.event(type_, seed=0)
        with pytest.raises(Exception) as info:  # noqa: PT011 - githubkit raises two kinds
            webhooks.parse(type_.partition(".")[0], ev.body)
        assert type(info.value).__name__ in {"WebhookTypeNotFound", "ValidationError"}, type_


def test_githubkit_rejects_a_signature_for_another_body(webhooks: Any) -> None:
    ev = hookmock.github.event("push", seed=1)
    signature = ev.headers(secret=SECRET)["X-Hub-Signature-256"]
    assert not webhooks.verify(SECRET, ev.body + b"\n", signature)


def test_gidgethub_refuses_a_delivery_whose_body_changed(sansio: Any) -> None:
    ev = hookmock.github.event("pull_request.opened", seed=3)
    headers = {k.lower(): v for k, v in ev.headers(secret=SECRET).items()}
    assert (
        sansio.Event.from_http(headers, ev.body, secret=SECRET).data["number"]
        == (ev.payload["number"])
    )
    with pytest.raises(sansio.ValidationFailure):
        sansio.Event.from_http(headers, ev.body + b" ", secret=SECRET)
