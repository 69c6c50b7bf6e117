"""In-process delivery throughput: hookmock's receiver against the frameworks' own test clients.

Run: python benchmarks/bench_delivery.py [--events 2000] [--rounds 5]
Each side posts the same prebuilt Stripe events to the same trivial app. hookmock signs every
delivery (``Stripe-Signature`` computed per send, as it does for real); the test clients get the
body and headers ready-made. Figures are the best of ``--rounds``, measured in this same run.
Goal (issue 3): hookmock's time per event is at most 1.3x the raw test client's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import hookmock

SECRET = "whsec_bench"


def flask_app():
    import flask

    app = flask.Flask("bench")

    @app.post("/hook")
    def hook():
        flask.request.get_data()
        return "", 200

    return app


def starlette_app():
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    async def hook(request):
        await request.body()
        return Response(b"", 200)

    return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


def best_rate(run, events, rounds):
    """Events per second, best of ``rounds`` passes over ``events``."""
    best = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        run(events)
        best = max(best, len(events) / (time.perf_counter() - start))
    return best


def hookmock_runner(app, **options):
    receiver = hookmock.receiver(app, path="/hook", secret=SECRET, **options)

    def run(events):
        for ev in events:
            if receiver.send(ev).status != 200:
                raise SystemExit("hookmock delivery failed")

    return receiver, run


def flask_client_runner(app):
    client = app.test_client()

    def run(prepared):
        for body, headers in prepared:
            if client.post("/hook", data=body, headers=headers).status_code != 200:
                raise SystemExit("Flask test client delivery failed")

    return run


def starlette_client_runner(app):
    from starlette.testclient import TestClient

    client = TestClient(app)
    client.__enter__()  # lifespan once, like hookmock's receiver

    def run(prepared):
        for body, headers in prepared:
            if client.post("/hook", content=body, headers=headers).status_code != 200:
                raise SystemExit("Starlette TestClient delivery failed")

    return client, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    types = ["payment_intent.succeeded", "charge.succeeded", "invoice.paid", "customer.created"]
    events = [hookmock.stripe.event(types[i % len(types)], seed=i) for i in range(args.events)]
    prepared = [(ev.body, ev.headers(SECRET)) for ev in events]
    print(
        f"{len(events)} Stripe events, mean body {sum(len(e.body) for e in events) // len(events)} bytes"
    )
    print(f"{'target':<34} {'events/s':>10} {'us/event':>9}")

    rows = []

    def report(name, rate):
        rows.append((name, rate))
        print(f"{name:<34} {rate:>10,.0f} {1e6 / rate:>9.1f}")
        return rate

    fapp = flask_app()
    receiver, run = hookmock_runner(fapp)
    hm_flask = report("hookmock -> Flask (WSGI)", best_rate(run, events, args.rounds))
    receiver.close()
    receiver, run = hookmock_runner(fapp, timeout=False)
    report("  same, timeout=False (no thread)", best_rate(run, events, args.rounds))
    receiver.close()
    raw_flask = report(
        "Flask test_client, prebuilt body",
        best_rate(flask_client_runner(fapp), prepared, args.rounds),
    )

    sapp = starlette_app()
    receiver, run = hookmock_runner(sapp)
    hm_star = report("hookmock -> Starlette (ASGI)", best_rate(run, events, args.rounds))
    receiver.close()
    client, run = starlette_client_runner(sapp)
    raw_star = report("Starlette TestClient, prebuilt body", best_rate(run, prepared, args.rounds))
    client.__exit__(None, None, None)

    print()
    for name, hm, raw in (("Flask", hm_flask, raw_flask), ("Starlette", hm_star, raw_star)):
        ratio = raw / hm  # time per event, hookmock over the test client
        verdict = "ok" if ratio <= 1.3 else "over the 1.3x goal"
        print(f"{name}: hookmock takes {ratio:.2f}x the test client's time per event ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
