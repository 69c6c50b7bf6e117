"""``--spec FILE``: a provider described by an OpenAPI 3.1 document, for one command's run.

``hookmock generate --spec openapi.yaml order.created`` reads the document's ``webhooks:``
(``hookmock.openapi_provider``), registers the provider, and runs the command with it in the
PROVIDER place. The flags say what the document cannot: the signature scheme, the type header.
"""

from __future__ import annotations

import argparse
import os
import re

from .common import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

#: The commands that take ``--spec``; those in ``_PROVIDER_WORD`` have a PROVIDER positional
#: that the document's provider fills.
COMMANDS = ("list", "generate", "validate", "sign", "send", "schema")
_PROVIDER_WORD = {"generate": 0, "sign": 0, "send": 1, "schema": 0}  # positionals before it
#: Stands in the PROVIDER place until the document is read (its name is known then).
_PLACEHOLDER = "\x00spec"
#: Providers registered for the command that runs, forgotten when it ends (``main`` may run
#: in-process, in a test, and the next command must not see them).
_registered: list[str] = []

SPEC_HELP = """\
With --spec FILE, the provider is the one an OpenAPI 3.1 document describes (its
webhooks: section) and PROVIDER is left out: hookmock generate --spec openapi.yaml TYPE."""


def spec_arguments(p: argparse.ArgumentParser) -> None:
    """The ``--spec`` flags of one command, in a group of their own."""
    group = p.add_argument_group(
        "a provider from an OpenAPI 3.1 document (leave PROVIDER out)", SPEC_HELP
    )
    group.add_argument(
        "--spec",
        metavar="FILE",
        help="an OpenAPI 3.1 document (YAML or JSON) whose webhooks: are the provider's events",
    )
    group.add_argument(
        "--provider-name",
        metavar="NAME",
        help="the provider's name (default: from the document's info.title)",
    )
    group.add_argument(
        "--signing",
        metavar="SCHEME",
        default="standard",
        help="standard (webhook-signature: v1,<base64>; the default) or hmac:HEADER, e.g."
        " hmac:X-Hub-Signature-256",
    )
    group.add_argument(
        "--signature-prefix", metavar="TEXT", default="", help="with hmac: e.g. sha256="
    )
    group.add_argument(
        "--signature-encoding",
        choices=("hex", "base64"),
        default="hex",
        help="with hmac: hex (default) or base64",
    )
    group.add_argument(
        "--signature-algorithm",
        choices=("sha1", "sha256", "sha384", "sha512"),
        default="sha256",
        help="with hmac: the digest (default sha256)",
    )
    group.add_argument(
        "--signed-message",
        metavar="TEMPLATE",
        default="{body}",
        help="with hmac: what is signed, {body} and optionally {timestamp} (default {body})",
    )
    group.add_argument(
        "--timestamp-header",
        metavar="HEADER",
        default="",
        help="with hmac: the header carrying {timestamp}",
    )
    group.add_argument(
        "--type-header",
        metavar="HEADER",
        default="",
        help="the header naming the event, e.g. X-Acme-Event (sent, and read by validate)",
    )
    group.add_argument(
        "--type-field",
        metavar="FIELD",
        default="",
        help="the payload field naming the type, e.g. type",
    )
    group.add_argument(
        "--event-name",
        metavar="FIELD",
        help="the operation field naming each webhook's event, e.g. x-acme.event"
        " (default: the webhook's key)",
    )


def prepare(argv: Sequence[str], parser: argparse.ArgumentParser) -> list[str]:
    """``argv`` with a stand-in in the PROVIDER place when ``--spec`` is given, so that
    ``generate --spec FILE TYPE`` parses as ``generate PROVIDER TYPE``.

    The command's positional words go first, together, with the stand-in among them: argparse
    fills optional positionals from the first run of words it meets, so they must not be
    split by options.
    """
    words = list(argv)
    if not any(w == "--spec" or w.startswith("--spec=") for w in words):
        return words
    command = next((i for i, w in enumerate(words) if not w.startswith("-")), None)
    if command is None or words[command] not in _PROVIDER_WORD or "--" in words:
        return words
    takes_value = _value_options(parser, words[command])
    positionals: list[str] = []
    options: list[str] = []
    i = command + 1
    while i < len(words):
        word = words[i]
        if word.startswith("-") and word != "-":
            width = 2 if word in takes_value else 1
            options.extend(words[i : i + width])
            i += width
        else:
            positionals.append(word)
            i += 1
    at = min(_PROVIDER_WORD[words[command]], len(positionals))  # send URL PROVIDER TYPE
    positionals.insert(at, _PLACEHOLDER)
    return [*words[: command + 1], *positionals, *options]


def _value_options(parser: argparse.ArgumentParser, command: str) -> set[str]:
    """The options of ``command`` that take a value (``--seed N``), as typed without ``=``."""
    out: set[str] = set()
    # argparse has no public way to list a parser's actions; _actions has been there since
    # argparse began, and a wrong guess here only shifts where PROVIDER's stand-in goes.
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            sub = action.choices.get(command)
            for opt in sub._actions if sub is not None else ():
                if opt.option_strings and opt.nargs != 0:
                    out.update(opt.option_strings)
    return out


def load(args: argparse.Namespace) -> None:
    """Read ``--spec``'s document, register its provider, and put it in the PROVIDER place."""
    path = getattr(args, "spec", None)
    if path is None:
        if getattr(args, "provider", None) == _PLACEHOLDER:  # pragma: no cover - prepare's
            raise UsageError("--spec needs a FILE.")
        return
    if not path.strip():
        raise UsageError(
            "--spec is empty; name your OpenAPI 3.1 document, e.g. --spec openapi.yaml."
        )
    if getattr(args, "provider", None) not in (None, _PLACEHOLDER):
        raise UsageError(
            f"--spec {path} names the provider; leave PROVIDER ({args.provider}) out, or"
            " leave --spec out to use that provider."
        )
    # Import budget: the document reader (yaml, referencing) loads only when --spec is given.
    from ..providers.openapi import openapi_provider, read_document
    from ..signing import HmacScheme

    name = args.provider_name or _name_of(read_document(path)[0], path)
    signing: str | HmacScheme = "standard"
    if args.signing != "standard":
        kind, _, header = args.signing.partition(":")
        if kind != "hmac" or not header.strip():
            raise UsageError(
                f"--signing {args.signing}: pass standard, or hmac:HEADER (the header the"
                " signature travels in), e.g. --signing hmac:X-Hub-Signature-256"
                " --signature-prefix sha256=."
            )
        signing = HmacScheme(
            header.strip(),
            prefix=args.signature_prefix,
            encoding=args.signature_encoding,
            algorithm=args.signature_algorithm,
            message=args.signed_message,
            timestamp_header=args.timestamp_header,
        )
    _registered.append(name)
    openapi_provider(
        path,
        name=name,
        signing=signing,
        type_header=args.type_header,
        type_field=args.type_field,
        event_name=args.event_name,
        register=True,
        replace=True,
    )
    if args.command in _PROVIDER_WORD or getattr(args, "provider", None) is None:
        args.provider = name


def _name_of(doc: dict[str, object], path: str) -> str:
    """A provider name from the document's title (``Acme Shop`` -> ``acme-shop``), else its
    file's name."""
    info = doc.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    stem = os.path.splitext(os.path.basename(path))[0]
    for text in (title, stem):
        if isinstance(text, str):
            slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
            if slug:
                return slug
    return "openapi"


def unload() -> None:
    """Forget the providers :func:`load` registered."""
    if not _registered:
        return
    # Import budget: only a run with --spec gets here.
    from .._provider import unregister_provider

    while _registered:
        unregister_provider(_registered.pop())
