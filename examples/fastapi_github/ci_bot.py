"""A FastAPI bot that receives GitHub webhooks, verified and parsed with githubkit."""

import os

from fastapi import FastAPI, Header, HTTPException, Request
from githubkit.webhooks import parse, verify

WEBHOOK_SECRET = os.environ.get("GITHUB_WEBHOOK_SECRET", "ci-bot-secret")

app = FastAPI()
greeted_pull_requests: list[int] = []
built_commits: list[str] = []


def greet_pull_request(delivery_id: str, number: int) -> None:
    greeted_pull_requests.append(number)


def build_commit(delivery_id: str, sha: str) -> None:
    built_commits.append(sha)


@app.post("/github/webhook")
async def github_webhook(
    request: Request,
    x_github_event: str = Header(),
    x_github_delivery: str = Header(),
    x_hub_signature_256: str = Header(default=""),
) -> dict[str, str]:
    body = await request.body()
    if not verify(WEBHOOK_SECRET, body, x_hub_signature_256):
        raise HTTPException(status_code=400, detail="bad signature")
    event = parse(x_github_event, body)  # githubkit's models validate the payload
    action = getattr(event, "action", None)
    if x_github_event == "pull_request" and action == "opened":
        greet_pull_request(x_github_delivery, event.number)
    elif x_github_event == "push" and not event.deleted:
        build_commit(x_github_delivery, event.after)
    return {"status": "ok"}
