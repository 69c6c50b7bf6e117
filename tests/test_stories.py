"""Stories: every story over many seeds is valid for hookmock's schemas and the official SDKs,
its ids, URLs and times agree, and bad parameters and overrides get errors that name the fix."""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

import pytest
import stripe
from _helpers_stripe import problems, resource_class

import hookmock
import hookmock._stories
import hookmock.delivery

SEEDS = range(6)
STRIPE_SECRET = "whsec_test_story_5b1f"
GITHUB_SECRET = "It's a Secret to Everybody"
STRIPE_STORIES = sorted(hookmock.stories("stripe"))
GITHUB_STORIES = sorted(hookmock.stories("github"))


@pytest.fixture(scope="module")
def webhooks() -> Any:
    # githubkit's import is slow; pay for it once per module.
    return pytest.importorskip("githubkit.webhooks")


def test_the_issue_s_stories_are_all_there() -> None:
    assert len(STRIPE_STORIES) >= 12
    assert len(GITHUB_STORIES) >= 8
    for name, line in {**hookmock.stories("stripe"), **hookmock.stories("github")}.items():
        assert line, name
        assert "\n" not in line, name


# -- validity ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", STRIPE_STORIES)
def test_every_stripe_story_passes_the_schemas_and_stripe_python(name: str) -> None:
    for seed in SEEDS:
        story = hookmock.story("stripe", name, seed=seed)
        assert len(story) >= 3
        for event in story:
            hookmock.validate(event.body, provider="stripe", type=event.type)
            sig = event.headers(secret=STRIPE_SECRET)["Stripe-Signature"]
            parsed = stripe.Webhook.construct_event(event.body, sig, STRIPE_SECRET)
            assert parsed.type == event.type
            assert parsed.id == event.id
            obj = event.payload["data"]["object"]
            cls = resource_class(obj["object"])
            assert isinstance(parsed.data.object, cls), (name, event.type)
            assert problems(obj, cls) == [], f"{name} seed={seed} {event.type}"


@pytest.mark.parametrize("name", GITHUB_STORIES)
def test_every_github_story_passes_the_schemas_and_githubkit(webhooks: Any, name: str) -> None:
    for seed in SEEDS:
        story = hookmock.story("github", name, seed=seed)
        assert len(story) >= 3
        for event in story:
            headers = event.headers(secret=GITHUB_SECRET)
            hookmock.validate(event.body, provider="github", type=event.type, headers=headers)
            webhooks.parse(headers["X-GitHub-Event"], event.body)
            assert webhooks.verify(GITHUB_SECRET, event.body, headers["X-Hub-Signature-256"])


# -- consistency -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", STRIPE_STORIES + GITHUB_STORIES)
def test_times_move_forward_and_the_same_seed_tells_the_same_story(name: str) -> None:
    provider = "stripe" if name in STRIPE_STORIES else "github"
    story = hookmock.story(provider, name, seed=11)
    times = [e.created for e in story]
    assert times == sorted(times)
    assert times[-1] > times[0]
    if provider == "stripe":
        assert [e.payload["created"] for e in story] == times
    assert [e.body for e in hookmock.story(provider, name, seed=11)] == [e.body for e in story]
    assert [e.body for e in hookmock.story(provider, name, seed=12)] != [e.body for e in story]
    assert len({e.id for e in story}) == len(story)


def _ids(event: hookmock.Event, prefix: str) -> set[str]:
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str) and node.startswith(prefix) and "_secret_" not in node:
            found.add(node)

    walk(event.payload)
    return found


@pytest.mark.parametrize("seed", SEEDS)
def test_a_checkout_subscription_shares_one_customer_subscription_and_invoice(seed: int) -> None:
    story = hookmock.story("stripe", "checkout_subscription", seed=seed)
    customers = set().union(*(_ids(e, "cus_") for e in story))
    assert len(customers) == 1
    (customer,) = customers
    assert story[0].type == "customer.created"
    assert story[0].payload["data"]["object"]["id"] == customer
    subs = set().union(*(_ids(e, "sub_") for e in story))
    assert len(subs) == 1
    invoices = set().union(*(_ids(e, "in_") for e in story))
    assert len(invoices) == 1
    intents = set().union(*(_ids(e, "pi_") for e in story))
    assert len(intents) == 1
    charge = next(e for e in story if e.type == "charge.succeeded").payload["data"]["object"]
    assert charge["payment_intent"] in intents
    assert charge["customer"] == customer
    for event in story:
        obj = event.payload["data"]["object"]
        for key in ("amount_due", "amount_total", "amount"):
            if key in obj:
                assert obj[key] == 2000, (event.type, key)
        if obj["object"] == "subscription":
            assert obj["items"]["data"][0]["price"]["unit_amount"] == 2000
        if obj.get("currency") is not None and obj["object"] != "customer":
            assert obj["currency"] == "usd", event.type


def test_a_dunning_story_fails_every_retry_then_deletes_the_subscription() -> None:
    story = hookmock.story("stripe", "dunning", seed=3, retries=4)
    failed = [e for e in story if e.type == "invoice.payment_failed"]
    assert len(failed) == 4
    assert [e.payload["data"]["object"]["attempt_count"] for e in failed] == [1, 2, 3, 4]
    assert len({e.payload["data"]["object"]["id"] for e in failed}) == 1
    past_due = next(e for e in story if e.type == "customer.subscription.updated")
    assert past_due.payload["data"]["object"]["status"] == "past_due"
    assert story.types()[-1] == "customer.subscription.deleted"
    charges = {e.payload["data"]["object"]["id"] for e in story if e.type == "charge.failed"}
    assert len(charges) == 4  # each retry is a charge of its own


@pytest.mark.parametrize(("outcome", "last"), [("won", "charge.dispute.funds_reinstated"),
                                                ("lost", "charge.dispute.closed")])  # fmt: skip
def test_a_dispute_is_won_or_lost(outcome: str, last: str) -> None:
    story = hookmock.story("stripe", "dispute", seed=2, outcome=outcome)
    assert story.types()[:3] == [
        "charge.succeeded",
        "charge.dispute.created",
        "charge.dispute.funds_withdrawn",
    ]
    assert story.types()[-1] == last
    closed = next(e for e in story if e.type == "charge.dispute.closed")
    assert closed.payload["data"]["object"]["status"] == outcome
    charge = story[0].payload["data"]["object"]["id"]
    assert all(e.payload["data"]["object"]["charge"] == charge for e in story[1:])


def test_a_partial_refund_refunds_part_of_the_charge() -> None:
    story = hookmock.story("stripe", "refund", seed=1, amount=5000, refund=1500)
    refunded = next(e for e in story if e.type == "charge.refunded").payload["data"]["object"]
    assert (refunded["amount"], refunded["amount_refunded"], refunded["refunded"]) == (
        5000,
        1500,
        False,
    )
    refund = next(e for e in story if e.type == "refund.created").payload["data"]["object"]
    assert refund["amount"] == 1500
    assert refund["charge"] == refunded["id"]
    with pytest.raises(hookmock.ConfigurationError, match="refund at most the amount"):
        hookmock.story("stripe", "refund", seed=1, amount=1000, refund=1500)


def test_connect_onboarding_clears_requirements_then_enables_the_account() -> None:
    story = hookmock.story("stripe", "connect_onboarding", seed=4, steps=3)
    accounts = {e.payload["account"] for e in story} | {
        e.payload["data"]["object"]["id"] for e in story
    }
    assert len(accounts) == 1
    due = [len(e.payload["data"]["object"]["requirements"]["currently_due"]) for e in story]
    assert due == sorted(due, reverse=True)
    assert due[-1] == 0
    assert [e.payload["data"]["object"]["charges_enabled"] for e in story] == [False, False, True]


@pytest.mark.parametrize("name", GITHUB_STORIES)
def test_a_github_story_happens_in_one_repository(name: str) -> None:
    story = hookmock.story("github", name, seed=5)
    repos = {
        (e.payload["repository"]["id"], e.payload["repository"]["full_name"])
        for e in story
        if "repository" in e.payload
    }
    assert len(repos) <= 1
    if repos:
        ((_, full_name),) = repos
        for event in story:
            urls = [
                v
                for k, v in event.payload.get("repository", {}).items()
                if k.endswith("url") and isinstance(v, str) and "api.github.com/repos/" in v
            ]
            assert all(f"/repos/{full_name}" in u for u in urls), event.type


@pytest.mark.parametrize("seed", SEEDS)
def test_a_pull_request_keeps_its_number_urls_and_head_through_ci_review_and_merge(
    seed: int,
) -> None:
    story = hookmock.story("github", "pull_request", seed=seed, number=77, pushes=2)
    full_name = story[0].payload["repository"]["full_name"]
    prs = [e.payload["pull_request"] for e in story if "pull_request" in e.payload]
    assert {pr["number"] for pr in prs} == {77}
    assert {pr["id"] for pr in prs} == {prs[0]["id"]}
    assert {pr["url"] for pr in prs} == {f"https://api.github.com/repos/{full_name}/pulls/77"}
    assert {pr["head"]["ref"] for pr in prs} == {prs[0]["head"]["ref"]}
    shas = [pr["head"]["sha"] for pr in prs]
    assert len(set(shas)) == 3  # opened, then two pushes
    runs = [e.payload["workflow_run"] for e in story if "workflow_run" in e.payload]
    assert {r["head_branch"] for r in runs} == {prs[0]["head"]["ref"]}
    assert {r["head_sha"] for r in runs} <= set(shas)
    closed = story[story.types().index("pull_request.closed")].payload["pull_request"]
    assert closed["merged"] is True
    assert closed["head"]["sha"] == shas[-1]
    assert story.types()[-2:] == ["push", "delete"]
    assert story[-2].payload["after"] == closed["merge_commit_sha"]
    pushes = [e.payload for e in story if e.type == "pull_request.synchronize"]
    heads = list(dict.fromkeys(shas))  # each head once, in order
    assert [(p["before"], p["after"]) for p in pushes] == list(itertools.pairwise(heads))
    assert story[-1].payload["ref"] == prs[0]["head"]["ref"]
    assert story[-2].payload["ref"] == f"refs/heads/{prs[0]['base']['ref']}"


# -- parameters and overrides ------------------------------------------------------------------
def test_an_override_of_a_shared_object_flows_into_every_event_that_carries_it() -> None:
    story = hookmock.story("stripe", "checkout_subscription", seed=1)
    email = story[0].payload["data"]["object"]["email"]
    carrying = [i for i, e in enumerate(story) if email.encode() in e.body]
    assert len(carrying) >= 5
    changed = story.override(customer__email="ops@example.com")
    assert [i for i, e in enumerate(changed) if b"ops@example.com" in e.body] == carrying
    assert not any(email.encode() in e.body for e in changed)
    assert changed.overrides == {"customer": {"email": "ops@example.com"}}

    moved = hookmock.story(
        "github", "push_ci", seed=2, repository__owner="acme-corp", repository__name="billing"
    )
    assert {e.payload["repository"]["full_name"] for e in moved} == {"acme-corp/billing"}
    assert {e.payload["repository"]["url"] for e in moved} == {
        "https://api.github.com/repos/acme-corp/billing"
    }

    titled = hookmock.story("github", "pull_request", seed=1, pull_request__title="Make it so")
    for event in titled:
        if "pull_request" in event.payload:
            assert event.payload["pull_request"]["title"] == "Make it so"


def test_parameters_move_every_event_that_carries_them() -> None:
    story = hookmock.story("stripe", "checkout_payment", seed=2, amount=4999, currency="eur")
    for event in story[1:]:
        obj = event.payload["data"]["object"]
        assert obj["currency"] == "eur"
        assert obj.get("amount", obj.get("amount_total")) == 4999
    assert story.params == {"amount": 4999, "currency": "eur"}


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"amout": 5}, hookmock.ConfigurationError, "Did you mean 'amount'?"),
        ({"amount": "5"}, hookmock.ConfigurationError, "must be an int"),
        ({"amount": 10}, hookmock.ConfigurationError, "at least 50"),
        ({"currency": "usdd"}, hookmock.ConfigurationError, "Did you mean 'usd'?"),
        ({"custmer__email": "a@b.c"}, hookmock.OverrideError, "Did you mean 'customer'?"),
        ({"customer__emial": "a@b.c"}, hookmock.OverrideError, "customer__email"),
        ({"customer__email": 12345}, hookmock.SchemaError, "customer__email=12345 breaks event"),
    ],
)
def test_bad_parameters_and_overrides_name_the_fix(
    kwargs: dict[str, Any], error: type[Exception], text: str
) -> None:
    with pytest.raises(error) as caught:
        hookmock.story("stripe", "checkout_subscription", seed=1, **kwargs)
    assert text in str(caught.value)


def test_an_unknown_story_lists_the_provider_s_stories() -> None:
    with pytest.raises(hookmock.ConfigurationError) as caught:
        hookmock.story("stripe", "checkout_subscriptoin")
    assert "Did you mean 'checkout_subscription'?" in str(caught.value)
    assert "dunning" in str(caught.value)
    with pytest.raises(hookmock.UnknownProviderError):
        hookmock.story("stirpe", "dunning")
    assert hookmock.stories("standard") == {}


def test_a_story_is_a_sequence_of_events() -> None:
    story = hookmock.story("github", "release", seed=3, tag="v2.0.0")
    assert len(story) == len(list(story)) == len(story.types())
    assert story[0] is story.events[0]
    assert story[-1] is story.events[-1]
    assert isinstance(story.events, tuple)
    assert all(isinstance(e, hookmock.Event) for e in story)
    assert {e.payload["release"]["tag_name"] for e in story if "release" in e.payload} == {"v2.0.0"}
    assert "github release seed=3" in repr(story)
    assert story[1].type in story.describe()


def test_a_story_event_replays_as_itself() -> None:
    story = hookmock.story("stripe", "renewal", seed=8)
    paid = story[story.types().index("invoice.paid")]
    again = paid.replace()
    assert again.payload == paid.payload
    assert (
        paid.replace(data__object__metadata={"k": "v"}).payload["data"]["object"]["id"]
        == (paid.payload["data"]["object"]["id"])
    )


def _times(node: object) -> list[str]:
    """Every ``*_at`` time in a payload (not ``due_on``: a milestone is due in the future)."""
    if isinstance(node, list):
        return [t for v in node for t in _times(v)]
    if not isinstance(node, dict):
        return []
    found = [v for k, v in node.items() if k.endswith("_at") and isinstance(v, str) and v]
    return found + [t for v in node.values() for t in _times(v)]


@pytest.mark.parametrize("name", GITHUB_STORIES)
def test_a_github_story_s_payload_times_follow_its_clock(name: str) -> None:
    story = hookmock.story("github", name, seed=9)
    for event in story:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(event.created))
        assert max(_times(event.payload), default="") <= stamp, event.type
    created = {e.payload["repository"]["created_at"] for e in story if "repository" in e.payload}
    assert len({c if isinstance(c, str) else _iso(c) for c in created}) <= 1


def test_a_pull_request_was_opened_once() -> None:
    story = hookmock.story("github", "pull_request", seed=4)
    opened = {e.payload["pull_request"]["created_at"] for e in story if "pull_request" in e.payload}
    assert opened == {time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(story[0].created))}
    closed = story[story.types().index("pull_request.closed")]
    assert closed.payload["pull_request"]["merged_at"] <= _iso(closed.created)


def _iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def test_hookmock_stories_stays_the_listing_function_once_the_machinery_is_loaded() -> None:
    # This module imports hookmock._stories and hookmock.delivery at the top: a submodule named
    # hookmock.stories would have replaced the function by now.
    assert hookmock._stories.Story is hookmock.Story
    assert callable(hookmock.stories)
    assert callable(hookmock.story)
    assert hookmock.Story.__name__ == "Story"


@pytest.mark.parametrize("name", ["checkout_subscription", "refund", "connect_onboarding"])
def test_a_stripe_storys_shared_ids_have_the_lengths_stripe_gives_them(name):
    # The same lengths single events have (cus_ 14 characters after the prefix, cs_test_ 58,
    # acct_ 16, most others 24): a story must not be the one place ids look different.
    story = hookmock.story("stripe", name, seed=3)
    wanted = {"cus": 14, "cs_test": 58, "acct": 16, "sub": 24, "pi": 24, "ch": 24, "in": 24}
    seen = set()
    for event in story:
        for found in re.findall(
            r'"((?:cus|cs_test|acct|sub|pi|ch|in)_[A-Za-z0-9]{6,})"', event.body.decode()
        ):
            prefix, _, rest = found.rpartition("_")
            seen.add(prefix)
            assert len(rest) == wanted[prefix], found
    assert seen
