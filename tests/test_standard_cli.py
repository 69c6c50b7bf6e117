"""The command line with ``standard``: an empty catalog said plainly, a folder from the environment,
and list, generate, validate, sign and send working like they do for Stripe and GitHub."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import standardwebhooks
from _helpers_cli import cli, python_m

import hookmock

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SCHEMA = {
    "title": "An invoice was paid.",
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string", "pattern": "^in_[A-Za-z0-9]{24}$"}},
}


@pytest.fixture(autouse=True)
def empty_catalog():
    """Each test starts and ends with no Standard Webhooks types (the README's examples, run in
    the same process, register some)."""
    for t in hookmock.standard.types():
        hookmock.standard.unregister(t)
    yield
    for t in hookmock.standard.types():
        hookmock.standard.unregister(t)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A folder of schemas named by HOOKMOCK_STANDARD_SCHEMAS, for subprocess runs."""
    (tmp_path / "invoice.paid.json").write_text(json.dumps(SCHEMA))
    monkeypatch.setenv("HOOKMOCK_STANDARD_SCHEMAS", str(tmp_path))
    return tmp_path


@pytest.fixture
def registered():
    """The same type registered in this process, for in-process runs."""
    hookmock.standard.register("invoice.paid", SCHEMA)
    yield
    hookmock.standard.unregister("invoice.paid")


def test_list_says_when_the_catalog_is_empty():
    run = cli("list", "standard")
    assert run.code == 0
    assert run.out == ""
    assert run.err == "hookmock: Standard Webhooks has no event types yet.\n"


def test_generate_of_an_unregistered_type_names_the_environment_variable():
    run = cli("generate", "standard", "invoice.paid")
    assert run.code == 2
    assert "Unknown standard event type 'invoice.paid'" in run.err
    assert "set HOOKMOCK_STANDARD_SCHEMAS=<folder>" in run.err


def test_a_folder_in_the_environment_gives_the_command_line_its_types(folder, tmp_path):
    listed = python_m("list", "standard")
    assert listed.out == "# invoice (1)\ninvoice.paid  An invoice was paid.\n", listed
    generated = python_m("generate", "standard", "invoice.paid", "--seed", "3")
    assert generated.code == 0, generated
    (tmp_path / "out").mkdir()  # not the schema folder: every *.json there is a type
    event = tmp_path / "out" / "event.json"
    event.write_text(generated.out)
    checked = python_m("validate", str(event))
    assert checked.code == 0, checked
    assert "1 valid" in checked.out


def test_validate_finds_problems_in_a_registered_types_data(registered, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps({"type": "invoice.paid", "timestamp": "2024-01-01T00:00:00Z", "data": {"id": 4}})
    )
    run = cli("validate", "--provider", "standard", str(path))
    assert run.code == 1
    assert "/data/id" in run.out + run.err


def test_sign_prints_the_three_headers_that_standardwebhooks_accepts(tmp_path):
    body = b'{"type":"any.thing","timestamp":"2024-01-01T00:00:00Z","data":{"a":1}}'
    path = tmp_path / "body.json"
    path.write_bytes(body)
    run = cli("sign", "standard", str(path), "--secret", SECRET)
    assert run.code == 0, run
    headers = dict(line.split(": ", 1) for line in run.lines)
    assert sorted(headers) == ["webhook-id", "webhook-signature", "webhook-timestamp"]
    standardwebhooks.Webhook(SECRET).verify(body, headers)
    rotated = cli(
        "sign", "standard", str(path), "--secret", SECRET, "--secret", "whsec_" + "A" * 32
    )
    assert rotated.lines[2].count("v1,") == 2
    everything = cli("sign", "standard", str(path), "--secret", SECRET, "--all-headers")
    assert everything.code == 0, everything  # an unregistered type in the envelope still signs
    assert "-H 'Content-Type: application/json'" in everything.out


def test_sign_with_a_secret_that_holds_no_key_says_what_a_secret_looks_like(tmp_path):
    path = tmp_path / "body.json"
    path.write_bytes(b"{}")
    run = cli("sign", "standard", str(path), "--secret", "whsec_")  # the reference refuses it too
    assert run.code == 2
    assert "'whsec_' followed by base64" in run.err


class _Verifier(BaseHTTPRequestHandler):
    seen: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            self.seen.append(standardwebhooks.Webhook(SECRET).verify(body, dict(self.headers)))
            status = 204
        except standardwebhooks.WebhookVerificationError:
            status = 400
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def verifier():
    _Verifier.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Verifier)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_send_delivers_a_signed_event_a_verifying_server_accepts(registered, verifier):
    run = cli(
        "send", f"{verifier}/hooks", "standard", "invoice.paid", "--secret", SECRET, "--seed", "1"
    )
    assert run.code == 0, run
    assert _Verifier.seen[0]["type"] == "invoice.paid"
    stale = cli(
        "send",
        f"{verifier}/hooks",
        "standard",
        "invoice.paid",
        "--secret",
        SECRET,
        "--timestamp",
        "-600",
    )
    assert stale.code == 1, stale
    assert len(_Verifier.seen) == 1
