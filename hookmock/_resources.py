"""Where hookmock's data lives: ``schemas/`` and ``fixtures/``, in a wheel or a source checkout."""

from __future__ import annotations

import functools
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def data_root() -> Path:
    """The folder holding ``schemas/`` and ``fixtures/``.

    A wheel carries them inside the package as ``hookmock/_data``; a source checkout (and an
    editable install) has them at the repository's top level.
    """
    bundled = _PACKAGE / "_data"
    if (bundled / "schemas").is_dir():
        return bundled
    checkout = _PACKAGE.parent
    if (checkout / "schemas").is_dir():
        return checkout
    from ._errors import ConfigurationError

    raise ConfigurationError(
        f"hookmock's data files are missing: neither {bundled}/schemas nor {checkout}/schemas"
        " exists. Reinstall hookmock (pip install --force-reinstall hookmock)."
    )


def schemas_dir() -> Path:
    return data_root() / "schemas"


def fixtures_dir() -> Path:
    return data_root() / "fixtures"
