"""Redaction: the one function every text hookmock prints or stores goes through.

It knows every secret in play (each secret hookmock signs or verifies with is remembered here,
plus any passed in) and every URL credential (``scheme://user:password@host``), and it redacts
*before* cutting a text to length, including a secret's prefix left at the cut.
"""

from __future__ import annotations

import _thread
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

REDACTED = "<redacted>"
#: Shorter "secrets" (test placeholders such as "s") are not searched for: replacing every "s"
#: would wreck the message, and a secret that short protects nothing.
MIN_SECRET_LENGTH = 6
#: Secrets remembered for every later text must be longer still, so that a placeholder or a
#: bare prefix such as "whsec_" never blanks out ordinary words in other messages.
MIN_REMEMBERED_LENGTH = 8
#: How many distinct secrets are remembered (the most recent ones), so memory stays bounded.
MAX_REMEMBERED = 256

#: Headers that carry a secret, lower-cased, each with how to mask its value. Providers add
#: their own (``Provider.secret_headers``) when their class is defined; ``Authorization`` is
#: everyone's.
_SECRET_HEADERS: dict[str, Callable[[str, str], str]] = {}


def mask_scheme(value: str) -> str:
    """``sha256=<redacted>``, ``v1,<redacted>``: keep a short leading scheme (up to the first
    ``=`` or ``,``) and mask everything after it."""
    cut = min((i for i in (value.find("="), value.find(",")) if i > 0), default=-1)
    return f"{value[: cut + 1]}{REDACTED}" if 0 < cut <= 16 else REDACTED


def _mask_authorization(_name: str, value: str) -> str:
    scheme, sep, _ = value.partition(",")
    return f"{scheme}{sep}{REDACTED}" if sep else REDACTED


def add_secret_headers(names: Iterable[str], mask: Callable[[str, str], str]) -> None:
    """Mask ``names`` (any case) with ``mask(name, value)`` in every header set hookmock prints."""
    with _lock:
        for name in names:
            _SECRET_HEADERS[name.lower()] = mask


def secret_header_names() -> frozenset[str]:
    """Every header known to carry a secret or a signature, lower-cased."""
    with _lock:
        return frozenset(_SECRET_HEADERS)


# userinfo in any URL: scheme://user:password@ or scheme://token@
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/?#@\s'\"<>]+)@")

# _thread, not threading: threading costs ~3 ms to import.
_lock = _thread.allocate_lock()
_remembered: dict[str, None] = {}
_SECRET_HEADERS["authorization"] = _mask_authorization


def remember(*secrets: object) -> None:
    """Note secrets in play, so every later redaction removes them."""
    with _lock:
        for secret in secrets:
            if isinstance(secret, str) and len(secret) >= MIN_REMEMBERED_LENGTH:
                _remembered.pop(secret, None)
                _remembered[secret] = None
        while len(_remembered) > MAX_REMEMBERED:
            del _remembered[next(iter(_remembered))]


def remember_url(url: object) -> None:
    """Note a URL's password (or token-as-user), so it is redacted even outside the URL."""
    if not isinstance(url, str):
        return
    match = _URL_USERINFO.search(url)
    if match:
        remember(_credential(match.group(2)))


def _credential(userinfo: str) -> str:
    """The secret part of ``user:password`` (or a token given as the user)."""
    user, _, password = userinfo.partition(":")
    return password or user


def _secrets_in_play(extra: Iterable[object]) -> list[str]:
    with _lock:
        known = list(_remembered)
    for secret in extra:
        if isinstance(secret, str) and len(secret) >= MIN_SECRET_LENGTH and secret not in known:
            known.append(secret)
    # Longest first, so a secret that contains another is removed whole.
    return sorted(known, key=len, reverse=True)


def redact(
    text: str,
    secrets: Iterable[object] = (),
    *,
    limit: int | None = None,
    truncated: bool = False,
) -> str:
    """``text`` with every secret and URL credential replaced by ``<redacted>``.

    With ``limit``, the result shows at most ``limit`` characters of ``text`` (plus the marks):
    redaction happens first, so a secret that starts before the cut is redacted whole, and a
    prefix of a secret ending exactly at the cut is redacted too. ``truncated=True`` says the
    text was already cut (a capped body): its end is a cut as well.
    """
    in_urls = [_credential(m.group(2)) for m in _URL_USERINFO.finditer(text[:1_000_000])]
    known = _secrets_in_play([*secrets, *in_urls])
    if truncated and (limit is None or len(text) <= limit):
        limit, text = len(text), text + "\0"  # one more character makes the end a cut
    if limit is None or len(text) <= limit:
        text = _URL_USERINFO.sub(rf"\1{REDACTED}@", text)
        for secret in known:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text
    # Every secret (or URL) starting before the cut lies whole inside this window.
    longest = len(known[0]) if known else 0
    text = _URL_USERINFO.sub(rf"\1{REDACTED}@", text[: limit + longest + 512])
    out: list[str] = []
    pos = 0
    while pos < limit:
        hit = _first_hit(text, known, pos, limit)
        if hit is None:
            out.append(text[pos:limit])
            pos = limit
            break
        start, secret = hit
        out.append(text[pos:start])
        out.append(REDACTED)
        pos = start + len(secret)
    if pos == limit and out and not out[-1].endswith(REDACTED):
        out[-1] = _drop_secret_prefix(out[-1], known)
    return "".join(out)


def _first_hit(text: str, known: list[str], pos: int, limit: int) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for secret in known:
        at = text.find(secret, pos)
        if at != -1 and at < limit and (best is None or at < best[0]):
            best = (at, secret)
    marker = text.find(REDACTED, pos)
    if marker != -1 and marker < limit and (best is None or marker < best[0]):
        best = (marker, REDACTED)  # an earlier redaction (a URL credential): keep it whole
    return best


def _drop_secret_prefix(tail: str, known: list[str]) -> str:
    """Replace the end of ``tail`` if it is the start of a secret (the rest was cut off)."""
    longest = 0
    for secret in known:
        for size in range(min(len(secret) - 1, len(tail)), longest, -1):
            if tail.endswith(secret[:size]):
                longest = size
                break
    return tail[: len(tail) - longest] + REDACTED if longest else tail


def redact_url(url: str) -> str:
    """A URL safe to print: its user and password replaced by ``<redacted>``."""
    return _URL_USERINFO.sub(rf"\1{REDACTED}@", url)


def redact_headers(headers: Mapping[str, str], secrets: Iterable[object] = ()) -> dict[str, str]:
    """The headers with signatures masked and any secret text removed (safe to print)."""
    out = {}
    for name, value in headers.items():
        mask = _SECRET_HEADERS.get(name.lower())
        if mask is not None:
            value = mask(name, value)
        out[name] = redact(value, secrets)
    return out
