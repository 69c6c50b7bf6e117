"""Hostile and malformed input at the delivery, contract and API mock boundaries: clear errors."""

from __future__ import annotations

import asyncio

import pytest

import hookmock
from hookmock import ConfigurationError


async def _http_only_app(scope, receive, send):
    if scope["type"] != "http":
        return  # no lifespan support: legal per the ASGI spec
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_an_asgi_app_that_returns_from_the_lifespan_scope_is_used_without_lifespan():
    with hookmock.receiver(_http_only_app, secret="whsec_x", timeout=5) as r:
        result = r.send("payment_intent.succeeded")
    assert result.status == 200
    assert result.ok


def test_a_hung_asgi_lifespan_startup_is_a_configuration_error_naming_lifespan(monkeypatch):
    from hookmock.delivery import _asgi

    monkeypatch.setattr(_asgi, "LIFESPAN_TIMEOUT", 0.2)

    async def hangs(scope, receive, send):
        if scope["type"] == "lifespan":
            await receive()
            await asyncio.sleep(60)
        await _http_only_app(scope, receive, send)

    r = hookmock.receiver(hangs, secret="whsec_x", timeout=5)
    with pytest.raises(ConfigurationError, match="lifespan") as info:
        r.send("payment_intent.succeeded")
    assert "ASGI app" in str(info.value)


# -- contracts: YAML that would hang or crash the loader ------------------------------------------

_HEAD = "provider: stripe\nsecret: whsec_x\ndeliveries:\n  - send: invoice.paid\n"


def _contract(tmp_path, text):
    path = tmp_path / "webhooks.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_recursive_yaml_alias_is_refused_with_its_line(tmp_path):
    from hookmock.contracts import ContractError, load_contract

    path = _contract(tmp_path, _HEAD + "name: &a [*a]\n")
    with pytest.raises(ContractError, match=r"webhooks.yaml:5: .*contains it"):
        load_contract(path)


def test_a_yaml_alias_bomb_is_refused_instead_of_expanded(tmp_path):
    from hookmock.contracts import ContractError, load_contract

    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = _contract(tmp_path, _HEAD + "\n".join(["name:", *("  " + x for x in lines)]) + "\n")
    with pytest.raises(ContractError, match="aliases expand to more than"):
        load_contract(path)


def test_a_nul_byte_deep_nesting_and_huge_numbers_are_contract_errors(tmp_path):
    from hookmock.contracts import ContractError, load_contract

    with pytest.raises(ContractError, match="invalid YAML: unacceptable character"):
        load_contract(_contract(tmp_path, _HEAD + "name: a\x00b\n"))
    with pytest.raises(ContractError, match="nested too deeply"):
        load_contract(_contract(tmp_path, _HEAD + "name: " + "[" * 5000 + "]" * 5000 + "\n"))
    with pytest.raises(ContractError, match=r":5: a number of 5000 digits is too long"):
        load_contract(_contract(tmp_path, _HEAD + "seed: " + "9" * 5000 + "\n"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!set {x, y}", "is a set"),
        ("!!binary aGVsbG8=", "is binary"),
        ("2001-12-14 10:00:00", "is a YAML timestamp"),
        (".nan", "not a finite number"),
        (".inf", "not a finite number"),
    ],
)
def test_yaml_values_json_cannot_hold_are_refused_with_their_line(tmp_path, value, message):
    from hookmock.contracts import ContractError, load_contract

    text = _HEAD + f"    set: {{data.object.metadata: {{a: {value}}}}}\n"
    with pytest.raises(ContractError, match=rf"webhooks.yaml:5: .*{message}"):
        load_contract(_contract(tmp_path, text))


def test_a_nan_or_infinite_contract_timeout_is_refused_at_load(tmp_path):
    from hookmock.contracts import ContractError, load_contract

    for value in (".nan", ".inf"):
        with pytest.raises(ContractError, match=r":5: timeout: .*not a finite number"):
            load_contract(_contract(tmp_path, _HEAD + f"timeout: {value}\n"))


def test_a_mapping_that_contains_itself_is_a_contract_error():
    from hookmock.contracts import ContractError, load_contract

    loop: dict = {}
    loop["x"] = loop
    with pytest.raises(ContractError, match="nested too deeply"):
        load_contract({"provider": "stripe", "deliveries": [{"send": "invoice.paid"}], "x": loop})


# -- WSGI apps that break PEP 3333 -----------------------------------------------------------------


_PLAIN = [("Content-Type", "text/plain")]


def _wsgi(status="200 OK", headers=_PLAIN, body=(b"ok",), write=None):
    def app(environ, start_response):
        w = start_response(status, headers)
        if write is not None:
            w(write)
        return list(body)

    return app


@pytest.mark.parametrize(
    ("app", "message"),
    [
        (_wsgi(body=["hello"]), "the WSGI app yielded str, not bytes"),
        (_wsgi(body=[5]), "the WSGI app yielded int, not bytes"),
        (_wsgi(write="str"), "the WSGI app passed write() str, not bytes"),
        (_wsgi(status="OK"), "bad status line 'OK'"),
        (_wsgi(status="abc def"), "bad status line 'abc def'"),
        (_wsgi(status=200), "got the status 200 (int), not a str"),
        (_wsgi(headers=None), "headers of type NoneType"),
        (_wsgi(headers={"a": "b"}), "headers of type dict"),
        (_wsgi(headers=[("a",)]), "got the header ('a',)"),
    ],
)
def test_a_wsgi_app_that_breaks_the_protocol_is_a_failed_delivery_naming_the_rule(app, message):
    result = hookmock.receiver(app, secret="whsec_x", timeout=5).send("invoice.paid")
    assert not result.ok
    assert result.status == 500
    assert message in result.error
    assert "WSGI protocol" in result.error


def test_a_wsgi_app_with_none_headers_through_serve_fails_without_a_server_traceback(capfd):
    with hookmock.serve(_wsgi(headers=None)) as url:
        result = hookmock.receiver(url + "/x", secret="whsec_x", timeout=10).send("invoice.paid")
    assert result.status == 500
    assert "Traceback" not in capfd.readouterr().err


# -- ASGI apps that break the spec ----------------------------------------------------------------


def _asgi(*messages, raises=None):
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        await receive()
        for message in messages:
            await send(message)
        if raises is not None:
            raise raises

    return app


_START = {"type": "http.response.start", "status": 200, "headers": []}
_BODY = {"type": "http.response.body", "body": b"ok"}


def test_an_asgi_app_raising_cancelled_error_is_a_failed_delivery_not_a_crash():
    app = _asgi(raises=asyncio.CancelledError())
    result = hookmock.receiver(app, secret="whsec_x", timeout=5).send("invoice.paid")
    assert not result.ok
    assert "CancelledError" in result.error


@pytest.mark.parametrize(
    ("messages", "message"),
    [
        (
            [{**_START, "headers": [("content-type", "text/plain")]}, _BODY],
            "('content-type', 'text/plain') is not a (name, value) pair of bytes",
        ),
        (
            [{**_START, "headers": [(b"a", b"b", b"c")]}, _BODY],
            "is not a (name, value) pair of bytes",
        ),
        ([_START, {**_BODY, "body": "str"}], "a body of str, not bytes"),
        ([_START, {**_BODY, "body": None}], "a body of NoneType, not bytes"),
        ([_START, _START, _BODY], "a second 'http.response.start'"),
        ([{**_START, "status": "200"}, _BODY], "status '200', not an int"),
    ],
)
def test_an_asgi_app_that_breaks_the_spec_fails_the_delivery_naming_the_rule(messages, message):
    result = hookmock.receiver(_asgi(*messages), secret="whsec_x", timeout=5).send("invoice.paid")
    assert not result.ok
    assert "the app broke the ASGI protocol" in result.error
    assert message in result.error


# -- timeouts and retry schedules -----------------------------------------------------------------


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), -float("inf")])
def test_a_non_finite_timeout_is_a_configuration_error(timeout):
    with pytest.raises(ConfigurationError, match="a finite number"):
        hookmock.receiver(_wsgi(), secret="whsec_x", timeout=timeout)


@pytest.mark.parametrize("timeout", [1e12, 10**30])
def test_a_huge_timeout_is_capped_and_delivers(timeout):
    from hookmock.delivery._receiver import MAX_TIMEOUT

    r = hookmock.receiver(_wsgi(), secret="whsec_x", timeout=timeout)
    assert r.timeout == MAX_TIMEOUT
    assert r.send("invoice.paid").ok


@pytest.mark.parametrize("delays", [[float("nan")], [float("inf")], [1e308, 1e308], [-1]])
def test_a_retry_schedule_of_non_finite_or_huge_waits_is_refused(delays):
    with pytest.raises(ConfigurationError, match="finite numbers from 0 to"):
        hookmock.receiver(_wsgi(), secret="whsec_x", retries=delays)


@pytest.mark.parametrize("retries", [10**6, [1] * 101])
def test_more_than_a_hundred_retries_is_refused(retries):
    with pytest.raises(ConfigurationError, match="more than hookmock simulates"):
        hookmock.receiver(_wsgi(), secret="whsec_x", retries=retries)


def test_many_exponential_retries_keep_virtual_times_printable():
    failing = _wsgi(status="500 Internal Server Error")
    result = hookmock.receiver(failing, secret="whsec_x", retries=40).send("invoice.paid")
    assert len(result.attempts) == 41
    assert "attempt" in result.explain("expected 2xx").lower()


@pytest.mark.parametrize("retries", ["101", "[.nan]", "[1e308, 1e308]"])
def test_a_contract_with_too_many_or_non_finite_retries_is_refused_at_load(tmp_path, retries):
    from hookmock.contracts import ContractError, load_contract

    with pytest.raises(ContractError, match=":5: retries"):
        load_contract(_contract(tmp_path, _HEAD + f"retries: {retries}\n"))


# -- handled= probes ------------------------------------------------------------------------------


def test_a_handled_probe_that_is_not_callable_is_refused_where_it_is_given():
    with pytest.raises(ConfigurationError, match=r"handled= takes a function .* got 5 \(int\)"):
        hookmock.receiver(_wsgi(), secret="whsec_x", handled=5)
    r = hookmock.receiver(_wsgi(), secret="whsec_x")
    with pytest.raises(ConfigurationError, match="handled= takes a function"):
        r.send("invoice.paid", handled="yes")
    with pytest.raises(ConfigurationError, match="handled= takes a function"):
        r.send_many(["invoice.paid"], handled=5)


def test_a_handled_probe_that_raises_marks_the_delivery_not_handled_and_says_why():
    def probe(event):
        raise RuntimeError("database is gone")

    result = hookmock.receiver(_wsgi(), secret="whsec_x", handled=probe).send("invoice.paid")
    assert result.handled is False
    assert "the handled= probe raised RuntimeError: database is gone" in result.handled_notes


# -- URLs and --app references --------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://[::1", "https://127.0.0.1:99999/x"])
def test_a_malformed_receiver_url_is_a_configuration_error(url):
    with pytest.raises(ConfigurationError, match="is not a valid URL"):
        hookmock.receiver(url, secret="whsec_x")


def test_the_cli_refuses_a_malformed_url_without_an_internal_error(tmp_path):
    from _helpers_cli import cli

    run = cli("send", "http://[::1", "stripe", "invoice.paid", "--secret", "whsec_x")
    assert run.code == 2
    assert "is not a valid URL" in run.err
    assert "internal error" not in run.err
    contract = _contract(tmp_path, _HEAD)
    run = cli("contract", str(contract), "--url", "http://[::1")
    assert run.code == 2
    assert "is not a valid URL" in run.err


@pytest.mark.parametrize(
    ("source", "app", "message"),
    [
        (
            "raise RuntimeError('no config')\n",
            "boomapp:app",
            "--app: importing 'boomapp' raised RuntimeError: no config.",
        ),
        (
            "def factory():\n    raise KeyError('DB_URL')\n",
            "boomapp:factory()",
            "--app: calling boomapp:factory() raised KeyError: 'DB_URL'.",
        ),
        ("app = 5\n", "boomapp:app()", "boomapp:app is a int, not a factory to call"),
    ],
)
def test_an_app_reference_that_fails_to_load_is_a_usage_error(
    tmp_path, monkeypatch, source, app, message
):
    from _helpers_cli import cli

    (tmp_path / "boomapp.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(__import__("sys").modules, "boomapp", raising=False)
    run = cli("contract", str(_contract(tmp_path, _HEAD)), "--app", app)
    assert run.code == 2
    assert message in run.err
    assert "internal error" not in run.err


def test_send_does_not_echo_the_password_in_the_url(monkeypatch):
    from _helpers_cli import cli

    from hookmock._cli import wire

    def fake_send(url, ev, **kwargs):
        return hookmock.receiver(_wsgi(), secret="whsec_x").send(ev)

    monkeypatch.setattr(wire, "_sender", lambda: fake_send)
    run = cli(
        "send",
        "https://user:hunter2@127.0.0.1:1/x",
        "stripe",
        "invoice.paid",
        "--secret",
        "whsec_x",
    )
    assert "hunter2" not in run.out + run.err
    assert "to https://***@127.0.0.1:1/x" in run.out


# -- argument types at the public boundary --------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"path": None}, "path= is the URL path"),
        ({"path": 5}, "path= is the URL path"),
        ({"path": b"/x"}, "path= is the URL path"),
        ({"provider": None}, "provider= takes a provider name"),
        ({"provider": 1}, "provider= takes a provider name"),
    ],
)
def test_receiver_arguments_of_the_wrong_type_are_named(kwargs, message):
    with pytest.raises(ConfigurationError, match=message):
        hookmock.receiver(_wsgi(), secret="whsec_x", **kwargs)


def test_expect_handler_and_send_many_say_what_they_take():
    r = hookmock.receiver(_wsgi(), secret="whsec_x")
    for dotted in (None, 5, print):
        with pytest.raises(ConfigurationError, match="dotted import path as a str"):
            r.expect_handler(dotted)
    with pytest.raises(ConfigurationError, match="not one string; pass a list"):
        r.expect_handler("json.loads", types="payment_intent.succeeded")
    with pytest.raises(ConfigurationError, match="takes a list of event types"):
        r.expect_handler("json.loads", types=5)
    with pytest.raises(ConfigurationError, match="not one string; pass a list"):
        r.send_many("payment_intent.succeeded")
    for items in (None, 5):
        with pytest.raises(ConfigurationError, match=r"send_many\(\) takes a list of event types"):
            r.send_many(items)


def test_the_api_mock_says_what_its_methods_take():
    api = hookmock.api_mock()
    with pytest.raises(ConfigurationError, match="takes an HTTP method first"):
        api.add(5, "/v1/refunds")
    with pytest.raises(ConfigurationError, match="full URL or a path starting with '/' as a str"):
        api.add("GET", None)
    for obj in (None, [{"id": "pi_1", "object": "payment_intent"}]):
        with pytest.raises(ConfigurationError, match="takes one Stripe object as a dict"):
            api.stripe.put(obj)
    with pytest.raises(ConfigurationError, match=r"api.find\(method=...\) takes a str"):
        api.find(5, "/v1/*")


@pytest.mark.parametrize("source", [None, 5, b"webhooks.yaml"])
def test_load_contract_says_it_takes_a_path_or_a_dict(source):
    from hookmock.contracts import load_contract

    with pytest.raises(TypeError, match="takes the path of a contract YAML file"):
        load_contract(source)


# -- the API mock under odd requests ---------------------------------------------------------------


def test_a_head_request_to_a_mocked_api_gets_no_body():
    import requests

    with hookmock.api_mock() as api:
        api.stripe.feed(hookmock.stripe.event("payment_intent.succeeded", seed=1).payload)
        auth = {"Authorization": "Bearer sk_test_hookmock"}
        answer = requests.head("https://api.stripe.com/v1/events/evt_x", headers=auth, timeout=5)
        got = requests.get("https://api.stripe.com/v1/events/evt_x", headers=auth, timeout=5)
    assert answer.status_code == got.status_code == 404
    assert answer.content == b""


@pytest.mark.parametrize("labels", [5, [1, 2], {"a": 1}])
def test_adding_labels_that_are_not_a_list_of_names_gets_githubs_422(labels):
    import requests

    with hookmock.api_mock():
        answer = requests.post(
            "https://api.github.com/repos/o/r/issues/1/labels", json={"labels": labels}, timeout=5
        )
    assert answer.status_code == 422
    assert "is not an array of label names" in answer.json()["message"]


def test_a_check_run_with_a_non_object_output_gets_githubs_422():
    import requests

    with hookmock.api_mock():
        answer = requests.post(
            "https://api.github.com/repos/o/r/check-runs",
            json={"name": "ci", "head_sha": "a" * 40, "output": [1]},
            timeout=5,
        )
    assert answer.status_code == 422


def test_a_built_in_answer_that_fails_is_a_500_not_an_exception_in_the_app(monkeypatch):
    import requests

    from hookmock.providers.github._api import GitHubAPI

    def broken(self, req):
        raise KeyError("surprise")

    monkeypatch.setattr(GitHubAPI, "handle", broken)
    with hookmock.api_mock():
        answer = requests.get("https://api.github.com/repos/o/r", timeout=5)
    assert answer.status_code == 500
    assert "could not answer GET /repos/o/r: KeyError" in answer.json()["message"]
