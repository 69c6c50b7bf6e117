"""``hookmock validate``: check payload files against hookmock's schemas, fast.

Every valid payload costs one JSON parse and one compiled (jsonschema-rs) check; ``jsonschema``
is imported only when a payload is invalid, to explain exactly where and why.
"""

from __future__ import annotations

import os
import stat
import tempfile

from .._errors import HookmockError, SchemaError, UnknownTypeError, UnsupportedEventError
from .._inputs import expand_glob, iter_items, same_file
from .._registry import builtin_names, get_provider, provider_names, provider_title
from .._reporters import REPORTERS, Result, Summary, one_line
from .._validation import (
    UnidentifiedEventError,
    _ensure_type,
    _fast_validator,
    event_provider,
    owner_of,
    violations,
)
from .._validation import detect as explain
from .common import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Mapping
    from typing import Any, TextIO

    from .._errors import Violation
    from .._inputs import Item
    from .common import Streams


def run(args: argparse.Namespace, io: Streams) -> int:
    if args.paths.count("-") > 1:
        raise UsageError("- (stdin) can be given only once; stdin is read to its end.")
    if args.provider is not None and not args.provider.strip():
        raise UsageError(
            f"--provider is empty; name one ({', '.join(provider_names())}), or leave it out to"
            " detect it."
        )
    if args.type is not None and not args.type.strip():
        raise UsageError("--type is empty; name an event type, or leave it out to detect it.")

    # --type names an event its provider's type header carries; each payload's action decides.
    owner = event_provider(args.provider, args.type) if args.type else None
    event = args.type if owner else None
    fixed = None if event else _fixed_schema(args.provider, args.type)
    if args.output is not None and not args.output.strip():
        raise UsageError(
            "--output is empty; name a file (e.g. --output junit.xml), or - for stdout."
        )
    output = args.output if args.output and args.output != "-" else None
    if output is not None:
        _check_output(output, args.paths, args.format)
    reporter_class = REPORTERS[args.format]
    summary = Summary(strict=args.strict)
    check = Checker(
        owner or args.provider,
        fixed,
        locate=True,
        event=event,
    )
    stdin = io.stdin_bytes() if "-" in args.paths else None
    # The report goes to a temporary file next to --output, renamed into place at the end: an
    # interrupted run never leaves a half-written report, nor truncates an older one.
    report = _Report(output, io.stdout)
    with report as out:
        reporter = reporter_class(out, verbose=args.verbose)
        for item in iter_items(args.paths, stdin=stdin, exclude=report.paths):
            result = check.safely(item)
            summary.add(result)
            reporter.add(result)
        reporter.finish(summary)
    if output is not None:
        io.stdout.write(one_line(f"{summary.line()} Report written to {output}.") + "\n")
    return summary.exit_code


#: Report formats and the file suffixes that say a different one.
_SUFFIX_FORMATS = {".json": "json", ".xml": "junit"}


def _check_output(output: str, paths: list[str], fmt: str) -> None:
    """Refuse an --output that is one of the inputs (it would be overwritten by the report),
    or whose suffix says another format than --format."""
    if os.path.isdir(output):
        raise UsageError(
            f"--output {output}: is a directory; name a file, e.g. {output}/report.xml."
        )
    if os.path.exists(output):
        for arg in paths:
            if arg == "-":
                continue
            candidates = [arg] if os.path.lexists(arg) else expand_glob(arg)
            named = any(same_file(c, output) for c in candidates if not os.path.isdir(c))
            if named and not (arg != output and _is_report(output)):
                raise UsageError(
                    f"--output {output} is also an input: the report would overwrite the"
                    " payload. Write the report somewhere else, e.g. --output report.xml."
                )
    implied = _SUFFIX_FORMATS.get(os.path.splitext(output)[1].lower())
    if implied is not None and implied != fmt:
        raise UsageError(
            f"--output {output}: a {os.path.splitext(output)[1]} file, but --format is {fmt};"
            f" pass --format {implied}, or name the file for the {fmt} report."
        )


def _is_report(path: str) -> bool:
    """Whether ``path`` holds an earlier run's JSON or JUnit report (which a glob such as
    ``DIR/*.json`` matches again), rather than a payload."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(256)
    except OSError:
        return False
    return head.startswith(b'{\n  "summary": {\n    "files": ') or (
        head.startswith(b"<?xml") and b'<testsuites name="hookmock validate">' in head
    )


class _Report:
    """The report stream: stdout, or a temporary file renamed to ``path`` when complete."""

    def __init__(self, path: str | None, stdout: TextIO) -> None:
        self.path = path
        self.stdout = stdout
        self.tmp: str | None = None
        self.final = path or ""
        self.direct = False
        self.out: TextIO = stdout

    @property
    def paths(self) -> list[str]:
        """The files this report writes: never inputs of the run."""
        return [p for p in (self.path, self.tmp) if p is not None]

    def __enter__(self) -> TextIO:
        if self.path is None:
            return self.stdout

        try:
            mode = os.stat(self.path).st_mode
        except OSError:
            mode = None
        if mode is not None and not stat.S_ISREG(mode):
            # /dev/null, a FIFO, /dev/stderr: written as they are. Renaming a file over them
            # would replace the device itself.
            try:
                self.out = open(self.path, "w", encoding="utf-8", errors="backslashreplace")
            except OSError as exc:
                raise UsageError(f"--output {self.path}: cannot write: {exc.strerror}") from None
            self.direct = True
            return self.out
        # A link is followed: its target gets the report, and the link stays.
        self.final = os.path.realpath(self.path)
        folder = os.path.dirname(self.final)
        try:
            fd, self.tmp = tempfile.mkstemp(prefix=".hookmock-report-", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise UsageError(f"--output {self.path}: cannot write: {exc.strerror}") from None
        # mkstemp makes the file private (0600); the report gets the mode a plain open() would.
        os.chmod(self.tmp, 0o644 if mode is None else stat.S_IMODE(mode))
        self.out = open(fd, "w", encoding="utf-8", errors="backslashreplace")
        return self.out

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if self.direct:
            self.out.close()
            return
        if self.tmp is None:
            return

        self.out.close()
        if kind is None:
            try:
                os.replace(self.tmp, self.final)
            except OSError as err:
                os.unlink(self.tmp)
                raise UsageError(f"--output {self.path}: cannot write: {err.strerror}") from None
        else:
            os.unlink(self.tmp)


def _fixed_schema(provider: str | None, type: str | None) -> tuple[str, str] | None:
    """The (provider, type) forced by ``--provider``/``--type``, checked once up front."""
    if provider is not None:
        prov = get_provider(provider)  # unknown name: UnknownProviderError with "did you mean"
        if type is None:
            return None
        prov.check_type(type)
        return provider, type
    if type is None:
        return None

    try:
        return owner_of(type, cli=True), type
    except SchemaError as exc:
        raise UsageError(str(exc)) from None


class Checker:
    """Turns an input :class:`Item` into a :class:`Result`, caching one validator per type."""

    def __init__(
        self,
        provider: str | None,
        fixed: tuple[str, str] | None,
        *,
        locate: bool = False,
        event: str | None = None,
    ) -> None:
        self.provider = provider
        #: Find the line of each violation in its file (for reports that can show it).
        self.locate = locate
        self.fixed = fixed
        #: ``--type`` named an event its provider's type header carries (an event with
        #: actions): it stands in for that header.
        self.event = event
        self.event_header = get_provider(provider).type_header if event and provider else ""
        self._fast: dict[tuple[str, str], Callable[[Any], bool] | None] = {}
        # Built-in providers are asked first, in their listed order (the cheapest detector
        # first); third-party ones only if none recognises the payload (the slow path asks
        # every provider). That keeps the entry-point scan off the common path.
        names = [provider] if provider else builtin_names()
        self._detectors = [(name, get_provider(name).detect) for name in names]

    def safely(self, item: Item) -> Result:
        """:meth:`__call__`, but a bug met on one input is that input's problem, not the end
        of the run: the other files are still checked and every report is still complete."""
        try:
            return self(item)
        except Exception as exc:  # reported, with the way to get the details
            if os.environ.get("HOOKMOCK_TRACEBACK"):
                raise
            return Result(
                item.source,
                item.line,
                problem=f"internal error while checking it ({type(exc).__name__}: {exc});"
                " this is a bug in hookmock, please report it",
            )

    def __call__(self, item: Item) -> Result:
        source, line, payload = item.source, item.line, item.payload
        if item.ignored is not None:
            return Result(source, line, ignored=item.ignored)
        if payload is None:
            return Result(
                source, line, problem=item.problem or "unreadable", problem_line=item.problem_line
            )
        try:
            provider, type = self.fixed or self._detect(payload, item)
        except UnsupportedEventError as exc:
            # Not a finding about the payload: hookmock cannot check it (--strict fails it).
            return Result(
                source, line, provider=exc.provider, type=exc.type, skipped=_skip_reason(exc)
            )
        except SchemaError as exc:
            if exc.errors:  # the payload (or its header) names a type that does not fit
                found = _merge(exc.errors, item.findings)
                return Result(
                    source,
                    line,
                    provider=exc.provider,
                    violations=found,
                    lines=self._lines(item, found),
                    claimed=_claimed(payload, item, self.event),
                )
            if isinstance(exc, UnidentifiedEventError):  # no schema to check it against
                return Result(source, line, provider=exc.provider, skipped=_first_line(exc))
            return Result(source, line, problem=_first_line(exc))
        except HookmockError as exc:
            return Result(source, line, problem=_first_line(exc))
        key = (provider, type)
        try:
            is_valid = self._fast[key] if key in self._fast else self._compile(key)
            if is_valid is not None and not item.findings and is_valid(payload):
                return Result(source, line, provider=provider, type=type)
            found = _merge(violations(payload, provider, type), item.findings)
        except HookmockError as exc:
            return Result(source, line, provider=provider, type=type, problem=_first_line(exc))
        return Result(
            source,
            line,
            provider=provider,
            type=type,
            violations=found,
            lines=self._lines(item, found),
        )

    def _lines(self, item: Item, found: list[Violation]) -> list[int | None]:
        if not self.locate:
            return [item.line] * len(found)
        return [item.line_for(v.pointer) for v in found]

    def _detect(self, payload: Mapping[str, Any], item: Item) -> tuple[str, str]:
        headers = item.headers
        headers_from = item.headers_from or "headers"
        if self.event is not None:
            headers, headers_from = {self.event_header: self.event}, "--type"
        for name, detect in self._detectors:
            found = detect(payload, headers)
            if found is not None:
                return name, found
        # The slow path explains why: an incomplete envelope, a close-but-unknown type, a
        # header that does not fit, or a payload --provider excludes.

        return explain(
            payload,
            provider=self.provider,
            headers=headers,
            headers_from=headers_from,
            cli=True,
        )

    def _compile(self, key: tuple[str, str]) -> Callable[[Any], bool] | None:
        provider, type = key
        get_provider(provider).check_type(type)
        try:
            _ensure_type(provider, type)
        except UnknownTypeError:
            raise UsageError(
                f"hookmock has no schema for {provider} {type!r} yet (the type is in the"
                " catalog, but schemas/ has no file for it)."
            ) from None
        fast = _fast_validator(provider, type)
        check = None if fast is None else fast.is_valid
        self._fast[key] = check
        return check


def _merge(found: list[Violation], extra: list[Violation]) -> list[Violation]:
    """Schema violations and the findings made while reading, in pointer order."""
    if not extra:
        return found
    return sorted([*found, *extra], key=lambda v: v.pointer)


def _claimed(payload: Mapping[str, Any], item: Item, event: str | None) -> str | None:
    """The type a payload names for itself (``"type"``, or a provider's type header) when
    that is not a known type: a report can still say what the event claims to be."""
    named = payload.get("type")
    if isinstance(named, str) and named:
        return named
    if event:
        return event

    wanted = {get_provider(n).type_header.lower() for n in provider_names()} - {""}
    for name, value in (item.headers or {}).items():
        if name.lower() in wanted and value:
            return str(value)
    return None


def _skip_reason(exc: UnsupportedEventError) -> str:
    title = provider_title(exc.provider)
    if exc.action:
        return f"hookmock has no schema for {title} event {exc.event!r} with action {exc.action!r}"
    return f"hookmock has no schema for {title} event {exc.event!r}"


def _first_line(exc: BaseException) -> str:
    summary = getattr(exc, "summary", None)
    text = summary if isinstance(summary, str) else str(exc)
    return text.splitlines()[0] if text else type(exc).__name__
