"""What every command shares: the streams, the usage error, and reading ``--set`` overrides."""

from __future__ import annotations

import argparse
import io
import json
import math

from .._errors import HookmockError
from .._overrides import normalize
from .._registry import builtin_names, get_provider

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, BinaryIO, TextIO


class UsageError(HookmockError):
    """Bad command-line usage: conflicting or malformed flags (exit code 2)."""


class Streams:
    """The three standard streams, injectable so that tests call ``main`` directly."""

    # Hand-written, not a dataclass: the CLI imports this module at start, and dataclasses (with
    # inspect and enum) would add about 10 ms to every command.

    __slots__ = ("stderr", "stdin", "stdout")

    def __init__(self, stdout: TextIO, stderr: TextIO, stdin: TextIO | BinaryIO) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin

    def stdin_bytes(self) -> BinaryIO:
        """stdin as bytes: signatures and parsers need the raw body, not decoded text."""
        if self.stdin is None:  # `hookmock ... <&-`: Python sets sys.stdin to None
            raise UsageError(STDIN_CLOSED)
        raw = getattr(self.stdin, "buffer", None)
        if raw is not None:
            return raw  # type: ignore[no-any-return]
        if isinstance(self.stdin, io.TextIOBase):
            return io.BytesIO(read_stdin(self.stdin).encode("utf-8", "surrogateescape"))
        return self.stdin  # type: ignore[return-value]


#: What a command that reads stdin says when there is none.
STDIN_CLOSED = (
    "stdin is closed; pipe the input in (for example `cat event.json | hookmock ...`) or pass"
    " a file instead of -"
)


def read_stdin(stream: Any, limit: int = -1) -> Any:
    """``stream.read(limit)``, with a closed or unreadable stdin as a :class:`UsageError`."""
    try:
        return stream.read(limit)
    except ValueError:  # I/O operation on closed file
        raise UsageError(STDIN_CLOSED) from None
    except OSError as exc:
        raise UsageError(f"cannot read stdin: {exc.strerror or exc}") from None


def parse_sets(items: Sequence[str] | None) -> dict[str, Any]:
    """``["data.object.amount=4999", ...]`` -> a nested override tree (values parsed as JSON)."""
    # Import budget: every command loads this module at start; only --set needs validation.
    from .._validation import MAX_DEPTH, _depth

    paths: dict[str, Any] = {}
    for item in items or ():
        path, sep, text = item.partition("=")
        if not sep or not path.strip():
            raise UsageError(
                f"--set {item!r} should be PATH=VALUE, for example --set data.object.amount=4999."
            )
        try:
            value: Any = json.loads(text)
        except RecursionError:
            raise UsageError(_TOO_DEEP.format(path=path.strip(), limit=MAX_DEPTH)) from None
        except json.JSONDecodeError:
            value = text  # not JSON: the text itself, as a string
        except ValueError as exc:  # valid JSON Python refuses: an integer over 4,300 digits
            raise UsageError(
                f"--set {path.strip()}=...: {exc}. Set a smaller number, or quote it to send the"
                " digits as a string."
            ) from None
        if isinstance(value, (dict, list)) and _depth(value) > MAX_DEPTH:
            raise UsageError(_TOO_DEEP.format(path=path.strip(), limit=MAX_DEPTH)) from None
        paths[path.strip()] = value
    return normalize(None, paths, sep=".")


_TOO_DEEP = (
    "--set {path}=...: the JSON value nests deeper than hookmock takes ({limit} levels); no"
    " webhook payload nests more than a few levels, so set a smaller value."
)


def secret_flag(text: str) -> str:
    """``--secret``: refused here when blank, so the core's ``secret=...`` advice never shows."""
    if not text.strip():
        examples = dict.fromkeys(get_provider(n).example_secret for n in builtin_names())
        raise argparse.ArgumentTypeError(
            "the signing secret is empty; pass the endpoint's real secret, for example "
            + " or ".join(f"--secret {e}" for e in examples)
        )
    return text


def seconds_flag(text: str) -> float:
    """``--timeout SECONDS``: a finite number above zero."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds above 0 (e.g. --timeout 5), got {text!r};"
            " leave --timeout out for the provider's own timeout"
        )
    return value


def cli_message(exc: HookmockError) -> str:
    """A core error's message, worded with the command line's flags and commands."""
    text = exc.render("cli")
    # A provider whose types are the user's says how to add one from the command line.
    how = getattr(exc, "cli_hint", "")
    return f"{text} {how}" if how else text
