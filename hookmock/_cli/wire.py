"""``hookmock sign`` and ``hookmock send``: signature headers for a body, and one real delivery."""

from __future__ import annotations

from .._errors import ConfigurationError
from .common import UsageError

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
    from .._inputs import MAX_BYTES, read_file
    from .._registry import get_provider

    prov = get_provider(args.provider)
    source = args.file
    if source in (None, "-"):
        body = io.stdin_bytes().read(MAX_BYTES + 1)
        source = "<stdin>"
    else:
        got = read_file(source)
        if isinstance(got, str):
            raise UsageError(f"{source}: {got}")
        body = got
    if len(body) > MAX_BYTES:
        raise UsageError(f"{source}: over GitHub's 25 MB payload cap; no provider would send it.")
    _check_flags_matter(prov, body, args.secret, args.timestamp)
    headers = prov.sign(body, args.secret, timestamp=args.timestamp)
    for name, value in headers.items():
        io.stdout.write(f"{name}: {value}\n")
    return 0


def _check_flags_matter(
    prov: Provider, body: bytes, secrets: list[str], timestamp: int | None
) -> None:
    """Refuse flags the provider's scheme ignores, rather than print a misleading header."""
    from ..delivery._receiver import signs_timestamp, signs_with_every_secret

    title = prov.title or prov.name
    # Ask the declared capabilities (or the receiver's probes): GitHub's signer refuses a
    # timestamp and several secrets outright, so probing it with them would fail here.
    if timestamp is not None and not signs_timestamp(prov):
        raise UsageError(
            f"--timestamp does not apply to {title}: its signatures carry no timestamp."
        )
    if len(secrets) > 1 and not signs_with_every_secret(prov):
        raise UsageError(f"{title} signs with one secret only; pass --secret once.")


def run_send(args: argparse.Namespace, io: Streams) -> int:
    from .._seeding import random_seed
    from .generate import build_event

    seed = random_seed() if args.seed is None else args.seed
    ev = build_event(
        args.provider,
        args.type,
        seed=seed,
        sets=args.set,
        traits=args.trait or (),
        allow_new=args.allow_new,
    )
    send = _sender()
    try:
        result = send(
            args.url,
            ev,
            secret=args.secret,
            timeout=args.timeout,
            allow_insecure_http=args.allow_insecure_http,
        )
    except ConfigurationError as exc:
        raise UsageError(
            str(exc).replace("allow_insecure_http=True", "--allow-insecure-http")
        ) from None
    out = io.stdout
    out.write(f"Sent {ev.provider} {ev.type} {ev.id} (seed {seed}) to {_shown(args.url)}\n")
    if result.status is None:
        if result.timed_out:
            out.write(f"no answer: timed out after {result.elapsed:.1f} s\n")
            io.stderr.write(
                f"hookmock: {ev.provider} gives up after {result.timeout or 0:.0f} s and counts"
                " the delivery as failed; answer 2xx first, then do the work.\n"
            )
            return 1
        io.stderr.write(
            f"hookmock send: error: {plain_error(_shown(args.url), str(result.error))}\n"
        )
        return 2
    body = bytes(result.body)
    excerpt = body[:EXCERPT].decode("utf-8", "replace")
    more = f" ... ({len(body)} bytes)" if len(body) > EXCERPT else ""
    out.write(f"{result.status} in {result.elapsed * 1000:.0f} ms\n")
    out.write(f"{excerpt}{more}\n" if body else "(empty body)\n")
    if not result.ok:
        io.stderr.write(
            f"hookmock: the receiver answered {result.status}; {ev.provider} counts anything but"
            " 2xx as a failed delivery.\n"
        )
        return 1
    return 0


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
    import re
    from urllib.parse import urlsplit

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
    import hookmock

    def send(
        url: str, ev: Event, *, secret: str, timeout: float | None, allow_insecure_http: bool
    ) -> Any:
        receiver = hookmock.receiver(
            url,
            provider=ev.provider,
            secret=secret,
            timeout=timeout,
            allow_insecure_http=allow_insecure_http,
        )
        with receiver:
            return receiver.send(ev)

    return send


def _shown(url: str) -> str:
    """The URL without a password: a terminal or CI log must not echo ``user:pass@``."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))
