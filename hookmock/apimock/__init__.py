"""Provider API mocks: answer a receiver's calls back to Stripe and GitHub from delivered events.

``hookmock.api_mock()`` is the entry point; ``_mock`` holds the ApiMock, ``_stripe`` and
``_github`` one provider's routes each, ``_glue`` the ``responses``/httpx wiring.
"""

from __future__ import annotations

from ._mock import ApiCall, ApiMock, api_mock

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ApiCall", "ApiMock", "UnmockedRequestError", "api_mock"]


def __getattr__(name: str) -> Any:
    # The error class subclasses requests' ConnectionError, so it loads with requests.
    if name == "UnmockedRequestError":
        from ._glue import UnmockedRequestError

        return UnmockedRequestError
    raise AttributeError(f"module 'hookmock.apimock' has no attribute {name!r}")
