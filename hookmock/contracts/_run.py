"""Run a contract against a Receiver: each delivery in order, each result judged."""

from __future__ import annotations

import time

from .._errors import HookmockError, OverrideError, did_you_mean
from ..delivery import (
    DEFAULT_SOURCE,
    resolve_retries,
    resolve_timeout,
    signs_timestamp,
    status_text,
)
from ._model import STALE_SECONDS, Contract, Delivery
from ._report import ContractReport, Row
from ._story import deliver_story

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from .._event import Event
    from ..delivery import DeliveryResult, Receiver

    Steps = Mapping[str, Callable[..., object]]

#: ``signature: wrong`` signs with this; no receiver should know it.
WRONG_SECRET = "hookmock-wrong-secret"


def run(receiver: Receiver, contract: Contract, *, given: Steps | None = None) -> ContractReport:
    """Deliver every delivery of ``contract`` through ``receiver``; return the report.

    The contract's ``path`` (when it has one) is used instead of the receiver's for this run. The
    receiver's secret, seed, handled probe and handler spies apply as usual.
    """
    if contract.provider != receiver.provider.name:
        raise contract.error(
            None,
            f"the contract is for {contract.provider}, but the receiver speaks"
            f" {receiver.provider.name}; build it with hookmock.receiver(...,"
            f" provider={contract.provider!r}).",
        )
    steps = dict(given or {})
    _check_steps(contract, steps)
    sent: dict[int, Event] = {}
    rows: list[Row] = []
    # The receiver signs with the contract's own secret: failures should say so, not point at
    # a secret= nobody passed.
    own_secret = (
        contract.secret is not None
        and receiver.secret == contract.secret
        and receiver.secret_source == DEFAULT_SOURCE
    )
    source = f"the secret: key of {contract.source}"
    with (
        _swap(receiver, "path", contract.path, when=contract.path is not None),
        _swap(receiver, "secret_source", source, when=own_secret),
    ):
        for index, delivery in enumerate(contract.deliveries):
            for name, argument in delivery.given.items():
                if argument is None:
                    steps[name]()
                else:
                    steps[name](argument)
            retries = delivery.retries if delivery.retries is not None else contract.retries
            try:
                with _schedule(receiver, retries):
                    results = _deliver(receiver, contract, delivery, sent)
            except HookmockError as exc:
                raise contract.error(delivery, _in_contract_terms(exc)) from exc
            if delivery.kind == "send":
                sent[index] = results[0].event
            for r in results:
                _name_secret(contract, delivery, r)
                rows.append(
                    Row(
                        delivery,
                        r,
                        _judge(receiver, delivery, r),
                        source=contract.source,
                        expected=_expected(delivery, r) or "",
                    )
                )
    return ContractReport(contract, rows, seed=receiver.seed)


def _deliver(
    receiver: Receiver, contract: Contract, d: Delivery, sent: Mapping[int, Event]
) -> list[DeliveryResult]:
    timeout = d.timeout if d.timeout is not None else contract.timeout
    if d.kind == "story":
        wait = None if timeout is None else resolve_timeout(timeout, receiver.provider)
        return deliver_story(receiver, contract, d, wait)
    if d.kind == "batch":
        events = [receiver.event(t, **{**contract.options, **d.options}) for t in d.types]
        # send_many() takes no timeout of its own: the receiver's stands in for the batch.
        wait = None if timeout is None else resolve_timeout(timeout, receiver.provider)
        with _swap(receiver, "timeout", wait, when=timeout is not None):
            return receiver.send_many(events, order=str(d.order), concurrency=d.concurrency)
    wire: dict[str, Any] = {
        "secret": WRONG_SECRET if d.signature == "wrong" else d.secret,
        "timestamp": _timestamp(d.timestamp),
        "headers": dict(d.headers) or None,
    }
    if timeout is not None:
        wire["timeout"] = timeout
    if d.kind == "replay":
        event = sent[int(d.target)]
    else:
        fields: dict[str, Any] = {**contract.options, **d.options}
        if d.overrides:
            fields["overrides"] = dict(d.overrides)
        if d.traits:
            fields["traits"] = d.traits
        if d.allow_new:
            fields["allow_new"] = True
        if d.seed is not None:
            fields["seed"] = d.seed
        event = receiver.event(str(d.target), **fields)
    if d.signature == "missing":
        # Whatever headers this provider signs with, drop them all.

        # A provider that signs no time may refuse a timestamp.
        at = {"timestamp": 1} if signs_timestamp(receiver.provider) else {}
        # The secret only finds the header names; it is never sent, and is long and odd enough
        # that redaction, which remembers secrets, never blanks an ordinary word because of it.
        names = receiver.provider.sign(event.body, ["hookmock-header-name-probe-0x5f3759df"], **at)
        wire["headers"] = {**dict.fromkeys(names), **(wire["headers"] or {})}
    return [receiver.send(event, **wire)]


def _in_contract_terms(exc: HookmockError) -> str:
    """A core error in a contract's terms (dotted ``set:`` paths, ``allow_new: true``)."""
    text = exc.render("yaml")
    return "set: " + text if isinstance(exc, OverrideError) else text


def _timestamp(value: int | str | None) -> int | None:
    if value is None:
        return None
    now = int(time.time())
    if value == "stale":
        return now - STALE_SECONDS
    number = int(value)
    # A unix time is never negative, so a negative number reads as "that many seconds ago".
    return now + number if number < 0 else number


def _name_secret(contract: Contract, d: Delivery, result: DeliveryResult) -> None:
    """Say in failures where this delivery's signature came from, in the contract's terms."""
    where = f"{contract.source}:{d.line}" if d.line else contract.source
    if d.signature == "wrong":
        result.secret_source = f"a secret the receiver cannot know (signature: wrong, {where})"
    elif d.signature == "missing":
        result.secret_source = ""  # nothing was signed
    elif d.secret is not None:
        result.secret_source = f"the secret: of {d.key} ({where})"


def rejects(d: Delivery) -> bool:
    """Whether a delivery expects only 4xx answers: then it implies ``handled: false``."""
    specs = d.expect.status
    return bool(specs) and all((isinstance(s, int) and 400 <= s < 500) or s == "4xx" for s in specs)


def _implied(d: Delivery, result: DeliveryResult) -> bool:
    """``expect: {status: 4xx}`` without ``handled:`` means "and not acted on", judged when
    the receiver has a probe or a spy that looked (nothing is demanded of one without)."""
    return d.expect.handled is None and rejects(d) and result.handled is not None


def _expected(d: Delivery, result: DeliveryResult) -> str | None:
    return d.expect.describe() + ", not handled" if _implied(d, result) else None


def _judge(receiver: Receiver, d: Delivery, result: DeliveryResult) -> list[str]:
    if d.expect.handled is False and result.handled is None:
        # 4xx answers are judged for side effects already; "not handled" holds for any other
        # failure too (a receiver that acts on a forged event, then answers 500, is broken).
        receiver.judge.check_rejected(result)
    problems = d.expect.problems(result)
    if _implied(d, result) and result.handled is True:
        did = "; ".join(result.side_effects) or "the handled check said so"
        problems.append(
            f"answered {status_text(result.status)} but handled the {result.rejected_as} event"
            f" first: {did} (expect: {{status: {d.expect.describe_status()}}} means rejected"
            " before acting; add handled: true to the expect if acting on it is intended)"
        )
    return problems


def _check_steps(contract: Contract, steps: Mapping[str, object]) -> None:
    for d in contract.deliveries:
        for name in d.given:
            if name not in steps:
                close = did_you_mean(name, steps)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                known = f" Known steps: {', '.join(sorted(steps))}." if steps else ""
                raise contract.error(
                    d,
                    f"given: {name!r} is not a step this run knows.{hint}{known} Steps come from"
                    f" the caller: run_contract(..., given={{{name!r}: callable}}).",
                )


class _swap:
    """Set ``obj.attr`` for the duration of a block, then put it back (a no-op unless ``when``)."""

    def __init__(self, obj: Any, attr: str, value: Any, *, when: bool = True) -> None:
        self.obj, self.attr, self.value, self.when = obj, attr, value, when
        self.old: Any = None

    def __enter__(self) -> None:
        if self.when:
            self.old = getattr(self.obj, self.attr)
            setattr(self.obj, self.attr, self.value)

    def __exit__(self, *exc: object) -> None:
        if self.when:
            setattr(self.obj, self.attr, self.old)


def _schedule(receiver: Receiver, retries: object) -> _swap:
    if retries is None:
        return _swap(receiver, "schedule", None, when=False)
    return _swap(receiver, "schedule", resolve_retries(retries, receiver.provider))
