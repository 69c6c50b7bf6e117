"""``hookmock sign`` and ``hookmock send``: signature headers for a body, and one real delivery."""

from __future__ import annotations

import re
import shlex
from urllib.parse import urlsplit, urlunsplit

import hookmock

from .._errors import ConfigurationError, HookmockError, SchemaError, UnknownTypeError
from .._inputs import MAX_BYTES, read_file
from .._redaction import redact
from .._registry import get_provider
from .._seeding import random_seed
from ..delivery import signs_timestamp, signs_with_every_secret
from .common import UsageError, read_stdin
from .flags import STORY_ORDERS
from .generate import build_event, check_story_flags, tell_story

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import Any

    from .._event import Event
    from .._provider import Provider
    from .common import Streams

#: How much of the receiver's answer ``send`` prints.
EXCERPT = 300


def run_sign(args: argparse.Namespace, io: Streams) -> int:
    prov = get_provider(args.provider)
    source = args.file
    if source is not None and not source.strip():
        raise UsageError("FILE is empty; name the body's file, or pass - (or nothing) for stdin.")
    if source in (None, "-"):
        body = read_stdin(io.stdin_bytes(), MAX_BYTES + 1)
        source = "<stdin>"
    else:
        got = read_file(source)
        if isinstance(got, str):
            raise UsageError(f"{source}: {got}")
        body = got
    if len(body) > MAX_BYTES:
        raise UsageError(
            f"{source}: over the 25 MB cap on webhook payloads; no provider would send it."
        )
    _check_flags_matter(prov, body, args.secret, args.timestamp)
    if args.type is not None and not args.all_headers:
        raise UsageError(
            "--type names the event for --all-headers; the signature alone needs none."
        )
    if args.all_headers:
        headers = _all_headers(prov, body, source, args)
        io.stdout.write(" \\\n".join(f"-H {_quote(f'{k}: {v}')}" for k, v in headers.items()))
        io.stdout.write("\n")
        return 0
    headers = prov.sign(body, args.secret, timestamp=args.timestamp)
    for name, value in headers.items():
        io.stdout.write(f"{name}: {value}\n")
    return 0


def _all_headers(
    prov: Provider, body: bytes, source: str, args: argparse.Namespace
) -> dict[str, str]:
    """Every header the provider sends with ``body``: the event's own (its type header,
    delivery id, ...) and the signature, with the body kept byte for byte."""
    try:
        ev = prov.from_payload(body, type=args.type)
    except UnknownTypeError:
        raise
    except SchemaError:
        title = prov.title or prov.name
        raise UsageError(
            f"{source}: cannot tell which {title} event this body is; pass --type TYPE with"
            " --all-headers (e.g. --type push)."
        ) from None
    except HookmockError as exc:  # not JSON, not an object ...
        raise UsageError(f"{source}: {str(exc).splitlines()[0]}") from None
    secret: str | list[str] = args.secret if len(args.secret) > 1 else args.secret[0]
    return prov.headers(ev, secret, timestamp=args.timestamp)


def _quote(text: str) -> str:
    """One shell word (POSIX quoting), so the line pastes into a curl command as it is."""
    return shlex.quote(text)


def _check_flags_matter(
    prov: Provider, body: bytes, secrets: list[str], timestamp: int | None
) -> None:
    """Refuse flags the provider's scheme ignores, rather than print a misleading header."""
    title = prov.title or prov.name
    # Ask the declared capabilities (or the receiver's probes): a signer without timestamps
    # may refuse a timestamp and several secrets outright, so probing it would fail here.
    if timestamp is not None and not signs_timestamp(prov):
        raise UsageError(
            f"--timestamp does not apply to {title}: its signatures carry no timestamp."
        )
    if len(secrets) > 1 and not signs_with_every_secret(prov):
        raise UsageError(f"{title} signs with one secret only; pass --secret once.")


def run_send(args: argparse.Namespace, io: Streams) -> int:
    if check_story_flags(args, "send"):
        return run_send_story(args, io)
    prov = get_provider(args.provider)
    title = prov.title or prov.name
    extra = parse_headers(args.header)
    if args.timestamp is not None and not signs_timestamp(prov):
        raise UsageError(
            f"--timestamp does not apply to {title}: its signatures carry no timestamp."
        )
    seed = random_seed() if args.seed is None else args.seed
    ev = build_event(
        args.provider,
        args.type,
        seed=seed,
        sets=args.set,
        traits=args.trait or (),
        allow_new=args.allow_new,
    )
    sign_with = wrong_secret(args.secret) if args.wrong_secret else None
    send = _sender()
    try:
        result = send(
            args.url,
            ev,
            secret=args.secret,
            timeout=args.timeout,
            allow_insecure_http=args.allow_insecure_http,
            timestamp=args.timestamp,
            headers=extra,
            sign_with=sign_with,
        )
    except ConfigurationError as exc:
        raise UsageError(exc.render("cli")) from None
    url = _shown(args.url)
    what = f"{ev.provider} {ev.type} {ev.id} (seed {seed})"
    if result.status is None:
        # Nothing answered: say only that, not "Sent" first.
        if result.timed_out:
            waited = args.timeout if args.timeout is not None else result.timeout
            if args.timeout is not None:
                why = "(--timeout)"
            else:
                why = (
                    f"({title} gives up then and counts the delivery as failed; answer 2xx"
                    " first, then do the work)"
                )
            io.stderr.write(
                f"hookmock send: no answer from {url} to {what} within"
                f" {seconds(waited or result.elapsed)} {why}\n"
            )
            return 1
        io.stderr.write(f"hookmock send: error: {plain_error(url, str(result.error))}\n")
        return 2
    out = io.stdout
    signed = " signed with a wrong secret" if sign_with else ""
    out.write(f"Sent {what}{signed} to {url}\n")
    body = bytes(result.body)
    # Redacted before it is cut, so that no prefix of a secret survives at the cut.
    text = body.decode("utf-8", "replace")
    excerpt = _redacted(text, [args.secret, sign_with or ""], limit=EXCERPT)
    more = f" ... ({len(body)} bytes)" if len(text) > EXCERPT else ""
    out.write(f"{result.status} in {seconds(result.elapsed)}\n")
    out.write(f"{excerpt}{more}\n" if body else "(empty body)\n")
    if sign_with:
        return _judge_rejection(result.status, io)
    if not result.ok:
        io.stderr.write(
            f"hookmock: the receiver answered {result.status}; {ev.provider} counts anything but"
            " 2xx as a failed delivery.\n"
        )
        return 1
    return 0


def run_send_story(args: argparse.Namespace, io: Streams) -> int:
    """``send --story NAME URL``: tell the story, deliver it (order, drops, duplicates,
    concurrency), print one line per delivery; exit 1 unless every delivery got a 2xx."""
    for flag, name in (
        ("--wrong-secret", "wrong_secret"),
        ("--timestamp", "timestamp"),
        ("--header", "header"),
    ):
        if getattr(args, name, None):
            raise UsageError(f"{flag} applies to one event; send it without --story.")
    seed = random_seed() if args.seed is None else args.seed
    told = tell_story(args, seed)
    order = _story_order(args.order, len(told))
    send = _story_sender()
    # send_story()'s errors name its arguments as fields: the command line's handler words
    # them as this command's flags (--drop, --order ...).
    report = send(
        args.url,
        told,
        secret=args.secret,
        timeout=args.timeout,
        allow_insecure_http=args.allow_insecure_http,
        order=order,
        drop=_picks(args.drop),
        duplicates=_picks(args.duplicates),
        concurrency=args.concurrency or 1,
        seed=seed,
    )
    url = _shown(args.url)
    out = io.stdout
    out.write(f"Sent story {told.provider} {told.name} (seed {seed}) to {url}, order {order}\n")
    for delivery in report:
        out.write(f"  {delivery.line()}\n")
    bad = [d for d in report.delivered if d.status is None or not 200 <= d.status < 300]
    if bad:
        io.stderr.write(
            f"hookmock: {len(bad)} of {len(report.delivered)} deliveries got no 2xx answer;"
            f" {told.provider} counts those as failed.\n"
        )
        return 1
    return 0


def _story_order(text: str | None, n: int) -> str | list[int]:
    """``--order``: a name, or a comma-separated permutation of the story's indices."""
    if text is None:
        return "provider"
    if text in STORY_ORDERS:
        return text
    parts = [p.strip() for p in text.split(",")]
    if all(p.isdigit() for p in parts):
        return [int(p) for p in parts]
    raise UsageError(
        f"--order {text!r} is not an order: pass one of {', '.join(STORY_ORDERS)}, or a"
        f" permutation of the story's indices 0..{n - 1} separated by commas (e.g. 2,0,1)."
    )


def _picks(items: list[str] | None) -> int | list[int | str] | None:
    """``--drop``/``--duplicates``: indices (digits) and event types; a lone number given to
    ``--duplicates`` is a count, as send_story() reads it."""
    if not items:
        return None
    out: list[int | str] = [int(i) if i.strip().isdigit() else i.strip() for i in items]
    if len(out) == 1 and isinstance(out[0], int):
        return out[0]  # --duplicates 2: two events, chosen by the seed; --drop 2: event 2
    return out


def _story_sender() -> Callable[..., Any]:
    """``hookmock.receiver(url).send_story`` (the delivery layer), behind one seam for tests."""

    def send(
        url: str,
        told: Any,
        *,
        secret: str,
        timeout: float | None,
        allow_insecure_http: bool,
        **options: Any,
    ) -> Any:
        receiver = hookmock.receiver(
            url,
            provider=told.provider,
            secret=secret,
            timeout=timeout,
            allow_insecure_http=allow_insecure_http,
        )
        with receiver:
            return receiver.send_story(told, **options)

    return send


def _judge_rejection(status: int, io: Streams) -> int:
    """With --wrong-secret the right answer is a 4xx: the forged event was refused."""
    if 400 <= status < 500:
        io.stdout.write(f"Rejected with {status}, as a bad signature should be.\n")
        return 0
    if 200 <= status < 300:
        io.stderr.write(
            f"hookmock: the receiver accepted ({status}) an event signed with the wrong secret;"
            " it must verify the signature against the raw body and answer 4xx (400, 401 or"
            " 403) when it does not match.\n"
        )
    else:
        io.stderr.write(
            f"hookmock: the receiver answered {status} to a bad signature; refuse it with a 4xx"
            " (400, 401 or 403) instead.\n"
        )
    return 1


def wrong_secret(secret: str) -> str:
    """A secret of the same form that is certainly not ``secret``."""
    return secret[:-1] + ("A" if secret[-1:] != "A" else "B") if secret else "wrong"


def parse_headers(items: list[str] | None) -> dict[str, str | None]:
    """``--header NAME:VALUE`` flags: add or replace a header; ``NAME:`` (no value) removes it."""
    headers: dict[str, str | None] = {}
    for item in items or ():
        name, sep, value = item.partition(":")
        name, value = name.strip(), value.strip()
        if not sep or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
            raise UsageError(
                f"--header {item!r} should be NAME:VALUE, for example"
                " --header 'X-Event-Type: push' (NAME: with no value removes a header)."
            )
        if any(c in value for c in "\r\n\x00"):
            raise UsageError(f"--header {name}: the value holds a line break or NUL; remove it.")
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise UsageError(
                f"--header {name}: the value holds characters HTTP headers cannot carry (they"
                " are Latin-1 at most); percent-encode them, or use ASCII."
            ) from None
        headers[name] = value or None
    return headers


def seconds(value: float) -> str:
    """A duration as people read it: ``30 s``, ``1.5 s``, ``250 ms``, ``1e-09 s``."""
    if value >= 1:
        return f"{value:.3g} s"
    if value >= 0.001:
        return f"{value * 1000:.3g} ms"
    return f"{value:.3g} s"


def _redacted(text: str, secrets: list[Any], limit: int | None = None) -> str:
    """The answer without the secrets (or a prefix of one at the cut), should it echo them."""
    return redact(text, secrets, limit=limit)


#: (substrings any of which marks the failure, one-line explanation); {where} is host:port.
_FAILURES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("Connection refused", "Errno 111", "WinError 10061"),
        "connection refused: nothing is listening at {where}",
    ),
    (
        (
            "NameResolutionError",
            "Name or service not known",
            "nodename nor servname",
            "getaddrinfo failed",
            "Temporary failure in name resolution",
            "No address associated with hostname",
        ),
        "DNS lookup failed: cannot resolve {host} to an address",
    ),
    (
        ("CERTIFICATE_VERIFY_FAILED", "SSLCertVerificationError", "certificate verify failed"),
        "TLS verification failed: {where} presented a certificate this machine does not trust"
        " ({reason})",
    ),
    (
        ("SSLError", "SSL:", "TLSV1_ALERT", "WRONG_VERSION_NUMBER"),
        "TLS handshake with {where} failed ({reason}); is it serving https on that port?",
    ),
    (("ConnectTimeout", "timed out", "TimeoutError"), "timed out connecting to {where}"),
    (
        ("Connection reset", "RemoteDisconnected", "Connection aborted", "BadStatusLine"),
        "{where} closed the connection without an HTTP answer",
    ),
    (("No route to host", "Network is unreachable"), "no network route to {where}"),
)


def plain_error(url: str, error: str) -> str:
    """One line for a delivery that got no answer, instead of urllib3's exception chain."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or url
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        host, port = url, None
    where = f"{host}:{port}" if port else host
    for marks, text in _FAILURES:
        if any(m in error for m in marks):
            found = re.search(r"certificate verify failed: ([^(']+?)\s*[('\"]", error) or re.search(
                r"\[SSL: \w+\] ([^(']+?)\s*[('\"]", error
            )
            line = text.format(where=where, host=host, reason=found.group(1) if found else "")
            return line.replace(" ()", "")
    # Unknown failure: its innermost message, without the retry wrapper around it.
    inner = re.findall(r"\(Caused by \w+\((.*)\)\)", error)
    return f"{url}: no answer: {inner[-1] if inner else error}"


def _sender() -> Callable[..., Any]:
    """``hookmock.receiver(...).send`` (the delivery layer), behind one seam for tests."""

    def send(
        url: str,
        ev: Event,
        *,
        secret: str,
        timeout: float | None,
        allow_insecure_http: bool,
        timestamp: int | None = None,
        headers: dict[str, str | None] | None = None,
        sign_with: str | None = None,
    ) -> Any:
        receiver = hookmock.receiver(
            url,
            provider=ev.provider,
            secret=secret,
            timeout=timeout,
            allow_insecure_http=allow_insecure_http,
        )
        with receiver:
            return receiver.send(ev, secret=sign_with, timestamp=timestamp, headers=headers)

    return send


def _shown(url: str) -> str:
    """The URL without a password: a terminal or CI log must not echo ``user:pass@``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))
