"""The ``responses`` (and httpx) side of ApiMock: a registry that falls back to hookmock's answers."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import requests
import responses
from responses.registries import FirstMatchRegistry

from .._errors import HookmockError
from ._http import ApiCall, ApiRequest, Reply

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    # Optional: httpx is not a dependency; only httpx_transport() needs it.
    import httpx

    from ._mock import ApiMock

#: hookmock.serve() targets and other local servers stay reachable while a mock is active.
LOOPBACK = re.compile(
    r"^https?://(localhost|[^/:]+\.localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d+)?(/|$)",
    re.IGNORECASE,
)


class UnmockedRequestError(HookmockError, requests.exceptions.ConnectionError):
    """The code under test called a host the API mock does not answer (no request leaves)."""


def make_requests_mock(owner: ApiMock) -> responses.RequestsMock:
    class Registry(FirstMatchRegistry):
        # The user's own routes match first; then hookmock's provider APIs; then a refusal.
        def find(self, request: Any) -> tuple[Any, list[str]]:
            found, reasons = super().find(request)
            if found is None:
                found = _fallback(owner, mock, request)
            return found, reasons

    def recorded(response: Any) -> Any:
        url = str(response.request.url)
        if not _passes(mock, url):
            req = ApiRequest(
                response.request.method, url, response.request.headers, _body(response.request)
            )
            owner.record(
                ApiCall(
                    req, owner.provider_of(req.host), response.status_code, _json(response.content)
                )
            )
        return response

    mock = responses.RequestsMock(
        assert_all_requests_are_fired=False, response_callback=recorded, registry=Registry
    )
    mock.add_passthru(LOOPBACK)
    return mock


def _passes(mock: responses.RequestsMock, url: str) -> bool:
    return any(
        p.match(url) if isinstance(p, re.Pattern) else url.startswith(p)
        for p in mock.passthru_prefixes
    )


def _body(request: Any) -> bytes:
    body = request.body
    if body is None:
        return b""
    return body.encode() if isinstance(body, str) else bytes(body)


def _json(content: bytes) -> Any:
    try:
        return json.loads(content) if content else None
    except ValueError:
        return None


def _fallback(owner: ApiMock, mock: responses.RequestsMock, request: Any) -> Any:
    url = str(request.url)
    if _passes(mock, url):
        return None  # responses then sends it for real (loopback only, unless you add more)
    req = ApiRequest(request.method, url, request.headers, _body(request))
    if owner.provider_of(req.host) is not None:

        def callback(_: Any) -> tuple[int, dict[str, str], str]:
            reply = owner.answer(req)
            if reply is None:  # the host was checked just above
                raise RuntimeError(f"no API for {req.host}")
            return _wire(reply)

        return responses.CallbackResponse(
            request.method, url, callback=callback, content_type="application/json"
        )
    owner.record(ApiCall(req, None, None, None))
    error = UnmockedRequestError(
        f"hookmock's API mock refused {req.method} {url}: tests never reach the network, and"
        f" nothing is registered for {req.host}. Answer it with"
        f" api.add({req.method!r}, {url.split('?')[0]!r}, json={{...}}), or let it through"
        f" with api.responses.add_passthru({_prefix(url)!r}). (Mocked hosts:"
        f" {', '.join(owner.hosts()) or '(none)'}; loopback URLs pass through.)",
        request=request,
    )
    return responses.Response(request.method, url, body=error)


def _prefix(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _wire(reply: Reply) -> tuple[int, dict[str, str], str]:
    headers = {"Content-Type": "application/json", **reply.headers}
    return reply.status, headers, "" if reply.body is None else json.dumps(reply.body)


def httpx_transport(owner: ApiMock) -> httpx.MockTransport:
    # Optional: httpx is not a dependency; only httpx_transport() needs it.
    import httpx

    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if not owner.active:
            # The same window as for requests: answering here while requests calls go out
            # would make one test's two clients disagree about what the API is.
            raise httpx.ConnectError(
                f"hookmock's API mock is not active, so its httpx transport refused"
                f" {request.method} {url}. Like its requests interception, it answers while a"
                " receiver built with mock_api=True delivers an event (the app's calls while"
                " handling it), inside `with api:` (or api.start() ... api.stop()), and after"
                " the pytest fixture's hookmock.api_mock() until the test ends. Wrap calls the"
                " test itself makes in `with api:`.",
                request=request,
            )
        req = ApiRequest(request.method, url, dict(request.headers), request.read())
        reply = owner.answer(req)
        if reply is None:
            owner.record(ApiCall(req, None, None, None))
            raise httpx.ConnectError(
                f"hookmock's API mock transport refused {req.method} {url}: it answers"
                f" {', '.join(owner.hosts()) or 'no host'} only.",
                request=request,
            )
        status, headers, text = _wire(reply)
        owner.record(ApiCall(req, owner.provider_of(req.host), status, reply.body))
        return httpx.Response(status, headers=headers, content=text.encode())

    return httpx.MockTransport(handler)
