"""What a provider API mock sees and says: one decoded request in, one JSON reply out."""

from __future__ import annotations

import json
import re
from typing import Protocol
from urllib.parse import parse_qsl, unquote, urlsplit

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


class ApiRequest:
    """One request a receiver made to a provider's API, decoded.

    ``params`` is what the caller sent as data: the query string for GET and DELETE, the JSON or
    form body otherwise; bracketed form keys (``metadata[order_id]``, ``expand[0]``) become
    nested dicts and lists.

    ``at`` is the story position of the event being delivered when the request was made (the
    API then answers as of that event), or None: outside a story delivery, the latest state.
    """

    __slots__ = ("at", "body", "headers", "host", "method", "params", "path", "query", "url")

    def __init__(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> None:
        parts = urlsplit(url)
        self.method = method.upper()
        self.url = url
        self.host = (parts.hostname or "").lower()
        self.path = parts.path or "/"
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body or b""
        self.at: Position | None = None
        self.query: dict[str, Any] = nest(parse_qsl(parts.query, keep_blank_values=True))
        self.params: dict[str, Any] = self.query
        if self.body and self.method not in ("GET", "HEAD", "DELETE"):
            self.params = decode_body(self.body, self.headers.get("content-type", ""))

    def __repr__(self) -> str:
        return f"<ApiRequest {self.method} {self.url}>"


#: Where an event sits in its story: ``(created, index)``; compared as a tuple, so a request made
#: while handling the event at ``at`` sees every fed event whose position is ``<= at``.
Position = tuple[int, int]


class ProviderAPI(Protocol):
    """A provider's REST API state, as :meth:`hookmock.Provider.api_mock` returns it.

    :class:`hookmock.ApiMock` answers every request to one of ``hosts`` with :meth:`handle`,
    and feeds each delivered event to :meth:`feed` first.

    An API may also define ``feed_event(event, *, at, delivered)`` (the built-in ones do): the
    mock then calls it instead of :meth:`feed` with the whole :class:`hookmock.Event`, its story
    position (``at``: a :data:`Position`, None outside a story) and whether it is delivered
    (False for a story event dropped on purpose), so the API can answer as of an event
    (``request.at``) and list undelivered events.
    """

    #: The provider's registry name (``ApiMock`` offers the API as ``api.<name>``).
    name: str
    #: Hosts answered (``api.acme.example``).
    hosts: tuple[str, ...]
    #: Path prefixes that mean this API in ``api.add("GET", "/path")``; the longest wins.
    paths: tuple[str, ...]

    def feed(self, payload: Mapping[str, Any], type: str | None = None) -> None:
        """Learn from one delivered payload (``type`` is None for a bare payload dict)."""

    def handle(self, request: ApiRequest) -> Reply:
        """The answer to one request to one of :attr:`hosts`."""
        ...

    def claims(self, payload: Mapping[str, Any]) -> bool:
        """Whether a payload dict fed without its provider is this provider's."""
        ...


class Reply:
    """A mocked answer: status, JSON body and extra headers."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


def decode_body(body: bytes, content_type: str) -> dict[str, Any]:
    """The JSON object or form fields of a request body; ``{}`` when it is neither."""
    text = body.decode("utf-8", "replace")
    if "json" in content_type or text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {"": data}
    return nest(parse_qsl(text, keep_blank_values=True))


def nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Bracketed form keys to nested data: ``a[b]=1`` -> ``{"a": {"b": "1"}}``, and
    ``expand[0]=x`` or ``expand[]=x`` -> ``{"expand": ["x"]}``."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        head, _, rest = key.partition("[")
        parts = [head, *re.findall(r"\[([^\]]*)\]", "[" + rest)] if rest else [head]
        node = root
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        last = parts[-1]
        node[last if last else str(len(node))] = value
    out = _listify(root)
    return out if isinstance(out, dict) else {"": out}


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    items = {k: _listify(v) for k, v in node.items()}
    if items and all(k.isdigit() for k in items):
        return [items[k] for k in sorted(items, key=int)]
    return items


class ApiCall:
    """One request the code under test made while the mock was active, and the answer it got.

    ``params`` is the decoded data (query for GET, JSON or form body otherwise); ``json`` is the
    answer's JSON (None when it had none); ``status`` is None for a refused request.
    """

    __slots__ = ("body", "headers", "json", "method", "params", "path", "provider", "status", "url")

    def __init__(self, request: ApiRequest, provider: str | None, status: int | None, json: Any):
        self.method = request.method
        self.url = request.url
        self.path = request.path
        self.params = request.params
        self.body = request.body
        self.headers = request.headers
        self.provider = provider
        self.status = status
        self.json = json

    @property
    def error(self) -> str | None:
        """Why the call failed: the API's error message for a 4xx/5xx, a note for a refusal."""
        if self.status is None:
            host = self.url.split("/")[2] if "//" in self.url else self.url
            return f"refused: the mock answers no {host} request; register one with api.add(...)"
        if self.status < 400:
            return None
        body = self.json
        if isinstance(body, dict):
            error = body.get("error")
            message = error.get("message") if isinstance(error, dict) else body.get("message")
            if isinstance(message, str) and message:
                return message
        return None

    def describe(self) -> str:
        """``GET /v1/charges/ch_1 -> 404: No such charge: 'ch_1'`` (one line per call)."""
        parts = urlsplit(self.url)
        where = self.path if self.provider is not None else f"{parts.netloc}{parts.path}"
        if parts.query:
            where += "?" + unquote(parts.query)
        status = "refused" if self.status is None else str(self.status)
        error = self.error
        text = f"{self.method} {where} -> {status}"
        if error and self.status is not None:
            text += f": {error}"
        elif error:
            text += f" ({error.removeprefix('refused: ')})"
        return text

    def __repr__(self) -> str:
        return f"<ApiCall {self.method} {self.url} -> {self.status}>"
