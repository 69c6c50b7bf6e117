"""Rough edges of the receiver's verdicts found in field use, and bounded result memory."""

import time

import pytest

import hookmock

SECRET = "whsec_verdicts"


def ok_app(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [])
    return [b""]


def reject_app(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("400 Bad Request", [])
    return [b"bad signature"]


def failing_first(n):
    """Answers 500 to the first ``n`` deliveries, 200 after."""
    seen = []

    def app(environ, start_response):
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        seen.append(1)
        start_response("500 Internal Server Error" if len(seen) <= n else "200 OK", [])
        return [b""]

    return app


# -- ignored types ---------------------------------------------------------------------------------
def test_an_ignored_type_needs_only_a_2xx_and_its_probe_is_not_run():
    asked = []

    def probe(event):
        asked.append(event.type)
        return False

    with hookmock.receiver(ok_app, secret=SECRET, handled=probe, ignore=["customer.created"]) as r:
        result = r.send("customer.created").assert_ok()
        assert result.handled is None
        assert asked == []
        with pytest.raises(hookmock.DeliveryError, match="handled check failed"):
            r.send("invoice.paid").assert_ok()  # a type that is not ignored still is judged
        assert asked == ["invoice.paid"]


def test_the_table_says_ignored_for_an_ignored_type_with_a_probe_as_report_ok_does():
    with hookmock.receiver(ok_app, secret=SECRET, handled=lambda e: False) as r:
        r.send("customer.created")
        report = r.report(ignore=["customer.created"])
        assert report.ok
        assert "| customer.created | 200    | ignored  |" in report.table()
        assert "NO" not in report.table()


# -- the source of the secret ----------------------------------------------------------------------
def _contract(**delivery):
    return {
        "provider": "stripe",
        "secret": "whsec_from_the_file",
        "deliveries": [{"send": "invoice.paid", **delivery}],
    }


def test_a_contract_secret_key_is_named_as_the_source_of_the_secret():
    report = hookmock.run_contract(reject_app, _contract())
    with pytest.raises(hookmock.DeliveryError) as info:
        report.assert_ok()
    text = str(info.value)
    assert "signed with the secret: key of <contract>;" in text
    assert "secret= given to hookmock.receiver()" not in text
    assert "whsec_from_the_file" not in text


def test_a_delivery_secret_and_a_wrong_signature_are_named_in_contract_terms():
    report = hookmock.run_contract(reject_app, _contract(secret="whsec_per_delivery"))
    assert "signed with the secret: of deliveries[0] (<contract>)" in report.rows[0].explain()
    wrong = hookmock.run_contract(ok_app, _contract(signature="wrong", expect={"status": 400}))
    assert (
        "it was sent as a forged event, signed with a secret the receiver cannot know"
        " (signature: wrong, <contract>); a receiver that checks the signature must refuse it"
    ) in wrong.rows[0].explain()


def test_a_callers_secret_is_not_credited_to_the_contract():
    report = hookmock.run_contract(reject_app, _contract(), secret="whsec_callers")
    assert "signed with the secret= given to hookmock.receiver()" in report.rows[0].explain()


# -- replay takes send()'s signing options ---------------------------------------------------------
def test_replay_signs_at_the_timestamp_given_and_with_the_secret_given():
    with hookmock.receiver(ok_app, secret=SECRET) as r:
        first = r.send("invoice.paid")
        at = int(time.time()) - 600
        [again] = r.replay(first, timestamp=at, headers={"X-Replay": "1"})
        assert again.event.id == first.event.id
        assert again.sent_headers["Stripe-Signature"].startswith(f"t={at},")
        assert again.sent_headers["X-Replay"] == "1"
        [other] = r.replay([first], secret="whsec_other")
        assert other.sent_headers["Stripe-Signature"] != again.sent_headers["Stripe-Signature"]


def test_replay_and_send_many_errors_name_the_method_called():
    with hookmock.receiver(ok_app, secret=SECRET) as r:
        first = r.send("invoice.paid")
        with pytest.raises(hookmock.ConfigurationError, match=r"replay\(\) got data__object=") as e:
            r.replay(first, data__object={})
        assert "send(event.replace(...))" in str(e.value)
        with pytest.raises(hookmock.ConfigurationError, match=r"^replay\(order=\.\.\.\)"):
            r.replay(first, order="backwards")
        with pytest.raises(hookmock.ConfigurationError, match=r"^replay\(concurrency=\.\.\.\)"):
            r.replay(first, concurrency=0)
        with pytest.raises(hookmock.ConfigurationError, match=r"^send_many\(order=\.\.\.\)"):
            r.send_many(["invoice.paid"], order="backwards")
        with pytest.raises(hookmock.ConfigurationError, match="timestamp= is the signature time"):
            r.replay(first, timestamp="yesterday")


# -- assert_all_handled() after only rejections ----------------------------------------------------
def test_assert_all_handled_after_only_rejections_says_what_was_delivered_and_why_empty():
    with hookmock.receiver(reject_app, secret=SECRET) as r:
        r.send("invoice.paid").assert_rejected()
        r.send("invoice.paid").assert_rejected()
        r.send("charge.succeeded").assert_rejected()
        with pytest.raises(hookmock.DeliveryError) as info:
            r.assert_all_handled()
    text = str(info.value)
    assert "all 3 deliveries so far (invoice.paid x2, charge.succeeded)" in text
    assert "were asserted as rejected" in text
    assert "nothing has been delivered" not in text
    with (
        hookmock.receiver(ok_app, secret=SECRET) as r,
        pytest.raises(hookmock.DeliveryError, match="nothing has been delivered yet"),
    ):
        r.assert_all_handled()


# -- bounded results -------------------------------------------------------------------------------
def test_results_are_bounded_while_the_report_still_covers_every_delivery():
    with hookmock.receiver(failing_first(1), secret=SECRET, keep_results=5) as r:
        first = r.send("invoice.paid")
        for _ in range(19):
            r.send("invoice.paid", handled=lambda e: True)
        assert len(r.results) == 5
        assert first not in r.results
        report = r.report()
        [row] = report.rows
        assert row.count == 20
        # The failure of a result no longer kept is still reported, with its event id.
        assert report.failures == [
            f"invoice.paid: answered 500 Internal Server Error ({first.event.id})"
        ]
        assert "500,200 x20" in report.table() or "200,500 x20" in report.table()


def test_keep_results_false_keeps_none_and_the_report_still_judges():
    with hookmock.receiver(ok_app, secret=SECRET, keep_results=False, handled=lambda e: True) as r:
        r.send_many(["invoice.paid", "charge.succeeded", "invoice.paid"])
        assert len(r.results) == 0
        report = r.assert_all_handled()
        assert [(row.type, row.count, row.handled) for row in report.rows] == [
            ("invoice.paid", 2, True),
            ("charge.succeeded", 1, True),
        ]


def test_results_are_kept_up_to_a_thousand_by_default():
    with hookmock.receiver(ok_app, secret=SECRET) as r:
        assert r.keep_results == 1000


@pytest.mark.parametrize("bad", [-1, "all", 1.5, None])
def test_keep_results_takes_a_bool_or_a_count(bad):
    with pytest.raises(hookmock.ConfigurationError, match="keep_results= is how many"):
        hookmock.receiver(ok_app, secret=SECRET, keep_results=bad)


def on_body(body):
    """A handler the spy below watches."""


def spied_app(environ, start_response):
    on_body(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
    start_response("200 OK", [])
    return [b""]


def test_a_spy_keeps_recent_calls_only_yet_still_sees_a_redelivery_of_an_old_event(monkeypatch):
    from hookmock.delivery import _spy

    monkeypatch.setattr(_spy, "KEEP_CALLS", 3)
    with hookmock.receiver(spied_app, secret=SECRET) as r:
        spy = r.expect_handler(f"{__name__}.on_body")
        first = r.send("invoice.paid").assert_ok()
        for _ in range(9):
            r.send("invoice.paid").assert_ok()
        [again] = r.replay(first)
        assert len(spy.calls) <= 4  # the last three, and the one of this delivery
        assert spy.call_count == 11
        assert again.handled is False
        assert f"ran 2 times for {first.event.id}" in again.handled_notes[0]
