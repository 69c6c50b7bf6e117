"""Reading payloads to validate: files, directories, globs, ``.ndjson``, JSON arrays, stdin and
header sidecars.

Nothing here raises for bad input: every unreadable file, line or envelope becomes an
:class:`Item` with a one-line ``problem``, and every file passed over becomes one saying why it
was ``ignored``; so one bad file never stops the others and the summary can count them all.
"""

from __future__ import annotations

import errno
import fnmatch
import glob
import json
import os
import re
import stat
import sys
from dataclasses import KW_ONLY, dataclass, field

from ._errors import PayloadError, Violation
from ._validation import form_json, json_type, json_value_problem, reject_json_constant

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any, BinaryIO

#: No provider delivers payloads over 25 MB, so a bigger file cannot be a real delivery.
MAX_BYTES = 25 * 1024 * 1024
#: Files whose events are one JSON document per line.
NDJSON_SUFFIXES = (".ndjson", ".jsonl")
#: Files a directory search validates.
PAYLOAD_SUFFIXES = (".json", *NDJSON_SUFFIXES)
#: ``foo.headers.json`` next to ``foo.json`` holds the delivery headers; it is not a payload.
SIDECAR_SUFFIX = ".headers.json"
#: The other accepted sidecar name: ``foo.json.headers``.
ALT_SIDECAR_SUFFIX = ".headers"
STDIN_NAME = "<stdin>"

_GLOB_CHARS = frozenset("*?[")
#: A ``\\uD800``-``\\uDFFF`` escape in JSON text: only then can a parsed string hold a lone
#: surrogate, so the (slower) search of the parsed value runs only for such texts.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(eq=False, slots=True)
class Item:
    """One event read from an input, the reason it could not be read (``problem``), or a file
    that was passed over (``ignored``, with the reason)."""

    source: str
    _: KW_ONLY
    #: Where the event starts: its line in an ``.ndjson`` file or JSON array (else None).
    line: int | None = None
    payload: dict[str, Any] | None = None
    headers: dict[str, str] | None = None
    problem: str | None = None
    #: The line ``problem`` is about, when it has one (invalid JSON names it).
    problem_line: int | None = None
    #: The JSON text the payload was parsed from, starting at line ``raw_line`` of the
    #: file, so that a violation's JSON pointer can be turned into a line (``line_for``).
    raw: bytes | str | None = field(default=None, repr=False)
    raw_line: int = 1
    #: Where ``headers`` came from (a sidecar's path, or the envelope), for messages.
    headers_from: str | None = None
    #: Findings made while reading: duplicate keys, lone surrogates.
    findings: list[Violation] = field(default_factory=list)
    ignored: str | None = None
    #: Where the payload sits inside ``raw`` (``/payload`` in an envelope).
    prefix: str = field(default="", init=False)

    def __post_init__(self) -> None:
        if self.problem_line is None:
            self.problem_line = self.line

    @property
    def where(self) -> str:
        """``file`` or ``file:line`` (for ``.ndjson`` lines and array elements)."""
        return self.source if self.line is None else f"{self.source}:{self.line}"

    def line_for(self, pointer: str) -> int | None:
        """The line where the value at ``pointer`` (in the payload) starts, if it is known."""
        if self.raw is None:
            return self.line
        found = line_of(self.raw, self.prefix + pointer)
        return self.line if found is None else self.raw_line + found - 1

    def __repr__(self) -> str:
        state = f"problem={self.problem!r}" if self.problem else "ok"
        if self.ignored:
            state = f"ignored={self.ignored!r}"
        return f"<Item {self.where} {state}>"


def same_file(a: str, b: str) -> bool:
    """Whether two paths name one file (through links, ``..`` and the like)."""
    key = _key(a)
    return key is not None and key == _key(b)


def _key(path: str) -> tuple[int, int] | None:
    """The file's identity (device and inode: one system call), or None if it has none."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def iter_items(
    paths: Sequence[str], *, stdin: BinaryIO | None = None, exclude: Sequence[str] = ()
) -> Iterator[Item]:
    """Every event in ``paths``, in order; directories are searched recursively for ``*.json``
    and ``*.ndjson``/``*.jsonl`` files. Each file is read once, however often it is reached;
    the files in ``exclude`` (the run's report) never are."""
    reader = _Reader({key for key in map(_key, exclude) if key is not None})
    for arg in paths:
        if arg == "-":
            yield from _from_stdin(stdin)
            continue
        yield from reader.argument(arg)


class _Reader:
    """Expands the arguments, remembering which files it has read."""

    def __init__(self, exclude: set[tuple[int, int]]) -> None:
        self.exclude = exclude
        self.seen = set(exclude)

    def argument(self, arg: str) -> Iterator[Item]:
        try:
            mode = os.stat(arg).st_mode
        except ValueError as exc:  # an embedded NUL in the argument
            yield Item(arg, problem=f"cannot read: {exc}")
            return
        except OSError as exc:
            if _GLOB_CHARS.intersection(arg) and not os.path.lexists(arg):
                yield from self.glob(arg)
            else:
                yield Item(arg, problem=_missing(arg, exc))
            return
        if stat.S_ISDIR(mode):
            yield from self.directory(arg)
        elif not _is_sidecar(arg):  # a shell glob like *.json also matches foo.headers.json
            yield from self.file(arg, _sidecar_for(arg))

    def glob(self, pattern: str) -> Iterator[Item]:
        matches = [m for m in expand_glob(pattern) if not m.endswith(SIDECAR_SUFFIX)]
        if not matches:
            yield Item(pattern, problem="no files match this pattern")
            return
        for match in matches:
            if os.path.isdir(match):
                yield from self.directory(match)
            else:
                yield from self.file(match, _sidecar_for(match))

    def file(self, path: str, sidecar: str | None) -> Iterator[Item]:
        key = _key(path)
        if key is None:  # gone, or unreadable: read_file says which
            yield from _from_file(path, sidecar)
            return
        if key in self.seen:
            if key in self.exclude:
                yield Item(path, ignored="this run's --output report")
            return  # read once already
        self.seen.add(key)
        yield from _from_file(path, sidecar)

    def directory(self, root: str) -> Iterator[Item]:
        found = False
        for entry in _walk(root):
            if isinstance(entry, Item):
                if entry.ignored is not None and _key(entry.source) in self.exclude:
                    continue  # this run's own report (or its temporary file): not an input
                found = found or entry.ignored is None
                yield entry
                continue
            found = True
            yield from self.file(*entry)
        if not found:
            yield Item(
                root,
                problem="directory has no .json, .ndjson or .jsonl files (searched recursively)",
            )


def _missing(path: str, exc: OSError) -> str:
    """Why ``os.stat(path)`` failed, in words: a link loop and a dangling link are not
    "no such file"."""
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop (following it leads back to itself); point at the real file"
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return f"is a broken symbolic link (it points to {target}, which does not exist)"
        return "no such file or directory"
    if exc.errno == errno.ENOTDIR:
        return "no such file or directory (a part of the path is a file, not a directory)"
    return f"cannot read: {exc.strerror or exc}"


def expand_glob(pattern: str) -> list[str]:
    """The paths ``pattern`` matches, sorted. ``**`` matches any number of directories but never
    enters a symbolic link to one (so a link loop cannot make it run forever); names starting
    with a dot match only a part that starts with a dot, as in the shell."""
    if "**" not in pattern:
        return sorted(glob.glob(pattern))
    drive, rest = os.path.splitdrive(pattern)
    seps = "".join({os.sep, os.altsep or os.sep})
    root = drive + (os.sep if rest[:1] and rest[0] in seps else "")
    parts = [p for p in re.split(f"[{re.escape(seps)}]", rest) if p]
    return sorted(_match(root, parts))


def _match(root: str, parts: list[str]) -> dict[str, None]:
    """The paths under ``root`` that ``parts`` (a split pattern) match; a loop, not recursion,
    so that a deep tree cannot exhaust Python's recursion limit."""
    found: dict[str, None] = {}
    pending = [(root, 0)]
    visited: set[tuple[str, int]] = set()  # a/**/**/b reaches a directory by many routes
    while pending:
        state = pending.pop()
        if state in visited:
            continue
        visited.add(state)
        base, i = state
        if i == len(parts):
            if base:
                found[base] = None
            continue
        part = parts[i]
        last = i == len(parts) - 1
        if part == "**":
            pending.append((base, i + 1))  # zero directories
            for entry in _scan(base):
                if entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    continue
                if is_dir:
                    pending.append((entry.path, i))
                elif last:
                    found[entry.path] = None
            continue
        if not glob.has_magic(part):
            path = os.path.join(base, part) if base else part
            if (last and os.path.lexists(path)) or (not last and os.path.isdir(path)):
                pending.append((path, i + 1))
            continue
        for entry in _scan(base):
            if entry.name.startswith(".") and not part.startswith("."):
                continue
            if not fnmatch.fnmatch(entry.name, part):
                continue
            if last:
                found[entry.path] = None
            elif entry.is_dir():
                pending.append((entry.path, i + 1))
    return found


def _scan(base: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(base or ".") as it:
            return sorted(it, key=lambda e: e.name)
    except OSError:
        return []


def _walk(root: str) -> Iterator[tuple[str, str | None] | Item]:
    """``(payload path, sidecar path or None)`` for every payload file under ``root``, sorted,
    depth first; an :class:`Item` for each file passed over (with the reason) and each
    unreadable directory. A loop over a stack, so that no tree is too deep for it.

    Sidecars are found from the directory listing, so no extra system call per file.
    """
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield Item(folder, problem=f"cannot read directory: {exc.strerror or exc}")
            continue
        subdirs: list[str] = []
        yield from _entries(folder, entries, subdirs)
        pending.extend(reversed(subdirs))


def _entries(
    root: str, entries: list[os.DirEntry[str]], subdirs: list[str]
) -> Iterator[tuple[str, str | None] | Item]:
    """One directory's files (its subdirectories go to ``subdirs``)."""
    names = {e.name for e in entries}
    for entry in entries:
        name = entry.name
        try:
            if entry.is_dir(follow_symlinks=False):  # no symlink loops
                subdirs.append(entry.path)
                continue
            if entry.is_symlink():
                if entry.is_dir():
                    yield Item(entry.path, ignored="a symbolic link to a directory (not followed)")
                    continue
                if not os.path.exists(entry.path):
                    yield Item(entry.path, ignored="a broken symbolic link")
                    continue
        except OSError:
            yield Item(entry.path, ignored="cannot be read (stat failed)")
            continue
        if name.endswith(SIDECAR_SUFFIX):
            if name[: -len(SIDECAR_SUFFIX)] + ".json" not in names:
                yield Item(entry.path, ignored="a headers sidecar with no payload file next to it")
            continue
        if (
            name.endswith(".json" + ALT_SIDECAR_SUFFIX)
            and name[: -len(ALT_SIDECAR_SUFFIX)] in names
        ):
            continue
        if not name.endswith(PAYLOAD_SUFFIXES):
            yield Item(entry.path, ignored="not a .json, .ndjson or .jsonl file")
            continue
        sidecar: str | None = None
        if name.endswith(".json"):
            stem = name[: -len(".json")]
            if stem + SIDECAR_SUFFIX in names:
                sidecar = os.path.join(root, stem + SIDECAR_SUFFIX)
            elif name + ALT_SIDECAR_SUFFIX in names:
                sidecar = os.path.join(root, name + ALT_SIDECAR_SUFFIX)
        yield entry.path, sidecar


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


def read_file(
    path: str,
    *,
    limit: int = MAX_BYTES,
    kind: str = "payload",
    too_big: str = "over the 25 MB webhook payload cap; no provider would deliver it",
) -> bytes | str:
    """The file's bytes, or a problem string. The size is checked before anything is read.

    ``limit``, ``kind`` and ``too_big`` word the same checks for other inputs (contracts).
    """
    try:
        # Checked before open(): opening a FIFO blocks until a writer comes, and a device such
        # as /dev/zero never ends.
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            return "is a directory"
        if not stat.S_ISREG(mode):
            return f"is not a regular file (a FIFO, device or socket); pass {kind} files"
        with open(path, "rb", buffering=0) as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > limit:
                return f"file is {size / 1024 / 1024:.1f} MB, {too_big}"
            # Read at most one byte past the cap: some files report a size of 0 (/proc).
            data: bytes = fh.read(limit + 1)
            if len(data) > limit:
                return f"file is {too_big}"
    except IsADirectoryError:
        return "is a directory"
    except OSError as exc:
        if exc.errno == _ELOOP or (exc.errno == _ENOENT and os.path.islink(path)):
            return _missing(path, exc)  # a link loop or a broken link is named as one
        return f"cannot read: {exc.strerror or exc}"
    except ValueError as exc:  # an embedded NUL in the path
        return f"cannot read: {exc}"
    return data


_ENOENT, _ELOOP = errno.ENOENT, errno.ELOOP


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
    parsed = parse(data)
    if parsed.problem is not None:
        yield Item(path, problem=parsed.problem, problem_line=parsed.line)
        return
    if _is_batch(parsed.value):
        # A JSON array of events (as in octokit's examples) is a batch, like an .ndjson file.
        yield from _from_array(path, parsed.text, headers, sidecar)
        return
    yield _event(path, None, parsed, headers, sidecar)


def _is_batch(value: Any) -> bool:
    """An array holding at least one object: a batch of events (the others are findings)."""
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def _from_stdin(stdin: BinaryIO | None) -> Iterator[Item]:
    if stdin is None:
        stdin = sys.stdin.buffer
    try:
        data = stdin.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:  # ValueError: read of closed file
        yield Item(STDIN_NAME, problem=f"cannot read stdin: {_stream_problem(exc)}")
        return
    if data is None or isinstance(data, str):
        data = (data or "").encode("utf-8", "surrogateescape")
    if len(data) > MAX_BYTES:
        yield Item(STDIN_NAME, problem="input is over the 25 MB webhook payload cap")
        return
    parsed = parse(data)
    if parsed.problem is not None and parsed.problem.startswith("invalid JSON: Extra data"):
        # Several documents: treat stdin as JSON lines (what `hookmock generate --count` writes).
        yield from _from_lines(STDIN_NAME, data, None)
        return
    if parsed.problem is not None:
        yield Item(STDIN_NAME, problem=parsed.problem, problem_line=parsed.line)
        return
    if _is_batch(parsed.value):
        yield from _from_array(STDIN_NAME, parsed.text, None)
        return
    yield _event(STDIN_NAME, None, parsed, None)


def _stream_problem(exc: BaseException) -> str:
    if isinstance(exc, ValueError) and "closed" in str(exc):
        return "it is closed; pipe the input in, or pass a file"
    if isinstance(exc, OSError):
        return str(exc.strerror or exc)
    return str(exc)


def _from_lines(
    source: str, data: bytes, headers: dict[str, str] | None, sidecar: str | None = None
) -> Iterator[Item]:
    encoding = _wide_encoding(data)
    if encoding is not None:
        yield Item(source, problem=_wide_problem(encoding))
        return
    if b"\x00" in data:
        yield Item(source, problem=_BINARY)
        return
    seen = False
    for number, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        seen = True
        if len(raw) > MAX_BYTES:
            yield Item(source, line=number, problem="line is over the 25 MB webhook payload cap")
            continue
        parsed = parse(raw, one_line=True)
        if parsed.problem is not None:
            yield Item(source, line=number, problem=parsed.problem)
        else:
            yield _event(source, number, parsed, headers, sidecar)
    if not seen:
        yield Item(source, problem="file is empty: no JSON lines")


def _from_array(
    source: str, text: str, headers: dict[str, str] | None, sidecar: str | None = None
) -> Iterator[Item]:
    """Each element of a JSON array (already known to parse) as an event, with its line."""
    decoder, dups = _decoder()
    pos = _skip_ws(text, text.index("[") + 1)
    line, counted = 1, 0
    while True:
        dups.clear()
        value, end = decoder.raw_decode(text, pos)
        line += text.count("\n", counted, pos)
        counted = pos
        parsed = Parsed(value, text=text[pos:end], dups=list(dups))
        yield _event(source, line, parsed, headers, sidecar, element=True)
        pos = _skip_ws(text, end)
        if text[pos] != ",":
            return
        pos = _skip_ws(text, pos + 1)


_BINARY = "looks like a binary file (it contains NUL bytes), not JSON"


@dataclass(eq=False, slots=True)
class Parsed:
    """What :func:`parse` made of some bytes: the value, or the problem (and its line)."""

    value: Any = None
    _: KW_ONLY
    problem: str | None = None
    line: int | None = None
    #: The JSON text, decoded.
    text: str = field(default="", repr=False)
    #: Objects that had a key more than once, with those keys.
    dups: list[tuple[dict[str, Any], list[str]]] = field(default_factory=list, repr=False)
    #: Decoded from a form body: ``text`` is not the file's text, so it gives no lines.
    form: bool = field(default=False, init=False)

    def findings(self, value: Any) -> list[Violation]:
        """Duplicate keys and lone surrogates inside ``value`` (part of what was parsed)."""
        if not self.dups and not _SURROGATE_ESCAPE.search(self.text):
            return []
        return _findings(value, {id(d): keys for d, keys in self.dups})


def _decoder() -> tuple[json.JSONDecoder, list[tuple[dict[str, Any], list[str]]]]:
    """A JSON decoder that notes each object holding a key twice (JSON leaves that undefined;
    Python keeps the last value, other parsers the first)."""
    dups: list[tuple[dict[str, Any], list[str]]] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            counts: dict[str, int] = {}
            for key, _ in pairs:
                counts[key] = counts.get(key, 0) + 1
            dups.append((obj, [k for k, n in counts.items() if n > 1]))
        return obj

    return json.JSONDecoder(object_pairs_hook=hook, parse_constant=reject_json_constant), dups


def _findings(value: Any, dups: dict[int, list[str]]) -> list[Violation]:
    found: list[Violation] = []
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            for key in dups.get(id(node), ()):
                found.append(
                    Violation(
                        f"{pointer}/{_escape(key)}",
                        f"the key {json.dumps(key)} appears more than once in this object;"
                        " JSON parsers disagree on which value wins (hookmock, like Python,"
                        " checks the last one), and no provider sends a key twice",
                        "hookmock:duplicate-key",
                    )
                )
            for key, child in node.items():
                if _SURROGATE.search(key):
                    found.append(_surrogate(f"{pointer}/{_escape(key)}", "its key"))
                stack.append((f"{pointer}/{_escape(key)}", child))
        elif isinstance(node, list):
            stack.extend((f"{pointer}/{i}", child) for i, child in enumerate(node))
        elif isinstance(node, str) and _SURROGATE.search(node):
            found.append(_surrogate(pointer, "it"))
    found.sort(key=lambda v: v.pointer)
    return found


def _surrogate(pointer: str, what: str) -> Violation:
    return Violation(
        pointer,
        f"{what} holds a lone surrogate escape (such as \\udc80), which is not Unicode text:"
        " no provider sends one, and many JSON parsers refuse it",
        "hookmock:lone-surrogate",
    )


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _wide_encoding(data: bytes) -> str | None:
    """``"UTF-16"``/``"UTF-32"`` when ``data`` is JSON text in one of those, else None."""
    head = data[:4]
    if not head or (b"\x00" not in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return None
    encoding = json.detect_encoding(data)
    if not encoding.startswith(("utf-16", "utf-32")):
        return None
    try:
        text = data[:400].decode(encoding, "ignore").lstrip("\ufeff \t\r\n")
    except LookupError:
        return None
    return encoding[:6].upper() if text[:1] in ("{", "[") else None


def _wide_problem(encoding: str) -> str:
    return (
        f"is {encoding} text, not UTF-8; webhook bodies are UTF-8 (RFC 8259 requires it for"
        f" JSON sent between systems): re-encode it, e.g. iconv -f {encoding} -t UTF-8"
    )


def parse(data: bytes, *, one_line: bool = False) -> Parsed:
    """The parsed value, or the problem for empty, binary, non-UTF-8 or invalid JSON.

    A form-encoded body (``payload=<urlencoded JSON>``) is decoded first.
    """
    encoding = _wide_encoding(data)
    if encoding is not None:
        return Parsed(problem=_wide_problem(encoding))
    if b"\x00" in data:
        return Parsed(problem=_BINARY)
    if data.startswith(b"payload="):
        # An application/x-www-form-urlencoded delivery: payload=<urlencoded JSON>.

        try:
            text = form_json(data.strip(), source="form-encoded body")
        except PayloadError as exc:
            return Parsed(problem=str(exc))
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return Parsed(
                problem=f"is not UTF-8 text (bad byte at offset {exc.start}); is it a binary file?",
                line=data.count(b"\n", 0, exc.start) + 1,
            )
    decoder, dups = _decoder()
    try:
        parsed = Parsed(decoder.decode(text), text=text, dups=dups)
        parsed.form = data.startswith(b"payload=")
        return parsed
    except json.JSONDecodeError as exc:
        if not text.strip():
            return Parsed(problem="file is empty; expected a JSON object")
        where = f"column {exc.colno}" if one_line else f"line {exc.lineno}, column {exc.colno}"
        # json's own "Unterminated string starting at" already ends with "at".
        joint = " " if exc.msg.endswith(" at") else " at "
        return Parsed(problem=f"invalid JSON: {exc.msg}{joint}{where}", line=exc.lineno)
    except RecursionError:
        return Parsed(
            problem="nests too deeply to parse; webhook payloads nest a few levels at most"
        )
    except ValueError as exc:  # Python's int digit limit, or NaN/Infinity (not JSON)
        return Parsed(problem=f"invalid JSON: {json_value_problem(exc)}")


def _event(
    source: str,
    line: int | None,
    parsed: Parsed,
    headers: dict[str, str] | None,
    sidecar: str | None = None,
    *,
    element: bool = False,
) -> Item:
    value = parsed.value
    raw_line = line or 1
    if not isinstance(value, dict):
        what = "each element of a JSON array must be" if element else "must be"
        return Item(
            source, line=line, problem=f"{what} a JSON object (an event), got {json_type(value)}"
        )
    envelope = value.get("headers")
    if isinstance(envelope, dict) and ("payload" in value or "body" in value):
        key = "payload" if "payload" in value else "body"
        body = value[key]
        raw: str | None = None if parsed.form else parsed.text
        inner = parsed
        if isinstance(body, str):
            inner = parse(body.encode("utf-8", "surrogatepass"))
            if inner.problem is not None:
                return Item(source, line=line, problem=f"envelope body: {inner.problem}")
            body, raw = inner.value, None
        if not isinstance(body, dict):
            return Item(
                source,
                line=line,
                problem=f"envelope payload must be a JSON object (an event), got {json_type(body)}",
            )
        merged = dict(headers or {})
        merged.update((str(k), str(v)) for k, v in envelope.items())
        item = Item(
            source,
            line=line,
            payload=body,
            headers=merged,
            headers_from="its headers envelope",
            raw=raw,
            raw_line=raw_line,
            findings=inner.findings(body),
        )
        item.prefix = f"/{key}"
        return item
    return Item(
        source,
        line=line,
        payload=value,
        headers=headers,
        headers_from=sidecar,
        raw=None if parsed.form else parsed.text,
        raw_line=raw_line,
        findings=parsed.findings(value),
    )


def _read_sidecar(path: str) -> tuple[dict[str, str] | None, str | None]:
    data = read_file(path)
    if isinstance(data, str):
        return None, f"headers sidecar {path}: {data}"
    parsed = parse(data)
    value, problem = parsed.value, parsed.problem
    if problem is None and isinstance(value, dict) and isinstance(value.get("headers"), dict):
        value = value["headers"]
    if problem is None and not isinstance(value, dict):
        problem = f"must be a JSON object of header names to values, got {json_type(value)}"
    if problem is not None:
        return None, f"headers sidecar {path}: {problem}"
    return {str(k): str(v) for k, v in value.items()}, None


def line_of(data: bytes | str, pointer: str) -> int | None:
    """The 1-based line where the value at JSON ``pointer`` starts in the JSON text ``data``.

    Used only for invalid payloads (reports point at the line); None if the pointer does not
    lead anywhere in this text.
    """
    scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
    if isinstance(data, str):
        text = data.lstrip("\ufeff")
    else:
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
