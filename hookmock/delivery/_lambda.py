"""AWS Lambda target: calls a handler ``(event, context)`` with the API Gateway HTTP API event.

The event is payload format 2.0, as API Gateway (HTTP API) and Lambda Function URLs send it: the
exact body (base64 with ``isBase64Encoded`` when it is not UTF-8 text), header names lower-cased
and repeated ones joined with commas. The handler's answer is read as API Gateway reads it: a
``{"statusCode", "headers", "body", "isBase64Encoded", "cookies"}`` dict, or any other JSON value
(a bare dict or str) taken as a 200 with that JSON as the body.
"""

from __future__ import annotations

import base64
import importlib
import inspect
import json
import time
import uuid
from urllib.parse import parse_qsl

from .._errors import ConfigurationError
from ._shared import (
    BODY_LIMIT,
    Request,
    Response,
    app_raised,
    bad_header,
    describe_app,
)
from ._workers import LazyWorkers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Handler = Callable[[dict[str, Any], Any], Any]

#: Lambda's longest function timeout (15 minutes): what the context reports with no timeout.
MAX_LAMBDA_TIMEOUT = 900.0
#: The source address API Gateway reports for the provider's request.
SOURCE_IP = "127.0.0.1"


def resolve_handler(handler: Any) -> Handler:
    """A handler object, or one named ``"package.module:function"`` (as Lambda's own setting
    ``module.function`` names it, with a colon)."""
    if isinstance(handler, str):
        module_name, colon, attr = handler.partition(":")
        if not colon or not module_name or not attr:
            raise ConfigurationError(
                f"A Lambda handler named by a string looks like 'package.module:function';"
                f" got {handler!r}."
            )
        try:
            found: Any = importlib.import_module(module_name)
        except ImportError as exc:
            raise ConfigurationError(
                f"Cannot import the Lambda handler's module {module_name!r} ({exc}). Is it on"
                " sys.path (run pytest from the project root, or set pythonpath in pytest's ini)?"
            ) from None
        for part in attr.split("."):
            if not hasattr(found, part):
                raise ConfigurationError(
                    f"The module {module_name!r} has no {attr!r}, so {handler!r} names no Lambda"
                    " handler."
                )
            found = getattr(found, part)
        handler = found
    if not callable(handler):
        raise ConfigurationError(
            f"interface='lambda' needs a handler(event, context) or its 'module:function' name;"
            f" got {type(handler).__name__}."
        )
    return handler  # type: ignore[no-any-return]


def build_event(request: Request, *, host: str, now: float | None = None) -> dict[str, Any]:
    """The API Gateway HTTP API (payload format 2.0) event for one request."""
    raw_path, _, query = request.path.partition("?")
    now = time.time() if now is None else now
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        key = name.lower()
        if key == "content-length":
            continue  # always the real length, set below
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    request_id = _request_id()
    for key, value in (
        ("content-length", str(len(request.body))),
        ("host", host),
        ("x-amzn-trace-id", f"Root=1-{int(now):08x}-{uuid.uuid4().hex[:24]}"),
        ("x-forwarded-for", SOURCE_IP),
        ("x-forwarded-port", "443"),
        ("x-forwarded-proto", "https"),
    ):
        headers.setdefault(key, value)
    cookies = headers.pop("cookie", None)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{request.method} {raw_path}",
        "rawPath": raw_path,
        "rawQueryString": query,
    }
    if cookies is not None:
        event["cookies"] = [c.strip() for c in cookies.replace(",", ";").split(";") if c.strip()]
    event["headers"] = headers
    if query:
        params: dict[str, str] = {}
        for key, value in parse_qsl(query, keep_blank_values=True):
            params[key] = f"{params[key]},{value}" if key in params else value
        event["queryStringParameters"] = params
    event["requestContext"] = {
        "accountId": "123456789012",
        "apiId": "hookmock",
        "domainName": host,
        "domainPrefix": host.split(".")[0],
        "http": {
            "method": request.method,
            "path": raw_path,
            "protocol": "HTTP/1.1",
            "sourceIp": SOURCE_IP,
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": request_id,
        "routeKey": event["routeKey"],
        "stage": "$default",
        "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
        "timeEpoch": int(now * 1000),
    }
    if request.body:
        try:
            event["body"] = request.body.decode("utf-8")
            event["isBase64Encoded"] = False
        except UnicodeDecodeError:
            event["body"] = base64.b64encode(request.body).decode("ascii")
            event["isBase64Encoded"] = True
    else:
        event["isBase64Encoded"] = False
    return event


def _request_id() -> str:
    return str(uuid.uuid4())


class LambdaContext:
    """The context object Lambda's Python runtime passes a handler, with the delivery's deadline."""

    def __init__(self, function_name: str, request_id: str, timeout: float | None) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = (
            f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        )
        self.memory_limit_in_mb = "128"
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = time.strftime("%Y/%m/%d/[$LATEST]") + uuid.uuid4().hex
        self.identity = None
        self.client_context = None
        self.tenant_id = None
        self._deadline = time.monotonic() + (MAX_LAMBDA_TIMEOUT if timeout is None else timeout)

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before hookmock stops waiting (the provider's timeout)."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))

    def __repr__(self) -> str:
        return f"<LambdaContext {self.function_name} {self.aws_request_id}>"


class _Broke(Exception):
    """The handler's return is not something API Gateway can answer with."""


def read_result(result: Any) -> Response:
    """The HTTP answer API Gateway makes of a handler's return value."""
    if isinstance(result, dict) and "statusCode" in result:
        return _structured(result)
    # Anything else is the function's JSON output; API Gateway sends it as a 200 JSON body
    # (a str return is its own text).
    if isinstance(result, str):
        text = result
    else:
        try:
            text = json.dumps(result)
        except (TypeError, ValueError) as exc:
            raise _Broke(f"returned {type(result).__name__} that is not JSON ({exc})") from None
    body = text.encode("utf-8")
    return Response(200, {"content-type": "application/json"}, body[:BODY_LIMIT])


def _structured(result: dict[str, Any]) -> Response:
    code = result["statusCode"]
    if isinstance(code, str) and code.isdigit():
        code = int(code)
    if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
        raise _Broke(f"returned statusCode {code!r}; it must be an int from 100 to 599")
    headers: dict[str, str] = {}
    given = result.get("headers") or {}
    if not isinstance(given, dict):
        raise _Broke(f"returned headers of type {type(given).__name__}, not a dict")
    for name, value in given.items():
        if not isinstance(name, str) or isinstance(value, (dict, list)) or value is None:
            raise _Broke(f"returned the header {name!r}: {value!r}; values must be str")
        text = value if isinstance(value, str) else json.dumps(value)
        problem = bad_header(name, text)
        if problem is not None:
            raise _Broke(problem)
        headers.setdefault(name, text)
    cookies = result.get("cookies")
    if cookies:
        if not isinstance(cookies, list) or not all(isinstance(c, str) for c in cookies):
            raise _Broke("returned cookies that are not a list of str")
        headers.setdefault("set-cookie", cookies[0])
    body = result.get("body")
    if body is None:
        data = b""
    elif not isinstance(body, str):
        raise _Broke(
            f"returned a body of type {type(body).__name__}; API Gateway needs a str"
            " (json.dumps() a dict, base64 bytes with isBase64Encoded: True)"
        )
    elif result.get("isBase64Encoded"):
        try:
            data = base64.b64decode(body, validate=True)
        except ValueError:
            raise _Broke("returned isBase64Encoded: True with a body that is not base64") from None
    else:
        data = body.encode("utf-8")
    return Response(code, headers, data[:BODY_LIMIT])


class LambdaTarget:
    """Calls a Lambda handler in this process; a worker thread enforces the delivery timeout,
    which the context's ``get_remaining_time_in_millis()`` also reports."""

    in_process = True
    builtin_target = True

    def __init__(self, handler: Handler, *, host: str = "localhost") -> None:
        self.handler = handler
        self.host = host
        self.description = f"Lambda handler {describe_app(handler)}"
        name = getattr(handler, "__name__", None) or type(handler).__name__
        self.function_name = f"hookmock-{name}".replace("_", "-")[:64]
        self._pool = LazyWorkers("hookmock-lambda", self)

    def url(self, path: str) -> str:
        return f"https://{self.host}{path}"

    def prepare(self) -> None:
        """Nothing to set up: the worker threads start with the first timed call."""

    def handle(self, request: Request, *, timeout: float | None) -> Response:
        event = build_event(request, host=self.host)
        context = LambdaContext(self.function_name, event["requestContext"]["requestId"], timeout)
        if timeout is None:
            return self._invoke((event, context))
        return self._pool.get().run(self._invoke, (event, context), timeout)  # type: ignore[no-any-return]

    def _invoke(self, args: tuple[dict[str, Any], LambdaContext]) -> Response:
        try:
            result = self.handler(*args)
            if inspect.isawaitable(result):
                close = getattr(result, "close", None)
                if close is not None:
                    close()  # never awaited: do not warn about it
                raise _Broke(
                    "returned an awaitable; Lambda's Python runtime calls handlers"
                    " synchronously (wrap async code in asyncio.run)"
                )
            return read_result(result)
        except _Broke as exc:
            # API Gateway answers 500 when the function's output is malformed.
            return Response(
                500,
                {"content-type": "application/json"},
                b'{"message":"Internal Server Error"}',
                error=f"the Lambda handler {exc}",
            )
        except Exception as exc:
            return app_raised(exc)

    def wait_for_handlers(self, timeout: float) -> int:
        """Wait up to ``timeout`` seconds for handlers that outlived their delivery timeout;
        return how many are still running."""
        return self._pool.wait(timeout)

    def close(self) -> None:
        self._pool.close()


__all__ = ["LambdaContext", "LambdaTarget", "build_event", "read_result"]
