"""hookmock tests for the aiohttp triage bot: signed GitHub events on aiohttp's test server."""

import pytest
import triage_bot


@pytest.fixture
def github(hookmock):
    # An aiohttp web.Application is detected; hookmock serves it in-process and closes it
    # (on_shutdown and on_cleanup hooks run) when the test ends.
    return hookmock.receiver(
        triage_bot.app,
        path="/github/webhook",
        provider="github",
        secret=triage_bot.WEBHOOK_SECRET,
    )


def test_a_new_issue_is_labelled_for_triage(github):
    result = github.send("issues.opened", issue__number=4242).assert_ok()
    assert result.json() == {"handled": "issues"}
    assert triage_bot.labelled[4242] == "needs-triage"


def test_a_published_release_is_announced(github):
    result = github.send("release.published").assert_ok()
    assert result.event.payload["release"]["tag_name"] in triage_bot.released


def test_a_bad_signature_is_rejected(github):
    github.send("issues.opened", secret="not-the-secret").assert_status(401)


def test_a_missing_signature_is_rejected(github):
    github.send(
        "issues.opened", headers={"X-Hub-Signature-256": None, "X-Hub-Signature": None}
    ).assert_rejected()


def test_an_event_the_bot_ignores_still_gets_a_2xx(github):
    github.send("star.created").assert_ok()
    github.send("push").assert_ok()


def test_each_routed_event_reaches_its_handler(github):
    github.expect_handler("triage_bot.label_new_issue", types=["issues.opened"])
    github.expect_handler("triage_bot.announce_release", types=["release.published"])
    github.send_many(["issues.opened", "release.published"])
    github.assert_all_handled()
