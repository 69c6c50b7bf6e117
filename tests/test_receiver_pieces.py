"""The Receiver is three pieces (attempt loop, judgement, ledger), and code outside
hookmock/delivery uses delivery only through the names hookmock.delivery exports."""

from __future__ import annotations

import ast
from pathlib import Path

import hookmock
from hookmock.delivery import Attempts, Judge, Ledger

PACKAGE = Path(hookmock.__file__).resolve().parent
SECRET = "whsec_pieces"


def ok_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def refusing_app(environ, start_response):
    start_response("400 Bad Request", [("Content-Type", "text/plain")])
    return [b"no"]


def test_a_receiver_is_its_attempt_loop_its_judgement_and_its_ledger():
    with hookmock.receiver(ok_app, secret=SECRET, keep_results=1) as receiver:
        assert isinstance(receiver.attempts, Attempts)
        assert isinstance(receiver.judge, Judge)
        assert isinstance(receiver.ledger, Ledger)
        first = receiver.send("charge.succeeded")
        receiver.send("invoice.paid")
        # The ledger keeps the last result in full and folds the rest into the report.
        assert list(receiver.results) == list(receiver.ledger.results)
        assert len(receiver.results) == 1
        assert receiver.delivered == {"charge.succeeded": 1, "invoice.paid": 1}
        assert [row.type for row in receiver.report().rows] == ["charge.succeeded", "invoice.paid"]
        # The attempt loop signs as the receiver does.
        headers = receiver.attempts.headers_for(first.event, timestamp=1_700_000_000)
        assert headers == receiver.headers_for(first.event, timestamp=1_700_000_000)


def test_the_judgement_is_usable_on_its_own_for_a_refused_delivery():
    seen = []
    with hookmock.receiver(
        refusing_app, secret=SECRET, handled=lambda event: seen.append(event.id) or True
    ) as receiver:
        result = receiver.send("charge.succeeded")
        assert result.status == 400
        # A 4xx is judged for side effects: the probe says the app acted on it anyway.
        assert result.handled is True
        assert receiver.judge.handled is receiver.handled
        receiver.judge.ignore(["charge.succeeded"])
        assert "charge.succeeded" in receiver.ignored


def _private_delivery_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):  # function-local imports too
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [a.name for a in node.names]
            if "delivery._" in module or (
                module.endswith("delivery") and any(n.startswith("_") for n in names)
            ):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} from {module}")
        elif isinstance(node, ast.Import):
            found += [
                f"{path.relative_to(PACKAGE)}:{node.lineno} import {a.name}"
                for a in node.names
                if "delivery._" in a.name
            ]
    return found


def test_no_module_outside_delivery_reaches_into_its_private_modules():
    offenders = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        if "delivery" not in path.relative_to(PACKAGE).parts
        for hit in _private_delivery_imports(path)
    ]
    assert offenders == []
