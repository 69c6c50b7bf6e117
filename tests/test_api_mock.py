"""The provider API mock: a receiver's calls back to Stripe and GitHub, answered from deliveries."""

import contextlib
import http.server
import json
import subprocess
import sys
import threading
from pathlib import Path

import flask
import pytest
import requests
import responses
import stripe

import hookmock
from hookmock.apimock import ApiMock, UnmockedRequestError

pytest_plugins = ["pytester"]

SECRET = "whsec_api_mock"


@pytest.fixture(autouse=True)
def stripe_key(monkeypatch):
    monkeypatch.setattr(stripe, "api_key", "sk_test_hookmock")


@pytest.fixture
def api():
    with hookmock.api_mock() as mock:
        yield mock


def stripe_event(type, seed=1, **overrides):
    return hookmock.stripe.event(type, seed=seed, **overrides)


def github_event(type, seed=1, **overrides):
    return hookmock.github.event(type, seed=seed, **overrides)


# -- Stripe ----------------------------------------------------------------------------------------
def test_stripe_python_retrieves_the_delivered_payment_intent(api):
    event = stripe_event("payment_intent.succeeded", data__object__metadata={"order_id": "42"})
    api.feed(event)
    pi = stripe.PaymentIntent.retrieve(event.payload["data"]["object"]["id"])
    assert isinstance(pi, stripe.PaymentIntent)
    assert pi.status == "succeeded"
    assert pi.metadata["order_id"] == "42"
    assert pi.amount == event.payload["data"]["object"]["amount"]


def test_stripe_python_retrieves_the_delivered_event(api):
    event = stripe_event("charge.refunded")
    api.feed(event)
    got = stripe.Event.retrieve(event.id)
    assert got.type == "charge.refunded"
    assert got.data.object.id == event.payload["data"]["object"]["id"]


def test_the_api_answers_with_the_latest_delivered_state(api):
    first = stripe_event("payment_intent.processing", data__object__id="pi_Same")
    then = stripe_event("payment_intent.succeeded", seed=2, data__object__id="pi_Same")
    api.feed(first)
    api.feed(then)
    assert stripe.PaymentIntent.retrieve("pi_Same").status == "succeeded"
    assert stripe.Event.retrieve(first.id).data.object.status == "processing"


def test_a_put_object_states_the_truth_that_later_deliveries_do_not_change(api):
    event = stripe_event("payment_intent.succeeded")
    pi = event.payload["data"]["object"]
    api.stripe.put({**pi, "status": "canceled"})
    api.feed(event)
    assert stripe.PaymentIntent.retrieve(pi["id"]).status == "canceled"
    api.stripe.put({**pi, "status": "processing"}, pin=False)
    api.feed(event)
    assert stripe.PaymentIntent.retrieve(pi["id"]).status == "succeeded"


def test_put_refuses_something_that_is_not_a_stripe_object(api):
    with pytest.raises(hookmock.ConfigurationError, match="with a string 'id' and 'object'"):
        api.stripe.put({"status": "succeeded"})


def test_an_unknown_id_raises_stripes_own_invalid_request_error(api):
    with pytest.raises(stripe.InvalidRequestError) as info:
        stripe.PaymentIntent.retrieve("pi_123")
    assert info.value.http_status == 404
    assert info.value.code == "resource_missing"
    assert info.value.user_message == "No such payment_intent: 'pi_123'"
    body = api.calls[-1].json["error"]
    assert body["param"] == "id"
    assert body["type"] == "invalid_request_error"
    assert body["doc_url"] == "https://stripe.com/docs/error-codes/resource-missing"


def test_an_object_is_not_found_under_another_resource(api):
    event = stripe_event("payment_intent.succeeded")
    api.feed(event)
    with pytest.raises(stripe.InvalidRequestError, match="No such charge"):
        stripe.Charge.retrieve(event.payload["data"]["object"]["id"])


def test_a_live_mode_key_does_not_see_test_mode_objects(api, monkeypatch):
    event = stripe_event("payment_intent.succeeded")
    api.feed(event)
    monkeypatch.setattr(stripe, "api_key", "sk_live_hookmock")
    with pytest.raises(stripe.InvalidRequestError, match="exists in test mode"):
        stripe.PaymentIntent.retrieve(event.payload["data"]["object"]["id"])


def test_a_request_without_an_api_key_gets_stripes_401(api):
    answer = requests.get("https://api.stripe.com/v1/events/evt_1", timeout=5)
    assert answer.status_code == 401
    assert "You did not provide an API key" in answer.json()["error"]["message"]


def test_a_stripe_post_is_recorded_and_refused_with_a_hint(api):
    with pytest.raises(stripe.InvalidRequestError) as info:
        stripe.Refund.create(payment_intent="pi_1", metadata={"reason": "test"})
    assert info.value.http_status == 400
    assert "api.add('POST', '/v1/refunds'" in str(info.value.user_message)
    [call] = api.find("POST", "/v1/refunds")
    assert call.provider == "stripe"
    assert call.params == {"payment_intent": "pi_1", "metadata": {"reason": "test"}}
    assert call.status == 400


def test_stripes_other_hosts_answer_like_stripe_rather_than_fail_like_a_network(api):
    with pytest.raises(stripe.InvalidRequestError) as info:
        stripe.File.create(purpose="dispute_evidence", file=("a.txt", b"evidence", "text/plain"))
    assert "api.add('POST', 'https://files.stripe.com/v1/files'" in str(info.value.user_message)


def test_a_registered_reply_on_another_host_answers(api):
    api.add("GET", "https://internal.example/orders/42", json={"status": "open"})
    assert requests.get("https://internal.example/orders/42", timeout=5).json() == {
        "status": "open"
    }
    assert api.calls[-1].provider is None


def test_a_registered_reply_answers_a_post(api):
    api.add("POST", "/v1/refunds", json={"id": "re_1", "object": "refund", "status": "succeeded"})
    refund = stripe.Refund.create(payment_intent="pi_1")
    assert isinstance(refund, stripe.Refund)
    assert refund.status == "succeeded"
    assert api.find("POST", "/v1/refunds")[0].params == {"payment_intent": "pi_1"}


def test_expand_replaces_ids_with_objects_the_api_has_seen(api):
    event = stripe_event("payment_intent.succeeded")
    pi = event.payload["data"]["object"]
    api.feed(event)
    api.stripe.put({"id": pi["latest_charge"], "object": "charge", "amount": pi["amount"]})
    got = stripe.PaymentIntent.retrieve(pi["id"], expand=["latest_charge"])
    assert got.latest_charge.amount == pi["amount"]


def test_expanding_an_object_the_api_never_saw_fails_loudly(api):
    event = stripe_event("payment_intent.succeeded")
    api.feed(event)
    with pytest.raises(stripe.InvalidRequestError, match=r"cannot expand customer: .* 'cus_"):
        stripe.PaymentIntent.retrieve(event.payload["data"]["object"]["id"], expand=["customer"])


def test_a_payment_intents_latest_charge_is_derived_from_the_intent_when_never_delivered(api):
    event = stripe_event("payment_intent.succeeded", seed=4)
    pi = event.payload["data"]["object"]
    api.feed(event)
    charge = stripe.PaymentIntent.retrieve(pi["id"], expand=["latest_charge"]).latest_charge
    assert charge.id == pi["latest_charge"]
    assert charge.status == "succeeded"
    assert charge.paid
    assert charge.captured
    assert (charge.amount, charge.amount_captured) == (pi["amount"], pi["amount"])
    assert (charge.currency, charge.customer, charge.created) == (
        pi["currency"],
        pi["customer"],
        pi["created"],
    )
    assert (charge.payment_intent, charge.payment_method) == (pi["id"], pi["payment_method"])
    # Served like any other object from then on, and the same for the same intent every time.
    assert stripe.Charge.retrieve(charge.id).to_dict() == charge.to_dict()
    with hookmock.api_mock([event]):
        again = stripe.Charge.retrieve(charge.id)
    assert again.to_dict() == charge.to_dict()
    envelope = stripe_event("charge.succeeded")
    envelope.payload["data"]["object"] = api.stripe.get(charge.id)
    hookmock.validate(envelope.payload, provider="stripe", type="charge.succeeded")


def test_a_failed_payment_intents_latest_charge_is_the_failed_attempt(api):
    event = stripe_event("payment_intent.payment_failed", seed=4)
    pi = event.payload["data"]["object"]
    api.feed(event)
    charge = stripe.Charge.retrieve(pi["latest_charge"])
    assert charge.status == "failed"
    assert not charge.paid
    assert charge.amount == pi["amount"]
    assert charge.failure_code == pi["last_payment_error"]["code"]
    assert charge.payment_method == pi["last_payment_error"]["payment_method"]["id"]


def test_a_delivered_charge_replaces_the_derived_one(api):
    event = stripe_event("payment_intent.succeeded", seed=4)
    pi = event.payload["data"]["object"]
    api.feed(event)
    stripe.PaymentIntent.retrieve(pi["id"], expand=["latest_charge"])
    api.feed(
        stripe_event(
            "charge.succeeded",
            data__object__id=pi["latest_charge"],
            data__object__metadata={"from": "event"},
        )
    )
    assert stripe.Charge.retrieve(pi["latest_charge"]).metadata["from"] == "event"


def test_a_charge_no_intent_names_is_still_missing(api):
    api.feed(stripe_event("payment_intent.succeeded", seed=4))
    with pytest.raises(stripe.InvalidRequestError, match="No such charge: 'ch_nobody'"):
        stripe.Charge.retrieve("ch_nobody")


def test_a_checkout_session_expands_its_line_items(api):
    event = stripe_event("checkout.session.completed")
    session = event.payload["data"]["object"]
    api.feed(event)
    got = stripe.checkout.Session.retrieve(session["id"], expand=["line_items"])
    [item] = got.line_items.data
    assert item.amount_total == session["amount_total"]
    assert item.price.currency == session["currency"]
    listed = stripe.checkout.Session.list_line_items(session["id"])
    assert [i.id for i in listed.data] == [item.id]


def test_a_deleted_customer_reads_as_deleted(api):
    event = stripe_event("customer.deleted")
    api.feed(event)
    got = stripe.Customer.retrieve(event.payload["data"]["object"]["id"])
    assert got.deleted is True


def test_lists_filter_on_fields_newest_first(api):
    one = stripe_event("payment_intent.succeeded", data__object__customer="cus_A")
    two = stripe_event("payment_intent.created", seed=2, data__object__customer="cus_A")
    other = stripe_event("payment_intent.created", seed=3, data__object__customer="cus_B")
    for event in (one, two, other):
        api.feed(event)
    listed = stripe.PaymentIntent.list(customer="cus_A")
    assert [p.id for p in listed.data] == [
        two.payload["data"]["object"]["id"],
        one.payload["data"]["object"]["id"],
    ]
    events = stripe.Event.list(type="payment_intent.succeeded")
    assert [e.id for e in events.data] == [one.id]


# -- GitHub ----------------------------------------------------------------------------------------
def test_a_delivered_pull_request_is_served_and_unknown_ones_get_githubs_404(api):
    event = github_event("pull_request.opened")
    api.feed(event)
    pr = event.payload["pull_request"]
    got = requests.get(pr["url"], timeout=5)
    assert got.status_code == 200
    assert got.json()["head"]["sha"] == pr["head"]["sha"]
    missing = requests.get(pr["url"].rsplit("/", 1)[0] + "/99999999", timeout=5)
    assert missing.status_code == 404
    assert missing.json() == {
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest/pulls/pulls#get-a-pull-request",
        "status": "404",
    }


def test_a_pull_request_reads_as_an_issue_too(api):
    event = github_event("pull_request.opened")
    api.feed(event)
    got = requests.get(event.payload["pull_request"]["issue_url"], timeout=5).json()
    assert got["number"] == event.payload["number"]
    assert got["pull_request"]["url"] == event.payload["pull_request"]["url"]


def test_a_review_event_does_not_erase_what_the_full_pull_request_said(api):
    opened = hookmock.github.event("pull_request.opened", seed=4)
    number = opened.payload["number"]
    repo = opened.payload["repository"]
    review = hookmock.github.event(
        "pull_request_review.submitted",
        seed=5,
        pull_request__number=number,
        overrides={
            "repository": {"owner": {"login": repo["owner"]["login"]}, "name": repo["name"]}
        },
    )
    assert "merged" not in review.payload["pull_request"]  # review events carry a slim copy
    api.feed(opened)
    api.feed(review)
    got = requests.get(opened.payload["pull_request"]["url"], timeout=5).json()
    assert got["merged"] is False
    assert got["number"] == number


def test_repository_dates_come_back_as_iso_even_from_a_push(api):
    event = github_event("push")
    api.feed(event)
    repo = requests.get(event.payload["repository"]["url"], timeout=5).json()
    assert repo["full_name"] == event.payload["repository"]["full_name"]
    assert isinstance(repo["created_at"], str)
    assert repo["created_at"].endswith("Z")


def test_a_pushed_commit_is_served_in_the_rest_shape(api):
    event = github_event("push")
    api.feed(event)
    sha = event.payload["head_commit"]["id"]
    repo = event.payload["repository"]["full_name"]
    got = requests.get(f"https://api.github.com/repos/{repo}/commits/{sha}", timeout=5).json()
    assert got["sha"] == sha
    assert got["commit"]["message"] == event.payload["head_commit"]["message"]


def test_a_comment_the_receiver_posts_is_recorded_and_listed(api):
    event = github_event("pull_request.opened")
    api.feed(event)
    repo = event.payload["repository"]["full_name"]
    number = event.payload["number"]
    url = f"https://api.github.com/repos/{repo}/issues/{number}/comments"
    posted = requests.post(url, json={"body": "Thanks!"}, timeout=5)
    assert posted.status_code == 201
    assert posted.json()["body"] == "Thanks!"
    assert posted.json()["user"]["type"] == "Bot"
    [call] = api.find("POST", f"/repos/{repo}/issues/{number}/comments")
    assert call.params == {"body": "Thanks!"}
    assert call.provider == "github"
    assert [c["body"] for c in requests.get(url, timeout=5).json()] == ["Thanks!"]


def test_a_comment_without_a_body_gets_githubs_422(api):
    got = requests.post("https://api.github.com/repos/o/r/issues/1/comments", json={}, timeout=5)
    assert got.status_code == 422
    assert '"body" wasn\'t supplied' in got.json()["message"]


def test_statuses_and_check_runs_are_created_and_updated(api):
    status = requests.post(
        "https://api.github.com/repos/o/r/statuses/" + "a" * 40,
        json={"state": "success", "context": "ci"},
        timeout=5,
    )
    assert status.status_code == 201
    assert status.json()["state"] == "success"
    run = requests.post(
        "https://api.github.com/repos/o/r/check-runs",
        json={"name": "lint", "head_sha": "b" * 40},
        timeout=5,
    ).json()
    assert run["status"] == "queued"
    done = requests.patch(run["url"], json={"conclusion": "success"}, timeout=5).json()
    assert (done["status"], done["conclusion"]) == ("completed", "success")


def test_an_unmodelled_github_route_says_how_to_register_it(api):
    got = requests.put("https://api.github.com/repos/o/r/pulls/1/merge", json={}, timeout=5)
    assert got.status_code == 404
    assert (
        "api.add('PUT', 'https://api.github.com/repos/o/r/pulls/1/merge'" in got.json()["message"]
    )


def test_githubkit_gets_the_same_answers_through_an_httpx_transport(api):
    from githubkit import GitHub

    event = github_event("pull_request.opened")
    api.feed(event)
    owner, name = event.payload["repository"]["full_name"].split("/")
    gh = GitHub("ghp_hookmock", transport=api.httpx_transport())
    pr = gh.rest.pulls.get(owner, name, event.payload["number"]).parsed_data
    assert pr.number == event.payload["number"]
    gh.rest.issues.create_comment(owner, name, pr.number, body="Built!")
    assert [c.params["body"] for c in api.find("POST", "*/comments")] == ["Built!"]


def test_githubkits_async_client_gets_the_answers_through_async_transport(api):
    import asyncio

    from githubkit import GitHub

    event = github_event("pull_request.opened")
    api.feed(event)
    owner, name = event.payload["repository"]["full_name"].split("/")
    number = event.payload["number"]

    async def handle():
        gh = GitHub(
            "ghp_hookmock",
            transport=api.httpx_transport(),
            async_transport=api.httpx_transport(),
        )
        pr = (await gh.rest.pulls.async_get(owner, name, number)).parsed_data
        await gh.rest.issues.async_create_comment(owner, name, pr.number, body="Async!")
        return pr

    pr = asyncio.run(handle())
    assert pr.number == number
    assert [c["body"] for c in api.github.posted_comments()] == ["Async!"]


def test_all_comments_lists_every_thread_in_order_and_posted_comments_the_apps_own(api):
    first = github_event("issue_comment.created", seed=1)
    second = github_event("issue_comment.created", seed=2)
    api.feed(first)
    repo = second.payload["repository"]["full_name"]
    number = second.payload["issue"]["number"]
    url = f"https://api.github.com/repos/{repo}/issues/{number}/comments"
    requests.post(url, json={"body": "Thanks!"}, timeout=5).raise_for_status()
    api.feed(second)
    edited = github_event(
        "issue_comment.edited",
        seed=3,
        overrides={"repository": first.payload["repository"], "issue": first.payload["issue"]},
        comment__id=first.payload["comment"]["id"],
        comment__body="edited text",
    )
    api.feed(edited)
    bodies = [c["body"] for c in api.github.all_comments()]
    assert bodies == ["edited text", "Thanks!", second.payload["comment"]["body"]]
    assert [c["body"] for c in api.github.posted_comments()] == ["Thanks!"]
    api.github.all_comments()[0]["body"] = "changed by the caller"
    assert api.github.all_comments()[0]["body"] == "edited text"  # a copy, not the state


# -- other hosts and the mock's lifetime -------------------------------------------------------------
def test_other_hosts_are_refused_with_a_clear_connection_error(api):
    with pytest.raises(requests.ConnectionError) as info:
        requests.get("https://example.com/status", timeout=5)
    assert isinstance(info.value, UnmockedRequestError)
    assert isinstance(info.value, hookmock.HookmockError)
    message = str(info.value)
    assert "GET https://example.com/status" in message
    assert "api.add('GET', 'https://example.com/status'" in message
    assert api.calls[-1].status is None


def test_loopback_requests_pass_through(api):
    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"local")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        got = requests.get(f"http://127.0.0.1:{server.server_address[1]}/", timeout=5)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert got.text == "local"
    assert api.calls == []


def test_the_mock_is_inactive_after_the_block():
    with responses.RequestsMock() as outer:
        outer.add("GET", "https://api.github.com/repos/o/r", json={"answered_by": "outer"})
        with hookmock.api_mock():
            inside = requests.get("https://api.github.com/repos/o/r", timeout=5)
        after = requests.get("https://api.github.com/repos/o/r", timeout=5)
    assert inside.status_code == 404
    assert after.json() == {"answered_by": "outer"}


def test_the_httpx_transport_answers_only_while_the_mock_is_active_as_requests_does():
    import httpx

    api = ApiMock()
    client = httpx.Client(transport=api.httpx_transport())
    with pytest.raises(httpx.ConnectError, match="API mock is not active") as info:
        client.get("https://api.github.com/repos/o/r")
    assert "with api:" in str(info.value)
    assert "mock_api=True" in str(info.value)
    with api:
        assert client.get("https://api.github.com/repos/o/r").status_code == 404  # answered
    with pytest.raises(httpx.ConnectError):
        client.get("https://api.github.com/repos/o/r")
    assert len(api.calls) == 1


github_answers: list[int] = []


def githubkit_app(environ, start_response):
    """A receiver re-fetching its pull request with githubkit through the mock's transport."""
    from githubkit import GitHub

    payload = json.loads(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])))
    owner, name = payload["repository"]["full_name"].split("/")
    gh = GitHub("ghp_hookmock", transport=environ["test.transport"])
    github_answers.append(gh.rest.pulls.get(owner, name, payload["number"]).parsed_data.number)
    start_response("200 OK", [])
    return [b""]


def test_a_receivers_own_mock_answers_its_transport_during_deliveries_only():
    import httpx

    receiver = hookmock.receiver(
        lambda environ, start: githubkit_app({**environ, "test.transport": transport}, start),
        provider="github",
        secret="gh",
        mock_api=True,
    )
    transport = receiver.api.httpx_transport()
    github_answers.clear()
    result = receiver.send("pull_request.opened")
    result.assert_ok()
    assert github_answers == [result.event.payload["number"]]
    full = result.event.payload["repository"]["full_name"]
    with pytest.raises(httpx.ConnectError, match="not active"):
        httpx.Client(transport=transport).get(f"https://api.github.com/repos/{full}")
    with receiver.api:  # the test's own calls, in the same window as requests'
        got = httpx.Client(transport=transport).get(f"https://api.github.com/repos/{full}")
    assert got.json()["full_name"] == full


def test_nested_starts_need_as_many_stops():
    api = ApiMock()
    with api:
        with api:
            assert api.active
        assert api.active
    assert not api.active


def test_importing_the_api_mock_module_loads_neither_requests_nor_responses():
    code = (
        "import sys, hookmock, hookmock.apimock;"
        " print([m for m in ('requests', 'responses') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- through a receiver ------------------------------------------------------------------------------
refetch_app = flask.Flask("refetch")
fulfilled: dict[str, str] = {}


@refetch_app.post("/hooks")
def refetch_hook():
    try:
        event = stripe.Webhook.construct_event(
            flask.request.get_data(), flask.request.headers.get("Stripe-Signature", ""), SECRET
        )
    except (ValueError, stripe.SignatureVerificationError):
        return "bad signature", 400
    if event.type == "payment_intent.succeeded":
        pi = stripe.PaymentIntent.retrieve(event.data.object.id)  # the re-fetch under test
        fulfilled[pi.id] = pi.status
    return "", 200


def test_a_receiver_with_mock_api_answers_the_apps_refetch():
    receiver = hookmock.receiver(refetch_app, path="/hooks", secret=SECRET, seed=5, mock_api=True)
    result = receiver.send("payment_intent.succeeded")
    result.assert_ok()
    pi_id = result.event.payload["data"]["object"]["id"]
    assert fulfilled[pi_id] == "succeeded"
    assert [c.path for c in receiver.api.calls] == [f"/v1/payment_intents/{pi_id}"]
    assert not receiver.api.active


def test_a_receiver_feeds_any_active_mock():
    receiver = hookmock.receiver(refetch_app, path="/hooks", secret=SECRET, seed=6)
    with hookmock.api_mock() as api:
        result = receiver.send("payment_intent.succeeded")
    result.assert_ok()
    assert api.calls[0].status == 200


def test_receivers_can_share_one_mock():
    shared = ApiMock()
    first = hookmock.receiver(refetch_app, path="/hooks", secret=SECRET, seed=7, mock_api=shared)
    second = hookmock.receiver(refetch_app, path="/hooks", secret=SECRET, seed=8, mock_api=shared)
    first.send("payment_intent.succeeded").assert_ok()
    second.send("payment_intent.succeeded").assert_ok()
    assert first.api is second.api is shared
    assert len(shared.calls) == 2


def test_concurrent_deliveries_share_the_mock_and_leave_it_stopped():
    receiver = hookmock.receiver(refetch_app, path="/hooks", secret=SECRET, seed=9, mock_api=True)
    events = [receiver.event("payment_intent.succeeded") for _ in range(8)]
    results = receiver.send_many(events, concurrency=4)
    for result in results:
        result.assert_ok()
    assert sorted(c.path.rsplit("/", 1)[1] for c in receiver.api.calls) == sorted(
        e.payload["data"]["object"]["id"] for e in events
    )
    assert not receiver.api.active
    assert requests.adapters.HTTPAdapter.send.__qualname__ == "HTTPAdapter.send"


def test_mock_api_refuses_anything_but_a_flag_or_a_mock():
    with pytest.raises(hookmock.ConfigurationError, match="mock_api takes True, False or"):
        hookmock.receiver(refetch_app, path="/hooks", mock_api="yes", secret=SECRET)


def test_the_fixture_gives_each_test_a_mock_shared_with_its_receivers(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(Path(hookmock.__file__).resolve().parent.parent))
    pytester.makepyfile(
        test_fixture_api="""
import requests
import stripe

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b""]

def test_one(hookmock):
    stripe.api_key = "sk_test_x"
    api = hookmock.api_mock()
    receiver = hookmock.receiver(app, path="/h", mock_api=True, secret="whsec_x")
    assert receiver.api is api
    event = receiver.send("customer.created").event
    assert stripe.Customer.retrieve(event.payload["data"]["object"]["id"]).id
    assert len(api.calls) == 1

def test_two_sees_no_mock():
    assert requests.adapters.HTTPAdapter.send.__qualname__ == "HTTPAdapter.send"
"""
    )
    result = pytester.runpytest_subprocess("-p", "hookmock.plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


@refetch_app.post("/expanding")
def expanding_hook():
    event = stripe.Webhook.construct_event(
        flask.request.get_data(), flask.request.headers.get("Stripe-Signature", ""), SECRET
    )
    pi = stripe.PaymentIntent.retrieve(event.data.object.id, expand=["customer"])
    return pi.id, 200


def test_a_failed_delivery_lists_the_api_calls_the_app_made_and_why_they_failed():
    receiver = hookmock.receiver(refetch_app, path="/expanding", secret=SECRET, mock_api=True)
    result = receiver.send("payment_intent.succeeded")
    assert result.status == 500
    pi_id = result.event.payload["data"]["object"]["id"]
    with pytest.raises(hookmock.DeliveryError) as caught:
        result.assert_ok()
    text = str(caught.value)
    assert "API calls while handling it (1):" in text
    assert (
        f"GET /v1/payment_intents/{pi_id}?expand[0]=customer -> 400: hookmock cannot expand"
        " customer: it has not seen 'cus_"
    ) in text
    assert [c.status for c in result.api_calls] == [400]


def test_a_refused_api_call_is_listed_too():
    with hookmock.api_mock() as api:
        receiver = hookmock.receiver(WSGIRefusing(), secret=SECRET)
        result = receiver.send("charge.succeeded")
    assert api.calls
    assert result.api_calls == api.calls
    assert "GET example.invalid/orders -> refused (the mock answers no example.invalid" in (
        result.explain("expected 2xx")
    )


class WSGIRefusing:
    """An app that calls a host no mock answers, then fails."""

    def __call__(self, environ, start_response):
        with contextlib.suppress(requests.ConnectionError):
            requests.get("https://example.invalid/orders", timeout=1)
        start_response("500 Internal Server Error", [])
        return [b"oops"]
