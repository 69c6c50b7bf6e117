"""A GitHub body without its ``X-GitHub-Event`` header: told as its own type, or skipped with the
types it could be, never told as another type.

``benchmarks/bench_github_detect.py`` prints the same counts per type over more seeds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from _helpers_cli import cli

import hookmock
from hookmock.providers.github._candidates import candidates

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

from refresh_lib import sources  # noqa: E402  (tools/ is not a package)

PIN = sources.load_pins(TOOLS / "pins.toml")["github-examples"]
CACHED = ROOT / ".cache" / "refresh" / PIN.file

#: Bodies GitHub's description gives one shape to several types: the secret scanning and push
#: ruleset requests share a schema, and every block of GHES's user and enterprise events (and of
#: ping) is optional, so their bodies fit repository, organization and public events too.
AMBIGUOUS_EVENTS = {
    "bypass_request_secret_scanning",
    "dismissal_request_code_scanning",
    "dismissal_request_secret_scanning",
    "exemption_request_push_ruleset",
    "enterprise",
}
AMBIGUOUS_TYPES = {
    "organization.deleted",
    "public",
    "repository.anonymous_access_disabled",
    "repository.anonymous_access_enabled",
    "repository.created",
    "repository.deleted",
}
#: Three deliveries of each type: plain, an App's (with ``installation``) and an enterprise's.
OPTIONS: list[dict[str, Any]] = [{}, {"with_installation": True}, {"with_enterprise": True}]


def _bodies(type: str) -> list[dict[str, Any]]:
    return [
        json.loads(hookmock.github.event(type, seed=seed, **options).body)
        for seed, options in enumerate(OPTIONS, start=7)
    ]


def test_no_generated_type_is_detected_as_another_and_most_are_told() -> None:
    wrong, untold = [], set()
    for type in hookmock.github.types():
        for body in _bodies(type):
            got = hookmock.github.detect(body)
            if got is None:
                untold.add(type)
            elif got != type:
                wrong.append(f"{type} -> {got}")
    assert wrong == []
    expected = {t for t in hookmock.github.types() if t.partition(".")[0] in AMBIGUOUS_EVENTS}
    # user.* bodies are told when they carry their (optional) user block.
    expected |= AMBIGUOUS_TYPES | {"user.created", "user.deleted"}
    assert untold <= expected, sorted(untold - expected)
    assert len(untold) <= 27  # 131 of 285 before the schemas were asked


@pytest.mark.skipif(not CACHED.exists(), reason=f"{PIN.file} is not cached: tools/refresh.py")
def test_documented_examples_are_told_as_their_own_event_or_skipped() -> None:
    told = wrong = 0
    found = []
    with tarfile.open(CACHED) as tf:
        for member in tf.getmembers():
            handle = tf.extractfile(member) if member.name.endswith("/index.json") else None
            if handle is None:
                continue
            for entry in json.load(handle):
                for payload in entry["examples"]:
                    got = hookmock.github.detect(payload)
                    if got is None:
                        continue
                    if got.partition(".")[0] == entry["name"]:
                        told += 1
                    else:
                        wrong += 1
                        found.append(f"{member.name} {entry['name']} -> {got}")
    assert found == []
    assert told >= 670  # of 726; 583 by the shape rules alone


def test_a_body_several_types_fit_alike_is_skipped_naming_them_and_the_sidecar() -> None:
    body = hookmock.github.event("dismissal_request_secret_scanning.cancelled", seed=3).body
    with pytest.raises(hookmock.SchemaError) as info:
        hookmock.validate(body)
    message = str(info.value)
    assert "It fits 3 types alike: bypass_request_secret_scanning.cancelled," in message
    assert "X-GitHub-Event" in message
    headers = {"X-GitHub-Event": "dismissal_request_secret_scanning"}
    assert hookmock.validate(body, headers=headers) == (
        "github",
        "dismissal_request_secret_scanning.cancelled",
    )


def test_a_body_whose_keys_name_one_type_but_break_its_schema_is_skipped_naming_it(
    tmp_path: Path,
) -> None:
    payload = hookmock.github.event("code_scanning_alert.fixed", seed=2).payload
    payload["alert"]["number"] = "seven"
    path = tmp_path / "alert.json"
    path.write_text(json.dumps(payload))
    run = cli("validate", str(path))
    assert run.code == 0, run
    assert "skipped" in run.lines[0]
    assert "are those of code_scanning_alert.fixed, whose schema rejects it" in run.lines[0]
    (tmp_path / "alert.headers.json").write_text('{"X-GitHub-Event": "code_scanning_alert"}')
    named = cli("validate", str(path))
    assert named.code == 1
    assert "/alert/number" in named.out


def test_a_body_that_shows_nothing_but_an_action_is_not_told() -> None:
    # A bare body of an event hookmock lacks must not be told as whichever schema asks least
    # of it (GHES's user.created asked only its action until tools/corrections/github.yaml
    # made it require the user every documented one carries).
    sender = hookmock.github.event("push", seed=1).payload["sender"]
    assert candidates({"action": "created", "sender": sender}) == []
    assert hookmock.github.detect({"action": "created", "sender": sender}) is None
    user = {"action": "created", "user": sender, "sender": sender}
    assert hookmock.github.detect(user) == "user.created"
    unknown = {"action": "created", "alert": {"n": 1}, "sender": sender}
    assert hookmock.github.detect(unknown) is None  # no alert schema names "n"


def test_types_no_shape_rule_knows_are_told_from_the_body() -> None:
    for type in (
        "code_scanning_alert.created",
        "dependabot_alert.created",
        "custom_property.deleted",
    ):
        body = hookmock.github.event(type, seed=5).body
        assert hookmock.validate(body) == ("github", type)


def test_the_candidate_index_is_built_only_for_a_body_no_shape_rule_tells() -> None:
    script = (
        "import json, hookmock\n"
        "from hookmock.providers.github import _candidates\n"
        "push = hookmock.github.event('push', seed=1).body\n"
        "alert = hookmock.github.event('code_scanning_alert.created', seed=1).body\n"
        "hookmock.validate(push)\n"
        "print(_candidates._index.cache_info().currsize)\n"
        "hookmock.validate(alert)\n"
        "print(_candidates._index.cache_info().currsize)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert run.stdout.split() == ["0", "1"]
