"""Retry schedules come from the provider: Svix's for Standard Webhooks, a third party's own."""

from __future__ import annotations

import pytest

import hookmock
from hookmock import ConfigurationError
from hookmock.delivery import RetrySchedule
from hookmock.providers.standard import SVIX_RETRY_SCHEDULE, SVIX_TIMEOUT

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#: Svix's published schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h.
SVIX_AT = [0, 5, 305, 2105, 9305, 27305, 63305, 99305]


class Flaky:
    """A WSGI app that fails its first ``failures`` deliveries, recording each one's headers."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.seen: list[dict[str, str]] = []

    def __call__(self, environ, start_response):
        self.seen.append({k: v for k, v in environ.items() if k.startswith("HTTP_WEBHOOK_")})
        if self.failures > 0:
            self.failures -= 1
            start_response("503 Service Unavailable", [])
            return [b"try later"]
        start_response("204 No Content", [])
        return [b""]


@pytest.fixture(autouse=True)
def empty_catalog():
    """Each test starts and ends with no Standard Webhooks types (the README's examples, run in
    the same process, register some)."""
    for t in hookmock.standard.types():
        hookmock.standard.unregister(t)
    yield
    for t in hookmock.standard.types():
        hookmock.standard.unregister(t)


@pytest.fixture
def ping():
    hookmock.standard.register("ping.sent", description="A test ping.")
    yield "ping.sent"
    hookmock.standard.unregister("ping.sent")


def test_standard_declares_svix_schedule_and_timeout():
    assert hookmock.standard.retries is True
    assert hookmock.standard.retry_schedule == SVIX_RETRY_SCHEDULE
    assert SVIX_RETRY_SCHEDULE == (5, 300, 1800, 7200, 18000, 36000, 36000)
    assert hookmock.standard.timeout == SVIX_TIMEOUT == 15


def test_retries_true_follows_svix_schedule_on_the_virtual_clock(ping):
    app = Flaky(failures=100)
    receiver = hookmock.receiver(app, provider="standard", secret=SECRET, retries=True)
    result = receiver.send(ping)
    assert [a.at for a in result.attempts] == SVIX_AT  # eight attempts, then Svix gives up
    assert [a.status for a in result.attempts] == [503] * 8
    assert receiver.clock.now() == SVIX_AT[-1]
    # Every attempt carries the same message id (receivers deduplicate on it), signed afresh.
    assert {seen["HTTP_WEBHOOK_ID"] for seen in app.seen} == {result.event.id}
    assert receiver.timeout == 15


def test_a_retry_that_succeeds_stops_the_schedule(ping):
    app = Flaky(failures=2)
    result = hookmock.receiver(app, provider="standard", secret=SECRET, retries=True).send(ping)
    result.assert_ok()
    assert [a.at for a in result.attempts] == [0, 5, 305]


def test_a_number_of_retries_takes_the_providers_waits_first(ping):
    receiver = hookmock.receiver(Flaky(0), provider="standard", secret=SECRET, retries=3)
    assert receiver.schedule.delays == (5, 300, 1800)
    longer = hookmock.receiver(Flaky(0), provider="standard", secret=SECRET, retries=9)
    assert longer.schedule.delays == (*SVIX_RETRY_SCHEDULE, 72000, 144000)


def test_stripe_and_github_keep_their_own_schedules():
    assert hookmock.receiver(Flaky(0), secret="whsec_x", retries=True).schedule == RetrySchedule(
        [1800, 3600, 7200]
    )
    assert hookmock.stripe.retry_schedule == (1800, 3600, 7200)
    assert hookmock.github.retry_schedule == ()
    with pytest.raises(ConfigurationError, match="GitHub does not retry"):
        hookmock.receiver(Flaky(0), provider="github", secret="s3cret-hook", retries=True)


class Relay(hookmock.Provider):
    """A third-party provider with its own retry schedule (regression: it used to get Stripe's)."""

    name = "relay-test"
    title = "Relay"
    retries = True
    retry_schedule = (10.0, 20.0)

    def entries(self):
        return {}


class Silent(Relay):
    name = "silent-test"
    title = "Silent"
    retry_schedule = ()


def test_a_third_party_provider_gets_its_own_schedule_with_retries_true():
    receiver = hookmock.receiver(Flaky(0), provider=Relay(), secret="s3cret-hook", retries=True)
    assert receiver.schedule.delays == (10, 20)
    assert receiver.schedule != RetrySchedule.stripe_test()


def test_a_provider_that_says_it_retries_but_declares_no_schedule_is_told_what_to_add():
    with pytest.raises(ConfigurationError, match=r"Silent says it retries .* retry_schedule ="):
        hookmock.receiver(Flaky(0), provider=Silent(), secret="s3cret-hook", retries=True)
