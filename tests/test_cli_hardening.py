"""The CLI under hostile input (issue 8): no lost input, no hang, one clean line per mistake."""

from __future__ import annotations

import io
import json
import os
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from _helpers_cli import REPO, cli, cli_within, write_stripe

import hookmock
from hookmock.cli import main

# -- 10. the report never overwrites or validates an input ---------------------------------------


def test_an_output_that_is_an_input_is_refused_and_the_payload_kept(tmp_path):
    (path,) = write_stripe(tmp_path, ["invoice.paid"])
    before = path.read_bytes()
    run = cli("validate", str(path), "--format", "json", "--output", str(path))
    assert run.code == 2
    assert "is also an input: the report would overwrite the payload" in run.err
    assert path.read_bytes() == before


def test_an_output_matched_by_an_input_glob_is_refused(tmp_path):
    (path,) = write_stripe(tmp_path, ["invoice.paid"])
    before = path.read_bytes()
    run = cli("validate", str(tmp_path / "*.json"), "--format", "json", "-o", str(path))
    assert run.code == 2
    assert path.read_bytes() == before


def test_a_report_inside_the_validated_directory_is_never_validated(tmp_path):
    write_stripe(tmp_path, ["invoice.paid", "charge.refunded"])
    report = tmp_path / "report.json"
    for _ in range(2):  # the second run finds the first run's report in the directory
        run = cli("validate", str(tmp_path), "--format", "json", "--output", str(report))
        assert run.code == 0, run
        doc = json.loads(report.read_text())
        assert doc["summary"]["files"] == 2
        assert str(report) not in [r["file"] for r in doc["results"]]
        # The temporary file the report is written through is never listed as a skipped input;
        # the report itself, found again by the second run, is named for what it is.
        skipped = doc.get("not_validated") or []
        assert all(s["file"] == str(report) for s in skipped), skipped
        assert all(s["reason"] == "this run's --output report" for s in skipped), skipped
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    assert report.stat().st_mode & 0o777 == 0o644  # not the temporary file's private 0600


def test_a_report_format_that_contradicts_the_file_name_is_refused(tmp_path):
    write_stripe(tmp_path, ["invoice.paid"])
    run = cli("validate", str(tmp_path), "--format", "junit", "-o", str(tmp_path / "r.json"))
    assert run.code == 2
    assert "pass --format json" in run.err
    assert not (tmp_path / "r.json").exists()


# -- 11. ** globs ----------------------------------------------------------------------------------


def test_a_double_star_glob_does_not_follow_a_link_loop_and_counts_each_file_once(tmp_path):
    root = tmp_path / "n"
    write_stripe(root, ["invoice.paid"])
    write_stripe(root / "a", ["charge.refunded"], start=1)
    write_stripe(root / "a" / "b", ["customer.created"], start=2)
    (root / "a" / "b" / "up").symlink_to(root, target_is_directory=True)
    for pattern in (str(root / "**"), str(root / "**" / "*.json")):
        run = cli_within(30, "validate", pattern)
        assert run.code == 0, run
        assert run.lines[0].startswith("Checked 3 files: 3 valid."), run


def test_a_file_named_twice_is_checked_once(tmp_path):
    (path,) = write_stripe(tmp_path, ["invoice.paid"])
    run = cli("validate", str(path), str(tmp_path), str(tmp_path / "*.json"))
    assert run.out == "Checked 1 file: 1 valid.\n"


# -- 15. one bad file never stops the others --------------------------------------------------------


def test_a_lone_surrogate_is_a_finding_for_its_file_only(tmp_path):
    write_stripe(tmp_path, ["invoice.paid"])
    doc = hookmock.stripe.event("charge.refunded", seed=1).json()
    text = json.dumps(doc, indent=2).replace('"description": ', '"description": "\\udc80", "x": ')
    (tmp_path / "bad.json").write_text(text)
    report = tmp_path / "out" / "junit.xml"
    report.parent.mkdir()
    run = cli("validate", str(tmp_path), "--format", "junit", "--output", str(report))
    assert run.code == 1, run
    assert run.out.startswith("Checked 2 files: 1 valid, 1 invalid")
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite.get("tests") == "2"
    failure = suite.find("testcase/failure")
    assert "lone surrogate" in failure.text
    text_run = cli("validate", str(tmp_path / "bad.json"))
    assert "/data/object/description: it holds a lone surrogate escape" in text_run.out


def test_a_lone_surrogate_reaches_a_real_utf8_stdout_without_crashing(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"id": "\\udc80", "object": "event", "type": "invoice.paid"}')
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    code = main(["validate", str(path)], stdout=out, stderr=io.StringIO())
    out.flush()
    assert code == 1
    assert "\\udc80" in raw.getvalue().decode()


def test_a_bug_met_on_one_file_is_that_files_problem(tmp_path, monkeypatch):
    from hookmock._cli import validate

    write_stripe(tmp_path, ["invoice.paid", "charge.refunded"])
    real = validate.Checker.__call__

    def flaky(self, item):
        if "charge" in item.source:
            raise KeyError("boom")
        return real(self, item)

    monkeypatch.setattr(validate.Checker, "__call__", flaky)
    report = tmp_path / "junit.xml"
    run = cli("validate", str(tmp_path), "--format", "junit", "-o", str(report))
    assert run.code == 2
    assert run.out.startswith("Checked 2 files: 1 valid, 1 could not be checked.")
    error = ET.parse(report).getroot().find("testsuite/testcase/error")
    assert "internal error while checking it (KeyError" in error.get("message")


# -- 24. small internal errors are one clean line, exit 2 -----------------------------------------


def test_an_empty_provider_is_a_usage_error(tmp_path):
    write_stripe(tmp_path, ["invoice.paid"])
    run = cli("validate", str(tmp_path), "--provider", "")
    assert run.code == 2
    # It names the providers there are to choose from (built-in ones and any registered).
    assert run.err.startswith("hookmock validate: error: --provider is empty; name one (")
    assert "github, " in run.err
    assert "stripe" in run.err
    assert run.err.endswith("), or leave it out to detect it.\n")


def test_validate_stdin_when_stdin_is_closed():
    closed = io.BytesIO()
    closed.close()
    err = io.StringIO()
    code = main(["validate", "-"], stdout=io.StringIO(), stderr=err, stdin=closed)
    assert code == 2
    assert "Traceback" not in err.getvalue()


# -- 25. wording ---------------------------------------------------------------------------------


def test_a_symlink_loop_is_not_no_such_file(tmp_path):
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    run = cli("validate", str(loop))
    assert run.code == 2
    assert run.lines[0] == (
        f"{loop}: error: is a symbolic link loop (following it leads back to itself);"
        " point at the real file"
    )


def test_a_broken_link_says_where_it_points(tmp_path):
    link = tmp_path / "gone.json"
    link.symlink_to(tmp_path / "nowhere.json")
    run = cli("validate", str(link))
    assert "is a broken symbolic link (it points to" in run.lines[0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_utf16_is_named_not_called_binary(tmp_path, encoding):
    path = tmp_path / "wide.json"
    path.write_bytes(hookmock.stripe.event("invoice.paid", seed=1).body.decode().encode(encoding))
    run = cli("validate", str(path))
    assert run.code == 2
    assert "binary" not in run.out
    assert f"is {encoding[:6].upper()} text, not UTF-8" in run.lines[0]
    assert "re-encode it" in run.lines[0]


def test_a_newline_in_a_file_name_never_splits_a_report_line(tmp_path):
    path = tmp_path / "two\nlines.json"
    path.write_text("{")
    run = cli("validate", str(path))
    assert run.lines[0].startswith(f"{tmp_path}/two\\nlines.json:1: error: invalid JSON")
    assert len(run.lines) == 2
    github = cli("validate", str(path), "--format", "github")
    assert len(github.lines) == 2


def test_duplicate_keys_are_reported_not_silently_last_wins(tmp_path):
    body = hookmock.stripe.event("invoice.paid", seed=1).body.decode()
    path = tmp_path / "dup.json"
    top = '\n  "livemode": false'
    assert body.count(top) == 1
    path.write_text(body.replace(top, '\n  "livemode": true,' + top))
    run = cli("validate", str(path))
    assert run.code == 1
    line = next(
        n for n, x in enumerate(path.read_text().splitlines(), 1) if x == '  "livemode": true,'
    )
    assert run.lines[0].startswith(
        f'{path}:{line}: /livemode: the key "livemode" appears more than once in this object'
    )


def test_sign_with_stdin_closed_is_one_line():
    closed = io.BytesIO()
    closed.close()
    err = io.StringIO()
    code = main(
        ["sign", "stripe", "--secret", "whsec_x"], stdout=io.StringIO(), stderr=err, stdin=closed
    )
    assert code == 2
    assert err.getvalue() == (
        "hookmock sign: error: stdin is closed; pipe the input in (for example"
        " `cat event.json | hookmock ...`) or pass a file instead of -\n"
    )


def _shell(command: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        ["sh", "-c", f"{shlex.quote(sys.executable)} -m hookmock {command}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("command", "stream"),
    [
        ("list stripe >&-", "stderr"),
        ("list stripe 2>&-", "stdout"),
        ("validate - <&-", "stderr"),
        ("sign stripe --secret whsec_x <&-", "stderr"),
    ],
)
def test_closed_standard_streams_give_one_line_and_exit_2(command, stream):
    proc = _shell(command)
    assert proc.returncode == 2, proc
    text = getattr(proc, stream)
    assert text.count("\n") == 1, proc
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "internal error" not in text


@pytest.mark.parametrize("open_close", [("[", "]"), ('{"a":', "}")])
def test_a_set_value_nested_3000_levels_is_a_usage_error(open_close):
    start, end = open_close
    value = start * 3000 + ("1" if start != "[" else "") + end * 3000
    run = cli("generate", "stripe", "invoice.paid", "--set", f"data.object.metadata={value}")
    assert run.code == 2
    assert run.err.startswith("hookmock generate: error: --set data.object.metadata=...: the JSON")
    assert "internal error" not in run.err


def test_list_of_an_empty_provider_is_an_error_not_everything():
    run = cli("list", "")
    assert run.code == 2
    assert run.out == ""
    assert "PROVIDER is empty" in run.err


def test_a_tiny_timeout_is_not_worded_as_zero_seconds():
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # accepts, never answers
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        run = cli_within(
            60, "send", url, "stripe", "invoice.paid", "--secret", "w", "--timeout", "1e-9"
        )
    assert run.code == 1
    assert " 0 s" not in run.err
    assert "within 1e-09 s (--timeout)" in run.err


# -- 8. generate streams: each event is written before the next is built ------------------------


def _watch_builds(monkeypatch, written):
    """Make each build_event record how much output existed when it was called."""
    from hookmock._cli import generate

    real = generate.build_event
    seen: list[int] = []

    def build(*args, **kwargs):
        seen.append(written())
        return real(*args, **kwargs)

    monkeypatch.setattr(generate, "build_event", build)
    return seen


def test_generate_into_a_directory_writes_each_event_before_building_the_next(
    tmp_path, monkeypatch
):
    target = tmp_path / "out"
    seen = _watch_builds(monkeypatch, lambda: len(os.listdir(target)) if target.exists() else 0)
    run = cli(
        "generate", "stripe", "invoice.paid", "--seed", "1", "--count", "30", "-o", f"{target}/"
    )
    assert run.code == 0, run
    assert seen == list(range(30))


def test_generate_ndjson_to_stdout_streams(monkeypatch):
    out = io.StringIO()
    seen = _watch_builds(monkeypatch, lambda: out.getvalue().count("\n"))
    code = main(
        ["generate", "github", "push", "--seed", "1", "--count", "20"],
        stdout=out,
        stderr=io.StringIO(),
    )
    assert code == 0
    assert seen == list(range(20))


def test_a_streamed_json_array_is_byte_for_byte_json_dumps():
    run = cli("generate", "github", "push", "--seed", "2", "--count", "3", "--format", "json")
    payloads = [hookmock.github.event("push", seed=s).payload for s in (2, 3, 4)]
    assert run.out == json.dumps(payloads, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    ("fmt", "name", "fix"),
    [
        ("yaml", "x.json", "x.yaml"),
        ("ndjson", "x.yaml", "x.ndjson"),
        ("json", "x.ndjson", "x.json"),
    ],
)
def test_a_format_the_file_name_contradicts_is_refused(tmp_path, fmt, name, fix):
    target = tmp_path / name
    run = cli("generate", "stripe", "invoice.paid", "--format", fmt, "-o", str(target))
    assert run.code == 2
    assert f"but --format {fmt}; name it {tmp_path / fix}" in run.err
    assert not target.exists()


def test_a_newline_in_a_file_name_stays_on_the_error_line(tmp_path):
    missing = tmp_path / "a\nb.json"
    run = cli("sign", "stripe", "--secret", "whsec_x", str(missing))
    assert run.code == 2
    assert run.err.count("\n") == 1
    assert "a\\nb.json" in run.err


def test_an_output_that_is_a_fifo_is_written_not_replaced(tmp_path):
    import stat
    import threading

    write_stripe(tmp_path / "in", ["invoice.paid"])
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    run = cli_within(30, "validate", str(tmp_path / "in"), "--format", "json", "-o", str(fifo))
    reader.join(30)
    assert run.code == 0, run
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # a rename would have made it a regular file
    assert json.loads(got[0])["summary"]["valid"] == 1


def test_an_output_that_is_a_symlink_keeps_the_link(tmp_path):
    write_stripe(tmp_path / "in", ["invoice.paid"])
    real = tmp_path / "reports" / "junit.xml"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "junit.xml"
    link.symlink_to(real)
    run = cli("validate", str(tmp_path / "in"), "--format", "junit", "-o", str(link))
    assert run.code == 0, run
    assert link.is_symlink()
    assert real.read_text().startswith("<?xml")


def test_an_earlier_report_matched_by_the_glob_is_replaced_not_validated(tmp_path):
    write_stripe(tmp_path, ["invoice.paid"])
    report = tmp_path / "report.json"
    for _ in range(2):
        run = cli("validate", str(tmp_path / "*.json"), "--format", "json", "-o", str(report))
        assert run.code == 0, run
        assert json.loads(report.read_text())["summary"]["files"] == 1
    # Named as a payload itself, it is still refused: that is a mistake, not a rerun.
    assert cli("validate", str(report), "--format", "json", "-o", str(report)).code == 2


def test_a_tree_deeper_than_the_recursion_limit_is_walked(tmp_path):
    folder = tmp_path
    for _ in range(300):
        folder = folder / "a"
        folder.mkdir()
    write_stripe(folder, ["invoice.paid"])
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # a tree 300 deep now outgrows recursion, as 1,500 would at 1,000
    try:
        walked = cli("validate", str(tmp_path))
        globbed = cli("validate", str(tmp_path / "**" / "*.json"))
    finally:
        sys.setrecursionlimit(limit)
    assert (walked.code, walked.lines[-1]) == (0, "Checked 1 file: 1 valid."), walked
    assert (globbed.code, globbed.lines[-1]) == (0, "Checked 1 file: 1 valid."), globbed


def test_a_closed_stdout_object_passed_to_main_is_one_line():
    out, err = io.StringIO(), io.StringIO()
    out.close()
    assert main(["list", "stripe"], stdout=out, stderr=err) == 2
    assert err.getvalue().startswith("hookmock: stdout is closed")
    assert err.getvalue().count("\n") == 1


@pytest.mark.parametrize(
    "flags", [["--trait", "nope"], ["--set", "data.objet.amount_due=1"], ["--set", "x=1"]]
)
def test_generate_prints_no_seed_line_when_nothing_is_generated(flags):
    run = cli("generate", "stripe", "invoice.paid", *flags)
    assert run.code == 2
    assert "seed" not in run.err.splitlines()[0], run.err
    assert run.err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["generate", "stripe", "invoice.paid", "-o", ""], "-o is empty"),
        (["validate", "x.json", "--output", ""], "--output is empty"),
        (["sign", "stripe", "--secret", "whsec_x", ""], "FILE is empty"),
    ],
)
def test_an_empty_file_name_is_a_usage_error(argv, message):
    run = cli(*argv)
    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith(f"hookmock {argv[0]}: error: {message}")
    assert run.err.count("\n") == 1


def test_sign_names_a_link_loop_and_a_nul_in_the_path(tmp_path):
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    run = cli("sign", "stripe", "--secret", "whsec_x", str(loop))
    assert run.code == 2
    assert "is a symbolic link loop" in run.err
    run = cli("sign", "stripe", "--secret", "whsec_x", "bad\x00name.json")
    assert run.code == 2
    assert "internal error" not in run.err


def test_a_set_value_with_an_integer_python_refuses_is_a_usage_error_not_a_silent_string():
    digits = "9" * 5000
    run = cli(
        "generate", "stripe", "invoice.paid", "--set", f'data.object.metadata={{"a":{digits}}}'
    )
    assert run.code == 2, run
    assert "--set data.object.metadata=..." in run.err
    assert "quote it" in run.err
