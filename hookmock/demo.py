"""``hookmock demo``: a built-in reference receiver, and a run that delivers hookmock's events to it.

The receiver is what a careful webhook endpoint does (verify the signature on the raw body, reject
stale timestamps, deduplicate, answer 2xx to types it ignores); the run shows, in one table, that
each of those behaviours holds. No configuration, network or secrets needed.
"""

from __future__ import annotations

import json
import threading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any, TextIO

    from .delivery import DeliveryResult, Receiver

STRIPE_SECRET = "whsec_hookmock_demo"
GITHUB_SECRET = "hookmock-demo-secret"
#: The demo's events are the same every run.
SEED = 2026
STALE = 3600

HANDLED = {
    "stripe": frozenset(
        {
            "payment_intent.succeeded",
            "payment_intent.payment_failed",
            "checkout.session.completed",
            "invoice.paid",
            "invoice.payment_failed",
            "customer.subscription.deleted",
            "charge.refunded",
        }
    ),
    "github": frozenset(
        {"push", "pull_request.opened", "pull_request.closed", "issues.opened", "ping"}
    ),
}


class ReferenceReceiver:
    """A plain WSGI app that receives Stripe at ``/webhooks/stripe`` and GitHub at
    ``/webhooks/github`` the way the providers advise.

    - 503 while ``unavailable`` is above zero (a restart), so that retries have work to do;
    - 400 when the signature is missing, wrong, or (Stripe) older than 5 minutes;
    - 200 for a duplicate (same Stripe event id / GitHub delivery GUID), without handling it again;
    - 200 for a type it does not handle;
    - 200 after "handling" the types in :data:`HANDLED` (recorded in ``handled``).
    """

    def __init__(
        self,
        *,
        stripe_secret: str = STRIPE_SECRET,
        github_secret: str = GITHUB_SECRET,
        tolerance: int = 300,
    ) -> None:
        self.secrets = {"stripe": stripe_secret, "github": github_secret}
        self.tolerance = tolerance
        self.handled: list[tuple[str, str, str]] = []
        #: Answer 503 to this many next requests, as a receiver does while it restarts.
        self.unavailable = 0
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def times_handled(self, event_id: str) -> int:
        with self._lock:
            return sum(1 for _, _, eid in self.handled if eid == event_id)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        status, message = self._answer(environ)
        start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
        return [message.encode()]

    def _answer(self, environ: dict[str, Any]) -> tuple[str, str]:
        from . import _signing
        from ._errors import SignatureError

        with self._lock:
            if self.unavailable > 0:
                self.unavailable -= 1
                return "503 Service Unavailable", "restarting, try again later"

        provider = {"/webhooks/stripe": "stripe", "/webhooks/github": "github"}.get(
            environ.get("PATH_INFO", "")
        )
        if provider is None:
            return "404 Not Found", "no webhook endpoint here"
        if environ.get("REQUEST_METHOD") != "POST":
            return "405 Method Not Allowed", "POST only"
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        try:
            if provider == "stripe":
                # The raw body, exactly as it arrived; stale timestamps fail the tolerance check.
                _signing.stripe_verify(
                    body,
                    _signing.header(headers, "Stripe-Signature"),
                    self.secrets["stripe"],
                    tolerance=self.tolerance,
                )
            else:
                _signing.github_verify(body, headers, self.secrets["github"])
        except SignatureError as exc:
            return "400 Bad Request", f"signature check failed: {exc}"
        try:
            payload = json.loads(body)
        except ValueError:
            return "400 Bad Request", "body is not JSON"
        if provider == "stripe":
            event_id, type = str(payload.get("id")), str(payload.get("type"))
        else:
            event_id = _signing.header(headers, "X-GitHub-Delivery") or ""
            name = _signing.header(headers, "X-GitHub-Event") or ""
            action = payload.get("action")
            type = f"{name}.{action}" if isinstance(action, str) else name
        with self._lock:
            if event_id in self._seen:
                return "200 OK", f"duplicate {event_id}: already processed"
            self._seen.add(event_id)
            if type not in HANDLED[provider]:
                return "200 OK", f"ignored {type}"
            self.handled.append((provider, type, event_id))
        return "200 OK", f"handled {type}"


class Check:
    """One expectation of the demo run and what actually happened."""

    def __init__(
        self, name: str, result: DeliveryResult, expected: str, passed: bool, got: str
    ) -> None:
        self.name = name
        self.result = result
        self.expected = expected
        self.passed = passed
        self.got = got

    def cells(self) -> tuple[str, str, str, str, str, str]:
        from .delivery._result import format_ms

        r = self.result
        return (
            self.name,
            f"{r.event.provider} {r.event.type}",
            self.expected,
            self.got,
            format_ms(r.elapsed),
            "ok" if self.passed else "FAILED",
        )


class DemoRun:
    """Delivers the demo's events to a :class:`ReferenceReceiver` and records each check."""

    def __init__(self, app: Callable[..., Iterable[bytes]] | None = None) -> None:
        import hookmock

        self.reference = ReferenceReceiver()
        self.app = app or self.reference
        self.checks: list[Check] = []
        self.receivers: dict[str, Receiver] = {
            "stripe": hookmock.receiver(
                self.app,
                path="/webhooks/stripe",
                provider="stripe",
                secret=STRIPE_SECRET,
                seed=SEED,
            ),
            "github": hookmock.receiver(
                self.app,
                path="/webhooks/github",
                provider="github",
                secret=GITHUB_SECRET,
                seed=SEED,
            ),
        }

    def _record(self, name: str, result: DeliveryResult, expected: str, times: int) -> None:
        """Record a check: ``expected`` names a 2xx or a 400, ``times`` how often it is handled."""
        from .delivery._result import format_virtual

        handled = self.reference.times_handled(result.event.id)
        status_ok = result.ok if expected.startswith("2xx") else result.status == 400
        statuses = ", ".join(str(a.status) for a in result.attempts)
        if len(result.attempts) > 1:
            statuses += f" (last at {format_virtual(result.attempts[-1].at)})"
        said = {0: "not handled", 1: "handled once"}.get(handled, f"handled {handled}x")
        passed = status_ok and handled == times
        self.checks.append(Check(name, result, expected, passed, f"{statuses}, {said}"))

    def handled_once(self, provider: str, type: str, **kwargs: Any) -> DeliveryResult:
        result = self.receivers[provider].send(type, **kwargs)
        self._record("handled", result, "2xx, handled once", 1)
        return result

    def run(self) -> list[Check]:
        import time

        import hookmock

        stripe, github = self.receivers["stripe"], self.receivers["github"]
        paid = self.handled_once("stripe", "payment_intent.succeeded")
        for type in sorted(HANDLED["stripe"] - {"payment_intent.succeeded"}):
            self.handled_once("stripe", type)
        pushed = self.handled_once("github", "push")
        for type in ("pull_request.opened", "issues.opened"):
            self.handled_once("github", type)
        self.handled_once("github", "pull_request.closed", traits="merged")

        for provider, type in (("stripe", "product.created"), ("github", "star.created")):
            self._record("unknown type", self.receivers[provider].send(type), "2xx, ignored", 0)

        for provider, type in (("stripe", "invoice.paid"), ("github", "push")):
            r = self.receivers[provider].send(type, secret="wrong-secret")
            self._record("bad signature", r, "400", 0)
        r = github.send("push", headers={"X-Hub-Signature-256": None, "X-Hub-Signature": None})
        self._record("no signature", r, "400", 0)
        r = stripe.send("payment_intent.succeeded", timestamp=int(time.time()) - STALE)
        self._record("stale timestamp", r, "400", 0)

        # The same event again (same id / same delivery GUID), as providers do on a retry.
        for again in stripe.replay([paid]) + github.replay([pushed]):
            self._record("duplicate", again, "2xx, not handled twice", 1)

        # Stripe retries failures with backoff; on hookmock's virtual clock nothing really waits.
        with hookmock.receiver(
            self.app, path="/webhooks/stripe", secret=STRIPE_SECRET, seed=SEED + 1, retries=True
        ) as retrying:
            self.reference.unavailable = 2
            r = retrying.send("invoice.paid")
        self._record("retried", r, "2xx after 2 retries", 1)
        self.checks[-1].passed &= [a.status for a in r.attempts] == [503, 503, 200]

        # A handler slower than the provider's timeout is a failed delivery (GitHub waits 10 s;
        # the demo waits 0.1 s for a handler that takes 0.3 s).
        with hookmock.receiver(
            slow(self.app, 0.3),
            path="/webhooks/github",
            provider="github",
            secret=GITHUB_SECRET,
            seed=SEED + 2,
            timeout=0.1,
        ) as impatient:
            r = impatient.send("ping")
        self.checks.append(
            Check(
                "slow handler",
                r,
                "timeout",
                r.timed_out,
                "timed out" if r.timed_out else str(r.status),
            )
        )

        batch = ["invoice.paid", "payment_intent.succeeded", "customer.subscription.deleted"]
        for result in stripe.send_many(batch, order="shuffled", concurrency=3):
            self._record("out of order", result, "2xx, handled once", 1)
        return self.checks

    def close(self) -> None:
        for receiver in self.receivers.values():
            receiver.close()


def slow(app: Callable[..., Iterable[bytes]], seconds: float) -> Callable[..., Iterable[bytes]]:
    """Wrap a WSGI app so that every request takes ``seconds`` longer."""
    import time

    def wrapper(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        time.sleep(seconds)
        return app(environ, start_response)

    return wrapper


def render(checks: list[Check]) -> str:
    header = ("check", "event", "expected", "got", "time", "result")
    rows = [header, *(c.cells() for c in checks)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join(
        [line(header), line(tuple("-" * w for w in widths)), *(line(r) for r in rows[1:])]
    )


def main(stdout: TextIO | None = None) -> int:
    """Run the demo, print the report; 0 when every expectation held, 1 otherwise."""
    import sys

    out = stdout if stdout is not None else sys.stdout
    out.write(
        "hookmock demo: delivering signed Stripe and GitHub events to a built-in reference\n"
        "receiver (in-process WSGI app: verifies signatures, rejects stale timestamps,\n"
        "deduplicates, answers 2xx to types it ignores).\n\n"
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
            out.write(c.result.explain(f"expected {c.expected}") + "\n")
        return 1
    out.write(
        f"All {len(checks)} checks passed. Point hookmock at your own receiver with\n"
        "  hookmock.receiver(app, path=..., provider=..., secret=...) in a test, or\n"
        "  hookmock send https://... stripe payment_intent.succeeded --secret ... from a shell.\n"
    )
    return 0
