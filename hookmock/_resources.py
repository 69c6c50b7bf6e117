"""Where data lives: one lookup, ``importlib.resources.files(package)``, in every layout.

hookmock's own ``schemas/`` and ``fixtures/`` sit at the repository's top level and are reached
from the package through the committed symlinks ``hookmock/_data/schemas`` and
``hookmock/_data/fixtures``; a wheel (built from the checkout or the sdist) carries them there as
real files. A checkout, an editable install and a wheel therefore read the same place, and
nothing probes for a layout. A third-party provider's data lives in its own package
(``Provider.data_package``), under ``schemas/<name>/`` and ``fixtures/<name>/``.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path

from ._errors import ArgumentTypeError, ConfigurationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from importlib.abc import Traversable

#: The folders a package's data is split into.
KINDS = ("schemas", "fixtures")


@functools.cache
def data_root() -> Path:
    """hookmock's own data folder, holding ``schemas/`` and ``fixtures/``."""
    return Path(__file__).resolve().parent / "_data"


def schemas_dir() -> Path:
    return data_root() / "schemas"


def fixtures_dir() -> Path:
    return data_root() / "fixtures"


def package_root(package: str) -> Traversable:
    """The data root of ``package``: hookmock's ``_data`` folder, or a package's own folder."""
    if not package or package == "hookmock":
        return data_root()

    try:
        return files(package)
    except (ModuleNotFoundError, TypeError) as exc:
        raise ConfigurationError(
            f"A provider's data_package names {package!r}, which cannot be imported ({exc})."
            " Set data_package to the importable package that ships its schemas/ folder."
        ) from None


def data_dir(package: str, kind: str, name: str) -> Traversable:
    """``<kind>/<name>`` inside ``package``'s data root (``kind``: schemas or fixtures)."""
    if kind not in KINDS:
        raise ArgumentTypeError(f"data kind is one of {', '.join(KINDS)}; got {kind!r}.")
    return package_root(package) / kind / name


def walk_files(root: Traversable, suffix: str) -> Iterator[tuple[str, Traversable]]:
    """``(relative posix path, file)`` for every file under ``root`` ending in ``suffix``, in a
    stable order; nothing when ``root`` is no folder."""
    if not root.is_dir():
        return
    for child in sorted(root.iterdir(), key=lambda c: c.name):
        if child.is_dir():
            for rel, found in walk_files(child, suffix):
                yield f"{child.name}/{rel}", found
        elif child.name.endswith(suffix):
            yield child.name, child
