"""``hookmock validate``: payload files in, ``file: /pointer: message`` and exit codes out."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from _helpers_cli import REPO, cli, github_event, python_m, tamper, write_stripe

import hookmock

TYPES = ["payment_intent.succeeded", "charge.refunded", "invoice.paid", "customer.created"]


@pytest.fixture
def valid_dir(tmp_path):
    folder = tmp_path / "payloads"
    write_stripe(folder, TYPES)
    write_stripe(folder / "nested" / "deeper", ["checkout.session.completed"], start=10)
    return folder


@pytest.fixture
def tampered(tmp_path):
    (path,) = write_stripe(tmp_path, ["payment_intent.succeeded"])
    tamper(path, ["data", "object", "amount"], "lots")
    return path


def test_a_directory_of_generated_payloads_is_valid(valid_dir):
    run = cli("validate", str(valid_dir))
    assert run.code == 0, run
    assert run.out == "Checked 5 files: 5 valid.\n"


def test_verbose_lists_each_payload_with_its_detected_type(valid_dir):
    run = cli("validate", str(valid_dir), "-v")
    assert run.code == 0
    nested = next(x for x in run.lines if "nested" in x)
    assert nested.endswith(": ok (stripe checkout.session.completed)")


def test_a_tampered_payload_prints_file_pointer_and_message(tampered):
    run = cli("validate", str(tampered))
    assert run.code == 1
    at = _line_containing(tampered, '"amount": "lots"')
    assert run.lines[0] == f'{tampered}:{at}: /data/object/amount: "lots" is not of type "integer"'
    assert run.lines[-1] == "Checked 1 file: 0 valid, 1 invalid (1 error)."


def test_every_violation_is_listed(tmp_path):
    (path,) = write_stripe(tmp_path, ["charge.refunded"])
    doc = json.loads(path.read_bytes())
    doc["data"]["object"]["amount"] = "x"
    doc["livemode"] = "no"
    del doc["created"]
    path.write_text(json.dumps(doc))
    run = cli("validate", str(path))
    assert run.code == 1
    pointers = [line.split(": ")[1] for line in run.lines[:-1]]
    assert set(pointers) == {"/", "/data/object/amount", "/livemode"}
    assert "3 errors" in run.lines[-1]


def test_one_bad_file_never_stops_the_others(tmp_path, tampered):
    good = write_stripe(tmp_path / "good", ["customer.created"])[0]
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    run = cli("validate", str(broken), str(tampered), str(tmp_path / "missing.json"), str(good))
    assert run.code == 2  # unreadable input wins over findings
    assert any(line.startswith(f"{broken}:1: error: invalid JSON") for line in run.lines)
    assert any(line.startswith(f"{tampered}:10: /data/object/amount:") for line in run.lines)
    assert f"{tmp_path / 'missing.json'}: error: no such file or directory" in run.lines
    assert run.lines[-1] == "Checked 4 files: 1 valid, 1 invalid (1 error), 2 could not be checked."


def test_an_unknown_type_in_a_payload_is_a_finding_with_did_you_mean(tmp_path):
    path = tmp_path / "typo.json"
    path.write_text(json.dumps({"object": "event", "type": "payment_intent.suceeded"}))
    run = cli("validate", str(path))
    assert run.code == 1
    assert run.lines[0].startswith(f"{path}:1: /type: 'payment_intent.suceeded' is not a known")
    assert "Did you mean 'payment_intent.succeeded'" in run.lines[0]


# -- GitHub: the type comes from a header ------------------------------------------------------


def _github_file(folder, type="pull_request.opened", seed=1):
    ev = github_event(type, seed)
    path = folder / f"{type}.json"
    path.write_bytes(ev.body)
    return ev, path


def test_github_sidecar_headers_name_the_event(tmp_path):
    _, path = _github_file(tmp_path, "issues.opened")
    sidecar = tmp_path / "issues.opened.headers.json"
    sidecar.write_text(json.dumps({"X-GitHub-Event": "issues"}))
    run = cli("validate", str(tmp_path), "-v")
    assert run.code == 0, run
    assert run.lines == [f"{path}: ok (github issues.opened)", "Checked 1 file: 1 valid."]


def test_the_sidecar_wins_over_the_payloads_shape(tmp_path):
    _, path = _github_file(tmp_path, "issues.opened")
    # The header says "push": the payload is then checked as a push and lacks its fields.
    (tmp_path / "issues.opened.json.headers").write_text(json.dumps({"X-GitHub-Event": "push"}))
    run = cli("validate", str(path))
    assert run.code == 1
    assert f"{path}:1: /: 'ref' is a required property" in run.lines


def test_github_envelope_with_headers_and_payload(tmp_path):
    ev = github_event("issue_comment.created", 2)
    path = tmp_path / "captured.json"
    path.write_text(
        json.dumps({"headers": {"x-github-event": "issue_comment"}, "payload": ev.json()})
    )
    run = cli("validate", str(path), "-v")
    assert run.code == 0, run
    assert run.lines[0] == f"{path}: ok (github issue_comment.created)"


def test_an_envelope_body_may_be_the_raw_json_string(tmp_path):
    ev = github_event("push", 2)
    path = tmp_path / "captured.json"
    path.write_text(json.dumps({"headers": {"X-GitHub-Event": "push"}, "body": ev.body.decode()}))
    assert cli("validate", str(path)).code == 0


def test_type_flag_checks_every_payload_as_that_type(tmp_path):
    _, path = _github_file(tmp_path, "issues.opened")
    assert cli("validate", str(path), "--provider", "github", "--type", "issues.opened").code == 0
    run = cli("validate", str(path), "--type", "push")  # provider inferred: only GitHub has push
    assert run.code == 1
    assert f"{path}:1: /: 'ref' is a required property" in run.lines


def test_a_payload_with_no_way_to_tell_its_type_is_a_clear_error(tmp_path):
    path = tmp_path / "mystery.json"
    path.write_text(json.dumps({"action": "opened", "thing": 1}))
    run = cli("validate", str(path))
    assert run.code == 2
    assert run.lines[0].startswith(f"{path}: error: cannot tell which event type this is")
    assert "--type" in run.lines[0]


# -- other inputs -----------------------------------------------------------------------------


def test_ndjson_reports_line_numbers(tmp_path):
    good = hookmock.stripe.event("charge.refunded", seed=1).json()
    bad = hookmock.stripe.event("charge.refunded", seed=2).json()
    bad["data"]["object"]["amount"] = "x"
    path = tmp_path / "events.ndjson"
    path.write_text("\n".join([json.dumps(good), "", json.dumps(bad), "{oops"]) + "\n")
    run = cli("validate", str(path))
    assert run.code == 2
    assert any(line.startswith(f"{path}:3: /data/object/amount: ") for line in run.lines)
    assert any(
        line.startswith(f"{path}:4: error: invalid JSON: ") and "column 2" in line
        for line in run.lines
    )
    assert run.lines[-1] == (
        "Checked 1 file (3 events): 1 valid, 1 invalid (1 error), 1 could not be checked."
    )


def test_stdin_with_a_dash(valid_dir):
    body = next(valid_dir.glob("*.json")).read_bytes()
    run = cli("validate", "-", stdin=body)
    assert run.code == 0, run
    assert run.out == "Checked 1 file: 1 valid.\n"


def test_invalid_json_on_stdin_names_line_and_column():
    run = cli("validate", "-", stdin='{\n  "object": "event",\n  "type" "x"\n}')
    assert run.code == 2
    assert run.lines[0] == (
        "<stdin>:3: error: invalid JSON: Expecting ':' delimiter at line 3, column 10"
    )


def test_a_quoted_glob_is_expanded(valid_dir):
    run = cli("validate", str(valid_dir / "**" / "*.json"))
    assert run.code == 0
    assert run.out == "Checked 5 files: 5 valid.\n"


def test_a_glob_matching_nothing_is_an_error(tmp_path):
    run = cli("validate", str(tmp_path / "*.json"))
    assert run.code == 2
    assert run.lines[0] == f"{tmp_path / '*.json'}: error: no files match this pattern"


# -- bad input: one clear line each, right exit code, no traceback ----------------------------


def _only_error(run, path):
    assert run.code == 2, run
    assert "Traceback" not in run.out + run.err
    errors = [line for line in run.lines if ": error: " in line]
    assert len(errors) == 1
    assert re.match(rf"{re.escape(str(path))}(:\d+)?: error: ", errors[0]), errors[0]
    return errors[0]


def test_bad_input_a_missing_file(tmp_path):
    line = _only_error(cli("validate", str(tmp_path / "nope.json")), tmp_path / "nope.json")
    assert line.endswith("no such file or directory")


def test_bad_input_a_directory_with_no_json(tmp_path):
    (tmp_path / "notes.txt").write_text("hi")
    line = _only_error(cli("validate", str(tmp_path)), tmp_path)
    assert line.endswith("directory has no .json, .ndjson or .jsonl files (searched recursively)")


def test_bad_input_invalid_json_names_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "id": "evt_1",\n  "object": "event",,\n}')
    line = _only_error(cli("validate", str(path)), path)
    assert line.endswith(
        "invalid JSON: Expecting property name enclosed in double quotes at line 3, column 21"
    )


def test_bad_input_an_empty_file(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text("")
    assert _only_error(cli("validate", str(path)), path).endswith(
        "file is empty; expected a JSON object"
    )


def test_bad_input_a_binary_file(tmp_path):
    path = tmp_path / "image.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary file" in _only_error(cli("validate", str(path)), path)


def test_bad_input_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"name": "Zoë"}'.encode("latin-1"))
    assert "not UTF-8" in _only_error(cli("validate", str(path)), path)


def test_bad_input_a_file_over_githubs_25_mb_cap_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(26 * 1024 * 1024)  # sparse: nothing is written, and nothing must be read
    line = _only_error(cli("validate", str(path)), path)
    assert "26.0 MB, over the 25 MB webhook payload cap" in line


def test_bad_input_a_json_value_that_is_not_an_object(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    assert _only_error(cli("validate", str(path)), path).endswith(
        "must be a JSON object (an event), got an array"
    )


def test_bad_input_an_unknown_provider_says_did_you_mean(valid_dir):
    run = cli("validate", str(valid_dir), "--provider", "githib")
    assert run.code == 2
    assert "Unknown provider 'githib'. Did you mean 'github'?" in run.err
    assert run.out == ""


def test_bad_input_an_unknown_type_says_did_you_mean(valid_dir):
    run = cli("validate", str(valid_dir), "--type", "charge.refundd")
    assert run.code == 2
    assert "--type 'charge.refundd' is not an event type of any provider." in run.err
    assert "Did you mean 'charge.refunded'" in run.err


def test_bad_input_type_not_in_the_given_provider(valid_dir):
    run = cli("validate", str(valid_dir), "--provider", "github", "--type", "charge.refunded")
    assert run.code == 2
    assert "Unknown github event type 'charge.refunded'" in run.err


def test_bad_input_a_type_both_providers_have_needs_provider(valid_dir, monkeypatch):
    import hookmock

    monkeypatch.setattr(type(hookmock.github), "types", lambda self: ["charge.refunded", "push"])
    run = cli("validate", str(valid_dir), "--type", "charge.refunded")
    assert run.code == 2
    assert "exists for github and stripe; add --provider to say which" in run.err


def test_bad_input_an_unknown_format_is_a_usage_error(valid_dir):
    run = cli("validate", str(valid_dir), "--format", "xml")
    assert run.code == 2
    assert "invalid choice: 'xml'" in run.err


def test_bad_input_an_unwritable_output_file(valid_dir, tmp_path):
    run = cli(
        "validate",
        str(valid_dir),
        "--format",
        "junit",
        "--output",
        str(tmp_path / "no" / "such" / "dir.xml"),
    )
    assert run.code == 2
    assert "cannot write" in run.err


# -- report formats ---------------------------------------------------------------------------


def test_junit_report_parses_and_has_one_testcase_per_file(valid_dir, tampered, tmp_path):
    (tmp_path / "broken.json").write_text("nope")
    report = tmp_path / "junit.xml"
    run = cli(
        "validate",
        str(valid_dir),
        str(tampered),
        str(tmp_path / "broken.json"),
        "--format",
        "junit",
        "--output",
        str(report),
    )
    assert run.code == 2
    assert run.out.startswith(
        "Checked 7 files: 5 valid, 1 invalid (1 error), 1 could not be checked."
    )
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite.get("tests") == "7"
    assert suite.get("failures") == "1"
    assert suite.get("errors") == "1"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert len(cases) == 7
    failure = cases[str(tampered)].find("failure")
    assert "/data/object/amount" in failure.text
    assert cases[str(tampered)].get("classname") == "stripe.payment_intent.succeeded"
    assert cases[str(tmp_path / "broken.json")].find("error") is not None


def test_junit_goes_to_stdout_without_output(valid_dir):
    run = cli("validate", str(valid_dir), "--format", "junit")
    assert run.code == 0
    assert ET.fromstring(run.out.split("\n", 1)[1]).tag == "testsuites"


def test_github_format_prints_error_annotations(tampered, tmp_path):
    path = tmp_path / "events.ndjson"
    path.write_text("{bad\n")
    run = cli("validate", str(tampered), str(path), "--format", "github")
    assert run.code == 2
    amount_line = _line_containing(tampered, '"amount": "lots"')
    assert run.lines[0] == (
        f"::error file={tampered},line={amount_line},"
        "title=hookmock%3A invalid stripe payment_intent.succeeded event"
        '::/data/object/amount: "lots" is not of type "integer"'
    )
    assert run.lines[1].startswith(
        f"::error file={path},line=1,title=hookmock%3A payload not checked::invalid JSON:"
    )


def test_json_format_lists_every_result(valid_dir, tampered):
    run = cli("validate", str(valid_dir), str(tampered), "--format", "json")
    assert run.code == 1
    doc = json.loads(run.out)
    assert doc["summary"] == {
        "files": 6,
        "events": 6,
        "valid": 5,
        "invalid": 1,
        "unchecked": 0,
        "skipped": 0,
        "errors": 1,
        "not_validated": 0,
    }
    bad = next(r for r in doc["results"] if r["status"] == "invalid")
    assert bad["file"] == str(tampered)
    assert bad["errors"] == [
        {
            "pointer": "/data/object/amount",
            "message": '"lots" is not of type "integer"',
            "line": _line_containing(tampered, '"amount": "lots"'),
        }
    ]


def _line_containing(path, text):
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_annotations_point_at_the_line_of_each_violation(tmp_path):
    path = tmp_path / "compact.json"
    doc = hookmock.stripe.event("invoice.paid", seed=1).json()
    doc["data"]["object"]["lines"]["data"][0]["amount"] = "x"
    doc["livemode"] = "no"
    path.write_text(json.dumps(doc, indent=1))
    run = cli("validate", str(path), "--format", "github")
    assert run.code == 1
    got = {line.split("::")[-1].split(":")[0]: line.split(",")[1] for line in run.lines[:-1]}
    amount = _line_containing(path, '"amount": "x"')
    livemode = _line_containing(path, '"livemode": "no"')
    assert got == {
        "/data/object/lines/data/0/amount": f"line={amount}",
        "/livemode": f"line={livemode}",
    }


# -- as a real process ------------------------------------------------------------------------


def test_python_m_hookmock_validate_exit_codes(valid_dir, tampered):
    ok = python_m("validate", str(valid_dir))
    assert (ok.code, ok.out) == (0, "Checked 5 files: 5 valid.\n")
    bad = python_m("validate", str(tampered))
    assert bad.code == 1
    assert f"{tampered}:10: /data/object/amount:" in bad.out
    missing = python_m("validate", "does-not-exist.json")
    assert missing.code == 2
    assert "Traceback" not in missing.err


def test_validating_valid_payloads_does_not_import_jsonschema_or_faker(valid_dir):
    code = (
        "import io, sys; from hookmock.cli import main;"
        f"rc = main(['validate', {str(valid_dir)!r}], stdout=io.StringIO());"
        "heavy = {'jsonschema', 'referencing', 'faker', 'yaml', 'requests'} & set(sys.modules);"
        "print(rc, sorted(heavy))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    assert proc.stdout.strip() == "0 []", proc.stderr


def test_a_form_encoded_github_body_is_decoded_before_validation(tmp_path):
    path = tmp_path / "push.json"
    run = cli(
        "generate", "github", "push", "--seed", "4", "--set", "content_type=form", "-o", str(path)
    )
    assert run.code == 0, run
    assert path.read_bytes().startswith(b"payload=%7B")
    check = cli("validate", str(path), "-v")
    assert check.code == 0, check
    assert check.lines[0] == f"{path}: ok (github push)"


def test_sidecars_matched_by_a_shell_glob_are_not_validated_as_payloads(tmp_path):
    _, path = _github_file(tmp_path, "issues.opened")
    sidecar = tmp_path / "issues.opened.headers.json"
    sidecar.write_text(json.dumps({"X-GitHub-Event": "issues"}))
    run = cli("validate", str(path), str(sidecar))  # what `hookmock validate *.json` passes
    assert run.code == 0, run
    assert run.out == "Checked 1 file: 1 valid.\n"


def test_a_symlink_loop_in_a_directory_does_not_hang(valid_dir):
    (valid_dir / "nested" / "loop").symlink_to(valid_dir, target_is_directory=True)
    run = cli("validate", str(valid_dir))
    assert run.code == 0, run
    assert run.out == (
        "Checked 5 files: 5 valid. Not validated: 1 file"
        " (a symbolic link to a directory (not followed): 1).\n"
    )


def test_an_unterminated_string_reads_naturally(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('{"id": "evt_')
    line = _only_error(cli("validate", str(path)), path)
    assert line.endswith("invalid JSON: Unterminated string starting at line 1, column 8")


def test_bad_input_stdin_twice_is_a_usage_error():
    run = cli("validate", "-", "-", stdin=b"{}")
    assert run.code == 2
    assert "can be given only once" in run.err


# -- --type naming an event whose types carry an action ------------------------------------------


@pytest.mark.parametrize("flags", [["--provider", "github"], []])
def test_type_naming_an_event_takes_the_action_from_each_payload(tmp_path, flags):
    for t in ("pull_request.opened", "pull_request.closed"):
        (tmp_path / f"{t}.json").write_bytes(hookmock.github.event(t, seed=2).body)
    run = cli("validate", *flags, "--type", "pull_request", "-v", str(tmp_path))
    assert run.code == 0, run.err + run.out
    assert "pull_request.opened" in run.out
    assert "pull_request.closed" in run.out


def test_type_naming_an_event_still_checks_the_payload_against_it(tmp_path):
    path = tmp_path / "issue.json"
    path.write_bytes(hookmock.github.event("issues.opened", seed=2).body)
    run = cli("validate", "--type", "pull_request", str(path))
    assert run.code == 1
    assert f"{path}:1: /: 'pull_request' is a required property" in run.lines
    payload = hookmock.github.event("pull_request.opened", seed=2).payload
    payload["action"] = "openned"
    path.write_text(json.dumps(payload))
    run = cli("validate", "--type", "pull_request", str(path))
    assert run.code == 1
    assert "(from --type)" in run.out
    assert "Did you mean 'opened'" in run.out


def test_the_api_takes_the_action_from_the_payload_when_type_names_the_event():
    body = hookmock.github.event("pull_request.synchronize", seed=4).body
    assert hookmock.validate(body, provider="github", type="pull_request") == (
        "github",
        "pull_request.synchronize",
    )
    assert hookmock.validate(body, type="pull_request") == ("github", "pull_request.synchronize")


# -- events hookmock has no schema for: skipped, not invalid ---------------------------------------


def _sponsorship(tmp_path):
    # content_reference: a real GitHub (Enterprise Server) event that no pinned description
    # still has, so hookmock has no schema for it. (Every api.github.com event has one now.)
    payload = {
        "action": "created",
        "content_reference": {
            "id": 17,
            "node_id": "MDE2OkNvbnRlbnRSZWZlcmVuY2UxNjA5",
            "reference": "errors.rollbar.com",
        },
        "sender": {"login": "monalisa", "id": 2, "type": "User"},
    }
    path = tmp_path / "content_reference.json"
    path.write_text(
        json.dumps({"headers": {"X-GitHub-Event": "content_reference"}, "payload": payload})
    )
    return path


def test_a_real_event_outside_the_catalog_is_skipped_not_invalid(tmp_path):
    path = _sponsorship(tmp_path)
    run = cli("validate", str(path))
    assert run.code == 0
    assert (
        f"{path}: skipped: hookmock has no schema for GitHub event 'content_reference'" in run.lines
    )
    assert "Did you mean" not in run.out
    assert "1 skipped (not checked)" in run.out


def test_strict_fails_a_run_with_skipped_payloads(tmp_path):
    run = cli("validate", "--strict", str(_sponsorship(tmp_path)))
    assert run.code == 1
    assert "failed by --strict" in run.out


def test_skipped_payloads_show_as_skipped_in_json_and_junit(tmp_path):
    path = _sponsorship(tmp_path)
    doc = json.loads(cli("validate", "--format", "json", str(path)).out)
    assert doc["summary"]["skipped"] == 1
    assert doc["results"][0]["status"] == "skipped"
    xml = ET.fromstring(cli("validate", "--format", "junit", str(path)).out)
    suite = xml.find("testsuite")
    assert suite is not None
    assert suite.get("skipped") == "1"
    assert suite.find("testcase/skipped") is not None


def test_an_unknown_action_far_from_any_known_one_is_skipped_a_near_miss_is_invalid(tmp_path):
    payload = hookmock.github.event("pull_request.opened", seed=3).payload
    for action, code in (("frobnicated", 0), ("opend", 1)):
        payload["action"] = action
        path = tmp_path / f"{action}.json"
        envelope = {"headers": {"X-GitHub-Event": "pull_request"}, "payload": payload}
        path.write_text(json.dumps(envelope))
        run = cli("validate", str(path))
        assert run.code == code, run.out


@pytest.mark.parametrize(
    "type_",
    [
        "discussion.labeled",
        "discussion.transferred",
        "discussion.category_changed",
        "team.added_to_repository",
        "organization.member_invited",
        "membership.added",
        "branch_protection_rule.edited",
        "pull_request_review_thread.resolved",
    ],
)
def test_newly_covered_events_validate_from_their_header(tmp_path, type_):
    ev = hookmock.github.event(type_, seed=5)
    path = tmp_path / "event.json"
    path.write_text(json.dumps({"headers": ev.headers(secret="s"), "payload": ev.payload}))
    run = cli("validate", "-v", str(path))
    assert run.code == 0, run.out
    assert f"github {type_}" in run.out


def test_the_api_says_it_has_no_schema_for_an_uncovered_event():
    from hookmock import UnsupportedEventError

    payload = {"action": "created", "content_reference": {}, "sender": {"login": "a", "id": 1}}
    with pytest.raises(hookmock.UnknownTypeError) as info:
        hookmock.validate(payload, headers={"X-GitHub-Event": "content_reference"})
    assert isinstance(info.value, UnsupportedEventError)
    assert "has no schema for GitHub event 'content_reference'" in str(info.value)
    assert "Did you mean" not in str(info.value)
    with pytest.raises(UnsupportedEventError):
        hookmock.validate(payload, provider="github", type="content_reference")
