"""``hookmock load``: run Locust with hookmock's locustfile, then print and judge the summary.

Locust does the load (its runner, distribution, web UI, HTML and CSV reports); this command
checks the input, turns its flags into Locust's, runs ``python -m locust`` and reads back the
summary the locustfile writes. It never imports Locust itself: Locust monkey-patches the
process it runs in.
"""

from __future__ import annotations

import contextlib
import importlib.util
import ipaddress
import json
import math
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
from urllib.parse import urlsplit

import hookmock
from hookmock.load import LOCUSTFILE, load_mix, parse_threshold
from hookmock.load._summary import judge, render

from .._redaction import redact_url
from .._registry import DEFAULT_PROVIDER
from .common import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator
    from typing import Any

    from .common import Streams

#: Seconds to wait for the receiver's port to accept a connection before refusing to start.
CONNECT_TIMEOUT = 3.0


def locust_available() -> bool:
    """Whether Locust can be imported, found without importing it (that would patch us)."""
    try:
        return importlib.util.find_spec("locust") is not None
    except (ImportError, ValueError):
        return False


def run(args: argparse.Namespace, io: Streams) -> int:
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
            "give the receiver's URL, e.g. hookmock load"
            f" http://127.0.0.1:8000/webhooks/{DEFAULT_PROVIDER} --secret whsec_..."
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
        seed = random.SystemRandom().randrange(2**32)
    timeout = args.timeout if args.timeout is not None else provider.timeout
    argv, summary_path, temporary = _master_argv(args, LOCUSTFILE, base, path, seed, timeout)
    try:
        code = _run_locust(argv, {"LOCUST_WEBHOOK_SECRET": args.secret}, io)
        return _report(args, io, code, summary_path, thresholds, provider.title or provider.name)
    finally:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(summary_path)


def _check_url(url: str, args: argparse.Namespace) -> tuple[str, str]:
    """(scheme://host:port, path); refuse non-loopback hosts unless the flags say so."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - parsing the port is what raises on a bad one
    except ValueError as exc:
        raise UsageError(f"{redact_url(url)!r} is not a valid URL ({exc}).") from None
    if parts.scheme not in ("http", "https") or not host:
        raise UsageError(
            "the receiver URL must look like"
            f" http://127.0.0.1:8000/webhooks/{DEFAULT_PROVIDER}; got {redact_url(url)!r}."
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
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_reachable(url: str) -> None:
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
    argv = [sys.executable, "-m", "locust", "-f", locustfile, "--worker"]
    argv += ["--master-host", args.master_host]
    if args.master_port:
        argv += ["--master-port", str(args.master_port)]
    if args.processes:
        argv += ["--processes", str(args.processes)]
    return argv


def _run_locust(argv: list[str], env: dict[str, str], io: Streams) -> int:
    """Run Locust; its output goes straight to ours (copied after the run when ours is not a file)."""
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
