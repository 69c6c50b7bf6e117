"""What every command shares: the streams, the usage error, and reading ``--set`` overrides."""

from __future__ import annotations

from .._errors import HookmockError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, BinaryIO, TextIO


class UsageError(HookmockError):
    """Bad command-line usage: conflicting or malformed flags (exit code 2)."""


class Streams:
    """The three standard streams, injectable so that tests call ``main`` directly."""

    __slots__ = ("stderr", "stdin", "stdout")

    def __init__(self, stdout: TextIO, stderr: TextIO, stdin: TextIO | BinaryIO) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin

    def stdin_bytes(self) -> BinaryIO:
        """stdin as bytes: signatures and parsers need the raw body, not decoded text."""
        import io

        raw = getattr(self.stdin, "buffer", None)
        if raw is not None:
            return raw  # type: ignore[no-any-return]
        if isinstance(self.stdin, io.TextIOBase):
            return io.BytesIO(self.stdin.read().encode())
        return self.stdin  # type: ignore[return-value]


def parse_sets(items: Sequence[str] | None) -> dict[str, Any]:
    """``["data.object.amount=4999", ...]`` -> a nested override tree (values parsed as JSON)."""
    import json

    from .._overrides import normalize

    paths: dict[str, Any] = {}
    for item in items or ():
        path, sep, text = item.partition("=")
        if not sep or not path.strip():
            raise UsageError(
                f"--set {item!r} should be PATH=VALUE, for example --set data.object.amount=4999."
            )
        try:
            value: Any = json.loads(text)
        except ValueError:
            value = text
        paths[path.strip()] = value
    return normalize(None, paths, sep=".")
