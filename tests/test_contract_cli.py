"""``hookmock contract FILE``: a contract run from the shell, with exit codes 0, 1 and 2."""

from __future__ import annotations

import re
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from _helpers_cli import cli
from _helpers_contract import STRIPE_SECRET, ReferenceReceiver, write

PASSING = f"""
name: orders endpoint
provider: stripe
path: /webhooks/stripe
secret: {STRIPE_SECRET}
seed: 3
deliveries:
  - send: payment_intent.succeeded
    as: paid
    expect: {{status: 2xx, handled: true}}
  - send: payment_intent.succeeded
    signature: wrong
    expect: {{status: 400}}
  - replay: paid
"""


def test_it_runs_a_contract_against_an_app_and_prints_the_table(tmp_path):
    path = write(tmp_path, PASSING)
    run = cli("contract", str(path), "--app", "_helpers_contract:make_app()")
    assert run.code == 0, run
    assert run.lines[0].split() == ["check", "event", "expected", "got", "time", "result"]
    assert re.search(r"replay of paid +stripe payment_intent\.succeeded +2xx", run.out)
    assert "orders endpoint: all 3 checks passed." in run.out
    assert "`handled:` expectations were not checked" in run.out
    assert run.err == ""


def test_it_exits_1_with_the_details_and_the_rerun_command(tmp_path):
    path = write(tmp_path, PASSING.replace("{status: 400}", "{status: 2xx}"))
    run = cli("contract", str(path), "--app", "_helpers_contract:app", "--seed", "11")
    assert run.code == 1, run
    assert "orders endpoint: 1 of 3 checks FAILED." in run.out
    assert f"{path}:10: deliveries[1]: stripe payment_intent.succeeded" in run.out
    assert "expected 2xx, got 400 Bad Request" in run.out
    assert (
        f"reproduce the whole run: hookmock contract {path} --app _helpers_contract:app --seed 11"
        in run.out
    )


def test_the_secret_flag_wins_over_the_contracts(tmp_path):
    path = write(tmp_path, PASSING)
    run = cli("contract", str(path), "--app", "_helpers_contract:app", "--secret", "whsec_other")
    assert run.code == 1
    assert "payment_intent.succeeded  2xx       400" in run.out


def test_it_posts_to_a_url(tmp_path):
    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server("127.0.0.1", 0, ReferenceReceiver(), handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        path = write(tmp_path, PASSING)
        run = cli("contract", str(path), "--url", f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert run.code == 0, run
    assert "all 3 checks passed" in run.out


def test_a_bad_contract_is_one_line_on_stderr_and_exit_2(tmp_path):
    path = write(tmp_path, "provider: stripe\ndeliveries:\n  - sned: invoice.paid\n")
    run = cli("contract", str(path), "--app", "_helpers_contract:app")
    assert run.code == 2
    assert run.out == ""
    assert run.err == (
        f"hookmock contract: error: {path}:3: deliveries[0].sned: unknown key 'sned' in"
        " deliveries[0]. Did you mean 'send' or 'seed'? Allowed keys: allow_new, as, batch, concurrency,"
        " drop, duplicates, expect, given, headers, name, options, order, params, replay,"
        " retries, secret, seed, send, set, signature, story, timeout, timestamp, traits.\n"
    )


def test_a_contract_with_setup_steps_needs_a_python_caller(tmp_path):
    from hookmock._resources import fixtures_dir

    run = cli(
        "contract", str(fixtures_dir() / "demo-stripe.yaml"), "--app", "_helpers_contract:app"
    )
    assert run.code == 2
    assert "needs the setup step(s) 'unavailable', which only Python can supply" in run.err
    assert "pass --given module:attr" in run.err


@pytest.mark.parametrize(
    ("app", "message"),
    [
        ("myapp", "--app 'myapp' should be MODULE:ATTR"),
        ("no_such_module_here:app", "--app: cannot import 'no_such_module_here'"),
        ("_helpers_contract:ap", "module '_helpers_contract' has no 'ap'. Did you mean 'app'?"),
        ("_helpers_contract:STRIPE_SECRET", "is a str, not a WSGI or ASGI app"),
    ],
)
def test_a_bad_app_reference_says_what_is_wrong(tmp_path, app, message):
    run = cli("contract", str(write(tmp_path, PASSING)), "--app", app)
    assert run.code == 2
    assert message in run.err


def test_it_needs_exactly_one_target(tmp_path):
    path = str(write(tmp_path, PASSING))
    assert cli("contract", path).code == 2
    both = cli("contract", path, "--app", "a:b", "--url", "https://example.invalid")
    assert both.code == 2
    assert "not allowed with argument" in both.err


def test_its_help_has_an_example():
    run = cli("contract", "--help")
    assert run.code == 0
    assert "example:\n  hookmock contract tests/webhooks.yaml --app" in run.out
