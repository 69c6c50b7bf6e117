"""`hookmock load` refuses bad input in one line that names the fix, before Locust starts."""

from __future__ import annotations

import socket
import subprocess
import sys
from io import StringIO

import pytest

from hookmock.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code = main(["load", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def listening():
    """A loopback port that accepts connections (nothing answers HTTP: no run gets that far)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/webhooks/stripe"
    server.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("hookmock load: error: "), err
    return lines[0]


def test_it_has_help_with_an_example():
    out = StringIO()
    assert main(["load", "--help"], stdout=out, stderr=StringIO()) == 0
    assert "example:\n  hookmock load http://127.0.0.1:8000/webhooks/stripe" in out.getvalue()


def test_a_url_where_nothing_listens_is_refused():
    code, _, err = run(f"http://127.0.0.1:{free_port()}/hooks", "--secret", "whsec_x", "--headless")
    assert code == 2
    assert "connection refused: nothing is listening at 127.0.0.1:" in one_line_error(err)


def test_plain_http_to_another_host_is_refused_like_send_does():
    code, _, err = run("http://example.com/hooks", "--secret", "whsec_x", "--headless")
    assert code == 2
    line = one_line_error(err)
    assert "refusing to send webhooks over plain http to 'example.com'" in line
    assert "--allow-insecure-http" in line


def test_https_to_a_real_host_needs_the_flag_that_names_the_risk():
    code, _, err = run("https://example.com/hooks", "--secret", "whsec_x", "--headless")
    assert code == 2
    line = one_line_error(err)
    assert "a load run can take a real service down" in line
    assert "--allow-load-on-real-host" in line


def test_an_unknown_type_in_the_mix_is_refused_with_a_suggestion(listening):
    code, _, err = run(listening, "--secret", "whsec_x", "--mix", "invoice.payed=1", "--headless")
    assert code == 2
    assert "unknown stripe event type 'invoice.payed'. Did you mean 'invoice.paid'" in (
        one_line_error(err)
    )


def test_an_unreadable_threshold_is_refused_with_an_example(listening):
    code, _, err = run(listening, "--secret", "whsec_x", "--threshold", "p95 is low", "--headless")
    assert code == 2
    assert "write METRIC<VALUE (or <=, >, >=) such as --threshold 'p95<500ms'" in one_line_error(
        err
    )


def test_a_missing_secret_is_refused(listening):
    code, _, err = run(listening, "--headless")
    assert code == 2
    assert "pass --secret" in one_line_error(err)


def test_a_bad_duplicate_rate_is_a_usage_error(listening):
    code, _, err = run(listening, "--secret", "whsec_x", "--duplicates", "150%")
    assert code == 2
    assert "expected a share from 0 up to 1" in err


def test_without_locust_it_says_which_extra_to_install():
    code = (
        "import sys; sys.modules['locust'] = None\n"
        "from hookmock.cli import main\n"
        "raise SystemExit(main(['load', 'http://127.0.0.1:9/x', '--secret', 's', '--headless']))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert one_line_error(proc.stderr) == (
        "hookmock load: error: hookmock load runs on Locust, which is not installed; install it"
        " with pip install 'hookmock[load]'."
    )
