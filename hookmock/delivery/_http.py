"""Live URL target: POSTs over the network with requests, never following redirects."""

from __future__ import annotations

import threading

from .._errors import ConfigurationError
from ._targets import DeliveryTimeout, Response

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import requests

LOOPBACK_NAMES = ("localhost", "localhost.")


def is_loopback(host: str) -> bool:
    import ipaddress

    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, allow_insecure_http: bool) -> None:
    """Refuse what a provider refuses: anything but https, except plain http to loopback."""
    from urllib.parse import urlsplit

    if not isinstance(allow_insecure_http, bool):  # "false" is truthy: never guess
        raise ConfigurationError(
            f"allow_insecure_http takes True or False, got {type(allow_insecure_http).__name__}"
            f" {allow_insecure_http!r:.40}."
        )

    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018 - parsing the port is what raises on a bad one
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        raise ConfigurationError(
            f"A receiver URL must look like https://host/path; {url!r} is not a valid URL ({exc})."
        ) from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise ConfigurationError(f"A receiver URL must look like https://host/path; got {url!r}.")
    if parts.scheme == "http" and not is_loopback(hostname) and not allow_insecure_http:
        raise ConfigurationError(
            f"Refusing to send webhooks over plain http to {hostname!r}: providers deliver"
            " over https only. Use an https:// URL (hookmock.serve(app) gives you one), or pass"
            " allow_insecure_http=True if you really mean it."
        )


class HTTPTarget:
    """Delivers to a live URL; a 3xx comes back as the failure it is for providers."""

    in_process = False

    def __init__(self, base_url: str, *, allow_insecure_http: bool = False, verify: Any = None):
        check_url(base_url, allow_insecure_http=allow_insecure_http)
        self.base_url = base_url
        self.description = f"URL {base_url}"
        if verify is None:
            from ._serve import ca_for_url

            # A URL from hookmock.serve() trusts that server's throwaway CA and nothing else.
            verify = ca_for_url(base_url)
        self.verify: Any = True if verify is None else verify
        self._local = threading.local()

    def url(self, path: str) -> str:
        from urllib.parse import urlsplit

        if path in ("", "/") and urlsplit(self.base_url).path not in ("", "/"):
            return self.base_url
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def prepare(self) -> None:
        """One-off setup (importing requests, the session, the TLS context), done before a
        delivery's clock starts so that the first ``elapsed`` measures the request alone."""
        self._session()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            import requests

            session = requests.Session()
            # Send the provider's headers, not requests' defaults (python-requests UA, gzip).
            session.headers.clear()
            if isinstance(self.verify, str):
                # A CA bundle path would be re-read for every new connection; load it once.
                session.mount("https://", _adapter(self.verify))
            self._local.session = session
            sessions = self.__dict__.setdefault("_sessions", [])
            sessions.append(session)
        return session

    def call(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes,
        timeout: float | None,
    ) -> Response:
        import requests

        try:
            resp = self._session().request(
                method,
                self.url(path),
                data=body,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
                # A CA path is already in the session's TLS context (see _adapter).
                verify=True if isinstance(self.verify, str) else self.verify,
            )
        except requests.Timeout:
            raise DeliveryTimeout from None
        except requests.RequestException as exc:
            return Response(None, {}, b"", error=f"{type(exc).__name__}: {exc}")
        return Response(resp.status_code, dict(resp.headers), resp.content)

    def close(self) -> None:
        for session in self.__dict__.pop("_sessions", []):
            session.close()


def _adapter(ca_path: str) -> Any:
    """An HTTPS adapter whose TLS context trusts ``ca_path`` (and nothing else), built once."""
    import os
    import ssl

    from requests.adapters import HTTPAdapter

    if os.path.isdir(ca_path):
        context = ssl.create_default_context(capath=ca_path)
    else:
        context = ssl.create_default_context(cafile=ca_path)

    class _Adapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            kwargs["ssl_context"] = context
            super().init_poolmanager(*args, **kwargs)

        def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
            super().cert_verify(conn, url, verify, cert)  # type: ignore[no-untyped-call]
            # The context already trusts ca_path alone; a bundle named here would be loaded
            # into it again on every connection (and would widen what it trusts).
            conn.ca_certs = None
            conn.ca_cert_dir = None

    return _Adapter()
