"""The core under hostile or careless input: overrides, factories, signing options, captured
payloads and signature times (issue 8 items 12, 16-18, 23, 25; issue 7 part 3)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

import hookmock
from hookmock import (
    ConfigurationError,
    HookmockError,
    OverrideError,
    SchemaError,
    SecretError,
    UnknownTypeError,
)

# -- 12: overrides never touch the caller's data --------------------------------------------------


def test_a_dict_passed_as_an_override_gains_no_keys() -> None:
    metadata = {"order": "1"}
    ev = hookmock.stripe.event(
        "customer.created",
        seed=1,
        data__object__metadata=metadata,
        data__object__metadata__extra="2",
    )
    assert metadata == {"order": "1"}
    assert ev.payload["data"]["object"]["metadata"] == {"order": "1", "extra": "2"}


def test_the_same_dict_at_two_paths_does_not_become_self_referential() -> None:
    shared = {"a": "1"}
    ev = hookmock.stripe.event(
        "customer.created",
        seed=1,
        overrides={"data": {"object": {"metadata": shared}}},
        data__object__metadata__copy=shared,
    )
    assert shared == {"a": "1"}
    assert ev.payload["data"]["object"]["metadata"] == {"a": "1", "copy": {"a": "1"}}


def test_replace_does_not_pick_up_later_mutations_of_the_overrides() -> None:
    metadata = {"a": "1"}
    ev = hookmock.stripe.event("customer.created", seed=1, data__object__metadata=metadata)
    metadata["b"] = "2"
    ev.payload["data"]["object"]["metadata"]["c"] = "3"  # editing the payload in place
    again = ev.replace(data__object__email="x@example.com")
    assert again.payload["data"]["object"]["metadata"] == {"a": "1"}


def test_from_payload_copies_the_callers_dict() -> None:
    payload = hookmock.stripe.event("customer.created", seed=1).json()
    ev = hookmock.stripe.from_payload(payload)
    payload["data"]["object"]["email"] = "changed@example.com"
    assert ev.replace().payload["data"]["object"]["email"] != "changed@example.com"


# -- 16: a non-string action is a finding ---------------------------------------------------------


@pytest.mark.parametrize("action", [["opened"], {"x": 1}, 5, True])
def test_a_github_payload_with_a_non_string_action_is_a_schema_finding(action: object) -> None:
    payload = {"action": action, "issue": {}, "repository": {}, "sender": {}}
    with pytest.raises(SchemaError, match="/action: a GitHub 'issues' payload needs a string"):
        hookmock.validate(payload)
    with pytest.raises(SchemaError):
        hookmock.github.from_payload(payload)
    with pytest.raises(SchemaError):
        hookmock.validate(json.dumps(payload).encode(), provider="github")


def test_the_cli_reports_a_non_string_action_as_a_finding(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io

    from hookmock.cli import main

    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"action": ["x"], "issue": {}, "repository": {}, "sender": {}}))
    out, err = io.StringIO(), io.StringIO()
    code = main(["validate", str(path)], stdout=out, stderr=err)
    assert code == 1, err.getvalue()
    assert "unhashable" not in out.getvalue() + err.getvalue()


# -- 17: no silent replacement of a scalar --------------------------------------------------------


def test_setting_a_sub_field_of_a_scalar_is_an_override_error() -> None:
    with pytest.raises(OverrideError) as info:
        hookmock.stripe.event("payment_intent.succeeded", seed=1, data__object__amount__x=5)
    text = str(info.value)
    assert "'data__object__amount__x' sets a field inside 'data__object__amount'" in text
    assert "is a number" in text
    assert 'set the field itself: data__object__amount={"x": 5}' in text
    with pytest.raises(OverrideError):
        hookmock.stripe.event(
            "payment_intent.succeeded",
            seed=1,
            overrides={"data": {"object": {"amount": {"x": 5}}}},
        )


def test_replacing_a_scalar_with_an_object_works_when_asked_for() -> None:
    for value in (hookmock.replace({"x": 5}), {"x": 5}):
        ev = hookmock.stripe.event("payment_intent.succeeded", seed=1, data__object__amount=value)
        assert ev.payload["data"]["object"]["amount"] == {"x": 5}


def test_the_cli_refuses_a_sub_field_of_a_scalar_and_names_the_fix() -> None:
    import io

    from hookmock.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv = ["generate", "stripe", "payment_intent.succeeded", "--seed", "1"]
    code = main(
        [*argv, "--set", "data.object.amount.x=5"],
        stdout=out,
        stderr=err,
    )
    assert code == 2
    assert 'set the field itself: data.object.amount={"x": 5}' in err.getvalue()


def test_filling_a_null_object_by_its_fields_still_works() -> None:
    ev = hookmock.github.event("pull_request.opened", seed=1, pull_request__merged_by=None)
    assert ev.payload["pull_request"]["merged_by"] is None
    again = ev.replace(pull_request__merged_by__login="octocat")
    assert again.payload["pull_request"]["merged_by"] == {"login": "octocat"}


# -- 18: wrongly typed overrides build the event, or name the path ---------------------------------


def test_an_int_login_is_built_as_given() -> None:
    ev = hookmock.github.event("pull_request.opened", seed=1, sender__login=5)
    assert ev.json()["sender"]["login"] == 5


def test_a_none_commit_id_is_built_as_given() -> None:
    ev = hookmock.github.event("push", seed=1, head_commit__id=None)
    assert ev.json()["head_commit"]["id"] is None
    ev.headers(secret="s")


def test_non_str_metadata_keys_name_the_path() -> None:
    with pytest.raises(OverrideError, match=r"'data__object__metadata__1'.*keys are strings"):
        hookmock.stripe.event("customer.created", seed=1, data__object__metadata={1: "x"})


def test_huge_ints_are_hookmock_errors() -> None:
    huge = 10**5000
    with pytest.raises(ConfigurationError, match="seed must fit in 64 bits"):
        hookmock.stripe.event("customer.created", seed=huge)
    with pytest.raises(OverrideError, match="'created': the int has more than 4,000 digits"):
        hookmock.stripe.event("customer.created", seed=1, created=huge)
    ev = hookmock.stripe.event("customer.created", seed=1)
    with pytest.raises(ConfigurationError, match="timestamp is out of range"):
        ev.headers("whsec_x", timestamp=huge)
    from hookmock._seeding import derive_seed

    assert isinstance(derive_seed(huge, "test"), int)


def test_surrogates_in_api_version_are_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="api_version holds a lone surrogate"):
        hookmock.stripe.event("customer.created", seed=1, api_version="\udc80")


def test_wrongly_typed_overrides_never_crash_a_factory() -> None:
    """A sample over every type: each wrong value builds, or raises a hookmock error."""
    import random

    rng = random.Random(18)
    bad: list[Any] = [None, 5, "x", [], {}, True, 1.5, ["a"], 10**30, "\u2603"]
    for prov in (hookmock.stripe, hookmock.github):
        for type_ in prov.types():
            payload = prov.event(type_, seed=3).payload
            paths = list(_leaf_paths(payload))
            for path in rng.sample(paths, min(3, len(paths))):
                try:
                    ev = prov.event(type_, seed=3, **{"__".join(path): rng.choice(bad)})
                    ev.headers("whsec_x")
                except HookmockError:
                    pass


def _leaf_paths(obj: object, path: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _leaf_paths(v, (*path, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:1]):
            yield from _leaf_paths(v, (*path, str(i)))
    if path:
        yield path


# -- 23, 25: signing options ----------------------------------------------------------------------


def test_github_sign_refuses_a_timestamp_and_a_list_of_secrets() -> None:
    with pytest.raises(ConfigurationError, match="GitHub signatures carry no timestamp"):
        hookmock.sign("github", b"{}", "s", timestamp=1_700_000_000)
    with pytest.raises(SecretError, match="one secret per webhook"):
        hookmock.sign("github", b"{}", ["a", "b"])
    ev = hookmock.github.event("push", seed=1)
    with pytest.raises(ConfigurationError):
        ev.headers("s", timestamp=1_700_000_000)
    assert hookmock.sign("github", b"{}", ["a"]) == hookmock.sign("github", b"{}", "a")


def test_the_cli_still_signs_for_github() -> None:
    import io

    from hookmock.cli import main

    out = io.StringIO()
    stdin = io.BytesIO(b"{}")
    code = main(["sign", "github", "--secret", "s", "-"], stdin=stdin, stdout=out)
    assert code == 0
    assert "X-Hub-Signature-256: sha256=" in out.getvalue()


@pytest.mark.parametrize("flag", ["false", "true", 1, None])
def test_allow_insecure_http_takes_booleans_only(flag: Any) -> None:
    with pytest.raises(ConfigurationError, match="allow_insecure_http takes True or False"):
        hookmock.receiver(
            "http://example.com/hook", provider="stripe", secret="whsec_x", allow_insecure_http=flag
        )


@pytest.mark.parametrize("tolerance", ["300", [300], float("nan"), True])
def test_verify_refuses_a_tolerance_that_is_not_seconds(tolerance: object) -> None:
    ev = hookmock.stripe.event("invoice.paid", seed=1)
    headers = ev.headers("whsec_x")
    with pytest.raises(ConfigurationError, match="tolerance= takes seconds"):
        hookmock.verify("stripe", ev.body, headers, "whsec_x", tolerance=tolerance)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="tolerance= takes seconds"):
        hookmock.verify("github", b"{}", {}, "s", tolerance=tolerance)  # type: ignore[arg-type]


# -- issue 7: re-sending a captured event outside the catalog -------------------------------------


def test_a_captured_payload_of_an_event_outside_the_catalog_can_be_resent() -> None:
    # content_reference: a real GitHub event no pinned description still has.
    raw = b'{"action":"created","content_reference":{"id":1},"repository":{},"sender":{}}'
    ev = hookmock.github.from_payload(raw, type="content_reference")
    assert ev.body == raw
    assert ev.meta["validation"].startswith("skipped")
    assert "not validated" in repr(ev)
    headers = ev.headers(secret="s")
    assert headers["X-GitHub-Event"] == "content_reference"
    hookmock.verify("github", raw, headers, "s")


def test_an_action_outside_the_catalog_is_also_resendable() -> None:
    ev = hookmock.github.from_payload(b'{"action":"enqueued"}', type="pull_request.enqueued")
    assert ev.headers(secret="s")["X-GitHub-Event"] == "pull_request"


def test_a_stripe_payload_naming_its_own_uncatalogued_type_can_be_resent() -> None:
    raw = b'{"id":"evt_1","object":"event","type":"tax.settings.updated"}'
    ev = hookmock.stripe.from_payload(raw, type="tax.settings.updated")
    hookmock.verify("stripe", raw, ev.headers(secret="whsec_x"), "whsec_x")


@pytest.mark.parametrize("type_", ["pull_reqest.opened", "pull_request.opend", "push.x", "nope"])
def test_typos_are_still_unknown_types(type_: str) -> None:
    with pytest.raises(UnknownTypeError):
        hookmock.github.from_payload(b"{}", type=type_)


# -- issue 7: one meaning for a signature time ----------------------------------------------------


def _t(headers: dict[str, str]) -> int:
    return int(headers["Stripe-Signature"].split(",")[0].removeprefix("t="))


def test_a_negative_timestamp_means_seconds_ago_everywhere() -> None:
    ev = hookmock.stripe.event("invoice.paid", seed=1)
    before = int(time.time())
    signed = _t(ev.headers("whsec_x", timestamp=-600))
    assert before - 600 <= signed <= int(time.time()) - 600
    assert abs(_t(hookmock.sign("stripe", ev.body, "whsec_x", timestamp=-600)) - signed) <= 1
    assert _t(ev.headers("whsec_x", timestamp=1_700_000_000)) == 1_700_000_000


def test_a_negative_timestamp_is_stale_for_the_receiver_and_in_contracts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from hookmock.contracts._run import _timestamp

    assert abs(_timestamp(-600) - (int(time.time()) - 600)) <= 1  # type: ignore[operator]
    ev = hookmock.stripe.event("invoice.paid", seed=1)
    headers = ev.headers("whsec_x", timestamp=-600)
    with pytest.raises(hookmock.SignatureError, match="tolerance"):
        hookmock.verify("stripe", ev.body, headers, "whsec_x")


def test_timestamp_zero_is_refused_as_ambiguous() -> None:
    ev = hookmock.stripe.event("invoice.paid", seed=1)
    with pytest.raises(ConfigurationError, match=r"timestamp=0 is ambiguous.*timestamp=-600"):
        ev.headers("whsec_x", timestamp=0)


def test_a_contract_refuses_timestamp_zero(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "c.yaml"
    path.write_text("provider: stripe\ndeliveries:\n  - send: invoice.paid\n    timestamp: 0\n")
    with pytest.raises(hookmock.ContractError, match="timestamp: 0 is not allowed here"):
        hookmock.load_contract(path)


def test_an_empty_dict_still_empties_an_object() -> None:
    ev = hookmock.github.event("push", seed=1, repository__custom_properties={})
    assert ev.payload["repository"]["custom_properties"] == {}
    ev = hookmock.stripe.event("customer.created", seed=1, data__object__metadata={})
    assert ev.payload["data"]["object"]["metadata"] == {}


def test_an_event_built_around_a_bad_override_keeps_the_seeds_ids() -> None:
    plain = hookmock.github.event("push", seed=4)
    bad = hookmock.github.event("push", seed=4, head_commit__id=None)
    assert bad.payload["after"] == plain.payload["after"]
    assert bad.payload["repository"]["id"] == plain.payload["repository"]["id"]


@pytest.mark.parametrize(
    "call",
    [
        lambda: hookmock.stripe.event(5),  # type: ignore[arg-type]
        lambda: hookmock.stripe.event("invoice.paid", seed="1"),  # type: ignore[arg-type]
        lambda: hookmock.stripe.event("invoice.paid", allow_new="false"),  # type: ignore[arg-type]
        lambda: hookmock.provider(5),  # type: ignore[arg-type]
        lambda: hookmock.sign("stripe", 5, "whsec_x"),  # type: ignore[arg-type]
        lambda: hookmock.stripe.event("invoice.paid", seed=1).headers("whsec_x", timestamp="1"),
        lambda: hookmock.verify("stripe", b"{}", ["t=1"], "whsec_x"),  # type: ignore[arg-type]
    ],
)
def test_arguments_of_the_wrong_type_are_hookmock_errors_and_type_errors(call: Any) -> None:
    with pytest.raises(HookmockError) as info:
        call()
    assert isinstance(info.value, TypeError)
