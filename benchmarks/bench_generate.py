"""Benchmark: events per second from hookmock against a hand-written Faker dict of similar size.

For ``payment_intent.succeeded`` (Stripe) and ``pull_request.opened`` (GitHub), each side gets
the same Faker instance re-seeded per event and ends with the body bytes. The hand-written
builders are what a careful test author would write without hookmock: one dict literal, ids from
``random.choices``, Faker for names, emails and addresses. The baseline is timed twice, with
compact ``json.dumps`` and with ``indent=2`` (what Stripe sends, and what hookmock's Stripe body
is). Also measures validations per second with the cached validators.

Run from a checkout:  python benchmarks/bench_generate.py [--events 3000]
Goal (issue 2): hookmock costs no more than 1.5x the hand-written dict.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

GOAL = 1.5
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


# -- hand-written baselines -------------------------------------------------------------------------


def stripe_by_hand(fk, indent):  # type: ignore[no-untyped-def]
    rng = fk.random

    def sid(prefix):  # type: ignore[no-untyped-def]
        return prefix + "".join(rng.choices(BASE62, k=24))

    now = 1793145600 - rng.randrange(365 * 86400)
    amount = rng.randint(5, 500) * 100
    pi = sid("pi_")
    first, last = fk.first_name(), fk.last_name()
    payload = {
        "id": sid("evt_"),
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": now,
        "data": {
            "object": {
                "id": pi,
                "object": "payment_intent",
                "amount": amount,
                "amount_capturable": 0,
                "amount_details": {"tip": {}},
                "amount_received": amount,
                "application": None,
                "application_fee_amount": None,
                "automatic_payment_methods": {"allow_redirects": "always", "enabled": True},
                "canceled_at": None,
                "cancellation_reason": None,
                "capture_method": "automatic_async",
                "client_secret": pi + "_secret_" + "".join(rng.choices(BASE62, k=25)),
                "confirmation_method": "automatic",
                "created": now - rng.randint(2, 900),
                "currency": rng.choice(("usd", "eur", "gbp")),
                "customer": sid("cus_"),
                "description": f"Order #{rng.randint(1000, 99999)}",
                "excluded_payment_method_types": None,
                "last_payment_error": None,
                "latest_charge": sid("ch_"),
                "livemode": False,
                "metadata": {"order_id": str(rng.randint(10000, 99999))},
                "next_action": None,
                "on_behalf_of": None,
                "payment_method": sid("pm_"),
                "payment_method_configuration_details": {"id": sid("pmc_"), "parent": None},
                "payment_method_options": {
                    "card": {
                        "installments": None,
                        "mandate_options": None,
                        "network": None,
                        "request_three_d_secure": "automatic",
                    }
                },
                "payment_method_types": ["card"],
                "processing": None,
                "receipt_email": f"{first.lower()}.{last.lower()}@{fk.free_email_domain()}",
                "review": None,
                "setup_future_usage": None,
                "shipping": {
                    "address": {
                        "city": fk.city(),
                        "country": "US",
                        "line1": fk.street_address(),
                        "line2": None,
                        "postal_code": fk.postcode(),
                        "state": fk.state_abbr(),
                    },
                    "name": f"{first} {last}",
                },
                "source": None,
                "statement_descriptor": None,
                "statement_descriptor_suffix": None,
                "status": "succeeded",
                "transfer_data": None,
                "transfer_group": None,
            }
        },
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": sid("req_"), "idempotency_key": fk.uuid4()},
        "type": "payment_intent.succeeded",
    }
    return json.dumps(payload, indent=indent, ensure_ascii=False).encode()


_USER_URLS = (
    "followers",
    "following{/other_user}",
    "gists{/gist_id}",
    "starred{/owner}{/repo}",
    "subscriptions",
    "orgs",
    "repos",
    "events{/privacy}",
    "received_events",
)
_REPO_URLS = [
    "forks",
    "keys{/key_id}",
    "collaborators{/collaborator}",
    "teams",
    "hooks",
    "issues/events{/number}",
    "events",
    "assignees{/user}",
    "branches{/branch}",
    "tags",
    "git/blobs{/sha}",
    "git/tags{/sha}",
    "git/refs{/sha}",
    "git/trees{/sha}",
    "statuses/{sha}",
    "languages",
    "stargazers",
    "contributors",
    "subscribers",
    "subscription",
    "commits{/sha}",
    "git/commits{/sha}",
    "comments{/number}",
    "issues/comments{/number}",
    "contents/{+path}",
    "compare/{base}...{head}",
    "merges",
    "{archive_format}{/ref}",
    "downloads",
    "issues{/number}",
    "pulls{/number}",
    "milestones{/number}",
    "notifications{?since,all,participating}",
    "labels{/name}",
    "releases{/id}",
    "deployments",
]


def github_by_hand(fk, indent):  # type: ignore[no-untyped-def]
    rng = fk.random

    def user(login):  # type: ignore[no-untyped-def]
        uid = rng.randint(1000, 150_000_000)
        api = f"https://api.github.com/users/{login}"
        out = {
            "login": login,
            "id": uid,
            "node_id": "U_kgDO" + "".join(rng.choices(BASE62, k=8)),
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "gravatar_id": "",
            "url": api,
            "html_url": f"https://github.com/{login}",
        }
        for u in _USER_URLS:
            out[u.split("{")[0] + "_url"] = f"{api}/{u}"
        out.update(type="User", user_view_type="public", site_admin=False)
        return out

    def repo(owner):  # type: ignore[no-untyped-def]
        name = fk.word()
        full = f"{owner['login']}/{name}"
        api = f"https://api.github.com/repos/{full}"
        out = {
            "id": rng.randint(10_000, 900_000_000),
            "node_id": "R_kgDO" + "".join(rng.choices(BASE62, k=8)),
            "name": name,
            "full_name": full,
            "private": False,
            "owner": owner,
            "html_url": f"https://github.com/{full}",
            "description": fk.sentence(),
            "fork": False,
            "url": api,
        }
        for u in _REPO_URLS:
            key = u.split("{")[0].split("/")[-1] or "archive"
            out[key.replace("-", "_") + "_url"] = f"{api}/{u}"
        when = fk.iso8601() + "Z"
        out.update(
            created_at=when,
            updated_at=when,
            pushed_at=when,
            git_url=f"git://github.com/{full}.git",
            ssh_url=f"git@github.com:{full}.git",
            clone_url=f"https://github.com/{full}.git",
            svn_url=f"https://github.com/{full}",
            homepage=None,
            size=rng.randint(0, 90000),
            stargazers_count=rng.randint(0, 5000),
            watchers_count=rng.randint(0, 5000),
            language="Python",
            has_issues=True,
            has_projects=True,
            has_downloads=True,
            has_wiki=True,
            has_pages=False,
            has_discussions=False,
            forks_count=rng.randint(0, 900),
            mirror_url=None,
            archived=False,
            disabled=False,
            open_issues_count=rng.randint(0, 90),
            license=None,
            allow_forking=True,
            is_template=False,
            web_commit_signoff_required=False,
            topics=[],
            visibility="public",
            forks=3,
            open_issues=4,
            watchers=5,
            default_branch="main",
        )
        return out

    owner = user(fk.user_name())
    author = user(fk.user_name())
    base_repo = repo(owner)
    number = rng.randint(1, 5000)
    head_sha = f"{rng.getrandbits(160):040x}"
    api = base_repo["url"]
    when = fk.iso8601() + "Z"
    branch = fk.slug()
    pr = {
        "url": f"{api}/pulls/{number}",
        "id": rng.randint(10**8, 10**10),
        "node_id": "PR_kwDO" + "".join(rng.choices(BASE62, k=12)),
        "html_url": f"{base_repo['html_url']}/pull/{number}",
        "diff_url": f"{base_repo['html_url']}/pull/{number}.diff",
        "patch_url": f"{base_repo['html_url']}/pull/{number}.patch",
        "issue_url": f"{api}/issues/{number}",
        "number": number,
        "state": "open",
        "locked": False,
        "title": fk.sentence(),
        "user": author,
        "body": fk.paragraph(),
        "created_at": when,
        "updated_at": when,
        "closed_at": None,
        "merged_at": None,
        "merge_commit_sha": None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "labels": [],
        "milestone": None,
        "draft": False,
        "commits_url": f"{api}/pulls/{number}/commits",
        "review_comments_url": f"{api}/pulls/{number}/comments",
        "review_comment_url": f"{api}/pulls/comments{{/number}}",
        "comments_url": f"{api}/issues/{number}/comments",
        "statuses_url": f"{api}/statuses/{head_sha}",
        "head": {
            "label": f"{owner['login']}:{branch}",
            "ref": branch,
            "sha": head_sha,
            "user": owner,
            "repo": base_repo,
        },
        "base": {
            "label": f"{owner['login']}:main",
            "ref": "main",
            "sha": f"{rng.getrandbits(160):040x}",
            "user": owner,
            "repo": base_repo,
        },
        "_links": {
            k: {"href": f"{api}/{v}"}
            for k, v in (
                ("self", f"pulls/{number}"),
                ("html", f"pull/{number}"),
                ("issue", f"issues/{number}"),
                ("comments", f"issues/{number}/comments"),
                ("review_comments", f"pulls/{number}/comments"),
                ("review_comment", "pulls/comments{/number}"),
                ("commits", f"pulls/{number}/commits"),
                ("statuses", f"statuses/{head_sha}"),
            )
        },
        "author_association": "CONTRIBUTOR",
        "auto_merge": None,
        "active_lock_reason": None,
        "merged": False,
        "mergeable": None,
        "rebaseable": None,
        "mergeable_state": "unknown",
        "merged_by": None,
        "comments": 0,
        "review_comments": 0,
        "maintainer_can_modify": False,
        "commits": rng.randint(1, 9),
        "additions": rng.randint(1, 900),
        "deletions": rng.randint(0, 400),
        "changed_files": rng.randint(1, 30),
    }
    payload = {
        "action": "opened",
        "number": number,
        "pull_request": pr,
        "repository": base_repo,
        "sender": author,
    }
    return json.dumps(payload, indent=indent, ensure_ascii=False).encode()


# -- timing -----------------------------------------------------------------------------------------


def rate(fn, n: int, rounds: int = 5) -> float:  # type: ignore[no-untyped-def]
    """Best of ``rounds`` runs of ``n`` calls, in calls per second (fn gets the seed)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for seed in range(n):
            fn(seed)
        best = min(best, time.perf_counter() - start)
    return n / best


def compare(label: str, ours, by_hand, n: int) -> float:  # type: ignore[no-untyped-def]
    from hookmock._seeding import faker_for

    def hand(indent):  # type: ignore[no-untyped-def]
        return lambda seed: by_hand(faker_for(seed), indent)

    ours(0), hand(None)(0)  # warm up: catalog, schemas, Faker providers
    size_ours = len(ours(1).body)
    size_hand = len(hand(2)(1))
    r_ours = rate(ours, n)
    r_compact = rate(hand(None), n)
    r_pretty = rate(hand(2), n)
    ratio_compact = r_compact / r_ours
    ratio_pretty = r_pretty / r_ours
    print(f"\n{label}")
    print(f"  hookmock                      {r_ours:9.0f} events/s  ({size_ours} bytes)")
    print(f"  hand-written, indent=2        {r_pretty:9.0f} events/s  ({size_hand} bytes)")
    print(f"  hand-written, compact json    {r_compact:9.0f} events/s")
    verdict = "ok" if ratio_compact <= GOAL else "ABOVE GOAL"
    print(
        f"  cost ratio vs indent=2  {ratio_pretty:.2f}x;  vs compact  {ratio_compact:.2f}x"
        f"  (goal <= {GOAL}x: {verdict})"
    )
    return ratio_compact


def validations(provider: str, types: list[str], n: int) -> None:
    from hookmock._validation import violations

    payloads = [hookmock.event(provider, types[i % len(types)], seed=i) for i in range(n)]
    for ev in payloads:  # build and cache every validator first
        violations(ev.payload, provider, ev.type)
    start = time.perf_counter()
    for ev in payloads:
        violations(ev.payload, provider, ev.type)
    took = time.perf_counter() - start
    print(f"  {provider:7s} {n / took:9.0f} validations/s over {len(types)} types")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="events per timed round")
    args = parser.parse_args(argv)

    print(f"python {sys.version.split()[0]}; {args.events} events per round, best of 5")
    compare(
        "stripe payment_intent.succeeded",
        lambda seed: hookmock.stripe.event("payment_intent.succeeded", seed=seed),
        stripe_by_hand,
        args.events,
    )
    if "github" in provider_names():
        try:
            hookmock.github.event("pull_request.opened", seed=0)
        except hookmock.HookmockError as exc:  # the GitHub provider may be missing or partial
            print(f"\ngithub pull_request.opened: skipped ({exc})")
        else:
            compare(
                "github pull_request.opened",
                lambda seed: hookmock.github.event("pull_request.opened", seed=seed),
                github_by_hand,
                max(args.events // 4, 100),
            )
    print("\nvalidation (cached validators, valid payloads)")
    validations("stripe", hookmock.types("stripe"), args.events)
    if "github" in provider_names():
        validations("github", hookmock.types("github"), args.events)
    return 0


import hookmock  # noqa: E402  (after the sys.path line, so a checkout runs without install)

# Not hookmock.providers: importing the hookmock.providers subpackage shadows that alias.
from hookmock._registry import provider_names  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
