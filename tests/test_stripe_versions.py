"""Stripe's older-API-version data and invariants: the refresh refuses entries that no longer fit
the compiled defs, and an event's api_version picks the relaxation that checks it."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from hookmock.providers.stripe import _versions

TOOLS = Path(__file__).resolve().parent.parent / "tools"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

from refresh_lib import output, stripe_invariants, stripe_versions  # noqa: E402
from refresh_lib.sources import RefreshError  # noqa: E402

PINNED = "2026-10-28.endive"


def _defs() -> dict[str, dict[str, Any]]:
    return {
        "invoice": {
            "type": "object",
            "properties": {"id": {"type": "string"}, "created": {"type": "integer"}},
            "required": ["created", "id"],
        }
    }


def _section(**change: Any) -> dict[str, Any]:
    return {
        "keep_required": {"invoice": ["created"]},
        "changes": [{"object": "invoice", "reason": "r", "evidence": "e", **change}],
    }


def test_the_version_data_compiles_with_its_pin() -> None:
    got = stripe_versions.compile_versions(
        _section(before="2019-03-14", unrequire=["created"], properties={"date": {}}),
        _defs(),
        PINNED,
    )
    assert got["pinned"] == PINNED
    assert got["changes"][0]["before"] == "2019-03-14"


@pytest.mark.parametrize(
    ("section", "words"),
    [
        ({"keep_required": {"invoice": ["total"]}}, "total no longer required"),
        (_section(unrequire=["total"]), "invoice.total is not required"),
        (_section(properties={"created": {}}), "use also_accept"),
        (_section(also_accept={"date": {}}), "has no invoice.date"),
        (_section(object="quote"), "no compiled def 'quote'"),
        (_section(before="2019"), "API version date"),
        (_section(renamed="date"), "unknown keys renamed"),
    ],
)
def test_version_data_that_no_longer_fits_stops_the_refresh(
    section: dict[str, Any], words: str
) -> None:
    with pytest.raises(RefreshError, match=re.escape(words)):
        stripe_versions.compile_versions(section, _defs(), PINNED)


def test_an_id_pattern_tries_the_longer_prefix_first() -> None:
    pattern = re.compile(stripe_invariants._id_pattern(["il_", "il_tmp_"]))
    assert pattern.match("il_tmp_1MoqxMLgUG5tbmjc")
    assert pattern.match("il_1MoqxMLgUG5tbmjc")
    assert not pattern.match("il_tmp-1")
    assert not pattern.match("il_temp_1Moq")


def test_an_event_invariant_that_matches_no_type_stops_the_refresh() -> None:
    with pytest.raises(RefreshError, match="matches no snapshot event type"):
        stripe_invariants.apply(
            {
                "events": {"invoice.payed": {"status": {"const": "paid"}}},
                "events_reason": "r",
                "events_evidence": "e",
            },
            _defs(),
            output.Tree(),
            {"invoice.paid": {}},
            "schemas/stripe",
        )


@pytest.mark.parametrize(
    ("version", "key"),
    [
        ("2017-02-14", "older<2017-05-25"),
        ("2019-05-16", "older<2019-10-17"),
        ("2024-06-20", "older<2025-03-31"),
        ("2025-09-30.clover", "older<2026-10-28"),
        (None, "older<*"),
    ],
)
def test_an_events_api_version_picks_the_changes_still_ahead_of_it(
    version: str | None, key: str
) -> None:
    found = _versions.variant({"api_version": version})
    assert found is not None
    assert found[0] == key


@pytest.mark.parametrize("payload", [{"api_version": PINNED}, {"api_version": 2019}, {}])
def test_the_pinned_version_or_no_usable_version_is_checked_as_written(
    payload: dict[str, Any],
) -> None:
    assert _versions.variant(payload) is None


def test_a_relaxation_leaves_the_pinned_documents_alone() -> None:
    uri = "https://hookmock.invalid/schemas/stripe/defs/invoice.json"
    docs = {uri: {"$id": uri, **_defs()["invoice"]}}
    relaxed = _versions.documents("older<2019-03-14", docs)
    assert docs[uri]["required"] == ["created", "id"]
    assert "date" in relaxed[uri]["properties"]
