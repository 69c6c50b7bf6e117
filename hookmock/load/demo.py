"""Serve hookmock's reference receiver on loopback, as a target to try ``hookmock load`` on.

``python -m hookmock.load.demo [--port 8000]`` answers each provider with a demo at
``/webhooks/<provider>``, with the secret of its demo contract (it prints them), verifying every
signature, until interrupted. It is a plain threaded WSGI server: good for a
first run, not a benchmark target.
"""

from __future__ import annotations

import argparse
import socketserver
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from .._registry import get_provider
from ..demo import ReferenceReceiver, endpoints

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 512


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """One line per request would drown the load run's own output."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hookmock.load.demo",
        description="Serve hookmock's reference webhook receiver on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    args = parser.parse_args(argv)
    server = make_server(
        "127.0.0.1",
        args.port,
        ReferenceReceiver(),
        server_class=_Server,
        handler_class=_QuietHandler,
    )
    port = server.server_address[1]
    print(
        f"hookmock reference receiver on http://127.0.0.1:{port}\n"
        + "".join(
            f"  {get_provider(e.provider).title}: {e.path} (secret {e.secret})\n"
            for e in endpoints()
        )
        + "Ctrl+C stops it.",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
