"""hookmock's pytest plugin: the ``hookmock`` fixture, ``--hookmock-seed``, ini options, a marker.

Loaded through the ``pytest11`` entry point. At import it needs only the standard library and
pytest; hookmock's delivery layer (and Faker, requests, ...) loads when a test uses the fixture.
"""

from __future__ import annotations

import random
import sys

import pytest

from ._errors import ConfigurationError, DeliveryError, did_you_mean
from ._pytest_config import SECRETS_INI, SEED, configured_secret
from ._registry import DEFAULT_PROVIDER, builtin_names, get_provider, provider_names
from .providers import BUILTIN_INI_OPTIONS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from typing import Any

    from ._event import Event
    from ._globs import Pattern
    from ._provider import Provider
    from ._stories import Story
    from .apimock import ApiMock
    from .delivery import Authority, BaseURL, Receiver

_WORKER_KEY = "hookmock_seed"
_MARKER = (
    "hookmock(provider=None, secret=None, seed=None, timeout=None): defaults for the receivers"
    " the hookmock fixture builds in this test (seed pins the test's seed)."
)


def pytest_plugin_registered(plugin: object, manager: pytest.PytestPluginManager) -> None:
    """Loaded with ``-p hookmock.plugin`` while the ``hookmock`` entry point is installed too:
    skip the entry point instead of registering this module twice (pytest would refuse)."""
    if (
        plugin is sys.modules[__name__]
        and manager.get_name(plugin) != "hookmock"
        and manager.get_plugin("hookmock") is None
        and not manager.is_blocked("hookmock")
    ):
        manager.set_blocked("hookmock")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("hookmock", "hookmock: webhook events for your receiver")
    group.addoption(
        "--hookmock-seed",
        action="store",
        default=None,
        metavar="N",
        help="Session seed for generated events (default: random, printed in the header). Each"
        " test's seed derives from it and the test id, so one test reruns alone with the same"
        " data.",
    )
    parser.addini(
        SECRETS_INI,
        "Signing secrets for hookmock receivers and collected contracts, one provider=secret a"
        " line, for any provider (built-in, registered or from an entry point).",
        type="linelist",
        default=[],
    )
    for name in _known_providers():
        parser.addini(
            f"hookmock_{name}_secret",
            f"The {name} signing secret for hookmock receivers (no default: give it here, in"
            f" {SECRETS_INI}, in the marker or as secret=...).",
            default="",
        )
    for name, option in _provider_ini_options():
        parser.addini(
            f"hookmock_{name}_{option}",
            f"The {name} event option {option!r} for generated events (default: the"
            " provider's own).",
            default="",
        )
    parser.addini(
        "hookmock_timeout",
        "Delivery timeout in seconds for hookmock receivers (default: the provider's own).",
        default="",
    )
    parser.addini(
        "hookmock_contracts",
        "Globs or paths (from the rootdir; several per line, space-separated) of webhook"
        " contract YAML files to collect as tests. One that matches nothing is an error.",
        type="linelist",
        default=[],
    )
    for name, what in (
        (
            "app",
            "the app collected contracts run against (WSGI/ASGI app, or a URL), unless a"
            " contract names its own app: or url:",
        ),
        ("handled", "the handled probe (event) -> bool for collected contracts"),
        ("given", "a dict of the given: steps collected contracts use"),
    ):
        parser.addini(f"hookmock_contract_{name}", f"module:attr of {what}.", default="")


def _known_providers() -> list[str]:
    """Every provider name hookmock can find without importing it (built-in, entry points)."""
    return provider_names()


def _provider_ini_options() -> list[tuple[str, str]]:
    """``(provider, option)`` for each event option a provider reads from the ini
    (``Provider.ini_options``): the built-ins' from a table (no import at startup), an installed
    provider's from its class. One that fails to load registers none here; the error shows
    where it is used."""
    builtin = set(builtin_names())
    out = []
    for name in _known_providers():
        if name in builtin:
            options = BUILTIN_INI_OPTIONS.get(name, ())
        else:
            try:
                options = get_provider(name).ini_options
            except Exception:
                continue
        out += [(name, option) for option in options]
    return out


def configured_options(config: pytest.Config, provider: Provider) -> dict[str, str]:
    """The event options the ini sets for ``provider`` (``hookmock_<name>_<option>``)."""
    out = {}
    for option in provider.ini_options:
        try:
            value = str(config.getini(f"hookmock_{provider.name}_{option}") or "")
        except ValueError:  # registered after pytest started
            continue
        if value:
            out[option] = value
    return out


def _parse_seed(value: object) -> int:
    if value is None or value == "random":
        return random.SystemRandom().randrange(2**32)
    try:
        seed = int(str(value))
    except ValueError:
        raise pytest.UsageError(
            f"--hookmock-seed expects an integer (or 'random'), got {value!r}."
        ) from None
    if seed < 0:
        raise pytest.UsageError(f"--hookmock-seed must be >= 0, got {seed}.")
    return seed


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", _MARKER)
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    if workerinput is not None and _WORKER_KEY in workerinput:
        # An xdist worker: use the controller's seed so every worker derives the same data.
        config.stash[SEED] = int(workerinput[_WORKER_KEY])
    else:
        config.stash[SEED] = _parse_seed(config.getoption("--hookmock-seed"))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist controller: hand the session seed to each worker."""
    node.workerinput[_WORKER_KEY] = node.config.stash[SEED]


#: The parsed ``hookmock_contracts`` patterns, checked at session start.
CONTRACT_PATTERNS: pytest.StashKey[list[Pattern]] = pytest.StashKey()
CONTRACT_SUFFIXES = (".yaml", ".yml")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Read ``hookmock_contracts``: any number of globs or paths per line; one that names no
    contract file is a usage error (a silent empty match would hide every contract)."""
    config = session.config
    lines = config.getini("hookmock_contracts")
    if not lines:
        config.stash[CONTRACT_PATTERNS] = []
        return
    # Import budget: the glob matcher loads only for a run that sets hookmock_contracts.
    from ._globs import Pattern, split_patterns

    try:
        texts = split_patterns(lines)
    except ValueError as exc:
        raise pytest.UsageError(
            f"hookmock_contracts: {exc} in {lines!r}. Separate globs with spaces or new lines;"
            " quote one that holds a space."
        ) from None
    root = str(config.rootpath)
    patterns = [Pattern(text, root) for text in texts]
    for pattern in patterns:
        if next(pattern.files(CONTRACT_SUFFIXES), None) is None:
            raise pytest.UsageError(
                f"hookmock_contracts: {pattern.text!r} matches no .yaml or .yml file (globs and"
                f" paths are relative to the rootdir, {root}). Fix the pattern, or remove it"
                " from the ini option."
            )
    config.stash[CONTRACT_PATTERNS] = patterns


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """A YAML file matched by the ``hookmock_contracts`` globs runs as one contract test."""
    patterns = parent.config.stash.get(CONTRACT_PATTERNS, None)
    if not patterns or file_path.suffix not in CONTRACT_SUFFIXES:
        return None
    if not any(pattern.matches(str(file_path)) for pattern in patterns):
        return None
    # Import budget: contracts load only when a collected file matches.
    from ._pytest_contracts import ContractFile

    return ContractFile.from_parent(parent, path=file_path)


def pytest_report_header(config: pytest.Config) -> str:
    seed = config.stash[SEED]
    return f"hookmock: seed {seed} (reproduce with --hookmock-seed={seed})"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under a failed test that used the fixture: the command that reruns it with the same data."""
    outcome: Any = yield
    report = outcome.get_result()
    if report.failed and "hookmock" in getattr(item, "fixturenames", ()):
        seed = item.config.stash[SEED]
        report.sections.append(
            (
                "hookmock",
                f"rerun with the same data: pytest '{item.nodeid}' --hookmock-seed={seed}",
            )
        )


#: Seconds the fixture waits at teardown for handlers still running after a timeout (WSGI
#: handlers, sync endpoints in an ASGI app's thread pool).
HANDLER_WAIT = 10.0
#: What ``@pytest.mark.hookmock(...)`` takes; anything else is a typo that would pass silently.
MARKER_KEYS = ("provider", "secret", "seed", "timeout")


def check_marker(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Fail the test on a marker argument hookmock would otherwise ignore."""
    accepted = ", ".join(f"{k}=" for k in MARKER_KEYS)
    if args:
        pytest.fail(
            f"@pytest.mark.hookmock takes keyword arguments only ({accepted});"
            f" got positional {args!r}.",
            pytrace=False,
        )
    for key in kwargs:
        if key not in MARKER_KEYS:
            close = did_you_mean(key, MARKER_KEYS, limit=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            pytest.fail(
                f"@pytest.mark.hookmock got an unknown argument {key!r}.{hint}"
                f" It accepts: {accepted}.",
                pytrace=False,
            )
    seed = kwargs.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        # Any int, as hookmock.receiver(seed=...) and a contract's seed: take.
        pytest.fail(f"@pytest.mark.hookmock(seed=...) takes an int; got {seed!r}.", pytrace=False)


class HookmockSession:
    """Session-wide, expensive things: the throwaway CA and servers kept for the whole run."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.seed: int = config.stash[SEED]
        self._authority: Authority | None = None
        self._servers: dict[int, tuple[Any, BaseURL, Any]] = {}

    @property
    def authority(self) -> Authority:
        if self._authority is None:
            # The fixture seam: delivery loads when a test uses it.
            from .delivery import Authority

            self._authority = Authority()
        return self._authority

    def serve(self, app: Any, **options: Any) -> BaseURL:
        """An HTTPS server for ``app`` that lives until the end of the session (one per app)."""
        got = self._servers.get(id(app))
        if got is not None:
            return got[1]
        # The fixture seam: delivery loads when a test uses it.
        from .delivery import serve

        cm = serve(app, authority=self.authority, **options)
        url = cm.__enter__()
        self._servers[id(app)] = (app, url, cm)
        return url

    def close(self) -> None:
        failures: list[Exception] = []
        while self._servers:  # every server stops even if one fails; the first failure is raised
            _, (_, _, cm) = self._servers.popitem()
            try:
                cm.__exit__(None, None, None)
            except Exception as exc:
                failures.append(exc)
        if self._authority is not None:
            self._authority.cleanup()
            self._authority = None
        if failures:
            raise failures[0]


class ServedURL(str):
    """What the fixture's ``serve(app)`` returns: the base URL (a ``str``, as before), and also a
    context manager like the module's ``hookmock.serve(app)``, so ``with hookmock.serve(app) as
    url:`` reads the same in both places. Leaving the block stops the server; the fixture stops
    it at teardown otherwise. A str subclass (rather than a new object) keeps every existing use,
    ``url + "/hooks"``, ``url.startswith(...)``, ``url.ca_path``, working unchanged."""

    ca_path: str
    port: int
    _server: Any

    def __new__(cls, url: BaseURL, server: Any) -> ServedURL:
        self = super().__new__(cls, url)
        self.ca_path = url.ca_path
        self.port = url.port
        self._server = server
        return self

    def stop(self) -> None:
        """Stop the server now (it is stopped at most once)."""
        server, self._server = self._server, None
        if server is not None:
            server.__exit__(None, None, None)

    def __enter__(self) -> ServedURL:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Hookmock:
    """The ``hookmock`` fixture: receivers, servers and events seeded for this test.

    It also carries the ``hookmock`` module's public API (every name in ``hookmock.__all__``), so
    a test that takes the fixture, which shadows the module, can still write
    ``hookmock.SignatureError`` or ``hookmock.validate(...)``. ``receiver``, ``event``,
    ``story`` and ``serve`` are this test's seeded and cleaned-up versions of the module's
    functions.
    """

    def __init__(self, request: pytest.FixtureRequest, session: HookmockSession) -> None:
        self._request = request
        self._session = session
        self._config = request.config
        marker = request.node.get_closest_marker("hookmock")
        self._defaults: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
        if marker is not None:
            check_marker(marker.args, self._defaults)
        seed = self._defaults.pop("seed", None)
        # The fixture seam: seeding loads when a test uses the fixture.
        from ._seeding import derive_seed

        #: This test's seed: derived from the session seed and the test id unless pinned.
        self.seed: int = (
            int(seed) if seed is not None else derive_seed(session.seed, request.node.nodeid)
        )
        self._count = 0
        self._receivers: list[Receiver] = []
        self._servers: list[ServedURL] = []
        self._api: ApiMock | None = None
        self._api_started = False

    def _next_seed(self) -> int:
        self._count += 1
        # The fixture seam (loaded already by the time a receiver asks for its seed).
        from ._seeding import derive_seed

        return derive_seed(self.seed, self._count)

    def _ini(self, name: str) -> str:
        value = self._config.getini(name)
        return str(value) if value else ""

    def _ini_timeout(self) -> float:
        text = self._ini("hookmock_timeout")
        try:
            return float(text)
        except ValueError:
            raise ConfigurationError(
                f"The hookmock_timeout ini option is seconds, like 2 or 0.5; got {text!r}."
            ) from None

    def reproduce_hint(self) -> str:
        return (
            f"rerun with the same data: pytest '{self._request.node.nodeid}'"
            f" --hookmock-seed={self._session.seed}"
        )

    def receiver(self, app_or_url: Any = None, **kwargs: Any) -> Receiver:
        """``hookmock.receiver(...)`` with this test's seed and the configured secrets; closed
        (spies restored, ASGI lifespan shut down) when the test ends."""
        # The package, imported here: in this module the name is the fixture's.
        import hookmock

        provider = kwargs.pop("provider", self._defaults.get("provider", DEFAULT_PROVIDER))
        kwargs["provider"] = provider
        prov = hookmock.provider(provider) if isinstance(provider, str) else provider
        source = ""
        if "secret" not in kwargs:
            # No made-up default: a receiver signing with a secret the app does not know only
            # answers 401, so a missing secret fails here (SecretError names where to set it).
            if self._defaults.get("secret") is not None:
                kwargs["secret"] = self._defaults["secret"]
                source = "the secret= of the @pytest.mark.hookmock marker"
            else:
                kwargs["secret"], source = configured_secret(self._config, prov.name)
        if "timeout" not in kwargs:
            if "timeout" in self._defaults:
                kwargs["timeout"] = self._defaults["timeout"]
            elif self._ini("hookmock_timeout"):
                kwargs["timeout"] = self._ini_timeout()
        configured = {
            k: v
            for k, v in configured_options(self._config, prov).items()
            if k not in kwargs and k not in (kwargs.get("options") or {})
        }
        if configured:
            kwargs["options"] = {**configured, **dict(kwargs.get("options") or {})}
        kwargs.setdefault("seed", self._next_seed())
        if kwargs.get("mock_api") is True:
            kwargs["mock_api"] = self._test_api()
        rec = hookmock.receiver(app_or_url, **kwargs)
        rec.reproduce = self.reproduce_hint()
        if source:
            rec.secret_source = source
        self._receivers.append(rec)
        return rec

    def _test_api(self) -> ApiMock:
        if self._api is None:
            # The fixture seam: the API mock loads when a test uses it.
            from .apimock import ApiMock

            self._api = ApiMock()
        return self._api

    def api_mock(self) -> ApiMock:
        """This test's provider API mock, active from now until the test ends: the app's (and
        the test's) calls to the providers' APIs are answered from the delivered events.
        Receivers built with ``mock_api=True`` share it."""
        api = self._test_api()
        if not self._api_started:
            api.start()
            self._api_started = True
        return api

    def serve(self, app: Any, **options: Any) -> ServedURL:
        """``hookmock.serve(app)`` for this test (HTTPS, the session's CA): the base URL, stopped
        at teardown or, used as ``with hookmock.serve(app) as url:``, when the block ends."""
        # The fixture seam: delivery loads when a test uses it.
        from .delivery import serve

        cm = serve(app, authority=self._session.authority, **options)
        url = ServedURL(cm.__enter__(), cm)
        self._servers.append(url)
        return url

    def serve_for_session(self, app: Any, **options: Any) -> BaseURL:
        """Like :meth:`serve`, but one server per app for the whole session (for session apps)."""
        return self._session.serve(app, **options)

    def event(self, provider: str, type: str, /, **kwargs: Any) -> Event:
        """``hookmock.event(provider, type, ...)`` seeded from this test's seed."""
        # The package, imported here: in this module the name is the fixture's.
        import hookmock

        kwargs.setdefault("seed", self._next_seed())
        for option, value in configured_options(self._config, hookmock.provider(provider)).items():
            kwargs.setdefault(option, value)
        return hookmock.event(provider, type, **kwargs)

    def story(self, provider: str, name: str, /, **kwargs: Any) -> Story:
        """``hookmock.story(provider, name, ...)`` seeded from this test's seed, so that
        ``--hookmock-seed`` tells the same story again (the module's tells a new one each time)."""
        # The package, imported here: in this module the name is the fixture's.
        import hookmock

        kwargs.setdefault("seed", self._next_seed())
        return hookmock.story(provider, name, **kwargs)

    def close(self) -> None:
        # A handler abandoned at its timeout (WSGI, or a sync endpoint in an ASGI app's thread
        # pool) still runs; let it finish before the next test starts, or say plainly that it
        # did not (it could write into that test's state).
        lingering = sum(rec.wait_for_handlers(HANDLER_WAIT) for rec in self._receivers)
        # Every step runs even if one fails (an ASGI lifespan shutdown that hangs): an API mock
        # left active would answer the next test's calls. The first failure is raised after.
        failures: list[Exception] = []
        while self._receivers or self._servers:
            try:
                if self._receivers:
                    self._receivers.pop().close()
                else:
                    self._servers.pop().stop()
            except Exception as exc:
                failures.append(exc)
        if self._api is not None and self._api_started:
            self._api_started = False
            self._api.stop()
        if failures:
            raise failures[0]
        if lingering:
            raise DeliveryError(
                f"{lingering} handler(s) that timed out in this test were still running"
                f" {HANDLER_WAIT:g} s after it ended (hookmock waited at teardown). They run"
                " on in the background and may change state the next test sees. Make the"
                " handler return sooner, or give the receiver a longer timeout=."
            )

    def __getattr__(self, name: str) -> Any:
        # Only reached for names the fixture does not define itself.
        import hookmock

        if name in hookmock.__all__:
            return getattr(hookmock, name)
        raise AttributeError(
            f"the hookmock fixture has no attribute {name!r}; it has the hookmock module's"
            " public names (hookmock.__all__) and seed, serve_for_session, api_mock."
        )

    def __dir__(self) -> list[str]:
        # The package, imported here: in this module the name is the fixture's.
        import hookmock

        return sorted(set(super().__dir__()) | set(hookmock.__all__))

    def __repr__(self) -> str:
        return f"<hookmock fixture seed={self.seed}>"


@pytest.fixture(scope="session")
def hookmock_session(pytestconfig: pytest.Config) -> Iterator[HookmockSession]:
    """Session-scoped: hookmock's CA and long-lived HTTPS servers, shut down at the end."""
    session = HookmockSession(pytestconfig)
    yield session
    session.close()


@pytest.fixture
def hookmock(
    request: pytest.FixtureRequest, hookmock_session: HookmockSession
) -> Iterator[Hookmock]:
    """Deliver signed webhook events to your app: ``hookmock.receiver(app, path=...)``."""
    fixture = Hookmock(request, hookmock_session)
    yield fixture
    fixture.close()
