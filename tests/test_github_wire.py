"""GitHub wire format: signatures, Hookshot headers, content types, verification."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import parse_qs

import pytest

import hookmock
from hookmock import SecretError, SignatureError

SECRET = "my-webhook-secret"


def test_it_matches_githubs_official_signature_test_vector() -> None:
    got = hookmock.sign("github", b"Hello, World!", "It's a Secret to Everybody")
    assert got["X-Hub-Signature-256"] == (
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    )
    expected_sha1 = hmac.new(
        b"It's a Secret to Everybody", b"Hello, World!", hashlib.sha1
    ).hexdigest()
    assert got["X-Hub-Signature"] == f"sha1={expected_sha1}"


@pytest.mark.parametrize("type_", ["push", "pull_request.opened"])
def test_headers_carry_the_full_hookshot_set(type_: str) -> None:
    ev = hookmock.github.event(type_, seed=7)
    headers = ev.headers(secret=SECRET)
    assert set(headers) == {
        "Content-Type",
        "User-Agent",
        "X-GitHub-Delivery",
        "X-GitHub-Event",
        "X-GitHub-Hook-ID",
        "X-GitHub-Hook-Installation-Target-Type",
        "X-GitHub-Hook-Installation-Target-ID",
        "X-Hub-Signature-256",
        "X-Hub-Signature",
    }
    assert headers["X-GitHub-Event"] == type_.partition(".")[0]
    assert headers["X-GitHub-Delivery"] == ev.id
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"].startswith("GitHub-Hookshot/")
    assert len(headers["User-Agent"].rpartition("/")[2]) == 7
    assert headers["X-GitHub-Hook-ID"].isdigit()
    assert headers["X-GitHub-Hook-Installation-Target-Type"] == "repository"
    assert headers["X-GitHub-Hook-Installation-Target-ID"].isdigit()
    digest = hmac.new(SECRET.encode(), ev.body, hashlib.sha256).hexdigest()
    assert headers["X-Hub-Signature-256"] == f"sha256={digest}"


def test_headers_are_deterministic_for_a_seed() -> None:
    a = hookmock.github.event("push", seed=11).headers(secret=SECRET)
    b = hookmock.github.event("push", seed=11).headers(secret=SECRET)
    c = hookmock.github.event("push", seed=12).headers(secret=SECRET)
    assert a == b
    assert a["X-GitHub-Delivery"] != c["X-GitHub-Delivery"]


def test_the_delivery_guid_differs_between_types_with_the_same_seed() -> None:
    a = hookmock.github.event("push", seed=3)
    b = hookmock.github.event("pull_request.opened", seed=3)
    assert a.id != b.id


def test_an_installation_delivery_targets_the_integration() -> None:
    ev = hookmock.github.event("push", seed=1, with_installation=True)
    headers = ev.headers(secret=SECRET)
    assert headers["X-GitHub-Hook-Installation-Target-Type"] == "integration"
    assert set(ev.payload["installation"]) == {"id", "node_id"}


def test_hook_id_and_target_type_are_options() -> None:
    ev = hookmock.github.event("push", seed=1, hook_id=42, target_type="organization")
    headers = ev.headers(secret=SECRET)
    assert headers["X-GitHub-Hook-ID"] == "42"
    assert headers["X-GitHub-Hook-Installation-Target-Type"] == "organization"


def test_a_bad_option_value_is_a_clear_error() -> None:
    with pytest.raises(hookmock.ConfigurationError, match="'json' or 'form'"):
        hookmock.github.event("push", seed=1, content_type="xml")


def test_the_body_is_compact_json() -> None:
    ev = hookmock.github.event("pull_request.opened", seed=7)
    assert ev.body == json.dumps(ev.payload, separators=(",", ":"), ensure_ascii=False).encode()
    assert b'": ' not in ev.body


def test_form_content_type_sends_a_payload_field_and_signs_the_raw_form_body() -> None:
    ev = hookmock.github.event("push", seed=5, content_type="form")
    headers = ev.headers(secret=SECRET)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert ev.body.startswith(b"payload=")
    form = parse_qs(ev.body.decode(), strict_parsing=True)
    assert json.loads(form["payload"][0]) == ev.payload
    digest = hmac.new(SECRET.encode(), ev.body, hashlib.sha256).hexdigest()
    assert headers["X-Hub-Signature-256"] == f"sha256={digest}"
    hookmock.verify("github", ev.body, headers, SECRET)


def test_verify_accepts_its_own_headers_and_rejects_a_tampered_body() -> None:
    ev = hookmock.github.event("pull_request.opened", seed=2)
    headers = ev.headers(secret=SECRET)
    hookmock.verify("github", ev.body, headers, SECRET)
    with pytest.raises(SignatureError, match="does not match"):
        hookmock.verify("github", ev.body + b" ", headers, SECRET)
    with pytest.raises(SignatureError, match="does not match"):
        hookmock.verify("github", ev.body, headers, "other-secret")


def test_verify_reads_headers_case_insensitively() -> None:
    ev = hookmock.github.event("push", seed=2)
    headers = {k.lower(): v for k, v in ev.headers(secret=SECRET).items()}
    hookmock.verify("github", ev.body, headers, SECRET)


def test_verify_reports_a_missing_signature_header() -> None:
    ev = hookmock.github.event("push", seed=2)
    with pytest.raises(SignatureError, match="Missing X-Hub-Signature-256"):
        hookmock.verify("github", ev.body, {"X-GitHub-Event": "push"}, SECRET)


@pytest.mark.parametrize("secret", [None, "", "   "])
def test_a_missing_or_empty_secret_is_a_clear_error(secret: str | None) -> None:
    ev = hookmock.github.event("push", seed=2)
    with pytest.raises(SecretError, match="secret"):
        ev.headers(secret=secret)


def test_an_unsigned_delivery_must_be_asked_for_explicitly() -> None:
    ev = hookmock.github.event("push", seed=2)
    headers = ev.headers(secret=None, unsigned=True)
    assert "X-Hub-Signature-256" not in headers
    assert "X-Hub-Signature" not in headers
    assert headers["X-GitHub-Event"] == "push"


def test_an_unknown_headers_option_is_an_error() -> None:
    ev = hookmock.github.event("push", seed=2)
    with pytest.raises(hookmock.ConfigurationError, match="unsigned=True"):
        ev.headers(secret=SECRET, unsignd=True)


def test_github_waits_ten_seconds_and_never_retries() -> None:
    assert hookmock.github.timeout == 10.0
    assert hookmock.github.retries is False


def test_a_captured_form_body_is_wrapped_byte_for_byte() -> None:
    original = hookmock.github.event("issues.opened", seed=5, content_type="form")
    captured = hookmock.github.from_payload(original.body)
    assert captured.body == original.body
    assert captured.type == "issues.opened"
    assert captured.payload == original.payload
    headers = captured.headers(secret=SECRET)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    hookmock.verify("github", captured.body, headers, SECRET)


def test_a_malformed_form_body_is_a_clear_error() -> None:
    with pytest.raises(hookmock.PayloadError, match="payload=<urlencoded JSON>"):
        hookmock.github.from_payload(b"payload=1&payload=2")
