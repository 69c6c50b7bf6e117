"""`hookmock generate --story` and `hookmock send --story`: a story's events from the shell."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import stripe
from _helpers_cli import cli

import hookmock

SECRET = "whsec_story_cli"


def test_generate_story_prints_the_events_as_ndjson_in_story_order():
    run = cli("generate", "--story", "checkout_subscription", "--seed", "4")
    assert run.code == 0, run
    told = hookmock.story("stripe", "checkout_subscription", seed=4)
    lines = [json.loads(line) for line in run.lines]
    assert [e["id"] for e in lines] == [e.id for e in told]
    assert [e["type"] for e in lines] == told.types()
    assert run.err == ""  # the seed was given: nothing to say


def test_generate_story_takes_params_sets_and_a_provider(tmp_path):
    run = cli(
        "generate",
        "stripe",
        "--story",
        "checkout_payment",
        "--seed",
        "2",
        "--param",
        "amount=4321",
        "--set",
        "customer.email=ops@example.com",
    )
    assert run.code == 0, run
    events = [json.loads(line) for line in run.lines]
    told = hookmock.story(
        "stripe", "checkout_payment", seed=2, amount=4321, customer__email="ops@example.com"
    )
    assert [e["id"] for e in events] == [e.id for e in told]
    intents = [e for e in events if e["type"].startswith("payment_intent.")]
    assert intents
    assert all(e["data"]["object"]["amount"] == 4321 for e in intents)


def test_generate_story_writes_numbered_files_to_a_folder(tmp_path):
    out = tmp_path / "story"
    run = cli("generate", "--story", "pull_request", "--seed", "1", "-o", f"{out}/")
    assert run.code == 0, run
    told = hookmock.story("github", "pull_request", seed=1)
    names = sorted(p.name for p in out.iterdir() if not p.name.endswith(".headers.json"))
    assert len(names) == len(told)
    assert names[0].startswith("0")
    assert told.types()[0] in names[0]
    first = next(p for p in sorted(out.iterdir()) if p.name == names[0])
    assert first.read_bytes() == told[0].body
    assert cli("validate", str(out)).code == 0


def test_generate_story_without_a_seed_says_how_to_reproduce():
    run = cli("generate", "--story", "checkout_payment")
    assert run.code == 0
    assert run.err.startswith("hookmock: seed ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["generate", "stripe", "--story", "checkout_paymnt"],
            "Did you mean 'checkout_payment'? Its stories: ",
        ),
        (["generate", "--story", "nope"], "no provider has a story 'nope'. The stories: github: "),
        (
            ["generate", "--story", "checkout_payment", "--param", "amout=5"],
            "has no parameter 'amout'. Did you mean 'amount'?",
        ),
        (["generate", "--story", "checkout_payment", "--param", "amount"], "should be KEY=VALUE"),
        (["generate", "stripe", "invoice.paid", "--story", "refund"], "not both"),
        (["generate", "--story", "refund", "--trait", "paid"], "--trait does not apply"),
        (["generate", "--story", "refund", "--count", "3"], "--count does not apply"),
        (["generate", "stripe", "invoice.paid", "--param", "a=1"], "applies to --story NAME only"),
        (["generate", "stripe"], "generate needs TYPE"),
        (["generate"], "generate needs PROVIDER and TYPE"),
        (
            ["generate", "--story", "refund", "-o", "story.json"],
            "a .json file holds one; write them to a directory",
        ),
        (
            ["send", "http://127.0.0.1:9/h", "--story", "refund", "--secret", "s", "--order", "up"],
            "--order 'up' is not an order: pass one of provider, given, shuffled, reversed",
        ),
        (
            ["send", "http://127.0.0.1:9/h", "--story", "refund", "--secret", "s", "--drop", "x.y"],
            "names no event of story 'refund'",
        ),
        (
            [
                *["send", "http://127.0.0.1:9/h", "--story", "refund", "--secret", "s"],
                *["--order", "0,0"],
            ],
            "is not a permutation",
        ),
        (
            [
                *["send", "http://127.0.0.1:9/h", "--story", "refund", "--secret", "s"],
                "--wrong-secret",
            ],
            "--wrong-secret applies to one event",
        ),
        (
            [
                "send",
                "http://127.0.0.1:9/h",
                "stripe",
                "refund.created",
                "--secret",
                "s",
                "--drop",
                "1",
            ],
            "--drop applies to --story NAME only",
        ),
    ],
)
def test_bad_story_input_exits_2_naming_the_choices(argv, message):
    run = cli(*argv)
    assert run.code == 2, run
    assert message in run.err, run.err
    assert run.out == ""


def test_every_story_flag_has_help_text():
    for command in ("generate", "send"):
        run = cli(command, "--help")
        assert run.code == 0
        text = " ".join(run.out.split())
        for flag in ("--story NAME", "--param KEY=VALUE"):
            assert flag in text
    text = " ".join(cli("send", "--help").out.split())
    for flag in (
        "--order ORDER",
        "--drop INDEX|TYPE",
        "--duplicates N|INDEX|TYPE",
        "--concurrency N",
    ):
        assert flag in text


# -- send --story -------------------------------------------------------------------------------
class _Recorder(BaseHTTPRequestHandler):
    seen: list[tuple[dict[str, str], bytes]] = []
    fail_type = ""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append((dict(self.headers), body))
        failed = self.fail_type and json.loads(body)["type"] == self.fail_type
        self.send_response(500 if failed else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_url():
    _Recorder.seen = []
    _Recorder.fail_type = ""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_send_story_delivers_it_in_the_order_asked_and_drops_what_it_is_told(local_url):
    told = hookmock.story("stripe", "checkout_subscription", seed=6)
    run = cli(
        *["send", "--story", "checkout_subscription", f"{local_url}/hooks"],
        *["--secret", SECRET, "--seed", "6", "--order", "reversed", "--drop", "invoice.paid"],
    )
    assert run.code == 0, run
    assert run.lines[0].startswith(
        f"Sent story stripe checkout_subscription (seed 6) to {local_url}/hooks, order reversed"
    )
    got = []
    for headers, body in _Recorder.seen:
        got.append(stripe.Webhook.construct_event(body, headers["Stripe-Signature"], SECRET).id)
    kept = [e.id for e in reversed(told.events) if e.type != "invoice.paid"]
    assert got == kept
    assert any("dropped" in line and "invoice.paid" in line for line in run.lines)


def test_send_story_with_a_permutation_duplicates_and_concurrency(local_url):
    told = hookmock.story("stripe", "checkout_payment", seed=1)
    order = ",".join(str(i) for i in reversed(range(len(told))))
    run = cli(
        *["send", f"{local_url}/hooks", "stripe", "--story", "checkout_payment", "--seed", "1"],
        *["--secret", SECRET, "--order", order, "--duplicates", "2", "--concurrency", "2"],
    )
    assert run.code == 0, run
    assert len(_Recorder.seen) == len(told) + 2
    assert sum("duplicate" in line for line in run.lines) == 2


def test_send_story_exits_1_when_an_event_is_refused(local_url):
    _Recorder.fail_type = "charge.succeeded"
    run = cli(
        *["send", f"{local_url}/hooks", "--story", "checkout_payment", "--seed", "1"],
        *["--secret", SECRET, "--order", "given"],
    )
    assert run.code == 1, run
    assert "deliveries got no 2xx answer" in run.err
