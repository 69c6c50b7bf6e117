"""What validation says when a payload does not fit: the API and the CLI agree, in JSON terms."""

from __future__ import annotations

import json

import pytest
from _helpers_cli import cli

import hookmock
from hookmock import PayloadError, SchemaError


def _stripe(type: str = "invoice.paid", seed: int = 1) -> dict:
    return json.loads(hookmock.stripe.event(type, seed=seed).body)


def _push() -> bytes:
    return hookmock.github.event("push", seed=1).body


# -- 1. a catalog type with an incomplete envelope, a close-but-unknown type ------------------


def test_a_known_type_with_an_incomplete_envelope_reports_the_missing_fields(tmp_path):
    path = tmp_path / "min.json"
    path.write_text('{"type":"invoice.paid"}')
    run = cli("validate", str(path))
    assert run.code == 1
    assert f"{path}:1: /: 'object' is a required property" in run.lines
    assert "not a known event type" not in run.out
    with pytest.raises(SchemaError) as info:
        hookmock.validate({"type": "invoice.paid"})
    assert (info.value.provider, info.value.type) == ("stripe", "invoice.paid")
    assert "'data' is a required property" in [v.message for v in info.value.errors]


def test_the_api_suggests_the_close_type_as_the_cli_does(tmp_path):
    payload = _stripe()
    payload["type"] = "invoice.payed"
    with pytest.raises(SchemaError) as info:
        hookmock.validate(payload)
    [finding] = info.value.errors
    assert finding.pointer == "/type"
    assert "Did you mean 'invoice.paid'" in finding.message
    path = tmp_path / "typo.json"
    path.write_text(json.dumps(payload))
    run = cli("validate", str(path))
    assert run.code == 1
    assert run.lines[0] == f"{path}:1: {finding}"


def test_a_provider_flag_that_excludes_the_payload_says_so(tmp_path):
    path = tmp_path / "paid.json"
    path.write_text(json.dumps(_stripe()))
    run = cli("validate", str(path), "--provider", "github")
    assert run.code == 2
    assert run.lines[0] == (
        f"{path}: error: this is a stripe event ('invoice.paid'); --provider github excludes it."
    )
    with pytest.raises(SchemaError, match="provider='github' excludes it"):
        hookmock.validate(_stripe(), provider="github")


def test_a_github_annotation_for_a_type_finding_does_not_say_unknown_type_event(tmp_path):
    payload = _stripe()
    payload["type"] = "invoice.payed"
    path = tmp_path / "typo.json"
    path.write_text(json.dumps(payload))
    run = cli("validate", str(path), "--format", "github")
    assert "title=hookmock%3A invalid stripe (type unknown) event::/type:" in run.lines[0]


# -- 2. an X-GitHub-Event header that does not fit the payload -------------------------------


def test_a_sidecar_event_that_needs_an_action_is_named_and_is_a_finding(tmp_path):
    path = tmp_path / "a.json"
    path.write_bytes(_push())
    sidecar = tmp_path / "a.json.headers"
    sidecar.write_text('{"X-GitHub-Event":"issues"}')
    run = cli("validate", str(path))
    assert run.code == 1
    assert run.lines[0].startswith(
        f"{path}:1: /: X-GitHub-Event 'issues' (from {sidecar}) needs an 'action' field,"
        " which the payload lacks"
    )
    assert "add a headers sidecar" not in run.out


def test_the_api_names_the_header_that_does_not_fit():
    with pytest.raises(SchemaError) as info:
        hookmock.validate(_push(), headers={"X-GitHub-Event": "issues"})
    assert "X-GitHub-Event 'issues'" in str(info.value)
    assert "needs an 'action' field, which the payload lacks" in str(info.value)
    with pytest.raises(SchemaError) as info:
        hookmock.validate(_push(), headers={"X-GitHub-Event": "pusj"})
    assert "unknown GitHub event 'pusj'" in str(info.value)
    assert "did you mean 'push'?" in str(info.value)


def test_an_explicit_header_with_an_action_validates_against_that_type():
    payload = json.loads(_push())
    payload["action"] = "opened"
    with pytest.raises(SchemaError) as info:
        hookmock.validate(payload, headers={"X-GitHub-Event": "issues"})
    assert info.value.type == "issues.opened"
    assert "'issue' is a required property" in [v.message for v in info.value.errors]


def test_an_unknown_action_for_the_header_event_is_a_finding_at_action():
    payload = json.loads(hookmock.github.event("issues.opened", seed=1).body)
    payload["action"] = "opend"
    with pytest.raises(SchemaError) as info:
        hookmock.validate(payload, headers={"X-GitHub-Event": "issues"})
    [finding] = info.value.errors
    assert finding.pointer == "/action"
    assert "Did you mean 'opened'" in finding.message


# -- 4. type= alone, and an empty payload ----------------------------------------------------


def test_type_alone_names_the_provider_that_has_it():
    body = hookmock.stripe.event("charge.succeeded", seed=2).body
    assert hookmock.validate(body, type="charge.succeeded") == ("stripe", "charge.succeeded")
    with pytest.raises(SchemaError, match=r"Did you mean 'charge\.succeeded'"):
        hookmock.validate(body, type="charge.succeded")


@pytest.mark.parametrize("empty", [b"", "", b"  \n"])
def test_an_empty_payload_is_called_empty(empty):
    with pytest.raises(PayloadError, match="payload is empty"):
        hookmock.validate(empty)


# -- 5. schema messages in JSON terms, one per wrong value ----------------------------------


def test_enum_messages_show_json_values():
    # Stripe keeps its enums open (it adds values without a new API version), so a closed
    # GitHub enum shows the wording: the values as JSON writes them, double-quoted.
    event = hookmock.github.event("pull_request.opened", seed=1)
    payload = json.loads(event.body)
    payload["pull_request"]["author_association"] = "bogus"
    with pytest.raises(SchemaError) as info:
        hookmock.validate(payload, provider="github", type="pull_request.opened")
    [finding] = info.value.errors
    assert finding.pointer == "/pull_request/author_association"
    assert finding.message.startswith('"bogus" is not one of "COLLABORATOR", "CONTRIBUTOR", ')
    assert "'" not in finding.message


def test_a_wrong_implied_status_is_reported_once_as_the_const():
    payload = _stripe("invoice.paid")
    payload["data"]["object"]["status"] = "bogus"
    with pytest.raises(SchemaError) as info:
        hookmock.validate(payload)
    at_status = [v for v in info.value.errors if v.pointer == "/data/object/status"]
    assert [v.message for v in at_status] == ['must be "paid" (this type implies it), got "bogus"']


def test_type_messages_show_json_values():
    payload = _stripe("invoice.paid")
    payload["livemode"] = None
    with pytest.raises(SchemaError) as info:
        hookmock.validate(payload)
    assert [str(v) for v in info.value.errors] == ['/livemode: null is not of type "boolean"']


def test_a_header_that_does_not_fit_says_what_the_payload_looks_like():
    with pytest.raises(SchemaError) as info:
        hookmock.validate(_push(), headers={"x-github-event": "issues"})
    assert "The payload looks like a 'push' event; is the header right?" in str(info.value)


# -- "null or object" fields: the object's own problems, in words ---------------------------------


def _messages(payload: dict, type: str) -> dict[str, str]:
    with pytest.raises(SchemaError) as info:
        hookmock.validate(payload, provider="github", type=type)
    return {v.pointer: v.message for v in info.value.errors}


def _no_python(text: str) -> None:
    for python in ("None", "True", "False", "{'", "'type'"):
        assert python not in text, text


def test_a_broken_app_reports_what_the_app_lacks_not_that_it_is_not_null():
    payload = hookmock.github.event("check_run.completed", seed=2).payload
    del payload["check_run"]["app"]["owner"]
    payload["check_run"]["app"]["created_at"] = "25/04/2018"
    got = _messages(payload, "check_run.completed")
    assert got["/check_run/app"] == "'owner' is a required property"
    assert got["/check_run/app/created_at"].startswith('"25/04/2018" is not in the expected format')
    for message in got.values():
        assert "not of type" not in message
        _no_python(message)


def test_a_head_commit_missing_fields_names_them_rather_than_null():
    payload = hookmock.github.event("push", seed=2).payload
    payload["head_commit"] = {"id": "0" * 40}
    got = _messages(payload, "push")
    assert "/head_commit" in got
    assert all("null" not in m for p, m in got.items() if p.startswith("/head_commit"))
    assert any("is a required property" in m for m in got.values())


def test_a_null_where_a_value_is_required_says_null_in_json():
    # GitHub's description allows a null conclusion even on a completed run; head_sha is never null.
    payload = hookmock.github.event("workflow_run.completed", seed=2).payload
    payload["workflow_run"]["head_sha"] = None
    got = _messages(payload, "workflow_run.completed")
    assert got["/workflow_run/head_sha"] == 'null is not of type "string"'


def test_the_cli_prints_the_same_words(tmp_path):
    payload = hookmock.github.event("check_run.completed", seed=2).payload
    del payload["check_run"]["app"]["name"]
    path = tmp_path / "run.json"
    path.write_text(json.dumps(payload))
    run = cli("validate", "--provider", "github", "--type", "check_run.completed", str(path))
    assert run.code == 1
    assert f"{path}:1: /check_run/app: 'name' is a required property" in run.lines
    _no_python(run.out)


# -- headers that are not a mapping ----------------------------------------------------------------


@pytest.mark.parametrize("headers", [[("X-GitHub-Event", "pull_request")], "X-GitHub-Event: push"])
def test_headers_that_are_not_a_mapping_are_a_clear_type_error(headers):
    raw = hookmock.github.event("pull_request.opened", seed=1).body
    with pytest.raises(TypeError, match="headers must be a dict of header names to values"):
        hookmock.validate(raw, headers=headers)


def test_headers_in_any_case_are_accepted():
    raw = hookmock.github.event("pull_request.opened", seed=1).body
    got = hookmock.validate(raw, headers={"x-github-event": "pull_request"})
    assert got == ("github", "pull_request.opened")
