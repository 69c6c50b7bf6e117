"""Which GitHub type a payload is: from ``X-GitHub-Event`` plus ``action``, else from its shape."""

from __future__ import annotations

import re

from hookmock.authoring import UnsupportedEventError, Violation, did_you_mean
from hookmock.signing import header

from ._candidates import ENVELOPE, tell
from ._catalog import entries, event_names, events_with_actions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


#: Content rules, most specific first: (keys that must all be present, event name).
_SHAPES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("zen", "hook_id"), "ping"),
    (("hook_id", "hook"), "meta"),
    (("client_payload", "branch"), "repository_dispatch"),
    (("merge_group",), "merge_group"),
    (("discussion", "comment"), "discussion_comment"),
    (("discussion",), "discussion"),
    (("scope", "member", "team"), "membership"),
    (("team",), "team_add"),  # with an action: ``team`` (see _by_shape)
    (("thread", "pull_request"), "pull_request_review_thread"),
    (("rule", "repository"), "branch_protection_rule"),
    (("membership", "organization"), "organization"),
    (("invitation", "organization"), "organization"),
    (("build", "id"), "page_build"),
    (("ref", "before", "after", "commits", "pusher"), "push"),
    (("pull_request", "review"), "pull_request_review"),
    (("pull_request", "comment"), "pull_request_review_comment"),
    (("pull_request", "number"), "pull_request"),
    (("issue", "comment"), "issue_comment"),
    (("issue",), "issues"),
    (("workflow_job",), "workflow_job"),
    # Deployments made by Actions also carry workflow/workflow_run (and a status, check_run).
    (("deployment_status", "deployment"), "deployment_status"),
    (("deployment",), "deployment"),
    (("workflow_run", "workflow"), "workflow_run"),
    (("check_run",), "check_run"),
    (("check_suite",), "check_suite"),
    (("release",), "release"),
    (("forkee",), "fork"),
    (("pages",), "gollum"),
    (("repositories_added", "repositories_removed"), "installation_repositories"),
    (("installation", "repository_selection"), "installation_repositories"),
    (("sha", "state", "context", "commit"), "status"),
    (("comment",), "commit_comment"),
    (("milestone",), "milestone"),
    (("label",), "label"),
    (("member",), "member"),
    (("ref", "ref_type", "master_branch"), "create"),
    (("ref", "ref_type", "pusher_type"), "delete"),
)


#: Every event GitHub sends to webhooks (``X-GitHub-Event``), in or out of hookmock's catalog;
#: ``cache_sync``, ``content_reference``, ``enterprise`` and ``user`` come from GitHub Enterprise
#: Server only.
GITHUB_EVENTS = frozenset(
    {
        "cache_sync",
        "content_reference",
        "enterprise",
        "user",
        "branch_protection_configuration",
        "branch_protection_rule",
        "check_run",
        "check_suite",
        "code_scanning_alert",
        "commit_comment",
        "create",
        "custom_property",
        "custom_property_values",
        "delete",
        "dependabot_alert",
        "deploy_key",
        "deployment",
        "deployment_protection_rule",
        "deployment_review",
        "deployment_status",
        "discussion",
        "discussion_comment",
        "fork",
        "github_app_authorization",
        "gollum",
        "installation",
        "installation_repositories",
        "installation_target",
        "issue_comment",
        "issue_dependencies",
        "issues",
        "label",
        "marketplace_purchase",
        "member",
        "membership",
        "merge_group",
        "meta",
        "milestone",
        "org_block",
        "organization",
        "package",
        "page_build",
        "personal_access_token_request",
        "ping",
        "project",
        "project_card",
        "project_column",
        "projects_v2",
        "projects_v2_item",
        "projects_v2_status_update",
        "public",
        "pull_request",
        "pull_request_review",
        "pull_request_review_comment",
        "pull_request_review_thread",
        "push",
        "registry_package",
        "release",
        "repository",
        "repository_advisory",
        "repository_dispatch",
        "repository_import",
        "repository_ruleset",
        "repository_vulnerability_alert",
        "secret_scanning_alert",
        "secret_scanning_alert_location",
        "secret_scanning_scan",
        "security_advisory",
        "security_and_analysis",
        "sponsorship",
        "star",
        "status",
        "sub_issues",
        "team",
        "team_add",
        "watch",
        "workflow_dispatch",
        "workflow_job",
        "workflow_run",
    }
)


def uncovered_events() -> list[str]:
    """Real GitHub events hookmock has no schema for (validation reports them as unsupported)."""
    return sorted(GITHUB_EVENTS - set(event_names()))


def detect(payload: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> str | None:
    """The type of a GitHub payload: from ``X-GitHub-Event`` and the action; without the header,
    from a shape rule (cheap, the common events), else from the one type whose schema accepts
    the body (:mod:`._candidates`); None when that is not exactly one."""
    known = entries()
    event = header(headers, "X-GitHub-Event") if headers else None
    if event:
        event = event.strip()
        if event in events_with_actions():
            return _with_action(event, payload.get("action"), known)
        return event if event in known else None
    if isinstance(payload.get("sender"), dict) or "zen" in payload:
        event = _by_shape(payload)
        found = _named(event, payload, known) if event is not None else None
        if found is not None:
            return found
    if not looks_like_github(payload):
        return None
    return tell(payload)


def looks_like_github(payload: Mapping[str, Any]) -> bool:
    """Whether ``payload`` carries one of the blocks GitHub's events share (``sender``,
    ``repository`` ...): only such a body is worth comparing with GitHub's schemas."""
    return any(isinstance(payload.get(k), dict) for k in ENVELOPE if k != "action")


def _named(event: str, payload: Mapping[str, Any], known: Mapping[str, Any]) -> str | None:
    if event in events_with_actions():
        return _with_action(event, payload.get("action"), known)
    if "action" in payload and event != "repository_dispatch":
        # A bare event carries no action (but a dispatch's is the caller's event type);
        # the shape rule matched by accident.
        return None
    return event if event in known else None


def explain(
    payload: Mapping[str, Any],
    headers: Mapping[str, str] | None = None,
    *,
    headers_from: str = "headers=",
) -> tuple[str | None, list[Violation]] | None:
    """Why :func:`detect` found no type for a payload with an ``X-GitHub-Event`` header.

    The header is what GitHub says the event is, so a payload that does not fit it is a finding
    about the payload (or the header), never "cannot tell": an unknown event name, a missing or
    unknown action. Without the header, a payload is not explained (None).
    """
    event = header(headers, "X-GitHub-Event") if headers else None
    if not event:
        return _explain_shape(payload)
    event = event.strip()
    said = f"X-GitHub-Event {event!r} (from {headers_from})"
    if event not in event_names():
        if event in GITHUB_EVENTS:
            raise UnsupportedEventError("github", event, title="GitHub")
        close = did_you_mean(event, event_names())
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else "."
        return None, [Violation("", f"unknown GitHub event {event!r} (from {headers_from}){hint}")]
    if event not in events_with_actions():
        return None  # detect() would have returned it; nothing to add
    actions = sorted(t.partition(".")[2] for t in entries() if t.startswith(f"{event}."))
    action = payload.get("action")
    if "action" not in payload:
        looks = detect(payload, None)
        other = f" The payload looks like a {looks!r} event; is the header right?" if looks else ""
        return None, [
            Violation(
                "",
                f"{said} needs an 'action' field, which the payload lacks"
                f" (one of {', '.join(map(repr, actions))}).{other}",
            )
        ]
    if not isinstance(action, str):
        return None, [Violation("/action", f"{said} needs a string action, got {action!r}.")]
    close = did_you_mean(action, actions)
    if not close and re.fullmatch(r"[a-z][a-z0-9_]*", action):
        # Not a near miss of a known action: a real action hookmock has no schema for
        # (pull_request's enqueued, dequeued), not a mistake in the payload.

        raise UnsupportedEventError("github", event, action, title="GitHub")
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return None, [
        Violation(
            "/action",
            f"{action!r} is not an action of {said} in hookmock's catalog.{hint}"
            f" Its actions: {', '.join(actions)}.",
        )
    ]


def _explain_shape(payload: Mapping[str, Any]) -> tuple[str | None, list[Violation]] | None:
    """Without the header: a payload shaped like an event with actions, whose action is no
    string (a list, an object, a number), is that event with a bad ``/action``."""
    action = payload.get("action")
    if action is None or isinstance(action, str) or not isinstance(payload.get("sender"), dict):
        return None
    event = _by_shape(payload) or _by_envelope(payload)
    if event is None or event not in events_with_actions():
        return None
    return None, [
        Violation(
            "/action",
            f"a GitHub {event!r} payload needs a string action, got"
            f" {type(action).__name__} {action!r:.60}.",
        )
    ]


def _with_action(event: str, action: object, known: Mapping[str, Any]) -> str | None:
    if isinstance(action, str):
        name = f"{event}.{action}"
        return name if name in known else None
    if action is None:
        # GHES (3.1 to 3.5) sends deployment and deployment_status without an action; an
        # event with a single action can only be that one.
        only = [t for t in known if t.startswith(f"{event}.")]
        if len(only) == 1:
            return only[0]
    return None


def _by_shape(payload: Mapping[str, Any]) -> str | None:
    action = payload.get("action")
    # A list or object action is a finding for the schema; as a set member it would not hash.
    name = action if isinstance(action, str) else ""
    if (
        isinstance(payload.get("installation"), dict)
        and name
        in {
            "created",
            "deleted",
            "suspend",
            "unsuspend",
            "new_permissions_accepted",
        }
        and "account" in payload["installation"]
        and "repository" not in payload
    ):
        return "installation"
    if name == "started" and set(payload) <= {
        "action",
        "repository",
        "sender",
        "organization",
        "installation",
        "enterprise",
    }:
        return "watch"
    if "starred_at" in payload:
        return "star"
    if isinstance(payload.get("workflow"), str) and "ref" in payload and "inputs" in payload:
        return "workflow_dispatch"
    for keys, event in _SHAPES:
        # A null value (deployment's ``workflow_run: null``) does not count as the block.
        if all(payload.get(k) is not None for k in keys):
            return "team" if event == "team_add" and action is not None else event
    return None


def _by_envelope(payload: Mapping[str, Any]) -> str | None:
    """The event of a body that holds little beyond the shared blocks (``repository``,
    ``organization``, ``public``). Several types fit such a body (a GHES ``user`` event's
    blocks are all optional), so detection asks the schemas instead; this only lets
    :func:`_explain_shape` name the event of one with a malformed action."""
    action = payload.get("action")
    name = action if isinstance(action, str) else ""
    if name in {"renamed", "deleted"} and set(payload) <= {
        "action",
        "changes",
        "organization",
        "sender",
        "installation",
        "enterprise",
    }:
        return "organization"
    if (
        action is not None
        and isinstance(payload.get("repository"), dict)
        and set(payload)
        <= {
            "action",
            "repository",
            "sender",
            "organization",
            "installation",
            "enterprise",
            "changes",
        }
    ):
        return "repository"
    if action is None and set(payload) <= {
        "repository",
        "sender",
        "organization",
        "installation",
        "enterprise",
    }:
        return "public"
    return None
