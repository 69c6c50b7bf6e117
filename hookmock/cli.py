"""The ``hookmock`` command (and ``python -m hookmock``): argument parsing and dispatch only.

Each command lives in ``hookmock._cli``. Exit codes: 0 ok, 1 findings (invalid payloads, a
non-2xx answer), 2 usage or input errors. Bad input never ends in a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from . import __version__
from ._cli import flags, spec
from ._cli.common import Streams, UsageError, cli_message, seconds_flag, secret_flag
from ._errors import HookmockError, did_you_mean
from ._registry import provider_names
from ._reporters import FORMAT_HELP, FORMATS, one_line
from .providers import EXAMPLE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, NoReturn, TextIO


PROG = "hookmock"

_DESCRIPTION = """\
Generate, sign, send and validate webhook events, for every provider `hookmock list` names.

exit codes: 0 ok, 1 findings (invalid payloads, non-2xx answer), 2 usage or input errors.
"""

_EPILOG = """\
examples:
  hookmock list {provider}
  hookmock generate {provider} {type} --seed 7 --set {amount_path}=4999
  hookmock validate payloads/ --format junit -o junit.xml
  hookmock demo

Run `hookmock COMMAND --help` for each command's options and an example.
"""

_COMMANDS: dict[str, tuple[str, str, str]] = {
    # name: (module, function, one-line help)
    "list": ("catalog", "run_list", "list the event types a provider can generate"),
    "generate": ("generate", "run", "print or write sample events"),
    "validate": ("validate", "run", "check payload files against hookmock's schemas"),
    "sign": ("wire", "run_sign", "print the signature headers for a body"),
    "send": ("wire", "run_send", "POST one signed event to a URL"),
    "schema": ("catalog", "run_schema", "print an event type's JSON Schema"),
    "demo": ("catalog", "run_demo", "deliver events to a built-in receiver and print a report"),
    "contract": ("contract", "run", "run a webhook contract (YAML) against an app or a URL"),
    "load": ("load", "run", "send webhook load to a receiver with Locust (hookmock[load])"),
}


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def _parser_class(io: Streams) -> type[argparse.ArgumentParser]:
    class Parser(argparse.ArgumentParser):
        """argparse writing to the injected streams, raising instead of calling sys.exit."""

        def _print_message(self, message: str, file: Any = None) -> None:
            if not message:
                return
            if file is None or file is sys.stdout:
                file = io.stdout
            elif file is sys.stderr:
                file = io.stderr
            file.write(message)

        def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
            if message:
                io.stderr.write(message)
            raise _Exit(status)

        def error(self, message: str) -> NoReturn:
            if "invalid choice" in message:
                message += _command_hint(message)
            io.stderr.write(f"{self.prog}: error: {message}\n")
            io.stderr.write(f"Run `{self.prog} --help` for usage.\n")
            raise _Exit(2)

    return Parser


def _command_hint(message: str) -> str:
    word = message.split("'")[1] if message.count("'") >= 2 else ""
    close = did_you_mean(word, _COMMANDS)
    return f"; did you mean {close[0]!r}?" if close else ""


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def build_parser(io: Streams) -> argparse.ArgumentParser:
    cls = _parser_class(io)
    parser = cls(
        prog=PROG,
        description=_DESCRIPTION,
        epilog=_EPILOG.format_map(EXAMPLE),
        formatter_class=_formatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=cls)

    def command(name: str, usage_example: str, description: str = "") -> argparse.ArgumentParser:
        help_text = _COMMANDS[name][2]
        return sub.add_parser(
            name,
            help=help_text,
            description=(description or help_text[0].upper() + help_text[1:] + "."),
            epilog=f"example:\n  {usage_example}",
            formatter_class=_formatter,
        )

    p = command(
        "list",
        "hookmock list {provider} | grep {area}".format_map(EXAMPLE),
        "List the catalog. Without PROVIDER: each provider's type count by area. With\n"
        "PROVIDER: its types, one per line with a short description, under a '# AREA (N)'\n"
        "line per area; --area AREA keeps one area.",
    )
    p.add_argument(
        "provider",
        nargs="?",
        metavar="PROVIDER",
        help="a provider's name: list its types by area (default: each provider's areas)",
    )
    p.add_argument("--area", metavar="AREA", help="only the types of this area (with PROVIDER)")

    p = command(
        "generate",
        "hookmock generate {provider} {batch_type} --seed 1 --count 20 -o payloads/".format_map(
            EXAMPLE
        ),
        "Generate sample events, reproducibly: the same --seed gives the same bytes.\n"
        "With --count N, the events use seeds SEED, SEED+1, ... SEED+N-1. Without -o they are\n"
        "printed as JSON lines (one compact event per line; --format json prints one JSON\n"
        "array instead); with -o DIR each event is written to DIR/<type>-<id>.json, byte for\n"
        "byte as it is sent. -o FILE.json takes one event only; --count N -o FILE needs\n"
        "--format ndjson or yaml. When the payload alone does not tell its type, a\n"
        "<type>-<id>.headers.json sidecar with the delivery headers (without signatures)\n"
        "goes next to it, so that `hookmock validate DIR` works.",
    )
    _event_args(p)
    flags.story_arguments(p)
    p.add_argument("--count", type=int, default=1, metavar="N", help="how many events (default 1)")
    p.add_argument(
        "--format",
        choices=("json", "ndjson", "yaml"),
        default=None,
        help="output format: json (pretty; several events make one JSON array), ndjson (one"
        " compact event per line) or yaml (default: json for one event, ndjson for --count)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE|DIR",
        help="write to a file or a directory. With --count, -o DIR (an existing directory, a"
        " name ending in /, or a name without a .json/.ndjson/.yaml suffix) gets one file per"
        " event; -o FILE takes them all only as ndjson or yaml (a .json file is refused)",
    )

    p = command(
        "validate",
        "hookmock validate fixtures/ 'captured/**/*.json' events.ndjson --format junit",
        "Check payload files against hookmock's JSON Schemas. The type of each payload is\n"
        'detected: most events carry it in "type"; a provider that sends it in a header\n'
        "needs that header, from a sidecar file (foo.json + foo.headers.json, or\n"
        'foo.json.headers), from an envelope {"headers": {...}, "payload": {...}}, or from\n'
        "--provider/--type. Directories are searched recursively for *.json, *.ndjson and\n"
        "*.jsonl (the summary counts the files passed over, and why); .ndjson files hold one\n"
        "event per line and a JSON array is a batch of events; - reads stdin. Positions are\n"
        "reported as file:line.\n\n"
        "exit codes: 0 all valid (payloads of events hookmock has no schema for are\n"
        "reported as skipped), 1 invalid payloads (or skipped ones with --strict), 2 unreadable\n"
        "input or usage error.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, globs, or -")
    p.add_argument("--provider", metavar="P", help="only this provider's types (see hookmock list)")
    p.add_argument("--type", metavar="T", help="validate every payload as this event type")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help=f"report format (default: text; {FORMAT_HELP})",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the report to FILE (e.g. junit.xml); never one of the inputs, and never"
        " validated itself",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="also list valid payloads")
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 1) on payloads of real events hookmock has no schema for;"
        " by default they are reported as skipped",
    )

    p = command(
        "sign",
        'curl -H "$(hookmock sign {provider} --secret {secret} event.json)"'
        " --data-binary @event.json ...".format_map(EXAMPLE),
        "Print the signature header lines for a body (a file, or stdin), ready for curl -H.\n"
        "The body is signed byte for byte, exactly as read. --all-headers prints every header\n"
        "the provider sends, as curl -H arguments.",
    )
    p.add_argument("provider", metavar="PROVIDER")
    p.add_argument("file", nargs="?", metavar="FILE|-", help="the body (default: stdin)")
    p.add_argument(
        "--secret",
        required=True,
        action="append",
        type=secret_flag,
        metavar="S",
        help="signing secret (repeat to sign with several, as during rotation)",
    )
    p.add_argument(
        "--timestamp",
        type=int,
        metavar="T",
        help="unix time to sign with, or a negative number of seconds ago (for providers"
        " whose signature carries the time)",
    )
    p.add_argument(
        "--all-headers",
        action="store_true",
        help="print every header the provider sends (its event type and delivery id"
        " headers included) as curl -H arguments, not only the signature",
    )
    p.add_argument(
        "--type",
        metavar="T",
        help="with --all-headers: the event type, when the body does not tell it",
    )

    p = command(
        "send",
        (
            "hookmock send http://127.0.0.1:8000/webhooks/{provider} {provider} {type}"
            " --secret {secret} --allow-insecure-http"
        ).format_map(EXAMPLE),
        "POST one generated event with the provider's real headers, then print the status,\n"
        "the latency and an excerpt of the answer. Exits 1 unless the answer is 2xx.",
    )
    p.add_argument("url", metavar="URL")
    _event_args(p)
    flags.story_arguments(p, delivery=True)
    p.add_argument(
        "--secret",
        required=True,
        type=secret_flag,
        metavar="S",
        help="the endpoint's signing secret",
    )
    p.add_argument(
        "--timeout",
        type=seconds_flag,
        metavar="SECONDS",
        help="give up after this long (default: the provider's own timeout)",
    )
    p.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow a plain http:// URL that is not localhost",
    )
    p.add_argument(
        "--timestamp",
        type=int,
        metavar="T",
        help="sign at this unix time, or a negative number of seconds ago (--timestamp -600:"
        " ten minutes ago, to test the receiver's tolerance check)",
    )
    p.add_argument(
        "--header",
        action="append",
        metavar="NAME:VALUE",
        help="add or replace a header (NAME: with no value removes one); repeatable",
    )
    p.add_argument(
        "--wrong-secret",
        action="store_true",
        help="sign with a secret that is not --secret: the receiver must refuse the event"
        " (exit 0 on a 4xx answer, 1 if it is accepted)",
    )

    p = command(
        "schema",
        "hookmock schema {provider} {schema_type} --bundle > {schema_type}.schema.json".format_map(
            EXAMPLE
        ),
        "Print the JSON Schema (draft 2020-12) of an event type.",
    )
    p.add_argument("provider", metavar="PROVIDER")
    p.add_argument("type", metavar="TYPE")
    p.add_argument(
        "--bundle",
        action="store_true",
        help="one self-contained document, every $ref target embedded in $defs",
    )

    command(
        "demo",
        "hookmock demo",
        "Start a built-in reference receiver in-process, deliver a representative set of\n"
        "events plus the unhappy paths (bad signature, stale timestamp, duplicate, unknown\n"
        "type) and print a report. Needs no network, configuration or secrets.",
    )

    for name in spec.COMMANDS:
        spec.spec_arguments(sub.choices[name])
    flags.contract_arguments(
        command("contract", flags.CONTRACT_EXAMPLE, flags.CONTRACT_DESCRIPTION)
    )
    flags.load_arguments(command("load", flags.LOAD_EXAMPLE, flags.LOAD_DESCRIPTION))
    return parser


def _event_args(p: argparse.ArgumentParser) -> None:
    # Both optional for --story NAME (its name finds the provider); required otherwise.
    p.add_argument(
        "provider", nargs="?", metavar="PROVIDER", help="a provider (`hookmock list` shows them)"
    )
    p.add_argument(
        "type", nargs="?", metavar="TYPE", help="an event type (`hookmock list PROVIDER`)"
    )
    p.add_argument("--seed", type=int, metavar="N", help="seed for reproducible output")
    p.add_argument(
        "--set",
        action="append",
        metavar="PATH=VALUE",
        help="override a field, e.g. data.object.amount=4999 (VALUE parsed as JSON"
        " when it can be, else a string); repeatable",
    )
    p.add_argument("--trait", action="append", metavar="T", help="a named state, e.g. merged")
    p.add_argument(
        "--allow-new", action="store_true", help="let --set add fields that the event does not have"
    )


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: Any = None,
) -> int:
    """Run ``hookmock`` with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    # A stream closed by the caller (`hookmock ... >&-`) is None in sys: say so once, on the
    # stream that is left, instead of failing with AttributeError on the first write.
    closed = [name for name, stream in (("stdout", out), ("stderr", err)) if _closed(stream)]
    if closed:
        message = (
            f"hookmock: {' and '.join(closed)} {'is' if len(closed) == 1 else 'are'} closed, so"
            " hookmock could not report anything; redirect to a file or /dev/null instead of"
            " closing it.\n"
        )
        for stream in (err, out):
            if not _closed(stream):
                _write_quietly(stream, message)
                break
        return 2
    io = Streams(out, err, stdin if stdin is not None else sys.stdin)
    try:
        return _run(argv, io)
    except BrokenPipeError:
        # `hookmock generate ... | head` closes the pipe early; that is not an error.
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        io.stderr.write("hookmock: interrupted\n")
        return 130


def _run(argv: Sequence[str] | None, io: Streams) -> int:
    parser = build_parser(io)
    try:
        words = sys.argv[1:] if argv is None else argv
        args, extra = parser.parse_known_args(spec.prepare(words, parser))
        if (
            args.command == "sign"
            and args.file is None
            and len(extra) == 1
            and (extra[0] == "-" or not extra[0].startswith("-"))
        ):
            # argparse gives the optional FILE nothing once PROVIDER matched before --secret;
            # the one leftover word is that FILE.
            args.file, extra = extra[0], []
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    except _Exit as done:
        return done.code
    if args.command is None:
        parser.print_help(io.stderr)
        return 2
    module, function, _ = _COMMANDS[args.command]
    try:
        spec.load(args)  # --spec FILE: the document's provider, registered
        if args.command != "validate":  # validate words it for its --provider flag
            _check_provider_word(getattr(args, "provider", None))
        handler = getattr(importlib.import_module(f"._cli.{module}", __package__), function)
        code: int = handler(args, io)
    except HookmockError as exc:
        text = cli_message(exc)
        if isinstance(exc, UsageError):  # one line by design: a newline can only be a file name's
            text = one_line(text)
        io.stderr.write(f"hookmock {args.command}: error: {text}\n")
        return 2
    except BrokenPipeError:
        raise
    except OSError as exc:
        where = one_line(f"{exc.filename}: ") if getattr(exc, "filename", None) else ""
        io.stderr.write(f"hookmock {args.command}: error: {where}{exc.strerror or exc}\n")
        return 2
    except Exception as exc:
        if os.environ.get("HOOKMOCK_TRACEBACK"):
            raise
        # A bug, not bad input; still one readable line, with the way to get the details.
        io.stderr.write(
            f"hookmock {args.command}: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in hookmock; rerun with HOOKMOCK_TRACEBACK=1 for the traceback"
            " and please report it.\n"
        )
        return 2
    finally:
        spec.unload()  # a --spec provider lives for one command
    return code


def _closed(stream: TextIO | None) -> bool:
    try:
        return stream is None or bool(stream.closed)
    except (AttributeError, ValueError):  # a minimal writer without .closed is open
        return False


def _write_quietly(stream: TextIO | None, text: str) -> None:
    if stream is None:
        return
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        pass


def _check_provider_word(provider: str | None) -> None:
    """An empty PROVIDER (`hookmock list ''`) is a mistake, not "every provider"."""
    if provider is not None and not provider.strip():
        raise UsageError(
            f"PROVIDER is empty; name one of {', '.join(provider_names())}"
            " (`hookmock list` without it lists every provider)."
        )


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
