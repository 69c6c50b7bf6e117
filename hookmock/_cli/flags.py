"""The flags of ``hookmock contract`` and ``hookmock load``: the parser is built for every
command, so these stay apart from what the commands need to run (CLI dispatch loads that)."""

from __future__ import annotations

import argparse
import math

from .._registry import DEFAULT_PROVIDER
from .common import seconds_flag, secret_flag

CONTRACT_EXAMPLE = "hookmock contract tests/webhooks.yaml --app myapp.wsgi:app --secret whsec_test"
CONTRACT_DESCRIPTION = """\
Run a webhook contract: a YAML file naming one endpoint (provider, path) and the
deliveries to make to it, each with what must happen (status, attempts, body).
The target is an app called in-process (--app module:attr, WSGI or ASGI; module:factory()
calls a factory) or a URL (--url); without either, the contract's own `app:` or `url:`.
The secret and seed default to the contract's own.

A contract's `handled:` expectations need a probe inside the app: --handled module:attr
names one, a callable (event) -> bool, as the hookmock_contract_handled ini option does.
Without it they are not checked (the command says so). A contract with `given:` steps
needs --given module:attr, a dict of step name -> callable (as hookmock_contract_given).

exit codes: 0 every expectation held, 1 some did not, 2 usage or contract errors."""


def contract_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="the contract, e.g. tests/webhooks.yaml")
    target = p.add_mutually_exclusive_group()
    target.add_argument(
        "--app", metavar="MODULE:ATTR", help="import this WSGI/ASGI app (default: the contract's)"
    )
    target.add_argument(
        "--url", metavar="URL", help="POST to this base URL instead (default: the contract's)"
    )
    p.add_argument(
        "--handled",
        metavar="MODULE:ATTR",
        help="the probe (event) -> bool that `handled:` expectations read",
    )
    p.add_argument(
        "--given",
        metavar="MODULE:ATTR",
        help="a dict of step name -> callable for the contract's `given:` steps",
    )
    p.add_argument("--secret", metavar="S", help="the endpoint's signing secret")
    p.add_argument("--seed", type=int, metavar="N", help="seed for the generated events")
    p.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow a plain http:// URL that is not localhost",
    )


LOAD_EXAMPLE = (
    f"hookmock load http://127.0.0.1:8000/webhooks/{DEFAULT_PROVIDER} --provider {DEFAULT_PROVIDER}"
    " --secret whsec_hookmock_demo --users 20 --spawn-rate 20 --run-time 30s --headless"
)
LOAD_DESCRIPTION = """\
Send provider-realistic webhook traffic to a receiver with Locust: signed events in a weighted
mix, a unique id per delivery, the provider's timeout, and retries on its schedule (compressed
so a run ends; a provider without retries sends once). With --headless, print a summary (accepted events/s,
latency percentiles against the provider's timeout, timeouts, retries, duplicates, non-2xx by
status) and a PASS/FAIL line against --threshold; without it, serve Locust's web UI on
127.0.0.1. --master and --worker run it distributed. Needs `pip install 'hookmock[load]'`.

Sends to this machine only, unless --allow-load-on-real-host: a load run can take a real
service down. Locust options not listed here can be set as LOCUST_* environment variables or in
a locust.conf (see Locust's docs).

exit codes: 0 the thresholds held, 1 a threshold failed, 2 usage error, unreachable receiver,
or Locust failed to run."""


def load_arguments(p: argparse.ArgumentParser) -> None:

    p.add_argument("url", nargs="?", metavar="URL", help="the receiver's webhook URL")
    p.add_argument(
        "--provider",
        default=DEFAULT_PROVIDER,
        metavar="P",
        help=f"the provider whose events are sent (default: {DEFAULT_PROVIDER})",
    )
    p.add_argument("--secret", type=secret_flag, metavar="S", help="the endpoint's signing secret")
    p.add_argument(
        "--users",
        "-u",
        type=_positive_int,
        default=10,
        metavar="N",
        help="concurrent senders (default 10)",
    )
    p.add_argument(
        "--spawn-rate",
        "-r",
        type=float,
        default=10.0,
        metavar="R",
        help="senders started per second (default 10)",
    )
    p.add_argument(
        "--run-time",
        "-t",
        metavar="TIME",
        help="stop after this long: 30s, 5m, 1h30m (default with --headless: 60s)",
    )
    p.add_argument(
        "--mix",
        metavar="FILE|MIX",
        help="event types by weight: a YAML file, or inline"
        " 'invoice.paid=3,charge.refunded=1' (default: hookmock's mix)",
    )
    p.add_argument("--seed", type=int, metavar="N", help="seed for reproducible traffic")
    p.add_argument(
        "--duplicates",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of deliveries that re-send an event already accepted, as providers"
        " sometimes do: 0.01 or 1%% (default 0)",
    )
    p.add_argument(
        "--timeout",
        type=seconds_flag,
        metavar="SECONDS",
        help="seconds before a delivery counts as timed out (default: the provider's own)",
    )
    p.add_argument(
        "--retry-speedup",
        type=float,
        default=1800.0,
        metavar="X",
        help="compress retry waits X times (default 1800: a +30 min retry comes after 1 s)",
    )
    p.add_argument(
        "--pool",
        type=_positive_int,
        metavar="N",
        help="events generated per mix entry (default 32)",
    )
    p.add_argument("--headless", action="store_true", help="no web UI; print the summary")
    p.add_argument("--master", action="store_true", help="run as the master of --worker processes")
    p.add_argument(
        "--expect-workers",
        type=_positive_int,
        default=1,
        metavar="N",
        help="with --master --headless: wait for N workers (default 1)",
    )
    p.add_argument("--worker", action="store_true", help="run as a worker of a --master")
    p.add_argument(
        "--master-host",
        default="127.0.0.1",
        metavar="HOST",
        help="the master a --worker connects to (default 127.0.0.1)",
    )
    p.add_argument(
        "--master-port", type=_positive_int, metavar="PORT", help="the master's port (default 5557)"
    )
    p.add_argument(
        "--master-bind-host",
        default="127.0.0.1",
        metavar="HOST",
        help="where a --master listens (default 127.0.0.1; * for every interface)",
    )
    p.add_argument(
        "--processes",
        type=int,
        metavar="N",
        help="fork N worker processes on this machine (Locust's --processes)",
    )
    p.add_argument(
        "--web-port",
        type=_positive_int,
        metavar="PORT",
        help="port of the web UI on 127.0.0.1 (default 8089)",
    )
    p.add_argument("--html", metavar="FILE", help="write Locust's HTML report")
    p.add_argument(
        "--csv", metavar="PREFIX", help="write Locust's CSV stats (PREFIX_stats.csv, ...)"
    )
    p.add_argument("--summary-json", metavar="FILE", help="write the summary as JSON")
    p.add_argument("--log", metavar="FILE", help="write one NDJSON line per delivery attempt")
    p.add_argument(
        "--threshold",
        action="append",
        default=[],
        metavar="EXPR",
        help="fail (exit 1) unless it holds: p95<500ms, timed_out<1%%,"
        " never_accepted<=0.1%%, non_2xx<1%%, accepted_per_s>=100; repeatable",
    )
    p.add_argument(
        "--stop-timeout",
        type=seconds_flag,
        metavar="SECONDS",
        help="how long deliveries in flight may finish at the end (default: the timeout)",
    )
    p.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow a plain http:// URL that is not this machine",
    )
    p.add_argument(
        "--allow-load-on-real-host",
        action="store_true",
        help="allow sending load to a host that is not this machine",
    )


def _positive_int(text: str) -> int:

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 up, got {text!r}")
    return value


def _share(text: str) -> float:

    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 <= value < 1):
        raise argparse.ArgumentTypeError(
            f"expected a share from 0 up to 1 (not included), like 0.01 or 1%, got {text!r}"
        )
    return value


#: The orders ``hookmock send --story`` takes by name (or a comma-separated permutation).
STORY_ORDERS = ("provider", "given", "shuffled", "reversed")


def story_arguments(p: argparse.ArgumentParser, *, delivery: bool = False) -> None:
    """``--story NAME`` and ``--param K=V`` (generate and send); the delivery flags (send)."""
    group = p.add_argument_group(
        "stories",
        "the chain of events one real action produces, sharing their ids, in causal\n"
        "order (leave TYPE out; PROVIDER may be left out too: the story's name finds it)",
    )
    group.add_argument(
        "--story",
        metavar="NAME",
        help="tell this story instead of one event, e.g. checkout_subscription (an unknown"
        " name lists the provider's stories)",
    )
    group.add_argument(
        "--param",
        action="append",
        metavar="KEY=VALUE",
        help="a story parameter, e.g. --param amount=4900 (VALUE parsed as JSON when it can"
        " be, else a string); repeatable. --set PATH=VALUE overrides a shared object's field"
        " (customer.email=a@example.com) in every event that carries it",
    )
    if not delivery:
        return
    group.add_argument(
        "--order",
        metavar="ORDER",
        help=f"delivery order: {', '.join(STORY_ORDERS)} (default provider: what the provider"
        " does), or a permutation of the 0-based indices, e.g. 2,0,1",
    )
    group.add_argument(
        "--drop",
        action="append",
        metavar="INDEX|TYPE",
        help="never deliver this event of the story (a 0-based index or an event type); repeatable",
    )
    group.add_argument(
        "--duplicates",
        action="append",
        metavar="N|INDEX|TYPE",
        help="deliver events twice: a count (seeded choice), or an index or type; repeatable",
    )
    group.add_argument(
        "--concurrency",
        type=_positive_int,
        metavar="N",
        help="deliver from N threads at once (default 1)",
    )
