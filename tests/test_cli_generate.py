"""``hookmock generate``: sample events, reproducible by seed, with ``--set`` overrides."""

from __future__ import annotations

import json

import yaml
from _helpers_cli import cli, python_m

import hookmock


def test_it_prints_the_exact_stripe_body_by_default():
    run = cli("generate", "stripe", "payment_intent.succeeded", "--seed", "7")
    assert run.code == 0
    body = hookmock.stripe.event("payment_intent.succeeded", seed=7).body
    assert run.out.encode() == body.rstrip(b"\n") + b"\n"
    assert run.err == ""


def test_the_same_seed_gives_the_same_output():
    first = cli("generate", "github", "push", "--seed", "11")
    second = cli("generate", "github", "push", "--seed", "11")
    assert first.code == second.code == 0
    assert first.out == second.out
    assert json.loads(first.out) == hookmock.github.event("push", seed=11).json()


def test_github_events_are_pretty_printed():
    run = cli("generate", "github", "push", "--seed", "1")
    assert run.out.startswith("{\n  ")


def test_without_a_seed_it_reports_the_seed_it_used_so_the_output_can_be_reproduced():
    run = cli("generate", "stripe", "customer.created")
    seed = int(run.err.split("--seed ")[1].split()[0])
    again = cli("generate", "stripe", "customer.created", "--seed", str(seed))
    assert again.out == run.out


def test_set_parses_values_as_json_when_it_can():
    run = cli(
        "generate",
        "stripe",
        "payment_intent.succeeded",
        "--seed",
        "1",
        "--set",
        "data.object.amount=4999",
        "--set",
        "data.object.description=4999 widgets",
        "--set",
        'data.object.metadata={"order": "A-1"}',
    )
    assert run.code == 0, run
    obj = json.loads(run.out)["data"]["object"]
    assert obj["amount"] == 4999
    assert obj["description"] == "4999 widgets"
    assert obj["metadata"]["order"] == "A-1"


def test_a_mistyped_set_path_is_an_error_naming_the_nearest_field_with_dots():
    run = cli("generate", "stripe", "charge.succeeded", "--set", "data.object.amont=1")
    assert run.code == 2
    assert "'data.object.amont'" in run.err
    assert "Did you mean 'data.object.amount'?" in run.err
    assert "--allow-new" in run.err
    assert "__" not in run.err
    assert run.out == ""


def test_allow_new_lets_set_add_a_field():
    run = cli("generate", "github", "push", "--seed", "1", "--set", "x_extra=1", "--allow-new")
    assert run.code == 0, run
    assert json.loads(run.out)["x_extra"] == 1


def test_a_set_without_equals_is_a_usage_error():
    run = cli("generate", "stripe", "charge.succeeded", "--set", "data.object.amount")
    assert run.code == 2
    assert "PATH=VALUE" in run.err


def test_an_unknown_type_says_did_you_mean():
    run = cli("generate", "stripe", "payment_intent.succeded")
    assert run.code == 2
    assert "Did you mean 'payment_intent.succeeded'" in run.err
    assert "Traceback" not in run.err


def test_an_unknown_trait_is_a_clear_error():
    run = cli("generate", "github", "pull_request.closed", "--trait", "merjed")
    assert run.code == 2
    assert "merjed" in run.err
    assert "Did you mean 'merged'?" in run.err


def test_a_trait_changes_the_event():
    merged = json.loads(
        cli("generate", "github", "pull_request.closed", "--seed", "2", "--trait", "merged").out
    )
    unmerged = json.loads(
        cli("generate", "github", "pull_request.closed", "--seed", "2", "--trait", "unmerged").out
    )
    assert merged["pull_request"]["merged"] is True
    assert unmerged["pull_request"]["merged"] is False


def test_count_prints_json_lines_with_consecutive_seeds():
    run = cli("generate", "stripe", "invoice.paid", "--seed", "40", "--count", "3")
    assert run.code == 0
    lines = run.lines
    assert len(lines) == 3
    for offset, line in enumerate(lines):
        assert json.loads(line) == hookmock.stripe.event("invoice.paid", seed=40 + offset).json()


def test_count_with_a_directory_writes_one_file_per_event(tmp_path):
    target = tmp_path / "out"
    run = cli(
        "generate", "stripe", "charge.refunded", "--seed", "1", "--count", "4", "-o", str(target)
    )
    assert run.code == 0, run
    files = sorted(target.glob("*.json"))
    assert len(files) == 4
    expected = {
        f"charge.refunded-{hookmock.stripe.event('charge.refunded', seed=s).id}.json"
        for s in range(1, 5)
    }
    assert {f.name for f in files} == expected
    one = hookmock.stripe.event("charge.refunded", seed=1)
    assert (target / f"charge.refunded-{one.id}.json").read_bytes() == one.body


def test_generated_files_validate_straight_away(tmp_path):
    for provider, type in [("stripe", "customer.updated"), ("github", "issues.opened")]:
        run = cli("generate", provider, type, "--seed", "3", "--count", "2", "-o", str(tmp_path))
        assert run.code == 0, run
    check = cli("validate", str(tmp_path))
    assert check.code == 0, check
    assert "Checked 4 files: 4 valid." in check.out


def test_output_to_a_file_writes_exactly_the_bytes_that_are_sent(tmp_path):
    target = tmp_path / "sub" / "event.json"
    run = cli("generate", "github", "push", "--seed", "5", "-o", str(target))
    assert run.code == 0
    assert target.read_bytes() == hookmock.github.event("push", seed=5).body


def test_count_into_an_existing_file_is_a_usage_error(tmp_path):
    target = tmp_path / "event.json"
    target.write_text("{}")
    run = cli("generate", "stripe", "refund.created", "--count", "2", "-o", str(target))
    assert run.code == 2
    assert "must be a directory" in run.err


def test_count_must_be_positive():
    run = cli("generate", "stripe", "refund.created", "--count", "0")
    assert run.code == 2
    assert "--count must be at least 1" in run.err


def test_yaml_output_is_the_same_event():
    run = cli("generate", "github", "issues.opened", "--seed", "9", "--format", "yaml")
    assert run.code == 0
    assert yaml.safe_load(run.out) == hookmock.github.event("issues.opened", seed=9).json()


def test_ndjson_output_to_a_file_holds_one_event_per_line(tmp_path):
    target = tmp_path / "events.ndjson"
    run = cli(
        "generate",
        "stripe",
        "payout.paid",
        "--seed",
        "1",
        "--count",
        "3",
        "--format",
        "ndjson",
        "-o",
        str(target),
    )
    assert run.code == 0
    assert len(target.read_text().splitlines()) == 3


def test_generate_pipes_into_validate_as_real_processes():
    made = python_m(
        "generate", "stripe", "checkout.session.completed", "--seed", "4", "--count", "3"
    )
    assert made.code == 0, made
    checked = python_m("validate", "-", stdin=made.out.encode())
    assert checked.code == 0, checked
    assert "Checked 1 file (3 events): 3 valid." in checked.out


def test_provider_options_go_through_set():
    run = cli("generate", "github", "push", "--seed", "4", "--set", "content_type=form")
    assert run.code == 0, run
    # A form-encoded body is still shown as the JSON payload it carries.
    assert json.loads(run.out) == hookmock.github.event("push", seed=4, content_type="form").payload


# -- -o and --format with several events ---------------------------------------------------


def test_count_into_a_new_json_file_name_is_refused_not_made_a_directory(tmp_path):
    target = tmp_path / "single.json"
    run = cli("generate", "stripe", "invoice.paid", "--count", "2", "-o", str(target))
    assert run.code == 2
    assert f"-o {target}: --count 2 makes 2 events" in run.err
    assert "--format ndjson" in run.err
    assert not target.exists()


def test_count_into_an_ndjson_file_writes_json_lines(tmp_path):
    target = tmp_path / "events.ndjson"
    run = cli(
        "generate", "stripe", "invoice.paid", "--seed", "3", "--count", "2", "-o", str(target)
    )
    assert run.code == 0, run
    lines = target.read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [
        hookmock.stripe.event("invoice.paid", seed=s).id for s in (3, 4)
    ]


def test_a_file_in_the_way_of_the_output_path_is_called_not_a_directory(tmp_path):
    blocker = tmp_path / "passwd"
    blocker.write_text("root")
    for args in (["--count", "2", "-o", str(blocker / "x")], ["-o", str(blocker / "x" / "e.json")]):
        run = cli("generate", "stripe", "invoice.paid", *args)
        assert run.code == 2
        assert f"{blocker} is a file, not a directory" in run.err
        assert "File exists" not in run.err


def test_format_json_with_count_prints_one_json_array():
    run = cli(
        "generate", "stripe", "invoice.paid", "--seed", "5", "--count", "2", "--format", "json"
    )
    assert run.code == 0
    events = json.loads(run.out)
    assert [e["id"] for e in events] == [
        hookmock.stripe.event("invoice.paid", seed=s).id for s in (5, 6)
    ]


def test_format_ndjson_with_count_prints_json_lines():
    run = cli("generate", "github", "push", "--seed", "5", "--count", "2", "--format", "ndjson")
    assert run.code == 0
    assert [json.loads(line)["after"] for line in run.lines] == [
        hookmock.github.event("push", seed=s).payload["after"] for s in (5, 6)
    ]


# -- header sidecars -----------------------------------------------------------------------


def test_github_types_told_by_shape_need_no_sidecar_and_every_folder_validates(tmp_path):
    """The events receivers see most say their type by shape; the rest of the catalog (its
    header is how GitHub tells them apart) gets a headers sidecar, and the folder validates."""
    types = hookmock.types("github")
    for type in types:
        run = cli("generate", "github", type, "--seed", "1", "-o", f"{tmp_path}/")
        assert run.code == 0, (type, run)
    sidecars = {
        p.name.rpartition("-")[0].rsplit("-", 4)[0] for p in tmp_path.glob("*.headers.json")
    }
    assert len(list(tmp_path.glob("*.json"))) == len(types) + len(sidecars)
    for shaped in ("push", "pull_request.opened", "issues.opened", "workflow_run.completed"):
        assert not list(tmp_path.glob(f"{shaped}-*.headers.json")), shaped
    # Told by the one schema that fits it, where no shape rule knows it: no sidecar either.
    assert not list(tmp_path.glob("sub_issues.sub_issue_added-*.headers.json"))
    # Its schema is the secret scanning requests' too: only the header tells them apart.
    assert list(tmp_path.glob("exemption_request_push_ruleset.created-*.headers.json"))
    check = cli("validate", str(tmp_path))
    assert check.code == 0, check


def test_a_sidecar_is_written_when_an_override_hides_the_type(tmp_path):
    run = cli(
        "generate", "github", "push", "--seed", "1", "--set", "sender=null", "-o", f"{tmp_path}/"
    )
    assert run.code == 0, run
    [sidecar] = tmp_path.glob("*.headers.json")
    assert json.loads(sidecar.read_text())["X-GitHub-Event"] == "push"
    check = cli("validate", str(tmp_path))
    assert check.code == 1  # the null sender is a finding, but the type was told
    assert '/sender: null is not of type "object"' in check.out
