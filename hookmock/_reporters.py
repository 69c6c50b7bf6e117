"""Validation reports: plain text, JSON, JUnit XML and CI annotations (``::error`` commands).

A reporter gets one :class:`Result` per event as it is checked, then a :class:`Summary`. Every
position that is known (the line of a violation, of invalid JSON, of an ``.ndjson`` line) is
shown in every format.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: What cannot stand in one line of a text report: control characters (a file name may hold a
#: newline) and lone surrogates (a non-UTF-8 file name, a ``"\udc80"`` in a payload).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

    from ._errors import Violation

FORMATS = ("text", "json", "junit", "github")
#: What ``--format`` help says of the one format whose name is not self-explanatory.
FORMAT_HELP = "github prints GitHub Actions ::error annotations"


class Result:
    """The outcome for one event: valid, invalid (``violations``), not checked (``problem``),
    skipped (a real event hookmock has no schema for: ``skipped`` says which), or a file that
    was not validated at all (``ignored`` says why)."""

    # Hand-written, not a dataclass: the CLI imports this module at start, and dataclasses (with
    # inspect and enum) would add about 10 ms to every command.

    __slots__ = (
        "claimed",
        "ignored",
        "line",
        "lines",
        "problem",
        "problem_line",
        "provider",
        "skipped",
        "source",
        "type",
        "violations",
    )

    def __init__(
        self,
        source: str,
        line: int | None = None,
        *,
        provider: str | None = None,
        type: str | None = None,
        violations: list[Violation] | None = None,
        problem: str | None = None,
        lines: list[int | None] | None = None,
        skipped: str | None = None,
        problem_line: int | None = None,
        claimed: str | None = None,
        ignored: str | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.provider = provider
        self.type = type
        self.violations = violations or []
        self.problem = problem
        self.skipped = skipped
        self.ignored = ignored
        #: The line ``problem`` is about (invalid JSON names one), else the event's line.
        self.problem_line = line if problem_line is None else problem_line
        #: The type the payload (or its header) names when it is not a known one.
        self.claimed = claimed
        #: For each violation, the line in the file where its JSON pointer leads (or None).
        self.lines = lines or [line] * len(self.violations)

    @property
    def where(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"

    def where_at(self, line: int | None) -> str:
        """``file:line`` at ``line`` when it is known, else :attr:`where`."""
        return self.where if line is None else f"{self.source}:{line}"

    @property
    def first_line(self) -> int | None:
        """The first line this result is about, for formats with one line per result."""
        if self.problem is not None:
            return self.problem_line
        return next((at for at in self.lines if at is not None), self.line)

    @property
    def status(self) -> str:
        if self.ignored is not None:
            return "not validated"
        if self.problem is not None:
            return "error"
        if self.skipped is not None:
            return "skipped"
        return "invalid" if self.violations else "valid"

    @property
    def type_name(self) -> str | None:
        """The type, or what the payload calls itself when that is not a known type."""
        return self.type if self.type is not None else self.claimed

    @property
    def schema(self) -> str:
        if self.type is not None:
            return f"{self.provider} {self.type}"
        # A finding about the type itself (an unknown type, a header that does not fit).
        return f"{self.provider} (type unknown)" if self.provider else "(type unknown)"

    @property
    def classname(self) -> str:
        """JUnit's ``classname``: ``provider.type``, never Python's ``None``."""
        if self.provider is None:
            return "hookmock"
        return f"{self.provider}.{self.type_name or '(no type)'}"


class Summary:
    """Counts over a run; ``exit_code``: 2 if any input could not be checked, else 1 if invalid.

    Skipped events (not checked: no schema, or the event not told) do not fail a run unless ``strict``. Files that were not
    validated (not payload files, links not followed, the report itself) are counted by reason.
    """

    __slots__ = (
        "errors",
        "events",
        "ignored",
        "invalid",
        "skipped",
        "sources",
        "strict",
        "unchecked",
        "valid",
    )

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self.skipped = 0
        self.sources: set[str] = set()
        self.events = 0
        self.valid = 0
        self.invalid = 0
        self.unchecked = 0
        self.errors = 0
        #: Files not validated, counted by reason.
        self.ignored: dict[str, int] = {}

    def add(self, result: Result) -> None:
        if result.ignored is not None:
            self.ignored[result.ignored] = self.ignored.get(result.ignored, 0) + 1
            return
        self.sources.add(result.source)
        self.events += 1
        if result.problem is not None:
            self.unchecked += 1
        elif result.skipped is not None:
            self.skipped += 1
        elif result.violations:
            self.invalid += 1
            self.errors += len(result.violations)
        else:
            self.valid += 1

    @property
    def files(self) -> int:
        return len(self.sources)

    @property
    def not_validated(self) -> int:
        return sum(self.ignored.values())

    @property
    def exit_code(self) -> int:
        if self.unchecked:
            return 2
        return 1 if self.invalid or (self.strict and self.skipped) else 0

    def line(self) -> str:
        parts = [f"{self.valid} valid"]
        if self.invalid:
            parts.append(f"{self.invalid} invalid ({_plural(self.errors, 'error')})")
        if self.skipped:
            failing = "; failed by --strict" if self.strict else ""
            parts.append(f"{self.skipped} skipped (not checked{failing})")
        if self.unchecked:
            parts.append(f"{self.unchecked} could not be checked")
        events = "" if self.events == self.files else f" ({_plural(self.events, 'event')})"
        text = f"Checked {_plural(self.files, 'file')}{events}: {', '.join(parts)}."
        if self.ignored:
            reasons = "; ".join(f"{why}: {n}" for why, n in sorted(self.ignored.items()))
            text += f" Not validated: {_plural(self.not_validated, 'file')} ({reasons})."
        return text

    def as_dict(self) -> dict[str, int]:
        return {
            "files": self.files,
            "events": self.events,
            "valid": self.valid,
            "invalid": self.invalid,
            "unchecked": self.unchecked,
            "skipped": self.skipped,
            "errors": self.errors,
            "not_validated": self.not_validated,
        }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def one_line(text: str) -> str:
    """``text`` safe for one line of a report: control characters and lone surrogates escaped."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class Reporter:
    """Base reporter: subclasses print results as they come or collect them for the end."""

    def __init__(self, out: TextIO, *, verbose: bool = False) -> None:
        self.out = out
        self.verbose = verbose

    def add(self, result: Result) -> None:
        raise NotImplementedError

    def finish(self, summary: Summary) -> None:
        raise NotImplementedError


class TextReporter(Reporter):
    """``file:line: /json/pointer: message`` per violation, ``file: error: problem`` per bad
    input (``:line`` wherever it is known)."""

    def add(self, result: Result) -> None:
        write = self.out.write
        if result.ignored is not None:
            if self.verbose:
                write(one_line(f"{result.source}: not validated: {result.ignored}") + "\n")
        elif result.problem is not None:
            where = result.where_at(result.problem_line)
            write(one_line(f"{where}: error: {result.problem}") + "\n")
        elif result.skipped is not None:
            write(one_line(f"{result.where}: skipped: {result.skipped}") + "\n")
        elif result.violations:
            for v, at in zip(result.violations, result.lines, strict=True):
                write(one_line(f"{result.where_at(at)}: {v}") + "\n")
        elif self.verbose:
            write(one_line(f"{result.where}: ok ({result.schema})") + "\n")

    def finish(self, summary: Summary) -> None:
        self.out.write(summary.line() + "\n")


class JsonReporter(Reporter):
    """One JSON document: ``{"summary": {...}, "results": [...], "not_validated": [...]}``."""

    def __init__(self, out: TextIO, *, verbose: bool = False) -> None:
        super().__init__(out, verbose=verbose)
        self.results: list[dict[str, Any]] = []
        self.ignored: list[dict[str, str]] = []

    def add(self, result: Result) -> None:
        if result.ignored is not None:
            self.ignored.append({"file": result.source, "reason": result.ignored})
            return
        self.results.append(
            {
                "file": result.source,
                "line": result.problem_line if result.problem is not None else result.line,
                "provider": result.provider,
                "type": result.type_name,
                "status": result.status,
                "problem": result.problem,
                "skipped": result.skipped,
                "errors": [
                    {"pointer": v.pointer, "message": v.message, "line": at}
                    for v, at in zip(result.violations, result.lines, strict=True)
                ],
            }
        )

    def finish(self, summary: Summary) -> None:
        doc = {"summary": summary.as_dict(), "results": self.results}
        if self.ignored:
            doc["not_validated"] = self.ignored
        self.out.write(json.dumps(doc, indent=2) + "\n")


class JunitReporter(Reporter):
    """JUnit XML: one testcase per event; violations are failures, unreadable input errors."""

    def __init__(self, out: TextIO, *, verbose: bool = False) -> None:
        super().__init__(out, verbose=verbose)
        self.results: list[Result] = []

    def add(self, result: Result) -> None:
        if result.ignored is None:
            self.results.append(result)

    def finish(self, summary: Summary) -> None:
        suites = ET.Element("testsuites", name="hookmock validate")
        suite = ET.SubElement(
            suites,
            "testsuite",
            name="hookmock validate",
            tests=str(len(self.results)),
            failures=str(summary.invalid),
            errors=str(summary.unchecked),
            skipped=str(summary.skipped),
        )
        for r in self.results:
            case = ET.SubElement(suite, "testcase", classname=r.classname, name=r.where)
            case.set("file", r.source)
            if r.first_line is not None:
                case.set("line", str(r.first_line))
            if r.problem is not None:
                ET.SubElement(
                    case, "error", message=r.problem, type="unchecked"
                ).text = f"{r.where_at(r.problem_line)}: {r.problem}"
            elif r.skipped is not None:
                ET.SubElement(case, "skipped", message=r.skipped)
            elif r.violations:
                fail = ET.SubElement(
                    case,
                    "failure",
                    message=f"not a valid {r.schema} event ({_plural(len(r.violations), 'error')})",
                    type="schema",
                )
                fail.text = "\n".join(
                    f"{r.where_at(at)}: {v}" for v, at in zip(r.violations, r.lines, strict=True)
                )
        ET.indent(suites)
        self.out.write('<?xml version="1.0" encoding="utf-8"?>\n')
        xml = ET.tostring(suites, encoding="unicode")
        # XML 1.0 cannot carry most control characters (a file name may hold one); ElementTree
        # writes them raw, so they are replaced to keep the report parseable.
        xml = _XML_ILLEGAL.sub("\ufffd", xml)
        self.out.write(xml + "\n")


class GithubReporter(Reporter):
    """GitHub Actions workflow commands: ``::error file=...,line=...,title=...::message``."""

    def add(self, result: Result) -> None:
        if result.ignored is not None:
            return
        file = f"file={_prop(result.source)}"
        write = self.out.write
        if result.problem is not None:
            title = _prop("hookmock: payload not checked")
            where = _line(result.problem_line)
            write(f"::error {file}{where},title={title}::{_data(result.problem)}\n")
            return
        if result.skipped is not None:
            title = _prop("hookmock: payload skipped")
            write(f"::notice {file}{_line(result.line)},title={title}::{_data(result.skipped)}\n")
            return
        title = _prop(f"hookmock: invalid {result.schema} event")
        for v, at in zip(result.violations, result.lines, strict=True):
            where = _line(result.line if at is None else at)
            write(f"::error {file}{where},title={title}::{_data(str(v))}\n")

    def finish(self, summary: Summary) -> None:
        self.out.write(summary.line() + "\n")


def _line(line: int | None) -> str:
    return "" if line is None else f",line={line}"


def _data(text: str) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return one_line(text)


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "junit": JunitReporter,
    "github": GithubReporter,
}
