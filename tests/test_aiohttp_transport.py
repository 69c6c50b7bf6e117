"""aiohttp applications as receivers, served in-process on aiohttp's own test server."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import subprocess
import sys

import pytest

import hookmock

web = pytest.importorskip("aiohttp.web")

SECRET = "gh-aiohttp-secret"


def github_app(seen: list[web.Request | bytes]) -> web.Application:
    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        seen.append(body)
        seen.append(request)
        mac = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest("sha256=" + mac, request.headers.get("X-Hub-Signature-256", "")):
            return web.Response(status=401, text="bad signature")
        return web.json_response({"event": request.headers["X-GitHub-Event"]})

    app = web.Application()
    app.router.add_post("/github", hook)
    return app


def test_an_aiohttp_app_gets_the_exact_signed_bytes_and_the_providers_headers():
    seen: list = []
    app = github_app(seen)
    with hookmock.receiver(app, path="/github", provider="github", secret=SECRET) as receiver:
        result = receiver.send("pull_request.opened").assert_ok()
        assert result.json() == {"event": "pull_request"}
        assert result.target.startswith("aiohttp app <Application")
        body, request = seen
        assert body == result.event.body
        for name, value in result.sent_headers.items():
            assert request.headers[name] == value
        # Only the provider's headers, plus what any HTTP client sends (Host, Content-Length).
        extra = {n.lower() for n in request.headers} - {n.lower() for n in result.sent_headers}
        assert extra <= {"host", "content-length"}
        receiver.send("pull_request.opened", secret="not-it").assert_rejected()


def test_the_apps_startup_runs_before_the_first_delivery_and_cleanup_at_close():
    log: list[str] = []

    async def startup(app: web.Application) -> None:
        log.append("startup")

    async def cleanup(app: web.Application) -> None:
        log.append("cleanup")

    async def hook(request: web.Request) -> web.Response:
        log.append("request")
        return web.Response(text="ok")

    app = web.Application()
    app.on_startup.append(startup)
    app.on_cleanup.append(cleanup)
    app.router.add_post("/", hook)
    receiver = hookmock.receiver(app, provider="github", secret=SECRET)
    receiver.send("ping").assert_ok()
    receiver.send("ping").assert_ok()
    receiver.close()
    assert log == ["startup", "request", "request", "cleanup"]


def test_a_slow_handler_times_out_and_is_cancelled_as_when_a_provider_hangs_up():
    cancelled = asyncio.Event()
    outcome: list[str] = []

    async def slow(request: web.Request) -> web.Response:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            outcome.append("cancelled")
            raise
        return web.Response(text="late")

    app = web.Application()
    app.router.add_post("/", slow)
    with hookmock.receiver(app, provider="github", secret=SECRET, timeout=0.2) as receiver:
        result = receiver.send("ping")
        assert result.timed_out
        assert not result.ok
        for _ in range(100):
            if outcome:
                break
            import time

            time.sleep(0.02)
    assert outcome == ["cancelled"]
    del cancelled


def test_a_raising_handler_is_a_500_and_a_huge_answer_is_capped():
    async def boom(request: web.Request) -> web.Response:
        raise RuntimeError("no database")

    async def huge(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * 300_000)

    app = web.Application()
    app.router.add_post("/boom", boom)
    app.router.add_post("/huge", huge)  # one app, served by one receiver after another
    with hookmock.receiver(app, path="/boom", provider="github", secret=SECRET) as receiver:
        result = receiver.send("ping")
        assert result.status == 500
        assert result.error == "the app raised RuntimeError: no database"
    with hookmock.receiver(app, path="/huge", provider="github", secret=SECRET) as receiver:
        assert len(receiver.send("ping").assert_ok().body) == 64 * 1024


def test_a_failing_startup_is_a_configuration_error_naming_the_app():
    async def startup(app: web.Application) -> None:
        raise RuntimeError("cannot reach redis")

    app = web.Application()
    app.on_startup.append(startup)
    receiver = hookmock.receiver(app, provider="github", secret=SECRET)
    with pytest.raises(hookmock.ConfigurationError, match="failed to start: RuntimeError"):
        receiver.send("ping")
    receiver.close()


def test_detecting_apps_does_not_import_aiohttp():
    code = (
        "import sys, hookmock\n"
        "from hookmock.delivery._targets import is_aiohttp_app\n"
        "assert not is_aiohttp_app(lambda environ, start_response: None)\n"
        "r = hookmock.receiver(lambda e, s: [], secret='whsec_x')\n"
        "r.close()\n"
        "print('aiohttp' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
