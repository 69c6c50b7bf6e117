"""Receiver semantics: failures that explain, retries on a virtual clock, timeouts, handled checks."""

import threading
import time

import pytest
from _helpers_delivery import ASGICapture, WSGICapture

import hookmock
from hookmock.delivery import RetrySchedule

#: The signing secret these tests give their receivers (hookmock has no default).
SECRET = "whsec_test"


def failure_text(result):
    with pytest.raises(hookmock.DeliveryError) as info:
        result.assert_ok()
    return str(info.value)


def test_a_failure_message_names_the_event_status_body_and_seed_but_never_the_secret():
    app = WSGICapture("500 Internal Server Error", body=b"database down; secret=whsec_topsecret")
    receiver = hookmock.receiver(app, path="/hooks", secret="whsec_topsecret", seed=11)
    result = receiver.send("customer.created")
    with pytest.raises(hookmock.DeliveryError) as info:
        result.assert_ok()
    text = str(info.value)
    assert f"stripe customer.created ({result.event.id})" in text
    assert "expected a 2xx answer, got 500 Internal Server Error" in text
    assert "database down" in text
    assert "Stripe-Signature: t=" in text
    assert "v1=<redacted>" in text
    assert f"seed={result.event.seed}" in text
    assert "seed=11" in text
    assert "whsec_topsecret" not in text
    assert result.sent_headers["Stripe-Signature"].split("v1=")[1][:64] not in text


def test_github_signatures_are_redacted_in_failure_messages():
    receiver = hookmock.receiver(WSGICapture("400 Bad Request"), provider="github", secret="gh")
    result = receiver.send("push")
    text = failure_text(result)
    assert "X-Hub-Signature-256: sha256=<redacted>" in text
    assert result.sent_headers["X-Hub-Signature-256"][7:] not in text


def test_assert_rejected_and_assert_status_check_4xx_answers():
    receiver = hookmock.receiver(WSGICapture("400 Bad Request"), provider="github", secret="gh")
    result = receiver.send("push")
    assert result.assert_rejected() is result
    result.assert_status(400)
    with pytest.raises(hookmock.DeliveryError, match="expected status 401"):
        result.assert_status(401)
    ok = hookmock.receiver(WSGICapture(), provider="github", secret="gh").send("push")
    with pytest.raises(hookmock.DeliveryError, match="reject it with a 4xx, got 200 OK"):
        ok.assert_rejected()


def test_a_redirect_is_a_failed_delivery():
    result = hookmock.receiver(WSGICapture("301 Moved Permanently"), secret=SECRET).send(
        "charge.succeeded"
    )
    assert not result.ok
    with pytest.raises(hookmock.DeliveryError, match="301 Moved Permanently"):
        result.assert_ok()


def test_the_same_receiver_seed_sends_the_same_events():
    one = hookmock.receiver(WSGICapture(), provider="github", secret="s", seed=99)
    two = hookmock.receiver(WSGICapture(), provider="github", secret="s", seed=99)
    a = one.send_many(["push", "pull_request.opened"])
    b = two.send_many(["push", "pull_request.opened"])
    assert [r.event.body for r in a] == [r.event.body for r in b]
    assert [r.event.id for r in a] == [r.event.id for r in b]


def test_a_slow_wsgi_handler_is_reported_as_a_timeout_with_its_elapsed_time():
    app = WSGICapture(delay=1.0)
    receiver = hookmock.receiver(app, provider="github", secret="s", timeout=0.2)
    started = time.perf_counter()
    result = receiver.send("push")
    assert time.perf_counter() - started < 0.9  # hookmock stopped waiting at the timeout
    assert result.timed_out
    assert result.status is None
    assert 0.2 <= result.elapsed < 0.9
    text = failure_text(result)
    assert "timed out after" in text
    assert "0.2 s timeout" in text
    receiver.close()


def test_a_slow_asgi_handler_is_reported_as_a_timeout():
    with hookmock.receiver(ASGICapture(delay=5), provider="github", secret="s", timeout=0.2) as r:
        result = r.send("push")
    assert result.timed_out
    assert not result.ok


def test_the_default_timeouts_are_the_providers():
    assert hookmock.receiver(WSGICapture(), provider="github", secret="s").timeout == 10.0
    assert hookmock.receiver(WSGICapture(), provider="stripe", secret=SECRET).timeout == 30.0
    assert hookmock.receiver(WSGICapture(), timeout=False, secret=SECRET).timeout is None


class Flaky:
    """Fails the first ``failures`` deliveries, then answers 200."""

    def __init__(self, failures):
        self.failures = failures
        self.signatures = []

    def __call__(self, environ, start_response):
        self.signatures.append(environ.get("HTTP_STRIPE_SIGNATURE"))
        if self.failures > 0:
            self.failures -= 1
            start_response("503 Service Unavailable", [])
            return [b"try later"]
        start_response("200 OK", [])
        return [b""]


def test_stripe_retries_with_backoff_on_a_virtual_clock_without_sleeping():
    app = Flaky(failures=2)
    receiver = hookmock.receiver(app, retries=True, secret=SECRET)
    started = time.perf_counter()
    result = receiver.send("invoice.paid")
    assert time.perf_counter() - started < 5
    result.assert_ok()
    assert [a.status for a in result.attempts] == [503, 503, 200]
    assert [a.at for a in result.attempts] == [0, 1800, 5400]  # +30 min, then +1 h more
    assert receiver.clock.now() == 5400
    assert len(app.signatures) == 3


def test_retries_stop_after_the_schedule_and_the_message_lists_every_attempt():
    receiver = hookmock.receiver(Flaky(failures=10), retries=[60, 120], secret=SECRET)
    result = receiver.send("invoice.paid")
    assert [a.at for a in result.attempts] == [0, 60, 180]
    text = failure_text(result)
    assert "attempt 3 at +3m00s: 503 Service Unavailable" in text


@pytest.mark.parametrize("retries", [True, 3])
def test_github_refuses_automatic_retries_it_never_makes(retries):
    with pytest.raises(hookmock.ConfigurationError) as caught:
        hookmock.receiver(Flaky(failures=1), provider="github", secret="s", retries=retries)
    assert "GitHub does not retry failed deliveries" in str(caught.value)
    assert "retries=[60, 300]" in str(caught.value)


def test_github_takes_an_explicit_schedule_as_manual_redeliveries():
    app = Flaky(failures=1)
    receiver = hookmock.receiver(app, provider="github", secret="s", retries=[600])
    result = receiver.send("push")
    assert [(a.at, a.status) for a in result.attempts] == [(0, 503), (600, 200)]
    assert (
        hookmock.receiver(app, provider="github", secret="s", retries=False).schedule.delays == ()
    )


def test_github_refuses_a_timestamp_its_signature_does_not_carry():
    app = WSGICapture()
    receiver = hookmock.receiver(app, provider="github", secret="s")
    with pytest.raises(hookmock.ConfigurationError, match="GitHub signatures carry no timestamp"):
        receiver.send("push", timestamp=1_700_000_000)
    assert app.requests == []
    stripe = hookmock.receiver(app, secret=SECRET).send("charge.succeeded", timestamp=1_700_000_000)
    assert stripe.sent_headers["Stripe-Signature"].startswith("t=1700000000,")


def test_github_refuses_a_list_of_secrets_as_a_hook_has_one():
    with pytest.raises(hookmock.SecretError, match="one secret per webhook"):
        hookmock.receiver(WSGICapture(), provider="github", secret=["old", "new"])
    receiver = hookmock.receiver(WSGICapture(), provider="github", secret="s")
    with pytest.raises(hookmock.SecretError, match="one secret per webhook"):
        receiver.send("push", secret=["a", "b"])
    rotating = hookmock.receiver(WSGICapture(), secret=["whsec_old", "whsec_new"])
    assert rotating.send("charge.succeeded").sent_headers["Stripe-Signature"].count("v1=") == 2


def test_retry_schedules_are_configurable():
    assert RetrySchedule.stripe_test().delays == (1800, 3600, 7200)
    assert RetrySchedule.exponential(2, first=10, factor=3).delays == (10, 30)
    live = RetrySchedule.stripe_live()
    assert sum(live.delays) <= 3 * 24 * 3600
    assert max(live.delays) == 12 * 3600
    with pytest.raises(hookmock.ConfigurationError, match="seconds"):
        RetrySchedule([-1])
    with pytest.raises(hookmock.ConfigurationError, match="retries must be"):
        hookmock.receiver(WSGICapture(), retries="often", secret=SECRET)


def test_a_timeout_is_retried_like_an_error():
    calls = []

    def app(environ, start_response):
        calls.append(1)
        if len(calls) == 1:
            time.sleep(1.5)
        start_response("200 OK", [])
        return [b""]

    receiver = hookmock.receiver(app, retries=[10], timeout=0.5, secret=SECRET)
    result = receiver.send("charge.succeeded")
    assert [a.timed_out for a in result.attempts] == [True, False]
    result.assert_ok()
    receiver.close()


def test_a_handled_probe_turns_an_ignored_event_into_a_failure():
    paid = set()

    def app(environ, start_response):  # answers 200 and forgets to do anything
        start_response("200 OK", [])
        return [b""]

    receiver = hookmock.receiver(app, handled=lambda ev: ev.id in paid, secret=SECRET)
    result = receiver.send("payment_intent.succeeded")
    assert result.ok
    assert result.handled is False
    with pytest.raises(hookmock.DeliveryError, match="handled= probe returned a false value"):
        result.assert_ok()


def test_an_asserting_probe_reports_its_message():
    def probe(ev):
        raise AssertionError("order 42 is still unpaid")

    result = hookmock.receiver(WSGICapture(), secret=SECRET).send("charge.succeeded", handled=probe)
    with pytest.raises(hookmock.DeliveryError, match="order 42 is still unpaid"):
        result.assert_ok()


# Handlers that the spy tests patch by dotted path.
handled_ids = []


def on_push(payload):
    handled_ids.append(payload["after"])


def spy_app(environ, start_response):
    import json

    body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
    if environ["HTTP_X_GITHUB_EVENT"] == "push":
        on_push(json.loads(body))
    start_response("200 OK", [])
    return [b""]


def test_expect_handler_wraps_the_real_function_and_checks_each_event_reached_it():
    receiver = hookmock.receiver(spy_app, provider="github", secret="s")
    spy = receiver.expect_handler(f"{__name__}.on_push", types=["push"])
    handled_ids.clear()
    push = receiver.send("push")
    pr = receiver.send("pull_request.opened")
    assert push.handled is True
    assert pr.handled is None  # not a watched type
    assert handled_ids == [push.event.payload["after"]]  # the real handler still ran
    assert len(spy.calls) == 1
    receiver.close()
    assert on_push is not spy  # restored
    assert globals()["on_push"].__code__ is on_push.__code__


def test_expect_handler_flags_a_duplicate_that_was_handled_twice():
    receiver = hookmock.receiver(spy_app, provider="github", secret="s")
    receiver.expect_handler(f"{__name__}.on_push", types=["push"])
    first = receiver.send("push")
    [again] = receiver.replay([first])
    assert again.event.id == first.event.id
    assert again.event.body == first.event.body
    assert again.handled is False
    assert "ran 2 times" in again.handled_notes[0]
    with pytest.raises(hookmock.DeliveryError, match="it was handled more than once"):
        again.assert_ok()
    with pytest.raises(hookmock.DeliveryError) as caught:
        receiver.assert_all_handled()
    assert "push: answered 2xx but was handled more than once" in str(caught.value)
    assert "was not handled" not in str(caught.value)
    receiver.close()


def test_expect_handler_rejects_unknown_paths_and_types():
    receiver = hookmock.receiver(spy_app, provider="github", secret="s")
    with pytest.raises(hookmock.ConfigurationError, match="has no function 'nope'"):
        receiver.expect_handler(f"{__name__}.nope")
    with pytest.raises(hookmock.UnknownTypeError):
        receiver.expect_handler(f"{__name__}.on_push", types=["psuh"])


def test_assert_all_handled_prints_a_table_and_fails_on_an_unhandled_type():
    receiver = hookmock.receiver(spy_app, provider="github", secret="s")
    receiver.expect_handler(f"{__name__}.on_push", types=["push", "pull_request.opened"])
    receiver.send_many(["push", "pull_request.opened"])
    with pytest.raises(hookmock.DeliveryError) as info:
        receiver.assert_all_handled()
    text = str(info.value)
    assert "| type" in text
    assert "| status | handled? | time" in text
    assert "| push" in text
    assert "pull_request.opened: answered 2xx but was not handled" in text
    receiver.close()


def test_assert_all_handled_passes_when_every_type_is_handled_or_ignored():
    receiver = hookmock.receiver(spy_app, provider="github", secret="s")
    receiver.expect_handler(f"{__name__}.on_push", types=["push"])
    receiver.send_many(["push", "pull_request.opened"])
    report = receiver.assert_all_handled(ignore=["pull_request.opened"])
    assert [row.type for row in report.rows] == ["push", "pull_request.opened"]
    receiver.close()


def test_rejections_that_were_asserted_stay_out_of_the_report():
    receiver = hookmock.receiver(WSGICapture("400 Bad Request"), provider="github", secret="s")
    receiver.send("push").assert_rejected()
    assert receiver.report().rows == []


def test_send_many_can_shuffle_deterministically():
    types = ["push", "pull_request.opened", "pull_request.closed", "push", "pull_request.opened"]
    one = hookmock.receiver(WSGICapture(), provider="github", secret="s", seed=4)
    two = hookmock.receiver(WSGICapture(), provider="github", secret="s", seed=4)
    a = [r.event.id for r in one.send_many(types, order="shuffled")]
    b = [r.event.id for r in two.send_many(types, shuffle=True)]
    plain = hookmock.receiver(WSGICapture(), provider="github", secret="s", seed=4)
    given = [r.event.id for r in plain.send_many(types)]
    assert a == b
    assert sorted(a) == sorted(given)
    assert a != given


def test_send_many_delivers_concurrently_from_threads():
    barrier = threading.Barrier(4, timeout=5)
    threads = set()

    def app(environ, start_response):
        threads.add(threading.current_thread().name)
        barrier.wait()  # only passes if 4 deliveries are in flight at once
        start_response("200 OK", [])
        return [b""]

    receiver = hookmock.receiver(app, provider="github", secret="s", timeout=False)
    results = receiver.send_many(["push"] * 4, concurrency=4)
    assert all(r.ok for r in results)
    assert len(threads) == 4


def test_send_overrides_secret_timestamp_and_headers_for_unhappy_paths():
    app = WSGICapture()
    receiver = hookmock.receiver(app, secret="whsec_right")
    result = receiver.send(
        "charge.succeeded", secret="whsec_wrong", timestamp=1000, headers={"Cache-Control": None}
    )
    env = app.requests[0]["environ"]
    assert env["HTTP_STRIPE_SIGNATURE"].startswith("t=1000,")
    assert "HTTP_CACHE_CONTROL" not in env
    with pytest.raises(hookmock.SignatureError):
        hookmock.verify("stripe", result.event.body, result.sent_headers, "whsec_right")
    assert "whsec_wrong" not in result.explain("x")


def test_a_receiver_refuses_an_event_of_another_provider():
    gh = hookmock.github.event("push", seed=1)
    with pytest.raises(hookmock.ConfigurationError, match="provider='github'"):
        hookmock.receiver(WSGICapture(), secret=SECRET).send(gh)


def test_plain_http_to_a_remote_host_is_refused_unless_allowed():
    with pytest.raises(hookmock.ConfigurationError, match="allow_insecure_http=True"):
        hookmock.receiver("http://example.com/hooks", secret=SECRET)
    for url in ("http://127.0.0.1:9/h", "http://localhost:9/h", "http://[::1]:9/h"):
        hookmock.receiver(url, secret=SECRET).close()
    hookmock.receiver("http://example.com/hooks", allow_insecure_http=True, secret=SECRET).close()
    with pytest.raises(hookmock.ConfigurationError, match="https://host/path"):
        hookmock.receiver("ftp://example.com/hooks", secret=SECRET)


def test_a_404_hints_at_the_path():
    result = hookmock.receiver(
        WSGICapture("404 Not Found"), path="/hooks/strpe", secret=SECRET
    ).send("charge.succeeded")
    with pytest.raises(hookmock.DeliveryError, match=r"hint: is path= right\? hookmock posted to"):
        result.assert_ok()


@pytest.mark.parametrize("provider", ["stripe", "github"])
def test_a_receiver_without_a_secret_is_refused_at_creation_naming_both_ways_to_give_it(provider):
    with pytest.raises(hookmock.SecretError) as caught:
        hookmock.receiver(WSGICapture(), provider=provider)
    assert "secret=" in str(caught.value)
    assert f"hookmock_{provider}_secret" in str(caught.value)


def test_a_4xx_failure_says_which_secret_signed_it_without_printing_it():
    receiver = hookmock.receiver(WSGICapture("401 Unauthorized"), secret="whsec_hidden")
    text = failure_text(receiver.send("charge.succeeded"))
    assert "signed with the secret= given to hookmock.receiver()" in text
    assert "whsec_hidden" not in text
    other = failure_text(receiver.send("charge.succeeded", secret="whsec_other_hidden"))
    assert "signed with the secret= passed to send()" in other
    assert "whsec_other_hidden" not in other


def test_replay_takes_one_result_or_one_event_as_well_as_a_list():
    app = WSGICapture()
    receiver = hookmock.receiver(app, secret=SECRET)
    first = receiver.send("invoice.paid")
    again = receiver.replay(first)
    assert [r.event.id for r in again] == [first.event.id]
    assert receiver.replay(first.event)[0].event.body == first.event.body
    assert len(receiver.replay([first, first.event])) == 2
    assert [r["body"] for r in app.requests] == [first.event.body] * 5


@pytest.mark.parametrize("bad", ["invoice.paid", 42, [{"id": "evt_1"}]])
def test_replay_of_something_else_names_what_to_pass(bad):
    receiver = hookmock.receiver(WSGICapture(), secret=SECRET)
    with pytest.raises(hookmock.HookmockError, match="takes an Event or a DeliveryResult"):
        receiver.replay(bad)


@pytest.mark.parametrize("headers", [["x"], "X-Extra: 1", {"X-Extra": 1}, {1: "x"}])
def test_send_refuses_headers_that_are_not_a_mapping_of_strings_up_front(headers):
    app = WSGICapture()
    receiver = hookmock.receiver(app, secret=SECRET)
    with pytest.raises(hookmock.ConfigurationError, match="headers= "):
        receiver.send("charge.succeeded", headers=headers)
    assert app.requests == []


@pytest.mark.parametrize("timestamp", ["now", 1.5e9, True, "1700000000"])
def test_send_refuses_a_timestamp_that_is_not_unix_seconds_up_front(timestamp):
    app = WSGICapture()
    receiver = hookmock.receiver(app, secret=SECRET)
    with pytest.raises(hookmock.ConfigurationError, match=r"timestamp= is the signature time"):
        receiver.send("charge.succeeded", timestamp=timestamp)
    assert app.requests == []


def test_the_reproduce_line_shows_the_overrides_and_traits_that_built_the_event():
    receiver = hookmock.receiver(WSGICapture("500 Internal Server Error"), secret=SECRET)
    result = receiver.send(
        "invoice.paid", data__object__amount_paid=4999, data__object__metadata={"order": "42"}
    )
    text = failure_text(result)
    line = next(x for x in text.splitlines() if "reproduce this event:" in x)
    call = line.split("reproduce this event: ", 1)[1]
    assert "same overrides" not in call
    assert "data__object__amount_paid=4999" in call
    assert eval(call, {"hookmock": hookmock}).body == result.event.body

    github = hookmock.receiver(
        WSGICapture("500 Internal Server Error"), provider="github", secret="s"
    )
    merged = failure_text(github.send("pull_request.closed", traits="merged"))
    assert f"seed={github.results[0].event.seed}, traits=['merged'])" in merged


def test_the_reproduce_line_of_an_event_without_overrides_is_just_its_seed():
    receiver = hookmock.receiver(WSGICapture("500 Internal Server Error"), secret=SECRET)
    result = receiver.send("charge.succeeded")
    expected = f"hookmock.event('stripe', 'charge.succeeded', seed={result.event.seed})"
    assert f"reproduce this event: {expected}\n" in failure_text(result)


def test_report_after_assert_all_handled_ignores_the_same_types():
    receiver = hookmock.receiver(
        WSGICapture(), provider="github", secret="s", handled=lambda ev: ev.type == "push"
    )
    receiver.send_many(["ping", "push"])
    with pytest.raises(hookmock.DeliveryError, match="ping: answered 2xx but was not handled"):
        receiver.assert_all_handled()
    assert "FAILED ping" in str(receiver.report())
    receiver.assert_all_handled(ignore=["ping"])
    report = receiver.report()
    assert report.ok
    assert "FAILED" not in str(report)
    assert receiver.report(ignore="ping").ok


def test_the_report_table_marks_an_ignored_unchecked_type_as_ignored():
    receiver = hookmock.receiver(WSGICapture(), provider="github", secret="s")
    receiver.send("ping")
    table = str(receiver.assert_all_handled(ignore=["ping"]))
    assert "| ping | 200    | ignored  |" in table


class _Ticks:
    """A stand-in for the time module: perf_counter() reads a clock the test moves by hand."""

    def __init__(self):
        self.now = 0.0

    def perf_counter(self):
        return self.now


def test_one_off_target_setup_is_not_counted_in_the_first_delivery_time(monkeypatch):
    from hookmock.delivery import _receiver

    ticks = _Ticks()
    monkeypatch.setattr(_receiver, "time", ticks)

    class SlowToStart:
        """A target whose first use costs 50 (fake) ms of setup and each answer 2 ms."""

        description = "fake"
        in_process = False

        def __init__(self):
            self.ready = False

        def prepare(self):
            if not self.ready:
                ticks.now += 0.050
                self.ready = True

        def call(self, method, path, headers, body, timeout):
            from hookmock.delivery._targets import Response

            self.prepare()  # a target that still set up here would count it
            ticks.now += 0.002
            return Response(200, {}, b"")

        def url(self, path):
            return "https://fake" + path

        def close(self):
            pass

    receiver = hookmock.Receiver(SlowToStart(), secret=SECRET)
    assert [receiver.send("charge.succeeded").elapsed for _ in range(2)] == [
        pytest.approx(0.002),
        pytest.approx(0.002),
    ]


def test_url_targets_and_asgi_apps_do_their_setup_in_prepare():
    from hookmock.delivery._asgi import ASGITarget
    from hookmock.delivery._http import HTTPTarget

    app = ASGICapture()
    target = ASGITarget(app)
    target.prepare()
    assert app.lifespan == ["lifespan.startup"]  # started before any request is timed
    target.close()
    http = HTTPTarget("http://127.0.0.1:9/hooks", verify=False)
    http.prepare()
    assert http._free == http._sessions != []  # the session exists before timing
    http.close()


def test_a_timed_out_wsgi_handler_runs_on_and_wait_for_handlers_sees_it_finish():
    release = threading.Event()
    finished = []

    def app(environ, start_response):
        release.wait(10)
        finished.append(True)
        start_response("200 OK", [])
        return [b""]

    receiver = hookmock.receiver(app, secret=SECRET, timeout=0.05)
    result = receiver.send("charge.succeeded")
    assert result.timed_out
    assert "still running in a background thread" in result.explain("expected 2xx")
    assert receiver.wait_for_handlers(0) == 1
    release.set()
    assert receiver.wait_for_handlers(10) == 0
    assert finished == [True]
    receiver.close()


def test_a_timed_out_sync_fastapi_endpoint_is_waited_for_not_abandoned():
    from fastapi import FastAPI

    release = threading.Event()
    finished = []
    app = FastAPI()

    @app.post("/hooks")
    def slow_sync_endpoint():  # FastAPI runs a def endpoint in its thread pool
        release.wait(10)
        finished.append("sync")
        return {}

    with hookmock.receiver(app, path="/hooks", secret=SECRET, timeout=0.05) as receiver:
        result = receiver.send("charge.succeeded")
        assert result.timed_out
        assert "runs on in the app's thread pool" in result.explain("expected 2xx")
        assert receiver.wait_for_handlers(0) == 1  # still running: the next test must wait
        release.set()
        assert receiver.wait_for_handlers(10) == 0
        assert finished == ["sync"]


def test_a_timed_out_async_endpoint_is_cancelled_at_once():
    import asyncio

    from fastapi import FastAPI

    finished = []
    app = FastAPI()

    @app.post("/hooks")
    async def slow_async_endpoint():
        await asyncio.sleep(10)
        finished.append("async")
        return {}

    with hookmock.receiver(app, path="/hooks", secret=SECRET, timeout=0.05) as receiver:
        assert receiver.send("charge.succeeded").timed_out
        assert receiver.wait_for_handlers(5) == 0
    assert finished == []


def test_provider_options_are_receiver_keywords_for_every_event():
    receiver = hookmock.receiver(
        WSGICapture(), provider="github", secret="s", with_installation=True
    )
    assert "installation" in receiver.send("push").event.payload
    stripe = hookmock.receiver(WSGICapture(), secret=SECRET, api_version="2024-06-20")
    assert stripe.send("charge.succeeded").event.payload["api_version"] == "2024-06-20"


def test_an_unknown_receiver_keyword_is_a_configuration_error_with_a_suggestion():
    with pytest.raises(hookmock.ConfigurationError) as info:
        hookmock.receiver(WSGICapture(), provider="github", secret="s", with_instalation=True)
    text = str(info.value)
    assert "unknown keyword 'with_instalation'. Did you mean 'with_installation'?" in text
    assert "path=, provider=, secret=" in text
    assert "GitHub's event options with_installation=, with_enterprise=" in text
    with pytest.raises(hookmock.ConfigurationError, match="Did you mean 'ignore'"):
        hookmock.receiver(WSGICapture(), secret=SECRET, ignroe=["charge.refunded"])
    with pytest.raises(hookmock.ConfigurationError, match=r"go to send\(type, \*\*overrides\)"):
        hookmock.receiver(WSGICapture(), secret=SECRET, data__object__amount=5)
    with pytest.raises(hookmock.ConfigurationError, match="unknown option 'bogus' in options="):
        hookmock.receiver(WSGICapture(), secret=SECRET, options={"bogus": 1})


def test_ignore_on_the_receiver_is_the_default_for_report_and_assert_all_handled():
    receiver = hookmock.receiver(
        WSGICapture(),
        secret=SECRET,
        handled=lambda event: event.type == "payment_intent.succeeded",
        ignore=["charge.refunded"],
    )
    receiver.send_many(["payment_intent.succeeded", "charge.refunded"])
    report = receiver.assert_all_handled()
    assert report.ok
    assert receiver.report().ok
    with pytest.raises(hookmock.UnknownTypeError, match=r"charge\.refundd"):
        hookmock.receiver(WSGICapture(), secret=SECRET, ignore=["charge.refundd"])
