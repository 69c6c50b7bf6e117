"""The GitHub catalog and type detection: breadth, descriptions, traits, detect with and without headers."""

from __future__ import annotations

import pytest
from _helpers_github import TYPES

import hookmock
from hookmock.providers.github._detect import _SHAPES

REQUIRED_TYPES = [
    "push",
    "ping",
    "create",
    "delete",
    "fork",
    "status",
    "watch.started",
    "deployment.created",
    "deployment_status.created",
    "pull_request.opened",
    "pull_request.closed",
    "pull_request.reopened",
    "pull_request.synchronize",
    "pull_request.edited",
    "pull_request.labeled",
    "pull_request.unlabeled",
    "pull_request.assigned",
    "pull_request.unassigned",
    "pull_request.ready_for_review",
    "pull_request.converted_to_draft",
    "pull_request.review_requested",
    "pull_request.review_request_removed",
    "pull_request.locked",
    "pull_request.unlocked",
    "pull_request.auto_merge_enabled",
    "pull_request_review.submitted",
    "pull_request_review.edited",
    "pull_request_review.dismissed",
    "pull_request_review_comment.created",
    "pull_request_review_comment.edited",
    "pull_request_review_comment.deleted",
    "issues.opened",
    "issues.edited",
    "issues.closed",
    "issues.reopened",
    "issues.labeled",
    "issues.unlabeled",
    "issues.assigned",
    "issues.deleted",
    "issues.transferred",
    "issues.pinned",
    "issues.milestoned",
    "issue_comment.created",
    "issue_comment.edited",
    "issue_comment.deleted",
    "release.published",
    "release.created",
    "release.released",
    "release.prereleased",
    "release.edited",
    "release.deleted",
    "release.unpublished",
    "workflow_run.requested",
    "workflow_run.in_progress",
    "workflow_run.completed",
    "workflow_job.queued",
    "workflow_job.in_progress",
    "workflow_job.completed",
    "workflow_job.waiting",
    "check_run.created",
    "check_run.completed",
    "check_run.rerequested",
    "check_run.requested_action",
    "check_suite.completed",
    "check_suite.requested",
    "check_suite.rerequested",
    "installation.created",
    "installation.deleted",
    "installation.suspend",
    "installation.unsuspend",
    "installation.new_permissions_accepted",
    "installation_repositories.added",
    "installation_repositories.removed",
    "star.created",
    "star.deleted",
    "repository.created",
    "repository.deleted",
    "repository.archived",
    "repository.unarchived",
    "repository.edited",
    "repository.renamed",
    "repository.transferred",
    "repository.publicized",
    "repository.privatized",
    "member.added",
    "member.removed",
    "member.edited",
    "label.created",
    "label.edited",
    "label.deleted",
    "milestone.created",
    "milestone.closed",
    "milestone.opened",
    "milestone.edited",
    "milestone.deleted",
]


def test_the_catalog_has_at_least_25_events_and_80_types() -> None:
    events = {t.partition(".")[0] for t in TYPES}
    assert len(events) >= 25
    assert len(TYPES) >= 80
    assert sorted(TYPES) == TYPES
    assert hookmock.github.events() == sorted(events)


def test_the_catalog_covers_every_type_receivers_handle_most() -> None:
    assert set(REQUIRED_TYPES) <= set(TYPES)


@pytest.mark.parametrize("type_", TYPES)
def test_every_type_has_a_description_and_the_organization_trait(type_: str) -> None:
    assert hookmock.github.describe(type_).strip()
    assert "organization" in hookmock.github.traits_for(type_)


def test_traits_are_listed_for_the_types_that_have_them() -> None:
    assert {"merged", "unmerged"} <= set(hookmock.github.traits_for("pull_request.closed"))
    assert "draft" in hookmock.github.traits_for("pull_request.opened")
    assert {"forced", "tag"} <= set(hookmock.github.traits_for("push"))
    assert {"success", "failure", "cancelled"} <= set(
        hookmock.github.traits_for("workflow_run.completed")
    )
    assert "tag" in hookmock.github.traits_for("create")


@pytest.mark.parametrize("type_", TYPES)
def test_detect_reads_the_event_header_and_the_action(type_: str) -> None:
    for seed in range(3):
        ev = hookmock.github.event(type_, seed=seed)
        headers = {"x-github-event": ev.headers(secret="s")["X-GitHub-Event"]}
        assert hookmock.github.detect(ev.payload, headers) == type_
        assert hookmock.validate(ev.body, headers=headers) == ("github", type_)


#: Types whose event the shape rules know (``_detect._SHAPES``): the events receivers see most.
#: Every other type is told by its ``X-GitHub-Event`` header, as GitHub always sends it.
#: Not organization.deleted: its body fits GHES's user.deleted alike (every block of that is
#: optional), so it is skipped rather than guessed (tests/test_github_detect.py).
SHAPED = [
    t
    for t in TYPES
    if t.partition(".")[0] in {event for _, event in _SHAPES} | {"team"}
    and t != "organization.deleted"
]


def test_shape_rules_cover_the_common_events() -> None:
    assert {"push", "pull_request.opened", "issues.opened", "workflow_run.completed"} <= set(SHAPED)


@pytest.mark.parametrize("type_", SHAPED)
def test_detect_guesses_from_the_shape_without_headers(type_: str) -> None:
    for seed in range(3):
        ev = hookmock.github.event(type_, seed=seed, traits="organization", with_installation=True)
        assert hookmock.github.detect(ev.payload) == type_


def test_detect_returns_none_when_unsure() -> None:
    gh = hookmock.github
    assert gh.detect({}) is None
    assert gh.detect({"id": "evt_1", "object": "event", "type": "charge.succeeded"}) is None
    assert gh.detect({"action": "opened", "sender": {"login": "x"}, "thing": {}}) is None
    payload = hookmock.github.event("pull_request.opened", seed=1).payload
    # An action this catalog does not know: no guess rather than a wrong one.
    assert (
        gh.detect({**payload, "action": "teleported"}, {"X-GitHub-Event": "pull_request"}) is None
    )
    assert gh.detect(payload, {"X-GitHub-Event": "no_such_event"}) is None


def test_the_header_wins_over_the_shape() -> None:
    payload = hookmock.github.event("issues.opened", seed=1).payload
    assert hookmock.github.detect(payload, {"X-GitHub-Event": "issues"}) == "issues.opened"
    assert hookmock.github.detect(payload, {"X-GITHUB-EVENT": "issues"}) == "issues.opened"


def test_an_unknown_type_error_suggests_and_points_at_the_list() -> None:
    with pytest.raises(hookmock.UnknownTypeError) as info:
        hookmock.github.event("issue.opened", seed=1)
    assert "issues.opened" in info.value.suggestions
    assert "hookmock.types('github')" in str(info.value)


def test_from_payload_wraps_a_captured_body_with_stable_headers() -> None:
    original = hookmock.github.event("push", seed=4)
    captured = hookmock.github.from_payload(original.body)
    assert captured.type == "push"
    assert captured.body == original.body
    headers = captured.headers(secret="s")
    assert headers["X-GitHub-Event"] == "push"
    assert headers["X-GitHub-Delivery"] == captured.id
    hookmock.verify("github", captured.body, headers, "s")
    assert hookmock.github.from_payload(original.body).id == captured.id
