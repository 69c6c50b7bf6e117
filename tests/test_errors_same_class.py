"""The same mistake raises the same exception class at every public entry point (issue 9).

A wrong-typed argument is an ArgumentTypeError (still a TypeError, and a ConfigurationError)
whether it reaches generation, signing, validation, delivery or contracts; an unknown name is
UnknownProviderError or UnknownTypeError; a bad value of the right type is a
ConfigurationError that is not a TypeError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import hookmock
from hookmock import (
    ConfigurationError,
    SecretError,
    UnknownProviderError,
    UnknownTypeError,
)
from hookmock._errors import ArgumentTypeError

SECRET = "whsec_same_class_secret"
BODY = b'{"id": "evt_1"}'


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def receiver(**kwargs: Any) -> hookmock.Receiver:
    return hookmock.receiver(app, **{"secret": SECRET, **kwargs})


def event() -> hookmock.Event:
    return hookmock.event("stripe", "invoice.paid", seed=1)


def story() -> hookmock.Story:
    return hookmock.story("stripe", "refund", seed=1)


#: (mistake, entry point, call): each call makes the mistake at one entry point.
WRONG_TYPE: list[tuple[str, str, Callable[[], object]]] = [
    ("provider is not a str", "event", lambda: hookmock.event(5, "invoice.paid")),  # type: ignore[arg-type]
    ("provider is not a str", "types", lambda: hookmock.types(5)),  # type: ignore[arg-type]
    ("provider is not a str", "sign", lambda: hookmock.sign(5, BODY, SECRET)),  # type: ignore[arg-type]
    ("provider is not a str", "verify", lambda: hookmock.verify(5, BODY, {}, SECRET)),  # type: ignore[arg-type]
    ("provider is not a str", "validate", lambda: hookmock.validate({}, provider=5)),  # type: ignore[arg-type]
    ("provider is not a str", "receiver", lambda: receiver(provider=5)),
    ("type is not a str", "event", lambda: hookmock.event("stripe", 5)),  # type: ignore[arg-type]
    ("type is not a str", "send", lambda: receiver().send(5)),  # type: ignore[arg-type]
    ("type is not a str", "send_many", lambda: receiver().send_many([5])),  # type: ignore[list-item]
    ("types is not a list", "send_many", lambda: receiver().send_many(5)),  # type: ignore[arg-type]
    ("secret is not a str", "sign", lambda: hookmock.sign("stripe", BODY, 5)),  # type: ignore[arg-type]
    ("secret is not a str", "verify", lambda: hookmock.verify("stripe", BODY, {}, 5)),  # type: ignore[arg-type]
    ("secret is not a str", "Event.headers", lambda: event().headers(5)),  # type: ignore[arg-type]
    ("secret is not a str", "receiver", lambda: hookmock.receiver(app, secret=5)),
    ("secret is not a str", "standard sign", lambda: hookmock.sign("standard", BODY, 5)),  # type: ignore[arg-type]
    ("seed is not an int", "event", lambda: hookmock.event("stripe", "invoice.paid", seed="x")),  # type: ignore[arg-type]
    ("seed is not an int", "send", lambda: receiver().send("invoice.paid", seed="x")),
    ("timeout is not a number", "receiver", lambda: receiver(timeout="x")),
    ("timeout is not a number", "send", lambda: receiver().send("invoice.paid", timeout="x")),
    ("retries is not a schedule", "receiver", lambda: receiver(retries="x")),
    ("timestamp is not an int", "send", lambda: receiver().send("invoice.paid", timestamp="x")),
    ("app is not callable", "receiver", lambda: hookmock.receiver(5, secret=SECRET)),  # type: ignore[arg-type]
    ("contract is not a path", "run_contract", lambda: hookmock.run_contract(app, 5)),  # type: ignore[arg-type]
    ("contract is not a path", "load_contract", lambda: hookmock.load_contract(5)),  # type: ignore[arg-type]
    ("events is not a list", "api_mock", lambda: hookmock.api_mock(5)),  # type: ignore[arg-type]
    ("events is one event", "api_mock", lambda: hookmock.api_mock(event())),  # type: ignore[arg-type]
    ("an event is not an Event", "api_mock", lambda: hookmock.api_mock([5])),  # type: ignore[list-item]
    ("provider is not a str", "story", lambda: hookmock.story(5, "refund")),  # type: ignore[arg-type]
    ("name is not a str", "story", lambda: hookmock.story("stripe", 5)),  # type: ignore[arg-type]
    ("seed is not an int", "story", lambda: hookmock.story("stripe", "refund", seed="x")),  # type: ignore[arg-type]
    ("a parameter's type", "story", lambda: hookmock.story("stripe", "refund", amount="x")),
    ("story is not a Story", "send_story", lambda: receiver().send_story("refund")),  # type: ignore[arg-type]
    ("order is not a list", "send_story", lambda: receiver().send_story(story(), order=5)),  # type: ignore[arg-type]
    ("order holds non-ints", "send_story", lambda: receiver().send_story(story(), order=[0.5])),  # type: ignore[list-item]
    ("drop is not a list", "send_story", lambda: receiver().send_story(story(), drop=3.5)),  # type: ignore[arg-type]
    ("drop holds a float", "send_story", lambda: receiver().send_story(story(), drop=[3.5])),  # type: ignore[list-item]
    ("duplicates is a float", "send_story", lambda: receiver().send_story(story(), duplicates=2.0)),  # type: ignore[arg-type]
    ("concurrency is a str", "send_story", lambda: receiver().send_story(story(), concurrency="2")),  # type: ignore[arg-type]
    ("seed is not an int", "send_story", lambda: receiver().send_story(story(), seed="x")),  # type: ignore[arg-type]
    (
        "timing is not a str",
        "send_story",
        lambda: receiver().send_story(story(), duplicate_timing=5),  # type: ignore[arg-type]
    ),
]


@pytest.mark.parametrize(
    ("mistake", "where", "call"), WRONG_TYPE, ids=[f"{m}-{w}" for m, w, _ in WRONG_TYPE]
)
def test_a_wrong_typed_argument_is_an_argument_type_error_everywhere(mistake, where, call):
    with pytest.raises(ArgumentTypeError) as info:
        call()
    # Still what older except clauses catch.
    assert isinstance(info.value, (TypeError, ConfigurationError))
    assert isinstance(info.value, hookmock.HookmockError)


def test_a_wrong_typed_secret_is_still_a_secret_error():
    with pytest.raises(SecretError):
        hookmock.sign("stripe", BODY, 5)  # type: ignore[arg-type]


UNKNOWN_PROVIDER: list[tuple[str, Callable[[], object]]] = [
    ("event", lambda: hookmock.event("strip", "invoice.paid")),
    ("types", lambda: hookmock.types("strip")),
    ("sign", lambda: hookmock.sign("strip", BODY, SECRET)),
    ("verify", lambda: hookmock.verify("strip", BODY, {}, SECRET)),
    ("validate", lambda: hookmock.validate({}, provider="strip")),
    ("receiver", lambda: receiver(provider="strip")),
    ("schema", lambda: hookmock.schema("strip", "invoice.paid")),
]


@pytest.mark.parametrize(("where", "call"), UNKNOWN_PROVIDER, ids=[w for w, _ in UNKNOWN_PROVIDER])
def test_an_unknown_provider_is_the_same_error_everywhere(where, call):
    with pytest.raises(UnknownProviderError) as info:
        call()
    assert info.value.suggestions == ["stripe"]


UNKNOWN_TYPE: list[tuple[str, Callable[[], object]]] = [
    ("event", lambda: hookmock.event("stripe", "invoice.pai")),
    ("schema", lambda: hookmock.schema("stripe", "invoice.pai")),
    ("send", lambda: receiver().send("invoice.pai")),
    ("send_many", lambda: receiver().send_many(["invoice.pai"])),
    (
        "validate",
        lambda: hookmock.validate({"type": "invoice.paid"}, provider="stripe", type="invoice.pai"),
    ),
]


@pytest.mark.parametrize(("where", "call"), UNKNOWN_TYPE, ids=[w for w, _ in UNKNOWN_TYPE])
def test_an_unknown_type_is_the_same_error_everywhere(where, call):
    with pytest.raises(UnknownTypeError) as info:
        call()
    assert (info.value.provider, info.value.type) == ("stripe", "invoice.pai")
    assert "invoice.paid" in info.value.suggestions


BAD_VALUE: list[tuple[str, Callable[[], object]]] = [
    ("receiver timeout", lambda: receiver(timeout=-1)),
    ("send timeout", lambda: receiver().send("invoice.paid", timeout=float("nan"))),
    ("receiver retries", lambda: receiver(retries=[-5])),
    ("receiver retries count", lambda: receiver(retries=-1)),
    ("send_story concurrency", lambda: receiver().send_story(story(), concurrency=0)),
    ("send_story timing", lambda: receiver().send_story(story(), duplicate_timing="soon")),
    ("send_story drop index", lambda: receiver().send_story(story(), drop=99)),
    ("send_story permutation", lambda: receiver().send_story(story(), order=[0, 0])),
    ("story parameter range", lambda: hookmock.story("stripe", "refund", amount=-5)),
]


@pytest.mark.parametrize(("where", "call"), BAD_VALUE, ids=[w for w, _ in BAD_VALUE])
def test_a_bad_value_of_the_right_type_is_a_configuration_error_not_a_type_error(where, call):
    with pytest.raises(ConfigurationError) as info:
        call()
    assert not isinstance(info.value, TypeError)
