"""What a story is made of: its parameters, its shared objects and the function that tells it.

A provider lists its stories (:meth:`hookmock.Provider.stories`) as :class:`StoryDef` values; the
function of each gets a :class:`~hookmock.stories.Teller` and emits the story's events through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .._errors import ArgumentTypeError, ConfigurationError, did_you_mean

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from ._tell import Teller

_KINDS = {int: "an int", str: "a str", bool: "True or False", float: "a number"}


@dataclass(frozen=True)
class Param:
    """One parameter of a story: ``amount``, ``currency``, ``retries``, ``pushes``...

    ``choices`` limits it to a set of values; ``low``/``high`` bound a number (inclusive).
    """

    name: str
    default: Any
    help: str = ""
    choices: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None

    def check(self, story: str, value: Any) -> Any:
        kind = type(self.default)
        ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            ok, value = True, float(value)
        if not ok:
            raise ArgumentTypeError(
                f"Story {story!r}: parameter {self.name}= must be {_KINDS.get(kind, kind.__name__)}"
                f" ({self.help or 'see hookmock.stories()'}), got {value!r}."
                f" For example {self.name}={self.default!r}."
            )
        if self.choices and value not in self.choices:
            close = did_you_mean(value, [str(c) for c in self.choices])
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ConfigurationError(
                f"Story {story!r}: {self.name}={value!r} is not one of"
                f" {', '.join(map(repr, self.choices))}.{hint}"
            )
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            lo = "" if self.low is None else f"at least {self.low:g}"
            hi = "" if self.high is None else f"at most {self.high:g}"
            raise ConfigurationError(
                f"Story {story!r}: {self.name}={value!r} is out of range; it must be"
                f" {' and '.join(p for p in (lo, hi) if p)} ({self.help or self.name})."
            )
        return value


@dataclass(frozen=True)
class StoryDef:
    """A story a provider can tell: a name, a one-line description, its parameters, the shared
    objects a user may override (object name -> overridable fields) and the telling function."""

    name: str
    description: str
    tell: Callable[[Teller], None]
    params: tuple[Param, ...] = ()
    objects: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: In the provider's own order (``send_story(order="provider")``), the chance that two
    #: neighbouring events swap places: 0 for a provider that sends in order.
    swaps: float = 0.0

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)
