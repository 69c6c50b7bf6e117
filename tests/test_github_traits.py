"""Traits that contradict each other (merged and unmerged) are refused, in every catalog type."""

from __future__ import annotations

import itertools

import pytest
from _helpers_cli import cli

import hookmock
from hookmock import TraitError
from hookmock.providers.github._catalog import entries
from hookmock.providers.stripe._catalog import catalog as stripe_catalog


def _pairs(provider: str):
    if provider == "github":
        groups = {t: e["exclusive"] for t, e in entries().items()}
    else:
        groups = {t: e.get("exclusive", []) for t, e in stripe_catalog().items()}
    for type, type_groups in sorted(groups.items()):
        for group in type_groups:
            for pair in itertools.combinations(group, 2):
                yield provider, type, pair


ALL_PAIRS = [*_pairs("github"), *_pairs("stripe")]


def test_merged_and_unmerged_are_refused_together():
    with pytest.raises(TraitError, match="'merged', 'unmerged' exclude each other"):
        hookmock.github.event("pull_request.closed", traits=["merged", "unmerged"])


def test_the_cli_refuses_contradicting_traits():
    run = cli(
        "generate", "github", "pull_request.closed", "--trait", "merged", "--trait", "unmerged"
    )
    assert run.code == 2
    assert "exclude each other" in run.err
    assert run.out == ""


@pytest.mark.parametrize(
    ("provider", "type", "traits"),
    [
        ("github", "pull_request_review.submitted", ["approved", "commented"]),
        ("github", "issues.closed", ["completed", "not_planned"]),
        ("github", "status", ["success", "pending"]),
        ("github", "push", ["created", "deleted"]),
        ("github", "push", ["tag", "single_commit"]),
        ("stripe", "charge.failed", ["expired_card", "lost_card"]),
        ("stripe", "customer.subscription.created", ["incomplete", "trialing"]),
        ("stripe", "invoice.paid", ["subscription_create", "subscription_cycle"]),
    ],
)
def test_states_that_cannot_both_hold_are_exclusive(provider, type, traits):
    with pytest.raises(TraitError, match="exclude each other"):
        hookmock.event(provider, type, seed=1, traits=traits)


@pytest.mark.parametrize(("provider", "type", "pair"), ALL_PAIRS)
def test_every_declared_exclusive_pair_is_refused(provider, type, pair):
    with pytest.raises(TraitError, match="exclude each other"):
        hookmock.event(provider, type, seed=1, traits=list(pair))


@pytest.mark.parametrize("provider", ["github", "stripe"])
def test_exclusive_groups_name_only_the_types_own_traits(provider):
    for _, type, pair in _pairs(provider):
        assert set(pair) <= set(getattr(hookmock, provider).traits_for(type))


def test_compatible_traits_still_combine():
    ev = hookmock.github.event("push", seed=1, traits=["tag", "deleted"])
    assert ev.payload["deleted"] is True
    assert ev.payload["ref"].startswith("refs/tags/")
    ev = hookmock.stripe.event("charge.succeeded", seed=1, traits=["three_d_secure", "uncaptured"])
    assert ev.payload["data"]["object"]["captured"] is False
