"""A third-party provider, installed as a package outside the source tree, works everywhere a
built-in one does (issue 9, part 1).

The package is exactly the "Write a provider" how-to's recipe: its files are read from that
page (docs/how-to/write-a-provider.md), built with hatchling and installed with pip (no index, no build isolation) into a folder
of its own, so only its entry point tells hookmock about it. Every check runs in a subprocess
that puts that folder on ``sys.path``: hookmock knows the provider from the entry point alone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "acme-secret-for-the-test"
#: ``<!-- file: PATH -->`` then a fenced block: one file of the recipe.
RECIPE_FILE = re.compile(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", re.S)


def recipe() -> dict[str, str]:
    """The files the "Write a provider" how-to shows, by path."""
    page = (ROOT / "docs" / "how-to" / "write-a-provider.md").read_text()
    return dict(RECIPE_FILE.findall(page))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling")
    source = tmp_path_factory.mktemp("acme_hooks")
    files = recipe()
    assert set(files) >= {"pyproject.toml", "acme_hooks/__init__.py"}
    for path, body in files.items():
        (source / path).parent.mkdir(parents=True, exist_ok=True)
        (source / path).write_text(body)
    target = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (target / "acme_hooks" / "schemas" / "acme" / "order.json").is_file()
    return target


def run(site: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT / "tests")])}
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd or site,
        env=env,
        timeout=120,
    )


def python(site: Path, code: str) -> str:
    proc = run(site, "-c", textwrap.dedent(code))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def cli(site: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run(site, "-m", "hookmock", *args, cwd=cwd)


def test_it_is_found_through_its_entry_point_and_generates_with_overrides_and_traits(site):
    out = python(
        site,
        """
        import hookmock
        assert "acme" in hookmock.provider_names()
        assert hookmock.types("acme") == ["order.created", "order.shipped"]
        a = hookmock.event("acme", "order.created", seed=7, data__amount=4999, traits="express")
        b = hookmock.event("acme", "order.created", seed=7, data__amount=4999, traits="express")
        assert a.body == b.body
        assert a.payload["data"]["amount"] == 4999
        assert a.payload["data"]["total"] == 5499
        assert a.payload["data"]["express"] is True
        assert hookmock.event("acme", "order.created", seed=7, region="us").payload["region"] == "us"
        try:
            hookmock.event("acme", "order.shipped", traits="express")
        except hookmock.TraitError as exc:
            print("trait:", exc)
        print("ok")
        """,
    )
    assert out.splitlines()[-1] == "ok"
    assert "Acme type 'order.shipped' has no trait 'express'" in out


def test_it_validates_detects_and_reads_its_schemas_from_its_own_package(site):
    out = python(
        site,
        """
        import json
        import hookmock
        ev = hookmock.event("acme", "order.shipped", seed=3)
        assert hookmock.validate(ev.body) == ("acme", "order.shipped")
        broken = json.loads(ev.body)
        broken["data"]["amount"] = -1
        try:
            hookmock.validate(broken)
        except hookmock.SchemaError as exc:
            print("invalid:", exc)
        print(hookmock.provider("acme").schema_dir())
        """,
    )
    assert "invalid: Payload is not a valid acme 'order.shipped' event" in out
    assert "/data/amount" in out
    assert out.splitlines()[-1].endswith(os.path.join("acme_hooks", "schemas", "acme"))
    assert str(site) in out.splitlines()[-1]


def test_the_cli_lists_generates_and_validates_it(site, tmp_path):
    listed = cli(site, "list", "acme")
    assert listed.returncode == 0, listed.stderr
    assert "order.created" in listed.stdout
    assert "order.shipped" in listed.stdout
    made = cli(site, "generate", "acme", "order.created", "--seed", "1", "-o", str(tmp_path))
    assert made.returncode == 0, made.stderr
    (payload,) = tmp_path.glob("*.json")
    assert json.loads(payload.read_text())["type"] == "order.created"
    checked = cli(site, "validate", str(tmp_path))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    broken = json.loads(payload.read_text())
    broken["data"]["email"] = 5
    payload.write_text(json.dumps(broken))
    failed = cli(site, "validate", str(tmp_path))
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "/data/email" in failed.stdout


def test_it_signs_and_verifies(site):
    out = python(
        site,
        f"""
        import hookmock
        body = hookmock.event("acme", "order.created", seed=1).body
        headers = hookmock.sign("acme", body, {SECRET!r})
        assert list(headers) == ["Acme-Signature"]
        hookmock.verify("acme", body, headers, {SECRET!r})
        try:
            hookmock.verify("acme", body, headers, "another-secret")
        except hookmock.SignatureError as exc:
            print("refused:", exc)
        try:
            hookmock.sign("acme", body, None)
        except hookmock.SecretError as exc:
            print("no secret:", exc)
        """,
    )
    assert "refused: Acme-Signature does not match" in out
    assert "secret='acme_test_secret'" in out
    assert "hookmock_acme_secret" in out


APP = f"""
import json

import hookmock

SECRET = {SECRET!r}
seen = []
failures = {{"left": 0}}


def on_order(order_id):
    seen.append(order_id)


def app(environ, start_response):
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    headers = {{k[5:].replace("_", "-"): v for k, v in environ.items() if k.startswith("HTTP_")}}
    try:
        hookmock.verify("acme", body, headers, SECRET)
    except hookmock.SignatureError:
        start_response("400 Bad Request", [("Content-Type", "text/plain")])
        return [b"bad signature"]
    if failures["left"] > 0:
        failures["left"] -= 1
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b"try later"]
    on_order(json.loads(body)["data"]["id"])
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b""]
"""


def test_it_delivers_with_its_own_timeout_retries_redaction_and_spies(site):
    (site / "acme_app.py").write_text(APP)
    out = python(
        site,
        f"""
        import hookmock
        import acme_app

        with hookmock.receiver(acme_app.app, provider="acme", secret={SECRET!r}) as rec:
            assert rec.timeout == 5.0
            spy = rec.expect_handler("acme_app.on_order")
            rec.send("order.created").assert_ok()
            assert spy.calls
            print("handled:", rec.assert_all_handled())
            failed = rec.send("order.created", secret="not-the-right-secret")
            try:
                failed.assert_ok()
            except hookmock.DeliveryError as exc:
                print("message:", exc)
            print("report:", rec.report())
        with hookmock.receiver(
            acme_app.app, provider="acme", secret={SECRET!r}, retries=True
        ) as rec:
            acme_app.failures["left"] = 2
            result = rec.send("order.shipped")
            result.assert_ok()
            print("attempts at:", [a.at for a in result.attempts])
        """,
    )
    assert "attempts at: [0.0, 60.0, 660.0]" in out
    message = out.split("message:", 1)[1]
    assert "Acme-Signature: sha256=<redacted>" in message
    signature = re.compile(r"sha256=[0-9a-f]{64}")
    assert not signature.search(out)
    assert "not-the-right-secret" not in out
    assert SECRET not in out


CONTRACT = """
name: acme orders
provider: acme
deliveries:
  - {send: order.created, expect: {status: 2xx}}
  - {send: order.shipped, signature: wrong, expect: {status: 4xx}}
"""


def test_its_contracts_run_from_the_cli(site, tmp_path):
    (site / "acme_app.py").write_text(APP)
    (tmp_path / "acme.yaml").write_text(CONTRACT)
    ran = cli(
        site, "contract", str(tmp_path / "acme.yaml"), "--app", "acme_app:app", "--secret", SECRET
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr


CONFTEST_TEST = f"""
import pytest

import acme_app


def test_the_ini_secret_and_option_reach_the_fixture(hookmock):
    rec = hookmock.receiver(acme_app.app, provider="acme")
    result = rec.send("order.created")
    result.assert_ok()
    assert result.event.payload["region"] == "us"


@pytest.mark.hookmock(provider="acme", secret={SECRET!r})
def test_the_marker_gives_the_secret(hookmock):
    hookmock.receiver(acme_app.app).send("order.shipped").assert_ok()


def test_a_wrong_secret_fails_with_the_signature_redacted(hookmock):
    rec = hookmock.receiver(acme_app.app, provider="acme", secret="not-the-app-secret")
    rec.send("order.created").assert_ok()
"""


def pytest_run(
    site: Path, project: Path, ini: str, *, tests: bool = True
) -> subprocess.CompletedProcess[str]:
    (site / "acme_app.py").write_text(APP)
    (project / "pytest.ini").write_text(ini)
    if tests:
        (project / "test_acme.py").write_text(CONFTEST_TEST)
    (project / "acme.yaml").write_text(CONTRACT)
    return run(site, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rf", cwd=project)


@pytest.mark.parametrize(
    "secret_line",
    [f"hookmock_acme_secret = {SECRET}", f"hookmock_secrets =\n    acme={SECRET}"],
    ids=["hookmock_acme_secret", "hookmock_secrets"],
)
def test_pytest_collects_its_contracts_and_reads_its_ini_options(site, tmp_path, secret_line):
    ini = (
        textwrap.dedent(
            """\
        [pytest]
        addopts = --strict-config --strict-markers
        hookmock_contracts = acme.yaml
        hookmock_contract_app = acme_app:app
        hookmock_acme_region = us
        """
        )
        + secret_line
        + "\n"
    )
    proc = pytest_run(site, tmp_path, ini)
    out = proc.stdout + proc.stderr
    assert "unknown configuration value" not in out
    # The contract and the fixture tests pass; the wrong secret fails, naming where it was set.
    assert "1 failed, 3 passed" in out, out
    assert "test_a_wrong_secret_fails_with_the_signature_redacted" in out
    assert "Acme-Signature: sha256=<redacted>" in out
    assert not re.search(r"sha256=[0-9a-f]{64}", out)


def test_a_collected_contract_names_the_ini_secret_in_its_failure(site, tmp_path):
    # The ini gives a secret the app does not know: the failure says where it came from.
    ini = textwrap.dedent(
        """\
        [pytest]
        addopts = --strict-config --strict-markers
        hookmock_contracts = acme.yaml
        hookmock_contract_app = acme_app:app
        hookmock_acme_secret = ini-secret-the-app-does-not-know
        """
    )
    proc = pytest_run(site, tmp_path, ini, tests=False)
    out = proc.stdout + proc.stderr
    assert "1 failed" in out, out
    assert "acme.yaml" in out
    assert "signed with the hookmock_acme_secret ini option" in out, out
    assert "the secret= given to hookmock.receiver()" not in out
