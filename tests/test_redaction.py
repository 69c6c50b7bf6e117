"""Redaction: no secret, no part of one, and no URL credential in anything hookmock prints or
stores (issue 8 items 13 and 14)."""

from __future__ import annotations

import io
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import hookmock
from hookmock._redaction import REDACTED, redact, redact_url, remember

SECRET = "whsec_SUPERSECRETvalue0123456789"


def leaks(text: str, secret: str = SECRET) -> list[str]:
    """Every piece of the secret (8 characters or more) that shows in ``text``."""
    return [secret[i : i + 8] for i in range(len(secret) - 7) if secret[i : i + 8] in text]


# -- the function --------------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [0, 470, 480, 490, 495, 499, 500, 520])
def test_redaction_runs_before_the_cut(offset: int) -> None:
    body = "x" * offset + SECRET + "y" * 600
    shown = redact(body, [SECRET], limit=500)
    assert not leaks(shown)
    assert SECRET[:6] not in shown.replace(REDACTED, "") or offset >= 500
    if offset < 500:
        assert shown.endswith(REDACTED) or REDACTED in shown


@pytest.mark.parametrize("size", range(1, len(SECRET)))
def test_a_prefix_of_a_secret_left_at_the_cut_is_redacted(size: int) -> None:
    shown = redact("a" * 10 + SECRET[:size], [SECRET], truncated=True)
    assert shown == "a" * 10 + REDACTED


def test_text_without_secrets_is_untouched_and_cut_at_the_limit() -> None:
    assert redact("hello world", [SECRET]) == "hello world"
    assert redact("x" * 1000, [SECRET], limit=500) == "x" * 500


def test_url_credentials_are_redacted_in_the_url_and_elsewhere() -> None:
    text = "posting to https://bob:hunter2hunter@shop.example/hooks failed; pw hunter2hunter"
    shown = redact(text)
    assert "hunter2hunter" not in shown
    assert f"https://{REDACTED}@shop.example/hooks" in shown
    assert redact_url("https://ghp_token123@github.com/x") == f"https://{REDACTED}@github.com/x"
    assert redact_url("https://shop.example/a@b") == "https://shop.example/a@b"


def test_every_secret_hookmock_signs_with_is_known_afterwards() -> None:
    secret = "whsec_signedOnceAndRemembered"
    hookmock.sign("stripe", b"{}", secret)
    assert redact(f"echo {secret}") == f"echo {REDACTED}"


def test_placeholder_secrets_too_short_to_matter_are_left_alone() -> None:
    remember("s", "whsec_", "whsec_x")
    assert redact("this says so; whsec_xyz") == "this says so; whsec_xyz"


def test_at_the_cut_the_longest_secret_prefix_is_redacted() -> None:
    remember("whsec_SUPERother000")  # shares 'whsec_SUPER' with SECRET, then differs
    shown = redact("a" * 10 + SECRET[:14], [SECRET], truncated=True)
    assert shown == "a" * 10 + REDACTED


# -- where hookmock prints or stores text ------------------------------------------------------------


def echo_at(offset: int, status: str = "400 Bad Request"):  # type: ignore[no-untyped-def]
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response(status, [("Content-Type", "text/plain")])
        return [b"x" * offset + SECRET.encode() + b" trailing text" * 50]

    return app


@pytest.mark.parametrize("offset", [470, 488, 495])
def test_a_failure_message_never_shows_part_of_an_echoed_secret(offset: int) -> None:
    result = hookmock.receiver(echo_at(offset), secret=SECRET).send("invoice.paid")
    with pytest.raises(hookmock.DeliveryError) as info:
        result.assert_ok()
    assert not leaks(str(info.value))
    assert "whsec_SUPERSECRE" not in str(info.value)


def test_a_handled_probe_that_raises_with_the_secret_is_redacted() -> None:
    def probe(event: hookmock.Event) -> bool:
        raise RuntimeError(f"cannot connect with key {SECRET}")

    result = hookmock.receiver(echo_at(0, "200 OK"), secret=SECRET, handled=probe).send(
        "invoice.paid"
    )
    assert result.handled_notes
    assert not any(leaks(note) for note in result.handled_notes)
    with pytest.raises(hookmock.DeliveryError) as info:
        result.assert_ok()
    assert not leaks(str(info.value))


def test_an_asgi_lifespan_failure_message_is_redacted() -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.failed", "message": f"bad key {SECRET}"})

    receiver = hookmock.receiver(app, secret=SECRET)
    with pytest.raises(hookmock.ConfigurationError) as info:
        receiver.send("invoice.paid")
    receiver.close()
    assert "lifespan startup failed: bad key <redacted>" in str(info.value)


def test_a_receiver_repr_and_failures_hide_the_url_password() -> None:
    receiver = hookmock.receiver(
        "https://bob:urlPassword99@127.0.0.1:9/hooks", secret=SECRET, timeout=2
    )
    assert "urlPassword99" not in repr(receiver)
    assert f"https://{REDACTED}@127.0.0.1:9/hooks" in repr(receiver)
    result = receiver.send("invoice.paid")
    assert "urlPassword99" not in result.explain("expected 2xx")
    receiver.close()


def test_a_standard_webhooks_secret_error_quotes_no_part_of_the_secret() -> None:
    bad = "whsec_a"  # one base64 character: no key
    with pytest.raises(hookmock.SecretError) as info:
        hookmock.signing.standard_headers("msg_1", b"{}", bad, 1_700_000_000)
    assert bad not in str(info.value)
    with pytest.raises(hookmock.SecretError) as info:
        hookmock.signing.standard_headers("msg_1", b"{}", [b"whsec_bytes"], 1_700_000_000)  # type: ignore[list-item]
    assert "whsec_bytes" not in str(info.value)


class _Echo(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"x" * 290 + SECRET.encode() + b"y" * 400
        self.send_response(400)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_hookmock_send_redacts_the_response_excerpt_before_cutting_it() -> None:
    from hookmock.cli import main

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        out, err = io.StringIO(), io.StringIO()
        url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
        argv = ["send", url, "stripe", "invoice.paid", "--secret", SECRET, "--seed", "1"]
        main(argv, stdout=out, stderr=err)
    finally:
        server.shutdown()
        server.server_close()
    assert "400" in out.getvalue(), err.getvalue()
    assert not leaks(out.getvalue() + err.getvalue())
    assert "whsec_" not in out.getvalue()


def test_an_app_factory_that_fails_quoting_the_secret_is_redacted(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hookmock.cli import main

    (tmp_path / "leaky_factory_app.py").write_text(
        textwrap.dedent(
            f"""
            def make():
                raise RuntimeError("refusing key {SECRET}")
            """
        )
    )
    (tmp_path / "c.yaml").write_text("provider: stripe\ndeliveries:\n  - send: invoice.paid\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    out, err = io.StringIO(), io.StringIO()
    argv = ["contract", "c.yaml", "--app", "leaky_factory_app:make()", "--secret", SECRET]
    code = main(argv, stdout=out, stderr=err)
    sys.modules.pop("leaky_factory_app", None)
    assert code == 2
    assert "refusing key <redacted>" in err.getvalue()
    assert not leaks(out.getvalue() + err.getvalue())


def test_the_contract_reproduce_line_hides_the_url_password(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from hookmock.cli import main

    (tmp_path / "c.yaml").write_text("provider: stripe\ndeliveries:\n  - send: invoice.paid\n")
    out, err = io.StringIO(), io.StringIO()
    url = "https://bob:contractPw777@127.0.0.1:9/hooks"
    main(
        ["contract", str(tmp_path / "c.yaml"), "--url", url, "--secret", SECRET],
        stdout=out,
        stderr=err,
    )
    assert "contractPw777" not in out.getvalue() + err.getvalue()


@pytest.mark.parametrize(
    "url",
    [
        "http://bob:Pa55word99@127.0.0.1:9999999/x",  # port out of range
        "ftp://bob:Pa55word99@127.0.0.1/x",  # not http(s)
    ],
)
def test_a_malformed_url_is_named_without_its_password(url: str) -> None:
    with pytest.raises(hookmock.ConfigurationError) as info:
        hookmock.receiver(url, provider="stripe", secret="whsec_malformed_url_test")
    assert "Pa55word99" not in str(info.value)
    assert "://<redacted>@127.0.0.1" in str(info.value)
    out, err = io.StringIO(), io.StringIO()
    for argv in (
        ["send", url, "stripe", "invoice.paid", "--secret", "whsec_malformed_url_test"],
        ["load", url, "--provider", "stripe", "--secret", "whsec_malformed_url_test"],
    ):
        from hookmock.cli import main

        code = main(argv, stdout=out, stderr=err)
        assert code == 2, (argv, out.getvalue(), err.getvalue())
    assert "Pa55word99" not in out.getvalue() + err.getvalue()
    assert "<redacted>" in err.getvalue()
