"""Webhook contracts: a YAML file says which deliveries to make to one endpoint and what must
happen; hookmock runs it and reports one row per delivery.

``load_contract(path)`` reads and checks a file (against ``schemas/_hookmock/contract.json``);
``run_contract(app, path)`` or ``receiver.run_contract(path)`` runs it.
"""

from __future__ import annotations

from ..delivery import Receiver, receiver
from ._load import contract_schema, load_contract
from ._model import Contract, ContractError, Delivery, Expect
from ._report import ContractReport, Row
from ._run import run

TYPE_CHECKING = False
if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Mapping
    from typing import Any

    from .._event import Event

__all__ = [
    "Contract",
    "ContractError",
    "ContractReport",
    "Delivery",
    "Expect",
    "Row",
    "contract_schema",
    "load_contract",
    "run_contract",
]


def run_contract(
    app_or_url: Any,
    contract: str | os.PathLike[str] | Mapping[str, Any] | Contract,
    *,
    secret: str | None = None,
    seed: int | None = None,
    given: Mapping[str, Callable[..., object]] | None = None,
    handled: Callable[[Event], object] | None = None,
    secret_source: str = "",
    **receiver_options: Any,
) -> ContractReport:
    """Run a contract against an app (WSGI/ASGI, in-process) or a URL; return the report.

    Given a :class:`hookmock.Receiver` (what ``receiver.run_contract(path)`` does), the contract
    runs through it as it is, and only ``given`` applies.

    The receiver is built from the contract (provider, path, timeout); ``secret`` and ``seed``
    default to the contract's own. ``given`` maps the contract's ``given:`` step names to
    callables; ``handled`` is the probe ``(event) -> bool`` that ``expect: {handled: ...}`` reads.
    ``secret_source`` says where ``secret`` came from, for failure messages (say, "the
    hookmock_acme_secret ini option"). Other keywords go to :func:`hookmock.receiver`. Call ``.assert_ok()`` on the result to fail
    a test when an expectation did not hold.
    """
    if isinstance(app_or_url, Receiver):  # receiver.run_contract(path): through that receiver
        return run(app_or_url, load_contract(contract), given=given)
    spec = load_contract(contract)
    options: dict[str, Any] = {
        "provider": spec.provider,
        "path": spec.path or "/",
        "seed": seed if seed is not None else spec.seed,
        "handled": handled,
        **receiver_options,
    }
    chosen = secret if secret is not None else spec.secret
    if chosen is not None:
        options["secret"] = chosen
    if spec.timeout is not None:
        options.setdefault("timeout", spec.timeout)
    with receiver(app_or_url, **options) as rec:
        if secret_source:
            rec.secret_source = secret_source
        rec.reproduce = (
            f"reproduce the whole run: hookmock.run_contract(..., {spec.source!r}, seed={rec.seed})"
        )
        return run(rec, spec, given=given)
