"""Small apps and setup shared by the delivery tests: raw-capture apps for WSGI, ASGI and Django."""

from __future__ import annotations

import asyncio
import threading
import time

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


class WSGICapture:
    """A WSGI app that records exactly what arrived and answers a chosen status."""

    def __init__(self, status: str = "200 OK", body: bytes = b"ok", delay: float = 0.0) -> None:
        self.status = status
        self.body = body
        self.delay = delay
        self.requests: list[dict] = []

    def __call__(self, environ, start_response):
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        self.requests.append({"environ": dict(environ), "body": raw})
        if self.delay:
            time.sleep(self.delay)
        start_response(self.status, [("Content-Type", "text/plain"), ("X-Seen", "1")])
        return [self.body]


class ASGICapture:
    """An ASGI app that records scope and body, with lifespan support that counts its events."""

    def __init__(self, status: int = 200, delay: float = 0.0) -> None:
        self.status = status
        self.delay = delay
        self.requests: list[dict] = []
        self.lifespan: list[str] = []
        self.threads: set[str] = set()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                self.lifespan.append(message["type"])
                if message["type"] == "lifespan.startup":
                    scope["state"]["started"] = True
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.threads.add(threading.current_thread().name)
        self.requests.append({"scope": scope, "body": body})
        if self.delay:
            await asyncio.sleep(self.delay)
        await send(
            {"type": "http.response.start", "status": self.status, "headers": [(b"x-seen", b"1")]}
        )
        await send({"type": "http.response.body", "body": b"asgi ok"})


def configure_django() -> None:
    """Minimal Django settings, once per process; tests pick their urls with override_settings."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="hookmock-tests-only",
            ALLOWED_HOSTS=["localhost", "testserver", "127.0.0.1"],
            ROOT_URLCONF=__name__,
            MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        import django

        django.setup()


django_seen: list[tuple[bytes, dict[str, str]]] = []


@csrf_exempt
def django_capture(request):
    django_seen.append((request.body, dict(request.headers)))
    return HttpResponse(b"django ok", content_type="text/plain")


django_started = threading.Event()
django_release = threading.Event()


@csrf_exempt
def django_stuck(request):
    """A sync view that holds its thread until the test releases it."""
    django_started.set()
    django_release.wait(10)
    django_seen.append((request.body, {"finished": "yes"}))
    return HttpResponse(b"late", content_type="text/plain")


urlpatterns = [path("hooks/", django_capture), path("stuck/", django_stuck)]
