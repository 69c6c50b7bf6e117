"""The plugin's rough edges from field use (issue 7): ini globs, the fixture's module API, serve()."""

from __future__ import annotations

import pytest
import requests
import trustme

import hookmock
import hookmock.contracts
import hookmock.delivery

pytest_plugins = ["pytester"]

# Load the providers now, so pytester's sys.modules snapshot keeps one copy of each module.
hookmock.provider("stripe")
hookmock.provider("github")
# Same for the HTTP (and TLS) stacks: a session first made inside a sub-run would load a second
# copy of requests' classes ("You can only merge into CookieJar" in later tests).
requests.Session().close()
trustme.CA()

APP = """
from hookmock.demo import ReferenceReceiver

app = ReferenceReceiver()
"""

CONTRACT = """
provider: stripe
path: /webhooks/stripe
secret: whsec_hookmock_demo
deliveries:
  - send: invoice.paid
"""


def project(pytester, contracts_line, files):
    pytester.makeini(
        "[pytest]\n"
        "addopts = -p no:cacheprovider -p hookmock.plugin\n"
        f"hookmock_contracts = {contracts_line}\n"
        "hookmock_contract_app = pf_app:app\n"
    )
    pytester.makepyfile(pf_app=APP)
    for name in files:
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(CONTRACT)
    return pytester


def collected(result):
    return sorted(
        line.split("::contract")[0] + "::contract"
        for line in result.stdout.lines
        if "::contract " in line
    )


def test_two_globs_on_one_ini_line_collect_both(pytester):
    project(pytester, "stripe/*.yaml  github/*.yml", ["stripe/a.yaml", "github/b.yml", "x.yaml"])
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=2)
    assert collected(result) == ["github/b.yml::contract", "stripe/a.yaml::contract"]


def test_globs_on_separate_lines_and_a_quoted_path_with_a_space(pytester):
    project(
        pytester,
        '\n    stripe/*.yaml\n    "my contracts/one.yaml"',
        ["stripe/a.yaml", "my contracts/one.yaml"],
    )
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=2)
    assert collected(result) == ["my contracts/one.yaml::contract", "stripe/a.yaml::contract"]


def test_a_directory_stands_for_every_contract_under_it_and_double_star_spans_zero_dirs(pytester):
    project(
        pytester,
        "contracts deep/**/*.yaml",
        ["contracts/a.yaml", "contracts/sub/b.yaml", "deep/c.yaml", "deep/x/y/d.yaml"],
    )
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=4)


def test_wildcards_skip_hidden_folders_as_shell_globs_do(pytester):
    project(pytester, "**/*.yaml", ["contracts/a.yaml", ".hidden/b.yaml"])
    result = pytester.runpytest("-v", "contracts", ".hidden")
    result.assert_outcomes(passed=1)
    assert collected(result) == ["contracts/a.yaml::contract"]


def test_a_single_star_stays_in_its_folder(pytester):
    project(pytester, "contracts/*.yaml", ["contracts/a.yaml", "contracts/sub/b.yaml"])
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=1)
    assert collected(result) == ["contracts/a.yaml::contract"]


@pytest.mark.parametrize(
    "line", ["contracts/*.yaml nothing/*.yaml", "contracts/a.yaml missing.yaml"]
)
def test_a_pattern_that_matches_nothing_is_a_usage_error_naming_it(pytester, line):
    project(pytester, line, ["contracts/a.yaml"])
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    bad = line.split()[1]
    result.stderr.fnmatch_lines(
        [
            f"ERROR: hookmock_contracts: '{bad}' matches no .yaml or .yml file (globs and paths are"
            " relative to the rootdir, *). Fix the pattern, or remove it from the ini option."
        ]
    )


def test_a_pattern_matching_only_other_files_is_a_usage_error_too(pytester):
    project(pytester, "notes/*", [])
    (pytester.mkdir("notes") / "a.txt").write_text("x")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: hookmock_contracts: 'notes/*' matches no .yaml*"])


def test_an_unclosed_quote_is_a_usage_error(pytester):
    project(pytester, '"contracts/a.yaml', ["contracts/a.yaml"])
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: hookmock_contracts: No closing quotation*"])


def test_a_symlink_loop_under_a_glob_does_not_hang(pytester):
    project(pytester, "contracts/**/*.yaml", ["contracts/a.yaml"])
    (pytester.path / "contracts" / "loop").symlink_to(pytester.path / "contracts")
    result = pytester.runpytest("-v", "-p", "no:randomly", "contracts/a.yaml")
    result.assert_outcomes(passed=1)


FIXTURE_API = """
import hookmock as hookmock_module


def test_every_public_name_is_on_the_fixture(hookmock):
    missing = [n for n in hookmock_module.__all__ if not hasattr(hookmock, n)]
    assert missing == []
    assert set(hookmock_module.__all__) <= set(dir(hookmock))
    # This test's seeded, cleaned-up versions; everything else is the module's own object.
    own = {"receiver", "event", "story", "serve", "api_mock"}
    for name in sorted(set(hookmock_module.__all__) - own):
        assert getattr(hookmock, name) is getattr(hookmock_module, name), name


def test_the_module_names_work_through_the_fixture(hookmock):
    ev = hookmock.event("stripe", "charge.succeeded")
    headers = hookmock.sign("stripe", ev.body, "whsec_x")
    try:
        hookmock.verify("stripe", ev.body, headers, "whsec_other")
    except hookmock.SignatureError:
        pass
    else:
        raise AssertionError("verify accepted the wrong secret")
    assert hookmock.validate(ev.payload) == ("stripe", "charge.succeeded")
    assert hookmock.new(5).value == 5
    assert isinstance(hookmock.stripe, hookmock.Provider)
    assert "push" in hookmock.types("github")


def test_an_unknown_name_says_what_the_fixture_has(hookmock):
    try:
        hookmock.recevier
    except AttributeError as exc:
        assert "hookmock.__all__" in str(exc)
    else:
        raise AssertionError("no AttributeError")
"""


def test_the_fixture_carries_the_modules_public_api(pytester):
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p hookmock.plugin\n")
    pytester.makepyfile(test_pf_api=FIXTURE_API)
    pytester.runpytest().assert_outcomes(passed=3)


SERVE = """
import threading

import requests


def app(environ, start_response):
    start_response("202 Accepted", [])
    return [b"queued"]


def servers():
    return [t for t in threading.enumerate() if t.name == "hookmock-serve"]


def test_with_serve_stops_the_server_at_the_end_of_the_block(hookmock):
    with hookmock.serve(app) as url:
        assert url.startswith("https://127.0.0.1:")
        assert requests.post(url + "/x", verify=url.ca_path, timeout=5).status_code == 202
        assert len(servers()) == 1
    assert servers() == []
    try:
        requests.post(url + "/x", verify=url.ca_path, timeout=5)
    except requests.ConnectionError:
        pass
    else:
        raise AssertionError("the server still answers after the with block")


def test_the_url_is_still_a_str_and_is_stopped_at_teardown(hookmock):
    url = hookmock.serve(app)
    assert isinstance(url, str)
    assert url.port == int(url.rsplit(":", 1)[1])
    result = hookmock.receiver(url + "/hooks", provider="github", secret="s").send("push")
    assert result.status == 202


def test_no_server_is_left_after_the_test():
    assert servers() == []


def test_the_module_serve_is_a_context_manager_too():
    import hookmock

    with hookmock.serve(app) as url:
        assert url.startswith("https://127.0.0.1:")
    assert servers() == []
"""


def test_the_fixtures_serve_is_also_a_context_manager(pytester):
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p hookmock.plugin\n")
    pytester.makepyfile(test_pf_serve=SERVE)
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=4)


def test_a_failed_assertion_points_at_the_test_line_not_at_hookmocks_frames(pytester):
    pytester.makepyfile(
        test_forged="""
        from hookmock.demo import ReferenceReceiver

        def test_it(hookmock):
            receiver = hookmock.receiver(
                ReferenceReceiver(), path="/webhooks/stripe", secret="whsec_hookmock_demo"
            )
            receiver.send("invoice.paid").assert_rejected()
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*.assert_rejected()*", "E*hookmock.DeliveryError*"])
    assert "delivery/_result.py" not in result.stdout.str()
