"""Linking a story's events: GitHub's are built already linked (the factories take the story's
cast): one repository block, one user block per person, short shared values only where they
belong, and every event replays as itself. Stripe's indented bodies are renamed in place and stay
what Stripe writes."""

from __future__ import annotations

import contextlib
import json

import pytest

import hookmock
from hookmock._stories._tell import _renamed

GITHUB_STORIES = sorted(hookmock.stories("github"))
STRIPE_STORIES = sorted(hookmock.stories("stripe"))
SEEDS = range(4)


@pytest.mark.parametrize("name", GITHUB_STORIES)
def test_every_event_of_a_github_story_replays_as_itself(name: str) -> None:
    for seed in SEEDS:
        for event in hookmock.story("github", name, seed=seed):
            again = event.replace()
            assert again.payload == event.payload, (name, seed, event.type)
            assert again.body == event.body, (name, seed, event.type)


def test_a_github_story_event_sent_with_an_override_keeps_its_links() -> None:
    story = hookmock.story("github", "issue_triage", seed=3)
    comment = story[story.types().index("issue_comment.created")]
    changed = comment.replace(comment__body="Same here")
    assert changed.payload["comment"]["body"] == "Same here"
    for block in ("repository", "issue", "sender"):
        assert changed.payload[block] == comment.payload[block], block


@pytest.mark.parametrize("name", GITHUB_STORIES)
def test_a_github_story_carries_one_repository_block_and_one_user_per_person(name: str) -> None:
    for seed in SEEDS:
        blocks: set[str] = set()
        people: dict[str, set[tuple[int, str]]] = {}
        for event in hookmock.story("github", name, seed=seed):
            p = event.payload
            repo = p.get("repository")
            if isinstance(repo, dict):
                if event.type != "push":  # push sends its own shape (unix times, pusher keys)
                    blocks.add(json.dumps(repo, sort_keys=True))
                owner = repo["owner"]
                people.setdefault(owner["login"], set()).add((owner["id"], owner["type"]))
            sender = p["sender"]
            people.setdefault(sender["login"], set()).add((sender["id"], sender["type"]))
        assert len(blocks) <= 1, (name, seed)
        assert {login: ids for login, ids in people.items() if len(ids) > 1} == {}, (name, seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_pull_request_s_head_branch_never_renames_the_default_branch(seed: int) -> None:
    story = hookmock.story("github", "pull_request", seed=seed)
    head = story[0].payload["pull_request"]["head"]["ref"]
    branches = {e.payload["repository"]["default_branch"] for e in story if e.type != "push"}
    assert branches in ({"main"}, {"master"})
    runs = [e.payload["workflow_run"] for e in story if "workflow_run" in e.payload]
    assert {r["head_branch"] for r in runs} == {head}


def test_an_override_put_in_after_building_is_still_checked() -> None:
    with pytest.raises(hookmock.SchemaError, match=r"issue__title=5 breaks event 0"):
        hookmock.story("github", "issue_triage", seed=1, issue__title=5)


@pytest.mark.parametrize("name", STRIPE_STORIES)
def test_a_stripe_story_s_bodies_are_its_payloads_as_stripe_indents_them(name: str) -> None:
    told = [hookmock.story("stripe", name, seed=seed) for seed in SEEDS]
    # An ASCII override is renamed in the body's text; a non-ASCII one is serialised again.
    for seed, fields in (
        (1, {"customer__email": "ops@example.com"}),
        (2, {"customer__name": "Zoë"}),
    ):
        with contextlib.suppress(hookmock.OverrideError):  # a story without a customer
            told.append(hookmock.story("stripe", name, seed=seed, **fields))
    for story in told:
        for event in story:
            written = json.dumps(event.payload, indent=2, ensure_ascii=False).encode()
            assert event.body == written, (name, event.type)


def test_a_short_value_is_renamed_in_indented_json_only_where_it_is_a_whole_value() -> None:
    payload = {"name": "Li Wu", "note": "Li Wu, twice", "list": ["Li Wu", {"Li Wu": 1}], "n": 7}
    text = json.dumps(payload, indent=2, ensure_ascii=False)
    got = _renamed(text, [("Li Wu", "Al Bo")], ascii=False, spaced=True)
    want = {"name": "Al Bo", "note": "Li Wu, twice", "list": ["Al Bo", {"Li Wu": 1}], "n": 7}
    assert got == json.dumps(want, indent=2, ensure_ascii=False)
