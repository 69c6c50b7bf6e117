"""No module of hookmock/ outside a provider's own package names a built-in provider (issue 9).

A provider's knowledge reaches the core only through the Provider interface, so adding one means
adding its package and data. Docstrings and comments count too; tests and docs are exempt.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import hookmock
from hookmock.providers import BUILTIN

PACKAGE = Path(__file__).resolve().parent.parent / "hookmock"

#: hookmock/providers/__init__.py is the built-ins' table (module:Class specs, the default
#: provider, the CLI's examples): the one place that names them, as an entry-point list does.
PROVIDER_TABLE = "providers/__init__.py"

#: Lines that may still name a provider, by file: each says why. Files other helpers own are
#: listed until their owners clean them (the integrator empties this at integration).
ALLOWED: dict[str, str] = {
    # "GitHub Actions" is the CI system whose ::error annotations --format github prints: a
    # public format name, not the webhook provider.
    "_reporters.py": r"GitHub Actions|\"github\"|class GithubReporter|GithubReporter",
    # Public facade typing: hookmock.stripe / hookmock.github are typed attributes and listed in
    # __all__; type checkers cannot see through the module's __getattr__, which serves them (and
    # any other built-in) by name at run time.
    "__init__.py": r"from \.providers\.(github|stripe) import|^\s*(stripe|github): |^\s*\"(stripe|github)\",$",
    # Public facade typing, likewise: hookmock.signing re-exports each built-in's documented
    # scheme helpers (stripe_header, github_verify ...); __getattr__ finds them by prefix.
    "signing.py": r"from \.providers\.(github|stripe)\._signing import|^\s*\"(stripe|github)_\w+\",$",
    # The webhook-signature v1 scheme is a published specification (Standard Webhooks) that the
    # standard provider and every openapi_provider sign with: a core scheme like HMAC, named.
    "_signing.py": r"Standard Webhooks",
}


def _allowed(rel: str) -> str | None:
    """The allow-list pattern for ``rel``: keys ending in ``/`` are folders, others files."""
    for key, pattern in ALLOWED.items():
        if rel == key or (key.endswith("/") and rel.startswith(key)):
            return pattern
    return None


def _offending_lines() -> list[str]:
    # Titles, not registry names: "standard" is also an English word ("standard library"),
    # "Standard Webhooks" is the provider.
    titles = [hookmock.provider(name).title for name in BUILTIN]
    names = re.compile("|".join(re.escape(t) for t in titles), re.IGNORECASE)
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        parts = rel.split("/")
        if parts[0] == "providers" and (len(parts) > 2 or rel == PROVIDER_TABLE):
            continue
        allowed = _allowed(rel)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if names.search(line) and not (allowed and re.search(allowed, line)):
                found.append(f"hookmock/{rel}:{number}: {line.strip()}")
    return found


def test_no_module_outside_a_provider_package_names_a_built_in_provider():
    assert BUILTIN, "the built-in table is empty: the test would check nothing"
    offending = _offending_lines()
    assert offending == [], "provider names outside their packages:\n" + "\n".join(offending)


def test_the_check_finds_a_provider_named_in_a_core_module(tmp_path, monkeypatch):
    core = tmp_path / "hookmock"
    (core / "delivery").mkdir(parents=True)
    (core / "delivery" / "_x.py").write_text('"""Retries like Stripe."""\n', encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", core)
    assert _offending_lines() == ['hookmock/delivery/_x.py:1: """Retries like Stripe."""']
