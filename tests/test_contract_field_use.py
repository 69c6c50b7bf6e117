"""Contracts' rough edges from field use (issues 7 and 8): every problem at once, a contract's own
target, the CLI's --handled and --given, and special or huge files refused."""

from __future__ import annotations

import os
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import requests
from _helpers_cli import cli
from _helpers_contract import STRIPE_SECRET, ReferenceReceiver, write

import hookmock
import hookmock.contracts
import hookmock.delivery
from hookmock.contracts import ContractError, load_contract

pytest_plugins = ["pytester"]

# Load the providers now, so pytester's sys.modules snapshot keeps one copy of each module.
hookmock.provider("stripe")
hookmock.provider("github")
# Same for the HTTP (and TLS) stacks: a session first made inside a sub-run would load a second
# copy of requests' classes ("You can only merge into CookieJar" in later tests).
requests.Session().close()

FIVE_MISTAKES = """
provider: stripe
path: webhooks
deliveries:
  - send: invoice.paid
    expect: {statuz: 200}
  - send: invoice.payed
  - sned: invoice.paid
  - send: invoice.paid
    signature: wrong
    secret: whsec_x
  - replay: nothing
"""


def test_every_problem_of_a_contract_is_reported_at_once_in_line_order(tmp_path):
    path = write(tmp_path, FIVE_MISTAKES)
    with pytest.raises(ContractError) as info:
        load_contract(path)
    error = info.value
    lines = [p.line for p in error.problems]
    assert lines == [2, 5, 6, 7, 9, 11]
    assert lines == sorted(lines)
    assert [p.key for p in error.problems] == [
        "path",
        "deliveries[0].expect.statuz",
        "deliveries[1].send",
        "deliveries[2].sned",
        "deliveries[3].signature",
        "deliveries[4].replay",
    ]
    text = str(error).splitlines()
    assert text[0] == f"{path}: 6 problems, in line order:"
    for problem, line in zip(error.problems, text[1:], strict=True):
        assert line == f"  {problem}"
        assert line.startswith(f"  {path}:{problem.line}: ")
    # The first problem's place, for callers that read one.
    assert (error.line, error.key) == (2, "path")


def test_a_misspelt_delivery_kind_is_reported_once_not_twice(tmp_path):
    path = write(tmp_path, "provider: stripe\ndeliveries:\n  - sned: invoice.paid\n")
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert len(info.value.problems) == 1
    assert "unknown key 'sned'" in str(info.value)
    assert "exactly one of send" not in str(info.value)


def test_duplicate_keys_and_semantic_problems_come_together(tmp_path):
    path = write(
        tmp_path,
        """
        provider: github
        deliveries:
          - send: push
            name: a
            name: b
          - send: pushh
        """,
    )
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert [(p.line, p.key) for p in info.value.problems] == [
        (5, ""),
        (6, "deliveries[1].send"),
    ]
    assert "the key 'name' appears twice" in str(info.value.problems[0])


def test_two_unknown_keys_in_one_mapping_are_two_problems(tmp_path):
    path = write(
        tmp_path, "provider: stripe\nsekret: x\nnmae: y\ndeliveries: [{send: invoice.paid}]\n"
    )
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert [p.line for p in info.value.problems] == [2, 3]


def test_a_mapping_contract_lists_every_problem_too():
    with pytest.raises(ContractError) as info:
        load_contract({"provider": "stripe", "deliveries": [{"send": "nope"}, {"sendd": "x"}]})
    assert len(info.value.problems) == 2


def test_the_cli_prints_every_problem_with_exit_2(tmp_path):
    path = write(tmp_path, FIVE_MISTAKES)
    run = cli("contract", str(path), "--app", "_helpers_contract:app")
    assert run.code == 2
    assert f"{path}: 6 problems, in line order:" in run.err
    assert run.err.count(f"  {path}:") == 6


# -- the contract names its target ---------------------------------------------------------------

TARGETED = f"""
provider: stripe
path: /webhooks/stripe
secret: {STRIPE_SECRET}
{{target}}
deliveries:
  - send: invoice.paid
    expect: {{status: 2xx, handled: true}}
  - send: invoice.paid
    given: {{unavailable: 1}}
    retries: [60]
    expect: {{attempts: [503, 200]}}
"""


def contract(tmp_path, target, name="webhooks.yaml", *, steps=True):
    text = TARGETED.replace("{target}", target)
    if not steps:
        text = text.split("  - send: invoice.paid\n    given:")[0]
    return write(tmp_path, text, name=name)


def test_app_and_url_are_in_the_schema_and_exclusive(tmp_path):
    schema = hookmock.contracts.contract_schema()
    assert {"app", "url"} <= set(schema["properties"])
    loaded = load_contract(contract(tmp_path, "app: shop.hooks:make_app()"))
    assert (loaded.app, loaded.url) == ("shop.hooks:make_app()", None)
    with pytest.raises(ContractError, match="give the contract's target as app:"):
        load_contract(contract(tmp_path, "app: a:b\nurl: https://example.invalid"))
    with pytest.raises(ContractError, match=r":4: app: .*is not allowed here|does not match"):
        load_contract(contract(tmp_path, "app: not an import path"))
    with pytest.raises(ContractError, match=r":4: url: 'ftp://x' does not match"):
        load_contract(contract(tmp_path, "url: ftp://x"))


PROBES = """
from hookmock.demo import ReferenceReceiver

first = ReferenceReceiver()
second = ReferenceReceiver()
apps = [first, second]
app = first


def handled(event):
    return any(app.times_handled(event.id) == 1 for app in apps)

"""


def test_collected_contracts_run_against_the_app_each_one_names(pytester):
    pytester.makeini(
        "[pytest]\n"
        "addopts = -p no:cacheprovider -p hookmock.plugin\n"
        "hookmock_contracts = contracts\n"
        "hookmock_contract_handled = cf_probes:handled\n"
    )
    pytester.makepyfile(cf_probes=PROBES)
    contract(pytester.mkdir("contracts"), "app: cf_probes:first", "first.yaml", steps=False)
    contract(pytester.path / "contracts", "app: cf_probes:second", "second.yaml", steps=False)
    pytester.makepyfile(
        test_cf_after="""
import cf_probes


def test_each_app_got_its_own_contract():
    assert len(cf_probes.first.handled) == len(cf_probes.second.handled) == 1
"""
    )
    result = pytester.runpytest("-p", "no:randomly", "contracts", "test_cf_after.py")
    result.assert_outcomes(passed=3)


def test_a_contracts_own_app_that_cannot_be_imported_fails_naming_the_file(pytester):
    pytester.makeini(
        "[pytest]\naddopts = -p no:cacheprovider -p hookmock.plugin\n"
        "hookmock_contracts = contracts/*.yaml\n"
    )
    contract(pytester.mkdir("contracts"), "app: cf_nowhere:app", "lost.yaml")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*lost.yaml: app:: cannot import 'cf_nowhere'*"])


@pytest.fixture
def local_server():
    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    app = ReferenceReceiver()
    server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_a_collected_contract_posts_to_the_url_it_names(pytester, local_server):
    url, app = local_server
    pytester.makeini(
        "[pytest]\naddopts = -p no:cacheprovider -p hookmock.plugin\n"
        "hookmock_contracts = contracts/*.yaml\n"
        "hookmock_contract_app = nowhere_at_all:app\n"  # the contract's own url: wins
    )
    contract(pytester.mkdir("contracts"), f"url: {url}", "live.yaml", steps=False)
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:xdist")
    result.assert_outcomes(failed=1)  # handled: true with no probe: nothing checked it
    result.stdout.fnmatch_lines(
        ["*expected the event to be handled, but nothing checked*", f"*POST {url}/webhooks/stripe*"]
    )
    assert len(app.handled) == 1


def test_ini_probes_and_steps_of_the_wrong_kind_fail_naming_the_option(pytester):
    pytester.makeini(
        "[pytest]\naddopts = -p no:cacheprovider -p hookmock.plugin\n"
        "hookmock_contracts = contracts/*.yaml\n"
        "hookmock_contract_app = cf_kinds:app\n"
        "hookmock_contract_given = cf_kinds:steps\n"
    )
    pytester.makepyfile(cf_kinds=PROBES + "\nsteps = ['unavailable']\n")
    contract(pytester.mkdir("contracts"), "", "one.yaml")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*the hookmock_contract_given ini option 'cf_kinds:steps' is a list; it should name a"
            " dict of step name -> callable*"
        ]
    )


def test_the_cli_uses_the_contracts_url_when_no_flag_names_one(tmp_path, local_server):
    url, _ = local_server
    path = write(
        tmp_path,
        f"provider: stripe\npath: /webhooks/stripe\nsecret: {STRIPE_SECRET}\nurl: {url}\n"
        "deliveries:\n  - send: invoice.paid\n",
    )
    run = cli("contract", str(path))
    assert run.code == 0, run
    assert f"{path}: all 1 checks passed." in run.out
    # The rerun line repeats only the flags given: the contract names its own target.
    failing = write(tmp_path, path.read_text() + "    expect: {status: 500}\n", name="f.yaml")
    run = cli("contract", str(failing), "--seed", "4")
    assert run.code == 1
    assert f"reproduce the whole run: hookmock contract {failing} --seed 4" in run.out


def test_the_cli_uses_the_contracts_app(tmp_path):
    path = write(
        tmp_path,
        f"provider: stripe\npath: /webhooks/stripe\nsecret: {STRIPE_SECRET}\n"
        "app: _helpers_contract:make_app()\ndeliveries:\n  - send: invoice.paid\n",
    )
    run = cli("contract", str(path))
    assert run.code == 0, run


def test_the_cli_without_any_target_says_how_to_name_one(tmp_path):
    path = write(tmp_path, "provider: stripe\ndeliveries:\n  - send: invoice.paid\n")
    run = cli("contract", str(path))
    assert run.code == 2
    assert "names no target: pass --app MODULE:ATTR" in run.err
    assert "or write `app: module:attr` or `url: https://...` in the contract" in run.err


# -- --handled and --given -----------------------------------------------------------------------

CLI_PROBES = """
from hookmock.demo import ReferenceReceiver

app = ReferenceReceiver()


def handled(event):
    return app.times_handled(event.id) == 1


def never(event):
    return False


steps = {"unavailable": lambda n: setattr(app, "unavailable", int(n))}
not_steps = ["unavailable"]
"""


@pytest.fixture
def probes(tmp_path, monkeypatch):
    """A module of probes and steps, importable under a name unique to this test."""
    name = f"cf_cli_{os.getpid()}_{time.monotonic_ns()}"
    (tmp_path / f"{name}.py").write_text(CLI_PROBES)
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def test_handled_checks_handled_expectations_from_the_shell(tmp_path, probes):
    path = contract(tmp_path, "")
    text = path.read_text().replace("    given: {unavailable: 1}\n    retries: [60]\n", "")
    path.write_text(
        text.replace(
            "expect: {attempts: [503, 200]}",
            "signature: wrong\n    expect: {status: 400, handled: false}",
        )
    )
    good = cli("contract", str(path), "--app", f"{probes}:app", "--handled", f"{probes}:handled")
    assert good.code == 0, good
    assert "not checked" not in good.out
    bad = cli("contract", str(path), "--app", f"{probes}:app", "--handled", f"{probes}:never")
    assert bad.code == 1
    assert "expected the event to be handled, but it was not" in bad.out
    assert f"--handled {probes}:never --seed" in bad.out


def test_given_supplies_the_setup_steps_from_the_shell(tmp_path, probes):
    path = contract(tmp_path, "")
    run = cli(
        "contract",
        str(path),
        "--app",
        f"{probes}:app",
        "--handled",
        f"{probes}:handled",
        "--given",
        f"{probes}:steps",
    )
    assert run.code == 0, run
    assert "503, 200" in run.out


def test_bad_handled_or_given_references_are_usage_errors(tmp_path, probes):
    path = str(contract(tmp_path, ""))
    app = f"{probes}:app"
    run = cli("contract", path, "--app", app, "--given", f"{probes}:not_steps")
    assert run.code == 2
    assert "is a list; it should name a dict of step name -> callable" in run.err
    steps = f"{probes}:steps"
    run = cli("contract", path, "--app", app, "--given", steps, "--handled", f"{probes}:steps")
    assert run.code == 2
    assert "is a dict; it should name the handled probe, a callable (event) -> bool" in run.err
    run = cli("contract", path, "--app", app, "--given", f"{probes}:nope")
    assert run.code == 2
    assert "--given: module" in run.err


# -- special and huge files (issue 8, item 9) ----------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "contract.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    run = cli("contract", str(fifo), "--app", "_helpers_contract:app")
    assert time.monotonic() - started < 5
    assert run.code == 2
    assert "is not a regular file (a FIFO, device or socket); pass contract YAML files." in run.err


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused_without_reading_it():
    with pytest.raises(ContractError, match="is not a regular file"):
        load_contract("/dev/zero")


def test_a_contract_over_the_size_cap_is_refused_before_parsing(tmp_path):
    from hookmock.contracts._load import MAX_BYTES

    path = tmp_path / "huge.yaml"
    line = "# " + "x" * 1000 + "\n"
    path.write_text("provider: stripe\n" + line * (MAX_BYTES // len(line) + 1))
    started = time.monotonic()
    with pytest.raises(ContractError, match=r"over the 1,024 KB a contract may hold; split it"):
        load_contract(path)
    assert time.monotonic() - started < 5


def test_a_realistic_contract_is_far_below_the_cap():
    from hookmock._resources import fixtures_dir
    from hookmock.contracts._load import MAX_BYTES

    for name in ("demo-stripe.yaml", "demo-github.yaml"):
        assert (fixtures_dir() / name).stat().st_size < MAX_BYTES / 50


def test_a_problem_that_stops_the_reading_still_comes_with_those_found_before_it(tmp_path):
    path = write(tmp_path, "provider: stripe\nprovider: stripe\nseed: " + "9" * 5000 + "\n")
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert [p.line for p in info.value.problems] == [2, 3]
    assert "appears twice" in str(info.value.problems[0])
    assert "5000 digits is too long" in str(info.value.problems[1])


def test_a_password_in_the_contracts_url_is_never_printed(tmp_path, local_server):
    url, _ = local_server
    secret_url = url.replace("http://", "http://bob:contractPw888@")
    path = write(
        tmp_path,
        f"provider: stripe\npath: /webhooks/stripe\nsecret: {STRIPE_SECRET}\nurl: {secret_url}\n"
        "deliveries:\n  - send: invoice.paid\n    expect: {status: 500}\n",
    )
    run = cli("contract", str(path), "--seed", "3")
    assert run.code == 1, run
    assert "reproduce the whole run: hookmock contract" in run.out
    assert "contractPw888" not in run.out + run.err
