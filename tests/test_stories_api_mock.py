"""The API mock follows a story: state as of the event being handled, dropped events listed."""

import flask
import pytest
import requests
import stripe
from githubkit import GitHub

import hookmock
from hookmock import Event

SECRET = "whsec_story_api"
T0 = 1_700_000_000
SUB = "sub_story1"
CUS = "cus_story1"


@pytest.fixture(autouse=True)
def stripe_key(monkeypatch):
    monkeypatch.setattr(stripe, "api_key", "sk_test_hookmock")


def subscription_story():
    """A sign-up that later lapses: the subscription's status changes along the story."""
    steps = [
        ("customer.subscription.created", "incomplete"),
        ("customer.subscription.updated", "active"),
        ("invoice.paid", None),
        ("customer.subscription.updated", "past_due"),
        ("customer.subscription.deleted", "canceled"),
    ]
    events = []
    for n, (type, status) in enumerate(steps):
        fields = {"data__object__customer": CUS}
        if status is not None:
            fields.update(data__object__id=SUB, data__object__status=status)
        # created in story order, an hour apart: the story's own clock
        events.append(hookmock.stripe.event(type, seed=n, created=T0 + 3600 * n, **fields))
    return events


def told(api, events, dropped=()):
    for n, event in enumerate(events):
        api.feed(event, delivered=n not in dropped)


seen: list[tuple[str, str]] = []
stripe_app = flask.Flask("stripe_story_receiver")


@stripe_app.post("/hooks")
def stripe_hook():
    event = stripe.Webhook.construct_event(
        flask.request.get_data(), flask.request.headers["Stripe-Signature"], SECRET
    )
    try:
        status = stripe.Subscription.retrieve(SUB).status
    except stripe.InvalidRequestError:
        status = "missing"
    seen.append((event.type, status))
    return "", 200


listed: list[list[str]] = []


@stripe_app.post("/probe")
def probe_hook():
    listed.append([e.id for e in stripe.Event.list(limit=100).data])
    return "", 200


@pytest.fixture
def stripe_receiver():
    seen.clear()
    listed.clear()
    api = hookmock.api_mock()
    receiver = hookmock.receiver(stripe_app, path="/hooks", secret=SECRET, mock_api=api)
    return receiver, api


def test_a_fetch_while_handling_an_event_sees_the_object_as_of_that_event(stripe_receiver):
    receiver, api = stripe_receiver
    events = subscription_story()
    told(api, events)
    for event in reversed(events):  # delivered newest first, as a bad day might
        receiver.send(event).assert_ok()
    assert seen == [
        ("customer.subscription.deleted", "canceled"),
        ("customer.subscription.updated", "past_due"),
        ("invoice.paid", "active"),  # not the canceled state that came later
        ("customer.subscription.updated", "active"),
        ("customer.subscription.created", "incomplete"),
    ]
    # Outside any delivery: the latest state.
    with api:
        assert stripe.Subscription.retrieve(SUB).status == "canceled"


def test_the_story_position_comes_from_created_not_from_the_order_fed(stripe_receiver):
    receiver, api = stripe_receiver
    events = subscription_story()
    for event in reversed(events):
        api.feed(event, delivered=True)
    receiver.send(events[2]).assert_ok()
    assert seen == [("invoice.paid", "active")]
    with api:
        assert stripe.Subscription.retrieve(SUB).status == "canceled"


def test_an_object_no_event_carried_yet_is_missing_at_that_point(stripe_receiver):
    receiver, api = stripe_receiver
    first = hookmock.stripe.event("customer.created", seed=9, created=T0 - 60, data__object__id=CUS)
    api.feed(first, delivered=True)
    told(api, subscription_story())
    receiver.send(first).assert_ok()
    assert seen == [("customer.created", "missing")]


def test_a_plain_send_keeps_the_latest_state(stripe_receiver):
    receiver, api = stripe_receiver
    events = subscription_story()
    for event in events:
        api.feed(event)  # no delivered=: not a story timeline, the latest state answers
    receiver.send(events[2]).assert_ok()
    assert seen == [("invoice.paid", "canceled")]


def test_an_event_from_later_in_the_story_is_not_there_yet(stripe_receiver):
    _, api = stripe_receiver
    events = subscription_story()
    told(api, events)
    probing = hookmock.receiver(stripe_app, path="/probe", secret=SECRET, mock_api=api)
    probing.send(events[1]).assert_ok()
    assert listed == [[events[1].id, events[0].id]]


# -- Stripe GET /v1/events -------------------------------------------------------------------------
def test_stripe_clients_list_and_auto_paginate_events_newest_first():
    api = hookmock.api_mock()
    events = subscription_story()
    told(api, events)
    with api:
        client = stripe.StripeClient("sk_test_hookmock")
        page = client.v1.events.list({"limit": 2})
        assert [e.id for e in page.data] == [events[4].id, events[3].id]
        assert page.has_more is True
        assert page.url == "/v1/events"
        every = [e.id for e in client.v1.events.list({"limit": 2}).auto_paging_iter()]
        assert every == [e.id for e in reversed(events)]
        back = client.v1.events.list({"limit": 2, "ending_before": events[1].id})
        assert [e.id for e in back.data] == [events[3].id, events[2].id]
        assert back.has_more is True
        got = client.v1.events.retrieve(events[2].id)
        assert got.type == "invoice.paid"


def test_events_filter_on_type_types_and_created():
    api = hookmock.api_mock()
    events = subscription_story()
    told(api, events)
    with api:
        client = stripe.StripeClient("sk_test_hookmock")

        def ids(**params):
            return [e.id for e in client.v1.events.list(params).data]

        assert ids(type="invoice.paid") == [events[2].id]
        assert ids(type="customer.subscription.*") == [
            e.id for e in reversed(events) if "sub" in e.type
        ]
        assert ids(types=["invoice.paid", "customer.subscription.deleted"]) == [
            events[4].id,
            events[2].id,
        ]
        assert ids(created={"gte": T0 + 3600}) == [e.id for e in reversed(events[1:])]
        assert ids(created={"gt": T0 + 3600, "lt": T0 + 3600 * 4}) == [events[3].id, events[2].id]
        assert ids(created={"lte": T0}) == [events[0].id]
        assert ids(created=T0 + 7200) == [events[2].id]


def test_dropped_events_are_listed_as_not_delivered():
    api = hookmock.api_mock()
    events = subscription_story()
    told(api, events, dropped={1, 3})
    with api:
        client = stripe.StripeClient("sk_test_hookmock")
        failed = client.v1.events.list({"delivery_success": False}).data
        assert [e.id for e in failed] == [events[3].id, events[1].id]
        assert all(e.pending_webhooks >= 1 for e in failed)
        ok = client.v1.events.list({"delivery_success": True}).data
        assert [e.id for e in ok] == [events[4].id, events[2].id, events[0].id]
    # Delivered after all (a retry, a redelivery): no longer listed as failed.
    api.feed(events[1])
    with api:
        left = stripe.Event.list(delivery_success=False).data
        assert [e.id for e in left] == [events[3].id]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"created[since]": "1"}, "Received unknown parameter: created[since]"),
        ({"created[gte]": "soon"}, "Invalid integer: soon"),
        ({"delivery_success": "maybe"}, "Invalid boolean: maybe"),
        ({"starting_after": "evt_1", "ending_before": "evt_2"}, "only specify one of"),
    ],
)
def test_bad_list_parameters_get_stripes_400(params, message):
    with hookmock.api_mock():
        reply = requests.get(
            "https://api.stripe.com/v1/events",
            params=params,
            headers={"Authorization": "Bearer sk_test_hookmock"},
        )
    assert reply.status_code == 400
    assert message in reply.json()["error"]["message"]


def test_delivery_success_is_an_events_filter_only():
    with hookmock.api_mock():
        reply = requests.get(
            "https://api.stripe.com/v1/charges?delivery_success=true",
            headers={"Authorization": "Bearer sk_test_hookmock"},
        )
    assert reply.status_code == 400


# -- reconciliation: deliver with drops, backfill, nothing missing -----------------------------------
stored: dict[str, str] = {}
backfill_app = flask.Flask("backfill_receiver")


def handle(event):
    stored[event.id] = event.type


@backfill_app.post("/hooks")
def backfill_hook():
    handle(
        stripe.Webhook.construct_event(
            flask.request.get_data(), flask.request.headers["Stripe-Signature"], SECRET
        )
    )
    return "", 200


def backfill():
    """The receiver's polling fallback: process every event the webhook did not bring."""
    for event in stripe.Event.list(delivery_success=False, limit=2).auto_paging_iter():
        if event.id not in stored:
            handle(event)


def test_a_backfill_job_recovers_the_dropped_events():
    stored.clear()
    api = hookmock.api_mock()
    receiver = hookmock.receiver(backfill_app, path="/hooks", secret=SECRET, mock_api=api)
    events = subscription_story()
    dropped = {0, 2, 3}
    told(api, events, dropped=dropped)
    for n, event in enumerate(events):
        if n not in dropped:
            receiver.send(event).assert_ok()
    assert len(stored) == 2
    with api:
        backfill()
    assert stored == {e.id: e.type for e in events}


# -- GitHub ----------------------------------------------------------------------------------------
HOOK = 424242


def github_story(*types, **fields):
    """GitHub events on one repository and hook, a minute apart (their clock is the meta's)."""
    out = []
    for n, type in enumerate(types):
        built = hookmock.github.event(
            type,
            seed=n,
            hook_id=HOOK,
            repository__full_name="octo/app",
            repository__name="app",
            repository__owner__login="octo",
            repository__id=5150,
            **fields,
        )
        when = T0 + 60 * n
        out.append(
            Event(
                provider="github",
                type=built.type,
                id=built.id,
                payload=built.payload,
                body=built.body,
                seed=built.seed,
                created=when,
                meta={**built.meta, "created": when},
            )
        )
    return out


def issue_story():
    return github_story(
        "issues.opened",
        "issues.labeled",
        "issues.assigned",
        "issue_comment.created",
        "issues.closed",
        issue__number=7,
    )


def test_githubkit_pages_the_hook_deliveries_by_cursor_and_sees_the_dropped_ones():
    api = hookmock.api_mock()
    events = issue_story()
    told(api, events, dropped={2})
    with api:
        gh = GitHub("ghp_hookmock", transport=api.httpx_transport())
        first = gh.rest.repos.list_webhook_deliveries("octo", "app", HOOK, per_page=2)
        assert 'rel="next"' in first.headers["link"]
        every = list(
            gh.rest.paginate(
                gh.rest.repos.list_webhook_deliveries,
                owner="octo",
                repo="app",
                hook_id=HOOK,
                per_page=2,
            )
        )
    assert [d.guid for d in every] == [e.id for e in reversed(events)]
    assert [(d.event, d.action) for d in every][:2] == [
        ("issues", "closed"),
        ("issue_comment", "created"),
    ]
    failed = [d for d in every if d.status != "OK"]
    assert [(d.guid, d.status_code, d.redelivery) for d in failed] == [(events[2].id, 502, False)]
    assert every[0].repository_id == events[0].payload["repository"]["id"]


def test_requests_filters_deliveries_on_status_and_fetches_one_with_its_request():
    api = hookmock.api_mock()
    events = issue_story()
    told(api, events, dropped={1, 3})
    base = f"https://api.github.com/repos/octo/app/hooks/{HOOK}/deliveries"
    with api:
        failed = requests.get(base, params={"status": "failure"}).json()
        one = requests.get(f"{base}/{failed[0]['id']}").json()
        bad = requests.get(base, params={"status": "broken"})
        wrong_hook = requests.get("https://api.github.com/repos/octo/app/hooks/1/deliveries")
    assert [d["guid"] for d in failed] == [events[3].id, events[1].id]
    assert one["request"]["headers"]["X-GitHub-Delivery"] == events[3].id
    assert one["request"]["payload"]["action"] == "created"
    assert bad.status_code == 422
    assert wrong_hook.status_code == 404
    assert str(HOOK) in wrong_hook.json()["message"]


def test_a_redelivery_request_is_recorded_and_logged_as_a_redelivery_once_sent():
    api = hookmock.api_mock()
    events = issue_story()
    told(api, events, dropped={2})

    def app(environ, start_response):
        start_response("200 OK", [])
        return [b""]

    receiver = hookmock.receiver(
        app,
        provider="github",
        secret=SECRET,
        mock_api=api,
    )
    with api:
        gh = GitHub("ghp_hookmock", transport=api.httpx_transport())
        failed = [
            d
            for d in gh.rest.repos.list_webhook_deliveries("octo", "app", HOOK).parsed_data
            if d.status != "OK"
        ]
        answer = gh.rest.repos.redeliver_webhook_delivery("octo", "app", HOOK, failed[0].id)
    assert answer.status_code == 202
    assert [e.id for e in api.github.redeliveries] == [events[2].id]
    receiver.send_many(api.github.redeliveries)[0].assert_ok()
    with api:
        log = requests.get(f"https://api.github.com/repos/octo/app/hooks/{HOOK}/deliveries").json()
    assert (log[0]["guid"], log[0]["redelivery"], log[0]["status"]) == (events[2].id, True, "OK")


pulls_seen: list[tuple[str, str, str]] = []
github_app = flask.Flask("github_story_receiver")


@github_app.post("/hooks")
def github_hook():
    number = flask.request.get_json()["pull_request"]["number"]
    pr = requests.get(f"https://api.github.com/repos/octo/app/pulls/{number}").json()
    pulls_seen.append((flask.request.headers["X-GitHub-Event"], pr["state"], pr["title"]))
    return "", 200


def test_a_pull_request_fetched_while_handling_an_event_is_as_of_that_event():
    pulls_seen.clear()
    opened, edited, closed = github_story(
        "pull_request.opened", "pull_request.edited", "pull_request.closed", pull_request__number=3
    )
    opened = opened.replace(pull_request__title="Draft", pull_request__state="open")
    edited = edited.replace(pull_request__title="Final", pull_request__state="open")
    closed = closed.replace(pull_request__title="Final", pull_request__state="closed")
    api = hookmock.api_mock()
    for event, when in ((opened, T0), (edited, T0 + 60), (closed, T0 + 120)):
        api.feed(_at(event, when), delivered=True)
    receiver = hookmock.receiver(
        github_app, path="/hooks", provider="github", secret=SECRET, mock_api=api
    )
    for event in (closed, opened, edited):
        receiver.send(event).assert_ok()
    assert [s[1:] for s in pulls_seen] == [
        ("closed", "Final"),
        ("open", "Draft"),
        ("open", "Final"),
    ]


def _at(event, when):
    return Event(
        provider=event.provider,
        type=event.type,
        id=event.id,
        payload=event.payload,
        body=event.body,
        seed=event.seed,
        created=when,
        meta={**event.meta, "created": when},
    )


def test_feed_refuses_a_delivered_flag_that_is_not_a_bool():
    with pytest.raises(
        hookmock.ConfigurationError, match=r"feed\(delivered=\.\.\.\) takes True or False"
    ):
        hookmock.api_mock().feed(subscription_story()[0], delivered="yes")


def test_the_timeline_lists_story_events_in_story_order():
    api = hookmock.api_mock()
    events = subscription_story()
    for n in (3, 0, 4, 1, 2):
        api.feed(events[n], delivered=n != 4)
    assert [(f.event.id, f.delivered) for f in api.timeline()] == [
        (e.id, n != 4) for n, e in enumerate(events)
    ]


# -- with real stories and send_story ----------------------------------------------------------------
def test_send_story_with_drops_then_a_backfill_leaves_nothing_missing():
    stored.clear()
    api = hookmock.api_mock()
    receiver = hookmock.receiver(backfill_app, path="/hooks", secret=SECRET, mock_api=api)
    told = hookmock.story("stripe", "checkout_subscription", seed=11)
    report = receiver.send_story(told, order="shuffled", drop=["invoice.paid", 0, 3])
    report.assert_ok()
    assert len(report.dropped) == 3
    assert set(stored) == {d.event_id for d in report.delivered}
    with api:
        backfill()
    assert stored == {e.id: e.type for e in told}


subscription_seen: list[tuple[str, str]] = []
story_app = flask.Flask("story_state_receiver")


@story_app.post("/hooks")
def story_state_hook():
    event = stripe.Webhook.construct_event(
        flask.request.get_data(), flask.request.headers["Stripe-Signature"], SECRET
    )
    if event.type == "invoice.paid":
        (sub,) = stripe.Subscription.list(limit=3).data
        subscription_seen.append((event.type, sub.status))
    return "", 200


def test_under_any_order_the_invoice_sees_the_subscription_as_it_was_when_paid():
    told = hookmock.story("stripe", "checkout_subscription", seed=2)
    statuses = [
        e.payload["data"]["object"]["status"]
        for e in told.events[: told.types().index("invoice.paid")]
        if e.payload["data"]["object"]["object"] == "subscription"
    ]
    for order in ("given", "reversed", "shuffled"):
        subscription_seen.clear()
        receiver = hookmock.receiver(story_app, path="/hooks", secret=SECRET, mock_api=True)
        receiver.send_story(told, order=order).assert_ok()
        assert subscription_seen == [("invoice.paid", statuses[-1])], order


def test_a_github_story_with_drops_shows_failed_deliveries_on_the_app_hook():
    api = hookmock.api_mock()

    def app(environ, start_response):
        start_response("204 No Content", [])
        return [b""]

    receiver = hookmock.receiver(app, provider="github", secret=SECRET, mock_api=api)
    told = hookmock.story("github", "issue_triage", seed=4)
    receiver.send_story(told, drop=[1, 2]).assert_ok()
    with api:
        gh = GitHub("ghp_hookmock", transport=api.httpx_transport())
        log = gh.rest.apps.list_webhook_deliveries(per_page=100).parsed_data
        failed = [d for d in log if d.status != "OK"]
        assert sorted(d.guid for d in failed) == sorted([told[1].id, told[2].id])
        for d in failed:
            gh.rest.apps.redeliver_webhook_delivery(d.id)
    for result in receiver.send_many(api.github.redeliveries):
        result.assert_ok()
    with api:
        after = requests.get("https://api.github.com/app/hook/deliveries?per_page=100").json()
    redelivered = [d for d in after if d["redelivery"]]
    assert sorted(d["guid"] for d in redelivered) == sorted([told[1].id, told[2].id])
    assert all(d["status"] == "OK" for d in redelivered)


def test_feed_refuses_a_delivered_flag_for_a_bare_payload():
    payload = subscription_story()[0].payload
    with pytest.raises(hookmock.ConfigurationError, match="a payload dict has no story position"):
        hookmock.api_mock().feed(payload, delivered=False)
