"""Builders for CI and app objects: workflows, runs, jobs, checks, apps, installations, deployments."""

from __future__ import annotations

from ._code import branch, commit_message
from ._objects import API, WEB, iso, legacy_node_id

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._objects import World

_WORKFLOWS = [
    ("CI", "ci.yml"),
    ("Tests", "tests.yml"),
    ("Release", "release.yml"),
    ("Lint", "lint.yml"),
    ("Deploy", "deploy.yml"),
    ("CodeQL", "codeql.yml"),
]
_JOBS = ["build", "test (3.12)", "test (3.13)", "lint", "deploy", "docs"]
_STEPS = [
    "Set up job",
    "Run actions/checkout@v4",
    "Set up Python",
    "Install dependencies",
    "Run tests",
    "Post Run actions/checkout@v4",
    "Complete job",
]
#: GitHub Actions' own app, as check suites and runs name it.
ACTIONS_APP_ID = 15368


def head_commit(w: World, sha: str, ts: int) -> dict[str, Any]:
    """The short commit object runs and suites carry (no url, no file lists)."""
    person = w.git_person(w.sender)
    who = {"name": person["name"], "email": person["email"]}
    author = dict(who)
    if w.rng.random() < 0.3:
        # Some deliveries name the author's GitHub login too (when the email maps to one).
        author["username"] = w.sender["login"]
    return {
        "id": sha,
        "tree_id": w.sha(),
        "message": commit_message(w),
        "timestamp": iso(ts),
        "author": author,
        "committer": who,
    }


def minimal_repo(w: World) -> dict[str, Any]:
    """The reduced repository object nested in runs (no times, no counts)."""
    r = w.repo
    keep = (
        "id",
        "node_id",
        "name",
        "full_name",
        "private",
        "owner",
        "html_url",
        "description",
        "fork",
        "url",
    )
    out = {k: r[k] for k in keep}
    out.update(
        {k: v for k, v in r.items() if k.endswith("_url") and k not in _CLONE_URLS | set(out)}
    )
    return out


#: URLs a full repository has and the reduced one in runs does not (GitHub's description
#: defines only the API URL templates there).
_CLONE_URLS = frozenset({"clone_url", "git_url", "ssh_url", "svn_url", "mirror_url"})


def app(w: World, *, actions: bool = True) -> dict[str, Any]:
    """A GitHub App; by default GitHub Actions itself."""
    if actions:
        app_id, slug, name = ACTIONS_APP_ID, "github-actions", "GitHub Actions"
        owner = w.user(login="github", type="Organization")
        owner["id"], owner["node_id"] = 9919, "MDEyOk9yZ2FuaXphdGlvbjk5MTk="
    else:
        app_id, slug = w.int_id(10_000, 1_500_000), f"{w.slug()}-bot"
        name = slug.replace("-", " ").title()
        owner = w.owner
    created = w.before(w.now, 6 * 365 * 86400, 300 * 86400)
    return {
        "id": app_id,
        "client_id": "Iv1." + w.ctx.hexdigits(16),
        "slug": slug,
        "node_id": legacy_node_id("App", app_id),
        "owner": owner,
        "name": name,
        "description": w.sentence(),
        "external_url": f"https://{slug}.example.com"
        if not actions
        else "https://help.github.com/en/actions",
        "html_url": f"{WEB}/apps/{slug}",
        "created_at": iso(created),
        "updated_at": iso(w.before(w.now, max(61, w.now - created), 60)),
        "permissions": {
            "actions": "write",
            "checks": "write",
            "contents": "write",
            "metadata": "read",
            "pull_requests": "write",
            "statuses": "write",
        },
        "events": ["check_run", "check_suite", "pull_request", "push"],
    }


def workflow(w: World) -> dict[str, Any]:
    name, file = w.pick(_WORKFLOWS)
    wid = w.int_id(1_000_000, 200_000_000)
    path = f".github/workflows/{file}"
    created = w.before(w.now, 3 * 365 * 86400, 30 * 86400)
    return {
        "id": wid,
        "node_id": w.node_id("W"),
        "name": name,
        "path": path,
        "state": "active",
        "created_at": iso(created),
        "updated_at": iso(w.before(w.now, max(61, w.now - created), 3600)),
        "url": f"{w.repo['url']}/actions/workflows/{wid}",
        "html_url": f"{w.repo['html_url']}/blob/{w.repo['default_branch']}/{path}",
        "badge_url": f"{w.repo['html_url']}/workflows/{name}/badge.svg",
    }


def pr_ref(w: World, number: int, head_sha: str, head_ref: str) -> dict[str, Any]:
    """The minimal pull request runs and suites link to."""
    r = w.repo
    small = {"id": r["id"], "url": r["url"], "name": r["name"]}
    return {
        "url": f"{r['url']}/pulls/{number}",
        "id": w.int_id(100_000_000, 2_600_000_000),
        "number": number,
        "head": {"ref": head_ref, "sha": head_sha, "repo": small},
        "base": {"ref": r["default_branch"], "sha": w.sha(), "repo": small},
    }


def workflow_run(
    w: World, wf: dict[str, Any], *, status: str, conclusion: str | None
) -> dict[str, Any]:
    rid = w.int_id(1_000_000_000, 20_000_000_000)
    r = w.repo
    api = f"{r['url']}/actions/runs/{rid}"
    created = w.before(w.now, 3600, 5) if status != "queued" else w.now
    started = created
    sha = w.sha()
    on_pr = w.rng.random() < 0.4
    head_branch = branch(w) if on_pr else r["default_branch"]
    suite_id = w.int_id(10_000_000_000, 40_000_000_000)
    prs = [pr_ref(w, w.rng.randrange(1, 5000), sha, head_branch)] if on_pr else []
    commit = head_commit(w, sha, w.before(created, 600, 5))
    return {
        "id": rid,
        "name": wf["name"],
        "node_id": w.node_id("WFR"),
        "head_branch": head_branch,
        "head_sha": sha,
        "path": wf["path"],
        "display_title": commit["message"].partition("\n")[0],
        "run_number": w.rng.randrange(1, 4000),
        "event": "pull_request"
        if on_pr
        else w.pick(["push", "push", "schedule", "workflow_dispatch"]),
        "status": status,
        "conclusion": conclusion,
        "workflow_id": wf["id"],
        "check_suite_id": suite_id,
        "check_suite_node_id": w.node_id("CS"),
        "url": api,
        "html_url": f"{r['html_url']}/actions/runs/{rid}",
        "pull_requests": prs,
        "created_at": iso(created),
        "updated_at": iso(w.now),
        "actor": w.sender,
        "run_attempt": 1,
        "referenced_workflows": [],
        "run_started_at": iso(started),
        "triggering_actor": w.sender,
        "jobs_url": f"{api}/jobs",
        "logs_url": f"{api}/logs",
        "check_suite_url": f"{r['url']}/check-suites/{suite_id}",
        "artifacts_url": f"{api}/artifacts",
        "cancel_url": f"{api}/cancel",
        "rerun_url": f"{api}/rerun",
        "previous_attempt_url": None,
        "workflow_url": wf["url"],
        "head_commit": commit,
        "repository": minimal_repo(w),
        "head_repository": minimal_repo(w),
    }


def workflow_job(w: World, *, status: str, conclusion: str | None) -> dict[str, Any]:
    jid = w.int_id(10_000_000_000, 50_000_000_000)
    run_id = w.int_id(1_000_000_000, 20_000_000_000)
    r = w.repo
    created = w.before(w.now, 1800, 5) if status != "queued" else w.now
    started = created + (w.rng.randrange(1, 30) if status != "queued" else 0)
    started = min(started, w.now)
    done = status == "completed"
    running = status in {"in_progress", "completed"}
    runner_id = w.rng.randrange(1, 900) if running else None
    steps: list[dict[str, Any]] = []
    if running:
        count = len(_STEPS) if done else w.rng.randrange(1, len(_STEPS))
        t = started
        for i, step in enumerate(_STEPS[:count], start=1):
            end = min(w.now, t + w.rng.randrange(1, 60))
            last = i == count
            finished = done or not last
            steps.append(
                {
                    "name": step,
                    "status": "completed" if finished else "in_progress",
                    "conclusion": (conclusion if last and done else "success")
                    if finished
                    else None,
                    "number": i,
                    "started_at": iso(t),
                    "completed_at": iso(end) if finished else None,
                }
            )
            t = end
    name = w.pick(_JOBS)
    return {
        "id": jid,
        "run_id": run_id,
        "workflow_name": w.pick(_WORKFLOWS)[0],
        "head_branch": r["default_branch"],
        "run_url": f"{r['url']}/actions/runs/{run_id}",
        "run_attempt": 1,
        "node_id": w.node_id("CR"),
        "head_sha": w.sha(),
        "url": f"{r['url']}/actions/jobs/{jid}",
        "html_url": f"{r['html_url']}/actions/runs/{run_id}/job/{jid}",
        "status": status,
        "conclusion": conclusion,
        "created_at": iso(created),
        "started_at": iso(started),
        "completed_at": iso(w.now) if done else None,
        "name": name,
        "steps": steps,
        "check_run_url": f"{r['url']}/check-runs/{jid}",
        "labels": ["ubuntu-latest"],
        "runner_id": runner_id,
        "runner_name": f"GitHub Actions {runner_id}" if runner_id else None,
        "runner_group_id": 2 if running else None,
        "runner_group_name": "GitHub Actions" if running else None,
    }


def check_suite(w: World, *, status: str, conclusion: str | None) -> dict[str, Any]:
    sid = w.int_id(10_000_000_000, 40_000_000_000)
    r = w.repo
    sha = w.sha()
    on_pr = w.rng.random() < 0.5
    head_branch = branch(w) if on_pr else r["default_branch"]
    created = w.before(w.now, 3600, 5) if status != "queued" else w.now
    return {
        "id": sid,
        "node_id": w.node_id("CS"),
        "head_branch": head_branch,
        "head_sha": sha,
        "status": status,
        "conclusion": conclusion,
        "url": f"{r['url']}/check-suites/{sid}",
        "before": w.sha(),
        "after": sha,
        "pull_requests": [pr_ref(w, w.rng.randrange(1, 5000), sha, head_branch)] if on_pr else [],
        "app": app(w),
        "created_at": iso(created),
        "updated_at": iso(w.now),
        "rerequestable": True,
        "runs_rerequestable": True,
        "latest_check_runs_count": w.rng.randrange(1, 12),
        "check_runs_url": f"{r['url']}/check-suites/{sid}/check-runs",
        "head_commit": head_commit(w, sha, w.before(created, 600, 5)),
    }


def check_run(w: World, *, status: str, conclusion: str | None) -> dict[str, Any]:
    cid = w.int_id(10_000_000_000, 50_000_000_000)
    r = w.repo
    suite = check_suite(w, status=status, conclusion=conclusion)
    sha = suite["head_sha"]
    started = w.before(w.now, 1800, 5) if status != "queued" else w.now
    done = status == "completed"
    simple_suite = {
        k: suite[k]
        for k in (
            "id",
            "node_id",
            "head_branch",
            "head_sha",
            "status",
            "conclusion",
            "url",
            "before",
            "after",
            "pull_requests",
            "app",
            "created_at",
            "updated_at",
        )
    }
    simple_suite["repository"] = minimal_repo(w)
    failed = conclusion in {"failure", "timed_out", "action_required"}
    return {
        "id": cid,
        "name": w.pick(_JOBS),
        "node_id": w.node_id("CR"),
        "head_sha": sha,
        "external_id": w.ctx.uuid(),
        "url": f"{r['url']}/check-runs/{cid}",
        "html_url": f"{r['html_url']}/runs/{cid}",
        "details_url": f"{r['html_url']}/runs/{cid}",
        "status": status,
        "conclusion": conclusion,
        "started_at": iso(started),
        "completed_at": iso(w.now) if done else None,
        "output": {
            "title": ("Tests failed" if failed else "All checks passed") if done else None,
            "summary": w.sentence() if done else None,
            "text": None,
            "annotations_count": w.rng.randrange(1, 6) if failed else 0,
            "annotations_url": f"{r['url']}/check-runs/{cid}/annotations",
        },
        "check_suite": simple_suite,
        "app": suite["app"],
        "pull_requests": suite["pull_requests"],
    }


def installation(w: World, *, suspended: bool = False) -> dict[str, Any]:
    """The full installation object ``installation`` events carry."""
    iid = w.int_id(1_000_000, 90_000_000)
    the_app = app(w, actions=False)
    account = w.owner
    created = w.before(w.now, 2 * 365 * 86400, 60)
    return {
        "id": iid,
        "client_id": the_app["client_id"],
        "account": account,
        "repository_selection": w.pick(["all", "selected"]),
        "access_tokens_url": f"{API}/app/installations/{iid}/access_tokens",
        "repositories_url": f"{API}/installation/repositories",
        "html_url": (
            f"{WEB}/organizations/{account['login']}/settings/installations/{iid}"
            if account["type"] == "Organization"
            else f"{WEB}/settings/installations/{iid}"
        ),
        "app_id": the_app["id"],
        "app_slug": the_app["slug"],
        "target_id": account["id"],
        "target_type": account["type"],
        "permissions": {
            "contents": "read",
            "issues": "write",
            "metadata": "read",
            "pull_requests": "write",
            "checks": "write",
        },
        "events": ["issues", "pull_request", "push", "check_suite"],
        # Installation times are unix integers in real deliveries; a suspended installation's
        # are ISO strings (as GitHub sends them for suspend).
        "created_at": iso(created) if suspended else created,
        "updated_at": iso(w.now) if suspended else w.now,
        "single_file_name": None,
        "has_multiple_single_files": False,
        "single_file_paths": [],
        "suspended_by": w.sender if suspended else None,
        "suspended_at": iso(w.now) if suspended else None,
    }


def installation_repo(w: World, repo: dict[str, Any] | None = None) -> dict[str, Any]:
    r = repo or w.repo
    return {k: r[k] for k in ("id", "node_id", "name", "full_name", "private")}


def deployment(w: World, *, environment: str | None = None) -> dict[str, Any]:
    did = w.int_id(100_000_000, 3_000_000_000)
    r = w.repo
    env = environment or w.pick(["production", "staging", "preview"])
    created = w.before(w.now, 1800, 5)
    sha = w.sha()
    api = f"{r['url']}/deployments/{did}"
    return {
        "url": api,
        "id": did,
        "node_id": w.node_id("DE"),
        "sha": sha,
        "ref": r["default_branch"],
        "task": "deploy",
        "payload": {},
        "original_environment": env,
        "environment": env,
        "description": None,
        "creator": w.sender,
        "created_at": iso(created),
        "updated_at": iso(created),
        "statuses_url": f"{api}/statuses",
        "repository_url": r["url"],
        "transient_environment": env == "preview",
        "production_environment": env == "production",
        "performed_via_github_app": None,
    }


def deployment_status(w: World, dep: dict[str, Any], state: str) -> dict[str, Any]:
    sid = w.int_id(100_000_000, 20_000_000_000)
    r = w.repo
    return {
        "url": f"{dep['url']}/statuses/{sid}",
        "id": sid,
        "node_id": w.node_id("DES"),
        "state": state,
        "creator": w.sender,
        "description": "",
        "environment": dep["environment"],
        "target_url": f"{r['html_url']}/actions/runs/{w.int_id()}",
        "log_url": f"{r['html_url']}/actions/runs/{w.int_id()}",
        "environment_url": f"https://{r['name']}.example.com" if state == "success" else "",
        "created_at": iso(w.now),
        "updated_at": iso(w.now),
        "deployment_url": dep["url"],
        "repository_url": r["url"],
        "performed_via_github_app": None,
    }


def hook(w: World, hook_id: int, *, app_hook: bool = False) -> dict[str, Any]:
    """The hook configuration a ``ping`` carries."""
    r = w.repo
    created = iso(w.now)
    out: dict[str, Any] = {
        "type": "App" if app_hook else "Repository",
        "id": hook_id,
        "name": "web",
        "active": True,
        "events": ["*"] if w.rng.random() < 0.4 else ["push", "pull_request"],
        "config": {
            "content_type": "json",
            "insecure_ssl": "0",
            "secret": "********",
            "url": f"https://{w.fk.domain_name()}/webhooks/github",
        },
        "updated_at": created,
        "created_at": created,
    }
    if app_hook:
        out["app_id"] = w.int_id(10_000, 1_500_000)
        out["deliveries_url"] = f"{API}/app/hook/deliveries"
    else:
        out["url"] = f"{r['url']}/hooks/{hook_id}"
        out["test_url"] = f"{r['url']}/hooks/{hook_id}/test"
        out["ping_url"] = f"{r['url']}/hooks/{hook_id}/pings"
        out["deliveries_url"] = f"{r['url']}/hooks/{hook_id}/deliveries"
        out["last_response"] = {"code": None, "status": "unused", "message": None}
    return out
