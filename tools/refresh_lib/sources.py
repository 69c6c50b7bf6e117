"""Pinned upstream artifacts: read the pins, download from PyPI or npm, verify, cache, open."""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tarfile
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads the pins with tomli
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


PYPI_JSON = "https://pypi.org/pypi/{package}/json"
NPM_VERSION_JSON = "https://registry.npmjs.org/{package}/{version}"
TIMEOUT = 120


class RefreshError(Exception):
    """A problem the user has to fix: a bad pin, a hash mismatch, a correction that no longer applies."""


@dataclass(frozen=True)
class Pin:
    name: str
    registry: str
    package: str
    version: str
    file: str
    sha256: str
    extra: dict[str, str]


def load_pins(path: Path) -> dict[str, Pin]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pins: dict[str, Pin] = {}
    for name, entry in data.items():
        known = {"registry", "package", "version", "file", "sha256"}
        missing = sorted(known - set(entry))
        if missing:
            raise RefreshError(f"{path}: pin [{name}] lacks {', '.join(missing)}")
        if entry["registry"] not in ("pypi", "npm"):
            raise RefreshError(
                f"{path}: pin [{name}] has registry {entry['registry']!r}; use pypi or npm"
            )
        pins[name] = Pin(
            name=name,
            registry=entry["registry"],
            package=entry["package"],
            version=entry["version"],
            file=entry["file"],
            sha256=entry["sha256"].lower(),
            extra={k: str(v) for k, v in entry.items() if k not in known},
        )
    return pins


def _get_json(url: str) -> object:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return json.load(response)


def _download_url(pin: Pin) -> str:
    """Ask the registry's JSON API where the pinned artifact lives, as pip and npm do."""
    if pin.registry == "npm":
        quoted = pin.package.replace("/", "%2f")
        api = NPM_VERSION_JSON.format(package=quoted, version=pin.version)
        meta = _get_json(api)
        if not isinstance(meta, dict) or "dist" not in meta:
            raise RefreshError(f"npm has no {pin.package}@{pin.version}")
        url = str(meta["dist"]["tarball"])
        if not url.endswith("/" + pin.file):
            raise RefreshError(
                f"npm serves {pin.package}@{pin.version} as {url}, not {pin.file}; fix `file` in the pin"
            )
        return url
    api = PYPI_JSON.format(package=pin.package)
    meta = _get_json(api)
    releases = meta.get("releases", {}) if isinstance(meta, dict) else {}
    for entry in releases.get(pin.version, []):
        if entry["filename"] == pin.file:
            return urllib.parse.urljoin(api, str(entry["url"]))
    raise RefreshError(f"PyPI has no file {pin.file} for {pin.package}=={pin.version}")


def fetch(pin: Pin, cache: Path, *, offline: bool) -> bytes:
    """The pinned artifact's bytes, from the cache or the registry, checked against the pin's sha256."""
    cached = cache / pin.file
    if cached.exists():
        data = cached.read_bytes()
    elif offline:
        raise RefreshError(f"--offline: {cached} is not cached; run once without --offline")
    else:
        try:
            url = _download_url(pin)
            with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
                data = response.read()
        except OSError as exc:  # urllib.error.URLError and timeouts are OSErrors
            raise RefreshError(
                f"cannot download {pin.package} {pin.version} from {pin.registry}: {exc}; "
                "with a filled cache, --offline works without the network"
            ) from exc
    digest = hashlib.sha256(data).hexdigest()
    if not pin.sha256:
        raise RefreshError(
            f"pin [{pin.name}] {pin.package} {pin.version} has no sha256; "
            f"{pin.file} hashes to {digest}. Check it, write it into the pins file and rerun."
        )
    if digest != pin.sha256:
        raise RefreshError(
            f"{pin.file} hashes to {digest}, but pin [{pin.name}] says {pin.sha256}. "
            f"Delete {cached} if the cached copy is damaged; otherwise the registry serves other bytes."
        )
    if not cached.exists():
        cache.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(data)
    return data


class Archive:
    """Read-only access to the members of a .tgz (npm) or .whl (PyPI) held in memory."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self._members: dict[str, bytes] = {}
        if name.endswith(".whl"):
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for info in zf.infolist():
                    if not info.is_dir():
                        self._members[info.filename] = zf.read(info)
        else:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
                for member in tf.getmembers():
                    if member.isfile():
                        handle = tf.extractfile(member)
                        if handle is not None:
                            self._members[member.name] = handle.read()

    def read(self, member: str) -> bytes:
        try:
            return self._members[member]
        except KeyError:
            raise RefreshError(f"{self.name} has no member {member}") from None

    def text(self, member: str) -> str:
        return self.read(member).decode("utf-8")

    def names(self, prefix: str = "", suffix: str = "") -> Iterator[str]:
        for name in sorted(self._members):
            if name.startswith(prefix) and name.endswith(suffix):
                yield name


def open_pin(pin: Pin, cache: Path, *, offline: bool) -> Archive:
    return Archive(pin.file, fetch(pin, cache, offline=offline))
