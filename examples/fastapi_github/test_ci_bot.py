"""hookmock tests for the FastAPI bot: GitHub events through the ASGI app, lifespan included."""

import ci_bot
import pytest


@pytest.fixture
def github(hookmock):
    return hookmock.receiver(
        ci_bot.app, path="/github/webhook", provider="github", secret=ci_bot.WEBHOOK_SECRET
    )


def test_an_opened_pull_request_is_greeted(github):
    result = github.send("pull_request.opened", number=1347)
    result.assert_ok()
    assert result.json() == {"status": "ok"}
    assert 1347 in ci_bot.greeted_pull_requests


def test_a_push_builds_its_head_commit(github):
    result = github.send("push")
    result.assert_ok()
    assert result.event.payload["after"] in ci_bot.built_commits


def test_a_bad_signature_is_rejected(github):
    github.send("push", secret="not-the-secret").assert_status(400)


def test_a_missing_signature_is_rejected(github):
    github.send("push", headers={"X-Hub-Signature-256": None}).assert_rejected()


def test_an_event_the_bot_ignores_still_gets_a_2xx(github):
    github.send("issues.opened").assert_ok()
    github.send("star.created").assert_ok()


def test_each_handler_sees_each_delivery_once_under_concurrent_delivery(github):
    github.expect_handler("ci_bot.greet_pull_request", types=["pull_request.opened"])
    github.expect_handler("ci_bot.build_commit", types=["push"])
    github.send_many(["pull_request.opened", "push"], concurrency=2)
    github.assert_all_handled()
