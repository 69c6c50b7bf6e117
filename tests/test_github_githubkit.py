"""Realism: every GitHub type, over many seeds, parses with githubkit and verifies with it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from _helpers_github import TYPES

import hookmock

SEEDS = range(20)
SECRET = "It's a Secret to Everybody"


@pytest.fixture(scope="module")
def webhooks() -> Any:
    # githubkit's import is slow; pay for it once per module.
    return pytest.importorskip("githubkit.webhooks")


def _model_suffix(type_: str) -> str:
    """githubkit names models like WebhookPullRequestReviewRequestedOneof0."""
    return "".join(part.capitalize() for part in re.split(r"[._]", type_))


@pytest.mark.parametrize("type_", TYPES)
def test_githubkit_parses_every_type_into_its_own_model(webhooks: Any, type_: str) -> None:
    traits = [()] + [(t,) for t in hookmock.github.traits_for(type_)]
    for seed in SEEDS:
        options = {"with_installation": seed % 3 == 0, "with_enterprise": seed % 4 == 0}
        ev = hookmock.github.event(type_, seed=seed, traits=traits[seed % len(traits)], **options)
        headers = ev.headers(secret=SECRET)
        model = webhooks.parse(headers["X-GitHub-Event"], ev.body)
        assert type(model).__name__.startswith("Webhook" + _model_suffix(type_)), type_
        assert webhooks.verify(SECRET, ev.body, headers["X-Hub-Signature-256"])


def test_githubkit_rejects_a_signature_for_another_body(webhooks: Any) -> None:
    ev = hookmock.github.event("push", seed=1)
    signature = ev.headers(secret=SECRET)["X-Hub-Signature-256"]
    assert not webhooks.verify(SECRET, ev.body + b"\n", signature)


def test_gidgethub_accepts_the_delivery_if_installed() -> None:
    sansio = pytest.importorskip("gidgethub.sansio")
    ev = hookmock.github.event("pull_request.opened", seed=3)
    # gidgethub expects the lowercase header names an HTTP server hands it.
    headers = {k.lower(): v for k, v in ev.headers(secret=SECRET).items()}
    got = sansio.Event.from_http(headers, ev.body, secret=SECRET)
    assert got.event == "pull_request"
    assert got.delivery_id == ev.id
    assert got.data["number"] == ev.payload["number"]
    with pytest.raises(sansio.ValidationFailure):
        sansio.Event.from_http(headers, ev.body + b" ", secret=SECRET)
