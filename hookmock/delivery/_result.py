"""DeliveryResult: what one delivery did, its assertions, and failure messages that teach."""

from __future__ import annotations

import json
import keyword
from dataclasses import KW_ONLY, InitVar, dataclass, field
from urllib.parse import urlsplit

from .._errors import DeliveryError
from .._redaction import REDACTED as REDACTED  # re-exported for older imports
from .._redaction import redact
from .._redaction import redact_headers as redact_headers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

    from .._event import Event

BODY_EXCERPT = 500
#: API calls listed under a failure, and the width each line is cut to.
API_CALLS_SHOWN = 10
API_CALL_WIDTH = 400

_REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    301: "Moved Permanently",
    302: "Found",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """Kept for callers of the old name: see :func:`hookmock._redaction.redact`."""
    return redact(text, secrets)


def status_text(status: int | None) -> str:
    if status is None:
        return "no answer"
    reason = _REASONS.get(status)
    return f"{status} {reason}" if reason else str(status)


def format_ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:.1f} ms" if ms < 1000 else f"{seconds:.2f} s"


def format_virtual(seconds: float) -> str:
    s = int(seconds)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"+{h}h{m:02d}m{sec:02d}s" if h else f"+{m}m{sec:02d}s"


#: Longest repr of one override value, and of all arguments, in a reproduce line.
REPR_VALUE = 80
REPR_ALL = 400
_RESERVED = {"seed", "overrides", "traits", "allow_new", "type"}


def reproduce_call(event: Event) -> str:
    """``hookmock.event(...)`` that builds this event again: seed, options, traits, overrides."""
    spec: dict[str, Any] = dict(getattr(event, "_spec", None) or {})
    tree = spec.pop("overrides_tree", {}) or {}
    traits = spec.pop("traits", ()) or ()
    allow_new = spec.pop("allow_new", False)
    args = [repr(event.provider), repr(event.type), f"seed={event.seed}"]
    args += [f"{name}={_short(value)}" for name, value in sorted(spec.items())]
    if traits:
        args.append(f"traits={_short(list(traits))}")
    paths = _flatten(tree)
    if paths is not None and all(
        p.isidentifier() and not keyword.iskeyword(p) and p not in _RESERVED and p not in spec
        for p in paths
    ):
        args += [f"{p}={_short(v)}" for p, v in paths.items()]
    elif tree:
        args.append(f"overrides={_short(tree, REPR_ALL)}")
    if allow_new:
        args.append("allow_new=True")
    text = ", ".join(args)
    if len(text) > REPR_ALL:
        text = text[:REPR_ALL].rstrip(", ") + ", ...(truncated)"
    return f"hookmock.event({text})"


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any] | None:
    """Keyword paths (``data__object__amount``) for a nested override tree, or None if a key
    could not be part of one."""
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if not isinstance(key, str) or not key or "__" in key:
            return None
        path = f"{prefix}__{key}" if prefix else key
        if isinstance(value, dict) and value:
            inner = _flatten(value, path)
            if inner is None:
                return None
            out.update(inner)
        else:
            out[path] = value
    return out


def _short(value: object, limit: int = REPR_VALUE) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + " ..."


@dataclass(eq=False, repr=False, slots=True)
class Attempt:
    """One try at delivering: when (virtual seconds after the first try) and how it went."""

    number: int
    at: float
    status: int | None
    elapsed: float
    _: KW_ONLY
    timed_out: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def describe(self) -> str:
        what = "timed out" if self.timed_out else status_text(self.status)
        if self.error and not self.timed_out:
            what += f" ({self.error})"
        return f"attempt {self.number} at {format_virtual(self.at)}: {what} in {format_ms(self.elapsed)}"

    def __repr__(self) -> str:
        return f"<Attempt {self.describe()}>"


@dataclass(eq=False, repr=False, slots=True, kw_only=True)
class DeliveryResult:
    """The outcome of delivering one event (after any retries).

    ``status`` is the final HTTP status (None when no answer came: a timeout or a connection
    error), ``body`` the response bytes, ``elapsed`` seconds of the final attempt, ``attempts``
    every try with its virtual time. ``handled`` is True/False when a handled check ran, else None.
    """

    event: Event
    status: int | None
    body: bytes
    headers: dict[str, str]
    elapsed: float
    attempts: list[Attempt]
    sent_headers: dict[str, str]
    url: str
    target: str
    secrets: InitVar[Sequence[str]] = ()
    timed_out: bool = False
    timeout: float | None = None
    error: str | None = None
    reproduce: str = ""
    method: str = "POST"
    #: Where the signing secret came from ("the hookmock_<provider>_secret ini option"); the
    #: secret itself is never printed.
    secret_source: str = ""
    handled: bool | None = field(default=None, init=False)
    handled_notes: list[str] = field(default_factory=list, init=False)
    #: The provider API calls the app made while handling it (with ``mock_api=True`` or an
    #: active ``hookmock.api_mock()``), as :class:`hookmock.ApiCall` objects.
    api_calls: list[Any] = field(default_factory=list, init=False)
    #: True when a handler spy with ``once=True`` saw this event more than once.
    handled_repeatedly: bool = field(default=False, init=False)
    #: Set by assert_rejected()/assert_status(4xx): the failure was the point of the test.
    expected_failure: bool = field(default=False, init=False)
    #: For a 4xx: what the app did with the event anyway (a spy's call, a probe's yes), as
    #: sentences; empty when it acted on nothing. ``handled`` is True when it did.
    side_effects: list[str] = field(default_factory=list, init=False)
    #: For a 4xx: what the event was ("forged", "unsigned", "stale" or "rejected").
    rejected_as: str = field(default="rejected", init=False)
    _secrets: tuple[str, ...] = field(default=(), init=False)
    #: Where each handler spy's calls stood when the delivery began (see HandlerSpy.count).
    _spy_marks: dict[int, int] = field(default_factory=dict, init=False)

    def __post_init__(self, secrets: Sequence[str]) -> None:
        self.attempts = list(self.attempts)
        self._secrets = tuple(secrets)

    # -- reading ---------------------------------------------------------------------------------
    @property
    def ok(self) -> bool:
        """True when the final answer was 2xx (3xx counts as failure, as for providers)."""
        return self.status is not None and 200 <= self.status < 300

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)

    # -- assertions ------------------------------------------------------------------------------
    def assert_ok(self) -> DeliveryResult:
        """Assert a 2xx answer and, when a handled check ran, that the event was handled."""
        __tracebackhide__ = True  # pytest shows the test line, not hookmock's frames
        if not self.ok:
            raise DeliveryError(self.explain("expected a 2xx answer"))
        if self.handled is False:
            raise DeliveryError(
                self.explain(
                    "expected the event to be handled once, but it was handled more than once"
                    if self.handled_repeatedly
                    else "expected the event to be handled, but the handled check failed"
                )
            )
        return self

    def assert_status(self, status: int) -> DeliveryResult:
        """Assert this exact status; for a 4xx, also that the app did not act on the event."""
        __tracebackhide__ = True  # pytest shows the test line, not hookmock's frames
        if self.status != status:
            raise DeliveryError(self.explain(f"expected status {status_text(status)}"))
        if 400 <= status < 500:
            self._assert_not_acted_on()
            self.expected_failure = True
        return self

    def assert_rejected(self) -> DeliveryResult:
        """Assert a 4xx answer, given before the app acted on the event: what a receiver must
        do with a bad signature, a stale timestamp, a tampered body or a missing header.

        With a ``handled=`` probe or a handler spy, a rejection after the handler ran (or the
        side effect happened) fails: the receiver acted on an event it should not trust.
        """
        __tracebackhide__ = True  # pytest shows the test line, not hookmock's frames
        if self.status is None or not 400 <= self.status < 500:
            what = "it" if self.rejected_as == "rejected" else f"the {self.rejected_as} event"
            acted = (
                f"and it acted on {what}: {'; '.join(self.side_effects)}"
                if self.ok and self.side_effects
                else ""
            )
            raise DeliveryError(
                self.explain("expected the receiver to reject it with a 4xx", why=acted)
            )
        self._assert_not_acted_on()
        self.expected_failure = True
        return self

    def _assert_not_acted_on(self) -> None:
        __tracebackhide__ = True  # pytest shows the test line, not hookmock's frames
        if self.handled is not True:
            return
        ev = self.event
        did = "; ".join(self.side_effects) or "its handled check said so"
        headline = (
            f"{ev.provider} {ev.type} ({ev.id}): answered {status_text(self.status)} but"
            f" handled the {self.rejected_as} event first: {did}."
        )
        raise DeliveryError(
            self.explain(
                "expected the receiver to reject it without acting on it",
                headline=headline,
                why=(
                    "a receiver must verify the signature (and the timestamp) of the raw body"
                    " before it acts, and act on nothing it rejects"
                ),
            )
        )

    # -- messages --------------------------------------------------------------------------------
    def explain(self, expectation: str, *, headline: str = "", why: str = "") -> str:
        """A failure message: what was expected, what came back, what was sent, how to rerun.

        ``headline`` replaces the first line (say, what the app did wrong); ``why`` adds one.
        """
        ev = self.event
        got = (
            f"timed out after {format_ms(self.elapsed)}"
            if self.timed_out
            else (f"got {status_text(self.status)} in {format_ms(self.elapsed)}")
        )
        lines = [
            headline or f"{ev.provider} {ev.type} ({ev.id}): {expectation}, {got}.",
            f"  {self.method} {self.url}  [{self.target}]",
        ]
        if why:
            lines.append(f"  {why}")
        if self.timed_out and self.timeout is not None:
            lines.append(
                f"  the receiver took longer than the {self.timeout:g} s timeout; providers"
                " count that as a failed delivery (answer 2xx first, work later)"
            )
            if self.target.startswith(("WSGI", "Lambda")):
                kind = self.target.split(" ", 1)[0]
                lines.append(
                    f"  the {kind} handler cannot be stopped: it is still running in a background"
                    " thread and may change state after this (the pytest fixture waits for it"
                    " at teardown; receiver.wait_for_handlers() waits by hand)"
                )
            elif self.target.startswith("ASGI"):
                lines.append(
                    "  the ASGI app was cancelled; a sync (def) endpoint cannot be stopped and"
                    " runs on in the app's thread pool until it returns (the pytest fixture"
                    " waits for it at teardown; receiver.wait_for_handlers() waits by hand)"
                )
        if self.error and not self.timed_out:
            lines.append(f"  error: {redact_text(self.error, self._secrets)}")
        hint = self._hint()
        if hint:
            lines.append(f"  hint: {hint}")
        if self.status is not None and 400 <= self.status < 500 and self.secret_source:
            # A 4xx is most often a signature the app refused: say which secret signed it.
            lines.append(
                f"  signed with {self.secret_source}; a receiver checking another secret"
                " answers 4xx"
            )
        elif self.ok and self.rejected_as != "rejected":
            # Accepted although it was sent to be refused: say how it was made unacceptable.
            signed = f", signed with {self.secret_source}" if self.secret_source else ""
            check = "timestamp" if self.rejected_as == "stale" else "signature"
            lines.append(
                f"  it was sent as a {self.rejected_as} event{signed}; a receiver that checks"
                f" the {check} must refuse it with a 4xx"
            )
        for note in self.handled_notes:
            lines.append(f"  handled check: {note}")
        if self.api_calls:
            lines.append(f"  API calls while handling it ({len(self.api_calls)}):")
            shown = self.api_calls[:API_CALLS_SHOWN]
            lines.extend(
                f"    {redact(call.describe(), self._secrets, limit=API_CALL_WIDTH - 4)}"
                for call in shown
            )
            if len(self.api_calls) > len(shown):
                lines.append(
                    f"    ... and {len(self.api_calls) - len(shown)} more (result.api_calls)"
                )
        lines.append(f"  response body ({len(self.body)} bytes): {self._excerpt()}")
        lines.append("  headers sent (signatures redacted):")
        for name, value in redact_headers(self.sent_headers, self._secrets).items():
            lines.append(f"    {name}: {value}")
        if len(self.attempts) > 1:
            lines.append("  attempts:")
            lines.extend(f"    {a.describe()}" for a in self.attempts)
        if ev.seed is not None:
            lines.append(f"  reproduce this event: {reproduce_call(ev)}")
        if self.reproduce:
            lines.append(f"  {self.reproduce}")
        # Every line passes the redaction once more: URL passwords, probe errors, notes.
        return redact("\n".join(lines), self._secrets)

    def _hint(self) -> str:
        """A likely cause for common framework answers that are not about the event at all."""
        text = self.body[:4000].decode("utf-8", "replace")
        if self.status == 400 and (
            "DisallowedHost" in text or "<title>Bad Request (400)</title>" in text
        ):
            # Django's stock 400 page, most often a Host header outside ALLOWED_HOSTS.
            return (
                "if this is Django, the Host header may be outside ALLOWED_HOSTS"
                f" (hookmock sent {urlsplit(self.url).hostname!r});"
                " pass host=... (one of ALLOWED_HOSTS) to hookmock.receiver()"
            )
        if self.status == 403 and "CSRF" in text:
            return (
                "Django's CSRF check refused the POST; providers send no CSRF token, so the"
                " webhook view needs @csrf_exempt"
            )
        if self.status is not None and 300 <= self.status < 400:
            location = next((v for k, v in self.headers.items() if k.lower() == "location"), None)
            where = (
                f"it redirects to {location!r}"
                if location
                else "it answered a redirect without a Location header"
            )
            slash = ""
            if location:
                target = urlsplit(location).path
                posted = urlsplit(self.url).path
                if target.rstrip("/") == posted.rstrip("/") and target != posted:
                    slash = " (only the trailing slash differs: Django's APPEND_SLASH does this)"
            return (
                f"{where}{slash}; providers do not follow redirects, so this delivery failed."
                f" Fix path= to the URL the app really serves (hookmock posted to {self.url})"
            )
        if self.status in (404, 405):
            return f"is path= right? hookmock posted to {self.url}"
        return ""

    def _excerpt(self) -> str:
        if not self.body:
            return "(empty)"
        # Redact, then cut: a secret straddling the cut (or its start, left at it) never shows.
        window = self.body[: BODY_EXCERPT + 4096]
        text = redact(
            window.decode("utf-8", "replace"),
            self._secrets,
            limit=BODY_EXCERPT,
            truncated=len(self.body) > len(window),
        )
        more = " ..." if len(self.body) > BODY_EXCERPT else ""
        return repr(text) + more

    def __repr__(self) -> str:
        handled = "" if self.handled is None else f" handled={self.handled}"
        return (
            f"<DeliveryResult {self.event.type} {self.event.id} {status_text(self.status)}"
            f" {format_ms(self.elapsed)}{handled}>"
        )
