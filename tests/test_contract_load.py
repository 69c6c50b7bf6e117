"""Reading contracts: YAML into plain objects, and errors that name the file, line and key."""

from __future__ import annotations

import json

import jsonschema
import pytest
from _helpers_contract import write

import hookmock
from hookmock._resources import fixtures_dir, schemas_dir
from hookmock.contracts import Contract, ContractError, contract_schema, load_contract


def test_a_contract_file_loads_into_plain_objects(tmp_path):
    path = write(
        tmp_path,
        """
        provider: stripe
        path: /webhooks/stripe
        deliveries:
          - send: payment_intent.succeeded
            as: paid
            set: {data.object.metadata.order_id: "42"}
            expect: {status: 2xx, handled: true}
          - send: payment_intent.succeeded
            signature: wrong
            expect: {status: [400, 401]}
          - replay: paid
          - batch: [invoice.paid, charge.succeeded]
            order: shuffled
            concurrency: 2
        """,
    )
    contract = load_contract(path)
    assert isinstance(contract, Contract)
    assert (contract.provider, contract.path, contract.source) == (
        "stripe",
        "/webhooks/stripe",
        str(path),
    )
    first, wrong, again, batch = contract.deliveries
    assert (first.kind, first.target, first.alias) == ("send", "payment_intent.succeeded", "paid")
    assert first.overrides == {"data": {"object": {"metadata": {"order_id": "42"}}}}
    assert (first.expect.status, first.expect.handled) == (("2xx",), True)
    assert first.line == 4
    assert wrong.expect.status == (400, 401)
    assert wrong.expect.describe() == "400 or 401"
    assert (again.kind, again.target, again.expect.status) == ("replay", 0, ("2xx",))
    assert batch.types == ("invoice.paid", "charge.succeeded")
    assert (batch.order, batch.concurrency, batch.key) == ("shuffled", 2, "deliveries[3]")


def test_a_mapping_loads_like_a_file():
    contract = load_contract({"provider": "github", "deliveries": [{"send": "ping"}]})
    assert contract.source == "<contract>"
    assert contract.deliveries[0].target == "ping"
    assert load_contract(contract) is contract


def test_yaml_dates_stay_the_strings_that_were_written(tmp_path):
    path = write(
        tmp_path,
        """
        provider: stripe
        options: {api_version: 2024-06-20}
        deliveries: [{send: invoice.paid}]
        """,
    )
    assert load_contract(path).options == {"api_version": "2024-06-20"}


def test_an_unknown_key_names_the_file_the_line_the_key_and_the_likely_one(tmp_path):
    path = write(
        tmp_path,
        """
        provider: stripe
        deliveries:
          - send: invoice.paid
            expect:
              statuz: 200
        """,
    )
    with pytest.raises(ContractError) as info:
        load_contract(path)
    err = info.value
    assert (err.source, err.line, err.key) == (str(path), 5, "deliveries[0].expect.statuz")
    assert str(err).startswith(f"{path}:5: deliveries[0].expect.statuz: unknown key 'statuz'")
    assert "Did you mean 'status'?" in str(err)
    assert isinstance(err, hookmock.HookmockError)


def test_a_misspelled_top_level_key_is_reported_before_the_missing_one(tmp_path):
    path = write(tmp_path, "provider: stripe\ndeliverys: [{send: invoice.paid}]\n")
    with pytest.raises(
        ContractError, match=r"unknown key 'deliverys'.*Did you mean 'deliveries'"
    ) as info:
        load_contract(path)
    assert "missing key 'deliveries'" in str(info.value)


def test_a_wrong_value_says_what_is_allowed_there(tmp_path):
    path = write(
        tmp_path,
        """
        provider: stripe
        deliveries:
          - send: invoice.paid
            timestamp: yesterday
        """,
    )
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert info.value.line == 4
    assert '"yesterday" is not allowed here: Signature time: stale' in str(info.value)


def test_a_key_written_twice_is_an_error_not_a_silent_overwrite(tmp_path):
    path = write(
        tmp_path,
        """
        provider: stripe
        deliveries:
          - send: invoice.paid
            expect: {status: 2xx}
            expect: {status: 4xx}
        """,
    )
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert info.value.line == 5
    assert "the key 'expect' appears twice in one mapping (first on line 4)" in str(info.value)


def test_invalid_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "provider: stripe\ndeliveries:\n  - send: [invoice.paid\n")
    with pytest.raises(ContractError, match=r"invalid YAML: .*flow sequence on line 3"):
        load_contract(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty; a contract needs at least `provider:` and `deliveries:`"),
        ("- just\n- a list\n", "['just', 'a list'] is not of type 'object'"),
        ("provider: stripe\ndeliveries: []\n", "should be non-empty"),
    ],
)
def test_a_contract_that_is_not_a_contract_gets_one_clear_error(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert message in str(info.value)


def test_a_missing_file_or_a_folder_is_a_contract_error(tmp_path):
    with pytest.raises(ContractError, match=r"nope\.yaml: no such file"):
        load_contract(tmp_path / "nope.yaml")
    with pytest.raises(ContractError, match="is a directory"):
        load_contract(tmp_path)


def test_an_unknown_provider_is_reported_the_way_the_core_reports_it(tmp_path):
    path = write(tmp_path, "provider: strpe\ndeliveries: [{send: x}]\n")
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert str(info.value) == (
        f"{path}:1: provider: Unknown provider 'strpe'. Did you mean 'stripe'?"
        f" Known providers: {', '.join(hookmock.provider_names())}."
    )
    assert isinstance(info.value.__cause__, hookmock.UnknownProviderError)


def test_an_unknown_event_type_points_at_its_line_with_did_you_mean(tmp_path):
    path = write(
        tmp_path,
        """
        provider: stripe
        deliveries:
          - send: invoice.paid
          - batch: [invoice.paid, payment_intent.succeded]
        """,
    )
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert info.value.line == 4
    assert info.value.key == "deliveries[1].batch[1]"
    assert "Unknown stripe event type 'payment_intent.succeded'" in str(info.value)
    assert "Did you mean 'payment_intent.succeeded'" in str(info.value)


def test_an_unknown_trait_lists_the_types_traits(tmp_path):
    path = write(
        tmp_path,
        """
        provider: github
        deliveries:
          - send: pull_request.closed
            traits: merge
        """,
    )
    with pytest.raises(
        ContractError,
        match=r":4: deliveries\[0\]\.traits: .*no trait 'merge'\. Did you mean 'merged'\?",
    ):
        load_contract(path)


@pytest.mark.parametrize(
    ("deliveries", "message"),
    [
        (
            [{"send": "ping", "batch": ["ping"]}],
            "exactly one of send: TYPE, replay: N, batch: [TYPES] or story: NAME; found send and batch",
        ),
        ([{"expect": {"status": 200}}], "found none"),
        ([{"replay": 0}], "needs an earlier delivery to replay; this is the first one"),
        (
            [{"send": "ping"}, {"replay": 3}],
            "replay: 3 must name an earlier delivery (0 to 0, 0-based)",
        ),
        ([{"send": "ping", "as": "p"}, {"replay": "q"}], "replay: 'q' names no earlier delivery"),
        (
            [{"batch": ["ping"]}, {"replay": 0}],
            "replay: 0 is a batch delivery; only a send: delivery can be replayed",
        ),
        (
            [{"batch": ["ping"], "signature": "wrong"}],
            "'signature' does not apply to a batch delivery",
        ),
        ([{"replay": 0, "set": {}}], "'set' does not apply to a replay delivery"),
        (
            [{"send": "ping", "as": "p"}, {"send": "ping", "as": "p"}],
            "the name 'p' is already used by deliveries[0]",
        ),
        ([{"send": "ping", "secret": "s", "signature": "missing"}], "give either secret:"),
    ],
)
def test_deliveries_that_cannot_run_are_refused_when_loading(deliveries, message):
    with pytest.raises(ContractError) as info:
        load_contract({"provider": "github", "deliveries": deliveries})
    assert message in str(info.value)


def test_a_replay_by_name_finds_the_named_delivery():
    contract = load_contract(
        {
            "provider": "github",
            "deliveries": [{"send": "ping"}, {"send": "push", "as": "p"}, {"replay": "p"}],
        }
    )
    assert contract.deliveries[2].target == 1


def test_the_contract_schema_is_a_valid_2020_12_schema_kept_apart_from_provider_schemas():
    schema = contract_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "https://hookmock.invalid/schemas/_hookmock/contract.json"
    assert (schemas_dir() / "_hookmock" / "contract.json").is_file()
    assert "_hookmock" not in hookmock.provider_names()


@pytest.mark.parametrize("name", ["demo-stripe.yaml", "demo-github.yaml"])
def test_the_shipped_demo_contracts_follow_the_schema_and_load(name):
    import yaml

    path = fixtures_dir() / name
    data = yaml.safe_load(path.read_text())
    jsonschema.Draft202012Validator(contract_schema()).validate(json.loads(json.dumps(data)))
    contract = load_contract(path)
    assert contract.provider == name.removeprefix("demo-").removesuffix(".yaml")
    assert len(contract.deliveries) >= 9


def test_importing_the_contracts_module_loads_neither_yaml_nor_jsonschema():
    import subprocess
    import sys

    code = (
        "import sys, hookmock.contracts, hookmock\n"
        "hookmock.load_contract\n"
        "print(sorted(m for m in ('yaml', 'jsonschema', 'faker') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_retries_on_a_provider_that_never_retries_is_refused_at_its_line_in_yaml_terms(tmp_path):
    path = write(
        tmp_path,
        """
        provider: github
        retries: true
        deliveries:
          - send: push
          - send: push
            retries: 2
        """,
    )
    with pytest.raises(ContractError) as info:
        load_contract(path)
    first, second = info.value.problems
    assert str(first) == (
        f"{path}:2: retries: GitHub does not retry failed deliveries, so `retries: true` has no"
        " backoff to copy. Write the waits in seconds to simulate manual redeliveries on that"
        " schedule (`retries: [600, 3600]`), or leave retries out."
    )
    assert (second.line, second.key) == (6, "deliveries[1].retries")
    path.write_text(path.read_text().replace("retries: true\n", ""))
    with pytest.raises(ContractError, match=r":5: deliveries\[1\]\.retries: .*`retries: 2`"):
        load_contract(path)
    path.write_text(path.read_text().replace("retries: 2", "retries: [600, 3600]"))
    assert len(load_contract(path).deliveries[1].retries) == 2


def test_a_timestamp_a_provider_does_not_sign_is_refused_when_loading(tmp_path):
    path = write(tmp_path, "provider: github\ndeliveries:\n  - send: push\n    timestamp: stale\n")
    with pytest.raises(ContractError, match=r":4: deliveries\[0\]\.timestamp: GitHub signatures"):
        load_contract(path)


def test_an_unknown_event_option_is_refused_with_did_you_mean(tmp_path):
    path = write(
        tmp_path,
        "provider: github\noptions:\n  with_instalation: true\ndeliveries:\n  - send: push\n",
    )
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert str(info.value).startswith(
        f"{path}:3: options.with_instalation: GitHub has no event option 'with_instalation'."
        " Did you mean 'with_installation'?"
    )


def test_any_integer_is_a_seed_as_in_the_python_api():
    data = {"provider": "stripe", "seed": -3, "deliveries": [{"send": "charge.succeeded"}]}
    data["deliveries"].append({"send": "charge.succeeded", "seed": -1})
    contract = load_contract(data)
    assert contract.seed == -3
    assert contract.deliveries[1].seed == -1
