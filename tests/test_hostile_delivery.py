"""Hostile and malformed input at the delivery, contract and API mock boundaries: clear errors."""

from __future__ import annotations

import asyncio

import pytest

import hookmock
from hookmock import ConfigurationError


async def _http_only_app(scope, receive, send):
    if scope["type"] != "http":
        return  # no lifespan support: legal per the ASGI spec
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_an_asgi_app_that_returns_from_the_lifespan_scope_is_used_without_lifespan():
    with hookmock.receiver(_http_only_app, secret="whsec_x", timeout=5) as r:
        result = r.send("payment_intent.succeeded")
    assert result.status == 200
    assert result.ok


def test_a_hung_asgi_lifespan_startup_is_a_configuration_error_naming_lifespan(monkeypatch):
    from hookmock.delivery import _asgi

    monkeypatch.setattr(_asgi, "LIFESPAN_TIMEOUT", 0.2)

    async def hangs(scope, receive, send):
        if scope["type"] == "lifespan":
            await receive()
            await asyncio.sleep(60)
        await _http_only_app(scope, receive, send)

    r = hookmock.receiver(hangs, secret="whsec_x", timeout=5)
    with pytest.raises(ConfigurationError, match="lifespan") as info:
        r.send("payment_intent.succeeded")
    assert "ASGI app" in str(info.value)
