"""Compile hookmock's schemas and catalogs from the providers' own pinned descriptions.

    python tools/refresh.py                  # regenerate the committed schemas/ and fixtures/
    python tools/refresh.py --check          # exit 1 and list the files that differ
    python tools/refresh.py --out DIR        # write into DIR instead (say build/refresh)
    python tools/refresh.py --offline        # use .cache/refresh/ only

Sources (pinned in tools/pins.toml, fetched from PyPI and npm, verified by sha256):
GitHub's webhook OpenAPI descriptions (`@octokit/openapi-webhooks`: api.github.com's, plus the
pairs only the newest GHES description has) relaxed to accept the payloads GitHub documented
(`@octokit/webhooks-examples`; `-v` lists what that changed), stripe-python's typed
resource classes and event lists, and the npm `stripe` package's type declarations. Hand
corrections live in tools/corrections/<provider>.yaml, each with a reason and evidence.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent))

from refresh_lib import corrections, github, output, sources, stripe
from refresh_lib.sources import RefreshError

TOOLS = Path(__file__).resolve().parent
REPO = TOOLS.parent

EPILOG = """\
bumping a pin:
  1. In tools/pins.toml change the pin's `version` and `file` (the artifact's name on PyPI or
     npm; for stripe-node, pick the release whose apiVersion equals stripe-python's
     stripe.api_version) and set `sha256 = ""`.
  2. Run `python tools/refresh.py`. It downloads the artifact, prints its sha256 and stops.
     Write the hash into the pin and run again.
  3. Fix or delete any correction the run reports as no longer applying, review the diff of the
     output, and commit the pins, the corrections and the output together.

exit codes: 0 ok, 1 --check found differences, 2 a pin, download or correction problem.
"""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="refresh.py",
        description=(
            "Compile schemas/<provider>/ and fixtures/<provider>/ catalogs from the pinned "
            "upstream descriptions in tools/pins.toml."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO,
        help="folder to write schemas/ and fixtures/ into (default: the repository itself)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 listing the files under --out that differ from the compiled ones",
    )
    parser.add_argument("--offline", action="store_true", help="use the download cache only")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print notes on what the sources left open"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=REPO / ".cache" / "refresh",
        help="download cache (default: .cache/refresh)",
    )
    parser.add_argument("--pins", type=Path, default=TOOLS / "pins.toml", help=argparse.SUPPRESS)
    parser.add_argument(
        "--corrections", type=Path, default=TOOLS / "corrections", help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="also check every schema against the 2020-12 metaschema, resolve every $ref "
        "and validate the examples shipped upstream",
    )
    return parser.parse_args(argv)


def build(args: argparse.Namespace, err: TextIO) -> tuple[output.Tree, dict[str, object]]:
    pins = sources.load_pins(args.pins)
    for required in ("github", "github-examples", "stripe-python", "stripe-node"):
        if required not in pins:
            raise RefreshError(f"{args.pins} has no [{required}] pin")
    tree = output.Tree()
    gh_archive = sources.open_pin(pins["github"], args.cache, offline=args.offline)
    ghes_member = pins["github"].extra.get("ghes_member") or github.newest_ghes(gh_archive)
    ghes = None
    if ghes_member is not None:
        ghes = (ghes_member, github.load(gh_archive, pins["github"], member=ghes_member))
    examples = github.compile_github(
        github.load(gh_archive, pins["github"]), pins["github"], tree, ghes
    )
    py_archive = sources.open_pin(pins["stripe-python"], args.cache, offline=args.offline)
    node_archive = sources.open_pin(pins["stripe-node"], args.cache, offline=args.offline)
    notes = stripe.compile_stripe(
        py_archive, pins["stripe-python"], node_archive, pins["stripe-node"], tree
    )
    if args.verbose:
        for line in notes:
            print(f"note: {line}", file=err)
    for provider in ("github", "stripe"):
        corrections.apply(tree, corrections.load(args.corrections / f"{provider}.yaml"))
    # After the corrections: the documented payloads are walked against the corrected schemas.
    examples_archive = sources.open_pin(pins["github-examples"], args.cache, offline=args.offline)
    report = github.relax_to_examples(tree, examples_archive, pins["github-examples"])
    if args.verbose:
        for line in report.notes():
            print(f"note: {line}", file=err)
    return tree, {f"github/{name}": value for name, value in examples.items()}


def main(
    argv: Sequence[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    try:
        tree, examples = build(args, err)
        if args.verify:
            from refresh_lib import verify

            problems = verify.verify(tree, examples)
            for problem in problems:
                print(f"verify: {problem}", file=err)
            if problems:
                print(f"{len(problems)} verification problems", file=err)
                return 2
    except RefreshError as exc:
        print(f"refresh: {exc}", file=err)
        return 2
    if args.check:
        diffs = output.differences(args.out, tree)
        for line in diffs:
            print(line, file=out)
        if diffs:
            print(
                f"{len(diffs)} files under {args.out} differ from the pinned sources; "
                "run `python tools/refresh.py` to regenerate them",
                file=err,
            )
            return 1
        print(f"{len(tree.files)} files up to date under {args.out}", file=out)
        return 0
    written, removed = output.write(args.out, tree)
    elapsed = time.monotonic() - started
    print(
        f"{len(tree.files)} files compiled into {args.out} "
        f"({written} written, {removed} stale removed) in {elapsed:.1f}s",
        file=out,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
