"""Regression tests for items of issues 7, 8 and 12 that had none of their own (audit before
closing them). Loopback only; every subprocess and wait is bounded."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import hookmock

SECRET = "whsec_issue_audit"


class _Recorder:
    """A WSGI receiver that answers 200 and keeps the Stripe-Signature of each delivery."""

    def __init__(self) -> None:
        self.signatures: list[str] = []

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        self.signatures.append(environ.get("HTTP_STRIPE_SIGNATURE", ""))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    def signed_at(self) -> list[int]:
        return [int(s.split(",")[0].removeprefix("t=")) for s in self.signatures]


# -- issue 8, item 17: contracts refuse a sub-field of a scalar as Python and the CLI do ----------


def test_a_contract_setting_a_sub_field_of_a_scalar_fails_naming_the_fix() -> None:
    app = _Recorder()
    contract = {
        "provider": "stripe",
        "deliveries": [
            {
                "send": "payment_intent.succeeded",
                "set": {"data.object.amount.x": 5},
                "expect": {"status": "2xx"},
            }
        ],
    }
    with (
        hookmock.receiver(app, secret=SECRET, timeout=10) as receiver,
        pytest.raises(hookmock.ContractError) as info,
    ):
        receiver.run_contract(contract)
    text = str(info.value)
    assert "deliveries[0]" in text
    assert "sets a field inside 'data.object.amount'" in text
    assert 'set the field itself: data.object.amount={"x": 5}' in text
    assert app.signatures == []  # nothing was sent with an amount silently turned into a dict


def test_a_contract_may_replace_a_scalar_with_an_object_when_it_sets_the_field_itself() -> None:
    app = _Recorder()
    contract = {
        "provider": "stripe",
        "deliveries": [
            {
                "send": "payment_intent.succeeded",
                "set": {"data.object.amount": {"x": 5}},
                "expect": {"status": "2xx"},
            }
        ],
    }
    with hookmock.receiver(app, secret=SECRET, timeout=10) as receiver:
        report = receiver.run_contract(contract)
    (row,) = report.rows
    assert row.result.event.payload["data"]["object"]["amount"] == {"x": 5}


# -- issue 7: a negative timestamp means "seconds ago" for a receiver and in a contract -----------


def test_a_negative_timestamp_signs_that_many_seconds_ago_in_send_and_in_a_contract() -> None:
    app = _Recorder()
    contract = {
        "provider": "stripe",
        "deliveries": [{"send": "invoice.paid", "timestamp": -600, "expect": {"status": "2xx"}}],
    }
    with hookmock.receiver(app, secret=SECRET, timeout=10) as receiver:
        before = int(time.time())
        receiver.send("invoice.paid", timestamp=-600).assert_ok()
        receiver.run_contract(contract).assert_ok()
        after = int(time.time())
        receiver.send("invoice.paid", timestamp=1_700_000_000)  # a positive one is absolute
    by_send, by_contract, absolute = app.signed_at()
    for signed in (by_send, by_contract):
        assert before - 600 <= signed <= after - 600
    assert absolute == 1_700_000_000


# -- issue 7: hookmock.validate reads the event from any framework's header mapping ---------------


def _werkzeug(event: str) -> object:
    from werkzeug.datastructures import Headers

    return Headers([("X-GitHub-Event", event)])


def _django(event: str) -> object:
    from django.http.request import HttpHeaders

    return HttpHeaders({"HTTP_X_GITHUB_EVENT": event})


def _starlette(event: str) -> object:
    from starlette.datastructures import Headers

    return Headers(raw=[(b"x-github-event", event.encode())])


def _wsgi_environ(event: str) -> object:
    from werkzeug.test import EnvironBuilder

    return EnvironBuilder(headers={"X-GitHub-Event": event}).get_environ()


@pytest.mark.parametrize("make", [_werkzeug, _django, _starlette, _wsgi_environ])
def test_validate_takes_the_event_from_a_framework_header_mapping_not_only_from_the_body(
    make,
) -> None:
    body = hookmock.github.event("pull_request.opened", seed=1).body
    assert hookmock.validate(body, headers=make("pull_request")) == (
        "github",
        "pull_request.opened",
    )
    # The header decides, so it was read: a pull request body sent as "issues" is invalid.
    with pytest.raises(hookmock.SchemaError, match=r"'issues\.opened'"):
        hookmock.validate(body, headers=make("issues"))


# -- issue 12: without --headless, Locust's web UI is served on 127.0.0.1 only --------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening_addresses(port: int) -> set[str]:
    """The local addresses listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def _wait_for_http(url: str, proc: subprocess.Popen[bytes], limit: float) -> int:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            _, err = proc.communicate(timeout=30)
            tail = err.decode(errors="replace")[-2000:]
            raise AssertionError(f"hookmock load exited early with {proc.returncode}: {tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return int(answer.status)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url} within {limit} s")


@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="needs /proc/net/tcp")
def test_without_headless_the_locust_web_ui_is_served_on_loopback_only_and_sigterm_stops_it(
    tmp_path,
):
    pytest.importorskip("gunicorn")  # the [test] extra, which also brings Locust
    if subprocess.run([sys.executable, "-c", "import locust"], capture_output=True).returncode:
        pytest.skip("Locust is not installed (pip install -e '.[test]')")
    receiver = socket.socket()  # reachable; the UI run sends nothing until someone presses start
    receiver.bind(("127.0.0.1", 0))
    receiver.listen()
    web_port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "hookmock", "load",
            f"http://127.0.0.1:{receiver.getsockname()[1]}/webhooks/stripe",
            "--secret", SECRET, "--web-port", str(web_port), "--pool", "4",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip
    try:
        assert _wait_for_http(f"http://127.0.0.1:{web_port}/", proc, limit=60) == 200
        assert _listening_addresses(web_port) == {"0100007F"}  # 127.0.0.1, no other interface
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
        receiver.close()
    text = err.decode(errors="replace")
    assert f"web interface at http://127.0.0.1:{web_port}" in text
    assert "Traceback" not in text
    assert proc.returncode == 0, text[-2000:]


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the demo receiver exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listened on 127.0.0.1:{port} within {limit} s")


def test_a_headless_run_with_html_writes_locusts_report_with_a_row_per_event_type(tmp_path):
    pytest.importorskip("gunicorn")  # the [test] extra, which also brings Locust
    if subprocess.run([sys.executable, "-c", "import locust"], capture_output=True).returncode:
        pytest.skip("Locust is not installed (pip install -e '.[test]')")
    port = _free_port()
    demo = subprocess.Popen(
        [sys.executable, "-m", "hookmock.load.demo", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, demo, limit=30)
        run = subprocess.run(
            [
                sys.executable, "-m", "hookmock", "load",
                f"http://127.0.0.1:{port}/webhooks/github",
                "--provider", "github", "--secret", "hookmock-demo-secret",
                "--users", "2", "--spawn-rate", "2", "--run-time", "2s", "--headless",
                "--pool", "4", "--mix", "push=1,pull_request.opened=1", "--html", "report.html",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )  # fmt: skip
    finally:
        demo.terminate()
        demo.wait(timeout=30)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    html = (tmp_path / "report.html").read_text()
    assert "<html" in html
    assert '"name": "push"' in html
    assert '"name": "pull_request.opened"' in html
    assert "non-2xx      none" in run.stdout
