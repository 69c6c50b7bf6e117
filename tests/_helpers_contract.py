"""Helpers for the contract tests: write a contract file, and apps to run contracts against."""

from __future__ import annotations

import textwrap
from pathlib import Path

from hookmock.demo import GITHUB_SECRET, STRIPE_SECRET, ReferenceReceiver

__all__ = ["GITHUB_SECRET", "STRIPE_SECRET", "ReferenceReceiver", "make_app", "write"]


def write(folder: Path, text: str, name: str = "webhooks.yaml") -> Path:
    """Write a contract (dedented) to ``folder/name`` and return its path."""
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def make_app() -> ReferenceReceiver:
    """A factory for ``--app _helpers_contract:make_app()``: a fresh reference receiver."""
    return ReferenceReceiver()


#: ``--app _helpers_contract:app``
app = ReferenceReceiver()
