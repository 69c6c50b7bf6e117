"""Running contracts: each delivery made as written, each expectation judged, one row each."""

from __future__ import annotations

import json
import re
import time

import pytest
from _helpers_contract import GITHUB_SECRET, STRIPE_SECRET, ReferenceReceiver, write
from _helpers_delivery import WSGICapture

import hookmock
from hookmock.contracts import ContractError

STRIPE = {"provider": "stripe", "path": "/webhooks/stripe", "secret": STRIPE_SECRET, "seed": 7}


def contract(*deliveries, **top):
    return {**STRIPE, **top, "deliveries": list(deliveries)}


def handled_once(ref):
    return lambda event: ref.times_handled(event.id) == 1


def test_a_passing_contract_gives_one_row_per_delivered_event():
    ref = ReferenceReceiver()
    report = hookmock.run_contract(
        ref,
        contract(
            {"send": "payment_intent.succeeded", "expect": {"status": "2xx", "handled": True}},
            {"send": "customer.created", "expect": {"status": 200, "handled": False}},
            {"batch": ["invoice.paid", "charge.refunded"], "order": "shuffled"},
        ),
        handled=handled_once(ref),
    )
    assert report.ok
    assert report.assert_ok() is report
    assert [r.result.event.type for r in report.rows][:2] == [
        "payment_intent.succeeded",
        "customer.created",
    ]
    assert sorted(r.result.event.type for r in report.rows[2:]) == [
        "charge.refunded",
        "invoice.paid",
    ]
    assert [r.got for r in report.rows[:2]] == ["200, handled", "200, not handled"]
    text = str(report)
    assert text.splitlines()[0].split() == ["check", "event", "expected", "got", "time", "result"]
    assert re.search(r"\nbatch \(shuffled\) +stripe ", text)
    assert text.endswith("<contract>: all 4 checks passed.")


def test_rows_without_a_name_are_labelled_with_what_they_send():
    report = hookmock.run_contract(
        ReferenceReceiver(),
        contract(
            {"send": "invoice.paid"},
            {"send": "charge.refunded", "as": "refund"},
            {"replay": 0},
            {"replay": "refund"},
            {"batch": ["invoice.paid"]},
        ),
    )
    assert [row.delivery.label for row in report.rows] == [
        "invoice.paid",
        "charge.refunded",
        "replay of invoice.paid",
        "replay of refund",
        "batch",
    ]
    assert str(report).splitlines()[2].startswith("invoice.paid  ")


def test_a_failed_expectation_raises_with_the_table_and_what_was_sent():
    report = hookmock.run_contract(
        ReferenceReceiver(),
        contract(
            {"send": "invoice.paid"},
            {
                "send": "invoice.paid",
                "name": "forged",
                "signature": "wrong",
                "expect": {"status": "2xx"},
            },
        ),
    )
    assert not report.ok
    assert [r.ok for r in report.rows] == [True, False]
    with pytest.raises(hookmock.DeliveryError) as info:
        report.assert_ok()
    text = str(info.value)
    assert text.startswith("<contract>: 1 of 2 checks FAILED.\ncheck")
    assert re.search(r"\nforged +stripe invoice\.paid +2xx +400", text)
    assert "deliveries[1]: stripe invoice.paid (evt_" in text
    assert "expected 2xx, got 400 Bad Request" in text
    assert "Stripe-Signature: t=" in text
    assert "v1=<redacted>" in text
    assert "hookmock-wrong-secret" not in text
    assert f"hookmock.run_contract(..., '<contract>', seed={report.seed})" in text


def test_wire_options_reach_the_receiver_as_written(tmp_path):
    app = WSGICapture()
    path = write(
        tmp_path,
        """
        provider: github
        path: /hooks
        deliveries:
          - send: push
            signature: missing
          - send: push
            headers: {X-Extra: "1", User-Agent: null}
          - send: push
            secret: another-secret
        """,
    )
    report = hookmock.run_contract(app, path, secret="s3cret")
    assert report.ok
    unsigned, extra, other = (r["environ"] for r in app.requests)
    assert unsigned["PATH_INFO"] == "/hooks"
    assert "HTTP_X_HUB_SIGNATURE_256" not in unsigned
    assert "HTTP_X_HUB_SIGNATURE" not in unsigned
    assert "HTTP_X_GITHUB_EVENT" in unsigned
    assert extra["HTTP_X_EXTRA"] == "1"
    assert "HTTP_USER_AGENT" not in extra
    body = app.requests[2]["body"]
    headers = {"X-Hub-Signature-256": other["HTTP_X_HUB_SIGNATURE_256"]}
    hookmock.verify("github", body, headers, "another-secret")


def test_a_missing_signature_leaves_no_word_for_redaction_to_blank_in_later_messages(tmp_path):
    from hookmock._redaction import redact

    path = write(
        tmp_path,
        """
        provider: github
        path: /hooks
        deliveries:
          - send: push
            signature: missing
        """,
    )
    assert hookmock.run_contract(WSGICapture(), path, secret="s3cret").ok
    # Finding the signature headers to drop must not teach redaction an ordinary word.
    assert redact("handled the unsigned event first") == "handled the unsigned event first"


def test_a_stale_timestamp_is_signed_an_hour_ago_and_a_negative_one_is_relative():
    app = WSGICapture()
    report = hookmock.run_contract(
        app,
        contract(
            {"send": "invoice.paid", "timestamp": "stale"},
            {"send": "invoice.paid", "timestamp": -600},
        ),
    )
    assert report.ok
    now = time.time()
    stamps = [int(r["environ"]["HTTP_STRIPE_SIGNATURE"].split(",")[0][2:]) for r in app.requests]
    assert now - 3600 - 60 < stamps[0] <= now - 3600
    assert now - 600 - 60 < stamps[1] <= now - 600


def test_set_traits_and_options_shape_the_event():
    app = WSGICapture()
    hookmock.run_contract(
        app,
        contract(
            {
                "send": "payment_intent.succeeded",
                "set": {"data.object.metadata.order_id": "42", "data.object.amount": 4999},
                "options": {"api_version": "2024-06-20"},
            }
        ),
    ).assert_ok()
    payload = json.loads(app.requests[0]["body"])
    assert payload["data"]["object"]["metadata"]["order_id"] == "42"
    assert payload["data"]["object"]["amount"] == 4999
    assert payload["api_version"] == "2024-06-20"


def test_a_replay_sends_the_same_id_and_body_and_a_deduplicating_receiver_handles_it_once():
    ref = ReferenceReceiver()
    report = hookmock.run_contract(
        ref,
        contract(
            {"send": "charge.refunded", "as": "refund", "expect": {"handled": True}},
            {"replay": "refund", "expect": {"status": "2xx", "handled": True}},
        ),
        handled=handled_once(ref),
    )
    report.assert_ok()
    first, again = report.results
    assert (first.event.id, first.event.body) == (again.event.id, again.event.body)
    assert report.rows[1].delivery.label == "replay of refund"
    assert b"duplicate" in again.body


def test_handled_true_needs_a_handled_check_and_says_how_to_add_one():
    report = hookmock.run_contract(
        ReferenceReceiver(), contract({"send": "invoice.paid", "expect": {"handled": True}})
    )
    assert not report.ok
    assert (
        "nothing checked that: pass handled=... or receiver.expect_handler(...)"
        in report.rows[0].problems[0]
    )


def test_handled_false_needs_a_handled_check_too():
    report = hookmock.run_contract(
        ReferenceReceiver(), contract({"send": "invoice.paid", "expect": {"handled": False}})
    )
    assert not report.ok
    assert report.rows[0].problems == [
        "expected the event not to be handled, but nothing checked that: pass handled=... or"
        " receiver.expect_handler(...) to the receiver that runs the contract"
    ]


forged: list[bytes] = []


def act_on(body):
    forged.append(body)


def gullible_app(environ, start_response):
    """Acts on every event, then rejects the ones whose signature is wrong: a broken receiver."""
    body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
    act_on(body)
    start_response("400 Bad Request", [])
    return [b"bad signature"]


def test_a_handler_spy_checks_handled_false_on_a_rejected_delivery():
    rejected = contract(
        {"send": "invoice.paid", "signature": "wrong", "expect": {"status": 400, "handled": False}}
    )
    with hookmock.receiver(gullible_app, secret=STRIPE_SECRET) as receiver:
        receiver.expect_handler(f"{__name__}.act_on")
        report = receiver.run_contract(rejected)
    assert report.rows[0].problems == ["expected the event not to be handled, but it was"]
    with hookmock.receiver(WSGICapture(status="400 Bad Request"), secret=STRIPE_SECRET) as r:
        r.expect_handler(f"{__name__}.act_on")
        r.run_contract(rejected).assert_ok()


def test_handled_false_is_checked_on_rejected_deliveries_too():
    ref = ReferenceReceiver()
    acted = []
    report = hookmock.run_contract(
        ref,
        contract(
            {
                "send": "invoice.paid",
                "signature": "wrong",
                "expect": {"status": 400, "handled": False},
            }
        ),
        handled=lambda event: acted.append(event.id) or True,
    )
    # A probe saying "handled" for a forged event that was rejected: the receiver acted on it.
    assert acted
    assert report.rows[0].problems == ["expected the event not to be handled, but it was"]


def test_retries_run_on_the_virtual_clock_and_attempts_are_judged():
    ref = ReferenceReceiver()
    started = time.perf_counter()
    report = hookmock.run_contract(
        ref,
        contract(
            {
                "send": "invoice.paid",
                "given": {"down": 2},
                "retries": [60, 120],
                "expect": {"status": "2xx", "attempts": [503, "5xx", 200]},
            },
            {
                "send": "invoice.paid",
                "given": {"down": 1},
                "expect": {"status": 503, "attempts": 1},
            },
        ),
        given={"down": lambda n: setattr(ref, "unavailable", n)},
    )
    report.assert_ok()
    assert time.perf_counter() - started < 5
    retried, single = report.results
    assert [a.at for a in retried.attempts] == [0, 60, 180]
    assert len(single.attempts) == 1
    assert report.rows[0].got == "503, 503, 200 (last at +3m00s)"


def test_an_attempts_mismatch_is_reported():
    report = hookmock.run_contract(
        ReferenceReceiver(), contract({"send": "invoice.paid", "expect": {"attempts": 2}})
    )
    assert report.rows[0].problems == ["expected 2 attempt(s), got 200"]


def test_a_handler_slower_than_the_timeout_meets_a_timeout_expectation():
    slow = WSGICapture(delay=0.3)
    report = hookmock.run_contract(
        slow, contract({"send": "invoice.paid", "timeout": 0.05, "expect": {"status": "timeout"}})
    )
    report.assert_ok()
    assert report.results[0].timed_out
    assert report.rows[0].got == "timed out"


def test_a_batch_takes_the_contracts_timeout():
    slow = WSGICapture(delay=0.3)
    report = hookmock.run_contract(
        slow,
        contract(
            {"batch": ["invoice.paid", "charge.refunded"], "expect": {"status": "timeout"}},
            timeout=0.05,
        ),
    )
    report.assert_ok()
    assert all(r.timed_out for r in report.results)


def test_a_body_expectation_looks_into_the_answer():
    report = hookmock.run_contract(
        ReferenceReceiver(),
        contract(
            {"send": "product.created", "expect": {"body": "ignored product.created"}},
            {"send": "invoice.paid", "expect": {"body": "ignored"}},
        ),
    )
    assert [r.ok for r in report.rows] == [True, False]
    assert report.rows[1].problems == ["expected the response body to contain 'ignored'"]


def test_an_unknown_given_step_is_refused_before_anything_is_sent():
    app = WSGICapture()
    with pytest.raises(ContractError) as info:
        hookmock.run_contract(
            app,
            contract({"send": "invoice.paid"}, {"send": "invoice.paid", "given": "restartd"}),
            given={"restarted": lambda: None},
        )
    assert "given: 'restartd' is not a step this run knows. Did you mean 'restarted'?" in str(
        info.value
    )
    assert app.requests == []


def test_a_bad_override_names_the_delivery_in_dotted_terms():
    with pytest.raises(ContractError) as info:
        hookmock.run_contract(
            WSGICapture(), contract({"send": "invoice.paid", "set": {"data.object.amout": 1}})
        )
    text = str(info.value)
    assert text.startswith("<contract>: deliveries[0]: set: Override 'data.object.amout'")
    assert "Did you mean 'data.object.amount_due'?" in text
    assert isinstance(info.value.__cause__, hookmock.OverrideError)


def test_the_same_seed_sends_the_same_events():
    def ids():
        report = hookmock.run_contract(
            WSGICapture(), contract({"send": "invoice.paid"}, {"batch": ["charge.refunded"]})
        )
        return [r.event.id for r in report.results]

    assert ids() == ids()


def test_a_receiver_runs_a_contract_with_its_own_secret_and_the_contracts_path(tmp_path):
    path = write(
        tmp_path,
        """
        provider: github
        path: /webhooks/github
        secret: not-the-one-used
        deliveries:
          - send: push
            expect: {status: 2xx, handled: true}
        """,
    )
    ref = ReferenceReceiver()
    receiver = hookmock.receiver(
        ref, provider="github", secret=GITHUB_SECRET, handled=handled_once(ref)
    )
    with receiver:
        receiver.run_contract(path).assert_ok()
        assert receiver.path == "/"
        assert len(receiver.results) == 1


def test_a_receiver_refuses_a_contract_for_another_provider():
    with (
        hookmock.receiver(WSGICapture(), provider="github", secret="s") as receiver,
        pytest.raises(
            ContractError, match=r"the contract is for stripe, but the receiver speaks github"
        ),
    ):
        receiver.run_contract(contract({"send": "invoice.paid"}))


def test_a_contract_runs_against_an_asgi_app():
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    seen = []

    async def hook(request):
        body = await request.body()
        try:
            hookmock.verify("stripe", body, dict(request.headers), STRIPE_SECRET)
        except hookmock.SignatureError:
            return PlainTextResponse("bad signature", status_code=400)
        seen.append(json.loads(body)["id"])
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/webhooks/stripe", hook, methods=["POST"])])
    report = hookmock.run_contract(
        app,
        contract(
            {"send": "invoice.paid", "expect": {"handled": True}},
            {"send": "invoice.paid", "timestamp": "stale", "expect": {"status": "4xx"}},
        ),
        handled=lambda event: event.id in seen,
    )
    report.assert_ok()
