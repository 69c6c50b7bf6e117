"""``hookmock sign`` and ``hookmock send``: signature headers, and one delivery to a local URL."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import stripe
from _helpers_cli import cli

import hookmock


def test_sign_stripe_matches_stripe_pythons_own_header(tmp_path):
    body = hookmock.stripe.event("charge.refunded", seed=1).body
    path = tmp_path / "event.json"
    path.write_bytes(body)
    run = cli("sign", "stripe", "--secret", "whsec_abc", str(path), "--timestamp", "1700000000")
    assert run.code == 0, run
    expected = stripe.WebhookSignature.generate_signature_header(
        body.decode(), "whsec_abc", timestamp=1700000000
    )
    assert run.lines == [f"Stripe-Signature: {expected}"]


def test_signed_headers_verify_with_stripe_python(tmp_path):
    body = hookmock.stripe.event("invoice.paid", seed=2).body
    run = cli("sign", "stripe", "--secret", "whsec_abc", "-", stdin=body)
    name, _, value = run.lines[0].partition(": ")
    assert name == "Stripe-Signature"
    event = stripe.Webhook.construct_event(body, value, "whsec_abc")
    assert event["type"] == "invoice.paid"


def test_sign_github_matches_the_official_test_vector():
    run = cli("sign", "github", "--secret", "It's a Secret to Everybody", stdin=b"Hello, World!")
    assert run.code == 0
    assert (
        "X-Hub-Signature-256: "
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    ) in run.lines


def test_sign_signs_the_file_byte_for_byte(tmp_path):
    path = tmp_path / "body.json"
    path.write_bytes(b'{"a": 1}\r\n')  # a CRLF a text read would lose
    run = cli("sign", "github", "--secret", "s", str(path))
    assert hookmock.sign("github", b'{"a": 1}\r\n', "s")["X-Hub-Signature-256"] in run.out


def test_sign_with_two_secrets_gives_two_v1_entries():
    run = cli("sign", "stripe", "--secret", "whsec_a", "--secret", "whsec_b", stdin=b"{}")
    assert run.out.count("v1=") == 2


def test_sign_a_missing_file_is_one_clear_error(tmp_path):
    run = cli("sign", "stripe", "--secret", "whsec_a", str(tmp_path / "nope.json"))
    assert run.code == 2
    assert (
        run.err
        == f"hookmock sign: error: {tmp_path / 'nope.json'}: cannot read: No such file or directory\n"
    )


def test_sign_an_empty_secret_is_refused():
    run = cli("sign", "stripe", "--secret", " ", stdin=b"{}")
    assert run.code == 2
    assert "secret is empty" in run.err


def test_sign_an_unknown_provider_says_did_you_mean():
    run = cli("sign", "githu", "--secret", "s", stdin=b"{}")
    assert run.code == 2
    assert "Did you mean 'github'?" in run.err


# -- send ---------------------------------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    status = 200
    seen: list[tuple[str, dict[str, str], bytes]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append((self.path, dict(self.headers), body))
        status = 500 if self.path.endswith("/fail") else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"received": true}' if status == 200 else b"boom " * 100)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_url():
    _Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_send_posts_a_signed_event_and_prints_status_and_body(local_url):
    run = cli(
        "send",
        f"{local_url}/webhooks",
        "stripe",
        "charge.refunded",
        "--secret",
        "whsec_abc",
        "--seed",
        "5",
        "--set",
        "data.object.amount=777",
    )
    assert run.code == 0, run
    ev = hookmock.stripe.event("charge.refunded", seed=5, data__object__amount=777)
    assert run.lines[0] == f"Sent stripe charge.refunded {ev.id} (seed 5) to {local_url}/webhooks"
    assert run.lines[1].startswith("200 in ")
    assert run.lines[2] == '{"received": true}'
    ((path, headers, body),) = _Recorder.seen
    assert path == "/webhooks"
    assert body == ev.body
    stripe.Webhook.construct_event(body, headers["Stripe-Signature"], "whsec_abc")


def test_send_exits_1_on_a_non_2xx_answer_with_a_body_excerpt(local_url):
    run = cli("send", f"{local_url}/fail", "github", "push", "--secret", "s", "--seed", "1")
    assert run.code == 1
    assert run.lines[1].startswith("500 in ")
    assert run.lines[2].endswith("... (500 bytes)")
    assert "counts anything but 2xx as a failed delivery" in run.err
    assert _Recorder.seen[0][1]["X-GitHub-Event"] == "push"


def test_send_refuses_plain_http_to_another_host_without_the_flag():
    run = cli("send", "http://example.invalid/hook", "stripe", "charge.refunded", "--secret", "w")
    assert run.code == 2
    assert "--allow-insecure-http" in run.err
    assert "allow_insecure_http=True" not in run.err


def test_send_a_mistyped_set_path_is_caught_before_sending(local_url):
    run = cli(
        "send",
        local_url,
        "stripe",
        "charge.refunded",
        "--secret",
        "w",
        "--set",
        "data.objet.amount=1",
    )
    assert run.code == 2
    assert "Did you mean 'data.object'?" in run.err
    assert _Recorder.seen == []


def test_sign_refuses_a_timestamp_for_github_whose_signatures_have_none():
    run = cli("sign", "github", "--secret", "s", "--timestamp", "1700000000", stdin=b"{}")
    assert run.code == 2
    assert run.err == (
        "hookmock sign: error: --timestamp does not apply to GitHub:"
        " its signatures carry no timestamp.\n"
    )


def test_sign_refuses_several_secrets_for_github():
    run = cli("sign", "github", "--secret", "a", "--secret", "b", stdin=b"{}")
    assert run.code == 2
    assert "GitHub signs with one secret only; pass --secret once." in run.err


# -- send: a delivery that gets no answer is one plain line ---------------------------------


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_send_to_a_closed_port_says_nothing_is_listening():
    port = _closed_port()
    url = f"http://127.0.0.1:{port}/hook"
    run = cli("send", url, "stripe", "invoice.paid", "--secret", "whsec_x", "--seed", "1")
    assert run.code == 2
    assert run.err == (
        f"hookmock send: error: connection refused: nothing is listening at 127.0.0.1:{port}\n"
    )


def test_send_to_an_untrusted_certificate_says_tls_verification_failed():
    import http.server
    import ssl
    import threading

    import trustme

    cert = trustme.CA().issue_cert("127.0.0.1")
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{server.server_port}/"
        run = cli("send", url, "stripe", "invoice.paid", "--secret", "whsec_x", "--seed", "1")
    finally:
        server.shutdown()
        server.server_close()
    assert run.code == 2
    line = run.err.strip()
    assert line.startswith(
        f"hookmock send: error: TLS verification failed: 127.0.0.1:{server.server_port}"
        " presented a certificate this machine does not trust"
    )
    assert "HTTPSConnectionPool" not in line


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            "ConnectionError: HTTPConnectionPool(host='hooks.invalid', port=80): Max retries"
            ' exceeded with url: / (Caused by NameResolutionError("HTTPConnection(host='
            "'hooks.invalid', port=80): Failed to resolve 'hooks.invalid' ([Errno -2] Name or"
            ' service not known)"))',
            "DNS lookup failed: cannot resolve hooks.invalid to an address",
        ),
        (
            "ConnectTimeout: HTTPConnectionPool(host='hooks.invalid', port=80): Max retries"
            " exceeded with url: / (Caused by ConnectTimeoutError(<urllib3.connection."
            "HTTPConnection object at 0x7f>, 'Connection to hooks.invalid timed out.'))",
            "timed out connecting to hooks.invalid:80",
        ),
        ("OSError: something new", "http://hooks.invalid/: no answer: OSError: something new"),
    ],
)
def test_other_delivery_failures_read_as_one_line(error, expected):
    from hookmock._cli.wire import plain_error

    assert plain_error("http://hooks.invalid/", error) == expected


def test_a_secret_refused_while_sending_is_worded_for_the_command_line(monkeypatch):
    from hookmock._cli import wire
    from hookmock._provider import check_secret

    def refuse(url, ev, **kw):
        check_secret(None, ev.provider)  # as a provider refusing the secret it was given would

    monkeypatch.setattr(wire, "_sender", lambda: refuse)
    run = cli("send", "http://127.0.0.1:9/", "github", "ping", "--secret", "s")
    assert run.code == 2
    assert "--secret my-webhook-secret" in run.err
    assert "secret=" not in run.err
    assert "pytest" not in run.err
    assert "ini option" not in run.err
