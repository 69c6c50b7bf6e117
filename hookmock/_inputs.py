"""Reading payloads to validate: files, directories, globs, ``.ndjson``, stdin and header sidecars.

Nothing here raises for bad input: every unreadable file, line or envelope becomes an
:class:`Item` with a one-line ``problem``, so one bad file never stops the others.
"""

from __future__ import annotations

import json
import os

from ._validation import json_type, json_value_problem, reject_json_constant

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any, BinaryIO

#: GitHub does not deliver payloads over 25 MB, so a bigger file cannot be a real delivery.
MAX_BYTES = 25 * 1024 * 1024
#: Files whose events are one JSON document per line.
NDJSON_SUFFIXES = (".ndjson", ".jsonl")
#: ``foo.headers.json`` next to ``foo.json`` holds the delivery headers; it is not a payload.
SIDECAR_SUFFIX = ".headers.json"
#: The other accepted sidecar name: ``foo.json.headers``.
ALT_SIDECAR_SUFFIX = ".headers"
STDIN_NAME = "<stdin>"

_GLOB_CHARS = frozenset("*?[")


class Item:
    """One event read from an input, or the reason it could not be read (``problem``)."""

    __slots__ = ("headers", "headers_from", "line", "payload", "problem", "raw", "source")

    def __init__(
        self,
        source: str,
        *,
        line: int | None = None,
        payload: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        problem: str | None = None,
        raw: bytes | None = None,
        headers_from: str | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.payload = payload
        self.headers = headers
        self.problem = problem
        #: The file's bytes when the payload is the whole file, so that a violation's JSON
        #: pointer can be turned into a line number (see :func:`line_of`).
        self.raw = raw
        #: Where ``headers`` came from (a sidecar's path, or the envelope), for messages.
        self.headers_from = headers_from

    @property
    def where(self) -> str:
        """``file`` or ``file:line`` (for ``.ndjson`` inputs), as printed in reports."""
        return self.source if self.line is None else f"{self.source}:{self.line}"

    def __repr__(self) -> str:
        state = f"problem={self.problem!r}" if self.problem else "ok"
        return f"<Item {self.where} {state}>"


def iter_items(paths: Sequence[str], *, stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Every event in ``paths``, in order; directories are searched recursively for ``*.json``."""
    for arg in paths:
        if arg == "-":
            yield from _from_stdin(stdin)
            continue
        try:
            is_dir = os.path.isdir(arg)
            exists = is_dir or os.path.exists(arg)
        except (OSError, ValueError) as exc:  # e.g. an embedded NUL in the argument
            yield Item(arg, problem=f"cannot read: {exc}")
            continue
        if is_dir:
            yield from _from_directory(arg)
        elif exists:
            if _is_sidecar(arg):
                continue  # a shell glob like *.json also matches foo.headers.json
            yield from _from_file(arg, _sidecar_for(arg))
        elif _GLOB_CHARS.intersection(arg):
            yield from _from_glob(arg)
        else:
            yield Item(arg, problem="no such file or directory")


def _from_glob(pattern: str) -> Iterator[Item]:
    import glob

    matches = sorted(glob.glob(pattern, recursive=True))
    files = [m for m in matches if not m.endswith(SIDECAR_SUFFIX)]
    if not files:
        yield Item(pattern, problem="no files match this pattern")
        return
    for match in files:
        if os.path.isdir(match):
            yield from _from_directory(match)
        else:
            yield from _from_file(match, _sidecar_for(match))


def _from_directory(root: str) -> Iterator[Item]:
    found = False
    for entry in _walk(root):
        found = True
        if isinstance(entry, Item):
            yield entry
        else:
            yield from _from_file(*entry)
    if not found:
        yield Item(root, problem="directory has no .json files (searched recursively)")


def _walk(root: str) -> Iterator[tuple[str, str | None] | Item]:
    """``(payload path, sidecar path or None)`` for every ``*.json`` under ``root``, sorted.

    Sidecars are found from the directory listing, so no extra system call per file. An
    unreadable directory comes out as an :class:`Item` with its problem.
    """
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield Item(root, problem=f"cannot read directory: {exc.strerror or exc}")
        return
    names = {e.name for e in entries}
    subdirs: list[str] = []
    for entry in entries:
        name = entry.name
        try:
            if entry.is_dir(follow_symlinks=False):  # no symlink loops
                subdirs.append(entry.path)
                continue
        except OSError:
            continue
        if not name.endswith(".json") or name.endswith(SIDECAR_SUFFIX):
            continue
        stem = name[: -len(".json")]
        if stem + SIDECAR_SUFFIX in names:
            sidecar: str | None = os.path.join(root, stem + SIDECAR_SUFFIX)
        elif name + ALT_SIDECAR_SUFFIX in names:
            sidecar = os.path.join(root, name + ALT_SIDECAR_SUFFIX)
        else:
            sidecar = None
        yield entry.path, sidecar
    for sub in subdirs:
        yield from _walk(sub)


def _is_sidecar(path: str) -> bool:
    """``foo.headers.json`` is a sidecar, not a payload, when ``foo.json`` is next to it."""
    return path.endswith(SIDECAR_SUFFIX) and os.path.isfile(path[: -len(SIDECAR_SUFFIX)] + ".json")


def _sidecar_for(path: str) -> str | None:
    if not path.endswith(".json"):
        return None
    for candidate in (path[: -len(".json")] + SIDECAR_SUFFIX, path + ALT_SIDECAR_SUFFIX):
        if os.path.isfile(candidate):
            return candidate
    return None


def read_file(path: str) -> bytes | str:
    """The file's bytes, or a problem string. The size is checked before anything is read."""
    import stat

    try:
        # Checked before open(): opening a FIFO blocks until a writer comes, and a device such
        # as /dev/zero never ends.
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            return "is a directory"
        if not stat.S_ISREG(mode):
            return "is not a regular file (a FIFO, device or socket); pass payload files"
        with open(path, "rb", buffering=0) as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_BYTES:
                return (
                    f"file is {size / 1024 / 1024:.1f} MB, over GitHub's 25 MB payload cap;"
                    " no provider would deliver it"
                )
            # Read at most one byte past the cap: some files report a size of 0 (/proc).
            data: bytes = fh.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                return "file is over GitHub's 25 MB payload cap; no provider would deliver it"
    except IsADirectoryError:
        return "is a directory"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    return data


def _from_file(path: str, sidecar: str | None) -> Iterator[Item]:
    data = read_file(path)
    if isinstance(data, str):
        yield Item(path, problem=data)
        return
    headers: dict[str, str] | None = None
    if sidecar is not None:
        headers, problem = _read_sidecar(sidecar)
        if problem is not None:
            yield Item(path, problem=problem)
            return
    if path.endswith(NDJSON_SUFFIXES):
        yield from _from_lines(path, data, headers, sidecar)
        return
    value, problem = parse(data)
    if problem is not None:
        yield Item(path, problem=problem)
        return
    item = _event(path, None, value, headers, sidecar)
    if item.payload is value:
        item.raw = data
    yield item


def _from_stdin(stdin: BinaryIO | None) -> Iterator[Item]:
    if stdin is None:
        import sys

        stdin = sys.stdin.buffer
    try:
        data = stdin.read(MAX_BYTES + 1)
    except OSError as exc:
        yield Item(STDIN_NAME, problem=f"cannot read: {exc}")
        return
    if len(data) > MAX_BYTES:
        yield Item(STDIN_NAME, problem="input is over GitHub's 25 MB payload cap")
        return
    value, problem = parse(data)
    if problem is not None and problem.startswith("invalid JSON: Extra data"):
        # Several documents: treat stdin as JSON lines (what `hookmock generate --count` writes).
        yield from _from_lines(STDIN_NAME, data, None)
        return
    if problem is not None:
        yield Item(STDIN_NAME, problem=problem)
        return
    yield _event(STDIN_NAME, None, value, None)


def _from_lines(
    source: str, data: bytes, headers: dict[str, str] | None, sidecar: str | None = None
) -> Iterator[Item]:
    if b"\x00" in data:
        yield Item(source, problem=_BINARY)
        return
    seen = False
    for number, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        seen = True
        if len(raw) > MAX_BYTES:
            yield Item(source, line=number, problem="line is over GitHub's 25 MB payload cap")
            continue
        value, problem = parse(raw, one_line=True)
        if problem is not None:
            yield Item(source, line=number, problem=problem)
        else:
            yield _event(source, number, value, headers, sidecar)
    if not seen:
        yield Item(source, problem="file is empty: no JSON lines")


_BINARY = "looks like a binary file (it contains NUL bytes), not JSON"


def parse(data: bytes, *, one_line: bool = False) -> tuple[Any, str | None]:
    """``(value, None)``, or ``(None, problem)`` for empty, binary, non-UTF-8 or invalid JSON.

    A form-encoded GitHub body (``payload=<urlencoded JSON>``) is decoded first.
    """
    if b"\x00" in data:
        return None, _BINARY
    text: bytes | str = data
    if data.startswith(b"payload="):
        # GitHub's application/x-www-form-urlencoded delivery: payload=<urlencoded JSON>.
        from ._errors import PayloadError
        from ._validation import form_json

        try:
            text = form_json(data.strip(), source="form-encoded body")
        except PayloadError as exc:
            return None, str(exc)
    try:
        return json.loads(text, parse_constant=reject_json_constant), None
    except UnicodeDecodeError as exc:
        return None, f"is not UTF-8 text (bad byte at offset {exc.start}); is it a binary file?"
    except json.JSONDecodeError as exc:
        if not data.strip():
            return None, "file is empty; expected a JSON object"
        where = f"column {exc.colno}" if one_line else f"line {exc.lineno}, column {exc.colno}"
        # json's own "Unterminated string starting at" already ends with "at".
        joint = " " if exc.msg.endswith(" at") else " at "
        return None, f"invalid JSON: {exc.msg}{joint}{where}"
    except RecursionError:
        return None, "nests too deeply to parse; webhook payloads nest a few levels at most"
    except ValueError as exc:  # Python's int digit limit, or NaN/Infinity (not JSON)
        return None, f"invalid JSON: {json_value_problem(exc)}"


def _event(
    source: str,
    line: int | None,
    value: Any,
    headers: dict[str, str] | None,
    sidecar: str | None = None,
) -> Item:
    if not isinstance(value, dict):
        return Item(
            source, line=line, problem=f"must be a JSON object (an event), got {json_type(value)}"
        )
    envelope = value.get("headers")
    if isinstance(envelope, dict) and ("payload" in value or "body" in value):
        body = value["payload"] if "payload" in value else value["body"]
        if isinstance(body, str):
            body, problem = parse(body.encode())
            if problem is not None:
                return Item(source, line=line, problem=f"envelope body: {problem}")
        if not isinstance(body, dict):
            return Item(
                source,
                line=line,
                problem=f"envelope payload must be a JSON object (an event), got {json_type(body)}",
            )
        merged = dict(headers or {})
        merged.update((str(k), str(v)) for k, v in envelope.items())
        return Item(
            source, line=line, payload=body, headers=merged, headers_from="its headers envelope"
        )
    return Item(source, line=line, payload=value, headers=headers, headers_from=sidecar)


def _read_sidecar(path: str) -> tuple[dict[str, str] | None, str | None]:
    data = read_file(path)
    if isinstance(data, str):
        return None, f"headers sidecar {path}: {data}"
    value, problem = parse(data)
    if problem is None and isinstance(value, dict) and isinstance(value.get("headers"), dict):
        value = value["headers"]
    if problem is None and not isinstance(value, dict):
        problem = f"must be a JSON object of header names to values, got {json_type(value)}"
    if problem is not None:
        return None, f"headers sidecar {path}: {problem}"
    return {str(k): str(v) for k, v in value.items()}, None


def line_of(data: bytes, pointer: str) -> int | None:
    """The 1-based line where the value at JSON ``pointer`` starts in the JSON text ``data``.

    Used only for invalid payloads (GitHub annotations point at the line); None if the pointer
    does not lead anywhere in this text.
    """
    scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    decoder = json.JSONDecoder()
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    pos = _skip_ws(text, 0)
    try:
        for part in parts:
            if text[pos] == "{":
                found = _member(text, pos, part, decoder, scanstring)
            elif text[pos] == "[" and part.isdigit():
                found = _element(text, pos, int(part), decoder)
            else:
                return None
            if found is None:
                return None
            pos = found
    except (IndexError, ValueError):
        return None
    return text.count("\n", 0, pos) + 1


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _member(text: str, pos: int, key: str, decoder: Any, scanstring: Any) -> int | None:
    pos = _skip_ws(text, pos + 1)
    while text[pos] == '"':
        name, pos = scanstring(text, pos + 1)
        pos = _skip_ws(text, _skip_ws(text, pos) + 1)  # past the colon
        if name == key:
            return pos
        _, pos = decoder.raw_decode(text, pos)
        pos = _skip_ws(text, pos)
        if text[pos] != ",":
            return None
        pos = _skip_ws(text, pos + 1)
    return None


def _element(text: str, pos: int, index: int, decoder: Any) -> int | None:
    pos = _skip_ws(text, pos + 1)
    for _ in range(index):
        if text[pos] == "]":
            return None
        _, pos = decoder.raw_decode(text, pos)
        pos = _skip_ws(text, pos)
        if text[pos] != ",":
            return None
        pos = _skip_ws(text, pos + 1)
    return None if text[pos] == "]" else pos
