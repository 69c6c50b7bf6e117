"""``receiver.send_story()``: deliver a story's events in a provider's order (or a harsh one), with
duplicates, drops and concurrency, and report what the receiver did with each."""

from __future__ import annotations

import inspect
import random
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from .._errors import ArgumentTypeError, ConfigurationError, DeliveryError, did_you_mean
from .._event import Event
from .._render import Option
from .._seeding import derive_seed
from .._stories import Story

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from ..apimock import ApiMock
    from ._receiver import Receiver
    from ._result import DeliveryResult

ORDERS = ("provider", "given", "shuffled", "reversed")
DUPLICATE_TIMINGS = ("mixed", "at_once", "later")


class StoryDelivery:
    """One delivery of a story event: where it sits in the story, what came back, how long."""

    __slots__ = ("dropped", "duplicate", "elapsed", "event", "index", "result")

    def __init__(
        self,
        index: int,
        event: Event,
        result: DeliveryResult | None,
        *,
        duplicate: bool = False,
        dropped: bool = False,
        elapsed: float = 0.0,
    ) -> None:
        self.index = index
        self.event = event
        self.result = result
        self.duplicate = duplicate
        self.dropped = dropped
        self.elapsed = elapsed

    @property
    def type(self) -> str:
        return self.event.type

    @property
    def event_id(self) -> str:
        return self.event.id

    @property
    def status(self) -> int | None:
        return None if self.result is None else self.result.status

    @property
    def handled(self) -> bool | None:
        return None if self.result is None else self.result.handled

    @property
    def ok(self) -> bool:
        """Dropped (never sent), or answered 2xx and not found unhandled."""
        return self.result is None or (self.result.ok and self.result.handled is not False)

    def line(self) -> str:
        if self.dropped:
            return f"[{self.index}] {self.type} {self.event_id}  dropped (never delivered)"
        status = "no answer" if self.status is None else str(self.status)
        flags = " duplicate" if self.duplicate else ""
        handled = "" if self.handled is None else f" handled={self.handled}"
        return (
            f"[{self.index}] {self.type} {self.event_id}  {status}{handled}"
            f" {self.elapsed * 1000:.0f} ms{flags}"
        )

    def __repr__(self) -> str:
        return f"<StoryDelivery {self.line()}>"


class StoryReport:
    """What ``send_story()`` did: one :class:`StoryDelivery` per delivery, in delivery order
    (dropped events last), and checks over them."""

    def __init__(
        self,
        story: Story,
        deliveries: list[StoryDelivery],
        *,
        order: str,
        seed: int,
        reproduce: str = "",
    ) -> None:
        self.story = story
        self.deliveries = deliveries
        self.order = order
        self.seed = seed
        self.reproduce = reproduce

    def __iter__(self) -> Iterator[StoryDelivery]:
        return iter(self.deliveries)

    def __len__(self) -> int:
        return len(self.deliveries)

    @property
    def delivered(self) -> list[StoryDelivery]:
        return [d for d in self.deliveries if not d.dropped]

    @property
    def dropped(self) -> list[StoryDelivery]:
        return [d for d in self.deliveries if d.dropped]

    @property
    def sequence(self) -> list[int]:
        """The story indices in the order they were delivered (a duplicate shows twice)."""
        return [d.index for d in self.delivered]

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.deliveries)

    def describe(self) -> str:
        """The delivery order, one line per delivery, and how to get it again."""
        s = self.story
        lines = [
            f"story {s.provider} {s.name!r} (seed={s.seed}), order={self.order!r}"
            f" (seed={self.seed}): delivered {len(self.delivered)}, dropped {len(self.dropped)}",
            *(f"  {d.line()}" for d in self.deliveries),
        ]
        params = "".join(f", {k}={v!r}" for k, v in s.params.items())
        lines.append(
            f"  reproduce: hookmock.story({s.provider!r}, {s.name!r}, seed={s.seed}{params}),"
            f" then send_story(..., order={self.order!r}, seed={self.seed})"
        )
        if self.reproduce:
            lines.append(f"  {self.reproduce}")
        return "\n".join(lines)

    def assert_ok(self) -> StoryReport:
        """Assert every delivery got a 2xx and, where a handled check ran, was handled."""
        __tracebackhide__ = True
        bad = [d for d in self.deliveries if not d.ok]
        if bad:
            first = bad[0]
            assert first.result is not None
            detail = first.result.explain(
                "expected a 2xx answer"
                + (" and the event handled" if first.handled is False else "")
            )
            raise DeliveryError(
                f"{len(bad)} of {len(self.delivered)} deliveries of the story failed; the first,"
                f" event [{first.index}] of the story:\n{detail}\n\n{self.describe()}"
            )
        return self

    def assert_all_handled(self) -> StoryReport:
        """Assert every delivered event was handled (needs a ``handled=`` probe or a spy)."""
        __tracebackhide__ = True
        self.assert_ok()
        unjudged = sorted({d.type for d in self.delivered if d.handled is None})
        if unjudged:
            raise DeliveryError(
                f"no handled check ran for {', '.join(unjudged)}: give the receiver a handled="
                f" probe (or a handler spy) to tell handled from merely answered.\n\n"
                f"{self.describe()}"
            )
        return self

    def assert_final(self, probe: Callable[[], object], *, message: str = "") -> StoryReport:
        """Run ``probe()`` (the app's final state, say ``lambda: db.active("cus_...")``) and fail,
        with this story's delivery order, unless it returns truthy without raising."""
        __tracebackhide__ = True
        if not callable(probe):
            raise ConfigurationError(
                f"assert_final() takes a function of no arguments that checks the app's final"
                f" state, such as lambda: db.is_active(customer_id); got {probe!r}."
            )
        try:
            outcome = probe()
        except AssertionError as exc:
            why = f"the check failed: {exc}" if str(exc) else "the check's assert failed"
        except Exception as exc:
            why = f"the check raised {type(exc).__name__}: {exc}"
        else:
            if outcome or outcome is None:
                return self
            why = f"the check returned {outcome!r}"
        raise DeliveryError(
            f"final state is wrong after the story: {message + '; ' if message else ''}{why}.\n"
            f"{self.describe()}"
        )

    def __repr__(self) -> str:
        bad = sum(not d.ok for d in self.deliveries)
        return (
            f"<StoryReport {self.story.name} order={self.order} {len(self.delivered)} delivered,"
            f" {len(self.dropped)} dropped, {bad} failed>"
        )


# -- planning ---------------------------------------------------------------------------------------
def plan_order(story: Story, order: object, rng: random.Random, swaps: float) -> list[int]:
    """The story indices in delivery order."""
    n = len(story)
    if isinstance(order, str):
        if order == "given":
            return list(range(n))
        if order == "reversed":
            return list(range(n - 1, -1, -1))
        if order == "shuffled":
            out = list(range(n))
            rng.shuffle(out)
            return out
        if order == "provider":
            out = list(range(n))
            i = 0
            while i < n - 1:
                if rng.random() < swaps:
                    out[i], out[i + 1] = out[i + 1], out[i]
                    i += 2
                else:
                    i += 1
            return out
        close = did_you_mean(order, ORDERS)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ConfigurationError(
            template="{option} is not an order.{hint} Pass one of {orders}, or a permutation of"
            " range({n}) (a list of the story's indices, each once).",
            option=_option("order", order),
            hint=hint,
            orders=", ".join(map(repr, ORDERS)),
            n=n,
            suggestions=close,
        )
    if isinstance(order, Sequence) and not isinstance(order, (bytes, bytearray)):
        items = list(order)
        if all(isinstance(i, int) and not isinstance(i, bool) for i in items) and sorted(
            items
        ) == list(range(n)):
            return items
        missing = sorted(set(range(n)) - {i for i in items if isinstance(i, int)})
        typed = all(isinstance(i, int) and not isinstance(i, bool) for i in items)
        raise (ConfigurationError if typed else ArgumentTypeError)(
            template="{option} is not a permutation of the story's {n} events: each index"
            " 0..{last} must appear exactly once{missing}. Or pass one of {orders}.",
            option=_option("order", items),
            n=n,
            last=n - 1,
            missing=f" (missing: {missing})" if missing else "",
            orders=", ".join(map(repr, ORDERS)),
        )
    raise ArgumentTypeError(
        template="{option} takes one of {orders} or a permutation (a list of indices); got {got}.",
        option=_option("order"),
        orders=", ".join(map(repr, ORDERS)),
        got=type(order).__name__,
    )


def _option(name: str, *value: object) -> Option:
    """``send_story(name=value)`` inside an error; each front end words it its own way."""
    return Option("send_story", name, repr(value[0]) if value else None)


def pick_events(story: Story, spec: object, what: str, rng: random.Random) -> list[int]:
    """``drop=``/``duplicates=``: indices, types, a count (seeded choice) or nothing."""
    n = len(story)
    if spec is None or spec is False or spec == ():
        return []
    if isinstance(spec, int) and not isinstance(spec, bool):
        if what == "duplicates":
            if not 0 <= spec <= n:
                raise ConfigurationError(
                    template="{option}: the story has {n} events; pass 0..{n}, or the indices or"
                    " types to deliver twice.",
                    option=_option("duplicates", spec),
                    n=n,
                )
            return sorted(rng.sample(range(n), spec))
        spec = [spec]
    if isinstance(spec, str):
        spec = [spec]
    if not isinstance(spec, (list, tuple, set, frozenset)):
        raise ArgumentTypeError(
            template="{option} takes indices, event types, or a list of them; got {got}.",
            option=_option(what),
            got=type(spec).__name__,
        )
    types = story.types()
    out: set[int] = set()
    for item in spec:
        if isinstance(item, int) and not isinstance(item, bool):
            if not -n <= item < n:
                raise ConfigurationError(
                    template="{option}: the story has {n} events (indices 0..{last}).",
                    option=_option(what, item),
                    n=n,
                    last=n - 1,
                )
            out.add(item % n)
        elif isinstance(item, str):
            hits = [i for i, t in enumerate(types) if t == item]
            if not hits:
                close = did_you_mean(item, sorted(set(types)))
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ConfigurationError(
                    template="{option} names no event of story {story!r}.{hint} Its types:"
                    " {types}.",
                    option=_option(what, item),
                    story=story.name,
                    hint=hint,
                    types=", ".join(sorted(set(types))),
                    suggestions=close,
                )
            out.update(hits)
        else:
            raise ArgumentTypeError(
                template="{option} items are indices or event types; got {got!r}.",
                option=_option(what),
                got=item,
            )
    return sorted(out)


def schedule(
    sequence: list[int], dups: list[int], timing: str, rng: random.Random
) -> list[list[tuple[int, bool]]]:
    """Slots of deliveries: a slot's deliveries run at once (an original and its concurrent
    duplicate); slots run in order. A later duplicate lands one to three slots after its
    original (or last)."""
    slots: list[list[tuple[int, bool]]] = [[(i, False)] for i in sequence]
    later: list[tuple[int, int]] = []
    for index in dups:
        pos = sequence.index(index)
        mode = timing if timing != "mixed" else rng.choice(("at_once", "later"))
        if mode == "at_once":
            slots[pos].append((index, True))
        else:
            later.append((pos + rng.randint(1, 3), index))
    for pos, index in sorted(later, reverse=True):
        slots.insert(min(pos + 1, len(slots)), [(index, True)])
    return slots


def feed_mocks(mocks: list[ApiMock], story: Story, delivered: set[int]) -> None:
    """Tell the API mocks about every story event before delivery: a dropped one still exists
    at the provider (its list endpoints show it), it just never reached the receiver.

    Until ``ApiMock.feed`` takes ``delivered=``, a delivered event is fed when it is delivered
    (``delivering()``) and a dropped one not at all.
    """
    for api in mocks:
        if not _feed_takes_delivered(api):
            continue
        for index, event in enumerate(story):
            api.feed(event, delivered=index in delivered)  # type: ignore[call-arg,unused-ignore]


def _feed_takes_delivered(api: ApiMock) -> bool:
    try:
        return "delivered" in inspect.signature(api.feed).parameters
    except (TypeError, ValueError):  # pragma: no cover - a builtin stand-in
        return False


# -- delivery ---------------------------------------------------------------------------------------
def send_story(
    receiver: Receiver,
    story: Story,
    *,
    order: str | Sequence[int] = "provider",
    duplicates: int | str | Sequence[int | str] | None = None,
    duplicate_timing: str = "mixed",
    drop: int | str | Sequence[int | str] | None = None,
    concurrency: int = 1,
    seed: int | None = None,
    handled: Callable[[Event], object] | None = None,
) -> StoryReport:
    if not isinstance(story, Story):
        raise ArgumentTypeError(
            f"send_story() takes a hookmock.Story (hookmock.story(provider, name)); got"
            f" {type(story).__name__}."
        )
    if story.provider != receiver.provider.name:
        raise ConfigurationError(
            f"This receiver speaks {receiver.provider.name}, but story {story.name!r} is a"
            f" {story.provider} story. Use hookmock.receiver(..., provider={story.provider!r})."
        )
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        typed = isinstance(concurrency, int) and not isinstance(concurrency, bool)
        raise (ConfigurationError if typed else ArgumentTypeError)(
            template="{option} must be an int >= 1, got {got!r}.",
            option=_option("concurrency"),
            got=concurrency,
        )
    if duplicate_timing not in DUPLICATE_TIMINGS:
        raise (ConfigurationError if isinstance(duplicate_timing, str) else ArgumentTypeError)(
            template="{option} must be one of {timings}.",
            option=_option("duplicate_timing", duplicate_timing),
            timings=", ".join(map(repr, DUPLICATE_TIMINGS)),
        )
    if seed is None:
        seed = derive_seed(receiver.seed, "story", story.name, story.seed)
    elif isinstance(seed, bool) or not isinstance(seed, int):
        raise ArgumentTypeError(
            template="{option} must be an int, got {got!r}.", option=_option("seed"), got=seed
        )
    rng = random.Random(seed)
    definition = receiver.provider.stories().get(story.name)
    swaps = definition.swaps if definition is not None else 0.0
    sequence = plan_order(story, order, random.Random(derive_seed(seed, "order")), swaps)
    dropped = set(pick_events(story, drop, "drop", rng))
    sequence = [i for i in sequence if i not in dropped]
    dups = [i for i in pick_events(story, duplicates, "duplicates", rng) if i not in dropped]
    slots = schedule(sequence, dups, duplicate_timing, rng)
    feed_mocks(receiver._api_mocks(), story, set(sequence))

    def one(item: tuple[int, bool]) -> StoryDelivery:
        index, again = item
        start = time.perf_counter()
        result = receiver._deliver(
            story[index],
            handled=handled,
            secret=None,
            timestamp=None,
            extra=None,
            timeout=receiver.timeout,
            again=again,
        )
        return StoryDelivery(
            index, story[index], result, duplicate=again, elapsed=time.perf_counter() - start
        )

    done: list[StoryDelivery] = []
    if concurrency == 1 and all(len(s) == 1 for s in slots):
        done = [one(s[0]) for s in slots]
    else:
        workers = max(concurrency, max(len(s) for s in slots))
        with ThreadPoolExecutor(workers, thread_name_prefix="hookmock-story") as pool:
            if concurrency == 1:
                for slot in slots:
                    done.extend(_together(pool, one, slot))
            else:
                flat = [item for slot in slots for item in slot]
                done = list(pool.map(one, flat))
    for index in sorted(dropped):
        done.append(StoryDelivery(index, story[index], None, dropped=True))
    order_name = order if isinstance(order, str) else f"permutation {list(order)}"
    return StoryReport(story, done, order=order_name, seed=seed, reproduce=receiver.reproduce)


def _together(
    pool: ThreadPoolExecutor,
    one: Callable[[tuple[int, bool]], StoryDelivery],
    slot: list[tuple[int, bool]],
) -> list[StoryDelivery]:
    """Deliver a slot's items at the same moment (an event and its concurrent duplicate)."""
    if len(slot) == 1:
        return [one(slot[0])]
    gate = threading.Barrier(len(slot))

    def gated(item: tuple[int, bool]) -> StoryDelivery:
        gate.wait()
        return one(item)

    return list(pool.map(gated, slot))
