"""Glob patterns for files named in configuration (``hookmock_contracts``): parse, match, expand.

Standard library only, and cheap: the pytest plugin uses it while collecting. ``*`` and ``?``
stay inside one path segment and ``**`` spans any number of directories (zero included), as in
shell and :mod:`glob` (and like them, a wildcard does not match a hidden name such as ``.git``); a pattern that names a directory stands for every file under it.
Directory links are never followed, so a symlink loop cannot hang a walk.
"""

from __future__ import annotations

import os
import re
import shlex

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

GLOB_CHARS = frozenset("*?[")


def split_patterns(lines: Iterable[str]) -> list[str]:
    """Every pattern on every line: whitespace separates them, quotes keep a space in one.

    Raises ``ValueError`` for an unclosed quote.
    """
    out: list[str] = []
    for line in lines:
        lexer = shlex.shlex(line, posix=True)
        lexer.whitespace_split = True
        lexer.commenters = ""
        lexer.escape = ""  # a backslash is a path character (Windows), not an escape
        out.extend(lexer)
    return out


def _segment(text: str) -> str:
    """One path segment of a glob as a regular expression (never matching a ``/``). As in shell
    and :mod:`glob`, a wildcard at its start does not match a hidden name (``.git``)."""
    out = [] if text.startswith(".") else ["(?!\\.)"]
    i = 0
    while i < len(text):
        char = text[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = text.find("]", i + 2)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = text[i + 1 : end]
                negate = body.startswith("!")
                body = body[1:] if negate else body
                out.append("[" + ("^/" if negate else "") + body.replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


class Pattern:
    """One pattern, made absolute against ``root``: matches a file or any directory above it."""

    def __init__(self, text: str, root: str) -> None:
        self.text = text
        full = os.path.normpath(os.path.join(root, os.path.expanduser(text)))
        full = full.replace(os.sep, "/")
        parts = full.split("/")
        literal: list[str] = []
        for part in parts:
            if GLOB_CHARS.intersection(part):
                break
            literal.append(part)
        #: The deepest directory (or file) named without wildcards: where a walk starts.
        self.base = os.path.normpath("/".join(literal) or "/")
        self.is_glob = len(literal) < len(parts)
        regex = ""
        for n, part in enumerate(parts):
            last = n == len(parts) - 1
            if part == "**":
                # Each repetition ends at its own "/", so matching never backtracks badly.
                seg = "(?!\\.)[^/]+"
                regex += f"{seg}(?:/{seg})*" if last else f"(?:{seg}/)*"
            else:
                regex += _segment(part) + ("" if last else "/")
        self._regex = re.compile(regex)
        self._full = full

    def _hit(self, path: str) -> bool:
        if self.is_glob:
            return self._regex.fullmatch(path) is not None
        return path == self._full

    def matches(self, path: str) -> bool:
        """Whether ``path`` (absolute) is this pattern, or lies under a directory it names."""
        path = path.replace(os.sep, "/")
        base = self.base.replace(os.sep, "/")
        while True:
            if self._hit(path):
                return True
            parent = path.rsplit("/", 1)[0]
            if not parent or parent == path or not parent.startswith(base):
                return False
            path = parent

    def files(self, suffixes: tuple[str, ...]) -> Iterator[str]:
        """The files (with one of ``suffixes``) this pattern stands for, walking from its base
        without following directory links."""
        if not os.path.isdir(self.base):
            if (
                os.path.isfile(self.base)
                and self.base.endswith(suffixes)
                and self.matches(self.base)
            ):
                yield self.base
            return
        for dirpath, dirnames, filenames in os.walk(self.base, followlinks=False):
            # Hidden folders (.git, .venv) are never matched by a wildcard: skip walking them.
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                if name.endswith(suffixes) and self.matches(path):
                    yield path
