"""Handler spies recognise what idiomatic receivers pass their handlers: SDK models and events."""

import json

import pytest

import hookmock

SECRET = "s3cret"
seen: list[object] = []


def on_pr_opened(event):
    seen.append(event)


def on_pr_number(delivery_kind, number):
    seen.append(number)


def githubkit_app(environ, start_response):
    """Verifies and parses with githubkit, then hands the handler the parsed model."""
    from githubkit.webhooks import parse, verify

    body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
    if not verify(SECRET, body, environ.get("HTTP_X_HUB_SIGNATURE_256", "")):
        start_response("400 Bad Request", [])
        return [b""]
    event = parse(environ["HTTP_X_GITHUB_EVENT"], body)
    if getattr(event, "action", None) == "opened":
        on_pr_opened(event)
    start_response("200 OK", [])
    return [b""]


def gidgethub_app(environ, start_response):
    """Builds a gidgethub ``sansio.Event`` (verifying the signature) and passes it on."""
    from gidgethub import sansio

    body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    headers["content-type"] = environ.get("CONTENT_TYPE", "application/json")
    event = sansio.Event.from_http(headers, body, secret=SECRET)
    if event.data.get("action") == "opened":
        on_pr_opened(event)
    start_response("200 OK", [])
    return [b""]


def pr_object_app(environ, start_response):
    """Passes only the pull request part of the githubkit model (its ``.id`` names it)."""
    from githubkit.webhooks import parse

    body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
    event = parse(environ["HTTP_X_GITHUB_EVENT"], body)
    on_pr_opened(event.pull_request)
    start_response("200 OK", [])
    return [b""]


def number_app(environ, start_response):
    body = json.loads(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])))
    on_pr_number("pr", body["number"])
    start_response("200 OK", [])
    return [b""]


@pytest.fixture(autouse=True)
def _clear():
    seen.clear()


@pytest.mark.parametrize("app", [githubkit_app, gidgethub_app], ids=["githubkit", "gidgethub"])
def test_a_handler_given_a_parsed_sdk_event_counts_as_handled(app):
    with hookmock.receiver(app, provider="github", secret=SECRET) as receiver:
        receiver.expect_handler(f"{__name__}.on_pr_opened", types=["pull_request.opened"])
        results = receiver.send_many(["pull_request.opened", "pull_request.opened"])
        assert [r.handled for r in results] == [True, True]
        assert len(seen) == 2
        receiver.assert_all_handled()


@pytest.mark.parametrize("type_", ["push", "issues.opened", "issue_comment.created"])
def test_a_githubkit_model_of_any_event_counts_as_handled(type_):
    def app(environ, start_response):
        from githubkit.webhooks import parse

        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        on_pr_opened(parse(environ["HTTP_X_GITHUB_EVENT"], body))
        start_response("200 OK", [])
        return [b""]

    with hookmock.receiver(app, provider="github", secret=SECRET) as receiver:
        receiver.expect_handler(f"{__name__}.on_pr_opened")
        assert receiver.send(type_).handled is True


def test_a_handler_given_the_pull_request_model_counts_by_its_id():
    with hookmock.receiver(pr_object_app, provider="github", secret=SECRET) as receiver:
        receiver.expect_handler(f"{__name__}.on_pr_opened", types=["pull_request.opened"])
        assert receiver.send("pull_request.opened").handled is True


def test_an_earlier_call_about_the_same_object_does_not_count_for_a_later_event():
    calls = []

    def app(environ, start_response):
        from githubkit.webhooks import parse

        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        event = parse(environ["HTTP_X_GITHUB_EVENT"], body)
        if event.action == "opened":  # the bug under test: "closed" is ignored
            on_pr_opened(event.pull_request)
        calls.append(event.action)
        start_response("200 OK", [])
        return [b""]

    with hookmock.receiver(app, provider="github", secret=SECRET) as receiver:
        receiver.expect_handler(
            f"{__name__}.on_pr_opened", types=["pull_request.opened", "pull_request.closed"]
        )
        opened = receiver.send("pull_request.opened", pull_request__id=4242)
        closed = receiver.send("pull_request.closed", pull_request__id=4242)
        assert calls == ["opened", "closed"]
        assert opened.handled is True
        assert closed.handled is False


def test_a_redelivery_reaching_the_handler_by_object_id_again_is_a_duplicate():
    with hookmock.receiver(pr_object_app, provider="github", secret=SECRET) as receiver:
        receiver.expect_handler(f"{__name__}.on_pr_opened", types=["pull_request.opened"])
        first = receiver.send("pull_request.opened")
        [again] = receiver.replay(first)
        assert first.handled is True
        assert again.handled is False
        assert "ran 2 times" in again.handled_notes[0]


def test_a_stripe_python_object_counts_as_handled():
    import stripe

    def app(environ, start_response):
        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        event = stripe.Event.construct_from(json.loads(body), "sk_test")
        on_pr_opened(event)
        start_response("200 OK", [])
        return [b""]

    with hookmock.receiver(app, secret="whsec_x") as receiver:
        receiver.expect_handler(f"{__name__}.on_pr_opened")
        assert receiver.send("payment_intent.succeeded").handled is True


def test_calls_that_carry_no_event_are_described_by_their_argument_types():
    with hookmock.receiver(number_app, provider="github", secret=SECRET) as receiver:
        receiver.expect_handler(f"{__name__}.on_pr_number", types=["pull_request.opened"])
        result = receiver.send("pull_request.opened")
        assert result.handled is False
        [note] = result.handled_notes
        assert "was called 1 time(s), but no call carried this event" in note
        assert "on_pr_number(str, int)" in note
        assert repr(result.event.id) in note
        assert "pydantic model" in note
        assert f"pull_request.id = {result.event.payload['pull_request']['id']!r}" in note
        assert "so far" not in note
        assert "was not called" not in note


def test_a_handler_never_called_says_so():
    with hookmock.receiver(number_app, provider="github", secret=SECRET) as receiver:
        receiver.expect_handler(f"{__name__}.on_pr_opened", types=["pull_request.opened"])
        [note] = receiver.send("pull_request.opened").handled_notes
        assert note.startswith(f"{__name__}.on_pr_opened was never called (")
