"""Rough edges of ``hookmock validate`` and the CLI found in field use (issue 7, part 3)."""

from __future__ import annotations

import json
import shlex
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import stripe
from _helpers_cli import cli, cli_within, github_event, write_stripe

import hookmock
from hookmock import HookmockError


def _line_containing(path, text):
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.fixture
def untyped(tmp_path):
    """A Stripe event without "type", and one whose type is misspelt, pretty-printed."""
    (path,) = write_stripe(tmp_path, ["charge.refunded"])
    doc = json.loads(path.read_bytes())
    del doc["type"]
    missing = tmp_path / "missing-type.json"
    missing.write_text(json.dumps(doc, indent=2))
    doc["type"] = "charge.refundd"
    typo = tmp_path / "typo.json"
    typo.write_text(json.dumps(doc, indent=2))
    path.unlink()
    return missing, typo


# -- JUnit and JSON never print Python's None ------------------------------------------------------


def test_junit_names_what_is_known_instead_of_none(untyped):
    missing, typo = untyped
    run = cli("validate", str(missing), str(typo), "--format", "junit")
    assert run.code == 1
    assert "None" not in run.out
    cases = {c.get("name"): c for c in ET.fromstring(run.out.split("\n", 1)[1]).iter("testcase")}
    assert cases[str(missing)].get("classname") == "stripe.(no type)"
    assert cases[str(typo)].get("classname") == "stripe.charge.refundd"


def test_the_json_report_gives_the_type_the_payload_names(untyped):
    _, typo = untyped
    (result,) = json.loads(cli("validate", str(typo), "--format", "json").out)["results"]
    assert result["type"] == "charge.refundd"
    assert result["status"] == "invalid"


# -- line numbers in every format -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github"])
def test_a_type_finding_has_the_line_of_the_type_key(untyped, fmt):
    _, typo = untyped
    at = _line_containing(typo, '"type": "charge.refundd"')
    assert at > 1
    run = cli("validate", str(typo), "--format", fmt)
    assert run.code == 1
    if fmt == "text":
        assert run.lines[0].startswith(f"{typo}:{at}: /type: 'charge.refundd' is not a known")
    elif fmt == "json":
        (result,) = json.loads(run.out)["results"]
        assert [e["line"] for e in result["errors"]] == [at]
    elif fmt == "junit":
        case = next(ET.fromstring(run.out.split("\n", 1)[1]).iter("testcase"))
        assert case.get("line") == str(at)
        assert case.find("failure").text.startswith(f"{typo}:{at}: /type:")
    else:
        assert run.lines[0].startswith(f"::error file={typo},line={at},")


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github"])
def test_invalid_json_carries_the_line_it_names(tmp_path, fmt):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "id": "evt_1",\n  "object": "event",,\n}')
    run = cli("validate", str(path), "--format", fmt)
    assert run.code == 2
    if fmt == "text":
        assert run.lines[0].startswith(f"{path}:3: error: invalid JSON:")
    elif fmt == "json":
        (result,) = json.loads(run.out)["results"]
        assert result["line"] == 3
    elif fmt == "junit":
        case = next(ET.fromstring(run.out.split("\n", 1)[1]).iter("testcase"))
        assert case.get("line") == "3"
    else:
        assert run.lines[0].startswith(f"::error file={path},line=3,")


# -- directories: .ndjson files are checked, what is passed over is counted -------------------------


def test_a_directory_search_checks_ndjson_files_and_counts_the_rest(tmp_path):
    write_stripe(tmp_path, ["invoice.paid"])
    lines = [hookmock.stripe.event("charge.refunded", seed=i).json() for i in range(2)]
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "batch.ndjson").write_text("".join(json.dumps(x) + "\n" for x in lines))
    (tmp_path / "sub" / "batch.jsonl").write_text(json.dumps(lines[0]) + "\n")
    (tmp_path / "README.md").write_text("fixtures")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "orphan.headers.json").write_text("{}")
    run = cli("validate", str(tmp_path))
    assert run.code == 0, run
    assert run.out == (
        "Checked 3 files (4 events): 4 valid. Not validated: 3 files (a headers sidecar with no"
        " payload file next to it: 1; not a .json, .ndjson or .jsonl file: 2).\n"
    )
    verbose = cli("validate", str(tmp_path), "-v")
    assert f"{tmp_path / 'README.md'}: not validated: not a .json, .ndjson or .jsonl file" in (
        verbose.lines
    )
    doc = json.loads(cli("validate", str(tmp_path), "--format", "json").out)
    assert doc["summary"]["not_validated"] == 3
    assert {
        "file": str(tmp_path / "notes.txt"),
        "reason": "not a .json, .ndjson or .jsonl file",
    } in (doc["not_validated"])


# -- a JSON array of events is a batch ------------------------------------------------------------


def test_a_json_array_of_events_is_checked_as_a_batch_with_lines(tmp_path):
    events = [hookmock.stripe.event("invoice.paid", seed=1).json()]
    events.append(hookmock.stripe.event("charge.refunded", seed=2).json())
    events[1]["data"]["object"]["amount"] = "x"
    path = tmp_path / "examples.json"
    path.write_text(json.dumps(events, indent=2))
    run = cli("validate", str(path), "-v")
    assert run.code == 1, run
    second = _line_containing(path, '"id": "' + events[1]["id"])
    amount = _line_containing(path, '"amount": "x"')
    assert run.lines == [
        f"{path}:2: ok (stripe invoice.paid)",
        f'{path}:{amount}: /data/object/amount: "x" is not of type "integer"',
        "Checked 1 file (2 events): 1 valid, 1 invalid (1 error).",
    ]
    doc = json.loads(cli("validate", str(path), "--format", "json").out)
    assert [r["line"] for r in doc["results"]] == [2, second - 1]


def test_a_json_array_on_stdin_is_a_batch_too():
    body = json.dumps([hookmock.stripe.event("invoice.paid", seed=s).json() for s in (1, 2)])
    run = cli("validate", "-", stdin=body)
    assert run.code == 0, run
    assert run.out == "Checked 1 file (2 events): 2 valid.\n"


def test_an_array_element_that_is_not_an_object_is_named(tmp_path):
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([hookmock.stripe.event("invoice.paid", seed=1).json(), 5]))
    run = cli("validate", str(path))
    assert run.code == 2
    assert (
        f"{path}:1: error: each element of a JSON array must be a JSON object (an event),"
        " got a number" in run.lines
    )


def test_an_unknown_github_event_is_named_as_one():
    repo = github_event().payload
    unknown = {"action": "created", "alert": {"n": 1}}
    unknown |= {"repository": repo["repository"], "sender": repo["sender"]}
    with pytest.raises(hookmock.SchemaError) as info:
        hookmock.validate(unknown)
    assert "a GitHub payload (it has repository/sender) whose event its shape does not tell" in (
        str(info.value)
    )
    assert "does not look like an event of any known provider" not in str(info.value)


def test_the_cli_reports_an_unknown_github_event_as_skipped(tmp_path):
    payload = {"action": "created", "sender": github_event().payload["sender"]}
    path = tmp_path / "alert.json"
    path.write_text(json.dumps(payload))
    run = cli("validate", str(path))
    assert run.code == 0, run
    assert run.lines[0].startswith(
        f"{path}: skipped: a GitHub payload (it has sender) whose event its shape does not tell,"
        " so it was not checked; name the event with a headers sidecar"
    )
    assert cli("validate", "--strict", str(path)).code == 1


def test_a_github_payload_of_a_type_with_a_schema_is_not_said_to_have_none(tmp_path):
    # A secret scanning bypass request has a schema, but the dismissal and exemption requests
    # share it, so its body does not name the event: the skip must send the user to the
    # sidecar and name the types it could be, not claim hookmock cannot check it.
    event = github_event("bypass_request_secret_scanning.created")
    path = tmp_path / "request.json"
    path.write_bytes(event.body)
    run = cli("validate", str(path))
    assert run.code == 0, run
    assert "no schema for" not in run.lines[0]
    assert "X-GitHub-Event" in run.lines[0]
    assert "bypass_request_secret_scanning.created" in run.lines[0]
    assert "exemption_request_push_ruleset.created" in run.lines[0]
    sidecar = '{"X-GitHub-Event": "bypass_request_secret_scanning"}'
    (tmp_path / "request.headers.json").write_text(sidecar)
    checked = cli("validate", "-v", str(path))
    assert checked.code == 0, checked
    assert "bypass_request_secret_scanning.created" in checked.out


# -- hookmock.validate takes any mapping of headers -------------------------------------------------


def _werkzeug_headers():
    from werkzeug.datastructures import Headers

    return Headers([("X-GitHub-Event", "pull_request"), ("Content-Type", "application/json")])


def _django_headers():
    from django.http.request import HttpHeaders

    return HttpHeaders({"HTTP_X_GITHUB_EVENT": "pull_request", "CONTENT_TYPE": "application/json"})


def _starlette_headers():
    from starlette.datastructures import Headers

    return Headers(raw=[(b"x-github-event", b"pull_request")])


def _flask_request_headers():
    import flask

    app = flask.Flask(__name__)
    with app.test_request_context(headers={"X-GitHub-Event": "pull_request"}):
        return flask.request.headers


@pytest.mark.parametrize(
    "make", [_werkzeug_headers, _django_headers, _starlette_headers, _flask_request_headers]
)
def test_validate_accepts_the_header_classes_of_real_frameworks(make):
    body = github_event("pull_request.opened").body
    assert hookmock.validate(body, headers=make()) == ("github", "pull_request.opened")


@pytest.mark.parametrize("bad", [5, ["pull_request"], b"pull_request"])
def test_a_type_that_is_not_a_string_is_a_hookmock_error(bad):
    body = github_event("pull_request.opened").body
    with pytest.raises(HookmockError, match="takes an event type name as a str"):
        hookmock.validate(body, type=bad)
    with pytest.raises(TypeError):  # still a TypeError for code that catches one
        hookmock.validate(body, type=bad)


# -- hookmock send: only what happened; unhappy paths from the command line ------------------------


class _Verifier(BaseHTTPRequestHandler):
    """A receiver that records each request; with ``verify`` on, it answers 400 to a Stripe
    signature that does not match whsec_right (as a receiver should)."""

    seen: list[dict[str, str]] = []
    verify = True

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append(dict(self.headers))
        status = 200
        if self.verify:
            try:
                hookmock.verify("stripe", body, self.headers.get("Stripe-Signature", ""), SECRET)
            except hookmock.SignatureError:
                status = 400
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


SECRET = "whsec_right"


@pytest.fixture
def receiver_url():
    _Verifier.seen = []
    _Verifier.verify = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Verifier)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def _send(url, *flags):
    return cli_within(60, "send", url, "stripe", "invoice.paid", "--secret", SECRET, *flags)


def test_send_with_no_answer_prints_only_the_failure():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    run = _send(f"http://127.0.0.1:{port}/hook", "--seed", "1")
    assert run.code == 2
    assert run.out == ""
    assert run.err.count("\n") == 1
    assert "Sent" not in run.err


def test_send_timestamp_signs_in_the_past(receiver_url):
    run = _send(receiver_url, "--timestamp", "-600")
    assert run.code == 1  # the verifier's default tolerance is 300 s: a stale signature
    (headers,) = _Verifier.seen
    signed_at = int(headers["Stripe-Signature"].split(",")[0].removeprefix("t="))
    assert abs(time.time() - 600 - signed_at) < 60


def test_send_header_adds_replaces_and_removes(receiver_url):
    run = _send(receiver_url, "--header", "X-Trace: abc", "--header", "User-Agent:")
    assert run.code == 0, run
    (headers,) = _Verifier.seen
    assert headers["X-Trace"] == "abc"
    assert "Stripe/1.0" not in headers.get("User-Agent", "")


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("X-Trace", "should be NAME:VALUE"),
        (": no name", "should be NAME:VALUE"),
        ("Bad Name: x", "should be NAME:VALUE"),
        ("X-Price: 5 \u20ac", "characters HTTP headers cannot carry"),
        ("X-Split: a\r\nX-Evil: 1", "line break"),
    ],
)
def test_send_header_that_is_not_name_value_is_a_usage_error(receiver_url, flag, message):
    run = _send(receiver_url, "--header", flag)
    assert run.code == 2
    assert message in run.err
    assert run.err.count("\n") == 1
    assert _Verifier.seen == []


def test_send_wrong_secret_passes_when_the_receiver_refuses_it(receiver_url):
    run = _send(receiver_url, "--wrong-secret", "--seed", "1")
    assert run.code == 0, run
    assert "signed with a wrong secret" in run.lines[0]
    assert run.lines[-1] == "Rejected with 400, as a bad signature should be."


def test_send_wrong_secret_fails_when_the_receiver_accepts_it(receiver_url):
    _Verifier.verify = False
    run = _send(receiver_url, "--wrong-secret")
    assert run.code == 1
    assert "accepted (200) an event signed with the wrong secret" in run.err


def test_send_timestamp_for_github_is_refused():
    run = cli("send", "http://127.0.0.1:9/", "github", "push", "--secret", "s", "--timestamp", "5")
    assert run.code == 2
    assert "--timestamp does not apply to GitHub" in run.err


# -- hookmock sign --all-headers -------------------------------------------------------------------


def _curl_headers(out):
    words = shlex.split(out.replace("\\\n", " "))  # a shell joins the lines at each "\"
    assert words[::2] == ["-H"] * (len(words) // 2)
    return dict(w.split(": ", 1) for w in words[1::2])


def test_sign_all_headers_prints_every_github_header_for_curl(tmp_path):
    ev = hookmock.github.event("pull_request.opened", seed=3)
    path = tmp_path / "pr.json"
    path.write_bytes(ev.body)
    run = cli("sign", "github", "--secret", "s3cret", "--all-headers", str(path))
    assert run.code == 0, run
    assert all(line.endswith(" \\") for line in run.lines[:-1])
    headers = _curl_headers(run.out)
    assert headers["X-GitHub-Event"] == "pull_request"
    assert headers["X-GitHub-Delivery"]
    assert headers["Content-Type"] == "application/json"
    hookmock.verify("github", ev.body, headers, "s3cret")


def test_sign_all_headers_for_stripe_signs_the_file_bytes(tmp_path):
    ev = hookmock.stripe.event("charge.refunded", seed=1)
    path = tmp_path / "event.json"
    path.write_bytes(ev.body)
    run = cli("sign", "stripe", "--secret", "whsec_x", "--all-headers", str(path))
    headers = _curl_headers(run.out)
    stripe.Webhook.construct_event(ev.body, headers["Stripe-Signature"], "whsec_x")
    assert headers["User-Agent"].startswith("Stripe/1.0")


def test_sign_all_headers_asks_for_the_type_when_the_body_does_not_tell(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"zen": 1}')
    run = cli("sign", "github", "--secret", "s", "--all-headers", str(path))
    assert run.code == 2
    assert "pass --type TYPE" in run.err
    assert "type=..." not in run.err


def test_validate_accepts_a_wsgi_environ_as_django_request_meta_is():
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(headers={"X-GitHub-Event": "pull_request"}).get_environ()
    body = github_event("pull_request.opened").body
    assert hookmock.validate(body, headers=environ) == ("github", "pull_request.opened")
