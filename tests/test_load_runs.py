"""Real `hookmock load` runs on loopback: Locust in subprocesses, a few seconds each.

The receiver is a real multi-process server (gunicorn, three workers) that verifies every
signature with the providers' own libraries (stripe-python's construct_event, githubkit's
verify), stores each event id in sqlite, and answers 503 to the first attempt of the first
event and of about one in four others, so that retries (Stripe) and give-ups (GitHub) happen. Locust is never imported
in the test process: it monkey-patches whatever imports it.
"""

from __future__ import annotations

import csv
import json
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hookmock.load import compare_log, read_log

pytest.importorskip("gunicorn")
pytest.importorskip("stripe")
pytest.importorskip("githubkit")
if subprocess.run([sys.executable, "-c", "import locust"], capture_output=True).returncode:
    pytest.skip("Locust is not installed (pip install -e '.[test]')", allow_module_level=True)

STRIPE_SECRET = "whsec_load_receiver"
GITHUB_SECRET = "load-receiver-secret"
#: Every run here is bounded: Locust gets --run-time 3s or 4s, the subprocess this long at most.
RUN_LIMIT = 120

RECEIVER = '''
"""A careful receiver: official SDK verification, ids stored in sqlite, flaky first attempts."""
import os, sqlite3, zlib

import stripe
from githubkit.webhooks import verify

DB = os.environ["RECEIVER_DB"]


def connect():
    db = sqlite3.connect(DB, timeout=30, isolation_level=None)
    db.execute("PRAGMA busy_timeout = 30000")
    return db


def app(environ, start_response):
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    path = environ["PATH_INFO"]
    if path == "/slow":
        import time

        time.sleep(0.5)
        return answer(start_response, "200 OK")
    if path == "/stripe":
        try:
            event = stripe.Webhook.construct_event(
                body, environ.get("HTTP_STRIPE_SIGNATURE", ""), os.environ["STRIPE_SECRET"]
            )
        except (stripe.SignatureVerificationError, ValueError):
            return answer(start_response, "400 Bad Request", reject=True)
        event_id = event["id"]
    elif path == "/github":
        signature = environ.get("HTTP_X_HUB_SIGNATURE_256", "")
        if not verify(os.environ["GITHUB_SECRET"], body, signature):
            return answer(start_response, "400 Bad Request", reject=True)
        event_id = environ["HTTP_X_GITHUB_DELIVERY"]
    else:
        return answer(start_response, "404 Not Found")
    db = connect()
    try:
        # The first event of all fails too, so that every run has a retry (or a give-up).
        first = db.execute("SELECT 1 FROM failed LIMIT 1").fetchone() is None
        if first or zlib.crc32(event_id.encode()) % 4 == 0:
            fresh = db.execute("INSERT OR IGNORE INTO failed VALUES (?)", (event_id,)).rowcount
            if fresh:
                return answer(start_response, "503 Service Unavailable")
        db.execute("INSERT OR IGNORE INTO events VALUES (?)", (event_id,))
    finally:
        db.close()
    return answer(start_response, "200 OK")


def answer(start_response, status, reject=False):
    if reject:
        db = connect()
        db.execute("INSERT INTO rejected VALUES (1)")
        db.close()
    start_response(status, [("Content-Type", "text/plain")])
    return [status.encode()]
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {limit} s")


class Receiver:
    def __init__(self, tmp: Path) -> None:
        self.db = tmp / "receiver.sqlite"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (tmp / "receiver_app.py").write_text(RECEIVER)
        db = sqlite3.connect(self.db)
        db.execute("PRAGMA journal_mode = WAL")
        for table in (
            "events (id TEXT PRIMARY KEY)",
            "failed (id TEXT PRIMARY KEY)",
            "rejected (n)",
        ):
            db.execute(f"CREATE TABLE {table}")
        db.commit()
        db.close()
        env = {
            "RECEIVER_DB": str(self.db),
            "STRIPE_SECRET": STRIPE_SECRET,
            "GITHUB_SECRET": GITHUB_SECRET,
            "PATH": "/usr/bin:/bin",
        }
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "3",
                # The app (stripe, githubkit) is imported once, before the port opens: a busy
                # machine's first deliveries then do not wait for three workers to import it,
                # which could leave a 3 s run without the retry it is there to show.
                "--preload",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--chdir",
                str(tmp),
                "--log-level",
                "warning",
                "receiver_app:app",
            ],
            env=env,
        )
        wait_for_port(self.port, self.proc)

    def table(self, name: str) -> list[str]:
        db = sqlite3.connect(self.db)
        try:
            return [row[0] for row in db.execute(f"SELECT * FROM {name}")]
        finally:
            db.close()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


@pytest.fixture
def receiver(tmp_path):
    r = Receiver(tmp_path)
    yield r
    r.stop()


def hookmock_load(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hookmock", "load", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=RUN_LIMIT,
    )


def test_a_headless_run_prints_the_summary_and_fails_ci_on_a_threshold(tmp_path):
    port = free_port()
    demo = subprocess.Popen([sys.executable, "-m", "hookmock.load.demo", "--port", str(port)])
    try:
        wait_for_port(port, demo)  # type: ignore[arg-type]
        run = hookmock_load(
            f"http://127.0.0.1:{port}/webhooks/github",
            "--provider", "github", "--secret", "hookmock-demo-secret",
            "--users", "4", "--spawn-rate", "4", "--run-time", "3s", "--headless", "--pool", "8",
            "--threshold", "p99<10s", "--threshold", "accepted_per_s>=1000000",
            "--summary-json", "summary.json",
            cwd=tmp_path,
        )  # fmt: skip
    finally:
        demo.terminate()
        demo.wait(timeout=30)
    assert run.returncode == 1, run.stdout + run.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["sent"] > 10
    assert summary["accepted"] == summary["events"] == summary["sent"]
    assert summary["by_status"] == {"200": summary["sent"]}
    assert summary["timeout_s"] == 10.0
    out = run.stdout
    assert f"hookmock load: github -> http://127.0.0.1:{port}/webhooks/github" in out
    assert "(GitHub waits 10 s)" in out
    assert "non-2xx      none" in out
    assert out.rstrip().splitlines()[-1].startswith("FAIL: accepted_per_s>=1000000 (was ")
    assert "p99<10s" not in out.rstrip().splitlines()[-1]


def test_nothing_is_lost_every_accepted_stripe_event_is_stored_and_retries_show_apart(
    receiver, tmp_path
):
    run = hookmock_load(
        f"{receiver.url}/stripe", "--secret", STRIPE_SECRET,
        "--users", "4", "--spawn-rate", "4", "--run-time", "3s", "--headless", "--pool", "8",
        "--retry-speedup", "36000", "--duplicates", "30%", "--seed", "7",
        "--log", "log.ndjson", "--summary-json", "summary.json", "--csv", "stats",
        cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    rows = list(read_log(tmp_path / "log.ndjson"))
    recorded = receiver.table("events")
    check = compare_log(rows, recorded)
    assert check.ok, str(check)
    assert not check.unacknowledged, str(check)  # a 503 stores nothing here
    assert check.accepted == set(recorded)
    assert summary["accepted"] == len(recorded) > 0
    assert summary["sent"] == len(rows)
    assert summary["retries"] == sum(r["kind"] == "retry" for r in rows) > 0
    assert summary["duplicates"] == sum(r["kind"] == "duplicate" for r in rows) > 0
    assert summary["by_status"]["503"] == len(receiver.table("failed"))
    assert summary["events"] - summary["accepted"] == summary["gave_up"] + summary["unfinished"]
    assert receiver.table("rejected") == []  # stripe-python verified every signature
    assert {r["ok"] for r in rows if r["status"] == 503} == {False}
    with open(tmp_path / "stats_stats.csv", newline="") as f:
        names = {row["Name"] for row in csv.DictReader(f)}
    assert any(n.endswith(" (retry)") for n in names), names
    assert any(n.endswith(" (duplicate)") for n in names), names


def test_one_master_and_two_workers_add_up_and_github_never_retries(receiver, tmp_path):
    port = free_port()
    master = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hookmock",
            "load",
            f"{receiver.url}/github",
            "--provider",
            "github",
            "--secret",
            GITHUB_SECRET,
            "--users",
            "4",
            "--spawn-rate",
            "4",
            "--run-time",
            "4s",
            "--headless",
            "--master",
            "--expect-workers",
            "2",
            "--master-port",
            str(port),
            "--pool",
            "8",
            "--log",
            "log.ndjson",
            "--summary-json",
            "summary.json",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "hookmock",
                "load",
                "--worker",
                "--master-host",
                "127.0.0.1",
                "--master-port",
                str(port),
            ],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:
        out, err = master.communicate(timeout=RUN_LIMIT)
        for w in workers:
            w.wait(timeout=30)
    finally:
        for p in (master, *workers):
            if p.poll() is None:
                p.kill()
    assert master.returncode == 0, out + err
    summary = json.loads((tmp_path / "summary.json").read_text())
    rows = list(read_log(tmp_path / "log.ndjson"))
    assert summary["complete"] is True
    assert {r["worker"] for r in rows} == {0, 1}
    assert summary["sent"] == len(rows) == summary["events"]
    recorded = receiver.table("events")
    check = compare_log(rows, recorded)
    assert check.ok, str(check)
    assert check.accepted == set(recorded)
    assert summary["accepted"] == len(recorded) > 0
    assert summary["retries"] == 0  # GitHub gives up at once
    assert summary["gave_up"] == summary["by_status"]["503"] == len(receiver.table("failed")) > 0
    assert summary["never_accepted_share"] == pytest.approx(
        summary["gave_up"] / summary["events"], abs=1e-6
    )
    assert receiver.table("rejected") == []  # githubkit verified every signature
    assert "never accepted" in out + err


def test_answers_later_than_the_providers_timeout_count_as_timed_out_and_failed(receiver, tmp_path):
    run = hookmock_load(
        f"{receiver.url}/slow", "--provider", "github", "--secret", GITHUB_SECRET,
        "--users", "2", "--spawn-rate", "2", "--run-time", "2s", "--headless", "--pool", "2",
        "--timeout", "0.2", "--threshold", "timed_out<1%", "--summary-json", "summary.json",
        cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["timeout_s"] == 0.2
    assert summary["sent"] > 0
    assert summary["timed_out"] == summary["sent"]
    assert summary["timed_out_share"] == 1.0
    assert summary["accepted"] == 0
    assert summary["gave_up"] == summary["events"]  # GitHub does not retry
    assert set(summary["by_status"]) == {"timeout"}
    assert "100.00% of deliveries would have timed out at GitHub" in run.stdout
    assert run.stdout.rstrip().splitlines()[-1] == "FAIL: timed_out<1% (was 100.00%)"
