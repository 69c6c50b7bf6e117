"""Contract files as pytest items: one test per file matched by the ``hookmock_contracts`` ini.

Imported by the plugin only when that option is set and a file matches, so a run that does not
use it pays nothing.
"""

from __future__ import annotations

import pytest

from ._cli.contract import load_app, load_probe, load_steps
from ._errors import HookmockError
from ._pytest_config import SEED, configured_secret
from ._seeding import derive_seed
from .contracts import load_contract, run_contract

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from .contracts import Contract, ContractReport

#: ini options, all given as ``module:attr``.
APP = "hookmock_contract_app"
HANDLED = "hookmock_contract_handled"
GIVEN = "hookmock_contract_given"


class ContractFile(pytest.File):
    """A contract YAML file; it holds one item, which runs the whole contract."""

    def collect(self) -> Iterator[pytest.Item]:
        yield ContractItem.from_parent(self, name="contract")


class ContractItem(pytest.Item):
    """Runs one contract file against the app it names (``app:`` or ``url:``), else the one
    named by ``hookmock_contract_app``."""

    def runtest(self) -> None:
        self.report = run_file(self)
        self.report.assert_ok()

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, HookmockError):
            return f"{excinfo.value}\n{self.rerun()}"
        return str(super().repr_failure(excinfo, style))

    def rerun(self) -> str:
        return (
            f"rerun with the same data: pytest '{self.nodeid}'"
            f" --hookmock-seed={self.config.stash[SEED]}"
        )

    def reportinfo(self) -> tuple[Any, int, str]:
        return self.path, 0, f"hookmock contract {self.path.name}"


def _object(item: pytest.Item, option: str) -> Any:
    """The object an ini option names (``module:attr``), checked for what it is used as."""
    spec = str(item.config.getini(option) or "").strip()
    if not spec:
        return None
    if option == APP and spec.startswith(("https://", "http://")):
        return spec
    load = {APP: load_app, HANDLED: load_probe, GIVEN: load_steps}[option]
    return load(spec, label=f"the {option} ini option")


def _target(item: pytest.Item, contract: Contract) -> Any:
    """The contract's own ``app:`` or ``url:``, else the ``hookmock_contract_app`` ini option."""
    if contract.app:
        return load_app(contract.app, label=f"{item.path.name}: app:")
    if contract.url:
        return contract.url
    app = _object(item, APP)
    if app is None:
        raise HookmockError(
            f"{item.path.name} is collected as a hookmock contract, but no app is named to run it"
            f" against. Write `app: mymodule:app` (a WSGI or ASGI app) or `url: https://...` in"
            f" the contract, or set {APP} = mymodule:app (or an https:// URL) in your pytest"
            " configuration for every contract."
        )
    return app


def run_file(item: pytest.Item) -> ContractReport:
    contract = load_contract(item.path)
    app = _target(item, contract)
    secret = contract.secret
    source = ""
    if secret is None:
        # Any provider's secret: hookmock_<provider>_secret or a hookmock_secrets line.
        secret, source = configured_secret(item.config, contract.provider)
    seed = derive_seed(item.config.stash[SEED], item.nodeid)
    return run_contract(
        app,
        contract,
        secret=secret,
        seed=contract.seed if contract.seed is not None else seed,
        handled=_object(item, HANDLED),
        given=_object(item, GIVEN),
        secret_source=source if secret is not None else "",
    )
