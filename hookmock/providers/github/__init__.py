"""The GitHub provider: ``hookmock.github.event("pull_request.opened", seed=7)``."""

from __future__ import annotations

from ._provider import GitHubProvider

__all__ = ["GitHubProvider"]
