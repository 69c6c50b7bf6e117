"""hookmock's exception hierarchy: every error a user can meet derives from HookmockError."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


def did_you_mean(name: object, candidates: Iterable[object], *, limit: int = 3) -> list[str]:
    """Return up to ``limit`` candidates close to ``name``, best first."""
    # Import budget: difflib loads with the first suggestion (import hookmock stays light).
    import difflib

    if not isinstance(name, str):
        return []
    pool = [c for c in candidates if isinstance(c, str)]
    close = difflib.get_close_matches(name, pool, n=limit, cutoff=0.6)
    if not close:
        # Prefix/substring matches catch "payment_intent" -> "payment_intent.succeeded".
        close = [c for c in pool if name and (c.startswith(name) or name in c)][:limit]
    return close


def _suggestion(close: Sequence[str]) -> str:
    if not close:
        return ""
    return " Did you mean " + " or ".join(repr(c) for c in close) + "?"


class HookmockError(Exception):
    """Base class of every error hookmock raises on purpose."""


class UnknownProviderError(HookmockError, LookupError):
    """The provider name is not registered."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = list(known)
        super().__init__(
            f"Unknown provider {name!r}.{_suggestion(did_you_mean(name, known))}"
            f" Known providers: {', '.join(known)}."
        )


class UnknownTypeError(HookmockError, LookupError):
    """The event type is not in the provider's catalog."""

    def __init__(self, provider: str, type: str, known: Sequence[str]) -> None:
        self.provider = provider
        self.type = type
        self.suggestions = did_you_mean(type, known)
        super().__init__(
            f"Unknown {provider} event type {type!r}.{_suggestion(self.suggestions)}"
            f" Run `hookmock list {provider}` or call hookmock.types({provider!r})"
            " to see all of them."
        )


class UnsupportedEventError(UnknownTypeError):
    """A real event (or action) of the provider that hookmock's catalog has no schema for.

    Not a finding about the payload: hookmock cannot check it. ``event`` and ``action`` say
    which (``action`` is None for a whole event outside the catalog); ``title`` is the
    provider's human name for the message (its name when not given).
    """

    def __init__(
        self, provider: str, event: str, action: str | None = None, *, title: str | None = None
    ) -> None:
        self.provider = provider
        self.event = event
        self.action = action
        self.type = f"{event}.{action}" if action else event
        self.suggestions = []
        title = title or provider
        if action:
            why = (
                f"hookmock has no schema for {title} event {event!r} with action {action!r}"
                f" (not one of the actions in hookmock's catalog, nor close to one)"
            )
        else:
            why = (
                f"hookmock has no schema for {title} event {event!r} (a real {title} event"
                " outside hookmock's catalog)"
            )
        HookmockError.__init__(self, f"{why}, so the payload cannot be checked.")


class OverrideError(HookmockError, KeyError):
    """An override names a field that does not exist, or cannot be applied."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.message


class TraitError(HookmockError, ValueError):
    """A named state (trait) is unknown for the event type."""


class SecretError(HookmockError, ValueError):
    """A signing secret is missing, empty or malformed."""


class SignatureError(HookmockError, ValueError):
    """A signature header is missing, malformed, stale or does not match the body."""


class PayloadError(HookmockError, ValueError):
    """A payload cannot be read at all: bad JSON, not an object, nesting too deep."""


class Violation:
    """One schema violation: where (a JSON pointer) and what (a message)."""

    # Hand-written, not a dataclass: `import hookmock` loads this module, and dataclasses (with
    # inspect and enum) would cost every import about 10 ms (benchmarks/bench_import.py).

    __slots__ = ("message", "pointer", "schema_path")

    def __init__(self, pointer: str, message: str, schema_path: str = "") -> None:
        self.pointer = pointer
        self.message = message
        self.schema_path = schema_path

    def __repr__(self) -> str:
        return f"Violation({self.pointer!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Violation):
            return NotImplemented
        return (self.pointer, self.message) == (other.pointer, other.message)

    def __hash__(self) -> int:
        return hash((self.pointer, self.message))

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


class SchemaError(HookmockError, ValueError):
    """A payload does not match its JSON Schema (or cannot be matched to one).

    ``errors`` lists every violation found, each with a JSON pointer and a message.
    """

    def __init__(
        self,
        message: str,
        errors: Sequence[Violation] = (),
        *,
        provider: str | None = None,
        type: str | None = None,
    ) -> None:
        self.errors = list(errors)
        self.provider = provider
        self.type = type
        self.summary = message
        if self.errors:
            shown = "\n".join(f"  {v}" for v in self.errors[:20])
            more = len(self.errors) - 20
            if more > 0:
                shown += f"\n  ... and {more} more"
            message = f"{message}\n{shown}"
        super().__init__(message)


class DeliveryError(HookmockError, AssertionError):
    """A delivery did not turn out as asserted (status, handled check, timeout)."""


class ConfigurationError(HookmockError, ValueError):
    """hookmock was asked for something that cannot work as configured."""


class ArgumentTypeError(ConfigurationError, TypeError):
    """An argument of the wrong type: a hookmock error, and still a ``TypeError``."""


# Errors are public as hookmock.<Name>; show them so in tracebacks and pytest reports.
for _cls in (
    HookmockError,
    UnknownProviderError,
    UnknownTypeError,
    UnsupportedEventError,
    OverrideError,
    TraitError,
    SecretError,
    SignatureError,
    PayloadError,
    Violation,
    SchemaError,
    DeliveryError,
    ConfigurationError,
):
    _cls.__module__ = "hookmock"
del _cls
