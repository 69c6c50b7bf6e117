"""Measure: which GitHub types ``hookmock validate`` tells from a captured body alone.

GitHub names the event in ``X-GitHub-Event``, not in the body; without that header hookmock
detects the type from the body (``hookmock/providers/github/_detect.py``). This generates every
GitHub type over a few seeds (and with an App's ``installation`` block), drops the headers, and
counts per type: told (detected as itself), untold (not detected: skipped, with a message asking
for the sidecar) and wrong (detected as another type, the one outcome that must never happen).
It does the same for GitHub's documented examples when the pinned package is in
``.cache/refresh/`` (run ``python tools/refresh.py`` once).

Run from a checkout:  python benchmarks/bench_github_detect.py [--seeds 3] [--per-type]
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))


def documented() -> list[tuple[str, dict[str, Any]]]:
    """(event, payload) of every example in the pinned ``@octokit/webhooks-examples``."""
    from refresh_lib import sources

    pin = sources.load_pins(REPO / "tools" / "pins.toml")["github-examples"]
    cached = REPO / ".cache" / "refresh" / pin.file
    if not cached.exists():
        return []
    found: list[tuple[str, dict[str, Any]]] = []
    with tarfile.open(cached) as tf:
        for member in sorted(tf.getmembers(), key=lambda m: m.name):
            handle = tf.extractfile(member) if member.name.endswith("/index.json") else None
            if handle is None:
                continue
            for entry in json.load(handle):
                found.extend((entry["name"], payload) for payload in entry["examples"])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="seeds per type (default 3)")
    parser.add_argument("--per-type", action="store_true", help="list every type not always told")
    opts = parser.parse_args()

    import hookmock
    from hookmock.providers.github._detect import detect

    types = hookmock.github.types()
    outcome: dict[str, collections.Counter[str]] = {t: collections.Counter() for t in types}
    wrong: dict[str, set[str]] = collections.defaultdict(set)
    spent, calls = 0.0, 0
    for type in types:
        for seed in range(1, opts.seeds + 1):
            # The last seed is an App's delivery: an installation block changes some shapes.
            options = {"with_installation": True} if seed == opts.seeds > 1 else {}
            body = hookmock.github.event(type, seed=seed, **options).body
            payload = json.loads(body)
            start = time.perf_counter()
            got = detect(payload, None)
            spent += time.perf_counter() - start
            calls += 1
            if got == type:
                outcome[type]["told"] += 1
            elif got is None:
                outcome[type]["untold"] += 1
            else:
                outcome[type]["wrong"] += 1
                wrong[type].add(got)

    always = sum(1 for c in outcome.values() if c["told"] == opts.seeds)
    never = sum(1 for c in outcome.values() if c["untold"] == opts.seeds)
    mixed = len(types) - always - never - len(wrong)
    print(f"{len(types)} GitHub types x {opts.seeds} seeds, headers dropped:")
    print(f"  told always      {always:4d}")
    print(f"  told sometimes   {mixed:4d}")
    print(f"  never told       {never:4d}")
    print(f"  wrong at least once {len(wrong):4d}")
    for type, got in sorted(wrong.items()):
        print(f"    WRONG {type} -> {', '.join(sorted(got))}")
    print(f"  detection: {spent / calls * 1e6:.0f} us a body on average ({calls} bodies)")
    if opts.per_type:
        for type, counts in outcome.items():
            if counts["told"] != opts.seeds:
                print(f"    {type}: {dict(counts)}")

    examples = documented()
    if examples:
        tally: collections.Counter[str] = collections.Counter()
        for event, payload in examples:
            got = detect(payload, None)
            if got is None:
                tally["untold"] += 1
            elif got.partition(".")[0] == event:
                tally["told"] += 1
            else:
                tally["wrong"] += 1
                print(f"    WRONG documented {event} ({payload.get('action')}) -> {got}")
        print(f"{len(examples)} documented examples: {dict(sorted(tally.items()))}")
    else:
        print("documented examples: not cached (python tools/refresh.py fetches them)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
