"""A GitHub App's webhook receiver on aiohttp, verified and routed with gidgethub.

aiohttp is neither WSGI nor ASGI: hookmock serves the ``web.Application`` on aiohttp's own test
server, in-process, so the handler reads the very bytes GitHub signed with ``await
request.read()``.
"""

import os

from aiohttp import web
from gidgethub import BadRequest, ValidationFailure, routing, sansio

WEBHOOK_SECRET = os.environ.get("GITHUB_WEBHOOK_SECRET", "triage-bot-secret")

router = routing.Router()
labelled: dict[int, str] = {}  # issue number -> label the bot put on it
released: list[str] = []  # tags of published releases


@router.register("issues", action="opened")
async def label_new_issue(event: sansio.Event) -> None:
    labelled[event.data["issue"]["number"]] = "needs-triage"


@router.register("release", action="published")
async def announce_release(event: sansio.Event) -> None:
    released.append(event.data["release"]["tag_name"])


async def webhook(request: web.Request) -> web.Response:
    body = await request.read()  # the raw bytes; request.json() then re-encoding would not do
    try:
        event = sansio.Event.from_http(request.headers, body, secret=WEBHOOK_SECRET)
    except ValidationFailure:
        return web.Response(status=401, text="bad signature")
    except BadRequest as exc:
        return web.Response(status=exc.status_code, text=str(exc))
    await router.dispatch(event)
    return web.json_response({"handled": event.event})


def make_app() -> web.Application:
    app = web.Application()
    app.router.add_post("/github/webhook", webhook)
    return app


app = make_app()
