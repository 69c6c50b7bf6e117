"""``WebhookUser`` and the Locust event listeners that make a run speak webhooks.

Importing this module imports Locust, which monkey-patches the process with gevent: only a
locustfile (which Locust imports) may import it. The listeners registered here add the
``--webhook-*`` options, gather each worker's counts and log lines on the master (through the
reports workers already send it), stop the workers gracefully before the master adds up, and
write the summary.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import json
import logging
import random
import time
from typing import IO, TYPE_CHECKING, Any, ClassVar

from locust import FastHttpUser, constant, events, task
from locust.runners import WORKER_REPORT_INTERVAL, MasterRunner, WorkerRunner

from .. import provider as get_provider
from .._errors import ConfigurationError, HookmockError
from .._registry import DEFAULT_PROVIDER
from ._log import log_line
from ._mix import Mix, load_mix
from ._summary import Tally, render, summarize
from ._traffic import DEFAULT_POOL, Delivery, Pool, Traffic

if TYPE_CHECKING:
    from collections.abc import Sequence

    from locust.env import Environment
    from locust.runners import Runner

    from .._provider import Provider

logger = logging.getLogger("hookmock.load")

#: Provider seconds per real second for retry waits: a +30 min retry comes after 1 s.
DEFAULT_SPEEDUP = 1800.0
#: The message the master sends workers to stop and report their last counts.
DRAIN = "hookmock_drain"


# -- settings ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Settings:
    """A WebhookUser class's configuration, after the command line and class attributes."""

    provider: Provider
    path: str
    secret: str | list[str]
    mix: Mix
    seed: int
    duplicates: float
    timeout: float
    retry_delays: tuple[float, ...]
    pool_size: int


def _option(environment: Environment, name: str) -> Any:
    options = environment.parsed_options
    return getattr(options, f"webhook_{name}", None) if options is not None else None


def resolve(cls: type[WebhookUser], environment: Environment) -> Settings:
    """The command line's ``--webhook-*`` options win over class attributes, then defaults."""

    def pick(name: str, default: Any = None) -> Any:
        given = _option(environment, name)
        if given is not None:
            return given
        own = getattr(cls, name if name != "pool" else "pool_size", None)
        return default if own is None else own

    provider = get_provider(pick("provider", DEFAULT_PROVIDER))
    secret = pick("secret")
    if secret is None:
        raise ConfigurationError(
            f"{cls.__name__} has no signing secret: set secret = '...' on the class or pass"
            " --webhook-secret (hookmock load: --secret)."
        )
    path = str(pick("path", "/"))
    if not path.startswith("/"):
        path = "/" + path
    timeout = float(pick("timeout", provider.timeout))
    speedup = float(pick("retry_speedup", DEFAULT_SPEEDUP))
    if not speedup > 0:
        raise ConfigurationError(f"the retry speed-up must be above 0, got {speedup!r}.")
    delays: Sequence[float] = ()
    if provider.retries:
        own_delays = cls.retry_delays
        if own_delays is None:
            own_delays = provider.retry_schedule
        delays = tuple(float(d) / speedup for d in own_delays)
    seed = pick("seed")
    if seed is None:
        raise ConfigurationError("no seed: the init listener picks one; is this module imported?")
    return Settings(
        provider=provider,
        path=path,
        secret=secret,
        mix=load_mix(pick("mix"), provider),
        seed=int(seed),
        duplicates=float(pick("duplicates", 0.0)),
        timeout=timeout,
        retry_delays=tuple(delays),
        pool_size=int(pick("pool", DEFAULT_POOL)),
    )


_POOLS: dict[tuple[Any, ...], Pool] = {}


def pool_for(settings: Settings) -> Pool:
    """One pool per configuration and process, shared by its users (generated on first use)."""
    key = (
        settings.provider.name,
        repr(settings.mix),
        repr(settings.secret),
        settings.seed,
        settings.pool_size,
    )
    pool = _POOLS.get(key)
    if pool is None:
        started = time.perf_counter()
        pool = Pool(
            settings.provider,
            settings.mix,
            settings.secret,
            seed=settings.seed,
            size=settings.pool_size,
        )
        _POOLS[key] = pool
        logger.info(
            "hookmock: %d %s events pooled in %.1f s (seed %d)",
            sum(len(t) for t in pool.templates),
            settings.provider.name,
            time.perf_counter() - started,
            settings.seed,
        )
    return pool


# -- what one process counts -----------------------------------------------------------------------


class Collector:
    """This process's tally and log lines; on the master, everything the workers reported too."""

    def __init__(self) -> None:
        self.tally = Tally()
        self.lines: list[str] = []
        self.logging = False
        self.file: IO[str] | None = None
        self.final = False
        self.started: float | None = None
        self.stopped: float | None = None
        self.awaiting: set[str] = set()
        self.complete = True
        self.timeout = 0.0
        self.provider = ""
        self.url = ""

    def reset(self) -> None:
        self.tally = Tally()
        self.lines = []
        self.final = False
        self.started = time.monotonic()
        self.stopped = None
        self.complete = True

    def write(self, lines: list[str]) -> None:
        if self.file is not None and lines:
            self.file.write("\n".join(lines) + "\n")

    def add(self, line: str) -> None:
        if self.file is not None:
            self.file.write(line + "\n")
        else:
            self.lines.append(line)

    def take(self) -> dict[str, Any]:
        lines, self.lines = self.lines, []
        final, self.final = self.final, False
        return {"tally": self.tally.take(), "lines": lines, "final": final}


COLLECTOR = Collector()


class NeverAccepted(Exception):
    """Shown in Locust's failures: an event the provider would have given up on."""


# -- the user ------------------------------------------------------------------------------------


class WebhookUser(FastHttpUser):
    """A Locust user that sends a provider's signed, realistic webhook events to ``host + path``.

    Configure it with class attributes or the ``--webhook-*`` command-line options (which win):
    ``provider`` (default: hookmock's default provider), ``path``, ``secret``, ``mix`` (a file, an inline
    ``"invoice.paid=3,charge.refunded=1"``, or a ``{type: weight}`` dict), ``seed``,
    ``duplicates`` (share of deliberate duplicate deliveries), ``timeout`` (the provider's),
    ``retry_speedup`` and ``pool_size``. Failed deliveries are retried on the provider's
    schedule, compressed by ``retry_speedup``; a provider that never retries, never does.
    """

    abstract = True
    provider: ClassVar[str | None] = None
    path: ClassVar[str | None] = None
    secret: ClassVar[str | list[str] | None] = None
    mix: ClassVar[Any] = None
    seed: ClassVar[int | None] = None
    duplicates: ClassVar[float | None] = None
    timeout: ClassVar[float | None] = None
    #: Waits between attempts in the provider's seconds (default: the provider's own schedule).
    retry_delays: ClassVar[Sequence[float] | None] = None
    retry_speedup: ClassVar[float | None] = None
    pool_size: ClassVar[int | None] = None
    #: Providers send as fast as events happen; pace users with Locust's wait_time if you like.
    wait_time = constant(0)

    _numbers = itertools.count()

    def __init__(self, environment: Environment) -> None:
        self.settings = resolve(type(self), environment)
        pool = pool_for(self.settings)
        # Read by FastHttpUser.__init__: the provider hangs up after its timeout, and the
        # headers every delivery shares are set once on the session.
        self.network_timeout = self.connection_timeout = self.settings.timeout
        self.default_headers = {**pool.shared, **(type(self).default_headers or {})}
        super().__init__(environment)
        runner = environment.runner
        self._worker = runner.worker_index if isinstance(runner, WorkerRunner) else None
        worker = "local" if self._worker is None else self._worker
        self.traffic = Traffic(
            pool,
            stream=(worker, type(self).__name__, next(self._numbers)),
            duplicates=self.settings.duplicates,
        )
        self._due: list[tuple[float, int, Delivery]] = []
        self._order = itertools.count()
        self._first_at: dict[str, float] = {}

    @task
    def deliver(self) -> None:
        """Send the next retry that is due, else a new event (or a deliberate duplicate)."""
        if self._due and self._due[0][0] <= time.monotonic():
            delivery = heapq.heappop(self._due)[2]
        else:
            delivery = self.traffic.next()
        self.send(delivery)

    def send(self, delivery: Delivery) -> bool:
        """POST one attempt, count it, and schedule a retry if the provider would."""
        timeout = self.settings.timeout
        wall = time.time() if COLLECTOR.logging else 0.0
        started = time.perf_counter()
        with self.client.post(
            self.settings.path,
            data=delivery.body,  # type: ignore[arg-type]  # bytes are sent as they are
            headers=self.traffic.own(delivery),
            name=delivery.template.names[delivery.kind],
            catch_response=True,
            allow_redirects=False,
        ) as response:
            elapsed = time.perf_counter() - started
            status = response.status_code or 0
            if 200 <= status < 300 and elapsed <= timeout:
                response.success()
                self._count(delivery, status, None, True, False, elapsed, wall)
                self.traffic.accepted(delivery)
                return True
            error = None if status else _error_kind(getattr(response, "error", None))
            if not status:
                response.failure(error)
            elif 200 <= status < 300:
                response.failure(f"answered {status} after the timeout ({timeout:g} s)")
            else:
                response.failure(f"HTTP {status}")
        timed_out = error == "timeout" or elapsed > timeout
        self._count(delivery, status, error, False, timed_out, elapsed, wall)
        return False

    def _count(
        self,
        delivery: Delivery,
        status: int,
        error: str | None,
        ok: bool,
        timed_out: bool,
        elapsed: float,
        wall: float,
    ) -> None:
        c = COLLECTOR
        t = c.tally
        t.sent += 1
        key = _STATUS.get(status) or _status_key(status, error)
        t.by_status[key] = t.by_status.get(key, 0) + 1
        if timed_out:
            t.timed_out += 1
        kind = delivery.kind
        if kind == "first":
            t.events += 1
        elif kind == "retry":
            t.retries += 1
        else:
            t.duplicates += 1
        if c.logging:
            c.add(
                log_line(
                    delivery.id,
                    delivery.type,
                    delivery.attempt,
                    kind,
                    status or None,
                    ok,
                    elapsed * 1000,
                    wall,
                    error,
                    self._worker,
                )
            )
        if kind == "duplicate":
            return
        if ok:
            t.accepted += 1
            return
        delays = self.settings.retry_delays
        if delivery.attempt <= len(delays):
            due = time.monotonic() + delays[delivery.attempt - 1]
            heapq.heappush(self._due, (due, next(self._order), delivery.again()))
        else:
            t.gave_up += 1
            self._never_accepted(delivery, f"gave up after {delivery.attempt} attempts")

    def _never_accepted(self, delivery: Delivery, why: str) -> None:
        self.environment.events.request.fire(
            request_type="WEBHOOK",
            name=f"never accepted: {why}",
            response_time=None,
            response_length=0,
            exception=NeverAccepted(f"{delivery.type} {delivery.id}: {why}"),
            context={},
        )

    def on_stop(self) -> None:
        pending, self._due = self._due, []
        for _, _, delivery in pending:
            COLLECTOR.tally.unfinished += 1
            self._never_accepted(delivery, "a retry was still due when the run stopped")


#: "200", "503", ...: the tally's keys, made once.
_STATUS: dict[int, str] = {}


def _status_key(status: int, error: str | None) -> str:
    if not status:
        return error or "no answer"
    _STATUS[status] = key = str(status)
    return key


def _error_kind(error: object) -> str:
    if error is None:
        return "no answer"
    text = f"{type(error).__name__} {error}".lower()
    if "timeout" in text or "timed out" in text:
        return "timeout"
    if "refused" in text:
        return "connection refused"
    return "connection error"


# -- listeners -------------------------------------------------------------------------------------


def _add_options(parser: Any, **_: Any) -> None:
    # On the parser itself: Locust's web UI options (is_secret, ...) exist only there.
    def add(flag: str, *args: Any, **kw: Any) -> None:
        # LOCUST_WEBHOOK_SECRET etc. work too: a secret stays off the process list that way.
        env = "LOCUST_" + flag.lstrip("-").upper().replace("-", "_")
        parser.add_argument(flag, *args, env_var=env, **kw)

    add(
        "--webhook-provider",
        metavar="NAME",
        help=f"a provider's name (default: {DEFAULT_PROVIDER})",
    )
    add("--webhook-path", metavar="PATH", help="the receiver's path on --host (default: /)")
    add("--webhook-secret", metavar="SECRET", is_secret=True, help="the signing secret")
    add("--webhook-mix", metavar="FILE|MIX", help="event mix: a YAML file or 'type=3,type=1'")
    add("--webhook-seed", type=int, metavar="N", help="seed for reproducible traffic")
    add("--webhook-duplicates", type=float, metavar="SHARE", help="share of deliberate duplicates")
    add("--webhook-timeout", type=float, metavar="SECONDS", help="the provider's timeout")
    add("--webhook-retry-speedup", type=float, metavar="X", help="compress retry waits X times")
    add("--webhook-pool", type=int, metavar="N", help="events generated per mix entry")
    add("--webhook-log", metavar="FILE", include_in_web_ui=False, help="NDJSON line per attempt")
    add("--webhook-summary-json", metavar="FILE", include_in_web_ui=False, help="summary as JSON")


def _webhook_classes(environment: Environment) -> list[type[WebhookUser]]:
    return [c for c in environment.user_classes if issubclass(c, WebhookUser)]


def _on_init(environment: Environment, **_: Any) -> None:
    runner = environment.runner
    options = environment.parsed_options
    if isinstance(runner, WorkerRunner):
        runner.register_message(DRAIN, _on_drain, concurrent=True)
        return
    classes = _webhook_classes(environment)
    if options is not None and options.webhook_seed is None:
        seeds = {c.seed for c in classes if c.seed is not None}
        if not seeds:
            # Picked once, here, and sent to every worker with the run's options.
            options.webhook_seed = random.SystemRandom().randrange(2**32)
    try:
        # Pool the events now, before Locust's --run-time clock starts. (A worker learns the
        # options from the master when the run starts, and pools them then.)
        for cls in classes:
            pool_for(resolve(cls, environment))
    except HookmockError as exc:
        logger.error("hookmock: %s", exc)
        raise SystemExit(2) from None
    if options is not None and options.webhook_log:
        COLLECTOR.file = open(options.webhook_log, "w", encoding="utf-8")  # noqa: SIM115
    if classes and not environment.stop_timeout:
        # Let deliveries in flight finish when the run stops, or they are lost to the count.
        environment.stop_timeout = max(_timeout_of(c, environment) for c in classes) + 1


def _timeout_of(cls: type[WebhookUser], environment: Environment) -> float:
    given = _option(environment, "timeout") or cls.timeout
    if given:
        return float(given)
    try:
        return get_provider(
            _option(environment, "provider") or cls.provider or DEFAULT_PROVIDER
        ).timeout
    except HookmockError:
        return 0.0  # the user's own start reports the unknown provider


def _on_test_start(environment: Environment, **_: Any) -> None:
    options = environment.parsed_options
    classes = _webhook_classes(environment)
    runner = environment.runner
    if classes and not isinstance(runner, MasterRunner):
        # Pool the events before the users start, so that the run measures the receiver only.
        for cls in classes:
            pool_for(resolve(cls, environment))
    COLLECTOR.reset()
    COLLECTOR.logging = bool(options is not None and options.webhook_log)
    if classes and not isinstance(runner, WorkerRunner):
        settings = resolve(classes[0], environment)
        COLLECTOR.timeout = settings.timeout
        COLLECTOR.provider = settings.provider.name
        COLLECTOR.url = (environment.host or classes[0].host or "").rstrip("/") + settings.path


def _on_report_to_master(client_id: str, data: dict[str, Any], **_: Any) -> None:
    data["hookmock"] = COLLECTOR.take()


def _on_worker_report(client_id: str, data: dict[str, Any], **_: Any) -> None:
    part = data.get("hookmock")
    if not part:
        return
    COLLECTOR.tally.merge(part["tally"])
    COLLECTOR.write(part["lines"])
    if part.get("final"):
        COLLECTOR.awaiting.discard(client_id)


def _on_drain(environment: Environment, msg: Any, **_: Any) -> None:
    """On a worker: stop the users gracefully; the next report carries the last counts."""
    assert environment.runner is not None
    environment.runner.stop()
    COLLECTOR.final = True


def _on_test_stopping(environment: Environment, **_: Any) -> None:
    COLLECTOR.stopped = time.monotonic()
    runner = environment.runner
    if not isinstance(runner, MasterRunner):
        return
    COLLECTOR.awaiting = {client.id for client in runner.clients.all}
    runner.send_message(DRAIN)
    deadline = time.monotonic() + (environment.stop_timeout or 0) + 3 * WORKER_REPORT_INTERVAL
    while COLLECTOR.awaiting and time.monotonic() < deadline:
        time.sleep(0.1)  # gevent's sleep: Locust monkey-patched time
    if COLLECTOR.awaiting:
        COLLECTOR.complete = False
        logger.warning(
            "hookmock: %d worker(s) sent no final counts in time; the summary misses them",
            len(COLLECTOR.awaiting),
        )


def _on_quitting(environment: Environment, **_: Any) -> None:
    runner = environment.runner
    if isinstance(runner, WorkerRunner) or runner is None:
        return
    if COLLECTOR.file is not None:
        COLLECTOR.file.close()
        COLLECTOR.file = None
    if COLLECTOR.started is None:
        return
    summary = _summary(environment, runner)
    options = environment.parsed_options
    path = options.webhook_summary_json if options is not None else None
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
    else:
        logger.info("\n%s", render(summary, get_provider(summary["provider"]).title))


def _summary(environment: Environment, runner: Runner) -> dict[str, Any]:
    stopped = COLLECTOR.stopped or time.monotonic()
    total = runner.stats.total
    measured = total.num_requests - total.num_none_requests
    percentiles = {
        f"p{round(p * 100)}_ms": float(total.get_response_time_percentile(p)) if measured else None
        for p in (0.5, 0.95, 0.99)
    }
    options = environment.parsed_options
    return summarize(
        COLLECTOR.tally,
        duration=stopped - (COLLECTOR.started or stopped),
        percentiles=percentiles,
        provider=COLLECTOR.provider or DEFAULT_PROVIDER,
        timeout=COLLECTOR.timeout,
        url=COLLECTOR.url,
        seed=getattr(options, "webhook_seed", None),
        complete=COLLECTOR.complete,
    )


# Registered on import: a locustfile that imports WebhookUser gets them all.
events.init_command_line_parser.add_listener(_add_options)
events.init.add_listener(_on_init)
events.test_start.add_listener(_on_test_start)
events.report_to_master.add_listener(_on_report_to_master)
events.worker_report.add_listener(_on_worker_report)
events.test_stopping.add_listener(_on_test_stopping)
events.quitting.add_listener(_on_quitting)
