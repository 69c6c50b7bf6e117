"""GitHub's REST API, answered from delivered events; comments, statuses and check runs recorded.

Also the hook's delivery log (``GET /repos/{o}/{r}/hooks/{id}/deliveries``, ``/app/hook/deliveries``)
from the events fed, a story's dropped ones as failed deliveries, and their redelivery requests.
"""

from __future__ import annotations

import copy
import datetime
import itertools
import threading
from urllib.parse import urlencode

from hookmock.apimock import Reply

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from hookmock import Event
    from hookmock.apimock import ApiRequest, Position

HOST = "api.github.com"
API = "https://api.github.com"
WEB = "https://github.com"
DOCS = "https://docs.github.com/rest"
_STATES = ("error", "failure", "pending", "success")
#: What GitHub's delivery log says of a delivery that never reached the receiver.
_FAILED = ("failed to connect", 502)

#: The author of everything the receiver writes through the mock.
BOT = {
    "login": "hookmock[bot]",
    "id": 1000001,
    "node_id": "BOT_kgDOAA9CQQ",
    "avatar_url": "https://avatars.githubusercontent.com/in/1000001?v=4",
    "gravatar_id": "",
    "url": f"{API}/users/hookmock%5Bbot%5D",
    "html_url": f"{WEB}/apps/hookmock",
    "type": "Bot",
    "user_view_type": "public",
    "site_admin": False,
}


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso(value: Any) -> Any:
    """push payloads carry repository dates as unix seconds; the REST API always sends ISO."""
    if isinstance(value, int) and not isinstance(value, bool):
        stamp = datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


class GitHubAPI:
    """Repositories, pull requests, issues and commits from delivered events, plus what the
    receiver wrote (comments, statuses, check runs), served as GitHub's REST API would."""

    name = "github"
    hosts = (HOST,)
    #: ``api.add("GET", "/repos/...")``: any path no other API claims means GitHub's.
    paths = ("/",)

    def claims(self, payload: Mapping[str, Any]) -> bool:
        """A payload dict fed without its provider is GitHub's if it has a ``repository``."""
        return isinstance(payload.get("repository"), dict)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(9_000_000_001)
        self.repos: dict[str, dict[str, Any]] = {}
        self.pulls: dict[tuple[str, int], dict[str, Any]] = {}
        self.issues: dict[tuple[str, int], dict[str, Any]] = {}
        self._gone: set[tuple[str, int]] = set()
        self.commits: dict[tuple[str, str], dict[str, Any]] = {}
        #: (repo, issue number) -> comments, in order, delivered ones and those the app posted.
        self.comments: dict[tuple[str, int], list[dict[str, Any]]] = {}
        #: Every comment in the order it reached the API (see :meth:`all_comments`).
        self._comment_log: list[dict[str, Any]] = []
        self._posted: set[int] = set()
        self.statuses: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.check_runs: dict[int, dict[str, Any]] = {}
        #: The hook delivery log, oldest first (what ``.../hooks/{id}/deliveries`` lists).
        self.deliveries: list[dict[str, Any]] = []
        self._delivery_ids = itertools.count(30_000_000_001)
        #: The events of the delivery log, by GUID (``X-GitHub-Delivery``).
        self._by_guid: dict[str, Event] = {}
        #: Every event a redelivery was asked for (``POST .../deliveries/{id}/attempts``), in
        #: order: hookmock records it rather than delivering it; deliver them with
        #: ``receiver.send_many(api.github.redeliveries)`` and each is logged as a redelivery.
        self.redeliveries: list[Event] = []
        #: Story versions: (kind, key) -> [(position, the partial state that event carried)].
        self._partials: dict[tuple[str, Any], list[tuple[Position, dict[str, Any]]]] = {}
        self._positions: dict[str, Position] = {}
        self._local = threading.local()

    # -- state -----------------------------------------------------------------------------------
    def feed(self, payload: Mapping[str, Any], type: str | None = None) -> None:
        """Record what one delivered payload says about repositories, PRs, issues and commits."""
        body = copy.deepcopy(dict(payload))
        repo = body.get("repository")
        if not isinstance(repo, dict) or not isinstance(repo.get("full_name"), str):
            return
        full = repo["full_name"].lower()
        action = body.get("action")
        with self._lock:
            for key in ("created_at", "pushed_at"):
                if key in repo:
                    repo[key] = _iso(repo[key])
            # Merge rather than replace: review events carry a slimmer pull request (no
            # ``merged``) and push events a different repository shape; a later, slimmer copy
            # must not erase what an earlier, fuller one said.
            self.repos[full] = {**self.repos.get(full, {}), **repo}
            pr = body.get("pull_request")
            if isinstance(pr, dict) and isinstance(pr.get("number"), int):
                pr_key = (full, pr["number"])
                self.pulls[pr_key] = {**self.pulls.get(pr_key, {}), **pr}
            issue = body.get("issue")
            comment = body.get("comment")
            if isinstance(issue, dict) and isinstance(issue.get("number"), int):
                key2 = (full, issue["number"])
                self.issues[key2] = {**self.issues.get(key2, {}), **issue}
                if isinstance(comment, dict):
                    thread = self.comments.get(key2, [])
                    old = [c for c in thread if c.get("id") == comment.get("id")]
                    thread = [c for c in thread if c.get("id") != comment.get("id")]
                    if action != "deleted":
                        thread.append(comment)
                    self.comments[key2] = thread
                    self._log_comment(comment if action != "deleted" else None, old)
                elif action == "deleted":
                    self._gone.add(key2)
                else:
                    self._gone.discard(key2)
            commits = list(body.get("commits") or [])
            if isinstance(body.get("head_commit"), dict):
                commits.append(body["head_commit"])
            for commit in commits:
                if isinstance(commit, dict) and isinstance(commit.get("id"), str):
                    self.commits[(full, commit["id"])] = commit
            run = body.get("check_run")
            if isinstance(run, dict) and isinstance(run.get("id"), int):
                self.check_runs[run["id"]] = run

    def feed_event(self, event: Event, *, at: Position | None, delivered: bool) -> None:
        """Record one event: its state (versioned by story position ``at`` when it has one) and
        its delivery in the hook's log (a failed one when ``delivered`` is False). A story event
        fed again, delivered this time, is logged as a redelivery."""
        with self._lock:
            again = at is not None and self._positions.get(event.id) == at
        if again:
            self._log_delivery(event, delivered=delivered, redelivery=True)
            return
        self.feed(event.payload, event.type)
        if at is not None:
            with self._lock:
                self._positions[event.id] = at
                for key, partial in _parts(event.payload):
                    self._partials.setdefault(key, []).append((at, partial))
        self._log_delivery(event, delivered=delivered, redelivery=False)

    def _log_delivery(self, event: Event, *, delivered: bool, redelivery: bool) -> None:
        payload = event.payload
        repo = payload.get("repository")
        installation = payload.get("installation")
        status, code = ("OK", 200) if delivered else _FAILED
        when = datetime.datetime.fromtimestamp(int(event.created), datetime.timezone.utc)
        with self._lock:
            record: dict[str, Any] = {
                "id": next(self._delivery_ids),
                "guid": event.id,
                "delivered_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "redelivery": redelivery,
                "duration": 0.05 if delivered else 10.0,
                "status": status,
                "status_code": code,
                "event": event.type.partition(".")[0],
                "action": payload.get("action") if isinstance(payload.get("action"), str) else None,
                "installation_id": installation.get("id")
                if isinstance(installation, dict)
                else None,
                "repository_id": repo.get("id") if isinstance(repo, dict) else None,
                "throttled_at": None,
            }
            self._by_guid[event.id] = event
            full = repo.get("full_name") if isinstance(repo, dict) else None
            self.deliveries.append(
                {
                    "record": record,
                    "hook_id": event.meta.get("hook_id"),
                    "repo": full.lower() if isinstance(full, str) else None,
                }
            )

    def _view(self, kind: str, key: Any, live: Mapping[Any, dict[str, Any]]) -> Any:
        """``live[key]``, or during a story delivery the state as of the event being handled:
        what the story's events up to it said, merged in story order (None before the first)."""
        at: Position | None = getattr(self._local, "at", None)
        partials = self._partials.get((kind, key))
        if at is None or not partials:
            return live.get(key)
        seen = [p for p in sorted(partials, key=lambda x: x[0]) if p[0] <= at]
        if not seen:
            return None
        merged: dict[str, Any] = {}
        for _, partial in seen:
            merged.update(partial)
        return merged

    def _log_comment(self, new: dict[str, Any] | None, old: list[dict[str, Any]]) -> None:
        """Keep the global order: an edited comment keeps its place, a deleted one leaves."""
        gone = {id(c) for c in old}
        at = next((i for i, c in enumerate(self._comment_log) if id(c) in gone), None)
        self._comment_log = [c for c in self._comment_log if id(c) not in gone]
        if new is not None:
            if at is None:
                self._comment_log.append(new)
            else:
                self._comment_log.insert(at, new)

    def all_comments(self) -> list[dict[str, Any]]:
        """Every issue and pull request comment, delivered or posted by the app, as one list in
        the order they reached the API (``self.comments`` has them per ``(repo, number)``).
        Each has ``issue_url`` and ``body``; the app's own are by ``hookmock[bot]``."""
        with self._lock:
            return copy.deepcopy(self._comment_log)

    def posted_comments(self) -> list[dict[str, Any]]:
        """The comments the app posted through the API, in order (delivered ones left out):
        ``[c["body"] for c in api.github.posted_comments()] == ["Thanks!"]``."""
        with self._lock:
            posted = [c for c in self._comment_log if c.get("id") in self._posted]
            return copy.deepcopy(posted)

    # -- routes ----------------------------------------------------------------------------------
    def handle(self, req: ApiRequest) -> Reply:
        parts = [p for p in req.path.split("/") if p]
        m = req.method
        self._local.at = req.at
        if parts[:3] == ["app", "hook", "deliveries"]:
            with self._lock:
                return self._deliveries(req, parts[3:], None, None)
        if (
            m == "POST"
            and parts[0:2] == ["app", "installations"]
            and parts[3:] == ["access_tokens"]
        ):
            return self._token(parts[2])
        if len(parts) < 3 or parts[0] != "repos":
            return self._unknown(req)
        full = f"{parts[1]}/{parts[2]}".lower()
        rest = parts[3:]
        with self._lock:
            return self._route(req, full, parts[1], parts[2], rest)

    def _route(self, req: ApiRequest, full: str, owner: str, name: str, rest: list[str]) -> Reply:
        m = req.method
        n = int(rest[1]) if len(rest) >= 2 and rest[1].isdigit() else None
        if rest[:1] == ["hooks"] and n is not None and rest[2:3] == ["deliveries"]:
            return self._deliveries(req, rest[3:], full, n)
        if not rest and m == "GET":
            return self._found(self._view("repo", full, self.repos), "repos/repos#get-a-repository")
        if rest[:1] == ["pulls"] and n is not None and len(rest) == 2 and m == "GET":
            return self._found(
                self._view("pull", (full, n), self.pulls), "pulls/pulls#get-a-pull-request"
            )
        if rest[:1] == ["issues"] and n is not None and len(rest) == 2 and m == "GET":
            if (full, n) in self._gone:
                return self._error(410, "This issue was deleted", "issues/issues#get-an-issue")
            issue = self._view("issue", (full, n), self.issues)
            pull = self._view("pull", (full, n), self.pulls)
            if issue is None and pull is not None:
                issue = _issue_of(pull)
            return self._found(issue, "issues/issues#get-an-issue")
        if rest[:1] == ["issues"] and n is not None and rest[2:] == ["comments"]:
            if m == "GET":
                if (full, n) not in self.issues and (full, n) not in self.pulls:
                    return self._found(None, "issues/comments#list-issue-comments")
                return Reply(200, copy.deepcopy(self.comments.get((full, n), [])))
            if m == "POST":
                return self._comment(req, full, owner, name, n)
        if rest[:1] == ["issues"] and n is not None and rest[2:] == ["labels"] and m == "POST":
            return self._labels(req, owner, name)
        if rest[:1] == ["pulls"] and n is not None and rest[2:] == ["reviews"] and m == "POST":
            return self._review(req, owner, name, n)
        if rest[:1] == ["commits"] and len(rest) == 2 and m == "GET":
            commit = self._view("commit", (full, rest[1].lower()), self.commits)
            return self._found(
                None if commit is None else _rest_commit(commit, owner, name),
                "commits/commits#get-a-commit",
            )
        if rest[:1] == ["statuses"] and len(rest) == 2 and m == "POST":
            return self._status(req, full, owner, name, rest[1])
        if rest == ["check-runs"] and m == "POST":
            return self._check_run(req, owner, name)
        if rest[:1] == ["check-runs"] and len(rest) == 2 and rest[1].isdigit():
            run = self.check_runs.get(int(rest[1]))
            if m == "GET":
                return self._found(run, "checks/runs#get-a-check-run")
            if m == "PATCH":
                if run is None:
                    return self._found(None, "checks/runs#update-a-check-run")
                run.update({k: v for k, v in req.params.items() if k in _CHECK_RUN_FIELDS})
                if req.params.get("conclusion") and "status" not in req.params:
                    run["status"] = "completed"
                if run.get("status") == "completed" and not run.get("completed_at"):
                    run["completed_at"] = _now()
                return Reply(200, copy.deepcopy(run))
        return self._unknown(req)

    # -- the hook delivery log ----------------------------------------------------------------------
    def _deliveries(
        self, req: ApiRequest, rest: list[str], full: str | None, hook_id: int | None
    ) -> Reply:
        """``.../deliveries`` (a page, newest first), ``.../deliveries/{id}`` and
        ``POST .../deliveries/{id}/attempts``; ``full``/``hook_id`` None: the App's hook."""
        doc = "webhooks/repo-deliveries" if full is not None else "apps/webhooks"
        log = [
            d
            for d in self.deliveries
            if full is None or (d["repo"] == full and d["hook_id"] == hook_id)
        ]
        if full is not None and not log:
            hooks = sorted({str(d["hook_id"]) for d in self.deliveries if d["repo"] == full})
            return self._error(
                404,
                f"Not Found (hookmock's GitHub API mock has no delivery of hook {hook_id} for"
                f" {full}; the hooks it delivered for {full}: {', '.join(hooks) or '(none)'}."
                " The hook id is the X-GitHub-Hook-ID an event carries: build the events with"
                " hook_id=... to choose it)",
                f"{doc}#list-deliveries-for-a-repository-webhook",
            )
        if not rest:
            if req.method != "GET":
                return self._unknown(req)
            return self._delivery_page(req, [d["record"] for d in reversed(log)], doc)
        found = next((d for d in log if str(d["record"]["id"]) == rest[0]), None)
        if found is None:
            return self._error(404, "Not Found", f"{doc}#get-a-delivery-for-a-repository-webhook")
        record = found["record"]
        event = self._by_guid[record["guid"]]
        if rest[1:] == ["attempts"] and req.method == "POST":
            self.redeliveries.append(event)
            return Reply(202, {})
        if len(rest) != 1 or req.method != "GET":
            return self._unknown(req)
        failed = record["status_code"] != 200
        return Reply(
            200,
            {
                **copy.deepcopy(record),
                "url": "",
                "request": {
                    "headers": event.headers(unsigned=True),
                    "payload": copy.deepcopy(event.payload),
                },
                "response": {
                    "headers": {} if failed else {"Content-Type": "text/plain"},
                    "payload": None if failed else "",
                },
            },
        )

    def _delivery_page(self, req: ApiRequest, records: list[dict[str, Any]], doc: str) -> Reply:
        """One page of the log, GitHub's way: ``per_page`` (max 100) and an opaque ``cursor``,
        the next page's URL in ``Link``; ``status=success|failure`` filters."""
        status = req.query.get("status")
        if status is not None:
            if status not in ("success", "failure"):
                return self._invalid(
                    f"{status!r} is not a valid status; use success or failure.",
                    f"{doc}#list-deliveries-for-a-repository-webhook",
                )
            records = [r for r in records if (r["status_code"] == 200) == (status == "success")]
        try:
            per_page = max(1, min(100, int(req.query.get("per_page", 30))))
        except (TypeError, ValueError):
            per_page = 30
        cursor = req.query.get("cursor")
        if isinstance(cursor, str) and cursor:
            ids = [f"v1_{r['id']}" for r in records]
            if cursor not in ids:
                return self._error(
                    400,
                    f"Invalid cursor {cursor!r}: pass the cursor a Link header gave.",
                    f"{doc}#list-deliveries-for-a-repository-webhook",
                )
            records = records[ids.index(cursor) :]
        page, rest = records[:per_page], records[per_page:]
        headers: dict[str, str] = {}
        if rest:
            query = {k: v for k, v in req.query.items() if isinstance(v, str) and k != "cursor"}
            query["cursor"] = f"v1_{rest[0]['id']}"
            base = f"{API}{req.path}?{urlencode(query)}"
            headers["Link"] = f'<{base}>; rel="next"'
        return Reply(200, copy.deepcopy(page), headers)

    # -- writes ----------------------------------------------------------------------------------
    def _comment(self, req: ApiRequest, full: str, owner: str, name: str, n: int) -> Reply:
        text = req.params.get("body")
        if not isinstance(text, str):
            return self._invalid(
                '"body" wasn\'t supplied.', "issues/comments#create-an-issue-comment"
            )
        cid = next(self._ids)
        now = _now()
        comment: dict[str, Any] = {
            "url": f"{API}/repos/{owner}/{name}/issues/comments/{cid}",
            "html_url": f"{WEB}/{owner}/{name}/issues/{n}#issuecomment-{cid}",
            "issue_url": f"{API}/repos/{owner}/{name}/issues/{n}",
            "id": cid,
            "node_id": f"IC_hookmock{cid}",
            "user": dict(BOT),
            "created_at": now,
            "updated_at": now,
            "author_association": "NONE",
            "body": text,
            "performed_via_github_app": None,
        }
        self.comments.setdefault((full, n), []).append(comment)
        self._log_comment(comment, [])
        self._posted.add(cid)
        return Reply(201, copy.deepcopy(comment), {"Location": str(comment["url"])})

    def _status(self, req: ApiRequest, full: str, owner: str, name: str, sha: str) -> Reply:
        state = req.params.get("state")
        if state not in _STATES:
            return self._invalid(
                f"{state!r} is not a valid state; use one of {', '.join(_STATES)}.",
                "commits/statuses#create-a-commit-status",
            )
        sid = next(self._ids)
        now = _now()
        status = {
            "url": f"{API}/repos/{owner}/{name}/statuses/{sha}",
            "avatar_url": BOT["avatar_url"],
            "id": sid,
            "node_id": f"SC_hookmock{sid}",
            "state": state,
            "description": req.params.get("description"),
            "target_url": req.params.get("target_url"),
            "context": req.params.get("context") or "default",
            "created_at": now,
            "updated_at": now,
            "creator": dict(BOT),
        }
        self.statuses.setdefault((full, sha.lower()), []).append(status)
        return Reply(201, copy.deepcopy(status))

    def _check_run(self, req: ApiRequest, owner: str, name: str) -> Reply:
        missing = [k for k in ("name", "head_sha") if not isinstance(req.params.get(k), str)]
        if missing:
            return self._invalid(
                " ".join(f'"{k}" wasn\'t supplied.' for k in missing),
                "checks/runs#create-a-check-run",
            )
        if not isinstance(req.params.get("output") or {}, dict):
            return self._invalid(
                f"For 'output', {req.params['output']!r:.60} is not an object.",
                "checks/runs#create-a-check-run",
            )
        rid = next(self._ids)
        now = _now()
        conclusion = req.params.get("conclusion")
        status = req.params.get("status") or ("completed" if conclusion else "queued")
        run = {
            "id": rid,
            "node_id": f"CR_hookmock{rid}",
            "head_sha": req.params["head_sha"],
            "external_id": req.params.get("external_id") or "",
            "url": f"{API}/repos/{owner}/{name}/check-runs/{rid}",
            "html_url": f"{WEB}/{owner}/{name}/runs/{rid}",
            "details_url": req.params.get("details_url"),
            "status": status,
            "conclusion": conclusion,
            "started_at": req.params.get("started_at") or now,
            "completed_at": req.params.get("completed_at")
            or (now if status == "completed" else None),
            "output": {
                "title": None,
                "summary": None,
                "text": None,
                "annotations_count": 0,
                "annotations_url": f"{API}/repos/{owner}/{name}/check-runs/{rid}/annotations",
                **(req.params.get("output") or {}),
            },
            "name": req.params["name"],
            "check_suite": None,
            "app": None,
            "pull_requests": [],
        }
        self.check_runs[rid] = run
        return Reply(201, copy.deepcopy(run))

    def _labels(self, req: ApiRequest, owner: str, name: str) -> Reply:
        names = req.params.get("labels", req.params.get("", []))
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not all(isinstance(label, str) for label in names):
            return self._invalid(
                f"For 'labels', {names!r:.60} is not an array of label names.",
                "issues/labels#add-labels-to-an-issue",
            )
        labels = [
            {
                "id": next(self._ids),
                "node_id": "LA_hookmock",
                "url": f"{API}/repos/{owner}/{name}/labels/{label}",
                "name": label,
                "color": "ededed",
                "default": False,
                "description": None,
            }
            for label in names
            if isinstance(label, str)
        ]
        return Reply(200, labels)

    def _review(self, req: ApiRequest, owner: str, name: str, n: int) -> Reply:
        rid = next(self._ids)
        event = req.params.get("event")
        state = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED"}.get(
            str(event), "COMMENTED" if event == "COMMENT" else "PENDING"
        )
        return Reply(
            200,
            {
                "id": rid,
                "node_id": f"PRR_hookmock{rid}",
                "user": dict(BOT),
                "body": req.params.get("body") or "",
                "state": state,
                "html_url": f"{WEB}/{owner}/{name}/pull/{n}#pullrequestreview-{rid}",
                "pull_request_url": f"{API}/repos/{owner}/{name}/pulls/{n}",
                "commit_id": req.params.get("commit_id"),
                "submitted_at": _now() if state != "PENDING" else None,
                "author_association": "NONE",
            },
        )

    def _token(self, installation: str) -> Reply:
        expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        return Reply(
            201,
            {
                "token": f"ghs_hookmock{installation}",
                "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "permissions": {"contents": "read", "issues": "write", "pull_requests": "write"},
                "repository_selection": "all",
            },
        )

    # -- answers ---------------------------------------------------------------------------------
    def _found(self, obj: dict[str, Any] | None, doc: str) -> Reply:
        if obj is None:
            return self._error(404, "Not Found", doc)
        return Reply(200, copy.deepcopy(obj))

    def _error(self, status: int, message: str, doc: str) -> Reply:
        return Reply(
            status,
            {
                "message": message,
                "documentation_url": f"{DOCS}/{doc}" if doc else DOCS,
                "status": str(status),
            },
        )

    def _invalid(self, detail: str, doc: str) -> Reply:
        return self._error(422, f"Invalid request.\n\n{detail}", doc)

    def _unknown(self, req: ApiRequest) -> Reply:
        return self._error(
            404,
            f"Not Found (hookmock's GitHub API mock has no route for {req.method} {req.path};"
            f" register an answer with api.add({req.method!r}, '{API}{req.path}', json=...))",
            "",
        )


def _parts(payload: Mapping[str, Any]) -> list[tuple[tuple[str, Any], dict[str, Any]]]:
    """What one payload says about each repository, pull request, issue and commit, keyed as
    :meth:`GitHubAPI._view` looks them up (the same extraction :meth:`GitHubAPI.feed` merges)."""
    body = copy.deepcopy(dict(payload))
    repo = body.get("repository")
    if not isinstance(repo, dict) or not isinstance(repo.get("full_name"), str):
        return []
    full = repo["full_name"].lower()
    for key in ("created_at", "pushed_at"):
        if key in repo:
            repo[key] = _iso(repo[key])
    out: list[tuple[tuple[str, Any], dict[str, Any]]] = [(("repo", full), repo)]
    pr = body.get("pull_request")
    if isinstance(pr, dict) and isinstance(pr.get("number"), int):
        out.append((("pull", (full, pr["number"])), pr))
    issue = body.get("issue")
    if isinstance(issue, dict) and isinstance(issue.get("number"), int):
        out.append((("issue", (full, issue["number"])), issue))
    commits = list(body.get("commits") or [])
    if isinstance(body.get("head_commit"), dict):
        commits.append(body["head_commit"])
    for commit in commits:
        if isinstance(commit, dict) and isinstance(commit.get("id"), str):
            out.append((("commit", (full, commit["id"])), commit))
    return out


_CHECK_RUN_FIELDS = frozenset(
    {"name", "details_url", "external_id", "status", "conclusion", "started_at", "completed_at"}
)


def _issue_of(pr: Mapping[str, Any]) -> dict[str, Any]:
    """The issue view of a pull request, as ``GET /repos/{o}/{r}/issues/{n}`` gives it."""
    issue_url = str(pr.get("issue_url", ""))
    keys = (
        "id", "node_id", "number", "title", "user", "labels", "state", "locked", "assignee",
        "assignees", "milestone", "created_at", "updated_at", "closed_at", "author_association",
        "body",
    )  # fmt: skip
    out = {k: copy.deepcopy(pr.get(k)) for k in keys}
    out.update(
        {
            "url": issue_url,
            "repository_url": issue_url.rsplit("/issues/", 1)[0],
            "html_url": pr.get("html_url"),
            "comments": pr.get("comments", 0),
            "pull_request": {
                "url": pr.get("url"),
                "html_url": pr.get("html_url"),
                "diff_url": pr.get("diff_url"),
                "patch_url": pr.get("patch_url"),
                "merged_at": pr.get("merged_at"),
            },
        }
    )
    return out


def _rest_commit(commit: Mapping[str, Any], owner: str, name: str) -> dict[str, Any]:
    """A push payload's commit in the shape ``GET /repos/{o}/{r}/commits/{sha}`` returns."""
    sha = str(commit["id"])
    when = commit.get("timestamp")

    def person(p: Any) -> dict[str, Any]:
        p = p if isinstance(p, dict) else {}
        return {"name": p.get("name"), "email": p.get("email"), "date": when}

    files = [
        {"filename": f, "status": status, "additions": 0, "deletions": 0, "changes": 0}
        for key, status in (("added", "added"), ("removed", "removed"), ("modified", "modified"))
        for f in commit.get(key) or []
    ]
    return {
        "sha": sha,
        "node_id": f"C_hookmock{sha[:12]}",
        "commit": {
            "author": person(commit.get("author")),
            "committer": person(commit.get("committer")),
            "message": commit.get("message"),
            "tree": {
                "sha": commit.get("tree_id"),
                "url": f"{API}/repos/{owner}/{name}/git/trees/{commit.get('tree_id')}",
            },
            "url": f"{API}/repos/{owner}/{name}/git/commits/{sha}",
            "comment_count": 0,
        },
        "url": f"{API}/repos/{owner}/{name}/commits/{sha}",
        "html_url": commit.get("url") or f"{WEB}/{owner}/{name}/commit/{sha}",
        "author": None,
        "committer": None,
        "parents": [],
        "stats": {"total": 0, "additions": 0, "deletions": 0},
        "files": files,
    }
