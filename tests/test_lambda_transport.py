"""AWS Lambda handlers as receivers: the API Gateway HTTP API (payload 2.0) event and the answer.

Handlers verify with stripe-python against ``base64decode(body) if isBase64Encoded else body``,
the bytes a signature covers behind API Gateway, so a passing test proves the exact bytes arrived.
"""

from __future__ import annotations

import base64
import json
import sys
import threading
import time

import pytest

import hookmock
from hookmock.delivery._lambda import build_event

SECRET = "whsec_lambda_tests"


def signed_body(event: dict) -> bytes:
    body = event.get("body", "")
    return base64.b64decode(body) if event["isBase64Encoded"] else body.encode("utf-8")


def stripe_handler(event, context):
    """An ordinary Lambda handler, as it would be deployed behind API Gateway."""
    import stripe

    try:
        stripe_event = stripe.Webhook.construct_event(
            signed_body(event), event["headers"]["stripe-signature"], SECRET
        )
    except (ValueError, stripe.SignatureVerificationError) as exc:
        return {"statusCode": 400, "body": json.dumps({"error": str(exc)})}
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"received": stripe_event["id"]}),
    }


def test_a_plain_handler_verifies_with_stripe_python_and_accepts_the_delivery():
    with hookmock.receiver(stripe_handler, interface="lambda", secret=SECRET) as receiver:
        result = receiver.send("payment_intent.succeeded").assert_ok()
        assert result.json() == {"received": result.event.id}
        assert result.headers == {"content-type": "application/json"}
        assert result.target.startswith("Lambda handler <function stripe_handler")
        receiver.send("payment_intent.succeeded", secret="whsec_wrong").assert_rejected()


def test_the_event_is_payload_format_2_with_the_exact_body_and_api_gateway_headers():
    seen = []

    def handler(event, context):
        seen.append((event, context))
        return {"statusCode": 204}

    with hookmock.receiver(
        handler, interface="lambda", provider="github", secret="s", path="/hooks?src=gh&x=1&x=2"
    ) as receiver:
        result = receiver.send("push").assert_ok()
    [(event, context)] = seen
    assert event["version"] == "2.0"
    assert event["rawPath"] == "/hooks"
    assert event["rawQueryString"] == "src=gh&x=1&x=2"
    assert event["queryStringParameters"] == {"src": "gh", "x": "1,2"}
    assert event["routeKey"] == "POST /hooks"
    assert event["isBase64Encoded"] is False
    assert event["body"].encode("utf-8") == result.event.body
    headers = event["headers"]
    assert all(name == name.lower() for name in headers)
    for name, value in result.sent_headers.items():
        assert headers[name.lower()] == value
    assert headers["content-length"] == str(len(result.event.body))
    assert headers["x-forwarded-proto"] == "https"
    ctx = event["requestContext"]
    assert ctx["http"]["method"] == "POST"
    assert ctx["http"]["path"] == "/hooks"
    assert ctx["http"]["sourceIp"]
    assert ctx["routeKey"] == "POST /hooks"
    assert ctx["stage"] == "$default"
    assert abs(ctx["timeEpoch"] / 1000 - time.time()) < 60
    assert ctx["time"].endswith("+0000")
    assert context.aws_request_id == ctx["requestId"]
    assert context.function_name == "hookmock-handler"


def test_a_body_that_is_not_utf8_goes_base64_and_repeated_headers_are_comma_joined():
    body = b"\xff\xfe binary \x00 payload"
    request = hookmock.Request(
        "POST",
        "https://localhost/in",
        "/in",
        {"X-Dup": "a", "x-dup": "b", "Cookie": "k=v; other=2", "Content-Length": "999"},
        body,
    )
    event = build_event(request, host="hooks.example.com")
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body
    assert event["headers"]["x-dup"] == "a,b"
    assert event["headers"]["content-length"] == str(len(body))
    assert event["headers"]["host"] == "hooks.example.com"
    assert event["cookies"] == ["k=v", "other=2"]
    assert "cookie" not in event["headers"]
    assert "queryStringParameters" not in event


def test_binary_bytes_reach_the_handler_exactly_through_the_transport():
    from hookmock.delivery._targets import make_target

    body = bytes(range(256))
    headers = hookmock.sign("github", body, "gh-secret")
    got = []

    def handler(event, context):
        import hashlib
        import hmac

        got.append(signed_body(event))
        # Verify the way a GitHub receiver would, over the decoded bytes.
        mac = hmac.new(b"gh-secret", signed_body(event), hashlib.sha256).hexdigest()
        ok = hmac.compare_digest("sha256=" + mac, event["headers"]["x-hub-signature-256"])
        return {"statusCode": 200 if ok else 401}

    target = make_target(handler, interface="lambda")
    response = target.handle(
        hookmock.Request("POST", "https://localhost/", "/", headers, body), timeout=5
    )
    target.close()
    assert got == [body]
    assert response.status == 200


def test_the_context_reports_the_time_left_under_the_providers_timeout():
    left = []

    def handler(event, context):
        left.append(context.get_remaining_time_in_millis())
        return {"statusCode": 200}

    with hookmock.receiver(handler, interface="lambda", provider="github", secret="s") as r:
        r.send("ping")
    with hookmock.receiver(handler, interface="lambda", secret=SECRET, timeout=3) as r:
        r.send("charge.succeeded")
    assert 9_000 < left[0] <= hookmock.github.timeout * 1000
    assert 2_000 < left[1] <= 3_000


@pytest.mark.parametrize(
    ("returned", "status", "body", "content_type"),
    [
        ({"received": True}, 200, b'{"received": true}', "application/json"),
        ("ok", 200, b"ok", "application/json"),
        (
            {
                "statusCode": 202,
                "body": base64.b64encode(b"\x00\x01").decode(),
                "isBase64Encoded": True,
            },
            202,
            b"\x00\x01",
            None,
        ),
        ({"statusCode": "201"}, 201, b"", None),
    ],
)
def test_the_handlers_return_is_read_as_api_gateway_reads_it(returned, status, body, content_type):
    with hookmock.receiver(lambda e, c: returned, interface="lambda", secret=SECRET) as receiver:
        result = receiver.send("charge.succeeded")
    assert result.status == status
    assert result.body == body
    assert result.headers.get("content-type") == content_type


@pytest.mark.parametrize(
    ("returned", "complaint"),
    [
        ({"statusCode": 200, "body": {"a": 1}}, "a body of type dict"),
        ({"statusCode": 99}, "statusCode 99"),
        ({"statusCode": 200, "headers": {"x": "a\r\nb"}}, "holds CR"),
        ({"statusCode": 200, "body": "%%%", "isBase64Encoded": True}, "not base64"),
        (object(), "not JSON"),
    ],
)
def test_a_return_api_gateway_cannot_answer_with_is_a_failed_delivery(returned, complaint):
    with hookmock.receiver(lambda e, c: returned, interface="lambda", secret=SECRET) as receiver:
        result = receiver.send("charge.succeeded")
    assert result.status == 500
    assert result.error is not None
    assert result.error.startswith("the Lambda handler ")
    assert complaint in result.error


def test_a_handler_that_raises_or_is_async_fails_the_delivery_with_the_reason():
    def broken(event, context):
        raise KeyError("stripe-signature")

    async def coroutine(event, context):
        return {"statusCode": 200}

    with hookmock.receiver(broken, interface="lambda", secret=SECRET) as receiver:
        result = receiver.send("charge.succeeded")
    assert result.status == 500
    assert "raised KeyError" in (result.error or "")
    with hookmock.receiver(coroutine, interface="lambda", secret=SECRET) as receiver:
        result = receiver.send("charge.succeeded")
    assert "returned an awaitable" in (result.error or "")


def test_a_slow_handler_times_out_and_wait_for_handlers_sees_it_finish():
    release = threading.Event()

    def slow(event, context):
        release.wait(5)
        return {"statusCode": 200}

    receiver = hookmock.receiver(slow, interface="lambda", secret=SECRET, timeout=0.1)
    try:
        result = receiver.send("charge.succeeded")
        assert result.timed_out
        release.set()
        assert receiver.wait_for_handlers(5) == 0
    finally:
        release.set()
        receiver.close()


def test_a_handler_named_module_colon_function(tmp_path, monkeypatch):
    (tmp_path / "lambda_app_for_hookmock.py").write_text(
        "def handler(event, context):\n    return {'statusCode': 200, 'body': context.function_name}\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        with hookmock.receiver(
            "lambda_app_for_hookmock:handler", interface="lambda", secret=SECRET
        ) as receiver:
            assert receiver.send("charge.succeeded").assert_ok().text == "hookmock-handler"
        with pytest.raises(hookmock.ConfigurationError, match="has no 'nope'"):
            hookmock.receiver("lambda_app_for_hookmock:nope", interface="lambda", secret=SECRET)
        with pytest.raises(hookmock.ConfigurationError, match="Cannot import"):
            hookmock.receiver("no_such_module_xyz:handler", interface="lambda", secret=SECRET)
        with pytest.raises(hookmock.ConfigurationError, match=r"'package\.module:function'"):
            hookmock.receiver("just_a_name", interface="lambda", secret=SECRET)
    finally:
        sys.modules.pop("lambda_app_for_hookmock", None)


def test_a_powertools_api_gateway_http_resolver_accepts_the_delivery():
    pytest.importorskip("aws_lambda_powertools")
    import stripe
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

    app = APIGatewayHttpResolver()

    @app.post("/stripe/webhooks")
    def webhook():
        event = app.current_event
        body = event.decoded_body if event.is_base64_encoded else event.body
        try:
            stripe_event = stripe.Webhook.construct_event(
                body, event.headers["stripe-signature"], SECRET
            )
        except (ValueError, stripe.SignatureVerificationError) as exc:
            return Response(400, "text/plain", str(exc))
        return {"received": stripe_event["id"]}

    def handler(event, context):
        return app.resolve(event, context)

    with hookmock.receiver(
        handler, interface="lambda", path="/stripe/webhooks", secret=SECRET
    ) as receiver:
        result = receiver.send("charge.refunded").assert_ok()
        assert result.json() == {"received": result.event.id}
        receiver.send("charge.refunded", secret="whsec_nope").assert_rejected()
