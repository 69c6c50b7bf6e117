"""``hookmock demo``: a built-in reference receiver, and the demo contracts run against it.

The receiver is what a careful webhook endpoint does (verify the signature on the raw body, reject
stale timestamps, deduplicate, answer 2xx to types it ignores). What the demo sends and expects is
data: each provider that offers a demo contract (``Provider.demo_contract``, for the built-ins
``fixtures/demo-<provider>.yaml``), run by hookmock's contract runner, one table row per check.
No configuration, network or secrets needed.
"""

from __future__ import annotations

import functools
import json
import sys
import threading
import time
from dataclasses import dataclass

from ._errors import SignatureError
from ._registry import DEFAULT_PROVIDER, get_provider, provider_names
from .contracts import load_contract, run_contract
from .contracts._report import attempts_text, table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from importlib.abc import Traversable
    from typing import Any, TextIO

    from ._event import Event
    from .contracts import Row
    from .delivery import DeliveryResult


@dataclass(frozen=True)
class Endpoint:
    """One provider's endpoint on the reference receiver, as its demo contract describes it."""

    provider: str
    path: str
    secret: str
    #: The types the receiver acts on: those its contract expects handled.
    handled: frozenset[str]
    contract: Traversable
    #: The first type the contract sends, for the demo's closing example.
    example_type: str


@functools.cache
def endpoints() -> tuple[Endpoint, ...]:
    """Every registered provider's demo endpoint, the default provider's first."""
    out = []
    for name in sorted(provider_names(), key=lambda n: n != DEFAULT_PROVIDER):
        source = get_provider(name).demo_contract()
        if source is None:
            continue
        contract = load_contract(str(source))
        handled = frozenset(
            str(d.target) for d in contract.deliveries if d.kind == "send" and d.expect.handled
        )
        sent = [str(d.target) for d in contract.deliveries if d.kind == "send"]
        out.append(
            Endpoint(
                contract.provider,
                contract.path or f"/webhooks/{contract.provider}",
                contract.secret or "",
                handled,
                source,
                sent[0] if sent else "",
            )
        )
    return tuple(out)


def __getattr__(name: str) -> str:
    """``<PROVIDER>_SECRET``: the secret the reference receiver checks for that provider."""
    provider, sep, rest = name.partition("_")
    if sep and rest == "SECRET":
        for endpoint in endpoints():
            if endpoint.provider == provider.lower():
                return endpoint.secret
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ReferenceReceiver:
    """A plain WSGI app that receives each provider with a demo at its contract's path
    (``/webhooks/<provider>``) the way the providers advise.

    - 503 while ``unavailable`` is above zero (a restart), so that retries have work to do;
    - ``slow`` seconds late with its next answer, when ``slow`` is set (a handler past the timeout);
    - 400 when the signature is missing, wrong, or (where it carries the time) older than
      ``tolerance`` seconds;
    - 200 for a duplicate (the same event or delivery id), without handling it again;
    - 200 for a type it does not handle;
    - 200 after "handling" the types its demo contract expects handled (recorded in
      ``handled``).
    """

    def __init__(
        self, *, secrets: Mapping[str, str] | None = None, tolerance: int = 300, **by_name: str
    ) -> None:
        self.endpoints = {e.path: e for e in endpoints()}
        #: The secret checked per provider; ``secrets=`` (or ``<provider>_secret=``) overrides.
        self.secrets = {e.provider: e.secret for e in self.endpoints.values()}
        self.secrets.update(secrets or {})
        for key, value in by_name.items():
            provider, _, rest = key.rpartition("_")
            if rest != "secret" or provider not in self.secrets:
                raise TypeError(f"ReferenceReceiver() got an unexpected keyword argument {key!r}")
            self.secrets[provider] = value
        self.tolerance = tolerance
        self.handled: list[tuple[str, str, str]] = []
        #: Answer 503 to this many next requests, as a receiver does while it restarts.
        self.unavailable = 0
        #: Take this many seconds longer to answer the next request.
        self.slow = 0.0
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def times_handled(self, event_id: str) -> int:
        with self._lock:
            return sum(1 for _, _, eid in self.handled if eid == event_id)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        with self._lock:
            delay, self.slow = self.slow, 0.0
        if delay:
            time.sleep(delay)
        status, message = self._answer(environ)
        start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
        return [message.encode()]

    def _answer(self, environ: dict[str, Any]) -> tuple[str, str]:
        with self._lock:
            if self.unavailable > 0:
                self.unavailable -= 1
                return "503 Service Unavailable", "restarting, try again later"

        endpoint = self.endpoints.get(environ.get("PATH_INFO", ""))
        if endpoint is None:
            return "404 Not Found", "no webhook endpoint here"
        if environ.get("REQUEST_METHOD") != "POST":
            return "405 Method Not Allowed", "POST only"
        provider = get_provider(endpoint.provider)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        try:
            # The raw body, exactly as it arrived; stale timestamps fail the tolerance check.
            provider.verify(body, headers, self.secrets[provider.name], tolerance=self.tolerance)
        except SignatureError as exc:
            return "400 Bad Request", f"signature check failed: {exc}"
        try:
            payload = json.loads(body)
        except ValueError:
            return "400 Bad Request", "body is not JSON"
        if not isinstance(payload, dict):
            return "400 Bad Request", "body is not a JSON object"
        event_id = provider.delivery_id(payload, headers) or ""
        type = provider.detect(payload, headers) or str(payload.get("type"))
        with self._lock:
            if event_id in self._seen:
                return "200 OK", f"duplicate {event_id}: already processed"
            self._seen.add(event_id)
            if type not in endpoint.handled:
                return "200 OK", f"ignored {type}"
            self.handled.append((provider.name, type, event_id))
        return "200 OK", f"handled {type}"


class Check:
    """One row of the demo: a contract row, told in the reference receiver's terms."""

    def __init__(
        self, name: str, result: DeliveryResult, expected: str, passed: bool, got: str, row: Row
    ) -> None:
        self.name = name
        self.result = result
        self.expected = expected
        self.passed = passed
        self.got = got
        self.row = row

    def cells(self) -> tuple[str, str, str, str, str, str]:
        return self.row.cells(got=self.got)


class DemoRun:
    """Runs the demo contracts against a :class:`ReferenceReceiver` (or another WSGI ``app``).

    The contracts' ``handled: true`` means "the reference receiver processed this event exactly
    once"; their ``given:`` steps put the receiver in a state (``unavailable``, ``slow``).
    """

    def __init__(self, app: Callable[..., Iterable[bytes]] | None = None) -> None:
        self.reference = ReferenceReceiver()
        self.app = app or self.reference
        self.checks: list[Check] = []

    def handled_once(self, event: Event) -> bool:
        return self.reference.times_handled(event.id) == 1

    def _unavailable(self, times: int) -> None:
        self.reference.unavailable = int(times)

    def _slow(self, seconds: float) -> None:
        self.reference.slow = float(seconds)

    def run(self) -> list[Check]:
        steps = {"unavailable": self._unavailable, "slow": self._slow}
        for path in contract_paths():
            report = run_contract(self.app, str(path), handled=self.handled_once, given=steps)
            self.checks.extend(self._check(row) for row in report.rows)
        return self.checks

    def _check(self, row: Row) -> Check:
        got = attempts_text(row.result)
        if row.delivery.expect.handled is not None:
            times = self.reference.times_handled(row.result.event.id)
            got += ", " + {0: "not handled", 1: "handled once"}.get(times, f"handled {times}x")
        return Check(row.delivery.label, row.result, row.expected, row.ok, got, row)

    def close(self) -> None:
        """Nothing to release: each contract run closes its own receiver."""


def contract_paths() -> list[Traversable]:
    return [e.contract for e in endpoints()]


def render(checks: list[Check]) -> str:
    return table([c.cells() for c in checks])


def main(stdout: TextIO | None = None) -> int:
    """Run the demo, print the report; 0 when every expectation held, 1 otherwise."""
    out = stdout if stdout is not None else sys.stdout
    out.write(
        f"hookmock demo: delivering signed {_titles()} events to a built-in reference\n"
        "receiver (in-process WSGI app: verifies signatures, rejects stale timestamps,\n"
        "deduplicates, answers 2xx to types it ignores). The plan is data:\n"
        + "".join(f"  {p}\n" for p in contract_paths())
        + "\n"
    )
    demo = DemoRun()
    try:
        checks = demo.run()
    finally:
        demo.close()
    out.write(render(checks) + "\n\n")
    failed = [c for c in checks if not c.passed]
    if failed:
        out.write(f"{len(failed)} of {len(checks)} checks FAILED:\n")
        for c in failed:
            out.write(c.row.explain() + "\n")
        return 1
    out.write(
        f"All {len(checks)} checks passed. Point hookmock at your own receiver with a contract\n"
        "like the demo's, written for your endpoint:\n"
        '  hookmock.run_contract(app, "webhooks.yaml", handled=...).assert_ok()   in a test\n'
        "  hookmock contract webhooks.yaml --app myapp:app --secret ...           from a shell\n"
        f"or send one event: hookmock send https://... {_example()} --secret ...\n"
    )
    return 0


def _titles() -> str:
    titles = [get_provider(e.provider).title or e.provider for e in endpoints()]
    return " and ".join([", ".join(titles[:-1]), titles[-1]] if len(titles) > 1 else titles)


def _example() -> str:
    first = endpoints()[0]
    return f"{first.provider} {first.example_type}"
