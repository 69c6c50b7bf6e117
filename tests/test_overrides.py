"""Overrides: keyword paths and nested dicts, applied strictly, as users write them."""

from __future__ import annotations

import pytest

from hookmock import OverrideError, new, replace
from hookmock._overrides import apply, normalize, pick


def payload() -> dict:
    return {
        "type": "payment_intent.succeeded",
        "data": {
            "object": {
                "amount": 2000,
                "currency": "usd",
                "metadata": {},
                "last_payment_error": None,
                "charges": {"data": [{"id": "ch_1", "amount": 2000}]},
                "shipping": {"name": "Ada", "address": {"city": "Paris"}},
            }
        },
    }


def test_keyword_paths_set_nested_fields():
    p = apply(payload(), normalize(None, {"data__object__amount": 4999}))
    assert p["data"]["object"]["amount"] == 4999
    assert p["data"]["object"]["currency"] == "usd"


def test_nested_dicts_are_deep_merged_not_replaced():
    p = apply(
        payload(), normalize({"data": {"object": {"shipping": {"address": {"city": "Oslo"}}}}})
    )
    assert p["data"]["object"]["shipping"] == {"name": "Ada", "address": {"city": "Oslo"}}


def test_keyword_paths_win_over_the_nested_dict():
    tree = normalize({"data": {"object": {"amount": 1}}}, {"data__object__amount": 2})
    assert apply(payload(), tree)["data"]["object"]["amount"] == 2


def test_setting_a_field_to_none_works():
    p = apply(payload(), normalize(None, {"data__object__shipping": None}))
    assert p["data"]["object"]["shipping"] is None


def test_a_dict_can_fill_a_null_field():
    p = apply(payload(), normalize(None, {"data__object__last_payment_error": {"code": "x"}}))
    assert p["data"]["object"]["last_payment_error"] == {"code": "x"}


def test_free_form_maps_accept_new_keys():
    tree = normalize(None, {"data__object__metadata": {"order_id": "42"}})
    p = apply(payload(), tree, open_maps=frozenset({"metadata"}))
    assert p["data"]["object"]["metadata"] == {"order_id": "42"}


def test_a_typo_is_an_error_naming_the_path_and_the_nearest_field():
    with pytest.raises(OverrideError) as info:
        apply(payload(), normalize(None, {"data__object__amout": 1}))
    message = str(info.value)
    assert "'data__object__amout'" in message
    assert "Did you mean 'data__object__amount'?" in message
    assert "hookmock.new(value)" in message


def test_a_typo_in_an_intermediate_segment_is_caught_too():
    with pytest.raises(OverrideError, match="Did you mean 'data__object'"):
        apply(payload(), normalize(None, {"data__objekt__amount": 1}))


def test_dot_paths_are_reported_with_dots():
    tree = normalize(None, {"data.object.amout": 1}, sep=".")
    with pytest.raises(OverrideError, match=r"'data\.object\.amount'"):
        apply(payload(), tree, sep=".")


def test_new_fields_are_allowed_when_explicit():
    p = apply(payload(), normalize(None, {"data__object__review": new("rvw_1")}))
    assert p["data"]["object"]["review"] == "rvw_1"
    p = apply(payload(), normalize(None, {"data__object__other": 3}), allow_new=True)
    assert p["data"]["object"]["other"] == 3


def test_list_items_are_addressed_by_index():
    p = apply(payload(), normalize(None, {"data__object__charges__data__0__amount": 5}))
    assert p["data"]["object"]["charges"]["data"][0] == {"id": "ch_1", "amount": 5}


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("data__object__charges__data__4__amount", "index 4 is out of range"),
        ("data__object__charges__data__first", "must be an index"),
    ],
)
def test_bad_list_indexes_say_what_is_wrong(path, fragment):
    with pytest.raises(OverrideError, match=fragment):
        apply(payload(), normalize(None, {path: 1}))


def test_replace_sets_a_dict_wholesale():
    p = apply(payload(), normalize(None, {"data__object__shipping": replace({"name": "Bo"})}))
    assert p["data"]["object"]["shipping"] == {"name": "Bo"}


@pytest.mark.parametrize("path", ["", "data____amount", "__data"])
def test_malformed_paths_are_rejected(path):
    with pytest.raises(OverrideError, match="malformed"):
        normalize(None, {path: 1})


def test_overrides_must_be_a_dict():
    with pytest.raises(OverrideError, match="must be a dict"):
        normalize([("a", 1)])  # type: ignore[arg-type]


def test_pick_reads_the_override_a_factory_derives_from():
    tree = normalize({"data": {"object": {"amount": 7}}}, {"data__object__currency": new("eur")})
    assert pick(tree, ["data", "object", "amount"]) == 7
    assert pick(tree, ["data", "object", "currency"]) == "eur"
    assert pick(tree, ["data", "object", "status"], "absent") == "absent"
