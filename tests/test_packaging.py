"""hookmock's data (top-level schemas/ and fixtures/) is found in one way in every layout.

The package reads it at ``hookmock/_data`` (``importlib.resources.files("hookmock") / "_data"``):
committed symlinks to the top-level folders in a checkout and an editable install, real files
in a wheel, whether built from the checkout or, as pip does, from the sdist.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The sdist and wheel ``python -m build`` makes the way pip does: sdist first, then the
    wheel from the sdist."""
    pytest.importorskip("build")
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
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
    return out


@pytest.fixture(scope="module")
def wheel(dist):
    (path,) = dist.glob("hookmock-*.whl")
    return path


@pytest.fixture(scope="module")
def sdist_names(dist):
    (path,) = dist.glob("hookmock-*.tar.gz")
    with tarfile.open(path) as archive:
        top = archive.getnames()[0].split("/")[0]
        return {n.split("/", 1)[1] for n in archive.getnames() if "/" in n and n.startswith(top)}


def test_the_version_comes_from_one_place(wheel):
    import hookmock
    from hookmock.cli import main

    assert wheel.name.startswith(f"hookmock-{hookmock.__version__}-")
    metadata = next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert f"\nVersion: {hookmock.__version__}\n" in text
    out = io.StringIO()
    assert main(["--version"], stdout=out, stderr=io.StringIO()) == 0
    assert out.getvalue().strip() == f"hookmock {hookmock.__version__}"
    assert (
        'version = "'
        not in (ROOT / "pyproject.toml").read_text().split("[project]")[1].split("[")[0]
    )


def test_the_wheel_holds_the_package_and_its_data_but_no_tests_benchmarks_or_docs(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"hookmock", f"hookmock-{wheel.name.split('-')[1]}.dist-info"}, tops
    assert not [n for n in names if "/tests/" in n or "benchmarks" in n or n.endswith(".md")]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    for provider in ("stripe", "github"):
        assert f"hookmock/_data/fixtures/{provider}/catalog.json" in names
    assert "hookmock/_data/schemas/_hookmock/contract.json" in names
    license_files = [n for n in names if n.endswith("/LICENSE") and ".dist-info/" in n]
    assert license_files, "the wheel carries no LICENSE"


def test_the_sdist_holds_what_rebuilding_and_testing_need_and_nothing_local(sdist_names):
    for name in (
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "mkdocs.yml",
        "docs/index.md",
        "docs/conftest.py",
        "tests/test_packaging.py",
        "hookmock/__init__.py",
        "hookmock/_data/schemas/_hookmock/contract.json",
        "hookmock/_data/fixtures/stripe/catalog.json",
        "hookmock/_data/fixtures/github/catalog.json",
    ):
        assert name in sdist_names, name
    local = (".venv/", "site/", ".git/", "__pycache__", ".mypy_cache", ".pytest_cache", "build/")
    assert not [n for n in sdist_names if n.startswith(local) or "/__pycache__/" in n]
    # The data is carried once, inside the package, not also as the top-level folders.
    assert not [n for n in sdist_names if n.startswith(("schemas/", "fixtures/"))]


def test_the_wheel_contains_the_data_files(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "hookmock/py.typed" in names
    schemas = [n for n in names if n.startswith("hookmock/_data/schemas/")]
    assert any(n.startswith("hookmock/_data/schemas/stripe/") for n in schemas)
    assert any(n.startswith("hookmock/_data/schemas/github/") for n in schemas)
    # Every file of the checkout's folders, once, as a real file (hatch follows the links).
    for folder in ("schemas", "fixtures"):
        expected = {
            f"hookmock/_data/{p.relative_to(ROOT).as_posix()}"
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        assert expected <= set(names), sorted(expected - set(names))[:5]
    assert len(names) == len(set(names))
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


def test_the_checkout_reaches_its_data_through_committed_symlinks():
    proc = subprocess.run(
        ["git", "ls-files", "-s", "hookmock/_data"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.skip("not a git checkout")
    modes = {line.split("\t")[1]: line.split()[0] for line in proc.stdout.splitlines()}
    assert modes == {"hookmock/_data/fixtures": "120000", "hookmock/_data/schemas": "120000"}
    assert (ROOT / "hookmock" / "_data" / "schemas").resolve() == ROOT / "schemas"
    assert (ROOT / "hookmock" / "_data" / "fixtures").resolve() == ROOT / "fixtures"


def test_the_editable_install_reads_the_same_place(tmp_path):
    import hookmock

    if not Path(hookmock.__file__).resolve().is_relative_to(ROOT):
        pytest.skip("hookmock is not installed from this checkout")
    code = (
        "import hookmock\n"
        "from importlib.resources import files\n"
        "root = files('hookmock') / '_data'\n"
        "assert (root / 'schemas' / 'stripe').is_dir()\n"
        "assert (root / 'fixtures' / 'github' / 'catalog.json').is_file()\n"
        "print(hookmock.provider('stripe').schema_dir())\n"
        "print(hookmock.validate(hookmock.stripe.event('invoice.paid', seed=1).body))\n"
    )
    # From elsewhere: the editable install, not the working directory, finds the package.
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    where, found = proc.stdout.splitlines()
    assert where == str(ROOT / "hookmock" / "_data" / "schemas" / "stripe")
    assert found == "('stripe', 'invoice.paid')"
