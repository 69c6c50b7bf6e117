"""``python -m hookmock``: the same as the ``hookmock`` command."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
