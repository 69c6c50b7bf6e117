"""``hookmock load``: run Locust with hookmock's locustfile, then print and judge the summary.

Locust does the load (its runner, distribution, web UI, HTML and CSV reports); this command
checks the input, turns its flags into Locust's, runs ``python -m locust`` and reads back the
summary the locustfile writes. It never imports Locust itself: Locust monkey-patches the
process it runs in.
"""

from __future__ import annotations

import contextlib

from .common import UsageError, secret_flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    import subprocess
    from collections.abc import Iterator
    from typing import Any

    from .common import Streams

EXAMPLE = (
    "hookmock load http://127.0.0.1:8000/webhooks/stripe --provider stripe"
    " --secret whsec_hookmock_demo --users 20 --spawn-rate 20 --run-time 30s --headless"
)
DESCRIPTION = """\
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

#: Seconds to wait for the receiver's port to accept a connection before refusing to start.
CONNECT_TIMEOUT = 3.0


def add_arguments(p: argparse.ArgumentParser) -> None:
    from .._registry import DEFAULT_PROVIDER
    from .common import seconds_flag

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
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 up, got {text!r}")
    return value


def _share(text: str) -> float:
    import argparse
    import math

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


def locust_available() -> bool:
    """Whether Locust can be imported, found without importing it (that would patch us)."""
    import importlib.util

    try:
        return importlib.util.find_spec("locust") is not None
    except (ImportError, ValueError):
        return False


def run(args: argparse.Namespace, io: Streams) -> int:
    import hookmock
    from hookmock.load import LOCUSTFILE, load_mix, parse_threshold

    if not locust_available():
        raise UsageError(
            "hookmock load runs on Locust, which is not installed; install it with"
            " pip install 'hookmock[load]'."
        )
    if args.master and args.worker:
        raise UsageError("pass --master or --worker, not both.")
    if args.worker:
        return _run_locust(_worker_argv(args, LOCUSTFILE), {}, io)
    thresholds = [parse_threshold(t) for t in args.threshold]
    if not args.url:
        raise UsageError(
            "give the receiver's URL, e.g. hookmock load http://127.0.0.1:8000/webhooks/stripe"
            " --secret whsec_..."
        )
    if not args.secret:
        raise UsageError(
            "pass --secret with the endpoint's signing secret (the receiver rejects unsigned"
            " deliveries), e.g. --secret whsec_hookmock_demo for python -m hookmock.load.demo."
        )
    provider = hookmock.provider(args.provider)
    load_mix(args.mix, provider)  # refuse an unknown type now, not in the middle of the run
    base, path = _check_url(args.url, args)
    _check_reachable(args.url)
    seed = args.seed
    if seed is None:
        import random

        seed = random.SystemRandom().randrange(2**32)
    timeout = args.timeout if args.timeout is not None else provider.timeout
    argv, summary_path, temporary = _master_argv(args, LOCUSTFILE, base, path, seed, timeout)
    try:
        code = _run_locust(argv, {"LOCUST_WEBHOOK_SECRET": args.secret}, io)
        return _report(args, io, code, summary_path, thresholds, provider.title or provider.name)
    finally:
        if temporary:
            import os

            with contextlib.suppress(OSError):
                os.unlink(summary_path)


def _check_url(url: str, args: argparse.Namespace) -> tuple[str, str]:
    """(scheme://host:port, path); refuse non-loopback hosts unless the flags say so."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - parsing the port is what raises on a bad one
    except ValueError as exc:
        raise UsageError(f"{url!r} is not a valid URL ({exc}).") from None
    if parts.scheme not in ("http", "https") or not host:
        raise UsageError(
            f"the receiver URL must look like http://127.0.0.1:8000/webhooks/stripe; got {url!r}."
        )
    if not is_loopback(host):
        if parts.scheme == "http" and not args.allow_insecure_http:
            raise UsageError(
                f"refusing to send webhooks over plain http to {host!r}: providers deliver over"
                " https only. Use an https:// URL, or pass --allow-insecure-http if you really"
                " mean it."
            )
        if not args.allow_load_on_real_host:
            raise UsageError(
                f"refusing to send load to {host!r}, which is not this machine: a load run can"
                " take a real service down and flood its alerts. Pass --allow-load-on-real-host"
                " if it is yours to load."
            )
    base = f"{parts.scheme}://{parts.netloc}"
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return base, path


def is_loopback(host: str) -> bool:
    """localhost, *.localhost, 127.0.0.0/8 or ::1: this machine."""
    import ipaddress

    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_reachable(url: str) -> None:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            pass
    except ConnectionRefusedError:
        raise UsageError(
            f"connection refused: nothing is listening at {host}:{port}; start the receiver"
            " first (python -m hookmock.load.demo serves a reference one on port 8000)."
        ) from None
    except socket.gaierror:
        raise UsageError(f"DNS lookup failed: cannot resolve {host!r} to an address.") from None
    except OSError as exc:
        raise UsageError(
            f"cannot connect to {host}:{port} ({exc.strerror or exc}); is the receiver running?"
        ) from None


def _master_argv(
    args: argparse.Namespace, locustfile: str, base: str, path: str, seed: int, timeout: float
) -> tuple[list[str], str, bool]:
    import math
    import os
    import sys
    import tempfile

    argv = [sys.executable, "-m", "locust", "-f", locustfile, "--host", base]
    argv += ["--webhook-provider", args.provider, "--webhook-path", path]
    argv += ["--webhook-seed", str(seed), "--webhook-timeout", repr(timeout)]
    argv += ["--webhook-retry-speedup", repr(args.retry_speedup)]
    argv += ["--webhook-duplicates", repr(args.duplicates)]
    if args.mix:
        mix = args.mix
        argv += ["--webhook-mix", os.path.abspath(mix) if os.path.isfile(mix) else mix]
    if args.pool:
        argv += ["--webhook-pool", str(args.pool)]
    if args.log:
        argv += ["--webhook-log", os.path.abspath(args.log)]
    temporary = not args.summary_json
    if temporary:
        fd, summary_path = tempfile.mkstemp(prefix="hookmock-load-", suffix=".json")
        os.close(fd)
        os.unlink(summary_path)
    else:
        summary_path = os.path.abspath(args.summary_json)
    argv += ["--webhook-summary-json", summary_path]
    argv += ["--users", str(args.users), "--spawn-rate", repr(args.spawn_rate)]
    run_time = args.run_time or ("60s" if args.headless else None)
    if run_time:
        argv += ["--run-time", run_time]
    stop = args.stop_timeout if args.stop_timeout else timeout + 1
    argv += ["--stop-timeout", f"{math.ceil(stop)}s"]
    if args.headless:
        argv += ["--headless", "--only-summary"]
    else:
        argv += ["--web-host", "127.0.0.1"]
        if args.web_port:
            argv += ["--web-port", str(args.web_port)]
    if args.master:
        argv += ["--master", "--master-bind-host", args.master_bind_host]
        if args.master_port:
            argv += ["--master-bind-port", str(args.master_port)]
        if args.headless:
            argv += ["--expect-workers", str(args.expect_workers)]
    if args.processes:
        argv += ["--processes", str(args.processes)]
    if args.html:
        argv += ["--html", args.html]
    if args.csv:
        argv += ["--csv", args.csv]
    return argv, summary_path, temporary


def _worker_argv(args: argparse.Namespace, locustfile: str) -> list[str]:
    import sys

    argv = [sys.executable, "-m", "locust", "-f", locustfile, "--worker"]
    argv += ["--master-host", args.master_host]
    if args.master_port:
        argv += ["--master-port", str(args.master_port)]
    if args.processes:
        argv += ["--processes", str(args.processes)]
    return argv


def _run_locust(argv: list[str], env: dict[str, str], io: Streams) -> int:
    """Run Locust; its output goes straight to ours (copied after the run when ours is not a file)."""
    import os
    import signal
    import subprocess

    full_env = {**os.environ, **env}
    direct = _fileno(io.stdout) is not None and _fileno(io.stderr) is not None
    if direct:
        io.stdout.flush()
        io.stderr.flush()
        proc = subprocess.Popen(argv, env=full_env, stdout=io.stdout, stderr=io.stderr, text=True)
    else:
        proc = subprocess.Popen(
            argv, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    out = err = ""
    with _forwarding_sigterm(proc):
        while True:
            try:
                out, err = proc.communicate()
                break
            except KeyboardInterrupt:
                # A terminal's Ctrl+C reached Locust too, and Locust stops the run and writes
                # the summary; a SIGINT sent to this process alone is passed on.
                try:
                    proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    proc.send_signal(signal.SIGINT)
    if not direct:
        io.stdout.write(out or "")
        io.stderr.write(err or "")
    return proc.returncode


@contextlib.contextmanager
def _forwarding_sigterm(proc: subprocess.Popen[str]) -> Iterator[None]:
    """A SIGTERM (a CI job's timeout) stops Locust the graceful way, which writes the summary."""
    import signal

    def forward(signum: int, frame: object) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)

    try:
        previous = signal.signal(signal.SIGTERM, forward)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _fileno(stream: Any) -> int | None:
    try:
        return int(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return None


def _report(
    args: argparse.Namespace,
    io: Streams,
    code: int,
    summary_path: str,
    thresholds: list[Any],
    title: str,
) -> int:
    import json

    from hookmock.load._summary import judge, render

    try:
        with open(summary_path, encoding="utf-8") as f:
            summary = json.load(f)
    except (OSError, ValueError):
        if not args.headless and code == 0:
            return 0  # the web UI was closed before a run was started
        io.stderr.write(
            f"hookmock load: error: Locust exited with code {code} without a summary; its"
            " output above says why.\n"
        )
        return 2
    passed, verdict = judge(summary, thresholds)
    io.stdout.write(render(summary, title) + "\n" + verdict + "\n")
    if code not in (0, 1):  # 1 only says some deliveries failed, which the summary judges
        io.stderr.write(f"hookmock load: error: Locust exited with code {code}.\n")
        return 2
    return 0 if passed else 1
