"""Bad input at the public boundary gets a clear error, never a traceback from inside."""

from __future__ import annotations

import math

import pytest

import hookmock
from hookmock import OverrideError, SecretError, SignatureError
from hookmock import signing as s

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.mark.parametrize(
    ("provider", "header"),
    [("stripe", "t=1,v1=\u00e9"), ("github", "sha256=\u00e9"), ("stripe", "t=1,v1=\ud800")],
)
def test_a_non_ascii_signature_is_a_mismatch_not_a_crash(provider, header):
    ev = hookmock.event(provider, "push" if provider == "github" else "invoice.paid", seed=1)
    with pytest.raises(SignatureError):
        hookmock.verify(provider, ev.body, header, "whsec_x", now=1)


def test_a_non_ascii_standard_webhooks_signature_is_a_mismatch():
    headers = s.standard_headers("m", b"{}", SECRET, 1_700_000_000)
    headers["webhook-signature"] = "v1,\u00e9"
    with pytest.raises(SignatureError):
        s.standard_verify(b"{}", headers, SECRET, now=1_700_000_000)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({1, 2}, "a set is not a JSON value"),
        (b"x", "a bytes is not a JSON value"),
        (math.nan, "is not a JSON number"),
        (math.inf, "is not a JSON number"),
        ("\ud800", "lone surrogate"),
        ({1: "a"}, "keys are strings"),
    ],
)
def test_override_values_must_be_json(value, fragment):
    with pytest.raises(OverrideError, match=fragment) as info:
        hookmock.stripe.event("payment_intent.succeeded", data__object__description=value)
    assert "data__object__description" in str(info.value)


def test_a_self_referencing_override_is_refused():
    loop: dict = {}
    loop["again"] = loop
    with pytest.raises(OverrideError, match="nests more than"):
        hookmock.stripe.event("payment_intent.succeeded", data__object__metadata=loop)


@pytest.mark.parametrize("bad", [None, 1, b"push", ["push"]])
def test_a_type_that_is_not_a_string_is_a_clear_type_error(bad):
    with pytest.raises(TypeError, match="event type must be a str"):
        hookmock.github.event(bad)


@pytest.mark.parametrize("bad", [1, [1], [None], b"merged"])
def test_traits_that_are_not_names_are_a_clear_type_error(bad):
    with pytest.raises(TypeError, match="traits"):
        hookmock.github.event("pull_request.closed", traits=bad)


@pytest.mark.parametrize("secret", [5, {"a": 1}, "\ud800", [None]])
def test_secrets_of_the_wrong_kind_are_refused_clearly(secret):
    with pytest.raises(SecretError):
        hookmock.sign("stripe", b"{}", secret)


@pytest.mark.parametrize("timestamp", ["now", math.nan, True, 1.5, [1]])
def test_signature_times_must_be_whole_seconds(timestamp):
    with pytest.raises(TypeError, match="timestamp must be unix seconds"):
        hookmock.sign("stripe", b"{}", "whsec_x", timestamp=timestamp)


@pytest.mark.parametrize("secret", ["", "whsec_", "whsec_***", None])
def test_standard_webhooks_refuse_an_empty_or_unusable_key(secret):
    with pytest.raises(SecretError):
        s.standard_headers("m", b"{}", [secret], 1)


@pytest.mark.parametrize("headers", ["X-Hub-Signature-256", [("a", "b")], 5])
def test_header_lookup_wants_a_mapping(headers):
    with pytest.raises(TypeError, match="headers must be a dict"):
        s.header(headers, "X-Hub-Signature-256")


def test_a_header_value_that_is_not_text_is_named():
    with pytest.raises(TypeError, match="X-Hub-Signature-256 header must be a str"):
        s.github_verify(b"{}", {"X-Hub-Signature-256": 5}, "k")
    s.github_verify(
        b"{}",
        {"X-Hub-Signature-256": s.github_headers(b"{}", "k")["X-Hub-Signature-256"].encode()},
        "k",
    )


@pytest.mark.parametrize("payload", [None, 5, ["x"]])
def test_from_payload_names_what_it_takes(payload):
    with pytest.raises(TypeError, match="from_payload takes the payload as a dict"):
        hookmock.stripe.from_payload(payload)


def test_a_body_with_a_lone_surrogate_is_refused_at_the_boundary():
    with pytest.raises(ValueError, match="lone surrogate"):
        hookmock.sign("stripe", "\ud800", "whsec_x")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b'{"a": ' + b"9" * 5000 + b"}", "more than 4300 digits"),
        (b'{"a": NaN}', "NaN is not a JSON value"),
        (b'{"a": -Infinity}', "-Infinity is not a JSON value"),
    ],
)
def test_json_that_python_reads_but_json_forbids_is_a_payload_error(body, fragment):
    with pytest.raises(hookmock.PayloadError, match=fragment):
        hookmock.validate(body)


def test_validate_and_sign_refuse_fifos_instead_of_hanging(tmp_path):
    import io
    import os

    from hookmock.cli import main

    fifo = tmp_path / "events.json"
    os.mkfifo(fifo)
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", str(tmp_path)], stdout=out, stderr=err) == 2
    assert "is not a regular file" in out.getvalue() + err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    assert main(["sign", "stripe", "--secret", "whsec_x", str(fifo)], stdout=out, stderr=err) == 2
    assert "is not a regular file" in err.getvalue()


def test_junit_output_stays_parseable_with_control_characters_in_file_names(tmp_path):
    import io
    import xml.etree.ElementTree as ET

    from hookmock.cli import main

    bad = tmp_path / "a\x01b.json"
    bad.write_text("{not json")
    out = io.StringIO()
    assert main(["validate", str(bad), "--format", "junit"], stdout=out, stderr=io.StringIO()) == 2
    root = ET.fromstring(out.getvalue())
    assert root.tag == "testsuites"


@pytest.mark.parametrize(("key", "value"), [("x", b"a"), ("x", {1, 2}), ("x", math.nan), (3, 1)])
def test_a_dict_holding_what_json_cannot_is_a_payload_error(key, value):
    payload = hookmock.stripe.event("invoice.paid", seed=1).payload
    payload["data"]["object"][key] = value
    with pytest.raises(hookmock.PayloadError, match=r"not a JSON value|not a str"):
        hookmock.validate(payload)


@pytest.mark.parametrize("provider", ["", ["stripe"], 5])
def test_a_provider_must_be_named_by_a_string(provider):
    with pytest.raises(TypeError, match="a provider is named by a non-empty str"):
        hookmock.validate({"type": "invoice.paid"}, provider=provider)
