"""Provider API mocks: answer a receiver's calls back to a provider's API from delivered events.

``hookmock.api_mock()`` is the entry point; ``_mock`` holds the ApiMock, which asks each provider
for its API (``Provider.api_mock()``: hosts and routes live in the provider's package), ``_http``
the request and reply every API sees, ``_glue`` the ``responses``/httpx wiring.
"""

from __future__ import annotations

from ._http import ApiCall, ApiRequest, Position, ProviderAPI, Reply
from ._mock import ApiMock, Fed, api_mock

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "ApiCall",
    "ApiMock",
    "ApiRequest",
    "Fed",
    "Position",
    "ProviderAPI",
    "Reply",
    "UnmockedRequestError",
    "api_mock",
]


def __getattr__(name: str) -> Any:
    # The error class subclasses requests' ConnectionError, so it loads with requests.
    if name == "UnmockedRequestError":
        from ._glue import UnmockedRequestError

        return UnmockedRequestError
    raise AttributeError(f"module 'hookmock.apimock' has no attribute {name!r}")
