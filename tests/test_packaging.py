"""A built wheel carries schemas/ and fixtures/, and a plain (non-editable) install finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    pytest.importorskip("build")
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (path,) = out.glob("hookmock-*.whl")
    return path


def test_the_wheel_contains_the_data_files(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "hookmock/py.typed" in names
    schemas = [n for n in names if n.startswith("hookmock/_data/schemas/")]
    assert any(n.startswith("hookmock/_data/schemas/stripe/") for n in schemas)
    assert any(n.startswith("hookmock/_data/schemas/github/") for n in schemas)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[pytest11]" in text
    assert "hookmock = hookmock.cli:main" in text


def test_a_plain_install_of_the_wheel_generates_and_validates(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    code = (
        "import hookmock, sys\n"
        f"assert hookmock.__file__.startswith({str(target)!r}), hookmock.__file__\n"
        "ev = hookmock.stripe.event('payment_intent.succeeded', seed=1)\n"
        "print(hookmock.validate(ev.body))\n"
        "gh = hookmock.github.event('push', seed=1)\n"
        "print(hookmock.validate(gh.body, headers=gh.headers(secret='s')))\n"
    )
    # Run from an empty folder so that the checkout is not on sys.path.
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "('stripe', 'payment_intent.succeeded')" in proc.stdout
    assert "('github', 'push')" in proc.stdout
