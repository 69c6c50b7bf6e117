"""`hookmock demo`: the reference receiver behaves, and the run reports every expectation."""

import io
import subprocess
import sys
from pathlib import Path

import hookmock
from hookmock import demo


def test_the_demo_passes_every_check_and_prints_a_table():
    out = io.StringIO()
    assert demo.main(stdout=out) == 0
    text = out.getvalue()
    assert "check  " in text
    for line in (
        "handled          stripe payment_intent.succeeded",
        "unknown type     github star.created",
        "bad signature    stripe invoice.paid",
        "stale timestamp  stripe payment_intent.succeeded",
        "duplicate        github push",
        "out of order     stripe",
    ):
        assert line in text
    assert "FAILED" not in text
    assert "All 24 checks passed." in text
    assert "503, 503, 200 (last at +1h30m00s), handled once" in text
    assert "slow handler     github ping" in text


def test_every_demo_check_uses_its_own_event_except_the_duplicates():
    run = demo.DemoRun()
    try:
        checks = run.run()
    finally:
        run.close()
    ids = [c.result.event.id for c in checks if c.name != "duplicate"]
    assert len(ids) == len(set(ids))
    assert all(c.passed for c in checks)


def test_the_demo_fails_loudly_when_the_receiver_misses_a_stale_timestamp(monkeypatch):
    class Lax(demo.ReferenceReceiver):
        def __init__(self):
            super().__init__(tolerance=0)  # no tolerance check: stale events get through

    monkeypatch.setattr(demo, "ReferenceReceiver", Lax)
    out = io.StringIO()
    assert demo.main(stdout=out) == 1
    text = out.getvalue()
    assert "1 of 24 checks FAILED:" in text
    assert "stripe payment_intent.succeeded (evt_" in text
    assert "expected 400, got 200 OK" in text


def test_the_reference_receiver_rejects_what_a_careful_receiver_rejects():
    ref = demo.ReferenceReceiver()
    receiver = hookmock.receiver(ref, path="/webhooks/stripe", secret=demo.STRIPE_SECRET)
    receiver.send("charge.succeeded", headers={"Stripe-Signature": "t=1,v1=00"}).assert_rejected()
    receiver.send("charge.succeeded", headers={"Stripe-Signature": None}).assert_rejected()
    wrong_path = hookmock.receiver(ref, path="/elsewhere", secret=demo.STRIPE_SECRET)
    assert wrong_path.send("charge.succeeded").status == 404
    assert ref.handled == []


def test_the_cli_runs_the_demo():
    from hookmock.cli import main

    out = io.StringIO()
    assert main(["demo"], stdout=out) == 0
    assert "All 24 checks passed." in out.getvalue()


def test_the_demo_runs_as_a_command_with_no_setup():
    root = Path(hookmock.__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-m", "hookmock", "demo"],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "checks passed" in proc.stdout
