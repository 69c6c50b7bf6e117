"""The ``hookmock`` command as a whole: help, version, exit codes, list, schema, demo wiring."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from _helpers_cli import REPO, cli, python_m

import hookmock
from hookmock.cli import _COMMANDS

COMMANDS = sorted(_COMMANDS)


def test_it_prints_the_version():
    run = cli("--version")
    assert run.code == 0
    assert run.out.strip() == f"hookmock {hookmock.__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    run = cli(command, "--help")
    assert run.code == 0
    assert f"usage: hookmock {command}" in run.out
    assert "example:\n  " in run.out
    assert run.err == ""


def test_no_command_prints_usage_and_exits_2():
    run = cli()
    assert run.code == 2
    assert "usage: hookmock" in run.err


def test_a_mistyped_command_suggests_the_right_one():
    run = cli("valdate", "x.json")
    assert run.code == 2
    assert "did you mean 'validate'?" in run.err
    assert "Traceback" not in run.err


def test_a_missing_required_flag_is_a_usage_error():
    run = cli("sign", "stripe")
    assert run.code == 2
    assert "--secret" in run.err


def test_list_prints_one_type_per_line_with_its_description():
    run = cli("list", "stripe")
    assert run.code == 0
    # One line per type, under a "# AREA (N)" line per area.
    assert len([x for x in run.lines if not x.startswith("# ")]) == len(hookmock.stripe.types())
    line = next(x for x in run.lines if x.startswith("payment_intent.succeeded "))
    assert hookmock.stripe.describe("payment_intent.succeeded") in line


def test_list_without_a_provider_lists_every_provider():
    run = cli("list")
    assert run.code == 0
    # Each provider's type count by area (tests/test_cli_list.py checks the counts).
    assert any(x.startswith("stripe: ") for x in run.lines)
    assert any(x.startswith("github: ") for x in run.lines)


def test_list_of_an_unknown_provider_says_did_you_mean():
    run = cli("list", "strpe")
    assert run.code == 2
    assert "Unknown provider 'strpe'. Did you mean 'stripe'?" in run.err
    assert run.err.count("\n") == 1


def test_schema_prints_the_json_schema_of_a_type():
    run = cli("schema", "stripe", "charge.refunded")
    assert run.code == 0
    assert json.loads(run.out) == hookmock.schema("stripe", "charge.refunded")


def test_schema_bundle_is_self_contained_and_still_validates_events():
    from jsonschema import Draft202012Validator
    from referencing import Registry

    run = cli("schema", "stripe", "charge.refunded", "--bundle")
    assert run.code == 0
    doc = json.loads(run.out)
    # An empty registry: every $ref must resolve inside the document itself.
    validator = Draft202012Validator(doc, registry=Registry())
    good = hookmock.stripe.event("charge.refunded", seed=3).json()
    assert list(validator.iter_errors(good)) == []
    bad = hookmock.stripe.event("charge.refunded", seed=3).json()
    bad["data"]["object"]["amount"] = "lots"
    assert [list(e.absolute_path) for e in validator.iter_errors(bad)] == [
        ["data", "object", "amount"]
    ]


def test_schema_of_an_unknown_type_says_did_you_mean():
    run = cli("schema", "stripe", "charge.refundd")
    assert run.code == 2
    assert "Did you mean 'charge.refunded'" in run.err
    assert "Traceback" not in run.err


def test_demo_passes_its_stdout_and_returns_the_demos_exit_code(monkeypatch):
    import hookmock.demo

    def fake_main(stdout=None):
        stdout.write("demo report\n")
        return 1

    monkeypatch.setattr(hookmock.demo, "main", fake_main)
    run = cli("demo")
    assert run.code == 1
    assert run.out == "demo report\n"


def test_demo_runs_end_to_end_as_a_real_process():
    run = python_m("demo")
    assert run.code == 0, run
    assert "checks passed" in run.out
    assert "bad signature" in run.out


def test_python_m_hookmock_runs_the_cli():
    run = python_m("list", "github")
    assert run.code == 0, run
    assert any(x.startswith("push ") for x in run.lines)


def test_the_installed_console_script_runs_when_present():
    exe = shutil.which("hookmock")
    if exe is None:
        pytest.skip("the hookmock console script is not installed in this environment")
    proc = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert proc.stdout.startswith("hookmock ")


def test_importing_the_cli_does_not_import_heavy_libraries():
    code = (
        "import sys, hookmock.cli;"
        "heavy = {'faker', 'jsonschema', 'referencing', 'yaml', 'requests', 'httpx'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert proc.stdout.strip() == "[]", proc.stderr


def test_an_unexpected_failure_is_reported_without_a_traceback(monkeypatch):
    def broken(self):
        raise RuntimeError("catalog exploded")

    monkeypatch.setattr(type(hookmock.stripe), "types", broken)
    run = cli("list", "stripe")
    assert run.code == 2
    assert run.err.startswith("hookmock list: internal error: RuntimeError: catalog exploded\n")
    assert "HOOKMOCK_TRACEBACK=1" in run.err
    monkeypatch.setenv("HOOKMOCK_TRACEBACK", "1")
    with pytest.raises(RuntimeError, match="catalog exploded"):
        cli("list", "stripe")
