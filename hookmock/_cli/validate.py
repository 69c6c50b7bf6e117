"""``hookmock validate``: check payload files against hookmock's schemas, fast.

Every valid payload costs one JSON parse and one compiled (jsonschema-rs) check; ``jsonschema``
is imported only when a payload is invalid, to explain exactly where and why.
"""

from __future__ import annotations

from .._errors import HookmockError, SchemaError, UnknownTypeError, UnsupportedEventError
from .._reporters import Result
from .common import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Mapping
    from typing import Any, TextIO

    from .._inputs import Item
    from .common import Streams


def run(args: argparse.Namespace, io: Streams) -> int:
    from .._inputs import iter_items
    from .._reporters import REPORTERS, Summary

    if args.paths.count("-") > 1:
        raise UsageError("- (stdin) can be given only once; stdin is read to its end.")
    from .._validation import is_action_event

    # --type pull_request names the event (as X-GitHub-Event does); each payload's action decides.
    event = args.type if args.type and is_action_event(args.provider, args.type) else None
    fixed = None if event else _fixed_schema(args.provider, args.type)
    out: TextIO
    if args.output and args.output != "-":
        try:
            out = open(args.output, "w", encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise UsageError(f"--output {args.output}: cannot write: {exc.strerror}") from None
    else:
        out = io.stdout
    try:
        reporter = REPORTERS[args.format](out, verbose=args.verbose)
        summary = Summary(strict=args.strict)
        check = Checker(
            "github" if event else args.provider,
            fixed,
            locate=args.format in ("github", "json"),
            event=event,
        )
        stdin = io.stdin_bytes() if "-" in args.paths else None
        for item in iter_items(args.paths, stdin=stdin):
            result = check(item)
            summary.add(result)
            reporter.add(result)
        reporter.finish(summary)
    finally:
        if out is not io.stdout:
            out.close()
    if out is not io.stdout:
        io.stdout.write(f"{summary.line()} Report written to {args.output}.\n")
    return summary.exit_code


def _fixed_schema(provider: str | None, type: str | None) -> tuple[str, str] | None:
    """The (provider, type) forced by ``--provider``/``--type``, checked once up front."""
    from .._registry import get_provider

    if provider is not None:
        prov = get_provider(provider)  # unknown name: UnknownProviderError with "did you mean"
        if type is None:
            return None
        prov.check_type(type)
        return provider, type
    if type is None:
        return None
    from .._validation import owner_of

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
        from .._registry import _BUILTIN, get_provider

        self.provider = provider
        #: Find the line of each violation in its file (for reports that can show it).
        self.locate = locate
        self.fixed = fixed
        #: ``--type`` named a GitHub event with actions: it stands in for X-GitHub-Event.
        self.event = event
        self._fast: dict[tuple[str, str], Callable[[Any], bool] | None] = {}
        # Built-in providers are asked first, Stripe (one dict lookup) before GitHub (shape
        # rules); third-party ones only if neither recognises the payload. That keeps the
        # entry-point scan off the common path.
        names = [provider] if provider else sorted(_BUILTIN, key=lambda n: n != "stripe")
        self._detectors = [(name, get_provider(name).detect) for name in names]

    def __call__(self, item: Item) -> Result:
        source, line, payload = item.source, item.line, item.payload
        if payload is None:
            return Result(source, line, problem=item.problem or "unreadable")
        try:
            provider, type = self.fixed or self._detect(payload, item)
        except UnsupportedEventError as exc:
            # Not a finding about the payload: hookmock cannot check it (--strict fails it).
            return Result(
                source, line, provider=exc.provider, type=exc.type, skipped=_skip_reason(exc)
            )
        except SchemaError as exc:
            if exc.errors:  # the payload (or its header) names a type that does not fit
                return Result(source, line, provider=exc.provider, violations=exc.errors)
            return Result(source, line, problem=_first_line(exc))
        except HookmockError as exc:
            return Result(source, line, problem=_first_line(exc))
        key = (provider, type)
        try:
            is_valid = self._fast[key] if key in self._fast else self._compile(key)
            if is_valid is not None and is_valid(payload):
                return Result(source, line, provider=provider, type=type)
            from .._validation import violations

            found = violations(payload, provider, type)
        except HookmockError as exc:
            return Result(source, line, provider=provider, type=type, problem=_first_line(exc))
        lines = None
        if item.raw is not None and self.locate:
            from .._inputs import line_of

            lines = [line_of(item.raw, v.pointer) for v in found]
        return Result(source, line, provider=provider, type=type, violations=found, lines=lines)

    def _detect(self, payload: Mapping[str, Any], item: Item) -> tuple[str, str]:
        headers = item.headers
        headers_from = item.headers_from or "headers"
        if self.event is not None:
            headers, headers_from = {"X-GitHub-Event": self.event}, "--type"
        for name, detect in self._detectors:
            found = detect(payload, headers)
            if found is not None:
                return name, found
        # The slow path explains why: an incomplete envelope, a close-but-unknown type, a
        # header that does not fit, or a payload --provider excludes.
        from .._validation import detect as explain

        return explain(
            payload,
            provider=self.provider,
            headers=headers,
            headers_from=headers_from,
            cli=True,
        )

    def _compile(self, key: tuple[str, str]) -> Callable[[Any], bool] | None:
        from .._registry import get_provider
        from .._validation import _ensure_type, _fast_validator

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


def _skip_reason(exc: UnsupportedEventError) -> str:
    title = {"github": "GitHub"}.get(exc.provider, exc.provider)
    if exc.action:
        return f"hookmock has no schema for {title} event {exc.event!r} with action {exc.action!r}"
    return f"hookmock has no schema for {title} event {exc.event!r}"


def _first_line(exc: BaseException) -> str:
    summary = getattr(exc, "summary", None)
    text = summary if isinstance(summary, str) else str(exc)
    return text.splitlines()[0] if text else type(exc).__name__
