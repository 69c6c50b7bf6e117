"""Generate every compiled type over many seeds and check it the way receivers would.

    python tools/check_generated.py [--seeds 20] [--only stripe|github] [--show 3] [--root DIR]

For each type in the committed catalogs (or those under --root, such as a refresh written to
build/refresh) and each seed, the payload made by hookmock's schema
generator (with fixtures/<provider>/pools.yaml and rules.yaml) must:

- validate against its compiled schema (jsonschema_rs; the reason from jsonschema when not);
- Stripe snapshot events: pass ``stripe.Webhook.construct_event`` signed with
  ``hookmock.sign("stripe", ...)`` and become the typed class the catalog names;
- Stripe thin events: the notification passes ``StripeClient.parse_event_notification``, and the
  full event (``fetch_event()``'s answer) validates against its own schema;
- GitHub: ``githubkit.webhooks.parse(event, body)`` accepts it.

Prints pass/fail counts per check and the commonest failure reasons. Exit 1 if anything failed.
tests/test_stripe_catalog.py and test_stripe_thin.py check the same through the provider.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from hookmock._provider import BuildContext  # noqa: E402
from hookmock._seeding import derive_seed, faker_for  # noqa: E402
from hookmock.generator import BASE_URI, SchemaGenerator  # noqa: E402

SECRET = "whsec_hookmock_check_generated"


class Tally:
    def __init__(self) -> None:
        self.passed: collections.Counter[str] = collections.Counter()
        self.failed: collections.Counter[str] = collections.Counter()
        self.reasons: dict[str, collections.Counter[str]] = collections.defaultdict(
            collections.Counter
        )
        self.examples: dict[tuple[str, str], str] = {}
        self.types_failed: dict[str, set[str]] = collections.defaultdict(set)

    def ok(self, check: str) -> None:
        self.passed[check] += 1

    def bad(self, check: str, type_: str, reason: str) -> None:
        self.failed[check] += 1
        short = re.sub(r"\d+", "N", reason.splitlines()[0])[:150]
        self.reasons[check][short] += 1
        self.examples.setdefault((check, short), type_)
        self.types_failed[check].add(type_)


def ctx_for(type_: str, seed: int) -> BuildContext:
    return BuildContext(
        type=type_,
        seed=seed,
        faker=faker_for(derive_seed(seed, type_)),
        traits=frozenset(),
        options={},
        overrides={},
    )


def validator(docs: dict[str, Any], uri: str) -> tuple[Any, Any]:
    import jsonschema_rs
    from jsonschema import Draft202012Validator

    from hookmock.generator._schemas import registry_of

    cache = validator.cache  # type: ignore[attr-defined]
    if "slow" not in cache:
        cache["slow"] = registry_of(docs)
        # jsonschema_rs refuses some of Stripe's file names ("[...]" in a URI): leave those to
        # jsonschema.
        usable = [(u, d) for u, d in docs.items() if "[" not in u]
        cache["fast"] = jsonschema_rs.Registry(usable)
    try:
        fast = jsonschema_rs.validator_for(docs[uri], registry=cache["fast"])
    except Exception:
        fast = None
    slow = Draft202012Validator(docs[uri], registry=cache["slow"])
    return fast, slow


validator.cache = {}  # type: ignore[attr-defined]


def check_schema(tally: Tally, check: str, type_: str, payload: Any, fast: Any, slow: Any) -> bool:
    if (fast or slow).is_valid(payload):
        tally.ok(check)
        return True
    err = next(iter(slow.iter_errors(payload)), None)
    where = "/".join(str(p) for p in err.absolute_path) if err is not None else "?"
    tally.bad(check, type_, f"{where}: {err.message if err is not None else 'invalid'}")
    return False


def run_github(root: Path, seeds: int, tally: Tally) -> None:
    from githubkit import webhooks

    from hookmock.generator._schemas import load_folder

    catalog = json.loads((root / "fixtures/github/webhooks.json").read_text())
    docs = load_folder(root / "schemas")
    gen = SchemaGenerator.from_folder(
        root / "schemas",
        pools=REPO / "fixtures/github/pools.yaml",
        rules=REPO / "fixtures/github/rules.yaml",
    )
    validator.cache.clear()  # type: ignore[attr-defined]
    gh_docs = {u: d for u, d in docs.items() if "/github/" in u}
    for type_, entry in sorted(catalog["types"].items()):
        uri = BASE_URI + entry["schema"]
        fast, slow = validator(gh_docs, uri)
        for seed in range(seeds):
            try:
                payload = gen.generate(uri, ctx_for(type_, seed), type=type_)
            except Exception as exc:
                tally.bad("github generate", type_, f"{type(exc).__name__}: {exc}")
                continue
            tally.ok("github generate")
            check_schema(tally, "github schema", type_, payload, fast, slow)
            body = json.dumps(payload).encode()
            try:
                webhooks.parse(entry["event"], body)
            except Exception as exc:
                tally.bad("github githubkit.parse", type_, _pydantic_reason(exc))
            else:
                tally.ok("github githubkit.parse")


def _pydantic_reason(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            first = errors()[0]
            loc = ".".join(str(p) for p in first.get("loc", ()) if not str(p).startswith("Webhook"))
            return f"{type(exc).__name__}: {loc}: {first.get('msg')}"
        except Exception:
            pass
    return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


def run_stripe(root: Path, seeds: int, tally: Tally) -> None:
    import importlib

    import stripe

    import hookmock
    from hookmock.generator._schemas import load_folder

    events = json.loads((root / "fixtures/stripe/snapshot-events.json").read_text())
    thin = json.loads((root / "fixtures/stripe/thin-events.json").read_text())
    docs = {u: d for u, d in load_folder(root / "schemas").items() if "/stripe/" in u}
    gen = SchemaGenerator.from_folder(
        root / "schemas",
        pools=REPO / "fixtures/stripe/pools.yaml",
        rules=REPO / "fixtures/stripe/rules.yaml",
    )
    validator.cache.clear()  # type: ignore[attr-defined]

    def python_class(name: str) -> Any:
        module, _, attr = name.partition(":")
        return getattr(importlib.import_module(module), attr)

    classes = {
        obj: python_class(spec["python_class"])
        for obj, spec in events["objects"].items()
        if spec.get("python_class")
    }
    for type_, entry in sorted(events["types"].items()):
        uri = BASE_URI + entry["schema"]
        fast, slow = validator(docs, uri)
        for seed in range(seeds):
            try:
                payload = gen.generate(uri, ctx_for(type_, seed), type=type_)
            except Exception as exc:
                tally.bad("stripe generate", type_, f"{type(exc).__name__}: {exc}")
                continue
            tally.ok("stripe generate")
            check_schema(tally, "stripe schema", type_, payload, fast, slow)
            body = json.dumps(payload, indent=2).encode()
            header = hookmock.sign("stripe", body, SECRET)["Stripe-Signature"]
            try:
                event = stripe.Webhook.construct_event(body, header, SECRET)
            except Exception as exc:
                tally.bad("stripe construct_event", type_, f"{type(exc).__name__}: {exc}")
                continue
            tally.ok("stripe construct_event")
            obj = event.data.object
            kind = payload["data"]["object"].get("object")
            want = classes.get(kind)
            if want is not None and not isinstance(obj, want):
                tally.bad(
                    "stripe typed object",
                    type_,
                    f"data.object is {type(obj).__name__}, not {want.__name__} ({kind})",
                )
            else:
                tally.ok("stripe typed object")
    client = stripe.StripeClient("sk_test_hookmock")
    for type_, entry in sorted(thin["types"].items()):
        note_uri = BASE_URI + entry["notification_schema"]
        event_uri = BASE_URI + entry["event_schema"]
        fast, slow = validator(docs, note_uri)
        efast, eslow = validator(docs, event_uri)
        for seed in range(seeds):
            try:
                note = gen.generate(note_uri, ctx_for(type_, seed), type=type_)
                full = gen.generate(event_uri, ctx_for(type_, seed), type=type_)
            except Exception as exc:
                tally.bad("stripe thin generate", type_, f"{type(exc).__name__}: {exc}")
                continue
            tally.ok("stripe thin generate")
            check_schema(tally, "stripe thin schema", type_, note, fast, slow)
            check_schema(tally, "stripe thin event schema", type_, full, efast, eslow)
            body = json.dumps(note, indent=2).encode()
            header = hookmock.sign("stripe", body, SECRET)["Stripe-Signature"]
            try:
                parsed = client.parse_event_notification(body, header, SECRET)
            except Exception as exc:
                tally.bad("stripe parse_event_notification", type_, f"{type(exc).__name__}: {exc}")
                continue
            if getattr(parsed, "type", None) != type_:
                tally.bad(
                    "stripe parse_event_notification",
                    type_,
                    f"parsed as {type(parsed).__name__} of type {getattr(parsed, 'type', None)!r}",
                )
            else:
                tally.ok("stripe parse_event_notification")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root", type=Path, default=REPO, help="folder holding schemas/ and fixtures/ (the repo)"
    )
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--only", choices=("stripe", "github"))
    parser.add_argument("--show", type=int, default=6, help="failure reasons shown per check")
    args = parser.parse_args(argv)
    if not (args.root / "schemas").is_dir():
        print(f"{args.root}/schemas is missing: run python tools/refresh.py --out {args.root}")
        return 2
    tally = Tally()
    started = time.monotonic()
    if args.only in (None, "github"):
        run_github(args.root, args.seeds, tally)
    if args.only in (None, "stripe"):
        run_stripe(args.root, args.seeds, tally)
    print(f"{args.seeds} seeds per type; {time.monotonic() - started:.0f}s")
    for check in sorted(set(tally.passed) | set(tally.failed)):
        ok, bad = tally.passed[check], tally.failed[check]
        types = len(tally.types_failed.get(check, ()))
        print(f"{check:36s} {ok:6d} pass {bad:6d} fail  ({types} types failing)")
        for reason, n in tally.reasons.get(check, collections.Counter()).most_common(args.show):
            print(f"    {n:5d}  {reason}  [e.g. {tally.examples[(check, reason)]}]")
    return 1 if sum(tally.failed.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
