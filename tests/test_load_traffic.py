"""hookmock.load without a load run: mixes, pooled traffic, thresholds, the summary and the log check.

Nothing here imports Locust (it would monkey-patch the test process with gevent).
"""

from __future__ import annotations

import json
import sys
from collections import Counter

import pytest

import hookmock
from hookmock.load import (
    MixError,
    Pool,
    ThresholdError,
    Traffic,
    compare_log,
    load_mix,
    parse_threshold,
)
from hookmock.load._summary import Tally, judge, render, summarize

STRIPE_SECRET = "whsec_load_test"
GITHUB_SECRET = "load-test-secret"


def traffic(
    provider: str, secret: str, *, mix: object = None, seed: int = 1, **kw: object
) -> Traffic:
    prov = hookmock.provider(provider)
    pool = Pool(prov, load_mix(mix, prov), secret, seed=seed, size=4)
    return Traffic(pool, **kw)  # type: ignore[arg-type]


def test_importing_hookmock_load_does_not_import_locust_or_gevent():
    import subprocess

    code = "import sys, hookmock.load; print(sorted(m for m in ('locust', 'gevent') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_stripe_delivery_has_a_new_evt_id_inside_the_body_it_signs():
    stripe = pytest.importorskip("stripe")
    t = traffic("stripe", STRIPE_SECRET)
    ids = set()
    for _ in range(300):
        d = t.next()
        headers = t.headers(d)
        event = stripe.Webhook.construct_event(d.body, headers["Stripe-Signature"], STRIPE_SECRET)
        assert event["id"] == d.id
        assert d.id.startswith("evt_")
        assert len(d.id) == 28
        ids.add(d.id)
    assert len(ids) == 300


def test_every_github_delivery_has_a_new_guid_and_verifies_with_githubkit():
    from githubkit.webhooks import verify

    t = traffic("github", GITHUB_SECRET)
    guids = set()
    for _ in range(300):
        d = t.next()
        headers = t.headers(d)
        assert headers["X-GitHub-Delivery"] == d.id
        assert headers["X-GitHub-Event"] == d.type.partition(".")[0]
        assert verify(GITHUB_SECRET, d.body, headers["X-Hub-Signature-256"])
        guids.add(d.id)
    assert len(guids) == 300


def test_a_retry_is_the_same_event_signed_again_at_send_time():
    t = traffic("stripe", STRIPE_SECRET)
    d = t.next()
    retry = d.again()
    assert (retry.id, retry.body, retry.kind, retry.attempt) == (d.id, d.body, "retry", 2)
    first, later = t.headers(d, now=1_800_000_000), t.headers(retry, now=1_800_000_060)
    assert first["Stripe-Signature"] != later["Stripe-Signature"]
    hookmock.verify("stripe", retry.body, later, STRIPE_SECRET, now=1_800_000_060)


def test_the_same_seed_and_stream_give_the_same_traffic_and_other_streams_other_ids():
    a = [
        (d.id, d.body)
        for d in (traffic("stripe", STRIPE_SECRET, stream=1).next() for _ in range(1))
    ]
    t1, t2 = traffic("stripe", STRIPE_SECRET, stream=1), traffic("stripe", STRIPE_SECRET, stream=1)
    assert [(d.id, d.body) for d in (t1.next() for _ in range(50))] == [
        (d.id, d.body) for d in (t2.next() for _ in range(50))
    ]
    other = traffic("stripe", STRIPE_SECRET, stream=2)
    assert a[0][0] not in {other.next().id for _ in range(50)}


def test_the_mix_weights_decide_the_proportions():
    t = traffic("stripe", STRIPE_SECRET, mix={"invoice.paid": 3, "charge.refunded": 1})
    counts = Counter(t.next().type for _ in range(4000))
    assert set(counts) == {"invoice.paid", "charge.refunded"}
    assert 0.70 < counts["invoice.paid"] / 4000 < 0.80


def test_deliberate_duplicates_resend_accepted_events_at_the_rate_asked():
    t = traffic("stripe", STRIPE_SECRET, duplicates=0.1)
    seen: set[str] = set()
    accepted: set[str] = set()
    dups = 0
    for _ in range(3000):
        d = t.next()
        if d.kind == "duplicate":
            dups += 1
            assert d.id in accepted
        else:
            assert d.id not in seen
            seen.add(d.id)
            if len(seen) % 2:  # the receiver took every other event
                t.accepted(d)
                accepted.add(d.id)
    assert 200 < dups < 400


def test_mix_files_inline_mixes_and_entry_lists_are_read(tmp_path):
    prov = hookmock.provider("github")
    path = tmp_path / "mix.yaml"
    path.write_text(
        "- {type: push, weight: 5}\n- {type: pull_request.closed, traits: [merged], weight: 1}\n"
    )
    mix = load_mix(str(path), prov)
    assert mix.shares() == pytest.approx({"push": 5 / 6, "pull_request.closed+merged": 1 / 6})
    assert load_mix("push=2,issues.opened=1", prov).shares()["push"] == pytest.approx(2 / 3)
    assert load_mix(None, prov).entries  # hookmock's default mix


@pytest.mark.parametrize(
    ("mix", "message"),
    [
        (
            {"invoice.payed": 1},
            "unknown stripe event type 'invoice.payed'. Did you mean 'invoice.paid'",
        ),
        ([{"story": "checkout", "weight": 1}], "has no story 'checkout'. Did you mean"),
        ({"invoice.paid": -1}, "weight must be a number from 0 up"),
        ([{"type": "invoice.paid", "wieght": 2}], "unknown key 'wieght'. Did you mean 'weight'?"),
        ("invoice.paid=lots", "the weight of 'invoice.paid' is 'lots', not a number"),
        ("no-such-file.yaml", "mix file 'no-such-file.yaml' does not exist"),
        ({}, "the mix is empty"),
    ],
)
def test_a_bad_mix_is_refused_in_one_line_naming_the_fix(mix, message):
    with pytest.raises(MixError) as info:
        load_mix(mix, hookmock.provider("stripe"))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_thresholds_read_units_and_judge_a_summary():
    summary = {"p95_ms": 420.0, "timed_out_share": 0.02, "accepted_per_s": 150.0}
    assert parse_threshold("p95<0.5s").limit == 500
    assert parse_threshold("timed_out < 1%").limit == pytest.approx(0.01)
    passed, line = judge(
        summary, [parse_threshold("p95<500ms"), parse_threshold("accepted_per_s>=100")]
    )
    assert passed
    assert line.startswith("PASS: p95<500ms (420 ms)")
    passed, line = judge(summary, [parse_threshold("timed_out<1%")])
    assert not passed
    assert line == "FAIL: timed_out<1% (was 2.00%)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("p95 < fast", "cannot read threshold 'p95 < fast': write METRIC<VALUE"),
        ("timedout<1%", "unknown metric 'timedout'. Did you mean 'timed_out'?"),
        ("timed_out<5ms", "timed_out takes a percentage (1%) or a fraction (0.01), not 'ms'"),
        ("timed_out<150", "a share is at most 100%"),
    ],
)
def test_unreadable_thresholds_say_how_to_write_one(text, message):
    with pytest.raises(ThresholdError) as info:
        parse_threshold(text)
    assert message in str(info.value)


def test_tallies_from_workers_add_up_and_the_summary_has_the_documented_keys():
    a, b = Tally(), Tally()
    for t, n in ((a, 3), (b, 5)):
        t.sent, t.events, t.accepted, t.retries = n + 1, n, n - 1, 1
        t.count("200")
        t.count("503")
    total = Tally()
    total.merge(a.take())
    total.merge(json.loads(json.dumps(b.as_dict())))  # as it travels from a worker
    assert a.sent == 0  # take() resets what was shipped
    assert (total.sent, total.events, total.accepted, total.retries) == (10, 8, 6, 2)
    assert total.by_status == {"200": 2, "503": 2}
    summary = summarize(
        total,
        duration=2.0,
        percentiles={"p50_ms": 4.0, "p95_ms": 9.0, "p99_ms": 20.0},
        provider="stripe",
        timeout=30.0,
    )
    for key in ("sent", "accepted", "retries", "duplicates", "p50_ms", "p95_ms", "p99_ms"):
        assert key in summary
    assert summary["by_status"] == {"200": 2, "503": 2}
    assert summary["timed_out_share"] == 0.0
    assert summary["never_accepted_share"] == pytest.approx(2 / 8)
    text = render(summary, "Stripe")
    assert "non-2xx      503: 2" in text
    assert "(Stripe waits 30 s)" in text


def test_compare_log_finds_lost_unacknowledged_and_unknown_events(tmp_path):
    rows = [
        {"id": "evt_1", "type": "t", "attempt": 1, "kind": "first", "status": 200, "ok": True},
        {"id": "evt_2", "type": "t", "attempt": 1, "kind": "first", "status": 503, "ok": False},
        {"id": "evt_2", "type": "t", "attempt": 2, "kind": "retry", "status": 200, "ok": True},
        {"id": "evt_3", "type": "t", "attempt": 1, "kind": "first", "status": None, "ok": False},
        {"id": "evt_1", "type": "t", "attempt": 1, "kind": "duplicate", "status": 200, "ok": True},
    ]
    log = tmp_path / "log.ndjson"
    log.write_text("".join(json.dumps(r) + "\n" for r in rows))
    good = compare_log(log, ["evt_1", "evt_2"])
    assert good.ok
    assert good.events == 3
    assert good.sent == 5
    bad = compare_log(str(log), ["evt_1", "evt_3", "evt_9"])
    assert not bad.ok
    assert (bad.lost, bad.unacknowledged, bad.unknown) == ({"evt_2"}, {"evt_3"}, {"evt_9"})
    assert "lost 1 (evt_2)" in str(bad)


def test_hookmock_load_exports_a_sorted_public_surface_that_resolves():
    import hookmock.load

    # isort's order, as ruff keeps it: CONSTANTS, then Classes, then functions.
    order = sorted(hookmock.load.__all__, key=lambda n: (not n.isupper(), n[0].islower(), n))
    assert hookmock.load.__all__ == order
    for name in hookmock.load.__all__:
        if name != "WebhookUser":  # importing it imports Locust: checked in the run tests
            assert getattr(hookmock.load, name) is not None, name
    assert hookmock.load.LOCUSTFILE.endswith("locustfile.py")
