"""send_story(): the provider's order or a harsh one, duplicates, drops and concurrency, and a
report whose failures show the story's delivery order."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest

import hookmock
from hookmock.delivery._story import feed_mocks

SECRET = "whsec_test_story_delivery"


class App:
    """A WSGI receiver that records what it got, how many at once, and fails on request."""

    def __init__(self, *, fail: str = "", pause: float = 0.0) -> None:
        self.seen: list[tuple[str, str]] = []
        self.fail = fail
        self.pause = pause
        self.active = 0
        self.most = 0
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start: Any) -> list[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        payload = json.loads(body)
        kind = payload.get("type") or environ.get("HTTP_X_GITHUB_EVENT", "")
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        try:
            time.sleep(self.pause)
            with self.lock:
                self.seen.append((kind, payload.get("id") or environ["HTTP_X_GITHUB_DELIVERY"]))
        finally:
            with self.lock:
                self.active -= 1
        if kind == self.fail:
            start("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"KeyError: 'sub_...'"]
        start("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]


def _receiver(app: App, provider: str = "stripe", **kw: Any) -> hookmock.Receiver:
    return hookmock.receiver(app, provider=provider, secret=SECRET, seed=5, **kw)


@pytest.fixture(scope="module")
def story() -> hookmock.Story:
    return hookmock.story("stripe", "checkout_subscription", seed=21)


def test_given_and_reversed_orders_deliver_the_story_as_told_or_backwards(story: Any) -> None:
    app = App()
    report = _receiver(app).send_story(story, order="given")
    assert report.sequence == list(range(len(story)))
    assert app.seen == [(e.type, e.id) for e in story]
    assert report.ok
    assert report.assert_ok() is report
    report = _receiver(app).send_story(story, order="reversed")
    assert report.sequence == list(range(len(story)))[::-1]


def test_shuffled_is_a_seeded_permutation(story: Any) -> None:
    app = App()
    first = _receiver(app).send_story(story, order="shuffled", seed=1).sequence
    assert sorted(first) == list(range(len(story)))
    assert first != list(range(len(story)))
    assert _receiver(app).send_story(story, order="shuffled", seed=1).sequence == first
    assert _receiver(app).send_story(story, order="shuffled", seed=2).sequence != first


def test_stripe_s_order_swaps_near_neighbours_and_github_s_keeps_order(story: Any) -> None:
    app = App()
    swapped = 0
    for seed in range(10):
        seq = _receiver(app).send_story(story, seed=seed).sequence
        assert sorted(seq) == list(range(len(story)))
        assert all(abs(pos - index) <= 1 for pos, index in enumerate(seq))
        swapped += seq != list(range(len(story)))
    assert swapped >= 5
    pr = hookmock.story("github", "pull_request", seed=2)
    for seed in range(3):
        report = _receiver(App(), "github").send_story(pr, seed=seed)
        assert report.sequence == list(range(len(pr)))


def test_a_permutation_is_delivered_as_given_and_anything_else_names_the_choices(
    story: Any,
) -> None:
    order = list(range(len(story)))
    order[0], order[-1] = order[-1], order[0]
    assert _receiver(App()).send_story(story, order=order).sequence == order
    with pytest.raises(hookmock.ConfigurationError, match=r"not a permutation.*missing: \[2"):
        _receiver(App()).send_story(story, order=[0, 1])
    with pytest.raises(hookmock.ConfigurationError, match="Did you mean 'shuffled'"):
        _receiver(App()).send_story(story, order="shufled")
    with pytest.raises(hookmock.ConfigurationError, match="each index"):
        _receiver(App()).send_story(story, order=[0] * len(story))


def test_dropped_events_are_never_delivered_but_reported(story: Any) -> None:
    app = App()
    report = _receiver(app).send_story(story, order="given", drop=["invoice.finalized", 0])
    got = {kind for kind, _ in app.seen}
    assert "invoice.finalized" not in got
    assert "customer.created" not in got
    assert [d.type for d in report.dropped] == ["customer.created", "invoice.finalized"]
    assert all(d.dropped and d.status is None for d in report.dropped)
    assert "dropped (never delivered)" in report.describe()
    report.assert_ok()


def test_a_drop_naming_no_event_of_the_story_lists_its_types(story: Any) -> None:
    with pytest.raises(hookmock.ConfigurationError) as caught:
        _receiver(App()).send_story(story, drop="invoice.pad")
    text = str(caught.value)
    assert "Did you mean 'invoice.paid'?" in text
    assert "customer.subscription.created" in text
    with pytest.raises(hookmock.ConfigurationError, match=rf"indices 0\.\.{len(story) - 1}\)"):
        _receiver(App()).send_story(story, drop=40)


def test_a_later_duplicate_arrives_again_after_its_original(story: Any) -> None:
    app = App()
    report = _receiver(app).send_story(
        story, order="given", duplicates="invoice.paid", duplicate_timing="later"
    )
    paid = next(e for e in story if e.type == "invoice.paid")
    assert app.seen.count(("invoice.paid", paid.id)) == 2
    first, second = (i for i, d in enumerate(report) if d.type == "invoice.paid")
    assert second > first + 1
    assert report.deliveries[second].duplicate
    assert not report.deliveries[first].duplicate


def test_an_at_once_duplicate_is_delivered_concurrently_with_its_original(story: Any) -> None:
    app = App(pause=0.05)
    short = hookmock.story("stripe", "payout", seed=1)
    report = _receiver(app).send_story(
        short, order="given", duplicates=1, duplicate_timing="at_once"
    )
    assert len(report.delivered) == len(short) + 1
    assert app.most == 2
    assert sum(d.duplicate for d in report) == 1


def test_concurrency_delivers_in_parallel(story: Any) -> None:
    app = App(pause=0.02)
    report = _receiver(app).send_story(story, order="given", concurrency=4)
    assert sorted(report.sequence) == list(range(len(story)))
    assert app.most > 1
    with pytest.raises(hookmock.ConfigurationError, match="concurrency"):
        _receiver(app).send_story(story, concurrency=0)


def test_a_failed_delivery_shows_the_story_s_order_and_how_to_reproduce(story: Any) -> None:
    report = _receiver(App(fail="invoice.paid")).send_story(story, order="shuffled", seed=4)
    assert not report.ok
    with pytest.raises(hookmock.DeliveryError) as caught:
        report.assert_ok()
    text = str(caught.value)
    assert "invoice.paid" in text
    assert "got 500" in text
    assert "order='shuffled' (seed=4)" in text
    assert "hookmock.story('stripe', 'checkout_subscription', seed=21" in text
    assert "whsec_test_story_delivery" not in text


def test_assert_final_runs_the_probe_and_fails_with_the_delivery_order(story: Any) -> None:
    app = App()
    report = _receiver(app).send_story(story, order="reversed")
    assert report.assert_final(lambda: len(app.seen) == len(story)) is report
    with pytest.raises(hookmock.DeliveryError) as caught:
        report.assert_final(lambda: False, message="the subscription is active")
    text = str(caught.value)
    assert "the subscription is active; the check returned False" in text
    lines = [line for line in text.splitlines() if line.startswith("  [")]
    assert lines[0].startswith(f"  [{len(story) - 1}] checkout.session.completed")

    def probe() -> None:
        assert app.seen == [], "the app stored events"

    with pytest.raises(hookmock.DeliveryError, match="the check failed: the app stored events"):
        report.assert_final(probe)
    with pytest.raises(hookmock.ConfigurationError, match="function of no arguments"):
        report.assert_final(True)  # type: ignore[arg-type]


def test_a_handled_probe_judges_every_delivery(story: Any) -> None:
    app = App()
    report = _receiver(app, handled=lambda e: (e.type, e.id) in app.seen).send_story(story)
    assert all(d.handled for d in report)
    report.assert_all_handled()
    report = _receiver(app).send_story(story)
    with pytest.raises(hookmock.DeliveryError, match="no handled check ran"):
        report.assert_all_handled()


def test_a_story_of_another_provider_is_refused() -> None:
    pr = hookmock.story("github", "push_ci", seed=1)
    with pytest.raises(hookmock.ConfigurationError, match="provider='github'"):
        _receiver(App()).send_story(pr)
    with pytest.raises(hookmock.ConfigurationError, match=r"hookmock.story\(provider, name\)"):
        _receiver(App()).send_story(list(pr))  # type: ignore[arg-type]


def test_api_mocks_that_know_delivery_learn_every_event_dropped_or_not(story: Any) -> None:
    class Mock:
        def __init__(self) -> None:
            self.fed: list[tuple[str, bool]] = []

        def feed(self, event: hookmock.Event, *, delivered: bool = True) -> None:
            self.fed.append((event.id, delivered))

    class OldMock:
        def __init__(self) -> None:
            self.fed: list[str] = []

        def feed(self, event: hookmock.Event) -> None:
            self.fed.append(event.id)

    mock, old = Mock(), OldMock()
    feed_mocks([mock, old], story, delivered={0, 2})  # type: ignore[list-item]
    assert mock.fed == [(e.id, i in {0, 2}) for i, e in enumerate(story)]
    assert old.fed == []  # it learns each event as it is delivered, and never a dropped one


def test_a_dropped_event_is_still_listed_by_the_api_mock(story: Any) -> None:
    requests = pytest.importorskip("requests")
    with hookmock.api_mock():
        report = _receiver(App()).send_story(story, drop="invoice.finalized")
        got = requests.get(
            "https://api.stripe.com/v1/events",
            params={"delivery_success": "false"},
            headers={"Authorization": "Bearer sk_test_story"},
            timeout=5,
        )
    assert [d.type for d in report.dropped] == ["invoice.finalized"]
    assert [e["id"] for e in got.json()["data"]] == [report.dropped[0].event_id]
