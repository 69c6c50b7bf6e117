"""Run a contract against a Receiver: each delivery in order, each result judged."""

from __future__ import annotations

from .._errors import HookmockError, did_you_mean
from ._model import STALE_SECONDS, Contract, Delivery
from ._report import ContractReport, Row

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
    with _swap(receiver, "path", contract.path, when=contract.path is not None):
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
            rows.extend(
                Row(delivery, r, _judge(receiver, delivery, r), source=contract.source)
                for r in results
            )
    return ContractReport(contract, rows, seed=receiver.seed)


def _deliver(
    receiver: Receiver, contract: Contract, d: Delivery, sent: Mapping[int, Event]
) -> list[DeliveryResult]:
    timeout = d.timeout if d.timeout is not None else contract.timeout
    if d.kind == "batch":
        from ..delivery._receiver import resolve_timeout

        events = [receiver.event(t, **{**contract.options, **d.options}) for t in d.types]
        # send_many() takes no timeout of its own: the receiver's stands in for the batch.
        wait = None if timeout is None else resolve_timeout(timeout, receiver.provider)
        with _swap(receiver, "timeout", wait, when=timeout is not None):
            return receiver.send_many(events, order=d.order, concurrency=d.concurrency)
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
        from ..delivery._receiver import signs_timestamp

        # A provider that signs no time may refuse a timestamp.
        at = {"timestamp": 1} if signs_timestamp(receiver.provider) else {}
        names = receiver.provider.sign(event.body, ["unsigned"], **at)
        wire["headers"] = {**dict.fromkeys(names), **(wire["headers"] or {})}
    return [receiver.send(event, **wire)]


def _in_contract_terms(exc: HookmockError) -> str:
    """A core error about overrides, worded for ``set:`` (dotted paths, ``allow_new: true``)."""
    from .._errors import OverrideError

    text = str(exc)
    if isinstance(exc, OverrideError):
        text = text.replace("__", ".").replace(
            "wrap the value: hookmock.new(value) (or pass allow_new=True)", "add allow_new: true"
        )
        text = "set: " + text
    return text


def _timestamp(value: int | str | None) -> int | None:
    import time

    if value is None:
        return None
    now = int(time.time())
    if value == "stale":
        return now - STALE_SECONDS
    number = int(value)
    # A unix time is never negative, so a negative number reads as "that many seconds ago".
    return now + number if number < 0 else number


def _judge(receiver: Receiver, d: Delivery, result: DeliveryResult) -> list[str]:
    if d.expect.handled is False and result.handled is None:
        # The receiver checks handling only after a 2xx; "not handled" should hold for rejected
        # deliveries too (a receiver that acts on a forged event, then answers 400, is broken).
        receiver._check_rejected(result)
    return d.expect.problems(result)


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
    from ..delivery._clock import resolve_retries

    if retries is None:
        return _swap(receiver, "schedule", None, when=False)
    return _swap(receiver, "schedule", resolve_retries(retries, receiver.provider))
