"""``hookmock contract``: run a webhook contract (YAML) against an app or a URL, print the report."""

from __future__ import annotations

import dataclasses
import importlib
import os
import shlex
import sys
from collections.abc import Mapping

from .._errors import did_you_mean
from .._redaction import redact, redact_url, remember
from ..contracts import load_contract, run_contract
from .common import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from ..contracts import Contract
    from .common import Streams


def run(args: argparse.Namespace, io: Streams) -> int:
    contract = load_contract(args.file)
    given = load_steps(args.given, label="--given") if args.given else None
    if given is None:
        _refuse_given(contract)
    handled = load_probe(args.handled, label="--handled") if args.handled else None
    skipped = handled is None and any(d.expect.handled is not None for d in contract.deliveries)
    if skipped:
        contract = dataclasses.replace(
            contract,
            deliveries=tuple(
                dataclasses.replace(d, expect=dataclasses.replace(d.expect, handled=None))
                for d in contract.deliveries
            ),
        )

    # Known before the app loads: an app or factory that fails may quote the secret.
    remember(args.secret, contract.secret)
    target, is_url = _target(args, contract)
    options: dict[str, Any] = {}
    if is_url:
        options["allow_insecure_http"] = args.allow_insecure_http
    report = run_contract(
        target,
        contract,
        secret=args.secret,
        seed=args.seed,
        handled=handled,
        given=given,
        **options,
    )

    rerun = shlex.join(
        [
            "hookmock",
            "contract",
            args.file,
            *(["--app", args.app] if args.app else []),
            *(["--url", redact_url(args.url)] if args.url else []),
            *(["--handled", args.handled] if args.handled else []),
            *(["--given", args.given] if args.given else []),
        ]
    )
    for row in report.rows:
        row.result.reproduce = f"reproduce the whole run: {rerun} --seed {report.seed}"
    out = io.stdout
    out.write(report.table() + "\n")
    out.write(report.summary() + "\n")
    if skipped:
        out.write(
            "note: `handled:` expectations were not checked (the command line cannot see inside"
            " the app); name a probe with --handled module:attr, a callable (event) -> bool.\n"
        )
    if not report.ok:
        out.write("\n" + report.details() + "\n")
        return 1
    return 0


def _target(args: argparse.Namespace, contract: Contract) -> tuple[Any, bool]:
    """The app or URL to run against, and whether it is a URL: the flags, else the contract's
    ``app:`` or ``url:``."""
    if args.app:
        return load_app(args.app), False
    if args.url:
        return args.url, True
    if contract.app:
        return load_app(contract.app, label=f"{contract.source}: app:"), False
    if contract.url:
        return contract.url, True
    raise UsageError(
        f"{contract.source} names no target: pass --app MODULE:ATTR (a WSGI or ASGI app) or"
        " --url URL, or write `app: module:attr` or `url: https://...` in the contract."
    )


def load_probe(spec: str, *, label: str) -> Any:
    """``module:attr`` of a handled probe: a callable (event) -> bool."""
    probe = import_object(spec, label=label)
    if not callable(probe):
        raise UsageError(
            f"{label} {spec!r} is a {type(probe).__name__}; it should name the handled probe,"
            " a callable (event) -> bool."
        )
    return probe


def load_steps(spec: str, *, label: str) -> Any:
    """``module:attr`` of a contract's ``given:`` steps: a dict of step name -> callable."""
    steps = import_object(spec, label=label)
    if not isinstance(steps, Mapping):
        raise UsageError(
            f"{label} {spec!r} is a {type(steps).__name__}; it should name a dict of step"
            " name -> callable, e.g. steps = {'unavailable': set_unavailable}."
        )
    wrong = [name for name, step in steps.items() if not callable(step)]
    if wrong:
        raise UsageError(
            f"{label} {spec!r}: step {wrong[0]!r} is a {type(steps[wrong[0]]).__name__}, not a"
            " callable."
        )
    return steps


def _refuse_given(contract: Contract) -> None:
    needs = [d for d in contract.deliveries if d.given]
    if needs:
        d = needs[0]
        where = f"{contract.source}:{d.line}" if d.line else contract.source
        raise UsageError(
            f"{where}: {d.key} needs the setup step(s) {', '.join(map(repr, d.given))}, which"
            " only Python can supply: pass --given module:attr, naming a dict of step name ->"
            " callable, or run hookmock.run_contract(app, FILE, given={name: callable})."
            " Remove `given:` to run it without them."
        )


def load_app(spec: str, *, label: str = "--app") -> Any:
    """``package.module:attr`` (or ``...:factory()``) -> a WSGI/ASGI app, importing from the cwd."""
    value = import_object(spec, label=label)
    if not callable(value):
        raise UsageError(
            f"{label} {spec!r} is a {type(value).__name__}, not a WSGI or ASGI app (a callable)."
        )
    return value


def import_object(spec: str, *, label: str = "--app") -> Any:
    """``package.module:attr`` (or ``...:factory()``, called) -> the object."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise UsageError(f"{label} {spec!r} should be MODULE:ATTR, for example myapp.wsgi:app.")
    call = attr.endswith("()")
    attr = attr.removesuffix("()")
    if os.getcwd() not in sys.path:
        # As `python -m` and app servers do: the project folder is importable.
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if exc.name and module_name.startswith(exc.name):
            raise UsageError(
                f"{label}: cannot import {module_name!r} ({exc}). Run from your project folder,"
                " or add its folder to PYTHONPATH."
            ) from None
        raise UsageError(_raised(label, f"importing {module_name!r}", exc)) from exc
    except (Exception, SystemExit) as exc:  # the app's own module fails as it loads
        raise UsageError(_raised(label, f"importing {module_name!r}", exc)) from exc
    try:
        value = getattr(module, attr)
    except AttributeError:
        names = [n for n in dir(module) if not n.startswith("_")]
        close = did_you_mean(attr, names)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise UsageError(f"{label}: module {module_name!r} has no {attr!r}.{hint}") from None
    if not call:
        return value
    if not callable(value):
        raise UsageError(
            f"{label}: {module_name}:{attr} is a {type(value).__name__}, not a factory to call;"
            f" drop the '()' to use it as it is: {module_name}:{attr}."
        )
    try:
        return value()
    except (Exception, SystemExit) as exc:
        raise UsageError(_raised(label, f"calling {module_name}:{attr}()", exc)) from exc


def _raised(label: str, doing: str, exc: BaseException) -> str:
    # The app's own error may quote its configuration (a secret, a database URL).
    return redact(f"{label}: {doing} raised {type(exc).__name__}: {exc}".rstrip(": ") + ".")
