"""The pytest fixture's teardown under a hostile ASGI app: every step runs, the first failure is
reported as a hookmock error, and nothing (an API mock) leaks into the next test."""

from __future__ import annotations

pytest_plugins = ["pytester"]

STUCK_SHUTDOWN = """
import asyncio

from hookmock.delivery import _asgi

_asgi.LIFESPAN_TIMEOUT = 0.3


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        await receive()
        await send({"type": "lifespan.startup.complete"})
        await receive()
        await asyncio.sleep(3600)  # lifespan shutdown never completes
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_a_delivery_to_an_app_whose_shutdown_hangs(hookmock):
    hookmock.api_mock()
    served = hookmock.serve(app)
    assert hookmock.receiver(app, secret="whsec_x", timeout=5).send("invoice.paid").ok
    assert hookmock.receiver(served + "/x", secret="whsec_x", timeout=5).send("invoice.paid").ok


def test_the_next_test_starts_clean():
    from hookmock.apimock._mock import active_mocks

    assert active_mocks() == []
"""


def test_a_hung_lifespan_shutdown_fails_teardown_with_a_hookmock_error_and_cleans_up(pytester):
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    pytester.makepyfile(test_stuck=STUCK_SHUTDOWN)
    result = pytester.runpytest_subprocess("-q", "--tb=line", timeout=60)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*ConfigurationError: The ASGI app*lifespan shutdown*"])
    assert "TimeoutError" not in result.stdout.str()
