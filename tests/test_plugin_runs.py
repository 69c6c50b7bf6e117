"""The pytest plugin the way users meet it: real pytest sub-runs with hookmock installed."""

import os
from pathlib import Path

import pytest
import requests
import trustme

import hookmock
import hookmock.delivery
import hookmock.plugin

pytest_plugins = ["pytester"]

ROOT = Path(hookmock.__file__).resolve().parent.parent

# Load the providers now, so pytester's sys.modules snapshot keeps one copy of each module.
hookmock.provider("stripe")
hookmock.provider("github")
# Same for the TLS and HTTP stacks: a CA or a session first made inside a sub-run would load a
# second copy of cryptography's or requests' classes ("curve must be an EllipticCurve",
# "You can only merge into CookieJar" in later tests of this process).
trustme.CA()
requests.Session().close()

FLASK_APP = """
import json
import flask
import stripe

app = flask.Flask("shop")
paid = set()


def on_payment_succeeded(event):
    paid.add(event["id"])


@app.post("/webhooks/stripe")
def stripe_webhook():
    try:
        event = stripe.Webhook.construct_event(
            flask.request.get_data(), flask.request.headers.get("Stripe-Signature", ""), SECRET
        )
    except (ValueError, stripe.SignatureVerificationError):
        return "bad signature", 400
    if event["type"] == "payment_intent.succeeded":
        on_payment_succeeded(event)
    return "", 200
"""


@pytest.fixture
def installed(pytester, monkeypatch, tmp_path_factory):
    """Make hookmock look pip-installed: a dist-info whose pytest11 entry point is the plugin."""
    site = tmp_path_factory.mktemp("site")
    dist = site / "hookmock_under_test-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: hookmock-under-test\nVersion: 0.1\n"
    )
    (dist / "entry_points.txt").write_text("[pytest11]\nhookmock = hookmock.plugin\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), str(ROOT)]))
    # hookmock has no default secret: the suites under test configure theirs, as users do.
    pytester.makeini(
        "[pytest]\naddopts = -p no:cacheprovider\nhookmock_stripe_secret = whsec_test\n"
    )
    return pytester


def write_shop_tests(pytester, body, secret="whsec_test"):
    pytester.makepyfile(pt_shop_app=f"SECRET = {secret!r}\n" + FLASK_APP)
    pytester.makepyfile(test_pt_shop="import pytest\nimport pt_shop_app\n\n" + body)


def test_a_passing_suite_delivers_signed_events_into_the_app(installed):
    write_shop_tests(
        installed,
        """
def test_payment_is_recorded(hookmock):
    receiver = hookmock.receiver(pt_shop_app.app, path="/webhooks/stripe")
    result = receiver.send("payment_intent.succeeded")
    result.assert_ok()
    assert result.event.id in pt_shop_app.paid


def test_an_unknown_type_gets_2xx(hookmock):
    hookmock.receiver(pt_shop_app.app, path="/webhooks/stripe").send("product.created").assert_ok()


def test_a_bad_signature_is_rejected(hookmock):
    receiver = hookmock.receiver(pt_shop_app.app, path="/webhooks/stripe")
    receiver.send("charge.succeeded", secret="whsec_wrong").assert_rejected()
""",
    )
    result = installed.runpytest()
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["hookmock: seed * (reproduce with --hookmock-seed=*)"])


def test_a_receiver_answering_500_fails_with_a_readable_message(installed):
    installed.makepyfile(
        test_pt_broken="""
def app(environ, start_response):
    start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
    return [b"KeyError: order_id"]


def test_payment(hookmock):
    receiver = hookmock.receiver(app, path="/hooks")
    receiver.send("payment_intent.succeeded").assert_ok()
"""
    )
    # The secret comes from the ini file, so only hookmock's own output could leak it.
    installed.makeini(
        "[pytest]\naddopts = -p no:cacheprovider\nhookmock_stripe_secret = whsec_do_not_print\n"
    )
    result = installed.runpytest("--hookmock-seed=123")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*DeliveryError: stripe payment_intent.succeeded (evt_*): expected a 2xx answer,"
            " got 500 Internal Server Error in *",
            "*POST https://localhost/hooks*",
            "*response body (18 bytes): 'KeyError: order_id'",
            "*Stripe-Signature: t=*,v1=<redacted>*",
            "*rerun with the same data: pytest 'test_pt_broken.py::test_payment' --hookmock-seed=123",
        ]
    )
    assert "whsec_do_not_print" not in result.stdout.str()


def test_a_receiver_that_ignores_the_event_fails_the_handled_check(installed):
    write_shop_tests(
        installed,
        """
def test_every_type_is_handled(hookmock):
    receiver = hookmock.receiver(pt_shop_app.app, path="/webhooks/stripe")
    receiver.expect_handler(
        "pt_shop_app.on_payment_succeeded", types=["payment_intent.succeeded", "invoice.paid"]
    )
    receiver.send_many(["payment_intent.succeeded", "invoice.paid"])
    receiver.assert_all_handled()


def test_a_probe_sees_nothing_happened(hookmock):
    receiver = hookmock.receiver(
        pt_shop_app.app, path="/webhooks/stripe", handled=lambda ev: ev.id in pt_shop_app.paid
    )
    receiver.send("charge.refunded").assert_ok()
""",
    )
    result = installed.runpytest()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*1 of 2 event types were not answered 2xx and handled:",
            "*| type * | status | handled? | time *|",
            "*| payment_intent.succeeded | 200 * | yes *",
            "*| invoice.paid * | 200 * | NO *",
            "*FAILED invoice.paid: answered 2xx but was not handled*pt_shop_app.on_payment_succeeded"
            " was called 1 time(s), but no call carried this event:"
            " the calls were on_payment_succeeded(Event)*",
        ]
    )
    result.stdout.fnmatch_lines(["*handled check: the handled= probe returned a false value*"])


SEED_TESTS = """
def test_one(hookmock):
    ev = hookmock.event("stripe", "charge.succeeded")
    print("EVENT", ev.id)


def test_two(hookmock):
    ev = hookmock.event("github", "push")
    print("EVENT", ev.id)
"""


def event_ids(result):
    import re

    return re.findall(r"EVENT (\S+)", result.stdout.str())


def test_the_same_seed_gives_the_same_events_even_for_one_test_alone(installed):
    installed.makepyfile(test_pt_seeded=SEED_TESTS)
    first = event_ids(installed.runpytest("--hookmock-seed=42", "-s"))
    again = event_ids(installed.runpytest("--hookmock-seed=42", "-s"))
    alone = event_ids(
        installed.runpytest("--hookmock-seed=42", "-s", "test_pt_seeded.py::test_two")
    )
    other = event_ids(installed.runpytest("--hookmock-seed=43", "-s"))
    assert len(first) == 2
    assert first == again
    assert alone == first[1:]
    assert other[0] != first[0]


STORY_TESTS = """
def test_story(hookmock):
    story = hookmock.story("stripe", "refund")
    print("EVENT", story[0].id)
"""


def test_a_story_told_through_the_fixture_is_told_again_by_the_same_seed(installed):
    # The rerun hint a failure prints promises the same data; a story left unseeded broke it.
    installed.makepyfile(test_pt_story=STORY_TESTS)
    first = event_ids(installed.runpytest("--hookmock-seed=42", "-s"))
    again = event_ids(installed.runpytest("--hookmock-seed=42", "-s"))
    other = event_ids(installed.runpytest("--hookmock-seed=43", "-s"))
    assert len(first) == 1
    assert first == again
    assert other != first


def test_any_failing_test_that_used_the_fixture_says_how_to_rerun_it(installed):
    installed.makepyfile(
        test_pt_plain="""
def test_amount(hookmock):
    ev = hookmock.event("stripe", "charge.succeeded")
    assert ev.payload["data"]["object"]["amount"] < 0


def test_unrelated():
    assert False
"""
    )
    result = installed.runpytest("--hookmock-seed=31")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*- hookmock -*",
            "rerun with the same data: pytest 'test_pt_plain.py::test_amount' --hookmock-seed=31",
        ]
    )
    assert "test_pt_plain.py::test_unrelated' --hookmock-seed" not in result.stdout.str()


def test_the_seed_is_printed_in_the_header_and_a_bad_one_is_a_usage_error(installed):
    installed.makepyfile(test_pt_seeded=SEED_TESTS)
    result = installed.runpytest("--hookmock-seed=7")
    result.stdout.fnmatch_lines(["hookmock: seed 7 (reproduce with --hookmock-seed=7)"])
    result = installed.runpytest("--hookmock-seed=lots")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--hookmock-seed expects an integer (or 'random'), got 'lots'*"])


def test_markers_ini_secrets_and_the_faker_fixture_live_together(installed):
    installed.makeini(
        "[pytest]\n"
        "addopts = -p no:cacheprovider --strict-markers\n"
        "hookmock_github_secret = gh-from-ini\n"
        "hookmock_stripe_secret = whsec_from_ini\n"
        "hookmock_stripe_api_version = 2024-06-20\n"
    )
    installed.makepyfile(
        test_pt_config="""
import json
import pytest
import hookmock as hm


def app(environ, start_response):
    body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
    headers = {k[5:].replace("_", "-"): v for k, v in environ.items() if k.startswith("HTTP_")}
    secret = "gh-from-ini" if "X-GITHUB-EVENT" in headers else "whsec_from_ini"
    provider = "github" if "X-GITHUB-EVENT" in headers else "stripe"
    try:
        hm.verify(provider, body, headers, secret)
    except hm.SignatureError:
        start_response("400 Bad Request", [])
        return [b"bad"]
    start_response("200 OK", [])
    return [b""]


def test_ini_secrets_sign_the_events(hookmock):
    hookmock.receiver(app, provider="github").send("push").assert_ok()
    result = hookmock.receiver(app).send("charge.succeeded").assert_ok()
    assert result.event.payload["api_version"] == "2024-06-20"
    assert hookmock.event("stripe", "invoice.paid").payload["api_version"] == "2024-06-20"


@pytest.mark.hookmock(provider="github", secret="other", seed=5)
def test_the_marker_sets_defaults(hookmock):
    assert hookmock.seed == 5
    hookmock.receiver(app).send("push").assert_rejected()


def test_faker_still_has_its_own_fixture(hookmock, faker):
    assert isinstance(faker.name(), str)
    assert hookmock.seed >= 0
"""
    )
    result = installed.runpytest()
    result.assert_outcomes(passed=3)


def test_the_fixture_serves_https_and_cleans_up(installed):
    installed.makepyfile(
        test_pt_served="""
import threading


def app(environ, start_response):
    start_response("202 Accepted", [])
    return [b"queued"]


def test_over_tls(hookmock):
    url = hookmock.serve(app)
    assert url.startswith("https://127.0.0.1:")
    result = hookmock.receiver(url + "/hooks", provider="github", secret="s").send("push")
    assert result.status == 202


def test_session_server_is_reused(hookmock):
    assert hookmock.serve_for_session(app) == hookmock.serve_for_session(app)


def test_no_server_threads_left():
    assert not [t for t in threading.enumerate() if t.name == "hookmock-serve"][1:]
"""
    )
    installed.runpytest().assert_outcomes(passed=3)


def test_it_is_disabled_by_p_no_hookmock(installed):
    installed.makepyfile(test_pt_seeded=SEED_TESTS)
    result = installed.runpytest("-p", "no:hookmock")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*fixture 'hookmock' not found*"])
    assert "hookmock: seed" not in result.stdout.str()


def test_it_tolerates_being_loaded_with_p_as_well_as_by_entry_point(installed):
    installed.makepyfile(test_pt_seeded=SEED_TESTS)
    installed.runpytest("-p", "hookmock.plugin").assert_outcomes(passed=2)


def test_an_xdist_run_has_the_same_outcomes_and_the_same_data(installed):
    installed.makepyfile(
        test_pt_many="""
import pathlib
import pytest


def app(environ, start_response):
    start_response("500 Internal Server Error" if "FAIL" in environ["PATH_INFO"] else "200 OK", [])
    return [b""]


@pytest.mark.parametrize("n", range(4))
def test_deliver(hookmock, n, request):
    url = hookmock.serve(app)  # ephemeral ports: no clash between workers
    result = hookmock.receiver(url, path=f"/hooks/{n}").send("charge.succeeded")
    out = pathlib.Path(request.config.rootpath, "ids", f"{n}.txt")
    out.parent.mkdir(exist_ok=True)
    out.write_text(result.event.id)
    result.assert_ok()


def test_fails(hookmock):
    hookmock.receiver(app, path="/FAIL").send("charge.succeeded").assert_ok()
"""
    )
    serial = installed.runpytest_subprocess("--hookmock-seed=77")
    serial.assert_outcomes(passed=4, failed=1)
    ids_serial = sorted(p.read_text() for p in (installed.path / "ids").iterdir())
    parallel = installed.runpytest_subprocess("--hookmock-seed=77", "-n", "2")
    parallel.assert_outcomes(passed=4, failed=1)
    ids_parallel = sorted(p.read_text() for p in (installed.path / "ids").iterdir())
    assert ids_serial == ids_parallel
    parallel.stdout.fnmatch_lines(["*--hookmock-seed=77*"])


def test_an_unused_plugin_imports_none_of_the_heavy_libraries(installed):
    installed.makepyfile(
        test_pt_light="""
import sys


def test_nothing_heavy_was_imported(request):
    assert request.config.pluginmanager.has_plugin("hookmock")
    heavy = ("faker", "jsonschema", "requests", "responses", "yaml", "httpx")
    assert [m for m in heavy if m in sys.modules] == []
"""
    )
    # Faker's own pytest plugin imports faker, so switch it off to see what hookmock costs.
    installed.runpytest_subprocess("-p", "no:faker").assert_outcomes(passed=1)


def test_a_receiver_without_a_configured_secret_fails_naming_the_ini_option_and_secret(installed):
    installed.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    installed.makepyfile(
        test_pt_nosecret="""
def app(environ, start_response):
    start_response("401 Unauthorized", [])
    return [b"bad signature"]


def test_no_secret(hookmock):
    hookmock.receiver(app, provider="github")
"""
    )
    result = installed.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*SecretError: No github signing secret given.*secret=...*hookmock_github_secret*"]
    )


def test_a_4xx_failure_names_the_ini_option_or_marker_the_secret_came_from(installed):
    installed.makeini(
        "[pytest]\naddopts = -p no:cacheprovider\nhookmock_stripe_secret = whsec_not_shown\n"
    )
    installed.makepyfile(
        test_pt_source="""
import pytest


def app(environ, start_response):
    start_response("401 Unauthorized", [])
    return [b"bad signature"]


def test_from_ini(hookmock):
    hookmock.receiver(app).send("charge.succeeded").assert_ok()


@pytest.mark.hookmock(secret="whsec_marker_not_shown")
def test_from_marker(hookmock):
    hookmock.receiver(app).send("charge.succeeded").assert_ok()
"""
    )
    result = installed.runpytest()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*signed with the hookmock_stripe_secret ini option; a receiver checking another*",
            "*signed with the secret= of the @pytest.mark.hookmock marker;*",
        ]
    )
    assert "whsec_not_shown" not in result.stdout.str()


def test_a_misspelt_marker_argument_fails_the_test_naming_the_accepted_ones(installed):
    installed.makepyfile(
        test_pt_marker="""
import pytest


@pytest.mark.hookmock(sekret="x")
def test_typo(hookmock):
    pass


@pytest.mark.hookmock(secret="x", seed=3)
def test_fine(hookmock):
    assert hookmock.seed == 3
"""
    )
    result = installed.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.hookmock got an unknown argument 'sekret'. Did you mean 'secret'?"
            " It accepts: provider=, secret=, seed=, timeout=."
        ]
    )


LINGERING = """
import threading
import time

import hookmock.plugin as hookmock_plugin

state = []
release = threading.Event()


def slow(environ, start_response):
    time.sleep(0.3)
    state.append("late write")
    start_response("200 OK", [])
    return [b""]


def stuck(environ, start_response):
    release.wait(30)
    start_response("200 OK", [])
    return [b""]


def test_a_slow_handler_times_out(hookmock):
    assert hookmock.receiver(slow, timeout=0.01).send("charge.succeeded").timed_out


def test_the_next_test_starts_after_it_finished():
    assert state == ["late write"]


def test_a_handler_that_never_finishes(hookmock):
    # Set by hand, not monkeypatch: the fixture's teardown runs after monkeypatch undoes it.
    hookmock_plugin.HANDLER_WAIT = 0.05
    assert hookmock.receiver(stuck, timeout=0.01).send("charge.succeeded").timed_out


def test_release():
    hookmock_plugin.HANDLER_WAIT = 10.0
    release.set()
"""


def test_the_fixture_waits_for_timed_out_handlers_and_errors_if_they_linger(installed):
    installed.makepyfile(test_pt_linger=LINGERING)
    result = installed.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_a_handler_that_never_finishes*",
            "*DeliveryError: 1 handler(s) that timed out in this test were still running 0.05 s"
            " after it ended*",
        ]
    )


LINGERING_ASGI = """
import time

from fastapi import FastAPI

state = []
app = FastAPI()


@app.post("/")
def slow_sync_endpoint():
    time.sleep(0.3)
    state.append("late write")
    return {}


def test_a_slow_sync_endpoint_times_out(hookmock):
    assert hookmock.receiver(app, timeout=0.01).send("charge.succeeded").timed_out


def test_the_next_test_starts_after_it_finished():
    assert state == ["late write"]
"""


def test_the_fixture_waits_for_a_sync_asgi_endpoint_that_timed_out(installed):
    installed.makepyfile(test_pt_linger_asgi=LINGERING_ASGI)
    result = installed.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_the_fixture_receiver_takes_provider_options_as_keywords(installed):
    installed.makeini(
        "[pytest]\naddopts = -p no:cacheprovider\nhookmock_stripe_secret = whsec_test\n"
        "hookmock_github_secret = gh\nhookmock_stripe_api_version = 2024-06-20\n"
    )
    installed.makepyfile(
        test_pt_options="""
def app(environ, start_response):
    start_response("200 OK", [])
    return [b""]


def test_github_option(hookmock):
    receiver = hookmock.receiver(app, provider="github", with_installation=True)
    assert "installation" in receiver.send("push").event.payload


def test_a_keyword_beats_the_ini_api_version(hookmock):
    receiver = hookmock.receiver(app, api_version="2025-03-31.basil")
    assert receiver.send("charge.succeeded").event.payload["api_version"] == "2025-03-31.basil"
    assert hookmock.receiver(app).send("charge.succeeded").event.payload["api_version"] == (
        "2024-06-20"
    )


def test_a_typo(hookmock):
    hookmock.receiver(app, provider="github", with_instalation=True)
"""
    )
    result = installed.runpytest()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        ["*ConfigurationError: *unknown keyword 'with_instalation'. Did you mean*"]
    )
