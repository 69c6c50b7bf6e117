"""Write the README's catalog table (event types per provider, by area) from the catalogs.

    python tools/readme_catalog.py            # rewrite the block between the markers
    python tools/readme_catalog.py --check    # exit 1 when the README's block is stale

The table sits between ``<!-- catalog:start -->`` and ``<!-- catalog:end -->`` in README.md.
It is generated, never typed: run this after ``python tools/refresh.py`` changes a catalog.
tests/test_readme.py fails when it is stale.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from hookmock._cli.catalog import summary_markdown  # noqa: E402

START, END = "<!-- catalog:start -->", "<!-- catalog:end -->"
#: The built-in providers with a catalog of their own (Standard Webhooks' types are the user's).
PROVIDERS = ("stripe", "github")


def rendered(readme: str) -> str:
    """``readme`` with its catalog block regenerated."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not (start and end):
        raise SystemExit(f"README.md needs the markers {START} and {END} around the table")
    return f"{head}{START}\n{summary_markdown(PROVIDERS)}{END}{tail}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="readme_catalog.py", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the README is stale")
    args = parser.parse_args(argv)
    path = REPO / "README.md"
    old = path.read_text(encoding="utf-8")
    new = rendered(old)
    if args.check:
        if new != old:
            print("README.md's catalog table is stale: run python tools/readme_catalog.py")
            return 1
        return 0
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
