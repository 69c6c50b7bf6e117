"""Contract files collected as pytest tests, opted into with the ``hookmock_contracts`` ini."""

from __future__ import annotations

import pytest

import hookmock
import hookmock.contracts
import hookmock.delivery

pytest_plugins = ["pytester"]

# Load the providers now, so pytester's sys.modules snapshot keeps one copy of each module.
hookmock.provider("stripe")
hookmock.provider("github")

APP = """
from hookmock.demo import ReferenceReceiver

app = ReferenceReceiver()


def handled(event):
    return app.times_handled(event.id) == 1


steps = {"unavailable": lambda n: setattr(app, "unavailable", n)}
"""

GOOD = """
provider: stripe
path: /webhooks/stripe
deliveries:
  - send: invoice.paid
    expect: {status: 2xx, handled: true}
  - send: invoice.paid
    given: {unavailable: 1}
    retries: [60]
    expect: {attempts: [503, 200], handled: true}
  - send: invoice.paid
    timestamp: stale
    expect: {status: 400, handled: false}
"""

BAD = """
provider: github
path: /webhooks/github
secret: hookmock-demo-secret
deliveries:
  - send: push
  - send: push
    signature: missing
    expect: {status: 2xx}
"""


@pytest.fixture
def project(pytester):
    pytester.makeini(
        "[pytest]\n"
        "addopts = -p no:cacheprovider -p hookmock.plugin\n"
        "hookmock_contracts = contracts/*.yaml\n"
        "hookmock_contract_app = ct_app:app\n"
        "hookmock_contract_handled = ct_app:handled\n"
        "hookmock_contract_given = ct_app:steps\n"
        "hookmock_stripe_secret = whsec_hookmock_demo\n"
    )
    pytester.makepyfile(ct_app=APP)
    contracts = pytester.mkdir("contracts")
    (contracts / "good.yaml").write_text(GOOD)
    (contracts / "bad.yaml").write_text(BAD)
    (contracts / "notes.txt").write_text("not a contract")
    pytester.mkdir("other")
    (pytester.path / "other" / "config.yaml").write_text("not: a contract\n")
    return pytester


def test_it_runs_each_matching_contract_file_as_one_test(project):
    result = project.runpytest("-v", "--hookmock-seed=5")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "contracts/bad.yaml::contract FAILED*",
            "contracts/good.yaml::contract PASSED*",
            "*bad.yaml: 1 of 2 checks FAILED.",
            "*/contracts/bad.yaml:7: deliveries[[]1]: github push (*): expected 2xx, got 400 Bad*",
            "rerun with the same data: pytest 'contracts/bad.yaml::contract' --hookmock-seed=5",
        ]
    )


def test_the_same_session_seed_sends_the_same_events(project):
    def failed_event(seed):
        result = project.runpytest(f"--hookmock-seed={seed}", "contracts/bad.yaml")
        line = next(line for line in result.stdout.lines if ": deliveries[1]: " in line)
        return line.split("(")[1].split(")")[
            0
        ]  # .../bad.yaml:7: deliveries[1]: github push (GUID): ...

    assert failed_event(9) == failed_event(9) != failed_event(10)


def test_without_the_ini_option_yaml_files_are_left_alone(pytester):
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p hookmock.plugin\n")
    (pytester.mkdir("contracts") / "good.yaml").write_text(GOOD)
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_a_collected_contract_without_an_app_explains_the_setting(pytester):
    pytester.makeini(
        "[pytest]\naddopts = -p no:cacheprovider -p hookmock.plugin\n"
        "hookmock_contracts = contracts/*.yaml\n"
    )
    (pytester.mkdir("contracts") / "good.yaml").write_text(GOOD)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*Write `app: mymodule:app`*in the contract, or set hookmock_contract_app = mymodule:app*"]
    )
