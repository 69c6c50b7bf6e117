"""Transport: the exact signed bytes and headers reach WSGI, ASGI and Django apps in-process."""

import pytest
from _helpers_delivery import ASGICapture, WSGICapture, configure_django, django_seen

import hookmock
from hookmock.delivery._targets import detect_interface

#: The signing secret these tests give their receivers (hookmock has no default).
SECRET = "whsec_test"


def environ_headers(environ):
    out = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            out[key[5:].replace("_", "-").lower()] = value
    out["content-type"] = environ.get("CONTENT_TYPE")
    return out


def test_a_wsgi_app_receives_exactly_the_signed_bytes_and_headers():
    app = WSGICapture()
    receiver = hookmock.receiver(app, path="/hooks/stripe", secret="whsec_abc", seed=3)
    result = receiver.send("payment_intent.succeeded")

    result.assert_ok()
    [seen] = app.requests
    assert seen["body"] == result.event.body
    env = seen["environ"]
    assert env["REQUEST_METHOD"] == "POST"
    assert env["PATH_INFO"] == "/hooks/stripe"
    assert env["wsgi.url_scheme"] == "https"
    assert env["CONTENT_LENGTH"] == str(len(result.event.body))
    got = environ_headers(env)
    for name, value in result.sent_headers.items():
        assert got[name.lower()] == value
    hookmock.verify(
        "stripe", seen["body"], {"Stripe-Signature": env["HTTP_STRIPE_SIGNATURE"]}, "whsec_abc"
    )


def test_an_asgi_app_receives_exactly_the_signed_bytes_and_headers():
    app = ASGICapture()
    with hookmock.receiver(app, path="/gh?x=1", provider="github", secret="s3", seed=5) as receiver:
        result = receiver.send("push")
        result.assert_ok()
        assert result.body == b"asgi ok"
        assert result.headers["x-seen"] == "1"
    [seen] = app.requests
    assert seen["body"] == result.event.body
    scope = seen["scope"]
    assert (scope["method"], scope["path"], scope["query_string"]) == ("POST", "/gh", b"x=1")
    assert scope["scheme"] == "https"
    got = {k.decode(): v.decode() for k, v in scope["headers"]}
    for name, value in result.sent_headers.items():
        assert got[name.lower()] == value
    assert got["content-length"] == str(len(result.event.body))


def test_asgi_lifespan_runs_once_per_receiver_not_per_request():
    app = ASGICapture()
    receiver = hookmock.receiver(app, provider="github", secret="s")
    receiver.send_many(["push", "push", "pull_request.opened"])
    assert app.lifespan == ["lifespan.startup"]
    assert all(r["scope"]["state"] == {"started": True} for r in app.requests)
    receiver.close()
    assert app.lifespan == ["lifespan.startup", "lifespan.shutdown"]


def test_an_asgi_app_without_lifespan_support_still_gets_requests():
    async def app(scope, receive, send):
        if scope["type"] != "http":
            raise ValueError("http only")
        await receive()
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    with hookmock.receiver(app, provider="github", secret="s") as receiver:
        assert receiver.send("push").status == 204


def test_interface_detection_tells_wsgi_from_asgi_and_can_be_overridden():
    from fastapi import FastAPI
    from flask import Flask

    assert detect_interface(Flask("x")) == "wsgi"
    assert detect_interface(FastAPI()) == "asgi"
    assert detect_interface(WSGICapture()) == "wsgi"
    assert detect_interface(ASGICapture()) == "asgi"

    def wrapped(scope, receive, send):  # an ASGI app hidden behind a plain function
        return ASGICapture()(scope, receive, send)

    assert detect_interface(wrapped) == "asgi"
    app = ASGICapture()
    with hookmock.receiver(app.__call__, interface="asgi", provider="github", secret="s") as r:
        r.send("push").assert_ok()


def test_flask_sees_the_raw_body_and_verifies_it_with_stripe_python():
    import stripe
    from flask import Flask, request

    app = Flask("shop")
    got = []

    @app.post("/webhooks/stripe")
    def hook():
        event = stripe.Webhook.construct_event(
            request.get_data(), request.headers["Stripe-Signature"], "whsec_flask"
        )
        got.append(event["id"])
        return "", 204

    receiver = hookmock.receiver(app, path="/webhooks/stripe", secret="whsec_flask")
    result = receiver.send("charge.succeeded").assert_ok()
    assert got == [result.event.id]


def test_fastapi_sees_the_raw_body_and_githubkit_verifies_it():
    from fastapi import FastAPI, Request
    from githubkit.webhooks import verify

    app = FastAPI()

    @app.post("/gh")
    async def hook(request: Request):
        body = await request.body()
        ok = verify("gh-secret", body, request.headers["X-Hub-Signature-256"])
        return {"verified": ok, "event": request.headers["X-GitHub-Event"]}

    with hookmock.receiver(app, path="/gh", provider="github", secret="gh-secret") as receiver:
        result = receiver.send("pull_request.opened").assert_ok()
    assert result.json() == {"verified": True, "event": "pull_request"}


@pytest.fixture
def django_urls():
    configure_django()
    from django.test import override_settings

    django_seen.clear()
    with override_settings(ROOT_URLCONF="_helpers_delivery"):
        yield


@pytest.mark.usefixtures("django_urls")
@pytest.mark.parametrize("interface", ["wsgi", "asgi"])
def test_django_reads_the_exact_body_through_its_wsgi_and_asgi_handlers(interface):
    if interface == "wsgi":
        from django.core.wsgi import get_wsgi_application as get_app
    else:
        from django.core.asgi import get_asgi_application as get_app

    with hookmock.receiver(get_app(), path="/hooks/", secret="whsec_dj") as receiver:
        result = receiver.send("invoice.paid")
    result.assert_ok()
    assert result.body == b"django ok"
    [(body, headers)] = django_seen
    assert body == result.event.body
    assert headers["Stripe-Signature"] == result.sent_headers["Stripe-Signature"]


@pytest.mark.usefixtures("django_urls")
def test_a_timed_out_django_asgi_sync_view_is_waited_for_until_its_thread_ends():
    from _helpers_delivery import django_release, django_started
    from django.core.asgi import get_asgi_application

    django_started.clear()
    django_release.clear()
    receiver = hookmock.receiver(
        get_asgi_application(), path="/stuck/", secret="whsec_dj", timeout=1.0
    )
    try:
        assert receiver.send("invoice.paid").timed_out
        assert django_started.is_set()
        assert receiver.wait_for_handlers(0) == 1  # the view still holds its thread
        django_release.set()
        assert receiver.wait_for_handlers(10) == 0
        assert [headers for _, headers in django_seen] == [{"finished": "yes"}]
    finally:
        django_release.set()
        receiver.close()


def test_an_app_that_raises_is_reported_as_a_500_with_its_traceback():
    def app(environ, start_response):
        raise RuntimeError("boom in handler")

    result = hookmock.receiver(app, secret=SECRET).send("customer.created")
    assert result.status == 500
    assert "boom in handler" in result.text
    with pytest.raises(hookmock.DeliveryError, match="RuntimeError: boom in handler"):
        result.assert_ok()


@pytest.mark.usefixtures("django_urls")
def test_django_refusing_the_host_gets_a_hint_and_host_fixes_it():
    from django.core.wsgi import get_wsgi_application
    from django.test import override_settings

    # CommonMiddleware (in most projects) reads the host, which checks ALLOWED_HOSTS.
    with override_settings(MIDDLEWARE=["django.middleware.common.CommonMiddleware"]):
        app = get_wsgi_application()
    refused = hookmock.receiver(app, path="/hooks/", host="shop.invalid", secret=SECRET).send(
        "invoice.paid"
    )
    assert refused.status == 400
    assert "pass host=... (one of ALLOWED_HOSTS)" in refused.explain("expected 2xx")
    hookmock.receiver(app, path="/hooks/", host="testserver", secret=SECRET).send(
        "invoice.paid"
    ).assert_ok()


def test_a_failing_asgi_lifespan_startup_is_a_clear_error():
    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.failed", "message": "no database"})
            return

    receiver = hookmock.receiver(app, provider="github", secret="s")
    with pytest.raises(hookmock.ConfigurationError, match="lifespan startup failed: no database"):
        receiver.send("push")
    receiver.close()


def test_an_unknown_interface_or_a_non_app_is_refused():
    with pytest.raises(hookmock.ConfigurationError, match="'wsgi' or 'asgi'"):
        hookmock.receiver(WSGICapture(), interface="cgi", secret=SECRET)
    with pytest.raises(hookmock.ConfigurationError, match="needs a WSGI or ASGI app"):
        hookmock.receiver(42, secret=SECRET)


@pytest.mark.usefixtures("django_urls")
def test_a_django_append_slash_redirect_shows_the_location_and_says_fix_the_path():
    from django.core.wsgi import get_wsgi_application
    from django.test import override_settings

    with override_settings(MIDDLEWARE=["django.middleware.common.CommonMiddleware"]):
        app = get_wsgi_application()
    result = hookmock.receiver(app, path="/hooks", secret=SECRET).send("invoice.paid")
    assert result.status == 301
    with pytest.raises(hookmock.DeliveryError) as caught:
        result.assert_ok()
    text = str(caught.value)
    assert "hint: it redirects to '/hooks/' (only the trailing slash differs" in text
    assert "providers do not follow redirects" in text
    assert "Fix path=" in text
    hookmock.receiver(app, path="/hooks/", secret=SECRET).send("invoice.paid").assert_ok()


def test_any_redirect_names_its_location_or_its_absence():
    moved = WSGICapture("307 Temporary Redirect")
    result = hookmock.receiver(moved, path="/a", secret=SECRET).send("invoice.paid")
    assert "it answered a redirect without a Location header" in result.explain("expected 2xx")

    def elsewhere(environ, start_response):
        start_response("302 Found", [("Location", "https://other.example/b")])
        return [b""]

    result = hookmock.receiver(elsewhere, path="/a", secret=SECRET).send("invoice.paid")
    text = result.explain("expected 2xx")
    assert "it redirects to 'https://other.example/b'; providers do not follow redirects" in text


ASGI_WITHOUT_WITH = """
import contextlib

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

import hookmock


@contextlib.asynccontextmanager
async def lifespan(app):
    yield
    print("lifespan shutdown ran", flush=True)


async def hook(request):
    return Response("ok")


app = Starlette(routes=[Route("/h", hook, methods=["POST"])], lifespan=lifespan)
receiver = hookmock.receiver(app, path="/h", secret="whsec_x")  # no with, no close()
print(receiver.send("charge.succeeded").status, flush=True)
"""


def test_an_asgi_receiver_never_closed_shuts_down_cleanly_at_exit(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "unclosed.py"
    script.write_text(ASGI_WITHOUT_WITH)
    root = Path(hookmock.__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["200", "lifespan", "shutdown", "ran"]
    assert "Task was destroyed" not in done.stderr
    assert done.stderr == ""


def test_a_fastapi_handler_that_raises_names_the_exception_under_the_generic_500_page():
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/h")
    def handler():
        raise RuntimeError("boom in handler")

    result = hookmock.receiver(app, path="/h", secret=SECRET).send("charge.succeeded")
    assert (result.status, result.body) == (500, b"Internal Server Error")
    with pytest.raises(hookmock.DeliveryError, match="error: the app raised RuntimeError: boom"):
        result.assert_ok()
