"""CLI errors speak in flags and commands (--secret, --timeout, hookmock list), never in Python."""

from __future__ import annotations

import pytest
from _helpers_cli import cli

PYTHONISMS = ("secret=", "None for", "False for", "hookmock.types(", "=True")


def _no_python(text: str) -> None:
    for word in PYTHONISMS:
        assert word not in text, (word, text)


@pytest.mark.parametrize("provider", ["stripe", "github"])
def test_an_empty_secret_is_refused_with_the_flag(provider):
    run = cli("sign", provider, "--secret", "", "-", stdin=b"{}")
    assert run.code == 2
    assert "--secret whsec_" in run.err
    _no_python(run.err)


def test_send_refuses_an_empty_secret_before_sending():
    run = cli("send", "http://127.0.0.1:9/", "stripe", "invoice.paid", "--secret", " ")
    assert run.code == 2
    assert "the signing secret is empty" in run.err
    _no_python(run.err)


@pytest.mark.parametrize("value", ["-1", "0", "nan", "soon"])
def test_a_timeout_that_is_not_a_positive_number_is_refused_in_seconds(value):
    run = cli(
        "send", "http://127.0.0.1:9/", "stripe", "invoice.paid", "--secret", "s", "--timeout", value
    )
    assert run.code == 2
    assert "--timeout" in run.err
    assert "number of seconds above 0" in run.err
    _no_python(run.err)


@pytest.mark.parametrize(
    "argv",
    [
        ("generate", "stripe", "invoice.payed", "--seed", "1"),
        ("schema", "stripe", "invoice.payed"),
        ("send", "http://127.0.0.1:9/", "stripe", "invoice.payed", "--secret", "s"),
        ("validate", "-", "--provider", "stripe", "--type", "invoice.payed"),
    ],
)
def test_an_unknown_type_points_at_hookmock_list(argv):
    run = cli(*argv)
    assert run.code == 2
    assert "Did you mean 'invoice.paid'" in run.err
    assert "Run `hookmock list stripe`" in run.err
    _no_python(run.err)


def test_generate_says_nothing_about_a_seed_for_an_unknown_type():
    run = cli("generate", "stripe", "invoice.payed")
    assert "seed" not in run.err
