"""The README's shell examples run as written, with the installed `hookmock` command when there is one."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()

# Commands that need something the reader supplies (their app, a server, their fixtures).
NEEDS_THE_READERS_SETUP = ("hookmock contract", "hookmock send", "hookmock validate tests/")


def readme_commands() -> list[str]:
    found = []
    for line in re.findall(r"^\$ (hookmock .*)$", README, re.M):
        if line.endswith("\\") or line.startswith(NEEDS_THE_READERS_SETUP):
            continue
        found.append(line.split(" | ")[0])  # drop "| head -3" style pipes
    return found


def test_the_readme_shows_the_cli_in_five_runnable_lines():
    assert len(readme_commands()) == 5


def test_the_readmes_commands_run_in_order(tmp_path):
    script = shutil.which("hookmock")
    prefix = [script] if script else [sys.executable, "-m", "hookmock"]
    env = None if script else {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    for command in readme_commands():
        argv = prefix + shlex.split(command)[1:]
        proc = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, env=env)
        assert proc.returncode == 0, f"$ {command}\n{proc.stdout[-800:]}{proc.stderr[-800:]}"
    assert len(list((tmp_path / "payloads").glob("pull_request.opened-*.json"))) == 20
    assert (tmp_path / "event.json").is_file()


@pytest.mark.parametrize(
    "command", ["list", "generate", "validate", "sign", "send", "schema", "demo", "contract"]
)
def test_every_command_has_help_with_an_example(command):
    from io import StringIO

    from hookmock.cli import main

    out = StringIO()
    assert main([command, "--help"], stdout=out, stderr=StringIO()) == 0
    text = out.getvalue()
    assert f"hookmock {command}" in text.lower().split("example", 1)[1], text
